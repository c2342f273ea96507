/* test_cnn.c — conv2d, maxpool, avgpool and residual add (docs/datapath.md §10–§14)
 * against values that do not come from the code under test:
 *
 * - the spec's worked examples, typed in from datapath.md;
 * - a deliberately naive reference written from the spec's formulas: int64
 *   accumulators, a different loop order (output channel, then kernel tap, then
 *   output pixel), explicit bounds checks for the zero padding, and the libm
 *   requantize of sk_ref_requant.h. It runs every layer of hundreds of generated CNN
 *   cases and is compared whole-tensor with sk_infer's trace (every layer's
 *   accumulators and outputs);
 * - coverage of those cases measured here from the reference's accumulators: ties in
 *   every rounding mode for conv, avgpool and add, saturation both ways, padding read
 *   on every border, stride 2, depthwise, 1x1 and whole-map kernels, global pooling,
 *   adds of operands at different exponents, conv -> pool -> dense chains. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "shiftkit/shiftkit.h"
#include "sk_ref_requant.h"

/* ------------------------------------------------------------ hand-built layers */

static void set_io(sk_layer *l, int bits, bool is_signed, sk_rounding mode, int8_t out_exp)
{
    l->out = (sk_qtype){ bits, is_signed };
    l->rounding = mode;
    l->out_exp = out_exp;
}

static void conv_layer(sk_layer *l, uint32_t h, uint32_t w, uint32_t c, uint32_t kh, uint32_t kw,
                       uint32_t stride, uint32_t pad, uint32_t groups, uint32_t cout)
{
    const uint32_t k = kh * kw * (c / groups);
    assert_int_equal(sk_layer_alloc(l, k, cout, false), SK_OK);
    l->kind = SK_LAYER_CONV2D;
    l->w_bits = 8;
    l->geom = (sk_geometry){ .in_h = h, .in_w = w, .in_c = c, .kernel_h = kh, .kernel_w = kw,
                             .stride_h = stride, .stride_w = stride, .pad_top = pad,
                             .pad_left = pad, .pad_bottom = pad, .pad_right = pad,
                             .groups = groups };
}

static void pool_layer(sk_layer *l, sk_layer_kind kind, uint32_t h, uint32_t w, uint32_t c,
                       uint32_t kh, uint32_t kw, uint32_t stride)
{
    l->kind = kind;
    l->n = c;
    l->geom = (sk_geometry){ .in_h = h, .in_w = w, .in_c = c, .kernel_h = kh, .kernel_w = kw,
                             .stride_h = stride, .stride_w = stride };
}

static void run(const sk_model *m, const int32_t *x, size_t count, sk_tensor *out, sk_trace *trace)
{
    sk_error err = { { 0 } };
    assert_int_equal(sk_model_validate(m, "hand", &err), SK_OK);
    sk_tensor in = { SK_DTYPE_INT32, 2, { 1, count }, (int32_t *)x };
    if (sk_infer(m, &in, "x", out, trace, &err) != SK_OK)
        fail_msg("%s", err.msg);
}

/* ------------------------------------------------------- spec worked examples */

