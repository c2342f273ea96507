/* sk_uart_cli.c — driver open/load/run over the `uart` HAL for the CLI backends
 * (sk_uart_cli.h). SHIFTKIT_UART_WAIT=poll makes the driver poll STATUS instead of
 * polling the interrupt line. */
#include "sk_uart_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shiftkit/sk_driver.h"

/* The CLI speaks sk_status: the nearest one for each driver failure. */
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

sk_status sk_uart_cli_run(sk_hal_uart *u, const char *label, const sk_model *model,
                          const char *model_path, const sk_tensor *input, sk_tensor *output,
                          sk_error *err)
{
    const sk_layer *first = &model->layers[0], *last = &model->layers[model->num_layers - 1];
    size_t batch = input->ndim == 1 ? 1 : input->shape[0];
    size_t k = input->ndim == 1 ? input->shape[0] : input->shape[1];
    if (input->ndim > 2 || k != first->k || batch == 0) {
        snprintf(err->msg, sizeof err->msg, "input: shape does not match the model's %u inputs"
                 " (want [batch][%u])", first->k, first->k);
        return SK_ERR_BAD_SHAPE;
    }
    sk_hal hal;
    sk_hal_uart_bind(u, &hal);
    sk_drv_options opt;
    sk_drv_default_options(&opt);
    const char *wait = getenv("SHIFTKIT_UART_WAIT");
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
        return SK_ERR_NOMEM;
    }
    if (st == SK_DRV_OK)
        st = sk_drv_run(drv, input->data, batch, output->data, &perf, err);
    if (st == SK_DRV_OK) {
        fprintf(stderr, "%s: %s: %llu words written, %zu samples, %llu cycles, %llu MACs, "
                "%llu frames on the link\n", label, model_path,
                (unsigned long long)load.words_written, batch,
                (unsigned long long)perf.busy_cycles, (unsigned long long)perf.macs,
                (unsigned long long)u->frames);
    } else {
        if (output->data)
            sk_tensor_free(output);
        if (u->last_error[0]) {
            size_t used = strlen(err->msg);
            snprintf(err->msg + used, sizeof err->msg - used, " (%s)", u->last_error);
        }
    }
    sk_drv_close(drv);
    return to_sk_status(st);
}
