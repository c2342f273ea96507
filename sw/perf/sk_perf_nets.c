/* sk_perf_nets.c — writes the fixed networks of `make perf-model`: the dense layers of
 * the RTL benchmark (64x64, 256x256, 784x128 at LANES 8), multi-layer perceptrons,
 * and shapes that stress the schedule (N not a multiple of LANES, K < LANES + 3 so
 * blocks wait for the shadow chain, K = N = 1); CNNs run as EXT layers
 * (docs/regmap.md): the RTL benchmark's conv2d (3x3, 16 to 16 channels, padding 1,
 * 14x14), a small conv/pool/dense classifier (global average pooling before the
 * head), depthwise then pointwise, stride 2 with N not a multiple of LANES, residual
 * adds (of a layer and of the network input), overlapping pools, one-tap convs (T < 3: every block waits for the shadow chain); and
 * the first CNN_GEN_COUNT `shiftkit gen --cnn` cases of the RTL regression's seed and
 * limits. Each goes to DIR/<name>/model.skm with a seeded random input batch
 * DIR/<name>/input.npy. usage: sk-perf-nets DIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "shiftkit/shiftkit.h"
#include "shiftkit/sk_gen.h"

typedef struct net {
    const char *name;
    uint32_t num_layers;
    uint32_t dims[6]; /* dims[0] inputs, dims[i+1] outputs of layer i */
} net;

static const net nets[] = {
    {"dense_64x64", 1, {64, 64}},
    {"dense_256x256", 1, {256, 256}},
    {"dense_784x128", 1, {784, 128}},
    {"mlp_784_128_10", 2, {784, 128, 10}},
    {"mlp_64_64_64_10", 3, {64, 64, 64, 10}},
    {"dense_100x37", 1, {100, 37}},
    {"dense_3x200", 1, {3, 200}},
    {"dense_1x1", 1, {1, 1}},
    {"chain_8x5x300x2", 3, {8, 5, 300, 2}},
};

/* One layer of a CNN net: kind, output channels (conv2d, dense), square kernel or
 * window, stride, zero padding on every border (conv2d), depthwise, add's operand b. */
typedef struct cnn_layer {
    sk_layer_kind kind;
    uint32_t n, kernel, stride, pad;
    bool depthwise;
    uint32_t src;
} cnn_layer;

typedef struct cnn_net {
    const char *name;
    uint32_t h, w, c; /* input shape, HWC */
    uint32_t num_layers;
    cnn_layer layers[6];
} cnn_net;

#define CONV(n, k, s, p) {SK_LAYER_CONV2D, (n), (k), (s), (p), false, 0}
#define DWCONV(k, p) {SK_LAYER_CONV2D, 0, (k), 1, (p), true, 0}
#define MAXPOOL(k, s) {SK_LAYER_MAXPOOL, 0, (k), (s), 0, false, 0}
#define AVGPOOL(k, s) {SK_LAYER_AVGPOOL, 0, (k), (s), 0, false, 0}
#define ADD(src) {SK_LAYER_ADD, 0, 0, 0, 0, false, (src)}
#define DENSE(n) {SK_LAYER_DENSE, (n), 0, 0, 0, false, 0}

static const cnn_net cnn_nets[] = {
    {"conv3x3_14x14_16to16", 14, 14, 16, 1, {CONV(16, 3, 1, 1)}},
    {"cnn_8x8_conv_pool_dense", 8, 8, 1, 5,
     {CONV(4, 3, 1, 1), MAXPOOL(2, 2), CONV(8, 3, 1, 0), AVGPOOL(2, 2), DENSE(10)}},
    {"cnn_depthwise_pointwise", 9, 9, 6, 2, {DWCONV(3, 1), CONV(5, 1, 1, 0)}},
    {"cnn_stride2_n13", 11, 11, 3, 1, {CONV(13, 3, 2, 1)}},
    {"cnn_residual", 6, 6, 8, 3, {CONV(8, 3, 1, 1), CONV(8, 1, 1, 0), ADD(0)}},
    {"cnn_residual_input", 5, 7, 4, 2, {CONV(4, 3, 1, 1), ADD(SK_SRC_INPUT)}},
    {"cnn_overlapping_pools", 4, 4, 8, 2, {MAXPOOL(2, 1), AVGPOOL(2, 1)}},
    {"cnn_one_tap", 5, 5, 1, 2, {CONV(1, 1, 1, 0), CONV(3, 1, 1, 0)}},
};

