/* sk_sc_random_test.cpp — seeded random bus traffic, the same on both SystemC targets
 * side by side, every answer compared between them: the C device model (through
 * sk_tlm_device) and the RTL (through the bridge) must give the same response and data
 * for every access. The traffic mixes random register and window accesses (in and
 * out of range, the XDESC window and FEATURES included) with random runs: 1..3 layers
 * of random descriptors (mostly legal, sometimes with a broken field, chain, range,
 * shift or NUM_LAYERS, so every error code comes up), dense or, through EXT
 * descriptors and the XDESC window (register map 1.1), conv2d, depthwise, maxpool,
 * avgpool, add and EXT dense over random activation buffers (sometimes with a broken
 * kind, padding, dimension, address or step, so the EXT rules and the run-time
 * ACT_RANGE come up), random weights, biases, shifts and inputs, then STATUS,
 * CUR_LAYER, PERF_MACS and the activation buffers read back; and starts aborted by
 * SOFT_RESET.
 *
 * Reads whose value depends on the cycle they land in (STATUS or a window right after
 * a START, PERF_CYCLES, PERF_STALLS) are timing figures: their differences are counted
 * and printed, not failed (`make perf-model` owns cycle accuracy). So are the
 * activation buffers and PERF_MACS after a run that ended with ERROR and CUR_LAYER
 * after an aborted one, which regmap.md does not specify; after such a run and after an aborted START the buffers are
 * written afresh for the same reason.
 *
 *   sk-sc-random-test [SEED [ITERATIONS]]     (defaults 1 and 400)
 * Prints "random traffic (...): N accesses compared, M differ; ..." and the first
 * differences; exit 1 when a compared access differs. */
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <systemc>

#include "shiftkit/sk_regs.h"
#include "sk_sc_twin.h"

using namespace sc_core;

/* How an access's answer is compared between the targets. */
enum class compare { exact, timing, unspecified };

/* One observed access. */
struct access_record {
    std::string what;
    int rc;
    uint32_t value;
    compare how;
};

/* xorshift64*: the same stream on both sides for a seed */
struct rng {
    uint64_t s;
    explicit rng(uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 1) {}
    uint32_t next()
    {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        return uint32_t((s * 0x2545F4914F6CDD1Dull) >> 32);
    }
    uint32_t below(uint32_t n) { return next() % n; }
    bool chance(unsigned percent) { return below(100) < percent; }
};

class traffic {
public:
    traffic(sk_tlm_hal &cpu, uint64_t seed, std::vector<access_record> &log)
        : m_cpu(cpu), m_rng(seed), m_log(log) {}

    void run(unsigned iterations)
    {
        wr(SK_REG_IRQ_ENABLE, 1, "IRQ_ENABLE");
        for (unsigned i = 0; i < iterations; i++) {
            unsigned kind = m_rng.below(10);
            if (kind < 3)
                random_write();
            else if (kind < 6)
                random_read();
            else if (kind < 9)
                m_rng.chance(40) ? random_ext_run() : random_run();
            else
                aborted_start();
        }
    }

private:
    void rd(uint32_t offset, const char *what, compare how = compare::exact)
    {
        uint32_t v = 0;
        int rc = m_cpu.read32(offset, &v);
        char buf[96];
        std::snprintf(buf, sizeof buf, "read %s @0x%06x", what, offset);
        m_log.push_back({buf, rc, rc ? 0u : v, how});
        m_last = v;
    }
    void wr(uint32_t offset, uint32_t value, const char *what)
    {
        int rc = m_cpu.write32(offset, value);
        char buf[96];
        std::snprintf(buf, sizeof buf, "write %s @0x%06x = 0x%08x", what, offset, value);
        m_log.push_back({buf, rc, 0, compare::exact});
    }

