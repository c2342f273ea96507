/* sk_drv_core.c — the driver's device life cycle: open (ID, version, reset, build
 * parameters, FEATURES), reset, register access, and running a batch (input, START, bounded
 * wait, STATUS, output, performance counters), following docs/regmap.md "A run". */
#include <stdio.h>
#include <stdlib.h>

#include "shiftkit/sk_regs.h"
#include "sk_drv_internal.h"

/* Spurious wake-ups (IRQ with STATUS.DONE still 0) tolerated per run before the
 * driver calls it a timeout: a shared UIO line can wake us for an earlier event. */
#define SK_DRV_MAX_SPURIOUS_IRQS 4u

static const char *reg_name(uint32_t offset)
{
    switch (offset) {
    case SK_REG_ID: return "ID";
    case SK_REG_VERSION: return "VERSION";
    case SK_REG_CTRL: return "CTRL";
    case SK_REG_IRQ_ENABLE: return "IRQ_ENABLE";
    case SK_REG_STATUS: return "STATUS";
    case SK_REG_NUM_LAYERS: return "NUM_LAYERS";
    case SK_REG_CUR_LAYER: return "CUR_LAYER";
    case SK_REG_LANES: return "LANES";
    case SK_REG_WEIGHT_ROWS: return "WEIGHT_ROWS";
    case SK_REG_WEIGHT_ROW_BYTES: return "WEIGHT_ROW_BYTES";
    case SK_REG_BIAS_DEPTH: return "BIAS_DEPTH";
    case SK_REG_SHIFT_DEPTH: return "SHIFT_DEPTH";
    case SK_REG_ACT_BYTES: return "ACT_BYTES";
    case SK_REG_MAX_LAYERS: return "MAX_LAYERS";
    case SK_REG_MAX_BATCH: return "MAX_BATCH";
    case SK_REG_PERF_CYCLES: return "PERF_CYCLES";
    case SK_REG_PERF_MACS: return "PERF_MACS";
    case SK_REG_PERF_STALLS: return "PERF_STALLS";
    case SK_REG_FEATURES: return "FEATURES";
    default: return "window";
    }
}

sk_drv_status sk_drv_rd(sk_drv *drv, uint32_t offset, uint32_t *value, sk_error *err)
{
    if (drv->hal.read32(drv->hal.ctx, offset, value) != 0)
        return sk_drv_fail(err, SK_DRV_ERR_BUS, "read of %s at offset 0x%06x failed",
                           reg_name(offset), offset);
    return SK_DRV_OK;
}

sk_drv_status sk_drv_wr(sk_drv *drv, uint32_t offset, uint32_t value, sk_error *err)
{
    drv->writes++;
    if (drv->hal.write32(drv->hal.ctx, offset, value) != 0)
        return sk_drv_fail(err, SK_DRV_ERR_BUS, "write of 0x%08x to %s at offset 0x%06x failed",
                           value, reg_name(offset), offset);
    return SK_DRV_OK;
}

void sk_drv_default_options(sk_drv_options *opt)
{
    *opt = (sk_drv_options){.wait_mode = SK_DRV_WAIT_IRQ, .timeout_us = 1000000u,
                            .poll_limit = 1000000u};
}

sk_drv_status sk_drv_reset(sk_drv *drv, sk_error *err)
{
    if (!drv)
        return sk_drv_fail(err, SK_DRV_ERR_BAD_ARG, "sk_drv_reset: NULL device");
    drv->model.valid = false;
    sk_drv_status st = sk_drv_wr(drv, SK_REG_CTRL, SK_CTRL_SOFT_RESET_MASK, err);
    if (st != SK_DRV_OK)
        return st;
    uint32_t status = 0;
    for (uint32_t i = 0; i < drv->opt.poll_limit; i++) {
        st = sk_drv_rd(drv, SK_REG_STATUS, &status, err);
        if (st != SK_DRV_OK)
            return st;
        if (!(status & SK_STATUS_BUSY_MASK))
            return SK_DRV_OK;
    }
    return sk_drv_fail(err, SK_DRV_ERR_RESET_TIMEOUT, "STATUS.BUSY still 1 after %u reads "
                       "(STATUS=0x%08x)", drv->opt.poll_limit, status);
}

