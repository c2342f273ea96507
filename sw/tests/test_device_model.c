/* test_device_model.c — the C device model against docs/regmap.md, at the register
 * level (no driver): reset values, build parameters, SLVERR rules, read-only and
 * write-only registers, weight-row padding bytes, CTRL pulses and their order,
 * START_REFUSED, IRQ = DONE & IRQ_ENABLE, every descriptor error code, the
 * ping-pong buffers, and the perf-counter identities the map states.
 *
 * Register map 1.1: FEATURES, the XDESC window (and its SLVERR without CNN), and EXT
 * layers of every kind, laid into the windows by hand (sk_dev_ext_util.h, from the
 * register map) and compared whole-tensor with the golden sk_infer; every EXT error
 * rule with the code and layer the map gives; version-1.0 dense runs unchanged. */
#include "sk_drv_test_util.h"
#include "sk_dev_ext_util.h"
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
    assert_int_equal(rd(dev, SK_REG_VERSION), 0x00010001);
    assert_int_equal(rd(dev, SK_REG_CTRL), 0);
    assert_int_equal(rd(dev, SK_REG_IRQ_ENABLE), 0);
    assert_int_equal(rd(dev, SK_REG_STATUS), 0);
    assert_int_equal(rd(dev, SK_REG_NUM_LAYERS), 1);
    assert_int_equal(rd(dev, SK_REG_LANES), 8);
    assert_int_equal(rd(dev, SK_REG_WEIGHT_ROWS), 16384);
    assert_int_equal(rd(dev, SK_REG_WEIGHT_ROW_BYTES), 8);
    assert_int_equal(rd(dev, SK_REG_BIAS_DEPTH), 2048);
    assert_int_equal(rd(dev, SK_REG_SHIFT_DEPTH), 2048);
    assert_int_equal(rd(dev, SK_REG_ACT_BYTES), 16384);
    assert_int_equal(rd(dev, SK_REG_MAX_LAYERS), 64);
    assert_int_equal(rd(dev, SK_REG_MAX_BATCH), 1);
    assert_int_equal(rd(dev, SK_REG_FEATURES), 1); /* the default build has CNN */
    /* read-only registers ignore writes with OKAY */
    wr(dev, SK_REG_ID, 0);
    wr(dev, SK_REG_LANES, 99);
    wr(dev, SK_REG_FEATURES, 0);
    assert_int_equal(rd(dev, SK_REG_ID), 0x534B4143);
    assert_int_equal(rd(dev, SK_REG_LANES), 8);
    assert_int_equal(rd(dev, SK_REG_FEATURES), 1);
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
    assert_int_not_equal(sk_device_read32(dev, 0x050, &v), 0);       /* no register */
    assert_int_not_equal(sk_device_read32(dev, 0x01C, &v), 0);       /* gap in the page */
    assert_int_not_equal(sk_device_read32(dev, 0x030000, &v), 0);    /* between windows */
    assert_int_not_equal(sk_device_read32(dev, 0x001400, &v), 0);    /* DESC beyond 64*16 */
    assert_int_equal(sk_device_read32(dev, 0x0013FC, &v), 0);        /* last descriptor word */
    assert_int_not_equal(sk_device_write32(dev, 0x012000, 1), 0);    /* BIAS beyond 2048*4 */
    assert_int_not_equal(sk_device_write32(dev, 0x044000, 1), 0);    /* ACT0 beyond 16384 */
    assert_int_equal(sk_device_write32(dev, 0x043FFC, 1), 0);        /* last ACT0 word */
    assert_int_not_equal(sk_device_write32(dev, 0x054000, 1), 0);    /* ACT1 beyond 16384 */
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
    assert_int_not_equal(sk_device_read32(dev, 0x050 + 2, &v), 0);   /* still no register */
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
        {W3_S8_IN_S8 | 1u << 18, SK_HWERR_DESC_FIELD},                 /* reserved bit */
        {W3_S8_IN_S8 | 1u << 31, SK_HWERR_DESC_FIELD},                 /* reserved bit */
        {W3_S8_IN_S8 | 1u << 17, SK_HWERR_DESC_DIMS}, /* EXT, XDESC slot all 0: H = 0 */
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
    wr(dev, SK_WIN_DESC_BASE, 0x00014001); /* K = 16385 > ACT_BYTES; biases fit, rows do not:
                                              ACT_RANGE is checked first */
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

/* ------------------------------------------------------------------ register map 1.1 */

static sk_device *make_cfg(uint32_t lanes, uint32_t cnn)
{
    sk_device_config cfg;
    sk_device_default_config(&cfg);
    cfg.lanes = lanes;
    cfg.cnn = cnn;
    sk_hal hal;
    return test_device(&cfg, &hal);
}

/* FEATURES.CNN follows the build parameter; a bad value is not a legal build. */
static void test_features_register(void **state)
{
    (void)state;
    sk_device *dev = make_cfg(8, 0);
    assert_int_equal(rd(dev, SK_REG_FEATURES), 0);
    sk_device_free(dev);
    dev = make_cfg(8, 1);
    assert_int_equal(rd(dev, SK_REG_FEATURES), SK_FEATURES_CNN_MASK);
    sk_device_free(dev);
    sk_device_config cfg;
    sk_device_default_config(&cfg);
    assert_int_equal(cfg.cnn, SK_DEFAULT_CNN);
    assert_int_equal(cfg.act_bytes, SK_DEFAULT_ACT_BYTES);
    cfg.cnn = 2;
    sk_error err;
    assert_int_equal(sk_device_create(&cfg, &dev, &err), SK_ERR_BAD_ARG);
}

/* XDESC: MAX_LAYERS*64 bytes, every word stored (12..15 too), the busy and size rules
 * of the other windows; SLVERR on every access without FEATURES.CNN. */
static void test_xdesc_window(void **state)
{
    (void)state;
    sk_device *dev = make_cfg(8, 1);
    uint32_t v;
    const uint32_t end = SK_WIN_XDESC_BASE + 64 * SK_XDESC_BYTES; /* MAX_LAYERS 64 */
    wr(dev, SK_WIN_XDESC_BASE, 0x12345678);
    wr(dev, end - 4, 0x9ABCDEF0);             /* slot 63, word 15 */
    wr(dev, SK_WIN_XDESC_BASE + 13 * 4, 0xFFFFFFFF); /* slot 0 word 13: stored, never read */
    assert_int_equal(rd(dev, SK_WIN_XDESC_BASE), 0x12345678);
    assert_int_equal(rd(dev, end - 4), 0x9ABCDEF0);
    assert_int_equal(rd(dev, SK_WIN_XDESC_BASE + 13 * 4), 0xFFFFFFFF);
    assert_int_not_equal(sk_device_read32(dev, end, &v), 0);         /* beyond MAX_LAYERS*64 */
    assert_int_not_equal(sk_device_write32(dev, end + 0x100, 1), 0);
    assert_int_not_equal(sk_device_read32(dev, SK_WIN_XDESC_BASE - 4, &v), 0); /* gap below */
    /* busy: the sequencer owns it */
    load_tiny(dev, W3_S8_IN_S8);
    wr(dev, SK_REG_CTRL, SK_CTRL_START_MASK);
    assert_int_not_equal(sk_device_read32(dev, SK_WIN_XDESC_BASE, &v), 0);
    assert_int_equal(v, 0);
    assert_int_not_equal(sk_device_write32(dev, SK_WIN_XDESC_BASE, 0), 0);
    sk_device_advance(dev, sk_device_cycles_to_done(dev));
    assert_int_equal(rd(dev, SK_WIN_XDESC_BASE), 0x12345678);
    sk_device_free(dev);

    dev = make_cfg(8, 0);
    for (uint32_t off = SK_WIN_XDESC_BASE; off < end; off += 0x1FC) {
        v = 0xDEADBEEF;
        assert_int_not_equal(sk_device_read32(dev, off, &v), 0);
        assert_int_equal(v, 0);
        assert_int_not_equal(sk_device_write32(dev, off, 1), 0);
    }
    assert_int_not_equal(sk_device_read32(dev, end - 4, &v), 0);
    sk_device_free(dev);
}

/* ---- golden models of every kind, built with the golden API ---- */

static uint64_t g_rng = 0x5EED5EED12345678u;

static int32_t rnd_range(int32_t lo, int32_t hi)
{
    return xt_rand(&g_rng, lo, hi);
}

