/* test_kernels.c — every accumulation kernel gives the portable kernel's integers
 * (docs/datapath.md §2–§3) on awkward shapes: K of every size below 2 vectors and
 * around the 16-wide vector edge (the zero-padded tail chunk), N of every size
 * around the 8-channel block, every batch from 1 to 17 (1 to 7 leftover samples after
 * 0, 1 or 2 full 8-sample blocks, and the single-sample path), 2..8-bit types of both
 * signs, extreme operands, accumulators driven to exactly the int32 bound, and whole
 * layers with per-channel shifts requantized after the active kernel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "shiftkit/shiftkit.h"

static uint64_t rng_state = UINT64_C(0x9E3779B97F4A7C15);

static uint32_t rnd(uint32_t span)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % span);
}

/* A one-layer model with random weights; `extreme` puts operands at their ends. */
static void make_layer(sk_model *m, uint32_t k, uint32_t n, int w_bits, sk_qtype in, bool extreme)
{
    assert_int_equal(sk_model_init(m, 1), SK_OK);
    m->in = in;
    sk_layer *l = &m->layers[0];
    assert_int_equal(sk_layer_alloc(l, k, n, false), SK_OK);
    l->w_bits = w_bits;
    l->out = (sk_qtype){ 8, true };
    const int32_t wmax = sk_weight_max(w_bits);
    for (size_t i = 0; i < (size_t)k * n; i++)
        l->weights[i] = (int8_t)(extreme ? (rnd(2) ? wmax : -wmax) : (int32_t)rnd(2 * wmax + 1) - wmax);
    for (uint32_t c = 0; c < n; c++)
        l->bias[c] = (int32_t)rnd(2001) - 1000;
}

static void fill_x(const sk_model *m, int32_t *x, size_t count, bool extreme)
{
    const int32_t lo = sk_qtype_min(m->in), hi = sk_qtype_max(m->in);
    for (size_t i = 0; i < count; i++)
        x[i] = extreme ? (rnd(2) ? hi : lo) : lo + (int32_t)rnd((uint32_t)(hi - lo + 1));
}

static unsigned long long compared;

static void compare_kernels(const sk_model *m, const int32_t *x, size_t batch)
{
    const sk_layer *l = &m->layers[0];
    int32_t *want = malloc(batch * l->n * sizeof *want), *got = malloc(batch * l->n * sizeof *got);
    assert_non_null(want);
    assert_non_null(got);
    sk_dense_accumulate(m, 0, x, batch, want, SK_KERNEL_PORTABLE);
    for (int k = SK_KERNEL_PORTABLE + 1; k < SK_KERNEL_COUNT; k++) {
        if (!sk_kernel_available((sk_kernel)k))
            continue;
        memset(got, 0x5A, batch * l->n * sizeof *got);
        sk_dense_accumulate(m, 0, x, batch, got, (sk_kernel)k);
        for (size_t i = 0; i < batch * l->n; i++)
            if (got[i] != want[i])
                fail_msg("kernel %s, k=%u n=%u batch=%zu: acc[%zu][%zu] = %d, portable %d",
                         sk_kernel_name((sk_kernel)k), l->k, l->n, batch, i / l->n, i % l->n,
                         got[i], want[i]);
        compared += batch * l->n;
    }
    free(want);
    free(got);
}

/* One random layer of k x n at random 2..8-bit types, compared on `batch` samples. */
static void check_shape(uint32_t k, uint32_t n, size_t batch)
{
    const int w_bits = 2 + (int)rnd(7);
    const sk_qtype in = { 2 + (int)rnd(7), rnd(2) != 0 };
    const bool extreme = rnd(3) == 0;
    sk_model m;
    make_layer(&m, k, n, w_bits, in, extreme);
    int32_t *x = malloc(batch * k * sizeof *x);
    assert_non_null(x);
    fill_x(&m, x, batch * k, extreme);
    compare_kernels(&m, x, batch);
    free(x);
    sk_model_free(&m);
}

static void test_shapes_and_types(void **state)
{
    (void)state;
    if (!sk_kernel_available(SK_KERNEL_AVX2))
        printf("test_kernels: AVX2 not available on this CPU; only the portable kernel runs\n");
    const uint32_t ks[] = { 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 23, 31, 32, 33, 47, 63, 64, 65,
                            127, 129, 784, 1000 };
    const uint32_t ns[] = { 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33 };
    const size_t batches[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 16, 17, 23, 64 };
    size_t i = 0;
    for (size_t a = 0; a < sizeof ks / sizeof ks[0]; a++)
        for (size_t b = 0; b < sizeof ns / sizeof ns[0]; b++, i++)
            check_shape(ks[a], ns[b], batches[i % (sizeof batches / sizeof batches[0])]);
}

/* Every batch from 1 to 17 (each leftover width after 0, 1 and 2 full sample blocks)
 * on K with and without a tail and N with and without a partial channel block. */
