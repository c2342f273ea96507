// sk_faults_rtl.cpp — build/bin/sk-faults-rtl: the fault cases of sk_fault_cases.c
// through the driver on the Verilated RTL (tb/verilator's SkSim: AXI4-Lite bus model
// with random stalls). Usage: sk-faults-rtl [+stall_seed=N] [+trace] [REPORT.json];
// exit status 1 when a case fails.
#include <cstdio>

#include "sk_sim.h"

extern "C" {
#include "sk_fault_cases.h"
}

int main(int argc, char **argv)
{
    SkSimOptions opt;
    if (!sk_sim_parse_plusargs(&argc, argv, &opt)) return 2;
    SkSim sim(opt);
    sk_hal hal = sim.hal();
    int failed = sk_fault_run_all(&hal, "rtl", argc > 1 ? argv[1] : nullptr);
    sim.final();
    return failed ? 1 : 0;
}