/* Read the build-parameter registers and reject values no legal build has. */
static sk_drv_status read_info(sk_drv *drv, sk_error *err)
{
    struct { uint32_t reg; uint32_t *dst; } params[] = {
        {SK_REG_LANES, &drv->info.lanes},
        {SK_REG_WEIGHT_ROWS, &drv->info.weight_rows},
        {SK_REG_WEIGHT_ROW_BYTES, &drv->info.weight_row_bytes},
        {SK_REG_BIAS_DEPTH, &drv->info.bias_depth},
        {SK_REG_SHIFT_DEPTH, &drv->info.shift_depth},
        {SK_REG_ACT_BYTES, &drv->info.act_bytes},
        {SK_REG_MAX_LAYERS, &drv->info.max_layers},
        {SK_REG_MAX_BATCH, &drv->info.max_batch},
    };
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
        sk_drv_status st = sk_drv_rd(drv, params[i].reg, params[i].dst, err);
        if (st != SK_DRV_OK)
            return st;
        if (*params[i].dst == 0)
            return sk_drv_fail(err, SK_DRV_ERR_NO_DEVICE, "build parameter %s reads 0",
                               reg_name(params[i].reg));
    }
    const sk_drv_info *in = &drv->info;
    if (in->lanes > 64 || in->weight_row_bytes < in->lanes || in->weight_row_bytes % 4 ||
        (uint64_t)in->weight_rows * in->weight_row_bytes > SK_WIN_WEIGHTS_SPAN)
        return sk_drv_fail(err, SK_DRV_ERR_NO_DEVICE, "implausible build parameters LANES=%u "
                           "WEIGHT_ROWS=%u WEIGHT_ROW_BYTES=%u", in->lanes, in->weight_rows,
                           in->weight_row_bytes);
    /* FEATURES came with register map 1.1: a 1.0 device has none (and no register) */
    drv->info.features = 0;
    if ((in->version & SK_VERSION_MINOR_MASK) >> SK_VERSION_MINOR_SHIFT >= 1)
        return sk_drv_rd(drv, SK_REG_FEATURES, &drv->info.features, err);
    return SK_DRV_OK;
}

sk_drv_status sk_drv_open(const sk_hal *hal, const sk_drv_options *opt, sk_drv **out,
                          sk_error *err)
{
    if (!hal || !hal->read32 || !hal->write32 || !hal->wait_irq || !out)
        return sk_drv_fail(err, SK_DRV_ERR_BAD_ARG, "sk_drv_open: NULL HAL function or result");
    sk_drv *drv = calloc(1, sizeof *drv);
    if (!drv)
        return sk_drv_fail(err, SK_DRV_ERR_NOMEM, "driver state");
    drv->hal = *hal;
    if (opt)
        drv->opt = *opt;
    else
        sk_drv_default_options(&drv->opt);
    if (drv->opt.poll_limit == 0)
        drv->opt.poll_limit = 1;

    uint32_t id = 0, version = 0;
    sk_drv_status st = sk_drv_rd(drv, SK_REG_ID, &id, err);
    if (st == SK_DRV_OK && id != SK_ID_MAGIC)
        st = sk_drv_fail(err, SK_DRV_ERR_NO_DEVICE, "ID register reads 0x%08x, want 0x%08x "
                         "(\"SKAC\")", id, SK_ID_MAGIC);
    if (st == SK_DRV_OK)
        st = sk_drv_rd(drv, SK_REG_VERSION, &version, err);
    uint32_t major = (version & SK_VERSION_MAJOR_MASK) >> SK_VERSION_MAJOR_SHIFT;
    uint32_t minor = (version & SK_VERSION_MINOR_MASK) >> SK_VERSION_MINOR_SHIFT;
    /* same MAJOR; any MINOR: dense models need 1.0, CNN models FEATURES.CNN (1.1) */
    if (st == SK_DRV_OK && major != SK_VERSION_MAJOR)
        st = sk_drv_fail(err, SK_DRV_ERR_VERSION, "device register map %u.%u, driver needs "
                         "%u.x", major, minor, SK_VERSION_MAJOR);
    drv->info.version = version;
    if (st == SK_DRV_OK)
        st = sk_drv_reset(drv, err);
    if (st == SK_DRV_OK)
        st = read_info(drv, err);
    if (st == SK_DRV_OK)
        st = sk_drv_wr(drv, SK_REG_IRQ_ENABLE,
                       drv->opt.wait_mode == SK_DRV_WAIT_IRQ ? SK_IRQ_ENABLE_DONE_MASK : 0, err);
    if (st != SK_DRV_OK) {
        free(drv);
        return st;
    }
    *out = drv;
    return SK_DRV_OK;
}

void sk_drv_close(sk_drv *drv)
{
    free(drv);
}

const sk_drv_info *sk_drv_get_info(const sk_drv *drv)
{
    return &drv->info;
}

