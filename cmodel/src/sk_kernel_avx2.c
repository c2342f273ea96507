/* sk_kernel_avx2.c — AVX2 accumulation, built on vpmaddwd (16 int16 products summed
 * in pairs into 8 int32 lanes: 16 MACs per instruction).
 *
 * Data: each activation row is widened once per call to int16 (x16, rows padded
 * with zeros to a multiple of 16); weights stay int8 in the layer and are widened on
 * load (vpmovsxbw). Register blocks:
 *   - 1 channel x 8 samples (the main block): one widened weight vector feeds eight
 *     vpmaddwd whose activation operand comes straight from memory, so the widening
 *     (a shuffle-port op) and the weight load are paid once per 8 multiplies and the
 *     multiplier port stays busy. Samples are the outer loop: 8 rows of x16 stay in L1
 *     while the weights stream past once per 8 samples.
 *   - 1 channel x 2..7 samples for the rows left when the batch is not a multiple of 8;
 *   - 8 channels x 1 sample for a single leftover row (batch 1 is all leftover): one
 *     activation vector feeds 8 weight rows.
 * A pre-widened int16 copy of the weights (cached per layer) was considered: on this
 * blocking the widening costs no multiplier cycles, and at batch 1, where the weights
 * stream from memory, int16 would double the bytes read. Measured figures are in
 * docs/architecture.md ("Golden model speed").
 *
 * K not a multiple of 16: x16 is zero-padded, and the last partial chunk of a weight
 * row is copied into a zeroed 16-byte buffer (reading past the row could leave the
 * array), so the tail is the same vector code with zero products.
 *
 * Exactness: vpmaddwd multiplies int16 exactly (|w| <= 127, |x| <= 255: a pair sums to
 * at most 64770) and adds pairs into int32 without saturation; a lane then sums a
 * subset of the channel's products, at most 127 * 255 * 65535 < 2^31 in magnitude for
 * any K the format allows, so no lane overflows, and the horizontal sum plus the bias
 * is the channel's accumulator, which the §3 bound of a validated model keeps inside
 * int32 (vpaddd wraps like two's complement, so even the order of these adds cannot
 * matter). The result equals the portable kernel's bit for bit.
 *
 * The file is compiled for the baseline ISA; only these functions carry
 * target("avx2"), and they run only where CPUID reports it. */
#include "sk_kernel.h"

#ifdef SK_HAVE_AVX2_KERNEL

#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

#define SK_AVX2 __attribute__((target("avx2")))
#define SK_AVX2_INLINE __attribute__((target("avx2"), always_inline)) static inline

enum { CHUNK = 16, BLOCK = 8 };

/* The horizontal sums of 8 accumulators, in order, as one vector. */
SK_AVX2_INLINE __m256i hsum8(const __m256i s[BLOCK])
{
    const __m256i a = _mm256_hadd_epi32(_mm256_hadd_epi32(s[0], s[1]), _mm256_hadd_epi32(s[2], s[3]));
    const __m256i b = _mm256_hadd_epi32(_mm256_hadd_epi32(s[4], s[5]), _mm256_hadd_epi32(s[6], s[7]));
    /* a holds s0..s3 summed within each 128-bit half, b s4..s7: add the halves. */
    return _mm256_add_epi32(_mm256_permute2x128_si256(a, b, 0x20),
                            _mm256_permute2x128_si256(a, b, 0x31));
}

/* The row's last k - k0 (< 16) weights from k0, widened, then zeros. */
SK_AVX2_INLINE __m256i load_w(const int8_t *row, size_t k0, size_t k)
{
    int8_t tail[CHUNK] = { 0 };
    memcpy(tail, row + k0, k - k0);
    return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)tail));
}

/* Channel n for samples b0..b0+cols-1 (cols <= BLOCK, a constant after inlining). */
SK_AVX2_INLINE void block_1xc(const sk_layer *l, const int16_t *x16, size_t k16, size_t b0,
                              uint32_t n, int32_t *acc, const int cols)
{
    const size_t k = l->k, full = k / CHUNK * CHUNK;
    const int8_t *w = &l->weights[(size_t)n * k];
    const int16_t *xs = &x16[b0 * k16];
    __m256i s[BLOCK];
#pragma GCC unroll 8
    for (int j = 0; j < BLOCK; j++)
        s[j] = _mm256_setzero_si256();
    for (size_t kk = 0; kk < full; kk += CHUNK) {
        const __m256i wv = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(w + kk)));
#pragma GCC unroll 8
        for (int j = 0; j < cols; j++)
            s[j] = _mm256_add_epi32(s[j], _mm256_madd_epi16(
                wv, _mm256_load_si256((const __m256i *)(xs + (size_t)j * k16 + kk))));
    }
    if (full < k) {
        const __m256i wv = load_w(w, full, k);
#pragma GCC unroll 8
        for (int j = 0; j < cols; j++)
            s[j] = _mm256_add_epi32(s[j], _mm256_madd_epi16(
                wv, _mm256_load_si256((const __m256i *)(xs + (size_t)j * k16 + full))));
    }
    int32_t out[BLOCK];
    _mm256_storeu_si256((__m256i *)out, _mm256_add_epi32(hsum8(s), _mm256_set1_epi32(l->bias[n])));
#pragma GCC unroll 8
    for (int j = 0; j < cols; j++)
        acc[(b0 + j) * l->n + n] = out[j];
}

