/* test_drv_errors.c — every failure the driver reports, each provoked for real: a
 * model too large for a small device build (naming the memory and the overflow), the
 * device's error bit (a corrupted descriptor or shift), an IRQ and a poll timeout
 * (a run longer than the wait), START while busy, a bus error (injected by the
 * recording HAL), a missing device or wrong version (a plain register array), a CNN
 * model on a build without the CNN extensions, bad inputs and bad calls. */
#include <stdlib.h>

#include "sk_drv_test_util.h"
#include "shiftkit/sk_regs.h"

static void assert_msg_has(const sk_error *err, const char *needle)
{
    if (!strstr(err->msg, needle))
        fail_msg("message \"%s\" lacks \"%s\"", err->msg, needle);
}

/* A small build so overflows are cheap to reach. */
static void small_config(sk_device_config *cfg)
{
    sk_device_default_config(cfg);
    cfg->weight_rows = 64;
    cfg->bias_depth = 32;
    cfg->shift_depth = 16;
    cfg->act_bytes = 64;
    cfg->max_layers = 2;
}

static void expect_too_large(sk_model *m, const char *needle)
{
    sk_device_config cfg;
    small_config(&cfg);
    test_rig r;
    rig_open(&r, &cfg, NULL);
    sk_rec_hal_clear(&r.rec);
    sk_error err = {{0}};
    sk_drv_load_report need;
    assert_int_equal(sk_drv_check_fit(r.drv, m, &need, &err), SK_DRV_ERR_MODEL_TOO_LARGE);
    assert_msg_has(&err, needle);
    assert_int_equal(r.rec.count, 0); /* the fit check touches no register */
    memset(&err, 0, sizeof err);
    assert_int_equal(sk_drv_load_model(r.drv, m, NULL, &err), SK_DRV_ERR_MODEL_TOO_LARGE);
    assert_msg_has(&err, needle);
    sk_rec_access none[1];
    assert_int_equal(sk_rec_hal_writes(&r.rec, none, 1), 0); /* nothing written */
    int32_t x[1] = {0}, y[1];
    assert_int_equal(sk_drv_run(r.drv, x, 1, y, NULL, &err), SK_DRV_ERR_NO_MODEL);
    rig_close(&r);
}

static void test_too_large_weights(void **state)
{
    (void)state;
    sk_model m;
    test_dense_model(&m, 33, 9); /* 2 blocks x 33 rows = 66 > 64 */
    expect_too_large(&m, "weight memory: model needs 66 rows of 8 lanes, device has 64 (2 rows over)");
    sk_model_free(&m);
}

static void test_too_large_bias(void **state)
{
    (void)state;
    sk_model m;
    test_dense_model(&m, 1, 40); /* 40 biases > 32; 5 rows fit */
    expect_too_large(&m, "bias memory: model needs 40 entries, device has 32 (8 over)");
    sk_model_free(&m);
}

static void test_too_large_shift(void **state)
{
    (void)state;
    sk_model m;
    test_dense_model(&m, 1, 20); /* per-channel: 20 shift entries > 16, 20 biases fit */
    sk_layer *l = &m.layers[0];
    int8_t e = l->w_exp[0];
    free(l->w_exp);
    l->per_channel = true;
    l->w_exp = calloc(20, 1);
    for (int i = 0; i < 20; i++)
        l->w_exp[i] = e;
    expect_too_large(&m, "shift memory: model needs 20 entries, device has 16 (4 over)");
    sk_model_free(&m);
}

static void test_too_large_act(void **state)
{
    (void)state;
    sk_model m;
    test_dense_model(&m, 1, 20);
    m.layers[0].raw_output = true; /* 20 int32 outputs = 80 bytes > 64 */
    expect_too_large(&m, "activation buffer: layer 0 raw int32 output needs 80 bytes, device "
                         "buffers hold 64 (16 over)");
    sk_model_free(&m);
}

