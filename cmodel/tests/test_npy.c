/* test_npy.c — the .npy reader and writer (sk_npy_parse/load/save) against the NumPy
 * format specification (numpy.lib.format, "NEP 1"):
 *
 *   "\x93NUMPY", major, minor, header length (u16 LE for 1.0, u32 LE for 2.0/3.0),
 *   then an ASCII Python dict literal {'descr': ..., 'fortran_order': ...,
 *   'shape': (...)} padded with spaces and terminated by '\n' so that the data starts
 *   at a multiple of 64, then the raw C-order data.
 *
 * Files are built by hand here from that text (never by the code under test), with
 * little-endian data typed in byte by byte, and the writer's output is checked
 * against the same rules. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "shiftkit/sk_npy.h"
#include "shiftkit/sk_status.h"
#include "sk_test_util.h"

#define ORIGIN "unit-origin.npy"

/* ---------------------------------------------------------------- byte buffer */

/* A .npy image: format major.0, header text `dict` (dict_len bytes, may hold a NUL)
 * padded with spaces and '\n' to a 64-byte boundary as NumPy writes it, then data. */
static bytes npy_image_n(unsigned major, const char *dict, size_t dict_len, const void *data,
                         size_t data_len)
{
    const size_t prefix = major == 1 ? 10 : 12;
    size_t hlen = dict_len + 1;
    while ((prefix + hlen) % 64)
        hlen++;
    bytes b = { 0 };
    put(&b, "\x93NUMPY", 6);
    put_u8(&b, major);
    put_u8(&b, 0);
    if (major == 1) {
        put_u8(&b, hlen & 0xFF);
        put_u8(&b, hlen >> 8);
    } else {
        put_u32(&b, (uint32_t)hlen);
    }
    put(&b, dict, dict_len);
    for (size_t i = dict_len; i < hlen - 1; i++)
        put_u8(&b, ' ');
    put_u8(&b, '\n');
    assert_int_equal(b.n % 64, 0);
    put(&b, data, data_len);
    return b;
}

static bytes npy_image(unsigned major, const char *dict, const void *data, size_t data_len)
{
    return npy_image_n(major, dict, strlen(dict), data, data_len);
}

/* ----------------------------------------------------------- assertions */

static void expect_ok(const bytes *f, sk_tensor *t)
{
    sk_error err;
    memset(&err, 0, sizeof err);
    memset(t, 0, sizeof *t);
    const sk_status st = sk_npy_parse(f->p, f->n, ORIGIN, t, &err);
    if (st != SK_OK)
        print_error("unexpected failure %d (%s): \"%s\"\n", st, sk_strerror(st), err.msg);
    assert_int_equal(st, SK_OK);
}

static void expect_fail(const uint8_t *data, size_t size, sk_status want)
{
    sk_tensor t;
    memset(&t, 0, sizeof t);
    sk_error err;
    memset(&err, 0, sizeof err);
    const sk_status st = sk_npy_parse(data, size, ORIGIN, &t, &err);
    if (st != want)
        print_error("expected %d (%s), got %d (%s): \"%s\"\n", want, sk_strerror(want), st,
                    sk_strerror(st), err.msg);
    if (st == SK_OK)
        sk_tensor_free(&t);
    assert_int_equal(st, want);
    assert_true(err.msg[0] != '\0');
    if (!strstr(err.msg, ORIGIN))
        print_error("message \"%s\" does not name the origin\n", err.msg);
    assert_non_null(strstr(err.msg, ORIGIN));
}

/* Header `dict` with `data`, expected to fail with `want`. */
static void expect_dict_fail(unsigned major, const char *dict, const void *data, size_t len,
                             sk_status want)
{
    /* copied to the stack first so a failed assertion (a longjmp) leaks nothing */
    uint8_t image[1024];
    bytes f = npy_image(major, dict, data, len);
    assert_true(f.n <= sizeof image);
    const size_t size = f.n;
    memcpy(image, f.p, size);
    free(f.p);
    expect_fail(image, size, want);
}

