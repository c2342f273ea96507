"""Hardware-exact modules: input quantizer, Linear / Conv2d (each with fused ReLU or a
raw head), MaxPool2d, AvgPool2d over power-of-two windows, residual Add, Flatten, and
the network container ShiftNet that threads exponents from layer to layer.

Eval mode computes docs/datapath.md exactly: each layer builds its integer form
(IntLayer: int weights, int32 bias at e_in + e_w clamped to the §3 bound, shifts in
-16..31) and runs the integer forward of shiftkit.intmodel, so the output equals the C
golden model's bit for bit. Training mode runs the same computation in float with
straight-through estimators (fake quantization with the layer's rounding mode).

Spatial tensors are NCHW inside the modules (torch's convention, fast convolutions);
the integer model and the exported files are HWC per sample. integer_model() does the
conversions: conv weights to [Cout][KH][KW][Cin/g], and the columns of a dense layer
after Flatten from torch's CHW flatten order to HWC.
"""

import math

import torch
from torch import nn

from .arith import INT32_MAX, INT32_MIN, SHIFT_MAX, SHIFT_MIN, act_range, check_rounding
from .intmodel import INPUT, IntLayer, IntModel, bias_limits
from .quantizers import PotQuantizer, round_mode_ste, round_ste

INT32_TYPE = (32, True)  # output type marker of a raw-accumulator layer (§7)


def dense_float(x, weight, bias):
    """x @ weight.T + bias in float, as a 1x1 convolution: Debian's torch links the
    reference (netlib) BLAS, on which nn.functional.linear is about 5x slower than
    oneDNN's convolution for training-size batches. Used only in training."""
    return nn.functional.conv2d(x[:, :, None, None], weight[:, :, None, None], bias)[:, :, 0, 0]


class FastLinear(nn.Linear):
    """nn.Linear whose forward is dense_float (same parameters, same result up to
    float rounding); for float pre-training on this BLAS."""

    def forward(self, x):
        return dense_float(x.reshape(x.shape[0], -1), self.weight, self.bias)


def _pow2(exp):
    return torch.pow(2.0, exp.to(torch.float32))


def _pair(value, what):
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, int) and v >= 1 for v in pair):
        raise ValueError(f"{what} must be a positive int or a pair of them, got {value!r}")
    return pair


def conv_padding(padding):
    """(top, left, bottom, right) from an int, a (vertical, horizontal) pair as torch's
    Conv2d takes it, or a 4-tuple."""
    if isinstance(padding, int):
        pads = (padding,) * 4
    elif len(padding) == 2:
        pads = (padding[0], padding[1], padding[0], padding[1])
    else:
        pads = tuple(padding)
    if len(pads) != 4 or not all(isinstance(p, int) and p >= 0 for p in pads):
        raise ValueError(f"padding must be an int >= 0, a pair or (top, left, bottom, right), got {padding!r}")
    return pads


def _to_hwc_int(x, e):
    """Real NCHW (or [batch, k]) values on the grid 2^e -> integers, HWC flat int64."""
    x_int = torch.round(x.to(torch.float64) * 2.0 ** -e).to(torch.int64)
    if x_int.dim() == 4:
        x_int = x_int.permute(0, 2, 3, 1)
    return x_int.reshape(x_int.shape[0], -1)


def _from_hwc(y, shape_chw, scale):
    """HWC flat integers -> real values NCHW (or [batch, n]) times scale."""
    y = y.to(torch.float32) * scale
    if len(shape_chw) == 3:
        c, h, w = shape_chw
        return y.reshape(y.shape[0], h, w, c).permute(0, 3, 1, 2).contiguous()
    return y


def _hwc(shape_chw):
    c, h, w = shape_chw
    return (h, w, c)


def fake_requant(y, e_out, mode, bits, signed, relu):
    """Training forward of a requantize: round y / 2^e_out with the layer's mode, clamp
    to the output type (ReLU raises the bound), straight-through gradients."""
    lo, hi = act_range(bits, signed)
    if relu:
        lo = max(lo, 0)
    scale = _pow2(e_out)
    return torch.clamp(round_mode_ste(y / scale, mode), lo, hi) * scale


