"""Reader and writer of the .skm model file, versions 1 and 2 (docs/model-format.md).

The byte layout is spelled out field by field after the tables of model-format.md so
the two can be compared line by line. Writing validates the model first
(IntModel.validate) and writes atomically: a temporary file renamed into place. A
network of dense layers only is written as version 1 (every reader takes it); any
other kind (conv2d, maxpool, avgpool, add) needs version 2, whose layer records carry
a kind and a geometry part.
"""

import os
import struct
import tempfile
import zlib

import numpy as np
import torch

from .arith import ROUNDING_CODES, ROUNDING_NAMES
from .intmodel import INPUT, KINDS, IntLayer, IntModel, ModelError

MAGIC = b"SKMODEL\0"
VERSION_DENSE = 1
VERSION_CNN = 2
VERSIONS = (VERSION_DENSE, VERSION_CNN)
HEADER = struct.Struct("<8sIIII")  # magic, version, payload_size, payload_crc32, reserved
NETWORK = struct.Struct("<IBBbB")  # num_layers, in_bits, in_signed, in_exp, reserved
# k, n, w_bits, out_bits, out_signed, rounding, flags, out_exp, kind (version 1: 0), reserved
LAYER = struct.Struct("<IIBBBBBbBB")
# version 2: in_h, in_w, in_c, kernel_h, kernel_w, stride_h, stride_w, pad_top, pad_left,
# pad_bottom, pad_right, groups, src, reserved
GEOMETRY = struct.Struct("<14H")
SRC_INPUT = 0xFFFF  # `src` of an add whose operand b is the network input
KIND_CODES = {kind: code for code, kind in enumerate(KINDS)}  # dense 0, conv2d 1, maxpool 2, avgpool 3, add 4

FLAG_RELU = 1
FLAG_RAW_OUTPUT = 2
FLAG_PER_CHANNEL = 4


def _pad4(count):
    return b"\0" * ((-count) % 4)


def geometry(layer):
    """The 14 u16 geometry fields of a version-2 layer record (all 0 for dense)."""
    if layer.kind == "dense":
        return (0,) * 14
    h, w, c = layer.in_shape
    if layer.kind == "add":
        return (h, w, c) + (0,) * 9 + (SRC_INPUT if layer.src == INPUT else layer.src, 0)
    (kh, kw), (sh, sw) = layer.kernel, layer.stride
    if layer.kind == "conv2d":
        return (h, w, c, kh, kw, sh, sw, *layer.padding, layer.groups, 0, 0)
    return (h, w, c, kh, kw, sh, sw) + (0,) * 7


def model_version(model):
    """1 for a network of dense layers only, else 2."""
    return VERSION_DENSE if all(layer.kind == "dense" for layer in model.layers) else VERSION_CNN


def encode(model: IntModel, origin="model") -> bytes:
    """The .skm image of a model (model-format.md); raises ModelError if invalid."""
    model.validate(origin)
    version = model_version(model)
    payload = bytearray(NETWORK.pack(len(model.layers), model.in_bits, int(model.in_signed), model.in_exp, 0))
    for layer in model.layers:
        flags = ((FLAG_RELU if layer.relu else 0) | (FLAG_RAW_OUTPUT if layer.raw_output else 0)
                 | (FLAG_PER_CHANNEL if layer.per_channel else 0))
        payload += LAYER.pack(layer.k if layer.has_weights else 0, layer.n, layer.w_bits if layer.has_weights else 0,
                              layer.out_bits, int(layer.out_signed), ROUNDING_CODES[layer.rounding], flags,
                              layer.out_exp, KIND_CODES[layer.kind], 0)
        if version == VERSION_CNN:
            payload += GEOMETRY.pack(*geometry(layer))
        if not layer.has_weights:
            continue
        w_exp = layer.w_exp.numpy().astype("<i1").tobytes()
        payload += w_exp + _pad4(len(w_exp))
        payload += layer.bias.numpy().astype("<i4").tobytes()
        weights = layer.weights.numpy().astype("<i1").tobytes()  # conv2d: [co][ky][kx][ci], row-major
        payload += weights + _pad4(len(weights))
    payload = bytes(payload)
    return HEADER.pack(MAGIC, version, len(payload), zlib.crc32(payload), 0) + payload


