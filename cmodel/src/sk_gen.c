/* sk_gen.c — seeded constrained-random test cases (docs/datapath.md §9).
 *
 * Each case is one scenario, chosen by index so that any 8 consecutive cases cover
 * them all: random multi-layer networks, rounding ties (positive and negative) for
 * every mode, saturation both ways, the exact int32 accumulator bound, the shift
 * edges -16 and 31, 2-bit types, and a raw-accumulator head. Shifts are aimed from
 * the accumulators the case's own inputs produce, so outputs land inside, at and
 * beyond the clamp range rather than all at zero or all saturated. The generator
 * is a fixed splitmix64 stream, so a (seed, index) replays on any machine.
 *
 * With limits->cnn the case comes from a second scenario list instead (conv2d,
 * pooling and residual adds over NHWC inputs, datapath §10–§14), built with the same
 * weight, bias and shift aiming; the dense list and its numbering are untouched. */
#include "shiftkit/sk_gen.h"

#include <stdlib.h>
#include <string.h>

#include "shiftkit/sk_infer.h"
#include "sk_internal.h"
#include "sk_layers.h"

enum scenario {
    SCEN_RANDOM,
    SCEN_TIES,
    SCEN_SATURATE,
    SCEN_ACC_BOUND,
    SCEN_SHIFT_EDGES,
    SCEN_NARROW,
    SCEN_RAW_HEAD,
    SCEN_RANDOM_DEEP,
    SCEN_COUNT
};

typedef struct rng {
    uint64_t state;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Uniform integer in lo..hi inclusive (hi - lo < 2^32). */
static int64_t rng_range(rng *r, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)(hi - lo) + 1;
    return lo + (int64_t)(rng_next(r) % span);
}

static bool rng_chance(rng *r, unsigned percent)
{
    return rng_next(r) % 100 < percent;
}

void sk_gen_default_limits(sk_gen_limits *limits)
{
    limits->max_layers = 4;
    limits->max_dim = 48;
    limits->max_batch = 8;
    limits->cnn = false;
}

/* A dimension in 1..max, favouring small and odd sizes that do not divide lane
 * counts. */
static uint32_t random_dim(rng *r, uint32_t max)
{
    if (rng_chance(r, 15))
        return (uint32_t)rng_range(r, 1, max < 3 ? max : 3);
    return (uint32_t)rng_range(r, 1, max);
}

static int random_bits(rng *r, bool narrow)
{
    return narrow ? 2 : (int)rng_range(r, SK_BITS_MIN, SK_BITS_MAX);
}

static int clamp_int(int64_t v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : (int)v;
}

/* Bits needed for |v|: the shift that brings v near the top of an out_bits type. */
static int magnitude_bits(int64_t v)
{
    int bits = 0;
    uint64_t m = (uint64_t)(v < 0 ? -v : v);
    while (m) {
        bits++;
        m >>= 1;
    }
    return bits;
}

typedef struct layer_plan {
    uint32_t k, n;
    bool narrow, raw, per_channel;
    int shift_bias;    /* added to the aimed shift: < 0 drives saturation */
    bool ties;         /* set biases so accumulators land on ties */
    bool acc_bound;    /* set biases so channels 0/1 reach the int32 bound exactly */
    bool shift_edges;  /* force shifts 31 and -16 */
} layer_plan;

/* Fill weights and type fields of layer i, then choose biases and exponents from the
 * accumulators that x (the layer's input batch) produces. */
