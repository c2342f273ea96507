#!/bin/sh
# npy_numpy_check.sh — the golden library's .npy reader and writer against real NumPy.
#
# test_npy.c checks sk_npy against the format text with hand-built bytes; this script
# closes the loop with the reference implementation: files written by np.save (and
# np.lib.format.write_array for format 2.0) must load through sk_npy_load with the
# same dtype, shape and values, and files written by sk_npy_save must load through
# np.load unchanged. The library is called through ctypes on libshiftkit.so.
#
# Usage: cmodel/tests/npy_numpy_check.sh [path/to/libshiftkit.so]
#        (default build/lib/libshiftkit.so; `make lib` builds it). Exit 0 on success.
set -eu
LIB=${1:-${LIBSHIFTKIT_SO:-build/lib/libshiftkit.so}}
PYTHON=${PYTHON:-/usr/bin/python3}
[ -f "$LIB" ] || { echo "npy_numpy_check: $LIB not found (run make lib)" >&2; exit 2; }
exec "$PYTHON" - "$LIB" <<'EOF'
import ctypes, os, shutil, sys, tempfile
import numpy as np

lib = ctypes.CDLL(os.path.abspath(sys.argv[1]))

class Tensor(ctypes.Structure):  # sk_tensor (cmodel/include/shiftkit/sk_npy.h)
    _fields_ = [("dtype", ctypes.c_int), ("ndim", ctypes.c_uint),
                ("shape", ctypes.c_size_t * 4), ("data", ctypes.POINTER(ctypes.c_int32))]

class Error(ctypes.Structure):   # sk_error (sk_status.h)
    _fields_ = [("msg", ctypes.c_char * 512)]

lib.sk_npy_load.argtypes = [ctypes.c_char_p, ctypes.POINTER(Tensor), ctypes.POINTER(Error)]
lib.sk_npy_save.argtypes = [ctypes.POINTER(Tensor), ctypes.c_char_p, ctypes.POINTER(Error)]
lib.sk_tensor_free.argtypes = [ctypes.POINTER(Tensor)]

SK_DTYPE = {np.dtype(np.int8): 0, np.dtype(np.uint8): 1, np.dtype("<i4"): 2}
failures = 0

def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what)

def sk_load(path):
    t, err = Tensor(), Error()
    st = lib.sk_npy_load(path.encode(), ctypes.byref(t), ctypes.byref(err))
    if st != 0:
        return st, err.msg.decode(), None, None
    shape = tuple(t.shape[i] for i in range(t.ndim))
    values = np.ctypeslib.as_array(t.data, shape=(int(np.prod(shape)),)).copy()
    dtype = t.dtype
    lib.sk_tensor_free(ctypes.byref(t))
    return 0, "", dtype, values.reshape(shape)

def sk_save(arr, path):
    flat = np.ascontiguousarray(arr, dtype=np.int32).ravel()
    t, err = Tensor(), Error()
    t.dtype = SK_DTYPE[arr.dtype]
    t.ndim = arr.ndim
    for i, n in enumerate(arr.shape):
        t.shape[i] = n
    t.data = flat.ctypes.data_as(ctypes.POINTER(ctypes.c_int32))
    st = lib.sk_npy_save(ctypes.byref(t), path.encode(), ctypes.byref(err))
    return st, err.msg.decode()

rng = np.random.default_rng(20261204)
arrays = {
    "int8_2d": np.array([[-128, -1, 0], [1, 2, 127]], dtype=np.int8),
    "uint8_1d": np.array([0, 1, 127, 128, 255], dtype=np.uint8),
    "int32_2d": np.array([[-2**31, -1], [0x01020304, 2**31 - 1]], dtype="<i4"),
    "int32_1d": rng.integers(-2**31, 2**31, size=37, dtype=np.int64).astype("<i4"),
    "int8_3d": rng.integers(-128, 128, size=(2, 3, 5)).astype(np.int8),
    "uint8_4d": rng.integers(0, 256, size=(2, 1, 3, 4)).astype(np.uint8),
    "int8_wide": rng.integers(-128, 128, size=(3, 1000)).astype(np.int8),
}

tmp = tempfile.mkdtemp(prefix="sk_npy_numpy_")
try:
    for name, arr in arrays.items():
        # numpy writes, sk_npy reads (format 1.0 by np.save, 2.0 by write_array)
        for version in ((1, 0), (2, 0)):
            path = os.path.join(tmp, "%s_v%d.npy" % (name, version[0]))
            with open(path, "wb") as f:
                np.lib.format.write_array(f, arr, version=version)
            st, msg, dtype, got = sk_load(path)
            what = "%s format %d.0" % (name, version[0])
            check(st == 0, "%s: sk_npy_load failed: %s" % (what, msg))
            if st == 0:
                check(dtype == SK_DTYPE[arr.dtype], "%s: dtype %d" % (what, dtype))
                check(got.shape == arr.shape, "%s: shape %s" % (what, got.shape))
                check(np.array_equal(got, arr.astype(np.int64)), "%s: values differ" % what)
        # sk_npy writes, numpy reads
        path = os.path.join(tmp, "%s_sk.npy" % name)
        st, msg = sk_save(arr, path)
        check(st == 0, "%s: sk_npy_save failed: %s" % (name, msg))
        if st == 0:
            with open(path, "rb") as f:
                check(np.lib.format.read_magic(f) == (1, 0), "%s: not format 1.0" % name)
            back = np.load(path, allow_pickle=False)
            check(back.dtype == arr.dtype, "%s: numpy sees dtype %s" % (name, back.dtype))
            check(back.shape == arr.shape, "%s: numpy sees shape %s" % (name, back.shape))
            check(np.array_equal(back, arr), "%s: numpy sees other values" % name)
            check(back.flags["C_CONTIGUOUS"], "%s: not C order" % name)
            with open(path, "rb") as f:   # data starts at a multiple of 64 (format spec)
                f.read(8)
                hlen = int.from_bytes(f.read(2), "little")
                check((10 + hlen) % 64 == 0, "%s: header length %d not aligned" % (name, hlen))
    # np.save itself (the common path), and a value numpy stores that int8 cannot hold
    path = os.path.join(tmp, "np_save.npy")
    np.save(path, arrays["int8_2d"])
    st, msg, dtype, got = sk_load(path)
    check(st == 0 and np.array_equal(got, arrays["int8_2d"]), "np.save file: %s" % msg)
    path = os.path.join(tmp, "f32.npy")
    np.save(path, np.zeros((2, 2), dtype=np.float32))
    st, msg, _, _ = sk_load(path)
    check(st == 16, "float32 file: status %d (want SK_ERR_NPY_DTYPE = 16)" % st)
finally:
    shutil.rmtree(tmp)

print("npy_numpy_check: %d arrays, %s" % (len(arrays), "FAILED" if failures else "ok"))
sys.exit(1 if failures else 0)
EOF
