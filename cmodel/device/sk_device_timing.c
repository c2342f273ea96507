/* sk_device_timing.c — cycle estimate of the RTL schedule (sk_device_timing.h).
 *
 * The sequencer of rtl/sk_core.v spends, per layer: FETCH_CYCLES reading the 4-word
 * descriptor, one cycle checking it, then the RUN phase: block b of ceil(N/LANES)
 * issues one weight row per cycle for K cycles; the last tap of a block reaches the
 * shadow chain MAC_LATENCY cycles after it issued and may only issue once the chain is
 * free (nothing in flight, at most SHADOW_SLACK lanes left to drain); the chain drains
 * one channel per cycle into the requant unit, whose pipeline is REQUANT_DEPTH deep;
 * the layer ends in the first cycle with nothing issuing, in flight, draining or in
 * the requant pipeline. A run ends with one DONE cycle.
 *
 * The run phase is evaluated as the sequencer's control state machine, cycle by cycle
 * (no datapath), which is exact for any K, N, LANES and costs O(cycles). */
#include <stdbool.h>

#include "sk_device_timing.h"

#define FETCH_CYCLES 5u   /* StFetch: address + 4 data cycles */
#define CHECK_CYCLES 1u   /* StCheck */
#define DONE_CYCLES 1u    /* StDone */
#define MAC_LATENCY 2u    /* issue -> RAM output -> product: shadow load 2 cycles later */
#define SHADOW_SLACK 3u   /* lanes that may still drain when a last tap issues */
#define REQUANT_DEPTH 4u  /* requant stages a channel occupies after its pop */

static uint64_t run_phase_cycles(uint32_t lanes, uint32_t k, uint32_t n)
{
    uint32_t tap = 0, n0 = 0, inflight_cnt = 0, drain_left = 0;
    bool issue_done = false, inflight = false;
    uint32_t last_pipe = 0;  /* bit i: a last tap issued i+1 cycles ago */
    uint32_t requant = 0;    /* bit i: a channel popped i+1 cycles ago */
    for (uint64_t cycle = 1;; cycle++) {
        bool tap_last = tap == k - 1;
        uint32_t n_left = n - n0, active = n_left < lanes ? n_left : lanes;
        bool shadow_ok = !inflight && drain_left <= SHADOW_SLACK;
        bool issue = !issue_done && (!tap_last || shadow_ok);
        bool pop = drain_left != 0;
        bool mac_load = (last_pipe >> (MAC_LATENCY - 1)) & 1u;
        bool layer_end = issue_done && !inflight && !pop && requant == 0;
        if (layer_end)
            return cycle;
        if (pop)
            drain_left--;
        if (mac_load) {
            drain_left = inflight_cnt;
            inflight = false;
        }
        if (issue) {
            if (tap_last) {
                tap = 0;
                n0 += lanes;
                inflight = true;
                inflight_cnt = active;
                if (n_left <= lanes)
                    issue_done = true;
            } else {
                tap++;
            }
        }
        last_pipe = (last_pipe << 1 | (uint32_t)(issue && tap_last)) & ((1u << MAC_LATENCY) - 1);
        requant = (requant << 1 | (uint32_t)pop) & ((1u << REQUANT_DEPTH) - 1);
    }
}

uint64_t sk_timing_layer_cycles(uint32_t lanes, uint32_t k, uint32_t n)
{
    return FETCH_CYCLES + CHECK_CYCLES + run_phase_cycles(lanes, k, n);
}

uint64_t sk_timing_check_cycles(void)
{
    return FETCH_CYCLES + CHECK_CYCLES;
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