static sk_status build_layer(rng *r, sk_model *m, uint32_t i, const layer_plan *plan,
                             const int32_t *x, size_t batch, sk_error *err)
{
    sk_layer *l = &m->layers[i];
    if (sk_layer_alloc(l, plan->k, plan->n, plan->per_channel) != SK_OK)
        return sk_fail(err, SK_ERR_NOMEM, "gen: out of memory");
    l->w_bits = plan->acc_bound ? 8 : random_bits(r, plan->narrow);
    l->out.bits = random_bits(r, plan->narrow);
    l->out.is_signed = rng_chance(r, 60);
    l->rounding = (sk_rounding)rng_range(r, 0, SK_ROUND_COUNT - 1);
    l->raw_output = plan->raw;
    l->relu = !plan->raw && rng_chance(r, 30);
    const int32_t wmax = sk_weight_max(l->w_bits);
    for (size_t j = 0; j < (size_t)l->n * l->k; j++) {
        int64_t w = rng_chance(r, 10) ? 0 : rng_range(r, -wmax, wmax);
        if (rng_chance(r, 10))
            w = rng_chance(r, 50) ? wmax : -wmax;
        l->weights[j] = (int8_t)w;
    }

    /* Accumulators without bias, from the real inputs. */
    const int e_in = sk_layer_in_exp(m, i);
    l->out_exp = (int8_t)clamp_int(e_in + rng_range(r, -4, 4), -60, 60);
    /* A conv2d's accumulators are one row per output pixel: aim over all of them. */
    const size_t rows = l->kind == SK_LAYER_CONV2D
                            ? batch * sk_shape_size(sk_layer_out_shape(m, i)) / l->n
                            : batch;
    int32_t *acc = malloc(rows * l->n * sizeof *acc);
    if (!acc)
        return sk_fail(err, SK_ERR_NOMEM, "gen: out of memory");
    if (l->kind == SK_LAYER_CONV2D) /* biases are still 0 */
        sk_conv2d_accumulate(m, i, x, batch, acc);
    else
        sk_dense_accumulate(m, i, x, batch, acc, SK_KERNEL_AUTO);

    /* Aim each channel's shift so its largest accumulator lands near the output
     * type's top, then perturb. */
    const uint32_t channels = l->per_channel ? l->n : 1;
    for (uint32_t c = 0; c < channels; c++) {
        int64_t peak = 1;
        for (size_t b = 0; b < rows; b++)
            for (uint32_t n = 0; n < l->n; n++) {
                if (l->per_channel && n != c)
                    continue;
                int64_t v = acc[b * l->n + n];
                if (v < 0)
                    v = -v;
                if (v > peak)
                    peak = v;
            }
        int s = magnitude_bits(peak) - (l->out.bits - (l->out.is_signed ? 1 : 0)) +
                (int)rng_range(r, -2, 2) + plan->shift_bias;
        if (plan->shift_edges)
            s = (c % 2 == 0) ? SK_SHIFT_MAX : SK_SHIFT_MIN;
        else if (plan->ties && rng_chance(r, 25))
            s = (int)rng_range(r, 16, SK_SHIFT_MAX); /* ties far down the shifter */
        else if (plan->ties && s < 1)
            s = (int)rng_range(r, 1, 4);
        s = clamp_int(s, SK_SHIFT_MIN, SK_SHIFT_MAX);
        l->w_exp[c] = (int8_t)(l->out_exp - e_in - s);
    }

    /* Biases: small random ones, or ones that put accumulators on ties or on the
     * int32 bound. */
    for (uint32_t n = 0; n < l->n; n++) {
        const int s = sk_layer_shift(m, i, n);
        const int64_t unit = s > 0 ? (INT64_C(1) << s) : 1;
        int64_t bias = rng_chance(r, 20) ? 0 : rng_range(r, -2 * unit, 2 * unit);
        if (plan->ties && s >= 1) {
            /* acc = q * 2^s + 2^(s-1): a tie exactly between q and q + 1, q of
             * either sign, for the sample this channel targets. */
            const size_t b = n % rows;
            const int64_t qmax = s >= 30 ? 0 : 3;
            const int64_t q = rng_range(r, -qmax - 1, qmax);
            bias = q * unit + unit / 2 - acc[b * l->n + n];
        }
        if (bias > INT32_MAX || bias < INT32_MIN)
            bias = 0;
        l->bias[n] = (int32_t)bias;
    }
    if (plan->acc_bound && l->n >= 1) {
        /* Channel 0 reaches B_hi = INT32_MAX, channel 1 reaches B_lo = INT32_MIN. */
        int64_t lo, hi;
        l->bias[0] = 0;
        sk_layer_acc_bounds(m, i, 0, &lo, &hi);
        l->bias[0] = (int32_t)(INT32_MAX - hi);
        if (l->n >= 2) {
            l->bias[1] = 0;
            sk_layer_acc_bounds(m, i, 1, &lo, &hi);
            l->bias[1] = (int32_t)(INT32_MIN - lo);
        }
    }
    /* Keep every channel inside the §3 bound: shrink offending biases toward 0. */
    for (uint32_t n = 0; n < l->n; n++) {
        int64_t lo, hi;
        sk_layer_acc_bounds(m, i, n, &lo, &hi);
        while (hi > INT32_MAX || lo < INT32_MIN) {
            l->bias[n] /= 2;
            sk_layer_acc_bounds(m, i, n, &lo, &hi);
            if (l->bias[n] == 0)
                break;
        }
    }
    free(acc);
    return SK_OK;
}

/* Inputs in the declared type, with the extremes over-represented. For the
 * accumulator-bound scenario, samples 0 and 1 drive channels 0 and 1 to their
 * bounds. */
static void fill_input(rng *r, const sk_model *m, uint32_t k, int32_t *x, size_t batch)
{
    const int32_t lo = sk_qtype_min(m->in), hi = sk_qtype_max(m->in);
    for (size_t j = 0; j < batch * k; j++) {
        unsigned pick = (unsigned)rng_range(r, 0, 9);
        x[j] = pick == 0 ? lo : pick == 1 ? hi : (int32_t)rng_range(r, lo, hi);
    }
}

