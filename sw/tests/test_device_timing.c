/* test_device_timing.c — the device model's cycle estimate (docs/regmap.md "Timing"
 * formula) against two independent references:
 *  - the worked examples of docs/regmap.md: 64x64 at LANES 8 takes 536 cycles with 24
 *    stalls; the 3x3 conv2d 16 to 16 channels, padding 1, on a 14x14 map at LANES 8
 *    issues 392 blocks of 144 taps in a 56480-cycle run with 451584 MACs; read from
 *    the model's PERF_CYCLES / PERF_MACS / PERF_STALLS registers;
 *  - a cycle-by-cycle model of the control logic of rtl/sk_core.v's sequencer
 *    (issue, shadow hand-over, drain, requant pipeline; no datapath), written here
 *    from the RTL source: any sequence of blocks of T taps with a_j channels, swept
 *    for dense layers over LANES 1..64, K 1..70 and N 1..200, and for EXT layers (13
 *    fetch cycles, the groups of a pixel repeated for every output pixel, one-channel
 *    blocks) over LANES, T, pixels and N, and for whole EXT runs on the device model.
 * `make perf-model` compares the model with the RTL's own counter as well. */
#include <stdbool.h>

#include "sk_drv_test_util.h"
#include "sk_dev_ext_util.h"
#include "sk_device_timing.h"
#include "shiftkit/sk_regs.h"

/* Cycles of one layer on the sequencer of rtl/sk_core.v, cycle by cycle: StFetch
 * (`fetch` - 1 cycles: 5, or 13 with the extension words), StCheck, then StRun until
 * layer_end. In StRun: issue when not done and (not the last tap, or the shadow chain
 * is free: nothing in flight and at most 3 lanes left to pop); a last tap reaches the
 * shadow (mac_load) 2 cycles after issue and sets the drain count to its block's
 * channels; one lane pops per cycle into a 6-stage requant pipeline; layer_end = all
 * issued, nothing in flight, nothing to pop, requant empty. Blocks j = 0..blocks-1 of
 * `taps` taps each hold active[j] channels. */
static uint64_t reference_blocks_cycles(uint32_t fetch, uint64_t taps, const uint32_t *active,
                                        size_t blocks)
{
    uint64_t tap = 0;
    size_t block = 0;
    uint32_t inflight_cnt = 0, drain_left = 0;
    bool issue_done = false, inflight = false;
    uint32_t last_pipe = 0; /* bit i: a last tap issued i+1 cycles ago */
    uint32_t requant = 0;   /* bit i: a channel popped i+1 cycles ago */
    for (uint64_t cycle = 1;; cycle++) {
        bool tap_last = tap == taps - 1;
        bool shadow_ok = !inflight && drain_left <= 3;
        bool issue = !issue_done && (!tap_last || shadow_ok);
        bool pop = drain_left != 0;
        bool mac_load = (last_pipe >> 1) & 1u;
        if (issue_done && !inflight && !pop && requant == 0)
            return fetch + cycle; /* fetch, check, run */
        if (pop)
            drain_left--;
        if (mac_load) {
            drain_left = inflight_cnt;
            inflight = false;
        }
        if (issue && tap_last) {
            tap = 0;
            inflight = true;
            inflight_cnt = active[block++];
            issue_done = block == blocks;
        } else if (issue) {
            tap++;
        }
        last_pipe = (last_pipe << 1 | (uint32_t)(issue && tap_last)) & 3u;
        requant = (requant << 1 | (uint32_t)pop) & 63u; /* sk_requant.v: 6 stages */
    }
}

/* A layer of `pixels` repeats of the groups of n channels, `per_group` at a time. */
static uint64_t reference_layer(uint32_t fetch, uint32_t per_group, uint64_t taps,
                                uint64_t pixels, uint32_t n)
{
    const uint32_t groups = (n + per_group - 1) / per_group;
    const size_t blocks = (size_t)(pixels * groups);
    uint32_t *active = malloc(blocks * sizeof *active);
    assert_non_null(active);
    for (size_t j = 0; j < blocks; j++) {
        uint32_t left = n - (uint32_t)(j % groups) * per_group;
        active[j] = left < per_group ? left : per_group;
    }
    uint64_t cycles = reference_blocks_cycles(fetch, taps, active, blocks);
    free(active);
    return cycles;
}

