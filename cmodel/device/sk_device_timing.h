/* sk_device_timing.h — the device model's cycle estimate: the clock cycles the RTL's
 * sequencer (rtl/sk_core.v) spends on a run, from its schedule as documented in
 * docs/architecture.md and docs/regmap.md "Timing". `make perf-model` compares the
 * estimate with the RTL's own PERF_CYCLES counter. */
#ifndef SHIFTKIT_SK_DEVICE_TIMING_H
#define SHIFTKIT_SK_DEVICE_TIMING_H

#include <stdint.h>

/* Cycles one layer K x N takes, from its descriptor fetch to the cycle its last
 * output leaves the requant unit. */
uint64_t sk_timing_layer_cycles(uint32_t lanes, uint32_t k, uint32_t n);

/* Cycles of a layer whose descriptor check fails (fetch and check only). */
uint64_t sk_timing_check_cycles(void);

/* Cycles the lanes issue weight rows in a layer: ceil(N / LANES) * K. */
uint64_t sk_timing_layer_issue_cycles(uint32_t lanes, uint32_t k, uint32_t n);

/* The one cycle of a run that reports its end (state DONE). */
uint64_t sk_timing_done_cycles(void);

#endif
