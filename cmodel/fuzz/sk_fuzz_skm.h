/* sk_fuzz_skm.h — shared by the .skm fuzz harnesses (cmodel/fuzz, sw/fuzz).
 *
 * A random payload almost never carries a matching CRC, which would stop a fuzzer
 * at the header; the harnesses also try each input with payload_size and CRC
 * patched to match (docs/model-format.md header), so mutations reach every payload
 * check. */
#ifndef SHIFTKIT_SK_FUZZ_SKM_H
#define SHIFTKIT_SK_FUZZ_SKM_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shiftkit/sk_model.h"

/* A malloc'd copy of data with payload_size and payload_crc32 made consistent, or
 * NULL if the input is shorter than the header (or memory runs out). */
static inline uint8_t *sk_fuzz_with_matching_crc(const uint8_t *data, size_t size)
{
    if (size < SK_MODEL_HEADER_SIZE)
        return NULL;
    uint8_t *patched = malloc(size);
    if (!patched)
        return NULL;
    memcpy(patched, data, size);
    const uint32_t payload = (uint32_t)(size - SK_MODEL_HEADER_SIZE);
    const uint32_t crc = sk_crc32(0, patched + SK_MODEL_HEADER_SIZE, payload);
    for (int i = 0; i < 4; i++) {
        patched[12 + i] = (uint8_t)(payload >> (8 * i));
        patched[16 + i] = (uint8_t)(crc >> (8 * i));
    }
    return patched;
}

#endif
