/* sk_model.c — the in-memory integer network: allocation, derived quantities
 * (input exponent and type, shifts, accumulator bounds) and validation against
 * docs/datapath.md and docs/model-format.md. */
#include "shiftkit/sk_model.h"

#include <stdlib.h>
#include <string.h>

#include "sk_internal.h"
#include "sk_layers.h"

sk_status sk_model_init(sk_model *model, uint32_t num_layers)
{
    if (!model || num_layers == 0 || num_layers > SK_MODEL_MAX_LAYERS)
        return SK_ERR_BAD_ARG;
    memset(model, 0, sizeof *model);
    model->layers = calloc(num_layers, sizeof *model->layers);
    if (!model->layers)
        return SK_ERR_NOMEM;
    model->num_layers = num_layers;
    model->in = (sk_qtype){ .bits = 8, .is_signed = true };
    return SK_OK;
}

sk_status sk_layer_alloc(sk_layer *layer, uint32_t k, uint32_t n, bool per_channel)
{
    if (!layer || k == 0 || n == 0 || k > SK_MODEL_MAX_DIM || n > SK_MODEL_MAX_DIM)
        return SK_ERR_BAD_ARG;
    free(layer->w_exp);
    free(layer->bias);
    free(layer->weights);
    layer->k = k;
    layer->n = n;
    layer->per_channel = per_channel;
    layer->w_exp = calloc(per_channel ? n : 1, sizeof *layer->w_exp);
    layer->bias = calloc(n, sizeof *layer->bias);
    layer->weights = calloc((size_t)n * k, sizeof *layer->weights);
    if (!layer->w_exp || !layer->bias || !layer->weights)
        return SK_ERR_NOMEM;
    return SK_OK;
}

void sk_model_free(sk_model *model)
{
    if (!model)
        return;
    if (model->layers) {
        for (uint32_t i = 0; i < model->num_layers; i++) {
            free(model->layers[i].w_exp);
            free(model->layers[i].bias);
            free(model->layers[i].weights);
        }
        free(model->layers);
    }
    memset(model, 0, sizeof *model);
}

int sk_layer_in_exp(const sk_model *model, uint32_t layer)
{
    return layer == 0 ? model->in_exp : model->layers[layer - 1].out_exp;
}

sk_qtype sk_layer_in_type(const sk_model *model, uint32_t layer)
{
    return layer == 0 ? model->in : model->layers[layer - 1].out;
}

static const char *const kind_names[SK_LAYER_KIND_COUNT] = {
    [SK_LAYER_DENSE] = "dense",     [SK_LAYER_CONV2D] = "conv2d", [SK_LAYER_MAXPOOL] = "maxpool",
    [SK_LAYER_AVGPOOL] = "avgpool", [SK_LAYER_ADD] = "add",
};

const char *sk_layer_kind_name(sk_layer_kind kind)
{
    return (unsigned)kind < SK_LAYER_KIND_COUNT ? kind_names[kind] : "unknown";
}

bool sk_layer_kind_has_weights(sk_layer_kind kind)
{
    return kind == SK_LAYER_DENSE || kind == SK_LAYER_CONV2D;
}

uint64_t sk_shape_size(sk_shape shape)
{
    return (uint64_t)shape.h * shape.w * shape.c;
}

sk_shape sk_layer_in_shape(const sk_model *model, uint32_t layer)
{
    const sk_layer *l = &model->layers[layer];
    if (l->kind == SK_LAYER_DENSE)
        return (sk_shape){ 1, 1, l->k };
    return (sk_shape){ l->geom.in_h, l->geom.in_w, l->geom.in_c };
}

sk_shape sk_model_in_shape(const sk_model *model)
{
    return sk_layer_in_shape(model, 0);
}

/* floor((in + pads - kernel) / stride) + 1, or 0 when the window does not fit or the
 * geometry is not yet validated (stride 0). */
static uint32_t out_extent(uint32_t in, uint32_t pads, uint32_t kernel, uint32_t stride)
{
    const uint64_t span = (uint64_t)in + pads;
    if (stride == 0 || kernel == 0 || span < kernel)
        return 0;
    const uint64_t out = (span - kernel) / stride + 1;
    return out > UINT32_MAX ? UINT32_MAX : (uint32_t)out;
}

