/* fuzz_drv_load.c — libFuzzer harness for the driver's model loading (issue 10):
 * an arbitrary .skm image through sk_model_parse and sk_drv_load_model into the C
 * device model (cmodel/device/), the same path `shiftkit run --backend device` takes.
 *
 * Oracle: a file the golden library rejects never reaches the driver; a parsed model
 * either is refused by the driver with its documented status and a message
 * (SK_DRV_ERR_BAD_MODEL, SK_DRV_ERR_MODEL_TOO_LARGE, SK_DRV_ERR_UNSUPPORTED for a CNN
 * field too wide for its descriptor) or loads, and then one sample
 * (all zeros, valid for every input type) runs and equals sk_infer bit for bit. Any
 * other status (a bus error, a device error, a timeout), a mismatch, a crash or a
 * sanitizer report is a failure. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sk_device.h"
#include "sk_fuzz_skm.h"
#include "shiftkit/shiftkit.h"
#include "shiftkit/sk_driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sk_device *g_dev;
static sk_hal g_hal;

static void load_and_run(const uint8_t *data, size_t size)
{
    sk_model model;
    sk_error err = {{0}};
    if (sk_model_parse(data, size, "fuzz.skm", &model, &err) != SK_OK) return;

    sk_drv *drv = NULL;
    if (sk_drv_open(&g_hal, NULL, &drv, &err) != SK_DRV_OK) abort();
    sk_drv_status st = sk_drv_load_model(drv, &model, NULL, &err);
    if (st != SK_DRV_OK) {
        if ((st != SK_DRV_ERR_BAD_MODEL && st != SK_DRV_ERR_MODEL_TOO_LARGE &&
             st != SK_DRV_ERR_UNSUPPORTED) || err.msg[0] == 0)
            abort();
    } else {
        /* whole tensors: the input shape H*W*C, the last layer's output (a CNN's too) */
        const uint32_t k = (uint32_t)sk_shape_size(sk_model_in_shape(&model));
        const uint32_t n =
            (uint32_t)sk_shape_size(sk_layer_out_shape(&model, model.num_layers - 1));
        int32_t *x = calloc(k, sizeof *x), *y = calloc(n, sizeof *y);
        if (!x || !y) abort();
        if (sk_drv_run(drv, x, 1, y, NULL, &err) != SK_DRV_OK) abort();
        sk_tensor in = {.dtype = SK_DTYPE_INT32, .ndim = 2, .shape = {1, k}, .data = x};
        sk_tensor want = {0};
        if (sk_infer(&model, &in, "fuzz", &want, NULL, &err) != SK_OK) abort();
        if (memcmp(want.data, y, n * sizeof *y) != 0) abort();  /* device != golden */
        sk_tensor_free(&want);
        free(x);
        free(y);
    }
    sk_drv_close(drv);
    sk_model_free(&model);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_dev) {
        sk_device_config cfg;
        sk_device_default_config(&cfg);
        sk_error err = {{0}};
        if (sk_device_create(&cfg, &g_dev, &err) != SK_OK) abort();
        sk_device_hal(g_dev, &g_hal);
    }
    load_and_run(data, size);
    uint8_t *patched = sk_fuzz_with_matching_crc(data, size); /* sk_fuzz_skm.h */
    if (patched) {
        load_and_run(patched, size);
        free(patched);
    }
    return 0;
}
