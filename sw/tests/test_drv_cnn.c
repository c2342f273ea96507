/* test_drv_cnn.c — the driver lowers CNN models (datapath §10-§14) onto EXT
 * descriptors (docs/regmap.md "Extension descriptor (XDESC)", "Extension layers").
 *
 * Register images are checked on a register-file stub (a bus that stores every word
 * and answers the build-parameter registers), so descriptor and extension words are
 * compared with values worked out by hand from docs/regmap.md and docs/driver.md's
 * placement rule, never taken from the driver. Runs go through the C device model
 * and are compared, whole output tensors, with the golden model (sk_infer): hand-built
 * models of every kind, a residual add whose skip spans several layers, and the
 * `shiftkit gen --cnn` cases on builds of several lane counts. Also the refusals: a
 * device without FEATURES.CNN (before any write), activations that do not fit, and a
 * kernel too large for its 8-bit field. */
#include <stdio.h>
#include <stdlib.h>

#include "sk_drv_test_util.h"
#include "shiftkit/sk_regs.h"

static void assert_msg_has(const sk_error *err, const char *needle)
{
    if (!strstr(err->msg, needle))
        fail_msg("message \"%s\" lacks \"%s\"", err->msg, needle);
}

/* ---- a register-file stub: the default build's parameters, memories as plain words ---- */

typedef struct stub_dev {
    uint32_t *mem;     /* the whole 24-bit address space, one word per 4 bytes */
    uint32_t version;  /* VERSION; a 1.0 stub answers SLVERR for FEATURES and XDESC */
} stub_dev;

#define STUB_WORDS ((1u << SK_ADDR_WIDTH) / 4)

static bool stub_is_10(const stub_dev *s)
{
    return (s->version & SK_VERSION_MINOR_MASK) == 0;
}

static int stub_read32(void *ctx, uint32_t offset, uint32_t *value)
{
    stub_dev *s = ctx;
    if (offset / 4 >= STUB_WORDS || (stub_is_10(s) && offset == SK_REG_FEATURES))
        return -1;
    *value = s->mem[offset / 4];
    return 0;
}

static int stub_write32(void *ctx, uint32_t offset, uint32_t value)
{
    stub_dev *s = ctx;
    bool xdesc_window = offset >= SK_WIN_XDESC_BASE &&
                        offset < SK_WIN_XDESC_BASE + SK_WIN_XDESC_SPAN;
    if (offset / 4 >= STUB_WORDS || (stub_is_10(s) && xdesc_window))
        return -1;
    if (offset != SK_REG_CTRL) /* pulses only: nothing runs here */
        s->mem[offset / 4] = value;
    return 0;
}

static sk_hal_wait_result stub_wait_irq(void *ctx, uint32_t timeout_us)
{
    (void)ctx;
    (void)timeout_us;
    return SK_HAL_TIMEOUT;
}

static void stub_init(stub_dev *s, uint32_t version, uint32_t features, uint32_t act_bytes)
{
    s->mem = calloc(STUB_WORDS, sizeof *s->mem);
    assert_non_null(s->mem);
    s->version = version;
    s->mem[SK_REG_ID / 4] = SK_ID_MAGIC;
    s->mem[SK_REG_VERSION / 4] = version;
    s->mem[SK_REG_LANES / 4] = 8;
    s->mem[SK_REG_WEIGHT_ROWS / 4] = 16384;
    s->mem[SK_REG_WEIGHT_ROW_BYTES / 4] = 8;
    s->mem[SK_REG_BIAS_DEPTH / 4] = 2048;
    s->mem[SK_REG_SHIFT_DEPTH / 4] = 2048;
    s->mem[SK_REG_ACT_BYTES / 4] = act_bytes;
    s->mem[SK_REG_MAX_LAYERS / 4] = 64;
    s->mem[SK_REG_MAX_BATCH / 4] = 1;
    s->mem[SK_REG_FEATURES / 4] = features;
}

/* A stub behind the recording HAL and a driver opened on it; the log is cleared. */
typedef struct stub_rig {
    stub_dev dev;
    sk_rec_hal rec;
    sk_hal hal;
    sk_drv *drv;
} stub_rig;

static void stub_open(stub_rig *r, uint32_t version, uint32_t features, uint32_t act_bytes)
{
    stub_init(&r->dev, version, features, act_bytes);
    sk_hal inner = {&r->dev, stub_read32, stub_write32, stub_wait_irq};
    sk_rec_hal_init(&r->rec, &inner);
    sk_rec_hal_as_hal(&r->rec, &r->hal);
    r->drv = test_open(&r->hal, NULL);
    sk_rec_hal_clear(&r->rec);
}

static void stub_close(stub_rig *r)
{
    sk_drv_close(r->drv);
    sk_rec_hal_free(&r->rec);
    free(r->dev.mem);
}

static uint32_t xdesc(const stub_dev *s, uint32_t layer, uint32_t word)
{
    return s->mem[(SK_WIN_XDESC_BASE + SK_XDESC_BYTES * layer) / 4 + word];
}

/* ---- model building ---- */

typedef struct lcg {
    uint64_t s;
} lcg;

static int32_t rnd(lcg *r, int32_t lo, int32_t hi)
{
    r->s = r->s * 6364136223846793005u + 1442695040888963407u;
    return lo + (int32_t)((r->s >> 33) % (uint64_t)(hi - lo + 1));
}

static sk_shape out_of(const sk_model *m, uint32_t i)
{
    return i == 0 ? sk_model_in_shape(m) : sk_layer_out_shape(m, i - 1);
}

/* Layer i, a conv2d over the previous output (or the input): random 8-bit weights,
 * small biases, w_exp 0 (per channel -2..0 when asked), e_out = e_in + 6. */
