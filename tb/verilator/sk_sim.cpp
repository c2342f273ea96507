// sk_sim.cpp — clocking, tracing and the AXI4-Lite bus model of SkSim (sk_sim.h).
//
// Three builds (tb/verilator/verilator.mk RTL_TRACE): the default model is Verilated
// with --trace and tb/verilator/sk_trace.vlt, and +trace writes a VCD of that debug
// signal set; -DSK_SIM_TRACE_FST goes with a model Verilated with --trace-fst and no
// selection (every signal, FST); -DSK_SIM_NO_TRACE with a model without trace code
// (the benchmark's untraced variant), where +trace is ignored with a message.
// Waveforms hold one sample per cycle, after the rising edge, so the clock itself
// shows as a constant; the time step is one clock period (10 units).
#include "sk_sim.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "Vsk_axil_top.h"
#include "verilated.h"
#ifdef SK_SIM_TRACE_FST
#include "verilated_fst_c.h"
#else
#include "verilated_vcd_c.h"  // also in the untraced build: SkSim holds a (null) pointer to one
#endif

namespace {
// The FST writer keeps every value change since its last flush and, when it flushes,
// walks each signal's list of changes; left to itself it flushes every 128 MB,
// and that walk over a buffer far larger than the caches took three quarters of a
// traced run. Flushing every 1024 cycles keeps the buffer in cache: 1.8x faster on
// sk-rtl-bench, for a few percent more file.
constexpr uint64_t kFstFlushCycles = 1024;
}  // namespace

const char *sk_sim_trace_ext()
{
#ifdef SK_SIM_TRACE_FST
    return ".fst";
#else
    return ".vcd";
#endif
}

namespace {
constexpr uint8_t kRespOkay = 0;
}

SkSim::SkSim(const SkSimOptions &opt)
    : ctx_(new VerilatedContext), rng_(opt.stall_seed), stall_percent_(opt.stall_percent),
      clock_mhz_(opt.clock_mhz)
{
    ctx_->threads(1);
#ifdef SK_SIM_NO_TRACE
    if (!opt.trace_path.empty()) {
        std::fprintf(stderr, "sk_sim: this binary is built without tracing; +trace=%s ignored\n",
                     opt.trace_path.c_str());
    }
    top_.reset(new Vsk_axil_top{ctx_.get(), "top"});
#else
    if (!opt.trace_path.empty())
        ctx_->traceEverOn(true);
    top_.reset(new Vsk_axil_top{ctx_.get(), "top"});
    if (!opt.trace_path.empty()) {
        trace_.reset(new SkTraceFile);
        top_->trace(trace_.get(), 99);
        trace_->open(opt.trace_path.c_str());
        trace_start_ = opt.trace_start;
        trace_end_ = opt.trace_cycles && opt.trace_cycles <= UINT64_MAX - opt.trace_start
                         ? opt.trace_start + opt.trace_cycles : UINT64_MAX;
        std::fprintf(stderr, "sk_sim: tracing to %s\n", opt.trace_path.c_str());
        // +trace refuses the other format's extension; a path set by other means
        // (SHIFTKIT_RTL_TRACE) is written anyway, so say what it holds.
        const char *other = !std::strcmp(sk_sim_trace_ext(), ".vcd") ? ".fst" : ".vcd";
        const size_t len = opt.trace_path.size();
        if (len >= 4 && opt.trace_path.compare(len - 4, 4, other) == 0)
            std::fprintf(stderr, "sk_sim: warning: %s holds a %s waveform (this build's format), "
                         "not %s\n", opt.trace_path.c_str(), sk_sim_trace_ext() + 1, other + 1);
    }
#endif
    top_->clk_i = 0;
    top_->rst_ni = 0;
    top_->s_axil_awvalid = 0;
    top_->s_axil_wvalid = 0;
    top_->s_axil_bready = 0;
    top_->s_axil_arvalid = 0;
    top_->s_axil_rready = 0;
    top_->s_axil_awprot = 0;
    top_->s_axil_arprot = 0;
    top_->eval();
    for (int i = 0; i < 4; i++)
        cycle();
    top_->rst_ni = 1;
    top_->eval();
    cycle();
}

SkSim::~SkSim() { final(); }