def save(model: IntModel, path):
    """Write a model to `path` atomically (temporary name, then rename)."""
    data = encode(model, str(path))
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".skm-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def decode(data: bytes, origin="model") -> IntModel:
    """Parse a .skm image; raises ModelError naming origin, field and reason. The
    checks run in the order of model-format.md "Validation on load"."""
    if len(data) < HEADER.size:
        raise ModelError(f"{origin}: truncated: {len(data)} bytes, header needs {HEADER.size}")
    magic, version, size, crc, reserved = HEADER.unpack_from(data)
    if len(data) < HEADER.size + size:
        raise ModelError(f"{origin}: truncated: payload_size {size}, file has {len(data) - HEADER.size}")
    if magic != MAGIC:
        raise ModelError(f"{origin}: bad magic {magic!r}, not a .skm file")
    if version not in VERSIONS:
        raise ModelError(f"{origin}: unsupported version {version}")
    payload = data[HEADER.size:HEADER.size + size]
    if zlib.crc32(payload) != crc:
        raise ModelError(f"{origin}: payload CRC-32 mismatch")
    if len(data) > HEADER.size + size:
        raise ModelError(f"{origin}: trailing bytes after the declared payload")
    if reserved:
        raise ModelError(f"{origin}: header reserved field is {reserved}, must be 0")
    reader = _Reader(payload, origin)
    num_layers, in_bits, in_signed, in_exp, reserved = reader.unpack(NETWORK, "network header")
    if reserved or in_signed > 1:
        raise ModelError(f"{origin}: bad network header field (in_signed={in_signed}, reserved={reserved})")
    model = IntModel(in_bits=in_bits, in_signed=bool(in_signed), in_exp=in_exp)
    for i in range(num_layers):
        where = f"{origin}: layer {i}"
        k, n, w_bits, out_bits, out_signed, rounding, flags, out_exp, kind, reserved = reader.unpack(LAYER, f"layer {i}")
        if reserved or out_signed > 1 or rounding not in ROUNDING_NAMES or flags & ~7 or kind >= len(KINDS) \
                or (version == VERSION_DENSE and kind):
            raise ModelError(f"{where}: bad field (out_signed={out_signed}, rounding={rounding}, flags={flags}, "
                             f"kind={kind}, reserved={reserved})")
        kind = KINDS[kind]
        fields = dict(out_bits=out_bits, out_signed=bool(out_signed), out_exp=out_exp,
                      rounding=ROUNDING_NAMES[rounding], relu=bool(flags & FLAG_RELU),
                      raw_output=bool(flags & FLAG_RAW_OUTPUT), per_channel=bool(flags & FLAG_PER_CHANNEL), kind=kind)
        if version == VERSION_CNN:
            fields.update(_decode_geometry(reader.unpack(GEOMETRY, f"layer {i} geometry"), kind, k, n, where))
        if kind in ("dense", "conv2d"):
            exps = n if fields["per_channel"] else 1
            w_exp = reader.array("<i1", exps, f"layer {i} w_exp")
            reader.pad(exps, f"layer {i} w_exp")
            bias = reader.array("<i4", n, f"layer {i} bias")
            weights = reader.array("<i1", n * k, f"layer {i} weights")
            reader.pad(n * k, f"layer {i} weights")
            if kind == "conv2d":
                (kh, kw), cg = fields["kernel"], fields["in_shape"][2] // fields["groups"]
                weights = weights.reshape(n, kh, kw, cg)
            else:
                weights = weights.reshape(n, k)
            fields.update(weights=torch.from_numpy(weights.astype(np.int64)),
                          bias=torch.from_numpy(bias.astype(np.int64)), w_exp=torch.from_numpy(w_exp.astype(np.int64)))
        elif w_bits or flags & (FLAG_RAW_OUTPUT | FLAG_PER_CHANNEL):
            raise ModelError(f"{where}: a {kind} layer has no weights: w_bits={w_bits}, flags={flags} must be 0 / "
                             f"relu only")
        model.layers.append(IntLayer(w_bits=w_bits, **fields))
    if reader.offset != len(payload):
        raise ModelError(f"{origin}: trailing bytes after the last layer record")
    model.validate(origin)
    return model


def _decode_geometry(values, kind, k, n, where):
    """IntLayer geometry fields from a version-2 geometry part, with the per-kind rules
    of model-format.md (unused fields 0, k and n consistent with the geometry)."""
    h, w, c, kh, kw, sh, sw, pt, pl, pb, pr, groups, src, reserved = values
    used = {"dense": 0, "conv2d": 12, "maxpool": 7, "avgpool": 7, "add": 3}[kind]
    unused = values[used:12] + (() if kind == "add" else (src,)) + (reserved,)
    if any(unused):
        raise ModelError(f"{where}: a {kind} layer's unused geometry fields must be 0, got {values}")
    if kind == "dense":
        return {}
    if min(h, w, c) < 1:
        raise ModelError(f"{where}: input shape {h}x{w}x{c} has a zero size")
    fields = {"in_shape": (h, w, c)}
    if kind == "add":
        fields["src"] = INPUT if src == SRC_INPUT else src
        expect_k, expect_n = 0, c
    else:
        fields.update(kernel=(kh, kw), stride=(sh, sw))
        expect_k, expect_n = 0, c
        if kind == "conv2d":
            if groups not in (1, c):
                raise ModelError(f"{where}: groups={groups} must be 1 or in_c={c}")
            fields.update(padding=(pt, pl, pb, pr), groups=groups)
            expect_k, expect_n = kh * kw * (c // groups), (c if groups == c and c > 1 else n)
    if (k, n) != (expect_k, expect_n):
        raise ModelError(f"{where}: k={k}, n={n} inconsistent with the {kind} geometry {values}")
    return fields


def load(path) -> IntModel:
    with open(path, "rb") as f:
        return decode(f.read(), str(path))


class _Reader:
    def __init__(self, data, origin):
        self.data, self.origin, self.offset = data, origin, 0

    def take(self, size, what):
        if self.offset + size > len(self.data):
            raise ModelError(f"{self.origin}: truncated: {what} runs past the payload")
        chunk = self.data[self.offset:self.offset + size]
        self.offset += size
        return chunk

    def unpack(self, layout, what):
        return layout.unpack(self.take(layout.size, what))

    def array(self, dtype, count, what):
        return np.frombuffer(self.take(np.dtype(dtype).itemsize * count, what), dtype=dtype)

    def pad(self, count, what):
        if any(self.take((-count) % 4, f"{what} pad")):
            raise ModelError(f"{self.origin}: {what} pad bytes must be 0")
