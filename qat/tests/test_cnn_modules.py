"""The hardware-exact CNN modules: a ShiftNet's eval forward (each module's own
integer forward on NCHW tensors) equals its exported integer model (HWC, conv weights
transposed, dense columns permuted from CHW to HWC) on every output, for every
rounding mode, bit widths, per-tensor and per-channel exponents, raw heads, padding
on every border, stride 2, depthwise, pooling and residual adds; and equals the C
golden model (ctypes and the CLI, outputs and every layer's trace)."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from shiftkit import QuantInput, ShiftNet, export, export_vectors, golden, skm
from shiftkit.modules import (QuantAdd, QuantAvgPool2d, QuantConv2d, QuantFlatten, QuantLinear, QuantMaxPool2d)
from shiftkit.quantizers import PotQuantizer
from test_modules import ties_and_clamps

MODES = ["floor", "half_up", "half_away", "half_even"]


def cnn(seed, w_bits=8, act_bits=8, per_channel=True, rounding="half_up", raw_head=True, in_signed=False):
    """A net with every layer kind: conv (padding everywhere), depthwise stride-2 conv
    with asymmetric padding, maxpool, 1x1 conv, residual add (of the maxpool output),
    avgpool, flatten, dense head; odd input sizes (3 x 11 x 9)."""
    torch.manual_seed(seed)
    common = dict(w_bits=w_bits, per_channel=per_channel, out_bits=act_bits, rounding=rounding)
    layers = [QuantConv2d(3, 8, 3, padding=1, relu=True, **common),
              QuantConv2d(8, 8, 3, stride=2, padding=(1, 0, 0, 2), groups=8, relu=True, **common),
              QuantMaxPool2d(2, stride=1),
              QuantConv2d(8, 8, 1, **common),
              QuantAdd(src=2, out_bits=act_bits, rounding=rounding),
              QuantAvgPool2d(2, rounding=rounding),
              QuantFlatten(),
              QuantLinear(8 * 2 * 2, 5, w_bits=w_bits, per_channel=per_channel and not raw_head, out_bits=act_bits,
                          rounding=rounding, raw_output=raw_head)]
    net = ShiftNet(QuantInput(act_bits, signed=in_signed), layers, input_shape=(3, 11, 9))
    with torch.no_grad():
        for layer in layers:  # spread channel magnitudes so per-channel exponents differ
            if hasattr(layer, "weight"):
                shape = (-1,) + (1,) * (layer.weight.dim() - 1)
                layer.weight.mul_(torch.logspace(-2, 1, layer.weight.shape[0], base=2).reshape(shape))
                layer.bias.mul_(4)
    x = torch.randn(40, 3, 11, 9) * 2
    net.calibrate([x])
    return net.eval(), torch.cat([x, 3 * x])  # beyond the calibrated range too: saturation


def integer_equals_module_forward(net, x):
    model = net.integer_model()
    model.validate()
    x_int = net.input_to_int(x)
    out = model(x_int)
    y = net(x).to(torch.float64)
    head = model.layers[-1]
    exp = (model.layer_in_exp(len(model.layers) - 1) + head.w_exp) if head.raw_output else head.out_exp
    assert torch.equal(y * torch.pow(2.0, -torch.as_tensor(exp, dtype=torch.float64)), out.to(torch.float64))
    return model, x_int, out


@pytest.mark.parametrize("rounding", MODES)
@pytest.mark.parametrize("bits", [2, 4, 8])
def test_module_forward_equals_integer_model(rounding, bits):
    for per_channel in (False, True):
        for raw_head in (False, True):
            net, x = cnn(bits * 10 + per_channel, bits, bits, per_channel, rounding, raw_head, in_signed=per_channel)
            integer_equals_module_forward(net, x)


def test_layout_conversions():
    """The integer model holds conv weights as [Cout][KH][KW][Cin/g] and the dense
    columns in HWC order; its input is the NCHW batch in HWC order."""
    net, x = cnn(1)
    model = net.integer_model()
    conv, head = net.layers[0], net.layers[-1]
    w_int = conv.weight_quant.to_int(conv.weight, model.layers[0].w_exp)
    assert torch.equal(model.layers[0].weights, w_int.permute(0, 2, 3, 1))
    hw_int = head.weight_quant.to_int(head.weight, model.layers[-1].w_exp)  # torch columns: c*4 + y*2 + x
    for y in range(2):
        for xx in range(2):
            for c in range(8):
                assert torch.equal(model.layers[-1].weights[:, (y * 2 + xx) * 8 + c], hw_int[:, c * 4 + y * 2 + xx])
    x_int = net.input_to_int(x[:2])
    q = net.input_quant.to_int(x[:2])
    assert int(x_int[1, (4 * 9 + 7) * 3 + 2]) == int(q[1, 2, 4, 7])
    assert [layer.kind for layer in model.layers] == ["conv2d", "conv2d", "maxpool", "conv2d", "add", "avgpool",
                                                       "dense"]
    assert model.layers[4].src == 2 and model.layers[1].padding == (1, 0, 0, 2)


def test_ties_and_saturation_are_exercised():
    net, x = cnn(3, 4, 4, True, "half_even", False)
    ties, clamps = ties_and_clamps(net.integer_model(), net.input_to_int(x))
    assert ties > 0 and clamps > 0


def test_training_forward_tracks_the_integer_forward():
    """Fake quantization (training) and the integer path (eval) agree to one output
    step (float accumulation order may move a tie)."""
    net, x = cnn(7, raw_head=False)
    y_eval = net(x)
    net.train()
    for q in net.modules():
        if isinstance(q, PotQuantizer):
            q.momentum = 0.0
    with torch.no_grad():
        y_train = net(x)
    step = 2.0 ** net.integer_model().layers[-1].out_exp
    assert float((y_train - y_eval).abs().max()) <= step * (1 + 1e-6)
    assert float((y_train == y_eval).float().mean()) > 0.95


def test_from_float_builds_the_cnn():
    seq = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(4, 4, 3, groups=4),
                        nn.ReLU(), nn.AvgPool2d(2), nn.Flatten(), nn.Linear(4, 3))
    net = ShiftNet.from_float(seq, QuantInput(8, mode="fixed", fixed_exp=-8), per_channel=True,
                              input_shape=(1, 8, 8))
    kinds = [type(layer).__name__ for layer in net.layers]
    assert kinds == ["QuantConv2d", "QuantMaxPool2d", "QuantConv2d", "QuantAvgPool2d", "QuantFlatten", "QuantLinear"]
    assert net.layers[0].relu and net.layers[2].groups == 4 and net.layers[-1].raw_output
    assert torch.equal(net.layers[0].weight, seq[0].weight)
    x = torch.rand(16, 1, 8, 8)
    net.calibrate([x])
    net.eval()
    integer_equals_module_forward(net, x)
    with pytest.raises(ValueError, match="dilation 1"):
        ShiftNet.from_float(nn.Sequential(nn.Conv2d(1, 1, 3, dilation=2)), QuantInput(), input_shape=(1, 8, 8))
    with pytest.raises(ValueError, match="power-of-two window"):
        QuantAvgPool2d(3)
    with pytest.raises(ValueError, match="depthwise"):
        QuantConv2d(4, 8, 3, groups=2)
    with pytest.raises(ValueError, match="needs input_shape"):
        ShiftNet(QuantInput(), [QuantConv2d(1, 1, 1)])


def test_export_v2_file_and_nhwc_vectors(tmp_path):
    net, x = cnn(5, raw_head=False)
    export(net, tmp_path / "m.skm")
    assert (tmp_path / "m.skm").read_bytes()[8:12] == b"\x02\x00\x00\x00"
    loaded = skm.load(tmp_path / "m.skm")
    x_int = net.input_to_int(x)
    assert torch.equal(loaded(x_int), net.integer_model()(x_int))
    d = export_vectors(net, x, tmp_path / "v", verify=False)
    inputs, expected = np.load(d / "input.npy"), np.load(d / "expected.npy")
    assert inputs.shape == (len(x), 11, 9, 3) and inputs.dtype == np.uint8
    assert expected.shape == (len(x), 5) and expected.dtype == np.int8
    assert np.load(d / "trace" / "layer01_out.npy").shape == (len(x), 5, 5, 8)  # (11+1-3)//2+1, (9+2-3)//2+1
    assert np.load(d / "trace" / "layer02_acc.npy").shape == (len(x), 4, 4, 8)


@pytest.mark.parametrize("rounding", MODES)
def test_golden_equals_integer_model(rounding):
    for bits, per_channel, raw_head in ((8, True, True), (4, False, False), (3, True, False)):
        net, x = cnn(bits + 100, bits, bits, per_channel, rounding, raw_head, in_signed=not per_channel)
        model, x_int, out = integer_equals_module_forward(net, x)
        assert torch.equal(golden.infer(model, x_int), out)


def test_vectors_check_with_the_cli(tmp_path, shiftkit_cli):
    import subprocess
    net, x = cnn(6)
    d = export_vectors(net, x, tmp_path / "v")
    export(net, d / "model.skm")
    result = subprocess.run([str(shiftkit_cli), "check", str(d / "model.skm"), str(d / "input.npy"),
                             str(d / "expected.npy")], capture_output=True, text=True)
    assert result.returncode == 0 and f"{len(x)} passed, 0 failed" in result.stdout, result.stdout + result.stderr
    out_dir = tmp_path / "trace"
    subprocess.run([str(shiftkit_cli), "run", str(d / "model.skm"), str(d / "input.npy"), "-o",
                    str(tmp_path / "out.npy"), "--trace", str(out_dir)], check=True, capture_output=True)
    for i in range(len(net.integer_model().layers)):
        for part in ("acc", "out"):
            name = f"layer{i:02d}_{part}.npy"
            assert np.array_equal(np.load(out_dir / name), np.load(d / "trace" / name)), name


@pytest.mark.parametrize("rounding", MODES)
def test_residual_add_of_the_network_input(rounding):
    """QuantAdd(src=-1) reads the quantized network input; a signed input at another
    exponent than the conv output exercises the alignment shift."""
    torch.manual_seed(11)
    layers = [QuantConv2d(3, 3, 3, padding=1, rounding=rounding, per_channel=True),
              QuantAdd(src=-1, rounding=rounding, relu=True),
              QuantFlatten(), QuantLinear(3 * 5 * 4, 4, rounding=rounding, raw_output=True)]
    net = ShiftNet(QuantInput(8, signed=True), layers, input_shape=(3, 5, 4))
    with torch.no_grad():
        layers[0].weight.mul_(8)  # conv output range differs from the input's: ea != eb
    x = torch.randn(64, 3, 5, 4)
    net.calibrate([x])
    net.eval()
    model, x_int, out = integer_equals_module_forward(net, x)
    add = model.layers[1]
    assert add.kind == "add" and add.src == -1 and model.layers[0].out_exp != model.in_exp
    assert torch.equal(golden.infer(model, x_int), out)
