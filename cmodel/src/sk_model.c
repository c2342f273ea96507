/* sk_model.c — the in-memory integer network: allocation, derived quantities
 * (input exponent and type, shifts, accumulator bounds) and validation against
 * docs/datapath.md and docs/model-format.md. */
#include "shiftkit/sk_model.h"

#include <stdlib.h>
#include <string.h>

#include "sk_internal.h"

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

int sk_layer_shift(const sk_model *model, uint32_t layer, uint32_t channel)
{
    const sk_layer *l = &model->layers[layer];
    int e_w = l->w_exp[l->per_channel ? channel : 0];
    return (int)l->out_exp - sk_layer_in_exp(model, layer) - e_w;
}

void sk_layer_acc_bounds(const sk_model *model, uint32_t layer, uint32_t channel, int64_t *lo,
                         int64_t *hi)
{
    const sk_layer *l = &model->layers[layer];
    const sk_qtype in = sk_layer_in_type(model, layer);
    const int64_t xmin = sk_qtype_min(in), xmax = sk_qtype_max(in);
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

/* Checks on a layer's header fields (shape, bits, flags, rounding). */
static sk_status validate_layer_header(const sk_model *model, uint32_t i, const char *origin,
                                       sk_error *err)
{
    const sk_layer *l = &model->layers[i];
    const char *o = name_or_model(origin);
    if (l->k == 0 || l->k > SK_MODEL_MAX_DIM)
        return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: layer %u field k: %u is outside 1..%u", o, i,
                       l->k, SK_MODEL_MAX_DIM);
    if (l->n == 0 || l->n > SK_MODEL_MAX_DIM)
        return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: layer %u field n: %u is outside 1..%u", o, i,
                       l->n, SK_MODEL_MAX_DIM);
    if (i > 0 && l->k != model->layers[i - 1].n)
        return sk_fail(err, SK_ERR_BAD_SHAPE,
                       "%s: layer %u field k: %u does not match layer %u's n = %u", o, i, l->k,
                       i - 1, model->layers[i - 1].n);
    if (!bits_ok(l->w_bits))
        return sk_fail(err, SK_ERR_BITS_RANGE, "%s: layer %u field w_bits: %d is outside 2..8", o,
                       i, l->w_bits);
    if (!bits_ok(l->out.bits))
        return sk_fail(err, SK_ERR_BITS_RANGE, "%s: layer %u field out_bits: %d is outside 2..8",
                       o, i, l->out.bits);
    if ((unsigned)l->rounding >= SK_ROUND_COUNT)
        return sk_fail(err, SK_ERR_BAD_FIELD, "%s: layer %u field rounding: %d is not 0..3", o, i,
                       (int)l->rounding);
    if (l->raw_output && i + 1 != model->num_layers)
        return sk_fail(err, SK_ERR_BAD_FIELD,
                       "%s: layer %u field flags: raw_output is allowed on the last layer only", o,
                       i);
    if (l->raw_output && l->relu)
        return sk_fail(err, SK_ERR_BAD_FIELD,
                       "%s: layer %u field flags: raw_output cannot be combined with relu", o, i);
    return SK_OK;
}

/* Checks on a layer's arrays: weight range, shift range, accumulator bound. */
static sk_status validate_layer_values(const sk_model *model, uint32_t i, const char *origin,
                                       sk_error *err)
{
    const sk_layer *l = &model->layers[i];
    const char *o = name_or_model(origin);
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

uint64_t sk_model_file_size(const sk_model *model)
{
    uint64_t size = SK_MODEL_HEADER_SIZE + 8;
    for (uint32_t i = 0; i < model->num_layers; i++) {
        const sk_layer *l = &model->layers[i];
        uint64_t e = l->per_channel ? l->n : 1, nk = (uint64_t)l->n * l->k;
        size += 16 + e + pad4(e) + 4ull * l->n + nk + pad4(nk);
    }
    return size;
}

void sk_model_get_footprint(const sk_model *model, sk_model_footprint *fp)
{
    memset(fp, 0, sizeof *fp);
    fp->max_activation = model->num_layers ? model->layers[0].k : 0;
    for (uint32_t i = 0; i < model->num_layers; i++) {
        const sk_layer *l = &model->layers[i];
        fp->weights += (uint64_t)l->n * l->k;
        fp->biases += l->n;
        if (l->n > fp->max_activation)
            fp->max_activation = l->n;
    }
    fp->macs = fp->weights;
    fp->file_bytes = sk_model_file_size(model);
}
