/* fuzz_skm.c — libFuzzer harness for the .skm reader (docs/model-format.md).
 *
 * Any input must either be rejected with a status and a message, or parse into a
 * model that passes validation, serializes back to exactly the same bytes, and runs
 * one golden inference without a sanitizer report. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shiftkit/shiftkit.h"
#include "sk_fuzz_skm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_one(const uint8_t *data, size_t size);

/* Inner-loop steps of one inference: products for dense and conv2d, window elements
 * for pooling, one per element for add. */
enum { FUZZ_WORK_BUDGET = 1 << 16 };

static uint64_t work_per_sample(const sk_model *m)
{
    uint64_t work = 0;
    for (uint32_t i = 0; i < m->num_layers; i++) {
        const sk_layer *l = &m->layers[i];
        const uint64_t out = sk_shape_size(sk_layer_out_shape(m, i));
        if (sk_layer_kind_has_weights(l->kind))
            work += out * l->k;
        else if (l->kind == SK_LAYER_ADD)
            work += out;
        else
            work += out * l->geom.kernel_h * l->geom.kernel_w;
    }
    return work;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_one(data, size);
    uint8_t *patched = sk_fuzz_with_matching_crc(data, size);
    if (patched) {
        check_one(patched, size);
        free(patched);
    }
    return 0;
}

static void check_one(const uint8_t *data, size_t size)
{
    sk_model model;
    sk_error err = { { 0 } };
    sk_status st = sk_model_parse(data, size, "fuzz.skm", &model, &err);
    if (st != SK_OK) {
        if (err.msg[0] == 0 || st >= SK_STATUS_COUNT)
            abort(); /* every rejection names its reason */
        return;
    }
    if (sk_model_validate(&model, "fuzz.skm", &err) != SK_OK)
        abort();
    uint8_t *again;
    size_t again_size;
    if (sk_model_serialize(&model, &again, &again_size, &err) != SK_OK)
        abort();
    if (again_size != size || memcmp(again, data, size) != 0)
        abort(); /* a valid file has exactly one encoding */
    free(again);

    /* One sample at the input type's extremes exercises the arithmetic too, unless
     * the model asks for more work than a fuzzing slice allows (a few bytes can
     * declare a huge pooling window over a 2^24-element map). */
    const size_t k = (size_t)sk_shape_size(sk_model_in_shape(&model));
    sk_tensor in = { 0 }, out = { 0 };
    if (work_per_sample(&model) <= FUZZ_WORK_BUDGET &&
        sk_tensor_alloc2(&in, SK_DTYPE_INT32, 1, k) == SK_OK) {
        for (size_t i = 0; i < k; i++)
            in.data[i] = (i & 1) ? sk_qtype_max(model.in) : sk_qtype_min(model.in);
        if (sk_infer(&model, &in, "fuzz input", &out, NULL, &err) != SK_OK)
            abort();
        sk_tensor_free(&out);
        sk_tensor_free(&in);
    }
    sk_model_free(&model);
}