static void make_conv(sk_model *m, uint32_t i, uint32_t cout, uint32_t kh, uint32_t kw,
                      uint32_t sh, uint32_t sw, const uint32_t pad[4], bool depthwise,
                      bool per_channel, lcg *r)
{
    sk_layer *l = &m->layers[i];
    const sk_shape in = out_of(m, i);
    const uint32_t n = depthwise ? in.c : cout, k = kh * kw * (depthwise ? 1 : in.c);
    assert_int_equal(sk_layer_alloc(l, k, n, per_channel), SK_OK);
    l->kind = SK_LAYER_CONV2D;
    l->geom = (sk_geometry){.in_h = in.h, .in_w = in.w, .in_c = in.c, .kernel_h = kh,
                            .kernel_w = kw, .stride_h = sh, .stride_w = sw, .pad_top = pad[0],
                            .pad_left = pad[1], .pad_bottom = pad[2], .pad_right = pad[3],
                            .groups = depthwise ? in.c : 1};
    l->w_bits = 8;
    l->out = (sk_qtype){8, true};
    l->rounding = SK_ROUND_HALF_EVEN;
    l->out_exp = (int8_t)(sk_layer_in_exp(m, i) + 6);
    for (uint32_t c = 0; c < (per_channel ? n : 1); c++)
        l->w_exp[c] = (int8_t)(per_channel ? rnd(r, -2, 0) : 0);
    for (uint32_t c = 0; c < n; c++)
        l->bias[c] = rnd(r, -300, 300);
    for (size_t j = 0; j < (size_t)n * k; j++)
        l->weights[j] = (int8_t)rnd(r, -127, 127);
}

static void make_pool(sk_model *m, uint32_t i, sk_layer_kind kind, uint32_t kh, uint32_t kw,
                      uint32_t sh, uint32_t sw, bool relu)
{
    sk_layer *l = &m->layers[i];
    const sk_shape in = out_of(m, i);
    l->kind = kind;
    l->n = in.c;
    l->geom = (sk_geometry){.in_h = in.h, .in_w = in.w, .in_c = in.c, .kernel_h = kh,
                            .kernel_w = kw, .stride_h = sh, .stride_w = sw};
    l->out = sk_layer_in_type(m, i); /* maxpool: the input's type and exponent (§12) */
    l->out_exp = (int8_t)sk_layer_in_exp(m, i);
    l->rounding = kind == SK_LAYER_MAXPOOL ? SK_ROUND_FLOOR : SK_ROUND_HALF_UP;
    l->relu = relu;
}

/* An add of the previous output and `src` (a layer or SK_SRC_INPUT), e_out one above
 * the common exponent. */
static void make_add(sk_model *m, uint32_t i, uint32_t src, sk_rounding mode)
{
    sk_layer *l = &m->layers[i];
    const sk_shape in = out_of(m, i);
    l->kind = SK_LAYER_ADD;
    l->n = in.c;
    l->geom = (sk_geometry){.in_h = in.h, .in_w = in.w, .in_c = in.c, .src = src};
    l->out = (sk_qtype){8, true};
    l->rounding = mode;
    int ea = sk_layer_in_exp(m, i), eb = sk_add_src_exp(m, i);
    l->out_exp = (int8_t)((ea < eb ? ea : eb) + 1);
}

static void make_dense(sk_model *m, uint32_t i, uint32_t n, bool raw, lcg *r)
{
    sk_layer *l = &m->layers[i];
    const uint32_t k = (uint32_t)sk_shape_size(out_of(m, i));
    assert_int_equal(sk_layer_alloc(l, k, n, false), SK_OK);
    l->w_bits = 8;
    l->out = (sk_qtype){8, true};
    l->rounding = SK_ROUND_HALF_AWAY;
    l->raw_output = raw;
    l->out_exp = (int8_t)(sk_layer_in_exp(m, i) + 7);
    for (uint32_t c = 0; c < n; c++)
        l->bias[c] = rnd(r, -100, 100);
    for (size_t j = 0; j < (size_t)n * k; j++)
        l->weights[j] = (int8_t)rnd(r, -127, 127);
}

static void begin_model(sk_model *m, uint32_t layers, sk_shape in)
{
    assert_int_equal(sk_model_init(m, layers), SK_OK);
    m->in = (sk_qtype){8, true};
    m->in_exp = -4;
    /* the input shape lives in layer 0's geometry (a spatial kind's, until make_* sets
     * the real kind) */
    m->layers[0].kind = SK_LAYER_CONV2D;
    m->layers[0].geom = (sk_geometry){.in_h = in.h, .in_w = in.w, .in_c = in.c};
}

static void validate(const sk_model *m)
{
    sk_error err = {{0}};
    if (sk_model_validate(m, "test model", &err) != SK_OK)
        fail_msg("%s", err.msg);
}

/* Load `m` on `drv`, run `batch` random samples and compare every output value with
 * sk_infer. */
static void run_vs_golden(sk_drv *drv, const sk_model *m, size_t batch, uint64_t seed,
                          const char *label)
{
    const sk_shape in = sk_model_in_shape(m);
    const size_t k0 = (size_t)sk_shape_size(in);
    sk_tensor x = {0}, want = {0};
    assert_int_equal(sk_tensor_alloc2(&x, SK_DTYPE_INT8, batch, k0), SK_OK);
    lcg r = {seed};
    for (size_t j = 0; j < batch * k0; j++)
        x.data[j] = rnd(&r, sk_qtype_min(m->in), sk_qtype_max(m->in));
    sk_error err = {{0}};
    assert_int_equal(sk_infer(m, &x, "x", &want, NULL, &err), SK_OK);
    size_t count = sk_tensor_count(&want);
    int32_t *got = calloc(count, sizeof *got);
    assert_non_null(got);
    if (sk_drv_load_model(drv, m, NULL, &err) != SK_DRV_OK)
        fail_msg("%s: load: %s", label, err.msg);
    if (sk_drv_run(drv, x.data, batch, got, NULL, &err) != SK_DRV_OK)
        fail_msg("%s: run: %s", label, err.msg);
    for (size_t j = 0; j < count; j++)
        if (got[j] != want.data[j])
            fail_msg("%s: output %zu of %zu: got %d, want %d", label, j, count, got[j],
                     want.data[j]);
    free(got);
    sk_tensor_free(&x);
    sk_tensor_free(&want);
}

/* ---- the hand model: every word worked out from docs/regmap.md ----
 *   input 3x3x1 signed 8-bit, e_in -1 (the datapath §11 worked example)
 *   L0 conv2d 3x3, stride 2, padding 1, Cout 1, W = 1 0 -1 / 2 1 0 / 0 -1 1, bias 1,
 *      w_exp -2, e_out -1 (shift 2), signed 4-bit, half_even   -> 2x2x1
 *   L1 conv2d 1x1, weight 2, bias 0, w_exp 0, e_out -2 (shift -1), signed 8, floor
 *   L2 add of L1 (ea -2) and L0 (src 0, eb -1): ec -2, A_SHIFT 0, B_SHIFT 1, e_out -1
 *      (shift 1), half_away
 *   L3 maxpool 2x2 stride 1 -> 1x1x1 (signed 8-bit, e -1)
 *   L4 dense K 1, N 2, W = 1, -1, bias 0, w_exp 0, e_out -1 (shift 0), raw */
