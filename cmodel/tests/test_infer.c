/* test_infer.c — golden inference (docs/datapath.md §2–§8) against hand-worked
 * networks and against an independent whole-network reference on generated cases.
 *
 * The reference here shares no code with sk_infer: it accumulates in int64 and
 * rounds the exact quotient with the C library (see test_requant.c for why that is
 * exact). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "shiftkit/shiftkit.h"
#include "sk_test_util.h"

/* ---- independent reference ---- */

static int64_t ref_round(int64_t acc, int s, sk_rounding mode)
{
    const long double v = ldexpl((long double)acc, -s);
    if (s <= 0)
        return (int64_t)v;
    switch (mode) {
    case SK_ROUND_FLOOR: return (int64_t)floorl(v);
    case SK_ROUND_HALF_UP: return (int64_t)floorl(v + 0.5L);
    case SK_ROUND_HALF_AWAY: return (int64_t)roundl(v);
    default: return (int64_t)nearbyintl(v);
    }
}

/* Runs the whole model on one sample; returns the last layer's outputs in out. */
static void ref_forward(const sk_model *m, const int32_t *x0, int64_t *out)
{
    int64_t cur[512], next[512];
    uint32_t k = m->layers[0].k;
    for (uint32_t i = 0; i < k; i++)
        cur[i] = x0[i];
    int e_in = m->in_exp;
    for (uint32_t li = 0; li < m->num_layers; li++) {
        const sk_layer *l = &m->layers[li];
        assert_true(l->n <= 512 && l->k == k);
        for (uint32_t n = 0; n < l->n; n++) {
            int64_t acc = l->bias[n];
            for (uint32_t j = 0; j < k; j++)
                acc += (int64_t)l->weights[(size_t)n * k + j] * cur[j];
            assert_true(acc >= INT32_MIN && acc <= INT32_MAX);
            if (l->raw_output) {
                next[n] = acc;
                continue;
            }
            int s = l->out_exp - e_in - l->w_exp[l->per_channel ? n : 0];
            int64_t v = ref_round(acc, s, l->rounding);
            int64_t lo = l->out.is_signed ? -(INT64_C(1) << (l->out.bits - 1)) : 0;
            int64_t hi = l->out.is_signed ? (INT64_C(1) << (l->out.bits - 1)) - 1
                                          : (INT64_C(1) << l->out.bits) - 1;
            if (l->relu && lo < 0)
                lo = 0;
            next[n] = v < lo ? lo : v > hi ? hi : v;
        }
        k = l->n;
        e_in = l->out_exp;
        memcpy(cur, next, k * sizeof cur[0]);
    }
    memcpy(out, cur, k * sizeof cur[0]);
}

/* ---- hand-worked networks ---- */

/* The worked example of docs/model-format.md: s8 input at e=-7, W = [3, -4] at
 * e_w = -6, bias 10, e_out = -5, so shift 8, half_even, s8 output. */
static void build_format_example(sk_model *m)
{
    assert_int_equal(sk_model_init(m, 1), SK_OK);
    m->in = (sk_qtype){ 8, true };
    m->in_exp = -7;
    sk_layer *l = &m->layers[0];
    assert_int_equal(sk_layer_alloc(l, 2, 1, false), SK_OK);
    l->w_bits = 8;
    l->out = (sk_qtype){ 8, true };
    l->rounding = SK_ROUND_HALF_EVEN;
    l->out_exp = -5;
    l->w_exp[0] = -6;
    l->bias[0] = 10;
    l->weights[0] = 3;
    l->weights[1] = -4;
}

