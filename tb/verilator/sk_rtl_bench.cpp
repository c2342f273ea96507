// sk_rtl_bench.cpp — build/bin/sk-rtl-bench: utilization of the Verilated core on
// single dense layers and on the conv2d of issue 9, from the core's own counters, and
// Verilator's speed.
//
//   sk-rtl-bench -o build/reports/rtl_perf.json
//
// For each K x N (64x64, 256x256, 784x128) a random int8 layer, and a 3x3 conv2d of 16
// to 16 channels with padding 1 on a 14x14 map (an EXT layer, docs/regmap.md), runs a
// batch of 8 through the driver on SkSim; cycles are PERF_CYCLES (start to done) and
// macs PERF_MACS of one start, utilization = macs / (cycles * lanes). Outputs are
// checked against sk_infer, so a figure from a wrong result is never reported. Each
// entry also carries spec_cycles, the run's cycles by the regmap.md "Timing" formula;
// the conv entry holds the target (utilization >= 0.85) and whether it is met,
// reported, never asserted. sim_cycles_per_s is every simulated cycle (bus traffic
// included) over the wall time of the simulation; core_cycles_per_s counts only the
// cycles between start and done (no bus model).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "sk_rtl_run.h"

namespace {

// Samples per shape: one START each; the figures are per START (all starts are equal),
// the batch only makes the simulation long enough to time.
constexpr size_t kSamples = 8;

// One benchmark layer: dense K x N, or a stride-1 conv2d (K = KH*KW*C taps per
// output, N output channels) on an H x W map with `pad` zeros on every border.
struct Shape {
    const char *kind;
    uint32_t k, n;
    uint32_t h = 1, w = 1, c = 0, kernel = 1, pad = 0;
    double target = 0;  // the utilization target (0: none)
};

// Output pixels of the layer (1 for dense).
uint32_t out_pixels(const Shape &s)
{
    return (s.h + 2 * s.pad - s.kernel + 1) * (s.w + 2 * s.pad - s.kernel + 1);
}

// Cycles of a run of this one layer by docs/regmap.md "Timing": a dense layer costs
// 6 + K + sum_{b=1}^{B-1} max(K, 3, a_{b-1}) + a_{B-1} + 9, an EXT layer 14 + T + ...
// over its J = OH*OW*G blocks, with a_j the channels of block j; plus 1 (DONE).
uint64_t spec_cycles(const Shape &s, uint32_t lanes)
{
    uint64_t groups = (s.n + lanes - 1) / lanes, blocks = out_pixels(s) * groups;
    auto channels = [&](uint64_t j) {
        uint64_t g = j % groups;
        return std::min<uint64_t>(lanes, s.n - g * lanes);
    };
    uint64_t cycles = (std::strcmp(s.kind, "dense") == 0 ? 6 : 14) + s.k;
    for (uint64_t j = 1; j < blocks; j++)
        cycles += std::max<uint64_t>({s.k, 3, channels(j - 1)});
    return 1 + cycles + channels(blocks - 1) + 9;
}

bool build_model(const Shape &s, sk_model *m, sk_tensor *in, std::mt19937 &rng)
{
    if (sk_model_init(m, 1) != SK_OK || sk_layer_alloc(&m->layers[0], s.k, s.n, false) != SK_OK)
        return false;
    m->in = sk_qtype{8, true};
    m->in_exp = -7;
    sk_layer &l = m->layers[0];
    if (std::strcmp(s.kind, "conv2d") == 0) {
        l.kind = SK_LAYER_CONV2D;
        l.geom = sk_geometry{};
        l.geom.in_h = s.h;
        l.geom.in_w = s.w;
        l.geom.in_c = s.c;
        l.geom.kernel_h = l.geom.kernel_w = s.kernel;
        l.geom.stride_h = l.geom.stride_w = 1;
        l.geom.pad_top = l.geom.pad_left = l.geom.pad_bottom = l.geom.pad_right = s.pad;
        l.geom.groups = 1;
    }
    l.w_bits = 8;
    l.out = sk_qtype{8, true};
    l.rounding = SK_ROUND_HALF_EVEN;
    l.out_exp = -3;
    l.w_exp[0] = -6;  // shift = -3 + 7 + 6 = 10
    std::uniform_int_distribution<int> w(-127, 127), x(-128, 127), b(-5000, 5000);
    for (size_t i = 0; i < (size_t)s.k * s.n; i++)
        l.weights[i] = (int8_t)w(rng);
    for (uint32_t i = 0; i < s.n; i++)
        l.bias[i] = b(rng);
    size_t inputs = std::strcmp(s.kind, "dense") == 0 ? s.k : (size_t)s.h * s.w * s.c;
    if (sk_tensor_alloc2(in, SK_DTYPE_INT8, kSamples, inputs) != SK_OK)
        return false;
    for (size_t i = 0; i < kSamples * inputs; i++)
        in->data[i] = x(rng);
    return true;
}

}  // namespace

