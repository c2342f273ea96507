/* sk_uio.c — the Linux UIO / /dev/mem backend of the HAL (sk_uio.h).
 *
 * Register access is a volatile 32-bit load or store into the mapping, so the
 * compiler neither merges nor reorders device accesses; a bad offset is reported as a
 * bus error instead of faulting. The interrupt follows the UIO protocol: unmask by
 * writing 1, poll() with the timeout, read the 4-byte event count. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "shiftkit/sk_uio.h"
#include "sk_drv_internal.h"

struct sk_uio {
    int mem_fd;
    int irq_fd;            /* -1: no interrupt (/dev/mem) */
    volatile uint8_t *base;
    size_t size;
    uint32_t irq_count;
};

static int uio_read32(void *ctx, uint32_t offset, uint32_t *value)
{
    sk_uio *uio = ctx;
    if ((offset & 3u) != 0 || (size_t)offset + 4 > uio->size)
        return -1;
    *value = *(volatile uint32_t *)(uio->base + offset);
    return 0;
}

static int uio_write32(void *ctx, uint32_t offset, uint32_t value)
{
    sk_uio *uio = ctx;
    if ((offset & 3u) != 0 || (size_t)offset + 4 > uio->size)
        return -1;
    *(volatile uint32_t *)(uio->base + offset) = value;
    return 0;
}

static sk_hal_wait_result uio_wait_irq(void *ctx, uint32_t timeout_us)
{
    sk_uio *uio = ctx;
    if (uio->irq_fd < 0)
        return SK_HAL_FAULT;
    /* A UIO driver without irqcontrol answers ENOSYS: its interrupt needs no unmask. */
    uint32_t unmask = 1;
    if (write(uio->irq_fd, &unmask, sizeof unmask) != (ssize_t)sizeof unmask && errno != ENOSYS)
        return SK_HAL_FAULT;
    /* poll() counts milliseconds: round up so a short timeout still waits. */
    uint32_t timeout_ms = timeout_us / 1000u + (timeout_us % 1000u != 0);
    if (timeout_ms > (uint32_t)INT_MAX)
        timeout_ms = (uint32_t)INT_MAX;
    struct pollfd pfd = {.fd = uio->irq_fd, .events = POLLIN};
    int ready;
    do {
        ready = poll(&pfd, 1, (int)timeout_ms);
    } while (ready < 0 && errno == EINTR);
    if (ready < 0 || (ready > 0 && !(pfd.revents & POLLIN)))
        return SK_HAL_FAULT;
    if (ready == 0)
        return SK_HAL_TIMEOUT;
    uint32_t count;
    if (read(uio->irq_fd, &count, sizeof count) != (ssize_t)sizeof count)
        return SK_HAL_FAULT;
    uio->irq_count = count;
    return SK_HAL_IRQ;
}

sk_drv_status sk_uio_open_fds(int mem_fd, uint64_t offset, size_t size, int irq_fd,
                              const char *origin, sk_uio **out, sk_error *err)
{
    const char *name = origin ? origin : "uio";
    sk_drv_status st = SK_DRV_OK;
    sk_uio *uio = NULL;
    if (!out || mem_fd < 0 || size == 0 || size % 4 != 0) {
        st = sk_drv_fail(err, SK_DRV_ERR_BAD_ARG, "%s: need a memory fd and a size that is a"
                         " nonzero multiple of 4 (got %zu)", name, size);
        goto fail;
    }
    long page = sysconf(_SC_PAGESIZE);
    if (page > 0 && offset % (uint64_t)page != 0) {
        st = sk_drv_fail(err, SK_DRV_ERR_BAD_ARG, "%s: map offset 0x%" PRIx64
                         " is not page aligned (page %ld)", name, offset, page);
        goto fail;
    }
    uio = calloc(1, sizeof *uio);
    if (!uio) {
        st = sk_drv_fail(err, SK_DRV_ERR_NOMEM, "%s: driver state", name);
        goto fail;
    }
    void *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, mem_fd, (off_t)offset);
    if (map == MAP_FAILED) {
        st = sk_drv_fail(err, SK_DRV_ERR_IO, "%s: mmap of %zu bytes at 0x%" PRIx64 ": %s", name,
                         size, offset, strerror(errno));
        goto fail;
    }
    uio->mem_fd = mem_fd;
    uio->irq_fd = irq_fd;
    uio->base = map;
    uio->size = size;
    *out = uio;
    return SK_DRV_OK;
fail:
    free(uio);
    if (mem_fd >= 0)
        close(mem_fd);
    if (irq_fd >= 0 && irq_fd != mem_fd)
        close(irq_fd);
    return st;
}

/* Read "0x..." from /sys/class/uio/uioN/maps/map0/size. */
static sk_drv_status uio_sysfs_size(const char *path, size_t *size, sk_error *err)
{
    const char *slash = strrchr(path, '/');
    const char *dev = slash ? slash + 1 : path;
    char sysfs[256];
    snprintf(sysfs, sizeof sysfs, "/sys/class/uio/%s/maps/map0/size", dev);
    FILE *f = fopen(sysfs, "r");
    if (!f)
        return sk_drv_fail(err, SK_DRV_ERR_IO, "%s: cannot read map size from %s: %s", path,
                           sysfs, strerror(errno));
    unsigned long long value = 0;
    int got = fscanf(f, "%llx", &value);
    fclose(f);
    if (got != 1 || value == 0)
        return sk_drv_fail(err, SK_DRV_ERR_IO, "%s: %s does not hold a map size", path, sysfs);
    *size = (size_t)value;
    return SK_DRV_OK;
}

sk_drv_status sk_uio_open(const char *path, size_t size, sk_uio **uio, sk_error *err)
{
    if (!path || !uio)
        return sk_drv_fail(err, SK_DRV_ERR_BAD_ARG, "sk_uio_open: NULL path or result");
    if (size == 0) {
        sk_drv_status st = uio_sysfs_size(path, &size, err);
        if (st != SK_DRV_OK)
            return st;
    }
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return sk_drv_fail(err, SK_DRV_ERR_IO, "%s: open: %s", path, strerror(errno));
    /* A UIO device's map N lives at offset N * page size; the fd is also the IRQ fd. */
    int irq_fd = dup(fd);
    if (irq_fd < 0) {
        close(fd);
        return sk_drv_fail(err, SK_DRV_ERR_IO, "%s: dup: %s", path, strerror(errno));
    }
    return sk_uio_open_fds(fd, 0, size, irq_fd, path, uio, err);
}

sk_drv_status sk_uio_open_devmem(const char *path, uint64_t base, size_t size, sk_uio **uio,
                                 sk_error *err)
{
    if (!path || !uio)
        return sk_drv_fail(err, SK_DRV_ERR_BAD_ARG, "sk_uio_open_devmem: NULL path or result");
    int fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
    if (fd < 0)
        return sk_drv_fail(err, SK_DRV_ERR_IO, "%s: open: %s", path, strerror(errno));
    return sk_uio_open_fds(fd, base, size, -1, path, uio, err);
}

void sk_uio_close(sk_uio *uio)
{
    if (!uio)
        return;
    munmap((void *)uio->base, uio->size);
    close(uio->mem_fd);
    if (uio->irq_fd >= 0)
        close(uio->irq_fd);
    free(uio);
}

void sk_uio_hal(sk_uio *uio, sk_hal *hal)
{
    hal->ctx = uio;
    hal->read32 = uio_read32;
    hal->write32 = uio_write32;
    hal->wait_irq = uio_wait_irq;
}

uint32_t sk_uio_irq_count(const sk_uio *uio)
{
    return uio->irq_count;
}