/* Input values of the model's input type. */
static int32_t *random_input(const sk_model *m, size_t batch)
{
    size_t count = sk_shape_size(sk_model_in_shape(m)) * batch;
    int32_t *x = malloc(count * sizeof *x);
    assert_non_null(x);
    for (size_t j = 0; j < count; j++)
        x[j] = rnd_range(sk_qtype_min(m->in), sk_qtype_max(m->in));
    return x;
}

/* Weights, biases and exponents of a weighted layer i: 8-bit weights, the shift of
 * channel 0 `shift` (per-channel ones spread around it), output `out`. */
static void fill_weighted(sk_model *m, uint32_t i, int shift, sk_qtype out, sk_rounding mode)
{
    sk_layer *l = &m->layers[i];
    l->w_bits = 8;
    for (size_t j = 0; j < (size_t)l->n * l->k; j++)
        l->weights[j] = (int8_t)rnd_range(-127, 127);
    for (uint32_t co = 0; co < l->n; co++)
        l->bias[co] = rnd_range(-3000, 3000);
    l->out = out;
    l->rounding = mode;
    const int in_exp = sk_layer_in_exp(m, i);
    l->w_exp[0] = -6;
    l->out_exp = (int8_t)(in_exp - 6 + shift);
    if (l->per_channel)
        for (uint32_t co = 1; co < l->n; co++)
            l->w_exp[co] = (int8_t)(-6 + (int)(co % 5) - 2); /* shifts shift-2..shift+2 */
}

/* The network input's shape: layer 0's geometry is what defines it, so the builders
 * take it from here while layer 0 is being made. */
static sk_shape g_in0;

static sk_shape shape_in(const sk_model *m, uint32_t i)
{
    return i ? sk_layer_out_shape(m, i - 1) : g_in0;
}

static void new_model(sk_model *m, uint32_t layers, sk_shape in, sk_qtype type, int8_t exp)
{
    assert_int_equal(sk_model_init(m, layers), SK_OK);
    m->in = type;
    m->in_exp = exp;
    g_in0 = in;
}

static void conv(sk_model *m, uint32_t i, uint32_t cout, uint32_t kh, uint32_t kw, uint32_t sh,
                 uint32_t sw, const uint32_t pad[4], bool depthwise, bool per_channel)
{
    const sk_shape in = shape_in(m, i);
    sk_layer *l = &m->layers[i];
    uint32_t k = kh * kw * (depthwise ? 1 : in.c);
    assert_int_equal(sk_layer_alloc(l, k, depthwise ? in.c : cout, per_channel), SK_OK);
    l->kind = SK_LAYER_CONV2D;
    l->geom = (sk_geometry){.in_h = in.h, .in_w = in.w, .in_c = in.c, .kernel_h = kh,
                            .kernel_w = kw, .stride_h = sh, .stride_w = sw, .pad_top = pad[0],
                            .pad_left = pad[1], .pad_bottom = pad[2], .pad_right = pad[3],
                            .groups = depthwise ? in.c : 1};
}

static void dense(sk_model *m, uint32_t i, uint32_t n, bool per_channel)
{
    const uint32_t k = (uint32_t)sk_shape_size(shape_in(m, i)); /* flatten (§15) */
    assert_int_equal(sk_layer_alloc(&m->layers[i], k, n, per_channel), SK_OK);
}

static void pool(sk_model *m, uint32_t i, sk_layer_kind kind, uint32_t kh, uint32_t kw,
                 uint32_t sh, uint32_t sw)
{
    const sk_shape in = shape_in(m, i);
    sk_layer *l = &m->layers[i];
    l->kind = kind;
    l->n = in.c;
    l->geom = (sk_geometry){.in_h = in.h, .in_w = in.w, .in_c = in.c, .kernel_h = kh,
                            .kernel_w = kw, .stride_h = sh, .stride_w = sw};
    l->out = i ? m->layers[i - 1].out : m->in; /* maxpool: the input's type and exponent */
    l->out_exp = (int8_t)(i ? m->layers[i - 1].out_exp : m->in_exp);
    l->rounding = SK_ROUND_FLOOR;
}

/* avgpool output exponent so that its shift (e_out - e_in + log2 window) is `shift` */
static void avg_shift(sk_model *m, uint32_t i, int shift, sk_rounding mode)
{
    sk_layer *l = &m->layers[i];
    l->out_exp = (int8_t)(sk_layer_in_exp(m, i) - sk_avgpool_log2(l) + shift);
    l->rounding = mode;
}

static void add(sk_model *m, uint32_t i, uint32_t src, int8_t out_exp, sk_qtype out,
                sk_rounding mode)
{
    const sk_shape in = shape_in(m, i);
    sk_layer *l = &m->layers[i];
    l->kind = SK_LAYER_ADD;
    l->n = in.c;
    l->geom = (sk_geometry){.in_h = in.h, .in_w = in.w, .in_c = in.c, .src = src};
    l->out = out;
    l->out_exp = out_exp;
    l->rounding = mode;
}

static const uint32_t no_pad[4] = {0, 0, 0, 0};
static const sk_qtype s8 = {8, true}, u8 = {8, false}, s6 = {6, true}, u4 = {4, false};

/* Load m on a device of `lanes` (CNN build), tensors apart with gap `gap`, run `batch`
 * random samples against sk_infer; returns the last PERF_CYCLES. */
static uint32_t check_model(const sk_model *m, uint32_t lanes, uint32_t gap, size_t batch,
                            const char *what)
{
    sk_device *dev = make_cfg(lanes, 1);
    xt_plan plan;
    xt_plan_apart(m, SK_DEFAULT_ACT_BYTES, gap, &plan);
    int32_t *x = random_input(m, batch);
    uint32_t cycles = xt_check_golden(dev, m, &plan, x, batch, what);
    free(x);
    sk_device_free(dev);
    return cycles;
}

static void check_lanes(const sk_model *m, size_t batch, const char *what)
{
    static const uint32_t lanes[] = {8, 1, 3, 64};
    for (size_t j = 0; j < sizeof lanes / sizeof lanes[0]; j++)
        (void)check_model(m, lanes[j], (uint32_t)(1 + 2 * j), batch, what);
}

/* dense as an EXT layer (the H = W = ... = 1 case), per-channel shifts, 37 -> 19 -> 5 */
static void test_ext_dense(void **state)
{
    (void)state;
    sk_model m;
    new_model(&m, 2, (sk_shape){1, 1, 37}, s8, -5);
    dense(&m, 0, 19, true);
    fill_weighted(&m, 0, 8, s8, SK_ROUND_HALF_EVEN);
    m.layers[0].relu = true;
    dense(&m, 1, 5, false);
    fill_weighted(&m, 1, 7, u4, SK_ROUND_HALF_AWAY);
    check_lanes(&m, 4, "ext dense");
    sk_model_free(&m);
}

/* conv2d 3x3 stride 2 (padding 1, odd sizes 9x11x3 -> 5x6x5), then 2x3 stride 2
 * unpadded over the even-sized result with half the windows dropping the last row */
static void test_ext_conv_stride2(void **state)
{
    (void)state;
    sk_model m;
    const uint32_t pad1[4] = {1, 1, 1, 1};
    new_model(&m, 2, (sk_shape){9, 11, 3}, s8, -4);
    conv(&m, 0, 5, 3, 3, 2, 2, pad1, false, false);
    fill_weighted(&m, 0, 8, s8, SK_ROUND_HALF_UP);
    conv(&m, 1, 9, 2, 3, 2, 2, no_pad, false, true);
    fill_weighted(&m, 1, 9, s6, SK_ROUND_FLOOR);
    assert_int_equal(sk_layer_out_shape(&m, 0).h, 5);
    assert_int_equal(sk_layer_out_shape(&m, 0).w, 6);
    check_lanes(&m, 3, "ext conv stride 2");
    sk_model_free(&m);
}

/* padding on every border, different on each (top 2, left 1, bottom 3, right 2), a 4x3
 * kernel on an odd 5x7x2 map: every border's padding is read */
static void test_ext_conv_padding(void **state)
{
    (void)state;
    sk_model m;
    const uint32_t pad[4] = {2, 1, 3, 2};
    new_model(&m, 1, (sk_shape){5, 7, 2}, u8, -8);
    conv(&m, 0, 11, 4, 3, 1, 1, pad, false, false);
    fill_weighted(&m, 0, 9, s8, SK_ROUND_HALF_EVEN);
    assert_int_equal(sk_layer_out_shape(&m, 0).h, 5 + 2 + 3 - 4 + 1);
    assert_int_equal(sk_layer_out_shape(&m, 0).w, 7 + 1 + 2 - 3 + 1);
    check_lanes(&m, 3, "ext conv padding");
    /* a 1x1 kernel and a kernel covering the whole map (output 1x1) */
    sk_model_free(&m);
    new_model(&m, 2, (sk_shape){3, 5, 4}, s8, -3);
    conv(&m, 0, 6, 1, 1, 1, 1, no_pad, false, false);
    fill_weighted(&m, 0, 7, s8, SK_ROUND_FLOOR);
    conv(&m, 1, 13, 3, 5, 1, 1, no_pad, false, false);
    fill_weighted(&m, 1, 9, s8, SK_ROUND_HALF_UP);
    check_lanes(&m, 2, "ext conv 1x1 and whole map");
    sk_model_free(&m);
}