sk_drv_status sk_drv_read_perf(sk_drv *drv, sk_drv_perf *perf, sk_error *err)
{
    if (!drv || !perf)
        return sk_drv_fail(err, SK_DRV_ERR_BAD_ARG, "sk_drv_read_perf: NULL argument");
    uint32_t cycles = 0, macs = 0, stalls = 0;
    sk_drv_status st = sk_drv_rd(drv, SK_REG_PERF_CYCLES, &cycles, err);
    if (st == SK_DRV_OK)
        st = sk_drv_rd(drv, SK_REG_PERF_MACS, &macs, err);
    if (st == SK_DRV_OK)
        st = sk_drv_rd(drv, SK_REG_PERF_STALLS, &stalls, err);
    if (st != SK_DRV_OK)
        return st;
    *perf = (sk_drv_perf){.busy_cycles = cycles, .macs = macs, .stall_cycles = stalls, .starts = 1};
    return SK_DRV_OK;
}

/* Wait for STATUS.DONE after a START: the interrupt with the timeout, or a bounded
 * number of STATUS reads. *status receives the final STATUS. */
static sk_drv_status wait_done(sk_drv *drv, uint32_t *status, sk_error *err)
{
    sk_drv_status st;
    if (drv->opt.wait_mode == SK_DRV_WAIT_POLL) {
        for (uint32_t i = 0; i < drv->opt.poll_limit; i++) {
            if ((st = sk_drv_rd(drv, SK_REG_STATUS, status, err)) != SK_DRV_OK)
                return st;
            if (*status & SK_STATUS_DONE_MASK)
                return SK_DRV_OK;
        }
        return sk_drv_fail(err, SK_DRV_ERR_TIMEOUT, "STATUS.DONE not set after %u reads "
                           "(STATUS=0x%08x)", drv->opt.poll_limit, *status);
    }
    for (uint32_t wakes = 0; wakes <= SK_DRV_MAX_SPURIOUS_IRQS; wakes++) {
        sk_hal_wait_result r = drv->hal.wait_irq(drv->hal.ctx, drv->opt.timeout_us);
        if (r == SK_HAL_FAULT)
            return sk_drv_fail(err, SK_DRV_ERR_HAL_FAULT, "wait_irq failed");
        if (r == SK_HAL_TIMEOUT) {
            /* best effort: the STATUS read only enriches the message */
            if (drv->hal.read32(drv->hal.ctx, SK_REG_STATUS, status) != 0)
                *status = 0;
            return sk_drv_fail(err, SK_DRV_ERR_TIMEOUT, "no done interrupt within %u us "
                               "(STATUS=0x%08x)", drv->opt.timeout_us, *status);
        }
        if ((st = sk_drv_rd(drv, SK_REG_STATUS, status, err)) != SK_DRV_OK)
            return st;
        if (*status & SK_STATUS_DONE_MASK)
            return SK_DRV_OK;
    }
    return sk_drv_fail(err, SK_DRV_ERR_TIMEOUT, "%u interrupts without STATUS.DONE "
                       "(STATUS=0x%08x)", SK_DRV_MAX_SPURIOUS_IRQS + 1, *status);
}

static sk_drv_status check_input(const sk_drv_loaded *m, const int32_t *x, size_t sample,
                                 sk_error *err)
{
    int32_t lo = sk_qtype_min(m->in), hi = sk_qtype_max(m->in);
    for (uint32_t k = 0; k < m->in_elems; k++)
        if (x[k] < lo || x[k] > hi)
            return sk_drv_fail(err, SK_DRV_ERR_INPUT, "sample %zu index %u: value %d outside "
                               "the model's %s %d-bit input range %d..%d", sample, k, x[k],
                               m->in.is_signed ? "signed" : "unsigned", m->in.bits, lo, hi);
    return SK_DRV_OK;
}

/* Input bytes, little-endian, ceil(elements/4) words (regmap "Input"), at ACT0 for a
 * dense model, at layer 0's IN_ADDR for an EXT one (always a multiple of 4). */
static sk_drv_status write_input(sk_drv *drv, const int32_t *x, sk_error *err)
{
    const uint32_t elems = drv->model.in_elems, base = drv->model.in_offset;
    for (uint32_t k = 0; k < elems; k += 4) {
        uint32_t word = 0;
        for (uint32_t b = 0; b < 4 && k + b < elems; b++)
            word |= ((uint32_t)x[k + b] & 0xFFu) << (8 * b);
        sk_drv_status st = sk_drv_wr(drv, base + k, word, err);
        if (st != SK_DRV_OK)
            return st;
    }
    return SK_DRV_OK;
}

/* Output from ACT(L % 2) (dense model) or the last layer's OUT_ADDR (EXT): int8/uint8
 * bytes, or int32 words for a raw layer. */