/* `shiftkit gen --cnn` cases written as nets: the first CNN_GEN_COUNT of seed 1 with the
 * RTL regression's limits (tb/verilator/verilator.mk REGRESS_LIMITS), so perf-model
 * times every one of gen's nine CNN scenarios several times. */
enum { CNN_GEN_COUNT = 36 };
static const sk_gen_limits cnn_gen_limits = {6, 96, 3, true};

static uint64_t rng_state = 0x5eed2026u;
static uint32_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(rng_state >> 33);
}

/* Write a valid model and its input batch to DIR/NAME; frees neither. */
static int save(const char *name, const sk_model *m, const sk_tensor *in, const char *dir,
                sk_error *err)
{
    char path[4096];
    if (sk_model_validate(m, name, err) != SK_OK)
        return -1;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/%s/model.skm", dir, name);
    if (sk_model_save(m, path, err) != SK_OK)
        return -1;
    snprintf(path, sizeof path, "%s/%s/input.npy", dir, name);
    return sk_npy_save(in, path, err) == SK_OK ? 0 : -1;
}

/* A batch of two random int8 samples of `inputs` values for model m, then save (rc -1
 * on failure); frees the model. */
static int save_with_input(const char *name, sk_model *m, size_t inputs, const char *dir,
                           sk_error *err)
{
    sk_tensor in = {0};
    int rc = -1;
    if (sk_tensor_alloc2(&in, SK_DTYPE_INT8, 2, inputs) == SK_OK) {
        for (size_t i = 0; i < sk_tensor_count(&in); i++)
            in.data[i] = (int32_t)(rnd() % 256) - 128;
        rc = save(name, m, &in, dir, err);
    }
    if (rc != 0)
        fprintf(stderr, "sk-perf-nets: %s: %s\n", name, err->msg);
    sk_tensor_free(&in);
    sk_model_free(m);
    return rc;
}

/* Weights, biases and shifts of a dense or conv2d layer with k inputs per channel. */
static void fill_weighted(sk_model *m, uint32_t i, int shift_lo, int shift_span)
{
    sk_layer *l = &m->layers[i];
    int e_in = sk_layer_in_exp(m, i);
    for (uint32_t c = 0; c < (l->per_channel ? l->n : 1); c++)
        l->w_exp[c] = (int8_t)(l->out_exp - e_in - shift_lo - (int)(rnd() % (uint32_t)shift_span));
    for (uint32_t c = 0; c < l->n; c++)
        l->bias[c] = (int32_t)(rnd() % 2001) - 1000;
    for (size_t w = 0; w < (size_t)l->k * l->n; w++)
        l->weights[w] = (int8_t)((int)(rnd() % 255) - 127);
}

