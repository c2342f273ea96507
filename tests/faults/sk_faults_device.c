/* sk_faults_device.c — build/bin/sk-faults-device: the fault cases of
 * sk_fault_cases.c through the driver on the C device model (cmodel/device/).
 * Usage: sk-faults-device [REPORT.json]; exit status 1 when a case fails. */
#include <stdio.h>

#include "sk_device.h"
#include "sk_fault_cases.h"

int main(int argc, char **argv)
{
    sk_device_config cfg;
    sk_device_default_config(&cfg);
    sk_device *dev = NULL;
    sk_error err = {{0}};
    if (sk_device_create(&cfg, &dev, &err) != SK_OK) {
        fprintf(stderr, "sk-faults-device: %s\n", err.msg);
        return 1;
    }
    sk_hal hal;
    sk_device_hal(dev, &hal);
    int failed = sk_fault_run_all(&hal, "device", argc > 1 ? argv[1] : NULL);
    sk_device_free(dev);
    return failed ? 1 : 0;
}
