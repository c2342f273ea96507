/* sk_kernel_avx2.c — AVX2 accumulation: activations widened once to int16, weights
 * widened on load (vpmovsxbw), 16 products per vpmaddwd, in register blocks of
 * 4 output channels x 2 samples so each load feeds several multiplies.
 *
 * Exactness: a product is at most 127 * 255 in magnitude and vpmaddwd adds pairs
 * into int32 without saturation; each int32 lane then holds a partial sum of a
 * subset of the channel's terms, which the §3 bound of every validated model keeps
 * inside int32, as it does the horizontal sum and the bias. So the result equals the
 * portable kernel's bit for bit. The file is compiled for the baseline ISA; only
 * these functions carry target("avx2"), and they run only where CPUID reports it. */
#include "sk_kernel.h"

#ifdef SK_HAVE_AVX2_KERNEL

#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

#define SK_AVX2 __attribute__((target("avx2")))
/* 4 x 2 accumulators plus 4 weight and 2 activation vectors fit the 16 ymm
 * registers; a 4 x 4 block spills. */
enum { ROWS = 4, COLS = 2, CHUNK = 16 };

SK_AVX2 static int32_t hsum_epi32(__m256i v)
{
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
}

/* One block: rows n0..n0+nr-1 by samples b0..b0+nb-1 (nr <= ROWS, nb <= COLS). Missing rows or
 * samples repeat the first one and are not stored, so the inner loop has no
 * branches. */
SK_AVX2 static void block(const sk_layer *l, const int16_t *x16, size_t k16, size_t b0,
                          size_t nb, uint32_t n0, uint32_t nr, int32_t *acc)
{
    const size_t k = l->k, full = k / CHUNK * CHUNK;
    const int8_t *w[ROWS];
    const int16_t *xs[COLS];
    for (uint32_t i = 0; i < ROWS; i++)
        w[i] = &l->weights[(size_t)(n0 + (i < nr ? i : 0)) * k];
    for (size_t j = 0; j < COLS; j++)
        xs[j] = &x16[(b0 + (j < nb ? j : 0)) * k16];

    __m256i sum[ROWS][COLS];
#pragma GCC unroll 4
    for (int i = 0; i < ROWS; i++)
#pragma GCC unroll 4
        for (int j = 0; j < COLS; j++)
            sum[i][j] = _mm256_setzero_si256();
    /* Fully unrolled so the accumulators stay in registers (-O2 does not unroll). */
    for (size_t kk = 0; kk < full; kk += CHUNK) {
        __m256i wv[ROWS], xv[COLS];
#pragma GCC unroll 4
        for (int i = 0; i < ROWS; i++)
            wv[i] = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(w[i] + kk)));
#pragma GCC unroll 4
        for (int j = 0; j < COLS; j++)
            xv[j] = _mm256_loadu_si256((const __m256i *)(xs[j] + kk));
#pragma GCC unroll 4
        for (int i = 0; i < ROWS; i++)
#pragma GCC unroll 4
            for (int j = 0; j < COLS; j++)
                sum[i][j] = _mm256_add_epi32(sum[i][j], _mm256_madd_epi16(wv[i], xv[j]));
    }
    for (uint32_t i = 0; i < nr; i++) {
        for (size_t j = 0; j < nb; j++) {
            int32_t s = hsum_epi32(sum[i][j]);
            for (size_t kk = full; kk < k; kk++) /* the k % 16 tail */
                s += (int32_t)w[i][kk] * xs[j][kk];
            acc[(b0 + j) * l->n + n0 + i] = s + l->bias[n0 + i];
        }
    }
}

SK_AVX2 void sk_acc_avx2(const sk_layer *l, const int32_t *x, size_t batch, int32_t *acc)
{
    const size_t k16 = (l->k + CHUNK - 1) / CHUNK * CHUNK;
    int16_t *x16 = aligned_alloc(32, batch * k16 * sizeof *x16);
    if (!x16) { /* no memory for the widened copy: the reference path needs none */
        sk_acc_portable(l, x, batch, acc);
        return;
    }
    for (size_t b = 0; b < batch; b++) {
        for (size_t kk = 0; kk < l->k; kk++)
            x16[b * k16 + kk] = (int16_t)x[b * l->k + kk]; /* 2..8-bit values fit */
        memset(&x16[b * k16 + l->k], 0, (k16 - l->k) * sizeof *x16);
    }
    for (uint32_t n0 = 0; n0 < l->n; n0 += ROWS) {
        const uint32_t nr = l->n - n0 < ROWS ? l->n - n0 : ROWS;
        for (size_t b0 = 0; b0 < batch; b0 += COLS)
            block(l, x16, k16, b0, batch - b0 < COLS ? batch - b0 : COLS, n0, nr, acc);
    }
    free(x16);
}

#endif
