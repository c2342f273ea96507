/* sk_icarus_image.c — build/bin/sk-icarus-image: turn `shiftkit gen` case folders into
 * the bus-transaction image that the plain-Verilog bench (tb/icarus/sk_icarus_tb.v)
 * replays on the RTL under Icarus Verilog.
 *
 *   sk-icarus-image -o IMAGE.hex CASE_DIR...
 *
 * For each case the real driver (libshiftkit_drv) runs model.skm on input.npy over
 * the register-level C device model (libshiftkit_dev), through a HAL that records
 * every access. The driver's output tensor must equal expected.npy (else the case is
 * refused: the recording would not be a valid reference). The recording becomes the
 * stimulus and the reference: writes are replayed, waits for the interrupt become
 * waits for irq_o, and every read is checked against the value the device model
 * returned under a mask: in the activation windows the bytes of the last layer's
 * output (what the driver reads back, i.e. expected.npy), all 32 bits of the
 * status/configuration registers; the performance counters and CUR_LAYER are not
 * compared (timing, not results).
 *
 * Image format ($readmemh, one 32-bit hex word per line), records of 4 words:
 *   OP_CASE  case-number  0      0      start of a case (number from case_NNNN or order)
 *   OP_WRITE offset       data   0
 *   OP_READ  offset       value  mask   fail if (rdata ^ value) & mask
 *   OP_WAIT  max-cycles   0      0      wait for irq_o (fail after max-cycles)
 *   OP_END   cases        0      0
 * Exit status: 0 written, 1 a case failed to load or did not match expected.npy,
 * 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shiftkit/shiftkit.h"
#include "shiftkit/sk_driver.h"
#include "shiftkit/sk_regs.h"
#include "sk_device.h"

enum { OP_END = 0, OP_CASE = 1, OP_WRITE = 2, OP_READ = 3, OP_WAIT = 4 };

/* The bench's clock is 100 MHz like the driver's; cap a wait at 200 000 cycles (a generated case needs under 20 000) so a core
 * that never finishes ends the simulation with a failure instead of hanging it. */
#define MAX_WAIT_CYCLES 200000u

typedef struct recorder {
    sk_device *dev;
    FILE *out;
    unsigned long records;
    uint32_t out_bytes;  /* bytes of one sample's output in an activation buffer */
} recorder;

static void emit(recorder *r, uint32_t op, uint32_t a, uint32_t b, uint32_t c)
{
    fprintf(r->out, "%08x\n%08x\n%08x\n%08x\n", op, a, b, c);
    r->records++;
}

/* In the activation windows only the bytes of the output are results: the bytes past
 * it in the last word hold whatever an earlier layer left there (the driver ignores
 * them; the device model returns zeros). */
static uint32_t read_mask(const recorder *r, uint32_t offset)
{
    uint32_t base = offset >= SK_WIN_ACT1_BASE ? SK_WIN_ACT1_BASE : SK_WIN_ACT0_BASE;
    if (offset >= SK_WIN_ACT0_BASE && offset < SK_WIN_ACT1_BASE + SK_WIN_ACT1_SPAN) {
        uint32_t mask = 0;
        for (uint32_t i = 0; i < 4; i++)
            if (offset - base + i < r->out_bytes)
                mask |= 0xFFu << (8 * i);
        return mask;
    }
    switch (offset) {
    case SK_REG_PERF_CYCLES:
    case SK_REG_PERF_MACS:
    case SK_REG_PERF_STALLS:
    case SK_REG_CUR_LAYER:
        return 0;
    default:
        return 0xFFFFFFFFu;
    }
}

static int rec_read32(void *ctx, uint32_t offset, uint32_t *value)
{
    recorder *r = ctx;
    int rc = sk_device_read32(r->dev, offset, value);
    if (rc == 0)
        emit(r, OP_READ, offset, *value, read_mask(r, offset));
    return rc;
}

static int rec_write32(void *ctx, uint32_t offset, uint32_t value)
{
    recorder *r = ctx;
    int rc = sk_device_write32(r->dev, offset, value);
    if (rc == 0)
        emit(r, OP_WRITE, offset, value, 0);
    return rc;
}

