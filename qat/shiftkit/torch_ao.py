"""torch.ao drop-in: a power-of-two QAT QConfig for eager-mode prepare_qat/convert,
and to_skm() to export a converted QuantStub -> Linear/LinearReLU ... -> DeQuantStub
model, or a convolutional one (Conv2d/ConvReLU2d, MaxPool2d, Flatten, then
Linear/LinearReLU), to the golden model.

Why hand-written PoT observers usually break convert: an observer's integer range is
fixed in __init__ (quint8 0..255 by default). Setting `dtype = torch.qint8` afterwards
leaves quant_min/quant_max at 0..255, and convert's weight clamp then fills an int8
tensor with 255 ("value cannot be converted to type int8_t without overflow"). Here
every observer gets dtype, qscheme and range in its constructor (through with_args),
and the plain FakeQuantize is used, because the fused default
(FusedMovingAvgObsFakeQuantize) computes qparams in C++ and ignores a Python
calculate_qparams override.

Activations are stored as quint8, as the qnnpack/onednn engines require. Zero point 0
encodes an unsigned activation; zero point 128 encodes a signed one (q_uint8 - 128 is
the two's-complement integer, so the real value is still q * 2^e with no offset in the
hardware). The sign is chosen from the observed minimum.
"""

import math

import torch
from torch import nn
from torch.ao.quantization import FakeQuantize, QConfig
from torch.ao.quantization.observer import MinMaxObserver, MovingAverageMinMaxObserver, PerChannelMinMaxObserver

from .arith import check_bits, check_rounding, weight_max
from .intmodel import INT32_MAX, INT32_MIN, IntLayer, IntModel, ModelError
from . import skm

SIGNED_ZERO_POINT = 128  # quint8 encoding of a signed activation


def _pot_scale(max_abs, q_max):
    """2^ceil(log2(max_abs / q_max)): the smallest power of two that fits max_abs."""
    exp = torch.ceil(torch.log2(max_abs.clamp(min=2.0**-100) / q_max)).clamp(-126, 127)
    return torch.pow(2.0, exp).to(torch.float32)


class PotActivationObserver(MovingAverageMinMaxObserver):
    """Per-tensor power-of-two activation observer, quint8 storage, zero point 0
    (unsigned) or 128 (signed), `bits` 2..8."""

    def __init__(self, bits=8, averaging_constant=0.01, **kwargs):
        check_bits(bits, "act_bits")
        kwargs.update(dtype=torch.quint8, qscheme=torch.per_tensor_affine, quant_min=0, quant_max=2**bits - 1)
        super().__init__(averaging_constant=averaging_constant, **kwargs)
        self.bits = bits

    @torch.jit.export
    def calculate_qparams(self):
        signed = bool(self.min_val < 0)
        if signed:
            q_max = 2 ** (self.bits - 1) - 1
            zero_point = SIGNED_ZERO_POINT
            max_abs = torch.maximum(-self.min_val * q_max / (q_max + 1), self.max_val)
        else:
            q_max = 2**self.bits - 1
            zero_point = 0
            max_abs = self.max_val
        # FakeQuantize reads quant_min/quant_max on every call, right after this: keep
        # them the bits-wide range around the zero point for the chosen sign.
        self.quant_min = zero_point - (2 ** (self.bits - 1) if signed else 0)
        self.quant_max = self.quant_min + 2**self.bits - 1
        return _pot_scale(max_abs, q_max).reshape(1), torch.tensor([zero_point], dtype=torch.int32)


class _PotWeightQParams:
    """calculate_qparams shared by the weight observers: 2^ceil(log2(max|w| / q_max))
    per tensor or per channel, zero point 0."""

    @torch.jit.export
    def calculate_qparams(self):
        max_abs = torch.maximum(-self.min_val, self.max_val)
        scales = _pot_scale(max_abs, weight_max(self.bits)).reshape(-1)
        return scales, torch.zeros(scales.shape, dtype=torch.int64)