sk_shape sk_layer_out_shape(const sk_model *model, uint32_t layer)
{
    const sk_layer *l = &model->layers[layer];
    const sk_geometry *g = &l->geom;
    switch (l->kind) {
    case SK_LAYER_CONV2D:
        return (sk_shape){ out_extent(g->in_h, g->pad_top + g->pad_bottom, g->kernel_h, g->stride_h),
                           out_extent(g->in_w, g->pad_left + g->pad_right, g->kernel_w, g->stride_w),
                           l->n };
    case SK_LAYER_MAXPOOL:
    case SK_LAYER_AVGPOOL:
        return (sk_shape){ out_extent(g->in_h, 0, g->kernel_h, g->stride_h),
                           out_extent(g->in_w, 0, g->kernel_w, g->stride_w), g->in_c };
    case SK_LAYER_ADD: return (sk_shape){ g->in_h, g->in_w, g->in_c };
    default: return (sk_shape){ 1, 1, l->n };
    }
}

int sk_avgpool_log2(const sk_layer *layer)
{
    const uint64_t window = (uint64_t)layer->geom.kernel_h * layer->geom.kernel_w;
    for (int k = 0; k < 63; k++)
        if (window == UINT64_C(1) << k)
            return k;
    return -1;
}

int sk_add_src_exp(const sk_model *model, uint32_t layer)
{
    const uint32_t src = model->layers[layer].geom.src;
    return src == SK_SRC_INPUT ? model->in_exp : model->layers[src].out_exp;
}

sk_qtype sk_add_src_type(const sk_model *model, uint32_t layer)
{
    const uint32_t src = model->layers[layer].geom.src;
    return src == SK_SRC_INPUT ? model->in : model->layers[src].out;
}

/* The add's common exponent min(ea, eb) (§14). */
static int add_common_exp(const sk_model *model, uint32_t layer)
{
    const int ea = sk_layer_in_exp(model, layer), eb = sk_add_src_exp(model, layer);
    return ea < eb ? ea : eb;
}

int sk_layer_shift(const sk_model *model, uint32_t layer, uint32_t channel)
{
    const sk_layer *l = &model->layers[layer];
    switch (l->kind) {
    case SK_LAYER_MAXPOOL: return 0;
    case SK_LAYER_AVGPOOL:
        return (int)l->out_exp - sk_layer_in_exp(model, layer) + sk_avgpool_log2(l);
    case SK_LAYER_ADD: return (int)l->out_exp - add_common_exp(model, layer);
    default: break;
    }
    int e_w = l->w_exp[l->per_channel ? channel : 0];
    return (int)l->out_exp - sk_layer_in_exp(model, layer) - e_w;
}

void sk_layer_acc_bounds(const sk_model *model, uint32_t layer, uint32_t channel, int64_t *lo,
                         int64_t *hi)
{
    const sk_layer *l = &model->layers[layer];
    const sk_qtype in = sk_layer_in_type(model, layer);
    const int64_t xmin = sk_qtype_min(in), xmax = sk_qtype_max(in);
    if (l->kind == SK_LAYER_MAXPOOL) {
        *lo = xmin;
        *hi = xmax;
        return;
    }
    if (l->kind == SK_LAYER_AVGPOOL) { /* §13: a window of 2^k values */
        const int64_t window = (int64_t)l->geom.kernel_h * l->geom.kernel_w;
        *lo = window * xmin;
        *hi = window * xmax;
        return;
    }
    if (l->kind == SK_LAYER_ADD) { /* §14: a * 2^da + b * 2^db */
        const sk_qtype bt = sk_add_src_type(model, layer);
        const int ec = add_common_exp(model, layer);
        const int da = sk_layer_in_exp(model, layer) - ec, db = sk_add_src_exp(model, layer) - ec;
        if (da > 31 || db > 31) {
            *lo = INT64_MIN;
            *hi = INT64_MAX;
            return;
        }
        *lo = xmin * (INT64_C(1) << da) + (int64_t)sk_qtype_min(bt) * (INT64_C(1) << db);
        *hi = xmax * (INT64_C(1) << da) + (int64_t)sk_qtype_max(bt) * (INT64_C(1) << db);
        return;
    }
    const int8_t *w = &l->weights[(size_t)channel * l->k];
    const int64_t b = l->bias[channel];
    /* §3: each term lies in [min(w*xmin, w*xmax), max(...)], which straddles 0. */
    int64_t sum_hi = b > 0 ? b : 0, sum_lo = b < 0 ? b : 0;
    for (uint32_t k = 0; k < l->k; k++) {
        int64_t a = w[k] * xmin, c = w[k] * xmax;
        sum_hi += a > c ? a : c;
        sum_lo += a < c ? a : c;
    }
    *lo = sum_lo;
    *hi = sum_hi;
}

