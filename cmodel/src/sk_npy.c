/* sk_npy.c — NumPy .npy reader (format 1.0, 2.0, 3.0) and writer (1.0) for int8,
 * uint8 and int32 C-order arrays. The header is a Python dict literal; we accept
 * exactly the keys numpy writes ('descr', 'fortran_order', 'shape') in any order. */
#include "shiftkit/sk_npy.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sk_internal.h"

static const uint8_t npy_magic[6] = { 0x93, 'N', 'U', 'M', 'P', 'Y' };

size_t sk_tensor_count(const sk_tensor *t)
{
    size_t count = 1;
    for (unsigned i = 0; i < t->ndim; i++)
        count *= t->shape[i];
    return count;
}

sk_status sk_tensor_alloc2(sk_tensor *t, sk_dtype dtype, size_t rows, size_t cols)
{
    memset(t, 0, sizeof *t);
    if (rows == 0 || cols == 0 || rows > SIZE_MAX / sizeof(int32_t) / cols)
        return SK_ERR_BAD_ARG;
    t->data = calloc(rows * cols, sizeof *t->data);
    if (!t->data)
        return SK_ERR_NOMEM;
    t->dtype = dtype;
    t->ndim = 2;
    t->shape[0] = rows;
    t->shape[1] = cols;
    return SK_OK;
}

void sk_tensor_free(sk_tensor *t)
{
    if (!t)
        return;
    free(t->data);
    memset(t, 0, sizeof *t);
}

static size_t dtype_size(sk_dtype dtype)
{
    return dtype == SK_DTYPE_INT32 ? 4 : 1;
}

static const char *dtype_descr(sk_dtype dtype)
{
    switch (dtype) {
    case SK_DTYPE_INT8: return "|i1";
    case SK_DTYPE_UINT8: return "|u1";
    case SK_DTYPE_INT32: return "<i4";
    }
    return "?";
}

/* The header is a Python dict literal with exactly the keys 'descr', 'fortran_order'
 * and 'shape', each once, in any order, single- or double-quoted, an optional
 * trailing comma, then padding spaces and a newline. Anything else is rejected: a
 * tolerant scan would accept headers numpy itself would not write. */
typedef struct header_parser {
    const char *p;
    const char *o; /* origin, for messages */
    sk_error *err;
} header_parser;

static void skip_ws(header_parser *hp)
{
    while (*hp->p == ' ' || *hp->p == '\t' || *hp->p == '\n' || *hp->p == '\r')
        hp->p++;
}

static bool accept(header_parser *hp, char c)
{
    skip_ws(hp);
    if (*hp->p != c)
        return false;
    hp->p++;
    return true;
}

/* A quoted string of at most cap-1 characters, no escapes (numpy writes none). */
static bool parse_string(header_parser *hp, char *out, size_t cap)
{
    skip_ws(hp);
    const char quote = *hp->p;
    if (quote != '\'' && quote != '"')
        return false;
    const char *end = strchr(hp->p + 1, quote);
    if (!end || (size_t)(end - hp->p - 1) >= cap || memchr(hp->p + 1, '\\', (size_t)(end - hp->p - 1)))
        return false;
    memcpy(out, hp->p + 1, (size_t)(end - hp->p - 1));
    out[end - hp->p - 1] = 0;
    hp->p = end + 1;
    return true;
}

/* Checked after the whole dict has parsed, so a syntax error is reported as one. */
static sk_status check_descr(const char *descr, const char *o, sk_tensor *t, sk_error *err)
{
    if (!strcmp(descr, "|i1") || !strcmp(descr, "<i1") || !strcmp(descr, "i1"))
        t->dtype = SK_DTYPE_INT8;
    else if (!strcmp(descr, "|u1") || !strcmp(descr, "<u1") || !strcmp(descr, "u1"))
        t->dtype = SK_DTYPE_UINT8;
    else if (!strcmp(descr, "<i4"))
        t->dtype = SK_DTYPE_INT32;
    else
        return sk_fail(err, SK_ERR_NPY_DTYPE,
                       "%s: field descr: dtype '%s' is not supported (use int8, uint8 or "
                       "little-endian int32)", o, descr);
    return SK_OK;
}