class QuantInput(nn.Module):
    """Quantizes the float network input to its declared type (datapath §1, §8):
    q = clamp(round_half_even(x / 2^e_in)). The host does this before inference."""

    def __init__(self, bits=8, signed=False, mode="stats", fixed_exp=None):
        super().__init__()
        self.bits, self.signed = bits, signed
        self.quantizer = PotQuantizer(bits, signed, mode=mode, fixed_exp=fixed_exp)

    def exponent(self):
        return int(self.quantizer.exponent())

    def to_int(self, x):
        """The integer inputs the hardware receives, int64, x's shape."""
        return self.quantizer.to_int(x, self.quantizer.exponent())

    def forward(self, x):
        """Returns (quantized x as real values, exponent)."""
        if self.training:
            if self.quantizer.mode != "fixed":
                self.quantizer.observe(x)
            e = self.quantizer.exponent_float()
            return self.quantizer.fake_quant(x, e), e
        e = self.quantizer.exponent()
        return self.to_int(x).to(torch.float32) * _pow2(e), e


class _QuantWeighted(nn.Module):
    """What Linear and Conv2d share: power-of-two weights per tensor or per output
    channel, int32 bias at e_in + e_w, shift and requantize (datapath §2-§7).

    relu: fused ReLU (§6); its output defaults to unsigned. raw_output: emit the int32
    accumulators (§7, last layer only). rounding: floor, half_up, half_away, half_even.
    per_channel: one weight exponent per output channel. mode: exponent source of the
    weight and output quantizers ("stats" or "learned", see shiftkit.quantizers).
    """

    def _init_quant(self, weight, bias, channels, w_bits, per_channel, out_bits, out_signed, relu, rounding,
                    raw_output, mode):
        check_rounding(rounding)
        if raw_output and relu:
            raise ValueError("a raw-accumulator layer has no ReLU (datapath §7)")
        self.channels = channels
        self.w_bits, self.per_channel, self.rounding = w_bits, per_channel, rounding
        self.relu, self.raw_output = relu, raw_output
        self.out_bits = out_bits
        self.out_signed = (not relu) if out_signed is None else out_signed
        self.weight, self.bias = weight, bias
        self.weight_quant = PotQuantizer(w_bits, signed=True, narrow=True, channels=channels if per_channel else 1,
                                         mode=mode, running=False)
        self.out_quant = None if raw_output else PotQuantizer(out_bits, self.out_signed, mode=mode)

    @property
    def out_type(self):
        return INT32_TYPE if self.raw_output else (self.out_bits, self.out_signed)

    def output_type(self, in_type):
        return self.out_type

    def exponents(self, e_in):
        """(e_w [channels], e_out) as float tensors, with every shift
        e_out - e_in - e_w inside -16..31 (datapath §4): weight exponents that would
        leave the range are moved to its edge (clipping huge or flushing tiny weights)."""
        e_w = self.weight_quant.exponent_float()
        if self.raw_output:
            e_out = (e_in + e_w.max()).detach()  # informational (§7); keeps shifts >= 0
        else:
            e_out = self.out_quant.exponent_float()
        lowest, highest = e_out - e_in - SHIFT_MAX, e_out - e_in - SHIFT_MIN
        return torch.maximum(torch.minimum(e_w, highest), lowest), e_out

    def _observe_output(self, y):
        self.out_quant.observe(torch.relu(y) if self.relu else y)

    def forward(self, x, e_in, in_type):
        """Returns (output as real values, its exponent)."""
        if not self.training:
            return self._forward_integer(x, e_in, in_type)
        self.weight_quant.observe(self.weight)
        if not self.raw_output and torch.isnan(self.out_quant.observed_max).any():
            with torch.no_grad():  # first batch: seed the output statistics
                e_w = self.weight_quant.exponent_float()
                self._observe_output(self._fake_forward(x, e_in, e_w))
        e_w, e_out = self.exponents(e_in)
        y = self._fake_forward(x, e_in, e_w)
        if self.raw_output:
            return y, e_out
        self._observe_output(y)
        y = self.out_quant.fake_quant(y, e_out, self.rounding)
        return (torch.relu(y) if self.relu else y), e_out

    def _fake_forward(self, x, e_in, e_w):
        w = self.weight_quant.fake_quant(self.weight, e_w)
        bias_scale = _pow2(e_in + e_w).reshape(-1)
        b = round_ste(self.bias / bias_scale) * bias_scale
        return self._float_op(x, w, b)

    def _int_weights_and_bias(self, e_in, in_type):
        """(int weights in torch's layout, int32 bias, e_w int64, e_out int)."""
        e_in_t = torch.tensor(float(e_in))
        with torch.no_grad():
            e_w, e_out = self.exponents(e_in_t)
            e_w, e_out = e_w.round().to(torch.int64), int(e_out.round())
            weights = self.weight_quant.to_int(self.weight, e_w)
            # Bias at exponent e_in + e_w, rounded, then clamped so the §3 worst-case
            # accumulator bound holds: the exported model is always loadable.
            bias_exp = (e_in + e_w).expand(self.channels).to(torch.float64)
            bias = torch.round(self.bias.to(torch.float64) * torch.pow(2.0, -bias_exp))
            lo, hi = bias_limits(weights, *in_type)
            bias = bias.clamp(INT32_MIN, INT32_MAX).to(torch.int64)
            bias = torch.minimum(torch.maximum(bias, lo.clamp(min=INT32_MIN)), hi.clamp(max=INT32_MAX))
        return weights, bias, e_w, e_out

    def _int_fields(self, bias, e_w, e_out):
        out_bits, out_signed = (8, True) if self.raw_output else (self.out_bits, self.out_signed)
        return dict(bias=bias, w_exp=e_w, w_bits=self.w_bits, out_bits=out_bits, out_signed=out_signed,
                    out_exp=e_out, rounding=self.rounding, relu=self.relu, raw_output=self.raw_output,
                    per_channel=self.per_channel)

    def _forward_integer(self, x, e_in, in_type):
        e_in = int(e_in)
        shape = tuple(x.shape[1:])
        layer = self.int_layer(e_in, in_type, shape if len(shape) == 3 else None)
        acc, y = layer.forward(_to_hwc_int(x, e_in), e_in)
        out_shape = (layer.n, *layer.out_shape[:2]) if layer.spatial else (layer.n,)
        if self.raw_output:
            scale = _pow2(e_in + layer.w_exp.expand(layer.n)).repeat(acc.shape[1] // layer.n)
            return _from_hwc(acc, out_shape, scale), layer.out_exp
        return _from_hwc(y, out_shape, 2.0**layer.out_exp), layer.out_exp


class QuantLinear(_QuantWeighted):
    """Dense layer with power-of-two weights, int32 bias and a shift (datapath §2).
    A spatial input is flattened in torch's CHW order (as nn.Flatten does); the
    integer model takes HWC, so int_layer permutes the columns."""

    def __init__(self, in_features, out_features, w_bits=8, per_channel=False, out_bits=8, out_signed=None,
                 relu=False, rounding="half_up", raw_output=False, mode="stats"):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        linear = nn.Linear(in_features, out_features)
        self._init_quant(linear.weight, linear.bias, out_features, w_bits, per_channel, out_bits, out_signed, relu,
                         rounding, raw_output, mode)

    def _float_op(self, x, w, b):
        return dense_float(x.reshape(x.shape[0], -1), w, b)

    def int_layer(self, e_in, in_type, in_shape=None):
        """The layer's integer form for an input at integer exponent e_in of type
        in_type = (bits, signed) (datapath §1-§4, §7). in_shape (C, H, W): the input
        is a flattened feature map, whose CHW columns are reordered to HWC."""
        weights, bias, e_w, e_out = self._int_weights_and_bias(e_in, in_type)
        if in_shape is not None and len(in_shape) == 3:
            weights = weights.reshape(self.out_features, *in_shape).permute(0, 2, 3, 1).reshape(self.out_features, -1)
        return IntLayer(weights=weights, **self._int_fields(bias, e_w, e_out))

    def _forward_integer(self, x, e_in, in_type):
        # The CHW-flattened input times the CHW-ordered weights: the same exact sums.
        return super()._forward_integer(x.reshape(x.shape[0], -1), e_in, in_type)


class QuantConv2d(_QuantWeighted):
    """2-D convolution (datapath conv2d): stride, zero padding (an int, a (vertical,
    horizontal) pair or (top, left, bottom, right)), dilation 1, groups 1 or depthwise
    (groups = in_channels = out_channels). Same quantization, fused ReLU and raw head
    as QuantLinear, with K = kh*kw*in_channels/groups per output channel."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, groups=1, w_bits=8,
                 per_channel=False, out_bits=8, out_signed=None, relu=False, rounding="half_up", raw_output=False,
                 mode="stats"):
        super().__init__()
        if groups not in (1, in_channels) or (groups == in_channels > 1 and out_channels != in_channels):
            raise ValueError(f"groups must be 1 or depthwise (groups = in_channels = out_channels), got "
                             f"groups={groups}, {in_channels} -> {out_channels} channels")
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size, self.stride = _pair(kernel_size, "kernel_size"), _pair(stride, "stride")
        self.padding = conv_padding(padding)
        if max(self.padding[0], self.padding[2]) >= self.kernel_size[0] or \
                max(self.padding[1], self.padding[3]) >= self.kernel_size[1]:
            raise ValueError(f"padding {self.padding} must be smaller than the kernel {self.kernel_size}")
        conv = nn.Conv2d(in_channels, out_channels, self.kernel_size, groups=groups)
        self._init_quant(conv.weight, conv.bias, out_channels, w_bits, per_channel, out_bits, out_signed, relu,
                         rounding, raw_output, mode)

    def _float_op(self, x, w, b):
        pt, pl, pb, pr = self.padding
        return nn.functional.conv2d(nn.functional.pad(x, (pl, pr, pt, pb)), w, b, stride=self.stride,
                                    groups=self.groups)

    def int_layer(self, e_in, in_type, in_shape):
        """The integer conv2d for an input of shape (C, H, W) at exponent e_in of type
        in_type; weights transposed to the .skm order [Cout][KH][KW][Cin/g]."""
        weights, bias, e_w, e_out = self._int_weights_and_bias(e_in, in_type)
        return IntLayer(weights=weights.permute(0, 2, 3, 1).contiguous(), kind="conv2d", in_shape=_hwc(in_shape),
                        kernel=self.kernel_size, stride=self.stride, padding=self.padding, groups=self.groups,
                        **self._int_fields(bias, e_w, e_out))


class _QuantWindow(nn.Module):
    """Pooling over kernel_size windows with stride (default: the window), no padding."""

    kind = None

    def __init__(self, kernel_size, stride=None, relu=False):
        super().__init__()
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = self.kernel_size if stride is None else _pair(stride, "stride")
        self.relu = relu

    def output_type(self, in_type):
        return in_type

    def forward(self, x, e_in, in_type):
        e_int = int(torch.as_tensor(e_in).round())
        if not self.training:
            layer = self.int_layer(e_int, in_type, tuple(x.shape[1:]))
            _, y = layer.forward(_to_hwc_int(x, e_int), e_int)
            return _from_hwc(y, (layer.n, *layer.out_shape[:2]), 2.0**e_int), e_in
        return self._float_forward(x, e_in, in_type), e_in

    def int_layer(self, e_in, in_type, in_shape):
        bits, signed = in_type
        return IntLayer(kind=self.kind, in_shape=_hwc(in_shape), kernel=self.kernel_size, stride=self.stride,
                        w_bits=0, out_bits=bits, out_signed=signed, out_exp=int(e_in), relu=self.relu,
                        rounding=self.rounding)


class QuantMaxPool2d(_QuantWindow):
    """Max pooling (datapath maxpool): the exact maximum of the integers; the output
    type and exponent are the input's; optional fused ReLU."""

    kind = "maxpool"
    rounding = "floor"  # a maxpool does not round; the file declares floor (datapath §12)

    def _float_forward(self, x, e_in, in_type):
        # The maximum of values on the grid 2^e_in is on it: no rounding.
        y = nn.functional.max_pool2d(x, self.kernel_size, self.stride)
        return torch.relu(y) if self.relu else y


class QuantAvgPool2d(_QuantWindow):
    """Average pooling over a window of 2^p elements (datapath avgpool): the exact
    window sum, then a rounding shift by p with the layer's rounding mode, clamp and
    optional ReLU. The output keeps the input's type and exponent (the mean of values
    in a range stays in it), so the shift is exactly p."""

    kind = "avgpool"

    def __init__(self, kernel_size, stride=None, rounding="half_up", relu=False):
        super().__init__(kernel_size, stride, relu)
        check_rounding(rounding)
        area = self.kernel_size[0] * self.kernel_size[1]
        if area & (area - 1):
            raise ValueError(f"average pooling needs a power-of-two window, got {self.kernel_size}")
        self.rounding = rounding

    def _float_forward(self, x, e_in, in_type):
        y = nn.functional.avg_pool2d(x, self.kernel_size, self.stride)
        return fake_requant(y, e_in, self.rounding, *in_type, self.relu)


class QuantAdd(nn.Module):
    """Residual add (datapath add): the previous layer's output a plus the output of
    ShiftNet layer `src` (INPUT = -1: the network input), both at their own exponents,
    aligned to the smaller one by exact left shifts, summed, then requantized to
    (out_bits, out_signed) at a learned or statistics exponent with the layer's
    rounding, clamp and optional ReLU (unsigned output by default then)."""

    def __init__(self, src, out_bits=8, out_signed=None, relu=False, rounding="half_up", mode="stats"):
        super().__init__()
        check_rounding(rounding)
        self.src, self.relu, self.rounding, self.out_bits = src, relu, rounding, out_bits
        self.out_signed = (not relu) if out_signed is None else out_signed
        self.out_quant = PotQuantizer(out_bits, self.out_signed, mode=mode)

    @property
    def out_type(self):
        return self.out_bits, self.out_signed

    def output_type(self, in_type):
        return self.out_type

    def out_exponent(self, e_a, e_b):
        """e_out as a float tensor, kept so that the shift e_out - min(e_a, e_b) is in
        -16..31 (datapath §4)."""
        e_c = torch.minimum(torch.as_tensor(e_a, dtype=torch.float32), torch.as_tensor(e_b, dtype=torch.float32))
        e_out = self.out_quant.exponent_float().reshape(())
        return torch.minimum(torch.maximum(e_out, e_c.detach() + SHIFT_MIN), e_c.detach() + SHIFT_MAX)

    def forward(self, x, e_in, in_type, operand):
        b, e_b, b_type = operand
        if x.shape != b.shape:
            raise ValueError(f"residual add of shapes {tuple(x.shape)} and {tuple(b.shape)}")
        if not self.training:
            e_in, e_b = int(e_in), int(e_b)
            shape = tuple(x.shape[1:])
            layer = self.int_layer(e_in, in_type, shape, e_b)
            _, y = layer.forward(_to_hwc_int(x, e_in), e_in, (_to_hwc_int(b, e_b), e_b))
            return _from_hwc(y, shape, 2.0**layer.out_exp), layer.out_exp
        y = x + b  # both on their grids: exact in float for nearby exponents
        self.out_quant.observe(torch.relu(y) if self.relu else y)
        e_out = self.out_exponent(e_in, e_b)
        return fake_requant(y, e_out, self.rounding, self.out_bits, self.out_signed, self.relu), e_out

    def int_layer(self, e_in, in_type, in_shape, e_src, src=INPUT):
        with torch.no_grad():
            e_out = int(self.out_exponent(e_in, e_src).round())
        shape = _hwc(in_shape) if len(in_shape) == 3 else (1, 1, in_shape[0])
        return IntLayer(kind="add", in_shape=shape, src=src, w_bits=0, out_bits=self.out_bits, out_signed=self.out_signed,
                        out_exp=e_out, rounding=self.rounding, relu=self.relu)


class QuantFlatten(nn.Module):
    """Flatten a feature map in torch's CHW order. In the integer model flatten is the
    identity on the HWC order: the next dense layer's columns are permuted instead."""

    def output_type(self, in_type):
        return in_type

    def forward(self, x, e_in, in_type):
        return x.reshape(x.shape[0], -1), e_in


class ShiftNet(nn.Module):
    """A chain QuantInput -> layers (datapath §8); QuantAdd layers also read an earlier
    layer's output. input_shape: (C, H, W) of a convolutional network's input (torch
    order; inputs [batch, C, H, W] or flattened), None for a dense network (inputs are
    flattened to [batch, k]). forward returns real values; integer_model() gives the
    network that export() writes and the golden model runs."""

    def __init__(self, input_quant, layers, input_shape=None):
        super().__init__()
        self.input_quant = input_quant
        self.layers = nn.ModuleList(layers)
        self.input_shape = tuple(input_shape) if input_shape is not None else None
        if self.input_shape is not None and len(self.input_shape) != 3:
            raise ValueError(f"input_shape must be (C, H, W), got {input_shape!r}")
        for i, layer in enumerate(self.layers):
            if getattr(layer, "raw_output", False) and i != len(self.layers) - 1:
                raise ValueError(f"layer {i}: only the last layer may be a raw-accumulator head (datapath §7)")
            if isinstance(layer, QuantAdd) and not (INPUT <= layer.src < i):
                raise ValueError(f"layer {i}: add src={layer.src} must be an earlier layer or {INPUT} (the input)")
            if isinstance(layer, (QuantConv2d, _QuantWindow)) and self.input_shape is None:
                raise ValueError("a network with spatial layers needs input_shape=(C, H, W)")

    def _shape_input(self, x):
        if self.input_shape is None:
            x = x.reshape(x.shape[0], -1)
            if x.shape[1] != self.layers[0].in_features:
                raise ValueError(f"input has {x.shape[1]} features per sample, the first layer takes "
                                 f"{self.layers[0].in_features}")
            return x
        if math.prod(x.shape[1:]) != math.prod(self.input_shape):
            raise ValueError(f"input has shape {tuple(x.shape[1:])} per sample, the network takes "
                             f"{self.input_shape} (C, H, W)")
        return x.reshape(x.shape[0], *self.input_shape)

    def forward(self, x):
        x, e = self.input_quant(self._shape_input(x))
        in_type = (self.input_quant.bits, self.input_quant.signed)
        values = {INPUT: (x, e, in_type)}
        for i, layer in enumerate(self.layers):
            if isinstance(layer, QuantAdd):
                x, e = layer(x, e, in_type, values[layer.src])
            else:
                x, e = layer(x, e, in_type)
            in_type = layer.output_type(in_type)
            values[i] = (x, e, in_type)
        return x

    @torch.no_grad()
    def calibrate(self, batches):
        """Seed the statistics with training-mode passes (no weight update)."""
        was_training = self.training
        self.train()
        for x in batches:
            self(x)
        self.train(was_training)

    def integer_model(self):
        """The IntModel this network computes in eval mode."""
        e = self.input_quant.exponent()
        in_type = (self.input_quant.bits, self.input_quant.signed)
        model = IntModel(in_bits=in_type[0], in_signed=in_type[1], in_exp=e)
        shape = self.input_shape or (self.layers[0].in_features,)  # torch order (C, H, W) or (k,)
        index = {INPUT: INPUT}  # ShiftNet layer -> IntModel layer whose output it is
        values = {INPUT: (e, in_type, shape)}
        for i, layer in enumerate(self.layers):
            if isinstance(layer, QuantFlatten):  # identity on the HWC order
                index[i], values[i] = index[i - 1 if i else INPUT], values[i - 1 if i else INPUT]
                continue
            if isinstance(layer, QuantAdd):
                e_src = values[layer.src][0]
                int_layer = layer.int_layer(e, in_type, shape, e_src, index[layer.src])
            else:
                int_layer = layer.int_layer(e, in_type, shape)
            model.layers.append(int_layer)
            index[i] = len(model.layers) - 1
            e, in_type = int_layer.out_exp, layer.output_type(in_type)
            shape = (int_layer.n, *int_layer.out_shape[:2]) if int_layer.spatial else (int_layer.n,)
            values[i] = (e, in_type, shape)
        return model

    def input_to_int(self, x):
        """The integers the hardware receives, [batch, features] in HWC order for a
        convolutional network."""
        return _to_hwc_int(self.input_quant.to_int(self._shape_input(x)).to(torch.float64), 0)

    @classmethod
    def from_float(cls, model, input_quant, w_bits=8, act_bits=8, per_channel=False, rounding="half_up",
                   raw_head=True, mode="stats", input_shape=None):
        """Build a ShiftNet from a float nn.Sequential of Linear, Conv2d (zero padding,
        dilation 1, groups 1 or depthwise), ReLU (fused into the Linear or Conv2d before
        it), MaxPool2d, AvgPool2d (power-of-two windows), Flatten and Dropout (ignored)
        modules, copying the weights. The last Linear or Conv2d becomes a
        raw-accumulator head (per-tensor exponent) when raw_head is true and it has no
        ReLU. input_shape (C, H, W) is needed for a convolutional model."""
        specs = []
        for module in model:
            if isinstance(module, (nn.Linear, nn.Conv2d)):
                if isinstance(module, nn.Conv2d) and (module.dilation != (1, 1) or module.padding_mode != "zeros"
                                                      or isinstance(module.padding, str)):
                    raise ValueError("Conv2d needs dilation 1 and numeric zero padding")
                specs.append([module, False])
            elif isinstance(module, nn.ReLU):
                if not specs or not isinstance(specs[-1][0], (nn.Linear, nn.Conv2d)) or specs[-1][1]:
                    raise ValueError("ReLU must follow a Linear or Conv2d to be fused")
                specs[-1][1] = True
            elif isinstance(module, (nn.MaxPool2d, nn.AvgPool2d)):
                if isinstance(module, nn.MaxPool2d) and (module.padding or module.dilation != 1 or module.ceil_mode):
                    raise ValueError("MaxPool2d needs padding 0, dilation 1, floor mode")
                if isinstance(module, nn.AvgPool2d) and (module.padding or module.ceil_mode):
                    raise ValueError("AvgPool2d needs padding 0, floor mode")
                specs.append([module, False])
            elif isinstance(module, nn.Flatten):
                specs.append([module, False])
            elif not isinstance(module, nn.Dropout):
                raise ValueError(f"unsupported module {type(module).__name__}: ShiftNet.from_float takes Linear, "
                                 f"Conv2d, ReLU, MaxPool2d, AvgPool2d, Flatten and Dropout")
        weighted = [i for i, (m, _) in enumerate(specs) if isinstance(m, (nn.Linear, nn.Conv2d))]
        if not weighted:
            raise ValueError("no Linear or Conv2d layer in the model")
        layers = []
        for i, (module, relu) in enumerate(specs):
            if isinstance(module, nn.Flatten):
                if input_shape is not None:
                    layers.append(QuantFlatten())
                continue
            if isinstance(module, nn.MaxPool2d):
                layers.append(QuantMaxPool2d(module.kernel_size, module.stride))
                continue
            if isinstance(module, nn.AvgPool2d):
                layers.append(QuantAvgPool2d(module.kernel_size, module.stride, rounding=rounding))
                continue
            raw = raw_head and i == weighted[-1] and i == len(specs) - 1 and not relu
            # A raw head keeps one weight exponent, so all its accumulators share one
            # exponent and a host's argmax over the integers is the prediction.
            common = dict(w_bits=w_bits, per_channel=per_channel and not raw, out_bits=act_bits, relu=relu,
                          rounding=rounding, raw_output=raw, mode=mode)
            if isinstance(module, nn.Linear):
                layer = QuantLinear(module.in_features, module.out_features, **common)
            else:
                layer = QuantConv2d(module.in_channels, module.out_channels, module.kernel_size, module.stride,
                                    module.padding, module.groups, **common)
            with torch.no_grad():
                layer.weight.copy_(module.weight)
                layer.bias.copy_(module.bias if module.bias is not None else torch.zeros_like(layer.bias))
            layers.append(layer)
        return cls(input_quant, layers, input_shape)
