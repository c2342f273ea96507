/* sk_internal.h — helpers shared by the golden library's sources; not installed. */
#ifndef SHIFTKIT_SK_INTERNAL_H
#define SHIFTKIT_SK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "shiftkit/sk_model.h"
#include "shiftkit/sk_status.h"

#if defined(__GNUC__) || defined(__clang__)
#define SK_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define SK_PRINTF(fmt, args)
#endif

/* Fill err (if not NULL) with a formatted message and return status. */
sk_status sk_fail(sk_error *err, sk_status status, const char *fmt, ...) SK_PRINTF(3, 4);

/* Read a whole file into a malloc'd buffer. */
sk_status sk_read_file(const char *path, uint8_t **data, size_t *size, sk_error *err);

/* Write a buffer to `path` atomically: a temporary file in the same directory,
 * fsync'd, then renamed over path. On failure nothing is left behind. */
sk_status sk_write_file_atomic(const char *path, const uint8_t *data, size_t size, sk_error *err);

/* Size in bytes of the .skm file of a model (docs/model-format.md). */
uint64_t sk_model_file_size(const sk_model *model);

/* Little-endian access. */
static inline uint32_t sk_get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint16_t sk_get_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}
static inline void sk_put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

#endif
