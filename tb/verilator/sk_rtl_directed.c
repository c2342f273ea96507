/* sk_rtl_directed.c — build/bin/sk-rtl-directed: write the directed RTL test cases.
 *
 *   sk-rtl-directed -o DIR
 *
 * Each case is DIR/<name>/{model.skm,input.npy,expected.npy}, built with the golden
 * library (sk_model_init, sk_layer_alloc, sk_model_validate) and with expected outputs
 * from sk_infer, so that sk-rtl-regress runs them like `shiftkit gen` cases. They aim
 * at the corners random cases reach only by luck: every rounding mode on positive and
 * negative ties (the worked examples of docs/datapath.md §5), saturation both ways,
 * shifts -16 and 31 per layer and per channel, 2-bit types, ReLU, narrow unsigned
 * outputs, N not a multiple of LANES, K = 1, N = 1, raw accumulator output, a deep
 * chain and a wide K. The CNN cases (EXT layers, docs/regmap.md) reach what
 * `shiftkit gen --cnn` (at most 6 channels, 11x11 maps) does not: convs of several
 * groups per pixel with a partial last group and a raw head, a 28x28x16 map in one
 * activation buffer, a wide depthwise conv with global pooling, and a residual add of
 * the unsigned network input aligned by 7 bits. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "shiftkit/shiftkit.h"

static const char *g_out_dir;
static int g_written;

static void die(const char *what, sk_status st, const sk_error *err)
{
    fprintf(stderr, "sk-rtl-directed: %s: %s (%s)\n", what, err ? err->msg : "",
            sk_strerror(st));
    exit(1);
}

/* xorshift: deterministic weights and inputs, the same on every machine */
static uint32_t g_rng = 0x12345678u;
static uint32_t rnd(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 17;
    g_rng ^= g_rng << 5;
    return g_rng;
}
static int32_t rnd_range(int32_t lo, int32_t hi)
{
    return lo + (int32_t)(rnd() % (uint32_t)(hi - lo + 1));
}

typedef struct layer_spec {
    uint32_t k, n;
    int w_bits;
    int out_bits;
    bool out_signed, relu, raw, per_channel;
    sk_rounding mode;
    int shift;           /* per-layer shift, or the default per-channel one */
    int32_t bias_range;  /* random biases in -bias_range..bias_range */
} layer_spec;

/* Exponents: every e_out is 0, the input exponent 0, so shift s means w_exp = -s. */
static void build_layer(sk_model *m, uint32_t i, const layer_spec *s)
{
    sk_layer *l = &m->layers[i];
    if (sk_layer_alloc(l, s->k, s->n, s->per_channel) != SK_OK)
        die("sk_layer_alloc", SK_ERR_NOMEM, NULL);
    l->w_bits = s->w_bits;
    l->out.bits = s->out_bits;
    l->out.is_signed = s->out_signed;
    l->rounding = s->mode;
    l->relu = s->relu;
    l->raw_output = s->raw;
    l->per_channel = s->per_channel;
    l->out_exp = 0;
    uint32_t e = s->per_channel ? s->n : 1;
    for (uint32_t c = 0; c < e; c++)
        l->w_exp[c] = (int8_t)-s->shift;
    int32_t wmax = sk_weight_max(s->w_bits);
    for (size_t j = 0; j < (size_t)s->k * s->n; j++)
        l->weights[j] = (int8_t)rnd_range(-wmax, wmax);
    for (uint32_t c = 0; c < s->n; c++)
        l->bias[c] = s->bias_range ? rnd_range(-s->bias_range, s->bias_range) : 0;
}

static void new_model(sk_model *m, uint32_t layers, int in_bits, bool in_signed)
{
    if (sk_model_init(m, layers) != SK_OK)
        die("sk_model_init", SK_ERR_NOMEM, NULL);
    m->in.bits = in_bits;
    m->in.is_signed = in_signed;
    m->in_exp = 0;
}