static void drive_to_bounds(const sk_model *m, int32_t *x, size_t batch)
{
    const sk_layer *l = &m->layers[0];
    const int32_t lo = sk_qtype_min(m->in), hi = sk_qtype_max(m->in);
    for (size_t b = 0; b < 2 && b < batch && b < l->n; b++) {
        const int8_t *w = &l->weights[b * l->k];
        for (uint32_t k = 0; k < l->k; k++) {
            const int64_t at_lo = (int64_t)w[k] * lo, at_hi = (int64_t)w[k] * hi;
            const bool want_max = b == 0;
            x[b * l->k + k] = (want_max ? at_hi >= at_lo : at_hi <= at_lo) ? hi : lo;
        }
    }
}

/* Validate a built case and hand it to the caller, or free it on failure. */
static sk_status hand_over(sk_status st, sk_model *m, sk_tensor *in, sk_model *model,
                           sk_tensor *input, sk_error *err)
{
    if (st == SK_OK)
        st = sk_model_validate(m, "generated model", err);
    if (st != SK_OK) {
        sk_model_free(m);
        sk_tensor_free(in);
        return st;
    }
    *model = *m;
    *input = *in;
    return SK_OK;
}

/* ---- CNN cases (limits->cnn; datapath §10–§14) ----
 *
 * A separate family with its own scenario list, so the dense cases above keep their
 * numbering and stay byte-identical for every (seed, index). */

enum cnn_scenario {
    CNN_RANDOM,       /* a random chain of every kind */
    CNN_PAD_BORDERS,  /* a conv padded on all four borders (stride 1: every pad is read), ties */
    CNN_STRIDE2,      /* odd sizes, stride 2, saturation */
    CNN_DEPTHWISE,    /* a padded depthwise conv, then a pointwise 1x1 conv */
    CNN_KERNEL_EDGES, /* a 1x1 conv, then a kernel covering the whole map (sometimes raw) */
    CNN_MAXPOOL,      /* conv -> maxpool (ReLU sometimes) -> maxpool */
    CNN_AVGPOOL,      /* avgpool over 2^k windows, global pooling, ties */
    CNN_RESIDUAL,     /* conv -> conv -> add, operands at different exponents, ties */
    CNN_CHAIN,        /* conv -> pool -> flatten -> dense (-> raw head) */
    CNN_COUNT
};

enum { CNN_MAX_LAYERS = 8, CNN_MAX_SIDE = 11, CNN_MAX_CHANNELS = 6 };

typedef struct cnn_builder {
    rng *r;
    sk_model *m;
    uint32_t count;    /* layers built so far */
    size_t batch;
    const int32_t *input;
    int32_t *outs[CNN_MAX_LAYERS];
    uint32_t max_channels;
    bool ties, saturate;
    sk_error *err;
} cnn_builder;

static sk_shape cnn_shape(const cnn_builder *b)
{
    return b->count == 0 ? sk_model_in_shape(b->m) : sk_layer_out_shape(b->m, b->count - 1);
}

static const int32_t *cnn_x(const cnn_builder *b)
{
    return b->count == 0 ? b->input : b->outs[b->count - 1];
}

/* A new layer of `kind` reading the current shape: geometry in_* set. */
static sk_layer *cnn_begin(cnn_builder *b, sk_layer_kind kind)
{
    sk_layer *l = &b->m->layers[b->count];
    const sk_shape in = cnn_shape(b);
    l->kind = kind;
    l->geom = (sk_geometry){ 0 };
    if (kind != SK_LAYER_DENSE) {
        l->geom.in_h = in.h;
        l->geom.in_w = in.w;
        l->geom.in_c = in.c;
    }
    return l;
}

/* Run the layer just built over the batch and make it the current one. */
static sk_status cnn_finish(cnn_builder *b)
{
    const uint32_t i = b->count;
    const sk_layer *l = &b->m->layers[i];
    sk_status st = sk_model_validate(&(sk_model){ b->m->in, b->m->in_exp, i + 1, b->m->layers },
                                     "generated layer", b->err);
    if (st != SK_OK)
        return st;
    const size_t size = (size_t)sk_shape_size(sk_layer_out_shape(b->m, i));
    b->outs[i] = malloc(b->batch * size * sizeof *b->outs[i]);
    if (!b->outs[i])
        return sk_fail(b->err, SK_ERR_NOMEM, "gen: out of memory");
    const int32_t *src = NULL;
    if (l->kind == SK_LAYER_ADD)
        src = l->geom.src == SK_SRC_INPUT ? b->input : b->outs[l->geom.src];
    sk_layer_forward(b->m, i, cnn_x(b), src, b->batch, NULL, b->outs[i]);
    b->count++;
    return SK_OK;
}