static int build_cnn(const cnn_net *nt, const char *dir)
{
    sk_model m;
    sk_error err = {{0}};
    if (sk_model_init(&m, nt->num_layers) != SK_OK)
        return -1;
    m.in = (sk_qtype){8, true};
    m.in_exp = -7;
    for (uint32_t i = 0; i < nt->num_layers; i++) {
        const cnn_layer *cl = &nt->layers[i];
        sk_layer *l = &m.layers[i];
        /* the input shape: the network's for layer 0, else the previous output's */
        sk_shape s = {nt->h, nt->w, nt->c};
        if (i > 0)
            s = sk_layer_out_shape(&m, i - 1);
        bool last = i + 1 == nt->num_layers, weighted = sk_layer_kind_has_weights(cl->kind);
        uint32_t n = cl->kind == SK_LAYER_DENSE || (cl->kind == SK_LAYER_CONV2D && !cl->depthwise)
                         ? cl->n : s.c;
        uint32_t k = cl->kind == SK_LAYER_DENSE ? (uint32_t)sk_shape_size(s)
                     : cl->kind == SK_LAYER_CONV2D
                         ? cl->kernel * cl->kernel * (cl->depthwise ? 1 : s.c) : 0;
        if (weighted && sk_layer_alloc(l, k, n, i % 2 == 1) != SK_OK) {
            sk_model_free(&m);
            return -1;
        }
        l->n = n; /* pooling and add: the channels, no arrays */
        l->kind = cl->kind;
        if (cl->kind != SK_LAYER_DENSE)
            l->geom = (sk_geometry){.in_h = s.h, .in_w = s.w, .in_c = s.c,
                                    .kernel_h = cl->kernel, .kernel_w = cl->kernel,
                                    .stride_h = cl->stride, .stride_w = cl->stride,
                                    .pad_top = cl->pad, .pad_left = cl->pad,
                                    .pad_bottom = cl->pad, .pad_right = cl->pad,
                                    .groups = cl->kind != SK_LAYER_CONV2D ? 0
                                              : cl->depthwise ? s.c : 1,
                                    .src = cl->kind == SK_LAYER_ADD ? cl->src : 0};
        int e_in = sk_layer_in_exp(&m, i);
        sk_qtype t_in = sk_layer_in_type(&m, i);
        if (cl->kind == SK_LAYER_MAXPOOL) { /* datapath §12: the input's type and exponent */
            l->out = t_in;
            l->out_exp = (int8_t)e_in;
            continue;
        }
        l->out = (sk_qtype){8, true};
        l->rounding = (sk_rounding)(i % SK_ROUND_COUNT);
        l->relu = weighted && !last;
        l->raw_output = weighted && last && nt->num_layers > 1;
        if (weighted) {
            l->w_bits = 8;
            l->out_exp = (int8_t)(-5 - (int)i);
            fill_weighted(&m, i, 6, 6); /* shifts 6..11 */
        } else {
            /* avgpool: shift = e_out - e_in + log2(window) = 1; add: e_out - min(ea, eb) = 1 */
            int lo = e_in;
            if (cl->kind == SK_LAYER_ADD) {
                int eb = sk_add_src_exp(&m, i);
                lo = eb < e_in ? eb : e_in;
            } else {
                lo = e_in - sk_avgpool_log2(l);
            }
            l->out_exp = (int8_t)(lo + 1);
        }
    }
    return save_with_input(nt->name, &m, (size_t)nt->h * nt->w * nt->c, dir, &err);
}

static int build_cnn_gen(uint32_t index, const char *dir)
{
    sk_model m;
    sk_tensor in = {0};
    sk_error err = {{0}};
    char name[64];
    snprintf(name, sizeof name, "cnn_gen_%04u", index);
    int rc = sk_gen_case(1, index, &cnn_gen_limits, &m, &in, &err) == SK_OK ? 0 : -1;
    if (rc == 0) {
        rc = save(name, &m, &in, dir, &err);
        sk_tensor_free(&in);
        sk_model_free(&m);
    }
    if (rc != 0)
        fprintf(stderr, "sk-perf-nets: %s: %s\n", name, err.msg);
    return rc;
}

static int build(const net *nt, const char *dir)
{
    sk_model m;
    sk_error err = {{0}};
    if (sk_model_init(&m, nt->num_layers) != SK_OK)
        return -1;
    m.in = (sk_qtype){8, true};
    m.in_exp = -7;
    for (uint32_t i = 0; i < nt->num_layers; i++) {
        sk_layer *l = &m.layers[i];
        uint32_t k = nt->dims[i], n = nt->dims[i + 1];
        bool last = i + 1 == nt->num_layers;
        if (sk_layer_alloc(l, k, n, i % 2 == 1) != SK_OK)
            return -1;
        l->w_bits = 8;
        l->out = (sk_qtype){8, true};
        l->rounding = (sk_rounding)(i % SK_ROUND_COUNT);
        l->relu = !last;
        l->raw_output = last && nt->num_layers > 1;
        l->out_exp = (int8_t)(-5 - (int)i);
        fill_weighted(&m, i, 4, 8); /* shifts 4..11 */
    }
    return save_with_input(nt->name, &m, nt->dims[0], dir, &err);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: sk-perf-nets DIR\n");
        return 2;
    }
    mkdir(argv[1], 0777);
    for (size_t i = 0; i < sizeof nets / sizeof nets[0]; i++)
        if (build(&nets[i], argv[1]) != 0)
            return 1;
    for (size_t i = 0; i < sizeof cnn_nets / sizeof cnn_nets[0]; i++)
        if (build_cnn(&cnn_nets[i], argv[1]) != 0)
            return 1;
    for (uint32_t i = 0; i < CNN_GEN_COUNT; i++)
        if (build_cnn_gen(i, argv[1]) != 0)
            return 1;
    return 0;
}
