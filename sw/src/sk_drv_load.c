/* sk_drv_load.c — placing a model in the device memories and writing it, exactly as
 * docs/regmap.md "How the host lays a model into the windows" says: weights in
 * LANES-wide rows block by block, biases and per-channel shifts at the running sum of
 * N, one 4-word descriptor per layer, then NUM_LAYERS. A model of dense layers only is
 * a version-1.0 image (ping-pong buffers); a model with any other kind is lowered with
 * EXT on every layer: an extension descriptor per layer and every activation placed
 * by address (docs/driver.md "CNN models"). Every word is written once. */
#include <stdlib.h>

#include "sk_drv_internal.h"

static uint32_t ceil_div(uint32_t a, uint32_t b)
{
    return (uint32_t)(((uint64_t)a + b - 1) / b);
}

/* An EXT activation address: bit 16 selects ACT1, bits 15:0 the byte offset. */
#define ACT_ADDR_BUFFER 0x10000u

/* Bus offset of an EXT activation address. */
static uint32_t act_bus_offset(uint32_t addr)
{
    return ((addr & ACT_ADDR_BUFFER) ? SK_WIN_ACT1_BASE : SK_WIN_ACT0_BASE) +
           (addr & (ACT_ADDR_BUFFER - 1));
}

/* The whole lowering of a model: per-layer places and words, and where the network
 * input goes and the output comes from (bus offsets). */
typedef struct plan {
    bool ext;             /* a layer other than dense: EXT on every layer */
    uint32_t in_offset, out_offset;
    sk_drv_place *place;  /* [num_layers] */
} plan;

static bool is_depthwise(const sk_layer *l)
{
    return l->kind == SK_LAYER_CONV2D && l->geom.groups != 1;
}

/* Descriptor K: taps per output element T of the EXT issue loop (docs/regmap.md XDESC):
 * dense K, conv2d KH*KW*Cin/G (the golden k), pooling KH*KW, add 2. */
static uint32_t desc_k(const sk_layer *l)
{
    switch (l->kind) {
    case SK_LAYER_MAXPOOL:
    case SK_LAYER_AVGPOOL: return l->geom.kernel_h * l->geom.kernel_w;
    case SK_LAYER_ADD: return 2;
    default: return l->k;
    }
}

/* Descriptor N: output channels, or for an add (one group per element) its elements. */
static uint64_t desc_n(const sk_model *m, uint32_t i)
{
    const sk_layer *l = &m->layers[i];
    return l->kind == SK_LAYER_ADD ? sk_shape_size(sk_layer_out_shape(m, i)) : l->n;
}

/* Weight rows of a layer: blocks of LANES channels x K rows; a depthwise conv takes one
 * block (lane 0) per channel; pooling and add none. */
static uint64_t layer_rows(const sk_layer *l, uint32_t lanes)
{
    if (!sk_layer_kind_has_weights(l->kind))
        return 0;
    uint64_t blocks = is_depthwise(l) ? l->n : ceil_div(l->n, lanes);
    return blocks * l->k;
}

/* Bytes of layer i's output in an activation buffer: 1 per element, 4 when raw. */
static uint64_t out_bytes(const sk_model *m, uint32_t i)
{
    uint64_t elems = sk_shape_size(sk_layer_out_shape(m, i));
    return m->layers[i].raw_output ? 4 * elems : elems;
}

static sk_drv_status check_kinds(const sk_drv_info *info, const sk_model *m, bool *ext,
                                 sk_error *err)
{
    *ext = false;
    for (uint32_t i = 0; i < m->num_layers; i++) {
        if (m->layers[i].kind == SK_LAYER_DENSE)
            continue;
        if (!(info->features & SK_FEATURES_CNN_MASK))
            return sk_drv_fail(err, SK_DRV_ERR_BAD_MODEL, "layer %u: kind %s is not supported "
                               "by this core: it lacks the CNN extensions (FEATURES.CNN = 0, "
                               "register map %u.%u); dense layers only", i,
                               sk_layer_kind_name(m->layers[i].kind), info->version >> 16,
                               info->version & 0xFFFFu);
        *ext = true;
    }
    return SK_DRV_OK;
}

