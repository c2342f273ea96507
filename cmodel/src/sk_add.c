/* sk_add.c — the residual add (docs/datapath.md §14): both operands aligned to the
 * common exponent min(ea, eb) by exact left shifts, added exactly (validation keeps
 * the sum inside int32), then the one requantize with shift e_out - min(ea, eb). */
#include "shiftkit/sk_requant.h"
#include "sk_layers.h"

void sk_add_forward(const sk_model *model, uint32_t layer, const int32_t *a, const int32_t *b,
                    size_t batch, int32_t *acc, int32_t *y)
{
    const sk_layer *l = &model->layers[layer];
    const int ea = sk_layer_in_exp(model, layer), eb = sk_add_src_exp(model, layer);
    const int ec = ea < eb ? ea : eb;
    const int64_t scale_a = INT64_C(1) << (ea - ec), scale_b = INT64_C(1) << (eb - ec);
    const int shift = sk_layer_shift(model, layer, 0);
    const size_t count = batch * sk_shape_size(sk_layer_out_shape(model, layer));
    for (size_t i = 0; i < count; i++) {
        const int32_t sum = (int32_t)(a[i] * scale_a + b[i] * scale_b);
        if (acc)
            acc[i] = sum;
        y[i] = sk_requantize(sum, shift, l->rounding, l->out, l->relu);
    }
}
