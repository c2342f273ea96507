// sk_uart_sim_main.cpp — build/bin/shiftkit-uart-sim: the shiftkit CLI with a
// "uart-sim" backend: every model runs through the unchanged C driver, the `uart` HAL
// backend (sw/hal_uart/), a simulated serial line and the Verilated board top
// (rtl/boards/sk_board_uart.v: UART, UART-to-AXI4-Lite bridge, core).
//     shiftkit check --backend uart-sim build/uart-check
#include <cstdio>

#include "sk_uart_cli.h"
#include "sk_uart_sim.h"
#include "sk_uart_sim_config.h"

static sk_status uart_sim_run(void *, const sk_model *model, const char *model_path,
                              const sk_tensor *input, sk_tensor *output, sk_error *err)
{
    UartSim sim(SK_UART_SIM_CLKS_PER_BIT, SK_UART_SIM_IDLE_TIMEOUT, SK_UART_SIM_CLK_MHZ);
    sim.reset();
    sk_uart_link link = sim.link();
    sk_hal_uart u;
    sk_hal_uart_init(&u, &link, SK_UART_SIM_REPLY_TIMEOUT_US);
    sk_status st = sk_uart_cli_run(&u, "uart-sim", model, model_path, input, output, err);
    std::fprintf(stderr, "uart-sim: %llu simulated cycles\n", (unsigned long long)sim.cycles());
    return st;
}

static const sk_backend uart_sim_backend = {"uart-sim", uart_sim_run, nullptr};

int main(int argc, char **argv)
{
    static const sk_backend *const backends[] = {&sk_golden_backend, &uart_sim_backend};
    return sk_cli_main(argc, argv, backends, 2);
}
