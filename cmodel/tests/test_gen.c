/* test_gen.c — the case generator keeps its contract (docs/datapath.md §9):
 * deterministic per (seed, index), always valid, and covering within a small batch
 * of cases every corner the spec names: ties (positive and negative) in every
 * rounding mode, saturation both ways, the shifts -16 and 31, accumulators at exactly
 * INT32_MAX and INT32_MIN, every bit width 2..8 for inputs, weights and outputs,
 * per-channel and per-layer shifts, ReLU and a raw head. Coverage is measured from
 * the accumulators the golden trace reports, classified here with plain integer
 * arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "shiftkit/shiftkit.h"

/* Generate case (seed, idx) twice: the two models serialize to the same bytes and the
 * inputs are equal. Returns the first model and input (the caller frees them) and the
 * .skm version byte of its file. */
static uint8_t assert_case_replays(uint32_t seed, uint32_t idx, const sk_gen_limits *limits,
                                   sk_model *m1, sk_tensor *i1)
{
    uint8_t *a, *b;
    size_t na, nb;
    sk_model m2;
    sk_tensor i2;
    assert_int_equal(sk_gen_case(seed, idx, limits, m1, i1, NULL), SK_OK);
    assert_int_equal(sk_gen_case(seed, idx, limits, &m2, &i2, NULL), SK_OK);
    assert_int_equal(sk_model_serialize(m1, &a, &na, NULL), SK_OK);
    assert_int_equal(sk_model_serialize(&m2, &b, &nb, NULL), SK_OK);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    assert_int_equal(sk_tensor_count(i1), sk_tensor_count(&i2));
    assert_memory_equal(i1->data, i2.data, sk_tensor_count(i1) * sizeof(int32_t));
    uint8_t version = a[8];
    free(a);
    free(b);
    sk_model_free(&m2);
    sk_tensor_free(&i2);
    return version;
}

static void test_deterministic(void **state)
{
    (void)state;
    sk_gen_limits limits;
    sk_gen_default_limits(&limits);
    for (uint32_t idx = 0; idx < 16; idx++) {
        sk_model m1;
        sk_tensor i1;
        /* dense-only models are written as .skm version 1 (docs/model-format.md) */
        assert_int_equal(assert_case_replays(7, idx, &limits, &m1, &i1), 1);
        sk_model_free(&m1);
        sk_tensor_free(&i1);
    }
    /* A different seed gives a different case. */
    sk_model m1, m2;
    sk_tensor i1, i2;
    uint8_t *a, *b;
    size_t na, nb;
    assert_int_equal(sk_gen_case(1, 0, &limits, &m1, &i1, NULL), SK_OK);
    assert_int_equal(sk_gen_case(2, 0, &limits, &m2, &i2, NULL), SK_OK);
    assert_int_equal(sk_model_serialize(&m1, &a, &na, NULL), SK_OK);
    assert_int_equal(sk_model_serialize(&m2, &b, &nb, NULL), SK_OK);
    assert_true(na != nb || memcmp(a, b, na) != 0);
    free(a);
    free(b);
    sk_model_free(&m1);
    sk_model_free(&m2);
    sk_tensor_free(&i1);
    sk_tensor_free(&i2);
}

static void test_respects_limits(void **state)
{
    (void)state;
    sk_gen_limits limits = { .max_layers = 2, .max_dim = 5, .max_batch = 3 };
    for (uint32_t idx = 0; idx < 64; idx++) {
        sk_model m;
        sk_tensor in;
        assert_int_equal(sk_gen_case(3, idx, &limits, &m, &in, NULL), SK_OK);
        assert_true(m.num_layers <= 2);
        assert_true(in.shape[0] >= 1 && in.shape[0] <= 3);
        for (uint32_t i = 0; i < m.num_layers; i++)
            assert_true(m.layers[i].k <= 5 && m.layers[i].n <= 5);
        sk_model_free(&m);
        sk_tensor_free(&in);
    }
    sk_gen_limits bad = { 0, 5, 3, false };
    sk_model m;
    sk_tensor in;
    assert_int_equal(sk_gen_case(3, 0, &bad, &m, &in, NULL), SK_ERR_BAD_ARG);
}

typedef struct coverage {
    unsigned tie_pos[SK_ROUND_COUNT], tie_neg[SK_ROUND_COUNT];
    unsigned tie_wide_shift, sat_hi, sat_lo, shift_min, shift_max, acc_max, acc_min;
    unsigned in_bits[9], w_bits[9], out_bits[9];
    unsigned per_channel, per_layer, relu, raw, multi_layer;
} coverage;