/* Input batch: the type's extremes and zero first, then random values. */
static void make_input(const sk_model *m, size_t batch, sk_tensor *in)
{
    sk_dtype dt = m->in.is_signed ? SK_DTYPE_INT8 : SK_DTYPE_UINT8;
    uint32_t k = (uint32_t)sk_shape_size(sk_model_in_shape(m)); /* dense: K; else H*W*C */
    if (sk_tensor_alloc2(in, dt, batch, k) != SK_OK)
        die("sk_tensor_alloc2", SK_ERR_NOMEM, NULL);
    int32_t lo = sk_qtype_min(m->in), hi = sk_qtype_max(m->in);
    for (size_t b = 0; b < batch; b++)
        for (uint32_t j = 0; j < k; j++)
            in->data[b * k + j] = b == 0 ? 0 : b == 1 ? hi : b == 2 ? lo : rnd_range(lo, hi);
}

static void write_case(const char *name, sk_model *m, sk_tensor *in)
{
    sk_error err = {{0}};
    sk_status st = sk_model_validate(m, name, &err);
    if (st != SK_OK)
        die(name, st, &err);
    sk_tensor out = {0};
    st = sk_infer(m, in, name, &out, NULL, &err);
    if (st != SK_OK)
        die(name, st, &err);
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s/%s", g_out_dir, name);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "sk-rtl-directed: %s: %s\n", dir, strerror(errno));
        exit(1);
    }
    snprintf(path, sizeof path, "%s/model.skm", dir);
    if ((st = sk_model_save(m, path, &err)) != SK_OK)
        die(path, st, &err);
    snprintf(path, sizeof path, "%s/input.npy", dir);
    if ((st = sk_npy_save(in, path, &err)) != SK_OK)
        die(path, st, &err);
    snprintf(path, sizeof path, "%s/expected.npy", dir);
    if ((st = sk_npy_save(&out, path, &err)) != SK_OK)
        die(path, st, &err);
    sk_tensor_free(&out);
    sk_tensor_free(in);
    sk_model_free(m);
    g_written++;
}

/* docs/datapath.md §5 worked examples: (accumulator, shift). With input 0 the
 * accumulator is the bias, so sample 0 reproduces the table exactly; the weights
 * (0 where |bias| is near 2^31, so the §3 bound holds) make the other samples
 * step around each example. */
static const struct { int32_t acc; int shift; } k_examples[] = {
    {5, 1},  {7, 1},  {-5, 1},  {-7, 1},  {-6, 2},  {-2, 2},  {2, 2},  {-5, 2},  {11, 2},
    {300, 1}, {-300, 1}, {2147483647, 31}, {-2147483648, 31}, {-1073741824, 31},
    {3, -2}, {32, -2}, {-1, -16}, {26, 2}, {30, 2}, {-30, 2}, {37, 2}, {1, 1}, {-1, 1},
    {3, 1},  {-3, 1}, {6, 2}, {-10, 2}, {1 << 30, 31}, {-(1 << 30) - 1, 31},
};
#define N_EXAMPLES (sizeof k_examples / sizeof k_examples[0])

static void examples_case(const char *name, sk_rounding mode, int out_bits, bool out_signed,
                          bool relu)
{
    sk_model m;
    new_model(&m, 1, 8, true);
    layer_spec s = {2, N_EXAMPLES, 8, out_bits, out_signed, relu, false, true, mode, 0, 0};
    build_layer(&m, 0, &s);
    sk_layer *l = &m.layers[0];
    for (uint32_t c = 0; c < N_EXAMPLES; c++) {
        l->bias[c] = k_examples[c].acc;
        l->w_exp[c] = (int8_t)-k_examples[c].shift;
        bool huge = k_examples[c].acc > (1 << 29) || k_examples[c].acc < -(1 << 29);
        l->weights[c * 2] = huge ? 0 : (int8_t)(c % 3);
        l->weights[c * 2 + 1] = huge ? 0 : (int8_t)-(int8_t)(c % 2);
    }
    sk_tensor in;
    make_input(&m, 5, &in);
    for (uint32_t j = 0; j < 2; j++) {  /* small steps: +-1 around every example */
        in.data[1 * 2 + j] = 1;
        in.data[2 * 2 + j] = -1;
    }
    write_case(name, &m, &in);
}

