"""export() and export_vectors(): the .skm and .npy files other backends consume,
checked with the golden library and the `shiftkit check` CLI."""

import copy
import subprocess

import numpy as np
import torch

from shiftkit import export, export_vectors, golden, skm
from test_modules import random_net


def test_export_writes_the_integer_model(tmp_path):
    net, x = random_net(3, 6, 5, True, "half_even", True)
    export(net, tmp_path / "m.skm")
    loaded = skm.load(tmp_path / "m.skm")
    x_int = net.input_to_int(x)
    assert torch.equal(golden.infer((tmp_path / "m.skm").read_bytes(), x_int), net.integer_model()(x_int))
    assert torch.equal(loaded(x_int), net.integer_model()(x_int))


def truncated(model, layers, raw):
    """The first `layers` layers of a model; the last of them raw if `raw`."""
    cut = copy.deepcopy(model)
    cut.layers = cut.layers[:layers]
    if raw:
        cut.layers[-1].raw_output, cut.layers[-1].relu = True, False
    return cut


def test_vectors_and_traces_match_golden(tmp_path, shiftkit_cli):
    for raw_head, out_signed_dtype in ((True, np.int32), (False, np.int8)):
        net, x = random_net(4, 8, 8, False, "half_up", raw_head, in_signed=True)
        d = export_vectors(net, x, tmp_path / str(raw_head))
        export(net, d / "model.skm")
        model = net.integer_model()
        inputs, expected = np.load(d / "input.npy"), np.load(d / "expected.npy")
        assert inputs.dtype == np.int8 and inputs.shape == (len(x), 24)
        assert expected.dtype == out_signed_dtype and expected.shape == (len(x), 5)
        x_int = torch.from_numpy(inputs.astype(np.int64))
        for i, layer in enumerate(model.layers):
            acc = np.load(d / "trace" / f"layer{i:02d}_acc.npy")
            out = np.load(d / "trace" / f"layer{i:02d}_out.npy")
            assert acc.dtype == np.int32
            assert out.dtype == (np.int32 if layer.raw_output else np.int8 if layer.out_signed else np.uint8)
            assert np.array_equal(acc, golden.infer(truncated(model, i + 1, True), x_int).numpy())
            assert np.array_equal(out, golden.infer(truncated(model, i + 1, layer.raw_output), x_int).numpy())
        result = subprocess.run([str(shiftkit_cli), "check", str(d / "model.skm"), str(d / "input.npy"),
                                 str(d / "expected.npy")], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"{len(x)} passed, 0 failed" in result.stdout


def test_unsigned_inputs_are_uint8(tmp_path):
    net, x = random_net(5, 4, 4, True, "floor", False)
    d = export_vectors(net, x, tmp_path)
    inputs = np.load(d / "input.npy")
    assert inputs.dtype == np.uint8 and inputs.max() <= 15


def test_a_pytorch_side_rounding_bug_is_caught(tmp_path, monkeypatch):
    """export_vectors' golden check fires: simulate a trainer bug that floors where the
    model says half_up, and the golden model's integers expose it."""
    import pytest

    from shiftkit import arith, intmodel
    from shiftkit.exporter import GoldenMismatch

    net, x = random_net(6, 8, 8, False, "half_up", False)
    buggy = lambda acc, shift, mode, *rest: arith.requantize(acc, shift, "floor", *rest)  # noqa: E731
    monkeypatch.setattr(intmodel, "requantize", buggy)
    with pytest.raises(GoldenMismatch, match="samples differ from the golden model; first sample"):
        export_vectors(net, x, tmp_path)
    assert not (tmp_path / "expected.npy").exists()


def test_traces_equal_the_cli_trace(tmp_path, shiftkit_cli):
    """Same file names, dtypes and integers as `shiftkit run --trace`."""
    net, x = random_net(8, 5, 7, True, "half_away", True)
    d = export_vectors(net, x, tmp_path / "py")
    export(net, tmp_path / "m.skm")
    subprocess.run([str(shiftkit_cli), "run", str(tmp_path / "m.skm"), str(d / "input.npy"), "-o",
                    str(tmp_path / "out.npy"), "--trace", str(tmp_path / "c")], check=True, capture_output=True)
    names = sorted(p.name for p in (d / "trace").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "c").iterdir()) and len(names) == 6
    for name in names:
        ours, theirs = np.load(d / "trace" / name), np.load(tmp_path / "c" / name)
        assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs), name
    assert np.array_equal(np.load(d / "expected.npy"), np.load(tmp_path / "out.npy"))