static void expect_tensor(const sk_tensor *t, sk_dtype dtype, unsigned ndim, const size_t *shape,
                          const int32_t *values)
{
    assert_int_equal(t->dtype, dtype);
    assert_int_equal(t->ndim, ndim);
    size_t count = 1;
    for (unsigned i = 0; i < ndim; i++) {
        assert_int_equal(t->shape[i], shape[i]);
        count *= shape[i];
    }
    assert_int_equal(sk_tensor_count(t), count);
    for (size_t i = 0; i < count; i++)
        assert_int_equal(t->data[i], values[i]);
}

/* ---------------------------------------------------------------- files */


/* -------------------------------------------------------------- fixtures */

static const int32_t i8_values[6] = { -128, -1, 0, 1, 2, 127 };
static const uint8_t i8_bytes[6] = { 0x80, 0xFF, 0x00, 0x01, 0x02, 0x7F };
static const char i8_dict[] = "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), }";

static const int32_t u8_values[5] = { 0, 1, 127, 128, 255 };
static const uint8_t u8_bytes[5] = { 0x00, 0x01, 0x7F, 0x80, 0xFF };

static const int32_t i32_values[4] = { INT32_MIN, -1, 0x01020304, INT32_MAX };
static const uint8_t i32_bytes[16] = { 0x00, 0x00, 0x00, 0x80, 0xFF, 0xFF, 0xFF, 0xFF,
                                       0x04, 0x03, 0x02, 0x01, 0xFF, 0xFF, 0xFF, 0x7F };

/* ================================================================== tests */

static void test_parse_int8_2d(void **state)
{
    (void)state;
    bytes f = npy_image(1, i8_dict, i8_bytes, sizeof i8_bytes);
    assert_int_equal(f.n, 128 + 6); /* 10 + 59 + '\n' = 70: padded to 128 */
    sk_tensor t;
    expect_ok(&f, &t);
    const size_t shape[2] = { 2, 3 };
    expect_tensor(&t, SK_DTYPE_INT8, 2, shape, i8_values);
    sk_tensor_free(&t);
    free(f.p);
}

static void test_parse_uint8_1d(void **state)
{
    (void)state;
    bytes f = npy_image(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (5,), }", u8_bytes,
                        sizeof u8_bytes);
    sk_tensor t;
    expect_ok(&f, &t);
    const size_t shape[1] = { 5 };
    expect_tensor(&t, SK_DTYPE_UINT8, 1, shape, u8_values);
    sk_tensor_free(&t);
    free(f.p);
}

static void test_parse_int32_2d_and_1d(void **state)
{
    (void)state;
    bytes f = npy_image(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }",
                        i32_bytes, sizeof i32_bytes);
    sk_tensor t;
    expect_ok(&f, &t);
    const size_t shape[2] = { 2, 2 };
    expect_tensor(&t, SK_DTYPE_INT32, 2, shape, i32_values);
    sk_tensor_free(&t);
    free(f.p);

    f = npy_image(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (4,), }", i32_bytes,
                  sizeof i32_bytes);
    expect_ok(&f, &t);
    const size_t shape1[1] = { 4 };
    expect_tensor(&t, SK_DTYPE_INT32, 1, shape1, i32_values);
    sk_tensor_free(&t);
    free(f.p);
}

/* Formats 2.0 and 3.0: a u32 header length, otherwise the same. */
static void test_parse_format_2_and_3(void **state)
{
    (void)state;
    for (unsigned major = 2; major <= 3; major++) {
        bytes f = npy_image(major, i8_dict, i8_bytes, sizeof i8_bytes);
        assert_int_equal(f.n, 128 + 6);
        sk_tensor t;
        expect_ok(&f, &t);
        const size_t shape[2] = { 2, 3 };
        expect_tensor(&t, SK_DTYPE_INT8, 2, shape, i8_values);
        sk_tensor_free(&t);
        free(f.p);

        f = npy_image(major, "{'descr': '<i4', 'fortran_order': False, 'shape': (1, 4), }",
                      i32_bytes, sizeof i32_bytes);
        expect_ok(&f, &t);
        const size_t shape2[2] = { 1, 4 };
        expect_tensor(&t, SK_DTYPE_INT32, 2, shape2, i32_values);
        sk_tensor_free(&t);
        free(f.p);
    }
}

