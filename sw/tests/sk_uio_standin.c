/* sk_uio_standin.c — the /dev/shm + socket stand-in for a UIO device (sk_uio_standin.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "shiftkit/sk_regs.h"
#include "sk_uio_standin.h"

#define STANDIN_SIZE (1u << SK_ADDR_WIDTH)
#define STANDIN_POLL_MS 1

/* A byte range of the address space. */
typedef struct range {
    uint32_t base, bytes;
} range;

struct sk_uio_standin {
    sk_device *dev;
    volatile uint32_t *shm;    /* the server's mapping of the file */
    uint32_t *snapshot;        /* what the server last saw or wrote, same layout */
    int sock;                  /* server end of the interrupt socket */
    pthread_t thread;
    int stop;                  /* set with __atomic stores */
    bool unmasked;
    unsigned irqs;
    range writable[9];         /* host-writable registers and windows */
    size_t n_writable;
    range results[2];          /* ACT0, ACT1: what a run changes */
};

static const uint32_t ro_registers[] = {
    SK_REG_ID, SK_REG_VERSION, SK_REG_STATUS, SK_REG_CUR_LAYER, SK_REG_LANES,
    SK_REG_WEIGHT_ROWS, SK_REG_WEIGHT_ROW_BYTES, SK_REG_BIAS_DEPTH, SK_REG_SHIFT_DEPTH,
    SK_REG_ACT_BYTES, SK_REG_MAX_LAYERS, SK_REG_MAX_BATCH, SK_REG_PERF_CYCLES,
    SK_REG_PERF_MACS, SK_REG_PERF_STALLS, SK_REG_FEATURES,
};

/* Device -> file: a word the host only reads. */
static void publish(sk_uio_standin *s, uint32_t offset)
{
    uint32_t v = 0;
    if (sk_device_read32(s->dev, offset, &v) != 0)
        v = 0;
    s->shm[offset / 4] = v;
    s->snapshot[offset / 4] = v;
}

static void publish_all(sk_uio_standin *s)
{
    for (size_t i = 0; i < sizeof ro_registers / sizeof ro_registers[0]; i++)
        publish(s, ro_registers[i]);
    for (size_t r = 0; r < 2; r++)
        for (uint32_t o = 0; o < s->results[r].bytes; o += 4)
            publish(s, s->results[r].base + o);
}

/* File -> device: every word the host changed since the server last looked. */
static void forward_host_writes(sk_uio_standin *s)
{
    for (size_t r = 0; r < s->n_writable; r++) {
        for (uint32_t o = 0; o < s->writable[r].bytes; o += 4) {
            uint32_t i = (s->writable[r].base + o) / 4, v = s->shm[i];
            if (v != s->snapshot[i]) {
                s->snapshot[i] = v;
                (void)sk_device_write32(s->dev, i * 4, v);
            }
        }
    }
}

static void serve_once(sk_uio_standin *s)
{
    uint32_t msg;
    while (recv(s->sock, &msg, sizeof msg, MSG_DONTWAIT) == (ssize_t)sizeof msg)
        s->unmasked = msg != 0;
    /* The host writes CTRL before it unmasks, so reading CTRL after the socket sees
     * the command that goes with this wait. */
    uint32_t ctrl = __atomic_load_n(&s->shm[SK_REG_CTRL / 4], __ATOMIC_ACQUIRE);
    if (ctrl != 0) {
        forward_host_writes(s);
        __atomic_store_n(&s->shm[SK_REG_CTRL / 4], 0u, __ATOMIC_RELEASE);
        (void)sk_device_write32(s->dev, SK_REG_CTRL, ctrl);
        sk_device_advance(s->dev, sk_device_cycles_to_done(s->dev));
        publish_all(s);
    }
    if (s->unmasked && sk_device_irq(s->dev)) {
        uint32_t count = __atomic_add_fetch(&s->irqs, 1u, __ATOMIC_RELEASE);
        if (send(s->sock, &count, sizeof count, MSG_NOSIGNAL) == (ssize_t)sizeof count)
            s->unmasked = false; /* the kernel masks a UIO interrupt when it fires */
    }
}

