// sk_rtl_errors.cpp — build/bin/sk-rtl-errors: register-level tests of the Verilated
// core over the AXI4-Lite bus model (with random stalls), against docs/regmap.md:
// identification and build-parameter registers, SLVERR on unmapped addresses and on
// words past a memory, window read-back (weights, biases, shifts, activations,
// descriptors), every error code with its layer (the core ends every bad run with
// DONE+ERROR and the interrupt, never hangs), start while busy refused, window access
// while busy refused, soft reset in the middle of a run, IRQ enable/clear, and the
// perf-counter identity PERF_CYCLES = issue cycles + PERF_STALLS.
//
// The driver is not used here on purpose: these are the things a driver must never
// do, written straight to the registers. Exit status 0 when every check passes.
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include "sk_sim.h"

extern "C" {
#include "shiftkit/sk_regs.h"
}

namespace {

int g_checks = 0, g_failures = 0;
std::string g_test;

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        g_checks++;                                                                         \
        if (!(cond)) {                                                                      \
            g_failures++;                                                                   \
            std::printf("FAIL %s: %s:%d: %s\n", g_test.c_str(), __FILE__, __LINE__, #cond); \
        }                                                                                   \
    } while (0)

struct Dev {
    SkSim &sim;
    uint32_t rd(uint32_t off)
    {
        uint32_t v = 0xDEADBEEF;
        int rc = sim.read32(off, &v);
        if (rc) {
            std::printf("FAIL %s: read 0x%06x answered SLVERR\n", g_test.c_str(), off);
            g_failures++;
        }
        return v;
    }
    void wr(uint32_t off, uint32_t v)
    {
        if (sim.write32(off, v)) {
            std::printf("FAIL %s: write 0x%06x answered SLVERR\n", g_test.c_str(), off);
            g_failures++;
        }
    }
    bool rd_err(uint32_t off)
    {
        uint32_t v;
        return sim.read32(off, &v) != 0;
    }
    bool wr_err(uint32_t off, uint32_t v) { return sim.write32(off, v) != 0; }
    uint32_t status() { return rd(SK_REG_STATUS); }
    uint32_t err_code() { return (status() & SK_STATUS_ERR_CODE_MASK) >> SK_STATUS_ERR_CODE_SHIFT; }
    uint32_t err_layer()
    {
        return (status() & SK_STATUS_ERR_LAYER_MASK) >> SK_STATUS_ERR_LAYER_SHIFT;
    }
    void desc(uint32_t layer, uint32_t k, uint32_t n, uint32_t w_base, uint32_t bias_base,
              uint32_t shift_base, uint32_t w3)
    {
        uint32_t base = SK_WIN_DESC_BASE + SK_DESC_BYTES * layer;
        wr(base + 4 * SK_DESC_K_WORD, (k << SK_DESC_K_SHIFT) | (n << SK_DESC_N_SHIFT));
        wr(base + 4 * SK_DESC_W_BASE_WORD, w_base);
        wr(base + 4 * SK_DESC_BIAS_BASE_WORD,
           (bias_base << SK_DESC_BIAS_BASE_SHIFT) | (shift_base << SK_DESC_SHIFT_BASE_SHIFT));
        wr(base + 4 * SK_DESC_SHIFT_WORD, w3);
    }
    // Extension words 0..11 of a layer (its descriptor needs SK_DESC_EXT_MASK in word 3).
    void xdesc(uint32_t layer, const uint32_t (&words)[SK_XDESC_WORDS])
    {
        for (uint32_t w = 0; w < SK_XDESC_WORDS; w++)
            wr(SK_WIN_XDESC_BASE + SK_XDESC_BYTES * layer + 4 * w, words[w]);
    }
    // start, wait for the interrupt (enabled here), return the cycles waited
    bool run(uint32_t layers, uint32_t timeout_us = 2000)
    {
        wr(SK_REG_NUM_LAYERS, layers);
        wr(SK_REG_IRQ_ENABLE, SK_IRQ_ENABLE_DONE_MASK);
        wr(SK_REG_CTRL, SK_CTRL_START_MASK);
        return sim.wait_irq(timeout_us) == SK_HAL_IRQ;
    }
};

// A plain per-layer word 3: 8-bit signed in and out, half_even, shift s.
uint32_t w3_plain(int shift)
{
    return ((uint32_t)shift & 0x3Fu) << SK_DESC_SHIFT_SHIFT | 3u << SK_DESC_ROUND_SHIFT |
           8u << SK_DESC_OUT_BITS_SHIFT | SK_DESC_OUT_SIGNED_MASK | SK_DESC_IN_SIGNED_MASK;
}

void test(const char *name, const std::function<void()> &body)
{
    g_test = name;
    int before = g_failures;
    body();
    std::printf("%s %s\n", g_failures == before ? "ok  " : "FAIL", name);
}

}  // namespace

