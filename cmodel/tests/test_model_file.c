/* test_model_file.c — the .skm reader and writer (sk_model_parse/load/serialize/save)
 * against docs/model-format.md and the bounds of docs/datapath.md §3/§4.
 *
 * Expected bytes never come from the code under test: the test has its own encoder
 * (encode_file) written from the format tables, the worked example is typed in byte
 * by byte, and the §3 accumulator bounds are computed here from the spec's formula.
 * The only library routine used to build inputs is sk_crc32, after its known-answer
 * test. Every malformed case is a single fault (the CRC is recomputed after a patch)
 * so that the check named in the spec is the one that must fire, with its own status
 * and a message naming the origin (and the layer, 0-based as in the API). */
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

#include "shiftkit/sk_model.h"
#include "shiftkit/sk_status.h"
#include "sk_test_util.h"

#define ORIGIN "unit-origin.skm"

/* flags bits of a layer record (model-format.md) */
#define F_RELU 0x01u
#define F_RAW 0x02u
#define F_PER_CHANNEL 0x04u

/* ---------------------------------------------------------------- byte buffer */

static void put_zeros(bytes *b, size_t count)
{
    for (size_t i = 0; i < count; i++)
        put_u8(b, 0);
}

static void set_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* ------------------------------------------------- independent .skm encoder */

/* Where the encoder put things, so single bytes can be patched afterwards.
 * Offsets are from the start of the file; SIZE_MAX when the pad is empty. */
typedef struct layout {
    size_t record[80];
    size_t w_exp_pad[80];
    size_t weight_pad[80];
} layout;

/* Recompute payload_crc32 over everything after the header. */
static void fix_crc(uint8_t *file, size_t size)
{
    set_u32(file + 16, sk_crc32(0, file + SK_MODEL_HEADER_SIZE, size - SK_MODEL_HEADER_SIZE));
}

/* Set one byte, then repair the CRC so the check aimed at is the one that fires. */
static void patch_byte(uint8_t *file, size_t size, size_t offset, uint8_t value)
{
    assert_true(offset < size);
    file[offset] = value;
    if (offset >= SK_MODEL_HEADER_SIZE)
        fix_crc(file, size);
}

/* Encode a model exactly as the format tables say, without validating it, with
 * `extra` zero bytes appended to the payload (inside payload_size and the CRC). */
static bytes encode_file_extra(const sk_model *m, layout *lay, size_t extra)
{
    bytes pl = { 0 };
    put_u32(&pl, m->num_layers);
    put_u8(&pl, (unsigned)m->in.bits);
    put_u8(&pl, m->in.is_signed);
    put_u8(&pl, (uint8_t)m->in_exp);
    put_u8(&pl, 0);
    for (uint32_t i = 0; i < m->num_layers; i++) {
        const sk_layer *l = &m->layers[i];
        if (lay)
            lay->record[i] = SK_MODEL_HEADER_SIZE + pl.n;
        put_u32(&pl, l->k);
        put_u32(&pl, l->n);
        put_u8(&pl, (unsigned)l->w_bits);
        put_u8(&pl, (unsigned)l->out.bits);
        put_u8(&pl, l->out.is_signed);
        put_u8(&pl, (unsigned)l->rounding);
        put_u8(&pl, (l->relu ? F_RELU : 0) | (l->raw_output ? F_RAW : 0) |
                        (l->per_channel ? F_PER_CHANNEL : 0));
        put_u8(&pl, (uint8_t)l->out_exp);
        put_u16(&pl, 0);
        const size_t e = l->per_channel ? l->n : 1;
        for (size_t c = 0; c < e; c++)
            put_u8(&pl, (uint8_t)l->w_exp[c]);
        if (lay)
            lay->w_exp_pad[i] = (e % 4) ? SK_MODEL_HEADER_SIZE + pl.n : SIZE_MAX;
        put_zeros(&pl, (4 - e % 4) % 4);
        for (size_t c = 0; c < l->n; c++)
            put_u32(&pl, (uint32_t)l->bias[c]);
        const size_t nw = (size_t)l->n * l->k;
        for (size_t j = 0; j < nw; j++)
            put_u8(&pl, (uint8_t)l->weights[j]);
        if (lay)
            lay->weight_pad[i] = (nw % 4) ? SK_MODEL_HEADER_SIZE + pl.n : SIZE_MAX;
        put_zeros(&pl, (4 - nw % 4) % 4);
    }
    put_zeros(&pl, extra);

    bytes f = { 0 };
    put(&f, "SKMODEL\0", 8);
    put_u32(&f, 1);
    put_u32(&f, (uint32_t)pl.n);
    put_u32(&f, sk_crc32(0, pl.p, pl.n));
    put_u32(&f, 0);
    put(&f, pl.p, pl.n);
    free(pl.p);
    return f;
}

static bytes encode_file(const sk_model *m, layout *lay)
{
    return encode_file_extra(m, lay, 0);
}

/* ------------------------------------------------------------ test models */

static void init_model(sk_model *m, uint32_t num_layers, int in_bits, bool in_signed, int in_exp)
{
    memset(m, 0, sizeof *m);
    assert_int_equal(sk_model_init(m, num_layers), SK_OK);
    m->in.bits = in_bits;
    m->in.is_signed = in_signed;
    m->in_exp = (int8_t)in_exp;
}

static void set_layer(sk_layer *l, uint32_t k, uint32_t n, bool per_channel, int w_bits,
                      int out_bits, bool out_signed, sk_rounding rounding, bool relu, bool raw,
                      int out_exp)
{
    assert_int_equal(sk_layer_alloc(l, k, n, per_channel), SK_OK);
    assert_int_equal(l->k, k);
    assert_int_equal(l->n, n);
    l->w_bits = w_bits;
    l->out.bits = out_bits;
    l->out.is_signed = out_signed;
    l->rounding = rounding;
    l->relu = relu;
    l->raw_output = raw;
    l->per_channel = per_channel;
    l->out_exp = (int8_t)out_exp;
}

/* Replace a per-layer layer's arrays by zeroed ones of size k x n (no validation). */
static void resize_layer(sk_layer *l, uint32_t k, uint32_t n)
{
    assert_false(l->per_channel);
    free(l->bias);
    free(l->weights);
    l->bias = calloc(n, sizeof *l->bias);
    l->weights = calloc((size_t)n * k, 1);
    assert_non_null(l->bias);
    assert_non_null(l->weights);
    l->k = k;
    l->n = n;
}

