// sk_rtl_run.cpp — see sk_rtl_run.h.
#include "sk_rtl_run.h"

#include <cstdio>

namespace {

// The CLI speaks sk_status: map each driver failure to the nearest one (the message
// keeps the driver's own wording).
sk_status to_sk_status(sk_drv_status st)
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

}  // namespace

sk_status sk_rtl_run(SkSim &sim, const sk_model *model, const sk_tensor *input,
                     sk_tensor *output, SkRtlResult *result, sk_error *err)
{
    const sk_layer *first = &model->layers[0], *last = &model->layers[model->num_layers - 1];
    size_t batch = input->ndim == 1 ? 1 : input->shape[0];
    size_t k = input->ndim == 1 ? input->shape[0] : input->shape[1];
    if (input->ndim > 2 || k != first->k || batch == 0) {
        std::snprintf(err->msg, sizeof err->msg,
                      "input: shape does not match the model's %u inputs (want [batch][%u])",
                      first->k, first->k);
        return SK_ERR_BAD_SHAPE;
    }
    uint64_t start_cycles = sim.cycles();
    sk_hal hal = sim.hal();
    sk_drv *drv = nullptr;
    sk_drv_status st = sk_drv_open(&hal, nullptr, &drv, err);
    if (st == SK_DRV_OK)
        st = sk_drv_load_model(drv, model, nullptr, err);
    if (st == SK_DRV_OK &&
        sk_tensor_alloc2(output, sk_layer_out_dtype(last), batch, last->n) != SK_OK) {
        std::snprintf(err->msg, sizeof err->msg, "output tensor [%zu][%u]", batch, last->n);
        sk_drv_close(drv);
        return SK_ERR_NOMEM;
    }
    if (st == SK_DRV_OK) {
        st = sk_drv_run(drv, input->data, batch, output->data, &result->perf, err);
        if (st != SK_DRV_OK)
            sk_tensor_free(output);
    }
    sk_drv_close(drv);
    result->sim_cycles = sim.cycles() - start_cycles;
    return to_sk_status(st);
}
