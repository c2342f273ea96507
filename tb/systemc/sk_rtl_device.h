/* sk_rtl_device.h — the shiftkit RTL (rtl/sk_axil_top.v, Verilated with --sc) behind
 * the TLM-2.0-to-AXI4-Lite bridge: the same socket, address map and interrupt as
 * sk_tlm_device, but every access and every run takes the cycles the RTL takes on
 * clk_i (bind an sc_clock). rst_ni is the RTL's active-low reset; hold it low for a
 * few cycles at start. The Verilated model is hidden here so that users include only
 * SystemC headers; link build/systemc/libshiftkit_sc_rtl.a (docs/systemc.md). */
#ifndef SHIFTKIT_SK_RTL_DEVICE_H
#define SHIFTKIT_SK_RTL_DEVICE_H

#include <memory>

#include <systemc>
#include <tlm>

#include "sk_axil_bridge.h"

class Vsk_axil_top;

class sk_rtl_device : public sc_core::sc_module {
public:
    tlm::tlm_target_socket<32> socket; /* bound to the bridge's socket */
    sc_core::sc_in<bool> clk_i;
    sc_core::sc_in<bool> rst_ni;
    sc_core::sc_out<bool> irq_o;

    /* The default build of sk_axil_top (Lanes 8, ... as SK_DEFAULT_* in sk_regs.h);
     * the parameters are fixed when the RTL is Verilated. */
    explicit sk_rtl_device(sc_core::sc_module_name name);
    ~sk_rtl_device() override;

private:
    sk_axil_bridge m_bridge;
    std::unique_ptr<Vsk_axil_top> m_rtl;
    sc_core::sc_signal<uint32_t> m_awaddr, m_awprot, m_wdata, m_wstrb, m_bresp;
    sc_core::sc_signal<uint32_t> m_araddr, m_arprot, m_rdata, m_rresp;
    sc_core::sc_signal<bool> m_awvalid, m_awready, m_wvalid, m_wready, m_bvalid, m_bready;
    sc_core::sc_signal<bool> m_arvalid, m_arready, m_rvalid, m_rready;
};

#endif