/* The base model of the mutation tests: three layers, all valid.
 *   in  s8 e=-7
 *   L0  k=3 n=2 per-channel w8  out u4 half_up relu e_out=-3, w_exp {-6,-5}: shifts 10, 9
 *   L1  k=2 n=3 per-layer   w3  out s6 half_even    e_out=-2, w_exp {-4}:    shift 5
 *   L2  k=3 n=1 per-layer   w2  raw (out s8 floor)  e_out=0,  w_exp {-1}:    shift 3 */
static void build_base(sk_model *m)
{
    init_model(m, 3, 8, true, -7);
    sk_layer *l = m->layers;
    set_layer(&l[0], 3, 2, true, 8, 4, false, SK_ROUND_HALF_UP, true, false, -3);
    l[0].w_exp[0] = -6;
    l[0].w_exp[1] = -5;
    l[0].bias[0] = 100;
    l[0].bias[1] = -200;
    const int8_t w0[6] = { 1, -2, 3, 127, -127, 0 };
    memcpy(l[0].weights, w0, sizeof w0);

    set_layer(&l[1], 2, 3, false, 3, 6, true, SK_ROUND_HALF_EVEN, false, false, -2);
    l[1].w_exp[0] = -4;
    l[1].bias[0] = 1;
    l[1].bias[1] = 2;
    l[1].bias[2] = -3;
    const int8_t w1[6] = { 3, -3, 0, 1, -1, 2 };
    memcpy(l[1].weights, w1, sizeof w1);

    set_layer(&l[2], 3, 1, false, 2, 8, true, SK_ROUND_FLOOR, false, true, 0);
    l[2].w_exp[0] = -1;
    l[2].bias[0] = 7;
    const int8_t w2[3] = { 1, -1, 0 };
    memcpy(l[2].weights, w2, sizeof w2);
}

/* ----------------------------------------------------------- assertions */

/* Parse must fail with `want`, a message naming the origin and each non-NULL
 * `must` string, and must leave *model untouched. */
static void expect_fail3(const uint8_t *file, size_t size, sk_status want, const char *must1,
                         const char *must2, const char *must3)
{
    sk_model m, before;
    memset(&m, 0x5A, sizeof m);
    memcpy(&before, &m, sizeof m);
    sk_error err;
    memset(&err, 0, sizeof err);
    const sk_status st = sk_model_parse(file, size, ORIGIN, &m, &err);
    if (st != want)
        print_error("expected status %d (%s), got %d (%s): \"%s\"\n", want, sk_strerror(want), st,
                    sk_strerror(st), err.msg);
    assert_int_equal(st, want);
    assert_true(err.msg[0] != '\0');
    if (!strstr(err.msg, ORIGIN) || (must1 && !strstr(err.msg, must1)) ||
        (must2 && !strstr(err.msg, must2)) || (must3 && !strstr(err.msg, must3)))
        print_error("message \"%s\" lacks one of \"%s\" \"%s\" \"%s\" \"%s\"\n", err.msg,
                    ORIGIN, must1 ? must1 : "", must2 ? must2 : "", must3 ? must3 : "");
    assert_non_null(strstr(err.msg, ORIGIN));
    if (must1)
        assert_non_null(strstr(err.msg, must1));
    if (must2)
        assert_non_null(strstr(err.msg, must2));
    if (must3)
        assert_non_null(strstr(err.msg, must3));
    assert_memory_equal(&m, &before, sizeof m);
}

static void expect_fail(const uint8_t *file, size_t size, sk_status want, const char *must1,
                        const char *must2)
{
    expect_fail3(file, size, want, must1, must2, NULL);
}

static void expect_model_fail3(const sk_model *m, sk_status want, const char *must1,
                               const char *must2, const char *must3)
{
    /* copied to the stack when small, so a failed assertion (a longjmp) leaks nothing */
    static uint8_t image[4096];
    bytes f = encode_file(m, NULL);
    if (f.n <= sizeof image) {
        const size_t size = f.n;
        memcpy(image, f.p, size);
        free(f.p);
        expect_fail3(image, size, want, must1, must2, must3);
    } else {
        expect_fail3(f.p, f.n, want, must1, must2, must3);
        free(f.p);
    }
}

static void expect_model_fail(const sk_model *m, sk_status want, const char *must1,
                              const char *must2)
{
    expect_model_fail3(m, want, must1, must2, NULL);
}

static void expect_parse_ok(const uint8_t *file, size_t size, sk_model *out)
{
    sk_error err;
    memset(&err, 0, sizeof err);
    const sk_status st = sk_model_parse(file, size, ORIGIN, out, &err);
    if (st != SK_OK)
        print_error("unexpected failure %d (%s): \"%s\"\n", st, sk_strerror(st), err.msg);
    assert_int_equal(st, SK_OK);
}

static void expect_model_ok(const sk_model *m)
{
    bytes f = encode_file(m, NULL);
    sk_model got;
    expect_parse_ok(f.p, f.n, &got);
    sk_model_free(&got);
    free(f.p);
}

static void assert_models_equal(const sk_model *a, const sk_model *b)
{
    assert_int_equal(a->in.bits, b->in.bits);
    assert_int_equal(a->in.is_signed, b->in.is_signed);
    assert_int_equal(a->in_exp, b->in_exp);
    assert_int_equal(a->num_layers, b->num_layers);
    for (uint32_t i = 0; i < a->num_layers; i++) {
        const sk_layer *x = &a->layers[i], *y = &b->layers[i];
        assert_int_equal(x->k, y->k);
        assert_int_equal(x->n, y->n);
        assert_int_equal(x->w_bits, y->w_bits);
        assert_int_equal(x->out.bits, y->out.bits);
        assert_int_equal(x->out.is_signed, y->out.is_signed);
        assert_int_equal(x->rounding, y->rounding);
        assert_int_equal(x->relu, y->relu);
        assert_int_equal(x->raw_output, y->raw_output);
        assert_int_equal(x->per_channel, y->per_channel);
        assert_int_equal(x->out_exp, y->out_exp);
        assert_memory_equal(x->w_exp, y->w_exp, x->per_channel ? x->n : 1);
        assert_memory_equal(x->bias, y->bias, sizeof(int32_t) * x->n);
        assert_memory_equal(x->weights, y->weights, (size_t)x->n * x->k);
    }
}