static void hand_cnn_model(sk_model *m)
{
    assert_int_equal(sk_model_init(m, 5), SK_OK);
    m->in = (sk_qtype){8, true};
    m->in_exp = -1;
    sk_layer *l = &m->layers[0];
    assert_int_equal(sk_layer_alloc(l, 9, 1, false), SK_OK);
    l->kind = SK_LAYER_CONV2D;
    l->geom = (sk_geometry){.in_h = 3, .in_w = 3, .in_c = 1, .kernel_h = 3, .kernel_w = 3,
                            .stride_h = 2, .stride_w = 2, .pad_top = 1, .pad_left = 1,
                            .pad_bottom = 1, .pad_right = 1, .groups = 1};
    const int8_t w0[9] = {1, 0, -1, 2, 1, 0, 0, -1, 1};
    memcpy(l->weights, w0, sizeof w0);
    l->bias[0] = 1;
    l->w_exp[0] = -2;
    l->w_bits = 8;
    l->out = (sk_qtype){4, true};
    l->out_exp = -1;
    l->rounding = SK_ROUND_HALF_EVEN;
    l = &m->layers[1];
    assert_int_equal(sk_layer_alloc(l, 1, 1, false), SK_OK);
    l->kind = SK_LAYER_CONV2D;
    l->geom = (sk_geometry){.in_h = 2, .in_w = 2, .in_c = 1, .kernel_h = 1, .kernel_w = 1,
                            .stride_h = 1, .stride_w = 1, .groups = 1};
    l->weights[0] = 2;
    l->w_bits = 8;
    l->out = (sk_qtype){8, true};
    l->out_exp = -2;
    l->rounding = SK_ROUND_FLOOR;
    l = &m->layers[2];
    l->kind = SK_LAYER_ADD;
    l->n = 1;
    l->geom = (sk_geometry){.in_h = 2, .in_w = 2, .in_c = 1, .src = 0};
    l->out = (sk_qtype){8, true};
    l->out_exp = -1;
    l->rounding = SK_ROUND_HALF_AWAY;
    l = &m->layers[3];
    l->kind = SK_LAYER_MAXPOOL;
    l->n = 1;
    l->geom = (sk_geometry){.in_h = 2, .in_w = 2, .in_c = 1, .kernel_h = 2, .kernel_w = 2,
                            .stride_h = 1, .stride_w = 1};
    l->out = (sk_qtype){8, true};
    l->out_exp = -1;
    l = &m->layers[4];
    assert_int_equal(sk_layer_alloc(l, 1, 2, false), SK_OK);
    l->weights[0] = 1;
    l->weights[1] = -1;
    l->w_bits = 8;
    l->out = (sk_qtype){8, true};
    l->out_exp = -1;
    l->raw_output = true;
    validate(m);
}

typedef struct expect_write {
    uint32_t offset, value;
} expect_write;

/* Placement (docs/driver.md): input ACT0@0; L0 -> ACT1@0 (away from its input);
 * L1 -> ACT0@0 (the input is dead); L2 -> ACT1@4 (ACT0 holds its a, ACT1@0..3 its b =
 * L0's output); L3 -> ACT0@0; L4 -> ACT1@0 (raw, 8 bytes). */
static const expect_write hand_writes[] = {
    /* L0 weights, W_BASE 0, rows 0..8, lane 0 = W[0][t] */
    {0x800000, 0x01}, {0x800004, 0}, {0x800008, 0x00}, {0x80000C, 0},
    {0x800010, 0xFF}, {0x800014, 0}, {0x800018, 0x02}, {0x80001C, 0},
    {0x800020, 0x01}, {0x800024, 0}, {0x800028, 0x00}, {0x80002C, 0},
    {0x800030, 0x00}, {0x800034, 0}, {0x800038, 0xFF}, {0x80003C, 0},
    {0x800040, 0x01}, {0x800044, 0},
    /* L1 weight row 9; L4 row 10 (lanes 0, 1 = 1, -1); add and maxpool take none */
    {0x800048, 0x02}, {0x80004C, 0}, {0x800050, 0xFF01}, {0x800054, 0},
    /* biases: L0 entry 0, L1 entry 1, L4 entries 2, 3 */
    {0x010000, 1}, {0x010004, 0}, {0x010008, 0}, {0x01000C, 0},
    /* L0: K 9, N 1 | W_BASE 0 | BIAS 0 | SHIFT 2, ROUND 3, OUT_BITS 4, OUT_SIGNED,
     * IN_SIGNED, EXT; XDESC: conv2d, IN ACT0@0, OUT ACT1@0, H 3 W 3, C 1 KH 3 KW 3,
     * SH 2 SW 2 PT 1 PL 1, OH 2 OW 2, ROW_STEP 3, PIX_STEP 2, OROW_STEP 6, PAD 4 */
    {0x001000, 0x00010009}, {0x001004, 0}, {0x001008, 0}, {0x00100C, 0x000234C2},
    {0x004000, 1}, {0x004004, 0}, {0x004008, 0x10000}, {0x00400C, 0},
    {0x004010, 0x00030003}, {0x004014, 0x03030001}, {0x004018, 0x01010202},
    {0x00401C, 0x00020002}, {0x004020, 3}, {0x004024, 2}, {0x004028, 6}, {0x00402C, 4},
    /* L1: K 1 N 1 | W_BASE 9 | BIAS/SHIFT_BASE 1 | SHIFT -1, floor, 8-bit signed, EXT;
     * XDESC: conv2d, IN ACT1@0, OUT ACT0@0, 2x2x1, 1x1 kernel and strides, steps 2 1 2 */
    {0x001010, 0x00010001}, {0x001014, 9}, {0x001018, 0x00010001}, {0x00101C, 0x0002383F},
    {0x004040, 1}, {0x004044, 0x10000}, {0x004048, 0}, {0x00404C, 0},
    {0x004050, 0x00020002}, {0x004054, 0x01010001}, {0x004058, 0x00000101},
    {0x00405C, 0x00020002}, {0x004060, 2}, {0x004064, 1}, {0x004068, 2}, {0x00406C, 0},
    /* L2 add: K 2 (taps a, b), N 4 (elements) | 0 | 0 | SHIFT 1, half_away, EXT;
     * XDESC: add, SRC_SIGNED, B_SHIFT 1, IN ACT0@0, OUT ACT1@4, SRC ACT1@0 */
    {0x001020, 0x00040002}, {0x001024, 0}, {0x001028, 0}, {0x00102C, 0x00023881},
    {0x004080, 0x00000414}, {0x004084, 0}, {0x004088, 0x10004}, {0x00408C, 0x10000},
    {0x004090, 0x00020002}, {0x004094, 0x01010001}, {0x004098, 0x00000101},
    {0x00409C, 0x00020002}, {0x0040A0, 2}, {0x0040A4, 1}, {0x0040A8, 2}, {0x0040AC, 0},
    /* L3 maxpool: K 4 (2x2 taps), N 1 | 0 | 0 | SHIFT 0, floor, EXT;
     * XDESC: maxpool, IN ACT1@4, OUT ACT0@0, 2x2x1, KH 2 KW 2, OH 1 OW 1 */
    {0x001030, 0x00010004}, {0x001034, 0}, {0x001038, 0}, {0x00103C, 0x00023800},
    {0x0040C0, 2}, {0x0040C4, 0x10004}, {0x0040C8, 0}, {0x0040CC, 0},
    {0x0040D0, 0x00020002}, {0x0040D4, 0x02020001}, {0x0040D8, 0x00000101},
    {0x0040DC, 0x00010001}, {0x0040E0, 2}, {0x0040E4, 1}, {0x0040E8, 2}, {0x0040EC, 0},
    /* L4 dense: K 1 N 2 | W_BASE 10 | BIAS/SHIFT_BASE 2 | SHIFT 0, RAW, EXT;
     * XDESC: the 1x1 case, C = K = 1, IN ACT0@0, OUT ACT1@0, steps K */
    {0x001040, 0x00020001}, {0x001044, 10}, {0x001048, 0x00020002}, {0x00104C, 0x0002B800},
    {0x004100, 0}, {0x004104, 0}, {0x004108, 0x10000}, {0x00410C, 0},
    {0x004110, 0x00010001}, {0x004114, 0x01010001}, {0x004118, 0x00000101},
    {0x00411C, 0x00010001}, {0x004120, 1}, {0x004124, 1}, {0x004128, 1}, {0x00412C, 0},
    {0x000014, 5}, /* NUM_LAYERS */
};

