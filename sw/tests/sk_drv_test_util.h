/* sk_drv_test_util.h — small fixtures shared by the driver's cmocka tests: a device
 * model plus driver, and the hand-built two-layer model whose register image
 * test_drv_traffic.c writes out literally from docs/regmap.md. */
#ifndef SHIFTKIT_SK_DRV_TEST_UTIL_H
#define SHIFTKIT_SK_DRV_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "shiftkit/shiftkit.h"
#include "shiftkit/sk_driver.h"
#include "sk_device.h"
#include "sk_rec_hal.h"

/* A device model of config `cfg` (NULL: the RTL defaults) and its HAL. */
static inline sk_device *test_device(const sk_device_config *cfg, sk_hal *hal)
{
    sk_device_config def;
    sk_device_default_config(&def);
    sk_device *dev = NULL;
    sk_error err;
    assert_int_equal(sk_device_create(cfg ? cfg : &def, &dev, &err), SK_OK);
    sk_device_hal(dev, hal);
    return dev;
}

static inline sk_drv *test_open(const sk_hal *hal, const sk_drv_options *opt)
{
    sk_drv *drv = NULL;
    sk_error err = {{0}};
    sk_drv_status st = sk_drv_open(hal, opt, &drv, &err);
    if (st != SK_DRV_OK)
        fail_msg("sk_drv_open: %s", err.msg);
    return drv;
}

/* The usual rig: a device model behind the recording HAL, and a driver opened on it. */
typedef struct test_rig {
    sk_device *dev;
    sk_rec_hal rec;  /* logs every access the driver makes to dev */
    sk_hal hal;      /* the recorder, as handed to the driver */
    sk_drv *drv;
} test_rig;

/* Device of `cfg` (NULL: the RTL defaults), driver opened with `opt` (NULL: defaults);
 * the log holds the open's traffic. */
static inline void rig_open(test_rig *r, const sk_device_config *cfg, const sk_drv_options *opt)
{
    sk_hal dev_hal;
    r->dev = test_device(cfg, &dev_hal);
    sk_rec_hal_init(&r->rec, &dev_hal);
    sk_rec_hal_as_hal(&r->rec, &r->hal);
    r->drv = test_open(&r->hal, opt);
}

static inline void rig_close(test_rig *r)
{
    sk_drv_close(r->drv);
    sk_rec_hal_free(&r->rec);
    sk_device_free(r->dev);
}

/* The model of test_drv_traffic.c (every value chosen so the register image can be
 * worked out by hand from docs/regmap.md):
 *   input signed 8-bit, exponent -7
 *   layer 0: K=3, N=10, 8-bit weights W[n][k] = 16k + n, bias[n] = n - 5,
 *            per-channel w_exp[n] = -n (n < 9), w_exp[9] = 17, out_exp -5, so the
 *            shifts are 2..10 and -15; signed 8-bit out, half_even, ReLU
 *   layer 1: K=10, N=2, W[0][k] = -(k+1), W[1][k] = k+1, bias {0x12345678, -7},
 *            per-layer w_exp -3, out_exp 0 (shift 8), floor, raw int32 output */
static inline void test_hand_model(sk_model *m)
{
    assert_int_equal(sk_model_init(m, 2), SK_OK);
    m->in = (sk_qtype){8, true};
    m->in_exp = -7;
    sk_layer *l0 = &m->layers[0], *l1 = &m->layers[1];
    assert_int_equal(sk_layer_alloc(l0, 3, 10, true), SK_OK);
    l0->w_bits = 8;
    l0->out = (sk_qtype){8, true};
    l0->rounding = SK_ROUND_HALF_EVEN;
    l0->relu = true;
    l0->out_exp = -5;
    for (uint32_t n = 0; n < 10; n++) {
        l0->w_exp[n] = (int8_t)(n < 9 ? -(int)n : 17);
        l0->bias[n] = (int32_t)n - 5;
        for (uint32_t k = 0; k < 3; k++)
            l0->weights[n * 3 + k] = (int8_t)(16 * k + n);
    }
    assert_int_equal(sk_layer_alloc(l1, 10, 2, false), SK_OK);
    l1->w_bits = 8;
    l1->out = (sk_qtype){8, true};
    l1->rounding = SK_ROUND_FLOOR;
    l1->raw_output = true;
    l1->out_exp = 0;
    l1->w_exp[0] = -3;
    l1->bias[0] = 0x12345678;
    l1->bias[1] = -7;
    for (uint32_t k = 0; k < 10; k++) {
        l1->weights[k] = (int8_t)-(int)(k + 1);
        l1->weights[10 + k] = (int8_t)(k + 1);
    }
    sk_error err;
    assert_int_equal(sk_model_validate(m, "hand model", &err), SK_OK);
}

/* A one-layer K x N model with every weight 1, bias 0, shift 0: cheap to build,
 * with a run long enough (many cycles) for the timeout tests. */
static inline void test_dense_model(sk_model *m, uint32_t k, uint32_t n)
{
    assert_int_equal(sk_model_init(m, 1), SK_OK);
    m->in = (sk_qtype){8, true};
    m->in_exp = 0;
    sk_layer *l = &m->layers[0];
    assert_int_equal(sk_layer_alloc(l, k, n, false), SK_OK);
    l->w_bits = 8;
    l->out = (sk_qtype){8, true};
    l->rounding = SK_ROUND_FLOOR;
    l->out_exp = 0;
    l->w_exp[0] = 0;
    for (size_t i = 0; i < (size_t)k * n; i++)
        l->weights[i] = 1;
}

#endif
