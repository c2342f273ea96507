/* sk_fault_cases.c — fault handling end to end through the driver (issue 10, item 4).
 *
 * Every case provokes one fault through the public driver API (or, where the fault is
 * something a correct driver never does, straight through the HAL as a misbehaving
 * host would), checks that the driver reports it with its documented status
 * (docs/driver.md "What each error means") and then checks that the device is still
 * usable: a fresh load and run of a reference model must give exactly the golden
 * model's output (sk_infer). The same code runs on the device model and the RTL. */
#include "sk_fault_cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shiftkit/shiftkit.h"
#include "shiftkit/sk_driver.h"
#include "shiftkit/sk_regs.h"

/* ---------------------------------------------------------------- models */

/* One dense layer K x N, signed 8-bit in and out, s = 8, half_even, weights and
 * inputs from a fixed LCG (values spread over the whole range, so the rounding and
 * the clamp both act). */
typedef struct fault_model {
    sk_model model;
    sk_layer layer;
    int8_t w_exp;
    int32_t *bias;
    int8_t *weights;
    int32_t *x;
} fault_model;

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void make_model(fault_model *fm, uint32_t k, uint32_t n, uint32_t seed)
{
    memset(fm, 0, sizeof *fm);
    fm->bias = calloc(n, sizeof *fm->bias);
    fm->weights = calloc((size_t)n * k, 1);
    fm->x = calloc(k, sizeof *fm->x);
    if (!fm->bias || !fm->weights || !fm->x) abort();
    for (size_t i = 0; i < (size_t)n * k; i++) fm->weights[i] = (int8_t)((int)(lcg(&seed) % 255) - 127);
    for (uint32_t i = 0; i < n; i++) fm->bias[i] = (int32_t)(lcg(&seed) % 4001) - 2000;
    for (uint32_t i = 0; i < k; i++) fm->x[i] = (int32_t)(lcg(&seed) % 256) - 128;
    fm->layer = (sk_layer){.k = k, .n = n, .w_bits = 8, .out = {8, true},
                           .rounding = SK_ROUND_HALF_EVEN, .out_exp = 8,
                           .w_exp = &fm->w_exp, .bias = fm->bias, .weights = fm->weights};
    fm->model = (sk_model){.in = {8, true}, .in_exp = 0, .num_layers = 1, .layers = &fm->layer};
}

static void free_model(fault_model *fm)
{
    free(fm->bias);
    free(fm->weights);
    free(fm->x);
}

/* ---------------------------------------------------------------- helpers */

typedef struct ctx {
    const sk_hal *hal;
    const char *backend;
    fault_model good; /* small reference model: the "device still works" run */
    fault_model big;  /* long run: thousands of cycles, for timeouts and mid-run faults */
    unsigned writes;  /* HAL writes seen through counting_hal */
} ctx;

static ctx *g_ctx;

static int count_write(void *c, uint32_t off, uint32_t v)
{
    g_ctx->writes++;
    return g_ctx->hal->write32(c, off, v);
}

static int expect(bool cond, const char *what, const sk_error *err)
{
    if (!cond) printf("     %s%s%s\n", what, err ? ": " : "", err ? err->msg : "");
    return cond ? 0 : 1;
}

static int open_drv(ctx *c, uint32_t timeout_us, sk_drv **drv)
{
    sk_drv_options opt;
    sk_drv_default_options(&opt);
    if (timeout_us) opt.timeout_us = timeout_us;
    sk_error err = {{0}};
    sk_drv_status st = sk_drv_open(c->hal, &opt, drv, &err);
    return expect(st == SK_DRV_OK, "sk_drv_open", &err);
}

/* The device is usable: load the reference model, run it, compare with sk_infer. */
static int good_run(ctx *c)
{
    sk_drv *drv = NULL;
    if (open_drv(c, 0, &drv)) return 1;
    const sk_model *m = &c->good.model;
    sk_error err = {{0}};
    int fails = 0;
    int32_t y[64];
    sk_drv_status st = sk_drv_load_model(drv, m, NULL, &err);
    fails += expect(st == SK_DRV_OK, "good run: load", &err);
    if (st == SK_DRV_OK) {
        st = sk_drv_run(drv, c->good.x, 1, y, NULL, &err);
        fails += expect(st == SK_DRV_OK, "good run: run", &err);
    }
    sk_tensor in = {.dtype = SK_DTYPE_INT8, .ndim = 2, .shape = {1, m->layers[0].k}, .data = c->good.x};
    sk_tensor want = {0};
    sk_status gs = sk_infer(m, &in, "fault-cases", &want, NULL, &err);
    fails += expect(gs == SK_OK, "golden sk_infer", &err);
    if (st == SK_DRV_OK && gs == SK_OK)
        for (uint32_t i = 0; i < m->layers[0].n; i++)
            if (y[i] != want.data[i]) {
                printf("     good run: y[%u] = %d, golden %d\n", i, y[i], want.data[i]);
                fails++;
                break;
            }
    sk_tensor_free(&want);
    sk_drv_close(drv);
    return fails;
}

