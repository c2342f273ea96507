/* sk_drv_internal.h — the driver's state and the helpers its translation units share
 * (sk_drv_core.c: open, reset, run; sk_drv_load.c: layout, fit check, model load;
 * sk_drv_tensor.c: the CLI backends' helpers).
 * Not installed. */
#ifndef SHIFTKIT_SK_DRV_INTERNAL_H
#define SHIFTKIT_SK_DRV_INTERNAL_H

#include "shiftkit/sk_driver.h"
#include "shiftkit/sk_regs.h"

#if defined(__GNUC__) || defined(__clang__)
#define SK_DRV_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define SK_DRV_PRINTF(fmt, args)
#endif

/* Fill err->msg (if err is non-NULL) with "<strerror>: <formatted detail>" and return
 * `status`, so a failure path is one line: `return sk_drv_fail(err, SK_DRV_ERR_X, ...);` */
sk_drv_status sk_drv_fail(sk_error *err, sk_drv_status status, const char *fmt, ...)
    SK_DRV_PRINTF(3, 4);

/* What the driver keeps of a loaded model: enough to check inputs, place them and
 * decode outputs. */
typedef struct sk_drv_loaded {
    bool valid;
    uint32_t num_layers;
    uint32_t in_elems;    /* input values per sample: H*W*C of the model's input shape */
    uint32_t out_elems;   /* output values per sample: the last layer's output size */
    uint32_t in_offset;   /* bus offset of input element 0 (ACT0 for a dense model) */
    uint32_t out_offset;  /* bus offset of output element 0 */
    sk_qtype in;          /* the model's input type */
    sk_qtype out;         /* the last layer's output type */
    bool raw;             /* the last layer emits int32 accumulators */
} sk_drv_loaded;

struct sk_drv {
    sk_hal hal;
    sk_drv_options opt;
    sk_drv_info info;
    sk_drv_loaded model;
    uint64_t writes;      /* bus writes issued since open (for the load report) */
};

/* Register access through the HAL; a bus error becomes SK_DRV_ERR_BUS naming the
 * register or window offset. */
SK_MUST_CHECK sk_drv_status sk_drv_rd(sk_drv *drv, uint32_t offset, uint32_t *value,
                                      sk_error *err);
SK_MUST_CHECK sk_drv_status sk_drv_wr(sk_drv *drv, uint32_t offset, uint32_t value,
                                      sk_error *err);

/* Where layer i lives in the device memories and the words that describe it
 * (docs/regmap.md "How the host lays a model into the windows"). */
typedef struct sk_drv_place {
    uint32_t w_base;                /* first weight row */
    uint32_t rows;                  /* weight rows the layer takes */
    uint32_t bias_base;             /* first bias entry, also SHIFT_BASE */
    uint32_t desc[SK_DESC_WORDS];   /* descriptor words 0..3 */
    uint32_t xdesc[SK_XDESC_WORDS]; /* extension descriptor words 0..11 (EXT models) */
} sk_drv_place;

#endif