void SkSim::final()
{
    if (finished_)
        return;
    finished_ = true;
    top_->final();
    if (trace_)
        trace_->close();
}

void SkSim::reseed(uint64_t stall_seed) { rng_.seed(stall_seed); }

// One clock period: rising edge (the DUT samples), then falling edge, after which
// the bus model may change inputs. One trace sample per cycle, taken after the rising
// edge (registers and the inputs they sampled); sampling both edges doubled the
// trace cost for no extra information (every register changes only at the rising edge).
void SkSim::cycle()
{
    top_->clk_i = 1;
    top_->eval();
#ifndef SK_SIM_NO_TRACE
    if (trace_ && cycles_ >= trace_start_ && cycles_ < trace_end_) {
        trace_->dump(ctx_->time());
#ifdef SK_SIM_TRACE_FST
        if ((cycles_ - trace_start_ + 1) % kFstFlushCycles == 0)
            trace_->flush();
#endif
    }
#endif
    ctx_->timeInc(10);
    top_->clk_i = 0;
    top_->eval();
    cycles_++;
}

bool SkSim::stall() { return (rng_() % 100) < stall_percent_; }

unsigned SkSim::stall_delay()
{
    unsigned d = 0;
    while (d < 8 && stall())
        d++;
    return d;
}

int SkSim::write32(uint32_t offset, uint32_t value)
{
    unsigned aw_delay = stall_delay(), w_delay = stall_delay();
    bool aw_done = false, w_done = false;
    uint64_t start = cycles_;
    while (!aw_done || !w_done) {
        if (cycles_ - start > kBusTimeoutCycles) {
            std::fprintf(stderr, "sk_sim: AXI write 0x%06x: no AWREADY/WREADY in %llu cycles\n",
                         offset, (unsigned long long)kBusTimeoutCycles);
            top_->s_axil_awvalid = top_->s_axil_wvalid = 0;
            return -1;
        }
        top_->s_axil_awaddr = offset;
        top_->s_axil_awvalid = !aw_done && aw_delay == 0;
        top_->s_axil_wdata = value;
        top_->s_axil_wstrb = 0xF;
        top_->s_axil_wvalid = !w_done && w_delay == 0;
        top_->eval();
        bool aw_hs = top_->s_axil_awvalid && top_->s_axil_awready;
        bool w_hs = top_->s_axil_wvalid && top_->s_axil_wready;
        cycle();
        aw_done |= aw_hs;
        w_done |= w_hs;
        if (aw_delay) aw_delay--;
        if (w_delay) w_delay--;
    }
    top_->s_axil_awvalid = 0;
    top_->s_axil_wvalid = 0;
    start = cycles_;
    for (;;) {
        if (cycles_ - start > kBusTimeoutCycles) {
            std::fprintf(stderr, "sk_sim: AXI write 0x%06x: no BVALID in %llu cycles\n", offset,
                         (unsigned long long)kBusTimeoutCycles);
            top_->s_axil_bready = 0;
            return -1;
        }
        top_->s_axil_bready = !stall();
        top_->eval();
        bool hs = top_->s_axil_bvalid && top_->s_axil_bready;
        uint8_t resp = top_->s_axil_bresp;
        cycle();
        if (hs) {
            top_->s_axil_bready = 0;
            return resp == kRespOkay ? 0 : -1;
        }
    }
}

int SkSim::read32(uint32_t offset, uint32_t *value)
{
    unsigned ar_delay = stall_delay();
    uint64_t start = cycles_;
    for (bool done = false; !done;) {
        if (cycles_ - start > kBusTimeoutCycles) {
            std::fprintf(stderr, "sk_sim: AXI read 0x%06x: no ARREADY in %llu cycles\n", offset,
                         (unsigned long long)kBusTimeoutCycles);
            top_->s_axil_arvalid = 0;
            return -1;
        }
        top_->s_axil_araddr = offset;
        top_->s_axil_arvalid = ar_delay == 0;
        top_->eval();
        done = top_->s_axil_arvalid && top_->s_axil_arready;
        cycle();
        if (ar_delay) ar_delay--;
    }
    top_->s_axil_arvalid = 0;
    start = cycles_;
    for (;;) {
        if (cycles_ - start > kBusTimeoutCycles) {
            std::fprintf(stderr, "sk_sim: AXI read 0x%06x: no RVALID in %llu cycles\n", offset,
                         (unsigned long long)kBusTimeoutCycles);
            top_->s_axil_rready = 0;
            return -1;
        }
        top_->s_axil_rready = !stall();
        top_->eval();
        bool hs = top_->s_axil_rvalid && top_->s_axil_rready;
        uint32_t data = top_->s_axil_rdata;
        uint8_t resp = top_->s_axil_rresp;
        cycle();
        if (hs) {
            top_->s_axil_rready = 0;
            *value = data;
            return resp == kRespOkay ? 0 : -1;
        }
    }
}

