"""shiftkit.arith (datapath §4-§6) against the spec's worked examples and, on whole
random tensors, against the golden C requantize (sk_requantize, sk_shift_round)."""

import random

import pytest
import torch

from shiftkit import arith, golden

MODES = ["floor", "half_up", "half_away", "half_even"]

# datapath.md §5 worked examples: acc, s, floor, half_up, half_away, half_even (int8).
WORKED = [(5, 1, 2, 3, 3, 2), (7, 1, 3, 4, 4, 4), (-5, 1, -3, -2, -3, -2), (-7, 1, -4, -3, -4, -4),
          (-6, 2, -2, -1, -2, -2), (-2, 2, -1, 0, -1, 0), (2, 2, 0, 1, 1, 0), (-5, 2, -2, -1, -1, -1),
          (11, 2, 2, 3, 3, 3), (300, 1, 127, 127, 127, 127), (-300, 1, -128, -128, -128, -128),
          (2147483647, 31, 0, 1, 1, 1), (-2147483648, 31, -1, -1, -1, -1), (-1073741824, 31, -1, 0, -1, 0),
          (3, -2, 12, 12, 12, 12), (32, -2, 127, 127, 127, 127), (-1, -16, -128, -128, -128, -128)]

# datapath.md §5 narrow types and ReLU: acc, s, mode, bits, signed, relu, result.
NARROW = [(5, 1, "half_up", 2, True, False, 1), (-5, 1, "half_up", 2, True, False, -2),
          (-5, 1, "half_up", 4, True, True, 0), (37, 2, "half_even", 3, False, False, 7),
          (26, 2, "half_even", 4, False, False, 6), (30, 2, "half_even", 4, False, False, 8),
          (-30, 2, "half_even", 4, False, False, 0)]


@pytest.mark.parametrize("acc,shift,expected", [(a, s, list(e)) for a, s, *e in WORKED])
def test_worked_examples(acc, shift, expected):
    got = [int(arith.requantize(torch.tensor([acc]), shift, m, 8, True, False)) for m in MODES]
    assert got == expected


@pytest.mark.parametrize("acc,shift,mode,bits,signed,relu,expected", NARROW)
def test_narrow_types_and_relu(acc, shift, mode, bits, signed, relu, expected):
    assert int(arith.requantize(torch.tensor([acc]), shift, mode, bits, signed, relu)) == expected


def edge_accumulators(rng, count):
    """int32 values rich in ties, negative ties, near-ties and both extremes."""
    values = [0, 1, -1, 2**31 - 1, -(2**31), 2**30, -(2**30), 2**31 - 2, -(2**31) + 1]
    while len(values) < count:
        s = rng.randint(1, 31)
        base = rng.randint(-(2 ** (31 - s)), 2 ** (31 - s) - 1) << s
        offset = rng.choice([2 ** (s - 1), 2 ** (s - 1) - 1, 2 ** (s - 1) + 1, 0, rng.randrange(2**s)])
        values.append(max(-(2**31), min(2**31 - 1, base + offset)))
        values.append(rng.randint(-(2**31), 2**31 - 1))
        values.append(rng.randint(-300, 300))
    return values[:count]


@pytest.mark.parametrize("mode", MODES)
def test_shift_round_matches_golden_every_shift(mode):
    rng = random.Random(f"shift_round-{mode}")
    accs = edge_accumulators(rng, 120)
    for shift in range(arith.SHIFT_MIN, arith.SHIFT_MAX + 1):
        got = arith.shift_round(torch.tensor(accs), shift, mode).tolist()
        want = [golden.shift_round(a, shift, mode) for a in accs]
        assert got == want, f"shift {shift}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("bits", range(2, 9))
def test_requantize_matches_golden_random_tensors(mode, bits):
    """Whole random tensors, per-element shifts (as per-channel layers have), both
    signednesses, with and without ReLU."""
    rng = random.Random(f"requantize-{mode}-{bits}")
    for signed in (True, False):
        for relu in (False, True):
            accs = edge_accumulators(rng, 400)
            shifts = [rng.randint(arith.SHIFT_MIN, arith.SHIFT_MAX) for _ in accs]
            shifts[:48] = range(arith.SHIFT_MIN, arith.SHIFT_MAX + 1)
            got = arith.requantize(torch.tensor(accs), torch.tensor(shifts), mode, bits, signed, relu).tolist()
            want = [golden.requantize(a, s, mode, bits, signed, relu) for a, s in zip(accs, shifts)]
            assert got == want, f"signed={signed} relu={relu}"


def test_saturates_both_ways():
    for mode in MODES:
        assert arith.requantize(torch.tensor([2**31 - 1, -(2**31)]), -16, mode, 8, True, False).tolist() == [127, -128]
        assert arith.requantize(torch.tensor([2**31 - 1, -(2**31)]), 0, mode, 4, False, False).tolist() == [15, 0]


@pytest.mark.parametrize("bad", [-17, 32])
def test_shift_out_of_range_is_an_error(bad):
    with pytest.raises(ValueError, match="shift out of range"):
        arith.shift_round(torch.tensor([1]), bad, "floor")


def test_bad_mode_and_bits_are_errors():
    with pytest.raises(ValueError, match="rounding must be one of"):
        arith.requantize(torch.tensor([1]), 1, "nearest", 8, True, False)
    for bits in (1, 9):
        with pytest.raises(ValueError, match="2..8"):
            arith.requantize(torch.tensor([1]), 1, "floor", bits, True, False)
