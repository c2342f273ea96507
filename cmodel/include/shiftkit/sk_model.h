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

#define SK_MODEL_VERSION 2          /* newest .skm version read and written */
#define SK_MODEL_VERSION_DENSE 1    /* written when every layer is dense */
#define SK_MODEL_MAX_LAYERS 64
#define SK_MODEL_MAX_DIM 65535u
#define SK_MODEL_MAX_WEIGHTS (1u << 26)
#define SK_MODEL_HEADER_SIZE 24
#define SK_MODEL_MAX_ACT (1u << 24) /* elements of one activation per sample (§10) */
#define SK_MODEL_MAX_GEOM 65535u    /* any size, kernel, stride, padding (u16 on file) */
#define SK_SRC_INPUT 0xFFFFu        /* an add's src naming the network input (§14) */

/* Layer kinds (datapath §10). Dense is 0, so a zeroed layer is dense. */
typedef enum sk_layer_kind {
    SK_LAYER_DENSE = 0,   /* §2 */
    SK_LAYER_CONV2D = 1,  /* §11, groups 1 or depthwise */
    SK_LAYER_MAXPOOL = 2, /* §12 */
    SK_LAYER_AVGPOOL = 3, /* §13 */
    SK_LAYER_ADD = 4,     /* §14 */
    SK_LAYER_KIND_COUNT
} sk_layer_kind;

/* Geometry of a layer of a kind other than dense (all 0 for dense). Fields a kind
 * does not use are 0 (docs/model-format.md, geometry part). */
typedef struct sk_geometry {
    uint32_t in_h, in_w, in_c;      /* input shape, HWC */
    uint32_t kernel_h, kernel_w;    /* conv2d, maxpool, avgpool */
    uint32_t stride_h, stride_w;    /* conv2d, maxpool, avgpool */
    uint32_t pad_top, pad_left, pad_bottom, pad_right; /* conv2d: zero padding */
    uint32_t groups;                /* conv2d: 1, or in_c (depthwise) */
    uint32_t src;                   /* add: earlier layer index or SK_SRC_INPUT */
} sk_geometry;

/* An activation shape, HWC (a dense layer's output is 1 x 1 x n). */
typedef struct sk_shape {
    uint32_t h, w, c;
} sk_shape;

/* One layer (datapath §2, §10–§14). Arrays are owned by the model; kinds without
 * weights (maxpool, avgpool, add) have k = 0 and no arrays. */
typedef struct sk_layer {
    uint32_t k;            /* weights per output channel: dense inputs, conv KH*KW*Cin/G */
    uint32_t n;            /* output channels (dense outputs) */
    int w_bits;            /* 2..8 */
    sk_qtype out;          /* output type (next layer's input type) */
    sk_rounding rounding;
    bool relu;             /* fused ReLU (§6) */
    bool raw_output;       /* emit int32 accumulators (§7); last layer only */
    bool per_channel;      /* w_exp has n entries instead of 1 */
    int8_t out_exp;        /* e_out */
    int8_t *w_exp;         /* [per_channel ? n : 1] */
    int32_t *bias;         /* [n], at exponent e_in + w_exp */
    int8_t *weights;       /* [n * k], row-major W[n][k] (conv: W[n][KH][KW][Cin/G]) */
    sk_layer_kind kind;    /* SK_LAYER_DENSE unless set */
    sk_geometry geom;      /* kinds other than dense */
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
/* Allocate the arrays of one layer for the given k, n and per_channel (zeroed); kind
 * and geometry are left as they are. Layers without weights (maxpool, avgpool, add)
 * need no arrays: set kind, n and geom, and leave k = 0. */
SK_MUST_CHECK sk_status sk_layer_alloc(sk_layer *layer, uint32_t k, uint32_t n, bool per_channel);
void sk_model_free(sk_model *model);

/* "dense", "conv2d", "maxpool", "avgpool", "add"; "unknown" otherwise. */
const char *sk_layer_kind_name(sk_layer_kind kind);
/* Whether a kind carries weights, biases and weight exponents (dense, conv2d). */
bool sk_layer_kind_has_weights(sk_layer_kind kind);

/* Shapes (datapath §10) of a layer's input and output and of the network input; a
 * dense layer's input is 1 x 1 x k. Only meaningful on a validated model. */
sk_shape sk_layer_in_shape(const sk_model *model, uint32_t layer);
sk_shape sk_layer_out_shape(const sk_model *model, uint32_t layer);
sk_shape sk_model_in_shape(const sk_model *model);
uint64_t sk_shape_size(sk_shape shape);
/* log2 of an avgpool window (KH*KW = 2^k), -1 if not a power of two. */
int sk_avgpool_log2(const sk_layer *layer);
/* An add's operand b: exponent and type of layer src's output or of the input. */
int sk_add_src_exp(const sk_model *model, uint32_t layer);
sk_qtype sk_add_src_type(const sk_model *model, uint32_t layer);

/* Exponent of a layer's input: the model's in_exp for layer 0, else the previous
 * layer's out_exp. */
int sk_layer_in_exp(const sk_model *model, uint32_t layer);
/* Input type of a layer: the model's input type or the previous layer's output. */
sk_qtype sk_layer_in_type(const sk_model *model, uint32_t layer);
/* Shift of channel c: e_out - e_in - e_w[c] (datapath §4); avgpool e_out - e_in +
 * log2(window) (§13), add e_out - min(ea, eb) (§14), maxpool 0 (no requantize). */
int sk_layer_shift(const sk_model *model, uint32_t layer, uint32_t channel);
/* Worst-case accumulator range of channel c (datapath §3, §11–§14), as int64: over the
 * channel's weights for dense and conv2d, the window sum for avgpool, the aligned sum
 * for add (alignments above 31 report INT64 extremes), the input range for maxpool. */
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
    uint64_t max_activation;/* largest activation (elements), including the input */
    uint64_t macs;          /* multiply-accumulates per sample (dense and conv2d) */
    uint64_t file_bytes;    /* size of the .skm file */
} sk_model_footprint;
void sk_model_get_footprint(const sk_model *model, sk_model_footprint *fp);

/* CRC-32 (IEEE, as zlib) of a buffer, continuing from `crc` (start with 0). */
uint32_t sk_crc32(uint32_t crc, const void *data, size_t size);

#ifdef __cplusplus
}
#endif
#endif
