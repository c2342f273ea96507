/* test_requant.c — sk_requantize against an independent reference of
 * docs/datapath.md §4–§6.
 *
 * The reference never shifts: it forms the exact quotient acc / 2^s in long double
 * (x86 long double has a 64-bit significand, so a 32-bit integer scaled by a power
 * of two is exact) and rounds it with the C library's own rounding functions:
 * floorl (floor), floorl(v + 1/2) (half_up; v + 1/2 is exact too), roundl (half away
 * from zero, by definition in C99) and nearbyintl under FE_TONEAREST (ties to even).
 * It is checked over every shift in -16..31, every mode, every output type and ReLU,
 * on dense ranges around 0 and the int32 ends, on every tie and its neighbours, and
 * on random accumulators. */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "shiftkit/sk_requant.h"
#include "sk_ref_requant.h"

static unsigned long long checked;

/* Compare one accumulator under every mode and every output type. */
static void check_acc(int32_t acc, int shift)
{
    for (int mode = 0; mode < SK_ROUND_COUNT; mode++) {
        /* Unclamped shift_round first: it is what the RTL's shifter must produce. */
        const long double want_raw = reference_round(acc, shift, (sk_rounding)mode);
        const int64_t got_raw = sk_shift_round(acc, shift, (sk_rounding)mode);
        if ((long double)got_raw != want_raw)
            fail_msg("sk_shift_round(%d, %d, %s) = %lld, reference %.1Lf", acc, shift,
                     sk_rounding_name((sk_rounding)mode), (long long)got_raw, want_raw);
        for (int bits = SK_BITS_MIN; bits <= SK_BITS_MAX; bits++) {
            for (int sgn = 0; sgn < 2; sgn++) {
                for (int relu = 0; relu < 2; relu++) {
                    sk_qtype out = { bits, sgn != 0 };
                    int32_t got = sk_requantize(acc, shift, (sk_rounding)mode, out, relu != 0);
                    int32_t want = reference_requant(acc, shift, (sk_rounding)mode, out, relu);
                    if (got != want)
                        fail_msg("sk_requantize(acc=%d, shift=%d, %s, %s%d, relu=%d) = %d, "
                                 "reference %d", acc, shift,
                                 sk_rounding_name((sk_rounding)mode), sgn ? "s" : "u", bits,
                                 relu, got, want);
                    checked++;
                }
            }
        }
    }
}

static void test_reference_sanity(void **state)
{
    (void)state;
    /* The reference itself must follow the spec's worked examples (datapath §5). */
    assert_true(fegetround() == FE_TONEAREST);
    assert_true(LDBL_MANT_DIG >= 64);
    assert_true(reference_round(5, 1, SK_ROUND_HALF_EVEN) == 2);
    assert_true(reference_round(-5, 1, SK_ROUND_HALF_UP) == -2);
    assert_true(reference_round(-5, 1, SK_ROUND_HALF_AWAY) == -3);
    assert_true(reference_round(-7, 1, SK_ROUND_HALF_EVEN) == -4);
    assert_true(reference_round(-1073741824, 31, SK_ROUND_HALF_EVEN) == 0);
    assert_true(reference_round(-1073741824, 31, SK_ROUND_FLOOR) == -1);
}

static void test_dense_small_range_every_shift(void **state)
{
    (void)state;
    for (int s = SK_SHIFT_MIN; s <= SK_SHIFT_MAX; s++)
        for (int32_t acc = -1100; acc <= 1100; acc++)
            check_acc(acc, s);
}

static void test_int32_ends_every_shift(void **state)
{
    (void)state;
    for (int s = SK_SHIFT_MIN; s <= SK_SHIFT_MAX; s++) {
        for (int32_t d = 0; d < 600; d++) {
            check_acc(INT32_MIN + d, s);
            check_acc(INT32_MAX - d, s);
        }
    }
}

/* Every tie q*2^s + 2^(s-1) for q around 0 and around both clamp edges of every type,
 * and the tie's neighbours, positive and negative. */
static void test_ties_every_shift(void **state)
{
    (void)state;
    for (int s = 1; s <= SK_SHIFT_MAX; s++) {
        const int64_t unit = INT64_C(1) << s, half = unit / 2;
        for (int64_t q = -300; q <= 300; q++) {
            const int64_t tie = q * unit + half;
            for (int64_t d = -1; d <= 1; d++) {
                const int64_t acc = tie + d;
                if (acc >= INT32_MIN && acc <= INT32_MAX)
                    check_acc((int32_t)acc, s);
            }
        }
        /* Ties next to the int32 ends. */
        for (int64_t q = INT32_MIN / unit - 2; q <= INT32_MIN / unit + 2; q++) {
            int64_t acc = q * unit + half;
            if (acc >= INT32_MIN && acc <= INT32_MAX)
                check_acc((int32_t)acc, s);
        }
        for (int64_t q = INT32_MAX / unit - 2; q <= INT32_MAX / unit + 2; q++) {
            int64_t acc = q * unit + half;
            if (acc >= INT32_MIN && acc <= INT32_MAX)
                check_acc((int32_t)acc, s);
        }
    }
}