static void test_too_many_layers(void **state)
{
    (void)state;
    sk_model m;
    assert_int_equal(sk_model_init(&m, 3), SK_OK);
    m.in = (sk_qtype){8, true};
    for (int i = 0; i < 3; i++) {
        sk_layer *l = &m.layers[i];
        assert_int_equal(sk_layer_alloc(l, 2, 2, false), SK_OK);
        l->w_bits = 8;
        l->out = (sk_qtype){8, true};
    }
    expect_too_large(&m, "descriptor memory: model has 3 layers, device holds 2 (1 over)");
    sk_model_free(&m);
}

/* An invalid model is refused before any write, with the golden validator's reason. */
static void test_bad_model(void **state)
{
    (void)state;
    test_rig r;
    rig_open(&r, NULL, NULL);
    sk_model m;
    test_dense_model(&m, 4, 4);
    m.layers[0].weights[5] = -128; /* outside the narrow 8-bit range */
    sk_error err = {{0}};
    assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_ERR_BAD_MODEL);
    assert_msg_has(&err, "invalid model");
    sk_model_free(&m);
    rig_close(&r);
}

/* A model with a layer kind other than dense on a device build without the CNN
 * extensions (FEATURES.CNN = 0) is refused with the layer and kind named, before any
 * register write; run_tensor accepts the NHWC input and refuses at the load. (The
 * lowering itself and the refusals on a 1.0 device: test_drv_cnn.c.) */
static void test_non_dense_model(void **state)
{
    (void)state;
    sk_device_config cfg;
    sk_device_default_config(&cfg);
    cfg.cnn = 0;
    test_rig r;
    rig_open(&r, &cfg, NULL);
    assert_int_equal(sk_drv_get_info(r.drv)->features, 0);
    sk_gen_limits lim;
    sk_gen_default_limits(&lim);
    lim.cnn = true;
    sk_model m;
    sk_tensor in;
    sk_error err = {{0}};
    assert_int_equal(sk_gen_case(5, 4, &lim, &m, &in, &err), SK_OK); /* conv2d first */
    assert_int_equal(m.layers[0].kind, SK_LAYER_CONV2D);
    sk_rec_hal_clear(&r.rec);
    sk_drv_load_report need;
    const char *msg = "layer 0: kind conv2d is not supported by this core: it lacks the CNN "
                      "extensions (FEATURES.CNN = 0, register map 1.1)";
    assert_int_equal(sk_drv_check_fit(r.drv, &m, &need, &err), SK_DRV_ERR_BAD_MODEL);
    assert_msg_has(&err, msg);
    assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_ERR_BAD_MODEL);
    assert_msg_has(&err, msg);
    assert_int_equal(r.rec.count, 0); /* no write, not even the STATUS read */
    sk_tensor_free(&in);
    sk_model_free(&m);
    /* a dense model still runs on that build */
    test_hand_model(&m);
    assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_OK);
    const int32_t x[3] = {1, -2, 127};
    int32_t y[2];
    assert_int_equal(sk_drv_run(r.drv, x, 1, y, NULL, &err), SK_DRV_OK);
    assert_int_equal(y[0], 305416527); /* the hand-worked outputs (test_drv_traffic) */
    assert_int_equal(y[1], 3362);
    sk_model_free(&m);
    rig_close(&r);

    /* run_tensor with the NHWC input of a CNN case */
    assert_int_equal(sk_gen_case(5, 7, &lim, &m, &in, &err), SK_OK);
    assert_int_equal(in.ndim, 4);
    sk_hal hal;
    sk_device *dev = test_device(&cfg, &hal);
    sk_tensor out;
    assert_int_equal(sk_drv_run_tensor(&hal, NULL, &m, &in, &out, NULL, NULL, &err),
                     SK_DRV_ERR_BAD_MODEL);
    assert_msg_has(&err, "is not supported by this core: it lacks the CNN extensions");
    assert_null(out.data);
    sk_device_free(dev);
    sk_tensor_free(&in);
    sk_model_free(&m);
}

/* Corrupt one word the driver loaded, behind its back: the device must end the run
 * with ERROR and the driver report code, name and layer; with the word restored, the
 * next run goes through. */
