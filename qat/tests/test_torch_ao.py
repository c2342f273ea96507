"""The torch.ao drop-in: eager prepare_qat -> a few training steps -> convert with
shiftkit's QConfig succeeds, every scale is an exact power of two, weights are in
range, and to_skm's model gives the golden model's integers."""

import math

import pytest
import torch
from torch import nn
from torch.ao.quantization import DeQuantStub, QuantStub, convert, fuse_modules_qat, prepare_qat

from shiftkit import ModelError, golden, torch_ao


class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = QuantStub()
        self.fc1 = nn.Linear(12, 10)
        self.relu1 = nn.ReLU()
        self.fc2 = nn.Linear(10, 8)
        self.fc3 = nn.Linear(8, 4)
        self.dequant = DeQuantStub()

    def forward(self, x):
        return self.dequant(self.fc3(self.fc2(self.relu1(self.fc1(self.quant(x))))))


def trained_converted(qconfig, seed=0, steps=30, engine="qnnpack"):
    torch.backends.quantized.engine = engine
    torch.manual_seed(seed)
    model = fuse_modules_qat(TinyNet().train(), [["fc1", "relu1"]])
    model.qconfig = qconfig
    prepare_qat(model, inplace=True)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    x = torch.rand(256, 12)
    y = (x[:, :4] * torch.arange(1, 5)).argmax(dim=1)
    for _ in range(steps):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    return convert(model), torch.rand(500, 12) * 1.2


def is_power_of_two(value):
    return math.frexp(float(value))[0] == 0.5


def int16_pair_overflow(model, x_int):
    """Per sample: does any layer have two adjacent products u8*s8 whose sum leaves
    int16? AVX2 kernels (vpmaddubsw) saturate such pairs. The u8 codes are the
    activation integers plus the zero point (128 for signed activations)."""
    trace = []
    model(x_int, trace)
    inputs = [x_int] + [out for _, out in trace[:-1]]
    signed = [model.in_signed] + [layer.out_signed for layer in model.layers[:-1]]
    overflow = torch.zeros(len(x_int), dtype=torch.bool)
    for layer, x, is_signed in zip(model.layers, inputs, signed):
        codes = x + (128 if is_signed else 0)
        even = layer.k - layer.k % 2
        products = codes[:, None, :even] * layer.weights[None, :, :even]
        pairs = products[:, :, 0::2] + products[:, :, 1::2]
        overflow |= (pairs.abs() > 32767).flatten(1).any(dim=1)
    return overflow


@pytest.mark.parametrize("per_channel", [False, True])
@pytest.mark.parametrize("engine", ["qnnpack", "onednn"])
def test_convert_gives_power_of_two_scales_and_golden_outputs(per_channel, engine):
    converted, x = trained_converted(torch_ao.get_pot_qat_qconfig(per_channel=per_channel), engine=engine)
    assert is_power_of_two(converted.quant.scale)
    for name in ("fc1", "fc2", "fc3"):
        layer = getattr(converted, name)
        w = layer.weight()
        scales = w.q_per_channel_scales() if per_channel else torch.tensor([w.q_scale()])
        assert all(is_power_of_two(s) for s in scales.tolist()) and is_power_of_two(layer.scale)
        assert w.int_repr().abs().max() <= 127
    model = torch_ao.to_int_model(converted)
    x = torch.cat([x, 3 * x])  # beyond the trained range too: saturation
    x_int, torch_out = torch_ao.torch_integer_io(converted, x)
    golden_out = golden.infer(model, x_int)
    assert torch.equal(model(x_int), golden_out)
    if engine == "qnnpack":
        # power-of-two multiplier, ties to even, int32 bias rounded half to even: the
        # engine computes half_even exactly (docs/qat.md)
        assert torch.equal(golden_out, torch_out)
    else:
        # onednn adds the bias in float (one LSB near ties) and on AVX2 saturates
        # u8*s8 pair sums to int16: every larger difference is such a saturation
        large = ((golden_out - torch_out).abs() > 1).any(dim=1)
        assert not (large & ~int16_pair_overflow(model, x_int)).any()


def test_low_bit_qconfig_keeps_weights_in_range():
    converted, x = trained_converted(torch_ao.get_pot_qat_qconfig(per_channel=True, weight_bits=4, act_bits=6))
    for name in ("fc1", "fc2", "fc3"):
        assert getattr(converted, name).weight().int_repr().abs().max() <= 7
    model = torch_ao.to_int_model(converted, weight_bits=4, act_bits=6, rounding="half_up")
    x_int, _ = torch_ao.torch_integer_io(converted, x, act_bits=6)
    assert x_int.max() <= 63
    assert torch.equal(model(x_int), golden.infer(model, x_int))