static const char *name_or_model(const char *origin)
{
    return origin ? origin : "model";
}

static bool bits_ok(int bits)
{
    return bits >= SK_BITS_MIN && bits <= SK_BITS_MAX;
}

static bool geom_field_ok(uint32_t v, bool used)
{
    return used ? v >= 1 && v <= SK_MODEL_MAX_GEOM : v == 0;
}

/* Geometry fields a kind does not use must be 0 (docs/model-format.md). */
static sk_status check_unused_geometry(const sk_layer *l, uint32_t i, const char *o, sk_error *err)
{
    const sk_geometry *g = &l->geom;
    const bool spatial = l->kind != SK_LAYER_DENSE, windowed = spatial && l->kind != SK_LAYER_ADD;
    const struct {
        const char *name;
        uint32_t value;
        bool used;
    } fields[] = {
        { "in_h", g->in_h, spatial },           { "in_w", g->in_w, spatial },
        { "in_c", g->in_c, spatial },           { "kernel_h", g->kernel_h, windowed },
        { "kernel_w", g->kernel_w, windowed },  { "stride_h", g->stride_h, windowed },
        { "stride_w", g->stride_w, windowed },
        { "pad_top", g->pad_top, l->kind == SK_LAYER_CONV2D },
        { "pad_left", g->pad_left, l->kind == SK_LAYER_CONV2D },
        { "pad_bottom", g->pad_bottom, l->kind == SK_LAYER_CONV2D },
        { "pad_right", g->pad_right, l->kind == SK_LAYER_CONV2D },
        { "groups", g->groups, l->kind == SK_LAYER_CONV2D },
        { "src", g->src, l->kind == SK_LAYER_ADD },
    };
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
        if (!fields[f].used && fields[f].value != 0)
            return sk_fail(err, SK_ERR_BAD_FIELD,
                           "%s: layer %u field %s: must be 0 for a %s layer, is %u", o, i,
                           fields[f].name, sk_layer_kind_name(l->kind), fields[f].value);
    return SK_OK;
}

