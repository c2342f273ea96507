"""An integer network exactly as docs/datapath.md defines it, with its checks and its
integer forward pass (datapath §2, §3, §4, §7, §8).

`IntModel` is what the exporters write to .skm (shiftkit.skm) and what the
hardware-exact modules (shiftkit.modules) evaluate in eval mode, so the PyTorch
integer simulation and the exported file can never describe different networks.
"""

from dataclasses import dataclass, field
from typing import List

import torch

from .arith import (INT32_MAX, INT32_MIN, SHIFT_MAX, SHIFT_MIN, act_range, check_bits,
                    check_rounding, requantize, weight_max)

MAX_LAYERS = 64  # datapath §8
MAX_DIM = 65535  # datapath §8
MAX_WEIGHTS = 2**26  # datapath §8


class ModelError(ValueError):
    """An integer network that breaks a rule of docs/datapath.md or model-format.md."""


@dataclass
class IntLayer:
    """One dense layer (datapath §2). weights int8-valued [n, k], bias int32-valued [n],
    w_exp [n] when per_channel else [1]."""

    weights: torch.Tensor
    bias: torch.Tensor
    w_exp: torch.Tensor
    w_bits: int
    out_bits: int
    out_signed: bool
    out_exp: int
    rounding: str = "half_up"
    relu: bool = False
    raw_output: bool = False
    per_channel: bool = False

    @property
    def k(self):
        return self.weights.shape[1]

    @property
    def n(self):
        return self.weights.shape[0]

    def shifts(self, in_exp):
        """s[n] = e_out - e_in - e_w[n] as int64 [n] (datapath §4)."""
        return self.out_exp - in_exp - self.w_exp.to(torch.int64).expand(self.n)

    def forward(self, x, in_exp):
        """(acc, y) for integer inputs x [batch, k] at exponent in_exp (datapath §2,
        §7): y is the requantized output, or acc itself for a raw layer."""
        acc = dense_accumulate(x, self.weights, self.bias)
        if self.raw_output:
            return acc, acc
        return acc, requantize(acc, self.shifts(in_exp), self.rounding, self.out_bits, self.out_signed, self.relu)