static void test_hand_worked_single_layer(void **state)
{
    (void)state;
    sk_model m;
    build_format_example(&m);
    assert_int_equal(sk_model_validate(&m, "example", NULL), SK_OK);
    assert_int_equal(sk_layer_shift(&m, 0, 0), 8);
    /* acc = 10 + 3 x0 - 4 x1, then / 256 rounded half to even:
     * 510 -> 1.99 -> 2; -882 -> -3.45 -> -3; 140 -> 0.55 -> 1;
     * 384 -> 1.5 (tie) -> 2; -640 -> -2.5 (negative tie) -> -2. */
    int32_t x[] = { 100, -50, -128, 127, 42, -1, 126, 1, -126, 68 };
    const int32_t want[] = { 2, -3, 1, 2, -2 };
    sk_tensor in = { SK_DTYPE_INT8, 2, { 5, 2 }, x }, out;
    sk_error err;
    assert_int_equal(sk_infer(&m, &in, "x", &out, NULL, &err), SK_OK);
    assert_int_equal(out.dtype, SK_DTYPE_INT8);
    assert_int_equal(out.shape[0], 5);
    assert_int_equal(out.shape[1], 1);
    assert_memory_equal(out.data, want, sizeof want);
    sk_tensor_free(&out);
    sk_model_free(&m);
}

/* Two layers: u4 input; layer 0 per-channel shifts 1 and 0, half_up, s4 + ReLU;
 * layer 1 a raw-accumulator head. Every value below was worked by hand from
 * datapath §2–§7. */
static void test_hand_worked_two_layers_with_trace(void **state)
{
    (void)state;
    sk_model m;
    assert_int_equal(sk_model_init(&m, 2), SK_OK);
    m.in = (sk_qtype){ 4, false };
    m.in_exp = 0;
    sk_layer *l0 = &m.layers[0], *l1 = &m.layers[1];
    assert_int_equal(sk_layer_alloc(l0, 2, 2, true), SK_OK);
    l0->w_bits = 4;
    l0->out = (sk_qtype){ 4, true };
    l0->relu = true;
    l0->rounding = SK_ROUND_HALF_UP;
    l0->out_exp = 0;
    l0->w_exp[0] = -1; /* shift 1 */
    l0->w_exp[1] = 0;  /* shift 0 */
    const int8_t w0[] = { 7, -7, 1, 2 };
    memcpy(l0->weights, w0, sizeof w0);
    l0->bias[0] = -3;
    l0->bias[1] = 5;
    assert_int_equal(sk_layer_alloc(l1, 2, 1, false), SK_OK);
    l1->w_bits = 3;
    l1->out = (sk_qtype){ 8, true };
    l1->raw_output = true;
    l1->out_exp = 0;
    l1->w_exp[0] = 0;
    l1->weights[0] = 2;
    l1->weights[1] = -3;
    l1->bias[0] = 100;
    assert_int_equal(sk_model_validate(&m, "two", NULL), SK_OK);

    int32_t x[] = { 15, 4, 0, 3, 1, 0, 2, 0, 0, 0 };
    const int32_t want_acc0[] = { 74, 28, -24, 11, 4, 6, 11, 7, -3, 5 };
    /* 74/2=37->7 (sat), 28->7 (sat); -12->0 (relu), 11->7; 2, 6; 5.5 tie->6, 7;
     * -1.5 tie->-1->0 (relu), 5 */
    const int32_t want_out0[] = { 7, 7, 0, 7, 2, 6, 6, 7, 0, 5 };
    const int32_t want[] = { 93, 79, 86, 91, 85 };
    sk_tensor in = { SK_DTYPE_UINT8, 2, { 5, 2 }, x }, out;
    sk_trace trace;
    sk_error err;
    assert_int_equal(sk_infer(&m, &in, "x", &out, &trace, &err), SK_OK);
    assert_int_equal(out.dtype, SK_DTYPE_INT32);
    assert_memory_equal(out.data, want, sizeof want);
    assert_int_equal(trace.num_layers, 2);
    assert_memory_equal(trace.acc[0].data, want_acc0, sizeof want_acc0);
    assert_memory_equal(trace.out[0].data, want_out0, sizeof want_out0);
    assert_int_equal(trace.out[0].dtype, SK_DTYPE_INT8);
    assert_memory_equal(trace.out[1].data, want, sizeof want);
    assert_memory_equal(trace.acc[1].data, want, sizeof want);
    sk_trace_free(&trace);
    sk_tensor_free(&out);
    sk_model_free(&m);
}

