// sk_uart_sim.h — the Verilated board top (rtl/boards/sk_board_uart.v) behind a
// simulated serial line, offered as an sk_uart_link so that the `uart` HAL backend
// (sw/hal_uart/) and the unchanged C driver run against the RTL.
//
// The host side of the line is modelled here in C++: send() shifts bytes onto the
// board's RX pin at ClksPerBit clocks per bit while the design runs, and a receiver
// samples the TX pin in the middle of each bit. Time is simulated: now_us() is cycles
// divided by the nominal clock frequency, so timeouts are deterministic.
#ifndef SK_UART_SIM_H
#define SK_UART_SIM_H

#include <cstdint>
#include <deque>
#include <memory>

#include "sk_hal_uart.h"

class VerilatedContext;
class Vsk_board_uart;

class UartSim {
public:
    // clks_per_bit and idle_timeout must equal the model's ClksPerBit and IdleTimeout
    // (set at Verilation, see synth/synth.mk).
    UartSim(int clks_per_bit, uint32_t idle_timeout, double clk_mhz);
    ~UartSim();

    void reset();                     // hold rst_ni low for a few cycles
    sk_uart_link link();              // the line as seen by the HAL
    void run(uint64_t cycles);        // let the design run with an idle line
    // Put one byte on the line; stop_bit = false makes a framing error.
    void send_byte(uint8_t byte, bool stop_bit = true);
    uint64_t cycles() const { return cycles_; }
    bool irq() const;
    std::deque<uint8_t> &received() { return rx_; }

private:
    void tick(int rx_level);

    static sk_uart_link_status link_send(void *ctx, const uint8_t *buf, size_t n);
    static sk_uart_link_status link_recv(void *ctx, uint8_t *buf, size_t n, uint32_t timeout_us);
    static sk_uart_link_status link_resync(void *ctx);
    static uint64_t link_now_us(void *ctx);

    std::unique_ptr<VerilatedContext> ctx_;
    std::unique_ptr<Vsk_board_uart> top_;
    int clks_per_bit_;
    uint32_t idle_timeout_;
    double clk_mhz_;
    uint64_t cycles_ = 0;
    // receiver of the board's TX line
    enum { IDLE, START, DATA, STOP } rx_state_ = IDLE;
    int rx_count_ = 0, rx_bit_ = 0;
    uint8_t rx_shift_ = 0;
    std::deque<uint8_t> rx_;
};

#endif