class PotWeightObserver(_PotWeightQParams, MinMaxObserver):
    """Per-tensor power-of-two weight observer: qint8, narrow range, zero point 0."""

    def __init__(self, bits=8, **kwargs):
        kwargs.update(dtype=torch.qint8, qscheme=torch.per_tensor_symmetric,
                      quant_min=-weight_max(bits), quant_max=weight_max(bits))
        super().__init__(**kwargs)
        self.bits = bits


class PotPerChannelWeightObserver(_PotWeightQParams, PerChannelMinMaxObserver):
    """Per-output-channel power-of-two weight observer: qint8, narrow, zero point 0."""

    def __init__(self, bits=8, **kwargs):
        kwargs.update(dtype=torch.qint8, qscheme=torch.per_channel_symmetric, ch_axis=0,
                      quant_min=-weight_max(bits), quant_max=weight_max(bits))
        super().__init__(**kwargs)
        self.bits = bits


def get_pot_qat_qconfig(per_channel=True, weight_bits=8, act_bits=8):
    """A QConfig for eager-mode prepare_qat/convert with power-of-two scales."""
    check_bits(weight_bits, "weight_bits")
    check_bits(act_bits, "act_bits")
    w_max = weight_max(weight_bits)
    if per_channel:
        weight = FakeQuantize.with_args(observer=PotPerChannelWeightObserver, bits=weight_bits, quant_min=-w_max,
                                        quant_max=w_max, dtype=torch.qint8, qscheme=torch.per_channel_symmetric)
    else:
        weight = FakeQuantize.with_args(observer=PotWeightObserver, bits=weight_bits, quant_min=-w_max,
                                        quant_max=w_max, dtype=torch.qint8, qscheme=torch.per_tensor_symmetric)
    activation = FakeQuantize.with_args(observer=PotActivationObserver, bits=act_bits, quant_min=0,
                                        quant_max=2**act_bits - 1, dtype=torch.quint8)
    return QConfig(activation=activation, weight=weight)


def _exponent(scale, what):
    """log2 of an exact power-of-two scale, or ModelError."""
    scale = float(scale)
    mantissa, exp = math.frexp(scale)
    if mantissa != 0.5:
        raise ModelError(f"{what}: scale {scale!r} is not a power of two (use get_pot_qat_qconfig)")
    return exp - 1


def _act_type(zero_point, dtype, what):
    """(signed, zero point) of a quantized activation with zero point 0 or 128."""
    zero_point = int(zero_point)
    if dtype == torch.quint8 and zero_point in (0, SIGNED_ZERO_POINT):
        return zero_point == SIGNED_ZERO_POINT, zero_point
    if dtype == torch.qint8 and zero_point == 0:
        return True, 0
    raise ModelError(f"{what}: zero point {zero_point} ({dtype}) is not symmetric: shiftkit needs zero point 0 "
                     f"(or 128 for a signed quint8 activation)")


# Modules of a converted model that compute nothing on the integers.
_PASSIVE = (nn.Identity, nn.Dropout, torch.ao.nn.quantized.DeQuantize)


def _executed_modules(model, example_input):
    """(name, module, input shape, output shape) of every quantized layer and every
    other leaf module, in the order a forward pass on example_input executes them
    (eager models need not register their modules in execution order, and spatial
    layers need their shapes)."""
    records, hooks, layers = [], [], []
    for name, module in model.named_modules():
        if any(name.startswith(prefix + ".") for prefix in layers):
            continue  # inside a quantized layer (its packed parameters)
        if isinstance(module, (torch.ao.nn.quantized.Conv2d, torch.ao.nn.quantized.Linear)):
            layers.append(name)
        if name in layers or next(module.children(), None) is None:
            hooks.append(module.register_forward_hook(
                lambda m, inputs, output, name=name: records.append((name, m, tuple(inputs[0].shape),
                                                                     tuple(output.shape)))))
    try:
        with torch.no_grad():
            model(example_input)
    finally:
        for hook in hooks:
            hook.remove()
    return records