/* Weights, biases and shifts through build_layer, aimed from the real accumulators. */
static sk_status cnn_weighted(cnn_builder *b, uint32_t n, bool raw)
{
    sk_layer *l = &b->m->layers[b->count];
    const sk_shape in = cnn_shape(b);
    layer_plan plan = { .n = n, .raw = raw, .ties = b->ties };
    if (l->kind == SK_LAYER_CONV2D)
        plan.k = l->geom.kernel_h * l->geom.kernel_w * (in.c / l->geom.groups);
    else
        plan.k = (uint32_t)sk_shape_size(in);
    plan.per_channel = rng_chance(b->r, 50);
    plan.shift_bias = b->saturate ? -(int)rng_range(b->r, 2, 6) : 0;
    /* some convs take the shift edges 31 and -16 on alternate channels */
    if (l->kind == SK_LAYER_CONV2D && !raw && n >= 2 && rng_chance(b->r, 10))
        plan.shift_edges = plan.per_channel = true;
    sk_status st = build_layer(b->r, b->m, b->count, &plan, cnn_x(b), b->batch, b->err);
    return st == SK_OK ? cnn_finish(b) : st;
}

static sk_status cnn_conv(cnn_builder *b, uint32_t kh, uint32_t kw, uint32_t sh, uint32_t sw,
                          const uint32_t pad[4], bool depthwise, uint32_t cout, bool raw)
{
    const sk_shape in = cnn_shape(b);
    sk_layer *l = cnn_begin(b, SK_LAYER_CONV2D);
    l->geom.kernel_h = kh;
    l->geom.kernel_w = kw;
    l->geom.stride_h = sh;
    l->geom.stride_w = sw;
    l->geom.pad_top = pad[0];
    l->geom.pad_left = pad[1];
    l->geom.pad_bottom = pad[2];
    l->geom.pad_right = pad[3];
    l->geom.groups = depthwise ? in.c : 1;
    return cnn_weighted(b, depthwise ? in.c : cout, raw);
}

/* A random conv that fits the current map: kernel 1..3 (padding may make it fit),
 * stride 1..2 (2 if stride2), paddings below the kernel. */
static sk_status cnn_random_conv(cnn_builder *b, bool depthwise, bool stride2)
{
    const sk_shape in = cnn_shape(b);
    uint32_t k[2], pad[4];
    const uint32_t side[2] = { in.h, in.w };
    for (int a = 0; a < 2; a++) {
        k[a] = (uint32_t)rng_range(b->r, 1, 3);
        pad[a] = (uint32_t)rng_range(b->r, 0, k[a] - 1);
        pad[a + 2] = (uint32_t)rng_range(b->r, 0, k[a] - 1);
        while (side[a] + pad[a] + pad[a + 2] < k[a])
            pad[a + 2]++, pad[a]++;
        if (pad[a] >= k[a] || pad[a + 2] >= k[a]) { /* the map is too small: shrink */
            k[a] = side[a];
            pad[a] = pad[a + 2] = 0;
        }
    }
    const uint32_t sh = stride2 ? 2 : (uint32_t)rng_range(b->r, 1, 2);
    const uint32_t sw = stride2 ? 2 : (uint32_t)rng_range(b->r, 1, 2);
    return cnn_conv(b, k[0], k[1], sh, sw, pad, depthwise,
                    (uint32_t)rng_range(b->r, 1, b->max_channels), false);
}

/* Shift aimed so the largest |acc| lands near the top of the output type, lowered for
 * saturation, kept small for ties. */
static int cnn_aim(cnn_builder *b, const int32_t *acc, size_t count, sk_qtype out)
{
    int64_t peak = 1;
    for (size_t j = 0; j < count; j++) {
        const int64_t v = acc[j] < 0 ? -(int64_t)acc[j] : acc[j];
        peak = v > peak ? v : peak;
    }
    int s = magnitude_bits(peak) - (out.bits - (out.is_signed ? 1 : 0)) +
            (int)rng_range(b->r, -2, 2);
    if (b->saturate)
        s -= (int)rng_range(b->r, 2, 6);
    if (b->ties)
        s = (int)rng_range(b->r, 1, 3);
    return clamp_int(s, SK_SHIFT_MIN, SK_SHIFT_MAX);
}

/* Random output type, rounding and ReLU of a requantizing layer without weights. */
static void cnn_out_fields(cnn_builder *b, sk_layer *l)
{
    l->out.bits = random_bits(b->r, false);
    l->out.is_signed = rng_chance(b->r, 60);
    l->rounding = (sk_rounding)rng_range(b->r, 0, SK_ROUND_COUNT - 1);
    l->relu = rng_chance(b->r, 30);
}

