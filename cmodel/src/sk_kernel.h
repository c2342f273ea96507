/* sk_kernel.h — dense accumulation kernels (internal). Each computes, for a whole
 * batch, acc[b][n] = bias[n] + sum_k W[n][k] * x[b][k] exactly (docs/datapath.md §2–§3).
 * Every path must produce the same integers as the portable one; requantization is
 * done afterwards, once, by sk_requantize. */
#ifndef SHIFTKIT_SK_KERNEL_H
#define SHIFTKIT_SK_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "shiftkit/sk_model.h"

typedef void (*sk_acc_kernel_fn)(const sk_layer *layer, const int32_t *x, size_t batch,
                                 int32_t *acc);

void sk_acc_portable(const sk_layer *layer, const int32_t *x, size_t batch, int32_t *acc);

#if defined(__x86_64__) || defined(__i386__)
#define SK_HAVE_AVX2_KERNEL 1
void sk_acc_avx2(const sk_layer *layer, const int32_t *x, size_t batch, int32_t *acc);
#endif

#endif
