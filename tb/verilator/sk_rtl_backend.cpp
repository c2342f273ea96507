// sk_rtl_backend.cpp — build/bin/shiftkit-rtl: the shiftkit CLI with an "rtl" backend
// that loads each model into the Verilated core (rtl/sk_axil_top.v) through the
// driver and the AXI4-Lite bus model, and runs the batch there. `shiftkit check
// MODEL IN EXP --backend rtl` execs this binary.
//
// Simulation options, as plusargs anywhere on the command line or in the environment
// (for when the core CLI execs this binary): +trace[=FILE] / SHIFTKIT_RTL_TRACE=FILE
// writes an FST waveform; +stall_seed=N / SHIFTKIT_RTL_STALL_SEED=N seeds the bus
// stalls; +stall_percent=P sets their rate.
#include <cstdio>
#include <cstdlib>

#include "sk_rtl_run.h"

extern "C" {
#include "sk_cli.h"
}

namespace {

SkSimOptions g_sim_options;

sk_status rtl_run(void *ctx, const sk_model *model, const char *model_path,
                  const sk_tensor *input, sk_tensor *output, sk_error *err)
{
    (void)ctx;
    SkSim sim(g_sim_options);
    SkRtlResult res;
    sk_status st = sk_rtl_run(sim, model, input, output, &res, err);
    if (st == SK_OK) {
        std::fprintf(stderr, "rtl: %s: %u starts, %llu busy cycles, %llu MACs, %llu stall cycles, "
                     "%llu simulated cycles in all\n", model_path, res.perf.starts,
                     (unsigned long long)res.perf.busy_cycles, (unsigned long long)res.perf.macs,
                     (unsigned long long)res.perf.stall_cycles,
                     (unsigned long long)res.sim_cycles);
    }
    sim.final();
    return st;
}

const sk_backend rtl_backend = {"rtl", rtl_run, nullptr};

}  // namespace

int main(int argc, char **argv)
{
    if (const char *t = std::getenv("SHIFTKIT_RTL_TRACE"))
        g_sim_options.trace_path = t;
    if (const char *s = std::getenv("SHIFTKIT_RTL_STALL_SEED"))
        g_sim_options.stall_seed = std::strtoull(s, nullptr, 0);
    if (!sk_sim_parse_plusargs(&argc, argv, &g_sim_options))
        return 2;
    static const sk_backend *const backends[] = {&sk_golden_backend, &rtl_backend};
    return sk_cli_main(argc, argv, backends, 2);
}