/* One layer with the same shift s on every channel, per layer or per channel. */
static void shift_case(const char *name, int shift, bool per_channel, sk_rounding mode)
{
    sk_model m;
    new_model(&m, 1, 8, true);
    int32_t bias = shift >= 16 ? (1 << 28) : 64;
    layer_spec s = {16, 12, 8, 8, true, false, false, per_channel, mode, shift, bias};
    build_layer(&m, 0, &s);
    if (shift < 0) {  /* a left shift of 2^16: most channels saturate, keep a few at 0 */
        for (uint32_t c = 0; c < 4; c++) {
            m.layers[0].bias[c] = 0;
            memset(&m.layers[0].weights[c * 16], 0, 16);
        }
    }
    sk_tensor in;
    make_input(&m, 6, &in);
    write_case(name, &m, &in);
}

static void chain_case(const char *name, uint32_t nl, const uint32_t *dims, int in_bits,
                       bool in_signed, int bits, bool raw_last, size_t batch)
{
    sk_model m;
    new_model(&m, nl, in_bits, in_signed);
    for (uint32_t i = 0; i < nl; i++) {
        bool last = i + 1 == nl;
        layer_spec s = {dims[i], dims[i + 1], bits, bits, (i % 2) == 0, (i % 3) == 1,
                        last && raw_last, (i % 2) == 1, (sk_rounding)(i % SK_ROUND_COUNT),
                        2 + (int)(i % 4), 100};
        if (s.relu && s.raw)
            s.relu = false;
        build_layer(&m, i, &s);
    }
    sk_tensor in;
    make_input(&m, batch, &in);
    write_case(name, &m, &in);
}

/* Layer i as a conv2d (datapath §11) over `in` with a square kernel, one stride and
 * the same zero padding on every border; the rest of `s` as build_layer (k and, for a
 * depthwise conv, n follow from the geometry). */
static sk_shape conv_layer(sk_model *m, uint32_t i, sk_shape in, uint32_t kernel,
                           uint32_t stride, uint32_t pad, bool depthwise, layer_spec s)
{
    s.k = kernel * kernel * (depthwise ? 1 : in.c);
    s.n = depthwise ? in.c : s.n;
    build_layer(m, i, &s);
    m->layers[i].kind = SK_LAYER_CONV2D;
    m->layers[i].geom = (sk_geometry){in.h, in.w, in.c, kernel, kernel, stride, stride,
                                      pad, pad, pad, pad, depthwise ? in.c : 1, 0};
    return sk_layer_out_shape(m, i);
}

/* Layer i as a maxpool (§12: the input's type and exponent, floor) or an avgpool (§13)
 * with a square window; an avgpool's shift is `shift` (e_out = e_in + shift -
 * log2(window)). */
static sk_shape pool_layer(sk_model *m, uint32_t i, sk_layer_kind kind, sk_shape in,
                           uint32_t window, uint32_t stride, int shift, sk_rounding mode)
{
    sk_layer *l = &m->layers[i];
    l->kind = kind;
    l->n = in.c;
    l->geom = (sk_geometry){in.h, in.w, in.c, window, window, stride, stride, 0, 0, 0, 0, 0, 0};
    l->out = sk_layer_in_type(m, i);
    l->out_exp = (int8_t)sk_layer_in_exp(m, i);
    if (kind == SK_LAYER_AVGPOOL) {
        l->out = (sk_qtype){8, true};
        l->rounding = mode;
        l->out_exp = (int8_t)(l->out_exp + shift - sk_avgpool_log2(l));
    }
    return sk_layer_out_shape(m, i);
}

/* Several groups of LANES output channels per pixel, the last one partial (20 = 2*8 + 4
 * at LANES 8, 4*5 at LANES 5), padding on every border, then a 1x1 conv raw head of 11
 * channels. */
static void cnn_groups_case(void)
{
    sk_model m;
    new_model(&m, 2, 8, true);
    m.layers[0].geom = (sk_geometry){.in_h = 5, .in_w = 6, .in_c = 3};
    m.layers[0].kind = SK_LAYER_CONV2D; /* the input shape is HWC */
    sk_shape s = {5, 6, 3};
    s = conv_layer(&m, 0, s, 3, 1, 1, false,
                   (layer_spec){0, 20, 8, 8, true, true, false, true, SK_ROUND_HALF_EVEN, 9, 2000});
    conv_layer(&m, 1, s, 1, 1, 0, false,
               (layer_spec){0, 11, 6, 8, true, false, true, false, SK_ROUND_FLOOR, 0, 500});
    sk_tensor in;
    make_input(&m, 4, &in);
    write_case("cnn_groups_raw_head", &m, &in);
}

