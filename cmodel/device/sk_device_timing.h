/* sk_device_timing.h — the device model's cycle estimate: the clock cycles the RTL's
 * sequencer (rtl/sk_core.v) spends on a run, from its schedule as documented in
 * docs/architecture.md and docs/regmap.md "Timing". `make perf-model` compares the
 * estimate with the RTL's own PERF_CYCLES counter. */
#ifndef SHIFTKIT_SK_DEVICE_TIMING_H
#define SHIFTKIT_SK_DEVICE_TIMING_H

#include <stdint.h>

/* Channel i (0-based) of a block enters the requant unit SK_TIMING_POP_DELAY + i
 * cycles after the block's last tap issued: 2 cycles to the accumulator shadow, then
 * one channel per cycle. */
#define SK_TIMING_POP_DELAY 3u

/* A channel's output is written this many cycles after it entered the requant unit
 * (rtl/sk_requant.v stages). */
#define SK_TIMING_REQUANT_STAGES 6u

/* A per-channel shift outside -16..31 stops the run this many cycles after its channel
 * entered the requant unit (rtl/sk_requant.v checks it in stage 1 and reports it from
 * a register a cycle later). */
#define SK_TIMING_SHIFT_ERR_DELAY 2u

/* Cycles one layer K x N takes, from its descriptor fetch to the cycle its last
 * output leaves the requant unit. */
uint64_t sk_timing_layer_cycles(uint32_t lanes, uint32_t k, uint32_t n);

/* Cycles of a layer whose descriptor check fails (fetch and check only). */
uint64_t sk_timing_check_cycles(void);

/* Cycles one EXT layer takes (docs/regmap.md "Timing"), from the fetch of its
 * descriptor and extension to its end: `pixels` times the same ceil(n / group_lanes)
 * groups of `taps` taps each, group g holding min(group_lanes, n - g*group_lanes)
 * channels. group_lanes is LANES for dense and conv2d, 1 for the one-channel kinds
 * (depthwise conv2d, pooling, add); pixels is OH*OW, 1 for add. */
uint64_t sk_timing_ext_layer_cycles(uint32_t group_lanes, uint64_t taps, uint64_t pixels,
                                    uint32_t n);

/* Cycles of an EXT layer whose check fails (fetch of both descriptors and check). */
uint64_t sk_timing_ext_check_cycles(void);

/* Cycles from a block's last tap to the next block's last tap: max(T, 3, a), where a
 * is the first block's channel count (it must leave the accumulator shadow first). */
uint64_t sk_timing_block_cycles(uint64_t taps, uint32_t prev_channels);

/* The one cycle of a run that reports its end (state DONE). */
uint64_t sk_timing_done_cycles(void);

#endif
