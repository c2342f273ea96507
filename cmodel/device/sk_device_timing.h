/* sk_device_timing.h — the device model's cycle estimate: how many clock cycles the
 * RTL's sequencer spends on a run, following the schedule of docs/architecture.md
 * (and the timing paragraph of docs/regmap.md). `make perf-model` compares it with
 * the RTL's own PERF_CYCLES counter. */
#ifndef SHIFTKIT_SK_DEVICE_TIMING_H
#define SHIFTKIT_SK_DEVICE_TIMING_H

#include <stdbool.h>
#include <stdint.h>

/* Cycles the sequencer spends fetching and checking one descriptor. */
uint64_t sk_timing_desc_cycles(uint32_t lanes);

/* Cycles of one dense layer K x N that passed its descriptor checks, descriptor
 * fetch included. */
uint64_t sk_timing_layer_cycles(uint32_t lanes, uint32_t k, uint32_t n, bool raw);

/* Cycles the lanes issue MACs in that layer (one weight row per cycle). */
uint64_t sk_timing_layer_issue_cycles(uint32_t lanes, uint32_t k, uint32_t n);

/* Fixed cycles of a run besides its layers (start and end handshakes). */
uint64_t sk_timing_run_overhead(void);

#endif