/* ------------------------------------------------------- temp directories */


static bool file_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* ================================================================== tests */

static void test_crc32_known_answers(void **state)
{
    (void)state;
    assert_int_equal(sk_crc32(0, "123456789", 9), 0xCBF43926u);
    assert_int_equal(sk_crc32(0, "", 0), 0u);
    const char *fox = "The quick brown fox jumps over the lazy dog";
    assert_int_equal(sk_crc32(0, fox, strlen(fox)), 0x414FA339u);
    /* continuing from a previous CRC equals the CRC of the concatenation */
    assert_int_equal(sk_crc32(sk_crc32(0, "1234", 4), "56789", 5), 0xCBF43926u);
}

/* The worked example of docs/model-format.md, typed in from the document. */
static const uint8_t worked_payload[36] = {
    0x01, 0x00, 0x00, 0x00, 0x08, 0x01, 0xF9, 0x00,
    0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x08, 0x01, 0x03, 0x00, 0xFB, 0x00, 0x00,
    0xFA, 0x00, 0x00, 0x00,
    0x0A, 0x00, 0x00, 0x00,
    0x03, 0xFC, 0x00, 0x00,
};

static bytes worked_example_file(void)
{
    bytes f = { 0 };
    const uint8_t head[16] = { 0x53, 0x4B, 0x4D, 0x4F, 0x44, 0x45, 0x4C, 0x00,
                               0x01, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0x00 };
    put(&f, head, sizeof head);
    put_u32(&f, sk_crc32(0, worked_payload, sizeof worked_payload));
    put_u32(&f, 0);
    put(&f, worked_payload, sizeof worked_payload);
    assert_int_equal(f.n, 60);
    return f;
}

static void test_worked_example_parse(void **state)
{
    (void)state;
    bytes f = worked_example_file();
    sk_model m;
    expect_parse_ok(f.p, f.n, &m);
    assert_int_equal(m.in.bits, 8);
    assert_true(m.in.is_signed);
    assert_int_equal(m.in_exp, -7);
    assert_int_equal(m.num_layers, 1);
    const sk_layer *l = &m.layers[0];
    assert_int_equal(l->k, 2);
    assert_int_equal(l->n, 1);
    assert_int_equal(l->w_bits, 8);
    assert_int_equal(l->out.bits, 8);
    assert_true(l->out.is_signed);
    assert_int_equal(l->rounding, SK_ROUND_HALF_EVEN);
    assert_false(l->relu);
    assert_false(l->raw_output);
    assert_false(l->per_channel);
    assert_int_equal(l->out_exp, -5);
    assert_int_equal(l->w_exp[0], -6);
    assert_int_equal(l->bias[0], 10);
    assert_int_equal(l->weights[0], 3);
    assert_int_equal(l->weights[1], -4);
    assert_int_equal(sk_layer_shift(&m, 0, 0), 8);
    assert_int_equal(sk_layer_in_exp(&m, 0), -7);
    const sk_qtype t = sk_layer_in_type(&m, 0);
    assert_int_equal(t.bits, 8);
    assert_true(t.is_signed);

    /* §3 bounds by hand: x in -128..127, w = 3 -> [-384, 381]; w = -4 -> [-508, 512] */
    int64_t lo = 0, hi = 0;
    sk_layer_acc_bounds(&m, 0, 0, &lo, &hi);
    assert_int_equal(hi, 10 + 381 + 512);
    assert_int_equal(lo, -384 - 508);

    sk_model_footprint fp;
    sk_model_get_footprint(&m, &fp);
    assert_int_equal(fp.weights, 2);
    assert_int_equal(fp.biases, 1);
    assert_int_equal(fp.max_activation, 2);
    assert_int_equal(fp.macs, 2);
    assert_int_equal(fp.file_bytes, 60);

    /* the writer reproduces the document's bytes */
    uint8_t *out = NULL;
    size_t size = 0;
    sk_error err;
    assert_int_equal(sk_model_serialize(&m, &out, &size, &err), SK_OK);
    assert_int_equal(size, f.n);
    assert_memory_equal(out, f.p, f.n);
    free(out);

    /* and so does this test's own encoder (which the other tests rely on) */
    bytes mine = encode_file(&m, NULL);
    assert_int_equal(mine.n, f.n);
    assert_memory_equal(mine.p, f.p, f.n);
    free(mine.p);
    sk_model_free(&m);
    free(f.p);
}

/* The model of round trip `variant`: five layers whose parameters sweep 2..8 bits,
 * signed/unsigned, all rounding modes, relu, per-channel and per-layer exponents,
 * shifts -16, 0, 1, 7, 31 and full-range weights and int32-extreme biases. */
static void build_sweep_model(sk_model *m, int in_bits, bool in_signed)
{
    const int shifts[5] = { -16, 0, 7, 31, 1 };
    init_model(m, 5, in_bits, in_signed, -(in_bits - 1));
    uint32_t k = 3 + (uint32_t)in_bits % 3;
    for (uint32_t i = 0; i < 5; i++) {
        sk_layer *l = &m->layers[i];
        const bool last = i == 4;
        const uint32_t n = 2 + (i + (uint32_t)in_bits) % 4;
        const bool per_channel = (i + in_signed) % 2;
        const bool raw = last && (in_bits % 2);
        const bool relu = !raw && (i % 2 == 0);
        const int w_bits = 2 + (int)(i + (uint32_t)in_bits) % 7;
        const int out_bits = 2 + (int)(i * 3 + (uint32_t)in_bits) % 7;
        set_layer(l, k, n, per_channel, w_bits, out_bits, (i + in_signed) % 2 == 1,
                  (sk_rounding)((i + (uint32_t)in_bits) % 4), relu, raw, -(int)i - 2);
        const int e_in = sk_layer_in_exp(m, i);
        for (uint32_t c = 0; c < (per_channel ? n : 1); c++) {
            const int w_exp = l->out_exp - e_in - shifts[(c + i) % 5];
            assert_true(w_exp >= -128 && w_exp <= 127);
            l->w_exp[c] = (int8_t)w_exp;
        }
        const int wmax = (1 << (w_bits - 1)) - 1;
        for (uint32_t c = 0; c < n; c++) {
            for (uint32_t j = 0; j < k; j++)
                l->weights[c * k + j] = (int8_t)((int)((j * 7 + c * 3) % (uint32_t)(2 * wmax + 1)) - wmax);
            l->bias[c] = (int32_t)(c * 1000u) * ((c % 2) ? -1 : 1) + (int32_t)i;
        }
        if (i == 1) { /* all-zero rows may carry the extreme biases (§3: bound exactly met) */
            memset(l->weights, 0, (size_t)2 * k);
            l->bias[0] = INT32_MAX;
            l->bias[1] = INT32_MIN;
        }
        k = n;
    }
}

