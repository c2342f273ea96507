/* sk_axil_bridge.h — a TLM-2.0 target that performs each transaction as a pin-level
 * AXI4-Lite master transfer, one at a time, on clk_i.
 *
 * It converts loosely-timed traffic to cycles: b_transport first waits out the
 * annotated delay, then hands the transaction to the bridge's own bus process, the
 * one writer of the master pins whichever initiator thread calls (callers are served
 * one at a time). That process drives the address/data channels right after a rising
 * edge, holds them until the slave's ready is sampled high at a rising edge, and
 * waits for the response the same way: pins change only after rising edges and are
 * sampled at rising edges, as a synchronous master would. A write's byte enables
 * become WSTRB. OKAY answers TLM_OK_RESPONSE; SLVERR and DECERR answer
 * TLM_GENERIC_ERROR_RESPONSE; an address beyond the slave's address width answers
 * TLM_ADDRESS_ERROR_RESPONSE without bus traffic; a slave that does not answer within
 * `timeout_cycles` edges gets TLM_GENERIC_ERROR_RESPONSE and an SC_REPORT_WARNING, so a
 * broken bus never hangs the simulation. Transactions wait while rst_ni is low. */
#ifndef SHIFTKIT_SK_AXIL_BRIDGE_H
#define SHIFTKIT_SK_AXIL_BRIDGE_H

#include <cstdint>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

class sk_axil_bridge : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<sk_axil_bridge> socket;
    sc_core::sc_in<bool> clk_i;
    sc_core::sc_in<bool> rst_ni;
    /* AXI4-Lite master: names as the slave's s_axil_* ports (types as Verilator's) */
    sc_core::sc_out<uint32_t> m_axil_awaddr, m_axil_awprot;
    sc_core::sc_out<bool> m_axil_awvalid;
    sc_core::sc_in<bool> m_axil_awready;
    sc_core::sc_out<uint32_t> m_axil_wdata, m_axil_wstrb;
    sc_core::sc_out<bool> m_axil_wvalid;
    sc_core::sc_in<bool> m_axil_wready;
    sc_core::sc_in<uint32_t> m_axil_bresp;
    sc_core::sc_in<bool> m_axil_bvalid;
    sc_core::sc_out<bool> m_axil_bready;
    sc_core::sc_out<uint32_t> m_axil_araddr, m_axil_arprot;
    sc_core::sc_out<bool> m_axil_arvalid;
    sc_core::sc_in<bool> m_axil_arready;
    sc_core::sc_in<uint32_t> m_axil_rdata, m_axil_rresp;
    sc_core::sc_in<bool> m_axil_rvalid;
    sc_core::sc_out<bool> m_axil_rready;

    /* addr_width: the slave's byte address bits (24 for sk_axil_top) */
    sk_axil_bridge(sc_core::sc_module_name name, unsigned addr_width = 24,
                   unsigned timeout_cycles = 1000);

private:
    void b_transport(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);
    void bus_process();
    void transfer(tlm::tlm_generic_payload &trans);
    void drive_idle();
    void rising_edge();
    void note_edge();
    bool write(uint32_t addr, uint32_t data, uint32_t strb, uint32_t *resp);
    bool read(uint32_t addr, uint32_t *data, uint32_t *resp);

    unsigned m_addr_width, m_timeout;
    sc_core::sc_time m_edge_time; /* time of the last rising edge this bridge waited for */
    bool m_seen_edge = false;
    sc_core::sc_mutex m_lock;             /* one transaction at a time */
    tlm::tlm_generic_payload *m_request = nullptr;
    sc_core::sc_event m_request_event, m_done_event;
};

#endif
