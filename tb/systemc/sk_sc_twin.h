/* sk_sc_twin.h — both shiftkit targets side by side at 100 MHz, each driven by its own
 * HAL initiator, for the tests that compare them access by access (sk_sc_bus_test,
 * sk_sc_random_test). The RTL's clock and reset live here too: call reset() once
 * in sc_main before running the initiators. */
#ifndef SHIFTKIT_SK_SC_TWIN_H
#define SHIFTKIT_SK_SC_TWIN_H

#include <systemc>

#include "sk_rtl_device.h"
#include "sk_tlm_device.h"
#include "sk_tlm_hal.h"

struct sk_sc_twin {
    sc_core::sc_clock clk{"clk", 10, sc_core::SC_NS};
    sc_core::sc_signal<bool> rst_n{"rst_n"}, irq_tlm{"irq_tlm"}, irq_rtl{"irq_rtl"};
    sk_tlm_device tlm{"tlm", sc_core::sc_time(10, sc_core::SC_NS)};
    sk_rtl_device rtl{"rtl"};

    sk_sc_twin(sk_tlm_hal &tlm_cpu, sk_tlm_hal &rtl_cpu)
    {
        tlm_cpu.socket.bind(tlm.socket);
        tlm_cpu.irq_i(irq_tlm);
        tlm.irq_o(irq_tlm);
        rtl_cpu.socket.bind(rtl.socket);
        rtl_cpu.irq_i(irq_rtl);
        rtl.clk_i(clk);
        rtl.rst_ni(rst_n);
        rtl.irq_o(irq_rtl);
    }

    /* five cycles of the RTL's reset; starts the simulation */
    void reset()
    {
        rst_n.write(false);
        sc_core::sc_start(50, sc_core::SC_NS);
        rst_n.write(true);
    }
};

#endif
