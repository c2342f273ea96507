/* sk_driver.h — libshiftkit_drv, the C driver of the shiftkit accelerator.
 *
 * The driver reaches the device only through an sk_hal (sk_hal.h): the register-level
 * device model (cmodel/device), the Verilated RTL's AXI4-Lite bus model, a SystemC
 * initiator or Linux UIO on a board. The same driver code runs unchanged on all of
 * them. Register offsets and fields come from the generated sk_regs.h (docs/regmap.md).
 *
 * Using it from a bench or a board (e.g. tb/verilator's shiftkit-rtl):
 *
 *     sk_hal hal = { my_ctx, my_read32, my_write32, my_wait_irq };
 *     sk_drv *drv;  sk_error err;
 *     if (sk_drv_open(&hal, NULL, &drv, &err) != SK_DRV_OK) ...;   // resets, reads ID
 *     if (sk_drv_load_model(drv, &model, NULL, &err) != SK_DRV_OK) ...;
 *     if (sk_drv_run(drv, input, batch, output, &perf, &err) != SK_DRV_OK) ...;
 *     sk_drv_close(drv);
 *
 * A CLI backend (sk_cli.h) needs only sk_drv_run_tensor (open + load + run on an
 * sk_tensor) and sk_drv_to_sk_status (the one mapping to sk_status), at the end.
 *
 * Link build/lib/libshiftkit_drv.a then build/lib/libshiftkit.a (the model type and
 * the input-range check come from the golden library). This API is stable: functions
 * may be added, existing ones keep their signatures. docs/driver.md is the guide.
 *
 * Threading: one sk_drv per device; calls on one sk_drv are not reentrant. There is
 * no global state, so several devices (several sk_drv) can be driven at once. */
#ifndef SHIFTKIT_SK_DRIVER_H
#define SHIFTKIT_SK_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shiftkit/sk_hal.h"
#include "shiftkit/sk_model.h"
#include "shiftkit/sk_npy.h"
#include "shiftkit/sk_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sk_drv_status {
    SK_DRV_OK = 0,
    SK_DRV_ERR_BAD_ARG,        /* invalid argument (NULL pointer, zero batch, ...) */
    SK_DRV_ERR_NOMEM,          /* allocation failed */
    SK_DRV_ERR_BUS,            /* the HAL reported a bus error on read32/write32 */
    SK_DRV_ERR_HAL_FAULT,      /* the HAL's wait_irq failed (closed file, simulator gone) */
    SK_DRV_ERR_NO_DEVICE,      /* the ID register does not hold the shiftkit magic */
    SK_DRV_ERR_VERSION,        /* the device's register-map version is not supported */
    SK_DRV_ERR_MODEL_TOO_LARGE,/* the model does not fit a device memory (named in msg) */
    SK_DRV_ERR_UNSUPPORTED,    /* the model uses something this device build cannot do, e.g.
                                  a kernel, stride or padding above 255 (named in msg) */
    SK_DRV_ERR_BAD_MODEL,      /* the model fails sk_model_validate, or has a layer kind other
                                  than dense and the device lacks FEATURES.CNN */
    SK_DRV_ERR_NO_MODEL,       /* run before a successful load */
    SK_DRV_ERR_INPUT,          /* input value outside the model's input type */
    SK_DRV_ERR_BUSY,           /* the device is busy: start refused */
    SK_DRV_ERR_TIMEOUT,        /* no done interrupt / done bit within the timeout */
    SK_DRV_ERR_RESET_TIMEOUT,  /* the device stayed busy after a soft reset */
    SK_DRV_ERR_DEVICE,         /* the device finished with its error bit set (code in msg) */
    SK_DRV_ERR_IO,             /* a backend could not open or map its device (errno in msg) */
    SK_DRV_STATUS_COUNT
} sk_drv_status;

/* A short fixed description of a driver status ("device timeout", ...). Never NULL. */
const char *sk_drv_strerror(sk_drv_status status);

/* How the driver waits for the end of a run. */
typedef enum sk_drv_wait_mode {
    SK_DRV_WAIT_IRQ = 0,  /* hal->wait_irq with timeout_us */
    SK_DRV_WAIT_POLL = 1  /* read STATUS at most poll_limit times */
} sk_drv_wait_mode;

typedef struct sk_drv_options {
    sk_drv_wait_mode wait_mode;
    uint32_t timeout_us;  /* IRQ wait per run (backend time); default 1000000 */
    uint32_t poll_limit;  /* STATUS reads per run in poll mode and after reset; default 1000000 */
} sk_drv_options;
void sk_drv_default_options(sk_drv_options *opt);

/* The device's build parameters, read from its registers at open (docs/regmap.md). */
typedef struct sk_drv_info {
    uint32_t version;          /* VERSION: MAJOR << 16 | MINOR */
    uint32_t lanes;            /* parallel MAC lanes */
    uint32_t weight_rows;      /* weight memory rows (one weight per lane) */
    uint32_t weight_row_bytes; /* byte stride of a row in the WEIGHTS window */
    uint32_t bias_depth;       /* int32 bias entries */
    uint32_t shift_depth;      /* int8 per-channel shift entries */
    uint32_t act_bytes;        /* bytes of each activation buffer */
    uint32_t max_layers;       /* layer descriptors */
    uint32_t max_batch;        /* samples per START */
    uint32_t features;         /* FEATURES (SK_FEATURES_*_MASK); 0 on a register map 1.0 device */
} sk_drv_info;

typedef struct sk_drv sk_drv;

