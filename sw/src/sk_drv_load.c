/* sk_drv_load.c — placing a model in the device memories and writing it, exactly as
 * docs/regmap.md "How the host lays a model into the windows" says: weights in
 * LANES-wide rows block by block, biases and per-channel shifts at the running sum of
 * N, one 4-word descriptor per layer, then NUM_LAYERS. Every word is written once. */
#include <stdlib.h>

#include "shiftkit/sk_regs.h"
#include "sk_drv_internal.h"

static uint32_t ceil_div(uint32_t a, uint32_t b)
{
    return (uint32_t)(((uint64_t)a + b - 1) / b);
}

sk_drv_status sk_drv_check_kinds(const sk_model *model, sk_error *err)
{
    for (uint32_t i = 0; i < model->num_layers; i++)
        if (model->layers[i].kind != SK_LAYER_DENSE)
            return sk_drv_fail(err, SK_DRV_ERR_BAD_MODEL, "layer %u: kind %s is not supported "
                               "by this core (dense layers only)", i,
                               sk_layer_kind_name(model->layers[i].kind));
    return SK_DRV_OK;
}

/* Compute every layer's place and the totals; fail naming the first memory that
 * overflows and by how much. `place` may be NULL. */
static sk_drv_status layout(const sk_drv_info *info, const sk_model *m, sk_drv_place *place,
                            sk_drv_load_report *need, sk_error *err)
{
    *need = (sk_drv_load_report){.num_layers = m->num_layers};
    sk_drv_status kinds = sk_drv_check_kinds(m, err);
    if (kinds != SK_DRV_OK)
        return kinds;
    uint64_t rows = 0, biases = 0, shift_end = 0, shift_words = 0;
    int64_t last_shift_word = -1;
    uint32_t act_layer = 0;
    const char *act_what = "input";
    for (uint32_t i = 0; i < m->num_layers; i++) {
        const sk_layer *l = &m->layers[i];
        uint32_t blocks = ceil_div(l->n, info->lanes);
        if (place)
            place[i] = (sk_drv_place){(uint32_t)rows, (uint32_t)biases, blocks};
        if (l->per_channel && !l->raw_output) {
            shift_end = biases + l->n;
            /* words spanned by entries biases .. biases+n-1, shared words counted once */
            int64_t first = (int64_t)(biases / 4), last = (int64_t)((biases + l->n - 1) / 4);
            if (first <= last_shift_word)
                first = last_shift_word + 1;
            shift_words += (uint64_t)(last - first + 1);
            last_shift_word = last;
        }
        rows += (uint64_t)blocks * l->k;
        biases += l->n;
        uint32_t in_bytes = l->k, out_bytes = l->raw_output ? 4 * l->n : l->n;
        if (in_bytes > need->max_act_bytes) {
            need->max_act_bytes = in_bytes;
            act_layer = i;
            act_what = "input";
        }
        if (out_bytes > need->max_act_bytes) {
            need->max_act_bytes = out_bytes;
            act_layer = i;
            act_what = l->raw_output ? "raw int32 output" : "output";
        }
    }
    need->weight_rows = rows > UINT32_MAX ? UINT32_MAX : (uint32_t)rows;
    need->bias_entries = (uint32_t)biases;
    need->shift_entries = (uint32_t)shift_end;
    need->model_words = rows * (info->weight_row_bytes / 4) + biases + shift_words +
                        (uint64_t)m->num_layers * SK_DESC_WORDS;
    need->words_written = need->model_words + 1; /* + NUM_LAYERS */

    if (m->num_layers > info->max_layers)
        return sk_drv_fail(err, SK_DRV_ERR_MODEL_TOO_LARGE, "descriptor memory: model has %u "
                           "layers, device holds %u (%u over)", m->num_layers, info->max_layers,
                           m->num_layers - info->max_layers);
    if (rows > info->weight_rows)
        return sk_drv_fail(err, SK_DRV_ERR_MODEL_TOO_LARGE, "weight memory: model needs %llu rows"
                           " of %u lanes, device has %u (%llu rows over)",
                           (unsigned long long)rows, info->lanes, info->weight_rows,
                           (unsigned long long)(rows - info->weight_rows));
    if (biases > info->bias_depth)
        return sk_drv_fail(err, SK_DRV_ERR_MODEL_TOO_LARGE, "bias memory: model needs %llu "
                           "entries, device has %u (%llu over)", (unsigned long long)biases,
                           info->bias_depth, (unsigned long long)(biases - info->bias_depth));
    if (shift_end > info->shift_depth)
        return sk_drv_fail(err, SK_DRV_ERR_MODEL_TOO_LARGE, "shift memory: model needs %llu "
                           "entries, device has %u (%llu over)", (unsigned long long)shift_end,
                           info->shift_depth, (unsigned long long)(shift_end - info->shift_depth));
    if (need->max_act_bytes > info->act_bytes)
        return sk_drv_fail(err, SK_DRV_ERR_MODEL_TOO_LARGE, "activation buffer: layer %u %s "
                           "needs %u bytes, device buffers hold %u (%u over)", act_layer,
                           act_what, need->max_act_bytes, info->act_bytes,
                           need->max_act_bytes - info->act_bytes);
    return SK_DRV_OK;
}