/* depthwise 3x3, padding 1, stride 1 and then stride 2 with uneven padding */
static void test_ext_depthwise(void **state)
{
    (void)state;
    sk_model m;
    const uint32_t pad1[4] = {1, 1, 1, 1}, pad_tl[4] = {1, 2, 0, 0};
    new_model(&m, 2, (sk_shape){6, 5, 4}, s8, -6);
    conv(&m, 0, 4, 3, 3, 1, 1, pad1, true, true);
    fill_weighted(&m, 0, 6, s8, SK_ROUND_HALF_AWAY);
    conv(&m, 1, 4, 2, 3, 2, 2, pad_tl, true, false);
    fill_weighted(&m, 1, 6, s8, SK_ROUND_HALF_EVEN);
    check_lanes(&m, 3, "ext depthwise");
    sk_model_free(&m);
}

/* maxpool with and without ReLU, overlapping 3x3 stride 2 windows, then a global one */
static void test_ext_maxpool(void **state)
{
    (void)state;
    for (int relu = 0; relu < 2; relu++) {
        sk_model m;
        const uint32_t pad1[4] = {1, 1, 1, 1};
        new_model(&m, 3, (sk_shape){7, 9, 3}, s8, -4);
        conv(&m, 0, 5, 3, 3, 1, 1, pad1, false, false);
        fill_weighted(&m, 0, 9, s8, SK_ROUND_FLOOR); /* signed, both signs */
        m.layers[0].bias[0] = -60000; /* channel 0 all negative: windows without a 0 */
        pool(&m, 1, SK_LAYER_MAXPOOL, 3, 3, 2, 2);
        m.layers[1].relu = relu;
        if (relu) /* ReLU makes the output non-negative, the type stays signed (§12) */
            assert_true(m.layers[1].out.is_signed);
        const sk_shape p = sk_layer_out_shape(&m, 1);
        pool(&m, 2, SK_LAYER_MAXPOOL, p.h, p.w, 1, 1);
        check_lanes(&m, 3, relu ? "ext maxpool relu" : "ext maxpool");
        sk_model_free(&m);
    }
}

/* avgpool 2x2 stride 2 (windows of 4, ties in every mode), 1x2 stride (1, 2), global 4x4 */
static void test_ext_avgpool(void **state)
{
    (void)state;
    for (int mode = 0; mode < SK_ROUND_COUNT; mode++) {
        sk_model m;
        new_model(&m, 3, (sk_shape){9, 8, 3}, s8, -3);
        pool(&m, 0, SK_LAYER_AVGPOOL, 2, 2, 2, 2);
        avg_shift(&m, 0, 2, (sk_rounding)mode);
        pool(&m, 1, SK_LAYER_AVGPOOL, 1, 2, 1, 2);
        avg_shift(&m, 1, 1, (sk_rounding)mode);
        m.layers[1].out = s6;
        pool(&m, 2, SK_LAYER_AVGPOOL, 4, 2, 1, 1);
        avg_shift(&m, 2, 0, (sk_rounding)mode);
        m.layers[2].out = s8;
        m.layers[2].relu = true;
        check_lanes(&m, 3, "ext avgpool");
        sk_model_free(&m);
    }
}

/* add: a from an unsigned ReLU conv, b the signed network input (mixed signedness);
 * ea > eb shifts a (A_SHIFT > 0), ea < eb shifts b (B_SHIFT > 0); then an add of two
 * layer outputs (src a layer, both signed) */
static void test_ext_add(void **state)
{
    (void)state;
    for (int dir = 0; dir < 2; dir++) {
        sk_model m;
        new_model(&m, 4, (sk_shape){5, 3, 4}, s8, -4);
        conv(&m, 0, 4, 1, 1, 1, 1, no_pad, false, false);
        fill_weighted(&m, 0, 7, u8, SK_ROUND_HALF_UP);
        m.layers[0].relu = true;
        /* a at exponent ea = out_exp of layer 0, b the input at -4 */
        m.layers[0].w_exp[0] = (int8_t)(dir ? -9 : -6);
        m.layers[0].out_exp = (int8_t)(dir ? -6 : -2); /* shift 7; ea -6 < eb or -2 > eb */
        add(&m, 1, SK_SRC_INPUT, (int8_t)(dir ? -5 : -3), s8, SK_ROUND_HALF_EVEN);
        conv(&m, 2, 4, 3, 3, 1, 1, (const uint32_t[4]){1, 1, 1, 1}, false, false);
        fill_weighted(&m, 2, 8, s8, SK_ROUND_HALF_AWAY);
        add(&m, 3, 1, -2, s6, SK_ROUND_HALF_AWAY); /* b = layer 1's output */
        sk_error err = {{0}};
        if (sk_model_validate(&m, "add", &err) != SK_OK)
            fail_msg("%s", err.msg);
        int ea = sk_layer_in_exp(&m, 1), eb = sk_add_src_exp(&m, 1);
        assert_true(dir ? ea < eb : ea > eb);
        assert_false(sk_layer_in_type(&m, 1).is_signed);
        assert_true(sk_add_src_type(&m, 1).is_signed);
        check_lanes(&m, 4, dir ? "ext add, b shifted" : "ext add, a shifted");
        sk_model_free(&m);
    }
}

/* a conv head that emits raw int32 accumulators (words at OUT_ADDR + 4*(p*N + n)) */
static void test_ext_raw_conv_head(void **state)
{
    (void)state;
    sk_model m;
    const uint32_t pad[4] = {0, 1, 1, 0};
    new_model(&m, 2, (sk_shape){6, 7, 3}, s8, -4);
    conv(&m, 0, 10, 3, 3, 2, 1, no_pad, false, true);
    fill_weighted(&m, 0, 8, u8, SK_ROUND_HALF_EVEN);
    conv(&m, 1, 11, 2, 2, 1, 2, pad, false, false);
    fill_weighted(&m, 1, 8, s8, SK_ROUND_FLOOR);
    m.layers[1].raw_output = true;
    check_lanes(&m, 2, "ext raw conv head");
    sk_model_free(&m);
}

/* every kind in one network: conv -> maxpool -> depthwise -> add (src = an earlier
 * layer) -> avgpool -> dense (flatten) -> raw dense, tensors apart in both buffers */
static void test_ext_chain(void **state)
{
    (void)state;
    sk_model m;
    const uint32_t pad1[4] = {1, 1, 1, 1};
    new_model(&m, 7, (sk_shape){12, 10, 2}, u8, -8);
    conv(&m, 0, 6, 3, 3, 1, 1, pad1, false, true);
    fill_weighted(&m, 0, 9, s8, SK_ROUND_HALF_EVEN);
    pool(&m, 1, SK_LAYER_MAXPOOL, 2, 2, 2, 2);
    conv(&m, 2, 6, 3, 3, 1, 1, pad1, true, false);
    fill_weighted(&m, 2, 7, s8, SK_ROUND_HALF_UP);
    add(&m, 3, 1, -4, s8, SK_ROUND_HALF_AWAY);
    pool(&m, 4, SK_LAYER_AVGPOOL, 2, 2, 2, 2);
    avg_shift(&m, 4, 2, SK_ROUND_FLOOR);
    m.layers[4].out = s8;
    dense(&m, 5, 10, false);
    fill_weighted(&m, 5, 9, s8, SK_ROUND_HALF_EVEN);
    m.layers[5].relu = true;
    dense(&m, 6, 3, false);
    fill_weighted(&m, 6, 0, s8, SK_ROUND_FLOOR);
    m.layers[6].raw_output = true;
    check_lanes(&m, 3, "ext chain");
    sk_model_free(&m);
}

/* `shiftkit gen --cnn` cases (odd sizes, padding on every border, stride 2, depthwise,
 * pooling, residual adds with ties, raw heads) on 8 and 5 lanes */