static void test_round_trip_sweep(void **state)
{
    (void)state;
    const char *dir = sk_test_tmpdir();
    char dirname[64];
    snprintf(dirname, sizeof dirname, "%s", dir);
    int models = 0;
    for (int bits = 2; bits <= 8; bits++) {
        for (int sgn = 0; sgn <= 1; sgn++) {
            sk_model m;
            build_sweep_model(&m, bits, sgn);
            char name[32];
            snprintf(name, sizeof name, "m_%d_%d.skm", bits, sgn);
            char path[PATH_MAX];
            snprintf(path, sizeof path, "%s", sk_test_path(dirname, name));

            sk_error err;
            memset(&err, 0, sizeof err);
            sk_status st = sk_model_save(&m, path, &err);
            if (st != SK_OK)
                print_error("save %s: %s\n", name, err.msg);
            assert_int_equal(st, SK_OK);

            sk_model got;
            st = sk_model_load(path, &got, &err);
            if (st != SK_OK)
                print_error("load %s: %s\n", name, err.msg);
            assert_int_equal(st, SK_OK);
            assert_models_equal(&m, &got);

            /* the file is byte-identical to this test's encoding of the spec */
            bytes disk = read_whole(path);
            bytes mine = encode_file(&m, NULL);
            assert_int_equal(disk.n, mine.n);
            assert_memory_equal(disk.p, mine.p, mine.n);
            uint8_t *ser = NULL;
            size_t size = 0;
            assert_int_equal(sk_model_serialize(&m, &ser, &size, &err), SK_OK);
            assert_int_equal(size, mine.n);
            assert_memory_equal(ser, mine.p, mine.n);

            free(ser);
            free(disk.p);
            free(mine.p);
            sk_model_free(&got);
            sk_model_free(&m);
            models++;
        }
    }
    assert_int_equal(models, 14);
    assert_int_equal(dir_entries(dirname), 14); /* no temporary files left behind */
    remove_dir(dirname);
}

static void test_base_model_is_valid(void **state)
{
    (void)state;
    sk_model m;
    build_base(&m);
    bytes f = encode_file(&m, NULL);
    sk_model got;
    expect_parse_ok(f.p, f.n, &got);
    assert_models_equal(&m, &got);
    assert_int_equal(sk_layer_shift(&got, 0, 0), 10);
    assert_int_equal(sk_layer_shift(&got, 0, 1), 9);
    assert_int_equal(sk_layer_shift(&got, 1, 2), 5);
    assert_int_equal(sk_layer_shift(&got, 2, 0), 3);
    const sk_qtype t = sk_layer_in_type(&got, 1);
    assert_int_equal(t.bits, 4);
    assert_false(t.is_signed);
    assert_int_equal(sk_layer_in_exp(&got, 2), -2);
    sk_model_free(&got);
    sk_model_free(&m);
    free(f.p);
}

static void test_truncated_every_prefix(void **state)
{
    (void)state;
    sk_model m;
    build_base(&m);
    bytes f = encode_file(&m, NULL);
    for (size_t len = 0; len < f.n; len++) {
        uint8_t *copy = malloc(len ? len : 1); /* exact-size copy: ASan sees any overread */
        assert_non_null(copy);
        memcpy(copy, f.p, len);
        expect_fail(copy, len, SK_ERR_TRUNCATED, NULL, NULL);
        free(copy);
    }
    sk_model_free(&m);
    free(f.p);
}

static void test_truncated_record_past_payload(void **state)
{
    (void)state;
    sk_model m;
    build_base(&m);
    bytes f = encode_file(&m, NULL);
    /* num_layers 4 but only three records: the fourth runs past the payload */
    patch_byte(f.p, f.n, SK_MODEL_HEADER_SIZE, 4);
    expect_fail(f.p, f.n, SK_ERR_TRUNCATED, NULL, NULL);
    /* payload_size larger than the file */
    bytes g = encode_file(&m, NULL);
    set_u32(g.p + 12, (uint32_t)(g.n - SK_MODEL_HEADER_SIZE + 1));
    expect_fail(g.p, g.n, SK_ERR_TRUNCATED, NULL, NULL);
    free(g.p);
    /* the last layer's weights cut off, payload_size and CRC consistent */
    bytes h = encode_file(&m, NULL);
    h.n -= 4; /* drops L2's 3 weights + pad, leaving a record without its arrays */
    set_u32(h.p + 12, (uint32_t)(h.n - SK_MODEL_HEADER_SIZE));
    fix_crc(h.p, h.n);
    expect_fail(h.p, h.n, SK_ERR_TRUNCATED, "layer 2", NULL);
    free(h.p);
    sk_model_free(&m);
    free(f.p);
}

static void test_bad_magic(void **state)
{
    (void)state;
    sk_model m;
    build_base(&m);
    for (size_t at = 0; at < 8; at++) {
        bytes f = encode_file(&m, NULL);
        f.p[at] ^= 0x20;
        expect_fail(f.p, f.n, SK_ERR_BAD_MAGIC, NULL, NULL);
        free(f.p);
    }
    sk_model_free(&m);
}

static void test_bad_version(void **state)
{
    (void)state;
    sk_model m;
    build_base(&m);
    const uint32_t versions[3] = { 0, 3, 0x01000001u }; /* this build reads 1 and 2 */
    for (int i = 0; i < 3; i++) {
        bytes f = encode_file(&m, NULL);
        set_u32(f.p + 8, versions[i]);
        expect_fail(f.p, f.n, SK_ERR_BAD_VERSION, NULL, NULL);
        free(f.p);
    }
    sk_model_free(&m);
}