sk_drv_status sk_drv_check_fit(const sk_drv *drv, const sk_model *model,
                               sk_drv_load_report *need, sk_error *err)
{
    if (!drv || !model || !need)
        return sk_drv_fail(err, SK_DRV_ERR_BAD_ARG, "sk_drv_check_fit: NULL argument");
    return layout(&drv->info, model, NULL, need, err);
}

/* Layer i's weights: block b, input k is row W_BASE + b*K + k; lane l holds W[b*L+l][k]. */
static sk_drv_status write_weights(sk_drv *drv, const sk_layer *l, const sk_drv_place *p,
                                   sk_error *err)
{
    const sk_drv_info *info = &drv->info;
    for (uint32_t b = 0; b < p->blocks; b++) {
        for (uint32_t k = 0; k < l->k; k++) {
            uint64_t row = (uint64_t)p->w_base + (uint64_t)b * l->k + k;
            uint32_t row_offset = SK_WIN_WEIGHTS_BASE + (uint32_t)row * info->weight_row_bytes;
            for (uint32_t byte = 0; byte < info->weight_row_bytes; byte += 4) {
                uint32_t word = 0;
                for (uint32_t j = 0; j < 4; j++) {
                    uint32_t lane = byte + j, n = b * info->lanes + lane;
                    if (lane < info->lanes && n < l->n)
                        word |= (uint32_t)(uint8_t)l->weights[(size_t)n * l->k + k] << (8 * j);
                }
                sk_drv_status st = sk_drv_wr(drv, row_offset + byte, word, err);
                if (st != SK_DRV_OK)
                    return st;
            }
        }
    }
    return SK_DRV_OK;
}

/* Per-channel shifts s[n] = e_out - e_in - w_exp[n] as bytes at SHIFT_BASE + n. The
 * image is built first so a word shared by two layers is still written once. */
static sk_drv_status write_shifts(sk_drv *drv, const sk_model *m, const sk_drv_place *place,
                                  uint32_t entries, sk_error *err)
{
    if (entries == 0)
        return SK_DRV_OK;
    uint32_t words = ceil_div(entries, 4);
    uint32_t *image = calloc(words, sizeof *image);
    bool *used = calloc(words, sizeof *used);
    sk_drv_status st = SK_DRV_OK;
    if (!image || !used) {
        st = sk_drv_fail(err, SK_DRV_ERR_NOMEM, "shift image of %u words", words);
        goto out;
    }
    for (uint32_t i = 0; i < m->num_layers; i++) {
        const sk_layer *l = &m->layers[i];
        if (!l->per_channel || l->raw_output)
            continue;
        for (uint32_t n = 0; n < l->n; n++) {
            uint32_t e = place[i].bias_base + n;
            uint8_t s = (uint8_t)(int8_t)sk_layer_shift(m, i, n);
            image[e / 4] |= (uint32_t)s << (8 * (e % 4));
            used[e / 4] = true;
        }
    }
    for (uint32_t w = 0; w < words && st == SK_DRV_OK; w++)
        if (used[w])
            st = sk_drv_wr(drv, SK_WIN_SHIFT_BASE + 4 * w, image[w], err);
out:
    free(image);
    free(used);
    return st;
}