static void *serve(void *arg)
{
    sk_uio_standin *s = arg;
    while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
        struct pollfd pfd = {.fd = s->sock, .events = POLLIN};
        (void)poll(&pfd, 1, STANDIN_POLL_MS);
        serve_once(s);
    }
    return NULL;
}

int sk_uio_standin_start(const sk_device_config *cfg, sk_uio_standin **out, int *mem_fd,
                         int *irq_fd, size_t *size)
{
    sk_uio_standin *s = calloc(1, sizeof *s);
    int fd = -1, sv[2] = {-1, -1};
    void *map = MAP_FAILED;
    sk_error err;
    if (!s)
        return -1;
    s->sock = -1;
    if (sk_device_create(cfg, &s->dev, &err) != SK_OK) {
        fprintf(stderr, "uio stand-in: %s\n", err.msg);
        goto fail;
    }
    char path[] = "/dev/shm/shiftkit-uio-XXXXXX";
    fd = mkstemp(path);
    if (fd < 0 || unlink(path) != 0 || ftruncate(fd, STANDIN_SIZE) != 0) {
        fprintf(stderr, "uio stand-in: %s: %s\n", path, strerror(errno));
        goto fail;
    }
    map = mmap(NULL, STANDIN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    s->snapshot = calloc(STANDIN_SIZE / 4, sizeof *s->snapshot);
    if (map == MAP_FAILED || !s->snapshot ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        fprintf(stderr, "uio stand-in: mmap/socketpair: %s\n", strerror(errno));
        goto fail;
    }
    s->shm = map;
    s->sock = sv[0];
    uint32_t rb = 4;
    while (rb < cfg->lanes)
        rb *= 2;
    const range writable[] = {
        {SK_REG_IRQ_ENABLE, 4}, {SK_REG_NUM_LAYERS, 4},
        {SK_WIN_DESC_BASE, cfg->max_layers * SK_DESC_BYTES}, {SK_WIN_BIAS_BASE, cfg->bias_depth * 4},
        {SK_WIN_SHIFT_BASE, cfg->shift_depth}, {SK_WIN_ACT0_BASE, cfg->act_bytes},
        {SK_WIN_ACT1_BASE, cfg->act_bytes}, {SK_WIN_WEIGHTS_BASE, cfg->weight_rows * rb},
        {SK_WIN_XDESC_BASE, cfg->cnn ? cfg->max_layers * SK_XDESC_BYTES : 0},
    };
    memcpy(s->writable, writable, sizeof writable);
    s->n_writable = sizeof writable / sizeof writable[0];
    s->results[0] = (range){SK_WIN_ACT0_BASE, cfg->act_bytes};
    s->results[1] = (range){SK_WIN_ACT1_BASE, cfg->act_bytes};
    publish(s, SK_REG_IRQ_ENABLE);
    publish(s, SK_REG_NUM_LAYERS);
    publish_all(s);
    if (pthread_create(&s->thread, NULL, serve, s) != 0) {
        fprintf(stderr, "uio stand-in: pthread_create failed\n");
        goto fail;
    }
    *mem_fd = fd;
    *irq_fd = sv[1];
    *size = STANDIN_SIZE;
    *out = s;
    return 0;
fail:
    if (map != MAP_FAILED)
        munmap(map, STANDIN_SIZE);
    if (fd >= 0)
        close(fd);
    if (sv[0] >= 0)
        close(sv[0]);
    if (sv[1] >= 0)
        close(sv[1]);
    free(s->snapshot);
    sk_device_free(s->dev);
    free(s);
    return -1;
}

void sk_uio_standin_stop(sk_uio_standin *s)
{
    if (!s)
        return;
    __atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
    pthread_join(s->thread, NULL);
    munmap((void *)s->shm, STANDIN_SIZE);
    close(s->sock);
    free(s->snapshot);
    sk_device_free(s->dev);
    free(s);
}

unsigned sk_uio_standin_irqs(const sk_uio_standin *s)
{
    return __atomic_load_n(&s->irqs, __ATOMIC_ACQUIRE);
}