static void test_device_error_bit(void **state)
{
    (void)state;
    static const struct {
        uint32_t offset, value;
        const char *needle;
    } cases[] = {
        /* descriptor 1 word 3 with bit 31 (reserved) set */
        {0x00101C, 0x8000B808u, "device error 4 DESC_FIELD at layer 1"},
        /* descriptor 1 with K = 9 while layer 0 has N = 10 */
        {0x001010, 0x00020009u, "device error 3 DESC_CHAIN at layer 1"},
        /* per-channel shift entry 1 = 32, outside -16..31 */
        {0x020000, 0x05042002u, "device error 5 SHIFT_RANGE at layer 0"},
        /* layer 1 W_BASE 16380: 16380 + 10 rows > 16384 */
        {0x001014, 16380u, "device error 6 WEIGHT_RANGE at layer 1"},
    };
    test_rig r;
    rig_open(&r, NULL, NULL);
    sk_model m;
    test_hand_model(&m);
    sk_error err = {{0}};
    assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_OK);
    const int32_t x[3] = {1, -2, 127};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t saved = 0, status = 0;
        int32_t y[2] = {0, 0};
        assert_int_equal(sk_device_read32(r.dev, cases[i].offset, &saved), 0);
        assert_int_equal(sk_device_write32(r.dev, cases[i].offset, cases[i].value), 0);
        assert_int_equal(sk_drv_run(r.drv, x, 1, y, NULL, &err), SK_DRV_ERR_DEVICE);
        assert_msg_has(&err, cases[i].needle);
        /* the driver cleared DONE; ERROR stays for inspection until the next START */
        assert_int_equal(sk_device_read32(r.dev, SK_REG_STATUS, &status), 0);
        assert_int_equal(status & (SK_STATUS_DONE_MASK | SK_STATUS_ERROR_MASK),
                         SK_STATUS_ERROR_MASK);
        assert_int_equal(sk_device_write32(r.dev, cases[i].offset, saved), 0);
        assert_int_equal(sk_drv_run(r.drv, x, 1, y, NULL, &err), SK_DRV_OK);
        assert_int_equal(y[0], 305416527); /* the hand-worked outputs (test_drv_traffic) */
        assert_int_equal(y[1], 3362);
    }
    sk_model_free(&m);
    rig_close(&r);
}

/* A 256x256 layer takes thousands of cycles; 1 us at 100 MHz is 100. */
static void test_irq_timeout_then_busy(void **state)
{
    (void)state;
    sk_drv_options opt;
    sk_drv_default_options(&opt);
    opt.timeout_us = 1;
    test_rig r;
    rig_open(&r, NULL, &opt);
    sk_model m;
    test_dense_model(&m, 256, 256);
    sk_error err = {{0}};
    assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_OK);
    int32_t *x = calloc(256, sizeof *x), *y = calloc(256, sizeof *y);
    assert_int_equal(sk_drv_run(r.drv, x, 1, y, NULL, &err), SK_DRV_ERR_TIMEOUT);
    assert_msg_has(&err, "no done interrupt within 1 us");
    /* the run goes on: a new run is refused before it touches the device */
    assert_int_equal(sk_drv_run(r.drv, x, 1, y, NULL, &err), SK_DRV_ERR_BUSY);
    assert_msg_has(&err, "STATUS.BUSY is set before START");
    /* so is a load */
    assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_ERR_BUSY);
    /* soft reset aborts it; the model must be loaded again */
    assert_int_equal(sk_drv_reset(r.drv, &err), SK_DRV_OK);
    assert_int_equal(sk_drv_run(r.drv, x, 1, y, NULL, &err), SK_DRV_ERR_NO_MODEL);
    free(x);
    free(y);
    sk_model_free(&m);
    rig_close(&r);
}

