/* sk_device_exec.c — the device model's sequencer: runs layer descriptors 0..NUM_LAYERS-1
 * over the memories exactly as docs/regmap.md lays them out, with the golden
 * arithmetic (sk_requantize, docs/datapath.md), checking each descriptor first with
 * the error codes of the register map, and counting cycles on the RTL's schedule.
 *
 * A descriptor with EXT runs its extension descriptor; one without is a version-1.0
 * dense layer on the ping-pong buffers, which is the EXT dense case with one pixel, a
 * 1x1 window and C = K (as rtl/sk_core.v runs it). Either way run_layer issues output
 * pixels, groups and taps in the RTL's order, with the errors found at run time
 * (WEIGHT_RANGE, ACT_RANGE of a tap or an output, a bad per-channel shift) reported
 * in the order of their cycles. */
#include <stddef.h>
#include <stdint.h>

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
    bool ext;             /* the EXT bit */
    bool has_ext;         /* EXT on a build with FEATURES.CNN: the layer runs its XDESC */
    bool reserved_set;
} desc;

/* A decoded extension descriptor (XDESC slot). */
typedef struct xdesc {
    uint32_t kind, a_shift, b_shift;
    bool depthwise, src_signed;
    uint32_t in_addr, out_addr, src_addr;
    uint32_t h, w, c, kh, kw, sh, sw, pt, pl, oh, ow;
    uint32_t row_step, pix_step, orow_step, pad_offset;
    bool reserved_set;
} xdesc;

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
    d.ext = w[SK_DESC_EXT_WORD] & SK_DESC_EXT_MASK;
    d.reserved_set = (w[0] & SK_DESC_W0_RESERVED_MASK) || (w[1] & SK_DESC_W1_RESERVED_MASK) ||
                     (w[2] & SK_DESC_W2_RESERVED_MASK) || (w[3] & SK_DESC_W3_RESERVED_MASK);
    return d;
}

#define XFIELD(w, f) field((w)[SK_XDESC_##f##_WORD], SK_XDESC_##f##_MASK, SK_XDESC_##f##_SHIFT)

static xdesc xdecode(const uint32_t *w)
{
    static const uint32_t reserved[SK_XDESC_WORDS] = {
        SK_XDESC_W0_RESERVED_MASK, SK_XDESC_W1_RESERVED_MASK,  SK_XDESC_W2_RESERVED_MASK,
        SK_XDESC_W3_RESERVED_MASK, SK_XDESC_W4_RESERVED_MASK,  SK_XDESC_W5_RESERVED_MASK,
        SK_XDESC_W6_RESERVED_MASK, SK_XDESC_W7_RESERVED_MASK,  SK_XDESC_W8_RESERVED_MASK,
        SK_XDESC_W9_RESERVED_MASK, SK_XDESC_W10_RESERVED_MASK, SK_XDESC_W11_RESERVED_MASK,
    };
    xdesc x = {
        .kind = XFIELD(w, KIND),
        .depthwise = XFIELD(w, DEPTHWISE),
        .src_signed = XFIELD(w, SRC_SIGNED),
        .a_shift = XFIELD(w, A_SHIFT),
        .b_shift = XFIELD(w, B_SHIFT),
        .in_addr = XFIELD(w, IN_ADDR),
        .out_addr = XFIELD(w, OUT_ADDR),
        .src_addr = XFIELD(w, SRC_ADDR),
        .h = XFIELD(w, H),
        .w = XFIELD(w, W),
        .c = XFIELD(w, C),
        .kh = XFIELD(w, KH),
        .kw = XFIELD(w, KW),
        .sh = XFIELD(w, SH),
        .sw = XFIELD(w, SW),
        .pt = XFIELD(w, PT),
        .pl = XFIELD(w, PL),
        .oh = XFIELD(w, OH),
        .ow = XFIELD(w, OW),
        .row_step = XFIELD(w, ROW_STEP),
        .pix_step = XFIELD(w, PIX_STEP),
        .orow_step = XFIELD(w, OROW_STEP),
        .pad_offset = XFIELD(w, PAD_OFFSET),
    };
    for (uint32_t i = 0; i < SK_XDESC_WORDS; i++)
        x.reserved_set |= (w[i] & reserved[i]) != 0;
    return x;
}

