"""torch.ao drop-in: a power-of-two QAT QConfig for eager-mode prepare_qat/convert,
and to_skm() to export a converted QuantStub -> Linear/LinearReLU ... -> DeQuantStub
model to the golden model.

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
    if quantize is None or not linears:
        raise ModelError("not a converted QuantStub -> Linear ... -> DeQuantStub model")
    return quantize, linears


def to_int_model(converted, weight_bits=8, act_bits=8, rounding="half_even", raw_head=False):
    """The IntModel of a converted eager torch.ao model. rounding is the hardware's
    rounding mode (half_even is the one torch's engines approximate); raw_head makes
    the last Linear emit its int32 accumulators (§7) instead of requantizing."""
    check_rounding(rounding)
    check_bits(weight_bits, "weight_bits")
    check_bits(act_bits, "act_bits")
    quantize, linears = _quantized_layers(converted)
    in_signed, _ = _act_type(quantize.zero_point, quantize.dtype, "QuantStub")
    e_in = _exponent(quantize.scale, "QuantStub")
    model = IntModel(in_bits=act_bits, in_signed=in_signed, in_exp=e_in)
    for i, (name, linear) in enumerate(linears):
        w = linear.weight()
        if w.qscheme() in (torch.per_channel_affine, torch.per_channel_symmetric):
            if w.q_per_channel_axis() != 0 or (w.q_per_channel_zero_points() != 0).any():
                raise ModelError(f"{name}: per-channel weights need axis 0 and zero points 0")
            scales, per_channel = w.q_per_channel_scales().tolist(), True
        else:
            if w.q_zero_point() != 0:
                raise ModelError(f"{name}: weight zero point {w.q_zero_point()} must be 0")
            scales, per_channel = [w.q_scale()], False
        w_exp = torch.tensor([_exponent(s, f"{name} weight channel {c}") for c, s in enumerate(scales)])
        raw = raw_head and i == len(linears) - 1
        out_signed, _ = _act_type(linear.zero_point, torch.quint8, f"{name} output")
        e_out = _exponent(linear.scale, f"{name} output")
        bias = linear.bias()
        bias = torch.zeros(w.shape[0]) if bias is None else bias.detach()
        bias_exp = (e_in + w_exp.expand(w.shape[0])).to(torch.float64)
        bias_int = torch.round(bias.to(torch.float64) * torch.pow(2.0, -bias_exp))
        if bias_int.min() < INT32_MIN or bias_int.max() > INT32_MAX:
            raise ModelError(f"{name}: bias does not fit int32 at exponent e_in + e_w")
        relu = type(linear).__name__ == "LinearReLU"
        if raw and relu:
            raise ModelError(f"{name}: a raw-accumulator head cannot have a fused ReLU")
        model.layers.append(IntLayer(
            weights=w.int_repr().to(torch.int64), bias=bias_int.to(torch.int64), w_exp=w_exp, w_bits=weight_bits,
            out_bits=act_bits, out_signed=out_signed, out_exp=e_out, rounding=rounding, relu=relu,
            raw_output=raw, per_channel=per_channel))
        e_in = e_out
    model.validate("converted model")
    return model


def to_skm(converted, path, weight_bits=8, act_bits=8, rounding="half_even", raw_head=False):
    """Export a converted eager torch.ao model to a .skm file; returns its IntModel."""
    model = to_int_model(converted, weight_bits, act_bits, rounding, raw_head)
    skm.save(model, path)
    return model


def torch_integer_io(converted, x, act_bits=8):
    """(integer inputs, integer outputs) of torch's own quantized engine on float
    inputs x: the QuantStub's integers (clamped to the act_bits input type) and the
    last Linear's output integers (zero point removed)."""
    quantize, linears = _quantized_layers(converted)
    _, in_zp = _act_type(quantize.zero_point, quantize.dtype, "QuantStub")
    q = torch.quantize_per_tensor(x.reshape(x.shape[0], -1), float(quantize.scale), int(quantize.zero_point),
                                  quantize.dtype)
    x_int = q.int_repr().to(torch.int64) - in_zp
    signed = in_zp == SIGNED_ZERO_POINT
    lo, hi = (-(2 ** (act_bits - 1)), 2 ** (act_bits - 1) - 1) if signed else (0, 2**act_bits - 1)
    x_int = x_int.clamp(lo, hi)
    last = linears[-1][1]
    with torch.no_grad():
        y = converted(x)
    if y.is_quantized:
        y_int = y.int_repr().to(torch.int64) - int(last.zero_point)
    else:  # DeQuantStub: real values on the output grid, exact in float
        y_int = torch.round(y.to(torch.float64) / float(last.scale)).to(torch.int64)
    return x_int, y_int.reshape(y_int.shape[0], -1)
