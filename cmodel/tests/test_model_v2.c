/* test_model_v2.c — .skm version 2 (docs/model-format.md): layer kinds and the
 * geometry part, against the format tables and datapath §10–§14.
 *
 * Files are built by this test's own encoder from a plain description of the records
 * (which kinds carry arrays is the format table's rule, not the library's), or typed
 * in byte by byte from the worked example. Every malformed case changes one field of
 * a valid model and expects its own status and a message naming the layer and field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "shiftkit/shiftkit.h"
#include "sk_test_util.h"

/* Geometry field indices, in file order. */
enum { G_IN_H, G_IN_W, G_IN_C, G_KH, G_KW, G_SH, G_SW, G_PT, G_PL, G_PB, G_PR, G_GROUPS, G_SRC,
       G_RESERVED, G_COUNT };

typedef struct rec {
    uint32_t k, n;
    uint8_t w_bits, out_bits, out_signed, rounding, flags;
    int8_t out_exp;
    uint8_t kind, reserved;
    uint16_t g[G_COUNT];
    int8_t w_exp[8];
    int32_t bias[8];
    int8_t weights[96];
} rec;

typedef struct net {
    uint32_t version, num_layers;
    uint8_t in_bits, in_signed;
    int8_t in_exp;
    rec l[8];
} net;

static void put_pad(bytes *b, size_t n)
{
    for (size_t i = 0; i < (4 - n % 4) % 4; i++)
        put_u8(b, 0);
}

/* The file exactly as the format tables describe it. */
static bytes encode(const net *nt)
{
    bytes p = { 0 };
    put_u32(&p, nt->num_layers);
    put_u8(&p, nt->in_bits);
    put_u8(&p, nt->in_signed);
    put_u8(&p, (uint8_t)nt->in_exp);
    put_u8(&p, 0);
    for (uint32_t i = 0; i < nt->num_layers; i++) {
        const rec *r = &nt->l[i];
        put_u32(&p, r->k);
        put_u32(&p, r->n);
        put_u8(&p, r->w_bits);
        put_u8(&p, r->out_bits);
        put_u8(&p, r->out_signed);
        put_u8(&p, r->rounding);
        put_u8(&p, r->flags);
        put_u8(&p, (uint8_t)r->out_exp);
        put_u8(&p, r->kind);
        put_u8(&p, r->reserved);
        if (nt->version >= 2)
            for (int f = 0; f < G_COUNT; f++)
                put_u16(&p, r->g[f]);
        if (r->kind > 1) /* maxpool, avgpool, add: no arrays */
            continue;
        const size_t e = (r->flags & 4) ? r->n : 1;
        put(&p, r->w_exp, e);
        put_pad(&p, e);
        for (uint32_t j = 0; j < r->n; j++)
            put_u32(&p, (uint32_t)r->bias[j]);
        put(&p, r->weights, (size_t)r->n * r->k);
        put_pad(&p, (size_t)r->n * r->k);
    }
    bytes f = { 0 };
    put(&f, "SKMODEL", 8);
    put_u32(&f, nt->version);
    put_u32(&f, (uint32_t)p.n);
    put_u32(&f, sk_crc32(0, p.p, p.n));
    put_u32(&f, 0);
    put(&f, p.p, p.n);
    free(p.p);
    return f;
}

/* A valid 6-layer model with every kind: 4x4x2 s8 input at -4;
 * conv 3x3 pad 1 -> add (b = input) -> maxpool 2x2/2 -> avgpool 2x2 (global) ->
 * depthwise 1x1 per-channel -> dense raw head. */
