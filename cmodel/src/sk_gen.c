/* sk_gen.c — seeded constrained-random test cases (docs/datapath.md §9).
 *
 * Each case is one scenario, chosen by index so that any 8 consecutive cases cover
 * them all: random multi-layer networks, rounding ties (positive and negative) for
 * every mode, saturation both ways, the exact int32 accumulator bound, the shift
 * edges -16 and 31, 2-bit types, and a raw-accumulator head. Shifts are aimed from
 * the accumulators the case's own inputs produce, so outputs land inside, at and
 * beyond the clamp range rather than all at zero or all saturated. The generator
 * is a fixed splitmix64 stream, so a (seed, index) replays on any machine. */
#include "shiftkit/sk_gen.h"

#include <stdlib.h>
#include <string.h>

#include "shiftkit/sk_infer.h"
#include "sk_internal.h"

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
    int32_t *acc = malloc(batch * l->n * sizeof *acc);
    if (!acc)
        return sk_fail(err, SK_ERR_NOMEM, "gen: out of memory");
    sk_dense_accumulate(m, i, x, batch, acc, SK_KERNEL_AUTO); /* biases are still 0 */

    /* Aim each channel's shift so its largest accumulator lands near the output
     * type's top, then perturb. */
    const uint32_t channels = l->per_channel ? l->n : 1;
    for (uint32_t c = 0; c < channels; c++) {
        int64_t peak = 1;
        for (size_t b = 0; b < batch; b++)
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
            const size_t b = n % batch;
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
    if (st == SK_OK)
        st = sk_model_validate(&m, "generated model", err);
    if (st != SK_OK) {
        sk_model_free(&m);
        sk_tensor_free(&in);
        return st;
    }
    *model = m;
    *input = in;
    return SK_OK;
}
