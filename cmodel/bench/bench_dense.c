/* bench_dense.c — golden dense-layer throughput per accumulation kernel, and the
 * peak of the instruction the fastest kernel is built on.
 *
 * Usage: bench_dense K N BATCH [MIN_SECONDS] [--peak]
 * Prints one JSON object per available kernel on stdout:
 *   {"k":..,"n":..,"batch":..,"kernel":"avx2","gmac_per_s":..,"threads":1,"timer":"cpu"}
 * and with --peak (on a CPU with AVX2) one more:
 *   {"peak":"vpmaddwd","macs_per_instruction":16,"chains":12,"gmac_per_s":..,"threads":1,...}
 *
 * The timed region of a kernel is one layer: accumulate with the kernel, then
 * requantize every output (as PyTorch's quantized Linear does), single-threaded,
 * repeated until MIN_SECONDS of this process's CPU time have passed. Every entry
 * (each kernel, and the peak loop) runs once per round, the entries alternating, for
 * ROUNDS rounds; the best round of each is kept. Alternating, and timing CPU seconds
 * rather than wall seconds, keeps the ratios between entries stable on a shared
 * machine: a neighbour that takes the core for a while hits every entry alike and
 * is not counted as our time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shiftkit/shiftkit.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define BENCH_HAVE_PEAK 1
#endif

enum { ROUNDS = 3, PEAK_CHAINS = 12 };

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#ifdef BENCH_HAVE_PEAK
/* The register-only peak of vpmaddwd (16 int16 products, summed in pairs to 8 int32:
 * 16 MACs), the one multiply of the AVX2 kernel. PEAK_CHAINS independent dependency
 * chains, more than latency x throughput on any AVX2 core (5 x 2 on recent Intel, 4
 * x 0.5 on Zen 1), so the loop runs at the multiplier's throughput. The instruction is
 * inline asm (volatile, registers in and out) so the compiler can neither fold nor
 * drop it; the results are returned so the chains are live. Returns instructions
 * executed. */
__attribute__((target("avx2"), noinline)) static unsigned long long
peak_vpmaddwd(unsigned long long iters, int *sink)
{
    __m256i a[PEAK_CHAINS];
    const __m256i b = _mm256_set1_epi16(3);
#pragma GCC unroll 16
    for (int i = 0; i < PEAK_CHAINS; i++)
        a[i] = _mm256_set1_epi16((short)(i + 1));
    for (unsigned long long it = 0; it < iters; it++) {
#pragma GCC unroll 16
        for (int i = 0; i < PEAK_CHAINS; i++)
            __asm__ volatile("vpmaddwd %1, %0, %0" : "+x"(a[i]) : "x"(b));
    }
    __m256i r = a[0];
#pragma GCC unroll 16
    for (int i = 1; i < PEAK_CHAINS; i++)
        r = _mm256_xor_si256(r, a[i]);
    *sink ^= _mm256_extract_epi32(r, 0);
    return iters * PEAK_CHAINS;
}
#endif

typedef struct entry {
    int kernel;  /* an sk_kernel, or -1 for the peak loop */
    double best; /* GMAC/s */
} entry;

int main(int argc, char **argv)
{
    int peak = 0, pos = 0;
    const char *args[4] = { 0 };
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--peak"))
            peak = 1;
        else if (pos < 4)
            args[pos++] = argv[i];
        else
            pos = 5;
    }
    if (pos < 3 || pos > 4) {
        fprintf(stderr, "usage: bench_dense K N BATCH [MIN_SECONDS] [--peak]\n");
        return 2;
    }
    const uint32_t k = (uint32_t)atoi(args[0]), n = (uint32_t)atoi(args[1]);
    const size_t batch = (size_t)atoi(args[2]);
    const double min_s = args[3] ? atof(args[3]) : 0.3;
    if (k == 0 || n == 0 || batch == 0 || k > 65535 || n > 65535 || !(min_s > 0)) {
        fprintf(stderr, "bench_dense: K, N in 1..65535, BATCH >= 1, MIN_SECONDS > 0\n");
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

    entry entries[SK_KERNEL_COUNT + 1];
    int count = 0;
    for (int kern = SK_KERNEL_PORTABLE; kern < SK_KERNEL_COUNT; kern++)
        if (sk_kernel_available((sk_kernel)kern))
            entries[count++] = (entry){ kern, 0 };
#ifdef BENCH_HAVE_PEAK
    if (peak && __builtin_cpu_supports("avx2"))
        entries[count++] = (entry){ -1, 0 };
#endif
    if (peak && entries[count - 1].kernel != -1)
        fprintf(stderr, "bench_dense: no AVX2 on this CPU or build: no peak figure\n");

    int sink = 0;
    for (int round = 0; round < ROUNDS; round++) {
        for (int e = 0; e < count; e++) {
            double macs = 0, t;
            const double t0 = cpu_s();
            do {
                if (entries[e].kernel < 0) {
#ifdef BENCH_HAVE_PEAK
                    macs += 16.0 * (double)peak_vpmaddwd(1u << 20, &sink);
#endif
                } else {
                    sk_dense_accumulate(&m, 0, x, batch, y, (sk_kernel)entries[e].kernel);
                    for (size_t i = 0; i < batch * n; i++)
                        y[i] = sk_requantize(y[i], 10, SK_ROUND_HALF_EVEN, l->out, false);
                    macs += (double)k * n * batch;
                }
                t = cpu_s() - t0;
            } while (t < min_s);
            if (macs / t * 1e-9 > entries[e].best)
                entries[e].best = macs / t * 1e-9;
        }
    }
    for (int e = 0; e < count; e++) {
        if (entries[e].kernel < 0)
            printf("{\"peak\": \"vpmaddwd\", \"macs_per_instruction\": 16, \"chains\": %d, "
                   "\"gmac_per_s\": %.3f, \"threads\": 1, \"timer\": \"cpu\", \"sink\": %d}\n",
                   PEAK_CHAINS, entries[e].best, sink & 1);
        else
            printf("{\"k\": %u, \"n\": %u, \"batch\": %zu, \"kernel\": \"%s\", \"gmac_per_s\": %.3f, "
                   "\"threads\": 1, \"timer\": \"cpu\"}\n", k, n, batch,
                   sk_kernel_name((sk_kernel)entries[e].kernel), entries[e].best);
    }
    free(x);
    free(y);
    sk_model_free(&m);
    return 0;
}