/* Shape rules of datapath §10–§14 for a layer of a kind other than dense. */
static sk_status validate_geometry(const sk_model *model, uint32_t i, const char *o,
                                   sk_error *err)
{
    const sk_layer *l = &model->layers[i];
    const sk_geometry *g = &l->geom;
    const char *kind = sk_layer_kind_name(l->kind);
    const struct {
        const char *name;
        uint32_t value;
    } sizes[] = { { "in_h", g->in_h }, { "in_w", g->in_w }, { "in_c", g->in_c } };
    for (size_t f = 0; f < 3; f++)
        if (!geom_field_ok(sizes[f].value, true))
            return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: layer %u field %s: %u is outside 1..%u",
                           o, i, sizes[f].name, sizes[f].value, SK_MODEL_MAX_GEOM);
    const sk_shape in = sk_layer_in_shape(model, i);
    if (sk_shape_size(in) > SK_MODEL_MAX_ACT)
        return sk_fail(err, SK_ERR_BAD_SHAPE,
                       "%s: layer %u: input %ux%ux%u holds more than %u elements", o, i, in.h,
                       in.w, in.c, SK_MODEL_MAX_ACT);
    if (i > 0) {
        const sk_shape prev = sk_layer_out_shape(model, i - 1);
        if (prev.h != in.h || prev.w != in.w || prev.c != in.c)
            return sk_fail(err, SK_ERR_BAD_SHAPE,
                           "%s: layer %u field in_h/in_w/in_c: input %ux%ux%u does not match "
                           "layer %u's output %ux%ux%u", o, i, in.h, in.w, in.c, i - 1, prev.h,
                           prev.w, prev.c);
    }
    if (l->kind != SK_LAYER_CONV2D && l->n != g->in_c)
        return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: layer %u field n: %u must equal in_c = %u "
                       "for a %s layer", o, i, l->n, g->in_c, kind);
    if (l->kind == SK_LAYER_ADD) {
        if (g->src != SK_SRC_INPUT && g->src >= i)
            return sk_fail(err, SK_ERR_BAD_FIELD, "%s: layer %u field src: %u is not an earlier "
                           "layer (0..%d) or 0xFFFF (the network input)", o, i, g->src,
                           (int)i - 1);
        if (g->src != SK_SRC_INPUT && model->layers[g->src].raw_output)
            return sk_fail(err, SK_ERR_BAD_FIELD, "%s: layer %u field src: layer %u is a raw "
                           "int32 output", o, i, g->src);
        const sk_shape b = g->src == SK_SRC_INPUT ? sk_model_in_shape(model)
                                                  : sk_layer_out_shape(model, g->src);
        if (b.h != in.h || b.w != in.w || b.c != in.c)
            return sk_fail(err, SK_ERR_BAD_SHAPE,
                           "%s: layer %u field src: operand b (%s %u) is %ux%ux%u, operand a is "
                           "%ux%ux%u", o, i, g->src == SK_SRC_INPUT ? "input" : "layer",
                           g->src == SK_SRC_INPUT ? 0 : g->src, b.h, b.w, b.c, in.h, in.w, in.c);
        return SK_OK;
    }
    const struct {
        const char *name;
        uint32_t value;
    } window[] = { { "kernel_h", g->kernel_h }, { "kernel_w", g->kernel_w },
                   { "stride_h", g->stride_h }, { "stride_w", g->stride_w } };
    for (size_t f = 0; f < 4; f++)
        if (!geom_field_ok(window[f].value, true))
            return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: layer %u field %s: %u is outside 1..%u",
                           o, i, window[f].name, window[f].value, SK_MODEL_MAX_GEOM);
    if (l->kind == SK_LAYER_CONV2D) {
        const struct {
            const char *name;
            uint32_t pad, kernel;
        } pads[] = { { "pad_top", g->pad_top, g->kernel_h },
                     { "pad_left", g->pad_left, g->kernel_w },
                     { "pad_bottom", g->pad_bottom, g->kernel_h },
                     { "pad_right", g->pad_right, g->kernel_w } };
        for (size_t f = 0; f < 4; f++)
            if (pads[f].pad >= pads[f].kernel)
                return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: layer %u field %s: %u is not smaller "
                               "than the kernel size %u", o, i, pads[f].name, pads[f].pad,
                               pads[f].kernel);
        if (g->groups != 1 && g->groups != g->in_c)
            return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: layer %u field groups: %u is neither 1 "
                           "nor in_c = %u (depthwise)", o, i, g->groups, g->in_c);
        if (g->groups > 1 && l->n != g->in_c)
            return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: layer %u field n: a depthwise conv2d "
                           "has n = in_c = %u output channels, not %u", o, i, g->in_c, l->n);
        const uint64_t k = (uint64_t)g->kernel_h * g->kernel_w * (g->in_c / g->groups);
        if (l->k != k)
            return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: layer %u field k: %u does not equal "
                           "kernel_h * kernel_w * in_c / groups = %llu", o, i, l->k,
                           (unsigned long long)k);
    } else {
        if (g->kernel_h > g->in_h || g->kernel_w > g->in_w)
            return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: layer %u field kernel_h/kernel_w: "
                           "window %ux%u is larger than the %ux%u map", o, i, g->kernel_h,
                           g->kernel_w, g->in_h, g->in_w);
        if (l->kind == SK_LAYER_AVGPOOL && sk_avgpool_log2(l) < 0)
            return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: layer %u field kernel_h/kernel_w: "
                           "window %ux%u = %llu is not a power of two", o, i, g->kernel_h,
                           g->kernel_w, (unsigned long long)g->kernel_h * g->kernel_w);
    }
    const sk_shape out = sk_layer_out_shape(model, i);
    if (out.h == 0 || out.w == 0)
        return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: layer %u: the kernel does not fit the padded "
                       "input, the output would be empty", o, i);
    if (out.h > SK_MODEL_MAX_GEOM || out.w > SK_MODEL_MAX_GEOM ||
        sk_shape_size(out) > SK_MODEL_MAX_ACT)
        return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: layer %u: output %ux%ux%u exceeds %u per "
                       "side or %u elements", o, i, out.h, out.w, out.c, SK_MODEL_MAX_GEOM,
                       SK_MODEL_MAX_ACT);
    if (l->kind == SK_LAYER_MAXPOOL) {
        const sk_qtype t = sk_layer_in_type(model, i);
        if (l->out.bits != t.bits || l->out.is_signed != t.is_signed ||
            l->out_exp != sk_layer_in_exp(model, i))
            return sk_fail(err, SK_ERR_BAD_FIELD, "%s: layer %u field out_bits/out_signed/"
                           "out_exp: a maxpool keeps its input's type and exponent (%s %d-bit "
                           "at %d), not %s %d-bit at %d", o, i, t.is_signed ? "signed" : "unsigned",
                           t.bits, sk_layer_in_exp(model, i),
                           l->out.is_signed ? "signed" : "unsigned", l->out.bits, l->out_exp);
        if (l->rounding != SK_ROUND_FLOOR)
            return sk_fail(err, SK_ERR_BAD_FIELD, "%s: layer %u field rounding: must be 0 for a "
                           "maxpool (it does not round), is %d", o, i, (int)l->rounding);
    }
    return SK_OK;
}