static uint32_t status(ctx *c)
{
    uint32_t v = 0;
    if (c->hal->read32(c->hal->ctx, SK_REG_STATUS, &v)) return 0xFFFFFFFFu;
    return v;
}

/* ---------------------------------------------------------------- cases
 * Each returns the number of failed checks (the good run after it included). */

/* A descriptor corrupted after the load (OUT_BITS = 9): the run ends with
 * STATUS.ERROR DESC_FIELD and the interrupt; the driver says SK_DRV_ERR_DEVICE. */
static int case_bad_descriptor(ctx *c)
{
    sk_drv *drv = NULL;
    if (open_drv(c, 0, &drv)) return 1;
    sk_error err = {{0}};
    int32_t y[64];
    int fails = expect(sk_drv_load_model(drv, &c->good.model, NULL, &err) == SK_DRV_OK, "load", &err);
    uint32_t w3 = 0;
    fails += expect(c->hal->read32(c->hal->ctx, SK_WIN_DESC_BASE + 12, &w3) == 0, "read DESC word 3", NULL);
    w3 = (w3 & ~SK_DESC_OUT_BITS_MASK) | (9u << SK_DESC_OUT_BITS_SHIFT);
    fails += expect(c->hal->write32(c->hal->ctx, SK_WIN_DESC_BASE + 12, w3) == 0, "write DESC word 3", NULL);
    sk_drv_status st = sk_drv_run(drv, c->good.x, 1, y, NULL, &err);
    fails += expect(st == SK_DRV_ERR_DEVICE, "run reports SK_DRV_ERR_DEVICE", &err);
    fails += expect(strstr(err.msg, "DESC_FIELD") != NULL, "message names DESC_FIELD", &err);
    sk_drv_close(drv);
    return fails + good_run(c);
}

/* Addresses outside the map (a hole between registers, past a memory, in no window)
 * answer SLVERR, which the HAL reports as an error; a read-only register ignores a
 * write. A model that does not fit is refused before any register write. */
static int case_bad_addresses(ctx *c)
{
    uint32_t v = 0, bias_depth = 0;
    int fails = 0;
    const sk_hal *h = c->hal;
    fails += expect(h->read32(h->ctx, 0x01C, &v) != 0, "read of hole 0x01C answers SLVERR", NULL);
    fails += expect(h->write32(h->ctx, 0x50, 1) != 0, "write of 0x050 answers SLVERR", NULL);
    fails += expect(h->read32(h->ctx, 0x300000, &v) != 0, "read in no window answers SLVERR", NULL);
    fails += expect(h->read32(h->ctx, SK_REG_BIAS_DEPTH, &bias_depth) == 0, "read BIAS_DEPTH", NULL);
    fails += expect(h->read32(h->ctx, SK_WIN_BIAS_BASE + 4 * bias_depth, &v) != 0,
                    "read past the bias memory answers SLVERR", NULL);
    fails += expect(h->write32(h->ctx, SK_REG_ID, 0) == 0, "write to ID answers OKAY", NULL);
    fails += expect(h->read32(h->ctx, SK_REG_ID, &v) == 0 && v == SK_ID_MAGIC, "ID unchanged", NULL);

    /* Too large: more biases than the bias memory holds. Counted through a HAL that
     * forwards every access: no write after sk_drv_open. */
    sk_drv *drv = NULL;
    sk_hal counting = *h;
    counting.write32 = count_write;
    sk_drv_options opt;
    sk_drv_default_options(&opt);
    sk_error err = {{0}};
    if (sk_drv_open(&counting, &opt, &drv, &err) != SK_DRV_OK) return fails + 1;
    fault_model wide;
    make_model(&wide, 1, bias_depth + 1, 7);
    c->writes = 0;
    sk_drv_status st = sk_drv_load_model(drv, &wide.model, NULL, &err);
    fails += expect(st == SK_DRV_ERR_MODEL_TOO_LARGE, "too large: SK_DRV_ERR_MODEL_TOO_LARGE", &err);
    fails += expect(strstr(err.msg, "bias memory") != NULL, "too large: message names the bias memory", &err);
    fails += expect(c->writes == 0, "too large: no write before the refusal", NULL);
    free_model(&wide);
    sk_drv_close(drv);
    return fails + good_run(c);
}