/* 3-D and 4-D, and a header longer than one 64-byte block (padding to 128). */
static void test_parse_3d_4d(void **state)
{
    (void)state;
    bytes f = npy_image(1, "{'descr': '|i1', 'fortran_order': False, 'shape': (1, 2, 3), }",
                        i8_bytes, sizeof i8_bytes);
    sk_tensor t;
    expect_ok(&f, &t);
    const size_t shape3[3] = { 1, 2, 3 };
    expect_tensor(&t, SK_DTYPE_INT8, 3, shape3, i8_values);
    sk_tensor_free(&t);
    free(f.p);

    /* the spacing NumPy >= 1.24 leaves for appending along axis 0 */
    f = npy_image(1, "{'descr': '|i1', 'fortran_order': False, 'shape': (3, 1, 1, 2), }"
                     "                    ",
                  i8_bytes, sizeof i8_bytes);
    assert_int_equal(f.n, 128 + 6);
    expect_ok(&f, &t);
    const size_t shape4[4] = { 3, 1, 1, 2 };
    expect_tensor(&t, SK_DTYPE_INT8, 4, shape4, i8_values);
    sk_tensor_free(&t);
    free(f.p);
}

/* Any valid Python dict literal: other key order, no trailing comma, '<i1'/'<u1'
 * (the same dtypes as '|i1'/'|u1'). */
static void test_parse_header_variants(void **state)
{
    (void)state;
    const char *dicts[] = {
        "{'shape': (2, 3), 'fortran_order': False, 'descr': '|i1'}",
        "{'fortran_order': False, 'descr': '|i1', 'shape': (2,3)}",
        "{'descr': '<i1', 'fortran_order': False, 'shape': (2, 3), }",
    };
    for (size_t i = 0; i < sizeof dicts / sizeof dicts[0]; i++) {
        bytes f = npy_image(1, dicts[i], i8_bytes, sizeof i8_bytes);
        sk_tensor t;
        expect_ok(&f, &t);
        const size_t shape[2] = { 2, 3 };
        expect_tensor(&t, SK_DTYPE_INT8, 2, shape, i8_values);
        sk_tensor_free(&t);
        free(f.p);
    }
    bytes f = npy_image(1, "{'descr': '<u1', 'fortran_order': False, 'shape': (5,), }", u8_bytes,
                        sizeof u8_bytes);
    sk_tensor t;
    expect_ok(&f, &t);
    const size_t shape[1] = { 5 };
    expect_tensor(&t, SK_DTYPE_UINT8, 1, shape, u8_values);
    sk_tensor_free(&t);
    free(f.p);
}

/* Check a file written by sk_npy_save against the format rules, then its data. */
static void check_written(const char *path, const char *descr, const char *shape_text,
                          const uint8_t *data, size_t data_len)
{
    bytes f = read_whole(path);
    assert_true(f.n >= 10);
    assert_memory_equal(f.p, "\x93NUMPY\x01\x00", 8);
    const size_t hlen = f.p[8] | (size_t)f.p[9] << 8;
    assert_int_equal((10 + hlen) % 64, 0);
    assert_int_equal(f.n, 10 + hlen + data_len);
    char *header = calloc(hlen + 1, 1);
    assert_non_null(header);
    memcpy(header, f.p + 10, hlen);
    assert_int_equal(header[hlen - 1], '\n');
    for (size_t i = 0; i + 1 < hlen; i++)
        assert_true(header[i] >= 0x20 && header[i] < 0x7F);
    assert_int_equal(header[0], '{');
    char want[64];
    snprintf(want, sizeof want, "'descr': '%s'", descr);
    assert_non_null(strstr(header, want));
    assert_non_null(strstr(header, "'fortran_order': False"));
    snprintf(want, sizeof want, "'shape': %s", shape_text);
    if (!strstr(header, want))
        print_error("header \"%s\" lacks \"%s\"\n", header, want);
    assert_non_null(strstr(header, want));
    assert_memory_equal(f.p + 10 + hlen, data, data_len);
    free(header);
    free(f.p);
}