/* ---- activation placement (EXT models) ----
 * Tensor 0 is the network input, tensor t >= 1 layer t-1's output. Tensor t is live
 * from the layer that writes it (the input: before layer 0) to the last layer that
 * reads it: layer t (operand a) and any add naming it as src; the last layer's output
 * stays live to the end (the host reads it). Layer i's output may not overlap a tensor
 * that is live while layer i runs, i.e. one written earlier and read by layer i or
 * later. Placement: the input at ACT0 offset 0; each output first fit (lowest
 * 4-aligned offset clear of the live tensors) in the buffer that does not hold the
 * layer's operand a, else in the other one. A chain without skips is thus ping-pong
 * at offset 0, as a version-1.0 model. */

typedef struct act_tensor {
    uint64_t bytes;
    uint32_t last_use;    /* last layer that reads it (num_layers: the host) */
    uint32_t addr;        /* EXT activation address */
} act_tensor;

/* Lowest 4-aligned offset in `buffer` where `size` bytes clear every tensor u < t
 * live while layer `layer` runs, or UINT32_MAX if none fits. */
static uint32_t first_fit(const act_tensor *ts, uint32_t t, uint32_t layer, uint32_t buffer,
                          uint64_t size, uint32_t act_bytes)
{
    uint64_t offset = 0;
    bool moved = true;
    while (moved && offset + size <= act_bytes) {
        moved = false;
        for (uint32_t u = 0; u < t; u++) {
            if (ts[u].last_use < layer || (ts[u].addr & ACT_ADDR_BUFFER) != buffer)
                continue;
            uint64_t start = ts[u].addr & (ACT_ADDR_BUFFER - 1);
            uint64_t end = start + ((ts[u].bytes + 3) & ~UINT64_C(3));
            if (offset < end && start < offset + size) {
                offset = end;
                moved = true;
            }
        }
    }
    return offset + size <= act_bytes ? (uint32_t)offset : UINT32_MAX;
}

/* Bytes of the tensors u < t live while layer `layer` runs, in `buffer`. */
static uint64_t live_bytes(const act_tensor *ts, uint32_t t, uint32_t layer, uint32_t buffer)
{
    uint64_t sum = 0;
    for (uint32_t u = 0; u < t; u++)
        if (ts[u].last_use >= layer && (ts[u].addr & ACT_ADDR_BUFFER) == buffer)
            sum += ts[u].bytes;
    return sum;
}

/* Fill ts[0..num_layers] (sizes, lifetimes, addresses) or fail naming the tensor that
 * does not fit. */
static sk_drv_status place_activations(const sk_drv_info *info, const sk_model *m,
                                       act_tensor *ts, sk_error *err)
{
    const uint32_t layers = m->num_layers;
    ts[0] = (act_tensor){.bytes = sk_shape_size(sk_model_in_shape(m)), .last_use = 0};
    for (uint32_t i = 0; i < layers; i++)
        ts[i + 1] = (act_tensor){.bytes = out_bytes(m, i),
                                 .last_use = i + 1 < layers ? i + 1 : layers};
    for (uint32_t i = 0; i < layers; i++) {
        const sk_layer *l = &m->layers[i];
        if (l->kind != SK_LAYER_ADD)
            continue;
        uint32_t src = l->geom.src == SK_SRC_INPUT ? 0 : l->geom.src + 1;
        if (ts[src].last_use < i)
            ts[src].last_use = i;
    }
    if (ts[0].bytes > info->act_bytes)
        return sk_drv_fail(err, SK_DRV_ERR_MODEL_TOO_LARGE, "activation buffer: the network "
                           "input needs %llu bytes, device buffers hold %u (%llu over)",
                           (unsigned long long)ts[0].bytes, info->act_bytes,
                           (unsigned long long)(ts[0].bytes - info->act_bytes));
    ts[0].addr = 0; /* ACT0 offset 0, where a version-1.0 model's input goes too */
    for (uint32_t i = 0; i < layers; i++) {
        act_tensor *t = &ts[i + 1];
        const char *what = m->layers[i].raw_output ? "raw int32 output" : "output";
        if (t->bytes > info->act_bytes)
            return sk_drv_fail(err, SK_DRV_ERR_MODEL_TOO_LARGE, "activation buffer: layer %u "
                               "%s needs %llu bytes, device buffers hold %u (%llu over)", i, what,
                               (unsigned long long)t->bytes, info->act_bytes,
                               (unsigned long long)(t->bytes - info->act_bytes));
        const uint32_t first = (ts[i].addr & ACT_ADDR_BUFFER) ^ ACT_ADDR_BUFFER;
        const uint32_t order[2] = {first, first ^ ACT_ADDR_BUFFER};
        uint32_t offset = UINT32_MAX, buffer = 0;
        for (int b = 0; b < 2 && offset == UINT32_MAX; b++) {
            buffer = order[b];
            offset = first_fit(ts, i + 1, i, buffer, t->bytes, info->act_bytes);
        }
        if (offset == UINT32_MAX)
            return sk_drv_fail(err, SK_DRV_ERR_MODEL_TOO_LARGE, "activation buffers: layer %u %s "
                               "needs %llu bytes, and no free range that large is left in ACT0 "
                               "or ACT1 (%u bytes each) beside the tensors still live while it "
                               "runs (%llu bytes in ACT0, %llu in ACT1)", i, what,
                               (unsigned long long)t->bytes, info->act_bytes,
                               (unsigned long long)live_bytes(ts, i + 1, i, 0),
                               (unsigned long long)live_bytes(ts, i + 1, i, ACT_ADDR_BUFFER));
        t->addr = buffer | offset;
    }
    return SK_DRV_OK;
}