    /* a word in a window, mostly inside its mapped size, sometimes just past it */
    uint32_t window_word(const char **name)
    {
        static const struct { const char *name; uint32_t base, size; } win[] = {
            {"DESC", SK_WIN_DESC_BASE, SK_DEFAULT_MAX_LAYERS * 16},
            {"XDESC", SK_WIN_XDESC_BASE, SK_DEFAULT_MAX_LAYERS * SK_XDESC_BYTES},
            {"BIAS", SK_WIN_BIAS_BASE, SK_DEFAULT_BIAS_DEPTH * 4},
            {"SHIFT", SK_WIN_SHIFT_BASE, SK_DEFAULT_SHIFT_DEPTH},
            {"ACT0", SK_WIN_ACT0_BASE, SK_DEFAULT_ACT_BYTES},
            {"ACT1", SK_WIN_ACT1_BASE, SK_DEFAULT_ACT_BYTES},
            {"WEIGHTS", SK_WIN_WEIGHTS_BASE, SK_DEFAULT_WEIGHT_ROWS * 8},
        };
        const auto &w = win[m_rng.below(sizeof win / sizeof win[0])];
        *name = w.name;
        uint32_t off = m_rng.chance(10) ? w.size + 4 * m_rng.below(4) : 4 * m_rng.below(w.size / 4);
        return w.base + off;
    }

    void random_write()
    {
        const char *name;
        if (m_rng.chance(20)) { /* a register (CTRL is left to the run and abort kinds) */
            static const uint32_t regs[] = {SK_REG_ID, SK_REG_IRQ_ENABLE, SK_REG_NUM_LAYERS,
                                            SK_REG_STATUS, SK_REG_PERF_MACS, 0x01C, 0xFFC};
            uint32_t r = regs[m_rng.below(7)];
            wr(r, r == SK_REG_NUM_LAYERS ? m_rng.below(4) : m_rng.next(), "register");
            return;
        }
        uint32_t a = window_word(&name);
        wr(a, m_rng.next(), name);
    }

    void random_read()
    {
        const char *name;
        if (m_rng.chance(40)) {
            static const uint32_t regs[] = {SK_REG_ID, SK_REG_VERSION, SK_REG_CTRL,
                                            SK_REG_IRQ_ENABLE, SK_REG_STATUS, SK_REG_NUM_LAYERS,
                                            SK_REG_CUR_LAYER, SK_REG_LANES, SK_REG_WEIGHT_ROWS,
                                            SK_REG_WEIGHT_ROW_BYTES, SK_REG_BIAS_DEPTH,
                                            SK_REG_SHIFT_DEPTH, SK_REG_ACT_BYTES,
                                            SK_REG_MAX_LAYERS, SK_REG_MAX_BATCH,
                                            SK_REG_PERF_MACS, 0x01C, 0x04C, 0x800};
            uint32_t r = regs[m_rng.below(sizeof regs / sizeof regs[0])];
            bool unspecified = m_after_failure && (r == SK_REG_PERF_MACS || r == SK_REG_CUR_LAYER);
            rd(r, "register", unspecified ? compare::unspecified : compare::exact);
            return;
        }
        uint32_t a = window_word(&name);
        rd(a, name);
    }

    /* 1..3 layers, mostly legal; each field breaks now and then */
    void random_run()
    {
        unsigned layers = 1 + m_rng.below(3);
        uint32_t w_base = 0, b_base = 0, prev_n = 0, prev_signed = m_rng.below(2);
        uint32_t k0 = 0;
        for (unsigned l = 0; l < layers; l++) {
            uint32_t k = l == 0 || m_rng.chance(5) ? 1 + m_rng.below(48) : prev_n;
            uint32_t n = 1 + m_rng.below(40);
            if (l == 0)
                k0 = k;
            bool last = l + 1 == layers;
            bool raw = last && m_rng.chance(15), relu = !raw && m_rng.chance(25);
            if (m_rng.chance(3))
                relu = raw = true; /* DESC_FIELD */
            bool per_channel = m_rng.chance(30);
            int shift = int(m_rng.below(48)) - 16;
            if (m_rng.chance(4))
                shift = -17 - int(m_rng.below(16)); /* SHIFT_RANGE */
            uint32_t out_bits = 2 + m_rng.below(7);
            if (m_rng.chance(3))
                out_bits = m_rng.chance(50) ? m_rng.below(2) : 9 + m_rng.below(7);
            uint32_t in_signed = m_rng.chance(5) ? m_rng.below(2) : prev_signed;
            uint32_t out_signed = m_rng.below(2);
            uint32_t wb = m_rng.chance(3) ? SK_DEFAULT_WEIGHT_ROWS - m_rng.below(8) : w_base;
            uint32_t bb = m_rng.chance(3) ? SK_DEFAULT_BIAS_DEPTH - m_rng.below(8) : b_base;
            uint32_t d3 = (uint32_t(shift) & 0x3Fu) | m_rng.below(4) << 6 | (out_bits & 0xFu) << 8 |
                          out_signed << 12 | in_signed << 13 | uint32_t(relu) << 14 |
                          uint32_t(raw) << 15 | uint32_t(per_channel) << 16;
            if (m_rng.chance(3))
                d3 |= 1u << (17 + m_rng.below(15)); /* reserved bit */
            uint32_t d = SK_WIN_DESC_BASE + 16 * l;
            wr(d, k | n << 16, "DESC.0");
            wr(d + 4, wb, "DESC.1");
            wr(d + 8, bb | bb << 16, "DESC.2");
            wr(d + 12, d3, "DESC.3");
            uint32_t rows = (n + 7) / 8 * k;
            layer_data(wb, rows, bb, n, per_channel ? n : 0);
            w_base += rows;
            b_base += n;
            prev_n = n;
            prev_signed = out_signed;
        }
        for (uint32_t j = 0; j < k0; j += 4)
            wr(SK_WIN_ACT0_BASE + j, m_rng.next(), "ACT0 input");
        start_and_check(layers, false);
    }

