/* sk_perf_nets.c — writes the fixed networks of `make perf-model`: the dense layers of
 * the RTL benchmark (64x64, 256x256, 784x128 at LANES 8), multi-layer perceptrons,
 * and shapes that stress the schedule (N not a multiple of LANES, K < LANES + 3 so
 * blocks wait for the shadow chain, K = N = 1). Each goes to DIR/<name>/model.skm with
 * a seeded random input batch DIR/<name>/input.npy. usage: sk-perf-nets DIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "shiftkit/shiftkit.h"

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

static uint64_t rng_state = 0x5eed2026u;
static uint32_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(rng_state >> 33);
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
        int e_in = sk_layer_in_exp(&m, i);
        for (uint32_t c = 0; c < (l->per_channel ? n : 1); c++) /* shifts 4..11 */
            l->w_exp[c] = (int8_t)(l->out_exp - e_in - 4 - (int)(rnd() % 8));
        for (uint32_t c = 0; c < n; c++)
            l->bias[c] = (int32_t)(rnd() % 2001) - 1000;
        for (size_t w = 0; w < (size_t)k * n; w++)
            l->weights[w] = (int8_t)((int)(rnd() % 255) - 127);
    }
    sk_tensor in = {0};
    char path[4096];
    int rc = -1;
    if (sk_model_validate(&m, nt->name, &err) != SK_OK ||
        sk_tensor_alloc2(&in, SK_DTYPE_INT8, 2, nt->dims[0]) != SK_OK)
        goto out;
    for (size_t i = 0; i < sk_tensor_count(&in); i++)
        in.data[i] = (int32_t)(rnd() % 256) - 128;
    snprintf(path, sizeof path, "%s/%s", dir, nt->name);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/%s/model.skm", dir, nt->name);
    if (sk_model_save(&m, path, &err) != SK_OK)
        goto out;
    snprintf(path, sizeof path, "%s/%s/input.npy", dir, nt->name);
    if (sk_npy_save(&in, path, &err) != SK_OK)
        goto out;
    rc = 0;
out:
    if (rc != 0)
        fprintf(stderr, "sk-perf-nets: %s: %s\n", nt->name, err.msg);
    sk_tensor_free(&in);
    sk_model_free(&m);
    return rc;
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
    return 0;
}