@dataclass
class IntModel:
    """A chain of dense layers with the network's input type (datapath §8)."""

    in_bits: int
    in_signed: bool
    in_exp: int
    layers: List[IntLayer] = field(default_factory=list)

    def layer_in_exp(self, i):
        return self.in_exp if i == 0 else self.layers[i - 1].out_exp

    def layer_in_type(self, i):
        if i == 0:
            return self.in_bits, self.in_signed
        prev = self.layers[i - 1]
        return prev.out_bits, prev.out_signed

    def shifts(self, i):
        """Per-channel shifts of layer i (datapath §4)."""
        return self.layers[i].shifts(self.layer_in_exp(i))

    def validate(self, origin="model"):
        """Raise ModelError naming layer, channel and reason for the first broken rule
        of model-format.md "Validation on load" that applies in memory."""
        if not 1 <= len(self.layers) <= MAX_LAYERS:
            raise ModelError(f"{origin}: {len(self.layers)} layers, must be 1..{MAX_LAYERS}")
        _check(origin, "in_bits", lambda: check_bits(self.in_bits))
        _check_int8(origin, "in_exp", self.in_exp)
        total = 0
        for i, layer in enumerate(self.layers):
            where = f"{origin}: layer {i}"
            if layer.weights.dim() != 2 or not (1 <= layer.n <= MAX_DIM and 1 <= layer.k <= MAX_DIM):
                raise ModelError(f"{where}: weights shape {tuple(layer.weights.shape)} must be [n, k] with n, k in 1..{MAX_DIM}")
            expect_k = self.layers[i - 1].n if i else layer.k
            if layer.k != expect_k:
                raise ModelError(f"{where}: k={layer.k} does not match previous layer n={expect_k}")
            total += layer.n * layer.k
            if tuple(layer.bias.shape) != (layer.n,):
                raise ModelError(f"{where}: bias shape {tuple(layer.bias.shape)} must be ({layer.n},)")
            exp_count = layer.n if layer.per_channel else 1
            if tuple(layer.w_exp.shape) != (exp_count,):
                raise ModelError(f"{where}: w_exp shape {tuple(layer.w_exp.shape)} must be ({exp_count},)")
            _check(where, "w_bits", lambda: check_bits(layer.w_bits))
            _check(where, "out_bits", lambda: check_bits(layer.out_bits))
            _check(where, "rounding", lambda: check_rounding(layer.rounding))
            _check_int8(where, "out_exp", layer.out_exp)
            for c, e in enumerate(layer.w_exp.tolist()):
                _check_int8(f"{where} channel {c}", "w_exp", e)
            if layer.raw_output and (layer.relu or i != len(self.layers) - 1):
                raise ModelError(f"{where}: raw_output is allowed only on the last layer and not with relu")
            wmax = weight_max(layer.w_bits)
            bad = (layer.weights.abs() > wmax).nonzero()
            if len(bad):
                c, k = bad[0].tolist()
                raise ModelError(f"{where} channel {c}: weight[{k}]={int(layer.weights[c, k])} outside narrow "
                                 f"{layer.w_bits}-bit range -{wmax}..{wmax}")
            shifts = self.shifts(i)
            bad = ((shifts < SHIFT_MIN) | (shifts > SHIFT_MAX)).nonzero()
            if len(bad):
                c = int(bad[0])
                raise ModelError(f"{where} channel {c}: shift {int(shifts[c])} outside {SHIFT_MIN}..{SHIFT_MAX} "
                                 f"(e_out={layer.out_exp}, e_in={self.layer_in_exp(i)}, e_w={int(layer.w_exp.reshape(-1)[c if layer.per_channel else 0])})")
            if layer.bias.min() < INT32_MIN or layer.bias.max() > INT32_MAX:
                raise ModelError(f"{where}: bias outside int32")
            lo, hi = acc_bounds(layer.weights, layer.bias, *self.layer_in_type(i))
            bad = ((lo < INT32_MIN) | (hi > INT32_MAX)).nonzero()
            if len(bad):
                c = int(bad[0])
                raise ModelError(f"{where} channel {c}: worst-case accumulator {int(lo[c])}..{int(hi[c])} "
                                 f"does not fit int32 (datapath §3)")
        if total > MAX_WEIGHTS:
            raise ModelError(f"{origin}: {total} weights, at most {MAX_WEIGHTS}")

    def forward(self, x, trace=None):
        """Integer inference of a batch x [batch, k0] (datapath §2, §8). Returns int64
        [batch, n_last]. If trace is a list, (acc, out) of every layer is appended."""
        x = torch.as_tensor(x).to(torch.int64)
        lo, hi = act_range(self.in_bits, self.in_signed)
        if x.numel() and (x.min() < lo or x.max() > hi):
            raise ModelError(f"input outside the declared input type {lo}..{hi} (datapath §8)")
        for i, layer in enumerate(self.layers):
            acc, x = layer.forward(x, self.layer_in_exp(i))
            if trace is not None:
                trace.append((acc, x))
        return x

    __call__ = forward


def dense_accumulate(x, weights, bias):
    """acc[b, n] = bias[n] + sum_k W[n, k] x[b, k] in exact int64 (datapath §2, §3)."""
    return x.to(torch.int64) @ weights.to(torch.int64).t() + bias.to(torch.int64)


def acc_bounds(weights, bias, in_bits, in_signed):
    """Worst-case accumulator range [B_lo[n], B_hi[n]] over all inputs (datapath §3)."""
    xmin, xmax = act_range(in_bits, in_signed)
    w = weights.to(torch.int64)
    hi_terms = torch.maximum(w * xmin, w * xmax).sum(dim=1)
    lo_terms = torch.minimum(w * xmin, w * xmax).sum(dim=1)
    b = bias.to(torch.int64)
    return b.clamp(max=0) + lo_terms, b.clamp(min=0) + hi_terms


def bias_limits(weights, in_bits, in_signed):
    """The int32 bias range per channel that keeps the §3 bound: [lo[n], hi[n]]."""
    zero = torch.zeros(weights.shape[0], dtype=torch.int64)
    lo_terms, hi_terms = acc_bounds(weights, zero, in_bits, in_signed)
    return INT32_MIN - lo_terms, INT32_MAX - hi_terms


def _check(where, name, fn):
    try:
        fn()
    except ValueError as e:
        raise ModelError(f"{where}: {name}: {e}") from None


def _check_int8(where, name, value):
    if not -128 <= int(value) <= 127:
        raise ModelError(f"{where}: {name}={value} does not fit int8")