/* The accumulators of the layer being built (its shift fields are provisional). */
static sk_status cnn_measure(cnn_builder *b, const int32_t *src, int32_t **acc, size_t *count)
{
    const uint32_t i = b->count;
    *count = b->batch * (size_t)sk_shape_size(sk_layer_out_shape(b->m, i));
    *acc = malloc(*count * sizeof **acc);
    int32_t *y = malloc(*count * sizeof *y);
    if (!*acc || !y) {
        free(*acc);
        free(y);
        return sk_fail(b->err, SK_ERR_NOMEM, "gen: out of memory");
    }
    sk_layer_forward(b->m, i, cnn_x(b), src, b->batch, *acc, y);
    free(y);
    return SK_OK;
}

static sk_status cnn_pool(cnn_builder *b, sk_layer_kind kind, uint32_t kh, uint32_t kw,
                          uint32_t sh, uint32_t sw)
{
    const uint32_t i = b->count;
    sk_layer *l = cnn_begin(b, kind);
    l->n = l->geom.in_c;
    l->geom.kernel_h = kh;
    l->geom.kernel_w = kw;
    l->geom.stride_h = sh;
    l->geom.stride_w = sw;
    const int e_in = sk_layer_in_exp(b->m, i);
    if (kind == SK_LAYER_MAXPOOL) {
        l->out = sk_layer_in_type(b->m, i);
        l->out_exp = (int8_t)e_in;
        l->relu = rng_chance(b->r, 30);
        return cnn_finish(b);
    }
    cnn_out_fields(b, l);
    const int log2w = sk_avgpool_log2(l);
    l->out_exp = (int8_t)(e_in - log2w); /* provisional: shift 0 */
    int32_t *acc;
    size_t count;
    sk_status st = cnn_measure(b, NULL, &acc, &count);
    if (st != SK_OK)
        return st;
    const int s = cnn_aim(b, acc, count, l->out);
    free(acc);
    l->out_exp = (int8_t)clamp_int(s + e_in - log2w, -128, 127);
    return cnn_finish(b);
}

/* A residual add of the current map and operand b (an earlier layer or the input). */
static sk_status cnn_add(cnn_builder *b, uint32_t src)
{
    sk_layer *l = cnn_begin(b, SK_LAYER_ADD);
    l->n = l->geom.in_c;
    l->geom.src = src;
    cnn_out_fields(b, l);
    const int ea = sk_layer_in_exp(b->m, b->count), eb = sk_add_src_exp(b->m, b->count);
    const int ec = ea < eb ? ea : eb;
    l->out_exp = (int8_t)ec; /* provisional: shift 0 */
    int32_t *acc;
    size_t count;
    sk_status st = cnn_measure(b, src == SK_SRC_INPUT ? b->input : b->outs[src], &acc, &count);
    if (st != SK_OK)
        return st;
    const int s = cnn_aim(b, acc, count, l->out);
    free(acc);
    l->out_exp = (int8_t)clamp_int(ec + s, -128, 127);
    return cnn_finish(b);
}

/* A power-of-two extent <= side (1, 2 or 4). */
static uint32_t pow2_window(rng *r, uint32_t side)
{
    uint32_t w = 1u << rng_range(r, 0, 2);
    while (w > side)
        w >>= 1;
    return w;
}

/* The largest power of two <= v. */
static uint32_t floor_pow2(uint32_t v)
{
    uint32_t p = 1;
    while (p * 2 <= v)
        p *= 2;
    return p;
}

/* An earlier output (or the input) of the current shape for a residual add, or
 * UINT32_MAX if none. */
static uint32_t cnn_find_src(const cnn_builder *b)
{
    const sk_shape cur = cnn_shape(b);
    for (uint32_t j = 0; j + 1 < b->count; j++) {
        const sk_shape s = sk_layer_out_shape(b->m, j);
        if (s.h == cur.h && s.w == cur.w && s.c == cur.c && !b->m->layers[j].raw_output)
            return j;
    }
    const sk_shape in = sk_model_in_shape(b->m);
    if (b->count > 0 && in.h == cur.h && in.w == cur.w && in.c == cur.c)
        return SK_SRC_INPUT;
    return UINT32_MAX;
}

static sk_status cnn_random_layer(cnn_builder *b, bool last)
{
    const sk_shape in = cnn_shape(b);
    const unsigned pick = (unsigned)rng_range(b->r, 0, 9);
    const uint32_t src = cnn_find_src(b);
    if (pick < 4)
        return cnn_random_conv(b, pick == 3 && in.c > 1, false);
    if (pick < 6 && (in.h > 1 || in.w > 1))
        return cnn_pool(b, SK_LAYER_MAXPOOL, (uint32_t)rng_range(b->r, 1, in.h < 3 ? in.h : 3),
                        (uint32_t)rng_range(b->r, 1, in.w < 3 ? in.w : 3),
                        (uint32_t)rng_range(b->r, 1, 2), (uint32_t)rng_range(b->r, 1, 2));
    if (pick < 8)
        return cnn_pool(b, SK_LAYER_AVGPOOL, pow2_window(b->r, in.h), pow2_window(b->r, in.w),
                        (uint32_t)rng_range(b->r, 1, 2), (uint32_t)rng_range(b->r, 1, 2));
    if (pick == 8 && src != UINT32_MAX)
        return cnn_add(b, src);
    if (b->count == 0) /* the input is a map: start spatially */
        return cnn_random_conv(b, false, false);
    cnn_begin(b, SK_LAYER_DENSE);
    return cnn_weighted(b, (uint32_t)rng_range(b->r, 1, 12), last && rng_chance(b->r, 30));
}

