/* sk_device_backend.c — build/bin/shiftkit-device: the shiftkit CLI with a "device"
 * backend that runs every model through the driver (libshiftkit_drv) on the
 * register-level device model (libshiftkit_dev). `shiftkit check --backend device`
 * execs this binary. SHIFTKIT_DEVICE_WAIT=poll makes the driver poll STATUS instead
 * of waiting for the interrupt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sk_cli.h"
#include "sk_device.h"
#include "shiftkit/sk_driver.h"

/* The CLI speaks sk_status: map each driver failure to the nearest one (the message
 * keeps the driver's own wording). */
static sk_status to_sk_status(sk_drv_status st)
{
    switch (st) {
    case SK_DRV_OK: return SK_OK;
    case SK_DRV_ERR_BAD_ARG: return SK_ERR_BAD_ARG;
    case SK_DRV_ERR_NOMEM: return SK_ERR_NOMEM;
    case SK_DRV_ERR_INPUT: return SK_ERR_INPUT_RANGE;
    case SK_DRV_ERR_BAD_MODEL: return SK_ERR_BAD_FIELD;
    case SK_DRV_ERR_MODEL_TOO_LARGE:
    case SK_DRV_ERR_UNSUPPORTED: return SK_ERR_BAD_SHAPE;
    default: return SK_ERR_IO;
    }
}

static sk_status device_run(void *ctx, const sk_model *model, const char *model_path,
                            const sk_tensor *input, sk_tensor *output, sk_error *err)
{
    (void)ctx;
    const sk_layer *first = &model->layers[0], *last = &model->layers[model->num_layers - 1];
    size_t batch = input->ndim == 1 ? 1 : input->shape[0];
    size_t k = input->ndim == 1 ? input->shape[0] : input->shape[1];
    if (input->ndim > 2 || k != first->k || batch == 0) {
        snprintf(err->msg, sizeof err->msg, "input: shape does not match the model's %u inputs"
                 " (want [batch][%u])", first->k, first->k);
        return SK_ERR_BAD_SHAPE;
    }
    sk_device_config cfg;
    sk_device_default_config(&cfg);
    sk_device *dev = NULL;
    sk_status sst = sk_device_create(&cfg, &dev, err);
    if (sst != SK_OK)
        return sst;
    sk_hal hal;
    sk_device_hal(dev, &hal);
    sk_drv_options opt;
    sk_drv_default_options(&opt);
    const char *wait = getenv("SHIFTKIT_DEVICE_WAIT");
    if (wait && !strcmp(wait, "poll"))
        opt.wait_mode = SK_DRV_WAIT_POLL;

    sk_drv *drv = NULL;
    sk_drv_load_report load;
    sk_drv_perf perf = {0};
    sk_drv_status st = sk_drv_open(&hal, &opt, &drv, err);
    if (st == SK_DRV_OK)
        st = sk_drv_load_model(drv, model, &load, err);
    if (st == SK_DRV_OK &&
        sk_tensor_alloc2(output, sk_layer_out_dtype(last), batch, last->n) != SK_OK) {
        snprintf(err->msg, sizeof err->msg, "output tensor [%zu][%u]", batch, last->n);
        sk_drv_close(drv);
        sk_device_free(dev);
        return SK_ERR_NOMEM;
    }
    if (st == SK_DRV_OK)
        st = sk_drv_run(drv, input->data, batch, output->data, &perf, err);
    if (st == SK_DRV_OK) {
        fprintf(stderr, "device: %s: %llu words written for a %llu-word model; %zu samples, "
                "%llu busy cycles, %llu MACs, %llu stall cycles\n", model_path,
                (unsigned long long)load.words_written, (unsigned long long)load.model_words,
                batch, (unsigned long long)perf.busy_cycles, (unsigned long long)perf.macs,
                (unsigned long long)perf.stall_cycles);
    } else if (output->data) {
        sk_tensor_free(output);
    }
    sk_drv_close(drv);
    sk_device_free(dev);
    return to_sk_status(st);
}

static const sk_backend device_backend = {"device", device_run, NULL};

int main(int argc, char **argv)
{
    static const sk_backend *const backends[] = {&sk_golden_backend, &device_backend};
    return sk_cli_main(argc, argv, backends, 2);
}
