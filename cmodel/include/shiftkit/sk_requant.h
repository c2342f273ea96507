/* sk_requant.h — the one requantize function of docs/datapath.md §4–§6.
 *
 * Every component of shiftkit that turns an int32 accumulator into an activation
 * does it through this contract. No implementation-defined right shift of a negative
 * value and no undefined shift is involved for any input in range. */
#ifndef SHIFTKIT_SK_REQUANT_H
#define SHIFTKIT_SK_REQUANT_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SK_SHIFT_MIN (-16) /* datapath §4: most negative (left) shift */
#define SK_SHIFT_MAX 31    /* datapath §4: largest right shift */
#define SK_BITS_MIN 2      /* datapath §1: narrowest activation/weight type */
#define SK_BITS_MAX 8      /* datapath §1: widest activation/weight type */

typedef enum sk_rounding {
    SK_ROUND_FLOOR = 0,     /* toward -inf: arithmetic shift right */
    SK_ROUND_HALF_UP = 1,   /* nearest, ties toward +inf */
    SK_ROUND_HALF_AWAY = 2, /* nearest, ties away from zero */
    SK_ROUND_HALF_EVEN = 3, /* nearest, ties to the even neighbour */
    SK_ROUND_COUNT
} sk_rounding;

/* An output type (datapath §1, §6). */
typedef struct sk_qtype {
    int bits;      /* 2..8 */
    bool is_signed;
} sk_qtype;

/* "floor", "half_up", "half_away", "half_even"; NULL for an invalid mode. */
const char *sk_rounding_name(sk_rounding mode);
/* Parse a mode name; returns false if the name is unknown. */
bool sk_rounding_parse(const char *name, sk_rounding *mode);

/* Range of an activation type (datapath §1). bits must be 1..31. */
int32_t sk_qtype_min(sk_qtype type);
int32_t sk_qtype_max(sk_qtype type);

/* Range of a weight type: narrow signed, |w| <= 2^(bits-1) - 1 (datapath §1). */
int32_t sk_weight_max(int bits);

/* acc / 2^shift rounded with `mode`, exactly as datapath §4/§5, as an int64.
 * Range: shift in SK_SHIFT_MIN..SK_SHIFT_MAX. For shift <= 0 the result is the exact
 * left shift acc * 2^-shift (|result| <= 2^47). */
int64_t sk_shift_round(int32_t acc, int shift, sk_rounding mode);

/* The whole requantize step: shift_round, then clamp to `out` with an optional fused
 * ReLU (datapath §6). Range: shift in SK_SHIFT_MIN..SK_SHIFT_MAX, out.bits 2..8.
 * Out-of-range arguments are a programming error (asserted in debug builds). */
int32_t sk_requantize(int32_t acc, int shift, sk_rounding mode, sk_qtype out, bool relu);

#ifdef __cplusplus
}
#endif
#endif
