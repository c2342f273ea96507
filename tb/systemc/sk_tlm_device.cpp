/* sk_tlm_device.cpp — the TLM-2.0 target over the C device model (sk_tlm_device.h). */
#include "sk_tlm_device.h"

#include <cstring>
#include <stdexcept>
#include <string>

using namespace sc_core;

sk_tlm_device::sk_tlm_device(sc_module_name name, sc_time clock_period,
                             const sk_device_config *cfg, const sk_tlm_bus_timing &bus)
    : sc_module(name), socket("socket"), irq_o("irq_o"), m_period(clock_period), m_bus(bus)
{
    if (m_period == SC_ZERO_TIME)
        throw std::runtime_error(std::string(this->name()) + ": clock period must be > 0");
    if (m_bus.act_cycle > m_bus.read_cycles || m_bus.act_cycle > m_bus.write_cycles)
        throw std::runtime_error(std::string(this->name()) + ": bus act_cycle beyond the access");
    sk_device_config c;
    if (cfg)
        c = *cfg;
    else
        sk_device_default_config(&c);
    /* only the model's own wait_irq uses clock_mhz; keep it consistent anyway */
    double mhz = 1e-6 / m_period.to_seconds();
    c.clock_mhz = mhz < 1.0 ? 1u : uint32_t(mhz + 0.5);
    c.bus_cycles = 0; /* this target counts the bus cycles itself (m_bus) */
    sk_error err = {};
    if (sk_device_create(&c, &m_dev, &err) != SK_OK)
        throw std::runtime_error(std::string(this->name()) + ": " + err.msg);
    socket.register_b_transport(this, &sk_tlm_device::b_transport);
    SC_HAS_PROCESS(sk_tlm_device);
    SC_METHOD(update_irq);
    sensitive << m_access_event << m_done_event;
}

sk_tlm_device::~sk_tlm_device()
{
    sk_device_free(m_dev);
}

void sk_tlm_device::sync_to(const sc_time &t)
{
    uint64_t want = t.value() / m_period.value();
    uint64_t now = sk_device_now(m_dev);
    if (want > now)
        sk_device_advance(m_dev, want - now);
}

/* The payload's byte enables as a 32-bit mask (all ones without them). */
static uint32_t byte_mask(const tlm::tlm_generic_payload &trans)
{
    const unsigned char *be = trans.get_byte_enable_ptr();
    unsigned len = trans.get_byte_enable_length();
    if (!be || !len)
        return 0xFFFFFFFFu;
    uint32_t mask = 0;
    for (unsigned b = 0; b < 4; b++)
        if (be[b % len] == TLM_BYTE_ENABLED)
            mask |= 0xFFu << (8 * b);
    return mask;
}

void sk_tlm_device::b_transport(tlm::tlm_generic_payload &trans, sc_time &delay)
{
    /* The model's clock may lag SystemC time (idle cycles) or lead it (earlier accesses
     * annotated but not yet waited for); an access happens at the later of the two. */
    sync_to(sc_time_stamp() + delay);
    if (trans.get_data_length() != 4 || trans.get_streaming_width() < 4) {
        trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    if (trans.get_address() > 0xFFFFFFFFull) {
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    uint32_t offset = uint32_t(trans.get_address()), value = 0;
    uint32_t strb = byte_mask(trans);
    unsigned char *data = trans.get_data_ptr();
    int rc;
    if (trans.is_read()) {
        sk_device_advance(m_dev, m_bus.act_cycle);
        rc = sk_device_read32(m_dev, offset, &value);
        sk_device_advance(m_dev, m_bus.read_cycles - m_bus.act_cycle);
        for (unsigned b = 0; b < 4; b++)
            if (strb >> (8 * b) & 1u)
                data[b] = (unsigned char)(value >> (8 * b));
    } else if (trans.is_write()) {
        std::memcpy(&value, data, 4);
        sk_device_advance(m_dev, m_bus.act_cycle);
        if (strb != 0xFFFFFFFFu) {
            /* WSTRB as read-modify-write: register bits read back as their value (CTRL
             * pulses as 0, so a pulse whose byte is not enabled does nothing), and a
             * refused read (window while busy) refuses the write, as in the RTL */
            uint32_t old = 0;
            rc = sk_device_read32(m_dev, offset, &old);
            value = (value & strb) | (old & ~strb);
        } else {
            rc = 0;
        }
        if (rc == 0)
            rc = sk_device_write32(m_dev, offset, value);
        sk_device_advance(m_dev, m_bus.write_cycles - m_bus.act_cycle);
    } else {
        trans.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
    }
    trans.set_response_status(rc == 0 ? tlm::TLM_OK_RESPONSE : tlm::TLM_GENERIC_ERROR_RESPONSE);

    /* annotate: the access ends at the model's cycle count after it */
    sc_time end = time_of(sk_device_now(m_dev));
    delay = end - sc_time_stamp();
    m_access_event.notify(delay);
    schedule_done();
}

/* Wake update_irq when the run in progress ends. An event keeps only its earliest
 * pending notification, so a stale one (a run aborted by SOFT_RESET) can hide a later
 * run's end: update_irq calls this again whenever it runs. */
void sk_tlm_device::schedule_done()
{
    uint64_t to_done = sk_device_cycles_to_done(m_dev);
    if (to_done)
        m_done_event.notify(time_of(sk_device_now(m_dev) + to_done) - sc_time_stamp());
}

void sk_tlm_device::update_irq()
{
    sync_to(sc_time_stamp());
    irq_o.write(sk_device_irq(m_dev));
    /* an access annotated further ahead than this one is still to be seen */
    sc_time model_now = time_of(sk_device_now(m_dev));
    if (model_now > sc_time_stamp())
        m_access_event.notify(model_now - sc_time_stamp());
    schedule_done();
}
