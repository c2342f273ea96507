/* sk_layers.h — the layer kinds other than dense (docs/datapath.md §10–§14), internal:
 * the .skm version-2 geometry size, and the reference forward passes of conv2d,
 * pooling and residual add. Each computes whole-batch tensors in HWC order exactly as
 * the spec's formulas; requantization goes through sk_requantize. */
#ifndef SHIFTKIT_SK_LAYERS_H
#define SHIFTKIT_SK_LAYERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shiftkit/sk_model.h"

/* Bytes of a version-2 layer record's geometry part (docs/model-format.md). */
#define SK_SKM_GEOMETRY_SIZE 28

/* Whether every layer is dense (such a model is written as .skm version 1). */
bool sk_model_all_dense(const sk_model *model);

/* A conv2d's accumulators only (before requantization), [batch][OH][OW][n]. */
void sk_conv2d_accumulate(const sk_model *model, uint32_t layer, const int32_t *x, size_t batch,
                          int32_t *acc);

/* Accumulators (acc, may be NULL) and outputs (y) of layer `layer` over `batch`
 * samples of x (the layer's input, HWC per sample). acc and y hold
 * batch * sk_shape_size(output) values; y may alias acc. */
void sk_conv2d_forward(const sk_model *model, uint32_t layer, const int32_t *x, size_t batch,
                       int32_t *acc, int32_t *y);
void sk_pool_forward(const sk_model *model, uint32_t layer, const int32_t *x, size_t batch,
                     int32_t *acc, int32_t *y);
/* b is operand b (the output of layer geom.src or the network input). */
void sk_add_forward(const sk_model *model, uint32_t layer, const int32_t *a, const int32_t *b,
                    size_t batch, int32_t *acc, int32_t *y);

#endif