/* The interrupt does not come in time (a long run, a 2 us timeout):
 * SK_DRV_ERR_TIMEOUT; the next run finds the device BUSY (SK_DRV_ERR_BUSY) until a
 * reset, after which it works. */
static int case_irq_timeout(ctx *c)
{
    sk_drv *drv = NULL;
    if (open_drv(c, 2, &drv)) return 1;
    sk_error err = {{0}};
    int32_t y[64];
    int fails = expect(sk_drv_load_model(drv, &c->big.model, NULL, &err) == SK_DRV_OK, "load", &err);
    sk_drv_status st = sk_drv_run(drv, c->big.x, 1, y, NULL, &err);
    fails += expect(st == SK_DRV_ERR_TIMEOUT, "run reports SK_DRV_ERR_TIMEOUT", &err);
    st = sk_drv_run(drv, c->big.x, 1, y, NULL, &err);
    fails += expect(st == SK_DRV_ERR_BUSY, "next run reports SK_DRV_ERR_BUSY", &err);
    fails += expect(sk_drv_reset(drv, &err) == SK_DRV_OK, "reset", &err);
    fails += expect((status(c) & SK_STATUS_BUSY_MASK) == 0, "idle after reset", NULL);
    sk_drv_close(drv);
    return fails + good_run(c);
}

/* Soft reset in the middle of a run: the device is idle at once, STATUS is clear,
 * no interrupt follows, and the next run is bit-exact. */
static int case_soft_reset_mid_run(ctx *c)
{
    sk_drv *drv = NULL;
    if (open_drv(c, 0, &drv)) return 1;
    sk_error err = {{0}};
    int fails = expect(sk_drv_load_model(drv, &c->big.model, NULL, &err) == SK_DRV_OK, "load", &err);
    const sk_hal *h = c->hal;
    fails += expect(h->write32(h->ctx, SK_REG_CTRL, SK_CTRL_START_MASK) == 0, "START", NULL);
    fails += expect(h->wait_irq(h->ctx, 2) == SK_HAL_TIMEOUT, "still running after 2 us", NULL);
    fails += expect((status(c) & SK_STATUS_BUSY_MASK) != 0, "BUSY mid-run", NULL);
    fails += expect(sk_drv_reset(drv, &err) == SK_DRV_OK, "sk_drv_reset mid-run", &err);
    fails += expect(status(c) == 0, "STATUS clear after the reset", NULL);
    fails += expect(h->wait_irq(h->ctx, 200) == SK_HAL_TIMEOUT, "no interrupt after the reset", NULL);
    int32_t y[64];
    fails += expect(sk_drv_run(drv, c->good.x, 1, y, NULL, &err) == SK_DRV_ERR_NO_MODEL,
                    "run after reset: SK_DRV_ERR_NO_MODEL (the model must be loaded again)", &err);
    sk_drv_close(drv);
    return fails + good_run(c);
}

/* START while a run is going: the driver refuses to start (SK_DRV_ERR_BUSY); a START
 * written anyway is ignored (STATUS.START_REFUSED) and the running run ends normally. */
static int case_start_while_busy(ctx *c)
{
    sk_drv *drv = NULL;
    if (open_drv(c, 0, &drv)) return 1;
    sk_error err = {{0}};
    int32_t y[64];
    int fails = expect(sk_drv_load_model(drv, &c->big.model, NULL, &err) == SK_DRV_OK, "load", &err);
    const sk_hal *h = c->hal;
    fails += expect(h->write32(h->ctx, SK_REG_CTRL, SK_CTRL_START_MASK) == 0, "START", NULL);
    sk_drv_status st = sk_drv_run(drv, c->big.x, 1, y, NULL, &err);
    fails += expect(st == SK_DRV_ERR_BUSY, "run while busy: SK_DRV_ERR_BUSY", &err);
    fails += expect(h->write32(h->ctx, SK_REG_CTRL, SK_CTRL_START_MASK) == 0, "second START", NULL);
    uint32_t s = status(c);
    fails += expect((s & SK_STATUS_START_REFUSED_MASK) && (s & SK_STATUS_BUSY_MASK),
                    "START_REFUSED set, run goes on", NULL);
    fails += expect(h->wait_irq(h->ctx, 1000000) == SK_HAL_IRQ, "the first run ends", NULL);
    s = status(c);
    fails += expect((s & SK_STATUS_DONE_MASK) && !(s & SK_STATUS_ERROR_MASK), "DONE without ERROR", NULL);
    sk_drv_close(drv);
    return fails + good_run(c);
}