static uint64_t reference_layer_cycles(uint32_t lanes, uint32_t k, uint32_t n)
{
    return reference_layer(6, lanes, k, 1, n);
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

/* EXT layers: the formula in O(1) per layer (sk_timing_ext_layer_cycles) against the
 * cycle-by-cycle sequencer over every block in issue order. */
static void test_ext_against_sequencer_reference(void **state)
{
    (void)state;
    static const uint32_t lanes_set[] = {1, 2, 3, 5, 8, 13, 64};
    static const uint64_t taps_set[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 33};
    unsigned checked = 0;
    for (size_t li = 0; li < sizeof lanes_set / sizeof lanes_set[0]; li++)
        for (int one_channel = 0; one_channel < 2; one_channel++)
            for (size_t ti = 0; ti < sizeof taps_set / sizeof taps_set[0]; ti++)
                for (uint64_t pixels = 1; pixels <= 5; pixels++)
                    for (uint32_t n = 1; n <= 37; n += n < 20 ? 1 : 17) {
                        uint32_t per_group = one_channel ? 1 : lanes_set[li];
                        uint64_t taps = taps_set[ti];
                        uint64_t want = reference_layer(14, per_group, taps, pixels, n);
                        uint64_t got = sk_timing_ext_layer_cycles(per_group, taps, pixels, n);
                        if (got != want)
                            fail_msg("group lanes %u T %llu pixels %llu N %u: model %llu, "
                                     "sequencer %llu", per_group, (unsigned long long)taps,
                                     (unsigned long long)pixels, n, (unsigned long long)got,
                                     (unsigned long long)want);
                        checked++;
                    }
    assert_true(checked > 15000);
}

/* A model on the default build (LANES 8 unless given), one run of one sample. */
static sk_device *run_ext(const sk_model *m, uint32_t lanes)
{
    sk_device_config cfg;
    sk_device_default_config(&cfg);
    cfg.lanes = lanes;
    sk_hal hal;
    sk_device *dev = test_device(&cfg, &hal);
    xt_plan plan;
    xt_plan_apart(m, cfg.act_bytes, 1, &plan);
    size_t count = sk_shape_size(sk_model_in_shape(m));
    int32_t *x = calloc(count, sizeof *x);
    assert_non_null(x);
    for (size_t j = 0; j < count; j++)
        x[j] = (int32_t)(j * 7 % 11) - 5;
    (void)xt_check_golden(dev, m, &plan, x, 1, "timing");
    free(x);
    return dev;
}

static void conv_layer(sk_model *m, uint32_t i, sk_shape in, uint32_t cout, uint32_t k,
                       uint32_t stride, uint32_t pad, bool depthwise)
{
    sk_layer *l = &m->layers[i];
    uint32_t taps = k * k * (depthwise ? 1 : in.c);
    assert_int_equal(sk_layer_alloc(l, taps, depthwise ? in.c : cout, false), SK_OK);
    l->kind = SK_LAYER_CONV2D;
    l->w_bits = 8;
    l->geom = (sk_geometry){.in_h = in.h, .in_w = in.w, .in_c = in.c, .kernel_h = k,
                            .kernel_w = k, .stride_h = stride, .stride_w = stride,
                            .pad_top = pad, .pad_left = pad, .pad_bottom = pad,
                            .pad_right = pad, .groups = depthwise ? in.c : 1};
    for (size_t j = 0; j < (size_t)l->n * l->k; j++)
        l->weights[j] = (int8_t)((int)(j % 7) - 3);
    l->out = (sk_qtype){8, true};
    l->out_exp = (int8_t)(sk_layer_in_exp(m, i) + 4);
    l->w_exp[0] = 0;
}

/* docs/regmap.md: "a 3x3 conv2d, 16 to 16 channels, padding 1, on a 14x14 map at L = 8
 * issues 392 blocks of 144 taps in 56479 cycles (a run of it alone: 56480),
 * utilization 451584 / (56480 * 8)" */
static void test_ext_regmap_worked_example(void **state)
{
    (void)state;
    sk_model m;
    assert_int_equal(sk_model_init(&m, 1), SK_OK);
    m.in = (sk_qtype){8, true};
    conv_layer(&m, 0, (sk_shape){14, 14, 16}, 16, 3, 1, 1, false);
    sk_device *dev = run_ext(&m, 8);
    assert_int_equal(xt_rd(dev, SK_REG_PERF_CYCLES), 56480);
    assert_int_equal(xt_rd(dev, SK_REG_PERF_MACS), 451584);
    assert_int_equal(xt_rd(dev, SK_REG_PERF_STALLS), 56480 - 392 * 144);
    assert_int_equal(sk_timing_ext_layer_cycles(8, 144, 196, 16), 56479);
    sk_device_free(dev);
    sk_model_free(&m);
}

/* Whole EXT runs on the device model: PERF_CYCLES = 1 + each layer on the reference
 * sequencer, PERF_MACS = active lanes summed over every tap, PERF_STALLS = cycles
 * that issued no tap. Blocks are derived here from the layer shapes (regmap.md: groups
 * of LANES channels for dense and conv2d, one channel for depthwise, pools and add;
 * add is one pixel of N = H*W*C elements and T = 2). */
static void test_ext_device_runs(void **state)
{
    (void)state;
    static const uint32_t lanes_set[] = {8, 3, 1, 64};
    for (size_t li = 0; li < sizeof lanes_set / sizeof lanes_set[0]; li++) {
        const uint32_t lanes = lanes_set[li];
        sk_model m;
        assert_int_equal(sk_model_init(&m, 6), SK_OK);
        m.in = (sk_qtype){8, true};
        conv_layer(&m, 0, (sk_shape){7, 6, 3}, 11, 3, 2, 1, false);   /* 4x3x11 */
        conv_layer(&m, 1, (sk_shape){4, 3, 11}, 11, 3, 1, 1, true);   /* depthwise */
        sk_layer *p = &m.layers[2];                                   /* maxpool 2x2 */
        p->kind = SK_LAYER_MAXPOOL;
        p->n = 11;
        p->geom = (sk_geometry){.in_h = 4, .in_w = 3, .in_c = 11, .kernel_h = 2, .kernel_w = 2,
                                .stride_h = 1, .stride_w = 1};
        p->out = m.layers[1].out;
        p->out_exp = m.layers[1].out_exp;
        sk_layer *a = &m.layers[3];                                   /* add of layer 2 */
        a->kind = SK_LAYER_ADD;
        a->n = 11;
        a->geom = (sk_geometry){.in_h = 3, .in_w = 2, .in_c = 11, .src = 2};
        a->out = (sk_qtype){8, true};
        a->out_exp = (int8_t)(p->out_exp + 1);
        sk_layer *v = &m.layers[4];                                   /* avgpool 1x2 */
        v->kind = SK_LAYER_AVGPOOL;
        v->n = 11;
        v->geom = (sk_geometry){.in_h = 3, .in_w = 2, .in_c = 11, .kernel_h = 1, .kernel_w = 2,
                                .stride_h = 1, .stride_w = 1};
        v->out = (sk_qtype){8, true};
        v->out_exp = (int8_t)(a->out_exp + 1);
        sk_layer *d = &m.layers[5];                                   /* dense 33 -> 9 */
        assert_int_equal(sk_layer_alloc(d, 33, 9, false), SK_OK);
        d->w_bits = 8;
        d->out = (sk_qtype){8, true};
        d->raw_output = true;
        sk_device *dev = run_ext(&m, lanes);
        const uint64_t cycles = 1 + reference_layer(14, lanes, 27, 12, 11) +
                                reference_layer(14, 1, 9, 12, 11) +
                                reference_layer(14, 1, 4, 6, 11) +
                                reference_layer(14, 1, 2, 1, 66) +
                                reference_layer(14, 1, 2, 3, 11) +
                                reference_layer(14, lanes, 33, 1, 9);
        const uint64_t macs = 12 * 27 * 11 + 12 * 9 * 11 + 6 * 4 * 11 + 66 * 2 + 3 * 2 * 11 +
                              33 * 9;
        const uint64_t groups0 = (11 + lanes - 1) / lanes, groups5 = (9 + lanes - 1) / lanes;
        const uint64_t issued = 12 * groups0 * 27 + 12 * 11 * 9 + 6 * 11 * 4 + 66 * 2 +
                                3 * 11 * 2 + groups5 * 33;
        assert_int_equal(xt_rd(dev, SK_REG_PERF_CYCLES), cycles);
        assert_int_equal(xt_rd(dev, SK_REG_PERF_MACS), macs);
        assert_int_equal(xt_rd(dev, SK_REG_PERF_STALLS), cycles - issued);
        sk_device_free(dev);
        sk_model_free(&m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_sequencer_reference),
        cmocka_unit_test(test_regmap_worked_example),
        cmocka_unit_test(test_ext_against_sequencer_reference),
        cmocka_unit_test(test_ext_regmap_worked_example),
        cmocka_unit_test(test_ext_device_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