static sk_status cnn_build(cnn_builder *b, enum cnn_scenario scen, uint32_t max_layers)
{
    rng *r = b->r;
    const sk_shape in = cnn_shape(b);
    const uint32_t none[4] = { 0, 0, 0, 0 };
    sk_status st = SK_OK;
    switch (scen) {
    case CNN_PAD_BORDERS: {
        const uint32_t kh = (uint32_t)rng_range(r, 2, 4), kw = (uint32_t)rng_range(r, 2, 4);
        const uint32_t pad[4] = { (uint32_t)rng_range(r, 1, kh - 1), (uint32_t)rng_range(r, 1, kw - 1),
                                  (uint32_t)rng_range(r, 1, kh - 1), (uint32_t)rng_range(r, 1, kw - 1) };
        st = cnn_conv(b, kh, kw, 1, 1, pad, rng_chance(r, 25) && in.c > 1,
                      (uint32_t)rng_range(r, 1, b->max_channels), false);
        break;
    }
    case CNN_STRIDE2:
        st = cnn_random_conv(b, false, true);
        if (st == SK_OK && max_layers > 1)
            st = cnn_random_conv(b, rng_chance(r, 30) && cnn_shape(b).c > 1, true);
        break;
    case CNN_DEPTHWISE:
        st = cnn_random_conv(b, in.c > 1, false);
        if (st == SK_OK && max_layers > 1)
            st = cnn_conv(b, 1, 1, 1, 1, none, false, (uint32_t)rng_range(r, 1, b->max_channels),
                          false);
        break;
    case CNN_KERNEL_EDGES:
        st = cnn_conv(b, 1, 1, 1, 1, none, false, (uint32_t)rng_range(r, 1, b->max_channels),
                      false);
        if (st == SK_OK && max_layers > 1)
            st = cnn_conv(b, in.h, in.w, 1, 1, none, rng_chance(r, 30) && cnn_shape(b).c > 1,
                          (uint32_t)rng_range(r, 1, b->max_channels), rng_chance(r, 30));
        break;
    case CNN_MAXPOOL: {
        const uint32_t same[4] = { 1, 1, 1, 1 };
        st = cnn_conv(b, 3, 3, 1, 1, same, false, (uint32_t)rng_range(r, 1, b->max_channels),
                      false);
        const sk_shape c = cnn_shape(b);
        if (st == SK_OK && max_layers > 1)
            st = cnn_pool(b, SK_LAYER_MAXPOOL, (uint32_t)rng_range(r, 1, c.h < 3 ? c.h : 3),
                          (uint32_t)rng_range(r, 1, c.w < 3 ? c.w : 3),
                          (uint32_t)rng_range(r, 1, 3), (uint32_t)rng_range(r, 1, 3));
        if (st == SK_OK && max_layers > 2) {
            const sk_shape p = cnn_shape(b);
            st = cnn_pool(b, SK_LAYER_MAXPOOL, p.h, p.w, 1, 1); /* global max */
        }
        break;
    }
    case CNN_AVGPOOL: {
        st = cnn_pool(b, SK_LAYER_AVGPOOL, pow2_window(r, in.h), pow2_window(r, in.w),
                      (uint32_t)rng_range(r, 1, 3), (uint32_t)rng_range(r, 1, 3));
        const sk_shape p = cnn_shape(b);
        if (st == SK_OK && max_layers > 1 && rng_chance(r, 70)) /* global average */
            st = cnn_pool(b, SK_LAYER_AVGPOOL, floor_pow2(p.h), floor_pow2(p.w),
                          floor_pow2(p.h) == p.h ? 1 : p.h, floor_pow2(p.w) == p.w ? 1 : p.w);
        break;
    }
    case CNN_RESIDUAL: {
        const uint32_t same[4] = { 1, 1, 1, 1 };
        st = cnn_conv(b, 3, 3, 1, 1, same, false, in.c, false);
        if (st == SK_OK && max_layers > 2 && rng_chance(r, 50))
            st = cnn_conv(b, 1, 1, 1, 1, none, false, in.c, false);
        if (st == SK_OK && max_layers > 1)
            st = cnn_add(b, b->count > 1 && rng_chance(r, 50) ? 0 : SK_SRC_INPUT);
        break;
    }
    case CNN_CHAIN:
        st = cnn_random_conv(b, false, false);
        if (st == SK_OK && max_layers > 1) {
            const sk_shape c = cnn_shape(b);
            st = rng_chance(r, 50)
                     ? cnn_pool(b, SK_LAYER_MAXPOOL, c.h < 2 ? 1 : 2, c.w < 2 ? 1 : 2, 2, 2)
                     : cnn_pool(b, SK_LAYER_AVGPOOL, c.h < 2 ? 1 : 2, c.w < 2 ? 1 : 2, 2, 2);
        }
        if (st == SK_OK && max_layers > 2) {
            cnn_begin(b, SK_LAYER_DENSE);
            st = cnn_weighted(b, (uint32_t)rng_range(r, 1, 12), max_layers == 3 && rng_chance(r, 40));
        }
        if (st == SK_OK && max_layers > 3) {
            cnn_begin(b, SK_LAYER_DENSE);
            st = cnn_weighted(b, (uint32_t)rng_range(r, 1, 10), rng_chance(r, 40));
        }
        break;
    default: {
        const uint32_t layers = (uint32_t)rng_range(r, 1, max_layers);
        for (uint32_t i = 0; i < layers && st == SK_OK; i++)
            st = cnn_random_layer(b, i + 1 == layers);
        break;
    }
    }
    return st;
}

