/* sk_infer.c — golden integer inference, written out step by step as in
 * docs/datapath.md §2: accumulate (exact, §3), requantize (§4–§6) or emit the raw
 * accumulator (§7). This is the portable reference every other rung is compared
 * with; clarity beats speed here. */
#include "shiftkit/sk_infer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sk_internal.h"
#include "sk_kernel.h"
#include "sk_layers.h"

sk_dtype sk_layer_out_dtype(const sk_layer *layer)
{
    if (layer->raw_output)
        return SK_DTYPE_INT32;
    return layer->out.is_signed ? SK_DTYPE_INT8 : SK_DTYPE_UINT8;
}

static const char *const kernel_names[SK_KERNEL_COUNT] = { "auto", "portable", "avx2" };

const char *sk_kernel_name(sk_kernel kernel)
{
    return (unsigned)kernel < SK_KERNEL_COUNT ? kernel_names[kernel] : "unknown";
}

bool sk_kernel_available(sk_kernel kernel)
{
    switch (kernel) {
    case SK_KERNEL_AUTO:
    case SK_KERNEL_PORTABLE: return true;
#ifdef SK_HAVE_AVX2_KERNEL
    case SK_KERNEL_AVX2: return __builtin_cpu_supports("avx2");
#endif
    default: return false;
    }
}

static sk_kernel resolve_active_kernel(void)
{
    const char *forced = getenv("SHIFTKIT_KERNEL");
    if (forced && *forced) {
        for (int k = SK_KERNEL_PORTABLE; k < SK_KERNEL_COUNT; k++)
            if (!strcmp(forced, kernel_names[k]) && sk_kernel_available((sk_kernel)k))
                return (sk_kernel)k;
        fprintf(stderr, "shiftkit: SHIFTKIT_KERNEL=%s is unknown or not supported on this "
                "CPU; using the portable kernel\n", forced);
        return SK_KERNEL_PORTABLE;
    }
    return sk_kernel_available(SK_KERNEL_AVX2) ? SK_KERNEL_AVX2 : SK_KERNEL_PORTABLE;
}

sk_kernel sk_kernel_active(void)
{
    /* Resolved once: the environment and the CPU do not change during a run. A race
     * between threads only computes the same value twice. */
    static volatile int active = -1;
    if (active < 0)
        active = (int)resolve_active_kernel();
    return (sk_kernel)active;
}

void sk_dense_accumulate(const sk_model *model, uint32_t layer, const int32_t *x, size_t batch,
                         int32_t *acc, sk_kernel kernel)
{
    const sk_layer *l = &model->layers[layer];
    if (kernel == SK_KERNEL_AUTO)
        kernel = sk_kernel_active();
#ifdef SK_HAVE_AVX2_KERNEL
    if (kernel == SK_KERNEL_AVX2 && sk_kernel_available(SK_KERNEL_AVX2)) {
        sk_acc_avx2(l, x, batch, acc);
        return;
    }
#endif
    sk_acc_portable(l, x, batch, acc);
}

void sk_dense_forward(const sk_model *model, uint32_t layer, const int32_t *x, size_t batch,
                      int32_t *acc_out, int32_t *y)
{
    const sk_layer *l = &model->layers[layer];
    /* Step 1 (§2, §3): exact accumulation, into y when no trace wants the
     * accumulators separately (requantization below works in place). */
    int32_t *acc = acc_out ? acc_out : y;
    sk_dense_accumulate(model, layer, x, batch, acc, SK_KERNEL_AUTO);
    if (l->raw_output) { /* §7 */
        if (acc != y)
            memcpy(y, acc, batch * l->n * sizeof *y);
        return;
    }
    /* Step 2 (§4–§6): shift, round, clamp, ReLU. */
    for (uint32_t n = 0; n < l->n; n++) {
        const int shift = sk_layer_shift(model, layer, n);
        for (size_t b = 0; b < batch; b++)
            y[b * l->n + n] = sk_requantize(acc[b * l->n + n], shift, l->rounding, l->out, l->relu);
    }
}

void sk_trace_free(sk_trace *trace)
{
    if (!trace)
        return;
    for (uint32_t i = 0; i < trace->num_layers; i++) {
        if (trace->acc)
            sk_tensor_free(&trace->acc[i]);
        if (trace->out)
            sk_tensor_free(&trace->out[i]);
    }
    free(trace->acc);
    free(trace->out);
    memset(trace, 0, sizeof *trace);
}

