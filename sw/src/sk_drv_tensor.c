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
    /* the golden rule (sk_infer): [batch][k0] or [k0]; a spatial first layer also takes
     * [batch][H][W][C] or [H][W][C], k0 = H*W*C */
    const sk_shape s = sk_model_in_shape(model);
    const uint64_t k0 = sk_shape_size(s);
    const bool spatial = model->layers[0].kind != SK_LAYER_DENSE;
    size_t rows = 0;
    bool ok = false;
    if (input->ndim == 1 || input->ndim == 2) {
        rows = input->ndim == 1 ? 1 : input->shape[0];
        ok = input->shape[input->ndim - 1] == k0;
    } else if (spatial && (input->ndim == 3 || input->ndim == 4)) {
        const size_t *hwc = &input->shape[input->ndim - 3];
        rows = input->ndim == 3 ? 1 : input->shape[0];
        ok = hwc[0] == s.h && hwc[1] == s.w && hwc[2] == s.c;
    }
    if (!ok || rows == 0) {
        if (spatial)
            return sk_drv_fail(err, SK_DRV_ERR_INPUT, "input: shape does not match the model's "
                               "%ux%ux%u input (want [batch][%u][%u][%u], [batch][%llu] or "
                               "[%llu])", s.h, s.w, s.c, s.h, s.w, s.c, (unsigned long long)k0,
                               (unsigned long long)k0);
        return sk_drv_fail(err, SK_DRV_ERR_INPUT, "input: shape does not match the model's %llu"
                           " inputs (want [batch][%llu] or [%llu])", (unsigned long long)k0,
                           (unsigned long long)k0, (unsigned long long)k0);
    }
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
    const uint32_t last = model->num_layers - 1;
    const sk_shape out = sk_layer_out_shape(model, last);
    const size_t n = (size_t)sk_shape_size(out);
    memset(output, 0, sizeof *output);
    if (sk_tensor_alloc2(output, sk_layer_out_dtype(&model->layers[last]), batch, n) != SK_OK)
        return sk_drv_fail(err, SK_DRV_ERR_NOMEM, "output tensor [%zu][%zu]", batch, n);
    if (model->layers[last].kind != SK_LAYER_DENSE) { /* [batch][OH][OW][C], as sk_infer */
        output->ndim = 4;
        output->shape[1] = out.h;
        output->shape[2] = out.w;
        output->shape[3] = out.c;
    }
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
