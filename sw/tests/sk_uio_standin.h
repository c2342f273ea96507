/* sk_uio_standin.h — a memory-backed stand-in for a UIO device, served by the C
 * device model, so the UIO backend's real mmap and interrupt-fd code runs in tests.
 *
 * The "device" is a 16 MiB file in /dev/shm (the 24-bit AXI4-Lite address space)
 * that the backend mmaps exactly as it would /dev/uioN, plus one end of a Unix socket
 * pair that speaks the UIO interrupt protocol (write 4 bytes to unmask; a 4-byte
 * event count arrives when the interrupt fires). A server thread maps the same file
 * and plays the device: when the host writes a command into CTRL, it forwards every
 * word the host changed in the writable registers and windows to the device model,
 * then the command; after a run it copies the read-only registers and the activation
 * buffers back into the file and raises the interrupt.
 *
 * Plain memory has no read side effects and cannot see a write of an unchanged value,
 * so this is faithful for the driver's protocol (which acts through CTRL and waits for
 * the interrupt before reading results), not for arbitrary register traffic. */
#ifndef SHIFTKIT_SK_UIO_STANDIN_H
#define SHIFTKIT_SK_UIO_STANDIN_H

#include <stddef.h>

#include "sk_device.h"

typedef struct sk_uio_standin sk_uio_standin;

/* Start the server. *mem_fd and *irq_fd are new descriptors for the backend (pass
 * them to sk_uio_open_fds, which takes ownership); *size is the mapping size.
 * Returns 0 or -1 (with a message on stderr). */
int sk_uio_standin_start(const sk_device_config *cfg, sk_uio_standin **standin, int *mem_fd,
                         int *irq_fd, size_t *size);
/* Stop the server thread and free everything. */
void sk_uio_standin_stop(sk_uio_standin *standin);
/* Interrupts the stand-in has raised. */
unsigned sk_uio_standin_irqs(const sk_uio_standin *standin);

#endif
