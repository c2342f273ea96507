// sk_sim.h — the Verilated shiftkit core (rtl/sk_axil_top.v) with a clock, an
// AXI4-Lite bus model and the driver's HAL (sw/include/shiftkit/sk_hal.h).
//
// The bus model is the only thing that touches the DUT's pins: it drives inputs
// while the clock is low (the non-sampling edge), samples handshakes at the rising
// edge, and injects seeded random stalls on every channel: a random delay before
// AWVALID, WVALID and ARVALID rise, and BREADY and RREADY that drop at random. Every
// handshake is bounded: a channel that does not complete within kBusTimeoutCycles
// fails the access with a message instead of hanging the simulation.
#ifndef SHIFTKIT_TB_SK_SIM_H
#define SHIFTKIT_TB_SK_SIM_H

#include <cstdint>
#include <memory>
#include <random>
#include <string>

#include "shiftkit/sk_hal.h"

class VerilatedContext;
class Vsk_axil_top;
// The waveform writer of this build (tb/verilator/verilator.mk RTL_TRACE): VCD of the
// debug signal set by default, FST of every signal with -DSK_SIM_TRACE_FST.
#ifdef SK_SIM_TRACE_FST
class VerilatedFstC;
using SkTraceFile = VerilatedFstC;
#else
class VerilatedVcdC;
using SkTraceFile = VerilatedVcdC;
#endif

struct SkSimOptions {
    uint64_t stall_seed = 1;     // seed of the bus model's random stalls
    unsigned stall_percent = 30; // chance (0..100) that a channel stalls in a given cycle
    std::string trace_path;      // waveform file (sk_sim_trace_ext()); empty: no tracing
    uint64_t trace_start = 0;    // first cycle written to the waveform
    uint64_t trace_cycles = 0;   // cycles written from trace_start; 0: to the end
    uint32_t clock_mhz = 100;    // simulated clock, converts HAL timeouts to cycles
};

// The waveform file extension this build writes: ".vcd" or ".fst".
const char *sk_sim_trace_ext();

class SkSim {
public:
    static constexpr uint64_t kBusTimeoutCycles = 10000;

    explicit SkSim(const SkSimOptions &opt);
    ~SkSim();
    SkSim(const SkSim &) = delete;
    SkSim &operator=(const SkSim &) = delete;

    // 0 on OKAY, nonzero on SLVERR/DECERR or a bus timeout (message on stderr).
    int read32(uint32_t offset, uint32_t *value);
    int write32(uint32_t offset, uint32_t value);
    // Clock until irq_o is high or timeout_us of simulated time passed.
    sk_hal_wait_result wait_irq(uint32_t timeout_us);

    // An sk_hal whose ctx is this simulator.
    sk_hal hal();
    // Restart the stall sequence (e.g. per test case, for replay).
    void reseed(uint64_t stall_seed);

    uint64_t cycles() const { return cycles_; }
    // Cycles spent in wait_irq (the core computing, no bus traffic) and their wall time.
    uint64_t wait_cycles() const { return wait_cycles_; }
    double wait_seconds() const { return wait_seconds_; }
    void final();

private:
    void cycle();
    bool stall();
    unsigned stall_delay();

    std::unique_ptr<VerilatedContext> ctx_;
    std::unique_ptr<Vsk_axil_top> top_;
    std::unique_ptr<SkTraceFile> trace_;
    uint64_t trace_start_ = 0, trace_end_ = 0;  // cycles [start, end) are dumped
    std::mt19937_64 rng_;
    unsigned stall_percent_;
    uint32_t clock_mhz_;
    uint64_t cycles_ = 0;
    uint64_t wait_cycles_ = 0;
    double wait_seconds_ = 0;
    bool finished_ = false;
};

// Options from plusargs: +trace (to sk_sim.vcd, or sk_sim.fst in an FST build),
// +trace=FILE, +trace_start=CYCLE, +trace_cycles=N (a window of the run),
// +stall_seed=N, +stall_percent=P. Returns false (message on stderr) on a malformed
// plusarg or a +trace file whose extension names the other format.
// Consumed arguments are removed from argv.
bool sk_sim_parse_plusargs(int *argc, char **argv, SkSimOptions *opt);

#endif