static sk_status parse_fortran_order(header_parser *hp)
{
    skip_ws(hp);
    if (!strncmp(hp->p, "False", 5)) {
        hp->p += 5;
        return SK_OK;
    }
    if (!strncmp(hp->p, "True", 4))
        return sk_fail(hp->err, SK_ERR_NPY_FORMAT,
                       "%s: field fortran_order: Fortran-order arrays are not supported "
                       "(save with np.ascontiguousarray)", hp->o);
    return sk_fail(hp->err, SK_ERR_NPY_FORMAT, "%s: field fortran_order: not True or False",
                   hp->o);
}

/* A tuple of non-negative integers; a 1-tuple needs its trailing comma, as in Python. */
static sk_status parse_shape(header_parser *hp, sk_tensor *t)
{
    if (!accept(hp, '('))
        return sk_fail(hp->err, SK_ERR_NPY_FORMAT, "%s: field shape: not a tuple", hp->o);
    t->ndim = 0;
    bool trailing_comma = false;
    for (;;) {
        skip_ws(hp);
        if (*hp->p == ')')
            break;
        if (*hp->p < '0' || *hp->p > '9')
            return sk_fail(hp->err, SK_ERR_NPY_FORMAT, "%s: field shape: malformed tuple", hp->o);
        if (t->ndim == SK_NPY_MAX_DIMS)
            return sk_fail(hp->err, SK_ERR_NPY_FORMAT,
                           "%s: field shape: more than %d dimensions", hp->o, SK_NPY_MAX_DIMS);
        char *after;
        errno = 0;
        unsigned long long dim = strtoull(hp->p, &after, 10);
        if (errno || dim > (1ull << 40))
            return sk_fail(hp->err, SK_ERR_NPY_FORMAT, "%s: field shape: dimension too large",
                           hp->o);
        t->shape[t->ndim++] = (size_t)dim;
        hp->p = after;
        trailing_comma = accept(hp, ',');
        skip_ws(hp);
        if (!trailing_comma && *hp->p != ')')
            return sk_fail(hp->err, SK_ERR_NPY_FORMAT, "%s: field shape: malformed tuple", hp->o);
    }
    hp->p++; /* ')' */
    if (t->ndim == 0)
        return sk_fail(hp->err, SK_ERR_NPY_FORMAT, "%s: field shape: scalars are not supported",
                       hp->o);
    if (t->ndim == 1 && !trailing_comma)
        return sk_fail(hp->err, SK_ERR_NPY_FORMAT,
                       "%s: field shape: '(%zu)' is an integer, not a tuple", hp->o, t->shape[0]);
    return SK_OK;
}

