"""An integer network exactly as docs/datapath.md defines it, with its checks and its
integer forward pass (datapath §2-§8, and §10-§15: conv2d, maxpool, avgpool, add, with
flatten the identity on the HWC order).

`IntModel` is what the exporters write to .skm (shiftkit.skm) and what the
hardware-exact modules (shiftkit.modules) evaluate in eval mode, so the PyTorch
integer simulation and the exported file can never describe different networks.

Activations travel between layers as int64 tensors [batch, features], each sample's
features in HWC order (channels fastest) for a spatial layer: the byte order of a
(N, H, W, C) .npy input and of the golden model's buffers.
"""

import math
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

import torch

from .arith import (INT32_MAX, INT32_MIN, SHIFT_MAX, SHIFT_MIN, act_range, check_bits,
                    check_rounding, requantize, weight_max)

MAX_LAYERS = 64  # datapath §8
MAX_DIM = 65535  # datapath §8
MAX_WEIGHTS = 2**26  # datapath §8
MAX_GEOMETRY = 65535  # datapath §10: sizes, kernels, strides and paddings fit 16 bits
MAX_ACTIVATION = 2**24  # datapath §10: elements of a layer's input or output per sample
KINDS = ("dense", "conv2d", "maxpool", "avgpool", "add")
INPUT = -1  # `src` of an add layer whose second operand is the network input
# Exact float64 accumulation: every partial sum of integers below 2^53 is exact, in any
# order, and a chunk bounds the memory of the im2col buffers.
_SPATIAL_CHUNK = 1024


class ModelError(ValueError):
    """An integer network that breaks a rule of docs/datapath.md or model-format.md."""


