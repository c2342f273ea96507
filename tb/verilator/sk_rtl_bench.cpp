// sk_rtl_bench.cpp — build/bin/sk-rtl-bench: utilization of the Verilated core on
// single dense layers, from the core's own counters, and Verilator's speed.
//
//   sk-rtl-bench -o build/reports/rtl_perf.json
//
// For each K x N (64x64, 256x256, 784x128) a random int8 layer runs a batch of 8
// through the driver on SkSim; cycles are PERF_CYCLES (start to done) and macs
// PERF_MACS of one start, utilization = macs / (cycles * lanes). Outputs are checked against sk_infer,
// so a figure from a wrong result is never reported. sim_cycles_per_s is every
// simulated cycle (bus traffic included) over the wall time of the simulation;
// core_cycles_per_s counts only the cycles between start and done (no bus model).
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

struct Shape {
    uint32_t k, n;
};

bool build_model(uint32_t k, uint32_t n, sk_model *m, sk_tensor *in, std::mt19937 &rng)
{
    if (sk_model_init(m, 1) != SK_OK || sk_layer_alloc(&m->layers[0], k, n, false) != SK_OK)
        return false;
    m->in = sk_qtype{8, true};
    m->in_exp = -7;
    sk_layer &l = m->layers[0];
    l.w_bits = 8;
    l.out = sk_qtype{8, true};
    l.rounding = SK_ROUND_HALF_EVEN;
    l.out_exp = -3;
    l.w_exp[0] = -6;  // shift = -3 + 7 + 6 = 10
    std::uniform_int_distribution<int> w(-127, 127), x(-128, 127), b(-5000, 5000);
    for (size_t i = 0; i < (size_t)k * n; i++)
        l.weights[i] = (int8_t)w(rng);
    for (uint32_t i = 0; i < n; i++)
        l.bias[i] = b(rng);
    if (sk_tensor_alloc2(in, SK_DTYPE_INT8, kSamples, k) != SK_OK)
        return false;
    for (size_t i = 0; i < kSamples * k; i++)
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
    const Shape shapes[] = {{64, 64}, {256, 256}, {784, 128}};
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
        if (!build_model(s.k, s.n, &m, &in, rng)) {
            std::fprintf(stderr, "sk-rtl-bench: out of memory\n");
            return 1;
        }
        SkRtlResult res;
        sk_status st = sk_model_validate(&m, "bench", &err);
        if (st == SK_OK)
            st = sk_infer(&m, &in, "bench", &exp, nullptr, &err);
        if (st == SK_OK) {
            auto t_run = std::chrono::steady_clock::now();
            st = sk_rtl_run(sim, &m, &in, &out, &res, &err);
            sim_seconds +=
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t_run).count();
        }
        if (st != SK_OK) {
            std::fprintf(stderr, "sk-rtl-bench: %ux%u: %s (%s)\n", s.k, s.n, err.msg,
                         sk_strerror(st));
            return 1;
        }
        if (std::memcmp(out.data, exp.data, sizeof(int32_t) * sk_tensor_count(&exp)) != 0) {
            std::fprintf(stderr, "sk-rtl-bench: %ux%u: RTL output differs from sk_infer\n", s.k,
                         s.n);
            return 1;
        }
        uint64_t cycles = res.perf.busy_cycles / res.perf.starts;
        uint64_t macs = res.perf.macs / res.perf.starts;
        uint64_t stalls = res.perf.stall_cycles / res.perf.starts;
        double util = (double)macs / ((double)cycles * lanes);
        std::printf("rtl-bench: %4ux%-4u lanes %u: %llu cycles, %llu MACs, %llu stall cycles, "
                    "utilization %.4f\n", s.k, s.n, lanes, (unsigned long long)cycles,
                    (unsigned long long)macs, (unsigned long long)stalls, util);
        char row[256];
        std::snprintf(row, sizeof row,
                      "%s    {\"k\": %u, \"n\": %u, \"lanes\": %u, \"cycles\": %llu, \"macs\": %llu, "
                      "\"stall_cycles\": %llu, \"utilization\": %.4f}",
                      layers.empty() ? "" : ",\n", s.k, s.n, lanes, (unsigned long long)cycles,
                      (unsigned long long)macs, (unsigned long long)stalls, util);
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