def _quantized_layers(model):
    """The Quantize module and the quantized Linear modules of a converted eager model,
    in registration order (eager mode executes them in this order for the
    supported QuantStub -> Linear/LinearReLU ... -> DeQuantStub chains)."""
    quantize, linears = None, []
    for name, module in model.named_modules():
        if isinstance(module, torch.ao.nn.quantized.Quantize):
            if quantize is not None or linears:
                raise ModelError(f"{name}: only one QuantStub, before every Linear, is supported")
            quantize = module
        elif isinstance(module, torch.ao.nn.quantized.Linear):  # LinearReLU is a subclass
            linears.append((name, module))
        elif isinstance(module, nn.Linear):
            raise ModelError(f"{name}: float Linear in a converted model: was it prepared and converted?")
        elif isinstance(module, (torch.ao.nn.quantized.Conv2d, nn.MaxPool2d)):
            raise ModelError(f"{name}: a convolutional model needs example_input (one batch of inputs) to give "
                             f"to_skm its execution order and feature map shapes")
    if quantize is None or not linears:
        raise ModelError("not a converted QuantStub -> Linear ... -> DeQuantStub model")
    return quantize, linears


def _weight_exponents(w, name):
    """(w_exp int64 tensor, per_channel) of a quantized weight with power-of-two scales."""
    if w.qscheme() in (torch.per_channel_affine, torch.per_channel_symmetric):
        if w.q_per_channel_axis() != 0 or (w.q_per_channel_zero_points() != 0).any():
            raise ModelError(f"{name}: per-channel weights need axis 0 and zero points 0")
        scales, per_channel = w.q_per_channel_scales().tolist(), True
    else:
        if w.q_zero_point() != 0:
            raise ModelError(f"{name}: weight zero point {w.q_zero_point()} must be 0")
        scales, per_channel = [w.q_scale()], False
    return torch.tensor([_exponent(s, f"{name} weight channel {c}") for c, s in enumerate(scales)]), per_channel


def _weighted_layer(name, module, e_in, weight_bits, act_bits, rounding, raw, in_shape=None):
    """The IntLayer of a quantized Linear/LinearReLU or Conv2d/ConvReLU2d. in_shape:
    (C, H, W) of a conv's input, or of the feature map a Linear reads flattened (its
    CHW columns are reordered to the HWC order of the integer model, datapath §15)."""
    w = module.weight()
    w_exp, per_channel = _weight_exponents(w, name)
    out_signed, _ = _act_type(module.zero_point, torch.quint8, f"{name} output")
    e_out = _exponent(module.scale, f"{name} output")
    bias = module.bias()
    bias = torch.zeros(w.shape[0]) if bias is None else bias.detach()
    bias_exp = (e_in + w_exp.expand(w.shape[0])).to(torch.float64)
    bias_int = torch.round(bias.to(torch.float64) * torch.pow(2.0, -bias_exp))  # half to even, as torch
    if bias_int.min() < INT32_MIN or bias_int.max() > INT32_MAX:
        raise ModelError(f"{name}: bias does not fit int32 at exponent e_in + e_w")
    relu = type(module).__name__ in ("LinearReLU", "ConvReLU2d")
    if raw and relu:
        raise ModelError(f"{name}: a raw-accumulator head cannot have a fused ReLU")
    weights = w.int_repr().to(torch.int64)
    fields = dict(bias=bias_int.to(torch.int64), w_exp=w_exp, w_bits=weight_bits, out_bits=act_bits,
                  out_signed=out_signed, out_exp=e_out, rounding=rounding, relu=relu, raw_output=raw,
                  per_channel=per_channel)
    if isinstance(module, torch.ao.nn.quantized.Conv2d):  # ConvReLU2d is a subclass
        if module.dilation != (1, 1) or module.padding_mode != "zeros":
            raise ModelError(f"{name}: conv needs dilation 1 and zero padding")
        c, h, wd = in_shape
        ph, pw = module.padding
        return IntLayer(weights=weights.permute(0, 2, 3, 1).contiguous(), kind="conv2d", in_shape=(h, wd, c),
                        kernel=tuple(module.kernel_size), stride=tuple(module.stride), padding=(ph, pw, ph, pw),
                        groups=module.groups, **fields)
    if in_shape is not None and len(in_shape) == 3:
        weights = weights.reshape(weights.shape[0], *in_shape).permute(0, 2, 3, 1).reshape(weights.shape[0], -1)
    return IntLayer(weights=weights, **fields)


