/* sk_npy.h — NumPy .npy files (format 1.0/2.0/3.0 read, 1.0 written) holding int8,
 * uint8 or int32 arrays of up to 4 dimensions in C order: inputs, expected outputs
 * and per-layer traces. */
#ifndef SHIFTKIT_SK_NPY_H
#define SHIFTKIT_SK_NPY_H

#include <stddef.h>
#include <stdint.h>

#include "shiftkit/sk_status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SK_NPY_MAX_DIMS 4

typedef enum sk_dtype { SK_DTYPE_INT8 = 0, SK_DTYPE_UINT8, SK_DTYPE_INT32 } sk_dtype;

/* A dense C-order array. Values are held widened to int32 whatever the file dtype. */
typedef struct sk_tensor {
    sk_dtype dtype;                 /* the dtype on disk */
    unsigned ndim;                  /* 1..SK_NPY_MAX_DIMS */
    size_t shape[SK_NPY_MAX_DIMS];
    int32_t *data;                  /* [sk_tensor_count] */
} sk_tensor;

size_t sk_tensor_count(const sk_tensor *t);
/* Allocate a zeroed 2-D tensor rows x cols. */
SK_MUST_CHECK sk_status sk_tensor_alloc2(sk_tensor *t, sk_dtype dtype, size_t rows, size_t cols);
void sk_tensor_free(sk_tensor *t);

SK_MUST_CHECK sk_status sk_npy_parse(const uint8_t *data, size_t size, const char *origin,
                                     sk_tensor *t, sk_error *err);
SK_MUST_CHECK sk_status sk_npy_load(const char *path, sk_tensor *t, sk_error *err);
/* Write atomically; fails with SK_ERR_NPY_DTYPE if a value does not fit the dtype. */
SK_MUST_CHECK sk_status sk_npy_save(const sk_tensor *t, const char *path, sk_error *err);

#ifdef __cplusplus
}
#endif
#endif
