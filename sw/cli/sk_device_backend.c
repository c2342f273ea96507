/* sk_device_backend.c — build/bin/shiftkit-device: the shiftkit CLI with a "device"
 * backend that runs every model through the driver (libshiftkit_drv) on the
 * register-level device model (libshiftkit_dev). `shiftkit check --backend device`
 * execs this binary. Environment:
 *   SHIFTKIT_DEVICE_WAIT=poll   the driver polls STATUS instead of waiting for the IRQ
 *   SHIFTKIT_DEVICE_LANES=N     model a build with N lanes (1..64) instead of the
 *                               default build's */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sk_cli.h"
#include "sk_device.h"
#include "shiftkit/sk_driver.h"

static sk_status device_run(void *ctx, const sk_model *model, const char *model_path,
                            const sk_tensor *input, sk_tensor *output, sk_error *err)
{
    (void)ctx;
    sk_device_config cfg;
    sk_device_default_config(&cfg);
    const char *lanes = getenv("SHIFTKIT_DEVICE_LANES");
    if (lanes)
        cfg.lanes = (uint32_t)strtoul(lanes, NULL, 10); /* sk_device_create checks 1..64 */
    sk_device *dev = NULL;
    sk_status sst = sk_device_create(&cfg, &dev, err);
    if (sst != SK_OK)
        return sst;
    sk_hal hal;
    sk_device_hal(dev, &hal);
    sk_drv_options opt;
    sk_drv_default_options(&opt);
    const char *wait = getenv("SHIFTKIT_DEVICE_WAIT");
    if (wait && !strcmp(wait, "poll"))
        opt.wait_mode = SK_DRV_WAIT_POLL;
    sk_drv_load_report load = {0};
    sk_drv_perf perf = {0};
    sk_drv_status st = sk_drv_run_tensor(&hal, &opt, model, input, output, &load, &perf, err);
    if (st == SK_DRV_OK)
        fprintf(stderr, "device: %s: %llu words written for a %llu-word model; %u samples, "
                "%llu busy cycles, %llu MACs, %llu stall cycles\n", model_path,
                (unsigned long long)load.words_written, (unsigned long long)load.model_words,
                perf.starts, (unsigned long long)perf.busy_cycles, (unsigned long long)perf.macs,
                (unsigned long long)perf.stall_cycles);
    sk_device_free(dev);
    return sk_drv_to_sk_status(st);
}

static const sk_backend device_backend = {"device", device_run, NULL};

int main(int argc, char **argv)
{
    static const sk_backend *const backends[] = {&sk_golden_backend, &device_backend};
    return sk_cli_main(argc, argv, backends, 2);
}
