/* sk_device.c — the device model's bus front end: register file, memory windows,
 * SLVERR rules, CTRL pulses, simulated time and the IRQ line (docs/regmap.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shiftkit/sk_regs.h"
#include "sk_device_internal.h"

#define SK_DEV_REG_PAGE 0x1000u /* registers live below the first window */

static sk_status fail_arg(sk_error *err, const char *what)
{
    if (err) {
        strncpy(err->msg, what, sizeof err->msg - 1);
        err->msg[sizeof err->msg - 1] = '\0';
    }
    return SK_ERR_BAD_ARG;
}

void sk_device_default_config(sk_device_config *cfg)
{
    *cfg = (sk_device_config){
        .lanes = SK_DEFAULT_LANES,
        .weight_rows = SK_DEFAULT_WEIGHT_ROWS,
        .bias_depth = SK_DEFAULT_BIAS_DEPTH,
        .shift_depth = SK_DEFAULT_SHIFT_DEPTH,
        .act_bytes = SK_DEFAULT_ACT_BYTES,
        .max_layers = SK_DEFAULT_MAX_LAYERS,
        .cnn = SK_DEFAULT_CNN,
        .clock_mhz = 100,
        .bus_cycles = 4,
    };
}

static uint32_t row_bytes_of(uint32_t lanes)
{
    uint32_t rb = 4;
    while (rb < lanes)
        rb *= 2;
    return rb;
}

sk_status sk_device_create(const sk_device_config *cfg, sk_device **out, sk_error *err)
{
    if (!cfg || !out)
        return fail_arg(err, "sk_device_create: NULL config or result");
    if (cfg->lanes < 1 || cfg->lanes > 64)
        return fail_arg(err, "device config: lanes must be 1..64");
    uint32_t rb = row_bytes_of(cfg->lanes);
    if (cfg->weight_rows < 1 || (uint64_t)cfg->weight_rows * rb > SK_WIN_WEIGHTS_SPAN)
        return fail_arg(err, "device config: weight_rows must be >= 1 and fit the WEIGHTS window");
    if (cfg->bias_depth < 1 || (uint64_t)cfg->bias_depth * 4 > SK_WIN_BIAS_SPAN)
        return fail_arg(err, "device config: bias_depth must be >= 1 and fit the BIAS window");
    if (cfg->shift_depth < 4 || cfg->shift_depth % 4 || cfg->shift_depth > SK_WIN_SHIFT_SPAN)
        return fail_arg(err, "device config: shift_depth must be a multiple of 4 that fits the SHIFT window");
    if (cfg->act_bytes < 4 || cfg->act_bytes % 4 || cfg->act_bytes > SK_WIN_ACT0_SPAN)
        return fail_arg(err, "device config: act_bytes must be a multiple of 4 that fits an ACT window");
    if (cfg->max_layers < 1 || cfg->max_layers > 255 ||
        cfg->max_layers * SK_DESC_BYTES > SK_WIN_DESC_SPAN)
        return fail_arg(err, "device config: max_layers must be 1..255 and fit the DESC window");
    if (cfg->cnn > 1)
        return fail_arg(err, "device config: cnn must be 0 or 1");
    if (cfg->clock_mhz < 1)
        return fail_arg(err, "device config: clock_mhz must be >= 1");

    sk_device *dev = calloc(1, sizeof *dev);
    if (!dev) {
        if (err)
            snprintf(err->msg, sizeof err->msg, "device model: state");
        return SK_ERR_NOMEM;
    }
    dev->cfg = *cfg;
    dev->row_bytes = rb;
    dev->weights = calloc((size_t)cfg->weight_rows * rb, 1);
    dev->bias = calloc(cfg->bias_depth, sizeof *dev->bias);
    dev->shift = calloc(cfg->shift_depth, 1);
    dev->act[0] = calloc(cfg->act_bytes, 1);
    dev->act[1] = calloc(cfg->act_bytes, 1);
    dev->desc = calloc((size_t)cfg->max_layers * SK_DESC_WORDS, sizeof *dev->desc);
    if (cfg->cnn)
        dev->xdesc = calloc((size_t)cfg->max_layers * SK_XDESC_BYTES / 4, sizeof *dev->xdesc);
    if (!dev->weights || !dev->bias || !dev->shift || !dev->act[0] || !dev->act[1] ||
        !dev->desc || (cfg->cnn && !dev->xdesc)) {
        sk_device_free(dev);
        if (err)
            snprintf(err->msg, sizeof err->msg, "device model: memories of this build");
        return SK_ERR_NOMEM;
    }
    dev->num_layers = 1; /* reset value of NUM_LAYERS */
    *out = dev;
    return SK_OK;
}