int main(int argc, char **argv)
{
    SkSimOptions opt;
    opt.stall_percent = 0;
    if (!sk_sim_parse_plusargs(&argc, argv, &opt))
        return 2;
    if (argc != 3 || std::strcmp(argv[1], "-o") != 0) {
        std::fprintf(stderr, "usage: sk-rtl-bench [+trace[=FILE]] -o OUT.json\n");
        return 2;
    }
    Shape conv{"conv2d", 3 * 3 * 16, 16};
    conv.h = conv.w = 14;
    conv.c = 16;
    conv.kernel = 3;
    conv.pad = 1;
    conv.target = 0.85;
    const Shape shapes[] = {{"dense", 64, 64}, {"dense", 256, 256}, {"dense", 784, 128}, conv};
    std::mt19937 rng(2024);
    SkSim sim(opt);
    uint32_t lanes = 0;
    if (sim.read32(0x020, &lanes) != 0) {  // SK_REG_LANES, before any driver is open
        std::fprintf(stderr, "sk-rtl-bench: cannot read LANES\n");
        return 1;
    }
    std::string layers;
    double sim_seconds = 0;  // wall time inside the simulation only
    uint64_t cycles_before = sim.cycles();
    for (const Shape &s : shapes) {
        sk_model m{};
        sk_tensor in{}, out{}, exp{};
        sk_error err{};
        if (!build_model(s, &m, &in, rng)) {
            std::fprintf(stderr, "sk-rtl-bench: out of memory\n");
            return 1;
        }
        SkRtlResult res;
        sk_status st = sk_model_validate(&m, "bench", &err);
        if (st == SK_OK)
            st = sk_infer(&m, &in, "bench", &exp, nullptr, &err);
        bool refused = false;  // the driver refused a valid model (kind, features or fit)
        if (st == SK_OK) {
            auto t_run = std::chrono::steady_clock::now();
            st = sk_rtl_run(sim, &m, &in, &out, &res, &err);
            sim_seconds +=
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t_run).count();
            refused = st == SK_ERR_BAD_FIELD || st == SK_ERR_BAD_SHAPE;
        }
        if (refused && s.target != 0) {
            // a core or driver without the CNN layers: the entry says so instead of a figure
            std::printf("rtl-bench: %s: NOT MEASURED, the driver refuses it: %s\n", s.kind,
                        err.msg);
            std::string why;
            for (const char *c = err.msg; *c; c++)
                if (*c != '"' && *c != '\\')
                    why += *c;
            char row[256];
            std::snprintf(row, sizeof row, "%s    {\"kind\": \"%s\", \"k\": %u, \"n\": %u, "
                          "\"lanes\": %u, \"spec_cycles\": %llu, \"target\": \"utilization >= "
                          "%.2f\", \"meets_target\": false, \"not_measured\": \"",
                          layers.empty() ? "" : ",\n", s.kind, s.k, s.n, lanes,
                          (unsigned long long)spec_cycles(s, lanes), s.target);
            layers += row + why + "\"}";
            sk_tensor_free(&in);
            sk_tensor_free(&exp);
            sk_model_free(&m);
            continue;
        }
        if (st != SK_OK) {
            std::fprintf(stderr, "sk-rtl-bench: %s %ux%u: %s (%s)\n", s.kind, s.k, s.n,
                         err.msg, sk_strerror(st));
            return 1;
        }
        if (sk_tensor_count(&out) != sk_tensor_count(&exp) ||
            std::memcmp(out.data, exp.data, sizeof(int32_t) * sk_tensor_count(&exp)) != 0) {
            std::fprintf(stderr, "sk-rtl-bench: %s %ux%u: RTL output differs from sk_infer\n",
                         s.kind, s.k, s.n);
            return 1;
        }
        uint64_t cycles = res.perf.busy_cycles / res.perf.starts;
        uint64_t macs = res.perf.macs / res.perf.starts;
        uint64_t stalls = res.perf.stall_cycles / res.perf.starts;
        double util = (double)macs / ((double)cycles * lanes);
        uint64_t spec = spec_cycles(s, lanes);
        char what[96], extra[256] = "";
        if (std::strcmp(s.kind, "dense") == 0)
            std::snprintf(what, sizeof what, "%ux%u", s.k, s.n);
        else
            std::snprintf(what, sizeof what, "conv2d %ux%u, %ux%ux%u -> %u, pad %u", s.kernel,
                          s.kernel, s.h, s.w, s.c, s.n, s.pad);
        std::printf("rtl-bench: %s lanes %u: %llu cycles (formula %llu), %llu MACs, %llu stall "
                    "cycles, utilization %.4f%s\n", what, lanes, (unsigned long long)cycles,
                    (unsigned long long)spec, (unsigned long long)macs,
                    (unsigned long long)stalls, util,
                    s.target == 0 ? "" : util >= s.target ? " (target met)" : " (target MISSED)");
        if (s.target != 0)
            std::snprintf(extra, sizeof extra, ", \"h\": %u, \"w\": %u, \"c\": %u, \"kernel\": "
                          "%u, \"stride\": 1, \"pad\": %u, \"target\": \"utilization >= %.2f\", "
                          "\"meets_target\": %s", s.h, s.w, s.c, s.kernel, s.pad, s.target,
                          util >= s.target ? "true" : "false");
        char row[512];
        std::snprintf(row, sizeof row,
                      "%s    {\"kind\": \"%s\", \"k\": %u, \"n\": %u, \"lanes\": %u, \"cycles\": "
                      "%llu, \"spec_cycles\": %llu, \"macs\": %llu, \"stall_cycles\": %llu, "
                      "\"utilization\": %.4f%s}",
                      layers.empty() ? "" : ",\n", s.kind, s.k, s.n, lanes,
                      (unsigned long long)cycles, (unsigned long long)spec,
                      (unsigned long long)macs, (unsigned long long)stalls, util, extra);
        layers += row;
        sk_tensor_free(&in);
        sk_tensor_free(&out);
        sk_tensor_free(&exp);
        sk_model_free(&m);
    }
    uint64_t cycles = sim.cycles() - cycles_before;
    double cps = (double)cycles / sim_seconds;
    sim.final();
    double core_cps = (double)sim.wait_cycles() / sim.wait_seconds();
    std::printf("rtl-bench: Verilator %.0f cycles/s with the bus model and driver (%llu cycles in "
                "%.2f s), %.0f cycles/s while the core computes; single thread\n", cps,
                (unsigned long long)cycles, sim_seconds, core_cps);
    FILE *f = std::fopen(argv[2], "w");
    if (!f) {
        std::perror(argv[2]);
        return 1;
    }
    std::fprintf(f, "{\n  \"layers\": [\n%s\n  ],\n  \"sim_cycles_per_s\": %.0f,\n"
                 "  \"core_cycles_per_s\": %.0f,\n  \"sim_cycles\": %llu,\n"
                 "  \"sim_seconds\": %.3f\n}\n",
                 layers.c_str(), cps, core_cps, (unsigned long long)cycles, sim_seconds);
    std::fclose(f);
    return 0;
}
