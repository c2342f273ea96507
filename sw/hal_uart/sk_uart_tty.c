/* sk_uart_tty.c — sk_uart_link over a termios serial port (sk_uart_tty.h). */
#include "sk_uart_tty.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* Longer than the bridge's idle timeout (65536 cycles: 1.4 ms at 48 MHz, 0.7 ms at
 * 100 MHz), so a partial frame on the board side is dropped before the next one. */
#define RESYNC_QUIET_US 20000

struct sk_uart_tty {
    int fd;
};

static uint64_t tty_now_us(void *ctx)
{
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static sk_uart_link_status tty_send(void *ctx, const uint8_t *buf, size_t n)
{
    sk_uart_tty *t = ctx;
    while (n > 0) {
        ssize_t w = write(t->fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return SK_UART_LINK_IO;
        buf += w;
        n -= (size_t)w;
    }
    return SK_UART_LINK_OK;
}

static sk_uart_link_status tty_recv(void *ctx, uint8_t *buf, size_t n, uint32_t timeout_us)
{
    sk_uart_tty *t = ctx;
    uint64_t deadline = tty_now_us(NULL) + timeout_us;
    while (n > 0) {
        uint64_t now = tty_now_us(NULL);
        if (now >= deadline)
            return SK_UART_LINK_TIMEOUT;
        struct pollfd p = {t->fd, POLLIN, 0};
        int ms = (int)((deadline - now + 999) / 1000);
        int r = poll(&p, 1, ms);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 || (p.revents & (POLLERR | POLLHUP | POLLNVAL)))
            return SK_UART_LINK_IO;
        if (r == 0)
            continue;  /* the deadline check above ends the loop */
        ssize_t got = read(t->fd, buf, n);
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (got <= 0)
            return SK_UART_LINK_IO;
        buf += got;
        n -= (size_t)got;
    }
    return SK_UART_LINK_OK;
}

static sk_uart_link_status tty_resync(void *ctx)
{
    sk_uart_tty *t = ctx;
    if (tcdrain(t->fd) != 0)
        return SK_UART_LINK_IO;
    usleep(RESYNC_QUIET_US);
    return tcflush(t->fd, TCIOFLUSH) == 0 ? SK_UART_LINK_OK : SK_UART_LINK_IO;
}

static int baud_constant(unsigned baud, speed_t *out)
{
    static const struct { unsigned baud; speed_t c; } table[] = {
        {9600, B9600}, {19200, B19200}, {38400, B38400}, {57600, B57600},
        {115200, B115200}, {230400, B230400}, {460800, B460800}, {500000, B500000},
        {921600, B921600}, {1000000, B1000000}, {2000000, B2000000}, {3000000, B3000000},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].baud == baud) {
            *out = table[i].c;
            return 0;
        }
    return -1;
}

int sk_uart_tty_open(const char *path, unsigned baud, sk_uart_tty **tty, char *err, size_t errlen)
{
    speed_t speed;
    *tty = NULL;
    if (baud_constant(baud, &speed) != 0) {
        snprintf(err, errlen, "%s: baud rate %u not supported (9600..3000000 standard rates)",
                 path, baud);
        return -1;
    }
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    struct termios tio;
    if (tcgetattr(fd, &tio) != 0) {
        snprintf(err, errlen, "%s: not a serial port: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    cfmakeraw(&tio);
    tio.c_cflag |= CLOCAL | CREAD;
    tio.c_cflag &= ~(CSTOPB | CRTSCTS | PARENB);
    tio.c_cc[VMIN] = 0;
    tio.c_cc[VTIME] = 0;
    if (cfsetispeed(&tio, speed) != 0 || cfsetospeed(&tio, speed) != 0 ||
        tcsetattr(fd, TCSANOW, &tio) != 0) {
        snprintf(err, errlen, "%s: cannot set %u baud 8N1: %s", path, baud, strerror(errno));
        close(fd);
        return -1;
    }
    tcflush(fd, TCIOFLUSH);
    sk_uart_tty *t = malloc(sizeof *t);
    if (!t) {
        snprintf(err, errlen, "%s: out of memory", path);
        close(fd);
        return -1;
    }
    t->fd = fd;
    *tty = t;
    return 0;
}

void sk_uart_tty_close(sk_uart_tty *tty)
{
    if (!tty)
        return;
    close(tty->fd);
    free(tty);
}

void sk_uart_tty_link(sk_uart_tty *tty, sk_uart_link *link)
{
    link->ctx = tty;
    link->send = tty_send;
    link->recv = tty_recv;
    link->resync = tty_resync;
    link->now_us = tty_now_us;
}