    /* Random weight rows from row wb, biases and per-channel shift entries from entry bb
     * (most shifts in -16..31, some 40: SHIFT_RANGE), each clipped to its memory. */
    void layer_data(uint32_t wb, uint32_t rows, uint32_t bb, uint32_t biases, uint32_t shifts)
    {
        for (uint32_t r = 0; r < rows && wb + r < SK_DEFAULT_WEIGHT_ROWS; r++) {
            wr(SK_WIN_WEIGHTS_BASE + 8 * (wb + r), m_rng.next(), "WEIGHTS");
            wr(SK_WIN_WEIGHTS_BASE + 8 * (wb + r) + 4, m_rng.next(), "WEIGHTS");
        }
        for (uint32_t c = 0; c < biases && bb + c < SK_DEFAULT_BIAS_DEPTH; c++)
            wr(SK_WIN_BIAS_BASE + 4 * (bb + c), uint32_t(int32_t(m_rng.below(1u << 17)) - (1 << 16)),
               "BIAS");
        for (uint32_t c = 0; c < shifts && bb + c < SK_DEFAULT_SHIFT_DEPTH; c += 4) {
            uint32_t word = 0;
            for (unsigned b = 0; b < 4; b++) {
                int s = m_rng.chance(3) ? 40 : int(m_rng.below(48)) - 16;
                word |= (uint32_t(s) & 0xFFu) << (8 * b);
            }
            wr(SK_WIN_SHIFT_BASE + ((bb + c) & ~3u), word, "SHIFT");
        }
    }

    /* Field `mask` (its shift is the mask's lowest set bit) of an XDESC word set to v. */
    static uint32_t put(uint32_t word, uint32_t mask, uint32_t v)
    {
        uint32_t shift = 0;
        while (!((mask >> shift) & 1u))
            shift++;
        return (word & ~mask) | ((v << shift) & mask);
    }

