/* sk_sc_example.cpp — the minimal platform of docs/systemc.md, built and run by
 * `make sc-test` so the documented example keeps working: one HAL initiator, one
 * shiftkit target (TLM or RTL, chosen by argv[1]), the interrupt on an
 * sc_signal<bool>, the C driver in an SC_THREAD.
 *
 *   sk-sc-example tlm|rtl MODEL.skm INPUT.npy EXPECTED.npy
 *
 * INPUT is [batch][k], or [batch][H][W][C] for a model whose first layer is spatial.
 *
 * Prints the simulated time of the run and exits 0 when the output equals EXPECTED. */
#include <cstdio>
#include <cstring>

#include <systemc>

#include "shiftkit/shiftkit.h"
#include "shiftkit/sk_driver.h"
#include "sk_rtl_device.h"
#include "sk_tlm_device.h"
#include "sk_tlm_hal.h"

using namespace sc_core;

SC_MODULE(testbench) {
    sk_tlm_hal cpu{"cpu"};            // the initiator: the driver's HAL
    sc_in<bool> irq_i{"irq_i"};
    const sk_model *model = nullptr;
    const sk_tensor *input = nullptr;
    sk_tensor *output = nullptr;
    bool ok = false;

    SC_CTOR(testbench) { cpu.irq_i(irq_i); SC_THREAD(main_thread); }

    void main_thread()
    {
        wait(100, SC_NS);                 // let the RTL's reset finish
        sk_hal hal = cpu.hal();
        sk_drv *drv = nullptr;
        sk_error err = {};
        ok = sk_drv_open(&hal, nullptr, &drv, &err) == SK_DRV_OK &&
             sk_drv_load_model(drv, model, nullptr, &err) == SK_DRV_OK &&
             sk_drv_run(drv, input->data, input->shape[0], output->data, nullptr, &err) ==
                 SK_DRV_OK;
        if (!ok)
            std::fprintf(stderr, "sk-sc-example: driver: %s\n", err.msg);
        sk_drv_close(drv);
        sc_stop();
    }
};

int sc_main(int argc, char **argv)
{
    if (argc != 5 || (std::strcmp(argv[1], "tlm") && std::strcmp(argv[1], "rtl"))) {
        std::fprintf(stderr, "usage: sk-sc-example tlm|rtl MODEL.skm INPUT.npy EXPECTED.npy\n");
        return 2;
    }
    sk_model model;
    sk_tensor input = {}, want = {}, got = {};
    sk_error err = {};
    if (sk_model_load(argv[2], &model, &err) != SK_OK || sk_npy_load(argv[3], &input, &err) != SK_OK ||
        sk_npy_load(argv[4], &want, &err) != SK_OK || (input.ndim != 2 && input.ndim != 4)) {
        std::fprintf(stderr, "sk-sc-example: %s\n",
                     input.ndim == 2 || input.ndim == 4 ? err.msg : "input must be [batch][k] or [batch][H][W][C]");
        return 1;
    }
    const sk_layer *last = &model.layers[model.num_layers - 1];  // outputs per sample: N or OH*OW*C
    uint64_t size = sk_shape_size(sk_layer_out_shape(&model, model.num_layers - 1));
    if (sk_tensor_alloc2(&got, sk_layer_out_dtype(last), input.shape[0], size) != SK_OK)
        return 1;

    sc_clock clk("clk", 10, SC_NS);                  // 100 MHz
    sc_signal<bool> rst_n("rst_n"), irq("irq");
    testbench tb("tb");
    tb.irq_i(irq);
    tb.model = &model;
    tb.input = &input;
    tb.output = &got;
    sk_tlm_device *tlm = nullptr;
    sk_rtl_device *rtl = nullptr;
    if (!std::strcmp(argv[1], "tlm")) {
        tlm = new sk_tlm_device("shiftkit", sc_time(10, SC_NS));
        tb.cpu.socket.bind(tlm->socket);
        tlm->irq_o(irq);
    } else {
        rtl = new sk_rtl_device("shiftkit");
        tb.cpu.socket.bind(rtl->socket);
        rtl->clk_i(clk);
        rtl->rst_ni(rst_n);
        rtl->irq_o(irq);
    }
    rst_n.write(false);
    sc_start(50, SC_NS);                             // 5 cycles in reset
    rst_n.write(true);
    sc_start();

    bool same = tb.ok && sk_tensor_count(&got) == sk_tensor_count(&want) &&
                !std::memcmp(got.data, want.data, sk_tensor_count(&got) * sizeof *got.data);
    std::printf("sk-sc-example %s: %s, %s simulated\n", argv[1], same ? "output matches" : "MISMATCH",
                sc_time_stamp().to_string().c_str());
    delete tlm;
    delete rtl;
    sk_tensor_free(&got);
    sk_tensor_free(&want);
    sk_tensor_free(&input);
    sk_model_free(&model);
    return same ? 0 : 1;
}