/* Checks on a layer's header fields (kind, shape, bits, flags, rounding). */
static sk_status validate_layer_header(const sk_model *model, uint32_t i, const char *origin,
                                       sk_error *err)
{
    const sk_layer *l = &model->layers[i];
    const char *o = name_or_model(origin);
    if ((unsigned)l->kind >= SK_LAYER_KIND_COUNT)
        return sk_fail(err, SK_ERR_BAD_FIELD, "%s: layer %u field kind: %d is not a layer kind "
                       "(0 dense, 1 conv2d, 2 maxpool, 3 avgpool, 4 add)", o, i, (int)l->kind);
    const bool weights = sk_layer_kind_has_weights(l->kind);
    const char *kind = sk_layer_kind_name(l->kind);
    if (weights && (l->k == 0 || l->k > SK_MODEL_MAX_DIM))
        return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: layer %u field k: %u is outside 1..%u", o, i,
                       l->k, SK_MODEL_MAX_DIM);
    if (!weights && l->k != 0)
        return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: layer %u field k: must be 0 for a %s layer "
                       "(no weights), is %u", o, i, kind, l->k);
    if (l->n == 0 || l->n > SK_MODEL_MAX_DIM)
        return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: layer %u field n: %u is outside 1..%u", o, i,
                       l->n, SK_MODEL_MAX_DIM);
    sk_status st = check_unused_geometry(l, i, o, err);
    if (st != SK_OK)
        return st;
    if (l->kind == SK_LAYER_DENSE) {
        if (i > 0) {
            const uint64_t prev = sk_shape_size(sk_layer_out_shape(model, i - 1));
            if (l->k != prev)
                return sk_fail(err, SK_ERR_BAD_SHAPE,
                               "%s: layer %u field k: %u does not match layer %u's output size "
                               "%llu", o, i, l->k, i - 1, (unsigned long long)prev);
        }
    } else {
        st = validate_geometry(model, i, o, err);
        if (st != SK_OK)
            return st;
    }
    if (weights && !bits_ok(l->w_bits))
        return sk_fail(err, SK_ERR_BITS_RANGE, "%s: layer %u field w_bits: %d is outside 2..8", o,
                       i, l->w_bits);
    if (!weights && l->w_bits != 0)
        return sk_fail(err, SK_ERR_BAD_FIELD, "%s: layer %u field w_bits: must be 0 for a %s "
                       "layer (no weights), is %d", o, i, kind, l->w_bits);
    if (!bits_ok(l->out.bits))
        return sk_fail(err, SK_ERR_BITS_RANGE, "%s: layer %u field out_bits: %d is outside 2..8",
                       o, i, l->out.bits);
    if ((unsigned)l->rounding >= SK_ROUND_COUNT)
        return sk_fail(err, SK_ERR_BAD_FIELD, "%s: layer %u field rounding: %d is not 0..3", o, i,
                       (int)l->rounding);
    if (!weights && (l->per_channel || l->raw_output))
        return sk_fail(err, SK_ERR_BAD_FIELD, "%s: layer %u field flags: %s is not allowed on a "
                       "%s layer", o, i, l->per_channel ? "per_channel" : "raw_output", kind);
    if (l->raw_output && i + 1 != model->num_layers)
        return sk_fail(err, SK_ERR_BAD_FIELD,
                       "%s: layer %u field flags: raw_output is allowed on the last layer only", o,
                       i);
    if (l->raw_output && l->relu)
        return sk_fail(err, SK_ERR_BAD_FIELD,
                       "%s: layer %u field flags: raw_output cannot be combined with relu", o, i);
    return SK_OK;
}