static void test_random_accumulators(void **state)
{
    (void)state;
    uint64_t x = UINT64_C(0x243F6A8885A308D3); /* xorshift64*, fixed seed */
    for (int i = 0; i < 200000; i++) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        uint64_t r = x * UINT64_C(2685821657736338717);
        int32_t acc = (int32_t)(uint32_t)(r >> 32);
        /* Spread magnitudes: shift the random word right by 0..31 bits. */
        int mag = (int)(r & 31);
        acc = (int32_t)((int64_t)acc / (INT64_C(1) << mag));
        int s = SK_SHIFT_MIN + (int)((r >> 8) % (SK_SHIFT_MAX - SK_SHIFT_MIN + 1));
        check_acc(acc, s);
    }
}

/* The worked examples of docs/datapath.md §5, written out from the spec. */
static void test_spec_worked_examples(void **state)
{
    (void)state;
    static const struct {
        int32_t acc;
        int shift;
        int32_t want[4]; /* floor, half_up, half_away, half_even */
    } rows[] = {
        { 5, 1, { 2, 3, 3, 2 } },
        { 7, 1, { 3, 4, 4, 4 } },
        { -5, 1, { -3, -2, -3, -2 } },
        { -7, 1, { -4, -3, -4, -4 } },
        { -6, 2, { -2, -1, -2, -2 } },
        { -2, 2, { -1, 0, -1, 0 } },
        { 2, 2, { 0, 1, 1, 0 } },
        { -5, 2, { -2, -1, -1, -1 } },
        { 11, 2, { 2, 3, 3, 3 } },
        { 300, 1, { 127, 127, 127, 127 } },
        { -300, 1, { -128, -128, -128, -128 } },
        { 2147483647, 31, { 0, 1, 1, 1 } },
        { INT32_MIN, 31, { -1, -1, -1, -1 } },
        { -1073741824, 31, { -1, 0, -1, 0 } },
        { 3, -2, { 12, 12, 12, 12 } },
        { 32, -2, { 127, 127, 127, 127 } },
        { -1, -16, { -128, -128, -128, -128 } },
    };
    const sk_qtype s8 = { 8, true };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        for (int m = 0; m < 4; m++)
            assert_int_equal(sk_requantize(rows[i].acc, rows[i].shift, (sk_rounding)m, s8, false),
                             rows[i].want[m]);
    assert_int_equal(sk_requantize(5, 1, SK_ROUND_HALF_UP, (sk_qtype){ 2, true }, false), 1);
    assert_int_equal(sk_requantize(-5, 1, SK_ROUND_HALF_UP, (sk_qtype){ 2, true }, false), -2);
    assert_int_equal(sk_requantize(-5, 1, SK_ROUND_HALF_UP, (sk_qtype){ 4, true }, true), 0);
    assert_int_equal(sk_requantize(37, 2, SK_ROUND_HALF_EVEN, (sk_qtype){ 3, false }, false), 7);
    assert_int_equal(sk_requantize(26, 2, SK_ROUND_HALF_EVEN, (sk_qtype){ 4, false }, false), 6);
    assert_int_equal(sk_requantize(30, 2, SK_ROUND_HALF_EVEN, (sk_qtype){ 4, false }, false), 8);
    assert_int_equal(sk_requantize(-30, 2, SK_ROUND_HALF_EVEN, (sk_qtype){ 4, false }, false), 0);
}

static void test_type_ranges_and_names(void **state)
{
    (void)state;
    assert_int_equal(sk_qtype_min((sk_qtype){ 2, true }), -2);
    assert_int_equal(sk_qtype_max((sk_qtype){ 2, true }), 1);
    assert_int_equal(sk_qtype_max((sk_qtype){ 4, false }), 15);
    assert_int_equal(sk_qtype_min((sk_qtype){ 8, false }), 0);
    assert_int_equal(sk_qtype_min((sk_qtype){ 8, true }), -128);
    assert_int_equal(sk_weight_max(2), 1);
    assert_int_equal(sk_weight_max(8), 127);
    const char *names[] = { "floor", "half_up", "half_away", "half_even" };
    for (int m = 0; m < 4; m++) {
        sk_rounding parsed;
        assert_string_equal(sk_rounding_name((sk_rounding)m), names[m]);
        assert_true(sk_rounding_parse(names[m], &parsed));
        assert_int_equal(parsed, m);
    }
    sk_rounding unused;
    assert_false(sk_rounding_parse("nearest", &unused));
    assert_null(sk_rounding_name(SK_ROUND_COUNT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_sanity),
        cmocka_unit_test(test_spec_worked_examples),
        cmocka_unit_test(test_type_ranges_and_names),
        cmocka_unit_test(test_dense_small_range_every_shift),
        cmocka_unit_test(test_int32_ends_every_shift),
        cmocka_unit_test(test_ties_every_shift),
        cmocka_unit_test(test_random_accumulators),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    printf("test_requant: %llu requantize results compared with the reference\n", checked);
    return failed;
}