void sk_device_free(sk_device *dev)
{
    if (!dev)
        return;
    free(dev->weights);
    free(dev->bias);
    free(dev->shift);
    free(dev->act[0]);
    free(dev->act[1]);
    free(dev->desc);
    free(dev->xdesc);
    free(dev);
}

static uint32_t sat32(uint64_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* Publish the run's outcome once simulated time has reached its end. */
static void update(sk_device *dev)
{
    if (!dev->busy || dev->now < dev->done_at)
        return;
    const sk_device_run *run = &dev->run;
    dev->busy = false;
    dev->status |= SK_STATUS_DONE_MASK;
    if (run->err_code != SK_HWERR_NONE)
        dev->status |= SK_STATUS_ERROR_MASK | run->err_code << SK_STATUS_ERR_CODE_SHIFT |
                       (run->err_layer & 0xFFu) << SK_STATUS_ERR_LAYER_SHIFT;
    dev->cur_layer = run->last_layer;
    dev->perf_cycles = sat32(run->cycles);
    dev->perf_macs = sat32(run->macs);
    dev->perf_stalls = sat32(run->cycles - run->issue_cycles);
}

void sk_device_advance(sk_device *dev, uint64_t cycles)
{
    dev->now += cycles;
    update(dev);
}

uint64_t sk_device_cycles_to_done(const sk_device *dev)
{
    return dev->busy ? dev->done_at - dev->now : 0;
}

uint64_t sk_device_now(const sk_device *dev)
{
    return dev->now;
}

bool sk_device_irq(const sk_device *dev)
{
    return (dev->status & SK_STATUS_DONE_MASK) && (dev->irq_enable & SK_IRQ_ENABLE_DONE_MASK);
}

static void start(sk_device *dev)
{
    if (dev->busy) {
        dev->status |= SK_STATUS_START_REFUSED_MASK;
        return;
    }
    dev->status = 0;
    dev->perf_cycles = dev->perf_macs = dev->perf_stalls = 0;
    sk_device_execute(dev, &dev->run);
    dev->busy = true;
    dev->run_start = dev->now;
    dev->done_at = dev->now + dev->run.cycles;
}

static void soft_reset(sk_device *dev)
{
    dev->busy = false;
    dev->status = 0;
    dev->perf_cycles = dev->perf_macs = dev->perf_stalls = 0;
}

/* Which window `offset` lands in, its offset inside it, and whether this build has it. */
typedef enum window {
    WIN_NONE, WIN_DESC, WIN_XDESC, WIN_BIAS, WIN_SHIFT, WIN_ACT0, WIN_ACT1, WIN_WEIGHTS
} window;

static window find_window(const sk_device *dev, uint32_t offset, uint32_t *rel, bool *in_size)
{
    static const struct { window w; uint32_t base, span; } map[] = {
        {WIN_DESC, SK_WIN_DESC_BASE, SK_WIN_DESC_SPAN},
        {WIN_XDESC, SK_WIN_XDESC_BASE, SK_WIN_XDESC_SPAN},
        {WIN_BIAS, SK_WIN_BIAS_BASE, SK_WIN_BIAS_SPAN},
        {WIN_SHIFT, SK_WIN_SHIFT_BASE, SK_WIN_SHIFT_SPAN},
        {WIN_ACT0, SK_WIN_ACT0_BASE, SK_WIN_ACT0_SPAN},
        {WIN_ACT1, SK_WIN_ACT1_BASE, SK_WIN_ACT1_SPAN},
        {WIN_WEIGHTS, SK_WIN_WEIGHTS_BASE, SK_WIN_WEIGHTS_SPAN},
    };
    const sk_device_config *c = &dev->cfg;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (offset < map[i].base || offset - map[i].base >= map[i].span)
            continue;
        *rel = offset - map[i].base;
        uint64_t size = 0;
        switch (map[i].w) {
        case WIN_DESC: size = (uint64_t)c->max_layers * SK_DESC_BYTES; break;
        /* a build without FEATURES.CNN answers SLVERR on the whole window */
        case WIN_XDESC: size = c->cnn ? (uint64_t)c->max_layers * SK_XDESC_BYTES : 0; break;
        case WIN_BIAS: size = (uint64_t)c->bias_depth * 4; break;
        case WIN_SHIFT: size = c->shift_depth; break;
        case WIN_ACT0:
        case WIN_ACT1: size = c->act_bytes; break;
        case WIN_WEIGHTS: size = (uint64_t)c->weight_rows * dev->row_bytes; break;
        case WIN_NONE: break;
        }
        *in_size = *rel < size;
        return map[i].w;
    }
    return WIN_NONE;
}

