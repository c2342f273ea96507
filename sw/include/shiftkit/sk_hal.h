/* sk_hal.h — the one seam between the shiftkit driver and hardware.
 *
 * The driver reaches a device only through these three calls and an opaque context.
 * Backends (the C device model, the Verilated RTL's AXI4-Lite bus model, a SystemC
 * TLM-2.0 initiator, Linux UIO on a board) each fill one sk_hal and plug it in from
 * outside: nothing in sw/ knows which backend it runs on. Offsets are byte offsets
 * into the device's AXI4-Lite address space (sw/include/shiftkit/sk_regs.h). */
#ifndef SHIFTKIT_SK_HAL_H
#define SHIFTKIT_SK_HAL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sk_hal_wait_result {
    SK_HAL_IRQ = 0,      /* the done interrupt was raised */
    SK_HAL_TIMEOUT = 1,  /* timeout_us passed without an interrupt */
    SK_HAL_FAULT = 2     /* the backend itself failed (bus error, closed file, ...) */
} sk_hal_wait_result;

typedef struct sk_hal {
    void *ctx;
    /* 32-bit register/memory access at a 4-byte aligned byte offset. A bus error
     * (AXI SLVERR/DECERR) is reported by returning nonzero; *value is then undefined. */
    int (*read32)(void *ctx, uint32_t offset, uint32_t *value);
    int (*write32)(void *ctx, uint32_t offset, uint32_t value);
    /* Block until the done interrupt is asserted or timeout_us of the backend's time
     * (simulated time for simulators) has passed. Does not clear the interrupt. */
    sk_hal_wait_result (*wait_irq)(void *ctx, uint32_t timeout_us);
} sk_hal;

#ifdef __cplusplus
}
#endif
#endif
