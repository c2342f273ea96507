/* sk_rec_hal.h — a recording HAL for driver tests: forwards every access to an inner
 * HAL (normally the C device model) and logs it, so a test can assert the exact
 * register traffic of a driver call (OpenTitan-style EXPECT_WRITE32). It can also
 * inject a bus error at a chosen access, the one fault a real device cannot be asked
 * to produce on demand. */
#ifndef SHIFTKIT_SK_REC_HAL_H
#define SHIFTKIT_SK_REC_HAL_H

#include <stddef.h>
#include <stdint.h>

#include "shiftkit/sk_hal.h"

typedef struct sk_rec_access {
    char op;          /* 'R' read32, 'W' write32 */
    uint32_t offset;
    uint32_t value;   /* value written, or value the inner HAL returned */
} sk_rec_access;

typedef struct sk_rec_hal {
    sk_hal inner;
    sk_rec_access *log;
    size_t count, cap;
    long fail_at;     /* index (in the log) of the access that fails with a bus error; -1 none */
} sk_rec_hal;

void sk_rec_hal_init(sk_rec_hal *rec, const sk_hal *inner);
/* The HAL to hand to the driver; valid while `rec` lives. */
void sk_rec_hal_as_hal(sk_rec_hal *rec, sk_hal *hal);
void sk_rec_hal_clear(sk_rec_hal *rec);
void sk_rec_hal_free(sk_rec_hal *rec);
/* Number of logged writes, and the i-th write. */
size_t sk_rec_hal_writes(const sk_rec_hal *rec, sk_rec_access *out, size_t cap);

#endif
