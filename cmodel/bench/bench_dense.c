/* bench_dense.c — golden dense-layer throughput per accumulation kernel.
 *
 * Usage: bench_dense K N BATCH [MIN_SECONDS]
 * Prints one JSON object per available kernel on stdout:
 *   {"k":..,"n":..,"batch":..,"kernel":"avx2","gmac_per_s":..,"threads":1}
 * The timed region is one layer: accumulate with the kernel, then requantize every
 * output (as PyTorch's quantized Linear does), single-threaded, repeated until
 * MIN_SECONDS have passed; the best of three such rounds is kept. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "shiftkit/shiftkit.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_dense K N BATCH [MIN_SECONDS]\n");
        return 2;
    }
    const uint32_t k = (uint32_t)atoi(argv[1]), n = (uint32_t)atoi(argv[2]);
    const size_t batch = (size_t)atoi(argv[3]);
    const double min_s = argc > 4 ? atof(argv[4]) : 0.3;
    if (k == 0 || n == 0 || batch == 0 || k > 65535 || n > 65535) {
        fprintf(stderr, "bench_dense: K, N in 1..65535 and BATCH >= 1\n");
        return 2;
    }
    sk_model m;
    if (sk_model_init(&m, 1) != SK_OK || sk_layer_alloc(&m.layers[0], k, n, false) != SK_OK)
        return 1;
    sk_layer *l = &m.layers[0];
    l->w_bits = 8;
    l->out = (sk_qtype){ 8, true };
    l->w_exp[0] = -10; /* shift 10 */
    unsigned seed = 1;
    for (size_t i = 0; i < (size_t)k * n; i++)
        l->weights[i] = (int8_t)(rand_r(&seed) % 255 - 127);
    int32_t *x = malloc(batch * k * sizeof *x), *y = malloc(batch * n * sizeof *y);
    if (!x || !y)
        return 1;
    for (size_t i = 0; i < batch * k; i++)
        x[i] = rand_r(&seed) % 256 - 128;
    sk_error err;
    if (sk_model_validate(&m, "bench", &err) != SK_OK) {
        fprintf(stderr, "bench_dense: %s\n", err.msg);
        return 1;
    }
    for (int kern = SK_KERNEL_PORTABLE; kern < SK_KERNEL_COUNT; kern++) {
        if (!sk_kernel_available((sk_kernel)kern))
            continue;
        double best = 0;
        for (int round = 0; round < 3; round++) {
            unsigned long reps = 0;
            const double t0 = now_s();
            double t;
            do {
                sk_dense_accumulate(&m, 0, x, batch, y, (sk_kernel)kern);
                for (size_t i = 0; i < batch * n; i++)
                    y[i] = sk_requantize(y[i], 10, SK_ROUND_HALF_EVEN, l->out, false);
                reps++;
                t = now_s() - t0;
            } while (t < min_s);
            const double gmacs = (double)reps * (double)k * n * batch / t * 1e-9;
            if (gmacs > best)
                best = gmacs;
        }
        printf("{\"k\": %u, \"n\": %u, \"batch\": %zu, \"kernel\": \"%s\", \"gmac_per_s\": %.3f, "
               "\"threads\": 1}\n", k, n, batch, sk_kernel_name((sk_kernel)kern), best);
        fflush(stdout);
    }
    free(x);
    free(y);
    sk_model_free(&m);
    return 0;
}
