"""The CNN layer kinds of the integer model against docs/datapath.md §10-§15 and the
.skm version 2 writer against docs/model-format.md: expected values are the spec's
worked examples (transcribed by hand) and a deliberately naive loop-by-loop
transcription of the §11-§14 formulas, never the code under test."""

import struct
import zlib

import pytest
import torch

from shiftkit import IntLayer, IntModel, ModelError, golden, skm
from shiftkit.arith import requantize
from shiftkit.intmodel import INPUT

MODES = ["floor", "half_up", "half_away", "half_even"]


def conv_layer(weights, bias, in_shape, kernel, stride=(1, 1), padding=(0, 0, 0, 0), groups=1, w_exp=(0,), **kw):
    return IntLayer(weights=torch.tensor(weights), bias=torch.tensor(bias), w_exp=torch.tensor(w_exp), kind="conv2d",
                    in_shape=in_shape, kernel=kernel, stride=stride, padding=padding, groups=groups, **kw)


def hwc(rows):
    """A [H][W][C] nested list as one HWC sample [1, H*W*C]."""
    return torch.tensor(rows).reshape(1, -1)


# §10 example map 2x2x2: (0,0)=[1,-1] (0,1)=[2,3] (1,0)=[-4,5] (1,1)=[6,0]
MAP_2X2X2 = [[[1, -1], [2, 3]], [[-4, 5], [6, 0]]]


def test_hwc_layout_example():
    assert hwc(MAP_2X2X2).tolist() == [[1, -1, 2, 3, -4, 5, 6, 0]]


@pytest.mark.parametrize("mode,expected", [("half_even", [1, 0, 1, 7]), ("floor", [0, 0, 0, 7]),
                                           ("half_up", [1, 1, 1, 7]), ("half_away", [1, 1, 1, 7])])
def test_conv_worked_example(mode, expected):
    """§11: 3x3x1 input, 3x3 kernel, stride 2, padding 1 everywhere, s = 2, 4-bit out."""
    w = [[[[1], [0], [-1]], [[2], [1], [0]], [[0], [-1], [1]]]]
    layer = conv_layer(w, [1], (3, 3, 1), (3, 3), (2, 2), (1, 1, 1, 1), w_exp=[-2], out_bits=4, out_signed=True,
                       out_exp=-1, rounding=mode)
    model = IntModel(8, True, -1, [layer])
    model.validate()
    trace = []
    out = model(hwc([[[1], [2], [3]], [[4], [5], [6]], [[7], [8], [9]]]), trace)
    assert trace[0][0].tolist() == [[3, 2, 3, 31]]
    assert model.shifts(0).tolist() == [2]
    assert out.tolist() == [expected]


def test_depthwise_worked_example():
    w = [[[[1], [1]], [[1], [1]]], [[[1], [-1]], [[-1], [1]]]]
    layer = conv_layer(w, [0, 0], (2, 2, 2), (2, 2), groups=2, w_exp=[0], out_bits=8, out_signed=True, out_exp=1,
                       rounding="half_away")
    model = IntModel(8, True, 0, [layer])
    trace = []
    assert model(hwc(MAP_2X2X2), trace).tolist() == [[3, -5]]
    assert trace[0][0].tolist() == [[5, -9]]


MAXPOOL_IN = [[1, -3, 2, 0], [-5, -2, 7, 5], [0, 0, -8, -1], [3, -5, -7, -9]]


def pool_input():
    return torch.tensor(MAXPOOL_IN).reshape(1, 16)


@pytest.mark.parametrize("relu,expected", [(False, [1, 7, 3, -1]), (True, [1, 7, 3, 0])])
def test_maxpool_worked_example(relu, expected):
    layer = IntLayer(kind="maxpool", in_shape=(4, 4, 1), kernel=(2, 2), stride=(2, 2), w_bits=0, out_bits=8,
                     out_signed=True, out_exp=-3, rounding="floor", relu=relu)
    model = IntModel(8, True, -3, [layer])
    model.validate()
    trace = []
    assert model(pool_input(), trace).tolist() == [expected]
    assert trace[0][0].tolist() == [[1, 7, 3, -1]]  # the traced accumulator is m


@pytest.mark.parametrize("mode,relu,expected", [
    ("floor", False, [-3, 3, -1, -7]), ("half_up", False, [-2, 4, 0, -6]), ("half_away", False, [-2, 4, -1, -6]),
    ("half_even", False, [-2, 4, 0, -6]), ("half_even", True, [0, 4, 0, 0])])