static void test_poll_timeout(void **state)
{
    (void)state;
    sk_drv_options opt;
    sk_drv_default_options(&opt);
    opt.wait_mode = SK_DRV_WAIT_POLL;
    opt.poll_limit = 3; /* 3 reads of 4 bus cycles each: far less than the run */
    test_rig r;
    rig_open(&r, NULL, &opt);
    sk_model m;
    test_dense_model(&m, 256, 256);
    sk_error err = {{0}};
    assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_OK);
    int32_t *x = calloc(256, sizeof *x), *y = calloc(256, sizeof *y);
    assert_int_equal(sk_drv_run(r.drv, x, 1, y, NULL, &err), SK_DRV_ERR_TIMEOUT);
    assert_msg_has(&err, "STATUS.DONE not set after 3 reads");
    free(x);
    free(y);
    sk_model_free(&m);
    rig_close(&r);
}

/* START while busy on the device itself: refused, flagged, the run goes on. A second
 * driver on the same device sees BUSY and refuses to start. */
static void test_start_while_busy(void **state)
{
    (void)state;
    test_rig r;
    rig_open(&r, NULL, NULL);
    sk_model m;
    test_dense_model(&m, 256, 256);
    sk_error err = {{0}};
    assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_OK);
    assert_int_equal(sk_device_write32(r.dev, SK_REG_CTRL, SK_CTRL_START_MASK), 0);
    assert_int_equal(sk_device_write32(r.dev, SK_REG_CTRL, SK_CTRL_START_MASK), 0);
    uint32_t status = 0;
    assert_int_equal(sk_device_read32(r.dev, SK_REG_STATUS, &status), 0);
    assert_int_equal(status & (SK_STATUS_BUSY_MASK | SK_STATUS_START_REFUSED_MASK),
                     SK_STATUS_BUSY_MASK | SK_STATUS_START_REFUSED_MASK);
    int32_t *x = calloc(256, sizeof *x), *y = calloc(256, sizeof *y);
    assert_int_equal(sk_drv_run(r.drv, x, 1, y, NULL, &err), SK_DRV_ERR_BUSY);
    /* after the run ends, the driver runs normally */
    sk_device_advance(r.dev, sk_device_cycles_to_done(r.dev));
    assert_int_equal(sk_drv_run(r.drv, x, 1, y, NULL, &err), SK_DRV_OK);
    free(x);
    free(y);
    sk_model_free(&m);
    rig_close(&r);
}

static void test_bus_error(void **state)
{
    (void)state;
    sk_hal dev_hal, hal;
    sk_device *dev = test_device(NULL, &dev_hal);
    sk_rec_hal rec;
    sk_rec_hal_init(&rec, &dev_hal);
    sk_rec_hal_as_hal(&rec, &hal);
    rec.fail_at = 1; /* the VERSION read */
    sk_drv *drv = NULL;
    sk_error err = {{0}};
    assert_int_equal(sk_drv_open(&hal, NULL, &drv, &err), SK_DRV_ERR_BUS);
    assert_msg_has(&err, "read of VERSION at offset 0x000004 failed");
    assert_null(drv);
    /* a failing weight write during a load */
    rec.fail_at = -1;
    drv = test_open(&hal, NULL);
    sk_model m;
    test_hand_model(&m);
    rec.fail_at = (long)rec.count + 3; /* STATUS read, then the third weight word */
    assert_int_equal(sk_drv_load_model(drv, &m, NULL, &err), SK_DRV_ERR_BUS);
    assert_msg_has(&err, "write of 0x13121110 to window at offset 0x800008 failed");
    rec.fail_at = -1;
    int32_t x[3] = {0}, y[2];
    assert_int_equal(sk_drv_run(drv, x, 1, y, NULL, &err), SK_DRV_ERR_NO_MODEL);
    sk_model_free(&m);
    sk_drv_close(drv);
    sk_rec_hal_free(&rec);
    sk_device_free(dev);
}

/* A bus with plain memory behind it: no device answers with the magic. */
typedef struct plain_bus {
    uint32_t regs[64];
} plain_bus;

static int plain_read32(void *ctx, uint32_t offset, uint32_t *value)
{
    plain_bus *b = ctx;
    if (offset / 4 >= 64)
        return -1;
    *value = b->regs[offset / 4];
    return 0;
}

static int plain_write32(void *ctx, uint32_t offset, uint32_t value)
{
    plain_bus *b = ctx;
    if (offset / 4 >= 64)
        return -1;
    b->regs[offset / 4] = value;
    return 0;
}