static void save_and_check(const char *dir, const char *name, const sk_tensor *t,
                           const char *descr, const char *shape_text, const uint8_t *data,
                           size_t data_len)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", sk_test_path(dir, name));
    sk_error err;
    memset(&err, 0, sizeof err);
    sk_status st = sk_npy_save(t, path, &err);
    if (st != SK_OK)
        print_error("save %s: %s\n", name, err.msg);
    assert_int_equal(st, SK_OK);
    check_written(path, descr, shape_text, data, data_len);

    sk_tensor back;
    memset(&back, 0, sizeof back);
    st = sk_npy_load(path, &back, &err);
    if (st != SK_OK)
        print_error("load %s: %s\n", name, err.msg);
    assert_int_equal(st, SK_OK);
    expect_tensor(&back, t->dtype, t->ndim, t->shape, t->data);
    sk_tensor_free(&back);
}

static void test_round_trip(void **state)
{
    (void)state;
    char dir[64];
    snprintf(dir, sizeof dir, "%s", sk_test_tmpdir());

    sk_tensor t;
    assert_int_equal(sk_tensor_alloc2(&t, SK_DTYPE_INT8, 2, 3), SK_OK);
    assert_int_equal(t.ndim, 2);
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(t.data[i], 0); /* documented as zeroed */
    memcpy(t.data, i8_values, sizeof i8_values);
    save_and_check(dir, "i8.npy", &t, "|i1", "(2, 3)", i8_bytes, sizeof i8_bytes);
    sk_tensor_free(&t);

    assert_int_equal(sk_tensor_alloc2(&t, SK_DTYPE_UINT8, 1, 5), SK_OK);
    memcpy(t.data, u8_values, sizeof u8_values);
    save_and_check(dir, "u8.npy", &t, "|u1", "(1, 5)", u8_bytes, sizeof u8_bytes);
    sk_tensor_free(&t);

    assert_int_equal(sk_tensor_alloc2(&t, SK_DTYPE_INT32, 2, 2), SK_OK);
    memcpy(t.data, i32_values, sizeof i32_values);
    save_and_check(dir, "i32.npy", &t, "<i4", "(2, 2)", i32_bytes, sizeof i32_bytes);
    sk_tensor_free(&t);

    /* 1-D tensors, built by hand (sk_tensor_alloc2 only makes 2-D ones) */
    const struct { sk_dtype dtype; const int32_t *values; size_t count; const char *descr;
                   const char *shape; const uint8_t *bytes; size_t len; } one_d[] = {
        { SK_DTYPE_INT8, i8_values, 6, "|i1", "(6,)", i8_bytes, sizeof i8_bytes },
        { SK_DTYPE_UINT8, u8_values, 5, "|u1", "(5,)", u8_bytes, sizeof u8_bytes },
        { SK_DTYPE_INT32, i32_values, 4, "<i4", "(4,)", i32_bytes, sizeof i32_bytes },
    };
    for (size_t i = 0; i < 3; i++) {
        sk_tensor v;
        memset(&v, 0, sizeof v);
        v.dtype = one_d[i].dtype;
        v.ndim = 1;
        v.shape[0] = one_d[i].count;
        v.data = malloc(one_d[i].count * sizeof(int32_t));
        assert_non_null(v.data);
        memcpy(v.data, one_d[i].values, one_d[i].count * sizeof(int32_t));
        char name[32];
        snprintf(name, sizeof name, "one_d_%zu.npy", i);
        save_and_check(dir, name, &v, one_d[i].descr, one_d[i].shape, one_d[i].bytes,
                       one_d[i].len);
        sk_tensor_free(&v);
    }
    assert_int_equal(dir_entries(dir), 6); /* no temporary files left behind */
    remove_dir(dir);
}

static void test_truncated_every_prefix(void **state)
{
    (void)state;
    bytes f = npy_image(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }",
                        i32_bytes, sizeof i32_bytes);
    for (size_t len = 0; len < f.n; len++) {
        uint8_t *copy = malloc(len ? len : 1); /* exact size: ASan sees any overread */
        assert_non_null(copy);
        memcpy(copy, f.p, len);
        expect_fail(copy, len, SK_ERR_TRUNCATED);
        free(copy);
    }
    free(f.p);
    /* the same for a 2.0 file (u32 header length) */
    f = npy_image(2, i8_dict, i8_bytes, sizeof i8_bytes);
    for (size_t len = 0; len < f.n; len++) {
        uint8_t *copy = malloc(len ? len : 1);
        assert_non_null(copy);
        memcpy(copy, f.p, len);
        expect_fail(copy, len, SK_ERR_TRUNCATED);
        free(copy);
    }
    free(f.p);
}

