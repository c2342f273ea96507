// sk_rtl_run.h — run one model and batch on the simulated core through the driver
// (libshiftkit_drv over SkSim's HAL): what the "rtl" CLI backend and the regression
// runner share.
#ifndef SHIFTKIT_TB_SK_RTL_RUN_H
#define SHIFTKIT_TB_SK_RTL_RUN_H

#include "sk_sim.h"

extern "C" {
#include "shiftkit/shiftkit.h"
#include "shiftkit/sk_driver.h"
}

struct SkRtlResult {
    sk_drv_perf perf{};        // the core's counters summed over the batch
    uint64_t sim_cycles = 0;   // every simulated cycle, bus traffic included
};

// Open the driver on `sim` (soft reset), load `model`, run `input` ([batch][k0] or
// [k0]) and allocate `output` as [batch][n_last] with the last layer's dtype.
// Returns the CLI's status; err->msg names the failing step.
sk_status sk_rtl_run(SkSim &sim, const sk_model *model, const sk_tensor *input,
                     sk_tensor *output, SkRtlResult *result, sk_error *err);

#endif