static sk_status gen_cnn_case(rng *r, uint32_t index, const sk_gen_limits *limits,
                              sk_model *model, sk_tensor *input, sk_error *err)
{
    const enum cnn_scenario scen = (enum cnn_scenario)(index % CNN_COUNT);
    const uint32_t max_layers = limits->max_layers < CNN_MAX_LAYERS ? limits->max_layers
                                                                    : CNN_MAX_LAYERS;
    const uint32_t side_max = limits->max_dim < CNN_MAX_SIDE ? limits->max_dim : CNN_MAX_SIDE;
    const size_t batch = (size_t)rng_range(r, 1, limits->max_batch < 4 ? limits->max_batch : 4);
    sk_model m;
    if (sk_model_init(&m, CNN_MAX_LAYERS) != SK_OK)
        return sk_fail(err, SK_ERR_NOMEM, "gen: out of memory");
    m.in.bits = random_bits(r, false);
    m.in.is_signed = scen == CNN_STRIDE2 || rng_chance(r, 60);
    m.in_exp = (int8_t)rng_range(r, -8, 0);
    /* The input shape lives in layer 0's geometry; odd sides are favoured, the
     * stride-2 scenario uses odd sides only, global average pooling needs 2^k. */
    uint32_t h = (uint32_t)rng_range(r, 1, side_max), w = (uint32_t)rng_range(r, 1, side_max);
    const uint32_t c = (uint32_t)rng_range(r, 1, limits->max_dim < 4 ? limits->max_dim : 4);
    if (scen == CNN_STRIDE2) {
        h |= 1;
        w |= 1;
        h = h > side_max ? side_max : h;
        w = w > side_max ? side_max : w;
    }
    if (scen == CNN_AVGPOOL && rng_chance(r, 50)) {
        h = floor_pow2(h);
        w = floor_pow2(w);
    }
    m.layers[0].geom = (sk_geometry){ .in_h = h, .in_w = w, .in_c = c };
    m.layers[0].kind = SK_LAYER_CONV2D; /* provisional, so the input shape is HWC */
    const size_t k0 = (size_t)h * w * c;
    sk_tensor in = { 0 };
    int32_t *x = malloc(batch * k0 * sizeof *x);
    sk_status st = x && sk_tensor_alloc2(&in, m.in.is_signed ? SK_DTYPE_INT8 : SK_DTYPE_UINT8,
                                         batch, k0) == SK_OK
                       ? SK_OK
                       : sk_fail(err, SK_ERR_NOMEM, "gen: out of memory");
    cnn_builder b = { .r = r, .m = &m, .batch = batch, .input = x,
                      .max_channels = limits->max_dim < CNN_MAX_CHANNELS ? limits->max_dim
                                                                         : CNN_MAX_CHANNELS,
                      .ties = scen == CNN_PAD_BORDERS || scen == CNN_AVGPOOL ||
                              scen == CNN_RESIDUAL || (scen == CNN_DEPTHWISE && rng_chance(r, 50)),
                      .saturate = scen == CNN_STRIDE2, .err = err };
    if (st == SK_OK) {
        fill_input(r, &m, (uint32_t)k0, x, batch);
        memcpy(in.data, x, batch * k0 * sizeof *x);
        in.ndim = 4;
        in.shape[1] = h;
        in.shape[2] = w;
        in.shape[3] = c;
        st = cnn_build(&b, scen, max_layers);
    }
    for (uint32_t i = 0; i < b.count; i++)
        free(b.outs[i]);
    free(x);
    if (st == SK_OK && b.count == 0)
        st = sk_fail(err, SK_ERR_BAD_ARG, "gen: CNN scenario %d built no layer", (int)scen);
    /* Unused layers are zeroed and hold no arrays; on failure every layer is freed,
     * including one whose arrays were allocated before it failed. */
    m.num_layers = st == SK_OK ? b.count : CNN_MAX_LAYERS;
    return hand_over(st, &m, &in, model, input, err);
}

