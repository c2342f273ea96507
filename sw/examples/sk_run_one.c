/* sk_run_one.c — the example of docs/driver.md: load a .skm model onto the shiftkit
 * device behind /dev/uioN and run one input given on the command line.
 * usage: sk-run-one MODEL.skm /dev/uioN X0 X1 ... (missing inputs are 0) */
#include <stdio.h>
#include <stdlib.h>

#include "shiftkit/shiftkit.h"
#include "shiftkit/sk_driver.h"
#include "shiftkit/sk_uio.h"

int main(int argc, char **argv)
{
    sk_model m;
    sk_error err = {{0}};
    if (argc < 3 || sk_model_load(argv[1], &m, &err) != SK_OK) {
        fprintf(stderr, "%s%susage: sk-run-one MODEL.skm /dev/uioN X0 X1 ...\n", err.msg,
                err.msg[0] ? "\n" : "");
        return 2;
    }
    /* the input sample is the model's input shape H*W*C (HWC order), the output the
     * last layer's whole tensor */
    uint32_t k = (uint32_t)sk_shape_size(sk_model_in_shape(&m));
    uint32_t n = (uint32_t)sk_shape_size(sk_layer_out_shape(&m, m.num_layers - 1));
    int32_t *x = calloc(k, sizeof *x), *y = calloc(n, sizeof *y);
    for (uint32_t i = 0; i < k && 3 + (int)i < argc; i++)
        x[i] = atoi(argv[3 + i]);
    sk_uio *uio = NULL;
    sk_drv *drv = NULL;
    sk_hal hal;
    sk_drv_status st = x && y ? sk_uio_open(argv[2], 0, &uio, &err) : SK_DRV_ERR_NOMEM;
    if (st == SK_DRV_OK) {
        sk_uio_hal(uio, &hal);                       /* mmap + IRQ fd behind the HAL */
        st = sk_drv_open(&hal, NULL, &drv, &err);    /* ID, version, reset, parameters */
    }
    if (st == SK_DRV_OK)
        st = sk_drv_load_model(drv, &m, NULL, &err); /* fit check, then each word once */
    if (st == SK_DRV_OK)
        st = sk_drv_run(drv, x, 1, y, NULL, &err);   /* input, START, IRQ, output */
    if (st == SK_DRV_OK)
        for (uint32_t i = 0; i < n; i++)
            printf("%d%c", y[i], i + 1 < n ? ' ' : '\n');
    else
        fprintf(stderr, "sk-run-one: %s\n", err.msg);
    sk_drv_close(drv);
    sk_uio_close(uio);
    sk_model_free(&m);
    free(x);
    free(y);
    return st == SK_DRV_OK ? 0 : 1;
}