void sk_layer_forward(const sk_model *model, uint32_t layer, const int32_t *x, const int32_t *src,
                      size_t batch, int32_t *acc, int32_t *y)
{
    switch (model->layers[layer].kind) {
    case SK_LAYER_CONV2D: sk_conv2d_forward(model, layer, x, batch, acc, y); break;
    case SK_LAYER_MAXPOOL:
    case SK_LAYER_AVGPOOL: sk_pool_forward(model, layer, x, batch, acc, y); break;
    case SK_LAYER_ADD: sk_add_forward(model, layer, x, src, batch, acc, y); break;
    default: sk_dense_forward(model, layer, x, batch, acc, y); break;
    }
}

/* A layer's [batch][...] tensor: 2-D for a dense layer, NHWC (4-D) otherwise. */
static sk_status alloc_layer_tensor(const sk_model *model, uint32_t layer, sk_dtype dtype,
                                    size_t batch, sk_tensor *t)
{
    const sk_shape s = sk_layer_out_shape(model, layer);
    sk_status st = sk_tensor_alloc2(t, dtype, batch, (size_t)sk_shape_size(s));
    if (st == SK_OK && model->layers[layer].kind != SK_LAYER_DENSE) {
        t->ndim = 4;
        t->shape[1] = s.h;
        t->shape[2] = s.w;
        t->shape[3] = s.c;
    }
    return st;
}

/* Input [batch][k0] or [k0]; a network whose first layer is spatial also takes
 * [batch][H][W][C] or [H][W][C] (datapath §10). Sets the batch size. */
static sk_status check_input(const sk_model *model, const sk_tensor *input, const char *o,
                             size_t *batch, sk_error *err)
{
    const sk_shape in = sk_model_in_shape(model);
    const size_t k0 = (size_t)sk_shape_size(in);
    const bool spatial = model->layers[0].kind != SK_LAYER_DENSE;
    size_t b, k;
    if (input->ndim == 1 || input->ndim == 2) {
        b = input->ndim == 1 ? 1 : input->shape[0];
        k = input->shape[input->ndim - 1];
    } else if (spatial && (input->ndim == 3 || input->ndim == 4)) {
        const size_t *hwc = &input->shape[input->ndim - 3];
        b = input->ndim == 3 ? 1 : input->shape[0];
        if (hwc[0] != in.h || hwc[1] != in.w || hwc[2] != in.c || b == 0)
            return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: shape: input is %zux%zux%zu per sample "
                           "(batch %zu), the model needs [batch][%u][%u][%u] with batch >= 1",
                           o, hwc[0], hwc[1], hwc[2], b, in.h, in.w, in.c);
        k = k0;
    } else if (spatial) {
        return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: shape: input must be [batch][%u][%u][%u] or "
                       "[batch][%zu], has %u dimensions", o, in.h, in.w, in.c, k0, input->ndim);
    } else {
        return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: shape: input must be [batch][%zu] or [%zu], "
                       "has %u dimensions", o, k0, k0, input->ndim);
    }
    if (k != k0 || b == 0)
        return sk_fail(err, SK_ERR_BAD_SHAPE, "%s: shape: input is [%zu][%zu], the model needs "
                       "[batch][%zu] with batch >= 1", o, b, k, k0);
    const int32_t lo = sk_qtype_min(model->in), hi = sk_qtype_max(model->in);
    for (size_t i = 0; i < b * k; i++)
        if (input->data[i] < lo || input->data[i] > hi)
            return sk_fail(err, SK_ERR_INPUT_RANGE,
                           "%s: sample %zu index %zu: value %d is outside the model's %s %d-bit "
                           "input range %d..%d", o, i / k, i % k, input->data[i],
                           model->in.is_signed ? "signed" : "unsigned", model->in.bits, lo, hi);
    *batch = b;
    return SK_OK;
}

