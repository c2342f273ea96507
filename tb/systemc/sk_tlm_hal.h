/* sk_tlm_hal.h — a TLM-2.0 initiator that implements the driver's HAL (sk_hal.h):
 * read32/write32 become 32-bit b_transport calls on `socket`, wait_irq waits on
 * irq_i with a timeout in SystemC time. So the unchanged C driver (libshiftkit_drv)
 * runs against any target on the socket: sk_tlm_device or sk_rtl_device.
 *
 * The HAL calls wait(): call the driver only from an SC_THREAD. After each access the
 * initiator waits out the target's annotated delay, so the driver's view of time and
 * SystemC time agree at every register access (the driver's next access depends on
 * the data it just read, so there is little to gain from running ahead). */
#ifndef SHIFTKIT_SK_TLM_HAL_H
#define SHIFTKIT_SK_TLM_HAL_H

#include <cstdint>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "shiftkit/sk_hal.h"

class sk_tlm_hal : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<sk_tlm_hal> socket;
    sc_core::sc_in<bool> irq_i;

    /* base: the device's address on the socket (0 when bound directly) */
    explicit sk_tlm_hal(sc_core::sc_module_name name, uint64_t base = 0);

    /* An sk_hal whose context is this initiator, for sk_drv_open. */
    sk_hal hal();

    int read32(uint32_t offset, uint32_t *value);
    int write32(uint32_t offset, uint32_t value);
    sk_hal_wait_result wait_irq(uint32_t timeout_us);

    uint64_t accesses() const { return m_accesses; } /* b_transport calls so far */

private:
    int access(tlm::tlm_command cmd, uint32_t offset, uint32_t *value);

    uint64_t m_base;
    uint64_t m_accesses = 0;
};

#endif
