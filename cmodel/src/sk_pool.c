/* sk_pool.c — maxpool (docs/datapath.md §12) and avgpool (§13) over HWC activations,
 * no padding. A maxpool is an exact max (and an optional ReLU), no requantize; an
 * avgpool is the exact window sum followed by the one requantize with shift
 * e_out - e_in + log2(KH*KW). */
#include "shiftkit/sk_requant.h"
#include "sk_layers.h"

void sk_pool_forward(const sk_model *model, uint32_t layer, const int32_t *x, size_t batch,
                     int32_t *acc, int32_t *y)
{
    const sk_layer *l = &model->layers[layer];
    const sk_geometry *g = &l->geom;
    const sk_shape out = sk_layer_out_shape(model, layer);
    const size_t in_size = (size_t)g->in_h * g->in_w * g->in_c;
    const bool is_max = l->kind == SK_LAYER_MAXPOOL;
    const int shift = sk_layer_shift(model, layer, 0);
    for (size_t b = 0; b < batch; b++) {
        const int32_t *xs = &x[b * in_size];
        for (uint32_t oy = 0; oy < out.h; oy++)
            for (uint32_t ox = 0; ox < out.w; ox++)
                for (uint32_t c = 0; c < g->in_c; c++) {
                    int64_t v = is_max ? INT64_MIN : 0;
                    for (uint32_t ky = 0; ky < g->kernel_h; ky++)
                        for (uint32_t kx = 0; kx < g->kernel_w; kx++) {
                            const size_t yy = (size_t)oy * g->stride_h + ky;
                            const size_t xx = (size_t)ox * g->stride_w + kx;
                            const int32_t e = xs[(yy * g->in_w + xx) * g->in_c + c];
                            if (!is_max)
                                v += e; /* §13: within 2^k * [xmin, xmax], int32 */
                            else if (e > v)
                                v = e;
                        }
                    const size_t i = ((b * out.h + oy) * out.w + ox) * g->in_c + c;
                    if (acc)
                        acc[i] = (int32_t)v;
                    if (is_max)
                        y[i] = l->relu && v < 0 ? 0 : (int32_t)v;
                    else
                        y[i] = sk_requantize((int32_t)v, shift, l->rounding, l->out, l->relu);
                }
    }
}