static void test_truncated_and_trailing_data(void **state)
{
    (void)state;
    /* shape (2, 3) needs 6 bytes */
    bytes f = npy_image(1, i8_dict, i8_bytes, 5);
    expect_fail(f.p, f.n, SK_ERR_TRUNCATED);
    free(f.p);
    const uint8_t seven[7] = { 1, 2, 3, 4, 5, 6, 7 };
    f = npy_image(1, i8_dict, seven, 7);
    expect_fail(f.p, f.n, SK_ERR_TRAILING);
    free(f.p);
    /* int32: 3 of the 4 bytes of the last element */
    f = npy_image(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }", i32_bytes,
                  15);
    expect_fail(f.p, f.n, SK_ERR_TRUNCATED);
    free(f.p);
    /* header length pointing past the end of the file */
    f = npy_image(1, i8_dict, i8_bytes, sizeof i8_bytes);
    f.p[8] = 0xF6; /* 0x00F6 + 10 = 256 > 70 */
    expect_fail(f.p, f.n, SK_ERR_TRUNCATED);
    free(f.p);
}

static void test_bad_magic(void **state)
{
    (void)state;
    for (size_t at = 0; at < 6; at++) {
        bytes f = npy_image(1, i8_dict, i8_bytes, sizeof i8_bytes);
        f.p[at] ^= 0x01;
        expect_fail(f.p, f.n, SK_ERR_BAD_MAGIC);
        free(f.p);
    }
}

static void test_bad_version(void **state)
{
    (void)state;
    bytes f = npy_image(2, i8_dict, i8_bytes, sizeof i8_bytes);
    f.p[6] = 4; /* 4.0, with a 2.0-style u32 length */
    expect_fail(f.p, f.n, SK_ERR_BAD_VERSION);
    f.p[6] = 0;
    expect_fail(f.p, f.n, SK_ERR_BAD_VERSION);
    free(f.p);
}

static void test_unsupported_dtypes(void **state)
{
    (void)state;
    const uint8_t data[16] = { 0 };
    const char *dicts[] = {
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }",
        "{'descr': '>i4', 'fortran_order': False, 'shape': (2, 2), }",
        "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }",
        "{'descr': '<u4', 'fortran_order': False, 'shape': (2, 2), }",
        "{'descr': '<i2', 'fortran_order': False, 'shape': (8,), }",
        "{'descr': '|b1', 'fortran_order': False, 'shape': (16,), }",
    };
    for (size_t i = 0; i < sizeof dicts / sizeof dicts[0]; i++)
        expect_dict_fail(1, dicts[i], data, sizeof data, SK_ERR_NPY_DTYPE);
}

/* Fortran order is a layout this reader does not support: a format error, not a
 * dtype one (sk_status.h: SK_ERR_NPY_DTYPE is for element types). */
static void test_fortran_order_rejected(void **state)
{
    (void)state;
    expect_dict_fail(1, "{'descr': '|i1', 'fortran_order': True, 'shape': (2, 3), }", i8_bytes,
                     sizeof i8_bytes, SK_ERR_NPY_FORMAT);
}

