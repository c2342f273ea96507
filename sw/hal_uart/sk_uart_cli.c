/* sk_uart_cli.c — driver open/load/run over the `uart` HAL for the CLI backends
 * (sk_uart_cli.h). SHIFTKIT_UART_WAIT=poll makes the driver poll STATUS instead of
 * polling the interrupt line. */
#include "sk_uart_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shiftkit/sk_driver.h"

sk_status sk_uart_cli_run(sk_hal_uart *u, const char *label, const sk_model *model,
                          const char *model_path, const sk_tensor *input, sk_tensor *output,
                          sk_error *err)
{
    sk_hal hal;
    sk_hal_uart_bind(u, &hal);
    sk_drv_options opt;
    sk_drv_default_options(&opt);
    const char *wait = getenv("SHIFTKIT_UART_WAIT");
    if (wait && !strcmp(wait, "poll"))
        opt.wait_mode = SK_DRV_WAIT_POLL;
    sk_drv_load_report load = {0};
    sk_drv_perf perf = {0};
    /* The driver's one open + load + run path and its one status mapping, as every
     * CLI backend uses them (sk_driver.h). */
    sk_drv_status st = sk_drv_run_tensor(&hal, &opt, model, input, output, &load, &perf, err);
    if (st == SK_DRV_OK) {
        fprintf(stderr, "%s: %s: %llu words written, %u samples, %llu cycles, %llu MACs, "
                "%llu frames on the link\n", label, model_path,
                (unsigned long long)load.words_written, perf.starts,
                (unsigned long long)perf.busy_cycles, (unsigned long long)perf.macs,
                (unsigned long long)u->frames);
    } else if (u->last_error[0]) {
        size_t used = strlen(err->msg);
        snprintf(err->msg + used, sizeof err->msg - used, " (%s)", u->last_error);
    }
    return sk_drv_to_sk_status(st);
}