    /* 1..3 EXT layers (docs/regmap.md "Extension descriptor"): mostly legal shapes,
     * steps and addresses over the random contents of both activation buffers (input
     * in one, output in the other), now and then a broken kind, DEPTHWISE, padding,
     * dimension, RAW address, activation offset or step, so the EXT error rules and the
     * run-time ACT_RANGE come up. Weights, biases and shifts as random_run. */
    void random_ext_run()
    {
        refill_buffers(); /* the layers' inputs */
        unsigned layers = 1 + m_rng.below(3);
        uint32_t w_base = 0, b_base = 0, prev_signed = m_rng.below(2);
        for (unsigned l = 0; l < layers; l++) {
            static const uint32_t kinds[] = {0, 1, 1, 1, 2, 3, 4};
            uint32_t kind = m_rng.chance(2) ? 5 + m_rng.below(3) : kinds[m_rng.below(7)];
            bool depthwise = (kind == 1 && m_rng.chance(25)) || m_rng.chance(2);
            bool last = l + 1 == layers, one_channel = depthwise || kind == 2 || kind == 3;
            uint32_t h = 1 + m_rng.below(5), w = 1 + m_rng.below(5), c = 1 + m_rng.below(4);
            uint32_t kh = 1 + m_rng.below(3), kw = 1 + m_rng.below(3);
            uint32_t sh = 1 + m_rng.below(2), sw = 1 + m_rng.below(2);
            uint32_t pt = m_rng.below(kh), pl = m_rng.below(kw);
            uint32_t pb = m_rng.below(kh), pr = m_rng.below(kw);
            if (kind == 0)
                h = w = kh = kw = sh = sw = 1, pt = pl = pb = pr = 0;
            if (m_rng.chance(3))
                pt = kh; /* DESC_FIELD (add excepted) */
            uint32_t oh = h + pt + pb >= kh ? (h + pt + pb - kh) / sh + 1 : 1;
            uint32_t ow = w + pl + pr >= kw ? (w + pl + pr - kw) / sw + 1 : 1;
            uint32_t n = kind == 4 ? h * w * c : kind <= 1 && !depthwise ? 1 + m_rng.below(12) : c;
            uint32_t taps = kind == 4 ? 2 : kh * kw * (one_channel ? 1 : c);
            if (m_rng.chance(3))
                (m_rng.chance(50) ? h : ow) = 0; /* DESC_DIMS (add: only if N, K) */
            uint32_t in_buf = m_rng.below(2) << 16, out_buf = in_buf ^ (1u << 16);
            bool raw = last && kind <= 1 && m_rng.chance(20), relu = !raw && m_rng.chance(25);
            uint32_t in_addr = in_buf | 4 * m_rng.below(4);
            uint32_t src_addr = kind == 4 ? in_buf | (64 + 4 * m_rng.below(4)) : 0;
            uint32_t out_addr = out_buf | (raw ? 4 * m_rng.below(4) : m_rng.below(16));
            if (m_rng.chance(3))
                out_addr = out_buf | (m_rng.chance(50) ? SK_DEFAULT_ACT_BYTES + m_rng.below(8)
                                                       : 4 * m_rng.below(4) + 1);
            uint32_t row = w * c, pix = sw * c, orow = sh * w * c, pad = (pt * w + pl) * c;
            if (m_rng.chance(5))
                pad += 1 + m_rng.below(16); /* taps before byte 0: ACT_RANGE */
            if (m_rng.chance(5))
                orow += 4 * m_rng.below(4096); /* rows far apart, maybe past the buffer */
            bool per_channel = (kind <= 1 && m_rng.chance(30)) || m_rng.chance(2);
            bool maxpool_like = kind == 2 && m_rng.chance(70); /* as the driver sets it */
            int shift = maxpool_like ? 0 : int(m_rng.below(48)) - 16;
            uint32_t mode = maxpool_like ? 0 : m_rng.below(4);
            uint32_t in_signed = m_rng.chance(5) ? m_rng.below(2) : prev_signed;
            uint32_t out_signed = maxpool_like ? in_signed : m_rng.below(2);
            uint32_t out_bits = maxpool_like ? 8 : 2 + m_rng.below(7);
            uint32_t d3 = (uint32_t(shift) & 0x3Fu) | mode << 6 | (out_bits & 0xFu) << 8 |
                          out_signed << 12 | in_signed << 13 | uint32_t(relu) << 14 |
                          uint32_t(raw) << 15 | uint32_t(per_channel) << 16 | SK_DESC_EXT_MASK;
            uint32_t d = SK_WIN_DESC_BASE + 16 * l;
            wr(d, (taps & 0xFFFFu) | (n & 0xFFFFu) << 16, "DESC.0");
            wr(d + 4, w_base, "DESC.1");
            wr(d + 8, b_base | b_base << 16, "DESC.2");
            wr(d + 12, d3, "DESC.3");
            uint32_t x[SK_XDESC_WORDS] = {};
            x[0] = put(put(put(put(put(0, SK_XDESC_KIND_MASK, kind), SK_XDESC_DEPTHWISE_MASK,
                                       depthwise), SK_XDESC_SRC_SIGNED_MASK, m_rng.below(2)),
                           SK_XDESC_A_SHIFT_MASK, m_rng.below(9)),
                       SK_XDESC_B_SHIFT_MASK, m_rng.below(9));
            x[1] = put(0, SK_XDESC_IN_ADDR_MASK, in_addr);
            x[2] = put(0, SK_XDESC_OUT_ADDR_MASK, out_addr);
            x[3] = put(0, SK_XDESC_SRC_ADDR_MASK, src_addr);
            x[4] = put(put(0, SK_XDESC_H_MASK, h), SK_XDESC_W_MASK, w);
            x[5] = put(put(put(0, SK_XDESC_C_MASK, c), SK_XDESC_KH_MASK, kh), SK_XDESC_KW_MASK, kw);
            x[6] = put(put(put(put(0, SK_XDESC_SH_MASK, sh), SK_XDESC_SW_MASK, sw), SK_XDESC_PT_MASK,
                           pt), SK_XDESC_PL_MASK, pl);
            x[7] = put(put(0, SK_XDESC_OH_MASK, oh), SK_XDESC_OW_MASK, ow);
            x[8] = put(0, SK_XDESC_ROW_STEP_MASK, row);
            x[9] = put(0, SK_XDESC_PIX_STEP_MASK, pix);
            x[10] = put(0, SK_XDESC_OROW_STEP_MASK, orow);
            x[11] = put(0, SK_XDESC_PAD_OFFSET_MASK, pad);
            if (m_rng.chance(2))
                x[m_rng.below(SK_XDESC_WORDS)] |= 1u << 31; /* a reserved bit, mostly */
            for (uint32_t j = 0; j < SK_XDESC_WORDS; j++)
                wr(SK_WIN_XDESC_BASE + SK_XDESC_BYTES * l + 4 * j, x[j], "XDESC");
            bool weighted = kind <= 1;
            uint32_t rows = !weighted ? 0 : depthwise ? n * taps : (n + 7) / 8 * taps;
            layer_data(w_base, rows, b_base, weighted ? n : 0, per_channel ? n : 0);
            w_base += rows;
            b_base += weighted ? n : 0;
            prev_signed = out_signed;
        }
        start_and_check(layers, true);
    }

