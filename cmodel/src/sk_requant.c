/* sk_requant.c — the one requantize function (docs/datapath.md §4–§6).
 *
 * All arithmetic is done on int64 values with division and remainder by a positive
 * power of two computed as floor division: C's `>>` on a negative value is
 * implementation-defined and shifts by 32 or more are undefined, so neither is used
 * on a signed operand. */
#include "shiftkit/sk_requant.h"

#include <assert.h>
#include <string.h>

static const char *const rounding_names[SK_ROUND_COUNT] = {
    [SK_ROUND_FLOOR] = "floor",
    [SK_ROUND_HALF_UP] = "half_up",
    [SK_ROUND_HALF_AWAY] = "half_away",
    [SK_ROUND_HALF_EVEN] = "half_even",
};

const char *sk_rounding_name(sk_rounding mode)
{
    if ((unsigned)mode >= SK_ROUND_COUNT)
        return NULL;
    return rounding_names[mode];
}

bool sk_rounding_parse(const char *name, sk_rounding *mode)
{
    for (int m = 0; m < SK_ROUND_COUNT; m++) {
        if (strcmp(name, rounding_names[m]) == 0) {
            *mode = (sk_rounding)m;
            return true;
        }
    }
    return false;
}

int32_t sk_qtype_min(sk_qtype type)
{
    assert(type.bits >= 1 && type.bits <= 31);
    return type.is_signed ? -(int32_t)(UINT32_C(1) << (type.bits - 1)) : 0;
}

int32_t sk_qtype_max(sk_qtype type)
{
    assert(type.bits >= 1 && type.bits <= 31);
    return type.is_signed ? (int32_t)((UINT32_C(1) << (type.bits - 1)) - 1)
                          : (int32_t)((UINT32_C(1) << type.bits) - 1);
}

int32_t sk_weight_max(int bits)
{
    assert(bits >= 2 && bits <= 31);
    return (int32_t)((UINT32_C(1) << (bits - 1)) - 1);
}

/* floor(v / 2^s) and the remainder v - floor * 2^s in [0, 2^s), for 1 <= s <= 31 and
 * |v| <= 2^31. Offsetting v by 2^62 makes it non-negative, so an unsigned (logical)
 * shift is the floor division; no signed shift and no division is involved. */
static int64_t floor_div_pow2(int64_t v, int s, int64_t *remainder)
{
    const uint64_t offset = UINT64_C(1) << 62;
    const uint64_t u = (uint64_t)v + offset;
    *remainder = (int64_t)(u & ((UINT64_C(1) << s) - 1));
    return (int64_t)(u >> s) - (int64_t)(offset >> s);
}

int64_t sk_shift_round(int32_t acc, int shift, sk_rounding mode)
{
    assert(shift >= SK_SHIFT_MIN && shift <= SK_SHIFT_MAX);
    assert((unsigned)mode < SK_ROUND_COUNT);

    if (shift <= 0) /* §4: exact left shift; |acc| * 2^16 <= 2^47 fits int64 */
        return (int64_t)acc * (INT64_C(1) << -shift);

    int64_t r;
    const int64_t f = floor_div_pow2(acc, shift, &r);
    const int64_t half = INT64_C(1) << (shift - 1);
    bool up;
    switch (mode) {
    case SK_ROUND_FLOOR: up = false; break;
    case SK_ROUND_HALF_UP: up = r >= half; break;
    case SK_ROUND_HALF_AWAY: up = r > half || (r == half && acc > 0); break;
    case SK_ROUND_HALF_EVEN: up = r > half || (r == half && (f & 1) != 0); break;
    default: up = false; break;
    }
    return f + (up ? 1 : 0);
}

int32_t sk_requantize(int32_t acc, int shift, sk_rounding mode, sk_qtype out, bool relu)
{
    assert(out.bits >= SK_BITS_MIN && out.bits <= SK_BITS_MAX);
    const int64_t v = sk_shift_round(acc, shift, mode);
    int64_t lo = sk_qtype_min(out);
    const int64_t hi = sk_qtype_max(out);
    if (relu && lo < 0)
        lo = 0;
    if (v < lo)
        return (int32_t)lo;
    if (v > hi)
        return (int32_t)hi;
    return (int32_t)v;
}
