/* test_drv_traffic.c — the driver's exact register traffic, recorded at the HAL.
 *
 * Every expected word below was worked out by hand from docs/regmap.md (register
 * offsets, descriptor layout, "How the host lays a model into the windows", "A run")
 * for the model of test_hand_model, never taken from the driver. The HAL under the
 * recorder is the C device model, so the recorded reads are what a device answers. */
#include "sk_drv_test_util.h"
#include "shiftkit/sk_regs.h"

typedef struct expect_write {
    uint32_t offset, value;
} expect_write;

static void assert_writes(const sk_rec_hal *rec, const expect_write *want, size_t n_want)
{
    sk_rec_access got[256];
    size_t n = sk_rec_hal_writes(rec, got, 256);
    for (size_t i = 0; i < n_want && i < n; i++)
        if (got[i].offset != want[i].offset || got[i].value != want[i].value)
            fail_msg("write %zu: got 0x%08x -> 0x%06x, want 0x%08x -> 0x%06x", i, got[i].value,
                     got[i].offset, want[i].value, want[i].offset);
    assert_int_equal(n, n_want);
}

/* Open: ID first, VERSION, SOFT_RESET, STATUS until idle, the eight build-parameter
 * registers, FEATURES (register map 1.1: CNN = 1 in the default build), then
 * IRQ_ENABLE.DONE (interrupt mode). */
static void test_open_traffic(void **state)
{
    (void)state;
    test_rig r;
    rig_open(&r, NULL, NULL);
    const sk_rec_access want[] = {
        {'R', 0x000, 0x534B4143}, {'R', 0x004, 0x00010001}, {'W', 0x008, 0x2},
        {'R', 0x010, 0},          {'R', 0x020, 8},          {'R', 0x024, 16384},
        {'R', 0x028, 8},          {'R', 0x02C, 2048},       {'R', 0x030, 2048},
        {'R', 0x034, 16384},      {'R', 0x038, 64},         {'R', 0x03C, 1},
        {'R', 0x04C, 0x1},        {'W', 0x00C, 0x1},
    };
    assert_int_equal(r.rec.count, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < r.rec.count; i++) {
        assert_int_equal(r.rec.log[i].op, want[i].op);
        assert_int_equal(r.rec.log[i].offset, want[i].offset);
        assert_int_equal(r.rec.log[i].value, want[i].value);
    }
    const sk_drv_info *info = sk_drv_get_info(r.drv);
    assert_int_equal(info->lanes, 8);
    assert_int_equal(info->weight_rows, 16384);
    assert_int_equal(info->max_batch, 1);
    assert_int_equal(info->features, SK_FEATURES_CNN_MASK);
    rig_close(&r);
}

/* Load: weights (rows of 8 lanes = 2 words), biases, per-channel shifts, descriptors,
 * NUM_LAYERS — each word exactly once, in that order. */
static const expect_write load_writes[] = {
    /* layer 0, W_BASE 0: block 0 (channels 0..7) rows 0..2; row k holds W[n][k] = 16k+n */
    {0x800000, 0x03020100}, {0x800004, 0x07060504},
    {0x800008, 0x13121110}, {0x80000C, 0x17161514},
    {0x800010, 0x23222120}, {0x800014, 0x27262524},
    /* block 1 (channels 8, 9 and six zero lanes) rows 3..5 */
    {0x800018, 0x00000908}, {0x80001C, 0x00000000},
    {0x800020, 0x00001918}, {0x800024, 0x00000000},
    {0x800028, 0x00002928}, {0x80002C, 0x00000000},
    /* layer 1, W_BASE 6: one block, rows 6..15; lane 0 = -(k+1), lane 1 = k+1 */
    {0x800030, 0x000001FF}, {0x800034, 0}, {0x800038, 0x000002FE}, {0x80003C, 0},
    {0x800040, 0x000003FD}, {0x800044, 0}, {0x800048, 0x000004FC}, {0x80004C, 0},
    {0x800050, 0x000005FB}, {0x800054, 0}, {0x800058, 0x000006FA}, {0x80005C, 0},
    {0x800060, 0x000007F9}, {0x800064, 0}, {0x800068, 0x000008F8}, {0x80006C, 0},
    {0x800070, 0x000009F7}, {0x800074, 0}, {0x800078, 0x00000AF6}, {0x80007C, 0},
    /* biases: layer 0 at entries 0..9 (n - 5), layer 1 at 10..11 */
    {0x010000, 0xFFFFFFFB}, {0x010004, 0xFFFFFFFC}, {0x010008, 0xFFFFFFFD},
    {0x01000C, 0xFFFFFFFE}, {0x010010, 0xFFFFFFFF}, {0x010014, 0x00000000},
    {0x010018, 0x00000001}, {0x01001C, 0x00000002}, {0x010020, 0x00000003},
    {0x010024, 0x00000004}, {0x010028, 0x12345678}, {0x01002C, 0xFFFFFFF9},
    /* per-channel shifts of layer 0 at SHIFT_BASE = BIAS_BASE = 0: 2..10, then -15 */
    {0x020000, 0x05040302}, {0x020004, 0x09080706}, {0x020008, 0x0000F10A},
    /* descriptor 0: K=3 N=10 | W_BASE 0 | BIAS/SHIFT_BASE 0 |
     * ROUND 3, OUT_BITS 8, OUT_SIGNED, IN_SIGNED, RELU, PER_CHANNEL */
    {0x001000, 0x000A0003}, {0x001004, 0x00000000}, {0x001008, 0x00000000},
    {0x00100C, 0x000178C0},
    /* descriptor 1: K=10 N=2 | W_BASE 6 | BIAS_BASE 10, SHIFT_BASE 10 |
     * SHIFT 8, ROUND 0, OUT_BITS 8, OUT_SIGNED, IN_SIGNED, RAW */
    {0x001010, 0x0002000A}, {0x001014, 0x00000006}, {0x001018, 0x000A000A},
    {0x00101C, 0x0000B808},
    {0x000014, 2}, /* NUM_LAYERS */
};

