// sk_rtl_regress.cpp — build/bin/sk-rtl-regress: run many cases through one Verilated
// core and compare whole output tensors with the golden model's expected.npy; dense and
// CNN cases alike (`shiftkit gen --cnn` writes NHWC tensors, compared element by
// element in file order).
//
//   sk-rtl-regress [+trace[=FILE]] [+stall_percent=P] [--seed S] [--suite NAME]
//                  [--junit FILE] [--json FILE] [--no-model-cycles] CASE_DIR...
//
// A case directory holds model.skm, input.npy and expected.npy (`shiftkit gen`
// writes case_NNNN directories, sk-rtl-directed named ones). One simulator serves
// every case: the driver soft-resets the core when it opens it. The bus model's
// stalls are reseeded per case from (seed, case name), so a failing case replays
// identically on its own: the runner prints that one command, with a waveform.
// Each case also runs through the same driver on the C device model (built with the
// core's LANES), whose cycle estimate (docs/regmap.md "Timing") is set beside the
// core's PERF_CYCLES: reported per case ("model_cycles") and counted, not failed, as
// cycle accuracy is `make perf-model`'s figure. --no-model-cycles leaves the device
// model out (model_cycles null), for a timing of the simulation alone (make bench).
// Prints "N passed, M failed"; exit status 0 only if nothing failed.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "sk_rtl_run.h"

extern "C" {
#include "sk_device.h"
}

