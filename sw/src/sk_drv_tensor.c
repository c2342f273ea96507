/* sk_drv_tensor.c — the driver in the golden library's terms (sk_status, sk_tensor),
 * shared by every CLI backend that runs a model through the driver: status mapping,
 * the input-shape rule, and open + load + run in one call. */
#include <string.h>

#include "shiftkit/sk_infer.h"
#include "sk_drv_internal.h"

sk_status sk_drv_to_sk_status(sk_drv_status status)
{
    switch (status) {
    case SK_DRV_OK: return SK_OK;
    case SK_DRV_ERR_BAD_ARG: return SK_ERR_BAD_ARG;
    case SK_DRV_ERR_NOMEM: return SK_ERR_NOMEM;
    case SK_DRV_ERR_INPUT: return SK_ERR_INPUT_RANGE;
    case SK_DRV_ERR_BAD_MODEL: return SK_ERR_BAD_FIELD;
    case SK_DRV_ERR_MODEL_TOO_LARGE:
    case SK_DRV_ERR_UNSUPPORTED: return SK_ERR_BAD_SHAPE;
    case SK_DRV_ERR_IO: return SK_ERR_IO;
    default: return SK_ERR_DEVICE; /* bus, link, timeout, busy, wrong device, device error */
    }
}

sk_drv_status sk_drv_tensor_batch(const sk_model *model, const sk_tensor *input, size_t *batch,
                                  sk_error *err)
{
    if (!model || !input || !batch || model->num_layers == 0)
        return sk_drv_fail(err, SK_DRV_ERR_BAD_ARG, "sk_drv_tensor_batch: NULL argument");
    sk_drv_status kinds = sk_drv_check_kinds(model, err); /* before reading k as inputs */
    if (kinds != SK_DRV_OK)
        return kinds;
    uint32_t k0 = model->layers[0].k;
    size_t rows = input->ndim == 1 ? 1 : input->shape[0];
    size_t cols = input->ndim == 1 ? input->shape[0] : input->shape[1];
    if (input->ndim < 1 || input->ndim > 2 || cols != k0 || rows == 0)
        return sk_drv_fail(err, SK_DRV_ERR_INPUT, "input: shape does not match the model's %u"
                           " inputs (want [batch][%u] or [%u])", k0, k0, k0);
    *batch = rows;
    return SK_DRV_OK;
}

sk_drv_status sk_drv_run_tensor(const sk_hal *hal, const sk_drv_options *opt,
                                const sk_model *model, const sk_tensor *input, sk_tensor *output,
                                sk_drv_load_report *load, sk_drv_perf *perf, sk_error *err)
{
    size_t batch = 0;
    sk_drv_status st = sk_drv_tensor_batch(model, input, &batch, err);
    if (st != SK_DRV_OK || !output)
        return st != SK_DRV_OK ? st : sk_drv_fail(err, SK_DRV_ERR_BAD_ARG, "NULL output");
    const sk_layer *last = &model->layers[model->num_layers - 1];
    memset(output, 0, sizeof *output);
    if (sk_tensor_alloc2(output, sk_layer_out_dtype(last), batch, last->n) != SK_OK)
        return sk_drv_fail(err, SK_DRV_ERR_NOMEM, "output tensor [%zu][%u]", batch, last->n);
    sk_drv *drv = NULL;
    st = sk_drv_open(hal, opt, &drv, err);
    if (st == SK_DRV_OK)
        st = sk_drv_load_model(drv, model, load, err);
    if (st == SK_DRV_OK)
        st = sk_drv_run(drv, input->data, batch, output->data, perf, err);
    sk_drv_close(drv);
    if (st != SK_DRV_OK)
        sk_tensor_free(output);
    return st;
}
