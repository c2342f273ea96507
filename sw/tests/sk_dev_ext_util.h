/* sk_dev_ext_util.h — register-level fixtures for the device model's EXT layers
 * (register map 1.1), shared by test_device_model.c and test_device_timing.c.
 *
 * A golden model (cmodel/include/shiftkit) is laid into the windows by hand, straight
 * from docs/regmap.md "How the host lays a model into the windows", "Extension
 * descriptor (XDESC)" and "Extension layers": weights, biases, per-channel shifts,
 * descriptors with EXT, XDESC slots and NUM_LAYERS, every tensor at an activation
 * address of the test's choosing. Nothing here comes from the driver (sw/src) or from
 * the device model's sources: they are what is under test. */
#ifndef SHIFTKIT_SK_DEV_EXT_UTIL_H
#define SHIFTKIT_SK_DEV_EXT_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "shiftkit/shiftkit.h"
#include "shiftkit/sk_regs.h"
#include "sk_device.h"

/* ------------------------------------------------------------------ bus access */

static inline uint32_t xt_rd(sk_device *dev, uint32_t offset)
{
    uint32_t v = 0xDEADBEEF;
    if (sk_device_read32(dev, offset, &v) != 0)
        fail_msg("read of 0x%06x: SLVERR", offset);
    return v;
}

static inline void xt_wr(sk_device *dev, uint32_t offset, uint32_t value)
{
    if (sk_device_write32(dev, offset, value) != 0)
        fail_msg("write of 0x%06x: SLVERR", offset);
}

/* Window base of an activation address (bit 16: ACT1) and its byte offset. */
static inline uint32_t xt_act_base(uint32_t addr)
{
    return (addr >> 16) & 1u ? SK_WIN_ACT1_BASE : SK_WIN_ACT0_BASE;
}

/* Byte j of a window is bits 8*(j%4)+7..8*(j%4) of word j/4: read-modify-write. */
static inline void xt_put_byte(sk_device *dev, uint32_t win, uint32_t j, uint8_t b)
{
    uint32_t off = win + (j & ~3u), sh = 8 * (j % 4);
    xt_wr(dev, off, (xt_rd(dev, off) & ~(0xFFu << sh)) | (uint32_t)b << sh);
}

static inline uint8_t xt_get_byte(sk_device *dev, uint32_t win, uint32_t j)
{
    return (uint8_t)(xt_rd(dev, win + (j & ~3u)) >> (8 * (j % 4)));
}

/* Run what is loaded: START, let simulated time reach DONE, return STATUS. */
static inline uint32_t xt_run(sk_device *dev)
{
    xt_wr(dev, SK_REG_CTRL, SK_CTRL_START_MASK);
    sk_device_advance(dev, sk_device_cycles_to_done(dev));
    return xt_rd(dev, SK_REG_STATUS);
}

static inline uint32_t xt_status_error(uint32_t code, uint32_t layer)
{
    return SK_STATUS_DONE_MASK | SK_STATUS_ERROR_MASK | code << SK_STATUS_ERR_CODE_SHIFT |
           layer << SK_STATUS_ERR_LAYER_SHIFT;
}

/* ------------------------------------------------------------------ field packing */

/* Put `value` into the field (mask, shift) of a word; the test fails if it does not fit
 * (so a test cannot silently pack a truncated field). */
static inline void xt_set(uint32_t *word, uint32_t mask, uint32_t shift, uint32_t value)
{
    uint64_t placed = (uint64_t)value << shift;
    if (placed & ~(uint64_t)mask)
        fail_msg("value %u does not fit the field under mask 0x%08x", value, mask);
    *word = (*word & ~mask) | (uint32_t)placed;
}