/* Open a device behind `hal` (copied): check ID and version (major 1, any minor), soft
 * reset, read the build parameters and (minor >= 1) FEATURES. `opt` may be NULL for
 * defaults. */
SK_MUST_CHECK sk_drv_status sk_drv_open(const sk_hal *hal, const sk_drv_options *opt,
                                        sk_drv **drv, sk_error *err);
void sk_drv_close(sk_drv *drv);

/* Soft reset; forgets the loaded model. */
SK_MUST_CHECK sk_drv_status sk_drv_reset(sk_drv *drv, sk_error *err);
const sk_drv_info *sk_drv_get_info(const sk_drv *drv);

/* What a model needs in each device memory, and what a load wrote. */
typedef struct sk_drv_load_report {
    uint32_t weight_rows;      /* weight rows used: sum over layers of ceil(N/LANES) * K */
    uint32_t bias_entries;     /* bias entries used: sum of N */
    uint32_t shift_entries;    /* shift entries spanned (per-channel layers; shifts share
                                  the bias layout) */
    uint32_t max_act_bytes;    /* largest activation tensor in bytes (raw outputs 4 per value) */
    uint32_t num_layers;
    uint64_t model_words;      /* the packed model: weight + bias + shift + descriptor (and,
                                  for a CNN model, extension descriptor) words, each once */
    uint64_t words_written;    /* bus writes the load issued (model_words + NUM_LAYERS) */
} sk_drv_load_report;

/* Fit check only: fill `need` and fail as sk_drv_load_model would (SK_DRV_ERR_BAD_MODEL
 * for a CNN model on a device without FEATURES.CNN, SK_DRV_ERR_MODEL_TOO_LARGE naming
 * the first memory that overflows and by how much, SK_DRV_ERR_UNSUPPORTED naming a
 * field too wide for its descriptor). Touches no register. */
SK_MUST_CHECK sk_drv_status sk_drv_check_fit(const sk_drv *drv, const sk_model *model,
                                             sk_drv_load_report *need, sk_error *err);

/* Validate, fit-check and write a model (weights, biases, shifts, descriptors); each
 * word is written once. A model of dense layers only is a register map 1.0 image; any
 * other kind (conv2d, pooling, add) needs FEATURES.CNN and is lowered with EXT
 * descriptors and placed activations (docs/driver.md "CNN models"). `report` may be
 * NULL. Only the model's shape and types are kept (to check inputs and decode outputs):
 * the caller may free it afterwards. */
SK_MUST_CHECK sk_drv_status sk_drv_load_model(sk_drv *drv, const sk_model *model,
                                              sk_drv_load_report *report, sk_error *err);

/* The device's per-run performance counters, summed over the starts of one sk_drv_run. */
typedef struct sk_drv_perf {
    uint64_t busy_cycles;   /* start to done */
    uint64_t macs;          /* multiply-accumulates issued */
    uint64_t stall_cycles;  /* cycles the lanes waited */
    uint32_t starts;        /* starts the batch needed */
} sk_drv_perf;

/* Run `batch` samples: input [batch][k0] int32 in the model's input type (k0 = H*W*C
 * of the model's input shape, HWC order), output [batch][n_last] int32 (n_last = the
 * last layer's output size, HWC; activations, or accumulators for a raw last layer).
 * Batches larger than the device's max_batch are split. `perf` may be NULL. */
SK_MUST_CHECK sk_drv_status sk_drv_run(sk_drv *drv, const int32_t *input, size_t batch,
                                       int32_t *output, sk_drv_perf *perf, sk_error *err);

/* Read the counters of the last start. */
SK_MUST_CHECK sk_drv_status sk_drv_read_perf(sk_drv *drv, sk_drv_perf *perf, sk_error *err);

/* ---- For the shiftkit CLI's backends (shiftkit-device, -rtl, -sc-*, ...), which speak
 * sk_status and sk_tensor: one mapping and one input-shape rule for all of them. ---- */

/* The nearest sk_status of a driver status (the driver's message says the rest):
 * BAD_ARG, NOMEM, INPUT -> INPUT_RANGE, BAD_MODEL -> BAD_FIELD, MODEL_TOO_LARGE and
 * UNSUPPORTED -> BAD_SHAPE, IO -> SK_ERR_IO (a backend could not open
 * its device), every other device-side failure -> SK_ERR_DEVICE. */
sk_status sk_drv_to_sk_status(sk_drv_status status);

/* Samples in `input` for `model`: a [batch][K0] tensor or a 1-D [K0] single sample,
 * and when the first layer is spatial also [batch][H][W][C] or [H][W][C] (as sk_infer);
 * fails with SK_DRV_ERR_INPUT naming the expected shape. */
SK_MUST_CHECK sk_drv_status sk_drv_tensor_batch(const sk_model *model, const sk_tensor *input,
                                                size_t *batch, sk_error *err);

/* Open the device behind `hal`, load `model`, run `input` (sk_drv_tensor_batch) and
 * allocate `output` as [batch][N_last] ([batch][OH][OW][C] when the last layer is
 * spatial, as sk_infer) with the last layer's dtype (sk_layer_out_dtype); close the
 * driver. `opt`, `load` and `perf` may be NULL. On
 * failure `output` is left empty. */
SK_MUST_CHECK sk_drv_status sk_drv_run_tensor(const sk_hal *hal, const sk_drv_options *opt,
                                              const sk_model *model, const sk_tensor *input,
                                              sk_tensor *output, sk_drv_load_report *load,
                                              sk_drv_perf *perf, sk_error *err);

#ifdef __cplusplus
}
#endif
#endif
