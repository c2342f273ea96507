/* sk_kernel_portable.c — the reference accumulation loop: plain C, one output at a
 * time. Every faster kernel is tested against this one. */
#include "sk_kernel.h"

void sk_acc_portable(const sk_layer *l, const int32_t *x, size_t batch, int32_t *acc)
{
    for (size_t b = 0; b < batch; b++) {
        const int32_t *xb = &x[b * l->k];
        for (uint32_t n = 0; n < l->n; n++) {
            const int8_t *w = &l->weights[(size_t)n * l->k];
            /* §3: the validated bound guarantees every partial sum fits int32; the
             * int64 accumulator only keeps the C arithmetic free of signed overflow. */
            int64_t sum = l->bias[n];
            for (uint32_t k = 0; k < l->k; k++)
                sum += (int64_t)w[k] * xb[k];
            acc[b * l->n + n] = (int32_t)sum;
        }
    }
}
