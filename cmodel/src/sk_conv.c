/* sk_conv.c — conv2d (docs/datapath.md §11): groups 1 and depthwise, stride, zero
 * padding, dilation 1, activations HWC.
 *
 * An ordinary convolution gathers each output pixel's KH x KW x Cin patch in HWC order
 * (padded positions are the integer 0) and hands the patches to the dense
 * accumulation kernels as a batch: the flattened weights W[co][ky][kx][ci] are a dense
 * layer's W[n][k] over exactly that order, so acc[pixel][co] comes out in HWC order
 * and the §3 bound of the layer covers every partial sum. A depthwise convolution
 * (one filter per channel) runs the direct formula. Requantization is sk_requantize per
 * element, as for dense. */
#include <stdlib.h>
#include <string.h>

#include "shiftkit/sk_infer.h"
#include "sk_layers.h"

/* Patches gathered per call of the dense kernel: bounds the scratch memory at about
 * PATCH_VALUES int32 however large the layer. */
enum { PATCH_VALUES = 1 << 18 };

/* The input value under kernel tap (ky, kx) of output pixel (oy, ox), channel c, or 0
 * in the padding. */
static int32_t tap(const sk_geometry *g, const int32_t *xs, uint32_t oy, uint32_t ox, uint32_t ky,
                   uint32_t kx, uint32_t c)
{
    const int64_t y = (int64_t)oy * g->stride_h + ky - g->pad_top;
    const int64_t x = (int64_t)ox * g->stride_w + kx - g->pad_left;
    if (y < 0 || x < 0 || y >= g->in_h || x >= g->in_w)
        return 0;
    return xs[((size_t)y * g->in_w + (size_t)x) * g->in_c + c];
}

static void gather_patch(const sk_geometry *g, const int32_t *xs, uint32_t oy, uint32_t ox,
                         int32_t *patch)
{
    size_t j = 0;
    for (uint32_t ky = 0; ky < g->kernel_h; ky++)
        for (uint32_t kx = 0; kx < g->kernel_w; kx++)
            for (uint32_t c = 0; c < g->in_c; c++)
                patch[j++] = tap(g, xs, oy, ox, ky, kx, c);
}

/* Accumulators of an ordinary (groups = 1) convolution: patches in chunks through
 * sk_dense_accumulate. Returns false if scratch memory is unavailable. */
static bool conv_accumulate(const sk_model *model, uint32_t layer, const int32_t *x, size_t batch,
                            sk_shape out, int32_t *acc)
{
    const sk_layer *l = &model->layers[layer];
    const sk_geometry *g = &l->geom;
    const size_t in_size = (size_t)g->in_h * g->in_w * g->in_c;
    const size_t pixels = (size_t)out.h * out.w, total = batch * pixels;
    size_t chunk = PATCH_VALUES / l->k;
    if (chunk == 0)
        chunk = 1;
    if (chunk > total)
        chunk = total;
    int32_t *patches = malloc(chunk * l->k * sizeof *patches);
    if (!patches)
        return false;
    for (size_t p0 = 0; p0 < total; p0 += chunk) {
        const size_t count = total - p0 < chunk ? total - p0 : chunk;
        for (size_t j = 0; j < count; j++) {
            const size_t p = p0 + j, b = p / pixels, pix = p % pixels;
            gather_patch(g, &x[b * in_size], (uint32_t)(pix / out.w), (uint32_t)(pix % out.w),
                         &patches[j * l->k]);
        }
        sk_dense_accumulate(model, layer, patches, count, &acc[p0 * l->n], SK_KERNEL_AUTO);
    }
    free(patches);
    return true;
}

/* Accumulators by the direct formula of §11, any groups: output channel co reads the
 * Cin/G input channels of its group. Used for depthwise layers, and for ordinary ones
 * when the patch scratch cannot be allocated. */
static void direct_accumulate(const sk_layer *l, const int32_t *x, size_t batch, sk_shape out,
                              int32_t *acc)
{
    const sk_geometry *g = &l->geom;
    const size_t in_size = (size_t)g->in_h * g->in_w * g->in_c;
    const uint32_t cg = g->in_c / g->groups, per_group = l->n / g->groups;
    for (size_t b = 0; b < batch; b++) {
        const int32_t *xs = &x[b * in_size];
        for (uint32_t oy = 0; oy < out.h; oy++)
            for (uint32_t ox = 0; ox < out.w; ox++)
                for (uint32_t co = 0; co < l->n; co++) {
                    const int8_t *w = &l->weights[(size_t)co * l->k];
                    const uint32_t c0 = co / per_group * cg;
                    /* §3 keeps every partial sum in int32; int64 keeps C free of overflow */
                    int64_t sum = l->bias[co];
                    size_t j = 0;
                    for (uint32_t ky = 0; ky < g->kernel_h; ky++)
                        for (uint32_t kx = 0; kx < g->kernel_w; kx++)
                            for (uint32_t ci = 0; ci < cg; ci++)
                                sum += (int64_t)w[j++] * tap(g, xs, oy, ox, ky, kx, c0 + ci);
                    acc[((b * out.h + oy) * out.w + ox) * l->n + co] = (int32_t)sum;
                }
    }
}

void sk_conv2d_accumulate(const sk_model *model, uint32_t layer, const int32_t *x, size_t batch,
                          int32_t *acc)
{
    const sk_layer *l = &model->layers[layer];
    const sk_shape out = sk_layer_out_shape(model, layer);
    if (l->geom.groups > 1 || !conv_accumulate(model, layer, x, batch, out, acc))
        direct_accumulate(l, x, batch, out, acc);
}

void sk_conv2d_forward(const sk_model *model, uint32_t layer, const int32_t *x, size_t batch,
                       int32_t *acc_out, int32_t *y)
{
    const sk_layer *l = &model->layers[layer];
    const sk_shape out = sk_layer_out_shape(model, layer);
    const size_t pixels = batch * out.h * out.w;
    int32_t *acc = acc_out ? acc_out : y;
    sk_conv2d_accumulate(model, layer, x, batch, acc);
    if (l->raw_output) { /* §7 */
        if (acc != y)
            memcpy(y, acc, pixels * l->n * sizeof *y);
        return;
    }
    for (uint32_t co = 0; co < l->n; co++) {
        const int shift = sk_layer_shift(model, layer, co);
        for (size_t p = 0; p < pixels; p++)
            y[p * l->n + co] =
                sk_requantize(acc[p * l->n + co], shift, l->rounding, l->out, l->relu);
    }
}
