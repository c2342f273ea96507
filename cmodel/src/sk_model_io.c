/* sk_model_io.c — the .skm reader and writer (docs/model-format.md, versions 1 and 2;
 * version 1 is written whenever every layer is dense).
 *
 * The reader trusts nothing: every read goes through a bounds-checked cursor, sizes
 * are checked before anything is allocated, and the model is validated as a whole
 * (sk_model_validate) before it is handed to the caller. */
#include <stdlib.h>
#include <string.h>

#include "shiftkit/sk_model.h"
#include "sk_internal.h"
#include "sk_layers.h"

static const uint8_t skm_magic[8] = { 'S', 'K', 'M', 'O', 'D', 'E', 'L', 0 };

enum { FLAG_RELU = 1u << 0, FLAG_RAW = 1u << 1, FLAG_PER_CHANNEL = 1u << 2 };

typedef struct cursor {
    const uint8_t *p;
    size_t left;
    const char *origin;
    sk_error *err;
    uint32_t version;
} cursor;

/* Take `n` bytes or fail with SK_ERR_TRUNCATED naming what was being read. */
static sk_status take(cursor *c, size_t n, const uint8_t **out, const char *what, uint32_t layer)
{
    if (n > c->left) {
        if (layer == UINT32_MAX)
            return sk_fail(c->err, SK_ERR_TRUNCATED,
                           "%s: field %s: needs %zu bytes but only %zu remain in the payload",
                           c->origin, what, n, c->left);
        return sk_fail(c->err, SK_ERR_TRUNCATED,
                       "%s: layer %u field %s: needs %zu bytes but only %zu remain in the payload",
                       c->origin, layer, what, n, c->left);
    }
    *out = c->p;
    c->p += n;
    c->left -= n;
    return SK_OK;
}

static sk_status check_zero(const uint8_t *p, size_t n, const char *origin, uint32_t layer,
                            const char *what, sk_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0)
            return sk_fail(err, SK_ERR_BAD_FIELD, "%s: layer %u field %s: must be 0, is 0x%02x",
                           origin, layer, what, p[i]);
    return SK_OK;
}

static sk_status check_bool(uint8_t v, const char *origin, uint32_t layer, const char *what,
                            sk_error *err)
{
    if (v > 1)
        return sk_fail(err, SK_ERR_BAD_FIELD, "%s: layer %u field %s: must be 0 or 1, is %u",
                       origin, layer, what, v);
    return SK_OK;
}

#define TRY(expr)                                                                              \
    do {                                                                                       \
        sk_status try_status_ = (expr);                                                        \
        if (try_status_ != SK_OK)                                                              \
            return try_status_;                                                                \
    } while (0)

static void put_u16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static size_t pad4(size_t n)
{
    return (4 - n % 4) % 4;
}

/* The version-2 geometry part (docs/model-format.md): 13 u16 fields and a reserved
 * u16. Whether each field suits the kind is checked by sk_model_validate. */
static sk_status parse_geometry(cursor *c, uint32_t i, sk_layer *l)
{
    const uint8_t *g = NULL;
    TRY(take(c, SK_SKM_GEOMETRY_SIZE, &g, "geometry", i));
    uint32_t *const fields[] = { &l->geom.in_h,     &l->geom.in_w,       &l->geom.in_c,
                                 &l->geom.kernel_h, &l->geom.kernel_w,   &l->geom.stride_h,
                                 &l->geom.stride_w, &l->geom.pad_top,    &l->geom.pad_left,
                                 &l->geom.pad_bottom, &l->geom.pad_right, &l->geom.groups,
                                 &l->geom.src };
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
        *fields[f] = sk_get_u16(g + 2 * f);
    return check_zero(g + 26, 2, c->origin, i, "geometry reserved", c->err);
}

/* One layer record; sizes are checked against the remaining payload before any
 * allocation, so a hostile n*k cannot make us allocate more than the file holds. */
