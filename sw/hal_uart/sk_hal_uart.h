/* sk_hal_uart.h — the `uart` HAL backend: the driver's read32/write32/wait_irq framed
 * as bytes for the board host link (rtl/boards/sk_uart_axil_bridge.v).
 *
 * The HAL speaks the protocol; the bytes travel over an sk_uart_link, which is a real
 * serial port (sk_uart_tty.h) on a board or a simulated line in tb/uart/. Frames
 * (addresses and data little endian):
 *     write32: 'W' a0 a1 a2 d0 d1 d2 d3   -> 0xA0 | bresp
 *     read32:  'R' a0 a1 a2               -> 0xB0 | rresp, d0 d1 d2 d3
 *     irq:     'I'                        -> 0xC0 | irq line
 * Every wait is bounded: a reply that does not come within reply_timeout_us, or a
 * malformed reply, fails the call (nonzero from read32/write32, SK_HAL_FAULT from
 * wait_irq) and resynchronises the link so that the next frame starts clean. Nothing
 * is retried: a write may be a command pulse, and repeating it is not harmless. */
#ifndef SHIFTKIT_SK_HAL_UART_H
#define SHIFTKIT_SK_HAL_UART_H

#include <stddef.h>
#include <stdint.h>

#include "shiftkit/sk_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    SK_UART_CMD_WRITE = 0x57, /* 'W' */
    SK_UART_CMD_READ = 0x52,  /* 'R' */
    SK_UART_CMD_IRQ = 0x49,   /* 'I' */
    SK_UART_REPLY_WRITE = 0xA0,
    SK_UART_REPLY_READ = 0xB0,
    SK_UART_REPLY_IRQ = 0xC0,
    SK_UART_WRITE_FRAME = 8,
    SK_UART_READ_FRAME = 4,
    SK_UART_ADDR_LIMIT = 1u << 24 /* the bridge carries 24-bit byte addresses */
};

typedef enum sk_uart_link_status {
    SK_UART_LINK_OK = 0,
    SK_UART_LINK_TIMEOUT = 1, /* fewer bytes than asked arrived in time */
    SK_UART_LINK_IO = 2       /* the line itself failed (closed port, simulator gone) */
} sk_uart_link_status;

/* A byte pipe with a clock. */
typedef struct sk_uart_link {
    void *ctx;
    sk_uart_link_status (*send)(void *ctx, const uint8_t *buf, size_t n);
    /* Receive exactly n bytes or give up after timeout_us of the link's time. */
    sk_uart_link_status (*recv)(void *ctx, uint8_t *buf, size_t n, uint32_t timeout_us);
    /* Drop partial frames on both ends: stay quiet longer than the bridge's idle
     * timeout, then discard whatever arrived. */
    sk_uart_link_status (*resync)(void *ctx);
    /* Monotonic time in microseconds (simulated time for a simulated line). */
    uint64_t (*now_us)(void *ctx);
} sk_uart_link;

typedef struct sk_hal_uart {
    sk_uart_link link;
    uint32_t reply_timeout_us; /* per reply */
    uint64_t frames;           /* frames sent */
    uint64_t failures;         /* frames that got no valid reply */
    char last_error[160];      /* why the last failing call failed */
} sk_hal_uart;

/* Default wait for one reply: generous for a 115200-baud line and a busy host. */
#define SK_HAL_UART_DEFAULT_REPLY_TIMEOUT_US 200000u

void sk_hal_uart_init(sk_hal_uart *u, const sk_uart_link *link, uint32_t reply_timeout_us);
/* Fill `hal` with the uart backend; `u` must outlive it. */
void sk_hal_uart_bind(sk_hal_uart *u, sk_hal *hal);

/* Frame encoders, exposed for tests: return the frame length. */
size_t sk_uart_encode_write(uint8_t out[SK_UART_WRITE_FRAME], uint32_t offset, uint32_t value);
size_t sk_uart_encode_read(uint8_t out[SK_UART_READ_FRAME], uint32_t offset);

#ifdef __cplusplus
}
#endif
#endif
