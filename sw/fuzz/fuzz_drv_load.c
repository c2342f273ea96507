/* fuzz_drv_load.c — libFuzzer harness for the driver's model loading (issue 10):
 * an arbitrary .skm image through sk_model_parse and sk_drv_load_model into the C
 * device model (cmodel/device/), the same path `shiftkit run --backend device` takes.
 *
 * Oracle: a file the golden library rejects never reaches the driver; a parsed model
 * either is refused by the driver with its documented status and a message
 * (SK_DRV_ERR_BAD_MODEL, SK_DRV_ERR_MODEL_TOO_LARGE) or loads, and then one sample
 * (all zeros, valid for every input type) runs and equals sk_infer bit for bit. Any
 * other status (a bus error, a device error, a timeout), a mismatch, a crash or a
 * sanitizer report is a failure. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sk_device.h"
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
        if ((st != SK_DRV_ERR_BAD_MODEL && st != SK_DRV_ERR_MODEL_TOO_LARGE) || err.msg[0] == 0)
            abort();
    } else {
        const uint32_t k = model.layers[0].k, n = model.layers[model.num_layers - 1].n;
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
    /* As in cmodel/fuzz/fuzz_skm.c: also try the input with payload size and CRC
     * patched to match, so mutations get past the header to the model contents. */
    if (size >= SK_MODEL_HEADER_SIZE) {
        uint8_t *patched = malloc(size);
        if (!patched) return 0;
        memcpy(patched, data, size);
        const uint32_t payload = (uint32_t)(size - SK_MODEL_HEADER_SIZE);
        const uint32_t crc = sk_crc32(0, patched + SK_MODEL_HEADER_SIZE, payload);
        for (int i = 0; i < 4; i++) {
            patched[12 + i] = (uint8_t)(payload >> (8 * i));
            patched[16 + i] = (uint8_t)(crc >> (8 * i));
        }
        load_and_run(patched, size);
        free(patched);
    }
    return 0;
}