/* ---- descriptor words ---- */

static uint32_t descriptor_word3(const sk_model *m, uint32_t i, bool ext)
{
    const sk_layer *l = &m->layers[i];
    bool in_signed = sk_layer_in_type(m, i).is_signed;
    bool per_channel = l->per_channel && !l->raw_output;
    /* A per-channel layer takes its shifts from SHIFT memory: its SHIFT field is 0. The
     * other kinds' shifts are the golden ones: avgpool e_out - e_in + k, add e_out - ec,
     * maxpool 0 (datapath §12-§14); a maxpool's rounding is floor by validation. */
    uint32_t shift = per_channel ? 0u : (uint32_t)sk_layer_shift(m, i, 0) & 0x3Fu;
    return shift << SK_DESC_SHIFT_SHIFT | (uint32_t)l->rounding << SK_DESC_ROUND_SHIFT |
           (uint32_t)l->out.bits << SK_DESC_OUT_BITS_SHIFT |
           (uint32_t)l->out.is_signed << SK_DESC_OUT_SIGNED_SHIFT |
           (uint32_t)in_signed << SK_DESC_IN_SIGNED_SHIFT | (uint32_t)l->relu << SK_DESC_RELU_SHIFT |
           (uint32_t)l->raw_output << SK_DESC_RAW_SHIFT |
           (uint32_t)per_channel << SK_DESC_PER_CHANNEL_SHIFT | (uint32_t)ext << SK_DESC_EXT_SHIFT;
}

/* One XDESC field: its value and where it goes (from the generated sk_regs.h). */
typedef struct xfield {
    const char *name;
    uint32_t word, shift, width;
    uint64_t value;
} xfield;

