/* sk_sc_bus_test.cpp — bus-level checks of both SystemC targets against
 * docs/regmap.md, run side by side in one simulation: the same scripted accesses
 * through a HAL initiator on sk_tlm_device and on sk_rtl_device, every expectation
 * taken from the register map (not from either model): ID/VERSION/build parameters
 * and FEATURES, XDESC words 12..15 stored, SLVERR for holes, words past a window's size and out-of-range addresses, bursts refused, byte enables as WSTRB, read-only writes ignored, window
 * access refused while busy, START_REFUSED, the level interrupt (masked run ends in a
 * wait timeout of exactly the asked simulated time, enabling it raises irq, IRQ_CLEAR
 * drops it), an error run (NUM_LAYERS 0) and SOFT_RESET. A third initiator checks that
 * the bridge ends transactions to a slave that never answers with an error in time.
 * Prints "bus test <target>: N checks, M failed" per target; exit 1 on any failure. */
#include <cstdio>
#include <cstring>

#include <systemc>

#include "shiftkit/sk_regs.h"
#include "sk_axil_bridge.h"
#include "sk_sc_twin.h"

using namespace sc_core;

struct checker {
    const char *target;
    int checks = 0, failed = 0;
    /* `got` by reference: read after the condition (which may read it) is evaluated */
    void expect(bool ok, const char *what, const uint32_t &got, uint64_t want)
    {
        expect(ok, what, uint64_t(got), want);
    }
    void expect(bool ok, const char *what, uint64_t got = 0, uint64_t want = 0)
    {
        checks++;
        if (ok)
            return;
        failed++;
        std::printf("bus test %s: FAIL %s (got 0x%llx, want 0x%llx)\n", target, what,
                    (unsigned long long)got, (unsigned long long)want);
    }
};

/* One raw transaction: status of a `len`-byte access with optional byte enables. */
static tlm::tlm_response_status raw(sk_tlm_hal &cpu, tlm::tlm_command cmd, uint64_t addr,
                                    uint32_t *value, unsigned len = 4,
                                    const unsigned char *be = nullptr)
{
    unsigned char data[8] = {};
    std::memcpy(data, value, 4);
    tlm::tlm_generic_payload t;
    t.set_command(cmd);
    t.set_address(addr);
    t.set_data_ptr(data);
    t.set_data_length(len);
    t.set_streaming_width(len);
    t.set_byte_enable_ptr(const_cast<unsigned char *>(be));
    t.set_byte_enable_length(be ? 4 : 0);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time delay = SC_ZERO_TIME;
    cpu.socket->b_transport(t, delay);
    wait(delay);
    std::memcpy(value, data, 4);
    return t.get_response_status();
}