/* Channels n0..n0+rows-1 (rows <= BLOCK, a constant after inlining) for sample b. */
SK_AVX2_INLINE void block_rx1(const sk_layer *l, const int16_t *x16, size_t k16, size_t b,
                              uint32_t n0, int32_t *acc, const int rows)
{
    const size_t k = l->k, full = k / CHUNK * CHUNK;
    const int8_t *w = &l->weights[(size_t)n0 * k];
    const int16_t *xs = &x16[b * k16];
    __m256i s[BLOCK];
#pragma GCC unroll 8
    for (int i = 0; i < BLOCK; i++)
        s[i] = _mm256_setzero_si256();
    for (size_t kk = 0; kk < full; kk += CHUNK) {
        const __m256i xv = _mm256_load_si256((const __m256i *)(xs + kk));
#pragma GCC unroll 8
        for (int i = 0; i < rows; i++)
            s[i] = _mm256_add_epi32(s[i], _mm256_madd_epi16(
                _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(w + (size_t)i * k + kk))), xv));
    }
    if (full < k) {
        const __m256i xv = _mm256_load_si256((const __m256i *)(xs + full));
#pragma GCC unroll 8
        for (int i = 0; i < rows; i++)
            s[i] = _mm256_add_epi32(s[i], _mm256_madd_epi16(load_w(w + (size_t)i * k, full, k), xv));
    }
    int32_t bias[BLOCK] = { 0 }, out[BLOCK];
    memcpy(bias, &l->bias[n0], (size_t)rows * sizeof *bias);
    _mm256_storeu_si256((__m256i *)out,
                        _mm256_add_epi32(hsum8(s), _mm256_loadu_si256((const __m256i *)bias)));
    memcpy(&acc[b * l->n + n0], out, (size_t)rows * sizeof *out);
}

/* One instance per block width, so every inner loop is unrolled for its width. */
#define SK_BLOCK_FNS(c)                                                                      \
    SK_AVX2 static void block_cols_##c(const sk_layer *l, const int16_t *x16, size_t k16,       \
                                    size_t b0, uint32_t n, int32_t *acc)                     \
    {                                                                                        \
        block_1xc(l, x16, k16, b0, n, acc, c);                                               \
    }                                                                                        \
    SK_AVX2 static void block_rows_##c(const sk_layer *l, const int16_t *x16, size_t k16,     \
                                      size_t b, uint32_t n0, int32_t *acc)                   \
    {                                                                                        \
        block_rx1(l, x16, k16, b, n0, acc, c);                                               \
    }
SK_BLOCK_FNS(1)
SK_BLOCK_FNS(2)
SK_BLOCK_FNS(3)
SK_BLOCK_FNS(4)
SK_BLOCK_FNS(5)
SK_BLOCK_FNS(6)
SK_BLOCK_FNS(7)
SK_BLOCK_FNS(8)

typedef void (*block_fn)(const sk_layer *l, const int16_t *x16, size_t k16, size_t b,
                         uint32_t n, int32_t *acc);
/* Indexed by the block's width (1..8): 1 channel x c samples, r channels x 1 sample. */
static const block_fn blocks_1xc[BLOCK + 1] = {
    NULL, block_cols_1, block_cols_2, block_cols_3, block_cols_4, block_cols_5, block_cols_6,
    block_cols_7, block_cols_8
};
static const block_fn blocks_rx1[BLOCK + 1] = {
    NULL, block_rows_1, block_rows_2, block_rows_3, block_rows_4, block_rows_5, block_rows_6,
    block_rows_7, block_rows_8
};

/* x16[b][0..k16) = x[b][0..k) as int16, zero-padded (2..8-bit values fit int16). */
SK_AVX2 static void widen_rows(const int32_t *x, size_t batch, size_t k, size_t k16, int16_t *x16)
{
    for (size_t b = 0; b < batch; b++) {
        const int32_t *src = &x[b * k];
        int16_t *dst = &x16[b * k16];
        size_t kk = 0;
        for (; kk + CHUNK <= k; kk += CHUNK) {
            /* packs interleaves the 128-bit halves; the permute puts them back in order */
            const __m256i p = _mm256_packs_epi32(_mm256_loadu_si256((const __m256i *)(src + kk)),
                                                 _mm256_loadu_si256((const __m256i *)(src + kk + 8)));
            _mm256_store_si256((__m256i *)(dst + kk), _mm256_permute4x64_epi64(p, 0xD8));
        }
        for (; kk < k; kk++)
            dst[kk] = (int16_t)src[kk];
        memset(&dst[k], 0, (k16 - k) * sizeof *dst);
    }
}

SK_AVX2 void sk_acc_avx2(const sk_layer *l, const int32_t *x, size_t batch, int32_t *acc)
{
    const size_t k16 = (l->k + CHUNK - 1) / CHUNK * CHUNK;
    int16_t *x16 = aligned_alloc(32, batch * k16 * sizeof *x16); /* a multiple of 32 bytes */
    if (!x16) { /* no memory for the widened copy: the reference path needs none */
        sk_acc_portable(l, x, batch, acc);
        return;
    }
    widen_rows(x, batch, l->k, k16, x16);
    size_t b0 = 0;
    for (; b0 + BLOCK <= batch; b0 += BLOCK)
        for (uint32_t n = 0; n < l->n; n++)
            block_cols_8(l, x16, k16, b0, n, acc);
    const size_t rest = batch - b0;
    if (rest > 1) {
        for (uint32_t n = 0; n < l->n; n++)
            blocks_1xc[rest](l, x16, k16, b0, n, acc);
    } else if (rest == 1) {
        for (uint32_t n0 = 0; n0 < l->n; n0 += BLOCK)
            blocks_rx1[l->n - n0 < BLOCK ? l->n - n0 : BLOCK](l, x16, k16, b0, n0, acc);
    }
    free(x16);
}

#endif