static void test_bad_crc(void **state)
{
    (void)state;
    sk_model m;
    build_base(&m);
    bytes f = encode_file(&m, NULL);
    for (size_t at = SK_MODEL_HEADER_SIZE; at < f.n; at += 7) { /* flip a payload byte */
        f.p[at] ^= 0x01;
        expect_fail(f.p, f.n, SK_ERR_BAD_CRC, NULL, NULL);
        f.p[at] ^= 0x01;
    }
    f.p[19] ^= 0x80; /* flip a bit of the stored CRC itself */
    expect_fail(f.p, f.n, SK_ERR_BAD_CRC, NULL, NULL);
    sk_model_free(&m);
    free(f.p);
}

static void test_trailing_after_declared_payload(void **state)
{
    (void)state;
    sk_model m;
    build_base(&m);
    bytes f = encode_file(&m, NULL);
    put_u8(&f, 0); /* one byte past 24 + payload_size */
    expect_fail(f.p, f.n, SK_ERR_TRAILING, NULL, NULL);
    free(f.p);
    /* payload_size shortened by 4 with the CRC over the shorter payload */
    bytes g = encode_file(&m, NULL);
    const uint32_t short_size = (uint32_t)(g.n - SK_MODEL_HEADER_SIZE - 4);
    set_u32(g.p + 12, short_size);
    set_u32(g.p + 16, sk_crc32(0, g.p + SK_MODEL_HEADER_SIZE, short_size));
    expect_fail(g.p, g.n, SK_ERR_TRAILING, NULL, NULL);
    free(g.p);
    sk_model_free(&m);
}

static void test_trailing_after_last_record(void **state)
{
    (void)state;
    sk_model m;
    build_base(&m);
    for (size_t extra = 1; extra <= 8; extra += 3) { /* 1, 4, 7 bytes, size and CRC correct */
        bytes f = encode_file_extra(&m, NULL, extra);
        expect_fail(f.p, f.n, SK_ERR_TRAILING, NULL, NULL);
        free(f.p);
    }
    sk_model_free(&m);
}

/* model-format.md checks in a stated order and stops at the first failure: with two
 * header-level faults the earlier check in the table decides the status. */
static void test_check_order_header(void **state)
{
    (void)state;
    sk_model m;
    build_base(&m);
    bytes f = encode_file(&m, NULL);
    const size_t n = f.n;
    uint8_t *g = malloc(n + 1);
    assert_non_null(g);

    memcpy(g, f.p, n); /* magic and version */
    g[0] = 'X';
    set_u32(g + 8, 7);
    expect_fail(g, n, SK_ERR_BAD_MAGIC, NULL, NULL);

    memcpy(g, f.p, n); /* version and CRC */
    set_u32(g + 8, 3);
    g[n - 1] ^= 0xFF;
    expect_fail(g, n, SK_ERR_BAD_VERSION, NULL, NULL);

    free(g);
    free(f.p);
    sk_model_free(&m);
}

/* The status of parsing an image; any model parsed is freed. */
static sk_status parse_status(const uint8_t *file, size_t size)
{
    sk_model m;
    sk_error err;
    const sk_status st = sk_model_parse(file, size, ORIGIN, &m, &err);
    if (st == SK_OK)
        sk_model_free(&m);
    return st;
}

/* docs/model-format.md "Validation on load": the magic is checked first (1), the
 * payload size against the file (4) before the CRC (6). */
static void test_check_order_size_checks(void **state)
{
    (void)state;
    static uint8_t image[4096]; /* nothing on the heap when an assertion fails */
    sk_model m;
    build_base(&m);
    bytes f = encode_file(&m, NULL);
    const size_t n = f.n;
    assert_true(n + 1 <= sizeof image);

    memcpy(image, f.p, n);
    image[n - 1] ^= 0xFF; /* a payload byte: the CRC no longer matches */
    image[n] = 0;         /* one byte past 24 + payload_size */
    const sk_status a = parse_status(image, n + 1);

    memcpy(image, f.p, n);
    image[1] = 'X';
    set_u32(image + 12, (uint32_t)n); /* 24 + n > n */
    const sk_status b = parse_status(image, n);

    free(f.p);
    sk_model_free(&m);
    assert_int_equal(a, SK_ERR_TRAILING);
    assert_int_equal(b, SK_ERR_BAD_MAGIC);
}

/* num_layers 0 (just the network header) and 65 (65 real, valid 1x1 records). */
static void test_num_layers_range(void **state)
{
    (void)state;
    sk_model zero;
    memset(&zero, 0, sizeof zero);
    zero.in.bits = 8;
    zero.in.is_signed = true;
    bytes f = encode_file(&zero, NULL);
    assert_int_equal(f.n, SK_MODEL_HEADER_SIZE + 8);
    expect_fail(f.p, f.n, SK_ERR_BAD_SHAPE, "num_layers", NULL);
    free(f.p);

    for (uint32_t count = 64; count <= 65; count++) {
        /* built by hand: sk_model_init may rightly refuse 65 layers */
        sk_layer *layers = calloc(count, sizeof *layers);
        int8_t one_exp = -1, one_weight = 1;
        int32_t one_bias = 0;
        assert_non_null(layers);
        for (uint32_t i = 0; i < count; i++) {
            layers[i].k = layers[i].n = 1;
            layers[i].w_bits = 2;
            layers[i].out.bits = 8;
            layers[i].out.is_signed = true;
            layers[i].out_exp = 0; /* shift 0 - 0 - (-1) = 1 */
            layers[i].w_exp = &one_exp;
            layers[i].bias = &one_bias;
            layers[i].weights = &one_weight;
        }
        sk_model m = { .in = { 8, true }, .in_exp = 0, .num_layers = count, .layers = layers };
        if (count == 64)
            expect_model_ok(&m);
        else
            expect_model_fail(&m, SK_ERR_BAD_SHAPE, "num_layers", NULL);
        free(layers);
    }
}