/* A 28x28x16 map (12544 bytes of a 16 KiB buffer) from a 28x28 unsigned input, pooled,
 * a stride-2 conv and a dense raw head: the Fashion-MNIST shapes. */
static void cnn_act_case(void)
{
    sk_model m;
    new_model(&m, 4, 8, false);
    m.layers[0].geom = (sk_geometry){.in_h = 28, .in_w = 28, .in_c = 1};
    m.layers[0].kind = SK_LAYER_CONV2D;
    sk_shape s = {28, 28, 1};
    s = conv_layer(&m, 0, s, 3, 1, 1, false,
                   (layer_spec){0, 16, 8, 8, true, true, false, true, SK_ROUND_HALF_UP, 8, 3000});
    s = pool_layer(&m, 1, SK_LAYER_MAXPOOL, s, 2, 2, 0, SK_ROUND_FLOOR);
    s = conv_layer(&m, 2, s, 3, 2, 1, false,
                   (layer_spec){0, 8, 7, 6, false, false, false, false, SK_ROUND_HALF_AWAY, 10, 100});
    layer_spec head = {(uint32_t)sk_shape_size(s), 10, 8, 8, true, false, true, false,
                       SK_ROUND_FLOOR, 0, 1000};
    build_layer(&m, 3, &head);
    sk_tensor in;
    make_input(&m, 4, &in);
    write_case("cnn_act_28x28x16", &m, &in);
}

/* A depthwise 3x3 conv over 12 channels (12 one-channel groups per pixel) with a shift
 * per channel, average pooling over 4x4 windows (ties of a 16-element sum) and a
 * global max. */
static void cnn_depthwise_case(void)
{
    sk_model m;
    new_model(&m, 3, 6, true);
    m.layers[0].geom = (sk_geometry){.in_h = 8, .in_w = 8, .in_c = 12};
    m.layers[0].kind = SK_LAYER_CONV2D;
    sk_shape s = {8, 8, 12};
    s = conv_layer(&m, 0, s, 3, 1, 1, true,
                   (layer_spec){0, 0, 5, 7, true, false, false, true, SK_ROUND_HALF_AWAY, 3, 50});
    for (uint32_t c = 0; c < 12; c++) /* shifts 0..11, one per channel */
        m.layers[0].w_exp[c] = (int8_t)-(int)c;
    s = pool_layer(&m, 1, SK_LAYER_AVGPOOL, s, 4, 4, 5, SK_ROUND_HALF_UP);
    pool_layer(&m, 2, SK_LAYER_MAXPOOL, s, 2, 1, 0, SK_ROUND_FLOOR);
    sk_tensor in;
    make_input(&m, 4, &in);
    write_case("cnn_depthwise_avg_max", &m, &in);
}

/* A residual add of a 1x1 conv's output (exponent -10) and the unsigned 4-bit network
 * input (exponent -3): operand b enters shifted left by 7, the sum is requantized by 3
 * with ties to even; then a stride-2 padded conv raw head. */
static void cnn_residual_case(void)
{
    sk_model m;
    new_model(&m, 3, 4, false);
    m.in_exp = -3;
    m.layers[0].geom = (sk_geometry){.in_h = 6, .in_w = 6, .in_c = 4};
    m.layers[0].kind = SK_LAYER_CONV2D;
    sk_shape s = {6, 6, 4};
    s = conv_layer(&m, 0, s, 1, 1, 0, false,
                   (layer_spec){0, 4, 8, 8, true, false, false, false, SK_ROUND_HALF_UP, 6, 300});
    m.layers[0].out_exp = -10; /* e_w = e_out - e_in - shift */
    m.layers[0].w_exp[0] = -10 + 3 - 6;
    sk_layer *add = &m.layers[1];
    add->kind = SK_LAYER_ADD;
    add->n = s.c;
    add->geom = (sk_geometry){.in_h = s.h, .in_w = s.w, .in_c = s.c, .src = SK_SRC_INPUT};
    add->out = (sk_qtype){8, true};
    add->rounding = SK_ROUND_HALF_EVEN;
    add->out_exp = -7; /* shift e_out - min(-10, -3) = 3 */
    conv_layer(&m, 2, s, 3, 2, 1, false,
               (layer_spec){0, 5, 8, 8, true, false, true, false, SK_ROUND_FLOOR, 0, 100});
    m.layers[2].out_exp = -7;
    m.layers[2].w_exp[0] = 0;
    sk_tensor in;
    make_input(&m, 4, &in);
    write_case("cnn_residual_input_align", &m, &in);
}