static sk_status parse_header(const char *header, const char *o, sk_tensor *t, sk_error *err)
{
    header_parser hp = { header, o, err };
    enum { DESCR = 1, FORTRAN = 2, SHAPE = 4 };
    unsigned seen = 0;
    char descr[16] = "";
    if (!accept(&hp, '{'))
        return sk_fail(err, SK_ERR_NPY_FORMAT, "%s: field header: not a dict literal", o);
    while (!accept(&hp, '}')) {
        char key[32];
        if (!parse_string(&hp, key, sizeof key) || !accept(&hp, ':'))
            return sk_fail(err, SK_ERR_NPY_FORMAT, "%s: field header: expected 'key': value", o);
        unsigned bit = !strcmp(key, "descr") ? DESCR : !strcmp(key, "fortran_order") ? FORTRAN
                     : !strcmp(key, "shape") ? SHAPE : 0;
        if (!bit)
            return sk_fail(err, SK_ERR_NPY_FORMAT, "%s: field %s: unknown key in the header", o,
                           key);
        if (seen & bit)
            return sk_fail(err, SK_ERR_NPY_FORMAT, "%s: field %s: appears twice", o, key);
        seen |= bit;
        sk_status st = SK_OK;
        if (bit == DESCR && !parse_string(&hp, descr, sizeof descr))
            st = sk_fail(err, SK_ERR_NPY_FORMAT, "%s: field descr: not a quoted dtype string", o);
        else if (bit == FORTRAN)
            st = parse_fortran_order(&hp);
        else if (bit == SHAPE)
            st = parse_shape(&hp, t);
        if (st != SK_OK)
            return st;
        if (!accept(&hp, ',')) {
            if (!accept(&hp, '}'))
                return sk_fail(err, SK_ERR_NPY_FORMAT, "%s: field header: expected ',' or '}'",
                               o);
            break;
        }
    }
    skip_ws(&hp);
    if (*hp.p != 0)
        return sk_fail(err, SK_ERR_NPY_FORMAT, "%s: field header: text after the dict", o);
    if (seen != (DESCR | FORTRAN | SHAPE))
        return sk_fail(err, SK_ERR_NPY_FORMAT, "%s: field %s: missing from the header", o,
                       !(seen & DESCR) ? "descr" : !(seen & FORTRAN) ? "fortran_order" : "shape");
    return check_descr(descr, o, t, err);
}

sk_status sk_npy_parse(const uint8_t *data, size_t size, const char *origin, sk_tensor *out,
                       sk_error *err)
{
    const char *o = origin ? origin : "array";
    if (!data || !out)
        return sk_fail(err, SK_ERR_BAD_ARG, "%s: no data", o);
    size_t magic_len = size < sizeof npy_magic ? size : sizeof npy_magic;
    if (memcmp(data, npy_magic, magic_len) != 0)
        return sk_fail(err, SK_ERR_BAD_MAGIC, "%s: field magic: not a NumPy .npy file", o);
    if (size < 10)
        return sk_fail(err, SK_ERR_TRUNCATED, "%s: field header: file is only %zu bytes", o,
                       size);
    uint8_t major = data[6];
    size_t header_len, header_start;
    if (major == 1) {
        header_len = sk_get_u16(data + 8);
        header_start = 10;
    } else if (major == 2 || major == 3) {
        if (size < 12)
            return sk_fail(err, SK_ERR_TRUNCATED, "%s: field header: file is only %zu bytes", o,
                           size);
        header_len = sk_get_u32(data + 8);
        header_start = 12;
    } else {
        return sk_fail(err, SK_ERR_BAD_VERSION, "%s: field version: .npy format %u.%u is not "
                       "supported", o, major, data[7]);
    }
    if (header_len > size - header_start)
        return sk_fail(err, SK_ERR_TRUNCATED,
                       "%s: field header: declares %zu header bytes, %zu remain", o, header_len,
                       size - header_start);
    char *header = malloc(header_len + 1);
    if (!header)
        return sk_fail(err, SK_ERR_NOMEM, "%s: out of memory", o);
    memcpy(header, data + header_start, header_len);
    header[header_len] = 0;
    if (strlen(header) != header_len) {
        free(header);
        return sk_fail(err, SK_ERR_NPY_FORMAT, "%s: field header: contains a NUL byte", o);
    }
    sk_tensor t = { 0 };
    sk_status st = parse_header(header, o, &t, err);
    free(header);
    if (st != SK_OK)
        return st;

    size_t count = 1;
    for (unsigned i = 0; i < t.ndim; i++) {
        if (t.shape[i] != 0 && count > SIZE_MAX / 8 / t.shape[i])
            return sk_fail(err, SK_ERR_NPY_FORMAT, "%s: field shape: too many elements", o);
        count *= t.shape[i];
    }
    const size_t item = dtype_size(t.dtype), body = size - header_start - header_len;
    if (body < count * item)
        return sk_fail(err, SK_ERR_TRUNCATED, "%s: field data: shape needs %zu bytes, file has %zu",
                       o, count * item, body);
    if (body > count * item)
        return sk_fail(err, SK_ERR_TRAILING, "%s: field data: %zu bytes of trailing data", o,
                       body - count * item);
    t.data = malloc((count ? count : 1) * sizeof *t.data);
    if (!t.data)
        return sk_fail(err, SK_ERR_NOMEM, "%s: out of memory", o);
    const uint8_t *p = data + header_start + header_len;
    for (size_t i = 0; i < count; i++) {
        switch (t.dtype) {
        case SK_DTYPE_INT8: t.data[i] = (int8_t)p[i]; break;
        case SK_DTYPE_UINT8: t.data[i] = p[i]; break;
        case SK_DTYPE_INT32: t.data[i] = (int32_t)sk_get_u32(p + 4 * i); break;
        }
    }
    *out = t;
    return SK_OK;
}