/* The shift range of §4 for the kinds without weight exponents. */
static sk_status validate_kind_shift(const sk_model *model, uint32_t i, const char *o,
                                     sk_error *err)
{
    const sk_layer *l = &model->layers[i];
    const int s = sk_layer_shift(model, i, 0);
    if (s >= SK_SHIFT_MIN && s <= SK_SHIFT_MAX)
        return SK_OK;
    if (l->kind == SK_LAYER_AVGPOOL)
        return sk_fail(err, SK_ERR_SHIFT_RANGE, "%s: layer %u field out_exp: avgpool shift "
                       "e_out - e_in + log2(window) = %d - %d + %d = %d is outside %d..%d", o, i,
                       l->out_exp, sk_layer_in_exp(model, i), sk_avgpool_log2(l), s,
                       SK_SHIFT_MIN, SK_SHIFT_MAX);
    return sk_fail(err, SK_ERR_SHIFT_RANGE, "%s: layer %u field out_exp: add shift e_out - "
                   "min(ea, eb) = %d - %d = %d is outside %d..%d", o, i, l->out_exp,
                   (int)l->out_exp - s, s, SK_SHIFT_MIN, SK_SHIFT_MAX);
}

/* Checks on a layer's arrays: weight range, shift range, accumulator bound. */
static sk_status validate_layer_values(const sk_model *model, uint32_t i, const char *origin,
                                       sk_error *err)
{
    const sk_layer *l = &model->layers[i];
    const char *o = name_or_model(origin);
    if (l->kind == SK_LAYER_MAXPOOL)
        return SK_OK;
    if (!sk_layer_kind_has_weights(l->kind)) {
        if (l->kind == SK_LAYER_ADD) {
            const int ea = sk_layer_in_exp(model, i), eb = sk_add_src_exp(model, i);
            const int align = ea > eb ? ea - eb : eb - ea;
            if (align > 31)
                return sk_fail(err, SK_ERR_ACC_BOUND, "%s: layer %u field src: operand "
                               "exponents %d and %d are %d apart, more than 31 (docs/datapath.md "
                               "§14)", o, i, ea, eb, align);
        }
        int64_t lo, hi;
        sk_layer_acc_bounds(model, i, 0, &lo, &hi);
        if (hi > INT32_MAX || lo < INT32_MIN)
            return sk_fail(err, SK_ERR_ACC_BOUND,
                           "%s: layer %u: worst-case %s accumulator range %lld..%lld does not "
                           "fit int32 (docs/datapath.md §%d)", o, i, sk_layer_kind_name(l->kind),
                           (long long)lo, (long long)hi, l->kind == SK_LAYER_ADD ? 14 : 13);
        return validate_kind_shift(model, i, o, err);
    }
    const int32_t wmax = sk_weight_max(l->w_bits);
    for (uint32_t n = 0; n < l->n; n++) {
        for (uint32_t k = 0; k < l->k; k++) {
            int w = l->weights[(size_t)n * l->k + k];
            if (w > wmax || w < -wmax)
                return sk_fail(err, SK_ERR_WEIGHT_RANGE,
                               "%s: layer %u field weights[%u][%u]: %d is outside -%d..%d for "
                               "%d-bit weights",
                               o, i, n, k, w, (int)wmax, (int)wmax, l->w_bits);
        }
    }
    const uint32_t channels = l->per_channel ? l->n : 1;
    for (uint32_t c = 0; c < channels; c++) {
        int s = sk_layer_shift(model, i, c);
        if (s < SK_SHIFT_MIN || s > SK_SHIFT_MAX)
            return sk_fail(err, SK_ERR_SHIFT_RANGE,
                           "%s: layer %u field w_exp[%u]: shift e_out - e_in - e_w = %d - %d - %d "
                           "= %d is outside %d..%d",
                           o, i, c, l->out_exp, sk_layer_in_exp(model, i), l->w_exp[c], s,
                           SK_SHIFT_MIN, SK_SHIFT_MAX);
    }
    for (uint32_t n = 0; n < l->n; n++) {
        int64_t lo, hi;
        sk_layer_acc_bounds(model, i, n, &lo, &hi);
        if (hi > INT32_MAX || lo < INT32_MIN)
            return sk_fail(err, SK_ERR_ACC_BOUND,
                           "%s: layer %u channel %u: worst-case accumulator range %lld..%lld does "
                           "not fit int32 (docs/datapath.md §3)",
                           o, i, n, (long long)lo, (long long)hi);
    }
    return SK_OK;
}

