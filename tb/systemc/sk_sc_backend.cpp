/* sk_sc_backend.cpp — build/bin/shiftkit-sc (installed as shiftkit-sc-tlm and
 * shiftkit-sc-rtl): the shiftkit CLI with two SystemC backends. Each builds a small
 * virtual platform — the HAL initiator (sk_tlm_hal) bound to one target — and runs the
 * unchanged C driver in an SC_THREAD: open, load the model, run the batch.
 *
 *   sc-tlm  sk_tlm_device: the C device model, loosely timed, annotated time
 *   sc-rtl  sk_rtl_device: the Verilated RTL behind the AXI4-Lite bridge, sc_clock
 *
 * `shiftkit check MODEL INPUT EXPECTED --backend sc-tlm` execs this binary.
 * Environment:
 *   SHIFTKIT_SC_CLOCK_PS  clock period in ps (default 10000 = 100 MHz), both targets
 *   SHIFTKIT_SC_WAIT=poll the driver polls STATUS instead of waiting for the interrupt
 *   SHIFTKIT_SC_TIMING    file to append one JSON line of simulated times per run to
 *                         (tb/systemc/sc_report.py turns them into systemc.json) */
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>

#include <systemc>

#include "sk_cli.h"
#include "shiftkit/sk_driver.h"
#include "sk_rtl_device.h"
#include "sk_tlm_device.h"
#include "sk_tlm_hal.h"

using namespace sc_core;

/* The CLI's output is its report lines: no SystemC banner. SystemC prints it before
 * sc_main, so this runs at static initialization. */
static const int banner_off = setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 0);

enum class sc_target { tlm, rtl };

/* What one run produced besides its outputs: simulated times from the first register
 * access (after reset) to the end of open+load and to the end of the batch. */
struct sc_run_times {
    sc_time load, run;
    uint64_t accesses = 0;
    sk_drv_perf perf = {};
};

/* The virtual platform: initiator, one target, interrupt line, and for the RTL its
 * clock and reset. The job runs the driver in an SC_THREAD and stops the simulation. */
SC_MODULE(sc_platform) {
    sc_signal<bool> irq{"irq"};
    sc_signal<bool> rst_n{"rst_n"};
    sk_tlm_hal initiator{"initiator"};
    std::unique_ptr<sc_clock> clock;
    std::unique_ptr<sk_tlm_device> tlm;
    std::unique_ptr<sk_rtl_device> rtl;
    std::function<void(sk_tlm_hal &)> job;
    sc_time period;

    SC_HAS_PROCESS(sc_platform);
    sc_platform(sc_module_name name, sc_target target, sc_time clock_period)
        : sc_module(name), period(clock_period)
    {
        initiator.irq_i(irq);
        if (target == sc_target::tlm) {
            tlm.reset(new sk_tlm_device("tlm_device", period));
            initiator.socket.bind(tlm->socket);
            tlm->irq_o(irq);
        } else {
            clock.reset(new sc_clock("clk", period));
            rtl.reset(new sk_rtl_device("rtl_device"));
            initiator.socket.bind(rtl->socket);
            rtl->clk_i(*clock);
            rtl->rst_ni(rst_n);
            rtl->irq_o(irq);
        }
        SC_THREAD(run);
    }

    void run()
    {
        if (rtl) {
            rst_n.write(false);
            wait(period * 4.0);
            rst_n.write(true);
            wait(rst_n.posedge_event());
        }
        job(initiator);
        sc_stop();
    }
};

/* The clock period from SHIFTKIT_SC_CLOCK_PS (default 10 ns); false with a message for
 * a value that is not a whole number of picoseconds in 1..1e9. */
static bool clock_period_from_env(sc_time *period, sk_error *err)
{
    const char *s = getenv("SHIFTKIT_SC_CLOCK_PS");
    *period = sc_time(10, SC_NS);
    if (!s || !*s)
        return true;
    char *end = nullptr;
    errno = 0;
    unsigned long long ps = strtoull(s, &end, 10);
    if (errno || *end || *s == '-' || ps == 0 || ps > 1000000000ull) {
        snprintf(err->msg, sizeof err->msg, "SHIFTKIT_SC_CLOCK_PS: '%s' is not a clock period "
                 "in 1..1000000000 ps", s);
        return false;
    }
    *period = sc_time(double(ps), SC_PS);
    return true;
}

static void append_timing(const char *target, const char *model_path, size_t batch,
                          const sc_run_times &t, sc_time period)
{
    const char *path = getenv("SHIFTKIT_SC_TIMING");
    if (!path || !*path)
        return;
    FILE *f = fopen(path, "a");
    if (!f) {
        fprintf(stderr, "shiftkit-sc: warning: %s: cannot append timing: %s\n", path,
                strerror(errno));
        return;
    }
    fprintf(f, "{\"target\": \"%s\", \"model\": \"", target);
    for (const char *c = model_path; *c; c++) /* a JSON string: escape quote, backslash, controls */
        if (*c == '"' || *c == '\\')
            fprintf(f, "\\%c", *c);
        else if ((unsigned char)*c < 0x20)
            fprintf(f, "\\u%04x", (unsigned char)*c);
        else
            fputc(*c, f);
    fprintf(f, "\", \"samples\": %zu, \"clock_ps\": %" PRIu64
            ", \"load_ps\": %" PRIu64 ", \"run_ps\": %" PRIu64 ", \"accesses\": %" PRIu64
            ", \"busy_cycles\": %" PRIu64 ", \"macs\": %" PRIu64 "}\n",
            batch, uint64_t(period.to_seconds() * 1e12 + 0.5),
            uint64_t(t.load.to_seconds() * 1e12 + 0.5), uint64_t(t.run.to_seconds() * 1e12 + 0.5),
            t.accesses, t.perf.busy_cycles, t.perf.macs);
    fclose(f);
}