static sk_status parse_layer(cursor *c, uint32_t i, sk_layer *l, uint64_t *weights_total)
{
    const uint8_t *h = NULL;
    TRY(take(c, 16, &h, "header", i));
    uint32_t k = sk_get_u32(h), n = sk_get_u32(h + 4);
    sk_layer_kind kind = SK_LAYER_DENSE;
    if (c->version >= 2) {
        if (h[14] >= SK_LAYER_KIND_COUNT)
            return sk_fail(c->err, SK_ERR_BAD_FIELD, "%s: layer %u field kind: %u is not a "
                           "layer kind (0 dense, 1 conv2d, 2 maxpool, 3 avgpool, 4 add)",
                           c->origin, i, h[14]);
        kind = (sk_layer_kind)h[14];
    }
    const bool weights = sk_layer_kind_has_weights(kind);
    if (weights && (k == 0 || k > SK_MODEL_MAX_DIM))
        return sk_fail(c->err, SK_ERR_BAD_SHAPE, "%s: layer %u field k: %u is outside 1..%u",
                       c->origin, i, k, SK_MODEL_MAX_DIM);
    if (!weights && k != 0)
        return sk_fail(c->err, SK_ERR_BAD_SHAPE, "%s: layer %u field k: must be 0 for a %s "
                       "layer (no weights), is %u", c->origin, i, sk_layer_kind_name(kind), k);
    if (n == 0 || n > SK_MODEL_MAX_DIM)
        return sk_fail(c->err, SK_ERR_BAD_SHAPE, "%s: layer %u field n: %u is outside 1..%u",
                       c->origin, i, n, SK_MODEL_MAX_DIM);
    *weights_total += (uint64_t)n * k;
    if (*weights_total > SK_MODEL_MAX_WEIGHTS)
        return sk_fail(c->err, SK_ERR_BAD_SHAPE,
                       "%s: layer %u: model holds more than %u weights", c->origin, i,
                       SK_MODEL_MAX_WEIGHTS);
    l->kind = kind;
    l->w_bits = h[8];
    l->out.bits = h[9];
    TRY(check_bool(h[10], c->origin, i, "out_signed", c->err));
    l->out.is_signed = h[10] != 0;
    if (h[11] >= SK_ROUND_COUNT)
        return sk_fail(c->err, SK_ERR_BAD_FIELD, "%s: layer %u field rounding: %u is not 0..3",
                       c->origin, i, h[11]);
    l->rounding = (sk_rounding)h[11];
    uint8_t flags = h[12];
    if (flags & ~(FLAG_RELU | FLAG_RAW | FLAG_PER_CHANNEL))
        return sk_fail(c->err, SK_ERR_BAD_FIELD,
                       "%s: layer %u field flags: 0x%02x has undefined bits set", c->origin, i,
                       flags);
    l->relu = flags & FLAG_RELU;
    l->raw_output = flags & FLAG_RAW;
    l->per_channel = flags & FLAG_PER_CHANNEL;
    l->out_exp = (int8_t)h[13];
    if (c->version >= 2) {
        TRY(check_zero(h + 15, 1, c->origin, i, "reserved", c->err));
        TRY(parse_geometry(c, i, l));
    } else {
        TRY(check_zero(h + 14, 2, c->origin, i, "reserved", c->err));
    }
    if (!weights) { /* maxpool, avgpool, add: the record ends here */
        l->k = 0;
        l->n = n;
        return SK_OK;
    }

    const bool per_channel = l->per_channel;
    const size_t e = per_channel ? n : 1, nk = (size_t)n * k;
    const size_t need = e + pad4(e) + 4 * (size_t)n + nk + pad4(nk);
    if (need > c->left)
        return sk_fail(c->err, SK_ERR_TRUNCATED,
                       "%s: layer %u: arrays need %zu bytes but only %zu remain in the payload",
                       c->origin, i, need, c->left);
    if (sk_layer_alloc(l, k, n, per_channel) != SK_OK)
        return sk_fail(c->err, SK_ERR_NOMEM, "%s: layer %u: out of memory", c->origin, i);

    const uint8_t *p = NULL;
    TRY(take(c, e, &p, "w_exp", i));
    memcpy(l->w_exp, p, e);
    TRY(take(c, pad4(e), &p, "w_exp pad", i));
    TRY(check_zero(p, pad4(e), c->origin, i, "w_exp pad", c->err));
    TRY(take(c, 4 * (size_t)n, &p, "bias", i));
    for (uint32_t j = 0; j < n; j++)
        l->bias[j] = (int32_t)sk_get_u32(p + 4 * (size_t)j);
    TRY(take(c, nk, &p, "weights", i));
    memcpy(l->weights, p, nk);
    TRY(take(c, pad4(nk), &p, "weights pad", i));
    TRY(check_zero(p, pad4(nk), c->origin, i, "weights pad", c->err));
    return SK_OK;
}

