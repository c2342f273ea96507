/* sk_device_exec.c — the device model's sequencer: runs layer descriptors 0..NUM_LAYERS-1
 * over the memories exactly as docs/regmap.md lays them out, with the golden
 * arithmetic (sk_requantize, docs/datapath.md), checking each descriptor first with
 * the error codes of the register map, and counting cycles on the RTL's schedule. */
#include <stddef.h>

#include "shiftkit/sk_regs.h"
#include "shiftkit/sk_requant.h"
#include "sk_device_internal.h"
#include "sk_device_timing.h"

/* A decoded descriptor. */
typedef struct desc {
    uint32_t k, n, w_base, bias_base, shift_base;
    int shift;            /* sign-extended 6-bit SHIFT */
    uint32_t round, out_bits;
    bool out_signed, in_signed, relu, raw, per_channel;
    bool reserved_set;
} desc;

static uint32_t field(uint32_t word, uint32_t mask, uint32_t shift)
{
    return (word & mask) >> shift;
}

static desc decode(const uint32_t *w)
{
    desc d;
    d.k = field(w[SK_DESC_K_WORD], SK_DESC_K_MASK, SK_DESC_K_SHIFT);
    d.n = field(w[SK_DESC_N_WORD], SK_DESC_N_MASK, SK_DESC_N_SHIFT);
    d.w_base = field(w[SK_DESC_W_BASE_WORD], SK_DESC_W_BASE_MASK, SK_DESC_W_BASE_SHIFT);
    d.bias_base = field(w[SK_DESC_BIAS_BASE_WORD], SK_DESC_BIAS_BASE_MASK, SK_DESC_BIAS_BASE_SHIFT);
    d.shift_base = field(w[SK_DESC_SHIFT_BASE_WORD], SK_DESC_SHIFT_BASE_MASK,
                         SK_DESC_SHIFT_BASE_SHIFT);
    uint32_t s6 = field(w[SK_DESC_SHIFT_WORD], SK_DESC_SHIFT_MASK, SK_DESC_SHIFT_SHIFT);
    d.shift = (s6 & 0x20u) ? (int)s6 - 64 : (int)s6;
    d.round = field(w[SK_DESC_ROUND_WORD], SK_DESC_ROUND_MASK, SK_DESC_ROUND_SHIFT);
    d.out_bits = field(w[SK_DESC_OUT_BITS_WORD], SK_DESC_OUT_BITS_MASK, SK_DESC_OUT_BITS_SHIFT);
    d.out_signed = w[SK_DESC_OUT_SIGNED_WORD] & SK_DESC_OUT_SIGNED_MASK;
    d.in_signed = w[SK_DESC_IN_SIGNED_WORD] & SK_DESC_IN_SIGNED_MASK;
    d.relu = w[SK_DESC_RELU_WORD] & SK_DESC_RELU_MASK;
    d.raw = w[SK_DESC_RAW_WORD] & SK_DESC_RAW_MASK;
    d.per_channel = w[SK_DESC_PER_CHANNEL_WORD] & SK_DESC_PER_CHANNEL_MASK;
    d.reserved_set = (w[0] & SK_DESC_W0_RESERVED_MASK) || (w[1] & SK_DESC_W1_RESERVED_MASK) ||
                     (w[2] & SK_DESC_W2_RESERVED_MASK) || (w[3] & SK_DESC_W3_RESERVED_MASK);
    return d;
}

static bool shift_ok(int s)
{
    return s >= SK_SHIFT_MIN && s <= SK_SHIFT_MAX;
}

/* The checks of docs/regmap.md "Error codes" in the order rtl/sk_core.v applies
 * them (lowest code first, WEIGHT_RANGE at issue time); SK_HWERR_NONE if clean. */
static uint32_t check(const sk_device *dev, const desc *d, const desc *prev, uint32_t layer,
                      uint32_t num_layers)
{
    const sk_device_config *c = &dev->cfg;
    if (d->k == 0 || d->n == 0)
        return SK_HWERR_DESC_DIMS;
    if (prev && (d->k != prev->n || d->in_signed != prev->out_signed))
        return SK_HWERR_DESC_CHAIN;
    if (d->out_bits < 2 || d->out_bits > 8 || (d->raw && d->relu) ||
        (d->raw && layer != num_layers - 1) || d->reserved_set)
        return SK_HWERR_DESC_FIELD;
    if (!d->per_channel && !d->raw && !shift_ok(d->shift))
        return SK_HWERR_SHIFT_RANGE;
    if ((uint64_t)d->bias_base + d->n > c->bias_depth)
        return SK_HWERR_BIAS_RANGE;
    if (d->per_channel && (uint64_t)d->shift_base + d->n > c->shift_depth)
        return SK_HWERR_SHIFT_ADDR_RANGE;
    if (d->k > c->act_bytes || (uint64_t)d->n * (d->raw ? 4 : 1) > c->act_bytes)
        return SK_HWERR_ACT_RANGE;
    /* The RTL finds a weight row past the memory when it issues it, after every
     * check above: so WEIGHT_RANGE comes last (run_layer stops at the bad block). */
    uint64_t blocks = ((uint64_t)d->n + c->lanes - 1) / c->lanes;
    if ((uint64_t)d->w_base + blocks * d->k > c->weight_rows)
        return SK_HWERR_WEIGHT_RANGE;
    return SK_HWERR_NONE;
}

