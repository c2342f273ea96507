/* sk_device_internal.h — the device model's state, shared by its bus front end
 * (sk_device.c) and its sequencer (sk_device_exec.c). Not installed. */
#ifndef SHIFTKIT_SK_DEVICE_INTERNAL_H
#define SHIFTKIT_SK_DEVICE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "sk_device.h"

/* What a run did, known at START (the model computes the whole run at once) and
 * published in STATUS and PERF_* when simulated time reaches its end. */
typedef struct sk_device_run {
    uint64_t cycles;       /* start to done */
    uint64_t macs;         /* useful MACs: active lanes summed over the issued taps */
    uint64_t issue_cycles; /* cycles the lanes issued */
    uint32_t err_code;     /* SK_HWERR_* */
    uint32_t err_layer;
    uint32_t last_layer;   /* CUR_LAYER after the run */
} sk_device_run;

struct sk_device {
    sk_device_config cfg;
    uint32_t row_bytes;    /* WEIGHT_ROW_BYTES */
    uint8_t *weights;      /* [weight_rows * row_bytes], bytes >= lanes stay 0 */
    int32_t *bias;         /* [bias_depth] */
    int8_t *shift;         /* [shift_depth] */
    uint8_t *act[2];       /* [act_bytes] each */
    uint32_t *desc;        /* [max_layers * SK_DESC_WORDS] */
    uint32_t *xdesc;       /* [max_layers * SK_XDESC_BYTES / 4] when cfg.cnn, else NULL */

    uint32_t irq_enable;
    uint32_t num_layers;
    uint32_t cur_layer;
    uint32_t status;       /* every STATUS bit but BUSY, which is `busy` */
    uint32_t perf_cycles, perf_macs, perf_stalls;

    bool busy;
    uint64_t now;          /* simulated cycles */
    uint64_t run_start;
    uint64_t done_at;
    sk_device_run run;     /* the run in progress */
};

/* Run descriptors 0..num_layers-1 on the memories (golden arithmetic), writing the
 * activation buffers, and fill *run with its outcome and cycle count. */
void sk_device_execute(sk_device *dev, sk_device_run *run);

#endif