static sk_status parse_payload(cursor *c, sk_model *m)
{
    const uint8_t *h = NULL;
    TRY(take(c, 8, &h, "network header", UINT32_MAX));
    uint32_t num_layers = sk_get_u32(h);
    if (num_layers == 0 || num_layers > SK_MODEL_MAX_LAYERS)
        return sk_fail(c->err, SK_ERR_BAD_SHAPE, "%s: field num_layers: %u is outside 1..%d",
                       c->origin, num_layers, SK_MODEL_MAX_LAYERS);
    if (h[5] > 1)
        return sk_fail(c->err, SK_ERR_BAD_FIELD, "%s: field in_signed: must be 0 or 1, is %u",
                       c->origin, h[5]);
    if (h[7] != 0)
        return sk_fail(c->err, SK_ERR_BAD_FIELD, "%s: field reserved: must be 0, is 0x%02x",
                       c->origin, h[7]);
    if (sk_model_init(m, num_layers) != SK_OK)
        return sk_fail(c->err, SK_ERR_NOMEM, "%s: out of memory", c->origin);
    m->in.bits = h[4];
    m->in.is_signed = h[5] != 0;
    m->in_exp = (int8_t)h[6];
    uint64_t weights_total = 0;
    for (uint32_t i = 0; i < num_layers; i++)
        TRY(parse_layer(c, i, &m->layers[i], &weights_total));
    if (c->left != 0)
        return sk_fail(c->err, SK_ERR_TRAILING,
                       "%s: %zu bytes of trailing data after the last layer record", c->origin,
                       c->left);
    return SK_OK;
}

sk_status sk_model_parse(const uint8_t *data, size_t size, const char *origin, sk_model *model,
                         sk_error *err)
{
    const char *o = origin ? origin : "model";
    if (!data || !model)
        return sk_fail(err, SK_ERR_BAD_ARG, "%s: no data", o);
    size_t magic_len = size < sizeof skm_magic ? size : sizeof skm_magic;
    if (memcmp(data, skm_magic, magic_len) != 0)
        return sk_fail(err, SK_ERR_BAD_MAGIC, "%s: field magic: not a shiftkit model (.skm) file",
                       o);
    if (size < SK_MODEL_HEADER_SIZE)
        return sk_fail(err, SK_ERR_TRUNCATED,
                       "%s: field header: file is %zu bytes, shorter than the %d-byte header", o,
                       size, SK_MODEL_HEADER_SIZE);
    uint32_t version = sk_get_u32(data + 8);
    if (version < SK_MODEL_VERSION_DENSE || version > SK_MODEL_VERSION)
        return sk_fail(err, SK_ERR_BAD_VERSION, "%s: field version: %u is not supported (this "
                       "build reads versions %d..%d)", o, version, SK_MODEL_VERSION_DENSE,
                       SK_MODEL_VERSION);
    uint64_t payload_size = sk_get_u32(data + 12);
    if (size - SK_MODEL_HEADER_SIZE < payload_size)
        return sk_fail(err, SK_ERR_TRUNCATED,
                       "%s: field payload_size: header declares %llu payload bytes, the file "
                       "holds %zu", o, (unsigned long long)payload_size,
                       size - SK_MODEL_HEADER_SIZE);
    if (size - SK_MODEL_HEADER_SIZE > payload_size)
        return sk_fail(err, SK_ERR_TRAILING,
                       "%s: %llu bytes of trailing data after the declared payload", o,
                       (unsigned long long)(size - SK_MODEL_HEADER_SIZE - payload_size));
    if (sk_get_u32(data + 20) != 0)
        return sk_fail(err, SK_ERR_BAD_FIELD, "%s: field reserved: must be 0", o);
    uint32_t crc = sk_crc32(0, data + SK_MODEL_HEADER_SIZE, (size_t)payload_size);
    uint32_t want = sk_get_u32(data + 16);
    if (crc != want)
        return sk_fail(err, SK_ERR_BAD_CRC,
                       "%s: field payload_crc32: header says 0x%08x, payload has 0x%08x", o, want,
                       crc);

    cursor c = { data + SK_MODEL_HEADER_SIZE, (size_t)payload_size, o, err, version };
    sk_model m = { 0 };
    sk_status st = parse_payload(&c, &m);
    if (st == SK_OK)
        st = sk_model_validate(&m, o, err);
    if (st != SK_OK) {
        sk_model_free(&m);
        return st;
    }
    *model = m;
    return SK_OK;
}