/* Channel n of a checked layer: the exact accumulator of datapath §2/§3. The driver
 * guarantees the §3 bound, so the 32-bit sum never wraps; a descriptor that breaks
 * it still gives the RTL's 32-bit wrap-around here, never undefined behaviour. */
static int32_t accumulate(const sk_device *dev, const desc *d, const uint8_t *in, uint32_t n)
{
    uint32_t lanes = dev->cfg.lanes;
    uint32_t acc = (uint32_t)dev->bias[d->bias_base + n];
    uint64_t row = (uint64_t)d->w_base + (uint64_t)(n / lanes) * d->k;
    for (uint32_t k = 0; k < d->k; k++) {
        int32_t w = (int8_t)dev->weights[(row + k) * dev->row_bytes + n % lanes];
        int32_t x = d->in_signed ? (int32_t)(int8_t)in[k] : (int32_t)in[k];
        acc += (uint32_t)(w * x);
    }
    return (int32_t)acc;
}

static void put_word(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* Compute one checked layer; returns SK_HWERR_SHIFT_RANGE (and the channel count
 * done) if a per-channel shift is out of range. */
static uint32_t run_layer(sk_device *dev, const desc *d, uint32_t layer, uint32_t *channels_done)
{
    const uint8_t *in = dev->act[layer % 2];
    uint8_t *out = dev->act[(layer + 1) % 2];
    sk_qtype type = {(int)d->out_bits, d->out_signed};
    for (uint32_t n = 0; n < d->n; n++) {
        int32_t acc = accumulate(dev, d, in, n);
        if (d->raw) {
            put_word(out + 4 * n, (uint32_t)acc);
        } else {
            int s = d->per_channel ? dev->shift[d->shift_base + n] : d->shift;
            if (!shift_ok(s)) {
                *channels_done = n;
                return SK_HWERR_SHIFT_RANGE;
            }
            out[n] = (uint8_t)sk_requantize(acc, s, (sk_rounding)d->round, type, d->relu);
        }
    }
    *channels_done = d->n;
    return SK_HWERR_NONE;
}

void sk_device_execute(sk_device *dev, sk_device_run *run)
{
    const sk_device_config *c = &dev->cfg;
    *run = (sk_device_run){.cycles = sk_timing_done_cycles()};
    uint32_t num_layers = dev->num_layers;
    if (num_layers == 0 || num_layers > c->max_layers) {
        run->err_code = SK_HWERR_NUM_LAYERS;
        return;
    }
    desc prev = {0};
    for (uint32_t i = 0; i < num_layers; i++) {
        desc d = decode(dev->desc + (size_t)i * SK_DESC_WORDS);
        run->last_layer = i;
        uint32_t code = check(dev, &d, i ? &prev : NULL, i, num_layers);
        if (code != SK_HWERR_NONE) {
            /* errors end the run after the check (approximate cycles for WEIGHT_RANGE
             * and SHIFT_RANGE, which the RTL finds mid-layer) */
            run->err_code = code;
            run->err_layer = i;
            run->cycles += sk_timing_check_cycles();
            return;
        }
        uint32_t done = 0;
        code = run_layer(dev, &d, i, &done);
        if (code != SK_HWERR_NONE) {
            uint64_t blocks_done = done / c->lanes + 1;
            run->err_code = code;
            run->err_layer = i;
            run->issue_cycles += blocks_done * d.k;
            run->macs += (uint64_t)done * d.k;
            run->cycles += sk_timing_check_cycles() + blocks_done * d.k;
            return;
        }
        run->issue_cycles += sk_timing_layer_issue_cycles(c->lanes, d.k, d.n);
        run->macs += (uint64_t)d.k * d.n;
        run->cycles += sk_timing_layer_cycles(c->lanes, d.k, d.n);
        prev = d;
    }
}