static void test_shape_k_n(void **state)
{
    (void)state;
    sk_model m;
    /* k = 0 on the first layer */
    init_model(&m, 1, 8, true, 0);
    set_layer(&m.layers[0], 1, 1, false, 8, 8, true, SK_ROUND_FLOOR, false, false, 0);
    m.layers[0].k = 0;
    expect_model_fail(&m, SK_ERR_BAD_SHAPE, "layer 0", "k");
    /* n = 0 */
    m.layers[0].k = 1;
    m.layers[0].n = 0;
    expect_model_fail(&m, SK_ERR_BAD_SHAPE, "layer 0", "n");
    m.layers[0].n = 1;
    sk_model_free(&m);

    /* k of layer 1 (3) does not match layer 0's n (2); arrays sized consistently */
    sk_model b;
    build_base(&b);
    sk_layer *l1 = &b.layers[1];
    free(l1->weights);
    l1->weights = calloc(9, 1);
    assert_non_null(l1->weights);
    l1->k = 3;
    expect_model_fail(&b, SK_ERR_BAD_SHAPE, "layer 1", "k");
    sk_model_free(&b);

    /* k = 65535 accepted, 65536 rejected (n = 1, zero weights) */
    for (uint32_t k = 65535; k <= 65536; k++) {
        sk_model w;
        init_model(&w, 1, 8, true, 0);
        set_layer(&w.layers[0], 1, 1, false, 8, 8, true, SK_ROUND_FLOOR, false, false, 0);
        resize_layer(&w.layers[0], k, 1); /* sk_layer_alloc may rightly refuse 65536 */
        if (k == 65535)
            expect_model_ok(&w);
        else
            expect_model_fail(&w, SK_ERR_BAD_SHAPE, "layer 0", "k");
        sk_model_free(&w);
    }
    /* n = 65536 rejected (k = 1) */
    sk_model wide;
    init_model(&wide, 1, 8, true, 0);
    set_layer(&wide.layers[0], 1, 1, false, 8, 8, true, SK_ROUND_FLOOR, false, false, 0);
    resize_layer(&wide.layers[0], 1, 65536);
    expect_model_fail(&wide, SK_ERR_BAD_SHAPE, "layer 0", "n");
    sk_model_free(&wide);
}

static void test_bits_range(void **state)
{
    (void)state;
    sk_model m;
    build_base(&m);
    sk_layer *l = m.layers;

    l[1].w_bits = 1; /* L1 weights include +-3: use zeros so only the width is wrong */
    int8_t saved[6];
    memcpy(saved, l[1].weights, 6);
    memset(l[1].weights, 0, 6);
    expect_model_fail(&m, SK_ERR_BITS_RANGE, "layer 1", "w_bits");
    memcpy(l[1].weights, saved, 6);
    l[1].w_bits = 9;
    expect_model_fail(&m, SK_ERR_BITS_RANGE, "layer 1", "w_bits");
    l[1].w_bits = 3;

    l[0].out.bits = 9;
    expect_model_fail(&m, SK_ERR_BITS_RANGE, "layer 0", "out_bits");
    l[0].out.bits = 1;
    expect_model_fail(&m, SK_ERR_BITS_RANGE, "layer 0", "out_bits");
    l[0].out.bits = 4;
    /* a raw layer's out_bits is ignored but still checked */
    l[2].out.bits = 9;
    expect_model_fail(&m, SK_ERR_BITS_RANGE, "layer 2", "out_bits");
    l[2].out.bits = 8;

    m.in.bits = 1;
    expect_model_fail(&m, SK_ERR_BITS_RANGE, "in_bits", NULL);
    m.in.bits = 9;
    expect_model_fail(&m, SK_ERR_BITS_RANGE, "in_bits", NULL);
    m.in.bits = 8;
    expect_model_ok(&m);
    sk_model_free(&m);
}

static void test_weight_range(void **state)
{
    (void)state;
    sk_model m;
    build_base(&m);
    m.layers[0].weights[4] = -128; /* w_bits 8: narrow range -127..127; W[1][1] */
    expect_model_fail3(&m, SK_ERR_WEIGHT_RANGE, "layer 0", "weights", "-128");
    m.layers[0].weights[4] = -127;
    expect_model_ok(&m);

    m.layers[2].weights[1] = 2; /* w_bits 2: -1..1 */
    expect_model_fail(&m, SK_ERR_WEIGHT_RANGE, "layer 2", NULL);
    m.layers[2].weights[1] = -2;
    expect_model_fail(&m, SK_ERR_WEIGHT_RANGE, "layer 2", NULL);
    m.layers[2].weights[1] = -1;

    m.layers[1].weights[5] = 4; /* w_bits 3: -3..3 */
    expect_model_fail(&m, SK_ERR_WEIGHT_RANGE, "layer 1", NULL);
    m.layers[1].weights[5] = -4;
    expect_model_fail(&m, SK_ERR_WEIGHT_RANGE, "layer 1", NULL);
    m.layers[1].weights[5] = 2;
    expect_model_ok(&m);
    sk_model_free(&m);
}

