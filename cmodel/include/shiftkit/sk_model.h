/* sk_model.h — an integer network (docs/datapath.md) and its .skm file
 * (docs/model-format.md): in-memory form, validation, reader and writer. */
#ifndef SHIFTKIT_SK_MODEL_H
#define SHIFTKIT_SK_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shiftkit/sk_requant.h"
#include "shiftkit/sk_status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SK_MODEL_VERSION 1
#define SK_MODEL_MAX_LAYERS 64
#define SK_MODEL_MAX_DIM 65535u
#define SK_MODEL_MAX_WEIGHTS (1u << 26)
#define SK_MODEL_HEADER_SIZE 24

/* One dense layer (datapath §2). Arrays are owned by the model. */
typedef struct sk_layer {
    uint32_t k;            /* inputs */
    uint32_t n;            /* outputs */
    int w_bits;            /* 2..8 */
    sk_qtype out;          /* output type (next layer's input type) */
    sk_rounding rounding;
    bool relu;             /* fused ReLU (§6) */
    bool raw_output;       /* emit int32 accumulators (§7); last layer only */
    bool per_channel;      /* w_exp has n entries instead of 1 */
    int8_t out_exp;        /* e_out */
    int8_t *w_exp;         /* [per_channel ? n : 1] */
    int32_t *bias;         /* [n], at exponent e_in + w_exp */
    int8_t *weights;       /* [n * k], row-major W[n][k] */
} sk_layer;

typedef struct sk_model {
    sk_qtype in;           /* the network's input type */
    int8_t in_exp;         /* the network's input exponent */
    uint32_t num_layers;
    sk_layer *layers;      /* [num_layers] */
} sk_model;

/* Allocate a model of num_layers zeroed layers; dims are set per layer with
 * sk_layer_alloc. Free with sk_model_free. */
SK_MUST_CHECK sk_status sk_model_init(sk_model *model, uint32_t num_layers);
/* Allocate the arrays of one layer for the given k, n and per_channel (zeroed). */
SK_MUST_CHECK sk_status sk_layer_alloc(sk_layer *layer, uint32_t k, uint32_t n, bool per_channel);
void sk_model_free(sk_model *model);

/* Exponent of a layer's input: the model's in_exp for layer 0, else the previous
 * layer's out_exp. */
int sk_layer_in_exp(const sk_model *model, uint32_t layer);
/* Input type of a layer: the model's input type or the previous layer's output. */
sk_qtype sk_layer_in_type(const sk_model *model, uint32_t layer);
/* Shift of channel c: e_out - e_in - e_w[c] (datapath §4). */
int sk_layer_shift(const sk_model *model, uint32_t layer, uint32_t channel);
/* Worst-case accumulator range of channel c (datapath §3), as int64. */
void sk_layer_acc_bounds(const sk_model *model, uint32_t layer, uint32_t channel,
                         int64_t *lo, int64_t *hi);

/* Check every rule of docs/model-format.md "Validation on load" that applies to an
 * in-memory model. `origin` names the model in messages (a path, or NULL). */
SK_MUST_CHECK sk_status sk_model_validate(const sk_model *model, const char *origin, sk_error *err);

/* Parse a .skm image. `origin` names it in messages. On failure *model is untouched. */
SK_MUST_CHECK sk_status sk_model_parse(const uint8_t *data, size_t size, const char *origin,
                                       sk_model *model, sk_error *err);
SK_MUST_CHECK sk_status sk_model_load(const char *path, sk_model *model, sk_error *err);

/* Serialize a valid model. *data is malloc'd; the caller frees it. */
SK_MUST_CHECK sk_status sk_model_serialize(const sk_model *model, uint8_t **data, size_t *size,
                                           sk_error *err);
/* Write atomically (temporary file + rename): no partial file on failure. */
SK_MUST_CHECK sk_status sk_model_save(const sk_model *model, const char *path, sk_error *err);

/* Totals used by `shiftkit info` and by drivers to size memories. */
typedef struct sk_model_footprint {
    uint64_t weights;       /* weight count */
    uint64_t biases;        /* bias (and shift) count */
    uint64_t max_activation;/* widest activation vector, including the input */
    uint64_t macs;          /* multiply-accumulates per sample */
    uint64_t file_bytes;    /* size of the .skm file */
} sk_model_footprint;
void sk_model_get_footprint(const sk_model *model, sk_model_footprint *fp);

/* CRC-32 (IEEE, as zlib) of a buffer, continuing from `crc` (start with 0). */
uint32_t sk_crc32(uint32_t crc, const void *data, size_t size);

#ifdef __cplusplus
}
#endif
#endif
