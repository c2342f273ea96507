"""Power-of-two quantizers (datapath §1): q = clamp(round(x / 2^e), lo, hi), value
q * 2^e, zero point always 0.

The exponent e comes from one of three sources:

- "stats": the smallest e for which the observed maximum magnitude fits without
  clipping, e = ceil(log2(max / q_max)). Weights use the current maximum (per tensor
  or per output channel); activations an exponential running maximum of batch maxima.
- "learned": a trained log2-domain threshold t, e = ceil(t - log2(q_max)), with
  straight-through estimators on ceil and round so that autograd yields the gradients
  of Trained Quantization Thresholds (Jain et al., 2020). t starts at the statistics.
- "fixed": a given integer exponent (e.g. an input of integer pixels).

In training every rounding uses a straight-through estimator; in eval mode
`exponent()` is the integer that goes into the exported model.
"""

import math

import torch
from torch import nn

from .arith import act_range, check_bits, weight_max

EXP_MODES = ("stats", "learned", "fixed")
INT8_MIN, INT8_MAX = -128, 127  # exponents are stored as int8 (datapath §1)


def round_ste(x):
    """round half to even in the forward pass, identity gradient."""
    return x + (torch.round(x) - x).detach()


def ceil_ste(x):
    return x + (torch.ceil(x) - x).detach()


def round_mode_ste(x, mode):
    """Round x to an integer the way the layer's rounding mode does (datapath §5), on
    floats, for the training forward; identity gradient."""
    if mode == "floor":
        rounded = torch.floor(x)
    elif mode == "half_up":
        rounded = torch.floor(x + 0.5)
    elif mode == "half_away":
        rounded = torch.sign(x) * torch.floor(x.abs() + 0.5)
    else:
        rounded = torch.round(x)  # half_even
    return x + (rounded - x).detach()


class PotQuantizer(nn.Module):
    """A power-of-two fake quantizer for weights or activations.

    bits: 2..8. signed: two's-complement (activations) or unsigned; narrow: weights'
    symmetric range |q| <= 2^(bits-1)-1. channels: 1 for per-tensor, else the number
    of output channels (dimension 0 of the tensor) for per-channel exponents.
    mode: "stats", "learned" or "fixed" (with fixed_exp). momentum: weight of the new
    batch maximum in the running maximum of activations (stats mode).
    """

    def __init__(self, bits, signed=True, narrow=False, channels=1, mode="stats", fixed_exp=None,
                 running=True, momentum=0.1):
        super().__init__()
        check_bits(bits)
        if mode not in EXP_MODES:
            raise ValueError(f"exponent mode must be one of {EXP_MODES}, got {mode!r}")
        if mode == "fixed" and fixed_exp is None:
            raise ValueError("mode 'fixed' needs fixed_exp")
        if narrow and not signed:
            raise ValueError("the narrow range is signed (weights)")
        self.bits, self.signed, self.narrow, self.mode = bits, signed, narrow, mode
        self.channels, self.running, self.momentum = channels, running, momentum
        if narrow:
            self.lo, self.hi = -weight_max(bits), weight_max(bits)
        else:
            self.lo, self.hi = act_range(bits, signed)
        self.register_buffer("observed_max", torch.full((channels,), float("nan")))
        self.register_buffer("fixed_exp", torch.full((channels,), float(fixed_exp if fixed_exp is not None else 0)))
        self.log2_threshold = nn.Parameter(torch.zeros(channels)) if mode == "learned" else None

    def _max_magnitude(self, x):
        flat = x.detach().reshape(self.channels, -1) if self.channels > 1 else x.detach().reshape(1, -1)
        return flat.abs().amax(dim=1)

    def observe(self, x):
        """Update the statistics with a tensor (training mode only)."""
        batch_max = self._max_magnitude(x)
        first = torch.isnan(self.observed_max)
        if self.running:
            update = (1 - self.momentum) * self.observed_max + self.momentum * batch_max
            self.observed_max.copy_(torch.where(first, batch_max, update))
        else:
            self.observed_max.copy_(batch_max)
        if self.mode == "learned" and first.any():
            with torch.no_grad():
                self.log2_threshold.copy_(torch.log2(self.observed_max.clamp(min=2.0**-30)))

    def exponent_float(self):
        """The exponent as a float tensor [channels]; carries the TQT gradient in
        learned mode."""
        if self.mode == "fixed":
            return self.fixed_exp
        if torch.isnan(self.observed_max).any():
            raise RuntimeError("quantizer has no statistics yet: run training-mode batches "
                               "(ShiftNet.calibrate) before eval or export")
        if self.mode == "learned":
            e = ceil_ste(self.log2_threshold - math.log2(self.hi))
        else:
            # A channel of all zeros has no magnitude: give it the smallest exponent,
            # later raised into the legal shift range by the layer.
            e = torch.ceil(torch.log2(self.observed_max.clamp(min=2.0**-126) / self.hi))
        return e.clamp(INT8_MIN, INT8_MAX)

    def exponent(self):
        """The integer exponent(s), int64 [channels], as exported (datapath §1)."""
        return self.exponent_float().detach().round().to(torch.int64)

    def to_int(self, x, exp, mode="half_even"):
        """Integers q = clamp(round(x / 2^exp)) (int64), exp an int tensor broadcast
        along dimension 0 for per-channel quantizers."""
        # float64 and a power-of-two scale: the division is exact.
        scaled = x.to(torch.float64) * torch.pow(2.0, -self._along_channels(exp, x).to(torch.float64))
        return round_mode_ste(scaled, mode).clamp(self.lo, self.hi).to(torch.int64)

    def fake_quant(self, x, exp, mode="half_even"):
        """q * 2^exp with straight-through gradients (training forward)."""
        scale = torch.pow(2.0, self._along_channels(exp, x))
        return torch.clamp(round_mode_ste(x / scale, mode), self.lo, self.hi) * scale

    def _along_channels(self, exp, x):
        if self.channels == 1:
            return exp.reshape(())
        return exp.reshape((-1,) + (1,) * (x.dim() - 1))
