/* sk_gen.h — seeded constrained-random test cases (docs/datapath.md §9). */
#ifndef SHIFTKIT_SK_GEN_H
#define SHIFTKIT_SK_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "shiftkit/sk_model.h"
#include "shiftkit/sk_npy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Limits on the generated networks; sk_gen_default_limits gives the ones `shiftkit gen`
 * uses. Hardware benches shrink them to fit their memories. */
typedef struct sk_gen_limits {
    uint32_t max_layers; /* 1..SK_MODEL_MAX_LAYERS */
    uint32_t max_dim;    /* largest k or n */
    uint32_t max_batch;  /* samples per case */
    bool cnn;            /* the CNN family (conv2d, pooling, add; datapath §10–§14)
                            instead of dense networks; a separate scenario list, so
                            dense cases are the same with or without it */
} sk_gen_limits;
void sk_gen_default_limits(sk_gen_limits *limits);

/* Case `index` of seed `seed`: a valid model and an input batch. The same
 * (seed, index, limits) always gives the same case on every machine. */
SK_MUST_CHECK sk_status sk_gen_case(uint64_t seed, uint32_t index, const sk_gen_limits *limits,
                                    sk_model *model, sk_tensor *input, sk_error *err);

#ifdef __cplusplus
}
#endif
#endif
