/* test_device_model.c — the C device model against docs/regmap.md, at the register
 * level (no driver): reset values, build parameters, SLVERR rules, read-only and
 * write-only registers, weight-row padding bytes, CTRL pulses and their order,
 * START_REFUSED, IRQ = DONE & IRQ_ENABLE, every descriptor error code, the
 * ping-pong buffers, and the perf-counter identities the map states. */
#include "sk_drv_test_util.h"
#include "shiftkit/sk_regs.h"

static uint32_t rd(sk_device *dev, uint32_t offset)
{
    uint32_t v = 0xDEADBEEF;
    if (sk_device_read32(dev, offset, &v) != 0)
        fail_msg("read of 0x%06x: SLVERR", offset);
    return v;
}

static void wr(sk_device *dev, uint32_t offset, uint32_t value)
{
    if (sk_device_write32(dev, offset, value) != 0)
        fail_msg("write of 0x%06x: SLVERR", offset);
}

static sk_device *make(uint32_t lanes)
{
    sk_device_config cfg;
    sk_device_default_config(&cfg);
    cfg.lanes = lanes;
    sk_hal hal;
    return test_device(&cfg, &hal);
}

static void test_reset_values_and_params(void **state)
{
    (void)state;
    sk_device *dev = make(8);
    assert_int_equal(rd(dev, SK_REG_ID), 0x534B4143);
    assert_int_equal(rd(dev, SK_REG_VERSION), 0x00010000);
    assert_int_equal(rd(dev, SK_REG_CTRL), 0);
    assert_int_equal(rd(dev, SK_REG_IRQ_ENABLE), 0);
    assert_int_equal(rd(dev, SK_REG_STATUS), 0);
    assert_int_equal(rd(dev, SK_REG_NUM_LAYERS), 1);
    assert_int_equal(rd(dev, SK_REG_LANES), 8);
    assert_int_equal(rd(dev, SK_REG_WEIGHT_ROWS), 16384);
    assert_int_equal(rd(dev, SK_REG_WEIGHT_ROW_BYTES), 8);
    assert_int_equal(rd(dev, SK_REG_BIAS_DEPTH), 2048);
    assert_int_equal(rd(dev, SK_REG_SHIFT_DEPTH), 2048);
    assert_int_equal(rd(dev, SK_REG_ACT_BYTES), 2048);
    assert_int_equal(rd(dev, SK_REG_MAX_LAYERS), 64);
    assert_int_equal(rd(dev, SK_REG_MAX_BATCH), 1);
    /* read-only registers ignore writes with OKAY */
    wr(dev, SK_REG_ID, 0);
    wr(dev, SK_REG_LANES, 99);
    assert_int_equal(rd(dev, SK_REG_ID), 0x534B4143);
    assert_int_equal(rd(dev, SK_REG_LANES), 8);
    sk_device_free(dev);
    /* WEIGHT_ROW_BYTES: the power of two >= max(4, LANES) */
    const uint32_t lanes[] = {1, 3, 4, 5, 13, 16, 33, 64}, rb[] = {4, 4, 4, 8, 16, 16, 64, 64};
    for (size_t i = 0; i < 8; i++) {
        dev = make(lanes[i]);
        assert_int_equal(rd(dev, SK_REG_WEIGHT_ROW_BYTES), rb[i]);
        sk_device_free(dev);
    }
}