enum { KIND_DENSE, KIND_CONV2D, KIND_MAXPOOL, KIND_AVGPOOL, KIND_ADD, KIND_LAST = KIND_ADD };

/* An activation address (IN_ADDR, OUT_ADDR, SRC_ADDR): bit 16 picks ACT0/ACT1. */
static uint32_t addr_buffer(uint32_t addr)
{
    return (addr >> 16) & 1u;
}

static uint32_t addr_offset(uint32_t addr)
{
    return addr & 0xFFFFu;
}

static bool shift_ok(int s)
{
    return s >= SK_SHIFT_MIN && s <= SK_SHIFT_MAX;
}

/* The extension rules of DESC_DIMS (a zero dimension) and DESC_FIELD; an add ignores
 * the spatial fields (it has no window). */
static bool ext_dims_zero(const xdesc *x)
{
    return x->kind != KIND_ADD && (!x->h || !x->w || !x->c || !x->kh || !x->kw || !x->sh ||
                                   !x->sw || !x->oh || !x->ow);
}

static bool ext_field_bad(const desc *d, const xdesc *x)
{
    bool weighted = x->kind == KIND_DENSE || x->kind == KIND_CONV2D;
    return x->kind > KIND_LAST || (x->depthwise && x->kind != KIND_CONV2D) ||
           (d->raw && !weighted) || (d->per_channel && !weighted) ||
           (x->kind != KIND_ADD && (x->pt >= x->kh || x->pl >= x->kw)) ||
           (d->raw && x->out_addr % 4) || x->reserved_set;
}

/* The checks of docs/regmap.md "Error codes" in the order rtl/sk_core.v applies
 * them (lowest code first; the run-time errors come later). `x` is the layer's
 * extension when d->has_ext, else NULL (a build without FEATURES.CNN has no XDESC to
 * read: there EXT is a DESC_FIELD error and K is chained like a dense layer's).
 * SK_HWERR_NONE if clean. */
static uint32_t check(const sk_device *dev, const desc *d, const xdesc *x, const desc *prev,
                      uint32_t layer, uint32_t num_layers)
{
    const sk_device_config *c = &dev->cfg;
    if (d->k == 0 || d->n == 0 || (x && ext_dims_zero(x)))
        return SK_HWERR_DESC_DIMS;
    if (prev && (d->in_signed != prev->out_signed ||
                 (!d->has_ext && !prev->has_ext && d->k != prev->n)))
        return SK_HWERR_DESC_CHAIN;
    if (d->out_bits < 2 || d->out_bits > 8 || (d->raw && d->relu) ||
        (d->raw && layer != num_layers - 1) || d->reserved_set || (d->ext && !c->cnn) ||
        (x && ext_field_bad(d, x)))
        return SK_HWERR_DESC_FIELD;
    if (!d->per_channel && !d->raw && !shift_ok(d->shift))
        return SK_HWERR_SHIFT_RANGE;
    bool weighted = !x || x->kind == KIND_DENSE || x->kind == KIND_CONV2D;
    if (weighted && (uint64_t)d->bias_base + d->n > c->bias_depth)
        return SK_HWERR_BIAS_RANGE;
    if (d->per_channel && (uint64_t)d->shift_base + d->n > c->shift_depth)
        return SK_HWERR_SHIFT_ADDR_RANGE;
    if (x) {
        if (addr_offset(x->in_addr) >= c->act_bytes || addr_offset(x->out_addr) >= c->act_bytes ||
            (x->kind == KIND_ADD && addr_offset(x->src_addr) >= c->act_bytes))
            return SK_HWERR_ACT_RANGE;
        return SK_HWERR_NONE; /* the rest is found as the layer runs (run_layer) */
    }
    if (d->k > c->act_bytes || (uint64_t)d->n * (d->raw ? 4 : 1) > c->act_bytes)
        return SK_HWERR_ACT_RANGE;
    return SK_HWERR_NONE; /* WEIGHT_RANGE is found as rows are issued (run_layer) */
}

