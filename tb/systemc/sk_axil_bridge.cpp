/* sk_axil_bridge.cpp — TLM-2.0 to AXI4-Lite pin-level bridge (sk_axil_bridge.h). */
#include "sk_axil_bridge.h"

#include <cstring>
#include <sstream>

using namespace sc_core;

static const uint32_t AXI_RESP_OKAY = 0;

sk_axil_bridge::sk_axil_bridge(sc_module_name name, unsigned addr_width, unsigned timeout_cycles)
    : sc_module(name), socket("socket"), clk_i("clk_i"), rst_ni("rst_ni"),
      m_axil_awaddr("m_axil_awaddr"), m_axil_awprot("m_axil_awprot"),
      m_axil_awvalid("m_axil_awvalid"), m_axil_awready("m_axil_awready"),
      m_axil_wdata("m_axil_wdata"), m_axil_wstrb("m_axil_wstrb"), m_axil_wvalid("m_axil_wvalid"),
      m_axil_wready("m_axil_wready"), m_axil_bresp("m_axil_bresp"),
      m_axil_bvalid("m_axil_bvalid"), m_axil_bready("m_axil_bready"),
      m_axil_araddr("m_axil_araddr"), m_axil_arprot("m_axil_arprot"),
      m_axil_arvalid("m_axil_arvalid"), m_axil_arready("m_axil_arready"),
      m_axil_rdata("m_axil_rdata"), m_axil_rresp("m_axil_rresp"),
      m_axil_rvalid("m_axil_rvalid"), m_axil_rready("m_axil_rready"),
      m_addr_width(addr_width), m_timeout(timeout_cycles)
{
    socket.register_b_transport(this, &sk_axil_bridge::b_transport);
    SC_HAS_PROCESS(sk_axil_bridge);
    SC_THREAD(bus_process);
    SC_METHOD(note_edge);
    sensitive << clk_i.pos();
    dont_initialize();
}

/* Remember when the clock last rose, so a transaction that arrives later in the same
 * time step (e.g. woken by the interrupt) starts at once instead of a cycle later. */
void sk_axil_bridge::note_edge()
{
    m_edge_time = sc_time_stamp();
    m_seen_edge = true;
}

void sk_axil_bridge::drive_idle()
{
    m_axil_awvalid.write(false);
    m_axil_wvalid.write(false);
    m_axil_bready.write(false);
    m_axil_arvalid.write(false);
    m_axil_rready.write(false);
}

/* Wait for the next rising edge; signals read afterwards in this delta hold the values
 * the slave saw at that edge. */
void sk_axil_bridge::rising_edge()
{
    wait(clk_i.posedge_event());
    m_edge_time = sc_time_stamp();
    m_seen_edge = true;
}

bool sk_axil_bridge::write(uint32_t addr, uint32_t data, uint32_t strb, uint32_t *resp)
{
    m_axil_awaddr.write(addr);
    m_axil_awprot.write(0);
    m_axil_awvalid.write(true);
    m_axil_wdata.write(data);
    m_axil_wstrb.write(strb);
    m_axil_wvalid.write(true);
    m_axil_bready.write(true);
    /* sk_axil_top takes AW and W together; a slave may take them one at a time */
    bool aw_done = false, w_done = false;
    unsigned n = 0;
    while (!(aw_done && w_done)) {
        if (++n > m_timeout)
            return false;
        rising_edge();
        if (m_axil_awvalid.read() && m_axil_awready.read()) {
            aw_done = true;
            m_axil_awvalid.write(false);
        }
        if (m_axil_wvalid.read() && m_axil_wready.read()) {
            w_done = true;
            m_axil_wvalid.write(false);
        }
    }
    do {
        if (++n > m_timeout)
            return false;
        rising_edge();
    } while (!m_axil_bvalid.read());
    *resp = m_axil_bresp.read();
    m_axil_bready.write(false);
    return true;
}

bool sk_axil_bridge::read(uint32_t addr, uint32_t *data, uint32_t *resp)
{
    m_axil_araddr.write(addr);
    m_axil_arprot.write(0);
    m_axil_arvalid.write(true);
    m_axil_rready.write(true);
    unsigned n = 0;
    do {
        if (++n > m_timeout)
            return false;
        rising_edge();
    } while (!m_axil_arready.read());
    m_axil_arvalid.write(false);
    do {
        if (++n > m_timeout)
            return false;
        rising_edge();
    } while (!m_axil_rvalid.read());
    *data = m_axil_rdata.read();
    *resp = m_axil_rresp.read();
    m_axil_rready.write(false);
    return true;
}

void sk_axil_bridge::b_transport(tlm::tlm_generic_payload &trans, sc_time &delay)
{
    m_lock.lock();
    if (delay != SC_ZERO_TIME)
        wait(delay); /* the loosely-timed initiator's local time becomes bus time */
    delay = SC_ZERO_TIME;
    m_request = &trans;
    m_request_event.notify();
    wait(m_done_event);
    m_lock.unlock();
}

void sk_axil_bridge::bus_process()
{
    for (;;) {
        wait(m_request_event);
        transfer(*m_request);
        m_done_event.notify();
    }
}

void sk_axil_bridge::transfer(tlm::tlm_generic_payload &trans)
{
    if (trans.get_data_length() != 4 || trans.get_streaming_width() < 4) {
        trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    if (trans.get_address() >> m_addr_width) {
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    uint32_t strb = 0xF;
    if (const unsigned char *be = trans.get_byte_enable_ptr()) {
        unsigned len = trans.get_byte_enable_length();
        strb = 0;
        for (unsigned b = 0; b < 4 && len; b++)
            if (be[b % len] == TLM_BYTE_ENABLED)
                strb |= 1u << b;
    }
    while (!rst_ni.read())
        wait(rst_ni.posedge_event());
    /* start right after a rising edge: now, if this process just saw one */
    if (!m_seen_edge || m_edge_time != sc_time_stamp() || !clk_i.read())
        rising_edge();

    uint32_t addr = uint32_t(trans.get_address()), data = 0, resp = 0;
    unsigned char *ptr = trans.get_data_ptr();
    bool answered;
    if (trans.is_write()) {
        std::memcpy(&data, ptr, 4);
        answered = write(addr, data, strb, &resp);
    } else if (trans.is_read()) {
        answered = read(addr, &data, &resp);
        if (answered)
            for (unsigned b = 0; b < 4; b++)
                if (strb >> b & 1u)
                    ptr[b] = (unsigned char)(data >> (8 * b));
    } else {
        trans.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
    }
    if (!answered) {
        drive_idle();
        std::ostringstream msg;
        msg << (trans.is_write() ? "write" : "read") << " at 0x" << std::hex << addr
            << ": no AXI4-Lite handshake within " << std::dec << m_timeout << " cycles";
        SC_REPORT_WARNING(name(), msg.str().c_str());
        trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    trans.set_response_status(resp == AXI_RESP_OKAY ? tlm::TLM_OK_RESPONSE
                                                    : tlm::TLM_GENERIC_ERROR_RESPONSE);
}
