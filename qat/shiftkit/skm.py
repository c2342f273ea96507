"""Reader and writer of the .skm model file, version 1 (docs/model-format.md).

The byte layout is spelled out field by field after the tables of model-format.md so
the two can be compared line by line. Writing validates the model first
(IntModel.validate) and writes atomically: a temporary file renamed into place.
"""

import os
import struct
import tempfile
import zlib

import numpy as np
import torch

from .arith import ROUNDING_CODES, ROUNDING_NAMES
from .intmodel import IntLayer, IntModel, ModelError

MAGIC = b"SKMODEL\0"
VERSION = 1
HEADER = struct.Struct("<8sIIII")  # magic, version, payload_size, payload_crc32, reserved
NETWORK = struct.Struct("<IBBbB")  # num_layers, in_bits, in_signed, in_exp, reserved
LAYER = struct.Struct("<IIBBBBBbH")  # k, n, w_bits, out_bits, out_signed, rounding, flags, out_exp, reserved

FLAG_RELU = 1
FLAG_RAW_OUTPUT = 2
FLAG_PER_CHANNEL = 4


def _pad4(count):
    return b"\0" * ((-count) % 4)


def encode(model: IntModel, origin="model") -> bytes:
    """The .skm image of a model (model-format.md); raises ModelError if invalid."""
    model.validate(origin)
    payload = bytearray(NETWORK.pack(len(model.layers), model.in_bits, int(model.in_signed), model.in_exp, 0))
    for layer in model.layers:
        flags = ((FLAG_RELU if layer.relu else 0) | (FLAG_RAW_OUTPUT if layer.raw_output else 0)
                 | (FLAG_PER_CHANNEL if layer.per_channel else 0))
        payload += LAYER.pack(layer.k, layer.n, layer.w_bits, layer.out_bits, int(layer.out_signed),
                              ROUNDING_CODES[layer.rounding], flags, layer.out_exp, 0)
        w_exp = layer.w_exp.numpy().astype("<i1").tobytes()
        payload += w_exp + _pad4(len(w_exp))
        payload += layer.bias.numpy().astype("<i4").tobytes()
        weights = layer.weights.numpy().astype("<i1").tobytes()
        payload += weights + _pad4(len(weights))
    payload = bytes(payload)
    return HEADER.pack(MAGIC, VERSION, len(payload), zlib.crc32(payload), 0) + payload


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
    if version != VERSION:
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
        k, n, w_bits, out_bits, out_signed, rounding, flags, out_exp, reserved = reader.unpack(LAYER, f"layer {i}")
        if reserved or out_signed > 1 or rounding not in ROUNDING_NAMES or flags & ~7:
            raise ModelError(f"{origin}: layer {i}: bad field (out_signed={out_signed}, rounding={rounding}, "
                             f"flags={flags}, reserved={reserved})")
        per_channel = bool(flags & FLAG_PER_CHANNEL)
        exps = n if per_channel else 1
        w_exp = reader.array("<i1", exps, f"layer {i} w_exp")
        reader.pad(exps, f"layer {i} w_exp")
        bias = reader.array("<i4", n, f"layer {i} bias")
        weights = reader.array("<i1", n * k, f"layer {i} weights").reshape(n, k)
        reader.pad(n * k, f"layer {i} weights")
        model.layers.append(IntLayer(
            weights=torch.from_numpy(weights.astype(np.int64)), bias=torch.from_numpy(bias.astype(np.int64)),
            w_exp=torch.from_numpy(w_exp.astype(np.int64)), w_bits=w_bits, out_bits=out_bits,
            out_signed=bool(out_signed), out_exp=out_exp, rounding=ROUNDING_NAMES[rounding],
            relu=bool(flags & FLAG_RELU), raw_output=bool(flags & FLAG_RAW_OUTPUT), per_channel=per_channel))
    if reader.offset != len(payload):
        raise ModelError(f"{origin}: trailing bytes after the last layer record")
    model.validate(origin)
    return model


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