static uint32_t descriptor_word3(const sk_model *m, uint32_t i)
{
    const sk_layer *l = &m->layers[i];
    bool in_signed = i == 0 ? m->in.is_signed : m->layers[i - 1].out.is_signed;
    /* A per-channel layer takes its shifts from SHIFT memory: its SHIFT field is 0. */
    uint32_t shift = l->per_channel ? 0u : (uint32_t)sk_layer_shift(m, i, 0) & 0x3Fu;
    return shift << SK_DESC_SHIFT_SHIFT | (uint32_t)l->rounding << SK_DESC_ROUND_SHIFT |
           (uint32_t)l->out.bits << SK_DESC_OUT_BITS_SHIFT |
           (uint32_t)l->out.is_signed << SK_DESC_OUT_SIGNED_SHIFT |
           (uint32_t)in_signed << SK_DESC_IN_SIGNED_SHIFT | (uint32_t)l->relu << SK_DESC_RELU_SHIFT |
           (uint32_t)l->raw_output << SK_DESC_RAW_SHIFT |
           (uint32_t)(l->per_channel && !l->raw_output) << SK_DESC_PER_CHANNEL_SHIFT;
}

static sk_drv_status write_model(sk_drv *drv, const sk_model *m, const sk_drv_place *place,
                                 const sk_drv_load_report *need, sk_error *err)
{
    sk_drv_status st = SK_DRV_OK;
    for (uint32_t i = 0; i < m->num_layers && st == SK_DRV_OK; i++)
        st = write_weights(drv, &m->layers[i], &place[i], err);
    for (uint32_t i = 0; i < m->num_layers && st == SK_DRV_OK; i++)
        for (uint32_t n = 0; n < m->layers[i].n && st == SK_DRV_OK; n++)
            st = sk_drv_wr(drv, SK_WIN_BIAS_BASE + 4 * (place[i].bias_base + n),
                           (uint32_t)m->layers[i].bias[n], err);
    if (st == SK_DRV_OK)
        st = write_shifts(drv, m, place, need->shift_entries, err);
    for (uint32_t i = 0; i < m->num_layers && st == SK_DRV_OK; i++) {
        const sk_layer *l = &m->layers[i];
        uint32_t words[SK_DESC_WORDS] = {
            l->k << SK_DESC_K_SHIFT | l->n << SK_DESC_N_SHIFT,
            place[i].w_base << SK_DESC_W_BASE_SHIFT,
            place[i].bias_base << SK_DESC_BIAS_BASE_SHIFT |
                place[i].bias_base << SK_DESC_SHIFT_BASE_SHIFT,
            descriptor_word3(m, i),
        };
        for (uint32_t w = 0; w < SK_DESC_WORDS && st == SK_DRV_OK; w++)
            st = sk_drv_wr(drv, SK_WIN_DESC_BASE + SK_DESC_BYTES * i + 4 * w, words[w], err);
    }
    if (st == SK_DRV_OK)
        st = sk_drv_wr(drv, SK_REG_NUM_LAYERS, m->num_layers, err);
    return st;
}

sk_drv_status sk_drv_load_model(sk_drv *drv, const sk_model *model, sk_drv_load_report *report,
                                sk_error *err)
{
    if (!drv || !model)
        return sk_drv_fail(err, SK_DRV_ERR_BAD_ARG, "sk_drv_load_model: NULL argument");
    drv->model.valid = false;
    sk_error verr;
    if (sk_model_validate(model, "model", &verr) != SK_OK)
        return sk_drv_fail(err, SK_DRV_ERR_BAD_MODEL, "%s", verr.msg);
    sk_drv_load_report need;
    sk_drv_place *place = calloc(model->num_layers, sizeof *place);
    if (!place)
        return sk_drv_fail(err, SK_DRV_ERR_NOMEM, "layout of %u layers", model->num_layers);
    sk_drv_status st = layout(&drv->info, model, place, &need, err);
    uint32_t status = 0;
    if (st == SK_DRV_OK)
        st = sk_drv_rd(drv, SK_REG_STATUS, &status, err);
    if (st == SK_DRV_OK && (status & SK_STATUS_BUSY_MASK))
        st = sk_drv_fail(err, SK_DRV_ERR_BUSY, "cannot load a model while STATUS.BUSY is set "
                         "(sk_drv_reset aborts the run)");
    uint64_t writes_before = drv->writes;
    if (st == SK_DRV_OK)
        st = write_model(drv, model, place, &need, err);
    free(place);
    if (st != SK_DRV_OK)
        return st;
    need.words_written = drv->writes - writes_before;
    if (report)
        *report = need;
    const sk_layer *first = &model->layers[0], *last = &model->layers[model->num_layers - 1];
    drv->model = (sk_drv_loaded){.valid = true, .num_layers = model->num_layers, .k0 = first->k,
                                 .n_last = last->n, .in = model->in, .out = last->out,
                                 .raw = last->raw_output};
    return SK_DRV_OK;
}
