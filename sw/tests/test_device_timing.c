/* test_device_timing.c — the device model's cycle estimate (docs/regmap.md "Timing"
 * formula) against two independent references:
 *  - the worked example of docs/regmap.md: 64x64 at LANES 8 takes 536 cycles with 24
 *    stalls, read from the model's PERF_CYCLES / PERF_STALLS registers;
 *  - a cycle-by-cycle model of the control logic of rtl/sk_core.v's sequencer
 *    (issue, shadow hand-over, drain, requant pipeline; no datapath), written here
 *    from the RTL source, swept over LANES 1..64, K 1..70 and N 1..200.
 * `make perf-model` compares the model with the RTL's own counter as well. */
#include <stdbool.h>

#include "sk_drv_test_util.h"
#include "sk_device_timing.h"
#include "shiftkit/sk_regs.h"

/* Cycles of one layer on the sequencer of rtl/sk_core.v, cycle by cycle: StFetch
 * (fetch 0..4), StCheck, then StRun until layer_end. In StRun: issue when not done and
 * (not the last tap, or the shadow chain is free: nothing in flight and at most 3
 * lanes left to pop); a last tap reaches the shadow (mac_load) 2 cycles after issue
 * and sets the drain count; one lane pops per cycle into a 6-stage requant pipeline;
 * layer_end = all issued, nothing in flight, nothing to pop, requant empty. */
static uint64_t reference_layer_cycles(uint32_t lanes, uint32_t k, uint32_t n)
{
    uint32_t tap = 0, n0 = 0, inflight_cnt = 0, drain_left = 0;
    bool issue_done = false, inflight = false;
    uint32_t last_pipe = 0; /* bit i: a last tap issued i+1 cycles ago */
    uint32_t requant = 0;   /* bit i: a channel popped i+1 cycles ago */
    for (uint64_t cycle = 1;; cycle++) {
        bool tap_last = tap == k - 1;
        uint32_t n_left = n - n0, active = n_left < lanes ? n_left : lanes;
        bool shadow_ok = !inflight && drain_left <= 3;
        bool issue = !issue_done && (!tap_last || shadow_ok);
        bool pop = drain_left != 0;
        bool mac_load = (last_pipe >> 1) & 1u;
        if (issue_done && !inflight && !pop && requant == 0)
            return 5 + 1 + cycle; /* fetch, check, run */
        if (pop)
            drain_left--;
        if (mac_load) {
            drain_left = inflight_cnt;
            inflight = false;
        }
        if (issue && tap_last) {
            tap = 0;
            n0 += lanes;
            inflight = true;
            inflight_cnt = active;
            issue_done = n_left <= lanes;
        } else if (issue) {
            tap++;
        }
        last_pipe = (last_pipe << 1 | (uint32_t)(issue && tap_last)) & 3u;
        requant = (requant << 1 | (uint32_t)pop) & 63u; /* sk_requant.v: 6 stages */
    }
}

static void test_against_sequencer_reference(void **state)
{
    (void)state;
    unsigned checked = 0;
    for (uint32_t lanes = 1; lanes <= 64; lanes++)
        for (uint32_t k = 1; k <= 70; k++)
            for (uint32_t n = 1; n <= 200; n += n < 20 ? 1 : 7) {
                uint64_t want = reference_layer_cycles(lanes, k, n);
                uint64_t got = sk_timing_layer_cycles(lanes, k, n);
                if (got != want)
                    fail_msg("LANES %u K %u N %u: model %llu cycles, sequencer %llu", lanes, k,
                             n, (unsigned long long)got, (unsigned long long)want);
                checked++;
            }
    assert_true(checked > 200000);
}

/* docs/regmap.md: "64x64 at L = 8 takes 536 cycles (24 stalls), utilization 0.955". */
static void test_regmap_worked_example(void **state)
{
    (void)state;
    test_rig r;
    rig_open(&r, NULL, NULL);
    sk_model m;
    test_dense_model(&m, 64, 64);
    int32_t x[64] = {0}, y[64];
    sk_drv_perf perf;
    sk_error err = {{0}};
    assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_OK);
    assert_int_equal(sk_drv_run(r.drv, x, 1, y, &perf, &err), SK_DRV_OK);
    assert_int_equal(perf.busy_cycles, 536);
    assert_int_equal(perf.stall_cycles, 24);
    assert_int_equal(perf.macs, 4096);
    sk_model_free(&m);
    rig_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_sequencer_reference),
        cmocka_unit_test(test_regmap_worked_example),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