static void test_every_batch(void **state)
{
    (void)state;
    const uint32_t ks[] = { 13, 48, 200 };
    const uint32_t ns[] = { 8, 11 };
    for (size_t a = 0; a < sizeof ks / sizeof ks[0]; a++)
        for (size_t b = 0; b < sizeof ns / sizeof ns[0]; b++)
            for (size_t batch = 1; batch <= 17; batch++)
                check_shape(ks[a], ns[b], batch);
}

/* Channel 0 reaches exactly INT32_MAX and channel 1 exactly INT32_MIN (§3). */
static void test_accumulators_at_the_int32_bound(void **state)
{
    (void)state;
    for (uint32_t k = 1; k <= 40; k += 13) {
        sk_model m;
        make_layer(&m, k, 2, 8, (sk_qtype){ 8, true }, false);
        sk_layer *l = &m.layers[0];
        int32_t x[2 * 40];
        int64_t hi = 0, lo = 0;
        for (uint32_t j = 0; j < k; j++) {
            const int w0 = l->weights[j], w1 = l->weights[k + j];
            x[j] = w0 >= 0 ? 127 : -128;     /* sample 0 maximises channel 0 */
            hi += (int64_t)w0 * x[j];
            x[k + j] = w1 >= 0 ? -128 : 127; /* sample 1 minimises channel 1 */
            lo += (int64_t)w1 * x[k + j];
        }
        l->bias[0] = (int32_t)(INT32_MAX - hi);
        l->bias[1] = (int32_t)(INT32_MIN - lo);
        assert_int_equal(sk_model_validate(&m, "bound", NULL), SK_OK);
        int32_t acc[4];
        for (int kern = SK_KERNEL_PORTABLE; kern < SK_KERNEL_COUNT; kern++) {
            if (!sk_kernel_available((sk_kernel)kern))
                continue;
            sk_dense_accumulate(&m, 0, x, 2, acc, (sk_kernel)kern);
            assert_int_equal(acc[0], INT32_MAX);
            assert_int_equal(acc[3], INT32_MIN);
        }
        compare_kernels(&m, x, 2);
        sk_model_free(&m);
    }
}

/* A whole layer through sk_dense_forward (the active kernel, then requantization)
 * with a different shift and rounding per case and per channel: each output equals
 * the portable accumulator requantized at that channel's shift, e_out - e_in - e_w[c]
 * (datapath §4), computed here from the exponents. */
static void test_forward_per_channel(void **state)
{
    (void)state;
    const uint32_t k = 37, n = 13;
    const size_t batch = 11;
    for (int mode = 0; mode < 4; mode++) {
        sk_model m;
        assert_int_equal(sk_model_init(&m, 1), SK_OK);
        m.in = (sk_qtype){ 8, true };
        m.in_exp = -4;
        sk_layer *l = &m.layers[0];
        assert_int_equal(sk_layer_alloc(l, k, n, true), SK_OK);
        l->w_bits = 2 + 2 * mode; /* 2, 4, 6, 8 */
        l->out = (sk_qtype){ 3 + mode, mode % 2 == 0 };
        l->rounding = (sk_rounding)mode;
        l->relu = mode == 1;
        l->out_exp = 2;
        const int32_t wmax = sk_weight_max(l->w_bits);
        for (size_t i = 0; i < (size_t)k * n; i++)
            l->weights[i] = (int8_t)((int32_t)rnd(2 * wmax + 1) - wmax);
        for (uint32_t c = 0; c < n; c++) {
            l->w_exp[c] = (int8_t)(-(int)rnd(12)); /* shifts 6 + 0..11 */
            l->bias[c] = (int32_t)rnd(4001) - 2000;
        }
        assert_int_equal(sk_model_validate(&m, "per-channel", NULL), SK_OK);
        int32_t x[11 * 37], acc[11 * 13], y[11 * 13], want[11 * 13];
        fill_x(&m, x, batch * k, false);
        sk_dense_accumulate(&m, 0, x, batch, want, SK_KERNEL_PORTABLE);
        sk_dense_forward(&m, 0, x, batch, acc, y);
        for (size_t b = 0; b < batch; b++) {
            for (uint32_t c = 0; c < n; c++) {
                const int shift = l->out_exp - m.in_exp - l->w_exp[c];
                assert_int_equal(acc[b * n + c], want[b * n + c]);
                assert_int_equal(y[b * n + c], sk_requantize(want[b * n + c], shift, l->rounding,
                                                             l->out, l->relu));
            }
        }
        sk_model_free(&m);
    }
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(sk_kernel_name(SK_KERNEL_PORTABLE), "portable");
    assert_string_equal(sk_kernel_name(SK_KERNEL_AVX2), "avx2");
    assert_true(sk_kernel_available(SK_KERNEL_PORTABLE));
    assert_true(sk_kernel_active() != SK_KERNEL_AUTO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_shapes_and_types),
        cmocka_unit_test(test_every_batch),
        cmocka_unit_test(test_forward_per_channel),
        cmocka_unit_test(test_accumulators_at_the_int32_bound),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    printf("test_kernels: %llu accumulators compared with the portable kernel\n", compared);
    return failed;
}