static void test_malformed_headers(void **state)
{
    (void)state;
    const char *dicts[] = {
        "{'descr': '|i1', 'fortran_order': False, 'shape': (2, x), }",
        "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3, }",
        "{'descr': '|i1', 'fortran_order': False, 'shape': 2, 3, }",
        "{'descr': '|i1', 'fortran_order': False, 'shape': (-2, -3), }",
        "{'descr': '|i1', 'fortran_order': False, 'shape': (,), }",
        "{'descr': '|i1', 'fortran_order': False, 'shape': (), }",         /* scalar */
        "{'descr': '|i1', 'fortran_order': False, }",                      /* no shape */
        "{'fortran_order': False, 'shape': (2, 3), }",                     /* no descr */
        "{'descr': '|i1', 'shape': (2, 3), }",                             /* no fortran_order */
        "{'descr': '|i1', 'fortran_order': Maybe, 'shape': (2, 3), }",
        "{'descr': '|i1', 'fortran_order': 0, 'shape': (2, 3), }",
        "{'descr': '|i1', 'fortran_order': False, 'shape': [2, 3], }",     /* a list */
        "",
    };
    for (size_t i = 0; i < sizeof dicts / sizeof dicts[0]; i++)
        expect_dict_fail(1, dicts[i], i8_bytes, sizeof i8_bytes, SK_ERR_NPY_FORMAT);

    /* a NUL byte inside the header */
    static const char with_nul[] = "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), }";
    char text[sizeof with_nul];
    memcpy(text, with_nul, sizeof with_nul);
    text[sizeof with_nul - 2] = '\0'; /* the closing brace */
    bytes f = npy_image_n(1, text, sizeof with_nul - 1, i8_bytes, sizeof i8_bytes);
    expect_fail(f.p, f.n, SK_ERR_NPY_FORMAT);
    free(f.p);
    text[sizeof with_nul - 2] = '}';
    text[3] = '\0'; /* inside the key 'descr' */
    f = npy_image_n(1, text, sizeof with_nul - 1, i8_bytes, sizeof i8_bytes);
    expect_fail(f.p, f.n, SK_ERR_NPY_FORMAT);
    free(f.p);
}

/* Parse `dict` (+ the 6 int8 bytes); report and count a status other than `want`
 * (want == SK_OK - 1 stands for "any failure"). */
#define ANY_FAILURE ((sk_status)-1)
static int status_mismatch(const char *dict, sk_status want)
{
    bytes f = npy_image(1, dict, i8_bytes, sizeof i8_bytes);
    sk_tensor t;
    memset(&t, 0, sizeof t);
    sk_error err;
    memset(&err, 0, sizeof err);
    const sk_status st = sk_npy_parse(f.p, f.n, ORIGIN, &t, &err);
    free(f.p);
    if (st == SK_OK)
        sk_tensor_free(&t);
    const bool ok = want == ANY_FAILURE ? st != SK_OK : st == want;
    if (!ok)
        print_error("header %s: expected %s, got %d (%s) \"%s\"\n", dict,
                    want == ANY_FAILURE ? "a failure" : sk_strerror(want), st, sk_strerror(st),
                    err.msg);
    return !ok;
}

/* Headers that are not the Python dict literal the NumPy format requires are
 * rejected (numpy.lib.format.read_array_header rejects every one of these:
 * literal_eval fails, the keys are not exactly descr/fortran_order/shape, or shape is
 * not a tuple). A duplicate key must fail: Python keeps the last value ('<f4'), so
 * accepting it would silently read a float32 file as int8. */
static void test_npy_header_strict_dict(void **state)
{
    (void)state;
    int bad = 0;
    bad += status_mismatch("'descr': '|i1', 'fortran_order': False, 'shape': (2, 3)",
                           SK_ERR_NPY_FORMAT);                                 /* no braces */
    bad += status_mismatch("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3)",
                           SK_ERR_NPY_FORMAT);                                 /* no '}' */
    bad += status_mismatch("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), } xyz",
                           SK_ERR_NPY_FORMAT);                                 /* garbage */
    bad += status_mismatch("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), }}",
                           SK_ERR_NPY_FORMAT);
    bad += status_mismatch("{'descr': '|i1' 'fortran_order': False 'shape': (2, 3)}",
                           SK_ERR_NPY_FORMAT);                                 /* no commas */
    bad += status_mismatch("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), "
                           "'extra': 1, }", SK_ERR_NPY_FORMAT);                /* extra key */
    bad += status_mismatch("{'descr': '|i1', 'fortran_order': False, 'shape': (6)}",
                           SK_ERR_NPY_FORMAT);                                 /* int, not tuple */
    bad += status_mismatch("{'descr': '|i1, 'fortran_order': False, 'shape': (2, 3), }",
                           SK_ERR_NPY_FORMAT);                                 /* open string */
    bad += status_mismatch("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), "
                           "'descr': '<f4'}", ANY_FAILURE);                    /* duplicate key */
    assert_int_equal(bad, 0);
}

