/* test_uio.c — the UIO backend's real code paths: mmap of a device file, volatile
 * register access, the UIO interrupt protocol over a file descriptor (unmask write,
 * poll with timeout, 4-byte count read). The device is the /dev/shm stand-in served
 * by the C device model (sk_uio_standin.h); the driver runs generated networks
 * through it and must match the golden model bit for bit. Also the failure paths:
 * a missing /dev/uioN, no interrupt on a /dev/mem-style mapping, out-of-window
 * offsets, and an interrupt that never comes. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sk_drv_test_util.h"
#include "sk_uio_standin.h"
#include "shiftkit/sk_regs.h"
#include "shiftkit/sk_uio.h"

typedef struct uio_fixture {
    sk_uio_standin *standin;
    sk_uio *uio;
    sk_hal hal;
} uio_fixture;

static int setup(void **state)
{
    uio_fixture *f = calloc(1, sizeof *f);
    sk_device_config cfg;
    sk_device_default_config(&cfg);
    int mem_fd = -1, irq_fd = -1;
    size_t size = 0;
    if (!f || sk_uio_standin_start(&cfg, &f->standin, &mem_fd, &irq_fd, &size) != 0)
        return -1;
    sk_error err = {{0}};
    if (sk_uio_open_fds(mem_fd, 0, size, irq_fd, "stand-in", &f->uio, &err) != SK_DRV_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    sk_uio_hal(f->uio, &f->hal);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    uio_fixture *f = *state;
    sk_uio_close(f->uio);
    sk_uio_standin_stop(f->standin);
    free(f);
    return 0;
}

static void test_uio_generated_networks(void **state)
{
    uio_fixture *f = *state;
    sk_drv *drv = test_open(&f->hal, NULL);
    assert_int_equal(sk_drv_get_info(drv)->lanes, 8);
    sk_gen_limits lim;
    sk_gen_default_limits(&lim);
    unsigned samples = 0;
    for (uint32_t i = 0; i < 12; i++) {
        sk_model m;
        sk_tensor in = {0}, want = {0};
        sk_error err = {{0}};
        assert_int_equal(sk_gen_case(77, i, &lim, &m, &in, &err), SK_OK);
        assert_int_equal(sk_infer(&m, &in, "input", &want, NULL, &err), SK_OK);
        size_t batch = in.ndim == 1 ? 1 : in.shape[0];
        int32_t *got = calloc(sk_tensor_count(&want), sizeof *got);
        if (sk_drv_load_model(drv, &m, NULL, &err) != SK_DRV_OK ||
            sk_drv_run(drv, in.data, batch, got, NULL, &err) != SK_DRV_OK)
            fail_msg("case %u: %s", i, err.msg);
        assert_memory_equal(got, want.data, sk_tensor_count(&want) * sizeof *got);
        samples += (unsigned)batch;
        free(got);
        sk_tensor_free(&in);
        sk_tensor_free(&want);
        sk_model_free(&m);
    }
    /* one interrupt per START, delivered through the fd */
    assert_int_equal(sk_uio_standin_irqs(f->standin), samples);
    assert_int_equal(sk_uio_irq_count(f->uio), samples);
    sk_drv_close(drv);
}

static void test_uio_irq_timeout(void **state)
{
    uio_fixture *f = *state;
    /* nothing started: the stand-in never raises the interrupt */
    assert_int_equal(f->hal.wait_irq(f->hal.ctx, 2000), SK_HAL_TIMEOUT);
}

static void test_uio_bad_offsets(void **state)
{
    uio_fixture *f = *state;
    uint32_t v = 0;
    assert_int_equal(f->hal.read32(f->hal.ctx, SK_REG_ID, &v), 0);
    assert_int_equal(v, SK_ID_MAGIC);
    assert_int_not_equal(f->hal.read32(f->hal.ctx, 2, &v), 0);          /* unaligned */
    assert_int_not_equal(f->hal.read32(f->hal.ctx, 1u << 24, &v), 0);   /* past the map */
    assert_int_not_equal(f->hal.write32(f->hal.ctx, (1u << 24) - 2, 0), 0);
}

static void test_uio_open_errors(void **state)
{
    (void)state;
    sk_uio *uio = NULL;
    sk_error err = {{0}};
    assert_int_equal(sk_uio_open("/dev/uio-shiftkit-none", 4096, &uio, &err), SK_DRV_ERR_IO);
    assert_non_null(strstr(err.msg, "/dev/uio-shiftkit-none: open:"));
    assert_int_equal(sk_uio_open("/dev/uio-shiftkit-none", 0, &uio, &err), SK_DRV_ERR_IO);
    assert_non_null(strstr(err.msg, "/sys/class/uio/uio-shiftkit-none/maps/map0/size"));
    assert_int_equal(sk_uio_open_devmem("/nonexistent/mem", 0, 4096, &uio, &err), SK_DRV_ERR_IO);
    assert_int_equal(sk_uio_open_fds(-1, 0, 4096, -1, NULL, &uio, &err), SK_DRV_ERR_BAD_ARG);
    assert_null(uio);
}

/* /dev/mem style: a mapping without an interrupt. A regular file stands in for
 * /dev/mem; the HAL reports a fault on wait_irq and the driver says so. */
static void test_devmem_has_no_irq(void **state)
{
    (void)state;
    char path[] = "/dev/shm/shiftkit-mem-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 8192), 0);
    close(fd);
    sk_uio *uio = NULL;
    sk_error err = {{0}};
    assert_int_equal(sk_uio_open_devmem(path, 4096, 4096, &uio, &err), SK_DRV_OK);
    unlink(path);
    sk_hal hal;
    sk_uio_hal(uio, &hal);
    assert_int_equal(hal.wait_irq(hal.ctx, 10), SK_HAL_FAULT);
    assert_int_equal(hal.write32(hal.ctx, 4092, 0xA5A5A5A5u), 0);
    uint32_t v = 0;
    assert_int_equal(hal.read32(hal.ctx, 4092, &v), 0);
    assert_int_equal(v, 0xA5A5A5A5u);
    /* plain memory is not a device: ID reads 0 */
    sk_drv *drv = NULL;
    assert_int_equal(sk_drv_open(&hal, NULL, &drv, &err), SK_DRV_ERR_NO_DEVICE);
    sk_uio_close(uio);
    /* an unaligned base is refused before mmap */
    assert_int_equal(sk_uio_open_devmem("/dev/null", 100, 4096, &uio, &err), SK_DRV_ERR_BAD_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_uio_generated_networks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_irq_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uio_bad_offsets, setup, teardown),
        cmocka_unit_test(test_uio_open_errors),
        cmocka_unit_test(test_devmem_has_no_irq),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
