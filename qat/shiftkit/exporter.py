"""Export a trained network: the .skm model file (docs/model-format.md) and test
vectors as .npy files that `shiftkit check MODEL INPUT.npy EXPECTED.npy` reads.

Vector layout in the output directory (a spatial tensor is [batch][H][W][C], NHWC,
datapath §10; a dense one [batch][n]):
  input.npy                 [batch][k0] or [batch][H][W][C]  uint8/int8, the model's input type
  expected.npy              the last layer's output, uint8/int8/int32 by its output type
  trace/layer<ii>_acc.npy   int32 accumulators of layer ii (a maxpool's window maxima; two
                            digits, as `shiftkit run --trace`)
  trace/layer<ii>_out.npy   outputs of layer ii, in its output dtype
"""

from pathlib import Path

import numpy as np
import torch

from . import golden, skm
from .intmodel import IntModel


class GoldenMismatch(AssertionError):
    """The golden C model and the PyTorch integer forward disagree."""


def integer_model(model):
    """An IntModel from a ShiftNet (eval-mode form) or an IntModel."""
    return model if isinstance(model, IntModel) else model.integer_model()


def export(model, path):
    """Write a ShiftNet or IntModel to a .skm file (validated, written atomically)."""
    skm.save(integer_model(model), path)
    return Path(path)


def out_dtype(bits, signed, raw=False):
    if raw:
        return np.int32
    return np.int8 if signed else np.uint8


def integer_inputs(model, inputs):
    """Float inputs go through a ShiftNet's input quantizer; integers are used as is.
    Returns int64 [batch, features], HWC order for a spatial input."""
    inputs = torch.as_tensor(inputs)
    if isinstance(model, IntModel) or not inputs.is_floating_point():
        return inputs.to(torch.int64).reshape(inputs.shape[0], -1)
    return model.input_to_int(inputs)


def golden_mismatches(model, inputs):
    """Run the model through the C golden model (libshiftkit, ctypes) and the PyTorch
    integer forward; return (mismatching samples, golden outputs, pytorch outputs)."""
    net = integer_model(model)
    x = integer_inputs(model, inputs)
    expected = net.forward(x)
    got = golden.infer(net, x)
    return differing_samples(got, expected), got, expected


def differing_samples(got, expected):
    """Indices of the samples (rows) whose outputs differ anywhere."""
    return (got != expected).any(dim=1).nonzero().reshape(-1)


TRACE_CHUNK = 1024  # samples per forward pass of export_vectors (bounds the int64 traces in memory)


def export_vectors(model, inputs, directory, verify=True):
    """Write input.npy, expected.npy and per-layer traces to `directory`. With verify,
    the golden model must give identical integers on every sample (else
    GoldenMismatch naming the first sample). Returns the directory path.

    The forward pass runs TRACE_CHUNK samples at a time and keeps each layer's trace
    in its file dtype (int32 accumulators, int8/uint8 outputs), not as int64: a CNN's
    feature maps over a whole test set are several GB at 8 bytes a value."""
    net = integer_model(model)
    x = integer_inputs(model, inputs)
    dtypes = [(np.int32, out_dtype(layer.out_bits, layer.out_signed, layer.raw_output)) for layer in net.layers]
    chunks, traces = [], [([], []) for _ in net.layers]
    for start in range(0, len(x), TRACE_CHUNK):
        trace = []
        chunks.append(net.forward(x[start:start + TRACE_CHUNK], trace))
        for (accs, outs), (acc, out), (acc_dtype, y_dtype) in zip(traces, trace, dtypes):
            accs.append(acc.numpy().astype(acc_dtype))
            outs.append(out.numpy().astype(y_dtype))
    expected = torch.cat(chunks) if chunks else net.forward(x)
    if verify:
        got = golden.infer(net, x)
        bad = differing_samples(got, expected)
        if len(bad):
            s = int(bad[0])
            raise GoldenMismatch(f"{len(bad)} of {len(x)} samples differ from the golden model; first sample {s}: "
                                 f"golden {got[s].tolist()} vs pytorch {expected[s].tolist()}")
    directory = Path(directory)
    (directory / "trace").mkdir(parents=True, exist_ok=True)
    batch = (len(x),)
    np.save(directory / "input.npy",
            x.numpy().reshape(batch + net.input_shape()).astype(out_dtype(net.in_bits, net.in_signed)))
    np.save(directory / "expected.npy", expected.numpy().reshape(batch + net.layers[-1].out_shape).astype(dtypes[-1][1]))
    for i, ((accs, outs), layer) in enumerate(zip(traces, net.layers)):
        for part, arrays, dtype in (("acc", accs, dtypes[i][0]), ("out", outs, dtypes[i][1])):
            values = np.concatenate(arrays) if arrays else np.zeros((0,) + layer.out_shape, dtype=dtype)
            np.save(directory / "trace" / f"layer{i:02d}_{part}.npy", values.reshape(batch + layer.out_shape))
    return directory