static void test_shift_range(void **state)
{
    (void)state;
    sk_model m;
    build_base(&m);
    /* L1: e_in = -3 (L0's e_out), e_out = -2, so shift = 1 - w_exp */
    struct { int w_exp; int shift; bool ok; } cases[] = {
        { -30, 31, true }, { -31, 32, false }, { 17, -16, true }, { 18, -17, false },
        { -126, 127, false }, { 127, -126, false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        m.layers[1].w_exp[0] = (int8_t)cases[i].w_exp;
        assert_int_equal(1 - cases[i].w_exp, cases[i].shift);
        if (cases[i].ok)
            expect_model_ok(&m);
        else
            expect_model_fail(&m, SK_ERR_SHIFT_RANGE, "layer 1", NULL);
    }
    m.layers[1].w_exp[0] = -4;

    /* per-channel L0: e_in = -7, e_out = -3, shift = 4 - w_exp; channel 1 bad */
    m.layers[0].w_exp[1] = -28; /* 32 */
    expect_model_fail3(&m, SK_ERR_SHIFT_RANGE, "layer 0", "[1]", "32");
    m.layers[0].w_exp[1] = -27; /* 31 */
    m.layers[0].w_exp[0] = 20;  /* -16 */
    expect_model_ok(&m);
    m.layers[0].w_exp[0] = 21;  /* -17 */
    expect_model_fail3(&m, SK_ERR_SHIFT_RANGE, "layer 0", "[0]", "-17");
    m.layers[0].w_exp[0] = -6;
    m.layers[0].w_exp[1] = -5;

    /* the rule still holds for the raw last layer: e_in -2, e_out 0, shift 2 - w_exp */
    m.layers[2].w_exp[0] = -30; /* 32 */
    expect_model_fail(&m, SK_ERR_SHIFT_RANGE, "layer 2", NULL);
    m.layers[2].w_exp[0] = 19;  /* -17 */
    expect_model_fail(&m, SK_ERR_SHIFT_RANGE, "layer 2", NULL);
    m.layers[2].w_exp[0] = 18;  /* -16 */
    expect_model_ok(&m);
    sk_model_free(&m);
}

/* datapath §3, computed here from the formula: returns B_lo and B_hi of a row. */
static void spec_bounds(int64_t xmin, int64_t xmax, const int8_t *w, uint32_t k, int32_t b,
                        int64_t *lo, int64_t *hi)
{
    int64_t h = b > 0 ? b : 0, l = b < 0 ? b : 0;
    for (uint32_t j = 0; j < k; j++) {
        const int64_t p = w[j] * xmin, q = w[j] * xmax;
        h += p > q ? p : q;
        l += p < q ? p : q;
    }
    *lo = l;
    *hi = h;
}

/* One accumulator-bound case: layer `layer` row `row` of a two-layer model whose
 * layer-`layer` input has the given type. The bias is set so that B_hi (or B_lo) is
 * exactly INT32_MAX (INT32_MIN): accepted; one more (less): rejected. */
static void acc_bound_case(int in_bits, bool in_signed, uint32_t layer, bool upper)
{
    const int8_t row[4] = { 127, -127, 5, -1 }; /* asymmetric: xmin and xmax both matter */
    sk_model m;
    init_model(&m, 2, 8, true, 0);
    /* L0 out type is L1's input type */
    set_layer(&m.layers[0], 4, 2, false, 8, layer == 1 ? in_bits : 8,
              layer == 1 ? in_signed : true, SK_ROUND_HALF_AWAY, false, false, 0);
    set_layer(&m.layers[1], 2, 2, true, 8, 8, true, SK_ROUND_HALF_UP, false, false, 0);
    m.layers[0].w_exp[0] = -4;
    m.layers[1].w_exp[0] = m.layers[1].w_exp[1] = -4;
    if (layer == 0) {
        m.in.bits = in_bits;
        m.in.is_signed = in_signed;
    }
    sk_layer *l = &m.layers[layer];
    const uint32_t k = l->k;
    const uint32_t ch = 1; /* the bound is on channel 1; channel 0 stays small */
    memcpy(&l->weights[ch * k], row, k);
    l->weights[0] = 1;

    const int64_t xmax = in_signed ? (1 << (in_bits - 1)) - 1 : (1 << in_bits) - 1;
    const int64_t xmin = in_signed ? -(1 << (in_bits - 1)) : 0;
    int64_t lo0, hi0;
    spec_bounds(xmin, xmax, &l->weights[ch * k], k, 0, &lo0, &hi0);
    /* with b >= 0: B_hi = b + hi0; with b <= 0: B_lo = b + lo0 */
    const int64_t exact = upper ? (int64_t)INT32_MAX - hi0 : (int64_t)INT32_MIN - lo0;
    const int64_t past = upper ? exact + 1 : exact - 1;
    assert_true(exact >= INT32_MIN && exact <= INT32_MAX && past >= INT32_MIN && past <= INT32_MAX);

    l->bias[ch] = (int32_t)exact;
    int64_t blo, bhi;
    spec_bounds(xmin, xmax, &l->weights[ch * k], k, l->bias[ch], &blo, &bhi);
    assert_true(upper ? bhi == INT32_MAX : blo == INT32_MIN);
    int64_t got_lo = 0, got_hi = 0;
    sk_layer_acc_bounds(&m, layer, ch, &got_lo, &got_hi);
    assert_int_equal(got_lo, blo);
    assert_int_equal(got_hi, bhi);
    expect_model_ok(&m);

    l->bias[ch] = (int32_t)past;
    /* the message names layer, channel and the bound that no longer fits */
    char where[16], bound[24];
    snprintf(where, sizeof where, "layer %u", layer);
    snprintf(bound, sizeof bound, "%lld", upper ? (long long)INT32_MAX + 1 : (long long)INT32_MIN - 1);
    expect_model_fail3(&m, SK_ERR_ACC_BOUND, where, "channel 1", bound);
    sk_model_free(&m);
}

static void test_acc_bound_edges(void **state)
{
    (void)state;
    const struct { int bits; bool is_signed; } types[] = {
        { 8, true }, { 8, false }, { 2, true }, { 2, false }, { 5, true }, { 3, false },
    };
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++)
        for (uint32_t layer = 0; layer <= 1; layer++)
            for (int upper = 0; upper <= 1; upper++)
                acc_bound_case(types[t].bits, types[t].is_signed, layer, upper);
}

/* Fields outside the typed struct, patched as bytes (CRC repaired). */
static void test_bad_fields_patched(void **state)
{
    (void)state;
    sk_model m;
    build_base(&m);
    layout lay;
    bytes good = encode_file(&m, &lay);
    struct { size_t off; uint8_t value; const char *must; } cases[] = {
        { 20, 1, NULL },                          /* header reserved */
        { 23, 0x80, NULL },                       /* header reserved, top byte */
        { SK_MODEL_HEADER_SIZE + 5, 2, "in_signed" },
        { SK_MODEL_HEADER_SIZE + 7, 1, NULL },    /* network header reserved */
        { lay.record[1] + 10, 2, "layer 1" },     /* out_signed 2 */
        { lay.record[1] + 10, 0xFF, "layer 1" },
        { lay.record[1] + 11, 4, "layer 1" },     /* rounding 4 */
        { lay.record[1] + 11, 0xFF, "layer 1" },
        { lay.record[1] + 12, 0x08, "layer 1" },  /* undefined flag bits */
        { lay.record[1] + 12, 0x80, "layer 1" },
        { lay.record[0] + 12, F_RELU | F_PER_CHANNEL | 0x10, "layer 0" },
        { lay.record[1] + 14, 1, "layer 1" },     /* record reserved u16 */
        { lay.record[1] + 15, 1, "layer 1" },
        { lay.record[2] + 10, 2, "layer 2" },     /* raw layer's out_signed still checked */
        { lay.w_exp_pad[0], 1, "layer 0" },       /* pad after w_exp (n=2: 2 bytes) */
        { lay.w_exp_pad[0] + 1, 1, "layer 0" },
        { lay.w_exp_pad[1] + 2, 0x40, "layer 1" },/* 3 pad bytes after 1 exponent */
        { lay.weight_pad[1] + 1, 1, "layer 1" },  /* pad after 6 weights */
        { lay.weight_pad[2], 1, "layer 2" },      /* pad after 3 weights */
        /* raw_output on a non-last layer; raw_output with relu */
        { lay.record[1] + 12, F_RAW, "layer 1" },
        { lay.record[2] + 12, F_RAW | F_RELU, "layer 2" },
    };
    assert_true(lay.w_exp_pad[0] != SIZE_MAX && lay.w_exp_pad[1] != SIZE_MAX);
    assert_true(lay.weight_pad[1] != SIZE_MAX && lay.weight_pad[2] != SIZE_MAX);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t *f = malloc(good.n);
        assert_non_null(f);
        memcpy(f, good.p, good.n);
        assert_true(f[cases[i].off] != cases[i].value);
        patch_byte(f, good.n, cases[i].off, cases[i].value);
        expect_fail(f, good.n, SK_ERR_BAD_FIELD, cases[i].must, NULL);
        free(f);
    }
    free(good.p);
    sk_model_free(&m);
}