static void test_load_traffic(void **state)
{
    (void)state;
    test_rig r;
    rig_open(&r, NULL, NULL);
    sk_model m;
    test_hand_model(&m);
    sk_rec_hal_clear(&r.rec);
    sk_drv_load_report rep;
    sk_error err = {{0}};
    assert_int_equal(sk_drv_load_model(r.drv, &m, &rep, &err), SK_DRV_OK);
    assert_writes(&r.rec, load_writes, sizeof load_writes / sizeof load_writes[0]);
    /* 16 rows x 2 words + 12 biases + 3 shift words + 8 descriptor words */
    assert_int_equal(rep.model_words, 55);
    assert_int_equal(rep.words_written, 56); /* + NUM_LAYERS: each word once */
    assert_int_equal(rep.weight_rows, 16);
    assert_int_equal(rep.bias_entries, 12);
    assert_int_equal(rep.shift_entries, 10);
    assert_int_equal(rep.num_layers, 2);
    sk_model_free(&m);
    rig_close(&r);
}

/* Run one sample: STATUS (idle?), input into ACT0, START, wait, STATUS, IRQ_CLEAR,
 * output from ACT0 (two layers: even count), PERF_*. Outputs worked out by hand. */
static void test_run_traffic(void **state)
{
    (void)state;
    test_rig r;
    rig_open(&r, NULL, NULL);
    sk_model m;
    test_hand_model(&m);
    sk_error err = {{0}};
    assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_OK);
    sk_rec_hal_clear(&r.rec);

    const int32_t x[3] = {1, -2, 127};
    int32_t y[2] = {0, 0};
    sk_drv_perf perf;
    assert_int_equal(sk_drv_run(r.drv, x, 1, y, &perf, &err), SK_DRV_OK);
    /* layer 0: acc[n] = 127n + 4027, shifts 2+n (n<9) and -15, half_even, clamp to
     * 127: y0 = 127 127 127 127 71 36 19 10 5 127; layer 1 raw:
     * acc0 = 0x12345678 - sum (k+1) y0[k] = 305419896 - 3369, acc1 = -7 + 3369 */
    assert_int_equal(y[0], 305416527);
    assert_int_equal(y[1], 3362);

    const sk_rec_access want[] = {
        {'R', 0x010, 0},          {'W', 0x040000, 0x007FFE01}, {'W', 0x008, 0x1},
        {'R', 0x010, 0x2},        {'W', 0x008, 0x4},           {'R', 0x040000, 305416527},
        {'R', 0x040004, 3362},
    };
    assert_true(r.rec.count >= sizeof want / sizeof want[0] + 3);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(r.rec.log[i].op, want[i].op);
        assert_int_equal(r.rec.log[i].offset, want[i].offset);
        assert_int_equal(r.rec.log[i].value, want[i].value);
    }
    size_t p = sizeof want / sizeof want[0];
    assert_int_equal(r.rec.log[p].offset, 0x040);
    assert_int_equal(r.rec.log[p + 1].offset, 0x044);
    assert_int_equal(r.rec.log[p + 2].offset, 0x048);
    assert_int_equal(r.rec.count, p + 3);
    /* PERF_MACS counts sum K*N (docs/regmap.md): 3*10 + 10*2 */
    assert_int_equal(perf.macs, 50);
    assert_int_equal(perf.starts, 1);
    /* PERF_CYCLES = issue cycles + PERF_STALLS; issue = rows: 2 blocks*3 + 1 block*10 */
    assert_int_equal(perf.busy_cycles - perf.stall_cycles, 16);

    /* the same sample on the golden model */
    sk_tensor in = {0}, out = {0};
    assert_int_equal(sk_tensor_alloc2(&in, SK_DTYPE_INT8, 1, 3), SK_OK);
    memcpy(in.data, x, sizeof x);
    assert_int_equal(sk_infer(&m, &in, "x", &out, NULL, &err), SK_OK);
    assert_memory_equal(out.data, y, sizeof y);
    sk_tensor_free(&in);
    sk_tensor_free(&out);
    sk_model_free(&m);
    rig_close(&r);
}

/* Poll mode: no IRQ_ENABLE, and the run reads STATUS instead of waiting. */
static void test_poll_mode_traffic(void **state)
{
    (void)state;
    sk_drv_options opt;
    sk_drv_default_options(&opt);
    opt.wait_mode = SK_DRV_WAIT_POLL;
    test_rig r;
    rig_open(&r, NULL, &opt);
    assert_int_equal(r.rec.log[r.rec.count - 1].op, 'W');
    assert_int_equal(r.rec.log[r.rec.count - 1].offset, 0x00C);
    assert_int_equal(r.rec.log[r.rec.count - 1].value, 0); /* IRQ_ENABLE off */
    sk_model m;
    test_hand_model(&m);
    sk_error err = {{0}};
    assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_OK);
    const int32_t x[3] = {1, -2, 127};
    int32_t y[2];
    assert_int_equal(sk_drv_run(r.drv, x, 1, y, NULL, &err), SK_DRV_OK);
    assert_int_equal(y[0], 305416527);
    assert_int_equal(y[1], 3362);
    assert_false(sk_device_irq(r.dev));
    sk_model_free(&m);
    rig_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_traffic),
        cmocka_unit_test(test_load_traffic),
        cmocka_unit_test(test_run_traffic),
        cmocka_unit_test(test_poll_mode_traffic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
