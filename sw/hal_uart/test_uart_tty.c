/* test_uart_tty.c — the termios link and the uart HAL over a pseudo-terminal.
 *
 * The far end of the pty is a small responder thread that speaks the bridge protocol
 * of rtl/boards/sk_uart_axil_bridge.v over a 16-word register file (or misbehaves on
 * purpose). The RTL bridge itself is tested in tb/uart/; this covers what only a real
 * tty exercises: raw mode, poll() deadlines, resync by flushing. */
#include <pthread.h>
#include <pty.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "sk_hal_uart.h"
#include "sk_uart_tty.h"

enum behaviour { ANSWER, SILENT, GARBAGE };

typedef struct responder {
    int fd;
    enum behaviour mode;
    uint32_t regs[16];
    pthread_t thread;
} responder;

static int read_exact(int fd, uint8_t *buf, size_t n)
{
    while (n > 0) {
        ssize_t r = read(fd, buf, n);
        if (r <= 0)
            return -1;
        buf += r;
        n -= (size_t)r;
    }
    return 0;
}

static void *respond(void *arg)
{
    responder *r = arg;
    uint8_t cmd, b[7];
    while (read_exact(r->fd, &cmd, 1) == 0) {
        uint8_t reply[5];
        size_t len = 0;
        if (cmd == SK_UART_CMD_WRITE && read_exact(r->fd, b, 7) == 0) {
            uint32_t a = b[0] | b[1] << 8 | (uint32_t)b[2] << 16;
            uint32_t v = b[3] | b[4] << 8 | (uint32_t)b[5] << 16 | (uint32_t)b[6] << 24;
            reply[0] = a < 64 ? SK_UART_REPLY_WRITE : SK_UART_REPLY_WRITE | 2;
            if (a < 64)
                r->regs[a / 4] = v;
            len = 1;
        } else if (cmd == SK_UART_CMD_READ && read_exact(r->fd, b, 3) == 0) {
            uint32_t a = b[0] | b[1] << 8 | (uint32_t)b[2] << 16;
            uint32_t v = a < 64 ? r->regs[a / 4] : 0;
            reply[0] = a < 64 ? SK_UART_REPLY_READ : SK_UART_REPLY_READ | 2;
            for (int i = 0; i < 4; i++)
                reply[1 + i] = (uint8_t)(v >> (8 * i));
            len = 5;
        } else if (cmd == SK_UART_CMD_IRQ) {
            reply[0] = SK_UART_REPLY_IRQ | (r->regs[0] & 1);
            len = 1;
        }
        if (r->mode == SILENT)
            continue;
        if (r->mode == GARBAGE)
            memset(reply, 0x5A, sizeof reply);
        if (len && write(r->fd, reply, len) != (ssize_t)len)
            break;
    }
    return NULL;
}

typedef struct fixture {
    responder r;
    sk_uart_tty *tty;
    sk_uart_link link;
    sk_hal_uart u;
    sk_hal hal;
} fixture;

static int setup(void **state)
{
    static fixture f;
    memset(&f, 0, sizeof f);
    int master, slave;
    char name[64], err[160];
    if (openpty(&master, &slave, name, NULL, NULL) != 0)
        return -1;
    close(slave);  /* reopened by path through the code under test */
    f.r.fd = master;
    if (sk_uart_tty_open(name, 1000000, &f.tty, err, sizeof err) != 0)
        return -1;
    sk_uart_tty_link(f.tty, &f.link);
    sk_hal_uart_init(&f.u, &f.link, 50000);
    sk_hal_uart_bind(&f.u, &f.hal);
    pthread_create(&f.r.thread, NULL, respond, &f.r);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sk_uart_tty_close(f->tty);
    close(f->r.fd);
    pthread_join(f->r.thread, NULL);
    return 0;
}

static void test_read_write(void **state)
{
    fixture *f = *state;
    uint32_t v = 0;
    assert_int_equal(f->hal.write32(f->hal.ctx, 0x08, 0xDEADBEEF), 0);
    assert_int_equal(f->hal.read32(f->hal.ctx, 0x08, &v), 0);
    assert_int_equal(v, 0xDEADBEEF);
    assert_int_not_equal(f->hal.read32(f->hal.ctx, 0x100, &v), 0);
    assert_non_null(strstr(f->u.last_error, "SLVERR"));
    f->r.regs[0] = 1;
    assert_int_equal(f->hal.wait_irq(f->hal.ctx, 1000), SK_HAL_IRQ);
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* No reply: the call fails after about the reply timeout (50 ms) plus the resync. */
static void test_silent_board_times_out(void **state)
{
    fixture *f = *state;
    uint32_t v;
    f->r.mode = SILENT;
    double t0 = seconds();
    assert_int_not_equal(f->hal.read32(f->hal.ctx, 0x04, &v), 0);
    double waited = seconds() - t0;
    assert_true(waited >= 0.045 && waited < 1.0);
    assert_non_null(strstr(f->u.last_error, "no reply"));
    assert_int_equal(f->hal.wait_irq(f->hal.ctx, 1000), SK_HAL_FAULT);
    f->r.mode = ANSWER;
    assert_int_equal(f->hal.read32(f->hal.ctx, 0x04, &v), 0);
}

static void test_garbage_reply(void **state)
{
    fixture *f = *state;
    uint32_t v;
    f->r.mode = GARBAGE;
    assert_int_not_equal(f->hal.write32(f->hal.ctx, 0x04, 1), 0);
    assert_non_null(strstr(f->u.last_error, "malformed"));
    f->r.mode = ANSWER;
    assert_int_equal(f->hal.read32(f->hal.ctx, 0x04, &v), 0);
    assert_int_equal(v, 1);  /* the write itself reached the responder */
}

static void test_open_errors(void **state)
{
    (void)state;
    sk_uart_tty *t;
    char err[160];
    assert_int_not_equal(sk_uart_tty_open("/nonexistent/tty", 115200, &t, err, sizeof err), 0);
    assert_non_null(strstr(err, "/nonexistent/tty"));
    assert_int_not_equal(sk_uart_tty_open("/dev/null", 115200, &t, err, sizeof err), 0);
    assert_non_null(strstr(err, "not a serial port"));
    assert_int_not_equal(sk_uart_tty_open("/dev/null", 12345, &t, err, sizeof err), 0);
    assert_non_null(strstr(err, "12345"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_read_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_silent_board_times_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_garbage_reply, setup, teardown),
        cmocka_unit_test(test_open_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
