"""Hardware-exact modules: input quantizer, Linear / fused Linear+ReLU, raw head, and
the network container ShiftNet that threads exponents from layer to layer.

Eval mode computes docs/datapath.md exactly: each layer builds its integer form
(IntLayer: int weights, int32 bias at e_in + e_w clamped to the §3 bound, shifts in
-16..31) and runs the integer forward of shiftkit.intmodel, so the output equals the C
golden model's bit for bit. Training mode runs the same computation in float with
straight-through estimators (fake quantization with the layer's rounding mode).
"""

import torch
from torch import nn

from .arith import INT32_MAX, INT32_MIN, SHIFT_MAX, SHIFT_MIN, check_rounding
from .intmodel import IntLayer, IntModel, bias_limits
from .quantizers import PotQuantizer, round_ste

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
        return dense_float(x, self.weight, self.bias)


def _pow2(exp):
    return torch.pow(2.0, exp.to(torch.float32))


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
        """The integer input vector the hardware receives, int64 [batch, k]."""
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


class QuantLinear(nn.Module):
    """Dense layer with power-of-two weights, int32 bias and a shift (datapath §2).

    relu: fused ReLU (§6); its output defaults to unsigned. raw_output: emit the int32
    accumulators (§7, last layer only). rounding: floor, half_up, half_away, half_even.
    per_channel: one weight exponent per output channel. mode: exponent source of the
    weight and output quantizers ("stats" or "learned", see shiftkit.quantizers).
    """

    def __init__(self, in_features, out_features, w_bits=8, per_channel=False, out_bits=8, out_signed=None,
                 relu=False, rounding="half_up", raw_output=False, mode="stats"):
        super().__init__()
        check_rounding(rounding)
        if raw_output and relu:
            raise ValueError("a raw-accumulator layer has no ReLU (datapath §7)")
        self.in_features, self.out_features = in_features, out_features
        self.w_bits, self.per_channel, self.rounding = w_bits, per_channel, rounding
        self.relu, self.raw_output = relu, raw_output
        self.out_bits = out_bits
        self.out_signed = (not relu) if out_signed is None else out_signed
        linear = nn.Linear(in_features, out_features)
        self.weight, self.bias = linear.weight, linear.bias
        self.weight_quant = PotQuantizer(w_bits, signed=True, narrow=True, channels=out_features if per_channel else 1,
                                         mode=mode, running=False)
        self.out_quant = None if raw_output else PotQuantizer(out_bits, self.out_signed, mode=mode)

    @property
    def out_type(self):
        return INT32_TYPE if self.raw_output else (self.out_bits, self.out_signed)

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
                self._observe_output(self._fake_linear(x, e_in, e_w))
        e_w, e_out = self.exponents(e_in)
        y = self._fake_linear(x, e_in, e_w)
        if self.raw_output:
            return y, e_out
        self._observe_output(y)
        y = self.out_quant.fake_quant(y, e_out, self.rounding)
        return (torch.relu(y) if self.relu else y), e_out

    def _fake_linear(self, x, e_in, e_w):
        w = self.weight_quant.fake_quant(self.weight, e_w)
        bias_scale = _pow2(e_in + e_w).reshape(-1)
        b = round_ste(self.bias / bias_scale) * bias_scale
        return dense_float(x, w, b)

    def int_layer(self, e_in, in_type):
        """The layer's integer form for an input at integer exponent e_in of type
        in_type = (bits, signed) (datapath §1-§4, §7)."""
        e_in_t = torch.tensor(float(e_in))
        with torch.no_grad():
            e_w, e_out = self.exponents(e_in_t)
            e_w, e_out = e_w.round().to(torch.int64), int(e_out.round())
            weights = self.weight_quant.to_int(self.weight, e_w)
            # Bias at exponent e_in + e_w, rounded, then clamped so the §3 worst-case
            # accumulator bound holds: the exported model is always loadable.
            bias_exp = (e_in + e_w).expand(self.out_features).to(torch.float64)
            bias = torch.round(self.bias.to(torch.float64) * torch.pow(2.0, -bias_exp))
            lo, hi = bias_limits(weights, *in_type)
            bias = bias.clamp(INT32_MIN, INT32_MAX).to(torch.int64)
            bias = torch.minimum(torch.maximum(bias, lo.clamp(min=INT32_MIN)), hi.clamp(max=INT32_MAX))
        out_bits, out_signed = (8, True) if self.raw_output else (self.out_bits, self.out_signed)
        return IntLayer(weights=weights, bias=bias, w_exp=e_w, w_bits=self.w_bits, out_bits=out_bits,
                        out_signed=out_signed, out_exp=e_out, rounding=self.rounding, relu=self.relu,
                        raw_output=self.raw_output, per_channel=self.per_channel)

    def _forward_integer(self, x, e_in, in_type):
        e_in = int(e_in)
        layer = self.int_layer(e_in, in_type)
        x_int = torch.round(x.to(torch.float64) * 2.0 ** -e_in).to(torch.int64)
        acc, y = layer.forward(x_int, e_in)
        if self.raw_output:
            return acc.to(torch.float32) * _pow2(e_in + layer.w_exp), layer.out_exp
        return y.to(torch.float32) * 2.0 ** layer.out_exp, layer.out_exp


