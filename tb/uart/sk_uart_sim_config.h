// sk_uart_sim_config.h — the build parameters the UART testbench Verilates
// rtl/boards/sk_board_uart.v with (synth/synth.mk passes the same numbers as -G
// options) and the simulated clock that turns cycles into microseconds.
#ifndef SK_UART_SIM_CONFIG_H
#define SK_UART_SIM_CONFIG_H

#define SK_UART_SIM_CLKS_PER_BIT 4       // the fastest line the RTL accepts: short runs
#define SK_UART_SIM_IDLE_TIMEOUT 512u    // bridge cycles before a stalled frame is dropped
#define SK_UART_SIM_CLK_MHZ 48.0         // the iCEBreaker core clock
#define SK_UART_SIM_REPLY_TIMEOUT_US 2000u

#endif