int main(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "-o") != 0) {
        fprintf(stderr, "usage: sk-rtl-directed -o DIR\n");
        return 2;
    }
    g_out_dir = argv[2];
    if (mkdir(g_out_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "sk-rtl-directed: %s: %s\n", g_out_dir, strerror(errno));
        return 1;
    }
    static const char *const mode_names[] = {"floor", "half_up", "half_away", "half_even"};
    char name[64];
    for (int mode = 0; mode < SK_ROUND_COUNT; mode++) {
        snprintf(name, sizeof name, "ties_%s_s8", mode_names[mode]);
        examples_case(name, (sk_rounding)mode, 8, true, false);
        snprintf(name, sizeof name, "ties_%s_s2", mode_names[mode]);
        examples_case(name, (sk_rounding)mode, 2, true, false);
        snprintf(name, sizeof name, "ties_%s_u4", mode_names[mode]);
        examples_case(name, (sk_rounding)mode, 4, false, false);
        snprintf(name, sizeof name, "ties_%s_s4_relu", mode_names[mode]);
        examples_case(name, (sk_rounding)mode, 4, true, true);
        snprintf(name, sizeof name, "ties_%s_u3", mode_names[mode]);
        examples_case(name, (sk_rounding)mode, 3, false, false);
    }
    shift_case("shift_max_layer", 31, false, SK_ROUND_HALF_EVEN);
    shift_case("shift_max_channel", 31, true, SK_ROUND_HALF_AWAY);
    shift_case("shift_min_layer", -16, false, SK_ROUND_FLOOR);
    shift_case("shift_min_channel", -16, true, SK_ROUND_HALF_UP);
    shift_case("shift_zero", 0, false, SK_ROUND_HALF_UP);

    static const uint32_t lanes_13[] = {20, 13, 7};
    chain_case("n_not_multiple_of_lanes", 2, lanes_13, 8, true, 8, false, 4);
    static const uint32_t k1[] = {1, 9};
    chain_case("k1", 1, k1, 8, true, 8, false, 4);
    static const uint32_t n1[] = {37, 1};
    chain_case("n1", 1, n1, 8, false, 8, false, 4);
    static const uint32_t k1n1[] = {1, 1, 1};
    chain_case("k1_n1_chain", 2, k1n1, 4, true, 6, false, 4);
    static const uint32_t bits2[] = {24, 17, 9, 5};
    chain_case("bits2", 3, bits2, 2, true, 2, false, 5);
    chain_case("bits2_unsigned_in", 3, bits2, 2, false, 2, false, 5);
    static const uint32_t raw[] = {30, 16, 10};
    chain_case("raw_output", 2, raw, 8, true, 8, true, 4);
    static const uint32_t raw1[] = {5, 3};
    chain_case("raw_output_k5_n3", 1, raw1, 3, false, 5, true, 4);
    static const uint32_t deep[] = {24, 24, 17, 24, 8, 31, 24, 9, 12, 16};
    chain_case("deep_9_layers", 9, deep, 8, true, 8, false, 3);
    static const uint32_t wide[] = {784, 10};
    chain_case("wide_k784", 1, wide, 8, false, 8, false, 3);
    static const uint32_t blocks[] = {8, 64, 65, 63, 3};
    chain_case("block_edges", 4, blocks, 7, true, 7, true, 3);

    cnn_groups_case();
    cnn_act_case();
    cnn_depthwise_case();
    cnn_residual_case();

    printf("sk-rtl-directed: %d cases in %s\n", g_written, g_out_dir);
    return 0;
}