sk_status sk_gen_case(uint64_t seed, uint32_t index, const sk_gen_limits *limits,
                      sk_model *model, sk_tensor *input, sk_error *err)
{
    if (!limits || !model || !input || limits->max_layers == 0 ||
        limits->max_layers > SK_MODEL_MAX_LAYERS || limits->max_dim == 0 ||
        limits->max_dim > SK_MODEL_MAX_DIM || limits->max_batch == 0)
        return sk_fail(err, SK_ERR_BAD_ARG, "gen: invalid limits");
    rng r = { seed * UINT64_C(0x100000001B3) ^ (index + UINT64_C(0x5EED)) };
    for (int warm = 0; warm < 4; warm++)
        rng_next(&r);
    if (limits->cnn)
        return gen_cnn_case(&r, index, limits, model, input, err);

    const enum scenario scen = (enum scenario)(index % SCEN_COUNT);
    uint32_t layers = 1;
    if (scen == SCEN_RANDOM || scen == SCEN_RAW_HEAD || scen == SCEN_NARROW)
        layers = (uint32_t)rng_range(&r, 1, limits->max_layers);
    else if (scen == SCEN_RANDOM_DEEP)
        layers = limits->max_layers;
    const size_t batch = (size_t)rng_range(&r, 1, limits->max_batch);

    sk_model m;
    if (sk_model_init(&m, layers) != SK_OK)
        return sk_fail(err, SK_ERR_NOMEM, "gen: out of memory");
    const bool narrow = scen == SCEN_NARROW;
    m.in.bits = scen == SCEN_ACC_BOUND ? 8 : random_bits(&r, narrow);
    m.in.is_signed = scen == SCEN_ACC_BOUND || scen == SCEN_SATURATE || rng_chance(&r, 60);
    m.in_exp = (int8_t)rng_range(&r, -8, 0);

    sk_tensor in;
    uint32_t k0 = random_dim(&r, limits->max_dim);
    if (sk_tensor_alloc2(&in, m.in.is_signed ? SK_DTYPE_INT8 : SK_DTYPE_UINT8, batch, k0) !=
        SK_OK) {
        sk_model_free(&m);
        return sk_fail(err, SK_ERR_NOMEM, "gen: out of memory");
    }
    /* Build layer by layer; each layer's inputs are the previous layer's outputs. */
    int32_t *x = malloc(batch * k0 * sizeof *x);
    sk_status st = x ? SK_OK : sk_fail(err, SK_ERR_NOMEM, "gen: out of memory");
    uint32_t k = k0;
    for (uint32_t i = 0; i < layers && st == SK_OK; i++) {
        layer_plan plan = { .k = k, .n = random_dim(&r, limits->max_dim), .narrow = narrow };
        plan.per_channel = rng_chance(&r, 50);
        plan.raw = scen == SCEN_RAW_HEAD && i + 1 == layers;
        plan.ties = scen == SCEN_TIES;
        plan.shift_bias = scen == SCEN_SATURATE ? -(int)rng_range(&r, 2, 6) : 0;
        plan.acc_bound = scen == SCEN_ACC_BOUND;
        plan.shift_edges = scen == SCEN_SHIFT_EDGES;
        if (plan.shift_edges && plan.n < 2)
            plan.n = 2;
        if (plan.shift_edges)
            plan.per_channel = true;
        if (plan.acc_bound && plan.n < 2)
            plan.n = 2;
        if (i == 0)
            fill_input(&r, &m, k0, x, batch);
        if (i == 0 && plan.acc_bound) {
            /* Weights are drawn inside build_layer; draw them, then aim the inputs and
             * rebuild biases and shifts from the aimed inputs. */
            rng replay = r;
            st = build_layer(&r, &m, i, &plan, x, batch, err);
            if (st == SK_OK) {
                drive_to_bounds(&m, x, batch);
                r = replay;
                st = build_layer(&r, &m, i, &plan, x, batch, err);
            }
        } else {
            st = build_layer(&r, &m, i, &plan, x, batch, err);
        }
        if (st != SK_OK)
            break;
        if (i == 0)
            memcpy(in.data, x, batch * k0 * sizeof *x);
        int32_t *y = malloc(batch * plan.n * sizeof *y);
        if (!y) {
            st = sk_fail(err, SK_ERR_NOMEM, "gen: out of memory");
            break;
        }
        sk_dense_forward(&m, i, x, batch, NULL, y);
        free(x);
        x = y;
        k = plan.n;
    }
    free(x);
    return hand_over(st, &m, &in, model, input, err);
}