static void assert_writes(const sk_rec_hal *rec, const expect_write *want, size_t n_want)
{
    sk_rec_access got[512];
    size_t n = sk_rec_hal_writes(rec, got, 512);
    for (size_t i = 0; i < n_want && i < n; i++)
        if (got[i].offset != want[i].offset || got[i].value != want[i].value)
            fail_msg("write %zu: got 0x%08x -> 0x%06x, want 0x%08x -> 0x%06x", i, got[i].value,
                     got[i].offset, want[i].value, want[i].offset);
    assert_int_equal(n, n_want);
}

static void test_hand_image(void **state)
{
    (void)state;
    stub_rig r;
    stub_open(&r, SK_VERSION_VALUE, SK_FEATURES_CNN_MASK, 16384);
    sk_model m;
    hand_cnn_model(&m);
    sk_drv_load_report rep, fit;
    sk_error err = {{0}};
    assert_int_equal(sk_drv_check_fit(r.drv, &m, &fit, &err), SK_DRV_OK);
    assert_int_equal(r.rec.count, 0);
    assert_int_equal(sk_drv_load_model(r.drv, &m, &rep, &err), SK_DRV_OK);
    assert_writes(&r.rec, hand_writes, sizeof hand_writes / sizeof hand_writes[0]);
    /* 11 rows x 2 words + 4 biases + 5 x (4 + 12) descriptor words */
    assert_int_equal(rep.model_words, 106);
    assert_int_equal(rep.words_written, 107);
    assert_int_equal(rep.weight_rows, 11);
    assert_int_equal(rep.bias_entries, 4);
    assert_int_equal(rep.shift_entries, 0);
    assert_int_equal(rep.max_act_bytes, 9);
    assert_int_equal(fit.model_words, rep.model_words);
    sk_model_free(&m);
    stub_close(&r);
}

/* The hand model on the device model: input at ACT0@0, output from ACT1@0, values
 * worked by hand: L0 = 1 0 1 7 (§11 example, half_even), L1 = 4 0 4 28, the add
 * (a + 2b) / 2 = 3 0 3 21 (half_away), maxpool 21, dense raw 21, -21. */
static void test_hand_run(void **state)
{
    (void)state;
    test_rig r;
    rig_open(&r, NULL, NULL);
    sk_model m;
    hand_cnn_model(&m);
    sk_error err = {{0}};
    assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_OK);
    sk_rec_hal_clear(&r.rec);
    const int32_t x[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    int32_t y[2] = {0, 0};
    if (sk_drv_run(r.drv, x, 1, y, NULL, &err) != SK_DRV_OK)
        fail_msg("run: %s", err.msg);
    assert_int_equal(y[0], 21);
    assert_int_equal(y[1], -21);
    const sk_rec_access want[] = {
        {'R', 0x010, 0},           {'W', 0x040000, 0x04030201}, {'W', 0x040004, 0x08070605},
        {'W', 0x040008, 0x09},     {'W', 0x008, 0x1},           {'R', 0x010, 0x2},
        {'W', 0x008, 0x4},         {'R', 0x050000, 21},         {'R', 0x050004, (uint32_t)-21},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(r.rec.log[i].op, want[i].op);
        assert_int_equal(r.rec.log[i].offset, want[i].offset);
        assert_int_equal(r.rec.log[i].value, want[i].value);
    }
    run_vs_golden(r.drv, &m, 3, 11, "hand model");
    sk_model_free(&m);
    rig_close(&r);
}

/* ---- placement ---- */

/* Input 4x4x4; L0..L2 3x3 convs (padding 1, 4 channels); L3 add of L2 and L0 (a skip
 * over two layers); L4 add of L3 and the network input (a skip over all of them). */
static void skip_model(sk_model *m)
{
    lcg r = {7};
    const uint32_t pad1[4] = {1, 1, 1, 1};
    begin_model(m, 5, (sk_shape){4, 4, 4});
    for (uint32_t i = 0; i < 3; i++)
        make_conv(m, i, 4, 3, 3, 1, 1, pad1, false, i == 1, &r);
    make_add(m, 3, 0, SK_ROUND_HALF_EVEN);
    make_add(m, 4, SK_SRC_INPUT, SK_ROUND_FLOOR);
    validate(m);
}