static void test_slverr_rules(void **state)
{
    (void)state;
    sk_device *dev = make(8);
    uint32_t v;
    assert_int_not_equal(sk_device_read32(dev, 0x04C, &v), 0);       /* no register */
    assert_int_not_equal(sk_device_read32(dev, 0x01C, &v), 0);       /* gap in the page */
    assert_int_not_equal(sk_device_read32(dev, 0x030000, &v), 0);    /* between windows */
    assert_int_not_equal(sk_device_read32(dev, 0x001400, &v), 0);    /* DESC beyond 64*16 */
    assert_int_equal(sk_device_read32(dev, 0x0013FC, &v), 0);        /* last descriptor word */
    assert_int_not_equal(sk_device_write32(dev, 0x012000, 1), 0);    /* BIAS beyond 2048*4 */
    assert_int_not_equal(sk_device_write32(dev, 0x040800, 1), 0);    /* ACT0 beyond 2048 */
    assert_int_not_equal(sk_device_write32(dev, 0x820000, 1), 0);    /* WEIGHTS beyond 16384*8 */
    assert_int_equal(sk_device_write32(dev, 0x81FFFC, 1), 0);        /* last weight word */
    /* address bits 1:0 are ignored: an access acts on the aligned word (regmap.md) */
    assert_int_equal(sk_device_write32(dev, SK_REG_IRQ_ENABLE + 2, 1), 0);
    assert_int_equal(sk_device_read32(dev, SK_REG_IRQ_ENABLE, &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(sk_device_read32(dev, SK_REG_IRQ_ENABLE + 3, &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(sk_device_write32(dev, SK_WIN_BIAS_BASE + 4 + 1, 0x89ABCDEFu), 0);
    assert_int_equal(sk_device_read32(dev, SK_WIN_BIAS_BASE + 4, &v), 0);
    assert_int_equal(v, 0x89ABCDEFu);
    assert_int_not_equal(sk_device_read32(dev, 0x04C + 2, &v), 0);   /* still no register */
    assert_int_not_equal(sk_device_write32(dev, 0x012000 + 1, 1), 0); /* still past BIAS */
    sk_device_free(dev);
}

/* Bytes LANES..WEIGHT_ROW_BYTES-1 of a row are ignored on write and read as 0. */
static void test_weight_padding_bytes(void **state)
{
    (void)state;
    sk_device *dev = make(3); /* row = 4 bytes, lanes 0..2 */
    wr(dev, SK_WIN_WEIGHTS_BASE + 4, 0xAABBCCDD);
    assert_int_equal(rd(dev, SK_WIN_WEIGHTS_BASE + 4), 0x00BBCCDD);
    sk_device_free(dev);
    dev = make(13); /* row = 16 bytes: bytes 13..15 of word 3 are padding */
    wr(dev, SK_WIN_WEIGHTS_BASE + 16 + 12, 0x11223344);
    assert_int_equal(rd(dev, SK_WIN_WEIGHTS_BASE + 16 + 12), 0x00000044);
    sk_device_free(dev);
}

/* One layer K=2 N=1 in descriptor 0, weights [1, 1], bias 0, shift 0. */
static void load_tiny(sk_device *dev, uint32_t word3)
{
    wr(dev, SK_WIN_WEIGHTS_BASE + 0, 0x00000001);
    wr(dev, SK_WIN_WEIGHTS_BASE + 8, 0x00000001);
    wr(dev, SK_WIN_BIAS_BASE, 0);
    wr(dev, SK_WIN_DESC_BASE + 0, 0x00010002);
    wr(dev, SK_WIN_DESC_BASE + 4, 0);
    wr(dev, SK_WIN_DESC_BASE + 8, 0);
    wr(dev, SK_WIN_DESC_BASE + 12, word3);
    wr(dev, SK_REG_NUM_LAYERS, 1);
}

#define W3_S8_IN_S8 (8u << 8 | 1u << 12 | 1u << 13) /* OUT_BITS 8, OUT_SIGNED, IN_SIGNED */

static void test_run_ctrl_irq(void **state)
{
    (void)state;
    sk_device *dev = make(8);
    load_tiny(dev, W3_S8_IN_S8);
    wr(dev, SK_WIN_ACT0_BASE, 0x0000FD05); /* x = 5, -3 */
    wr(dev, SK_REG_CTRL, SK_CTRL_START_MASK);
    assert_int_equal(rd(dev, SK_REG_STATUS) & 3, SK_STATUS_BUSY_MASK);
    uint32_t v;
    /* windows are the sequencer's while busy: SLVERR, reads return 0 */
    assert_int_not_equal(sk_device_read32(dev, SK_WIN_ACT1_BASE, &v), 0);
    assert_int_equal(v, 0);
    assert_int_not_equal(sk_device_write32(dev, SK_WIN_ACT0_BASE, 0), 0);
    /* START while busy: refused and flagged */
    wr(dev, SK_REG_CTRL, SK_CTRL_START_MASK);
    assert_true(rd(dev, SK_REG_STATUS) & SK_STATUS_START_REFUSED_MASK);
    /* irq enabled late still fires: irq = DONE & IRQ_ENABLE */
    assert_int_equal(sk_device_wait_irq(dev, 1000), SK_HAL_TIMEOUT); /* not enabled */
    assert_int_equal(rd(dev, SK_REG_STATUS) & 0xF, SK_STATUS_DONE_MASK | SK_STATUS_START_REFUSED_MASK);
    assert_false(sk_device_irq(dev));
    wr(dev, SK_REG_IRQ_ENABLE, 1);
    assert_true(sk_device_irq(dev));
    assert_int_equal(sk_device_wait_irq(dev, 0), SK_HAL_IRQ);
    /* one layer: output in ACT1; 5 - 3 = 2 */
    assert_int_equal(rd(dev, SK_WIN_ACT1_BASE) & 0xFF, 2);
    assert_int_equal(rd(dev, SK_REG_PERF_MACS), 2);
    assert_int_equal(rd(dev, SK_REG_PERF_CYCLES),
                     2u + rd(dev, SK_REG_PERF_STALLS)); /* 2 issue cycles (one row each) */
    /* IRQ_CLEAR drops DONE only */
    wr(dev, SK_REG_CTRL, SK_CTRL_IRQ_CLEAR_MASK);
    assert_int_equal(rd(dev, SK_REG_STATUS), SK_STATUS_START_REFUSED_MASK);
    assert_false(sk_device_irq(dev));
    /* an accepted START clears START_REFUSED and the counters */
    wr(dev, SK_REG_CTRL, SK_CTRL_START_MASK);
    assert_int_equal(rd(dev, SK_REG_STATUS) & 0xF, SK_STATUS_BUSY_MASK);
    assert_int_equal(rd(dev, SK_REG_PERF_MACS), 0);
    /* SOFT_RESET aborts the run: idle, STATUS and counters clear, memories kept */
    wr(dev, SK_REG_CTRL, SK_CTRL_SOFT_RESET_MASK);
    assert_int_equal(rd(dev, SK_REG_STATUS), 0);
    assert_int_equal(rd(dev, SK_REG_PERF_CYCLES), 0);
    assert_int_equal(rd(dev, SK_REG_NUM_LAYERS), 1);
    assert_int_equal(rd(dev, SK_REG_IRQ_ENABLE), 1);
    assert_int_equal(rd(dev, SK_WIN_DESC_BASE), 0x00010002);
    /* order within one write: SOFT_RESET, IRQ_CLEAR, START -> a fresh run */
    wr(dev, SK_REG_CTRL, 0x7);
    assert_int_equal(rd(dev, SK_REG_STATUS) & 0xF, SK_STATUS_BUSY_MASK);
    sk_device_free(dev);
}

/* Run descriptor 0 with word 3 `w3` (after optional edits) and return STATUS. */
static uint32_t run_status(sk_device *dev)
{
    wr(dev, SK_REG_CTRL, SK_CTRL_START_MASK);
    sk_device_advance(dev, sk_device_cycles_to_done(dev));
    return rd(dev, SK_REG_STATUS);
}

static void expect_error(sk_device *dev, uint32_t code, uint32_t layer)
{
    uint32_t st = run_status(dev);
    uint32_t want = SK_STATUS_DONE_MASK | SK_STATUS_ERROR_MASK | code << 8 | layer << 16;
    if (st != want)
        fail_msg("STATUS 0x%08x, want 0x%08x (%s)", st, want, sk_hwerr_name(code));
}

static void test_error_codes(void **state)
{
    (void)state;
    sk_device *dev = make(8);
    load_tiny(dev, W3_S8_IN_S8);
    assert_int_equal(run_status(dev), SK_STATUS_DONE_MASK); /* clean */

    wr(dev, SK_REG_NUM_LAYERS, 0);
    expect_error(dev, SK_HWERR_NUM_LAYERS, 0);
    wr(dev, SK_REG_NUM_LAYERS, 65);
    expect_error(dev, SK_HWERR_NUM_LAYERS, 0);
    wr(dev, SK_REG_NUM_LAYERS, 1);

    wr(dev, SK_WIN_DESC_BASE, 0x00010000); /* K = 0 */
    expect_error(dev, SK_HWERR_DESC_DIMS, 0);
    wr(dev, SK_WIN_DESC_BASE, 0x00010002);

    /* layer 1: K=2 != N=1 of layer 0 */
    wr(dev, SK_WIN_DESC_BASE + 16, 0x00010002);
    wr(dev, SK_WIN_DESC_BASE + 28, W3_S8_IN_S8);
    wr(dev, SK_REG_NUM_LAYERS, 2);
    expect_error(dev, SK_HWERR_DESC_CHAIN, 1);
    /* K=1 but IN_SIGNED 0 while layer 0's OUT_SIGNED is 1 */
    wr(dev, SK_WIN_DESC_BASE + 16, 0x00010001);
    wr(dev, SK_WIN_DESC_BASE + 28, 8u << 8 | 1u << 12);
    expect_error(dev, SK_HWERR_DESC_CHAIN, 1);
    /* RAW on a layer other than the last */
    wr(dev, SK_WIN_DESC_BASE + 28, W3_S8_IN_S8);
    wr(dev, SK_WIN_DESC_BASE + 12, W3_S8_IN_S8 | 1u << 15);
    expect_error(dev, SK_HWERR_DESC_FIELD, 0);
    wr(dev, SK_REG_NUM_LAYERS, 1);
    assert_int_equal(run_status(dev), SK_STATUS_DONE_MASK); /* RAW on the last: fine */

    const struct { uint32_t w3, code; } w3_cases[] = {
        {1u << 8 | 1u << 12 | 1u << 13, SK_HWERR_DESC_FIELD},          /* OUT_BITS 1 */
        {9u << 8 | 1u << 12 | 1u << 13, SK_HWERR_DESC_FIELD},          /* OUT_BITS 9 */
        {W3_S8_IN_S8 | 1u << 14 | 1u << 15, SK_HWERR_DESC_FIELD},      /* RAW + RELU */
        {W3_S8_IN_S8 | 1u << 17, SK_HWERR_DESC_FIELD},                 /* reserved bit */
        {W3_S8_IN_S8 | 0x2Fu, SK_HWERR_SHIFT_RANGE},                   /* SHIFT -17 */
        {W3_S8_IN_S8 | 0x30u, SK_HWERR_NONE},                          /* SHIFT -16 */
        {W3_S8_IN_S8 | 0x1Fu, SK_HWERR_NONE},                          /* SHIFT 31 */
        {W3_S8_IN_S8 | 0x2Fu | 1u << 15, SK_HWERR_NONE},               /* RAW ignores SHIFT */
    };
    for (size_t i = 0; i < sizeof w3_cases / sizeof w3_cases[0]; i++) {
        wr(dev, SK_WIN_DESC_BASE + 12, w3_cases[i].w3);
        if (w3_cases[i].code == SK_HWERR_NONE)
            assert_int_equal(run_status(dev), SK_STATUS_DONE_MASK);
        else
            expect_error(dev, w3_cases[i].code, 0);
    }
    wr(dev, SK_WIN_DESC_BASE + 12, W3_S8_IN_S8);
    wr(dev, SK_WIN_DESC_BASE + 4, 16383); /* W_BASE + 1 block * K=2 > 16384 */
    expect_error(dev, SK_HWERR_WEIGHT_RANGE, 0);
    wr(dev, SK_WIN_DESC_BASE + 4, 16382); /* exactly fits */
    assert_int_equal(run_status(dev), SK_STATUS_DONE_MASK);
    wr(dev, SK_WIN_DESC_BASE + 4, 0);
    wr(dev, SK_WIN_DESC_BASE + 8, 2048); /* BIAS_BASE + N > 2048 */
    expect_error(dev, SK_HWERR_BIAS_RANGE, 0);
    wr(dev, SK_WIN_DESC_BASE + 8, 2048u << 16); /* SHIFT_BASE out, PER_CHANNEL off: fine */
    assert_int_equal(run_status(dev), SK_STATUS_DONE_MASK);
    wr(dev, SK_WIN_DESC_BASE + 12, W3_S8_IN_S8 | 1u << 16);
    expect_error(dev, SK_HWERR_SHIFT_ADDR_RANGE, 0);
    wr(dev, SK_WIN_DESC_BASE + 8, 0);
    wr(dev, SK_WIN_SHIFT_BASE, 0x000000EF); /* per-channel shift -17 */
    expect_error(dev, SK_HWERR_SHIFT_RANGE, 0);
    wr(dev, SK_WIN_DESC_BASE + 12, W3_S8_IN_S8);
    wr(dev, SK_WIN_DESC_BASE, 0x00010801); /* K = 2049 > ACT_BYTES; rows and biases fit */
    expect_error(dev, SK_HWERR_ACT_RANGE, 0);
    sk_device_free(dev);
}

/* Layer i reads ACT(i%2) and writes ACT((i+1)%2): a 2-layer run ends in ACT0. */
static void test_ping_pong(void **state)
{
    (void)state;
    sk_device *dev = make(8);
    load_tiny(dev, W3_S8_IN_S8);            /* layer 0: y = x0 + x1 */
    wr(dev, SK_WIN_WEIGHTS_BASE + 16, 0x00000003); /* layer 1: K=1 N=1, w = 3, row 2 */
    wr(dev, SK_WIN_BIAS_BASE + 4, 0xFFFFFFFF);     /* bias -1 */
    wr(dev, SK_WIN_DESC_BASE + 16, 0x00010001);
    wr(dev, SK_WIN_DESC_BASE + 20, 2);
    wr(dev, SK_WIN_DESC_BASE + 24, 1);
    wr(dev, SK_WIN_DESC_BASE + 28, W3_S8_IN_S8 | 1u << 15); /* raw */
    wr(dev, SK_REG_NUM_LAYERS, 2);
    wr(dev, SK_WIN_ACT0_BASE, 0x00000A04); /* x = 4, 10 */
    assert_int_equal(run_status(dev), SK_STATUS_DONE_MASK);
    assert_int_equal(rd(dev, SK_WIN_ACT1_BASE) & 0xFF, 14);
    assert_int_equal(rd(dev, SK_WIN_ACT0_BASE), 41); /* 3*14 - 1, int32 */
    assert_int_equal(rd(dev, SK_REG_CUR_LAYER), 1);
    assert_int_equal(rd(dev, SK_REG_PERF_MACS), 3);
    sk_device_free(dev);
}

static uint64_t xorshift64(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Random traffic never wedges or crashes the model (run under ASan+UBSan by
 * test-drv-asan): random words at random offsets, random descriptors, random
 * NUM_LAYERS, START — every run ends with DONE, with ERROR exactly when ERR_CODE != 0,
 * and BUSY clears by the time the model says. */
static void test_random_traffic_never_hangs(void **state)
{
    (void)state;
    sk_device *dev = make(8);
    uint64_t x = 88172645463325252u;
#define RND() xorshift64(&x)
    for (int run = 0; run < 3000; run++) {
        for (int i = 0; i < 8; i++) { /* random bus traffic: SLVERR or OKAY, nothing else */
            uint32_t off = (uint32_t)RND() & 0xFFFFFCu, v = 0;
            if (off == SK_REG_CTRL)
                continue;
            if (RND() & 1)
                (void)sk_device_write32(dev, off, (uint32_t)RND());
            else
                (void)sk_device_read32(dev, off, &v);
        }
        uint32_t layers = 1 + (uint32_t)(RND() % 4);
        for (uint32_t l = 0; l < layers; l++) {
            uint32_t base = SK_WIN_DESC_BASE + 16 * l;
            uint32_t k = (uint32_t)(RND() % 40), n = (uint32_t)(RND() % 40);
            wr(dev, base, k | n << 16);
            wr(dev, base + 4, (uint32_t)(RND() % 20000));
            wr(dev, base + 8, (uint32_t)RND() & 0x0FFF0FFFu);
            uint32_t w3 = (uint32_t)RND();
            wr(dev, base + 12, RND() & 1 ? w3 & 0x1FFFFu : w3);
        }
        wr(dev, SK_REG_NUM_LAYERS, RND() % 8 == 0 ? (uint32_t)RND() : layers);
        wr(dev, SK_REG_CTRL, SK_CTRL_START_MASK);
        sk_device_advance(dev, sk_device_cycles_to_done(dev));
        uint32_t st = rd(dev, SK_REG_STATUS);
        assert_int_equal(st & (SK_STATUS_BUSY_MASK | SK_STATUS_DONE_MASK), SK_STATUS_DONE_MASK);
        bool error = st & SK_STATUS_ERROR_MASK;
        uint32_t code = (st & SK_STATUS_ERR_CODE_MASK) >> SK_STATUS_ERR_CODE_SHIFT;
        assert_int_equal(error, code != SK_HWERR_NONE);
        assert_true(code < SK_HWERR_COUNT);
        wr(dev, SK_REG_CTRL, SK_CTRL_IRQ_CLEAR_MASK);
    }
#undef RND
    sk_device_free(dev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_values_and_params),
        cmocka_unit_test(test_slverr_rules),
        cmocka_unit_test(test_weight_padding_bytes),
        cmocka_unit_test(test_run_ctrl_irq),
        cmocka_unit_test(test_error_codes),
        cmocka_unit_test(test_ping_pong),
        cmocka_unit_test(test_random_traffic_never_hangs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
