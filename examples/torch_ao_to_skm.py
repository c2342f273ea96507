"""Take an existing eager-mode torch.nn model to shift hardware through torch.ao.

    PYTHONPATH=qat /usr/bin/python3 examples/torch_ao_to_skm.py [OUT_DIR]

Trains a small MLP on scikit-learn digits, runs prepare_qat -> QAT -> convert with
shiftkit's power-of-two QConfig, exports the converted model with to_skm, writes test
vectors, and compares torch's quantized engine with the golden model (docs/qat.md).
Needs build/lib/libshiftkit.so (`make lib`).
"""

import sys
from pathlib import Path

import torch
from torch import nn
from torch.ao.quantization import DeQuantStub, QuantStub, convert, fuse_modules_qat, prepare_qat

from shiftkit import data, export_vectors, golden, torch_ao


class DigitsMLP(nn.Module):
    """The user's model: QuantStub -> Linear/ReLU ... -> DeQuantStub."""

    def __init__(self):
        super().__init__()
        self.quant = QuantStub()
        self.fc1, self.relu1 = nn.Linear(64, 64), nn.ReLU()
        self.fc2 = nn.Linear(64, 10)
        self.dequant = DeQuantStub()

    def forward(self, x):
        return self.dequant(self.fc2(self.relu1(self.fc1(self.quant(x)))))


def fit(model, ds, epochs, lr):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(epochs):
        for i in range(0, len(ds.x_train), 64):
            loss = nn.functional.cross_entropy(model(ds.x_train[i:i + 64]), ds.y_train[i:i + 64])
            opt.zero_grad()
            loss.backward()
            opt.step()


def main(out_dir):
    torch.manual_seed(0)
    torch.backends.quantized.engine = "qnnpack"  # Debian's torch has no fbgemm
    ds = data.load("digits")
    model = DigitsMLP().train()
    fit(model, ds, epochs=20, lr=1e-2)  # float training (or load your trained weights)

    model = fuse_modules_qat(model, [["fc1", "relu1"]])
    model.qconfig = torch_ao.get_pot_qat_qconfig(per_channel=True, weight_bits=8, act_bits=8)
    prepare_qat(model, inplace=True)
    fit(model, ds, epochs=5, lr=2e-3)  # QAT fine-tuning
    converted = convert(model.eval())

    out_dir.mkdir(parents=True, exist_ok=True)
    int_model = torch_ao.to_skm(converted, out_dir / "model.skm", rounding="half_even")
    x_int, torch_out = torch_ao.torch_integer_io(converted, ds.x_test)
    golden_out = golden.infer(int_model, x_int)
    export_vectors(int_model, x_int, out_dir / "vectors")
    accuracy = float((golden_out.argmax(dim=1) == ds.y_test).float().mean()) * 100
    print(f"golden accuracy {accuracy:.2f}%; torch engine vs golden: "
          f"{int((golden_out != torch_out).sum())} of {golden_out.numel()} outputs differ")
    print(f"check another backend: build/bin/shiftkit check {out_dir}/model.skm {out_dir}/vectors/input.npy "
          f"{out_dir}/vectors/expected.npy --backend device")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "build/examples/torch_ao_digits"))