static void test_ext_gen_cases(void **state)
{
    (void)state;
    sk_gen_limits lim;
    sk_gen_default_limits(&lim);
    lim.cnn = true;
    lim.max_batch = 2;
    for (uint32_t index = 0; index < 120; index++) {
        sk_model m;
        sk_tensor in;
        sk_error err = {{0}};
        if (sk_gen_case(77, index, &lim, &m, &in, &err) != SK_OK)
            fail_msg("gen case %u: %s", index, err.msg);
        char what[64];
        snprintf(what, sizeof what, "gen --cnn seed 77 case %u", index);
        sk_device *dev = make_cfg(index % 2 ? 5 : 8, 1);
        xt_plan plan;
        xt_plan_apart(&m, SK_DEFAULT_ACT_BYTES, index % 4, &plan);
        (void)xt_check_golden(dev, &m, &plan, in.data, in.shape[0], what);
        sk_device_free(dev);
        sk_tensor_free(&in);
        sk_model_free(&m);
    }
}

/* ---- EXT error rules (docs/regmap.md "Error codes"), one layer changed at a time ---- */

/* Change one field of descriptor or XDESC word `off` (read-modify-write). */
static void set_field(sk_device *dev, uint32_t off, uint32_t mask, uint32_t shift, uint32_t v)
{
    uint32_t w = rd(dev, off);
    xt_set(&w, mask, shift, v);
    wr(dev, off, w);
}

