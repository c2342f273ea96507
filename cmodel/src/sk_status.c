/* sk_status.c — fixed descriptions of the status codes (sk_status.h). */
#include "shiftkit/sk_status.h"

const char *sk_strerror(sk_status status)
{
    switch (status) {
    case SK_OK: return "ok";
    case SK_ERR_BAD_ARG: return "invalid argument";
    case SK_ERR_NOMEM: return "out of memory";
    case SK_ERR_IO: return "I/O error";
    case SK_ERR_TRUNCATED: return "file truncated";
    case SK_ERR_BAD_MAGIC: return "bad magic";
    case SK_ERR_BAD_VERSION: return "unsupported version";
    case SK_ERR_BAD_CRC: return "CRC mismatch";
    case SK_ERR_TRAILING: return "trailing data";
    case SK_ERR_BAD_SHAPE: return "bad shape";
    case SK_ERR_BITS_RANGE: return "bit width out of range";
    case SK_ERR_WEIGHT_RANGE: return "weight out of range";
    case SK_ERR_SHIFT_RANGE: return "shift out of range";
    case SK_ERR_ACC_BOUND: return "accumulator bound exceeds int32";
    case SK_ERR_BAD_FIELD: return "invalid field";
    case SK_ERR_NPY_FORMAT: return "malformed .npy file";
    case SK_ERR_NPY_DTYPE: return "unsupported .npy dtype";
    case SK_ERR_INPUT_RANGE: return "input value out of range";
    case SK_ERR_MISMATCH: return "output mismatch";
    case SK_ERR_DEVICE: return "device error";
    case SK_STATUS_COUNT: break;
    }
    return "unknown status";
}