sk_hal_wait_result SkSim::wait_irq(uint32_t timeout_us)
{
    uint64_t limit = (uint64_t)timeout_us * clock_mhz_;
    uint64_t start = cycles_;
    auto t0 = std::chrono::steady_clock::now();
    sk_hal_wait_result r = SK_HAL_TIMEOUT;
    for (uint64_t i = 0; i <= limit; i++) {
        if (top_->irq_o) {  // a register output: settled since the last edge
            r = SK_HAL_IRQ;
            break;
        }
        cycle();
    }
    wait_cycles_ += cycles_ - start;
    wait_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

namespace {
int hal_read32(void *ctx, uint32_t offset, uint32_t *value)
{
    return static_cast<SkSim *>(ctx)->read32(offset, value);
}
int hal_write32(void *ctx, uint32_t offset, uint32_t value)
{
    return static_cast<SkSim *>(ctx)->write32(offset, value);
}
sk_hal_wait_result hal_wait_irq(void *ctx, uint32_t timeout_us)
{
    return static_cast<SkSim *>(ctx)->wait_irq(timeout_us);
}
}  // namespace

sk_hal SkSim::hal()
{
    sk_hal h;
    h.ctx = this;
    h.read32 = hal_read32;
    h.write32 = hal_write32;
    h.wait_irq = hal_wait_irq;
    return h;
}

bool sk_sim_parse_plusargs(int *argc, char **argv, SkSimOptions *opt)
{
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        char *end = nullptr;
        if (!std::strcmp(a, "+trace")) {
            opt->trace_path = std::string("sk_sim") + sk_sim_trace_ext();
        } else if (!std::strncmp(a, "+trace=", 7) && a[7]) {
            opt->trace_path = a + 7;
            const char *other = !std::strcmp(sk_sim_trace_ext(), ".vcd") ? ".fst" : ".vcd";
            const size_t len = opt->trace_path.size();
            if (len >= 4 && opt->trace_path.compare(len - 4, 4, other) == 0) {
                std::fprintf(stderr, "sk_sim: %s: this build writes %s waveforms, not %s (the "
                             "RTL_TRACE=full build writes FST of every signal; "
                             "docs/verification.md)\n", a, sk_sim_trace_ext() + 1, other + 1);
                return false;
            }
        } else if (!std::strncmp(a, "+trace_start=", 13) || !std::strncmp(a, "+trace_cycles=", 14)) {
            const bool start = a[7] == 's';
            const char *v = a + (start ? 13 : 14);
            const unsigned long long n = std::strtoull(v, &end, 0);
            if (!*v || *end || *v == '-') {
                std::fprintf(stderr, "sk_sim: bad %s (want %s=N)\n", a,
                             start ? "+trace_start" : "+trace_cycles");
                return false;
            }
            (start ? opt->trace_start : opt->trace_cycles) = n;
        } else if (!std::strncmp(a, "+stall_seed=", 12)) {
            opt->stall_seed = std::strtoull(a + 12, &end, 0);
            if (!a[12] || *end) {
                std::fprintf(stderr, "sk_sim: bad %s (want +stall_seed=N)\n", a);
                return false;
            }
        } else if (!std::strncmp(a, "+stall_percent=", 15)) {
            unsigned long p = std::strtoul(a + 15, &end, 0);
            if (!a[15] || *end || p > 95) {
                std::fprintf(stderr, "sk_sim: bad %s (want +stall_percent=0..95)\n", a);
                return false;
            }
            opt->stall_percent = (unsigned)p;
        } else {
            argv[out++] = argv[i];
            continue;
        }
    }
    *argc = out;
    argv[out] = nullptr;
    return true;
}