/* A window word the host may access now: 0, or -1 for SLVERR (no window, beyond this
 * build's size, or the sequencer owns the memories while BUSY). */
static int window_access(const sk_device *dev, uint32_t offset, window *w, uint32_t *rel)
{
    bool in_size = false;
    *w = find_window(dev, offset, rel, &in_size);
    return *w == WIN_NONE || !in_size || dev->busy ? -1 : 0;
}

static uint32_t get_bytes(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_bytes(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static int read_register(sk_device *dev, uint32_t offset, uint32_t *value)
{
    const sk_device_config *c = &dev->cfg;
    switch (offset) {
    case SK_REG_ID: *value = SK_ID_MAGIC; return 0;
    case SK_REG_VERSION: *value = SK_VERSION_VALUE; return 0;
    case SK_REG_CTRL: *value = 0; return 0;
    case SK_REG_IRQ_ENABLE: *value = dev->irq_enable; return 0;
    case SK_REG_STATUS: *value = dev->status | (dev->busy ? SK_STATUS_BUSY_MASK : 0); return 0;
    case SK_REG_NUM_LAYERS: *value = dev->num_layers; return 0;
    case SK_REG_CUR_LAYER: *value = dev->cur_layer; return 0;
    case SK_REG_LANES: *value = c->lanes; return 0;
    case SK_REG_WEIGHT_ROWS: *value = c->weight_rows; return 0;
    case SK_REG_WEIGHT_ROW_BYTES: *value = dev->row_bytes; return 0;
    case SK_REG_BIAS_DEPTH: *value = c->bias_depth; return 0;
    case SK_REG_SHIFT_DEPTH: *value = c->shift_depth; return 0;
    case SK_REG_ACT_BYTES: *value = c->act_bytes; return 0;
    case SK_REG_MAX_LAYERS: *value = c->max_layers; return 0;
    case SK_REG_MAX_BATCH: *value = 1; return 0;
    case SK_REG_PERF_CYCLES:
        /* counts up during a run, like the RTL's counter */
        *value = dev->busy ? sat32(dev->now - dev->run_start) : dev->perf_cycles;
        return 0;
    case SK_REG_PERF_MACS: *value = dev->perf_macs; return 0;
    case SK_REG_PERF_STALLS: *value = dev->perf_stalls; return 0;
    case SK_REG_FEATURES: *value = c->cnn ? SK_FEATURES_CNN_MASK : 0; return 0;
    default: return -1;
    }
}

static int write_register(sk_device *dev, uint32_t offset, uint32_t value)
{
    switch (offset) {
    case SK_REG_CTRL:
        if (value & SK_CTRL_SOFT_RESET_MASK)
            soft_reset(dev);
        if (value & SK_CTRL_IRQ_CLEAR_MASK)
            dev->status &= ~SK_STATUS_DONE_MASK;
        if (value & SK_CTRL_START_MASK)
            start(dev);
        return 0;
    case SK_REG_IRQ_ENABLE: dev->irq_enable = value & SK_IRQ_ENABLE_DONE_MASK; return 0;
    case SK_REG_NUM_LAYERS: dev->num_layers = value & SK_NUM_LAYERS_VALUE_MASK; return 0;
    case SK_REG_ID: case SK_REG_VERSION: case SK_REG_STATUS: case SK_REG_CUR_LAYER:
    case SK_REG_LANES: case SK_REG_WEIGHT_ROWS: case SK_REG_WEIGHT_ROW_BYTES:
    case SK_REG_BIAS_DEPTH: case SK_REG_SHIFT_DEPTH: case SK_REG_ACT_BYTES:
    case SK_REG_MAX_LAYERS: case SK_REG_MAX_BATCH: case SK_REG_PERF_CYCLES:
    case SK_REG_PERF_MACS: case SK_REG_PERF_STALLS: case SK_REG_FEATURES:
        return 0; /* read-only: the write is ignored with OKAY */
    default: return -1;
    }
}

/* One weight-window word: bytes at or beyond LANES in a row read 0, ignore writes. */
static uint32_t weight_word(const sk_device *dev, uint32_t rel)
{
    uint32_t v = 0;
    for (uint32_t b = 0; b < 4; b++) {
        uint32_t lane = (rel + b) % dev->row_bytes;
        if (lane < dev->cfg.lanes)
            v |= (uint32_t)dev->weights[rel + b] << (8 * b);
    }
    return v;
}

int sk_device_read32(sk_device *dev, uint32_t offset, uint32_t *value)
{
    sk_device_advance(dev, dev->cfg.bus_cycles);
    *value = 0;
    offset &= ~3u; /* address bits 1:0 are ignored (docs/regmap.md) */
    if (offset < SK_DEV_REG_PAGE)
        return read_register(dev, offset, value);
    uint32_t rel = 0;
    window w = WIN_NONE;
    if (window_access(dev, offset, &w, &rel) != 0)
        return -1;
    switch (w) {
    case WIN_DESC: *value = dev->desc[rel / 4]; break;
    case WIN_XDESC: *value = dev->xdesc[rel / 4]; break;
    case WIN_BIAS: *value = (uint32_t)dev->bias[rel / 4]; break;
    case WIN_SHIFT: *value = get_bytes((const uint8_t *)dev->shift + rel); break;
    case WIN_ACT0: *value = get_bytes(dev->act[0] + rel); break;
    case WIN_ACT1: *value = get_bytes(dev->act[1] + rel); break;
    case WIN_WEIGHTS: *value = weight_word(dev, rel); break;
    case WIN_NONE: return -1;
    }
    return 0;
}

int sk_device_write32(sk_device *dev, uint32_t offset, uint32_t value)
{
    sk_device_advance(dev, dev->cfg.bus_cycles);
    offset &= ~3u; /* address bits 1:0 are ignored (docs/regmap.md) */
    if (offset < SK_DEV_REG_PAGE)
        return write_register(dev, offset, value);
    uint32_t rel = 0;
    window w = WIN_NONE;
    if (window_access(dev, offset, &w, &rel) != 0)
        return -1;
    switch (w) {
    case WIN_DESC: dev->desc[rel / 4] = value; break;
    case WIN_XDESC: dev->xdesc[rel / 4] = value; break;
    case WIN_BIAS: dev->bias[rel / 4] = (int32_t)value; break;
    case WIN_SHIFT: put_bytes((uint8_t *)dev->shift + rel, value); break;
    case WIN_ACT0: put_bytes(dev->act[0] + rel, value); break;
    case WIN_ACT1: put_bytes(dev->act[1] + rel, value); break;
    case WIN_WEIGHTS:
        for (uint32_t b = 0; b < 4; b++)
            if ((rel + b) % dev->row_bytes < dev->cfg.lanes)
                dev->weights[rel + b] = (uint8_t)(value >> (8 * b));
        break;
    case WIN_NONE: return -1;
    }
    return 0;
}

sk_hal_wait_result sk_device_wait_irq(sk_device *dev, uint32_t timeout_us)
{
    uint64_t budget = (uint64_t)timeout_us * dev->cfg.clock_mhz;
    if (sk_device_irq(dev))
        return SK_HAL_IRQ;
    if (dev->busy && (dev->irq_enable & SK_IRQ_ENABLE_DONE_MASK) &&
        dev->done_at - dev->now <= budget) {
        sk_device_advance(dev, dev->done_at - dev->now);
        return SK_HAL_IRQ;
    }
    sk_device_advance(dev, budget);
    return SK_HAL_TIMEOUT;
}

static int hal_read32(void *ctx, uint32_t offset, uint32_t *value)
{
    return sk_device_read32(ctx, offset, value);
}

static int hal_write32(void *ctx, uint32_t offset, uint32_t value)
{
    return sk_device_write32(ctx, offset, value);
}

static sk_hal_wait_result hal_wait_irq(void *ctx, uint32_t timeout_us)
{
    return sk_device_wait_irq(ctx, timeout_us);
}

void sk_device_hal(sk_device *dev, sk_hal *hal)
{
    *hal = (sk_hal){dev, hal_read32, hal_write32, hal_wait_irq};
}