def test_avgpool_worked_example(mode, relu, expected):
    layer = IntLayer(kind="avgpool", in_shape=(4, 4, 1), kernel=(2, 2), stride=(2, 2), w_bits=0, out_bits=8,
                     out_signed=True, out_exp=-3, rounding=mode, relu=relu)
    model = IntModel(8, True, -3, [layer])
    model.validate()
    trace = []
    assert model(pool_input(), trace).tolist() == [expected]
    assert trace[0][0].tolist() == [[-9, 14, -2, -25]]
    assert model.shifts(0).tolist() == [2]


def test_global_avgpool_worked_example():
    layer = IntLayer(kind="avgpool", in_shape=(2, 2, 2), kernel=(2, 2), stride=(1, 1), w_bits=0, out_bits=8,
                     out_signed=True, out_exp=-2, rounding="half_up")
    assert IntModel(8, True, -2, [layer])(hwc(MAP_2X2X2)).tolist() == [[1, 2]]


@pytest.mark.parametrize("mode,expected", [("floor", [4, -8, 31, -32]), ("half_up", [5, -7, 31, -32]),
                                           ("half_away", [5, -8, 31, -32]), ("half_even", [4, -8, 31, -32])])
def test_add_worked_example(mode, expected):
    """§14: a s8 at -3 (layer 0's output), b s4 at -1 (the network input), s = 1, s6 out.
    The model around it fixes the exponents and types; the add layer is evaluated on
    the example's a and b."""
    a, b = [5, -7, 100, -128], [1, -2, 7, -8]
    layer0 = IntLayer(weights=torch.zeros(1, 1, 1, 1, dtype=torch.int64), bias=torch.tensor([0]), w_exp=torch.tensor([-2]),
                      kind="conv2d", in_shape=(1, 4, 1), kernel=(1, 1), out_bits=8, out_signed=True, out_exp=-3)
    add = IntLayer(kind="add", in_shape=(1, 4, 1), src=INPUT, w_bits=0, out_bits=6, out_signed=True, out_exp=-2,
                   rounding=mode)
    model = IntModel(4, True, -1, [layer0, add])
    model.validate()
    acc, y = add.forward(torch.tensor([a]), -3, (torch.tensor([b]), -1))
    assert acc.tolist() == [[9, -15, 128, -160]]
    assert y.tolist() == [expected]
    assert model.shifts(1).tolist() == [1]


# model-format.md "Worked examples", version 2, payload byte for byte.
V2_PAYLOAD = bytes.fromhex("".join("""
02000000 0801f900
04000000 01000000 08080103 00fb0100
03000300 01000200 02000100 01000000
00000000 00000100 00000000
fa000000
0a000000
01fe03fc
00000000 01000000 00080100 00fb0200
02000200 01000200 02000100 01000000
00000000 00000000 00000000
""".split()))


def v2_worked_model():
    conv = conv_layer([[[[1], [-2]], [[3], [-4]]]], [10], (3, 3, 1), (2, 2), w_exp=[-6], w_bits=8, out_bits=8,
                      out_signed=True, out_exp=-5, rounding="half_even")
    pool = IntLayer(kind="maxpool", in_shape=(2, 2, 1), kernel=(2, 2), stride=(1, 1), w_bits=0, out_bits=8,
                    out_signed=True, out_exp=-5, rounding="floor")
    return IntModel(8, True, -7, [conv, pool])


def test_v2_worked_example_bytes():
    assert len(V2_PAYLOAD) == 108
    data = skm.encode(v2_worked_model())
    assert data == struct.pack("<8sIIII", b"SKMODEL\0", 2, 108, zlib.crc32(V2_PAYLOAD), 0) + V2_PAYLOAD
    assert v2_worked_model().shifts(0).tolist() == [8]


def test_v2_decode_round_trip():
    model = skm.decode(skm.encode(v2_worked_model()))
    assert [layer.kind for layer in model.layers] == ["conv2d", "maxpool"]
    assert model.layers[0].weights.tolist() == [[[[1], [-2]], [[3], [-4]]]]
    assert skm.encode(model) == skm.encode(v2_worked_model())


def patched(data, offset, value_bytes):
    """The image with payload bytes at `offset` replaced and the CRC fixed."""
    payload = bytearray(data[24:])
    payload[offset:offset + len(value_bytes)] = value_bytes
    return data[:16] + struct.pack("<I", zlib.crc32(payload)) + data[20:24] + bytes(payload)