/* Tensors of 64 bytes; by the rule of docs/driver.md: input ACT0@0 (live to L4);
 * L0 ACT1@0 (live to L3); L1 ACT0@64 beside the input; L2 ACT1@64 beside L0's;
 * L3 ACT0@64 (L1's output is dead); L4 ACT1@0 (L0's and L2's are dead). */
static void test_skip_placement(void **state)
{
    (void)state;
    sk_model m;
    skip_model(&m);
    stub_rig r;
    stub_open(&r, SK_VERSION_VALUE, SK_FEATURES_CNN_MASK, 16384);
    sk_error err = {{0}};
    assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_OK);
    const uint32_t in[5] = {0x00000, 0x10000, 0x00040, 0x10040, 0x00040};
    const uint32_t out[5] = {0x10000, 0x00040, 0x10040, 0x00040, 0x10000};
    for (uint32_t i = 0; i < 5; i++) {
        assert_int_equal(xdesc(&r.dev, i, 1), in[i]);
        assert_int_equal(xdesc(&r.dev, i, 2), out[i]);
    }
    assert_int_equal(xdesc(&r.dev, 3, 3), 0x10000); /* src = L0 */
    assert_int_equal(xdesc(&r.dev, 4, 3), 0x00000); /* src = the input */
    stub_close(&r);
    /* the same on the device model, against the golden forward */
    test_rig d;
    rig_open(&d, NULL, NULL);
    run_vs_golden(d.drv, &m, 3, 5, "skip model");
    rig_close(&d);
    /* buffers of 124 bytes: L1's output fits neither beside the input (ACT0) nor
     * beside L0's output (ACT1); refused by the fit check and the load, nothing
     * written */
    sk_device_config cfg;
    sk_device_default_config(&cfg);
    cfg.act_bytes = 124;
    rig_open(&d, &cfg, NULL);
    sk_rec_hal_clear(&d.rec);
    sk_drv_load_report need;
    const char *msg = "activation buffers: layer 1 output needs 64 bytes, and no free range "
                      "that large is left in ACT0 or ACT1 (124 bytes each) beside the tensors "
                      "still live while it runs (64 bytes in ACT0, 64 in ACT1)";
    assert_int_equal(sk_drv_check_fit(d.drv, &m, &need, &err), SK_DRV_ERR_MODEL_TOO_LARGE);
    assert_msg_has(&err, msg);
    assert_int_equal(sk_drv_load_model(d.drv, &m, NULL, &err), SK_DRV_ERR_MODEL_TOO_LARGE);
    assert_msg_has(&err, msg);
    sk_rec_access none[1];
    assert_int_equal(sk_rec_hal_writes(&d.rec, none, 1), 0);
    rig_close(&d);
    /* at 128 bytes it fits exactly (L1 at ACT0@64..127) */
    cfg.act_bytes = 128;
    rig_open(&d, &cfg, NULL);
    run_vs_golden(d.drv, &m, 2, 6, "skip model, 128-byte buffers");
    rig_close(&d);
    sk_model_free(&m);
}

/* Lifetimes and overlaps checked from the words a load wrote, for any model: layer
 * i reads IN_ADDR = the previous OUT_ADDR (layer 0: where the input goes), an add's
 * SRC_ADDR is its operand's address, every tensor lies inside a buffer, and no output
 * overlaps a tensor that is read by that layer or later. */
static void check_placement(const stub_dev *s, const sk_model *m, uint32_t act_bytes,
                            const char *label)
{
    const uint32_t layers = m->num_layers;
    uint32_t addr[SK_MODEL_MAX_LAYERS + 1], bytes[SK_MODEL_MAX_LAYERS + 1],
        last[SK_MODEL_MAX_LAYERS + 1];
    addr[0] = xdesc(s, 0, 1);
    bytes[0] = (uint32_t)sk_shape_size(sk_model_in_shape(m));
    last[0] = 0;
    for (uint32_t i = 0; i < layers; i++) {
        if (i > 0 && xdesc(s, i, 1) != addr[i])
            fail_msg("%s: layer %u IN_ADDR 0x%05x, layer %u's output is at 0x%05x", label, i,
                     xdesc(s, i, 1), i - 1, addr[i]);
        addr[i + 1] = xdesc(s, i, 2);
        bytes[i + 1] = (uint32_t)sk_shape_size(sk_layer_out_shape(m, i)) *
                       (m->layers[i].raw_output ? 4 : 1);
        last[i + 1] = i + 1 < layers ? i + 1 : layers;
    }
    for (uint32_t i = 0; i < layers; i++) {
        if (m->layers[i].kind != SK_LAYER_ADD)
            continue;
        uint32_t t = m->layers[i].geom.src == SK_SRC_INPUT ? 0 : m->layers[i].geom.src + 1;
        if (xdesc(s, i, 3) != addr[t])
            fail_msg("%s: layer %u SRC_ADDR 0x%05x, its operand is at 0x%05x", label, i,
                     xdesc(s, i, 3), addr[t]);
        if (last[t] < i)
            last[t] = i;
    }
    for (uint32_t t = 0; t <= layers; t++) {
        if ((addr[t] & 0xFFFFu) + bytes[t] > act_bytes)
            fail_msg("%s: tensor %u at 0x%05x (%u bytes) leaves its buffer", label, t, addr[t],
                     bytes[t]);
        if (t == layers && m->layers[layers - 1].raw_output && addr[t] % 4)
            fail_msg("%s: raw output at 0x%05x is not word aligned", label, addr[t]);
    }
    for (uint32_t i = 0; i < layers; i++)
        for (uint32_t u = 0; u <= i; u++) {
            const uint32_t o = addr[i + 1], a = addr[u];
            bool same = (o & 0x10000u) == (a & 0x10000u);
            uint32_t o0 = o & 0xFFFFu, a0 = a & 0xFFFFu;
            if (last[u] >= i && same && o0 < a0 + bytes[u] && a0 < o0 + bytes[i + 1])
                fail_msg("%s: layer %u output 0x%05x+%u overlaps tensor %u 0x%05x+%u, read up "
                         "to layer %u", label, i, o, bytes[i + 1], u, a, bytes[u], last[u]);
        }
}