sk_status sk_infer(const sk_model *model, const sk_tensor *input, const char *origin,
                   sk_tensor *output, sk_trace *trace, sk_error *err)
{
    const char *o = origin ? origin : "input";
    if (!model || !input || !output || model->num_layers == 0)
        return sk_fail(err, SK_ERR_BAD_ARG, "%s: missing model, input or output", o);
    size_t batch = 0;
    sk_status st = check_input(model, input, o, &batch, err);
    if (st != SK_OK)
        return st;

    const uint32_t layers = model->num_layers;
    /* outs[i] is layer i's output; it is kept after layer i+1 has read it only when a
     * later residual add names it as src (§14). */
    int32_t **outs = calloc(layers, sizeof *outs);
    bool *keep = calloc(layers, sizeof *keep);
    if (!outs || !keep) {
        free(outs);
        free(keep);
        return sk_fail(err, SK_ERR_NOMEM, "%s: out of memory", o);
    }
    for (uint32_t i = 0; i < layers; i++)
        if (model->layers[i].kind == SK_LAYER_ADD && model->layers[i].geom.src != SK_SRC_INPUT)
            keep[model->layers[i].geom.src] = true;
    if (trace) {
        memset(trace, 0, sizeof *trace);
        trace->acc = calloc(layers, sizeof *trace->acc);
        trace->out = calloc(layers, sizeof *trace->out);
        trace->num_layers = layers;
        if (!trace->acc || !trace->out)
            st = sk_fail(err, SK_ERR_NOMEM, "%s: out of memory", o);
    }
    const int32_t *cur = input->data;
    sk_tensor y = { 0 };
    for (uint32_t i = 0; i < layers && st == SK_OK; i++) {
        const sk_layer *l = &model->layers[i];
        if (alloc_layer_tensor(model, i, sk_layer_out_dtype(l), batch, &y) != SK_OK ||
            (trace && alloc_layer_tensor(model, i, SK_DTYPE_INT32, batch, &trace->acc[i]) != SK_OK)) {
            free(y.data);
            st = sk_fail(err, SK_ERR_NOMEM, "%s: out of memory", o);
            break;
        }
        const int32_t *src = NULL;
        if (l->kind == SK_LAYER_ADD)
            src = l->geom.src == SK_SRC_INPUT ? input->data : outs[l->geom.src];
        sk_layer_forward(model, i, cur, src, batch, trace ? trace->acc[i].data : NULL, y.data);
        outs[i] = y.data;
        if (trace) {
            if (alloc_layer_tensor(model, i, y.dtype, batch, &trace->out[i]) != SK_OK) {
                st = sk_fail(err, SK_ERR_NOMEM, "%s: out of memory", o);
                break;
            }
            memcpy(trace->out[i].data, y.data, sk_tensor_count(&y) * sizeof *y.data);
        }
        if (i > 0 && !keep[i - 1]) {
            free(outs[i - 1]);
            outs[i - 1] = NULL;
        }
        cur = y.data;
    }
    if (st == SK_OK)
        outs[layers - 1] = NULL; /* handed to the caller in *output */
    for (uint32_t i = 0; i < layers; i++)
        free(outs[i]);
    free(outs);
    free(keep);
    if (st != SK_OK) {
        if (trace)
            sk_trace_free(trace);
        return st;
    }
    *output = y;
    return SK_OK;
}

sk_status sk_infer_flat(const uint8_t *skm, size_t skm_size, const int32_t *input, size_t batch,
                        size_t k, int32_t *output, size_t output_count, char *msg, size_t msg_size)
{
    sk_error err = { { 0 } };
    sk_model model;
    sk_status st = sk_model_parse(skm, skm_size, "model", &model, &err);
    if (st == SK_OK) {
        sk_tensor in = { .dtype = SK_DTYPE_INT32, .ndim = 2, .shape = { batch, k },
                         .data = (int32_t *)input };
        sk_tensor out;
        st = sk_infer(&model, &in, "input", &out, NULL, &err);
        if (st == SK_OK) {
            size_t count = sk_tensor_count(&out);
            if (count > output_count)
                st = sk_fail(&err, SK_ERR_BAD_ARG, "output: needs %zu values, capacity is %zu",
                             count, output_count);
            else
                memcpy(output, out.data, count * sizeof *output);
            sk_tensor_free(&out);
        }
        sk_model_free(&model);
    }
    if (msg && msg_size) {
        strncpy(msg, err.msg, msg_size - 1);
        msg[msg_size - 1] = 0;
    }
    return st;
}