static net base_net(void)
{
    net nt = { .version = 2, .num_layers = 6, .in_bits = 8, .in_signed = 1, .in_exp = -4 };
    rec *c = &nt.l[0];
    *c = (rec){ .k = 18, .n = 2, .w_bits = 8, .out_bits = 8, .out_signed = 1, .rounding = 3,
                .out_exp = -4, .kind = 1, .w_exp = { -5 }, .bias = { 7, -9 },
                .g = { 4, 4, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 0, 0 } };
    for (int j = 0; j < 36; j++)
        c->weights[j] = (int8_t)((j * 7) % 11 - 5);
    nt.l[1] = (rec){ .n = 2, .out_bits = 8, .out_signed = 1, .rounding = 1, .flags = 1,
                     .out_exp = -3, .kind = 4, .g = { 4, 4, 2, [G_SRC] = 0xFFFF } };
    nt.l[2] = (rec){ .n = 2, .out_bits = 8, .out_signed = 1, .out_exp = -3, .kind = 2,
                     .g = { 4, 4, 2, 2, 2, 2, 2 } };
    nt.l[3] = (rec){ .n = 2, .out_bits = 6, .out_signed = 0, .rounding = 2, .out_exp = -2,
                     .kind = 3, .g = { 2, 2, 2, 2, 2, 1, 1 } };
    nt.l[4] = (rec){ .k = 1, .n = 2, .w_bits = 4, .out_bits = 8, .out_signed = 1, .flags = 4,
                     .out_exp = -2, .kind = 1, .w_exp = { -1, -2 }, .bias = { 3, -3 },
                     .weights = { 7, -7 }, .g = { 1, 1, 2, 1, 1, 1, 1, 0, 0, 0, 0, 2, 0, 0 } };
    nt.l[5] = (rec){ .k = 2, .n = 3, .w_bits = 8, .out_bits = 8, .out_signed = 1, .flags = 2,
                     .out_exp = 0, .kind = 0, .w_exp = { -1 }, .bias = { 100, -100, 0 },
                     .weights = { 1, 2, 3, -4, -5, 6 } };
    return nt;
}

static void expect(const net *nt, sk_status want, const char *needle1, const char *needle2)
{
    bytes f = encode(nt);
    sk_model m;
    sk_error err = { { 0 } };
    const sk_status got = sk_model_parse(f.p, f.n, "v2.skm", &m, &err);
    if (got == SK_OK)
        sk_model_free(&m);
    if (got != want)
        fail_msg("status %s, want %s: %s", sk_strerror(got), sk_strerror(want), err.msg);
    if (want != SK_OK) {
        if (!strstr(err.msg, "v2.skm") || (needle1 && !strstr(err.msg, needle1)) ||
            (needle2 && !strstr(err.msg, needle2)))
            fail_msg("message '%s' lacks '%s' / '%s'", err.msg, needle1 ? needle1 : "",
                     needle2 ? needle2 : "");
    }
    free(f.p);
}