#define GEN_SEED 20261205u
#define GEN_CASES 48u

static void test_gen_placement(void **state)
{
    (void)state;
    sk_gen_limits lim;
    sk_gen_default_limits(&lim);
    lim.cnn = true;
    const uint32_t act[3] = {16384, 256, 160};
    uint32_t placed[3] = {0, 0, 0};
    for (int a = 0; a < 3; a++) {
        stub_rig r;
        stub_open(&r, SK_VERSION_VALUE, SK_FEATURES_CNN_MASK, act[a]);
        for (uint32_t c = 0; c < GEN_CASES; c++) {
            sk_model m;
            sk_tensor in = {0};
            sk_error err = {{0}};
            assert_int_equal(sk_gen_case(GEN_SEED, c, &lim, &m, &in, &err), SK_OK);
            char label[64];
            snprintf(label, sizeof label, "case %u, %u-byte buffers", c, act[a]);
            memset(r.dev.mem + SK_WIN_XDESC_BASE / 4, 0, SK_WIN_XDESC_SPAN);
            sk_drv_status st = sk_drv_load_model(r.drv, &m, NULL, &err);
            if (st == SK_DRV_OK) {
                check_placement(&r.dev, &m, act[a], label);
                placed[a]++;
            } else if (st != SK_DRV_ERR_MODEL_TOO_LARGE || act[a] == 16384) {
                fail_msg("%s: load: %s", label, err.msg);
            }
            sk_tensor_free(&in);
            sk_model_free(&m);
        }
        stub_close(&r);
    }
    /* every case fits the default build; the small buffers refuse some (too large) and
     * place the rest tightly */
    assert_int_equal(placed[0], GEN_CASES);
    assert_true(placed[2] > 0 && placed[2] < GEN_CASES);
}

/* ---- every kind, hand-built, on the device model ---- */

static void kinds_on(sk_drv *drv, const char *build)
{
    char label[96];
    lcg r = {99};
    const uint32_t pad0[4] = {0, 0, 0, 0}, pad_odd[4] = {2, 0, 1, 1}, pad1[4] = {1, 1, 1, 1};
    sk_model m;
    /* ordinary conv: asymmetric padding, strides 2 and 1, 3 -> 10 channels (two blocks
     * at 8 lanes), per-channel shifts */
    begin_model(&m, 1, (sk_shape){7, 6, 3});
    make_conv(&m, 0, 10, 3, 2, 2, 1, pad_odd, false, true, &r);
    validate(&m);
    snprintf(label, sizeof label, "%s conv2d", build);
    run_vs_golden(drv, &m, 2, 1, label);
    sk_model_free(&m);
    /* depthwise conv then a pointwise one */
    begin_model(&m, 2, (sk_shape){5, 5, 5});
    make_conv(&m, 0, 0, 3, 3, 1, 1, pad1, true, true, &r);
    make_conv(&m, 1, 3, 1, 1, 1, 1, pad0, false, false, &r);
    validate(&m);
    snprintf(label, sizeof label, "%s depthwise", build);
    run_vs_golden(drv, &m, 2, 2, label);
    sk_model_free(&m);
    /* maxpool with ReLU as the first layer (reads the network input), then avgpool */
    begin_model(&m, 2, (sk_shape){6, 6, 2});
    make_pool(&m, 0, SK_LAYER_MAXPOOL, 2, 2, 2, 2, true);
    make_pool(&m, 1, SK_LAYER_AVGPOOL, 1, 2, 1, 1, false);
    validate(&m);
    snprintf(label, sizeof label, "%s pools", build);
    run_vs_golden(drv, &m, 2, 3, label);
    sk_model_free(&m);
    /* global avgpool (whole 4x4 map) after a conv */
    begin_model(&m, 2, (sk_shape){4, 4, 3});
    make_conv(&m, 0, 3, 1, 1, 1, 1, pad0, false, false, &r);
    make_pool(&m, 1, SK_LAYER_AVGPOOL, 4, 4, 1, 1, false);
    validate(&m);
    snprintf(label, sizeof label, "%s global avgpool", build);
    run_vs_golden(drv, &m, 2, 4, label);
    sk_model_free(&m);
    /* add of a conv's output and the network input, then a dense head (flatten) */
    begin_model(&m, 3, (sk_shape){3, 3, 4});
    make_conv(&m, 0, 4, 3, 3, 1, 1, pad1, false, false, &r);
    make_add(&m, 1, SK_SRC_INPUT, SK_ROUND_HALF_UP);
    make_dense(&m, 2, 5, false, &r);
    validate(&m);
    snprintf(label, sizeof label, "%s add + dense", build);
    run_vs_golden(drv, &m, 2, 5, label);
    sk_model_free(&m);
    /* a dense layer between spatial ones is not possible (its output is 1x1xN), so:
     * conv -> maxpool -> dense -> dense raw */
    begin_model(&m, 4, (sk_shape){4, 4, 2});
    make_conv(&m, 0, 3, 2, 2, 1, 1, pad0, false, false, &r);
    make_pool(&m, 1, SK_LAYER_MAXPOOL, 3, 3, 1, 1, false);
    make_dense(&m, 2, 9, false, &r);
    make_dense(&m, 3, 3, true, &r);
    validate(&m);
    snprintf(label, sizeof label, "%s dense chain", build);
    run_vs_golden(drv, &m, 2, 6, label);
    sk_model_free(&m);
    /* a raw conv head over the whole map */
    begin_model(&m, 2, (sk_shape){5, 4, 2});
    make_conv(&m, 0, 3, 3, 3, 1, 1, pad1, false, false, &r);
    make_conv(&m, 1, 11, 5, 4, 1, 1, pad0, false, false, &r);
    m.layers[1].raw_output = true;
    validate(&m);
    snprintf(label, sizeof label, "%s raw conv head", build);
    run_vs_golden(drv, &m, 2, 7, label);
    sk_model_free(&m);
}

static void test_each_kind(void **state)
{
    (void)state;
    const uint32_t lanes[3] = {8, 1, 3};
    for (int i = 0; i < 3; i++) {
        sk_device_config cfg;
        sk_device_default_config(&cfg);
        cfg.lanes = lanes[i];
        test_rig r;
        rig_open(&r, &cfg, NULL);
        char build[32];
        snprintf(build, sizeof build, "LANES=%u", lanes[i]);
        kinds_on(r.drv, build);
        rig_close(&r);
    }
}

