/* sk_infer.h — golden integer inference (docs/datapath.md §2–§8). */
#ifndef SHIFTKIT_SK_INFER_H
#define SHIFTKIT_SK_INFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shiftkit/sk_model.h"
#include "shiftkit/sk_npy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Accumulation kernels (docs/datapath.md §2–§3). All give identical integers; they
 * differ only in speed. The portable C loop is the reference. */
typedef enum sk_kernel {
    SK_KERNEL_AUTO = 0,  /* SHIFTKIT_KERNEL if set, else the fastest this CPU runs */
    SK_KERNEL_PORTABLE,
    SK_KERNEL_AVX2,
    SK_KERNEL_COUNT
} sk_kernel;

/* "auto", "portable", "avx2". */
const char *sk_kernel_name(sk_kernel kernel);
/* Whether this build and CPU can run a kernel. */
bool sk_kernel_available(sk_kernel kernel);
/* The kernel SK_KERNEL_AUTO resolves to: SHIFTKIT_KERNEL=portable|avx2 from the
 * environment if set (an unknown or unavailable name falls back to portable with a
 * one-time warning on stderr), else the fastest available. */
sk_kernel sk_kernel_active(void);

/* acc[b][n] = bias[n] + sum_k W[n][k] x[b][k] for layer `layer`, with a given kernel
 * (an unavailable one runs the portable loop). */
void sk_dense_accumulate(const sk_model *model, uint32_t layer, const int32_t *x, size_t batch,
                         int32_t *acc, sk_kernel kernel);

/* One dense layer of a validated model over a batch. x is [batch][k] in the layer's
 * input type, acc receives [batch][n] accumulators (may be NULL), y receives [batch][n]
 * outputs (the accumulators for a raw layer). */
void sk_dense_forward(const sk_model *model, uint32_t layer, const int32_t *x, size_t batch,
                      int32_t *acc, int32_t *y);

/* Any layer of a validated model over a batch (datapath §2, §11–§14): x is the layer's
 * input ([batch][k] for dense, [batch][H][W][C] flattened otherwise), src an add's
 * operand b (the output of layer geom.src or the network input; NULL for other
 * kinds). acc (may be NULL) receives the accumulators — a maxpool's window maxima —
 * and y the outputs, both [batch] x the layer's output shape. */
void sk_layer_forward(const sk_model *model, uint32_t layer, const int32_t *x, const int32_t *src,
                      size_t batch, int32_t *acc, int32_t *y);

/* Per-layer intermediate tensors: acc[i] and out[i] are [batch][n_i] for a dense layer
 * and [batch][H][W][C] for the other kinds (int32; out[i] carries the layer's output
 * dtype). Filled by sk_infer when requested. */
typedef struct sk_trace {
    uint32_t num_layers;
    sk_tensor *acc;
    sk_tensor *out;
} sk_trace;
void sk_trace_free(sk_trace *trace);

/* dtype of a layer's output on disk: int32 if raw, else int8/uint8 by signedness. */
sk_dtype sk_layer_out_dtype(const sk_layer *layer);

/* Run a validated model on input [batch][k0] (or a 1-D [k0] single sample); when the
 * first layer is spatial also [batch][H][W][C] or [H][W][C] (k0 = H*W*C).
 * Checks the input shape and that every value lies in the declared input type.
 * output becomes [batch][n_last], or [batch][OH][OW][C] when the last layer is
 * spatial; trace (may be NULL) gets every layer. */
SK_MUST_CHECK sk_status sk_infer(const sk_model *model, const sk_tensor *input, const char *origin,
                                 sk_tensor *output, sk_trace *trace, sk_error *err);

/* Flat entry point for foreign-function callers (the Python ctypes binding):
 * parse and validate the .skm image skm[0..skm_size), run `batch` samples of `k`
 * int32 inputs (k = H*W*C in HWC order for a spatial first layer), write batch times
 * the last layer's output size int32 outputs to `output` (capacity
 * output_count). On failure the message goes to msg (capacity msg_size, may be 0). */
SK_MUST_CHECK sk_status sk_infer_flat(const uint8_t *skm, size_t skm_size, const int32_t *input,
                                      size_t batch, size_t k, int32_t *output, size_t output_count,
                                      char *msg, size_t msg_size);

#ifdef __cplusplus
}
#endif
#endif