static void script(sk_tlm_hal &cpu, checker &c)
{
    uint32_t v = 0;
    c.expect(cpu.read32(SK_REG_ID, &v) == 0 && v == SK_ID_MAGIC, "ID", v, SK_ID_MAGIC);
    c.expect(cpu.read32(SK_REG_VERSION, &v) == 0 && v == SK_VERSION_VALUE, "VERSION", v,
             SK_VERSION_VALUE);
    c.expect(cpu.read32(SK_REG_LANES, &v) == 0 && v == SK_DEFAULT_LANES, "LANES", v,
             SK_DEFAULT_LANES);
    c.expect(cpu.read32(SK_REG_MAX_LAYERS, &v) == 0 && v == SK_DEFAULT_MAX_LAYERS, "MAX_LAYERS",
             v, SK_DEFAULT_MAX_LAYERS);
    c.expect(cpu.read32(SK_REG_NUM_LAYERS, &v) == 0 && v == 1, "NUM_LAYERS reset value", v, 1);
    const uint32_t features = SK_DEFAULT_CNN ? SK_FEATURES_CNN_MASK : 0u;
    c.expect(cpu.read32(SK_REG_FEATURES, &v) == 0 && v == features, "FEATURES", v, features);
    c.expect(cpu.write32(SK_REG_ID, 0) == 0, "write to read-only ID answers OKAY");
    c.expect(cpu.read32(SK_REG_ID, &v) == 0 && v == SK_ID_MAGIC, "ID unchanged by a write", v,
             SK_ID_MAGIC);

    /* SLVERR cases */
    c.expect(cpu.read32(0x01C, &v) != 0, "hole in the register page 0x01C");
    c.expect(cpu.read32(0xFFC, &v) != 0, "hole 0xFFC");
    c.expect(cpu.write32(SK_WIN_DESC_BASE + SK_DEFAULT_MAX_LAYERS * 16, 1) != 0,
             "DESC word past MAX_LAYERS*16");
    c.expect(cpu.read32(SK_WIN_BIAS_BASE + SK_DEFAULT_BIAS_DEPTH * 4, &v) != 0,
             "BIAS word past BIAS_DEPTH");
    c.expect(cpu.read32(SK_WIN_XDESC_BASE + SK_DEFAULT_MAX_LAYERS * SK_XDESC_BYTES, &v) != 0,
             "XDESC word past MAX_LAYERS*64");
    if (SK_DEFAULT_CNN) { /* XDESC words 12..15 of a slot are stored, never read by the core */
        const uint32_t xword13 = SK_WIN_XDESC_BASE + SK_XDESC_BYTES + 4 * 13;
        c.expect(cpu.write32(xword13, 0x5A5AA5A5u) == 0, "XDESC word 13 write");
        c.expect(cpu.read32(xword13, &v) == 0 && v == 0x5A5AA5A5u, "XDESC word 13 reads back", v,
                 0x5A5AA5A5u);
    }
    c.expect(cpu.read32(0x060000, &v) != 0, "gap between ACT1 and WEIGHTS");
    v = 0;
    c.expect(raw(cpu, tlm::TLM_READ_COMMAND, 0x1000000, &v) != tlm::TLM_OK_RESPONSE,
             "address beyond the 24-bit space");
    c.expect(raw(cpu, tlm::TLM_READ_COMMAND, SK_REG_ID, &v, 8) == tlm::TLM_BURST_ERROR_RESPONSE,
             "8-byte burst refused");

    /* byte enables act as WSTRB */
    const unsigned char byte1[4] = {0, TLM_BYTE_ENABLED, 0, 0};
    c.expect(cpu.write32(SK_WIN_BIAS_BASE, 0x11223344u) == 0, "BIAS write");
    v = 0xAABBCCDDu;
    c.expect(raw(cpu, tlm::TLM_WRITE_COMMAND, SK_WIN_BIAS_BASE, &v, 4, byte1) ==
                 tlm::TLM_OK_RESPONSE, "BIAS write with byte 1 enabled");
    c.expect(cpu.read32(SK_WIN_BIAS_BASE, &v) == 0 && v == 0x1122CC44u, "WSTRB merge", v,
             0x1122CC44u);

    /* a long run: one layer K=200, N=8, int8 in/out, per-layer shift 0, floor */
    uint32_t desc[4] = {200u | 8u << 16, 0, 0, 8u << 8 | 1u << 12 | 1u << 13};
    for (unsigned i = 0; i < 4; i++)
        c.expect(cpu.write32(SK_WIN_DESC_BASE + 4 * i, desc[i]) == 0, "descriptor write");
    c.expect(cpu.write32(SK_REG_NUM_LAYERS, 1) == 0, "NUM_LAYERS");
    c.expect(cpu.write32(SK_REG_IRQ_ENABLE, 0) == 0, "IRQ_ENABLE off");
    c.expect(cpu.write32(SK_REG_CTRL, SK_CTRL_START_MASK) == 0, "START");
    c.expect(cpu.read32(SK_REG_STATUS, &v) == 0 && (v & SK_STATUS_BUSY_MASK), "BUSY after START", v,
             SK_STATUS_BUSY_MASK);
    c.expect(cpu.read32(SK_WIN_ACT0_BASE, &v) != 0, "window read while busy: SLVERR");
    c.expect(cpu.write32(SK_WIN_XDESC_BASE, 0) != 0, "XDESC write while busy: SLVERR");
    c.expect(cpu.write32(SK_REG_CTRL, SK_CTRL_START_MASK) == 0, "second START answers OKAY");
    c.expect(cpu.read32(SK_REG_STATUS, &v) == 0 && (v & SK_STATUS_START_REFUSED_MASK),
             "START_REFUSED", v, SK_STATUS_START_REFUSED_MASK);
    sc_time t0 = sc_time_stamp();
    c.expect(cpu.wait_irq(10) == SK_HAL_TIMEOUT, "masked interrupt: wait times out");
    c.expect(sc_time_stamp() - t0 == sc_time(10, SC_US), "timeout lasts 10 us of simulated time",
             uint64_t((sc_time_stamp() - t0).value()), uint64_t(sc_time(10, SC_US).value()));
    uint32_t want = SK_STATUS_DONE_MASK | SK_STATUS_START_REFUSED_MASK; /* both sticky */
    c.expect(cpu.read32(SK_REG_STATUS, &v) == 0 && v == want, "STATUS = DONE|START_REFUSED", v,
             want);
    c.expect(cpu.read32(SK_REG_PERF_MACS, &v) == 0 && v == 200 * 8, "PERF_MACS = K*N", v, 1600);
    c.expect(cpu.write32(SK_REG_IRQ_ENABLE, 1) == 0, "IRQ_ENABLE on");
    c.expect(cpu.wait_irq(1) == SK_HAL_IRQ, "enabling the interrupt raises irq (level)");
    c.expect(cpu.write32(SK_REG_CTRL, SK_CTRL_IRQ_CLEAR_MASK) == 0, "IRQ_CLEAR");
    c.expect(cpu.read32(SK_REG_STATUS, &v) == 0 && v == SK_STATUS_START_REFUSED_MASK,
             "STATUS after IRQ_CLEAR: only START_REFUSED", v, SK_STATUS_START_REFUSED_MASK);
    c.expect(!cpu.irq_i.read(), "irq low after IRQ_CLEAR");

    /* an error run ends at once with its code, and raises the interrupt */
    c.expect(cpu.write32(SK_REG_NUM_LAYERS, 0) == 0, "NUM_LAYERS 0");
    c.expect(cpu.write32(SK_REG_CTRL, SK_CTRL_START_MASK) == 0, "START (bad NUM_LAYERS)");
    c.expect(cpu.wait_irq(10) == SK_HAL_IRQ, "error run raises irq");
    want = SK_STATUS_DONE_MASK | SK_STATUS_ERROR_MASK | 1u << SK_STATUS_ERR_CODE_SHIFT;
    c.expect(cpu.read32(SK_REG_STATUS, &v) == 0 && v == want, "STATUS ERR_CODE NUM_LAYERS", v,
             want);

    /* SOFT_RESET aborts a run and clears STATUS; IRQ_ENABLE and NUM_LAYERS stay */
    c.expect(cpu.write32(SK_REG_NUM_LAYERS, 1) == 0, "NUM_LAYERS 1");
    c.expect(cpu.write32(SK_REG_CTRL, SK_CTRL_START_MASK) == 0, "START");
    c.expect(cpu.write32(SK_REG_CTRL, SK_CTRL_SOFT_RESET_MASK) == 0, "SOFT_RESET");
    c.expect(cpu.read32(SK_REG_STATUS, &v) == 0 && v == 0, "STATUS after SOFT_RESET", v, 0);
    c.expect(cpu.read32(SK_REG_IRQ_ENABLE, &v) == 0 && v == 1, "IRQ_ENABLE kept", v, 1);
    c.expect(!cpu.irq_i.read(), "irq low after SOFT_RESET");
    /* a run started after the abort raises the interrupt at its own end */
    c.expect(cpu.write32(SK_REG_CTRL, SK_CTRL_START_MASK) == 0, "START after SOFT_RESET");
    c.expect(cpu.wait_irq(10) == SK_HAL_IRQ, "the new run raises irq");
    c.expect(cpu.read32(SK_REG_STATUS, &v) == 0 && v == SK_STATUS_DONE_MASK, "STATUS = DONE", v,
             SK_STATUS_DONE_MASK);
}