static sk_hal_wait_result rec_wait_irq(void *ctx, uint32_t timeout_us)
{
    recorder *r = ctx;
    sk_hal_wait_result w = sk_device_wait_irq(r->dev, timeout_us);
    uint64_t cycles = (uint64_t)timeout_us * 100u;
    emit(r, OP_WAIT, cycles > MAX_WAIT_CYCLES ? MAX_WAIT_CYCLES : (uint32_t)cycles, 0, 0);
    return w;
}

static unsigned case_number(const char *dir, unsigned fallback)
{
    const char *p = strstr(dir, "case_");
    return p ? (unsigned)strtoul(p + 5, NULL, 10) : fallback;
}

/* One case into the image; 0 on success. A refused case is reported on stderr. */
static int convert_case(recorder *r, const char *dir, unsigned index)
{
    char path[4096];
    sk_model model = {0};
    sk_tensor input = {0}, expected = {0}, output = {0};
    sk_error err = {0};
    sk_device *dev = NULL;
    sk_device_config cfg;
    int bad = 1;
    snprintf(path, sizeof path, "%s/model.skm", dir);
    sk_status st = sk_model_load(path, &model, &err);
    if (st != SK_OK) {
        fprintf(stderr, "sk-icarus-image: %s: %s\n", path, err.msg);
        return 1;
    }
    snprintf(path, sizeof path, "%s/input.npy", dir);
    st = sk_npy_load(path, &input, &err);
    if (st == SK_OK) {
        snprintf(path, sizeof path, "%s/expected.npy", dir);
        st = sk_npy_load(path, &expected, &err);
    }
    sk_device_default_config(&cfg);
    if (st == SK_OK)
        st = sk_device_create(&cfg, &dev, &err);
    if (st != SK_OK) {
        fprintf(stderr, "sk-icarus-image: %s: %s\n", path, err.msg);
        goto out;
    }
    r->dev = dev;
    const sk_layer *last = &model.layers[model.num_layers - 1];
    r->out_bytes = last->n * (last->raw_output ? 4u : 1u);
    emit(r, OP_CASE, case_number(dir, index), 0, 0);
    sk_hal hal = {r, rec_read32, rec_write32, rec_wait_irq};
    sk_drv_status dst = sk_drv_run_tensor(&hal, NULL, &model, &input, &output, NULL, NULL, &err);
    if (dst != SK_DRV_OK) {
        fprintf(stderr, "sk-icarus-image: %s: driver on the device model: %s\n", dir, err.msg);
        goto out;
    }
    size_t n = sk_tensor_count(&expected);
    if (sk_tensor_count(&output) != n ||
        memcmp(output.data, expected.data, n * sizeof expected.data[0]) != 0) {
        fprintf(stderr, "sk-icarus-image: %s: device model output differs from expected.npy\n",
                dir);
        goto out;
    }
    bad = 0;
out:
    sk_device_free(dev);
    sk_tensor_free(&output);
    sk_tensor_free(&expected);
    sk_tensor_free(&input);
    sk_model_free(&model);
    return bad;
}

int main(int argc, char **argv)
{
    if (argc < 4 || strcmp(argv[1], "-o") != 0) {
        fprintf(stderr, "usage: sk-icarus-image -o IMAGE.hex CASE_DIR...\n");
        return 2;
    }
    recorder r = {0};
    r.out = fopen(argv[2], "w");
    if (!r.out) {
        perror(argv[2]);
        return 1;
    }
    fprintf(r.out, "// generated by build/bin/sk-icarus-image (tb/icarus/sk_icarus_image.c)\n");
    int failed = 0;
    for (int i = 3; i < argc; i++)
        failed |= convert_case(&r, argv[i], (unsigned)(i - 3));
    emit(&r, OP_END, (uint32_t)(argc - 3), 0, 0);
    if (fclose(r.out) != 0) {
        perror(argv[2]);
        return 1;
    }
    fprintf(stderr, "sk-icarus-image: %d cases, %lu records (%lu words) -> %s\n", argc - 3,
            r.records, r.records * 4, argv[2]);
    return failed ? 1 : 0;
}
