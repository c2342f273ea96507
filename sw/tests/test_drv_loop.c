/* test_drv_loop.c — driver in the loop on the device model: seeded random networks
 * from the golden generator (sk_gen_case) are loaded and run through the driver on
 * device builds of several lane counts (1..64, so weight rows of 4..64 bytes and
 * partial blocks), and every output is compared bit for bit with the golden model
 * (sk_infer). Also two devices driven at once, interleaved. */
#include <stdio.h>
#include <stdlib.h>

#include "sk_drv_test_util.h"

#define LOOP_SEED 20261204u
#define LOOP_CASES 40u

/* Run case `index` on `drv` and on the golden model; fail on the first difference. */
static void check_case(sk_drv *drv, uint32_t index, const char *label)
{
    sk_gen_limits lim;
    sk_gen_default_limits(&lim);
    sk_model m;
    sk_tensor in = {0}, want = {0};
    sk_error err = {{0}};
    assert_int_equal(sk_gen_case(LOOP_SEED, index, &lim, &m, &in, &err), SK_OK);
    assert_int_equal(sk_infer(&m, &in, "input", &want, NULL, &err), SK_OK);
    size_t batch = in.ndim == 1 ? 1 : in.shape[0];
    size_t count = sk_tensor_count(&want);
    int32_t *got = calloc(count, sizeof *got);
    assert_non_null(got);
    sk_drv_status st = sk_drv_load_model(drv, &m, NULL, &err);
    if (st != SK_DRV_OK)
        fail_msg("%s case %u: load: %s", label, index, err.msg);
    st = sk_drv_run(drv, in.data, batch, got, NULL, &err);
    if (st != SK_DRV_OK)
        fail_msg("%s case %u: run: %s", label, index, err.msg);
    for (size_t i = 0; i < count; i++)
        if (got[i] != want.data[i])
            fail_msg("%s case %u (seed %u): output %zu: got %d, want %d", label, index,
                     LOOP_SEED, i, got[i], want.data[i]);
    free(got);
    sk_tensor_free(&in);
    sk_tensor_free(&want);
    sk_model_free(&m);
}

static void run_lanes(uint32_t lanes, sk_drv_wait_mode mode)
{
    sk_device_config cfg;
    sk_device_default_config(&cfg);
    cfg.lanes = lanes;
    sk_hal hal;
    sk_device *dev = test_device(&cfg, &hal);
    sk_drv_options opt;
    sk_drv_default_options(&opt);
    opt.wait_mode = mode;
    sk_drv *drv = test_open(&hal, &opt);
    assert_int_equal(sk_drv_get_info(drv)->lanes, lanes);
    char label[32];
    snprintf(label, sizeof label, "LANES=%u", lanes);
    for (uint32_t i = 0; i < LOOP_CASES; i++)
        check_case(drv, i, label);
    sk_drv_close(drv);
    sk_device_free(dev);
}

static void test_lanes_1(void **state) { (void)state; run_lanes(1, SK_DRV_WAIT_IRQ); }
static void test_lanes_3(void **state) { (void)state; run_lanes(3, SK_DRV_WAIT_POLL); }
static void test_lanes_8(void **state) { (void)state; run_lanes(8, SK_DRV_WAIT_IRQ); }
static void test_lanes_13(void **state) { (void)state; run_lanes(13, SK_DRV_WAIT_IRQ); }
static void test_lanes_64(void **state) { (void)state; run_lanes(64, SK_DRV_WAIT_POLL); }

/* Two devices of different builds, each with its own driver and model, interleaved:
 * nothing is shared between them. */
static void test_two_devices(void **state)
{
    (void)state;
    sk_device_config cfg_a, cfg_b;
    sk_device_default_config(&cfg_a);
    sk_device_default_config(&cfg_b);
    cfg_b.lanes = 4;
    sk_hal hal_a, hal_b;
    sk_device *dev_a = test_device(&cfg_a, &hal_a), *dev_b = test_device(&cfg_b, &hal_b);
    sk_drv *a = test_open(&hal_a, NULL), *b = test_open(&hal_b, NULL);
    for (uint32_t i = 0; i < 10; i++) {
        check_case(a, 100 + i, "device A");
        check_case(b, 200 + i, "device B");
    }
    /* load both, then run both: each keeps its own model */
    sk_model ma, mb;
    test_hand_model(&ma);
    test_dense_model(&mb, 5, 3);
    sk_error err = {{0}};
    assert_int_equal(sk_drv_load_model(a, &ma, NULL, &err), SK_DRV_OK);
    assert_int_equal(sk_drv_load_model(b, &mb, NULL, &err), SK_DRV_OK);
    const int32_t xa[3] = {1, -2, 127}, xb[5] = {1, 2, 3, 4, 5};
    int32_t ya[2], yb[3];
    assert_int_equal(sk_drv_run(a, xa, 1, ya, NULL, &err), SK_DRV_OK);
    assert_int_equal(sk_drv_run(b, xb, 1, yb, NULL, &err), SK_DRV_OK);
    assert_int_equal(ya[0], 305416527);
    assert_int_equal(ya[1], 3362);
    for (int n = 0; n < 3; n++)
        assert_int_equal(yb[n], 15); /* all-ones weights, shift 0: 1+2+3+4+5 */
    sk_model_free(&ma);
    sk_model_free(&mb);
    sk_drv_close(a);
    sk_drv_close(b);
    sk_device_free(dev_a);
    sk_device_free(dev_b);
}