/* A bridge whose slave never answers: every ready and valid input tied low. */
static const unsigned DEAD_TIMEOUT = 50;
static void dead_script(sk_tlm_hal &cpu, checker &c)
{
    uint32_t v = 0;
    sc_time t0 = sc_time_stamp();
    c.expect(cpu.read32(SK_REG_ID, &v) != 0, "read from a dead slave ends in an error");
    c.expect(cpu.write32(SK_REG_IRQ_ENABLE, 1) != 0, "write to a dead slave ends in an error");
    sc_time limit = sc_time(10, SC_NS) * double(2 * (DEAD_TIMEOUT + 2));
    c.expect(sc_time_stamp() - t0 <= limit, "both within the bridge's timeout (ns)",
             uint64_t((sc_time_stamp() - t0).to_seconds() * 1e9), uint64_t(limit.to_seconds() * 1e9));
}

struct dead_slave {
    sc_signal<uint32_t> awaddr, awprot, wdata, wstrb, bresp, araddr, arprot, rdata, rresp;
    sc_signal<bool> awvalid, awready, wvalid, wready, bvalid, bready, arvalid, arready, rvalid,
        rready;
    void bind(sk_axil_bridge &b)
    {
        b.m_axil_awaddr(awaddr); b.m_axil_awprot(awprot); b.m_axil_awvalid(awvalid);
        b.m_axil_awready(awready); b.m_axil_wdata(wdata); b.m_axil_wstrb(wstrb);
        b.m_axil_wvalid(wvalid); b.m_axil_wready(wready); b.m_axil_bresp(bresp);
        b.m_axil_bvalid(bvalid); b.m_axil_bready(bready); b.m_axil_araddr(araddr);
        b.m_axil_arprot(arprot); b.m_axil_arvalid(arvalid); b.m_axil_arready(arready);
        b.m_axil_rdata(rdata); b.m_axil_rresp(rresp); b.m_axil_rvalid(rvalid);
        b.m_axil_rready(rready);
    }
};