def test_to_skm_writes_a_golden_loadable_file(tmp_path):
    converted, x = trained_converted(torch_ao.get_pot_qat_qconfig(per_channel=True))
    model = torch_ao.to_skm(converted, tmp_path / "m.skm", raw_head=True)
    x_int, _ = torch_ao.torch_integer_io(converted, x)
    assert model.layers[-1].raw_output
    assert torch.equal(golden.infer((tmp_path / "m.skm").read_bytes(), x_int), model(x_int))


def test_stock_float_scales_are_refused_with_a_clear_error():
    from torch.ao.quantization import get_default_qat_qconfig
    converted, _ = trained_converted(get_default_qat_qconfig("qnnpack"))
    with pytest.raises(ModelError, match="not a power of two|not symmetric"):
        torch_ao.to_int_model(converted)


def test_dtype_set_after_construction_reproduces_the_overflow():
    """The root cause documented in docs/qat.md: an observer built for quint8 whose
    dtype is switched to qint8 afterwards keeps quant range 0..255, and convert fails."""
    from torch.ao.quantization import FakeQuantize, MovingAverageMinMaxObserver, QConfig

    class LateDtypeObserver(MovingAverageMinMaxObserver):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dtype = torch.qint8  # too late: quant_min/quant_max stay 0..255

        def calculate_qparams(self):
            return torch.tensor([2.0**-8]), torch.tensor([0])

    bad = QConfig(activation=torch_ao.get_pot_qat_qconfig().activation,
                  weight=FakeQuantize.with_args(observer=LateDtypeObserver))
    with pytest.raises(RuntimeError, match="overflow"):
        trained_converted(bad, steps=2)


class TinyConvNet(nn.Module):
    """QuantStub -> Conv+ReLU -> MaxPool -> depthwise Conv (stride 2) + ReLU -> Flatten
    -> Linear -> DeQuantStub: the eager CNN pattern to_skm supports."""

    def __init__(self):
        super().__init__()
        self.quant = QuantStub()
        self.conv1 = nn.Conv2d(2, 6, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(6, 6, 3, stride=2, padding=1, groups=6)
        self.relu2 = nn.ReLU()
        self.flat = nn.Flatten()
        self.fc = nn.Linear(6 * 2 * 2, 4)
        self.dequant = DeQuantStub()

    def forward(self, x):
        x = self.pool(self.relu1(self.conv1(self.quant(x))))
        return self.dequant(self.fc(self.flat(self.relu2(self.conv2(x)))))


def converted_conv_net(engine, per_channel, seed=0):
    torch.backends.quantized.engine = engine
    torch.manual_seed(seed)
    model = fuse_modules_qat(TinyConvNet().train(), [["conv1", "relu1"], ["conv2", "relu2"]])
    model.qconfig = torch_ao.get_pot_qat_qconfig(per_channel=per_channel)
    prepare_qat(model, inplace=True)
    x = torch.rand(256, 2, 9, 9)
    y = (x[:, 0, :4, :4].sum((1, 2)) * 3).long().clamp(0, 3)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(20):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    return convert(model), x


@pytest.mark.parametrize("per_channel", [False, True])
@pytest.mark.parametrize("engine", ["qnnpack", "onednn"])
def test_convert_conv_relu_model_matches_torch_engine(engine, per_channel, tmp_path):
    """prepare_qat -> convert of a ConvReLU2d model gives power-of-two scales, and
    to_skm's integer model (the convs transposed to HWC, the Linear's columns permuted
    from CHW to HWC) equals torch's own quantized engine on every output: an
    independent check of the layout conversions."""
    converted, x = converted_conv_net(engine, per_channel)
    assert type(converted.conv1).__name__ == "ConvReLU2d"
    for name in ("conv1", "conv2", "fc"):
        w = getattr(converted, name).weight()
        scales = w.q_per_channel_scales() if per_channel else torch.tensor([w.q_scale()])
        assert all(is_power_of_two(s) for s in scales.tolist())
    model = torch_ao.to_skm(converted, tmp_path / "m.skm", example_input=x[:1])
    assert [layer.kind for layer in model.layers] == ["conv2d", "maxpool", "conv2d", "dense"]
    assert model.layers[2].groups == 6 and model.layers[2].stride == (2, 2) and model.layers[0].relu
    x_test = torch.rand(300, 2, 9, 9) * 1.2
    x_int, torch_out = torch_ao.torch_integer_io(converted, x_test)
    assert x_int.shape == (300, 9 * 9 * 2)
    assert torch.equal(model(x_int), torch_out)
    assert torch.equal(golden.infer((tmp_path / "m.skm").read_bytes(), x_int), torch_out)


def test_conv_model_without_example_input_is_a_clear_error():
    converted, _ = converted_conv_net("qnnpack", True)
    with pytest.raises(ModelError, match="example_input"):
        torch_ao.to_int_model(converted)