sk_status sk_model_load(const char *path, sk_model *model, sk_error *err)
{
    if (!path || !model)
        return sk_fail(err, SK_ERR_BAD_ARG, "no path");
    uint8_t *data;
    size_t size;
    sk_status st = sk_read_file(path, &data, &size, err);
    if (st != SK_OK)
        return st;
    st = sk_model_parse(data, size, path, model, err);
    free(data);
    return st;
}

sk_status sk_model_serialize(const sk_model *model, uint8_t **data, size_t *size, sk_error *err)
{
    if (!model || !data || !size)
        return sk_fail(err, SK_ERR_BAD_ARG, "no model");
    TRY(sk_model_validate(model, NULL, err));
    const size_t total = (size_t)sk_model_file_size(model);
    uint8_t *buf = calloc(1, total);
    if (!buf)
        return sk_fail(err, SK_ERR_NOMEM, "model: out of memory");
    uint8_t *p = buf + SK_MODEL_HEADER_SIZE;
    sk_put_u32(p, model->num_layers);
    p[4] = (uint8_t)model->in.bits;
    p[5] = model->in.is_signed;
    p[6] = (uint8_t)model->in_exp;
    p += 8;
    const bool v2 = !sk_model_all_dense(model);
    for (uint32_t i = 0; i < model->num_layers; i++) {
        const sk_layer *l = &model->layers[i];
        sk_put_u32(p, l->k);
        sk_put_u32(p + 4, l->n);
        p[8] = (uint8_t)l->w_bits;
        p[9] = (uint8_t)l->out.bits;
        p[10] = l->out.is_signed;
        p[11] = (uint8_t)l->rounding;
        p[12] = (uint8_t)((l->relu ? FLAG_RELU : 0) | (l->raw_output ? FLAG_RAW : 0) |
                          (l->per_channel ? FLAG_PER_CHANNEL : 0));
        p[13] = (uint8_t)l->out_exp;
        p[14] = (uint8_t)l->kind; /* 0 for dense: a version-1 record's reserved u16 */
        p += 16;
        if (v2) {
            const uint32_t fields[] = { l->geom.in_h,     l->geom.in_w,       l->geom.in_c,
                                        l->geom.kernel_h, l->geom.kernel_w,   l->geom.stride_h,
                                        l->geom.stride_w, l->geom.pad_top,    l->geom.pad_left,
                                        l->geom.pad_bottom, l->geom.pad_right, l->geom.groups,
                                        l->geom.src };
            for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
                put_u16(p + 2 * f, fields[f]);
            p += SK_SKM_GEOMETRY_SIZE;
        }
        if (!sk_layer_kind_has_weights(l->kind))
            continue;
        const size_t e = l->per_channel ? l->n : 1, nk = (size_t)l->n * l->k;
        memcpy(p, l->w_exp, e);
        p += e + pad4(e);
        for (uint32_t j = 0; j < l->n; j++)
            sk_put_u32(p + 4 * (size_t)j, (uint32_t)l->bias[j]);
        p += 4 * (size_t)l->n;
        memcpy(p, l->weights, nk);
        p += nk + pad4(nk);
    }
    memcpy(buf, skm_magic, sizeof skm_magic);
    sk_put_u32(buf + 8, v2 ? SK_MODEL_VERSION : SK_MODEL_VERSION_DENSE);
    sk_put_u32(buf + 12, (uint32_t)(total - SK_MODEL_HEADER_SIZE));
    sk_put_u32(buf + 16, sk_crc32(0, buf + SK_MODEL_HEADER_SIZE, total - SK_MODEL_HEADER_SIZE));
    *data = buf;
    *size = total;
    return SK_OK;
}

sk_status sk_model_save(const sk_model *model, const char *path, sk_error *err)
{
    uint8_t *data;
    size_t size;
    sk_status st = sk_model_serialize(model, &data, &size, err);
    if (st != SK_OK) {
        /* Name the destination in the message: validation knew no path. */
        if (err) {
            sk_error inner = *err;
            sk_fail(err, st, "%s: not written: %s", path, inner.msg);
        }
        return st;
    }
    st = sk_write_file_atomic(path, data, size, err);
    free(data);
    return st;
}
