/* sk_device_timing.c — cycle estimate of the RTL schedule (sk_device_timing.h), the
 * formula of docs/regmap.md "Timing" for the sequencer of rtl/sk_core.v:
 *
 *   a layer K x N with B = ceil(N / LANES) blocks, block b holding
 *   a_b = min(LANES, N - b*LANES) channels, costs
 *     6                                  descriptor fetch (5) and check (1)
 *   + K                                  block 0 issues one weight row per cycle
 *   + sum_{b=1}^{B-1} max(K, 3, a_{b-1}) a later block's last row waits until the
 *                                        previous block has (almost) drained from the
 *                                        accumulator shadow, one channel per cycle
 *   + a_{B-1} + 9                        the last block: 2 cycles to the shadow, a
 *                                        drain cycles, 6 requant stages, the layer end
 *   and a run adds one DONE cycle.
 *
 * sw/tests/test_device_timing.c checks this against a cycle-by-cycle model of the
 * sequencer's control logic; `make perf-model` against the RTL's own counter. */
#include "sk_device_timing.h"

#define FETCH_CHECK_CYCLES 6u /* StFetch (5) + StCheck (1) */
#define MIN_BLOCK_CYCLES 3u   /* a block never takes fewer (shadow hand-over) */
#define LAST_BLOCK_EXTRA 9u   /* to the shadow (2) + requant stages (6) + layer end (1) */
#define DONE_CYCLES 1u        /* StDone */

static uint32_t block_channels(uint32_t lanes, uint32_t n, uint32_t b)
{
    uint32_t left = n - b * lanes;
    return left < lanes ? left : lanes;
}

uint64_t sk_timing_layer_cycles(uint32_t lanes, uint32_t k, uint32_t n)
{
    uint32_t blocks = (uint32_t)(((uint64_t)n + lanes - 1) / lanes);
    uint64_t cycles = FETCH_CHECK_CYCLES + (uint64_t)k;
    for (uint32_t b = 1; b < blocks; b++) {
        uint64_t block = k, prev = block_channels(lanes, n, b - 1);
        if (block < MIN_BLOCK_CYCLES)
            block = MIN_BLOCK_CYCLES;
        if (block < prev)
            block = prev;
        cycles += block;
    }
    return cycles + block_channels(lanes, n, blocks - 1) + LAST_BLOCK_EXTRA;
}

uint64_t sk_timing_check_cycles(void)
{
    return FETCH_CHECK_CYCLES;
}

uint64_t sk_timing_layer_issue_cycles(uint32_t lanes, uint32_t k, uint32_t n)
{
    uint64_t blocks = ((uint64_t)n + lanes - 1) / lanes;
    return blocks * k;
}

uint64_t sk_timing_done_cycles(void)
{
    return DONE_CYCLES;
}