/* The CLI-backend helpers: open + load + run on a tensor, 2-D and 1-D input, the
 * shape rule and the status mapping. */
static void test_run_tensor(void **state)
{
    (void)state;
    sk_hal hal;
    sk_device *dev = test_device(NULL, &hal);
    sk_model m;
    test_hand_model(&m);
    sk_tensor in = {0}, out = {0}, flat = {0};
    assert_int_equal(sk_tensor_alloc2(&in, SK_DTYPE_INT8, 2, 3), SK_OK);
    const int32_t x[6] = {1, -2, 127, 0, 0, 0};
    memcpy(in.data, x, sizeof x);
    sk_drv_load_report load;
    sk_drv_perf perf;
    sk_error err = {{0}};
    assert_int_equal(sk_drv_run_tensor(&hal, NULL, &m, &in, &out, &load, &perf, &err), SK_DRV_OK);
    assert_int_equal(out.dtype, SK_DTYPE_INT32); /* raw last layer */
    assert_int_equal(out.shape[0], 2);
    assert_int_equal(out.shape[1], 2);
    assert_int_equal(out.data[0], 305416527);
    assert_int_equal(out.data[1], 3362);
    /* zero input: y0[n] = requant(n - 5): 0 for n < 9, and 4 << 15 saturates to 127 for
     * n = 9; so acc = 0x12345678 - 10 * 127 and -7 + 10 * 127 */
    assert_int_equal(out.data[2], 305418626);
    assert_int_equal(out.data[3], 1263);
    assert_int_equal(perf.starts, 2);
    assert_int_equal(load.words_written, 56);
    sk_tensor_free(&out);
    /* a 1-D tensor is one sample */
    flat = in;
    flat.ndim = 1;
    flat.shape[0] = 3;
    assert_int_equal(sk_drv_run_tensor(&hal, NULL, &m, &flat, &out, NULL, NULL, &err), SK_DRV_OK);
    assert_int_equal(sk_tensor_count(&out), 2);
    sk_tensor_free(&out);
    /* wrong width: named, nothing allocated */
    flat.shape[0] = 6;
    assert_int_equal(sk_drv_run_tensor(&hal, NULL, &m, &flat, &out, NULL, NULL, &err),
                     SK_DRV_ERR_INPUT);
    assert_non_null(strstr(err.msg, "want [batch][3] or [3]"));
    assert_null(out.data);
    assert_int_equal(sk_drv_to_sk_status(SK_DRV_OK), SK_OK);
    assert_int_equal(sk_drv_to_sk_status(SK_DRV_ERR_INPUT), SK_ERR_INPUT_RANGE);
    assert_int_equal(sk_drv_to_sk_status(SK_DRV_ERR_MODEL_TOO_LARGE), SK_ERR_BAD_SHAPE);
    assert_int_equal(sk_drv_to_sk_status(SK_DRV_ERR_TIMEOUT), SK_ERR_DEVICE);
    assert_int_equal(sk_drv_to_sk_status(SK_DRV_ERR_DEVICE), SK_ERR_DEVICE);
    assert_int_equal(sk_drv_to_sk_status(SK_DRV_ERR_BUS), SK_ERR_DEVICE);
    assert_int_equal(sk_drv_to_sk_status(SK_DRV_ERR_IO), SK_ERR_IO);
    assert_string_equal(sk_strerror(SK_ERR_DEVICE), "device error");
    sk_tensor_free(&in);
    sk_model_free(&m);
    sk_device_free(dev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lanes_1),  cmocka_unit_test(test_lanes_3),
        cmocka_unit_test(test_lanes_8),  cmocka_unit_test(test_lanes_13),
        cmocka_unit_test(test_lanes_64), cmocka_unit_test(test_two_devices),
        cmocka_unit_test(test_run_tensor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