#define XT_DESC(w, f, v) \
    xt_set(&(w)[SK_DESC_##f##_WORD], SK_DESC_##f##_MASK, SK_DESC_##f##_SHIFT, (v))
#define XT_XDESC(w, f, v) \
    xt_set(&(w)[SK_XDESC_##f##_WORD], SK_XDESC_##f##_MASK, SK_XDESC_##f##_SHIFT, (v))

/* ------------------------------------------------------------------ lowering */

/* Where the tensors live: addr[0] is the network input, addr[i + 1] layer i's output
 * (bit 16 picks ACT1, bits 15:0 the byte offset). */
typedef struct xt_plan {
    uint32_t addr[SK_MODEL_MAX_LAYERS + 1];
} xt_plan;

/* Bytes a layer's output takes (int32 words when raw). */
static inline uint32_t xt_out_bytes(const sk_model *m, uint32_t i)
{
    uint64_t n = sk_shape_size(sk_layer_out_shape(m, i));
    return (uint32_t)(n * (m->layers[i].raw_output ? 4 : 1));
}

/* Every tensor in its own place, alternating ACT0 and ACT1, each after the previous one
 * in its buffer with `gap` bytes between (an odd gap gives unaligned addresses; a raw
 * output is rounded up to a multiple of 4). Fails the test if they do not fit. */
static inline void xt_plan_apart(const sk_model *m, uint32_t act_bytes, uint32_t gap,
                                 xt_plan *plan)
{
    uint32_t next[2] = {gap, gap};
    for (uint32_t t = 0; t <= m->num_layers; t++) {
        uint32_t buf = t % 2;
        uint32_t bytes = t == 0 ? (uint32_t)sk_shape_size(sk_model_in_shape(m))
                                : xt_out_bytes(m, t - 1);
        uint32_t at = next[buf];
        if (t > 0 && m->layers[t - 1].raw_output)
            at = (at + 3) & ~3u;
        if ((uint64_t)at + bytes > act_bytes)
            fail_msg("tensor %u (%u bytes) does not fit ACT%u at %u", t, bytes, buf, at);
        plan->addr[t] = buf << 16 | at;
        next[buf] = at + bytes + gap;
    }
}

/* The taps of one block of layer i (docs/regmap.md): K*KH*KW... per kind. */
static inline uint32_t xt_taps(const sk_layer *l)
{
    switch (l->kind) {
    case SK_LAYER_DENSE: return l->k;
    case SK_LAYER_CONV2D: return l->k; /* KH*KW*Cin/G, and Cin/G = 1 when depthwise */
    case SK_LAYER_ADD: return 2;
    default: return l->geom.kernel_h * l->geom.kernel_w;
    }
}

static inline bool xt_depthwise(const sk_layer *l)
{
    return l->kind == SK_LAYER_CONV2D && l->geom.groups > 1;
}

/* Weight rows a layer takes: ceil(N/L)*T for dense and conv2d, N*T when depthwise. */
static inline uint32_t xt_rows(const sk_layer *l, uint32_t lanes)
{
    if (!sk_layer_kind_has_weights(l->kind))
        return 0;
    uint32_t t = xt_taps(l);
    return xt_depthwise(l) ? l->n * t : (l->n + lanes - 1) / lanes * t;
}

/* Bases the loader gives each layer (running sums, docs/regmap.md). */
typedef struct xt_bases {
    uint32_t w_base[SK_MODEL_MAX_LAYERS];
    uint32_t bias_base[SK_MODEL_MAX_LAYERS];
} xt_bases;

/* Word 3 of layer i's descriptor but EXT: SHIFT (per layer: sk_layer_shift, 0 for a
 * maxpool), ROUND, the output type, IN_SIGNED, RELU, RAW, PER_CHANNEL. */
static inline void xt_desc_word3(const sk_model *m, uint32_t i, uint32_t desc[SK_DESC_WORDS])
{
    const sk_layer *l = &m->layers[i];
    int s = l->kind == SK_LAYER_MAXPOOL ? 0 : sk_layer_shift(m, i, 0);
    if (!l->per_channel)
        XT_DESC(desc, SHIFT, (uint32_t)s & 0x3Fu);
    XT_DESC(desc, ROUND, (uint32_t)l->rounding);
    XT_DESC(desc, OUT_BITS, (uint32_t)l->out.bits);
    XT_DESC(desc, OUT_SIGNED, l->out.is_signed);
    XT_DESC(desc, IN_SIGNED, sk_layer_in_type(m, i).is_signed);
    XT_DESC(desc, RELU, l->relu);
    XT_DESC(desc, RAW, l->raw_output);
    XT_DESC(desc, PER_CHANNEL, l->per_channel);
}

/* Descriptor and XDESC words of layer i, as the host writes them. */
static inline void xt_layer_words(const sk_model *m, uint32_t i, const xt_plan *plan,
                                  const xt_bases *bases, uint32_t desc[SK_DESC_WORDS],
                                  uint32_t xd[SK_XDESC_WORDS])
{
    const sk_layer *l = &m->layers[i];
    const sk_geometry *g = &l->geom;
    const bool weighted = sk_layer_kind_has_weights(l->kind);
    memset(desc, 0, SK_DESC_WORDS * sizeof *desc);
    memset(xd, 0, SK_XDESC_WORDS * sizeof *xd);
    uint32_t n = l->kind == SK_LAYER_ADD ? (uint32_t)sk_shape_size(sk_layer_out_shape(m, i)) : l->n;
    XT_DESC(desc, K, xt_taps(l));
    XT_DESC(desc, N, n);
    if (weighted) {
        XT_DESC(desc, W_BASE, bases->w_base[i]);
        XT_DESC(desc, BIAS_BASE, bases->bias_base[i]);
        XT_DESC(desc, SHIFT_BASE, bases->bias_base[i]);
    }
    xt_desc_word3(m, i, desc);
    XT_DESC(desc, EXT, 1);

    XT_XDESC(xd, KIND, (uint32_t)l->kind);
    XT_XDESC(xd, DEPTHWISE, xt_depthwise(l));
    XT_XDESC(xd, IN_ADDR, plan->addr[i]);
    XT_XDESC(xd, OUT_ADDR, plan->addr[i + 1]);
    sk_shape in = sk_layer_in_shape(m, i), out = sk_layer_out_shape(m, i);
    uint32_t kh = 1, kw = 1, sh = 1, sw = 1, pt = 0, pl = 0;
    if (l->kind == SK_LAYER_DENSE) {
        in = (sk_shape){1, 1, l->k}; /* datapath §15: a flatten is the identity */
        out = (sk_shape){1, 1, l->n};
    } else if (l->kind != SK_LAYER_ADD) {
        kh = g->kernel_h;
        kw = g->kernel_w;
        sh = g->stride_h;
        sw = g->stride_w;
        pt = g->pad_top;
        pl = g->pad_left;
    } else {
        int ea = sk_layer_in_exp(m, i), eb = sk_add_src_exp(m, i), ec = ea < eb ? ea : eb;
        uint32_t src = g->src == SK_SRC_INPUT ? 0 : g->src + 1;
        XT_XDESC(xd, SRC_SIGNED, sk_add_src_type(m, i).is_signed);
        XT_XDESC(xd, A_SHIFT, (uint32_t)(ea - ec));
        XT_XDESC(xd, B_SHIFT, (uint32_t)(eb - ec));
        XT_XDESC(xd, SRC_ADDR, plan->addr[src]);
    }
    XT_XDESC(xd, H, in.h);
    XT_XDESC(xd, W, in.w);
    XT_XDESC(xd, C, in.c);
    XT_XDESC(xd, KH, kh);
    XT_XDESC(xd, KW, kw);
    XT_XDESC(xd, SH, sh);
    XT_XDESC(xd, SW, sw);
    XT_XDESC(xd, PT, pt);
    XT_XDESC(xd, PL, pl);
    XT_XDESC(xd, OH, out.h);
    XT_XDESC(xd, OW, out.w);
    XT_XDESC(xd, ROW_STEP, in.w * in.c);
    XT_XDESC(xd, PIX_STEP, sw * in.c);
    XT_XDESC(xd, OROW_STEP, sh * in.w * in.c);
    XT_XDESC(xd, PAD_OFFSET, (pt * in.w + pl) * in.c);
}

/* Write a whole model: weight rows (lane l of row W_BASE + g*T + t holds W[g*L + l][t];
 * depthwise: lane 0 of row W_BASE + g*T + t holds W[g][t]), biases, per-channel
 * shifts at SHIFT_BASE = BIAS_BASE, descriptors, XDESC slots and NUM_LAYERS. */
static inline void xt_load(sk_device *dev, const sk_model *m, const xt_plan *plan)
{
    const uint32_t lanes = xt_rd(dev, SK_REG_LANES), rb = xt_rd(dev, SK_REG_WEIGHT_ROW_BYTES);
    xt_bases bases = {{0}, {0}};
    uint32_t rows = 0, biases = 0;
    for (uint32_t i = 0; i < m->num_layers; i++) {
        const sk_layer *l = &m->layers[i];
        bases.w_base[i] = rows;
        bases.bias_base[i] = biases;
        if (!sk_layer_kind_has_weights(l->kind))
            continue;
        const uint32_t t_count = xt_taps(l), layer_rows = xt_rows(l, lanes);
        uint8_t *image = calloc((size_t)layer_rows * rb, 1);
        assert_non_null(image);
        for (uint32_t co = 0; co < l->n; co++)
            for (uint32_t t = 0; t < t_count; t++) {
                uint32_t row = xt_depthwise(l) ? co * t_count + t : co / lanes * t_count + t;
                uint32_t lane = xt_depthwise(l) ? 0 : co % lanes;
                image[(size_t)row * rb + lane] = (uint8_t)l->weights[(size_t)co * l->k + t];
            }
        for (uint32_t j = 0; j < layer_rows * rb; j += 4)
            xt_wr(dev, SK_WIN_WEIGHTS_BASE + rows * rb + j,
                  (uint32_t)image[j] | (uint32_t)image[j + 1] << 8 |
                      (uint32_t)image[j + 2] << 16 | (uint32_t)image[j + 3] << 24);
        free(image);
        for (uint32_t co = 0; co < l->n; co++) {
            xt_wr(dev, SK_WIN_BIAS_BASE + 4 * (biases + co), (uint32_t)l->bias[co]);
            if (l->per_channel)
                xt_put_byte(dev, SK_WIN_SHIFT_BASE, biases + co,
                            (uint8_t)(int8_t)sk_layer_shift(m, i, co));
        }
        rows += layer_rows;
        biases += l->n;
    }
    for (uint32_t i = 0; i < m->num_layers; i++) {
        uint32_t desc[SK_DESC_WORDS], xd[SK_XDESC_WORDS];
        xt_layer_words(m, i, plan, &bases, desc, xd);
        for (uint32_t w = 0; w < SK_DESC_WORDS; w++)
            xt_wr(dev, SK_WIN_DESC_BASE + SK_DESC_BYTES * i + 4 * w, desc[w]);
        for (uint32_t w = 0; w < SK_XDESC_WORDS; w++)
            xt_wr(dev, SK_WIN_XDESC_BASE + SK_XDESC_BYTES * i + 4 * w, xd[w]);
    }
    xt_wr(dev, SK_REG_NUM_LAYERS, m->num_layers);
}

/* One sample into the input's place: int8 or uint8 bytes. */
static inline void xt_write_input(sk_device *dev, const sk_model *m, const xt_plan *plan,
                                  const int32_t *x)
{
    uint32_t count = (uint32_t)sk_shape_size(sk_model_in_shape(m));
    for (uint32_t j = 0; j < count; j++)
        xt_put_byte(dev, xt_act_base(plan->addr[0]), (plan->addr[0] & 0xFFFFu) + j, (uint8_t)x[j]);
}

/* The last layer's output: bytes sign- or zero-extended, or int32 words when raw. */
static inline void xt_read_output(sk_device *dev, const sk_model *m, const xt_plan *plan,
                                  int32_t *y)
{
    const uint32_t last = m->num_layers - 1, addr = plan->addr[m->num_layers];
    const sk_layer *l = &m->layers[last];
    uint32_t count = (uint32_t)sk_shape_size(sk_layer_out_shape(m, last));
    for (uint32_t j = 0; j < count; j++) {
        if (l->raw_output) {
            y[j] = (int32_t)xt_rd(dev, xt_act_base(addr) + (addr & 0xFFFFu) + 4 * j);
        } else {
            uint8_t b = xt_get_byte(dev, xt_act_base(addr), (addr & 0xFFFFu) + j);
            y[j] = l->out.is_signed ? (int32_t)(int8_t)b : (int32_t)b;
        }
    }
}

/* Random integers of a type: uniform lo..hi from a 64-bit LCG. */
static inline int32_t xt_rand(uint64_t *state, int32_t lo, int32_t hi)
{
    *state = *state * 6364136223846793005u + 1442695040888963407u;
    return lo + (int32_t)((*state >> 33) % (uint64_t)(hi - lo + 1));
}

/* Run `batch` samples of x (each the model's input size) one START each and compare
 * the whole output tensor with the golden sk_infer; fails naming sample and index.
 * Returns the PERF_CYCLES of the last run. */
static inline uint32_t xt_check_golden(sk_device *dev, const sk_model *m, const xt_plan *plan,
                                       const int32_t *x, size_t batch, const char *what)
{
    sk_error err = {{0}};
    if (sk_model_validate(m, what, &err) != SK_OK)
        fail_msg("%s: %s", what, err.msg);
    const size_t in_count = sk_shape_size(sk_model_in_shape(m));
    const size_t out_count = sk_shape_size(sk_layer_out_shape(m, m->num_layers - 1));
    sk_tensor in = {SK_DTYPE_INT32, 2, {batch, in_count}, (int32_t *)x}, want;
    if (sk_infer(m, &in, what, &want, NULL, &err) != SK_OK)
        fail_msg("%s: sk_infer: %s", what, err.msg);
    int32_t *got = calloc(out_count, sizeof *got);
    assert_non_null(got);
    xt_load(dev, m, plan);
    uint32_t cycles = 0;
    for (size_t b = 0; b < batch; b++) {
        xt_write_input(dev, m, plan, x + b * in_count);
        uint32_t st = xt_run(dev);
        if (st != SK_STATUS_DONE_MASK)
            fail_msg("%s: sample %zu: STATUS 0x%08x (%s, layer %u)", what, b, st,
                     sk_hwerr_name((st & SK_STATUS_ERR_CODE_MASK) >> SK_STATUS_ERR_CODE_SHIFT),
                     (st & SK_STATUS_ERR_LAYER_MASK) >> SK_STATUS_ERR_LAYER_SHIFT);
        xt_read_output(dev, m, plan, got);
        for (size_t j = 0; j < out_count; j++)
            if (got[j] != want.data[b * out_count + j])
                fail_msg("%s: sample %zu, output %zu: device %d, golden %d", what, b, j, got[j],
                         want.data[b * out_count + j]);
        cycles = xt_rd(dev, SK_REG_PERF_CYCLES);
    }
    free(got);
    sk_tensor_free(&want);
    return cycles;
}

#endif