    /* NUM_LAYERS (sometimes out of range), START, wait, then the status, counters and
     * buffers read back; after a failed run the buffers are written afresh. */
    void start_and_check(unsigned layers, bool ext)
    {
        uint32_t num = m_rng.chance(4) ? (m_rng.chance(50) ? 0 : SK_DEFAULT_MAX_LAYERS + 1) : layers;
        wr(SK_REG_NUM_LAYERS, num, "NUM_LAYERS");
        wr(SK_REG_CTRL, SK_CTRL_START_MASK, "CTRL.START");
        sk_hal_wait_result w = m_cpu.wait_irq(1000);
        m_log.push_back({"wait_irq", int(w), 0, compare::exact});
        rd(SK_REG_STATUS, ext ? STATUS_EXT : STATUS_DENSE);
        /* what a failed run leaves in the buffers, and the MACs it counted before it
         * stopped, are not specified */
        bool failed = m_last & SK_STATUS_ERROR_MASK;
        m_after_failure = failed;
        compare act = failed ? compare::unspecified : compare::exact;
        rd(SK_REG_CUR_LAYER, "CUR_LAYER");
        rd(SK_REG_PERF_MACS, "PERF_MACS", act);
        rd(SK_REG_PERF_CYCLES, "PERF_CYCLES", compare::timing);
        rd(SK_REG_PERF_STALLS, "PERF_STALLS", compare::timing);
        for (uint32_t j = 0; j < ACT_CHECKED; j += 4) {
            rd(SK_WIN_ACT0_BASE + j, "ACT0", act);
            rd(SK_WIN_ACT1_BASE + j, "ACT1", act);
        }
        wr(SK_REG_CTRL, SK_CTRL_IRQ_CLEAR_MASK, "CTRL.IRQ_CLEAR");
        rd(SK_REG_STATUS, "STATUS after IRQ_CLEAR");
        if (failed)
            refill_buffers();
    }

    /* Start the activation buffers afresh (same data on both sides) */
    void refill_buffers()
    {
        for (uint32_t j = 0; j < ACT_CHECKED; j += 4) {
            wr(SK_WIN_ACT0_BASE + j, m_rng.next(), "ACT0 refill");
            wr(SK_WIN_ACT1_BASE + j, m_rng.next(), "ACT1 refill");
        }
    }