namespace {

struct CaseResult {
    std::string dir, name, error;
    bool pass = false;
    SkRtlResult rtl;
    bool have_model_cycles = false;  // the device model ran the case
    bool model_failed = false;       // it was asked to and could not
    uint64_t model_cycles = 0;       // its busy cycles summed over the batch
    double seconds = 0;
    double model_seconds = 0;        // of `seconds`, in the device model
};

std::string strip_slashes(const std::string &dir)
{
    std::string d = dir;
    while (d.size() > 1 && d.back() == '/')
        d.pop_back();
    return d;
}

std::string base_name(const std::string &dir)
{
    std::string d = strip_slashes(dir);
    size_t slash = d.find_last_of('/');
    return slash == std::string::npos ? d : d.substr(slash + 1);
}

// FNV-1a over the case name, mixed with the seed: a per-case stall seed.
uint64_t case_stall_seed(uint64_t seed, const std::string &name)
{
    uint64_t h = 1469598103934665603ull ^ (seed * 0x9E3779B97F4A7C15ull);
    for (unsigned char c : name)
        h = (h ^ c) * 1099511628211ull;
    return h;
}

std::string xml_escape(const std::string &s)
{
    std::string o;
    for (char c : s) {
        switch (c) {
        case '<': o += "&lt;"; break;
        case '>': o += "&gt;"; break;
        case '&': o += "&amp;"; break;
        case '"': o += "&quot;"; break;
        default: o += c;
        }
    }
    return o;
}

std::string json_escape(const std::string &s)
{
    std::string o;
    for (char c : s) {
        if (c == '"' || c == '\\') {
            o += '\\';
            o += c;
        } else if ((unsigned char)c < 0x20) {
            o += ' ';
        } else {
            o += c;
        }
    }
    return o;
}

// Whole-tensor comparison; the message names the first mismatch (sample, element and,
// for an NHWC output, its row, column and channel) and the total.
bool compare(const sk_tensor &got, const sk_tensor &exp, std::string *why)
{
    size_t n = sk_tensor_count(&exp);
    if (sk_tensor_count(&got) != n) {
        *why = "output has " + std::to_string(sk_tensor_count(&got)) + " values, expected " +
               std::to_string(n);
        return false;
    }
    size_t per_sample = exp.ndim == 1 || exp.shape[0] == 0 ? n : n / exp.shape[0];
    size_t bad = 0, first = 0;
    for (size_t i = 0; i < n; i++) {
        if (got.data[i] != exp.data[i] && bad++ == 0)
            first = i;
    }
    if (!bad)
        return true;
    size_t e = first % per_sample;
    char where[96] = "";
    if (exp.ndim == 4) {  // [batch][H][W][C]
        size_t c = exp.shape[3], w = exp.shape[2];
        std::snprintf(where, sizeof where, " (row %zu, column %zu, channel %zu)", e / c / w,
                      e / c % w, e % c);
    }
    char msg[256];
    std::snprintf(msg, sizeof msg,
                  "%zu of %zu outputs differ; first: sample %zu index %zu%s: rtl %d, golden %d",
                  bad, n, first / per_sample, e, where, got.data[first], exp.data[first]);
    *why = msg;
    return false;
}

// The same driver on the C device model: its busy cycles for the batch, or false when
// it does not run the case (its message is not the RTL's concern here).
bool device_model_cycles(uint32_t lanes, const sk_model *model, const sk_tensor *input,
                         uint64_t *cycles)
{
    sk_device_config cfg;
    sk_device_default_config(&cfg);
    cfg.lanes = lanes;
    sk_device *dev = nullptr;
    sk_error err{};
    if (sk_device_create(&cfg, &dev, &err) != SK_OK)
        return false;
    sk_hal hal;
    sk_device_hal(dev, &hal);
    sk_tensor out{};
    sk_drv_perf perf{};
    bool ok = sk_drv_run_tensor(&hal, nullptr, model, input, &out, nullptr, &perf, &err) ==
              SK_DRV_OK;
    sk_tensor_free(&out);
    sk_device_free(dev);
    *cycles = perf.busy_cycles;
    return ok;
}

// lanes: the device model's build; 0 leaves the device model out.
CaseResult run_case(SkSim &sim, uint32_t lanes, const std::string &dir, uint64_t seed)
{
    CaseResult r;
    r.dir = dir;
    r.name = base_name(dir);
    auto t0 = std::chrono::steady_clock::now();
    sk_model model{};
    sk_tensor input{}, expected{}, output{};
    sk_error err{};
    bool have_model = false;
    sk_status st = sk_model_load((dir + "/model.skm").c_str(), &model, &err);
    have_model = st == SK_OK;
    if (st == SK_OK)
        st = sk_npy_load((dir + "/input.npy").c_str(), &input, &err);
    if (st == SK_OK)
        st = sk_npy_load((dir + "/expected.npy").c_str(), &expected, &err);
    if (st == SK_OK) {
        sim.reseed(case_stall_seed(seed, r.name));
        st = sk_rtl_run(sim, &model, &input, &output, &r.rtl, &err);
        if (st == SK_OK)
            r.pass = compare(output, expected, &r.error);
        if (st == SK_OK && lanes) {
            auto t_model = std::chrono::steady_clock::now();
            r.have_model_cycles = device_model_cycles(lanes, &model, &input, &r.model_cycles);
            r.model_failed = !r.have_model_cycles;
            r.model_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                            t_model).count();
        }
    }
    if (st != SK_OK)
        r.error = std::string(sk_strerror(st)) + ": " + err.msg;
    sk_tensor_free(&output);
    sk_tensor_free(&expected);
    sk_tensor_free(&input);
    if (have_model)
        sk_model_free(&model);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

size_t count_failed(const std::vector<CaseResult> &results)
{
    size_t failed = 0;
    for (const auto &r : results)
        failed += !r.pass;
    return failed;
}

// Passing cases whose device-model cycle estimate differs from PERF_CYCLES (or that the
// device model failed to run).
size_t count_cycle_differences(const std::vector<CaseResult> &results)
{
    size_t differ = 0;
    for (const auto &r : results)
        differ += r.pass && (r.model_failed ||
                             (r.have_model_cycles && r.model_cycles != r.rtl.perf.busy_cycles));
    return differ;
}

void write_junit(const std::string &path, const std::string &suite,
                 const std::vector<CaseResult> &results, double seconds)
{
    FILE *f = std::fopen(path.c_str(), "w");
    if (!f) {
        std::perror(path.c_str());
        return;
    }
    size_t failed = count_failed(results);
    std::fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    std::fprintf(f, "<testsuite name=\"%s\" tests=\"%zu\" failures=\"%zu\" time=\"%.3f\">\n",
                 xml_escape(suite).c_str(), results.size(), failed, seconds);
    for (const auto &r : results) {
        std::fprintf(f, "  <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"",
                     xml_escape(suite).c_str(), xml_escape(r.name).c_str(), r.seconds);
        if (r.pass)
            std::fprintf(f, "/>\n");
        else
            std::fprintf(f, ">\n    <failure message=\"%s\"/>\n  </testcase>\n",
                         xml_escape(r.error).c_str());
    }
    std::fprintf(f, "</testsuite>\n");
    std::fclose(f);
}

void write_json(const std::string &path, const std::string &suite, uint64_t seed,
                const std::vector<CaseResult> &results, double cycles_per_s)
{
    FILE *f = std::fopen(path.c_str(), "w");
    if (!f) {
        std::perror(path.c_str());
        return;
    }
    size_t failed = count_failed(results);
    std::fprintf(f, "{\n  \"suite\": \"%s\",\n  \"seed\": %llu,\n  \"passed\": %zu,\n"
                 "  \"failed\": %zu,\n  \"model_cycle_differences\": %zu,\n"
                 "  \"sim_cycles_per_s\": %.0f,\n  \"cases\": [\n",
                 json_escape(suite).c_str(), (unsigned long long)seed, results.size() - failed,
                 failed, count_cycle_differences(results), cycles_per_s);
    for (size_t i = 0; i < results.size(); i++) {
        const auto &r = results[i];
        std::string model_cycles =
            r.have_model_cycles ? std::to_string(r.model_cycles) : std::string("null");
        std::fprintf(f, "    {\"name\": \"%s\", \"seed\": %llu, \"pass\": %s, \"cycles\": %llu, "
                     "\"model_cycles\": %s, \"macs\": %llu, \"stall_cycles\": %llu, "
                     "\"starts\": %u, \"sim_cycles\": %llu, \"error\": \"%s\"}%s\n",
                     json_escape(r.name).c_str(), (unsigned long long)seed,
                     r.pass ? "true" : "false", (unsigned long long)r.rtl.perf.busy_cycles,
                     model_cycles.c_str(), (unsigned long long)r.rtl.perf.macs,
                     (unsigned long long)r.rtl.perf.stall_cycles, r.rtl.perf.starts,
                     (unsigned long long)r.rtl.sim_cycles, json_escape(r.error).c_str(),
                     i + 1 < results.size() ? "," : "");
    }
    std::fprintf(f, "  ]\n}\n");
    std::fclose(f);
}

int usage()
{
    std::fprintf(stderr, "usage: sk-rtl-regress [+trace[=FILE]] [+stall_percent=P] [--seed S] "
                         "[--suite NAME] [--junit FILE] [--json FILE] [--no-model-cycles] "
                         "CASE_DIR...\n");
    return 2;
}

}  // namespace