#define XFIELD(F, v) \
    { #F, SK_XDESC_##F##_WORD, SK_XDESC_##F##_SHIFT, SK_XDESC_##F##_WIDTH, (uint64_t)(v) }

/* Extension descriptor of layer i (docs/regmap.md XDESC) with its activation
 * addresses; fails naming the layer and the first field whose value does not fit. */
static sk_drv_status xdesc_words(const sk_model *m, uint32_t i, const act_tensor *ts,
                                 uint32_t *words, sk_error *err)
{
    const sk_layer *l = &m->layers[i];
    const sk_geometry *g = &l->geom;
    const sk_shape in = sk_layer_in_shape(m, i), out = sk_layer_out_shape(m, i);
    /* dense is the 1x1 case: H = W = OH = OW = KH = KW = SH = SW = 1, C = K; an add reads
     * its operands as flat vectors, so its window fields take the same neutral values */
    const bool windowed = l->kind == SK_LAYER_CONV2D || l->kind == SK_LAYER_MAXPOOL ||
                          l->kind == SK_LAYER_AVGPOOL;
    const uint64_t kh = windowed ? g->kernel_h : 1, kw = windowed ? g->kernel_w : 1;
    const uint64_t sh = windowed ? g->stride_h : 1, sw = windowed ? g->stride_w : 1;
    const uint64_t pt = l->kind == SK_LAYER_CONV2D ? g->pad_top : 0;
    const uint64_t pl = l->kind == SK_LAYER_CONV2D ? g->pad_left : 0;
    const uint64_t h = in.h, w = in.w, c = in.c;
    uint64_t a_shift = 0, b_shift = 0, src_addr = 0;
    bool src_signed = false;
    if (l->kind == SK_LAYER_ADD) {
        const int ea = sk_layer_in_exp(m, i), eb = sk_add_src_exp(m, i);
        const int ec = ea < eb ? ea : eb;
        a_shift = (uint64_t)(ea - ec);
        b_shift = (uint64_t)(eb - ec);
        src_signed = sk_add_src_type(m, i).is_signed;
        src_addr = ts[g->src == SK_SRC_INPUT ? 0 : g->src + 1].addr;
    }
    /* The kind codes of sk_layer_kind are datapath §10's, which KIND uses. */
    const xfield fields[] = {
        XFIELD(KIND, l->kind),      XFIELD(DEPTHWISE, is_depthwise(l)),
        XFIELD(SRC_SIGNED, src_signed), XFIELD(A_SHIFT, a_shift),
        XFIELD(B_SHIFT, b_shift),   XFIELD(IN_ADDR, ts[i].addr),
        XFIELD(OUT_ADDR, ts[i + 1].addr), XFIELD(SRC_ADDR, src_addr),
        XFIELD(H, h),               XFIELD(W, w),
        XFIELD(C, c),               XFIELD(KH, kh),
        XFIELD(KW, kw),             XFIELD(SH, sh),
        XFIELD(SW, sw),             XFIELD(PT, pt),
        XFIELD(PL, pl),             XFIELD(OH, out.h),
        XFIELD(OW, out.w),          XFIELD(ROW_STEP, w * c),
        XFIELD(PIX_STEP, sw * c),   XFIELD(OROW_STEP, sh * w * c),
        XFIELD(PAD_OFFSET, (pt * w + pl) * c),
    };
    for (uint32_t k = 0; k < SK_XDESC_WORDS; k++)
        words[k] = 0;
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        const xfield *x = &fields[f];
        if (x->value >> x->width)
            return sk_drv_fail(err, SK_DRV_ERR_UNSUPPORTED, "layer %u (%s): extension "
                               "descriptor field %s = %llu does not fit its %u bits (at most "
                               "%llu)", i, sk_layer_kind_name(l->kind), x->name,
                               (unsigned long long)x->value, x->width,
                               (unsigned long long)((UINT64_C(1) << x->width) - 1));
        words[x->word] |= (uint32_t)x->value << x->shift;
    }
    return SK_DRV_OK;
}

/* Descriptor and (EXT) extension words of every layer into p->place. */
static sk_drv_status descriptors(const sk_model *m, plan *p, const act_tensor *ts, sk_error *err)
{
    for (uint32_t i = 0; i < m->num_layers; i++) {
        const sk_layer *l = &m->layers[i];
        const uint64_t k = desc_k(l), n = desc_n(m, i);
        /* K and N are 16-bit fields; a version-1.0 model's are bounded by validation */
        if (k > 0xFFFFu || n > 0xFFFFu)
            return sk_drv_fail(err, SK_DRV_ERR_UNSUPPORTED, "layer %u (%s): descriptor field %s"
                               " = %llu does not fit its 16 bits (at most 65535)", i,
                               sk_layer_kind_name(l->kind), k > 0xFFFFu ? "K" : "N",
                               (unsigned long long)(k > 0xFFFFu ? k : n));
        sk_drv_place *pl = &p->place[i];
        uint32_t xw[SK_XDESC_WORDS];
        if (p->ext) {
            sk_drv_status st = xdesc_words(m, i, ts, xw, err);
            if (st != SK_DRV_OK)
                return st;
        }
        pl->desc[0] = (uint32_t)k << SK_DESC_K_SHIFT | (uint32_t)n << SK_DESC_N_SHIFT;
        pl->desc[1] = pl->w_base << SK_DESC_W_BASE_SHIFT;
        pl->desc[2] = pl->bias_base << SK_DESC_BIAS_BASE_SHIFT |
                      pl->bias_base << SK_DESC_SHIFT_BASE_SHIFT;
        pl->desc[3] = descriptor_word3(m, i, p->ext);
        for (uint32_t w = 0; w < SK_XDESC_WORDS; w++)
            pl->xdesc[w] = p->ext ? xw[w] : 0;
    }
    return SK_DRV_OK;
}

/* Compute every layer's place and words (p->place holds num_layers) and the totals;
 * fail naming the first memory that overflows and by how much, or the field that does
 * not fit. A fit check runs all of it, so it refuses exactly what a load refuses. */