    void aborted_start()
    {
        wr(SK_REG_CTRL, SK_CTRL_START_MASK, "CTRL.START");
        rd(SK_REG_STATUS, "STATUS right after START", compare::timing);
        rd(SK_WIN_BIAS_BASE, "BIAS right after START", compare::timing);
        wr(SK_REG_CTRL, SK_CTRL_SOFT_RESET_MASK, "CTRL.SOFT_RESET");
        rd(SK_REG_STATUS, "STATUS after SOFT_RESET");
        rd(SK_REG_PERF_MACS, "PERF_MACS after SOFT_RESET");
        refill_buffers(); /* what an aborted run leaves in them is not specified */
        m_after_failure = true; /* CUR_LAYER of an aborted run: not specified either */
    }

public:
    static constexpr const char *STATUS_DENSE = "STATUS", *STATUS_EXT = "STATUS (EXT run)";

private:
    static const uint32_t ACT_CHECKED = 160; /* bytes of each buffer read back: 40 raw outputs */
    sk_tlm_hal &m_cpu;
    rng m_rng;
    uint32_t m_last = 0;          /* the last value read */
    bool m_after_failure = false; /* the last run failed or was aborted */
    std::vector<access_record> &m_log;
};

SC_MODULE(side) {
    sk_tlm_hal cpu{"cpu"};
    std::vector<access_record> log;
    uint64_t seed;
    unsigned iterations;
    bool done = false;
    SC_HAS_PROCESS(side);
    side(sc_module_name n, uint64_t s, unsigned it) : sc_module(n), seed(s), iterations(it)
    {
        SC_THREAD(main_thread);
    }
    void main_thread()
    {
        wait(100, SC_NS); /* past the RTL's reset */
        traffic(cpu, seed, log).run(iterations);
        done = true;
    }
};

int sc_main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1;
    unsigned iterations = argc > 2 ? unsigned(std::strtoul(argv[2], nullptr, 10)) : 400;
    sc_report_handler::set_actions("/OSCI/SystemC", SC_INFO, SC_DO_NOTHING);
    side tlm_side("tlm_side", seed, iterations), rtl_side("rtl_side", seed, iterations);
    sk_sc_twin twin(tlm_side.cpu, rtl_side.cpu);
    twin.reset();
    while (!(tlm_side.done && rtl_side.done) && sc_time_stamp() < sc_time(10, SC_SEC))
        sc_start(100, SC_US);
    if (!(tlm_side.done && rtl_side.done)) {
        std::printf("random traffic: seed %llu did not finish within 10 s of simulated time\n",
                    (unsigned long long)seed);
        return 1;
    }
    size_t n = tlm_side.log.size() < rtl_side.log.size() ? tlm_side.log.size() : rtl_side.log.size();
    size_t differ = 0, timing_differ = 0, unspecified_differ = 0, shown = 0;
    for (size_t i = 0; i < n; i++) {
        const access_record &a = tlm_side.log[i], &b = rtl_side.log[i];
        if (a.rc == b.rc && a.value == b.value)
            continue;
        if (a.how != compare::exact) {
            (a.how == compare::timing ? timing_differ : unspecified_differ)++;
            continue;
        }
        differ++;
        if (shown++ < 5)
            std::printf("random traffic: access %zu %s: tlm rc %d value 0x%08x, rtl rc %d value "
                        "0x%08x\n", i, a.what.c_str(), a.rc, a.value, b.rc, b.value);
    }
    if (tlm_side.log.size() != rtl_side.log.size())
        differ++;
    std::printf("random traffic (seed %llu, %u iterations): %zu accesses compared, %zu differ; "
                "not compared but differing: %zu timing reads, %zu unspecified reads (after a "
                "failed or aborted run)\n", (unsigned long long)seed, iterations, n, differ,
                timing_differ, unspecified_differ);
    // what the runs came to (RTL side), so a seed's coverage of the rules shows
    for (const char *kind : {traffic::STATUS_DENSE, traffic::STATUS_EXT}) {
        unsigned runs = 0, ended[256] = {};
        for (const access_record &r : rtl_side.log) {
            if (r.what.rfind(std::string("read ") + kind + " @", 0) == 0) {
                runs++;
                ended[(r.value & SK_STATUS_ERR_CODE_MASK) >> SK_STATUS_ERR_CODE_SHIFT]++;
            }
        }
        std::string codes;
        for (unsigned c = 0; c < 256; c++)
            if (ended[c])
                codes += " " + std::to_string(c) + ":" + std::to_string(ended[c]);
        std::printf("random traffic (seed %llu): %u %s runs by ERR_CODE (0 = ok):%s\n",
                    (unsigned long long)seed, runs,
                    kind == traffic::STATUS_EXT ? "EXT" : "dense", codes.c_str());
    }
    return differ ? 1 : 0;
}