static sk_status sc_run(sc_target target, const char *name, const sk_model *model,
                        const char *model_path, const sk_tensor *input, sk_tensor *output,
                        sk_error *err)
{
    const sk_layer *last = &model->layers[model->num_layers - 1];
    size_t batch = 0;
    sk_drv_status st = sk_drv_tensor_batch(model, input, &batch, err);
    if (st != SK_DRV_OK)
        return sk_drv_to_sk_status(st);
    /* SystemC elaborates once per process: one platform, one run */
    static bool used = false;
    if (used) {
        snprintf(err->msg, sizeof err->msg, "%s: one run per process", name);
        return SK_ERR_BAD_ARG;
    }
    used = true;
    sc_time period;
    if (!clock_period_from_env(&period, err))
        return SK_ERR_BAD_ARG;
    /* the golden model's output shape: [batch][n] after a dense layer, [batch][OH][OW][C]
     * after a conv2d, pooling or add layer */
    const sk_shape out = sk_layer_out_shape(model, model->num_layers - 1);
    const size_t n = size_t(sk_shape_size(out));
    if (sk_tensor_alloc2(output, sk_layer_out_dtype(last), batch, n) != SK_OK) {
        snprintf(err->msg, sizeof err->msg, "output tensor [%zu][%zu]", batch, n);
        return SK_ERR_NOMEM;
    }
    if (last->kind != SK_LAYER_DENSE) {
        output->ndim = 4;
        output->shape[1] = out.h;
        output->shape[2] = out.w;
        output->shape[3] = out.c;
    }
    sk_drv_options opt;
    sk_drv_default_options(&opt);
    const char *wait = getenv("SHIFTKIT_SC_WAIT");
    if (wait && !strcmp(wait, "poll"))
        opt.wait_mode = SK_DRV_WAIT_POLL;

    sc_platform platform("platform", target, period);
    sk_drv_load_report load = {};
    sc_run_times times;
    /* open + load and the run apart (not sk_drv_run_tensor) to time the two phases */
    platform.job = [&](sk_tlm_hal &initiator) {
        sc_time t0 = sc_time_stamp();
        sk_hal hal = initiator.hal();
        sk_drv *drv = nullptr;
        st = sk_drv_open(&hal, &opt, &drv, err);
        if (st == SK_DRV_OK)
            st = sk_drv_load_model(drv, model, &load, err);
        sc_time t1 = sc_time_stamp();
        if (st == SK_DRV_OK)
            st = sk_drv_run(drv, input->data, batch, output->data, &times.perf, err);
        times.load = t1 - t0;
        times.run = sc_time_stamp() - t1;
        times.accesses = initiator.accesses();
        sk_drv_close(drv);
    };
    sc_start();
    if (st != SK_DRV_OK) {
        sk_tensor_free(output);
        return sk_drv_to_sk_status(st);
    }
    fprintf(stderr, "%s: %s: %zu samples; open+load %s (%" PRIu64 " words), run %s, "
            "%" PRIu64 " busy cycles, %" PRIu64 " bus accesses\n", name, model_path, batch,
            times.load.to_string().c_str(), load.words_written, times.run.to_string().c_str(),
            times.perf.busy_cycles, times.accesses);
    append_timing(target == sc_target::tlm ? "tlm" : "rtl", model_path, batch, times, period);
    return SK_OK;
}

static sk_status tlm_run(void *, const sk_model *model, const char *model_path,
                         const sk_tensor *input, sk_tensor *output, sk_error *err)
{
    return sc_run(sc_target::tlm, "sc-tlm", model, model_path, input, output, err);
}

static sk_status rtl_run(void *, const sk_model *model, const char *model_path,
                         const sk_tensor *input, sk_tensor *output, sk_error *err)
{
    return sc_run(sc_target::rtl, "sc-rtl", model, model_path, input, output, err);
}

static const sk_backend sc_tlm_backend = {"sc-tlm", tlm_run, nullptr};
static const sk_backend sc_rtl_backend = {"sc-rtl", rtl_run, nullptr};

int sc_main(int argc, char **argv)
{
    /* "Simulation stopped by user." would land on stdout amid the report lines */
    sc_report_handler::set_actions("/OSCI/SystemC", SC_INFO, SC_DO_NOTHING);
    static const sk_backend *const backends[] = {&sk_golden_backend, &sc_tlm_backend,
                                                 &sc_rtl_backend};
    return sk_cli_main(argc, argv, backends, 3);
}
