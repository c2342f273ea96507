"""The integer arithmetic of docs/datapath.md, on int64 torch tensors.

This is the trainer's own copy of the golden arithmetic (datapath §1, §4-§6). It is
written from the spec and checked bit for bit against the C golden model
(libshiftkit, through shiftkit.golden) in qat/tests/test_arith.py.

All functions take and return int64 tensors so that every intermediate (up to
acc * 2^16 = 2^47 for a left shift) is exact.
"""

import torch

SHIFT_MIN = -16  # datapath §4
SHIFT_MAX = 31  # datapath §4
BITS_MIN = 2  # datapath §1
BITS_MAX = 8  # datapath §1
INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1

# Rounding mode names and their .skm codes (datapath §5, model-format.md).
ROUNDING_CODES = {"floor": 0, "half_up": 1, "half_away": 2, "half_even": 3}
ROUNDING_NAMES = {code: name for name, code in ROUNDING_CODES.items()}


def check_bits(bits, what="bits"):
    """Raise ValueError unless bits is an int in 2..8 (datapath §1)."""
    if not isinstance(bits, int) or isinstance(bits, bool) or not BITS_MIN <= bits <= BITS_MAX:
        raise ValueError(f"{what} must be an integer in {BITS_MIN}..{BITS_MAX}, got {bits!r}")
    return bits


def check_rounding(mode):
    """Return the .skm code of a rounding mode name, or raise ValueError (datapath §5)."""
    if mode not in ROUNDING_CODES:
        raise ValueError(f"rounding must be one of {', '.join(ROUNDING_CODES)}, got {mode!r}")
    return ROUNDING_CODES[mode]


def act_range(bits, signed):
    """(lo, hi) of an activation type: full two's complement or unsigned (datapath §1)."""
    check_bits(bits, "activation bits")
    if signed:
        return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    return 0, 2**bits - 1


def weight_max(bits):
    """Largest weight magnitude: weights are narrow signed, |w| <= 2^(bits-1)-1 (§1)."""
    check_bits(bits, "weight bits")
    return 2 ** (bits - 1) - 1


def shift_round(acc, shift, mode):
    """acc / 2^shift rounded with `mode` (datapath §4, §5), exactly, as int64.

    acc: int64 tensor of int32 values; shift: int or int64 tensor broadcastable to acc
    (per-channel shifts broadcast along the last dimension); mode: a rounding name.
    """
    check_rounding(mode)
    acc = torch.as_tensor(acc, dtype=torch.int64)
    shift = torch.as_tensor(shift, dtype=torch.int64)
    if shift.numel() and (shift.min() < SHIFT_MIN or shift.max() > SHIFT_MAX):
        raise ValueError(f"shift out of range {SHIFT_MIN}..{SHIFT_MAX}: {shift.tolist()}")
    acc, shift = torch.broadcast_tensors(acc, shift)

    # s <= 0: exact left shift (at most 2^31 * 2^16, fits int64).
    left = acc * torch.pow(2, (-shift).clamp(min=0))

    # s > 0: decide on the exact quotient via floor and remainder, never on a
    # float, so ties are recognised exactly.
    right_shift = shift.clamp(min=1)
    divisor = torch.pow(2, right_shift)
    half = divisor // 2
    floor = torch.div(acc, divisor, rounding_mode="floor")
    rem = acc - floor * divisor  # 0 <= rem < divisor
    if mode == "floor":
        round_up = torch.zeros_like(acc, dtype=torch.bool)
    elif mode == "half_up":
        round_up = rem >= half
    elif mode == "half_away":
        round_up = (rem > half) | ((rem == half) & (acc > 0))
    else:  # half_even
        round_up = (rem > half) | ((rem == half) & (floor % 2 != 0))
    right = floor + round_up.to(torch.int64)
    return torch.where(shift > 0, right, left)


def requantize(acc, shift, mode, out_bits, out_signed, relu):
    """shift_round then clamp to the output type, with an optional fused ReLU (§4-§6)."""
    lo, hi = act_range(out_bits, out_signed)
    if relu:
        lo = max(lo, 0)
    return shift_round(acc, shift, mode).clamp(lo, hi)
