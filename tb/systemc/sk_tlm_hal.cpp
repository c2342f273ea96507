/* sk_tlm_hal.cpp — the driver's HAL as a TLM-2.0 initiator (sk_tlm_hal.h). */
#include "sk_tlm_hal.h"

#include <cstring>

using namespace sc_core;

sk_tlm_hal::sk_tlm_hal(sc_module_name name, uint64_t base)
    : sc_module(name), socket("socket"), irq_i("irq_i"), m_base(base)
{
}

int sk_tlm_hal::access(tlm::tlm_command cmd, uint32_t offset, uint32_t *value)
{
    tlm::tlm_generic_payload trans;
    unsigned char data[4];
    std::memcpy(data, value, 4);
    trans.set_command(cmd);
    trans.set_address(m_base + offset);
    trans.set_data_ptr(data);
    trans.set_data_length(4);
    trans.set_streaming_width(4);
    trans.set_byte_enable_ptr(nullptr);
    trans.set_dmi_allowed(false);
    trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time delay = SC_ZERO_TIME;
    socket->b_transport(trans, delay);
    if (delay != SC_ZERO_TIME)
        wait(delay);
    m_accesses++;
    if (trans.get_response_status() != tlm::TLM_OK_RESPONSE)
        return -1;
    std::memcpy(value, data, 4);
    return 0;
}

int sk_tlm_hal::read32(uint32_t offset, uint32_t *value)
{
    *value = 0;
    return access(tlm::TLM_READ_COMMAND, offset, value);
}

int sk_tlm_hal::write32(uint32_t offset, uint32_t value)
{
    return access(tlm::TLM_WRITE_COMMAND, offset, &value);
}

sk_hal_wait_result sk_tlm_hal::wait_irq(uint32_t timeout_us)
{
    if (irq_i.read())
        return SK_HAL_IRQ;
    wait(sc_time(double(timeout_us), SC_US), irq_i.posedge_event());
    return irq_i.read() ? SK_HAL_IRQ : SK_HAL_TIMEOUT;
}

static int hal_read32(void *ctx, uint32_t offset, uint32_t *value)
{
    return static_cast<sk_tlm_hal *>(ctx)->read32(offset, value);
}

static int hal_write32(void *ctx, uint32_t offset, uint32_t value)
{
    return static_cast<sk_tlm_hal *>(ctx)->write32(offset, value);
}

static sk_hal_wait_result hal_wait_irq(void *ctx, uint32_t timeout_us)
{
    return static_cast<sk_tlm_hal *>(ctx)->wait_irq(timeout_us);
}

sk_hal sk_tlm_hal::hal()
{
    return sk_hal{this, hal_read32, hal_write32, hal_wait_irq};
}