int main(int argc, char **argv)
{
    SkSimOptions opt;
    if (!sk_sim_parse_plusargs(&argc, argv, &opt))
        return 2;
    uint64_t seed = 1;
    std::string suite = "rtl", junit, json;
    bool model_cycles = true;
    std::vector<std::string> dirs;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        bool has_value = i + 1 < argc;
        if (a == "--seed" && has_value) {
            char *end;
            seed = std::strtoull(argv[++i], &end, 0);
            if (*end)
                return usage();
        } else if (a == "--suite" && has_value) {
            suite = argv[++i];
        } else if (a == "--junit" && has_value) {
            junit = argv[++i];
        } else if (a == "--json" && has_value) {
            json = argv[++i];
        } else if (a == "--no-model-cycles") {
            model_cycles = false;
        } else if (!a.empty() && a[0] == '-') {
            return usage();
        } else {
            dirs.push_back(a);
        }
    }
    if (dirs.empty())
        return usage();

    SkSim sim(opt);
    uint32_t lanes = 0;
    if (sim.read32(0x020, &lanes) != 0) {  // SK_REG_LANES, for the device model's build
        std::fprintf(stderr, "sk-rtl-regress: cannot read LANES\n");
        return 1;
    }
    std::vector<CaseResult> results;
    auto t0 = std::chrono::steady_clock::now();
    for (const auto &dir : dirs) {
        results.push_back(run_case(sim, model_cycles ? lanes : 0, dir, seed));
        const CaseResult &r = results.back();
        if (!r.pass) {
            std::printf("FAIL %s (seed %llu): %s\n", r.dir.c_str(), (unsigned long long)seed,
                        r.error.c_str());
            // the waveform lands beside the case directory
            std::printf("  replay with a waveform: %s +trace=%s%s --seed %llu %s\n", argv[0],
                        strip_slashes(r.dir).c_str(), sk_sim_trace_ext(), (unsigned long long)seed,
                        r.dir.c_str());
        }
    }
    sim.final();
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double sim_seconds = seconds;  // the simulation's share: the device model's runs out
    for (const auto &r : results)
        sim_seconds -= r.model_seconds;
    double cycles_per_s = sim_seconds > 0 ? (double)sim.cycles() / sim_seconds : 0;
    size_t failed = count_failed(results);
    char model[96] = "; device model not run";
    if (model_cycles)
        std::snprintf(model, sizeof model, "; device-model cycle estimate differs from "
                      "PERF_CYCLES on %zu passing cases", count_cycle_differences(results));
    std::printf("%s: %zu passed, %zu failed (%llu simulated cycles, %.0f cycles/s)%s\n",
                suite.c_str(), results.size() - failed, failed,
                (unsigned long long)sim.cycles(), cycles_per_s, model);
    if (!junit.empty())
        write_junit(junit, suite, results, seconds);
    if (!json.empty())
        write_json(json, suite, seed, results, cycles_per_s);
    return failed ? 1 : 0;
}