sk_status sk_model_validate(const sk_model *model, const char *origin, sk_error *err)
{
    const char *o = name_or_model(origin);
    if (!model || !model->layers)
        return sk_fail(err, SK_ERR_BAD_ARG, "%s: no model", o);
    if (model->num_layers == 0 || model->num_layers > SK_MODEL_MAX_LAYERS)
        return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: field num_layers: %u is outside 1..%d", o,
                       model->num_layers, SK_MODEL_MAX_LAYERS);
    if (!bits_ok(model->in.bits))
        return sk_fail(err, SK_ERR_BITS_RANGE, "%s: field in_bits: %d is outside 2..8", o,
                       model->in.bits);
    uint64_t weights = 0;
    for (uint32_t i = 0; i < model->num_layers; i++) {
        sk_status st = validate_layer_header(model, i, origin, err);
        if (st != SK_OK)
            return st;
        weights += (uint64_t)model->layers[i].k * model->layers[i].n;
    }
    if (weights > SK_MODEL_MAX_WEIGHTS)
        return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: model holds %llu weights, more than %u", o,
                       (unsigned long long)weights, SK_MODEL_MAX_WEIGHTS);
    for (uint32_t i = 0; i < model->num_layers; i++) {
        sk_status st = validate_layer_values(model, i, origin, err);
        if (st != SK_OK)
            return st;
    }
    return SK_OK;
}

static uint64_t pad4(uint64_t n)
{
    return (4 - n % 4) % 4;
}

bool sk_model_all_dense(const sk_model *model)
{
    for (uint32_t i = 0; i < model->num_layers; i++)
        if (model->layers[i].kind != SK_LAYER_DENSE)
            return false;
    return true;
}

uint64_t sk_model_file_size(const sk_model *model)
{
    const bool v2 = !sk_model_all_dense(model);
    uint64_t size = SK_MODEL_HEADER_SIZE + 8;
    for (uint32_t i = 0; i < model->num_layers; i++) {
        const sk_layer *l = &model->layers[i];
        size += 16 + (v2 ? SK_SKM_GEOMETRY_SIZE : 0);
        if (!sk_layer_kind_has_weights(l->kind))
            continue;
        uint64_t e = l->per_channel ? l->n : 1, nk = (uint64_t)l->n * l->k;
        size += e + pad4(e) + 4ull * l->n + nk + pad4(nk);
    }
    return size;
}

void sk_model_get_footprint(const sk_model *model, sk_model_footprint *fp)
{
    memset(fp, 0, sizeof *fp);
    fp->max_activation = model->num_layers ? sk_shape_size(sk_model_in_shape(model)) : 0;
    for (uint32_t i = 0; i < model->num_layers; i++) {
        const sk_layer *l = &model->layers[i];
        const uint64_t out = sk_shape_size(sk_layer_out_shape(model, i));
        if (sk_layer_kind_has_weights(l->kind)) {
            fp->weights += (uint64_t)l->n * l->k;
            fp->biases += l->n;
            /* every output element is one dot product of k terms */
            fp->macs += out * l->k;
        }
        if (out > fp->max_activation)
            fp->max_activation = out;
    }
    fp->file_bytes = sk_model_file_size(model);
}
