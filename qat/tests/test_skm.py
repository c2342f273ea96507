"""The .skm reader/writer against docs/model-format.md (worked example bytes), the C
writer (`shiftkit gen` models decoded and run in Python must give the golden
expected outputs) and malformed files (clear ModelError)."""

import struct
import subprocess
import zlib

import numpy as np
import pytest
import torch

from shiftkit import IntLayer, IntModel, ModelError, golden, skm

# model-format.md "Worked example" payload, byte for byte.
WORKED_PAYLOAD = bytes.fromhex(
    "01000000 0801f900"
    "02000000 01000000 08080103 00fb0000"
    "fa000000"
    "0a000000"
    "03fc0000".replace(" ", ""))


def worked_model():
    layer = IntLayer(weights=torch.tensor([[3, -4]]), bias=torch.tensor([10]), w_exp=torch.tensor([-6]), w_bits=8,
                     out_bits=8, out_signed=True, out_exp=-5, rounding="half_even")
    return IntModel(in_bits=8, in_signed=True, in_exp=-7, layers=[layer])


def test_worked_example_bytes():
    data = skm.encode(worked_model())
    header = struct.pack("<8sIIII", b"SKMODEL\0", 1, len(WORKED_PAYLOAD), zlib.crc32(WORKED_PAYLOAD), 0)
    assert data == header + WORKED_PAYLOAD
    assert worked_model().shifts(0).tolist() == [8]


def same_model(a, b):
    assert (a.in_bits, a.in_signed, a.in_exp) == (b.in_bits, b.in_signed, b.in_exp)
    for x, y in zip(a.layers, b.layers, strict=True):
        for field in ("w_bits", "out_bits", "out_signed", "out_exp", "rounding", "relu", "raw_output", "per_channel"):
            assert getattr(x, field) == getattr(y, field), field
        for field in ("weights", "bias", "w_exp"):
            assert torch.equal(getattr(x, field).to(torch.int64), getattr(y, field).to(torch.int64)), field


def test_round_trip_through_file(tmp_path):
    model = worked_model()
    model.layers.append(IntLayer(weights=torch.tensor([[1], [-127], [5]]), bias=torch.tensor([-2**31 + 128, 0, 7]),
                                 w_exp=torch.tensor([-1, 0, 3]), w_bits=8, out_bits=8, out_signed=True, out_exp=0,
                                 rounding="floor", raw_output=True, per_channel=True))
    skm.save(model, tmp_path / "m.skm")
    same_model(model, skm.load(tmp_path / "m.skm"))
    assert [p.name for p in tmp_path.iterdir()] == ["m.skm"]  # no temporary left behind


def test_c_generated_models_decode_and_run_identically(shiftkit_cli, tmp_path):
    """Models written by the C writer (shiftkit gen: ties, saturation, shift edges,
    2..8 bits, raw heads) decode to networks whose Python integer forward gives the
    golden expected outputs, and re-encode to the same bytes."""
    subprocess.run([str(shiftkit_cli), "gen", "--seed", "5", "--count", "40", "-o", str(tmp_path)], check=True,
                   capture_output=True)
    cases = sorted(tmp_path.glob("case_*"))
    assert len(cases) == 40
    for case in cases:
        data = (case / "model.skm").read_bytes()
        model = skm.decode(data, str(case))
        assert skm.encode(model) == data, case.name
        x = torch.from_numpy(np.load(case / "input.npy").astype(np.int64))
        expected = torch.from_numpy(np.load(case / "expected.npy").astype(np.int64))
        assert torch.equal(model(x.reshape(x.shape[0], -1)), expected.reshape(expected.shape[0], -1)), case.name


def corrupt(data, offset, value):
    data = bytearray(data)
    data[offset] = value
    return bytes(data)


def with_crc(data):
    payload = data[24:]
    return data[:16] + struct.pack("<I", zlib.crc32(payload)) + data[20:]


@pytest.mark.parametrize("mutate,message", [
    (lambda d: d[:10], "truncated"),
    (lambda d: d[:-1], "truncated"),
    (lambda d: d + b"\0", "trailing"),
    (lambda d: corrupt(d, 0, ord("X")), "bad magic"),
    (lambda d: corrupt(d, 8, 3), "unsupported version"),
    (lambda d: corrupt(d, 30, 0xFF), "CRC"),
    (lambda d: with_crc(corrupt(d, 24 + 8 + 11, 9)), "rounding"),
    # payload: network header 8, layer record 16, w_exp 1 + pad 3, bias 4, weights
    (lambda d: with_crc(corrupt(d, 24 + 8 + 16 + 4 + 4, 0x80)), "weight\\[0\\]=-128 outside narrow 8-bit range"),
    (lambda d: with_crc(corrupt(d, 24 + 8 + 16, 0x80)), "shift 130 outside"),
    (lambda d: with_crc(corrupt(d, 24 + 8 + 16 + 1, 1)), "pad bytes"),
])
def test_malformed_files_are_clear_errors(mutate, message):
    with pytest.raises(ModelError, match=message):
        skm.decode(mutate(skm.encode(worked_model())), "bad.skm")


def test_invalid_models_are_rejected_before_writing(tmp_path):
    model = worked_model()
    model.layers[0].weights = torch.tensor([[3, -128]])
    with pytest.raises(ModelError, match="layer 0 channel 0: weight\\[1\\]=-128 outside narrow"):
        skm.save(model, tmp_path / "x.skm")
    model = worked_model()
    model.layers[0].bias = torch.tensor([2**31 - 1])
    with pytest.raises(ModelError, match="worst-case accumulator"):
        skm.save(model, tmp_path / "x.skm")
    assert not list(tmp_path.iterdir())


def test_golden_loader_agrees_on_the_bound():
    """The golden loader rejects what validate rejects: one bias step past §3."""
    model = worked_model()
    # worst case of 3*x - 4*x over int8 x: 3*127 + 4*128 = 893
    model.layers[0].bias = torch.tensor([2**31 - 1 - 893])
    golden.infer(skm.encode(model), torch.zeros(1, 2, dtype=torch.int64))
    model.layers[0].bias = torch.tensor([2**31 - 1 - 892])
    with pytest.raises(ModelError, match="worst-case accumulator"):
        model.validate()
