/* sk_uart_cli.h — the run step shared by the CLI backends that reach a device through
 * the `uart` HAL: shiftkit-uart (a board on a serial port, sk_uart_main.c) and
 * shiftkit-uart-sim (the Verilated board top, tb/uart/). */
#ifndef SHIFTKIT_SK_UART_CLI_H
#define SHIFTKIT_SK_UART_CLI_H

#include "sk_cli.h"
#include "sk_hal_uart.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Open the device behind `u` with the driver, load `model`, run `input` and allocate
 * `output` (as sk_backend.run). `label` prefixes the stderr summary line. Failures
 * carry the driver's message and, for link failures, the HAL's last_error. */
sk_status sk_uart_cli_run(sk_hal_uart *u, const char *label, const sk_model *model,
                          const char *model_path, const sk_tensor *input, sk_tensor *output,
                          sk_error *err);

#ifdef __cplusplus
}
#endif
#endif