/* Window access while busy answers SLVERR, and the driver reports a load attempted
 * then as SK_DRV_ERR_BUSY before it writes anything. */
static int case_window_while_busy(ctx *c)
{
    sk_drv *drv = NULL;
    if (open_drv(c, 0, &drv)) return 1;
    sk_error err = {{0}};
    int fails = expect(sk_drv_load_model(drv, &c->big.model, NULL, &err) == SK_DRV_OK, "load", &err);
    const sk_hal *h = c->hal;
    uint32_t v;
    fails += expect(h->write32(h->ctx, SK_REG_CTRL, SK_CTRL_START_MASK) == 0, "START", NULL);
    fails += expect(h->read32(h->ctx, SK_WIN_ACT0_BASE, &v) != 0, "ACT0 read while busy: SLVERR", NULL);
    fails += expect(h->write32(h->ctx, SK_WIN_BIAS_BASE, 1) != 0, "BIAS write while busy: SLVERR", NULL);
    sk_drv_status st = sk_drv_load_model(drv, &c->good.model, NULL, &err);
    fails += expect(st == SK_DRV_ERR_BUSY, "load while busy: SK_DRV_ERR_BUSY", &err);
    fails += expect(sk_drv_reset(drv, &err) == SK_DRV_OK, "reset", &err);
    sk_drv_close(drv);
    return fails + good_run(c);
}

/* ---------------------------------------------------------------- runner */

typedef int (*case_fn)(ctx *c);
static const struct {
    const char *name;
    case_fn fn;
} k_cases[] = {
    {"bad_descriptor", case_bad_descriptor},
    {"bad_addresses_and_too_large", case_bad_addresses},
    {"irq_timeout", case_irq_timeout},
    {"soft_reset_mid_run", case_soft_reset_mid_run},
    {"start_while_busy", case_start_while_busy},
    {"window_while_busy", case_window_while_busy},
};

int sk_fault_run_all(const sk_hal *hal, const char *backend, const char *json_path)
{
    ctx c = {.hal = hal, .backend = backend};
    g_ctx = &c;
    make_model(&c.good, 24, 20, 1);
    make_model(&c.big, 256, 64, 2);  /* about 2100 cycles: 21 us at 100 MHz */
    const size_t n = sizeof k_cases / sizeof k_cases[0];
    int result[sizeof k_cases / sizeof k_cases[0]];
    int failed = 0;
    int first = good_run(&c);
    printf("%s %s baseline_good_run\n", first ? "FAIL" : "ok  ", backend);
    failed += first != 0;
    for (size_t i = 0; i < n; i++) {
        result[i] = k_cases[i].fn(&c);
        printf("%s %s %s\n", result[i] ? "FAIL" : "ok  ", backend, k_cases[i].name);
        failed += result[i] != 0;
    }
    printf("sk-faults %s: %zu cases, %d failed\n", backend, n + 1, failed);
    if (json_path) {
        FILE *f = fopen(json_path, "w");
        if (!f) {
            printf("sk-faults: cannot write %s\n", json_path);
            failed++;
        } else {
            fprintf(f, "{\"backend\": \"%s\", \"run\": %zu, \"passed\": %zu, \"cases\": {"
                       "\"baseline_good_run\": \"%s\"",
                    backend, n + 1, n + 1 - (size_t)failed, first ? "fail" : "pass");
            for (size_t i = 0; i < n; i++)
                fprintf(f, ", \"%s\": \"%s\"", k_cases[i].name, result[i] ? "fail" : "pass");
            fprintf(f, "}}\n");
            fclose(f);
        }
    }
    free_model(&c.good);
    free_model(&c.big);
    return failed;
}