static sk_drv_status read_output(sk_drv *drv, int32_t *y, sk_error *err)
{
    const sk_drv_loaded *m = &drv->model;
    const uint32_t base = m->out_offset;
    uint32_t word = 0;
    sk_drv_status st;
    for (uint32_t n = 0; n < m->out_elems; n++) {
        if (m->raw) {
            if ((st = sk_drv_rd(drv, base + 4 * n, &word, err)) != SK_DRV_OK)
                return st;
            y[n] = (int32_t)word;
            continue;
        }
        if (n % 4 == 0 && (st = sk_drv_rd(drv, base + n, &word, err)) != SK_DRV_OK)
            return st;
        uint8_t byte = (uint8_t)(word >> (8 * (n % 4)));
        y[n] = m->out.is_signed ? (int32_t)(int8_t)byte : (int32_t)byte;
    }
    return SK_DRV_OK;
}

/* One START: input in, wait, check STATUS, output out, counters added to *perf. */
static sk_drv_status run_one(sk_drv *drv, const int32_t *x, int32_t *y, sk_drv_perf *perf,
                             size_t sample, sk_error *err)
{
    uint32_t status = 0;
    sk_drv_status st = sk_drv_rd(drv, SK_REG_STATUS, &status, err);
    if (st != SK_DRV_OK)
        return st;
    if (status & SK_STATUS_BUSY_MASK)
        return sk_drv_fail(err, SK_DRV_ERR_BUSY, "sample %zu: STATUS.BUSY is set before START "
                           "(an earlier run is still going; sk_drv_reset aborts it)", sample);
    if ((st = write_input(drv, x, err)) != SK_DRV_OK)
        return st;
    if ((st = sk_drv_wr(drv, SK_REG_CTRL, SK_CTRL_START_MASK, err)) != SK_DRV_OK)
        return st;
    if ((st = wait_done(drv, &status, err)) != SK_DRV_OK)
        return st;
    if (status & SK_STATUS_START_REFUSED_MASK)
        return sk_drv_fail(err, SK_DRV_ERR_BUSY, "sample %zu: the device refused START "
                           "(STATUS.START_REFUSED)", sample);
    if ((st = sk_drv_wr(drv, SK_REG_CTRL, SK_CTRL_IRQ_CLEAR_MASK, err)) != SK_DRV_OK)
        return st;
    if (status & SK_STATUS_ERROR_MASK) {
        uint32_t code = (status & SK_STATUS_ERR_CODE_MASK) >> SK_STATUS_ERR_CODE_SHIFT;
        uint32_t layer = (status & SK_STATUS_ERR_LAYER_MASK) >> SK_STATUS_ERR_LAYER_SHIFT;
        return sk_drv_fail(err, SK_DRV_ERR_DEVICE, "sample %zu: device error %u %s at layer %u:"
                           " %s", sample, code, sk_hwerr_name(code), layer, sk_hwerr_desc(code));
    }
    if ((st = read_output(drv, y, err)) != SK_DRV_OK)
        return st;
    sk_drv_perf one;
    if ((st = sk_drv_read_perf(drv, &one, err)) != SK_DRV_OK)
        return st;
    perf->busy_cycles += one.busy_cycles;
    perf->macs += one.macs;
    perf->stall_cycles += one.stall_cycles;
    perf->starts++;
    return SK_DRV_OK;
}

sk_drv_status sk_drv_run(sk_drv *drv, const int32_t *input, size_t batch, int32_t *output,
                         sk_drv_perf *perf, sk_error *err)
{
    if (!drv || !input || !output || batch == 0)
        return sk_drv_fail(err, SK_DRV_ERR_BAD_ARG, "sk_drv_run: NULL buffer or empty batch");
    if (!drv->model.valid)
        return sk_drv_fail(err, SK_DRV_ERR_NO_MODEL, "sk_drv_run before a successful "
                           "sk_drv_load_model (or after a reset)");
    const sk_drv_loaded *m = &drv->model;
    for (size_t b = 0; b < batch; b++) {
        sk_drv_status st = check_input(m, input + b * m->in_elems, b, err);
        if (st != SK_DRV_OK)
            return st;
    }
    sk_drv_perf total = {0};
    /* MAX_BATCH is 1 in register map 1.x: one START per sample. */
    for (size_t b = 0; b < batch; b++) {
        sk_drv_status st = run_one(drv, input + b * m->in_elems, output + b * m->out_elems,
                                   &total, b, err);
        if (st != SK_DRV_OK)
            return st;
    }
    if (perf)
        *perf = total;
    return SK_DRV_OK;
}
