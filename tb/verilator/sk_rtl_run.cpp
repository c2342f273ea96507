// sk_rtl_run.cpp — see sk_rtl_run.h.
#include "sk_rtl_run.h"

sk_status sk_rtl_run(SkSim &sim, const sk_model *model, const sk_tensor *input,
                     sk_tensor *output, SkRtlResult *result, sk_error *err)
{
    uint64_t start_cycles = sim.cycles();
    sk_hal hal = sim.hal();
    sk_drv_status st = sk_drv_run_tensor(&hal, nullptr, model, input, output, nullptr,
                                         &result->perf, err);
    result->sim_cycles = sim.cycles() - start_cycles;
    return sk_drv_to_sk_status(st);
}
