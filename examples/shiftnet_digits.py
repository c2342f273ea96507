"""The shiftkit modules path: float model -> ShiftNet -> PoT QAT -> .skm + vectors.

    PYTHONPATH=qat /usr/bin/python3 examples/shiftnet_digits.py [OUT_DIR]

Unlike the torch.ao path, the ShiftNet's eval forward is the hardware's datapath
itself (your rounding mode, raw int32 head), so its outputs equal the golden model's
by construction; export_vectors checks that through libshiftkit (`make lib`).
"""

import sys
from pathlib import Path

import torch
from torch import nn

from shiftkit import QuantInput, ShiftNet, data, export, export_vectors


def fit(model, ds, epochs, lr):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(epochs):
        model.train()
        for i in range(0, len(ds.x_train), 64):
            loss = nn.functional.cross_entropy(model(ds.x_train[i:i + 64]), ds.y_train[i:i + 64])
            opt.zero_grad()
            loss.backward()
            opt.step()


def main(out_dir):
    torch.manual_seed(0)
    ds = data.load("digits")  # x = pixel / 16, so the integer input at exponent -4 is the pixel
    float_model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    fit(float_model, ds, epochs=20, lr=1e-2)

    net = ShiftNet.from_float(float_model, QuantInput(8, signed=False, mode="fixed", fixed_exp=ds.in_exp),
                              w_bits=4, act_bits=8, per_channel=True, rounding="floor", raw_head=True)
    net.calibrate([ds.x_train[:512]])  # seed the exponent statistics
    fit(net, ds, epochs=5, lr=2e-3)  # QAT with straight-through estimators
    net.eval()

    out_dir.mkdir(parents=True, exist_ok=True)
    export(net, out_dir / "model.skm")
    export_vectors(net, ds.x_test, out_dir / "vectors")  # raises if the golden model disagrees
    model = net.integer_model()
    head_exp = torch.pow(2.0, model.layers[-1].w_exp.to(torch.float64))  # raw head: per-channel exponents
    predictions = (model(net.input_to_int(ds.x_test)) * head_exp).argmax(dim=1)
    print(f"4-bit weights, floor rounding: accuracy {100 * float((predictions == ds.y_test).float().mean()):.2f}% "
          f"-> {out_dir}/model.skm")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "build/examples/shiftnet_digits"))