static sk_drv_status layout(const sk_drv_info *info, const sk_model *m, plan *p,
                            sk_drv_load_report *need, sk_error *err)
{
    *need = (sk_drv_load_report){.num_layers = m->num_layers};
    sk_drv_status st = check_kinds(info, m, &p->ext, err);
    if (st != SK_DRV_OK)
        return st;
    sk_drv_place *place = p->place;
    uint64_t rows = 0, biases = 0, shift_end = 0, shift_words = 0;
    int64_t last_shift_word = -1;
    uint32_t act_layer = 0;
    const char *act_what = "input";
    for (uint32_t i = 0; i < m->num_layers; i++) {
        const sk_layer *l = &m->layers[i];
        const uint64_t layer_rows_i = layer_rows(l, info->lanes);
        /* pooling and add take no rows, biases or shift entries: their bases are 0 */
        const bool weighted = sk_layer_kind_has_weights(l->kind);
        place[i] = (sk_drv_place){.w_base = weighted ? (uint32_t)rows : 0,
                                      .rows = (uint32_t)layer_rows_i,
                                      .bias_base = weighted ? (uint32_t)biases : 0};
        if (l->per_channel && !l->raw_output) {
            shift_end = biases + l->n;
            /* words spanned by entries biases .. biases+n-1, shared words counted once */
            int64_t first = (int64_t)(biases / 4), last = (int64_t)((biases + l->n - 1) / 4);
            if (first <= last_shift_word)
                first = last_shift_word + 1;
            shift_words += (uint64_t)(last - first + 1);
            last_shift_word = last;
        }
        rows += layer_rows_i;
        if (weighted)
            biases += l->n;
        uint64_t in_b = sk_shape_size(sk_layer_in_shape(m, i)), out_b = out_bytes(m, i);
        if (in_b > need->max_act_bytes) {
            need->max_act_bytes = (uint32_t)(in_b > UINT32_MAX ? UINT32_MAX : in_b);
            act_layer = i;
            act_what = "input";
        }
        if (out_b > need->max_act_bytes) {
            need->max_act_bytes = (uint32_t)(out_b > UINT32_MAX ? UINT32_MAX : out_b);
            act_layer = i;
            act_what = l->raw_output ? "raw int32 output" : "output";
        }
    }
    need->weight_rows = rows > UINT32_MAX ? UINT32_MAX : (uint32_t)rows;
    need->bias_entries = (uint32_t)biases;
    need->shift_entries = (uint32_t)shift_end;
    uint32_t desc_words = p->ext ? SK_DESC_WORDS + SK_XDESC_WORDS : SK_DESC_WORDS;
    need->model_words = rows * (info->weight_row_bytes / 4) + biases + shift_words +
                        (uint64_t)m->num_layers * desc_words;
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
    const uint32_t layers = m->num_layers;
    if (!p->ext) {
        /* version 1.0: ping-pong, the input in ACT0, the output in ACT(L % 2) */
        if (need->max_act_bytes > info->act_bytes)
            return sk_drv_fail(err, SK_DRV_ERR_MODEL_TOO_LARGE, "activation buffer: layer %u %s "
                               "needs %u bytes, device buffers hold %u (%u over)", act_layer,
                               act_what, need->max_act_bytes, info->act_bytes,
                               need->max_act_bytes - info->act_bytes);
        p->in_offset = SK_WIN_ACT0_BASE;
        p->out_offset = layers % 2 ? SK_WIN_ACT1_BASE : SK_WIN_ACT0_BASE;
        return descriptors(m, p, NULL, err);
    }
    act_tensor *ts = calloc((size_t)layers + 1, sizeof *ts);
    if (!ts)
        return sk_drv_fail(err, SK_DRV_ERR_NOMEM, "activation plan of %u layers", layers);
    st = place_activations(info, m, ts, err);
    if (st == SK_DRV_OK) {
        p->in_offset = act_bus_offset(ts[0].addr);
        p->out_offset = act_bus_offset(ts[layers].addr);
        st = descriptors(m, p, ts, err);
    }
    free(ts);
    return st;
}

sk_drv_status sk_drv_check_fit(const sk_drv *drv, const sk_model *model,
                               sk_drv_load_report *need, sk_error *err)
{
    if (!drv || !model || !need)
        return sk_drv_fail(err, SK_DRV_ERR_BAD_ARG, "sk_drv_check_fit: NULL argument");
    plan p = {.place = calloc(model->num_layers ? model->num_layers : 1, sizeof *p.place)};
    if (!p.place)
        return sk_drv_fail(err, SK_DRV_ERR_NOMEM, "layout of %u layers", model->num_layers);
    sk_drv_status st = layout(&drv->info, model, &p, need, err);
    free(p.place);
    return st;
}

/* Layer i's weights. Dense and conv2d (K = T): block b, tap k is row W_BASE + b*K + k,
 * lane l holds W[b*L+l][k]. Depthwise: row W_BASE + g*T + t holds W[g][t] in lane 0. */