@pytest.mark.parametrize("offset,value,message", [
    (8 + 14, b"\x05", "kind=5"),                      # kind above 4
    (8 + 16 + 26, b"\x01\x00", "unused geometry"),    # conv2d reserved geometry field
    (8 + 16 + 24, b"\x01\x00", "unused geometry"),    # conv2d src must be 0
    (8 + 16 + 22, b"\x02\x00", "groups=2"),           # groups neither 1 nor in_c
    (8 + 16 + 4, b"\x02\x00", "inconsistent"),        # in_c 2 but k = 4
    (8 + 56 + 8, b"\x08", "no weights"),              # maxpool w_bits must be 0
    (8 + 56 + 11, b"\x01", "rounding be floor"),      # maxpool rounding
    (8 + 56 + 13, b"\xfa", "equal its input"),        # maxpool e_out differs
    (8 + 56 + 16, b"\x03\x00", "differs from the previous output"),  # maxpool in_h 3
    (8 + 16 + 14, b"\x02\x00", "padding"),           # pad_top 2 >= kernel 2
])
def test_v2_malformed_fields_are_clear_errors(offset, value, message):
    with pytest.raises(ModelError, match=message):
        skm.decode(patched(skm.encode(v2_worked_model()), offset, value))


def test_dense_only_models_stay_version_1():
    layer = IntLayer(weights=torch.tensor([[3, -4]]), bias=torch.tensor([10]), w_exp=torch.tensor([-6]), w_bits=8,
                     out_bits=8, out_signed=True, out_exp=-5, rounding="half_even")
    assert skm.encode(IntModel(8, True, -7, [layer]))[8:12] == b"\x01\x00\x00\x00"


# ---- naive transcription of the §11-§14 formulas ----

def naive_conv(x, layer):
    """acc[oy][ox][co] by the §11 formula, element by element (x: one HWC sample)."""
    h, w, cin = layer.in_shape
    kh, kw = layer.kernel
    sh, sw = layer.stride
    pt, pl, pb, pr = layer.padding
    cout, g = layer.weights.shape[0], layer.groups
    cg = cin // g
    oh, ow = (h + pt + pb - kh) // sh + 1, (w + pl + pr - kw) // sw + 1
    xs = x.tolist()
    ws = layer.weights.tolist()
    out = []
    for oy in range(oh):
        for ox in range(ow):
            for co in range(cout):
                grp = co // (cout // g)
                acc = int(layer.bias[co])
                for ky in range(kh):
                    for kx in range(kw):
                        y, xx = oy * sh + ky - pt, ox * sw + kx - pl
                        if 0 <= y < h and 0 <= xx < w:
                            for ci in range(cg):
                                acc += xs[(y * w + xx) * cin + grp * cg + ci] * ws[co][ky][kx][ci]
                out.append(acc)
    return out


