/* sk_uio.h — the Linux user-space backend: the device's AXI4-Lite window mmapped from
 * /dev/uioN (interrupt through the same file descriptor) or from /dev/mem at a
 * physical base (no interrupt: use SK_DRV_WAIT_POLL). Fills an sk_hal for the driver.
 *
 * UIO interrupt protocol (Documentation/driver-api/uio-howto.rst): writing the 32-bit
 * value 1 to the fd unmasks the interrupt; a read of 4 bytes blocks until the next
 * interrupt and returns the total interrupt count; poll() on the fd waits with a
 * timeout. sk_uio_open_fds takes any file descriptors with these semantics, which is
 * how the tests serve a /dev/shm file and a socket from the C device model. */
#ifndef SHIFTKIT_SK_UIO_H
#define SHIFTKIT_SK_UIO_H

#include <stddef.h>
#include <stdint.h>

#include "shiftkit/sk_driver.h"
#include "shiftkit/sk_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sk_uio sk_uio;

/* Open /dev/uioN (`path`), map its map0. `size` 0 reads the size from
 * /sys/class/uio/uioN/maps/map0/size. */
SK_MUST_CHECK sk_drv_status sk_uio_open(const char *path, size_t size, sk_uio **uio,
                                        sk_error *err);

/* Open `path` (normally /dev/mem) and map `size` bytes at physical address `base`
 * (page aligned). No interrupt: wait_irq reports SK_HAL_FAULT. */
SK_MUST_CHECK sk_drv_status sk_uio_open_devmem(const char *path, uint64_t base, size_t size,
                                               sk_uio **uio, sk_error *err);

/* Map `size` bytes of mem_fd at `offset`; irq_fd (or -1 for none) speaks the UIO
 * interrupt protocol. Takes ownership of both descriptors (closed by sk_uio_close,
 * also on failure). */
SK_MUST_CHECK sk_drv_status sk_uio_open_fds(int mem_fd, uint64_t offset, size_t size, int irq_fd,
                                            const char *origin, sk_uio **uio, sk_error *err);

void sk_uio_close(sk_uio *uio);

/* The HAL over this mapping; valid until sk_uio_close. */
void sk_uio_hal(sk_uio *uio, sk_hal *hal);

/* Interrupts seen so far (the count the UIO fd last returned). */
uint32_t sk_uio_irq_count(const sk_uio *uio);

#ifdef __cplusplus
}
#endif
#endif