/* The `shiftkit gen --cnn` cases through driver and device model, several builds. */
static void gen_on(uint32_t lanes, sk_drv_wait_mode mode)
{
    sk_device_config cfg;
    sk_device_default_config(&cfg);
    cfg.lanes = lanes;
    sk_drv_options opt;
    sk_drv_default_options(&opt);
    opt.wait_mode = mode;
    test_rig r;
    rig_open(&r, &cfg, &opt);
    sk_gen_limits lim;
    sk_gen_default_limits(&lim);
    lim.cnn = true;
    for (uint32_t c = 0; c < GEN_CASES; c++) {
        sk_model m;
        sk_tensor in = {0}, want = {0};
        sk_error err = {{0}};
        assert_int_equal(sk_gen_case(GEN_SEED, c, &lim, &m, &in, &err), SK_OK);
        assert_int_equal(sk_infer(&m, &in, "input", &want, NULL, &err), SK_OK);
        size_t batch = in.ndim == 1 || in.ndim == 3 ? 1 : in.shape[0];
        size_t count = sk_tensor_count(&want);
        int32_t *got = calloc(count, sizeof *got);
        assert_non_null(got);
        if (sk_drv_load_model(r.drv, &m, NULL, &err) != SK_DRV_OK)
            fail_msg("LANES=%u case %u: load: %s", lanes, c, err.msg);
        if (sk_drv_run(r.drv, in.data, batch, got, NULL, &err) != SK_DRV_OK)
            fail_msg("LANES=%u case %u: run: %s", lanes, c, err.msg);
        for (size_t j = 0; j < count; j++)
            if (got[j] != want.data[j])
                fail_msg("LANES=%u case %u (seed %u): output %zu of %zu: got %d, want %d", lanes,
                         c, GEN_SEED, j, count, got[j], want.data[j]);
        free(got);
        sk_tensor_free(&in);
        sk_tensor_free(&want);
        sk_model_free(&m);
    }
    rig_close(&r);
}

static void test_gen_lanes_8(void **state) { (void)state; gen_on(8, SK_DRV_WAIT_IRQ); }
static void test_gen_lanes_1(void **state) { (void)state; gen_on(1, SK_DRV_WAIT_POLL); }
static void test_gen_lanes_5(void **state) { (void)state; gen_on(5, SK_DRV_WAIT_IRQ); }
static void test_gen_lanes_64(void **state) { (void)state; gen_on(64, SK_DRV_WAIT_IRQ); }

/* run_tensor takes the NHWC input of a CNN case and returns an NHWC output, as
 * sk_infer does. */
static void test_run_tensor_nhwc(void **state)
{
    (void)state;
    sk_gen_limits lim;
    sk_gen_default_limits(&lim);
    lim.cnn = true;
    sk_hal hal;
    sk_device *dev = test_device(NULL, &hal);
    bool seen_spatial_out = false;
    for (uint32_t c = 0; c < 16; c++) {
        sk_model m;
        sk_tensor in = {0}, want = {0}, got = {0};
        sk_error err = {{0}};
        assert_int_equal(sk_gen_case(GEN_SEED, c, &lim, &m, &in, &err), SK_OK);
        assert_int_equal(sk_infer(&m, &in, "input", &want, NULL, &err), SK_OK);
        if (sk_drv_run_tensor(&hal, NULL, &m, &in, &got, NULL, NULL, &err) != SK_DRV_OK)
            fail_msg("case %u: %s", c, err.msg);
        assert_int_equal(got.ndim, want.ndim);
        for (unsigned d = 0; d < want.ndim; d++)
            assert_int_equal(got.shape[d], want.shape[d]);
        assert_int_equal(got.dtype, want.dtype);
        assert_memory_equal(got.data, want.data, sk_tensor_count(&want) * sizeof *want.data);
        seen_spatial_out |= want.ndim == 4;
        sk_tensor_free(&got);
        sk_tensor_free(&want);
        sk_tensor_free(&in);
        sk_model_free(&m);
    }
    assert_true(seen_spatial_out);
    sk_device_free(dev);
}

/* A Fashion-MNIST-sized residual CNN on the default build: 28x28x1 input, 3x3 conv to
 * 16 channels (a 12544-byte map, most of a 16 KiB buffer), maxpool, conv, add of the
 * pooled map, maxpool, dense raw head; every output against sk_infer. */
static void test_mnist_sized(void **state)
{
    (void)state;
    lcg r = {28};
    const uint32_t pad1[4] = {1, 1, 1, 1};
    sk_model m;
    begin_model(&m, 6, (sk_shape){28, 28, 1});
    make_conv(&m, 0, 16, 3, 3, 1, 1, pad1, false, true, &r);
    make_pool(&m, 1, SK_LAYER_MAXPOOL, 2, 2, 2, 2, true);
    make_conv(&m, 2, 16, 3, 3, 1, 1, pad1, false, false, &r);
    m.layers[2].out_exp = (int8_t)(m.layers[2].out_exp + 3); /* K = 144: a wider sum */
    make_add(&m, 3, 1, SK_ROUND_HALF_EVEN);
    make_pool(&m, 4, SK_LAYER_MAXPOOL, 2, 2, 2, 2, false);
    make_dense(&m, 5, 10, true, &r);
    validate(&m);
    test_rig d;
    rig_open(&d, NULL, NULL);
    sk_drv_load_report rep;
    sk_error err = {{0}};
    assert_int_equal(sk_drv_check_fit(d.drv, &m, &rep, &err), SK_DRV_OK);
    assert_int_equal(rep.max_act_bytes, 12544);
    run_vs_golden(d.drv, &m, 2, 29, "28x28 residual CNN");
    rig_close(&d);
    sk_model_free(&m);
}

/* ---- refusals ---- */

/* A device without the CNN extensions: FEATURES.CNN = 0 on a 1.1 map, or a 1.0 map
 * (no FEATURES register: the stub answers SLVERR, so open must not read it). The CNN
 * model is refused before any write, naming layer and kind; a dense model still loads
 * as version 1.0 (no XDESC write). */