def to_int_model(converted, weight_bits=8, act_bits=8, rounding="half_even", raw_head=False, example_input=None):
    """The IntModel of a converted eager torch.ao model. rounding is the hardware's
    rounding mode (half_even is the one torch's engines approximate); raw_head makes
    the last Linear/Conv2d emit its int32 accumulators (§7) instead of requantizing.

    example_input (one batch of float inputs, e.g. x[:1]) is needed for a
    convolutional model: a forward pass on it gives the execution order and the
    spatial shapes. Without it the quantized Linear modules are taken in registration
    order (QuantStub -> Linear/LinearReLU ... -> DeQuantStub chains)."""
    check_rounding(rounding)
    check_bits(weight_bits, "weight_bits")
    check_bits(act_bits, "act_bits")
    if example_input is None:
        quantize, linears = _quantized_layers(converted)
        steps = [(name, module, None) for name, module in linears]
    else:
        quantize, steps = _traced_layers(converted, example_input)
    in_signed, _ = _act_type(quantize.zero_point, quantize.dtype, "QuantStub")
    e_in = _exponent(quantize.scale, "QuantStub")
    model = IntModel(in_bits=act_bits, in_signed=in_signed, in_exp=e_in)
    out_type = (act_bits, in_signed)
    if raw_head and isinstance(steps[-1][1], nn.MaxPool2d):
        raise ModelError(f"{steps[-1][0]}: a raw-accumulator head must be the last Linear or Conv2d, not a MaxPool2d")
    for i, (name, module, in_shape) in enumerate(steps):
        if isinstance(module, nn.MaxPool2d):
            c, h, w = in_shape
            model.layers.append(IntLayer(kind="maxpool", in_shape=(h, w, c), kernel=_pair(module.kernel_size),
                                         stride=_pair(module.stride), w_bits=0, out_bits=out_type[0],
                                         out_signed=out_type[1], out_exp=e_in, rounding="floor"))
            continue
        raw = raw_head and i == len(steps) - 1
        layer = _weighted_layer(name, module, e_in, weight_bits, act_bits, rounding, raw, in_shape)
        model.layers.append(layer)
        e_in, out_type = layer.out_exp, (layer.out_bits, layer.out_signed)
    model.validate("converted model")
    return model


def _pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