static void test_base_model_parses_and_round_trips(void **state)
{
    (void)state;
    net nt = base_net();
    bytes f = encode(&nt);
    sk_model m;
    sk_error err = { { 0 } };
    if (sk_model_parse(f.p, f.n, "v2.skm", &m, &err) != SK_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(m.layers[0].kind, SK_LAYER_CONV2D);
    assert_int_equal(m.layers[1].kind, SK_LAYER_ADD);
    assert_int_equal(m.layers[1].geom.src, SK_SRC_INPUT);
    assert_int_equal(m.layers[2].kind, SK_LAYER_MAXPOOL);
    assert_int_equal(m.layers[3].kind, SK_LAYER_AVGPOOL);
    assert_int_equal(m.layers[4].geom.groups, 2);
    assert_int_equal(m.layers[5].kind, SK_LAYER_DENSE);
    /* shifts of §11, §14, §13 */
    assert_int_equal(sk_layer_shift(&m, 0, 0), -4 + 4 + 5);
    assert_int_equal(sk_layer_shift(&m, 1, 0), -3 - (-4));
    assert_int_equal(sk_layer_shift(&m, 3, 0), -2 - (-3) + 2);
    assert_int_equal(sk_layer_shift(&m, 4, 1), -2 + 2 + 2);
    const sk_shape s2 = sk_layer_out_shape(&m, 2), s3 = sk_layer_out_shape(&m, 3);
    assert_true(s2.h == 2 && s2.w == 2 && s2.c == 2);
    assert_true(s3.h == 1 && s3.w == 1 && s3.c == 2);
    uint8_t *data;
    size_t size;
    assert_int_equal(sk_model_serialize(&m, &data, &size, &err), SK_OK);
    assert_int_equal(size, f.n);
    assert_memory_equal(data, f.p, size);
    sk_model_footprint fp;
    sk_model_get_footprint(&m, &fp);
    assert_int_equal(fp.weights, 36 + 2 + 6);
    assert_int_equal(fp.biases, 2 + 2 + 3);
    assert_int_equal(fp.macs, 16 * 2 * 18 + 2 * 1 + 3 * 2);
    assert_int_equal(fp.max_activation, 32);
    assert_int_equal(fp.file_bytes, f.n);
    free(data);
    sk_model_free(&m);
    free(f.p);
}

/* The version-2 worked example of model-format.md, typed in. */
static void test_worked_example_bytes(void **state)
{
    (void)state;
    const uint8_t payload[] = {
        0x02, 0x00, 0x00, 0x00, 0x08, 0x01, 0xF9, 0x00,
        0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x08, 0x01, 0x03, 0x00, 0xFB, 0x01, 0x00,
        0x03, 0x00, 0x03, 0x00, 0x01, 0x00, 0x02, 0x00, 0x02, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xFA, 0x00, 0x00, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x01, 0xFE, 0x03, 0xFC,
        0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0xFB, 0x02, 0x00,
        0x02, 0x00, 0x02, 0x00, 0x01, 0x00, 0x02, 0x00, 0x02, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    };
    assert_int_equal(sizeof payload, 0x6C);
    bytes f = { 0 };
    put(&f, "SKMODEL", 8);
    put_u32(&f, 2);
    put_u32(&f, sizeof payload);
    put_u32(&f, sk_crc32(0, payload, sizeof payload));
    put_u32(&f, 0);
    put(&f, payload, sizeof payload);

    sk_model m;
    assert_int_equal(sk_model_init(&m, 2), SK_OK);
    m.in_exp = -7;
    sk_layer *c = &m.layers[0];
    assert_int_equal(sk_layer_alloc(c, 4, 1, false), SK_OK);
    c->kind = SK_LAYER_CONV2D;
    c->geom = (sk_geometry){ .in_h = 3, .in_w = 3, .in_c = 1, .kernel_h = 2, .kernel_w = 2,
                             .stride_h = 1, .stride_w = 1, .groups = 1 };
    c->w_bits = 8;
    c->out = (sk_qtype){ 8, true };
    c->rounding = SK_ROUND_HALF_EVEN;
    c->out_exp = -5;
    c->w_exp[0] = -6;
    c->bias[0] = 10;
    const int8_t w[4] = { 1, -2, 3, -4 };
    memcpy(c->weights, w, 4);
    sk_layer *p = &m.layers[1];
    p->kind = SK_LAYER_MAXPOOL;
    p->n = 1;
    p->geom = (sk_geometry){ .in_h = 2, .in_w = 2, .in_c = 1, .kernel_h = 2, .kernel_w = 2,
                             .stride_h = 1, .stride_w = 1 };
    p->out = (sk_qtype){ 8, true };
    p->out_exp = -5;
    assert_int_equal(sk_layer_shift(&m, 0, 0), 8);
    uint8_t *data;
    size_t size;
    sk_error err = { { 0 } };
    if (sk_model_serialize(&m, &data, &size, &err) != SK_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(size, f.n);
    assert_memory_equal(data, f.p, size);
    sk_model back;
    assert_int_equal(sk_model_parse(f.p, f.n, "example", &back, &err), SK_OK);
    assert_int_equal(back.layers[1].kind, SK_LAYER_MAXPOOL);
    sk_model_free(&back);
    free(data);
    free(f.p);
    sk_model_free(&m);
}

/* All-dense models are written as version 1; a version-2 file of dense layers loads
 * and is written back as version 1; a version-1 record's byte 14 is reserved. */
static void test_versions(void **state)
{
    (void)state;
    net nt = { .version = 2, .num_layers = 1, .in_bits = 8, .in_signed = 1, .in_exp = -7 };
    nt.l[0] = (rec){ .k = 2, .n = 1, .w_bits = 8, .out_bits = 8, .out_signed = 1, .rounding = 3,
                     .out_exp = -5, .w_exp = { -6 }, .bias = { 10 }, .weights = { 3, -4 } };
    bytes v2 = encode(&nt);
    nt.version = 1;
    bytes v1 = encode(&nt);
    sk_model m;
    sk_error err = { { 0 } };
    assert_int_equal(sk_model_parse(v2.p, v2.n, "v2.skm", &m, &err), SK_OK);
    uint8_t *data;
    size_t size;
    assert_int_equal(sk_model_serialize(&m, &data, &size, &err), SK_OK);
    assert_int_equal(size, v1.n);
    assert_memory_equal(data, v1.p, size);
    free(data);
    sk_model_free(&m);
    nt.l[0].kind = 1; /* in version 1, bytes 14..15 are a reserved u16 */
    expect(&nt, SK_ERR_BAD_FIELD, "layer 0 field reserved", NULL);
    free(v1.p);
    free(v2.p);
}

static void test_bad_kind_and_reserved(void **state)
{
    (void)state;
    net nt = base_net();
    nt.l[2].kind = 5;
    expect(&nt, SK_ERR_BAD_FIELD, "layer 2 field kind", "5 is not a layer kind");
    nt = base_net();
    nt.l[1].reserved = 1;
    expect(&nt, SK_ERR_BAD_FIELD, "layer 1 field reserved", NULL);
    nt = base_net();
    nt.l[3].g[G_RESERVED] = 1;
    expect(&nt, SK_ERR_BAD_FIELD, "layer 3 field geometry reserved", NULL);
}

static void test_bad_geometry_sizes(void **state)
{
    (void)state;
    const struct {
        int layer, field;
        uint16_t value;
        const char *name;
    } zero_or_bad[] = {
        { 0, G_IN_H, 0, "layer 0 field in_h" },       { 0, G_IN_W, 0, "layer 0 field in_w" },
        { 2, G_IN_C, 0, "layer 2 field in_c" },       { 0, G_KH, 0, "layer 0 field kernel_h" },
        { 2, G_KW, 0, "layer 2 field kernel_w" },     { 2, G_SH, 0, "layer 2 field stride_h" },
        { 0, G_SW, 0, "layer 0 field stride_w" },     { 0, G_PT, 3, "layer 0 field pad_top" },
        { 0, G_PL, 3, "layer 0 field pad_left" },     { 0, G_PB, 3, "layer 0 field pad_bottom" },
        { 0, G_PR, 4, "layer 0 field pad_right" },    { 4, G_GROUPS, 3, "layer 4 field groups" },
        { 2, G_IN_H, 5, "layer 2 field in_h/in_w/in_c" },
        { 3, G_KH, 3, "layer 3 field kernel_h/kernel_w" }, /* window larger than the map */
    };
    for (size_t i = 0; i < sizeof zero_or_bad / sizeof zero_or_bad[0]; i++) {
        net nt = base_net();
        nt.l[zero_or_bad[i].layer].g[zero_or_bad[i].field] = zero_or_bad[i].value;
        expect(&nt, SK_ERR_BAD_SHAPE, zero_or_bad[i].name, NULL);
    }
    /* k must follow the geometry: a conv's KH*KW*Cin/G (the arrays follow k) */
    net nt = base_net();
    nt.l[0].k = 17;
    expect(&nt, SK_ERR_BAD_SHAPE, "layer 0 field k", "kernel_h * kernel_w * in_c / groups");
    nt = base_net();
    nt.l[2].k = 4; /* no weights on a maxpool */
    expect(&nt, SK_ERR_BAD_SHAPE, "layer 2 field k", "must be 0");
    nt = base_net();
    nt.l[3].n = 3; /* a pooling layer's n is in_c */
    nt.l[4].g[G_IN_C] = 3;
    expect(&nt, SK_ERR_BAD_SHAPE, "layer 3 field n", NULL);
    nt = base_net(); /* depthwise with n != in_c */
    nt.l[4].n = 3;
    nt.l[4].flags = 0;
    nt.l[5].k = 3;
    expect(&nt, SK_ERR_BAD_SHAPE, "layer 4 field n", "depthwise");
    nt = base_net(); /* dense k against the previous output size */
    nt.l[5].k = 3;
    expect(&nt, SK_ERR_BAD_SHAPE, "layer 5 field k", "output size 2");
    nt = base_net(); /* a 3x3 kernel on an unpadded 1x1 map: empty output */
    nt.l[4] = (rec){ .k = 18, .n = 2, .w_bits = 8, .out_bits = 8, .out_signed = 1, .out_exp = -2,
                     .kind = 1, .w_exp = { -1 }, .g = { 1, 1, 2, 3, 3, 1, 1, 0, 0, 0, 0, 1 } };
    expect(&nt, SK_ERR_BAD_SHAPE, "layer 4", "empty");
    nt = base_net(); /* over 2^24 elements */
    nt.l[0].g[G_IN_H] = 4096;
    nt.l[0].g[G_IN_W] = 4096;
    expect(&nt, SK_ERR_BAD_SHAPE, "layer 0", "elements");
    nt = base_net(); /* avgpool window 2x2 -> 2x1 is fine, 3 is not a power of two */
    nt.l[0].g[G_IN_H] = 6; /* 6x4 map: maxpool gives 3x2, avgpool 3x1 window */
    nt.l[1].g[G_IN_H] = 6;
    nt.l[2].g[G_IN_H] = 6;
    nt.l[3].g[G_IN_H] = 3;
    nt.l[3].g[G_KH] = 3;
    nt.l[3].g[G_KW] = 1;
    expect(&nt, SK_ERR_BAD_SHAPE, "layer 3 field kernel_h/kernel_w", "not a power of two");
}

static void test_fields_a_kind_does_not_use(void **state)
{
    (void)state;
    const struct {
        int layer, field;
        const char *name;
    } unused[] = {
        { 2, G_PL, "layer 2 field pad_left: must be 0 for a maxpool" },
        { 3, G_GROUPS, "layer 3 field groups: must be 0 for a avgpool" },
        { 1, G_KH, "layer 1 field kernel_h: must be 0 for a add" },
        { 0, G_SRC, "layer 0 field src: must be 0 for a conv2d" },
        { 5, G_IN_H, "layer 5 field in_h: must be 0 for a dense" },
    };
    for (size_t i = 0; i < sizeof unused / sizeof unused[0]; i++) {
        net nt = base_net();
        nt.l[unused[i].layer].g[unused[i].field] = 1;
        expect(&nt, SK_ERR_BAD_FIELD, unused[i].name, NULL);
    }
    net nt = base_net();
    nt.l[2].w_bits = 8;
    expect(&nt, SK_ERR_BAD_FIELD, "layer 2 field w_bits", "no weights");
    nt = base_net();
    nt.l[3].flags = 4;
    expect(&nt, SK_ERR_BAD_FIELD, "layer 3 field flags", "per_channel");
    nt = base_net(); /* raw output is for dense and conv2d only */
    nt.num_layers = 4;
    nt.l[3].flags = 2;
    expect(&nt, SK_ERR_BAD_FIELD, "layer 3 field flags", "raw_output");
}

static void test_maxpool_keeps_type(void **state)
{
    (void)state;
    net nt = base_net();
    nt.l[2].out_bits = 7;
    expect(&nt, SK_ERR_BAD_FIELD, "layer 2 field out_bits/out_signed/out_exp", NULL);
    nt = base_net();
    nt.l[2].out_signed = 0;
    expect(&nt, SK_ERR_BAD_FIELD, "layer 2 field out_bits/out_signed/out_exp", NULL);
    nt = base_net();
    nt.l[2].out_exp = -2;
    nt.l[3].out_exp = -1; /* keep the avgpool's shift */
    expect(&nt, SK_ERR_BAD_FIELD, "layer 2 field out_bits/out_signed/out_exp", NULL);
    nt = base_net();
    nt.l[2].rounding = 1;
    expect(&nt, SK_ERR_BAD_FIELD, "layer 2 field rounding", "maxpool");
}

static void test_add_operand_rules(void **state)
{
    (void)state;
    net nt = base_net();
    nt.l[1].g[G_SRC] = 1; /* itself */
    expect(&nt, SK_ERR_BAD_FIELD, "layer 1 field src", "not an earlier layer");
    nt = base_net();
    nt.l[1].g[G_SRC] = 7;
    expect(&nt, SK_ERR_BAD_FIELD, "layer 1 field src", NULL);
    /* operand b of another shape: add after the maxpool reading the 4x4x2 input */
    nt = base_net();
    nt.num_layers = 4;
    nt.l[3] = (rec){ .n = 2, .out_bits = 8, .out_signed = 1, .out_exp = -3, .kind = 4,
                     .g = { 2, 2, 2, [G_SRC] = 0xFFFF } };
    expect(&nt, SK_ERR_BAD_SHAPE, "layer 3 field src", "4x4x2");
    /* exponents 32 apart: alignment beyond 31 */
    nt = base_net();
    nt.l[0].out_exp = 28;
    nt.l[0].w_exp[0] = 27; /* conv shift 28 + 4 - 27 = 5 */
    nt.l[1].out_exp = -3;
    expect(&nt, SK_ERR_ACC_BOUND, "layer 1 field src", "more than 31");
    /* 24 apart: 127 * 2^24 + 127 does not fit int32 */
    nt = base_net();
    nt.l[0].out_exp = 20;
    nt.l[0].w_exp[0] = 19;
    nt.l[1].out_exp = 0;
    nt.l[2].out_exp = 0; /* the maxpool keeps it */
    nt.l[3].out_exp = 1; /* avgpool shift 1 - 0 + 2 = 3 */
    expect(&nt, SK_ERR_ACC_BOUND, "layer 1", "add accumulator range");
    /* shift e_out - min(ea, eb) = 28 - (-4) = 32 */
    nt = base_net();
    nt.l[1].out_exp = 28;
    nt.l[2].out_exp = 28;
    nt.l[3].out_exp = 30;
    expect(&nt, SK_ERR_SHIFT_RANGE, "layer 1 field out_exp", "add shift");
}

static void test_avgpool_shift_range(void **state)
{
    (void)state;
    net nt = base_net();
    nt.l[3].out_exp = 27; /* 27 - (-3) + 2 = 32 */
    nt.l[4].w_exp[0] = 25;
    nt.l[4].w_exp[1] = 25;
    expect(&nt, SK_ERR_SHIFT_RANGE, "layer 3 field out_exp", "avgpool shift");
}

static void test_truncated_geometry(void **state)
{
    (void)state;
    net nt = base_net();
    nt.num_layers = 3;
    bytes f = encode(&nt);
    /* cut the last record inside its geometry part, size and CRC consistent */
    const size_t cut = 10;
    const uint32_t size = (uint32_t)(f.n - SK_MODEL_HEADER_SIZE - cut);
    for (int i = 0; i < 4; i++)
        f.p[12 + i] = (uint8_t)(size >> (8 * i));
    const uint32_t crc = sk_crc32(0, f.p + SK_MODEL_HEADER_SIZE, size);
    for (int i = 0; i < 4; i++)
        f.p[16 + i] = (uint8_t)(crc >> (8 * i));
    sk_model m;
    sk_error err = { { 0 } };
    assert_int_equal(sk_model_parse(f.p, f.n - cut, "v2.skm", &m, &err), SK_ERR_TRUNCATED);
    assert_non_null(strstr(err.msg, "layer 2 field geometry"));
    free(f.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base_model_parses_and_round_trips),
        cmocka_unit_test(test_worked_example_bytes),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_bad_kind_and_reserved),
        cmocka_unit_test(test_bad_geometry_sizes),
        cmocka_unit_test(test_fields_a_kind_does_not_use),
        cmocka_unit_test(test_maxpool_keeps_type),
        cmocka_unit_test(test_add_operand_rules),
        cmocka_unit_test(test_avgpool_shift_range),
        cmocka_unit_test(test_truncated_geometry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
