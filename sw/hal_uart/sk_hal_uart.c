/* sk_hal_uart.c — the `uart` HAL backend (protocol in sk_hal_uart.h). */
#include "sk_hal_uart.h"

#include <stdio.h>
#include <string.h>

size_t sk_uart_encode_write(uint8_t out[SK_UART_WRITE_FRAME], uint32_t offset, uint32_t value)
{
    out[0] = SK_UART_CMD_WRITE;
    for (int i = 0; i < 3; i++)
        out[1 + i] = (uint8_t)(offset >> (8 * i));
    for (int i = 0; i < 4; i++)
        out[4 + i] = (uint8_t)(value >> (8 * i));
    return SK_UART_WRITE_FRAME;
}

size_t sk_uart_encode_read(uint8_t out[SK_UART_READ_FRAME], uint32_t offset)
{
    out[0] = SK_UART_CMD_READ;
    for (int i = 0; i < 3; i++)
        out[1 + i] = (uint8_t)(offset >> (8 * i));
    return SK_UART_READ_FRAME;
}

static const char *link_status_text(sk_uart_link_status st)
{
    return st == SK_UART_LINK_TIMEOUT ? "no reply within the timeout" : "link I/O error";
}

/* Record a failed frame and bring the link back to a frame boundary. */
static int fail(sk_hal_uart *u, const char *what, uint32_t offset, const char *why)
{
    u->failures++;
    snprintf(u->last_error, sizeof u->last_error, "uart %s at 0x%06x: %s", what, offset, why);
    if (u->link.resync(u->link.ctx) != SK_UART_LINK_OK)
        strncat(u->last_error, "; resync failed", sizeof u->last_error - strlen(u->last_error) - 1);
    return -1;
}

/* Send a frame and receive its reply of n bytes. */
static sk_uart_link_status exchange(sk_hal_uart *u, const uint8_t *frame, size_t len,
                                    uint8_t *reply, size_t n)
{
    u->frames++;
    sk_uart_link_status st = u->link.send(u->link.ctx, frame, len);
    if (st != SK_UART_LINK_OK)
        return st;
    return u->link.recv(u->link.ctx, reply, n, u->reply_timeout_us);
}

static int bad_offset(sk_hal_uart *u, const char *what, uint32_t offset)
{
    if (offset < SK_UART_ADDR_LIMIT && offset % 4 == 0)
        return 0;
    snprintf(u->last_error, sizeof u->last_error,
             "uart %s at 0x%x: not a 4-byte aligned 24-bit address", what, offset);
    return -1;
}

static int uart_write32(void *ctx, uint32_t offset, uint32_t value)
{
    sk_hal_uart *u = ctx;
    if (bad_offset(u, "write32", offset))
        return -1;
    uint8_t frame[SK_UART_WRITE_FRAME], reply;
    size_t len = sk_uart_encode_write(frame, offset, value);
    sk_uart_link_status st = exchange(u, frame, len, &reply, 1);
    if (st != SK_UART_LINK_OK)
        return fail(u, "write32", offset, link_status_text(st));
    if ((reply & 0xFC) != SK_UART_REPLY_WRITE)
        return fail(u, "write32", offset, "malformed reply byte");
    if (reply & 3) {
        snprintf(u->last_error, sizeof u->last_error, "uart write32 at 0x%06x: bus response %s",
                 offset, (reply & 3) == 2 ? "SLVERR" : (reply & 3) == 3 ? "DECERR" : "EXOKAY");
        return -1;
    }
    return 0;
}

static int uart_read32(void *ctx, uint32_t offset, uint32_t *value)
{
    sk_hal_uart *u = ctx;
    if (bad_offset(u, "read32", offset))
        return -1;
    uint8_t frame[SK_UART_READ_FRAME], reply[5];
    size_t len = sk_uart_encode_read(frame, offset);
    sk_uart_link_status st = exchange(u, frame, len, reply, 5);
    if (st != SK_UART_LINK_OK)
        return fail(u, "read32", offset, link_status_text(st));
    if ((reply[0] & 0xFC) != SK_UART_REPLY_READ)
        return fail(u, "read32", offset, "malformed reply byte");
    *value = (uint32_t)reply[1] | (uint32_t)reply[2] << 8 | (uint32_t)reply[3] << 16 |
             (uint32_t)reply[4] << 24;
    if (reply[0] & 3) {
        snprintf(u->last_error, sizeof u->last_error, "uart read32 at 0x%06x: bus response %s",
                 offset, (reply[0] & 3) == 2 ? "SLVERR" : (reply[0] & 3) == 3 ? "DECERR" : "EXOKAY");
        return -1;
    }
    return 0;
}

/* Poll the interrupt line until it is high or timeout_us of link time has passed. Each
 * poll is a frame on the line, so the line's own speed paces the loop. */
static sk_hal_wait_result uart_wait_irq(void *ctx, uint32_t timeout_us)
{
    sk_hal_uart *u = ctx;
    uint64_t start = u->link.now_us(u->link.ctx);
    for (;;) {
        uint8_t cmd = SK_UART_CMD_IRQ, reply;
        sk_uart_link_status st = exchange(u, &cmd, 1, &reply, 1);
        if (st != SK_UART_LINK_OK) {
            fail(u, "irq poll", 0, link_status_text(st));
            return SK_HAL_FAULT;
        }
        if ((reply & 0xFE) != SK_UART_REPLY_IRQ) {
            fail(u, "irq poll", 0, "malformed reply byte");
            return SK_HAL_FAULT;
        }
        if (reply & 1)
            return SK_HAL_IRQ;
        if (u->link.now_us(u->link.ctx) - start >= timeout_us)
            return SK_HAL_TIMEOUT;
    }
}

void sk_hal_uart_init(sk_hal_uart *u, const sk_uart_link *link, uint32_t reply_timeout_us)
{
    memset(u, 0, sizeof *u);
    u->link = *link;
    u->reply_timeout_us = reply_timeout_us ? reply_timeout_us : SK_HAL_UART_DEFAULT_REPLY_TIMEOUT_US;
}

void sk_hal_uart_bind(sk_hal_uart *u, sk_hal *hal)
{
    hal->ctx = u;
    hal->read32 = uart_read32;
    hal->write32 = uart_write32;
    hal->wait_irq = uart_wait_irq;
}