def _traced_layers(converted, example_input):
    """The Quantize module and the (name, module, input shape (C, H, W) or None) steps
    of a converted model, in execution order: quantized Conv2d/ConvReLU2d/Linear/
    LinearReLU and MaxPool2d; Flatten is the identity on the integer model's HWC
    order (datapath §15), so the Linear after it remembers the map's CHW shape."""
    quantize, steps, feature_map = None, [], None
    for name, module, in_shape, out_shape in _executed_modules(converted, example_input):
        if isinstance(module, torch.ao.nn.quantized.Quantize):
            if quantize is not None or steps:
                raise ModelError(f"{name}: only one QuantStub, before every other layer, is supported")
            quantize = module
            feature_map = in_shape[1:] if len(in_shape) == 4 else None
        elif isinstance(module, (torch.ao.nn.quantized.Conv2d, nn.MaxPool2d)):
            if len(in_shape) != 4:
                raise ModelError(f"{name}: expected an NCHW input, got shape {in_shape}")
            if isinstance(module, nn.MaxPool2d) and (_pair(module.padding) != (0, 0) or _pair(module.dilation) != (1, 1)
                                                     or module.ceil_mode):
                raise ModelError(f"{name}: MaxPool2d needs padding 0, dilation 1 and floor mode")
            steps.append((name, module, in_shape[1:]))
            feature_map = out_shape[1:]
        elif isinstance(module, torch.ao.nn.quantized.Linear):  # LinearReLU is a subclass
            steps.append((name, module, feature_map if len(in_shape) == 2 else None))
            feature_map = None
        elif isinstance(module, nn.Flatten):
            if feature_map is None or module.start_dim != 1:
                raise ModelError(f"{name}: Flatten must flatten a feature map from dimension 1")
        elif isinstance(module, (nn.Linear, nn.Conv2d)):
            raise ModelError(f"{name}: float {type(module).__name__} in a converted model: was it prepared and "
                             f"converted?")
        elif not isinstance(module, _PASSIVE):
            raise ModelError(f"{name}: {type(module).__name__} is not supported by to_skm (Conv2d, ConvReLU2d, "
                             f"MaxPool2d, Flatten, Linear, LinearReLU)")
    if quantize is None or not steps:
        raise ModelError("not a converted QuantStub -> Conv2d/Linear ... -> DeQuantStub model")
    return quantize, steps


def to_skm(converted, path, weight_bits=8, act_bits=8, rounding="half_even", raw_head=False, example_input=None):
    """Export a converted eager torch.ao model to a .skm file; returns its IntModel
    (example_input: see to_int_model, needed for a convolutional model)."""
    model = to_int_model(converted, weight_bits, act_bits, rounding, raw_head, example_input)
    skm.save(model, path)
    return model


def torch_integer_io(converted, x, act_bits=8):
    """(integer inputs, integer outputs) of torch's own quantized engine on float
    inputs x: the QuantStub's integers (clamped to the act_bits input type; HWC order
    for an NCHW input) and the last layer's output integers (zero point removed, HWC
    for a feature map)."""
    if x.dim() == 4:
        quantize, steps = _traced_layers(converted, x[:1])
        modules = [module for _, module, _ in steps]
    else:
        quantize, linears = _quantized_layers(converted)
        modules = [module for _, module in linears]
    # The output grid: the last requantizing layer's (a maxpool keeps its input's).
    last = next(m for m in reversed(modules) if not isinstance(m, nn.MaxPool2d))
    _, in_zp = _act_type(quantize.zero_point, quantize.dtype, "QuantStub")
    q = torch.quantize_per_tensor(x if x.dim() == 4 else x.reshape(x.shape[0], -1), float(quantize.scale),
                                  int(quantize.zero_point), quantize.dtype)
    x_int = _hwc_flat(q.int_repr().to(torch.int64) - in_zp)
    signed = in_zp == SIGNED_ZERO_POINT
    lo, hi = (-(2 ** (act_bits - 1)), 2 ** (act_bits - 1) - 1) if signed else (0, 2**act_bits - 1)
    x_int = x_int.clamp(lo, hi)
    with torch.no_grad():
        y = converted(x)
    scale, zero_point = float(last.scale), int(last.zero_point)
    if y.is_quantized:
        y_int = y.int_repr().to(torch.int64) - zero_point
    else:  # DeQuantStub: real values on the output grid, exact in float
        y_int = torch.round(y.to(torch.float64) / scale).to(torch.int64)
    return x_int, _hwc_flat(y_int)


def _hwc_flat(t):
    """[N, C, H, W] -> [N, H*W*C] (the integer model's HWC order); [N, ...] -> [N, -1]."""
    if t.dim() == 4:
        t = t.permute(0, 2, 3, 1)
    return t.reshape(t.shape[0], -1)
