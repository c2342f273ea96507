/* sk_rec_hal.c — the recording HAL of the driver tests (sk_rec_hal.h). */
#include <stdbool.h>
#include <stdlib.h>

#include "sk_rec_hal.h"

static void rec_log(sk_rec_hal *rec, char op, uint32_t offset, uint32_t value)
{
    if (rec->count == rec->cap) {
        size_t cap = rec->cap ? rec->cap * 2 : 1024;
        sk_rec_access *log = realloc(rec->log, cap * sizeof *log);
        if (!log)
            abort(); /* a test HAL: running out of memory is not a case under test */
        rec->log = log;
        rec->cap = cap;
    }
    rec->log[rec->count++] = (sk_rec_access){op, offset, value};
}

static int rec_read32(void *ctx, uint32_t offset, uint32_t *value)
{
    sk_rec_hal *rec = ctx;
    if (rec->fail_at >= 0 && (size_t)rec->fail_at == rec->count) {
        rec_log(rec, 'R', offset, 0);
        return -1;
    }
    int rc = rec->inner.read32(rec->inner.ctx, offset, value);
    rec_log(rec, 'R', offset, rc == 0 ? *value : 0);
    return rc;
}

static int rec_write32(void *ctx, uint32_t offset, uint32_t value)
{
    sk_rec_hal *rec = ctx;
    bool fail = rec->fail_at >= 0 && (size_t)rec->fail_at == rec->count;
    rec_log(rec, 'W', offset, value);
    if (fail)
        return -1;
    return rec->inner.write32(rec->inner.ctx, offset, value);
}

static sk_hal_wait_result rec_wait_irq(void *ctx, uint32_t timeout_us)
{
    sk_rec_hal *rec = ctx;
    return rec->inner.wait_irq(rec->inner.ctx, timeout_us);
}

void sk_rec_hal_init(sk_rec_hal *rec, const sk_hal *inner)
{
    *rec = (sk_rec_hal){.inner = *inner, .fail_at = -1};
}

void sk_rec_hal_as_hal(sk_rec_hal *rec, sk_hal *hal)
{
    *hal = (sk_hal){rec, rec_read32, rec_write32, rec_wait_irq};
}

void sk_rec_hal_clear(sk_rec_hal *rec)
{
    rec->count = 0;
}

void sk_rec_hal_free(sk_rec_hal *rec)
{
    free(rec->log);
    rec->log = NULL;
    rec->count = rec->cap = 0;
}

size_t sk_rec_hal_writes(const sk_rec_hal *rec, sk_rec_access *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < rec->count; i++) {
        if (rec->log[i].op != 'W')
            continue;
        if (n < cap)
            out[n] = rec->log[i];
        n++;
    }
    return n;
}
