/* sk_tlm_device.h — the shiftkit accelerator as a loosely-timed TLM-2.0 target over the
 * register-level C device model (cmodel/device/sk_device.h).
 *
 * One simple_target_socket answers the whole AXI4-Lite address space of
 * docs/regmap.md (registers at 0x000, memory windows at their bus offsets; the socket
 * sees offsets relative to the device base, as a router delivers them). Every access
 * is one 32-bit word (else TLM_BURST_ERROR_RESPONSE); byte enables act as AXI WSTRB;
 * the response is TLM_OK_RESPONSE for OKAY and TLM_GENERIC_ERROR_RESPONSE for SLVERR. irq_o follows the device model's interrupt
 * (STATUS.DONE & IRQ_ENABLE.DONE) and is meant for an sc_signal<bool>.
 *
 * Time: the device model counts clock cycles (the RTL schedule's estimate per run,
 * sk_device_timing.h). The target keeps that count in step with SystemC time at
 * `clock_period` per cycle: an access is annotated with the cycles an AXI4-Lite
 * access to rtl/sk_axil_top.v takes from a synchronous master (sk_tlm_bus_timing),
 * and irq_o rises at the cycle the model's run ends. DMI is not offered. */
#ifndef SHIFTKIT_SK_TLM_DEVICE_H
#define SHIFTKIT_SK_TLM_DEVICE_H

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "sk_device.h"

/* Cycles of one bus access. The defaults are sk_axil_top's bus FSM seen from a master
 * that drives right after a rising edge (sk_axil_bridge): a write is accepted at edge
 * 1, performed at edge 2 and its response taken at edge 3; a read is accepted at 1,
 * performed at 2, its data registered at 3 and taken at 4. */
struct sk_tlm_bus_timing {
    unsigned write_cycles = 3;
    unsigned read_cycles = 4;
    unsigned act_cycle = 2; /* the cycle of the access in which the device acts */
};

class sk_tlm_device : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<sk_tlm_device> socket;
    sc_core::sc_out<bool> irq_o;

    /* cfg: build parameters as rtl/sk_axil_top.v's (NULL = the default build);
     * its clock_mhz is derived from clock_period. Throws std::runtime_error with the
     * device model's message for an illegal config. */
    sk_tlm_device(sc_core::sc_module_name name, sc_core::sc_time clock_period,
                  const sk_device_config *cfg = nullptr,
                  const sk_tlm_bus_timing &bus = sk_tlm_bus_timing());
    ~sk_tlm_device() override;

    /* Cycles the device model has counted (bus accesses and runs). */
    uint64_t cycles() const { return sk_device_now(m_dev); }
    sc_core::sc_time clock_period() const { return m_period; }

private:
    void b_transport(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);
    void update_irq();                       /* the one writer of irq_o */
    void schedule_done();
    void sync_to(const sc_core::sc_time &t); /* advance the model to time t */
    sc_core::sc_time time_of(uint64_t cycle) const
    {
        return sc_core::sc_time::from_value(m_period.value() * cycle);
    }

    sk_device *m_dev = nullptr;
    sc_core::sc_time m_period;
    sk_tlm_bus_timing m_bus;
    sc_core::sc_event m_access_event; /* an access may have changed the interrupt */
    sc_core::sc_event m_done_event;   /* the run in progress ends */
};

#endif