class ShiftNet(nn.Module):
    """A chain QuantInput -> QuantLinear ... (datapath §8). Input [batch, ...] is
    flattened to [batch, k]. forward returns real values; integer_model() gives the
    network that export() writes and the golden model runs."""

    def __init__(self, input_quant, layers):
        super().__init__()
        self.input_quant = input_quant
        self.layers = nn.ModuleList(layers)
        for i, layer in enumerate(self.layers):
            if layer.raw_output and i != len(self.layers) - 1:
                raise ValueError(f"layer {i}: only the last layer may be a raw-accumulator head (datapath §7)")

    def forward(self, x):
        x = x.reshape(x.shape[0], -1)
        if x.shape[1] != self.layers[0].in_features:
            raise ValueError(f"input has {x.shape[1]} features per sample, the first layer takes "
                             f"{self.layers[0].in_features}")
        x, e = self.input_quant(x)
        in_type = (self.input_quant.bits, self.input_quant.signed)
        for layer in self.layers:
            x, e = layer(x, e, in_type)
            in_type = layer.out_type
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
        for layer in self.layers:
            int_layer = layer.int_layer(e, in_type)
            model.layers.append(int_layer)
            e, in_type = int_layer.out_exp, layer.out_type
        return model

    def input_to_int(self, x):
        return self.input_quant.to_int(x.reshape(x.shape[0], -1))

    @classmethod
    def from_float(cls, model, input_quant, w_bits=8, act_bits=8, per_channel=False, rounding="half_up",
                   raw_head=True, mode="stats"):
        """Build a ShiftNet from a float nn.Sequential of Linear, ReLU (fused into the
        Linear before it), Flatten and Dropout (ignored) modules, copying the weights.
        The last Linear becomes a raw-accumulator head (per-tensor exponent) when
        raw_head is true."""
        specs = []
        for module in model:
            if isinstance(module, nn.Linear):
                specs.append([module, False])
            elif isinstance(module, nn.ReLU):
                if not specs or specs[-1][1]:
                    raise ValueError("ReLU must follow a Linear to be fused")
                specs[-1][1] = True
            elif not isinstance(module, (nn.Flatten, nn.Dropout)):
                raise ValueError(f"unsupported module {type(module).__name__}: ShiftNet takes Linear, ReLU, "
                                 f"Flatten and Dropout")
        if not specs:
            raise ValueError("no Linear layer in the model")
        layers = []
        for i, (linear, relu) in enumerate(specs):
            raw = raw_head and i == len(specs) - 1 and not relu
            # A raw head keeps one weight exponent, so all its accumulators share one
            # exponent and a host's argmax over the integers is the prediction.
            layer = QuantLinear(linear.in_features, linear.out_features, w_bits=w_bits,
                                per_channel=per_channel and not raw,
                                out_bits=act_bits, relu=relu, rounding=rounding, raw_output=raw, mode=mode)
            with torch.no_grad():
                layer.weight.copy_(linear.weight)
                layer.bias.copy_(linear.bias if linear.bias is not None else torch.zeros_like(layer.bias))
            layers.append(layer)
        return cls(input_quant, layers)