#define SET_D(dev, layer, f, v)                                                              \
    set_field(dev, SK_WIN_DESC_BASE + SK_DESC_BYTES * (layer) + 4 * SK_DESC_##f##_WORD,      \
              SK_DESC_##f##_MASK, SK_DESC_##f##_SHIFT, (v))
#define SET_X(dev, layer, f, v)                                                              \
    set_field(dev, SK_WIN_XDESC_BASE + SK_XDESC_BYTES * (layer) + 4 * SK_XDESC_##f##_WORD,   \
              SK_XDESC_##f##_MASK, SK_XDESC_##f##_SHIFT, (v))
#define GET_X(dev, layer, f)                                                                 \
    ((rd(dev, SK_WIN_XDESC_BASE + SK_XDESC_BYTES * (layer) + 4 * SK_XDESC_##f##_WORD) &      \
      SK_XDESC_##f##_MASK) >> SK_XDESC_##f##_SHIFT)

static void expect_clean(sk_device *dev, const char *what)
{
    uint32_t st = xt_run(dev);
    if (st != SK_STATUS_DONE_MASK)
        fail_msg("%s: STATUS 0x%08x (%s), want a clean run", what, st,
                 sk_hwerr_name((st & SK_STATUS_ERR_CODE_MASK) >> SK_STATUS_ERR_CODE_SHIFT));
}

static void expect_code(sk_device *dev, uint32_t code, uint32_t layer, const char *what)
{
    uint32_t st = xt_run(dev), want = xt_status_error(code, layer);
    if (st != want)
        fail_msg("%s: STATUS 0x%08x, want 0x%08x (%s, layer %u)", what, st, want,
                 sk_hwerr_name(code), layer);
}

/* A model, loaded with its tensors packed from offset 0 (gap 0) on the default build. */
typedef struct loaded {
    sk_model m;
    sk_device *dev;
    xt_plan plan;
} loaded;

static void load(loaded *t, uint32_t cnn)
{
    t->dev = make_cfg(8, cnn);
    xt_plan_apart(&t->m, SK_DEFAULT_ACT_BYTES, 0, &t->plan);
    int32_t *x = random_input(&t->m, 1);
    (void)xt_check_golden(t->dev, &t->m, &t->plan, x, 1, "error base"); /* loads, runs clean */
    free(x);
}

static void unload(loaded *t)
{
    sk_device_free(t->dev);
    sk_model_free(&t->m);
}

/* 5x5x2 signed input, 3x3 conv with padding 1 to 5 channels (per-channel optional) */
static void load_conv(loaded *t, bool per_channel)
{
    const uint32_t pad1[4] = {1, 1, 1, 1};
    new_model(&t->m, 1, (sk_shape){5, 5, 2}, s8, -4);
    conv(&t->m, 0, 5, 3, 3, 1, 1, pad1, false, per_channel);
    fill_weighted(&t->m, 0, 8, s8, SK_ROUND_HALF_EVEN);
    load(t, 1);
}

/* 4x4x2 input, 2x2 stride-2 pool of `kind` */
static void load_pool(loaded *t, sk_layer_kind kind)
{
    new_model(&t->m, 1, (sk_shape){4, 4, 2}, s8, -4);
    pool(&t->m, 0, kind, 2, 2, 2, 2);
    if (kind == SK_LAYER_AVGPOOL)
        avg_shift(&t->m, 0, 2, SK_ROUND_HALF_UP);
    load(t, 1);
}

/* conv 1x1 to 3 channels, then add of the input (src = input) */
static void load_add(loaded *t)
{
    new_model(&t->m, 2, (sk_shape){3, 2, 3}, s8, -4);
    conv(&t->m, 0, 3, 1, 1, 1, 1, no_pad, false, false);
    fill_weighted(&t->m, 0, 7, s8, SK_ROUND_FLOOR);
    add(&t->m, 1, SK_SRC_INPUT, -3, s8, SK_ROUND_HALF_EVEN);
    load(t, 1);
}

/* EXT on a build without FEATURES.CNN: DESC_FIELD; there the layer is not an EXT layer,
 * so K is still chained to the previous N (rtl/sk_core.v: ext = Cnn && EXT). */
static void test_ext_error_without_cnn(void **state)
{
    (void)state;
    sk_device *dev = make_cfg(8, 0);
    load_tiny(dev, W3_S8_IN_S8 | SK_DESC_EXT_MASK);
    expect_code(dev, SK_HWERR_DESC_FIELD, 0, "EXT, no CNN");
    wr(dev, SK_WIN_DESC_BASE + 12, W3_S8_IN_S8);
    expect_clean(dev, "no EXT, no CNN");
    wr(dev, SK_WIN_DESC_BASE + 16, 0x00010001); /* layer 1: K = 1 = N of layer 0 */
    wr(dev, SK_WIN_DESC_BASE + 28, W3_S8_IN_S8 | SK_DESC_EXT_MASK);
    wr(dev, SK_REG_NUM_LAYERS, 2);
    expect_code(dev, SK_HWERR_DESC_FIELD, 1, "EXT on layer 1, no CNN");
    wr(dev, SK_WIN_DESC_BASE + 16, 0x00010003); /* K = 3 != 1 */
    expect_code(dev, SK_HWERR_DESC_CHAIN, 1, "EXT and K != N, no CNN");
    sk_device_free(dev);
}

/* DESC_DIMS: K, N, or one of the nine spatial fields 0 (add ignores the spatial ones) */
static void test_ext_error_dims(void **state)
{
    (void)state;
    loaded t;
    load_conv(&t, false);
    static const struct { uint32_t word, mask; const char *name; } dims[] = {
        {SK_XDESC_H_WORD, SK_XDESC_H_MASK, "H"},    {SK_XDESC_W_WORD, SK_XDESC_W_MASK, "W"},
        {SK_XDESC_C_WORD, SK_XDESC_C_MASK, "C"},    {SK_XDESC_KH_WORD, SK_XDESC_KH_MASK, "KH"},
        {SK_XDESC_KW_WORD, SK_XDESC_KW_MASK, "KW"}, {SK_XDESC_SH_WORD, SK_XDESC_SH_MASK, "SH"},
        {SK_XDESC_SW_WORD, SK_XDESC_SW_MASK, "SW"}, {SK_XDESC_OH_WORD, SK_XDESC_OH_MASK, "OH"},
        {SK_XDESC_OW_WORD, SK_XDESC_OW_MASK, "OW"},
    };
    for (size_t j = 0; j < sizeof dims / sizeof dims[0]; j++) {
        uint32_t off = SK_WIN_XDESC_BASE + 4 * dims[j].word, keep = rd(t.dev, off);
        wr(t.dev, off, keep & ~dims[j].mask);
        expect_code(t.dev, SK_HWERR_DESC_DIMS, 0, dims[j].name);
        /* the lowest code wins over DESC_FIELD (KIND 7) as well */
        SET_X(t.dev, 0, KIND, 7);
        expect_code(t.dev, SK_HWERR_DESC_DIMS, 0, dims[j].name);
        SET_X(t.dev, 0, KIND, SK_LAYER_CONV2D);
        wr(t.dev, off, keep);
    }
    SET_D(t.dev, 0, K, 0);
    expect_code(t.dev, SK_HWERR_DESC_DIMS, 0, "K 0");
    SET_D(t.dev, 0, K, 18);
    SET_D(t.dev, 0, N, 0);
    expect_code(t.dev, SK_HWERR_DESC_DIMS, 0, "N 0");
    SET_D(t.dev, 0, N, 5);
    expect_clean(t.dev, "restored");
    unload(&t);

    /* add: every spatial field 0 and PT >= KH are ignored, the output unchanged */
    load_add(&t);
    const uint32_t out = t.plan.addr[2], count = 3 * 2 * 3;
    uint8_t before[18];
    for (uint32_t j = 0; j < count; j++)
        before[j] = xt_get_byte(t.dev, xt_act_base(out), (out & 0xFFFFu) + j);
    for (uint32_t w = SK_XDESC_H_WORD; w < SK_XDESC_WORDS; w++)
        wr(t.dev, SK_WIN_XDESC_BASE + SK_XDESC_BYTES + 4 * w, 0);
    SET_X(t.dev, 1, PT, 3);
    SET_X(t.dev, 1, PL, 200);
    for (uint32_t j = 0; j < count; j++)
        xt_put_byte(t.dev, xt_act_base(out), (out & 0xFFFFu) + j, 0x55);
    expect_clean(t.dev, "add without spatial fields");
    for (uint32_t j = 0; j < count; j++)
        assert_int_equal(xt_get_byte(t.dev, xt_act_base(out), (out & 0xFFFFu) + j), before[j]);
    SET_D(t.dev, 1, K, 0);
    expect_code(t.dev, SK_HWERR_DESC_DIMS, 1, "add K 0");
    unload(&t);
}

/* DESC_CHAIN: IN_SIGNED is chained whatever the layers; K only when neither has EXT */
static void test_ext_error_chain(void **state)
{
    (void)state;
    loaded t;
    load_add(&t);
    SET_D(t.dev, 1, IN_SIGNED, 0);
    expect_code(t.dev, SK_HWERR_DESC_CHAIN, 1, "IN_SIGNED of an EXT layer");
    SET_D(t.dev, 1, IN_SIGNED, 1);
    SET_D(t.dev, 1, K, 999); /* != N 3 of layer 0: fine with EXT */
    expect_clean(t.dev, "K != N with EXT");
    /* layer 1 without EXT after the EXT layer 0: still no K chain (layer 0 has EXT) */
    SET_D(t.dev, 1, EXT, 0);
    SET_D(t.dev, 1, K, 7);
    SET_D(t.dev, 1, N, 2);
    expect_clean(t.dev, "dense K != N after an EXT layer");
    SET_D(t.dev, 1, IN_SIGNED, 0);
    expect_code(t.dev, SK_HWERR_DESC_CHAIN, 1, "IN_SIGNED of a dense layer after EXT");
    unload(&t);
}

/* DESC_FIELD: every EXT rule, and every reserved bit of XDESC words 0..11 */
static void test_ext_error_field(void **state)
{
    (void)state;
    loaded t;
    load_conv(&t, false);
    for (uint32_t kind = 5; kind <= 7; kind++) {
        SET_X(t.dev, 0, KIND, kind);
        expect_code(t.dev, SK_HWERR_DESC_FIELD, 0, "KIND 5..7");
    }
    for (uint32_t kind = SK_LAYER_MAXPOOL; kind <= SK_LAYER_ADD; kind++) {
        SET_X(t.dev, 0, KIND, kind);
        SET_X(t.dev, 0, DEPTHWISE, 1);
        expect_code(t.dev, SK_HWERR_DESC_FIELD, 0, "DEPTHWISE on a pool or add");
        SET_X(t.dev, 0, DEPTHWISE, 0);
        SET_D(t.dev, 0, RAW, 1);
        expect_code(t.dev, SK_HWERR_DESC_FIELD, 0, "RAW on a pool or add");
        SET_D(t.dev, 0, RAW, 0);
        SET_D(t.dev, 0, PER_CHANNEL, 1);
        expect_code(t.dev, SK_HWERR_DESC_FIELD, 0, "PER_CHANNEL on a pool or add");
        SET_D(t.dev, 0, PER_CHANNEL, 0);
    }
    SET_X(t.dev, 0, KIND, SK_LAYER_DENSE);
    SET_X(t.dev, 0, DEPTHWISE, 1);
    expect_code(t.dev, SK_HWERR_DESC_FIELD, 0, "DEPTHWISE on dense");
    SET_X(t.dev, 0, DEPTHWISE, 0);
    SET_X(t.dev, 0, KIND, SK_LAYER_CONV2D);
    SET_X(t.dev, 0, PT, 3);
    expect_code(t.dev, SK_HWERR_DESC_FIELD, 0, "PT = KH");
    SET_X(t.dev, 0, PT, 1);
    SET_X(t.dev, 0, PL, 3);
    expect_code(t.dev, SK_HWERR_DESC_FIELD, 0, "PL = KW");
    SET_D(t.dev, 0, SHIFT, 0x2F); /* -17 as well: DESC_FIELD is the lower code */
    SET_D(t.dev, 0, BIAS_BASE, 0xFFFF);
    expect_code(t.dev, SK_HWERR_DESC_FIELD, 0, "PL = KW, SHIFT -17, BIAS_BASE out");
    SET_D(t.dev, 0, SHIFT, 8);
    SET_D(t.dev, 0, BIAS_BASE, 0);
    SET_X(t.dev, 0, PL, 1);
    /* RAW: OUT_ADDR a multiple of 4 */
    SET_D(t.dev, 0, RAW, 1);
    for (uint32_t mis = 1; mis < 4; mis++) {
        SET_X(t.dev, 0, OUT_ADDR, 0x10000u + 4000 + mis);
        expect_code(t.dev, SK_HWERR_DESC_FIELD, 0, "RAW, OUT_ADDR not a multiple of 4");
    }
    SET_X(t.dev, 0, OUT_ADDR, 0x10000u + 4000);
    expect_clean(t.dev, "RAW, OUT_ADDR a multiple of 4");
    SET_D(t.dev, 0, RAW, 0);
    SET_X(t.dev, 0, OUT_ADDR, t.plan.addr[1]);
    expect_clean(t.dev, "restored");
    /* reserved bits: the lowest and highest of each word that has some */
    static const uint32_t reserved[SK_XDESC_WORDS] = {
        SK_XDESC_W0_RESERVED_MASK, SK_XDESC_W1_RESERVED_MASK,  SK_XDESC_W2_RESERVED_MASK,
        SK_XDESC_W3_RESERVED_MASK, SK_XDESC_W4_RESERVED_MASK,  SK_XDESC_W5_RESERVED_MASK,
        SK_XDESC_W6_RESERVED_MASK, SK_XDESC_W7_RESERVED_MASK,  SK_XDESC_W8_RESERVED_MASK,
        SK_XDESC_W9_RESERVED_MASK, SK_XDESC_W10_RESERVED_MASK, SK_XDESC_W11_RESERVED_MASK,
    };
    unsigned words_with_reserved = 0;
    for (uint32_t w = 0; w < SK_XDESC_WORDS; w++) {
        if (!reserved[w])
            continue;
        words_with_reserved++;
        const uint32_t off = SK_WIN_XDESC_BASE + 4 * w, keep = rd(t.dev, off);
        const uint32_t low = reserved[w] & -reserved[w], high = 1u << 31;
        assert_true(reserved[w] & high);
        wr(t.dev, off, keep | low);
        expect_code(t.dev, SK_HWERR_DESC_FIELD, 0, "XDESC reserved bit (lowest)");
        wr(t.dev, off, keep | high);
        expect_code(t.dev, SK_HWERR_DESC_FIELD, 0, "XDESC reserved bit (highest)");
        wr(t.dev, off, keep);
    }
    assert_int_equal(words_with_reserved, 8); /* words 0-3 and 8-11 */
    /* words 12..15 of the slot are never read */
    wr(t.dev, SK_WIN_XDESC_BASE + 48, 0xFFFFFFFF);
    wr(t.dev, SK_WIN_XDESC_BASE + 60, 0xFFFFFFFF);
    expect_clean(t.dev, "slot words 12..15 set");
    unload(&t);
}

/* SHIFT_RANGE: the descriptor's SHIFT for every kind (pool and add requantize with it),
 * a per-channel entry when its channel is requantized, never on RAW */
static void test_ext_error_shift(void **state)
{
    (void)state;
    loaded t;
    for (uint32_t kind = SK_LAYER_MAXPOOL; kind <= SK_LAYER_AVGPOOL; kind++) {
        load_pool(&t, (sk_layer_kind)kind);
        SET_D(t.dev, 0, SHIFT, 0x2F); /* -17 */
        expect_code(t.dev, SK_HWERR_SHIFT_RANGE, 0, "pool SHIFT -17");
        SET_D(t.dev, 0, SHIFT, 0x30); /* -16 */
        expect_clean(t.dev, "pool SHIFT -16");
        unload(&t);
    }
    load_add(&t);
    SET_D(t.dev, 1, SHIFT, 0x2F);
    expect_code(t.dev, SK_HWERR_SHIFT_RANGE, 1, "add SHIFT -17");
    unload(&t);
    load_conv(&t, true);
    xt_put_byte(t.dev, SK_WIN_SHIFT_BASE, 3, 0xEF); /* channel 3: -17 */
    expect_code(t.dev, SK_HWERR_SHIFT_RANGE, 0, "per-channel -17");
    xt_put_byte(t.dev, SK_WIN_SHIFT_BASE, 3, 32);
    expect_code(t.dev, SK_HWERR_SHIFT_RANGE, 0, "per-channel 32");
    SET_D(t.dev, 0, RAW, 1);
    SET_X(t.dev, 0, OUT_ADDR, 0x10000u);
    expect_clean(t.dev, "RAW ignores the shifts");
    unload(&t);
}

/* WEIGHT_RANGE as rows W_BASE + g*T + t are issued (dense and conv2d only),
 * BIAS_RANGE (dense and conv2d only), SHIFT_ADDR_RANGE */
static void test_ext_error_memories(void **state)
{
    (void)state;
    loaded t;
    load_conv(&t, true); /* T = 18, one group: rows W_BASE .. W_BASE + 17 */
    SET_D(t.dev, 0, W_BASE, 16384 - 18);
    expect_clean(t.dev, "last row is the memory's last");
    SET_D(t.dev, 0, W_BASE, 16384 - 17);
    expect_code(t.dev, SK_HWERR_WEIGHT_RANGE, 0, "one row past the memory");
    SET_D(t.dev, 0, W_BASE, 0xFFFFFF);
    expect_code(t.dev, SK_HWERR_WEIGHT_RANGE, 0, "W_BASE past the memory");
    /* ACT_RANGE before the run beats WEIGHT_RANGE found as rows issue */
    SET_X(t.dev, 0, IN_ADDR, 16384);
    expect_code(t.dev, SK_HWERR_ACT_RANGE, 0, "IN_ADDR out and W_BASE out");
    SET_X(t.dev, 0, IN_ADDR, t.plan.addr[0]);
    SET_D(t.dev, 0, W_BASE, 0);
    SET_D(t.dev, 0, BIAS_BASE, 2048 - 5);
    expect_clean(t.dev, "biases end at the memory's end");
    SET_D(t.dev, 0, BIAS_BASE, 2048 - 4);
    expect_code(t.dev, SK_HWERR_BIAS_RANGE, 0, "one bias past the memory");
    SET_D(t.dev, 0, BIAS_BASE, 0);
    SET_D(t.dev, 0, SHIFT_BASE, 2048 - 5);
    expect_clean(t.dev, "shift entries end at the memory's end");
    SET_D(t.dev, 0, SHIFT_BASE, 2048 - 4);
    expect_code(t.dev, SK_HWERR_SHIFT_ADDR_RANGE, 0, "one shift entry past the memory");
    SET_D(t.dev, 0, BIAS_BASE, 2048 - 4);
    expect_code(t.dev, SK_HWERR_BIAS_RANGE, 0, "both: the lower code");
    unload(&t);

    /* depthwise: N*T rows, group g = channel g */
    const uint32_t pad1[4] = {1, 1, 1, 1};
    new_model(&t.m, 1, (sk_shape){4, 4, 3}, s8, -4);
    conv(&t.m, 0, 3, 3, 3, 1, 1, pad1, true, false);
    fill_weighted(&t.m, 0, 7, s8, SK_ROUND_FLOOR);
    load(&t, 1);
    SET_D(t.dev, 0, W_BASE, 16384 - 27);
    expect_clean(t.dev, "depthwise rows end at the memory's end");
    SET_D(t.dev, 0, W_BASE, 16384 - 26);
    expect_code(t.dev, SK_HWERR_WEIGHT_RANGE, 0, "depthwise row past the memory");
    unload(&t);

    /* pools and add read no rows, biases or shift entries */
    load_pool(&t, SK_LAYER_AVGPOOL);
    SET_D(t.dev, 0, W_BASE, 0xFFFFFF);
    SET_D(t.dev, 0, BIAS_BASE, 0xFFFF);
    SET_D(t.dev, 0, SHIFT_BASE, 0xFFFF);
    expect_clean(t.dev, "avgpool with every base out of range");
    unload(&t);
    load_add(&t);
    SET_D(t.dev, 1, W_BASE, 0xFFFFFF);
    SET_D(t.dev, 1, BIAS_BASE, 0xFFFF);
    expect_clean(t.dev, "add with every base out of range");
    unload(&t);
}

/* ACT_RANGE: addresses before the run, a real tap's byte as it issues, an output as it
 * enters the requant unit; padding taps read nothing and never fail */
static void test_ext_error_act(void **state)
{
    (void)state;
    loaded t;
    load_conv(&t, false); /* input at ACT0 0 (padding taps lie before it), output ACT1 0 */
    assert_int_equal(t.plan.addr[0], 0);
    SET_X(t.dev, 0, IN_ADDR, 16384);
    expect_code(t.dev, SK_HWERR_ACT_RANGE, 0, "IN_ADDR offset = ACT_BYTES");
    SET_X(t.dev, 0, IN_ADDR, 0x10000u | 0xFFFFu);
    expect_code(t.dev, SK_HWERR_ACT_RANGE, 0, "IN_ADDR offset 0xFFFF in ACT1");
    SET_X(t.dev, 0, IN_ADDR, 0);
    SET_X(t.dev, 0, OUT_ADDR, 0x10000u | 16384);
    expect_code(t.dev, SK_HWERR_ACT_RANGE, 0, "OUT_ADDR offset = ACT_BYTES");
    SET_X(t.dev, 0, OUT_ADDR, t.plan.addr[1]);
    SET_X(t.dev, 0, SRC_ADDR, 0x1FFFF); /* not an add: SRC_ADDR is not looked at */
    expect_clean(t.dev, "conv with SRC_ADDR out of range");
    SET_X(t.dev, 0, SRC_ADDR, 0);
    /* the input's last bytes past the end: 50 bytes at 16384 - 40 */
    SET_X(t.dev, 0, IN_ADDR, 16384 - 40);
    expect_code(t.dev, SK_HWERR_ACT_RANGE, 0, "taps past the end");
    SET_X(t.dev, 0, IN_ADDR, 16384 - 50);
    expect_clean(t.dev, "input ends at the buffer's end");
    /* a real tap before the start: no padding (PT = PL = 0) but a PAD_OFFSET */
    SET_X(t.dev, 0, IN_ADDR, 3);
    SET_X(t.dev, 0, PT, 0);
    SET_X(t.dev, 0, PL, 0);
    SET_X(t.dev, 0, PAD_OFFSET, 4);
    expect_code(t.dev, SK_HWERR_ACT_RANGE, 0, "a tap at byte -1");
    SET_X(t.dev, 0, PAD_OFFSET, 3);
    expect_clean(t.dev, "the same tap at byte 0");
    SET_X(t.dev, 0, IN_ADDR, 0);
    SET_X(t.dev, 0, PT, 1);
    SET_X(t.dev, 0, PL, 1);
    SET_X(t.dev, 0, PAD_OFFSET, (1 * 5 + 1) * 2);
    /* output: 5x5x5 = 125 bytes */
    SET_X(t.dev, 0, OUT_ADDR, 0x10000u | (16384 - 125));
    expect_clean(t.dev, "output ends at the buffer's end");
    SET_X(t.dev, 0, OUT_ADDR, 0x10000u | (16384 - 124));
    expect_code(t.dev, SK_HWERR_ACT_RANGE, 0, "last output past the end");
    SET_D(t.dev, 0, RAW, 1);
    SET_X(t.dev, 0, OUT_ADDR, 16384 - 500);
    expect_clean(t.dev, "raw output ends at the buffer's end");
    SET_X(t.dev, 0, OUT_ADDR, 16384 - 496);
    expect_code(t.dev, SK_HWERR_ACT_RANGE, 0, "last raw word past the end");
    unload(&t);

    load_add(&t);
    SET_X(t.dev, 1, SRC_ADDR, 16384);
    expect_code(t.dev, SK_HWERR_ACT_RANGE, 1, "add SRC_ADDR offset = ACT_BYTES");
    SET_X(t.dev, 1, SRC_ADDR, 16384 - 17); /* 18 elements: the last one past the end */
    expect_code(t.dev, SK_HWERR_ACT_RANGE, 1, "add operand b past the end");
    SET_X(t.dev, 1, SRC_ADDR, 16384 - 18);
    expect_clean(t.dev, "add operand b ends at the buffer's end");
    unload(&t);
}

/* Run-time errors come in the order of their cycles (docs/regmap.md "Timing": block
 * j's last tap issues E_j = E_{j-1} + max(T, 3, a_{j-1}) cycles after block j-1's, its
 * taps before it on consecutive cycles; its channels enter the requant unit one per
 * cycle from 3 cycles after its last tap). 1xW maps, 1xKW kernels, N = 16 at 8 lanes:
 * two groups per pixel. */
static void test_ext_error_order(void **state)
{
    (void)state;
    loaded t;
    /* T = 1: block 0's channels enter at cycles 3..10, block 1's tap issues at
     * 0 + max(1, 3, 8) = 8. Channel 1 of block 0 (cycle 4) is past the buffer, block
     * 1's row past the weights: ACT_RANGE comes first. */
    new_model(&t.m, 1, (sk_shape){1, 2, 1}, s8, -4);
    conv(&t.m, 0, 16, 1, 1, 1, 1, no_pad, false, true);
    fill_weighted(&t.m, 0, 4, s8, SK_ROUND_FLOOR);
    load(&t, 1);
    SET_D(t.dev, 0, W_BASE, 16384 - 1);
    expect_code(t.dev, SK_HWERR_WEIGHT_RANGE, 0, "row of block 1");
    SET_X(t.dev, 0, OUT_ADDR, 0x10000u | (16384 - 1));
    expect_code(t.dev, SK_HWERR_ACT_RANGE, 0, "output at cycle 4 before row at cycle 8");
    SET_X(t.dev, 0, OUT_ADDR, 0x10000u | (16384 - 6));
    expect_code(t.dev, SK_HWERR_WEIGHT_RANGE, 0, "row at cycle 8 before output at cycle 9");
    /* rtl/sk_core.v: in one cycle an output's ACT_RANGE wins over WEIGHT_RANGE */
    SET_X(t.dev, 0, OUT_ADDR, 0x10000u | (16384 - 5));
    expect_code(t.dev, SK_HWERR_ACT_RANGE, 0, "output and row both at cycle 8");
    /* rtl/sk_requant.v: a per-channel shift is checked the cycle after its channel
     * enters and reported from a register the cycle after that: channel 4's at 9,
     * after the row at 8; channel 3's at 8, where it wins over WEIGHT_RANGE */
    SET_X(t.dev, 0, OUT_ADDR, t.plan.addr[1]);
    xt_put_byte(t.dev, SK_WIN_SHIFT_BASE, 4, 0xEF);
    expect_code(t.dev, SK_HWERR_WEIGHT_RANGE, 0, "row at 8 before channel 4's shift at 9");
    xt_put_byte(t.dev, SK_WIN_SHIFT_BASE, 3, 0xEF);
    expect_code(t.dev, SK_HWERR_SHIFT_RANGE, 0, "channel 3's shift and the row at 8");
    unload(&t);
    /* T = 5: block 1's taps issue at cycles 5..8 (its first row past the weights), block
     * 0's channel 7 enters at 4 + 3 + 7 = 14 (past the buffer): WEIGHT_RANGE first. */
    new_model(&t.m, 1, (sk_shape){1, 5, 1}, s8, -4);
    conv(&t.m, 0, 16, 1, 5, 1, 1, no_pad, false, false);
    fill_weighted(&t.m, 0, 4, s8, SK_ROUND_FLOOR);
    load(&t, 1);
    SET_X(t.dev, 0, OUT_ADDR, 0x10000u | (16384 - 7));
    expect_code(t.dev, SK_HWERR_ACT_RANGE, 0, "channel 7 past the buffer");
    SET_D(t.dev, 0, W_BASE, 16384 - 5);
    expect_code(t.dev, SK_HWERR_WEIGHT_RANGE, 0, "row at cycle 5 before output at 14");
    unload(&t);
    /* rtl/sk_core.v: an output past the buffer is found as it enters the requant unit,
     * its per-channel shift two cycles later, and in one cycle a shift error wins over
     * an output's ACT_RANGE. Channel c enters at cycle 3 + c. */
    new_model(&t.m, 1, (sk_shape){1, 1, 1}, s8, -4);
    conv(&t.m, 0, 8, 1, 1, 1, 1, no_pad, false, true);
    fill_weighted(&t.m, 0, 4, s8, SK_ROUND_FLOOR);
    load(&t, 1);
    xt_put_byte(t.dev, SK_WIN_SHIFT_BASE, 5, 0xEF); /* channel 5: -17 */
    SET_X(t.dev, 0, OUT_ADDR, 0x10000u | (16384 - 5));
    expect_code(t.dev, SK_HWERR_ACT_RANGE, 0, "channel 5 past the buffer and bad shift");
    SET_X(t.dev, 0, OUT_ADDR, 0x10000u | (16384 - 6));
    expect_code(t.dev, SK_HWERR_ACT_RANGE, 0, "channel 6 past at 9, channel 5's shift at 10");
    SET_X(t.dev, 0, OUT_ADDR, 0x10000u | (16384 - 7));
    expect_code(t.dev, SK_HWERR_SHIFT_RANGE, 0, "channel 5's shift and channel 7 past at 10");
    unload(&t);
}

/* ---- version 1.0 descriptors run unchanged ---- */

/* The hand model (sk_drv_test_util.h) written as version 1.0 lays it out: ping-pong
 * buffers, rows W_BASE + b*K + k, no EXT. */
static void load_v10(sk_device *dev, const sk_model *m)
{
    uint32_t rows = 0, biases = 0;
    for (uint32_t i = 0; i < m->num_layers; i++) {
        const sk_layer *l = &m->layers[i];
        for (uint32_t co = 0; co < l->n; co++) {
            for (uint32_t k = 0; k < l->k; k++)
                xt_put_byte(dev, SK_WIN_WEIGHTS_BASE, (rows + co / 8 * l->k + k) * 8 + co % 8,
                            (uint8_t)l->weights[co * l->k + k]);
            wr(dev, SK_WIN_BIAS_BASE + 4 * (biases + co), (uint32_t)l->bias[co]);
            if (l->per_channel)
                xt_put_byte(dev, SK_WIN_SHIFT_BASE, biases + co, (uint8_t)sk_layer_shift(m, i, co));
        }
        uint32_t d[4] = {0};
        XT_DESC(d, K, l->k);
        XT_DESC(d, N, l->n);
        XT_DESC(d, W_BASE, rows);
        XT_DESC(d, BIAS_BASE, biases);
        XT_DESC(d, SHIFT_BASE, biases);
        xt_desc_word3(m, i, d);
        for (uint32_t w = 0; w < 4; w++)
            wr(dev, SK_WIN_DESC_BASE + 16 * i + 4 * w, d[w]);
        rows += (l->n + 7) / 8 * l->k;
        biases += l->n;
    }
    wr(dev, SK_REG_NUM_LAYERS, m->num_layers);
}

/* docs/regmap.md "Timing", written out: 6 (or 14 with EXT) + K + sum max(K, 3, a) + a + 9 */
static uint64_t formula_layer(uint32_t fetch, uint32_t lanes, uint32_t k, uint32_t n)
{
    uint32_t blocks = (n + lanes - 1) / lanes;
    uint64_t c = fetch + k;
    for (uint32_t b = 1; b < blocks; b++) {
        uint32_t a = n - (b - 1) * lanes < lanes ? n - (b - 1) * lanes : lanes;
        uint32_t m = k > 3 ? k : 3;
        c += m > a ? m : a;
    }
    return c + (n - (blocks - 1) * lanes) + 9;
}

static void test_v10_dense_unchanged(void **state)
{
    (void)state;
    sk_model m;
    test_hand_model(&m);
    const int32_t x[3] = {-128, 77, 5};
    sk_tensor in = {SK_DTYPE_INT32, 2, {1, 3}, (int32_t *)x}, want;
    sk_error err = {{0}};
    assert_int_equal(sk_infer(&m, &in, "hand", &want, NULL, &err), SK_OK);
    const uint64_t cycles = 1 + formula_layer(6, 8, 3, 10) + formula_layer(6, 8, 10, 2);
    for (uint32_t cnn = 0; cnn < 2; cnn++) {
        sk_device *dev = make_cfg(8, cnn);
        load_v10(dev, &m);
        wr(dev, SK_WIN_ACT0_BASE, 0x00054D80); /* -128, 77, 5 */
        assert_int_equal(xt_run(dev), SK_STATUS_DONE_MASK);
        for (uint32_t j = 0; j < 2; j++) /* 2 layers: output in ACT0, raw words */
            assert_int_equal((int32_t)rd(dev, SK_WIN_ACT0_BASE + 4 * j), want.data[j]);
        assert_int_equal(rd(dev, SK_REG_PERF_CYCLES), cycles);
        assert_int_equal(rd(dev, SK_REG_PERF_MACS), 3 * 10 + 10 * 2);
        assert_int_equal(rd(dev, SK_REG_PERF_STALLS), cycles - (2 * 3 + 1 * 10));
        sk_device_free(dev);
    }
    /* the same model as EXT dense layers: same output, 8 more fetch cycles a layer */
    sk_device *dev = make_cfg(8, 1);
    xt_plan plan = {{0x00000, 0x10000, 0x00100}};
    uint32_t got = xt_check_golden(dev, &m, &plan, x, 1, "hand model as EXT");
    assert_int_equal(got, 1 + formula_layer(14, 8, 3, 10) + formula_layer(14, 8, 10, 2));
    assert_int_equal(rd(dev, SK_REG_PERF_MACS), 3 * 10 + 10 * 2);
    sk_device_free(dev);
    sk_tensor_free(&want);
    sk_model_free(&m);
}

/* Random EXT descriptors within small bounds never wedge or crash the model (ASan and
 * UBSan in test-drv-asan): every run ends DONE, ERROR exactly when ERR_CODE != 0. */
static void test_ext_random_never_hangs(void **state)
{
    (void)state;
    sk_device *dev = make_cfg(5, 1);
    uint64_t x = 0x243F6A8885A308D3u;
#define R(lo, hi) ((uint32_t)xt_rand(&x, (lo), (hi)))
    unsigned codes[SK_HWERR_COUNT] = {0};
    for (int run = 0; run < 3000; run++) {
        uint32_t layers = R(1, 3);
        /* half the runs keep every field legal, so later layers and run-time errors
         * are reached as well */
        const bool legal = R(0, 1);
        const uint32_t lo = legal ? 1 : 0;
        for (uint32_t l = 0; l < layers; l++) {
            uint32_t d[4] = {0}, xd[12] = {0};
            XT_DESC(d, K, R(lo, 40));
            XT_DESC(d, N, R(lo, 30));
            XT_DESC(d, W_BASE, R(0, 1) ? R(0, 64) : R(16300, 16400));
            XT_DESC(d, BIAS_BASE, R(0, 2060));
            XT_DESC(d, SHIFT_BASE, R(0, 2060));
            d[3] = (uint32_t)R(0, 0x3FFFF) | SK_DESC_EXT_MASK;
            if (legal || R(0, 3))
                d[3] = (d[3] & ~(SK_DESC_OUT_BITS_MASK | SK_DESC_RAW_MASK | SK_DESC_SHIFT_MASK)) |
                       8u << SK_DESC_OUT_BITS_SHIFT | R(0, 20);
            const uint32_t kind = R(0, legal ? 4 : 7);
            if (legal && kind > 1) /* per-channel shifts on dense and conv2d only */
                d[3] &= ~SK_DESC_PER_CHANNEL_MASK;
            XT_XDESC(xd, KIND, kind);
            XT_XDESC(xd, DEPTHWISE, (!legal || kind == 1) && R(0, 4) == 0);
            XT_XDESC(xd, SRC_SIGNED, R(0, 1));
            XT_XDESC(xd, A_SHIFT, R(0, 31));
            XT_XDESC(xd, B_SHIFT, R(0, 31));
            XT_XDESC(xd, IN_ADDR, R(0, 1) ? R(0, 600) : R(0, 0x1FFFF));
            XT_XDESC(xd, OUT_ADDR, R(0, 1) ? R(0, 600) | 0x10000u : R(0, 0x1FFFF));
            XT_XDESC(xd, SRC_ADDR, R(0, 0x1FFFF));
            XT_XDESC(xd, H, R(lo, 9));
            XT_XDESC(xd, W, R(lo, 9));
            XT_XDESC(xd, C, R(lo, 6));
            const uint32_t kh = R(lo, 4), kw = R(lo, 4);
            XT_XDESC(xd, KH, kh);
            XT_XDESC(xd, KW, kw);
            XT_XDESC(xd, SH, R(lo, 3));
            XT_XDESC(xd, SW, R(lo, 3));
            XT_XDESC(xd, PT, legal ? R(0, kh - 1) : R(0, 4));
            XT_XDESC(xd, PL, legal ? R(0, kw - 1) : R(0, 4));
            XT_XDESC(xd, OH, R(lo, 9));
            XT_XDESC(xd, OW, R(lo, 9));
            XT_XDESC(xd, ROW_STEP, R(0, 1) ? R(0, 60) : R(0, 0xFFFFFF));
            XT_XDESC(xd, PIX_STEP, R(0, 20));
            XT_XDESC(xd, OROW_STEP, R(0, 200));
            XT_XDESC(xd, PAD_OFFSET, R(0, 1) ? R(0, 60) : R(0, 0x1FFFFFF));
            if (!legal && R(0, 7) == 0)
                xd[R(0, 11)] |= 1u << 31;
            for (uint32_t w = 0; w < 4; w++)
                wr(dev, SK_WIN_DESC_BASE + 16 * l + 4 * w, d[w]);
            for (uint32_t w = 0; w < 12; w++)
                wr(dev, SK_WIN_XDESC_BASE + SK_XDESC_BYTES * l + 4 * w, xd[w]);
            xt_put_byte(dev, SK_WIN_SHIFT_BASE, R(0, 2047), (uint8_t)R(0, 255));
        }
        wr(dev, SK_REG_NUM_LAYERS, layers);
        uint32_t st = xt_run(dev);
        assert_int_equal(st & (SK_STATUS_BUSY_MASK | SK_STATUS_DONE_MASK), SK_STATUS_DONE_MASK);
        uint32_t code = (st & SK_STATUS_ERR_CODE_MASK) >> SK_STATUS_ERR_CODE_SHIFT;
        assert_int_equal((st & SK_STATUS_ERROR_MASK) != 0, code != SK_HWERR_NONE);
        assert_true(code < SK_HWERR_COUNT);
        /* PERF_CYCLES = issue cycles + PERF_STALLS, and a cycle issues at most 5 lanes */
        uint32_t cycles = rd(dev, SK_REG_PERF_CYCLES), stalls = rd(dev, SK_REG_PERF_STALLS);
        assert_true(stalls <= cycles);
        assert_true(rd(dev, SK_REG_PERF_MACS) <= 5ull * (cycles - stalls));
        codes[code]++;
        wr(dev, SK_REG_CTRL, SK_CTRL_IRQ_CLEAR_MASK);
    }
#undef R
    /* the bounds reach clean runs and every code a descriptor can raise */
    for (uint32_t code = SK_HWERR_NONE; code < SK_HWERR_COUNT; code++)
        if (code != SK_HWERR_NUM_LAYERS && codes[code] == 0)
            fail_msg("no run ended with %s", sk_hwerr_name(code));
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
        cmocka_unit_test(test_features_register),
        cmocka_unit_test(test_xdesc_window),
        cmocka_unit_test(test_ext_dense),
        cmocka_unit_test(test_ext_conv_stride2),
        cmocka_unit_test(test_ext_conv_padding),
        cmocka_unit_test(test_ext_depthwise),
        cmocka_unit_test(test_ext_maxpool),
        cmocka_unit_test(test_ext_avgpool),
        cmocka_unit_test(test_ext_add),
        cmocka_unit_test(test_ext_raw_conv_head),
        cmocka_unit_test(test_ext_chain),
        cmocka_unit_test(test_ext_gen_cases),
        cmocka_unit_test(test_ext_error_without_cnn),
        cmocka_unit_test(test_ext_error_dims),
        cmocka_unit_test(test_ext_error_chain),
        cmocka_unit_test(test_ext_error_field),
        cmocka_unit_test(test_ext_error_shift),
        cmocka_unit_test(test_ext_error_memories),
        cmocka_unit_test(test_ext_error_act),
        cmocka_unit_test(test_ext_error_order),
        cmocka_unit_test(test_v10_dense_unchanged),
        cmocka_unit_test(test_ext_random_never_hangs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
