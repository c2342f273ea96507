/* sk_rtl_device.cpp — Verilated sk_axil_top wired to the AXI4-Lite bridge. */
#include "sk_rtl_device.h"

#include "Vsk_axil_top.h"

using namespace sc_core;

sk_rtl_device::sk_rtl_device(sc_module_name name)
    : sc_module(name), socket("socket"), clk_i("clk_i"), rst_ni("rst_ni"), irq_o("irq_o"),
      m_bridge("bridge"), m_rtl(new Vsk_axil_top("rtl"))
{
    socket.bind(m_bridge.socket);
    m_bridge.clk_i(clk_i);
    m_bridge.rst_ni(rst_ni);
    m_rtl->clk_i(clk_i);
    m_rtl->rst_ni(rst_ni);
    m_rtl->irq_o(irq_o);

    m_bridge.m_axil_awaddr(m_awaddr);   m_rtl->s_axil_awaddr(m_awaddr);
    m_bridge.m_axil_awprot(m_awprot);   m_rtl->s_axil_awprot(m_awprot);
    m_bridge.m_axil_awvalid(m_awvalid); m_rtl->s_axil_awvalid(m_awvalid);
    m_bridge.m_axil_awready(m_awready); m_rtl->s_axil_awready(m_awready);
    m_bridge.m_axil_wdata(m_wdata);     m_rtl->s_axil_wdata(m_wdata);
    m_bridge.m_axil_wstrb(m_wstrb);     m_rtl->s_axil_wstrb(m_wstrb);
    m_bridge.m_axil_wvalid(m_wvalid);   m_rtl->s_axil_wvalid(m_wvalid);
    m_bridge.m_axil_wready(m_wready);   m_rtl->s_axil_wready(m_wready);
    m_bridge.m_axil_bresp(m_bresp);     m_rtl->s_axil_bresp(m_bresp);
    m_bridge.m_axil_bvalid(m_bvalid);   m_rtl->s_axil_bvalid(m_bvalid);
    m_bridge.m_axil_bready(m_bready);   m_rtl->s_axil_bready(m_bready);
    m_bridge.m_axil_araddr(m_araddr);   m_rtl->s_axil_araddr(m_araddr);
    m_bridge.m_axil_arprot(m_arprot);   m_rtl->s_axil_arprot(m_arprot);
    m_bridge.m_axil_arvalid(m_arvalid); m_rtl->s_axil_arvalid(m_arvalid);
    m_bridge.m_axil_arready(m_arready); m_rtl->s_axil_arready(m_arready);
    m_bridge.m_axil_rdata(m_rdata);     m_rtl->s_axil_rdata(m_rdata);
    m_bridge.m_axil_rresp(m_rresp);     m_rtl->s_axil_rresp(m_rresp);
    m_bridge.m_axil_rvalid(m_rvalid);   m_rtl->s_axil_rvalid(m_rvalid);
    m_bridge.m_axil_rready(m_rready);   m_rtl->s_axil_rready(m_rready);
}

sk_rtl_device::~sk_rtl_device()
{
    m_rtl->final();
}