int main(int argc, char **argv)
{
    SkSimOptions opt;
    if (!sk_sim_parse_plusargs(&argc, argv, &opt))
        return 2;
    SkSim sim(opt);
    Dev d{sim};
    const uint32_t lanes = d.rd(SK_REG_LANES), rows = d.rd(SK_REG_WEIGHT_ROWS);
    const uint32_t row_bytes = d.rd(SK_REG_WEIGHT_ROW_BYTES), bias_depth = d.rd(SK_REG_BIAS_DEPTH);
    const uint32_t shift_depth = d.rd(SK_REG_SHIFT_DEPTH), act_bytes = d.rd(SK_REG_ACT_BYTES);
    const uint32_t max_layers = d.rd(SK_REG_MAX_LAYERS);

    test("identification and build parameters", [&] {
        CHECK(d.rd(SK_REG_ID) == SK_ID_MAGIC);
        CHECK(d.rd(SK_REG_VERSION) == SK_VERSION_VALUE);
        CHECK(lanes == SK_DEFAULT_LANES && rows == SK_DEFAULT_WEIGHT_ROWS);
        CHECK(row_bytes == 8 && bias_depth == SK_DEFAULT_BIAS_DEPTH);
        CHECK(shift_depth == SK_DEFAULT_SHIFT_DEPTH && act_bytes == SK_DEFAULT_ACT_BYTES);
        CHECK(max_layers == SK_DEFAULT_MAX_LAYERS && d.rd(SK_REG_MAX_BATCH) == 1);
        CHECK(d.rd(SK_REG_FEATURES) == (SK_DEFAULT_CNN ? SK_FEATURES_CNN_MASK : 0u));
        CHECK(d.status() == 0);
        CHECK(d.rd(SK_REG_NUM_LAYERS) == 1 && d.rd(SK_REG_IRQ_ENABLE) == 0);
        CHECK(d.rd(SK_REG_CTRL) == 0);
    });

    test("SLVERR on unmapped addresses and past each memory", [&] {
        const uint32_t bad[] = {0x050, 0xFFC, 0x2000, 0x8000, 0x030000, 0x060000, 0x7FFFFC,
                                SK_WIN_DESC_BASE + 16 * max_layers, SK_WIN_XDESC_BASE + 64 * max_layers, SK_WIN_BIAS_BASE + 4 * bias_depth,
                                SK_WIN_SHIFT_BASE + shift_depth, SK_WIN_ACT0_BASE + act_bytes,
                                SK_WIN_ACT1_BASE + act_bytes, SK_WIN_WEIGHTS_BASE + rows * row_bytes};
        for (uint32_t a : bad) {
            CHECK(d.rd_err(a));
            CHECK(d.wr_err(a, 0x12345678));
        }
        CHECK(!d.wr_err(SK_REG_ID, 0));  // read-only: write ignored, OKAY
        CHECK(d.rd(SK_REG_ID) == SK_ID_MAGIC);
    });

    test("address bits 1:0 are ignored: an access acts on the aligned word", [&] {
        d.wr(SK_REG_IRQ_ENABLE + 2, 1);
        CHECK(d.rd(SK_REG_IRQ_ENABLE) == 1);
        CHECK(d.rd(SK_REG_IRQ_ENABLE + 3) == 1);
        d.wr(SK_REG_IRQ_ENABLE + 1, 0);
        CHECK(d.rd(SK_REG_IRQ_ENABLE) == 0);
        d.wr(SK_WIN_BIAS_BASE + 4 + 1, 0x89ABCDEFu);
        CHECK(d.rd(SK_WIN_BIAS_BASE + 4) == 0x89ABCDEFu);
        CHECK(d.rd(SK_WIN_BIAS_BASE + 4 + 2) == 0x89ABCDEFu);
        CHECK(d.rd_err(0x050 + 2));                              // still no register
        CHECK(d.wr_err(SK_WIN_BIAS_BASE + 4 * bias_depth + 1, 1));  // still past BIAS
    });

    test("window read-back", [&] {
        const uint32_t addrs[] = {SK_WIN_DESC_BASE + 16 * max_layers - 4, SK_WIN_XDESC_BASE + 44,
                                  SK_WIN_XDESC_BASE + 64 * max_layers - 4, SK_WIN_BIAS_BASE + 4,
                                  SK_WIN_BIAS_BASE + 4 * bias_depth - 4, SK_WIN_SHIFT_BASE + 8,
                                  SK_WIN_ACT0_BASE + 12, SK_WIN_ACT1_BASE + act_bytes - 4,
                                  SK_WIN_WEIGHTS_BASE, SK_WIN_WEIGHTS_BASE + 4,
                                  SK_WIN_WEIGHTS_BASE + rows * row_bytes - 4};
        uint32_t v = 0x9E3779B9;
        for (uint32_t a : addrs)
            d.wr(a, v += 0x01234567);
        v = 0x9E3779B9;
        for (uint32_t a : addrs)
            CHECK(d.rd(a) == (v += 0x01234567));
    });

    test("NUM_LAYERS 0 and MAX_LAYERS+1 end at once with an error", [&] {
        for (uint32_t n : {0u, max_layers + 1}) {
            CHECK(d.run(n));
            uint32_t s = d.status();
            CHECK((s & SK_STATUS_DONE_MASK) && (s & SK_STATUS_ERROR_MASK) && !(s & SK_STATUS_BUSY_MASK));
            CHECK(d.err_code() == SK_HWERR_NUM_LAYERS);
            d.wr(SK_REG_CTRL, SK_CTRL_IRQ_CLEAR_MASK);
            CHECK(!(d.status() & SK_STATUS_DONE_MASK));
            CHECK(d.sim.wait_irq(1) == SK_HAL_TIMEOUT);  // the interrupt is gone
            CHECK(d.status() & SK_STATUS_ERROR_MASK);  // IRQ_CLEAR leaves the error
        }
    });

    // Each bad descriptor: the error code and the layer it names.
    struct BadCase {
        const char *name;
        uint32_t layers, err, layer;
        std::function<void()> setup;
    };
    const uint32_t good_w3 = w3_plain(4);
    auto good = [&](uint32_t layer, uint32_t k, uint32_t n, uint32_t wb, uint32_t bb) {
        d.desc(layer, k, n, wb, bb, bb, good_w3);
    };
    // Layer 0 as an EXT dense 8 -> 8 (ACT0 byte 0 to ACT1 byte 0); w3_extra goes into
    // descriptor word 3, x0 into extension word 0, and extension word `word` is then
    // overwritten with `value` (word 0: value is ORed in).
    auto ext_dense = [&](uint32_t w3_extra, uint32_t x0, uint32_t word = 0, uint32_t value = 0) {
        d.desc(0, 8, 8, 0, 0, 0, good_w3 | SK_DESC_EXT_MASK | w3_extra);
        uint32_t x[SK_XDESC_WORDS] = {x0, 0, 0x10000u, 0, 0x00010001u, 0x01010008u, 0x0101u,
                                      0x00010001u, 8, 8, 8, 0};
        x[word] = word == 0 ? x[0] | value : value;
        d.xdesc(0, x);
    };
    const BadCase cases[] = {
        {"K = 0", 1, SK_HWERR_DESC_DIMS, 0, [&] { good(0, 0, 8, 0, 0); }},
        {"N = 0 in layer 1", 2, SK_HWERR_DESC_DIMS, 1, [&] { good(0, 8, 8, 0, 0); good(1, 8, 0, 8, 8); }},
        {"K != previous N", 2, SK_HWERR_DESC_CHAIN, 1, [&] { good(0, 8, 8, 0, 0); good(1, 9, 4, 8, 8); }},
        {"IN_SIGNED != previous OUT_SIGNED", 2, SK_HWERR_DESC_CHAIN, 1, [&] {
             good(0, 8, 8, 0, 0);
             d.desc(1, 8, 4, 8, 8, 8, good_w3 & ~SK_DESC_IN_SIGNED_MASK);
         }},
        {"OUT_BITS 9", 1, SK_HWERR_DESC_FIELD, 0, [&] {
             d.desc(0, 8, 8, 0, 0, 0, (good_w3 & ~SK_DESC_OUT_BITS_MASK) | 9u << SK_DESC_OUT_BITS_SHIFT);
         }},
        {"OUT_BITS 1", 1, SK_HWERR_DESC_FIELD, 0, [&] {
             d.desc(0, 8, 8, 0, 0, 0, (good_w3 & ~SK_DESC_OUT_BITS_MASK) | 1u << SK_DESC_OUT_BITS_SHIFT);
         }},
        {"RAW with RELU", 1, SK_HWERR_DESC_FIELD, 0, [&] {
             d.desc(0, 8, 8, 0, 0, 0, good_w3 | SK_DESC_RAW_MASK | SK_DESC_RELU_MASK);
         }},
        {"RAW on a layer that is not the last", 2, SK_HWERR_DESC_FIELD, 0, [&] {
             d.desc(0, 8, 8, 0, 0, 0, good_w3 | SK_DESC_RAW_MASK);
             good(1, 8, 8, 8, 8);
         }},
        {"reserved bit in word 3", 1, SK_HWERR_DESC_FIELD, 0, [&] { d.desc(0, 8, 8, 0, 0, 0, good_w3 | 1u << 31); }},
        {"reserved bit in word 1", 1, SK_HWERR_DESC_FIELD, 0, [&] { d.desc(0, 8, 8, 1u << 24, 0, 0, good_w3); }},
        {"per-layer shift -17", 1, SK_HWERR_SHIFT_RANGE, 0, [&] { d.desc(0, 8, 8, 0, 0, 0, w3_plain(-17)); }},
        {"per-channel shift 32 in memory", 1, SK_HWERR_SHIFT_RANGE, 0, [&] {
             d.wr(SK_WIN_SHIFT_BASE, 0x04200404);  // channel 2 has shift 32
             d.desc(0, 8, 8, 0, 0, 0, good_w3 | SK_DESC_PER_CHANNEL_MASK);
         }},
        {"per-channel shift -17 in memory", 1, SK_HWERR_SHIFT_RANGE, 0, [&] {
             d.wr(SK_WIN_SHIFT_BASE + 4, 0x04EF0404);  // channel 6 has shift -17
             d.wr(SK_WIN_SHIFT_BASE, 0x04040404);
             d.desc(0, 8, 8, 0, 0, 0, good_w3 | SK_DESC_PER_CHANNEL_MASK);
         }},
        {"weight rows past the memory", 1, SK_HWERR_WEIGHT_RANGE, 0, [&] { good(0, 4, 8, rows - 3, 0); }},
        {"bias entries past the memory", 1, SK_HWERR_BIAS_RANGE, 0, [&] { good(0, 8, 8, 0, bias_depth - 7); }},
        {"shift entries past the memory", 1, SK_HWERR_SHIFT_ADDR_RANGE, 0, [&] {
             d.desc(0, 8, 8, 0, 0, shift_depth - 7, good_w3 | SK_DESC_PER_CHANNEL_MASK);
         }},
        {"K larger than a buffer", 1, SK_HWERR_ACT_RANGE, 0, [&] { good(0, act_bytes + 1, 8, 0, 0); }},
        // (in the default build such an N already fails BIAS_RANGE, which comes first)
        {"raw output larger than a buffer", 1,
         act_bytes / 4 + 1 <= bias_depth ? SK_HWERR_ACT_RANGE : SK_HWERR_BIAS_RANGE, 0,
         [&] { d.desc(0, 8, act_bytes / 4 + 1, 0, 0, 0, good_w3 | SK_DESC_RAW_MASK); }},
        // Extension descriptors (docs/regmap.md "Extension descriptor"): an 8 -> 8 dense
        // layer at explicit addresses, ACT0 byte 0 to ACT1 byte 0, with one field broken.
        {"EXT: KIND 5", 1, SK_HWERR_DESC_FIELD, 0, [&] { ext_dense(0, 5u << SK_XDESC_KIND_SHIFT); }},
        {"EXT: DEPTHWISE on a maxpool", 1, SK_HWERR_DESC_FIELD, 0, [&] {
             ext_dense(0, 2u << SK_XDESC_KIND_SHIFT | SK_XDESC_DEPTHWISE_MASK);
         }},
        {"EXT: PER_CHANNEL on an avgpool", 1, SK_HWERR_DESC_FIELD, 0, [&] {
             ext_dense(SK_DESC_PER_CHANNEL_MASK, 3u << SK_XDESC_KIND_SHIFT);
         }},
        {"EXT: RAW on a maxpool", 1, SK_HWERR_DESC_FIELD, 0, [&] {
             ext_dense(SK_DESC_RAW_MASK, 2u << SK_XDESC_KIND_SHIFT);
         }},
        {"EXT: PT >= KH", 1, SK_HWERR_DESC_FIELD, 0, [&] { ext_dense(0, 0, 6, 1u << SK_XDESC_PT_SHIFT | 0x0101u); }},
        {"EXT: RAW output at an unaligned OUT_ADDR", 1, SK_HWERR_DESC_FIELD, 0, [&] {
             ext_dense(SK_DESC_RAW_MASK, 0, 2, 0x10002u);
         }},
        {"EXT: reserved bit in extension word 11", 1, SK_HWERR_DESC_FIELD, 0, [&] { ext_dense(0, 0, 11, 1u << 31); }},
        {"EXT: W = 0", 1, SK_HWERR_DESC_DIMS, 0, [&] { ext_dense(0, 0, 4, 1u); }},
        {"EXT: IN_ADDR past the buffer", 1, SK_HWERR_ACT_RANGE, 0, [&] { ext_dense(0, 0, 1, act_bytes); }},
        {"EXT: a tap reads past the buffer", 1, SK_HWERR_ACT_RANGE, 0, [&] { ext_dense(0, 0, 1, act_bytes - 4); }},
        {"EXT: outputs run past the buffer", 1, SK_HWERR_ACT_RANGE, 0, [&] {
             ext_dense(0, 0, 2, 0x10000u | (act_bytes - 4));
         }},
        {"EXT: IN_SIGNED != previous OUT_SIGNED", 2, SK_HWERR_DESC_CHAIN, 1, [&] {
             ext_dense(0, 0);
             d.desc(1, 8, 8, 8, 8, 8, (good_w3 & ~SK_DESC_IN_SIGNED_MASK) | SK_DESC_EXT_MASK);
             uint32_t x[SK_XDESC_WORDS] = {0, 0x10000u, 0, 0, 0x00010001u, 0x01010008u, 0x0101u,
                                           0x00010001u, 8, 8, 8, 0};
             d.xdesc(1, x);
         }},
    };
    for (const BadCase &c : cases) {
        test((std::string("error: ") + c.name).c_str(), [&] {
            c.setup();
            CHECK(d.run(c.layers));
            uint32_t s = d.status();
            CHECK((s & SK_STATUS_DONE_MASK) && (s & SK_STATUS_ERROR_MASK) && !(s & SK_STATUS_BUSY_MASK));
            CHECK(d.err_code() == c.err);
            CHECK(d.err_layer() == c.layer);
            if (d.err_code() != c.err)
                std::printf("     got ERR_CODE %u (%s), want %u (%s)\n", d.err_code(),
                            sk_hwerr_name(d.err_code()), c.err, sk_hwerr_name(c.err));
            d.wr(SK_REG_CTRL, SK_CTRL_IRQ_CLEAR_MASK);
        });
    }

    // A long valid layer: 784 x 128 (weights are whatever the memory holds).
    auto start_long = [&] {
        d.desc(0, 784, 128, 0, 0, 0, good_w3);
        d.wr(SK_REG_NUM_LAYERS, 1);
        d.wr(SK_REG_CTRL, SK_CTRL_START_MASK);
    };

    test("start while busy is refused, windows answer SLVERR, the run completes", [&] {
        start_long();
        CHECK(d.status() & SK_STATUS_BUSY_MASK);
        d.wr(SK_REG_CTRL, SK_CTRL_START_MASK);
        uint32_t s = d.status();
        CHECK((s & SK_STATUS_BUSY_MASK) && (s & SK_STATUS_START_REFUSED_MASK));
        CHECK(d.rd_err(SK_WIN_ACT0_BASE));
        CHECK(d.wr_err(SK_WIN_WEIGHTS_BASE, 0));
        CHECK(d.rd(SK_REG_CUR_LAYER) == 0);
        CHECK(d.sim.wait_irq(1000) == SK_HAL_IRQ);
        s = d.status();
        CHECK((s & SK_STATUS_DONE_MASK) && !(s & SK_STATUS_ERROR_MASK));
        CHECK(s & SK_STATUS_START_REFUSED_MASK);
        uint32_t cycles = d.rd(SK_REG_PERF_CYCLES), macs = d.rd(SK_REG_PERF_MACS);
        uint32_t stalls = d.rd(SK_REG_PERF_STALLS);
        CHECK(macs == 784u * 128u);
        CHECK(cycles == macs / lanes + stalls);  // every busy cycle issued or stalled
        CHECK(cycles < macs / lanes + 64);
        d.wr(SK_REG_CTRL, SK_CTRL_IRQ_CLEAR_MASK);
    });

    test("soft reset in the middle of a run", [&] {
        start_long();
        for (int i = 0; i < 20; i++)
            d.rd(SK_REG_PERF_CYCLES);
        CHECK(d.status() & SK_STATUS_BUSY_MASK);
        d.wr(SK_REG_CTRL, SK_CTRL_SOFT_RESET_MASK);
        CHECK(d.status() == 0);
        CHECK(d.rd(SK_REG_PERF_CYCLES) == 0 && d.rd(SK_REG_PERF_MACS) == 0);
        CHECK(d.rd(SK_REG_IRQ_ENABLE) == SK_IRQ_ENABLE_DONE_MASK);  // kept
        CHECK(d.rd(SK_WIN_ACT0_BASE + 12) != 0xDEADBEEF);             // windows open again
        d.desc(0, 16, 8, 0, 0, 0, good_w3);
        CHECK(d.run(1));
        CHECK(!(d.status() & SK_STATUS_ERROR_MASK));
        CHECK(d.rd(SK_REG_PERF_MACS) == 16u * 8u);
        d.wr(SK_REG_CTRL, SK_CTRL_IRQ_CLEAR_MASK);
    });

    test("interrupt only when enabled", [&] {
        d.wr(SK_REG_IRQ_ENABLE, 0);
        d.desc(0, 16, 8, 0, 0, 0, good_w3);
        d.wr(SK_REG_CTRL, SK_CTRL_START_MASK);
        CHECK(d.sim.wait_irq(100) == SK_HAL_TIMEOUT);
        CHECK(d.status() & SK_STATUS_DONE_MASK);
        d.wr(SK_REG_IRQ_ENABLE, SK_IRQ_ENABLE_DONE_MASK);
        CHECK(d.sim.wait_irq(1) == SK_HAL_IRQ);
        d.wr(SK_REG_CTRL, SK_CTRL_IRQ_CLEAR_MASK);
        CHECK(d.sim.wait_irq(1) == SK_HAL_TIMEOUT);
    });

    sim.final();
    std::printf("sk-rtl-errors: %d checks, %d failed\n", g_checks, g_failures);
    return g_failures ? 1 : 0;
}