def naive_window(x, layer, op):
    h, w, c = layer.in_shape
    kh, kw = layer.kernel
    sh, sw = layer.stride
    xs = x.tolist()
    out = []
    for oy in range((h - kh) // sh + 1):
        for ox in range((w - kw) // sw + 1):
            for ch in range(c):
                vals = [xs[((oy * sh + ky) * w + ox * sw + kx) * c + ch] for ky in range(kh) for kx in range(kw)]
                out.append(op(vals))
    return out


CONV_CASES = [
    # in_shape, kernel, stride, padding (t, l, b, r), groups, cout
    ((5, 7, 3), (3, 3), (1, 1), (1, 1, 1, 1), 1, 4),
    ((7, 5, 2), (3, 2), (2, 2), (2, 1, 0, 0), 1, 3),   # odd sizes, stride 2, top/left padding only
    ((6, 6, 4), (3, 3), (2, 1), (0, 0, 2, 2), 4, 4),   # depthwise, bottom/right padding only
    ((4, 4, 5), (1, 1), (1, 1), (0, 0, 0, 0), 1, 6),   # per-pixel dense
    ((5, 3, 2), (5, 3), (1, 1), (0, 0, 0, 0), 1, 2),   # whole-map kernel: 1x1 output
    ((9, 9, 3), (3, 3), (2, 2), (1, 1, 1, 1), 3, 3),   # depthwise, stride 2, padding everywhere
]


@pytest.mark.parametrize("case", CONV_CASES)
@pytest.mark.parametrize("mode", MODES)
def test_conv_equals_naive_formula(case, mode):
    in_shape, kernel, stride, padding, groups, cout = case
    torch.manual_seed(CONV_CASES.index(case) * 4 + MODES.index(mode))
    cg = in_shape[2] // groups
    weights = torch.randint(-7, 8, (cout, *kernel, cg))
    layer = conv_layer(weights.tolist(), torch.randint(-40, 40, (cout,)).tolist(), in_shape, kernel, stride, padding,
                       groups, w_exp=torch.randint(-2, 1, (cout,)).tolist(), w_bits=4, out_bits=5, out_signed=True,
                       out_exp=0, rounding=mode, per_channel=True)
    model = IntModel(6, True, -1, [layer])
    model.validate()
    x = torch.randint(-32, 32, (6, in_shape[0] * in_shape[1] * in_shape[2]))
    trace = []
    out = model(x, trace)
    shifts = model.shifts(0).tolist()
    ties = 0
    for b in range(len(x)):
        acc = naive_conv(x[b], layer)
        assert trace[0][0][b].tolist() == acc
        want = [int(requantize(torch.tensor(a), shifts[i % cout], mode, 5, True, False)) for i, a in enumerate(acc)]
        assert out[b].tolist() == want
        ties += sum(1 for i, a in enumerate(acc) if shifts[i % cout] > 0 and a % 2 ** shifts[i % cout] == 2 ** (shifts[i % cout] - 1))
    assert ties > 0  # the exponents make rounding ties happen
    assert torch.equal(golden.infer(model, x), out)


@pytest.mark.parametrize("kind", ["maxpool", "avgpool"])
@pytest.mark.parametrize("geom", [((5, 7, 3), (2, 2), (2, 2)), ((6, 5, 2), (4, 2), (1, 3)), ((4, 4, 2), (4, 4), (1, 1))])
def test_pooling_equals_naive_formula(kind, geom):
    in_shape, kernel, stride = geom
    torch.manual_seed(7)
    x = torch.randint(-128, 128, (5, in_shape[0] * in_shape[1] * in_shape[2]))
    for mode in MODES:
        for relu in (False, True):
            layer = IntLayer(kind=kind, in_shape=in_shape, kernel=kernel, stride=stride, w_bits=0, out_bits=8,
                             out_signed=True, out_exp=-2, rounding="floor" if kind == "maxpool" else mode, relu=relu)
            model = IntModel(8, True, -2, [layer])
            model.validate()
            out = model(x)
            k = (kernel[0] * kernel[1]).bit_length() - 1
            for b in range(len(x)):
                if kind == "maxpool":
                    want = [max(v, 0) if relu else v for v in naive_window(x[b], layer, max)]
                else:
                    want = [int(requantize(torch.tensor(v), k, mode, 8, True, relu))
                            for v in naive_window(x[b], layer, sum)]
                assert out[b].tolist() == want


def test_validation_names_the_broken_cnn_rule():
    base = v2_worked_model()
    base.layers[1].out_exp = -4
    with pytest.raises(ModelError, match="maxpool's output type and exponent"):
        base.validate()
    base = v2_worked_model()
    base.layers[1].in_shape = (2, 1, 2)
    with pytest.raises(ModelError, match="differs from the previous output shape"):
        base.validate()
    avg = IntLayer(kind="avgpool", in_shape=(3, 3, 1), kernel=(3, 1), w_bits=0, out_exp=0)
    with pytest.raises(ModelError, match="not a power of two"):
        IntModel(8, True, 0, [avg]).validate()
    add = IntLayer(kind="add", in_shape=(1, 1, 2), src=0, w_bits=0, out_exp=0)
    with pytest.raises(ModelError, match="src=0 must name"):
        IntModel(8, True, 0, [add]).validate()
    conv = conv_layer([[[[1]]]], [0], (1, 1, 1), (1, 1), w_exp=[0], out_exp=0)
    add = IntLayer(kind="add", in_shape=(1, 1, 1), src=INPUT, w_bits=0, out_exp=-20)
    model = IntModel(8, True, -40, [conv, add])  # input at -40, conv output at 0: alignment 40 > 31
    conv.w_exp = torch.tensor([20])
    with pytest.raises(ModelError, match="differ too much"):
        model.validate()


def test_c_generated_cnn_models_decode_and_run_identically(shiftkit_cli, tmp_path):
    """CNN models written by the C writer (`shiftkit gen --cnn`: odd sizes, padding on
    every border, stride 2, depthwise, pooling, residual adds with ties after
    alignment) decode to networks whose Python integer forward gives the golden
    expected outputs, and re-encode to the same bytes."""
    import subprocess

    import numpy as np
    subprocess.run([str(shiftkit_cli), "gen", "--cnn", "--seed", "9", "--count", "40", "-o", str(tmp_path)],
                   check=True, capture_output=True)
    cases = sorted(tmp_path.glob("case_*"))
    assert len(cases) == 40
    kinds = set()
    for case in cases:
        data = (case / "model.skm").read_bytes()
        model = skm.decode(data, str(case))
        kinds |= {layer.kind for layer in model.layers}
        assert skm.encode(model) == data, case.name
        x = torch.from_numpy(np.load(case / "input.npy").astype(np.int64))
        expected = torch.from_numpy(np.load(case / "expected.npy").astype(np.int64))
        assert torch.equal(model(x), expected.reshape(expected.shape[0], -1)), case.name
    assert kinds >= {"conv2d", "maxpool", "avgpool", "add"}
