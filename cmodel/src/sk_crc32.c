/* sk_crc32.c — CRC-32 (IEEE 802.3, reflected, as zlib's crc32) for .skm payloads. */
#include "shiftkit/sk_model.h"

uint32_t sk_crc32(uint32_t crc, const void *data, size_t size)
{
    const uint8_t *p = data;
    crc = ~crc;
    for (size_t i = 0; i < size; i++) {
        crc ^= p[i];
        for (int bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ (UINT32_C(0xEDB88320) & (0u - (crc & 1u)));
    }
    return ~crc;
}