/* §11: 3x3x1, kernel 3x3, stride 2, padding 1, bias 1, shift 2, signed 4-bit. */
static void test_spec_conv_example(void **state)
{
    (void)state;
    const int32_t x[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    const int8_t w[9] = { 1, 0, -1, 2, 1, 0, 0, -1, 1 };
    const int32_t want_acc[4] = { 3, 2, 3, 31 };
    const int32_t want[SK_ROUND_COUNT][4] = {
        [SK_ROUND_FLOOR] = { 0, 0, 0, 7 },     [SK_ROUND_HALF_UP] = { 1, 1, 1, 7 },
        [SK_ROUND_HALF_AWAY] = { 1, 1, 1, 7 }, [SK_ROUND_HALF_EVEN] = { 1, 0, 1, 7 },
    };
    for (int mode = 0; mode < SK_ROUND_COUNT; mode++) {
        sk_model m;
        assert_int_equal(sk_model_init(&m, 1), SK_OK);
        m.in_exp = -1;
        conv_layer(&m.layers[0], 3, 3, 1, 3, 3, 2, 1, 1, 1);
        memcpy(m.layers[0].weights, w, sizeof w);
        m.layers[0].bias[0] = 1;
        m.layers[0].w_exp[0] = -2;
        set_io(&m.layers[0], 4, true, (sk_rounding)mode, -1);
        assert_int_equal(sk_layer_shift(&m, 0, 0), 2);
        sk_tensor out;
        sk_trace trace;
        run(&m, x, 9, &out, &trace);
        assert_int_equal(out.ndim, 4);
        assert_int_equal(out.shape[1], 2);
        assert_int_equal(out.shape[2], 2);
        assert_int_equal(out.shape[3], 1);
        assert_memory_equal(trace.acc[0].data, want_acc, sizeof want_acc);
        assert_memory_equal(out.data, want[mode], sizeof want[mode]);
        sk_trace_free(&trace);
        sk_tensor_free(&out);
        sk_model_free(&m);
    }
}

/* §11 depthwise: the 2x2x2 map of §10, filters [[1,1],[1,1]] and [[1,-1],[-1,1]]. */
static void test_spec_depthwise_example(void **state)
{
    (void)state;
    const int32_t x[8] = { 1, -1, 2, 3, -4, 5, 6, 0 };
    const int8_t w[8] = { 1, 1, 1, 1, 1, -1, -1, 1 };
    sk_model m;
    assert_int_equal(sk_model_init(&m, 1), SK_OK);
    conv_layer(&m.layers[0], 2, 2, 2, 2, 2, 1, 0, 2, 2);
    memcpy(m.layers[0].weights, w, sizeof w);
    m.layers[0].w_exp[0] = -1; /* shift 0 - 0 + 1 = 1 */
    set_io(&m.layers[0], 8, true, SK_ROUND_HALF_AWAY, 0);
    sk_tensor out;
    sk_trace trace;
    run(&m, x, 8, &out, &trace);
    const int32_t want_acc[2] = { 5, -9 }, want[2] = { 3, -5 };
    assert_memory_equal(trace.acc[0].data, want_acc, sizeof want_acc);
    assert_memory_equal(out.data, want, sizeof want);
    sk_trace_free(&trace);
    sk_tensor_free(&out);
    sk_model_free(&m);
}

/* §12 and §13: the 4x4x1 map, window 2x2, stride 2. */
static const int32_t pool_x[16] = { 1, -3, 2, 0, -5, -2, 7, 5, 0, 0, -8, -1, 3, -5, -7, -9 };

static void test_spec_maxpool_example(void **state)
{
    (void)state;
    const int32_t want[2][4] = { { 1, 7, 3, -1 }, { 1, 7, 3, 0 } };
    for (int relu = 0; relu < 2; relu++) {
        sk_model m;
        assert_int_equal(sk_model_init(&m, 1), SK_OK);
        m.in_exp = -3;
        pool_layer(&m.layers[0], SK_LAYER_MAXPOOL, 4, 4, 1, 2, 2, 2);
        set_io(&m.layers[0], 8, true, SK_ROUND_FLOOR, -3);
        m.layers[0].relu = relu;
        sk_tensor out;
        run(&m, pool_x, 16, &out, NULL);
        assert_memory_equal(out.data, want[relu], sizeof want[relu]);
        assert_int_equal(out.dtype, SK_DTYPE_INT8);
        sk_tensor_free(&out);
        sk_model_free(&m);
    }
}

static void test_spec_avgpool_example(void **state)
{
    (void)state;
    const int32_t want_acc[4] = { -9, 14, -2, -25 };
    const int32_t want[SK_ROUND_COUNT][4] = {
        [SK_ROUND_FLOOR] = { -3, 3, -1, -7 },     [SK_ROUND_HALF_UP] = { -2, 4, 0, -6 },
        [SK_ROUND_HALF_AWAY] = { -2, 4, -1, -6 }, [SK_ROUND_HALF_EVEN] = { -2, 4, 0, -6 },
    };
    for (int mode = 0; mode < SK_ROUND_COUNT; mode++) {
        sk_model m;
        assert_int_equal(sk_model_init(&m, 1), SK_OK);
        m.in_exp = -3;
        pool_layer(&m.layers[0], SK_LAYER_AVGPOOL, 4, 4, 1, 2, 2, 2);
        set_io(&m.layers[0], 8, true, (sk_rounding)mode, -3);
        assert_int_equal(sk_layer_shift(&m, 0, 0), 2);
        sk_tensor out;
        sk_trace trace;
        run(&m, pool_x, 16, &out, &trace);
        assert_memory_equal(trace.acc[0].data, want_acc, sizeof want_acc);
        assert_memory_equal(out.data, want[mode], sizeof want[mode]);
        sk_trace_free(&trace);
        sk_tensor_free(&out);
        sk_model_free(&m);
    }
    /* Global: the 2x2x2 map of §10 at e_in = -2, e_out = -2, half_up: [1, 2]. */
    const int32_t x[8] = { 1, -1, 2, 3, -4, 5, 6, 0 }, want_global[2] = { 1, 2 };
    sk_model m;
    assert_int_equal(sk_model_init(&m, 1), SK_OK);
    m.in_exp = -2;
    pool_layer(&m.layers[0], SK_LAYER_AVGPOOL, 2, 2, 2, 2, 2, 1);
    set_io(&m.layers[0], 8, true, SK_ROUND_HALF_UP, -2);
    sk_tensor out;
    run(&m, x, 8, &out, NULL);
    assert_memory_equal(out.data, want_global, sizeof want_global);
    sk_tensor_free(&out);
    sk_model_free(&m);
}

/* §14: a (signed 8-bit, ea = -3) + b (signed 4-bit, eb = -1), out signed 6-bit at -2.
 * b is the network input (one 1x1x1 sample per pair); a comes from layer 0, a 1x1
 * conv with weight 0, bias a and shift 0, so a does not depend on b. */
static void test_spec_add_example(void **state)
{
    (void)state;
    const int32_t b[4] = { 1, -2, 7, -8 }, a[4] = { 5, -7, 100, -128 };
    const int32_t want_acc[4] = { 9, -15, 128, -160 };
    const int32_t want[SK_ROUND_COUNT][2] = {
        [SK_ROUND_FLOOR] = { 4, -8 },     [SK_ROUND_HALF_UP] = { 5, -7 },
        [SK_ROUND_HALF_AWAY] = { 5, -8 }, [SK_ROUND_HALF_EVEN] = { 4, -8 },
    };
    for (int mode = 0; mode < SK_ROUND_COUNT; mode++) {
        for (int s = 0; s < 4; s++) {
            sk_model m;
            assert_int_equal(sk_model_init(&m, 2), SK_OK);
            m.in = (sk_qtype){ 4, true };
            m.in_exp = -1;
            conv_layer(&m.layers[0], 1, 1, 1, 1, 1, 1, 0, 1, 1);
            m.layers[0].weights[0] = 0;
            m.layers[0].bias[0] = a[s];
            m.layers[0].w_exp[0] = -2; /* shift -3 - (-1) - (-2) = 0: a passes unchanged */
            set_io(&m.layers[0], 8, true, SK_ROUND_FLOOR, -3);
            pool_layer(&m.layers[1], SK_LAYER_ADD, 1, 1, 1, 0, 0, 0);
            m.layers[1].geom.src = SK_SRC_INPUT;
            set_io(&m.layers[1], 6, true, (sk_rounding)mode, -2);
            assert_int_equal(sk_layer_shift(&m, 1, 0), 1);
            sk_tensor out;
            sk_trace trace;
            run(&m, &b[s], 1, &out, &trace);
            assert_int_equal(trace.out[0].data[0], a[s]);
            assert_int_equal(trace.acc[1].data[0], want_acc[s]);
            const int32_t expect = s < 2 ? want[mode][s] : s == 2 ? 31 : -32;
            assert_int_equal(out.data[0], expect);
            sk_trace_free(&trace);
            sk_tensor_free(&out);
            sk_model_free(&m);
        }
    }
}

/* --------------------------------------------------------- naive reference */

typedef struct ref_tensor {
    sk_shape shape;
    int64_t *acc; /* [h][w][c] */
    int64_t *out;
    int exp;      /* exponent of out */
    sk_qtype type;
} ref_tensor;

/* What the coverage checks collect from the reference's accumulators. */
typedef struct coverage {
    unsigned ties[SK_LAYER_KIND_COUNT][SK_ROUND_COUNT][2]; /* [kind][mode][negative] */
    unsigned sat_hi, sat_lo;
    unsigned pad_read[4]; /* top, left, bottom, right */
    unsigned stride2, depthwise, one_by_one, whole_map, global_avg, global_max, maxpool;
    unsigned add_diff_exp, add_tie_after_align, chain, dense_after_spatial, raw_spatial;
} coverage;

static int64_t ref_requant(const sk_layer *l, int64_t acc, int shift, coverage *cov)
{
    assert_true(acc >= INT32_MIN && acc <= INT32_MAX); /* §3: never wraps */
    if (shift >= 1) {
        const int64_t unit = INT64_C(1) << shift, r = ((acc % unit) + unit) % unit;
        if (r == unit / 2)
            cov->ties[l->kind][l->rounding][acc < 0]++;
    }
    const long double v = reference_round((int32_t)acc, shift, l->rounding);
    const int32_t y = reference_requant((int32_t)acc, shift, l->rounding, l->out, l->relu);
    if (v > y)
        cov->sat_hi++;
    if (v < y && !(l->relu && y == 0))
        cov->sat_lo++;
    return y;
}

/* One layer of the reference over one sample; x is the previous output. */
static void ref_layer(const sk_model *m, uint32_t i, const ref_tensor *x, const ref_tensor *src,
                      ref_tensor *y, coverage *cov)
{
    const sk_layer *l = &m->layers[i];
    const sk_geometry *g = &l->geom;
    const int e_in = x->exp;
    y->type = l->raw_output ? (sk_qtype){ 32, true } : l->out;
    y->exp = l->out_exp;
    if (l->kind == SK_LAYER_DENSE) {
        y->shape = (sk_shape){ 1, 1, l->n };
        const size_t k = (size_t)x->shape.h * x->shape.w * x->shape.c;
        assert_int_equal(k, l->k); /* flatten (§15): the HWC order as is */
        y->acc = calloc(l->n, sizeof *y->acc);
        y->out = calloc(l->n, sizeof *y->out);
        for (uint32_t n = 0; n < l->n; n++) {
            int64_t sum = l->bias[n];
            for (size_t j = 0; j < k; j++)
                sum += (int64_t)l->weights[(size_t)n * l->k + j] * x->out[j];
            y->acc[n] = sum;
            const int e_w = l->w_exp[l->per_channel ? n : 0];
            y->out[n] = l->raw_output ? sum : ref_requant(l, sum, l->out_exp - e_in - e_w, cov);
        }
        if (x->shape.h * x->shape.w > 1)
            cov->dense_after_spatial++;
        return;
    }
    const int64_t H = g->in_h, W = g->in_w, C = g->in_c;
    assert_true(x->shape.h == H && x->shape.w == W && x->shape.c == C);
    if (l->kind == SK_LAYER_ADD) {
        y->shape = x->shape;
        const size_t count = (size_t)(H * W * C);
        y->acc = calloc(count, sizeof *y->acc);
        y->out = calloc(count, sizeof *y->out);
        const int ec = e_in < src->exp ? e_in : src->exp;
        if (e_in != src->exp)
            cov->add_diff_exp++;
        for (size_t j = 0; j < count; j++) {
            /* exact alignment by multiplication, no shift operator */
            const int64_t sum = x->out[j] * (int64_t)ldexp(1.0, e_in - ec) +
                                src->out[j] * (int64_t)ldexp(1.0, src->exp - ec);
            y->acc[j] = sum;
            const int s = l->out_exp - ec;
            if (s >= 1 && e_in != src->exp && ((sum % (INT64_C(1) << s)) + (INT64_C(1) << s)) %
                                                      (INT64_C(1) << s) == (INT64_C(1) << (s - 1)))
                cov->add_tie_after_align++;
            y->out[j] = ref_requant(l, sum, s, cov);
        }
        return;
    }
    const int64_t KH = g->kernel_h, KW = g->kernel_w, SH = g->stride_h, SW = g->stride_w;
    const int64_t PT = g->pad_top, PL = g->pad_left, PB = g->pad_bottom, PR = g->pad_right;
    const int64_t OH = (H + PT + PB - KH) / SH + 1, OW = (W + PL + PR - KW) / SW + 1;
    const int64_t CO = l->kind == SK_LAYER_CONV2D ? l->n : C;
    y->shape = (sk_shape){ (uint32_t)OH, (uint32_t)OW, (uint32_t)CO };
    const size_t count = (size_t)(OH * OW * CO);
    y->acc = calloc(count, sizeof *y->acc);
    y->out = calloc(count, sizeof *y->out);
    if (SH == 2 || SW == 2)
        cov->stride2++;
    if (l->kind == SK_LAYER_CONV2D) {
        const bool dw = g->groups > 1;
        const int64_t cg = dw ? 1 : C;
        cov->depthwise += dw;
        cov->one_by_one += KH == 1 && KW == 1;
        cov->whole_map += KH == H && KW == W && PT + PB + PL + PR == 0;
        /* Loop order: output channel, kernel tap, then output pixel. */
        for (int64_t co = 0; co < CO; co++) {
            for (int64_t p = 0; p < OH * OW; p++)
                y->acc[p * CO + co] = l->bias[co];
            for (int64_t ky = 0; ky < KH; ky++)
                for (int64_t kx = 0; kx < KW; kx++)
                    for (int64_t ci = 0; ci < cg; ci++) {
                        const int64_t w = l->weights[co * (KH * KW * cg) + (ky * KW + kx) * cg + ci];
                        const int64_t c = dw ? co : ci;
                        for (int64_t oy = 0; oy < OH; oy++)
                            for (int64_t ox = 0; ox < OW; ox++) {
                                const int64_t iy = oy * SH + ky - PT, ix = ox * SW + kx - PL;
                                if (iy < 0)
                                    cov->pad_read[0]++;
                                if (ix < 0)
                                    cov->pad_read[1]++;
                                if (iy >= H)
                                    cov->pad_read[2]++;
                                if (ix >= W)
                                    cov->pad_read[3]++;
                                if (iy < 0 || ix < 0 || iy >= H || ix >= W)
                                    continue; /* zero padding contributes 0 */
                                y->acc[(oy * OW + ox) * CO + co] += w * x->out[(iy * W + ix) * C + c];
                            }
                    }
            const int e_w = l->w_exp[l->per_channel ? co : 0];
            for (int64_t p = 0; p < OH * OW; p++) {
                const int64_t acc = y->acc[p * CO + co];
                y->out[p * CO + co] =
                    l->raw_output ? acc : ref_requant(l, acc, l->out_exp - e_in - e_w, cov);
            }
        }
        cov->raw_spatial += l->raw_output;
        return;
    }
    const bool is_max = l->kind == SK_LAYER_MAXPOOL;
    if (is_max)
        cov->maxpool++;
    if (OH == 1 && OW == 1 && KH == H && KW == W)
        cov->global_max += is_max, cov->global_avg += !is_max;
    int log2w = 0;
    while ((INT64_C(1) << log2w) < KH * KW)
        log2w++;
    for (int64_t c = 0; c < C; c++)
        for (int64_t oy = 0; oy < OH; oy++)
            for (int64_t ox = 0; ox < OW; ox++) {
                int64_t v = is_max ? INT64_MIN : 0;
                for (int64_t ky = 0; ky < KH; ky++)
                    for (int64_t kx = 0; kx < KW; kx++) {
                        const int64_t e = x->out[((oy * SH + ky) * W + ox * SW + kx) * C + c];
                        v = is_max ? (e > v ? e : v) : v + e;
                    }
                const size_t j = (size_t)((oy * OW + ox) * C + c);
                y->acc[j] = v;
                if (is_max)
                    y->out[j] = l->relu && v < 0 ? 0 : v;
                else
                    y->out[j] = ref_requant(l, v, l->out_exp - e_in + log2w, cov);
            }
}

/* Compare the reference with sk_infer's trace for every layer and sample. */
static void check_case(const sk_model *m, const sk_tensor *in, const sk_trace *trace,
                       const char *what, coverage *cov)
{
    const sk_shape s0 = sk_model_in_shape(m);
    const size_t k0 = (size_t)s0.h * s0.w * s0.c, batch = sk_tensor_count(in) / k0;
    for (size_t b = 0; b < batch; b++) {
        ref_tensor t[SK_MODEL_MAX_LAYERS + 1];
        memset(t, 0, sizeof t);
        t[0].shape = s0;
        t[0].exp = m->in_exp;
        t[0].type = m->in;
        t[0].out = calloc(k0, sizeof *t[0].out);
        for (size_t j = 0; j < k0; j++)
            t[0].out[j] = in->data[b * k0 + j];
        bool saw_conv = false, saw_pool = false;
        for (uint32_t i = 0; i < m->num_layers; i++) {
            const sk_layer *l = &m->layers[i];
            const ref_tensor *src = NULL;
            if (l->kind == SK_LAYER_ADD)
                src = l->geom.src == SK_SRC_INPUT ? &t[0] : &t[l->geom.src + 1];
            ref_layer(m, i, &t[i], src, &t[i + 1], cov);
            saw_conv |= l->kind == SK_LAYER_CONV2D;
            saw_pool |= saw_conv && (l->kind == SK_LAYER_MAXPOOL || l->kind == SK_LAYER_AVGPOOL);
            if (saw_pool && l->kind == SK_LAYER_DENSE) {
                cov->chain++;
                saw_pool = false;
            }
            const size_t count = (size_t)t[i + 1].shape.h * t[i + 1].shape.w * t[i + 1].shape.c;
            assert_int_equal(sk_tensor_count(&trace->out[i]), batch * count);
            for (size_t j = 0; j < count; j++) {
                const int32_t got_acc = trace->acc[i].data[b * count + j];
                const int32_t got = trace->out[i].data[b * count + j];
                if (got_acc != t[i + 1].acc[j] || got != t[i + 1].out[j])
                    fail_msg("%s: layer %u (%s) sample %zu index %zu (channel %zu): acc %d out "
                             "%d, reference acc %lld out %lld", what, i,
                             sk_layer_kind_name(l->kind), b, j, j % t[i + 1].shape.c, got_acc,
                             got, (long long)t[i + 1].acc[j], (long long)t[i + 1].out[j]);
            }
        }
        for (uint32_t i = 0; i <= m->num_layers; i++) {
            free(t[i].acc);
            free(t[i].out);
        }
    }
}

/* Every layer of 3 x 180 generated CNN cases against the reference, then coverage. */
static void test_generated_cnn_cases_match_reference(void **state)
{
    (void)state;
    sk_gen_limits limits;
    sk_gen_default_limits(&limits);
    limits.cnn = true;
    coverage cov;
    memset(&cov, 0, sizeof cov);
    unsigned cases = 0;
    unsigned long long values = 0;
    unsigned conv_w_bits[9] = { 0 }, conv_out_bits[9] = { 0 }, conv_per_channel = 0, conv_raw = 0;
    int conv_shift_min = 99, conv_shift_max = -99;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        for (uint32_t idx = 0; idx < 180; idx++) {
            sk_model m;
            sk_tensor in, out;
            sk_trace trace;
            sk_error err = { { 0 } };
            if (sk_gen_case(seed, idx, &limits, &m, &in, &err) != SK_OK)
                fail_msg("gen seed %llu case %u: %s", (unsigned long long)seed, idx, err.msg);
            if (sk_infer(&m, &in, "gen", &out, &trace, &err) != SK_OK)
                fail_msg("infer seed %llu case %u: %s", (unsigned long long)seed, idx, err.msg);
            char what[64];
            snprintf(what, sizeof what, "seed %llu case %u", (unsigned long long)seed, idx);
            check_case(&m, &in, &trace, what, &cov);
            for (uint32_t i = 0; i < m.num_layers; i++) {
                const sk_layer *l = &m.layers[i];
                if (l->kind != SK_LAYER_CONV2D)
                    continue;
                conv_w_bits[l->w_bits]++;
                if (!l->raw_output)
                    conv_out_bits[l->out.bits]++;
                conv_per_channel += l->per_channel;
                conv_raw += l->raw_output;
                for (uint32_t c = 0; c < (l->per_channel ? l->n : 1); c++) {
                    const int s = sk_layer_shift(&m, i, c);
                    conv_shift_min = s < conv_shift_min ? s : conv_shift_min;
                    conv_shift_max = s > conv_shift_max ? s : conv_shift_max;
                }
            }
            for (uint32_t i = 0; i < m.num_layers; i++)
                values += sk_tensor_count(&trace.out[i]);
            cases++;
            sk_trace_free(&trace);
            sk_tensor_free(&out);
            sk_tensor_free(&in);
            sk_model_free(&m);
        }
    }
    printf("test_cnn: %u generated CNN cases, %llu traced values match the reference\n", cases,
           values);
    const sk_layer_kind tie_kinds[3] = { SK_LAYER_CONV2D, SK_LAYER_AVGPOOL, SK_LAYER_ADD };
    for (int k = 0; k < 3; k++)
        for (int mode = 0; mode < SK_ROUND_COUNT; mode++)
            for (int neg = 0; neg < 2; neg++)
                if (cov.ties[tie_kinds[k]][mode][neg] == 0)
                    fail_msg("no %s tie in %s for %s", neg ? "negative" : "positive",
                             sk_rounding_name((sk_rounding)mode), sk_layer_kind_name(tie_kinds[k]));
    assert_true(cov.sat_hi > 0 && cov.sat_lo > 0);
    for (int side = 0; side < 4; side++)
        assert_true(cov.pad_read[side] > 0);
    assert_true(cov.stride2 > 0 && cov.depthwise > 0 && cov.one_by_one > 0 && cov.whole_map > 0);
    assert_true(cov.global_avg > 0 && cov.global_max > 0 && cov.maxpool > 0);
    assert_true(cov.add_diff_exp > 0 && cov.add_tie_after_align > 0);
    assert_true(cov.chain > 0 && cov.dense_after_spatial > 0);
    for (int bits = 2; bits <= 8; bits++)
        if (conv_w_bits[bits] == 0 || conv_out_bits[bits] == 0)
            fail_msg("no conv2d layer with %d-bit weights or a %d-bit output", bits, bits);
    assert_true(conv_per_channel > 0 && conv_raw > 0);
    assert_int_equal(conv_shift_min, SK_SHIFT_MIN); /* the shift edges, datapath §4 */
    assert_int_equal(conv_shift_max, SK_SHIFT_MAX);
    printf("test_cnn: conv layers: w_bits 2..8 %u %u %u %u %u %u %u, out_bits 2..8 %u %u %u %u %u %u %u, "
           "per-channel %u, raw %u, shifts %d..%d\n", conv_w_bits[2], conv_w_bits[3], conv_w_bits[4],
           conv_w_bits[5], conv_w_bits[6], conv_w_bits[7], conv_w_bits[8], conv_out_bits[2],
           conv_out_bits[3], conv_out_bits[4], conv_out_bits[5], conv_out_bits[6], conv_out_bits[7],
           conv_out_bits[8], conv_per_channel, conv_raw, conv_shift_min, conv_shift_max);
    printf("test_cnn: coverage: pad reads top %u left %u bottom %u right %u, saturation %u/%u, "
           "stride-2 %u, depthwise %u, 1x1 %u, whole-map %u, global avg %u max %u, adds at "
           "different exponents %u (ties after alignment %u), conv-pool-dense chains %u\n",
           cov.pad_read[0], cov.pad_read[1], cov.pad_read[2], cov.pad_read[3], cov.sat_hi,
           cov.sat_lo, cov.stride2, cov.depthwise, cov.one_by_one, cov.whole_map, cov.global_avg,
           cov.global_max, cov.add_diff_exp, cov.add_tie_after_align, cov.chain);
}