static sk_hal_wait_result plain_wait_irq(void *ctx, uint32_t timeout_us)
{
    (void)ctx;
    (void)timeout_us;
    return SK_HAL_TIMEOUT;
}

static void test_no_device_and_version(void **state)
{
    (void)state;
    plain_bus bus = {{0}};
    sk_hal hal = {&bus, plain_read32, plain_write32, plain_wait_irq};
    sk_drv *drv = NULL;
    sk_error err = {{0}};
    assert_int_equal(sk_drv_open(&hal, NULL, &drv, &err), SK_DRV_ERR_NO_DEVICE);
    assert_msg_has(&err, "ID register reads 0x00000000, want 0x534b4143");
    bus.regs[0] = SK_ID_MAGIC;
    bus.regs[1] = 0x00020000; /* major 2 */
    assert_int_equal(sk_drv_open(&hal, NULL, &drv, &err), SK_DRV_ERR_VERSION);
    assert_msg_has(&err, "device register map 2.0");
    bus.regs[1] = 0x00010003; /* 1.3: a newer minor is fine */
    /* but build parameters of 0 are not a device */
    assert_int_equal(sk_drv_open(&hal, NULL, &drv, &err), SK_DRV_ERR_NO_DEVICE);
    assert_msg_has(&err, "build parameter LANES reads 0");
    /* and a device that stays busy after reset is reported as such */
    bus.regs[SK_REG_STATUS / 4] = SK_STATUS_BUSY_MASK;
    sk_drv_options opt;
    sk_drv_default_options(&opt);
    opt.poll_limit = 10;
    assert_int_equal(sk_drv_open(&hal, &opt, &drv, &err), SK_DRV_ERR_RESET_TIMEOUT);
    assert_null(drv);
}

static void test_bad_input_and_args(void **state)
{
    (void)state;
    test_rig r;
    rig_open(&r, NULL, NULL);
    sk_model m;
    test_hand_model(&m);
    sk_error err = {{0}};
    assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_OK);
    sk_rec_hal_clear(&r.rec);
    int32_t x[6] = {1, 2, 3, 4, -129, 6}, y[4];
    assert_int_equal(sk_drv_run(r.drv, x, 2, y, NULL, &err), SK_DRV_ERR_INPUT);
    assert_msg_has(&err, "sample 1 index 1: value -129 outside the model's signed 8-bit "
                         "input range -128..127");
    assert_int_equal(r.rec.count, 0); /* checked before any bus access */
    assert_int_equal(sk_drv_run(r.drv, x, 0, y, NULL, &err), SK_DRV_ERR_BAD_ARG);
    assert_int_equal(sk_drv_run(r.drv, NULL, 1, y, NULL, &err), SK_DRV_ERR_BAD_ARG);
    assert_int_equal(sk_drv_load_model(r.drv, NULL, NULL, &err), SK_DRV_ERR_BAD_ARG);
    assert_int_equal(sk_drv_open(NULL, NULL, NULL, &err), SK_DRV_ERR_BAD_ARG);
    for (int s = 0; s <= SK_DRV_STATUS_COUNT; s++)
        assert_non_null(sk_drv_strerror((sk_drv_status)s));
    assert_string_equal(sk_drv_strerror(SK_DRV_ERR_TIMEOUT), "device timeout");
    sk_model_free(&m);
    rig_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_too_large_weights),
        cmocka_unit_test(test_too_large_bias),
        cmocka_unit_test(test_too_large_shift),
        cmocka_unit_test(test_too_large_act),
        cmocka_unit_test(test_too_many_layers),
        cmocka_unit_test(test_bad_model),
        cmocka_unit_test(test_non_dense_model),
        cmocka_unit_test(test_device_error_bit),
        cmocka_unit_test(test_irq_timeout_then_busy),
        cmocka_unit_test(test_poll_timeout),
        cmocka_unit_test(test_start_while_busy),
        cmocka_unit_test(test_bus_error),
        cmocka_unit_test(test_no_device_and_version),
        cmocka_unit_test(test_bad_input_and_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