static void test_input_errors(void **state)
{
    (void)state;
    sk_model m;
    build_format_example(&m);
    sk_tensor out;
    sk_error err;
    int32_t x[] = { 1, 2, 3 };
    sk_tensor wrong_k = { SK_DTYPE_INT8, 2, { 1, 3 }, x };
    assert_int_equal(sk_infer(&m, &wrong_k, "in.npy", &out, NULL, &err), SK_ERR_BAD_SHAPE);
    assert_non_null(strstr(err.msg, "in.npy"));
    int32_t big[] = { 1, 128 };
    sk_tensor range = { SK_DTYPE_INT32, 2, { 1, 2 }, big };
    assert_int_equal(sk_infer(&m, &range, "in.npy", &out, NULL, &err), SK_ERR_INPUT_RANGE);
    assert_non_null(strstr(err.msg, "index 1"));
    sk_tensor three_d = { SK_DTYPE_INT8, 3, { 1, 1, 2 }, x };
    assert_int_equal(sk_infer(&m, &three_d, "in.npy", &out, NULL, &err), SK_ERR_BAD_SHAPE);
    /* A 1-D input is one sample. */
    int32_t one[] = { 100, -50 };
    sk_tensor single = { SK_DTYPE_INT8, 1, { 2 }, one };
    assert_int_equal(sk_infer(&m, &single, "in.npy", &out, NULL, &err), SK_OK);
    assert_int_equal(out.data[0], 2);
    sk_tensor_free(&out);
    sk_model_free(&m);
}

static void test_flat_entry_point(void **state)
{
    (void)state;
    sk_model m;
    build_format_example(&m);
    uint8_t *skm;
    size_t size;
    assert_int_equal(sk_model_serialize(&m, &skm, &size, NULL), SK_OK);
    int32_t x[] = { 126, 1, -126, 68 }, y[2] = { 0, 0 };
    char msg[256];
    assert_int_equal(sk_infer_flat(skm, size, x, 2, 2, y, 2, msg, sizeof msg), SK_OK);
    assert_int_equal(y[0], 2);
    assert_int_equal(y[1], -2);
    assert_int_equal(sk_infer_flat(skm, size, x, 2, 2, y, 1, msg, sizeof msg), SK_ERR_BAD_ARG);
    assert_true(strlen(msg) > 0);
    skm[30] ^= 1;
    assert_int_equal(sk_infer_flat(skm, size, x, 2, 2, y, 2, msg, sizeof msg), SK_ERR_BAD_CRC);
    free(skm);
    sk_model_free(&m);
}

/* Every generated case, every sample, every output against the reference. */
static void test_generated_cases_match_reference(void **state)
{
    (void)state;
    sk_gen_limits limits;
    sk_gen_default_limits(&limits);
    unsigned long long outputs = 0;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        for (uint32_t idx = 0; idx < 160; idx++) {
            sk_model m;
            sk_tensor in, out;
            sk_error err;
            assert_int_equal(sk_gen_case(seed, idx, &limits, &m, &in, &err), SK_OK);
            assert_int_equal(sk_infer(&m, &in, "gen", &out, NULL, &err), SK_OK);
            const uint32_t k0 = m.layers[0].k, n = m.layers[m.num_layers - 1].n;
            int64_t want[512];
            for (size_t b = 0; b < in.shape[0]; b++) {
                ref_forward(&m, &in.data[b * k0], want);
                for (uint32_t c = 0; c < n; c++) {
                    if (out.data[b * n + c] != want[c])
                        fail_msg("seed %llu case %u sample %zu channel %u: got %d, reference "
                                 "%lld", (unsigned long long)seed, idx, b, c,
                                 out.data[b * n + c], (long long)want[c]);
                    outputs++;
                }
            }
            sk_tensor_free(&out);
            sk_tensor_free(&in);
            sk_model_free(&m);
        }
    }
    printf("test_infer: %llu generated outputs match the reference\n", outputs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked_single_layer),
        cmocka_unit_test(test_hand_worked_two_layers_with_trace),
        cmocka_unit_test(test_input_errors),
        cmocka_unit_test(test_flat_entry_point),
        cmocka_unit_test(test_generated_cases_match_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