static void classify(const sk_model *m, const sk_trace *t, coverage *cov)
{
    cov->in_bits[m->in.bits]++;
    if (m->num_layers > 1)
        cov->multi_layer++;
    for (uint32_t li = 0; li < m->num_layers; li++) {
        const sk_layer *l = &m->layers[li];
        cov->w_bits[l->w_bits]++;
        cov->out_bits[l->out.bits]++;
        l->per_channel ? cov->per_channel++ : cov->per_layer++;
        cov->relu += l->relu;
        cov->raw += l->raw_output;
        const size_t batch = t->acc[li].shape[0];
        for (size_t b = 0; b < batch; b++) {
            for (uint32_t n = 0; n < l->n; n++) {
                const int64_t acc = t->acc[li].data[b * l->n + n];
                cov->acc_max += acc == INT32_MAX;
                cov->acc_min += acc == INT32_MIN;
                if (l->raw_output)
                    continue;
                const int s = sk_layer_shift(m, li, n);
                cov->shift_min += s == SK_SHIFT_MIN;
                cov->shift_max += s == SK_SHIFT_MAX;
                int64_t q; /* exact floor(acc / 2^s) or acc * 2^-s */
                if (s > 0) {
                    const int64_t d = INT64_C(1) << s;
                    const int64_t r = ((acc % d) + d) % d;
                    q = (acc - r) / d;
                    if (r == d / 2) {
                        (acc > 0 ? cov->tie_pos : cov->tie_neg)[l->rounding]++;
                        cov->tie_wide_shift += s >= 16;
                    }
                } else {
                    q = acc * (INT64_C(1) << -s);
                }
                const int64_t hi = l->out.is_signed ? (1 << (l->out.bits - 1)) - 1
                                                    : (1 << l->out.bits) - 1;
                const int64_t lo = l->out.is_signed ? -(1 << (l->out.bits - 1)) : 0;
                cov->sat_hi += q > hi;
                cov->sat_lo += q < lo - 1; /* clearly below, whatever the rounding */
            }
        }
    }
}

static void test_covers_every_corner(void **state)
{
    (void)state;
    sk_gen_limits limits;
    sk_gen_default_limits(&limits);
    coverage cov;
    memset(&cov, 0, sizeof cov);
    const uint32_t cases = 200; /* the count of the acceptance run */
    for (uint32_t idx = 0; idx < cases; idx++) {
        sk_model m;
        sk_tensor in, out;
        sk_trace trace;
        assert_int_equal(sk_gen_case(1, idx, &limits, &m, &in, NULL), SK_OK);
        assert_int_equal(sk_infer(&m, &in, "gen", &out, &trace, NULL), SK_OK);
        classify(&m, &trace, &cov);
        sk_trace_free(&trace);
        sk_tensor_free(&out);
        sk_tensor_free(&in);
        sk_model_free(&m);
    }
    for (int mode = 0; mode < SK_ROUND_COUNT; mode++) {
        printf("  %-9s ties: %u positive, %u negative\n", sk_rounding_name((sk_rounding)mode),
               cov.tie_pos[mode], cov.tie_neg[mode]);
        assert_true(cov.tie_pos[mode] >= 10);
        assert_true(cov.tie_neg[mode] >= 10);
    }
    printf("  ties at shifts >= 16: %u\n", cov.tie_wide_shift);
    assert_true(cov.tie_wide_shift >= 1);
    printf("  saturated high %u, low %u; shift -16 %u, 31 %u; acc INT32_MAX %u, INT32_MIN %u\n",
           cov.sat_hi, cov.sat_lo, cov.shift_min, cov.shift_max, cov.acc_max, cov.acc_min);
    assert_true(cov.sat_hi >= 10 && cov.sat_lo >= 10);
    assert_true(cov.shift_min >= 1 && cov.shift_max >= 1);
    assert_true(cov.acc_max >= 1 && cov.acc_min >= 1);
    for (int bits = SK_BITS_MIN; bits <= SK_BITS_MAX; bits++) {
        assert_true(cov.in_bits[bits] >= 1);
        assert_true(cov.w_bits[bits] >= 1);
        assert_true(cov.out_bits[bits] >= 1);
    }
    assert_true(cov.per_channel >= 1 && cov.per_layer >= 1);
    assert_true(cov.relu >= 1 && cov.raw >= 1 && cov.multi_layer >= 1);
}

/* The CNN family replays too, writes version-2 models, and every case runs. */
static void test_cnn_family_deterministic(void **state)
{
    (void)state;
    sk_gen_limits limits;
    sk_gen_default_limits(&limits);
    limits.cnn = true;
    for (uint32_t idx = 0; idx < 18; idx++) {
        sk_model m1;
        sk_tensor i1, out;
        /* .skm version 2: the first layer is spatial */
        assert_int_equal(assert_case_replays(9, idx, &limits, &m1, &i1), 2);
        assert_int_equal(i1.ndim, 4);
        assert_int_equal(sk_infer(&m1, &i1, "gen", &out, NULL, NULL), SK_OK);
        sk_tensor_free(&out);
        sk_model_free(&m1);
        sk_tensor_free(&i1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cnn_family_deterministic),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_respects_limits),
        cmocka_unit_test(test_covers_every_corner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
