// test_uart_bridge.cpp — the host link on the Verilated board top: the `uart` HAL's
// frames through the UART, the bridge and the AXI4-Lite slave of the real core, and
// the C driver opening the device over it. Expected values come from the register map
// (sw/include/shiftkit/sk_regs.h, docs/regmap.md) and the bridge protocol
// (rtl/boards/sk_uart_axil_bridge.v), never from the code under test.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "shiftkit/sk_driver.h"
#include "shiftkit/sk_regs.h"
#include "sk_hal_uart.h"
#include "sk_uart_sim.h"
#include "sk_uart_sim_config.h"

static int failures = 0;
#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                              \
        }                                                                            \
    } while (0)

struct Bench {
    UartSim sim{SK_UART_SIM_CLKS_PER_BIT, SK_UART_SIM_IDLE_TIMEOUT, SK_UART_SIM_CLK_MHZ};
    sk_uart_link link;
    sk_hal_uart u;
    sk_hal hal;
    Bench()
    {
        sim.reset();
        link = sim.link();
        sk_hal_uart_init(&u, &link, SK_UART_SIM_REPLY_TIMEOUT_US);
        sk_hal_uart_bind(&u, &hal);
    }
};

static void test_registers()
{
    Bench b;
    uint32_t v = 0;
    CHECK(b.hal.read32(b.hal.ctx, SK_REG_ID, &v) == 0 && v == SK_ID_MAGIC);
    CHECK(b.hal.read32(b.hal.ctx, SK_REG_VERSION, &v) == 0 && v == SK_VERSION_VALUE);
    CHECK(b.hal.write32(b.hal.ctx, SK_REG_IRQ_ENABLE, 1) == 0);
    CHECK(b.hal.read32(b.hal.ctx, SK_REG_IRQ_ENABLE, &v) == 0 && v == 1);
    CHECK(b.hal.write32(b.hal.ctx, SK_REG_NUM_LAYERS, 0xA5) == 0);
    CHECK(b.hal.read32(b.hal.ctx, SK_REG_NUM_LAYERS, &v) == 0 && v == 0xA5);
}

// An address in no register and no window answers SLVERR (docs/regmap.md); the HAL
// reports it as a bus error and the link stays in step.
static void test_slverr()
{
    Bench b;
    uint32_t v = 0;
    CHECK(b.hal.read32(b.hal.ctx, 0x0FFC, &v) != 0);
    CHECK(std::strstr(b.u.last_error, "SLVERR") != nullptr);
    CHECK(b.hal.write32(b.hal.ctx, 0x0FFC, 1) != 0);
    CHECK(std::strstr(b.u.last_error, "SLVERR") != nullptr);
    CHECK(b.hal.read32(b.hal.ctx, SK_REG_ID, &v) == 0 && v == SK_ID_MAGIC);
    CHECK(b.u.failures == 0);  // bus errors are answers, not lost frames
}

// Bad offsets never reach the line.
static void test_bad_offset()
{
    Bench b;
    uint32_t v;
    uint64_t frames = b.u.frames;
    CHECK(b.hal.read32(b.hal.ctx, 0x2, &v) != 0);
    CHECK(b.hal.write32(b.hal.ctx, SK_UART_ADDR_LIMIT, 0) != 0);
    CHECK(b.u.frames == frames);
}

// Unknown command bytes and framing errors are ignored; a frame cut short is dropped
// after the idle timeout and changes nothing.
static void test_resync()
{
    Bench b;
    uint32_t v = 0;
    CHECK(b.hal.write32(b.hal.ctx, SK_REG_IRQ_ENABLE, 0) == 0);
    b.sim.send_byte(0x00);
    b.sim.send_byte(0xFF);
    b.sim.send_byte(SK_UART_CMD_READ, false);  // framing error: never seen as 'R'
    b.sim.run(100);
    CHECK(b.sim.received().empty());
    CHECK(b.hal.read32(b.hal.ctx, SK_REG_ID, &v) == 0 && v == SK_ID_MAGIC);
    // 'W' + address of IRQ_ENABLE + 2 of 4 data bytes, then silence
    const uint8_t partial[] = {SK_UART_CMD_WRITE, SK_REG_IRQ_ENABLE, 0, 0, 1, 0};
    for (uint8_t byte : partial)
        b.sim.send_byte(byte);
    b.sim.run(SK_UART_SIM_IDLE_TIMEOUT + 50);
    CHECK(b.sim.received().empty());
    CHECK(b.hal.read32(b.hal.ctx, SK_REG_IRQ_ENABLE, &v) == 0 && v == 0);
}

// A frame that lost a byte on the way to the board gets no reply: waiting for one is
// bounded by the timeout, and a resync brings both ends back to a frame boundary.
static void test_lost_byte()
{
    Bench b;
    uint32_t v = 0;
    const uint8_t short_read[] = {SK_UART_CMD_READ, 0, 0};  // a2 lost
    CHECK(b.link.send(b.link.ctx, short_read, sizeof short_read) == SK_UART_LINK_OK);
    uint8_t reply;
    uint64_t t0 = b.link.now_us(b.link.ctx);
    CHECK(b.link.recv(b.link.ctx, &reply, 1, 500) == SK_UART_LINK_TIMEOUT);
    uint64_t waited = b.link.now_us(b.link.ctx) - t0;
    CHECK(waited >= 500 && waited <= 501);
    CHECK(b.link.resync(b.link.ctx) == SK_UART_LINK_OK);
    CHECK(b.hal.read32(b.hal.ctx, SK_REG_ID, &v) == 0 && v == SK_ID_MAGIC);
}

// wait_irq returns TIMEOUT when no run is in progress, after about timeout_us.
static void test_irq_timeout()
{
    Bench b;
    uint64_t t0 = b.link.now_us(b.link.ctx);
    CHECK(b.hal.wait_irq(b.hal.ctx, 100) == SK_HAL_TIMEOUT);
    uint64_t waited = b.link.now_us(b.link.ctx) - t0;
    CHECK(waited >= 100 && waited < 200);
}

// The unchanged driver opens the device over the link and reads the build parameters.
static void test_driver_open()
{
    Bench b;
    sk_drv *drv = nullptr;
    sk_error err;
    std::memset(&err, 0, sizeof err);
    sk_drv_status st = sk_drv_open(&b.hal, nullptr, &drv, &err);
    CHECK(st == SK_DRV_OK);
    if (st != SK_DRV_OK) {
        std::fprintf(stderr, "sk_drv_open: %s (%s)\n", err.msg, b.u.last_error);
        return;
    }
    const sk_drv_info *info = sk_drv_get_info(drv);
    CHECK(info->version == SK_VERSION_VALUE);
    CHECK(info->lanes == SK_UART_SIM_LANES);
    sk_drv_close(drv);
}

int main()
{
    test_registers();
    test_slverr();
    test_bad_offset();
    test_resync();
    test_lost_byte();
    test_irq_timeout();
    test_driver_open();
    if (failures) {
        std::fprintf(stderr, "test_uart_bridge: %d checks failed\n", failures);
        return 1;
    }
    std::printf("test_uart_bridge: all checks passed\n");
    return 0;
}
