// sk_uart_sim.cpp — the simulated serial line around the Verilated board top
// (sk_uart_sim.h).
#include "sk_uart_sim.h"

#include <verilated.h>

#include "Vsk_board_uart.h"

UartSim::UartSim(int clks_per_bit, uint32_t idle_timeout, double clk_mhz)
    : ctx_(new VerilatedContext), clks_per_bit_(clks_per_bit), idle_timeout_(idle_timeout),
      clk_mhz_(clk_mhz)
{
    top_.reset(new Vsk_board_uart(ctx_.get()));
    top_->clk_i = 0;
    top_->rst_ni = 0;
    top_->uart_rx_i = 1;
    top_->eval();
}

UartSim::~UartSim() { top_->final(); }

void UartSim::reset()
{
    top_->rst_ni = 0;
    for (int i = 0; i < 4; i++)
        tick(1);
    top_->rst_ni = 1;
    for (int i = 0; i < 4; i++)
        tick(1);
}

bool UartSim::irq() const { return top_->irq_o; }

// One clock cycle: inputs change while the clock is low (away from the sampling edge),
// then the rising edge; the TX line is sampled after it.
void UartSim::tick(int rx_level)
{
    top_->uart_rx_i = rx_level;
    top_->clk_i = 0;
    top_->eval();
    top_->clk_i = 1;
    top_->eval();
    cycles_++;
    int line = top_->uart_tx_o;
    switch (rx_state_) {
    case IDLE:
        if (!line) {
            rx_state_ = START;
            rx_count_ = clks_per_bit_ / 2;
        }
        break;
    case START:
        if (--rx_count_ == 0) {
            if (line) {
                rx_state_ = IDLE;  // glitch
            } else {
                rx_state_ = DATA;
                rx_count_ = clks_per_bit_;
                rx_bit_ = 0;
            }
        }
        break;
    case DATA:
        if (--rx_count_ == 0) {
            rx_shift_ = (uint8_t)((rx_shift_ >> 1) | (line ? 0x80 : 0));
            rx_count_ = clks_per_bit_;
            if (++rx_bit_ == 8)
                rx_state_ = STOP;
        }
        break;
    case STOP:
        if (--rx_count_ == 0) {
            if (line)
                rx_.push_back(rx_shift_);
            rx_state_ = IDLE;
        }
        break;
    }
}

void UartSim::run(uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        tick(1);
}

void UartSim::send_byte(uint8_t byte, bool stop_bit)
{
    int bits[10];
    bits[0] = 0;
    for (int i = 0; i < 8; i++)
        bits[1 + i] = (byte >> i) & 1;
    bits[9] = stop_bit ? 1 : 0;
    for (int b = 0; b < 10; b++)
        for (int c = 0; c < clks_per_bit_; c++)
            tick(bits[b]);
}

sk_uart_link_status UartSim::link_send(void *ctx, const uint8_t *buf, size_t n)
{
    UartSim *s = static_cast<UartSim *>(ctx);
    for (size_t i = 0; i < n; i++)
        s->send_byte(buf[i]);
    return SK_UART_LINK_OK;
}

sk_uart_link_status UartSim::link_recv(void *ctx, uint8_t *buf, size_t n, uint32_t timeout_us)
{
    UartSim *s = static_cast<UartSim *>(ctx);
    uint64_t deadline = s->cycles_ + (uint64_t)(timeout_us * s->clk_mhz_);
    while (s->rx_.size() < n) {
        if (s->cycles_ >= deadline)
            return SK_UART_LINK_TIMEOUT;
        s->tick(1);
    }
    for (size_t i = 0; i < n; i++) {
        buf[i] = s->rx_.front();
        s->rx_.pop_front();
    }
    return SK_UART_LINK_OK;
}

sk_uart_link_status UartSim::link_resync(void *ctx)
{
    UartSim *s = static_cast<UartSim *>(ctx);
    s->run(s->idle_timeout_ + 20u * (uint64_t)s->clks_per_bit_);
    s->rx_.clear();
    return SK_UART_LINK_OK;
}

uint64_t UartSim::link_now_us(void *ctx)
{
    UartSim *s = static_cast<UartSim *>(ctx);
    return (uint64_t)(s->cycles_ / s->clk_mhz_);
}

sk_uart_link UartSim::link()
{
    sk_uart_link l;
    l.ctx = this;
    l.send = link_send;
    l.recv = link_recv;
    l.resync = link_resync;
    l.now_us = link_now_us;
    return l;
}