SC_MODULE(runner) {
    sk_tlm_hal cpu{"cpu"};
    checker chk;
    bool done = false;
    void (*run_script)(sk_tlm_hal &, checker &);
    SC_HAS_PROCESS(runner);
    runner(sc_module_name n, const char *target, void (*fn)(sk_tlm_hal &, checker &))
        : sc_module(n), run_script(fn)
    {
        chk.target = target;
        SC_THREAD(main_thread);
    }
    void main_thread()
    {
        wait(100, SC_NS); /* past the RTL's reset */
        run_script(cpu, chk);
        done = true;
    }
};

int sc_main(int, char **)
{
    sc_report_handler::set_actions("/OSCI/SystemC", SC_INFO, SC_DO_NOTHING);
    runner tlm_side("tlm_side", "tlm", script), rtl_side("rtl_side", "rtl", script);
    runner dead_side("dead_side", "bridge-timeout", dead_script);
    sk_sc_twin twin(tlm_side.cpu, rtl_side.cpu);
    sk_axil_bridge dead_bridge("dead_bridge", 24, DEAD_TIMEOUT);
    dead_slave dead;
    sc_signal<bool> irq_dead("irq_dead");
    dead.bind(dead_bridge);
    dead_bridge.clk_i(twin.clk);
    dead_bridge.rst_ni(twin.rst_n);
    dead_side.cpu.socket.bind(dead_bridge.socket);
    dead_side.cpu.irq_i(irq_dead);

    twin.reset();
    while (!(tlm_side.done && rtl_side.done && dead_side.done) &&
           sc_time_stamp() < sc_time(1, SC_MS))
        sc_start(1, SC_US);
    int bad = 0;
    for (runner *r : {&tlm_side, &rtl_side, &dead_side}) {
        if (!r->done)
            r->chk.expect(false, "script did not finish within 1 ms of simulated time");
        std::printf("bus test %s: %d checks, %d failed\n", r->chk.target, r->chk.checks,
                    r->chk.failed);
        bad += r->chk.failed;
    }
    return bad ? 1 : 0;
}
