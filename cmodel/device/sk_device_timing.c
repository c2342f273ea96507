/* sk_device_timing.c — cycle estimate of the RTL schedule (sk_device_timing.h), the
 * formula of docs/regmap.md "Timing" for the sequencer of rtl/sk_core.v:
 *
 *   a layer of J blocks of T taps (a dense layer: B = ceil(N / LANES) blocks of K
 *   weight rows), block j holding a_j channels, costs
 *     F                                  descriptor fetch and check: 6, or 14 with
 *                                        the 12-word extension (EXT)
 *   + T                                  block 0 issues one tap per cycle
 *   + sum_{j=1}^{J-1} max(T, 3, a_{j-1}) a later block's last tap waits until the
 *                                        previous block has (almost) drained from the
 *                                        accumulator shadow, one channel per cycle
 *   + a_{J-1} + 9                        the last block: 2 cycles to the shadow, a
 *                                        drain cycles, 6 requant stages, the layer end
 *   and a run adds one DONE cycle.
 *
 * An EXT layer's blocks are its groups repeated for every output pixel, so the sum
 * has a closed form: every group but the last holds group_lanes channels.
 *
 * sw/tests/test_device_timing.c checks this against a cycle-by-cycle model of the
 * sequencer's control logic; `make perf-model` against the RTL's own counter. */
#include "sk_device_timing.h"

#define FETCH_CHECK_CYCLES 6u     /* StFetch (5) + StCheck (1) */
#define EXT_FETCH_CHECK_CYCLES 14u /* fetch of descriptor and extension (13) + check (1) */
#define MIN_BLOCK_CYCLES 3u       /* a block never takes fewer (shadow hand-over) */
#define LAST_BLOCK_EXTRA 9u       /* to the shadow (2) + requant stages (6) + layer end (1) */
#define DONE_CYCLES 1u            /* StDone */

uint64_t sk_timing_block_cycles(uint64_t taps, uint32_t prev_channels)
{
    uint64_t block = taps < MIN_BLOCK_CYCLES ? MIN_BLOCK_CYCLES : taps;
    return block < prev_channels ? prev_channels : block;
}

/* From the first tap to the layer end: `pixels` repeats of ceil(n / lanes) blocks of
 * `taps` taps. Blocks b of a repeat but the last hold `lanes` channels, so the sum of
 * max(T, 3, a_{j-1}) over every block j > 0 is pixels * (groups - 1) such terms for
 * the full blocks plus (pixels - 1) for the last block of every repeat but the last. */
static uint64_t blocks_cycles(uint32_t lanes, uint64_t taps, uint64_t pixels, uint32_t n)
{
    uint64_t groups = ((uint64_t)n + lanes - 1) / lanes;
    uint32_t last = n - (uint32_t)(groups - 1) * lanes;
    return taps + pixels * (groups - 1) * sk_timing_block_cycles(taps, lanes) +
           (pixels - 1) * sk_timing_block_cycles(taps, last) + last + LAST_BLOCK_EXTRA;
}

uint64_t sk_timing_layer_cycles(uint32_t lanes, uint32_t k, uint32_t n)
{
    return FETCH_CHECK_CYCLES + blocks_cycles(lanes, k, 1, n);
}

uint64_t sk_timing_check_cycles(void)
{
    return FETCH_CHECK_CYCLES;
}

uint64_t sk_timing_ext_layer_cycles(uint32_t group_lanes, uint64_t taps, uint64_t pixels,
                                    uint32_t n)
{
    return EXT_FETCH_CHECK_CYCLES + blocks_cycles(group_lanes, taps, pixels, n);
}

uint64_t sk_timing_ext_check_cycles(void)
{
    return EXT_FETCH_CHECK_CYCLES;
}

uint64_t sk_timing_done_cycles(void)
{
    return DONE_CYCLES;
}
