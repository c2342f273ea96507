/* sk_uart_main.c — build/bin/shiftkit-uart: the shiftkit CLI with a "uart" backend that
 * runs every model on a board (rtl/boards/sk_icebreaker_top.v) over a serial port:
 *     SHIFTKIT_UART_PORT=/dev/ttyUSB1 shiftkit check --backend uart cases/
 * SHIFTKIT_UART_BAUD (default 1000000) must match the board top's ClksPerBit. */
#include <stdio.h>
#include <stdlib.h>

#include "sk_uart_cli.h"
#include "sk_uart_tty.h"

static sk_status uart_run(void *ctx, const sk_model *model, const char *model_path,
                          const sk_tensor *input, sk_tensor *output, sk_error *err)
{
    (void)ctx;
    const char *port = getenv("SHIFTKIT_UART_PORT");
    const char *baud_text = getenv("SHIFTKIT_UART_BAUD");
    unsigned baud = baud_text ? (unsigned)strtoul(baud_text, NULL, 10) : 1000000u;
    if (!port) {
        snprintf(err->msg, sizeof err->msg,
                 "SHIFTKIT_UART_PORT: not set (the board's serial port, e.g. /dev/ttyUSB1)");
        return SK_ERR_BAD_ARG;
    }
    sk_uart_tty *tty;
    if (sk_uart_tty_open(port, baud, &tty, err->msg, sizeof err->msg) != 0)
        return SK_ERR_IO;
    sk_uart_link link;
    sk_uart_tty_link(tty, &link);
    sk_hal_uart u;
    sk_hal_uart_init(&u, &link, SK_HAL_UART_DEFAULT_REPLY_TIMEOUT_US);
    sk_status st = sk_uart_cli_run(&u, "uart", model, model_path, input, output, err);
    sk_uart_tty_close(tty);
    return st;
}

static const sk_backend uart_backend = {"uart", uart_run, NULL};

int main(int argc, char **argv)
{
    static const sk_backend *const backends[] = {&sk_golden_backend, &uart_backend};
    return sk_cli_main(argc, argv, backends, 2);
}