static void put_word(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* ---- Running a layer (docs/regmap.md "Extension descriptor (XDESC)") ----
 *
 * Cycle times below count from the layer's first tap (cycle 0), on the schedule of
 * rtl/sk_core.v. Block j's taps 0..T-2 issue on consecutive cycles after block j-1's
 * last tap, its last tap at E_j = E_{j-1} + max(T, 3, a_{j-1}) (E_0 = T - 1); its
 * channel i enters the requant unit at E_j + SK_TIMING_POP_DELAY + i and is written
 * SK_TIMING_REQUANT_STAGES cycles later (sk_device_timing.h). A run-time error aborts
 * the run in the cycle it is found:
 *   a tap: WEIGHT_RANGE or ACT_RANGE, in its issue cycle (it does not issue);
 *   an output past the end of its buffer: ACT_RANGE, as it enters the requant unit;
 *   a per-channel shift outside -16..31: SHIFT_RANGE, SK_TIMING_SHIFT_ERR_DELAY
 *   cycles after that (the requant unit checks it in its first stage).
 * Within one cycle sk_core.v reports SHIFT_RANGE, then an output's ACT_RANGE, then
 * WEIGHT_RANGE, then a tap's ACT_RANGE. The abort flushes the requant pipeline:
 * outputs due to be written after the abort cycle are lost. */

/* Outputs in flight enter the requant unit one per cycle, so the pending FIFO holds
 * at most the 7 of earlier blocks that are not yet safe to write when a block ends
 * (they enter at or after E_j - 4), plus the block's own (<= 64). */
#define EXT_PENDING_CAP 128u
#define EXT_MAX_LANES 64u

/* Run-time error events, in the priority order of one cycle (sk_core.v abort_err). */
typedef enum ext_event {
    EV_SHIFT,  /* SHIFT_RANGE of a per-channel shift */
    EV_OUTPUT, /* ACT_RANGE of an output */
    EV_WEIGHT, /* WEIGHT_RANGE of a tap */
    EV_TAP,    /* ACT_RANGE of a tap */
    EV_NONE
} ext_event;

static uint32_t event_code(ext_event ev)
{
    switch (ev) {
    case EV_SHIFT: return SK_HWERR_SHIFT_RANGE;
    case EV_OUTPUT:
    case EV_TAP: return SK_HWERR_ACT_RANGE;
    case EV_WEIGHT: return SK_HWERR_WEIGHT_RANGE;
    case EV_NONE: break;
    }
    return SK_HWERR_NONE;
}

/* A computed output waiting for the cycle it is written in. */
typedef struct ext_output {
    uint64_t time;
    uint64_t offset; /* byte offset in the output buffer */
    uint32_t value;  /* an activation byte, or the int32 word of a RAW layer */
} ext_output;

/* The state of one layer's run. */
typedef struct ext_run {
    sk_device *dev;
    const desc *d;
    const xdesc *x;
    bool weighted;        /* dense, conv2d: weight rows, bias, lanes 0..a-1 */
    bool one_channel;     /* depthwise conv2d, pooling, add: lane 0, channel = group */
    uint32_t group_lanes; /* channels per group: LANES or 1 */
    uint32_t groups;
    uint64_t pixels;      /* OH*OW; 1 for add */
    uint32_t ow;          /* output pixels per row: OW; 1 for add (which ignores OW) */
    uint64_t chans;       /* taps per kernel position: C, or 1 for one-channel kinds */
    uint64_t taps;        /* T */
    ext_output pending[EXT_PENDING_CAP];
    uint32_t head, count; /* FIFO, in time order */
    uint64_t err_time;    /* cycle of the first run-time error, UINT64_MAX if none */
    ext_event err;
    uint64_t issued, macs;
} ext_run;

/* Record a run-time error: the first in time wins, then the priority of ext_event. */
static void ext_fail(ext_run *r, uint64_t time, ext_event ev)
{
    if (time < r->err_time || (time == r->err_time && ev < r->err)) {
        r->err_time = time;
        r->err = ev;
    }
}

/* Write every pending output due to be written before cycle `time`. */
static void ext_commit_before(ext_run *r, uint64_t time)
{
    uint8_t *out = r->dev->act[addr_buffer(r->x->out_addr)];
    while (r->count && r->pending[r->head].time < time) {
        const ext_output *o = &r->pending[r->head];
        if (r->d->raw)
            put_word(out + o->offset, o->value);
        else
            out[o->offset] = (uint8_t)o->value;
        r->head = (r->head + 1) % EXT_PENDING_CAP;
        r->count--;
    }
}

static void ext_push(ext_run *r, uint64_t time, uint64_t offset, uint32_t value)
{
    if (r->count == EXT_PENDING_CAP) /* cannot happen (see EXT_PENDING_CAP); stay safe */
        ext_commit_before(r, UINT64_MAX);
    r->pending[(r->head + r->count) % EXT_PENDING_CAP] = (ext_output){time, offset, value};
    r->count++;
}

/* One activation byte as its type: int8 or uint8. */
static int32_t act_value(const uint8_t *buf, int64_t offset, bool is_signed)
{
    return is_signed ? (int32_t)(int8_t)buf[offset] : (int32_t)buf[offset];
}

/* Tap t of group g at pixel (oy, ox): its activation (0 for padding) into the
 * accumulators. Returns EV_NONE, or the error that stops the run before the tap
 * issues (a bad weight row first, as sk_core.v). */
static ext_event ext_tap(ext_run *r, uint64_t oy, uint64_t ox, uint32_t g, uint64_t t,
                        uint32_t active, uint32_t *acc)
{
    const sk_device *dev = r->dev;
    const desc *d = r->d;
    const xdesc *x = r->x;
    const int64_t act_bytes = dev->cfg.act_bytes;
    uint64_t row = (uint64_t)d->w_base + (uint64_t)g * r->taps + t;
    if (r->weighted && row >= dev->cfg.weight_rows)
        return EV_WEIGHT;
    int32_t v = 0;
    if (x->kind == KIND_ADD) { /* a at IN_ADDR + g, then b at SRC_ADDR + g */
        uint32_t addr = t == 0 ? x->in_addr : x->src_addr;
        int64_t off = (int64_t)addr_offset(addr) + g;
        if (off >= act_bytes)
            return EV_TAP;
        v = act_value(dev->act[addr_buffer(addr)], off, t == 0 ? d->in_signed : x->src_signed);
        acc[0] += (uint32_t)v << (t == 0 ? x->a_shift : x->b_shift);
        return EV_NONE;
    }
    uint64_t pos = t / r->chans, ci = t % r->chans;
    int64_t ky = (int64_t)(pos / x->kw), kx = (int64_t)(pos % x->kw);
    int64_t ch = r->one_channel ? (int64_t)g : (int64_t)ci;
    int64_t iy = (int64_t)oy * x->sh - x->pt + ky, ix = (int64_t)ox * x->sw - x->pl + kx;
    if (iy >= 0 && iy < x->h && ix >= 0 && ix < x->w) { /* else padding: 0, no read */
        int64_t off = (int64_t)addr_offset(x->in_addr) - x->pad_offset +
                      (int64_t)oy * x->orow_step + (int64_t)ox * x->pix_step +
                      ky * x->row_step + kx * x->c + ch;
        if (off < 0 || off >= act_bytes)
            return EV_TAP;
        v = act_value(dev->act[addr_buffer(x->in_addr)], off, d->in_signed);
    }
    switch (x->kind) {
    case KIND_MAXPOOL:
        if (v > (int32_t)acc[0])
            acc[0] = (uint32_t)v;
        break;
    case KIND_AVGPOOL: acc[0] += (uint32_t)v; break;
    default: /* dense, conv2d: the RTL's 32-bit wrap-around, never UB */
        for (uint32_t l = 0; l < active; l++) {
            int32_t w = (int8_t)dev->weights[row * dev->row_bytes + l];
            acc[l] += (uint32_t)(w * v);
        }
        break;
    }
    return EV_NONE;
}

/* The accumulators of group g before its first tap: the bias of a weighted kind,
 * below every tap for maxpool, else 0. */
static void ext_block_start(const ext_run *r, uint32_t g, uint32_t active, uint32_t *acc)
{
    for (uint32_t l = 0; l < active; l++) {
        uint32_t n = r->one_channel ? g : g * r->group_lanes + l;
        if (r->weighted)
            acc[l] = (uint32_t)r->dev->bias[r->d->bias_base + n];
        else
            acc[l] = r->x->kind == KIND_MAXPOOL ? (uint32_t)INT32_MIN : 0;
    }
}

/* The outputs of a block whose last tap issued at cycle `end`: requantized (or raw)
 * into the pending FIFO, and the errors they raise. */
static void ext_outputs(ext_run *r, uint64_t p, uint32_t g, uint32_t active, const uint32_t *acc,
                        uint64_t end)
{
    const sk_device *dev = r->dev;
    const desc *d = r->d;
    sk_qtype type = {(int)d->out_bits, d->out_signed};
    /* every error still to come is at cycle end + 1 or later (the run got here), so
     * an output written by then is safe */
    ext_commit_before(r, end + 2);
    for (uint32_t i = 0; i < active; i++) {
        uint64_t pop = end + SK_TIMING_POP_DELAY + i;
        if (pop > r->err_time)
            return; /* the run has stopped by then */
        uint32_t n = r->one_channel ? g : g * r->group_lanes + i;
        int s = d->per_channel ? dev->shift[d->shift_base + n] : d->shift;
        uint64_t elem = p * d->n + n, size = d->raw ? 4 : 1;
        uint64_t offset = addr_offset(r->x->out_addr) + elem * size;
        if (offset + size > dev->cfg.act_bytes) {
            ext_fail(r, pop, EV_OUTPUT);
            return;
        }
        if (!d->raw && !shift_ok(s)) {
            ext_fail(r, pop + SK_TIMING_SHIFT_ERR_DELAY, EV_SHIFT);
            continue; /* later outputs may enter by then */
        }
        uint32_t value = acc[i];
        if (!d->raw)
            value = (uint8_t)sk_requantize((int32_t)acc[i], s, (sk_rounding)d->round, type,
                                           d->relu);
        ext_push(r, pop + SK_TIMING_REQUANT_STAGES, offset, value);
    }
}

/* The layer's geometry in issue order (docs/regmap.md: groups and taps per kind). */
static void ext_shape(ext_run *r)
{
    const xdesc *x = r->x;
    r->weighted = x->kind == KIND_DENSE || x->kind == KIND_CONV2D;
    r->one_channel = !r->weighted || x->depthwise;
    r->group_lanes = r->one_channel ? 1 : r->dev->cfg.lanes;
    r->groups = (uint32_t)(((uint64_t)r->d->n + r->group_lanes - 1) / r->group_lanes);
    r->pixels = x->kind == KIND_ADD ? 1 : (uint64_t)x->oh * x->ow;
    r->ow = x->kind == KIND_ADD ? 1 : x->ow;
    r->chans = r->one_channel ? 1 : x->c;
    r->taps = x->kind == KIND_ADD ? 2 : (uint64_t)x->kh * x->kw * r->chans;
}

/* The extension a layer without EXT runs as: dense from byte 0 of ACT(i % 2) to byte
 * 0 of ACT((i + 1) % 2), one pixel, a 1x1 window, C = K. */
static xdesc dense_xdesc(const desc *d, uint32_t layer)
{
    return (xdesc){.kind = KIND_DENSE, .in_addr = (layer % 2) << 16,
                   .out_addr = ((layer + 1) % 2) << 16, .h = 1, .w = 1, .c = d->k, .kh = 1,
                   .kw = 1, .sh = 1, .sw = 1, .oh = 1, .ow = 1, .row_step = d->k,
                   .pix_step = d->k, .orow_step = d->k};
}

/* Run one checked layer (x: its extension, or dense_xdesc without EXT). Returns its
 * error code (SK_HWERR_NONE when clean) and fills the cycle, issue and MAC counts. */
static uint32_t run_layer(sk_device *dev, const desc *d, const xdesc *x, uint64_t *cycles,
                          uint64_t *issued, uint64_t *macs)
{
    ext_run *r = &(ext_run){.dev = dev, .d = d, .x = x, .err_time = UINT64_MAX, .err = EV_NONE};
    ext_shape(r);
    uint32_t acc[EXT_MAX_LANES];
    uint64_t last_tap = 0; /* E_{j-1} */
    uint32_t prev_active = 0;
    bool stop = false;
    for (uint64_t p = 0; p < r->pixels && !stop; p++) {
        uint64_t oy = p / r->ow, ox = p % r->ow;
        for (uint32_t g = 0; g < r->groups && !stop; g++) {
            uint32_t active = d->n - g * r->group_lanes;
            if (active > r->group_lanes)
                active = r->group_lanes;
            bool first = p == 0 && g == 0;
            uint64_t start = first ? 0 : last_tap + 1;
            uint64_t end = first ? r->taps - 1
                                 : last_tap + sk_timing_block_cycles(r->taps, prev_active);
            ext_block_start(r, g, active, acc);
            for (uint64_t t = 0; t < r->taps && !stop; t++) {
                uint64_t when = t + 1 == r->taps ? end : start + t;
                if (when > r->err_time) {
                    stop = true;
                    break;
                }
                ext_event ev = ext_tap(r, oy, ox, g, t, active, acc);
                if (ev != EV_NONE) {
                    ext_fail(r, when, ev);
                    stop = true;
                    break;
                }
                /* a tap issues even in the cycle an output's error aborts the run */
                r->issued++;
                r->macs += active;
                if (when == r->err_time) {
                    stop = true;
                    break;
                }
            }
            if (stop)
                break;
            ext_outputs(r, p, g, active, acc, end);
            last_tap = end;
            prev_active = active;
        }
    }
    /* the abort cycle still writes; a clean layer writes everything */
    ext_commit_before(r, r->err == EV_NONE ? UINT64_MAX : r->err_time + 1);
    *issued = r->issued;
    *macs = r->macs;
    if (r->err != EV_NONE) /* the cycles up to the abort, then StDone */
        *cycles = (d->has_ext ? sk_timing_ext_check_cycles() : sk_timing_check_cycles()) +
                  r->err_time + 1;
    else if (d->has_ext)
        *cycles = sk_timing_ext_layer_cycles(r->group_lanes, r->taps, r->pixels, d->n);
    else
        *cycles = sk_timing_layer_cycles(dev->cfg.lanes, d->k, d->n);
    return event_code(r->err);
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
        /* a build without FEATURES.CNN has no XDESC: EXT fails DESC_FIELD unread */
        bool ext = d.has_ext = d.ext && c->cnn;
        xdesc x = {0};
        if (ext)
            x = xdecode(dev->xdesc + (size_t)i * (SK_XDESC_BYTES / 4));
        uint32_t code = check(dev, &d, ext ? &x : NULL, i ? &prev : NULL, i, num_layers);
        if (code != SK_HWERR_NONE) { /* the run ends after the check */
            run->err_code = code;
            run->err_layer = i;
            run->cycles += ext ? sk_timing_ext_check_cycles() : sk_timing_check_cycles();
            return;
        }
        if (!ext)
            x = dense_xdesc(&d, i);
        uint64_t cycles = 0, issued = 0, macs = 0;
        code = run_layer(dev, &d, &x, &cycles, &issued, &macs);
        run->cycles += cycles;
        run->issue_cycles += issued;
        run->macs += macs;
        if (code != SK_HWERR_NONE) {
            run->err_code = code;
            run->err_layer = i;
            return;
        }
        prev = d;
    }
}