/* A valid header written with double quotes (a legal Python dict literal that
 * numpy.load accepts) is read. */
static void test_npy_double_quoted_header(void **state)
{
    (void)state;
    assert_int_equal(
        status_mismatch("{\"descr\": \"|i1\", \"fortran_order\": False, \"shape\": (2, 3)}",
                        SK_OK), 0);
}

/* Shapes the reader cannot hold must fail cleanly (the code is not pinned down by the
 * header: anything but SK_OK, with a message). */
static void test_unusable_shapes_fail_cleanly(void **state)
{
    (void)state;
    const char *dicts[] = {
        "{'descr': '|i1', 'fortran_order': False, 'shape': (1, 1, 1, 2, 3), }", /* 5-D */
        "{'descr': '<i4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }",
        "{'descr': '|i1', 'fortran_order': False, 'shape': (99999999999999999999999, 1), }",
        "{'descr': '<i4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }",
    };
    for (size_t i = 0; i < sizeof dicts / sizeof dicts[0]; i++) {
        bytes f = npy_image(1, dicts[i], i8_bytes, sizeof i8_bytes);
        sk_tensor t;
        memset(&t, 0, sizeof t);
        sk_error err;
        memset(&err, 0, sizeof err);
        const sk_status st = sk_npy_parse(f.p, f.n, ORIGIN, &t, &err);
        if (st == SK_OK)
            sk_tensor_free(&t);
        assert_int_not_equal(st, SK_OK);
        assert_non_null(strstr(err.msg, ORIGIN));
        free(f.p);
    }
}

static void test_save_value_out_of_dtype(void **state)
{
    (void)state;
    char dir[64];
    snprintf(dir, sizeof dir, "%s", sk_test_tmpdir());
    const struct { sk_dtype dtype; int32_t bad; } cases[] = {
        { SK_DTYPE_INT8, 300 }, { SK_DTYPE_INT8, 128 }, { SK_DTYPE_INT8, -129 },
        { SK_DTYPE_UINT8, 256 }, { SK_DTYPE_UINT8, -1 },
    };
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", sk_test_path(dir, "bad.npy"));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sk_tensor t;
        assert_int_equal(sk_tensor_alloc2(&t, cases[i].dtype, 2, 2), SK_OK);
        t.data[3] = cases[i].bad;
        sk_error err;
        memset(&err, 0, sizeof err);
        assert_int_equal(sk_npy_save(&t, path, &err), SK_ERR_NPY_DTYPE);
        assert_true(err.msg[0] != '\0');
        assert_int_equal(access(path, F_OK), -1);
        assert_int_equal(dir_entries(dir), 0);
        sk_tensor_free(&t);
    }
    remove_dir(dir);
}

static void test_load_missing_file(void **state)
{
    (void)state;
    char dir[64];
    snprintf(dir, sizeof dir, "%s", sk_test_tmpdir());
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", sk_test_path(dir, "absent.npy"));
    sk_tensor t;
    memset(&t, 0, sizeof t);
    sk_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(sk_npy_load(path, &t, &err), SK_ERR_IO);
    assert_non_null(strstr(err.msg, path));
    remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_int8_2d),
        cmocka_unit_test(test_parse_uint8_1d),
        cmocka_unit_test(test_parse_int32_2d_and_1d),
        cmocka_unit_test(test_parse_format_2_and_3),
        cmocka_unit_test(test_parse_3d_4d),
        cmocka_unit_test(test_parse_header_variants),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_truncated_every_prefix),
        cmocka_unit_test(test_truncated_and_trailing_data),
        cmocka_unit_test(test_bad_magic),
        cmocka_unit_test(test_bad_version),
        cmocka_unit_test(test_unsupported_dtypes),
        cmocka_unit_test(test_fortran_order_rejected),
        cmocka_unit_test(test_npy_header_strict_dict),
        cmocka_unit_test(test_npy_double_quoted_header),
        cmocka_unit_test(test_malformed_headers),
        cmocka_unit_test(test_unusable_shapes_fail_cleanly),
        cmocka_unit_test(test_save_value_out_of_dtype),
        cmocka_unit_test(test_load_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
