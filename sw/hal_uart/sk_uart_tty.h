/* sk_uart_tty.h — an sk_uart_link over a POSIX serial port (termios), for driving a
 * real board (e.g. the iCEBreaker's /dev/ttyUSB1) through the `uart` HAL backend.
 * Raw 8N1, no flow control; every read is bounded by poll() with a deadline. */
#ifndef SHIFTKIT_SK_UART_TTY_H
#define SHIFTKIT_SK_UART_TTY_H

#include <stddef.h>

#include "sk_hal_uart.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sk_uart_tty sk_uart_tty;

/* Open `path` at `baud` (one of 9600..3000000 that termios knows). On failure returns
 * nonzero and writes the reason, naming the path, to err. */
int sk_uart_tty_open(const char *path, unsigned baud, sk_uart_tty **tty, char *err, size_t errlen);
void sk_uart_tty_close(sk_uart_tty *tty);
/* The link over this port; valid until sk_uart_tty_close. */
void sk_uart_tty_link(sk_uart_tty *tty, sk_uart_link *link);

#ifdef __cplusplus
}
#endif
#endif
