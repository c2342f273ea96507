/* sk_device.h — the register-level C model of the shiftkit accelerator.
 *
 * It answers the same AXI4-Lite register map as rtl/sk_axil_top.v (the generated
 * sk_regs.h, docs/regmap.md): registers, memory windows, SLVERR rules, layer
 * descriptors and their extensions (EXT, XDESC), error codes, IRQ. A START runs the
 * descriptors with the golden arithmetic (sk_requantize from libshiftkit) and holds
 * STATUS.BUSY for the number of cycles the RTL's schedule takes (sk_device_timing.h),
 * in simulated time: every bus access costs `bus_cycles`, and wait_irq advances time
 * up to its timeout. So a driver sees the same busy/done/timeout behaviour as on the
 * RTL, without a clock.
 *
 * This is the one part of cmodel/ that reads the register header; it is built as its
 * own library (libshiftkit_dev) so the golden library never depends on it. */
#ifndef SHIFTKIT_SK_DEVICE_H
#define SHIFTKIT_SK_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "shiftkit/sk_hal.h"
#include "shiftkit/sk_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Build parameters (as rtl/sk_axil_top.v's) and the simulated-time knobs. */
typedef struct sk_device_config {
    uint32_t lanes;        /* 1..64 */
    uint32_t weight_rows;
    uint32_t bias_depth;
    uint32_t shift_depth;  /* multiple of 4 */
    uint32_t act_bytes;    /* multiple of 4 */
    uint32_t max_layers;   /* 1..255 */
    uint32_t cnn;          /* 0 or 1: FEATURES.CNN, the EXT layers and the XDESC window */
    uint32_t clock_mhz;    /* converts wait_irq's microseconds to cycles */
    uint32_t bus_cycles;   /* simulated cycles one register access takes */
} sk_device_config;

/* The RTL's default build (SK_DEFAULT_* of sk_regs.h), 100 MHz, 4 cycles per access. */
void sk_device_default_config(sk_device_config *cfg);

typedef struct sk_device sk_device;

/* Fails with SK_ERR_BAD_ARG naming the parameter if the config is not a legal build. */
SK_MUST_CHECK sk_status sk_device_create(const sk_device_config *cfg, sk_device **dev,
                                         sk_error *err);
void sk_device_free(sk_device *dev);

/* Bus access at a byte offset: 0 = OKAY, nonzero = SLVERR (unmapped, beyond a
 * window's size, window access while busy). Offset bits 1:0 are ignored. */
int sk_device_read32(sk_device *dev, uint32_t offset, uint32_t *value);
int sk_device_write32(sk_device *dev, uint32_t offset, uint32_t value);

/* Advance simulated time until irq_o is high or timeout_us has passed. */
sk_hal_wait_result sk_device_wait_irq(sk_device *dev, uint32_t timeout_us);

/* An sk_hal over this device, for the driver. */
void sk_device_hal(sk_device *dev, sk_hal *hal);

/* irq_o = STATUS.DONE & IRQ_ENABLE.DONE */
bool sk_device_irq(const sk_device *dev);
/* Simulated cycles since creation. */
uint64_t sk_device_now(const sk_device *dev);
/* Cycles until the run in progress ends (0 when idle). */
uint64_t sk_device_cycles_to_done(const sk_device *dev);
/* Let `cycles` of simulated time pass (a run in progress may finish). */
void sk_device_advance(sk_device *dev, uint64_t cycles);

#ifdef __cplusplus
}
#endif
#endif