/* The same two flag rules expressed through the in-memory struct. */
static void test_raw_output_rules(void **state)
{
    (void)state;
    sk_model m;
    build_base(&m);
    m.layers[0].raw_output = true; /* not the last layer */
    expect_model_fail(&m, SK_ERR_BAD_FIELD, "layer 0", NULL);
    m.layers[0].raw_output = false;
    m.layers[2].relu = true; /* raw with relu */
    expect_model_fail(&m, SK_ERR_BAD_FIELD, "layer 2", NULL);
    m.layers[2].relu = false;
    m.layers[2].rounding = (sk_rounding)4;
    expect_model_fail(&m, SK_ERR_BAD_FIELD, "layer 2", "rounding");
    m.layers[2].rounding = SK_ROUND_FLOOR;
    expect_model_ok(&m);
    sk_model_free(&m);
}

static void test_save_invalid_leaves_nothing(void **state)
{
    (void)state;
    char dir[64];
    snprintf(dir, sizeof dir, "%s", sk_test_tmpdir());
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", sk_test_path(dir, "bad.skm"));

    sk_model m;
    build_base(&m);
    m.layers[1].w_bits = 9;
    sk_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(sk_model_save(&m, path, &err), SK_ERR_BITS_RANGE);
    assert_true(err.msg[0] != '\0');
    assert_false(file_exists(path));
    assert_int_equal(dir_entries(dir), 0);

    /* an invalid save over an existing file leaves the old file as it was */
    m.layers[1].w_bits = 3;
    assert_int_equal(sk_model_save(&m, path, &err), SK_OK);
    bytes before = read_whole(path);
    m.layers[0].weights[0] = -128;
    assert_int_equal(sk_model_save(&m, path, &err), SK_ERR_WEIGHT_RANGE);
    bytes after = read_whole(path);
    assert_int_equal(before.n, after.n);
    assert_memory_equal(before.p, after.p, before.n);
    assert_int_equal(dir_entries(dir), 1);
    free(before.p);
    free(after.p);

    /* serialize refuses an invalid model too */
    uint8_t *data = NULL;
    size_t size = 0;
    assert_int_equal(sk_model_serialize(&m, &data, &size, &err), SK_ERR_WEIGHT_RANGE);

    /* a destination in a directory that does not exist: SK_ERR_IO naming the path */
    m.layers[0].weights[0] = 1;
    char missing[PATH_MAX];
    snprintf(missing, sizeof missing, "%s/no-such-dir/x.skm", dir);
    memset(&err, 0, sizeof err);
    assert_int_equal(sk_model_save(&m, missing, &err), SK_ERR_IO);
    assert_non_null(strstr(err.msg, missing));
    sk_model_free(&m);
    remove_dir(dir);
}

static void test_load_missing_file(void **state)
{
    (void)state;
    char dir[64];
    snprintf(dir, sizeof dir, "%s", sk_test_tmpdir());
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", sk_test_path(dir, "absent.skm"));
    sk_model m;
    memset(&m, 0, sizeof m);
    sk_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(sk_model_load(path, &m, &err), SK_ERR_IO);
    assert_non_null(strstr(err.msg, path));
    remove_dir(dir);
}

/* A load error names the path (the origin) too. */
static void test_load_error_names_path(void **state)
{
    (void)state;
    char dir[64];
    snprintf(dir, sizeof dir, "%s", sk_test_tmpdir());
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", sk_test_path(dir, "crc.skm"));
    sk_model m;
    build_base(&m);
    bytes f = encode_file(&m, NULL);
    f.p[f.n - 5] ^= 1;
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(f.p, 1, f.n, fp), f.n);
    fclose(fp);
    sk_model got;
    sk_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(sk_model_load(path, &got, &err), SK_ERR_BAD_CRC);
    assert_non_null(strstr(err.msg, path));
    free(f.p);
    sk_model_free(&m);
    remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32_known_answers),
        cmocka_unit_test(test_worked_example_parse),
        cmocka_unit_test(test_base_model_is_valid),
        cmocka_unit_test(test_round_trip_sweep),
        cmocka_unit_test(test_truncated_every_prefix),
        cmocka_unit_test(test_truncated_record_past_payload),
        cmocka_unit_test(test_bad_magic),
        cmocka_unit_test(test_bad_version),
        cmocka_unit_test(test_bad_crc),
        cmocka_unit_test(test_trailing_after_declared_payload),
        cmocka_unit_test(test_trailing_after_last_record),
        cmocka_unit_test(test_check_order_header),
        cmocka_unit_test(test_check_order_size_checks),
        cmocka_unit_test(test_num_layers_range),
        cmocka_unit_test(test_shape_k_n),
        cmocka_unit_test(test_bits_range),
        cmocka_unit_test(test_weight_range),
        cmocka_unit_test(test_shift_range),
        cmocka_unit_test(test_acc_bound_edges),
        cmocka_unit_test(test_bad_fields_patched),
        cmocka_unit_test(test_raw_output_rules),
        cmocka_unit_test(test_save_invalid_leaves_nothing),
        cmocka_unit_test(test_load_missing_file),
        cmocka_unit_test(test_load_error_names_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
