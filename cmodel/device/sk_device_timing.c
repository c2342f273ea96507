/* sk_device_timing.c — cycle estimate of the RTL schedule (sk_device_timing.h).
 *
 * Per layer, with B = ceil(N / LANES) output blocks (docs/regmap.md "Timing"):
 * the descriptor is fetched and checked, then each block issues one weight row per
 * cycle for K cycles while the previous block's accumulators drain through the shared
 * requant unit, one channel per cycle. A block with K < LANES + 3 waits for the
 * requant unit to free the accumulator shadow, so a block takes max(K, LANES + 3)
 * cycles; the last block's drain (LANES channels plus the pipeline) is not hidden. */
#include "sk_device_timing.h"

/* Constants of the RTL schedule (docs/regmap.md timing paragraph). */
#define SK_TIMING_DESC_CYCLES 8u     /* descriptor fetch and checks */
#define SK_TIMING_SHADOW_SLACK 3u    /* a block must last LANES + 3 cycles to free the shadow */
#define SK_TIMING_DRAIN_EXTRA 6u     /* requant pipeline and write-back after the last channel */
#define SK_TIMING_RUN_OVERHEAD 0u    /* start/done handshakes outside the layers */

uint64_t sk_timing_desc_cycles(uint32_t lanes)
{
    (void)lanes;
    return SK_TIMING_DESC_CYCLES;
}

uint64_t sk_timing_layer_issue_cycles(uint32_t lanes, uint32_t k, uint32_t n)
{
    uint64_t blocks = ((uint64_t)n + lanes - 1) / lanes;
    return blocks * k;
}

uint64_t sk_timing_layer_cycles(uint32_t lanes, uint32_t k, uint32_t n, bool raw)
{
    (void)raw;
    uint64_t blocks = ((uint64_t)n + lanes - 1) / lanes;
    uint64_t per_block = k > lanes + SK_TIMING_SHADOW_SLACK ? k : lanes + SK_TIMING_SHADOW_SLACK;
    return SK_TIMING_DESC_CYCLES + blocks * per_block + lanes + SK_TIMING_DRAIN_EXTRA;
}

uint64_t sk_timing_run_overhead(void)
{
    return SK_TIMING_RUN_OVERHEAD;
}