sk_status sk_npy_load(const char *path, sk_tensor *t, sk_error *err)
{
    if (!path || !t)
        return sk_fail(err, SK_ERR_BAD_ARG, "no path");
    uint8_t *data;
    size_t size;
    sk_status st = sk_read_file(path, &data, &size, err);
    if (st != SK_OK)
        return st;
    st = sk_npy_parse(data, size, path, t, err);
    free(data);
    return st;
}

sk_status sk_npy_save(const sk_tensor *t, const char *path, sk_error *err)
{
    if (!t || !path || t->ndim == 0 || t->ndim > SK_NPY_MAX_DIMS)
        return sk_fail(err, SK_ERR_BAD_ARG, "%s: invalid tensor", path ? path : "array");
    const size_t count = sk_tensor_count(t), item = dtype_size(t->dtype);
    const int32_t lo = t->dtype == SK_DTYPE_INT8 ? -128 : t->dtype == SK_DTYPE_UINT8 ? 0 : INT32_MIN;
    const int32_t hi = t->dtype == SK_DTYPE_INT8 ? 127 : t->dtype == SK_DTYPE_UINT8 ? 255 : INT32_MAX;
    for (size_t i = 0; i < count; i++)
        if (t->data[i] < lo || t->data[i] > hi)
            return sk_fail(err, SK_ERR_NPY_DTYPE, "%s: value %d at index %zu does not fit %s",
                           path, t->data[i], i, dtype_descr(t->dtype));

    char dict[256], shape[160] = "";
    size_t used = 0;
    for (unsigned i = 0; i < t->ndim; i++)
        used += (size_t)snprintf(shape + used, sizeof shape - used, "%zu%s", t->shape[i],
                                 t->ndim == 1 ? "," : (i + 1 < t->ndim ? ", " : ""));
    int dict_len = snprintf(dict, sizeof dict,
                            "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }",
                            dtype_descr(t->dtype), shape);
    /* numpy pads the header with spaces so the data starts on a 64-byte boundary and
     * ends it with a newline. */
    size_t header_len = (size_t)dict_len + 1;
    header_len += (64 - (10 + header_len) % 64) % 64;
    const size_t total = 10 + header_len + count * item;
    uint8_t *buf = malloc(total);
    if (!buf)
        return sk_fail(err, SK_ERR_NOMEM, "%s: out of memory", path);
    memcpy(buf, npy_magic, sizeof npy_magic);
    buf[6] = 1;
    buf[7] = 0;
    buf[8] = (uint8_t)header_len;
    buf[9] = (uint8_t)(header_len >> 8);
    memset(buf + 10, ' ', header_len);
    memcpy(buf + 10, dict, (size_t)dict_len);
    buf[10 + header_len - 1] = '\n';
    uint8_t *p = buf + 10 + header_len;
    for (size_t i = 0; i < count; i++) {
        if (item == 4)
            sk_put_u32(p + 4 * i, (uint32_t)t->data[i]);
        else
            p[i] = (uint8_t)t->data[i];
    }
    sk_status st = sk_write_file_atomic(path, buf, total, err);
    free(buf);
    return st;
}