@dataclass
class IntLayer:
    """One layer (datapath §2, §10-§14).

    dense:   weights [n, k], bias [n], w_exp [n] per channel else [1].
    conv2d:  weights [cout, kh, kw, cin/groups] (the .skm order), bias [cout], w_exp as
             dense; in_shape (H, W, Cin); groups 1 or Cin (depthwise, cout = cin).
    maxpool: no weights; output type and exponent equal the input's, rounding floor.
    avgpool: no weights; kh*kw a power of two 2^p; y = requantize(window sum) with shift
             p + e_out - e_in.
    add:     no weights; operand b is the output of layer `src` (INPUT = the network
             input); acc = a*2^(ea-ec) + b*2^(eb-ec), ec = min(ea, eb), shift e_out - ec.
    padding is (top, left, bottom, right) zero padding of conv2d."""

    weights: Optional[torch.Tensor] = None
    bias: Optional[torch.Tensor] = None
    w_exp: Optional[torch.Tensor] = None
    w_bits: int = 8
    out_bits: int = 8
    out_signed: bool = True
    out_exp: int = 0
    rounding: str = "half_up"
    relu: bool = False
    raw_output: bool = False
    per_channel: bool = False
    kind: str = "dense"
    in_shape: Optional[Tuple[int, int, int]] = None
    kernel: Tuple[int, int] = (1, 1)
    stride: Tuple[int, int] = (1, 1)
    padding: Tuple[int, int, int, int] = (0, 0, 0, 0)
    groups: int = 1
    src: Optional[int] = None

    @property
    def has_weights(self):
        return self.kind in ("dense", "conv2d")

    @property
    def n(self):
        """Output channels."""
        if self.has_weights:
            return self.weights.shape[0]
        return self.in_shape[2]

    @property
    def k(self):
        """dense: inputs; conv2d: the accumulation length kh*kw*cin/groups (§3 K);
        pooling and add: the input features."""
        if self.has_weights:
            return self.weights[0].numel() if self.weights.shape[0] else 0
        return self.in_features

    @property
    def spatial(self):
        return self.kind != "dense"

    @property
    def in_features(self):
        if self.kind == "dense":
            return self.weights.shape[1]
        return math.prod(self.in_shape)

    @property
    def out_shape(self):
        """(n,) for dense (the 1 x 1 x n of datapath §10), else (OH, OW, C)."""
        if self.kind == "dense":
            return (self.n,)
        if self.kind == "add":
            return tuple(self.in_shape)
        h, w, _ = self.in_shape
        (kh, kw), (sh, sw) = self.kernel, self.stride
        pt, pl, pb, pr = self.padding
        return ((h + pt + pb - kh) // sh + 1, (w + pl + pr - kw) // sw + 1, self.n)

    @property
    def out_features(self):
        return math.prod(self.out_shape)

    @property
    def pool_log2(self):
        """p with kh*kw = 2^p (avgpool)."""
        return (self.kernel[0] * self.kernel[1]).bit_length() - 1

    def shifts(self, in_exp, src_exp=None):
        """Per output channel shift as int64 [n]: e_out - e_in - e_w[n] (datapath §4);
        avgpool p + e_out - e_in; add e_out - min(e_in, e_src); maxpool 0."""
        if self.has_weights:
            return self.out_exp - in_exp - self.w_exp.to(torch.int64).expand(self.n)
        if self.kind == "avgpool":
            s = self.pool_log2 + self.out_exp - in_exp
        elif self.kind == "add":
            s = self.out_exp - min(in_exp, src_exp)
        else:
            s = 0
        return torch.full((self.n,), s, dtype=torch.int64)

    def accumulate(self, x, in_exp=None, operand=None):
        """The exact int64 accumulators [batch, out_features] (HWC order for spatial
        layers). operand = (integers, exponent) of an add's second input."""
        x = x.to(torch.int64)
        if self.kind == "dense":
            return dense_accumulate(x, self.weights, self.bias)
        if self.kind == "conv2d":
            return conv_accumulate(x, self)
        if self.kind == "maxpool":
            return _window_op(x, self, "max")
        if self.kind == "avgpool":
            return _window_op(x, self, "sum")
        b, e_b = operand
        e_c = min(in_exp, e_b)
        return x * 2 ** (in_exp - e_c) + b.to(torch.int64) * 2 ** (e_b - e_c)

    def forward(self, x, in_exp, operand=None):
        """(acc, y) for integer inputs x [batch, in_features] at exponent in_exp: y is
        the requantized output, acc itself for a raw layer, the window maximum for
        maxpool (which does not requantize; acc is that maximum too)."""
        acc = self.accumulate(x, in_exp, operand)
        if self.raw_output:
            return acc, acc
        if self.kind == "maxpool":
            return acc, (acc.clamp(min=0) if self.relu else acc)
        shifts = self.shifts(in_exp, operand[1] if operand is not None else None)
        if self.spatial:  # HWC: the channel is the fastest index
            acc_c = acc.reshape(acc.shape[0], -1, self.n)
            y = requantize(acc_c, shifts, self.rounding, self.out_bits, self.out_signed, self.relu)
            return acc, y.reshape(acc.shape)
        return acc, requantize(acc, shifts, self.rounding, self.out_bits, self.out_signed, self.relu)


@dataclass
class IntModel:
    """A chain of layers with the network's input type (datapath §8); an add layer also
    reads an earlier output."""

    in_bits: int
    in_signed: bool
    in_exp: int
    layers: List[IntLayer] = field(default_factory=list)

    def value_exp(self, j):
        """Exponent of value j: the network input for j = INPUT, else layer j's output."""
        return self.in_exp if j == INPUT else self.layers[j].out_exp

    def value_type(self, j):
        if j == INPUT:
            return self.in_bits, self.in_signed
        layer = self.layers[j]
        return layer.out_bits, layer.out_signed

    def value_shape(self, j):
        """Shape of value j: the first layer's input shape for the network input."""
        if j == INPUT:
            first = self.layers[0]
            return tuple(first.in_shape) if first.spatial else (first.in_features,)
        return self.layers[j].out_shape

    def layer_in_exp(self, i):
        return self.value_exp(i - 1)

    def layer_in_type(self, i):
        return self.value_type(i - 1)

    def input_shape(self):
        """Per-sample input shape: (k,) or (H, W, C)."""
        return self.value_shape(INPUT)

    def shifts(self, i):
        """Per-channel shifts of layer i (datapath §4)."""
        layer = self.layers[i]
        src_exp = self.value_exp(layer.src) if layer.kind == "add" else None
        return layer.shifts(self.layer_in_exp(i), src_exp)

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
            if layer.kind not in KINDS:
                raise ModelError(f"{where}: unknown layer kind {layer.kind!r}")
            _check_shape(self, i, where)
            _check(where, "out_bits", lambda: check_bits(layer.out_bits))
            _check(where, "rounding", lambda: check_rounding(layer.rounding))
            _check_int8(where, "out_exp", layer.out_exp)
            if layer.raw_output and (layer.relu or i != len(self.layers) - 1):
                raise ModelError(f"{where}: raw_output is allowed only on the last layer and not with relu")
            if layer.raw_output and not layer.has_weights:
                raise ModelError(f"{where}: raw_output needs a dense or conv2d layer")
            if layer.has_weights:
                total += layer.weights.numel()
                _check_weighted(self, i, where)
            elif layer.per_channel:
                raise ModelError(f"{where}: per_channel on a {layer.kind} layer, which has no weights")
            elif layer.kind == "maxpool":
                if (layer.out_bits, layer.out_signed, layer.out_exp, layer.rounding) != \
                        (*self.layer_in_type(i), self.layer_in_exp(i), "floor"):
                    raise ModelError(f"{where}: a maxpool's output type and exponent must equal its input's "
                                     f"and its rounding be floor (datapath §12)")
            elif layer.kind == "avgpool":
                _check_shifts(self, i, where)
                xmin, xmax = act_range(*self.layer_in_type(i))
                area = layer.kernel[0] * layer.kernel[1]
                if area * xmin < INT32_MIN or area * xmax > INT32_MAX:
                    raise ModelError(f"{where}: avgpool window sum {area * xmin}..{area * xmax} does not fit int32")
            else:
                _check_shifts(self, i, where)
                e_a, e_b = self.layer_in_exp(i), self.value_exp(layer.src)
                e_c = min(e_a, e_b)
                lo, hi = add_bounds(self.layer_in_type(i), self.value_type(layer.src), e_a - e_c, e_b - e_c)
                if max(e_a, e_b) - e_c > 31 or lo < INT32_MIN or hi > INT32_MAX:
                    raise ModelError(f"{where}: operand exponents {e_a} and {e_b} differ too much: the "
                                     f"aligned sum does not fit int32 (datapath §14)")
        if total > MAX_WEIGHTS:
            raise ModelError(f"{origin}: {total} weights, at most {MAX_WEIGHTS}")

    def forward(self, x, trace=None):
        """Integer inference of a batch x [batch, ...] (datapath §8): a (N, H, W, C)
        input of a spatial network is taken in its HWC order. Returns int64
        [batch, out_features of the last layer]. If trace is a list, (acc, out) of
        every layer is appended."""
        x = torch.as_tensor(x).to(torch.int64)
        x = x.reshape(x.shape[0], -1)
        if x.shape[1] != math.prod(self.input_shape()):
            raise ModelError(f"input has {x.shape[1]} values per sample, the model takes "
                             f"{math.prod(self.input_shape())} ({'x'.join(map(str, self.input_shape()))})")
        lo, hi = act_range(self.in_bits, self.in_signed)
        if x.numel() and (x.min() < lo or x.max() > hi):
            raise ModelError(f"input outside the declared input type {lo}..{hi} (datapath §8)")
        # Keep only the outputs a later add reads: a CNN's feature maps over a large
        # batch are big.
        operands = {layer.src for layer in self.layers if layer.kind == "add"}
        values = {INPUT: x} if INPUT in operands else {}
        for i, layer in enumerate(self.layers):
            operand = (values[layer.src], self.value_exp(layer.src)) if layer.kind == "add" else None
            acc, x = layer.forward(x, self.layer_in_exp(i), operand)
            if i in operands:
                values[i] = x
            if trace is not None:
                trace.append((acc, x))
        return x

    __call__ = forward


def _hwc_shape(shape):
    """A value's shape as H x W x C: a dense output (n,) is 1 x 1 x n (datapath §10)."""
    return (1, 1, shape[0]) if len(shape) == 1 else tuple(shape)


def _check_shape(model, i, where):
    layer = model.layers[i]
    prev_shape = model.value_shape(i - 1) if i else None
    if math.prod(layer.out_shape) > MAX_ACTIVATION or (layer.spatial and layer.in_shape is not None
                                                      and math.prod(layer.in_shape) > MAX_ACTIVATION):
        raise ModelError(f"{where}: an activation holds more than {MAX_ACTIVATION} elements per sample (datapath §10)")
    if layer.kind == "dense":
        if layer.weights is None or layer.weights.dim() != 2 or not (1 <= layer.n <= MAX_DIM and 1 <= layer.k <= MAX_DIM):
            shape = None if layer.weights is None else tuple(layer.weights.shape)
            raise ModelError(f"{where}: weights shape {shape} must be [n, k] with n, k in 1..{MAX_DIM}")
        if prev_shape is not None and layer.k != math.prod(prev_shape):
            raise ModelError(f"{where}: k={layer.k} does not match the previous output size {math.prod(prev_shape)} "
                             f"({'x'.join(map(str, prev_shape))})")
        return
    shape = tuple(layer.in_shape) if layer.in_shape is not None else None
    if shape is None or len(shape) != 3 or not all(isinstance(d, int) and 1 <= d <= MAX_GEOMETRY for d in shape):
        raise ModelError(f"{where}: {layer.kind} needs in_shape (H, W, C) with each in 1..{MAX_GEOMETRY}, got {shape}")
    if prev_shape is not None and shape != _hwc_shape(prev_shape):
        raise ModelError(f"{where}: in_shape {shape} differs from the previous output shape {_hwc_shape(prev_shape)}")
    if layer.kind == "add":
        if not isinstance(layer.src, int) or not INPUT <= layer.src < i:
            raise ModelError(f"{where}: add src={layer.src} must name the network input ({INPUT}) or an earlier "
                             f"layer (0..{i - 1})")
        if layer.src != INPUT and model.layers[layer.src].raw_output:
            raise ModelError(f"{where}: add src={layer.src} is a raw int32 output")
        src_shape = _hwc_shape(model.value_shape(layer.src))
        if src_shape != shape:
            raise ModelError(f"{where}: add operand shapes differ: {shape} and layer {layer.src}'s {src_shape}")
        return
    (kh, kw), (sh, sw) = layer.kernel, layer.stride
    if not (1 <= min(kh, kw) and max(kh, kw) <= MAX_GEOMETRY and 1 <= min(sh, sw) and max(sh, sw) <= MAX_GEOMETRY):
        raise ModelError(f"{where}: kernel {layer.kernel} and stride {layer.stride} must be in 1..{MAX_GEOMETRY}")
    pads = tuple(layer.padding)
    if len(pads) != 4 or min(pads) < 0 or max(pads[0], pads[2]) >= kh or max(pads[1], pads[3]) >= kw:
        raise ModelError(f"{where}: padding (top, left, bottom, right) {pads} must be 0..kernel-1")
    if layer.kind != "conv2d" and any(pads):
        raise ModelError(f"{where}: {layer.kind} has no padding")
    oh, ow, _ = layer.out_shape
    if oh < 1 or ow < 1:
        raise ModelError(f"{where}: kernel {layer.kernel} larger than the (padded) input {shape}")
    if layer.kind == "avgpool" and kh * kw != 2**layer.pool_log2:
        raise ModelError(f"{where}: avgpool window {kh}x{kw} is not a power of two")
    if layer.kind == "conv2d":
        cin = shape[2]
        w = layer.weights
        if layer.groups not in (1, cin):
            raise ModelError(f"{where}: groups={layer.groups} must be 1 or Cin={cin} (depthwise)")
        if w is None or w.dim() != 4 or tuple(w.shape[1:]) != (kh, kw, cin // layer.groups) or not 1 <= w.shape[0] <= MAX_DIM:
            raise ModelError(f"{where}: conv weights shape {None if w is None else tuple(w.shape)} must be "
                             f"[cout, {kh}, {kw}, {cin // layer.groups}]")
        if layer.groups == cin and cin > 1 and w.shape[0] != cin:
            raise ModelError(f"{where}: depthwise conv needs Cout = Cin = {cin}, got {w.shape[0]}")
        if layer.k > MAX_DIM:
            raise ModelError(f"{where}: conv K = {layer.k} weights per channel, at most {MAX_DIM}")


def _check_weighted(model, i, where):
    layer = model.layers[i]
    if tuple(layer.bias.shape) != (layer.n,):
        raise ModelError(f"{where}: bias shape {tuple(layer.bias.shape)} must be ({layer.n},)")
    exp_count = layer.n if layer.per_channel else 1
    if tuple(layer.w_exp.shape) != (exp_count,):
        raise ModelError(f"{where}: w_exp shape {tuple(layer.w_exp.shape)} must be ({exp_count},)")
    _check(where, "w_bits", lambda: check_bits(layer.w_bits))
    for c, e in enumerate(layer.w_exp.tolist()):
        _check_int8(f"{where} channel {c}", "w_exp", e)
    wmax = weight_max(layer.w_bits)
    flat = layer.weights.reshape(layer.n, -1)
    bad = (flat.abs() > wmax).nonzero()
    if len(bad):
        c, k = bad[0].tolist()
        raise ModelError(f"{where} channel {c}: weight[{k}]={int(flat[c, k])} outside narrow "
                         f"{layer.w_bits}-bit range -{wmax}..{wmax}")
    _check_shifts(model, i, where)
    if layer.bias.min() < INT32_MIN or layer.bias.max() > INT32_MAX:
        raise ModelError(f"{where}: bias outside int32")
    lo, hi = acc_bounds(flat, layer.bias, *model.layer_in_type(i))
    bad = ((lo < INT32_MIN) | (hi > INT32_MAX)).nonzero()
    if len(bad):
        c = int(bad[0])
        raise ModelError(f"{where} channel {c}: worst-case accumulator {int(lo[c])}..{int(hi[c])} "
                         f"does not fit int32 (datapath §3)")


def _check_shifts(model, i, where):
    layer = model.layers[i]
    shifts = model.shifts(i)
    bad = ((shifts < SHIFT_MIN) | (shifts > SHIFT_MAX)).nonzero()
    if len(bad):
        c = int(bad[0])
        detail = (f"e_w={int(layer.w_exp.reshape(-1)[c if layer.per_channel else 0])}" if layer.has_weights
                  else f"{layer.kind}")
        raise ModelError(f"{where} channel {c}: shift {int(shifts[c])} outside {SHIFT_MIN}..{SHIFT_MAX} "
                         f"(e_out={layer.out_exp}, e_in={model.layer_in_exp(i)}, {detail})")


def dense_accumulate(x, weights, bias):
    """acc[b, n] = bias[n] + sum_k W[n, k] x[b, k] in exact int64 (datapath §2, §3)."""
    return x.to(torch.int64) @ weights.to(torch.int64).t() + bias.to(torch.int64)


def _to_nchw(x, shape):
    h, w, c = shape
    return x.reshape(x.shape[0], h, w, c).permute(0, 3, 1, 2)


def _from_nchw(y):
    return y.permute(0, 2, 3, 1).reshape(y.shape[0], -1)


def conv_accumulate(x, layer):
    """acc[b][oy][ox][co] = bias[co] + sum_{ky,kx,ci} x[oy*SH+ky-PT][ox*SW+kx-PL][ci] *
    w[co][ky][kx][ci], x = 0 outside the input; HWC flat int64 [batch, OH*OW*Cout].

    Computed with float64 convolutions: every product and partial sum is an integer of
    magnitude below 2^53 (|w*x| < 2^15, at most 2^16 * 2^16 terms), so every float64
    addition is exact whatever order the convolution kernel uses; the int32 bias is
    added in int64 afterwards."""
    weight = layer.weights.to(torch.float64).permute(0, 3, 1, 2)  # [cout][cin/g][kh][kw], torch's order
    pt, pl, pb, pr = layer.padding
    out = []
    for start in range(0, x.shape[0], _SPATIAL_CHUNK):
        chunk = _to_nchw(x[start:start + _SPATIAL_CHUNK], layer.in_shape).to(torch.float64)
        chunk = torch.nn.functional.pad(chunk, (pl, pr, pt, pb))
        y = torch.nn.functional.conv2d(chunk, weight, stride=layer.stride, groups=layer.groups)
        out.append(_from_nchw(y).to(torch.int64))
    acc = torch.cat(out) if out else torch.zeros(0, layer.out_features, dtype=torch.int64)
    return (acc.reshape(acc.shape[0], -1, layer.n) + layer.bias.to(torch.int64)).reshape(acc.shape[0], -1)


def _window_op(x, layer, op):
    """Max or exact sum over each pooling window (no padding), HWC flat int64."""
    out = []
    for start in range(0, x.shape[0], _SPATIAL_CHUNK):
        # [b][c][oh][ow][kh][kw] windows of the int64 integers themselves: exact.
        windows = _to_nchw(x[start:start + _SPATIAL_CHUNK], layer.in_shape)
        windows = windows.unfold(2, layer.kernel[0], layer.stride[0]).unfold(3, layer.kernel[1], layer.stride[1])
        windows = windows.flatten(4)
        y = windows.amax(dim=4) if op == "max" else windows.sum(dim=4)
        out.append(_from_nchw(y))
    return torch.cat(out) if out else torch.zeros(0, layer.out_features, dtype=torch.int64)


def acc_bounds(weights, bias, in_bits, in_signed):
    """Worst-case accumulator range [B_lo[n], B_hi[n]] over all inputs (datapath §3);
    weights [n, ...] with everything after dimension 0 one channel's K terms."""
    xmin, xmax = act_range(in_bits, in_signed)
    w = weights.to(torch.int64).reshape(weights.shape[0], -1)
    hi_terms = torch.maximum(w * xmin, w * xmax).sum(dim=1)
    lo_terms = torch.minimum(w * xmin, w * xmax).sum(dim=1)
    b = bias.to(torch.int64)
    return b.clamp(max=0) + lo_terms, b.clamp(min=0) + hi_terms


def add_bounds(type_a, type_b, shift_a, shift_b):
    """Range of a residual add's aligned sum a*2^shift_a + b*2^shift_b."""
    (lo_a, hi_a), (lo_b, hi_b) = act_range(*type_a), act_range(*type_b)
    return lo_a * 2**shift_a + lo_b * 2**shift_b, hi_a * 2**shift_a + hi_b * 2**shift_b


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