/* A residual add can keep an output alive across layers, and the input shapes. */
static void test_input_shapes(void **state)
{
    (void)state;
    sk_model m;
    assert_int_equal(sk_model_init(&m, 1), SK_OK);
    pool_layer(&m.layers[0], SK_LAYER_MAXPOOL, 2, 3, 2, 2, 3, 1);
    set_io(&m.layers[0], 8, true, SK_ROUND_FLOOR, 0);
    int32_t x[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -12 };
    sk_error err;
    sk_tensor out;
    const int32_t want[2] = { 11, 10 };
    /* [N][H][W][C], [H][W][C], [N][H*W*C] and [H*W*C] are all accepted */
    const sk_tensor ok[4] = { { SK_DTYPE_INT8, 4, { 1, 2, 3, 2 }, x },
                              { SK_DTYPE_INT8, 3, { 2, 3, 2 }, x },
                              { SK_DTYPE_INT8, 2, { 1, 12 }, x },
                              { SK_DTYPE_INT8, 1, { 12 }, x } };
    for (int i = 0; i < 4; i++) {
        assert_int_equal(sk_infer(&m, &ok[i], "x", &out, NULL, &err), SK_OK);
        assert_memory_equal(out.data, want, sizeof want);
        sk_tensor_free(&out);
    }
    const sk_tensor wrong = { SK_DTYPE_INT8, 4, { 1, 3, 2, 2 }, x };
    assert_int_equal(sk_infer(&m, &wrong, "x.npy", &out, NULL, &err), SK_ERR_BAD_SHAPE);
    assert_non_null(strstr(err.msg, "x.npy"));
    assert_non_null(strstr(err.msg, "[batch][2][3][2]"));
    sk_model_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_conv_example),
        cmocka_unit_test(test_spec_depthwise_example),
        cmocka_unit_test(test_spec_maxpool_example),
        cmocka_unit_test(test_spec_avgpool_example),
        cmocka_unit_test(test_spec_add_example),
        cmocka_unit_test(test_input_shapes),
        cmocka_unit_test(test_generated_cnn_cases_match_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
