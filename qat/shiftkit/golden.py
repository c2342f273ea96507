"""ctypes binding to the C golden model, libshiftkit (cmodel/include/shiftkit/).

Library lookup, the one documented rule: the path in the environment variable
SHIFTKIT_LIB if set, else build/lib/libshiftkit.so under the repository root
(two levels above this package). Build it with `make lib`. The library is opened on
first use, so `import shiftkit` works without a build.
"""

import ctypes
import os
from pathlib import Path

import numpy as np
import torch

from . import skm
from .arith import check_bits, check_rounding

DEFAULT_LIB = Path(__file__).resolve().parents[2] / "build" / "lib" / "libshiftkit.so"

_lib = None


class GoldenError(RuntimeError):
    """The golden library rejected a model or an input (message from libshiftkit)."""


class _QType(ctypes.Structure):  # sk_qtype in sk_requant.h
    _fields_ = [("bits", ctypes.c_int), ("is_signed", ctypes.c_bool)]


def library_path():
    return Path(os.environ.get("SHIFTKIT_LIB") or DEFAULT_LIB)


def library():
    """The loaded libshiftkit, with argument types declared."""
    global _lib
    if _lib is None:
        path = library_path()
        if not path.exists():
            raise FileNotFoundError(f"golden library {path} not found: run `make lib` in the repository root "
                                    f"or set SHIFTKIT_LIB to libshiftkit.so")
        lib = ctypes.CDLL(str(path))
        lib.sk_requantize.restype = ctypes.c_int32
        lib.sk_requantize.argtypes = [ctypes.c_int32, ctypes.c_int, ctypes.c_int, _QType, ctypes.c_bool]
        lib.sk_shift_round.restype = ctypes.c_int64
        lib.sk_shift_round.argtypes = [ctypes.c_int32, ctypes.c_int, ctypes.c_int]
        lib.sk_strerror.restype = ctypes.c_char_p
        lib.sk_strerror.argtypes = [ctypes.c_int]
        lib.sk_infer_flat.restype = ctypes.c_int
        lib.sk_infer_flat.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_int32),
                                      ctypes.c_size_t, ctypes.c_size_t, ctypes.POINTER(ctypes.c_int32),
                                      ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t]
        _lib = lib
    return _lib


def requantize(acc, shift, mode, out_bits, out_signed, relu):
    """sk_requantize on one value (datapath §4-§6)."""
    check_bits(out_bits, "out_bits")
    return library().sk_requantize(int(acc), int(shift), check_rounding(mode), _QType(out_bits, bool(out_signed)),
                                   bool(relu))


def shift_round(acc, shift, mode):
    """sk_shift_round on one value (datapath §4, §5)."""
    return library().sk_shift_round(int(acc), int(shift), check_rounding(mode))


def infer(model, inputs):
    """Run a model (an IntModel or .skm bytes) on integer inputs [batch, k] (or
    [batch, H, W, C], HWC order, for a spatial first layer) through sk_infer_flat.
    Returns an int64 tensor [batch, output size of the last layer] (HWC flattened)."""
    image = model if isinstance(model, (bytes, bytearray)) else skm.encode(model)
    decoded = skm.decode(bytes(image)) if isinstance(model, (bytes, bytearray)) else model
    x = np.ascontiguousarray(torch.as_tensor(inputs).numpy(), dtype=np.int32)
    if x.ndim not in (2, 4):
        raise ValueError(f"inputs must be [batch, k] or [batch, H, W, C], got shape {x.shape}")
    x = x.reshape(x.shape[0], -1)
    batch, k = x.shape
    out = np.zeros((batch, decoded.layers[-1].out_features), dtype=np.int32)
    msg = ctypes.create_string_buffer(512)
    status = library().sk_infer_flat(bytes(image), len(image), x.ctypes.data_as(ctypes.POINTER(ctypes.c_int32)),
                                     batch, k, out.ctypes.data_as(ctypes.POINTER(ctypes.c_int32)), out.size,
                                     msg, len(msg))
    if status != 0:
        raise GoldenError(f"sk_infer_flat: {library().sk_strerror(status).decode()}: {msg.value.decode()}")
    return torch.from_numpy(out.astype(np.int64))
