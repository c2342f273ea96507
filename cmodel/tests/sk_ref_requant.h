/* sk_ref_requant.h — the independent reference of docs/datapath.md §4–§6 used by
 * test_requant.c (which checks it exhaustively against sk_requantize) and by the
 * CNN reference of test_cnn.c.
 *
 * It never shifts: it forms the exact quotient acc / 2^s in long double (x86 long
 * double has a 64-bit significand, so a 32-bit integer scaled by a power of two is
 * exact) and rounds it with the C library's own rounding functions: floorl (floor),
 * floorl(v + 1/2) (half_up; v + 1/2 is exact too), roundl (half away from zero, by
 * definition in C99) and nearbyintl under FE_TONEAREST (ties to even). Header-only;
 * include after <cmocka.h> and <math.h>. */
#ifndef SHIFTKIT_SK_REF_REQUANT_H
#define SHIFTKIT_SK_REF_REQUANT_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "shiftkit/sk_requant.h"

static inline long double reference_round(int32_t acc, int shift, sk_rounding mode)
{
    const long double v = ldexpl((long double)acc, -shift); /* exact */
    if (shift <= 0)
        return v;
    switch (mode) {
    case SK_ROUND_FLOOR: return floorl(v);
    case SK_ROUND_HALF_UP: return floorl(v + 0.5L);
    case SK_ROUND_HALF_AWAY: return roundl(v);
    case SK_ROUND_HALF_EVEN: return nearbyintl(v);
    default: break;
    }
    fail_msg("bad mode %d", (int)mode);
    return 0;
}

static inline int32_t reference_requant(int32_t acc, int shift, sk_rounding mode, sk_qtype out,
                                        bool relu)
{
    long double v = reference_round(acc, shift, mode);
    long double lo = out.is_signed ? -ldexpl(1, out.bits - 1) : 0;
    long double hi = out.is_signed ? ldexpl(1, out.bits - 1) - 1 : ldexpl(1, out.bits) - 1;
    if (relu && lo < 0)
        lo = 0;
    if (v < lo)
        v = lo;
    if (v > hi)
        v = hi;
    return (int32_t)v;
}

#endif