static void test_refused_without_cnn(void **state)
{
    (void)state;
    const uint32_t versions[2] = {SK_VERSION_VALUE, 0x00010000u};
    for (int v = 0; v < 2; v++) {
        stub_rig r;
        stub_open(&r, versions[v], 0, 16384);
        assert_int_equal(sk_drv_get_info(r.drv)->features, 0);
        sk_model m;
        hand_cnn_model(&m);
        sk_error err = {{0}};
        sk_drv_load_report need;
        const char *msg = "layer 0: kind conv2d is not supported by this core: it lacks the "
                          "CNN extensions (FEATURES.CNN = 0";
        assert_int_equal(sk_drv_check_fit(r.drv, &m, &need, &err), SK_DRV_ERR_BAD_MODEL);
        assert_msg_has(&err, msg);
        assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_ERR_BAD_MODEL);
        assert_msg_has(&err, msg);
        assert_int_equal(r.rec.count, 0); /* not even the STATUS read */
        sk_model_free(&m);
        /* a later layer is named too */
        sk_model two;
        assert_int_equal(sk_model_init(&two, 2), SK_OK);
        two.in = (sk_qtype){8, true};
        assert_int_equal(sk_layer_alloc(&two.layers[0], 4, 4, false), SK_OK);
        two.layers[0].w_bits = 8;
        two.layers[0].out = (sk_qtype){8, true};
        make_pool(&two, 1, SK_LAYER_MAXPOOL, 1, 1, 1, 1, false);
        validate(&two);
        sk_rec_hal_clear(&r.rec);
        assert_int_equal(sk_drv_load_model(r.drv, &two, NULL, &err), SK_DRV_ERR_BAD_MODEL);
        assert_msg_has(&err, "layer 1: kind maxpool is not supported by this core");
        assert_int_equal(r.rec.count, 0);
        sk_model_free(&two);
        /* dense: the version-1.0 image, no XDESC */
        test_dense_model(&m, 5, 3);
        assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_OK);
        sk_rec_access w[64];
        size_t n = sk_rec_hal_writes(&r.rec, w, 64);
        for (size_t i = 0; i < n; i++)
            assert_true(w[i].offset < SK_WIN_XDESC_BASE ||
                        w[i].offset >= SK_WIN_XDESC_BASE + SK_WIN_XDESC_SPAN);
        assert_int_equal(r.dev.mem[(SK_WIN_DESC_BASE + 12) / 4] & SK_DESC_EXT_MASK, 0);
        sk_model_free(&m);
        stub_close(&r);
    }
}

/* Fields that do not fit their XDESC width: a 256-tap kernel (KH is 8 bits) and a
 * 300 stride. The model itself is valid (datapath §10 allows 16-bit sizes). */
static void test_field_too_wide(void **state)
{
    (void)state;
    stub_rig r;
    stub_open(&r, SK_VERSION_VALUE, SK_FEATURES_CNN_MASK, 16384);
    lcg g = {3};
    const uint32_t pad0[4] = {0, 0, 0, 0};
    sk_model m;
    begin_model(&m, 1, (sk_shape){256, 2, 1});
    make_conv(&m, 0, 1, 256, 1, 1, 1, pad0, false, false, &g);
    m.layers[0].out_exp = (int8_t)(m.in_exp + 12);
    validate(&m);
    sk_error err = {{0}};
    sk_drv_load_report need;
    const char *msg = "layer 0 (conv2d): extension descriptor field KH = 256 does not fit its "
                      "8 bits (at most 255)";
    assert_int_equal(sk_drv_check_fit(r.drv, &m, &need, &err), SK_DRV_ERR_UNSUPPORTED);
    assert_msg_has(&err, msg);
    assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_ERR_UNSUPPORTED);
    assert_msg_has(&err, msg);
    sk_rec_access none[1];
    assert_int_equal(sk_rec_hal_writes(&r.rec, none, 1), 0);
    sk_model_free(&m);
    begin_model(&m, 1, (sk_shape){2, 301, 1});
    make_pool(&m, 0, SK_LAYER_MAXPOOL, 1, 1, 1, 300, false);
    validate(&m);
    assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_ERR_UNSUPPORTED);
    assert_msg_has(&err, "layer 0 (maxpool): extension descriptor field SW = 300 does not fit");
    assert_int_equal(sk_rec_hal_writes(&r.rec, none, 1), 0);
    sk_model_free(&m);
    stub_close(&r);
}

/* A single tensor larger than a buffer: the network input, and a layer's output. */
static void test_tensor_too_large(void **state)
{
    (void)state;
    stub_rig r;
    stub_open(&r, SK_VERSION_VALUE, SK_FEATURES_CNN_MASK, 64);
    lcg g = {4};
    const uint32_t pad1[4] = {1, 1, 1, 1};
    sk_model m;
    begin_model(&m, 1, (sk_shape){5, 5, 3}); /* 75 bytes */
    make_pool(&m, 0, SK_LAYER_MAXPOOL, 5, 5, 1, 1, false);
    validate(&m);
    sk_error err = {{0}};
    assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_ERR_MODEL_TOO_LARGE);
    assert_msg_has(&err, "activation buffer: the network input needs 75 bytes, device buffers "
                         "hold 64 (11 over)");
    sk_model_free(&m);
    begin_model(&m, 1, (sk_shape){4, 4, 1}); /* 16 bytes in, 4x4x5 = 80 out */
    make_conv(&m, 0, 5, 3, 3, 1, 1, pad1, false, false, &g);
    validate(&m);
    assert_int_equal(sk_drv_load_model(r.drv, &m, NULL, &err), SK_DRV_ERR_MODEL_TOO_LARGE);
    assert_msg_has(&err, "activation buffer: layer 0 output needs 80 bytes, device buffers "
                         "hold 64 (16 over)");
    sk_rec_access none[1];
    assert_int_equal(sk_rec_hal_writes(&r.rec, none, 1), 0);
    sk_model_free(&m);
    stub_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_image),
        cmocka_unit_test(test_hand_run),
        cmocka_unit_test(test_skip_placement),
        cmocka_unit_test(test_gen_placement),
        cmocka_unit_test(test_each_kind),
        cmocka_unit_test(test_gen_lanes_8),
        cmocka_unit_test(test_gen_lanes_1),
        cmocka_unit_test(test_gen_lanes_5),
        cmocka_unit_test(test_gen_lanes_64),
        cmocka_unit_test(test_run_tensor_nhwc),
        cmocka_unit_test(test_mnist_sized),
        cmocka_unit_test(test_refused_without_cnn),
        cmocka_unit_test(test_field_too_wide),
        cmocka_unit_test(test_tensor_too_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