static sk_drv_status write_weights(sk_drv *drv, const sk_layer *l, const sk_drv_place *p,
                                   sk_error *err)
{
    const sk_drv_info *info = &drv->info;
    const bool depthwise = is_depthwise(l);
    const uint32_t per_row = depthwise ? 1 : info->lanes; /* channels a block holds */
    for (uint32_t r = 0; r < p->rows; r++) {
        const uint32_t b = r / l->k, k = r % l->k;
        uint32_t row_offset = SK_WIN_WEIGHTS_BASE + (p->w_base + r) * info->weight_row_bytes;
        for (uint32_t byte = 0; byte < info->weight_row_bytes; byte += 4) {
            uint32_t word = 0;
            for (uint32_t j = 0; j < 4; j++) {
                uint32_t lane = byte + j, n = b * per_row + lane;
                if (lane < per_row && n < l->n)
                    word |= (uint32_t)(uint8_t)l->weights[(size_t)n * l->k + k] << (8 * j);
            }
            sk_drv_status st = sk_drv_wr(drv, row_offset + byte, word, err);
            if (st != SK_DRV_OK)
                return st;
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

static sk_drv_status write_model(sk_drv *drv, const sk_model *m, const plan *p,
                                 const sk_drv_load_report *need, sk_error *err)
{
    const sk_drv_place *place = p->place;
    sk_drv_status st = SK_DRV_OK;
    for (uint32_t i = 0; i < m->num_layers && st == SK_DRV_OK; i++)
        st = write_weights(drv, &m->layers[i], &place[i], err);
    for (uint32_t i = 0; i < m->num_layers && st == SK_DRV_OK; i++) {
        if (!sk_layer_kind_has_weights(m->layers[i].kind))
            continue;
        for (uint32_t n = 0; n < m->layers[i].n && st == SK_DRV_OK; n++)
            st = sk_drv_wr(drv, SK_WIN_BIAS_BASE + 4 * (place[i].bias_base + n),
                           (uint32_t)m->layers[i].bias[n], err);
    }
    if (st == SK_DRV_OK)
        st = write_shifts(drv, m, place, need->shift_entries, err);
    for (uint32_t i = 0; i < m->num_layers && st == SK_DRV_OK; i++) {
        for (uint32_t w = 0; w < SK_DESC_WORDS && st == SK_DRV_OK; w++)
            st = sk_drv_wr(drv, SK_WIN_DESC_BASE + SK_DESC_BYTES * i + 4 * w, place[i].desc[w],
                           err);
        for (uint32_t w = 0; p->ext && w < SK_XDESC_WORDS && st == SK_DRV_OK; w++)
            st = sk_drv_wr(drv, SK_WIN_XDESC_BASE + SK_XDESC_BYTES * i + 4 * w,
                           place[i].xdesc[w], err);
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
    plan p = {.place = calloc(model->num_layers, sizeof *p.place)};
    if (!p.place)
        return sk_drv_fail(err, SK_DRV_ERR_NOMEM, "layout of %u layers", model->num_layers);
    sk_drv_status st = layout(&drv->info, model, &p, &need, err);
    uint32_t status = 0;
    if (st == SK_DRV_OK)
        st = sk_drv_rd(drv, SK_REG_STATUS, &status, err);
    if (st == SK_DRV_OK && (status & SK_STATUS_BUSY_MASK))
        st = sk_drv_fail(err, SK_DRV_ERR_BUSY, "cannot load a model while STATUS.BUSY is set "
                         "(sk_drv_reset aborts the run)");
    uint64_t writes_before = drv->writes;
    if (st == SK_DRV_OK)
        st = write_model(drv, model, &p, &need, err);
    free(p.place);
    if (st != SK_DRV_OK)
        return st;
    need.words_written = drv->writes - writes_before;
    if (report)
        *report = need;
    const sk_layer *last = &model->layers[model->num_layers - 1];
    drv->model = (sk_drv_loaded){
        .valid = true,
        .num_layers = model->num_layers,
        .in_elems = (uint32_t)sk_shape_size(sk_model_in_shape(model)),
        .out_elems = (uint32_t)sk_shape_size(sk_layer_out_shape(model, model->num_layers - 1)),
        .in_offset = p.in_offset,
        .out_offset = p.out_offset,
        .in = model->in,
        .out = last->out,
        .raw = last->raw_output,
    };
    return SK_DRV_OK;
}
