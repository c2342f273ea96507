"""Training CLI: float pre-training, then power-of-two QAT, export and golden check.

    python3 -m shiftkit.train --dataset digits --arch mlp --weight-bits 8 --act-bits 8 \
        --per-channel --rounding half_up --epochs 10 -o build/qat/digits
    python3 -m shiftkit.train --dataset fashion-mnist --arch cnn --per-channel -o build/qat/fashion-cnn

Architectures: mlp (Linear+ReLU hidden layers, --hidden) and cnn (per --channels
entry a 3x3 convolution with zero padding 1, fused ReLU and a 2x2 max pooling, then
Flatten, the --hidden Linear+ReLU layers (none by default) and a dense head).

Stages (one line each; per epoch a tqdm bar on a terminal and a loss/accuracy line): load data; float pre-training
(fp32_acc); stock torch.ao QAT with float scales on the same float model
(float_scale_int8_acc, the comparison); torch.ao QAT with shiftkit's PoT qconfig
(torch_ao_pot_acc, and how often torch's engine differs from the golden model);
shiftkit PoT QAT (pot_qat_acc, the PyTorch integer simulation); export model.skm and
test vectors; the golden model on the whole test set (golden_acc, golden_mismatches,
which must be 0); plots and report.json.
"""

import argparse
import copy
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
from tqdm import tqdm

from . import data as datasets
from . import exporter
from . import golden, torch_ao
from .arith import ROUNDING_CODES
from .modules import FastLinear, QuantInput, ShiftNet
from .plots import plot_curves, plot_exponents

ARCHS = ("mlp", "cnn")
DEFAULT_HIDDEN = {"digits": "64,32", "fashion-mnist": "256,128"}
DEFAULT_CHANNELS = "16,32"
EVAL_CHUNK = 2000  # samples per float evaluation batch (bounds the memory of feature maps)
DEFAULT_LR = {"digits": 1e-2, "fashion-mnist": 1e-3}
VECTOR_SAMPLES = 256  # test samples written as .npy vectors


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m shiftkit.train", description=__doc__.split("\n\n")[0])
    p.add_argument("--dataset", choices=datasets.DATASETS, default="digits")
    p.add_argument("--arch", choices=ARCHS, default="mlp")
    p.add_argument("--hidden", help="hidden dense layer widths, comma-separated (mlp default: 64,32 for digits, "
                                    "256,128 for fashion-mnist; cnn default: none)")
    p.add_argument("--channels", help=f"cnn: output channels of each conv 3x3 + ReLU + maxpool 2x2 stage, "
                                      f"comma-separated (default {DEFAULT_CHANNELS})")
    p.add_argument("--weight-bits", type=int, default=8)
    p.add_argument("--act-bits", type=int, default=8)
    p.add_argument("--per-channel", action="store_true", help="one weight exponent per output channel")
    p.add_argument("--rounding", choices=list(ROUNDING_CODES), default="half_up")
    p.add_argument("--exp-mode", choices=("stats", "learned"), default="stats",
                   help="exponents from running statistics or learned log2 thresholds (TQT)")
    p.add_argument("--epochs", type=int, default=10, help="float pre-training epochs")
    p.add_argument("--qat-epochs", type=int, help="QAT epochs (default: same as --epochs)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, help="float learning rate (default: 1e-2 for digits, 1e-3 for "
                                             "fashion-mnist); QAT uses lr / 5")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1, help="torch threads (the machine is shared)")
    p.add_argument("--vector-samples", type=int, default=VECTOR_SAMPLES,
                   help=f"test samples written as .npy vectors (default {VECTOR_SAMPLES}; 0: the whole test set)")
    p.add_argument("--skip-torch-ao", action="store_true", help="skip the two torch.ao comparison runs")
    p.add_argument("-o", "--output", required=True, help="output directory")
    args = p.parse_args(argv)
    for name in ("weight_bits", "act_bits"):
        if not 2 <= getattr(args, name) <= 8:
            p.error(f"--{name.replace('_', '-')} must be in 2..8")
    if args.vector_samples < 0:
        p.error("--vector-samples must be >= 0")
    if args.epochs < 1 or (args.qat_epochs is not None and args.qat_epochs < 1):
        p.error("epochs must be >= 1")
    args.qat_epochs = args.qat_epochs or args.epochs
    args.lr = args.lr or DEFAULT_LR[args.dataset]
    try:
        hidden = args.hidden if args.hidden is not None else DEFAULT_HIDDEN[args.dataset] if args.arch == "mlp" else ""
        args.hidden = [int(h) for h in hidden.split(",") if h]
    except ValueError:
        p.error(f"--hidden must be comma-separated integers, got {args.hidden!r}")
    if any(not 1 <= h <= 65535 for h in args.hidden):
        p.error("hidden widths must be in 1..65535")
    try:
        args.channels = [int(c) for c in (args.channels or DEFAULT_CHANNELS).split(",")]
    except ValueError:
        p.error(f"--channels must be comma-separated integers, got {args.channels!r}")
    if any(not 1 <= c <= 4096 for c in args.channels):
        p.error("conv channels must be in 1..4096")
    return args


_run_started = time.time()


def stage(text):
    print(f"[shiftkit.train {time.time() - _run_started:6.1f}s] {text}", flush=True)


def float_mlp(inputs, hidden, classes):
    layers, width = [], inputs
    for h in hidden:
        layers += [FastLinear(width, h), nn.ReLU()]
        width = h
    return nn.Sequential(*layers, FastLinear(width, classes))


def float_cnn(image_shape, channels, hidden, classes):
    """Per stage: conv 3x3 (zero padding 1) + ReLU + maxpool 2x2; then Flatten, the
    hidden Linear + ReLU layers and a dense head. Each stage halves H and W (floor)."""
    layers, (c, h, w) = [], image_shape
    for out in channels:
        layers += [nn.Conv2d(c, out, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
        c, h, w = out, h // 2, w // 2
    if h < 1 or w < 1:
        raise ValueError(f"{len(channels)} pooling stages are too many for a {image_shape[1]}x{image_shape[2]} image")
    layers.append(nn.Flatten())
    width = c * h * w
    for size in hidden:
        layers += [FastLinear(width, size), nn.ReLU()]
        width = size
    return nn.Sequential(*layers, FastLinear(width, classes))


def describe(model):
    """One line per float module, for the report."""
    return [repr(m) for m in model]


def batches(x, y, batch_size, generator):
    order = torch.randperm(len(x), generator=generator)
    for start in range(0, len(x), batch_size):
        idx = order[start:start + batch_size]
        yield x[idx], y[idx]


def train(model, ds, epochs, lr, batch_size, desc, evaluate, generator, history):
    """Adam with a cosine schedule; per epoch: mean train loss and test accuracy."""
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    steps = epochs * ((len(ds.x_train) + batch_size - 1) // batch_size)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    for epoch in range(epochs):
        model.train()
        total, count = 0.0, 0
        bar = tqdm(batches(ds.x_train, ds.y_train, batch_size, generator), desc=f"{desc} epoch {epoch + 1}/{epochs}",
                   total=(len(ds.x_train) + batch_size - 1) // batch_size, leave=False, file=sys.stderr,
                   mininterval=1.0, disable=not sys.stderr.isatty())  # a log gets the epoch line below
        for xb, yb in bar:
            loss = nn.functional.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total, count = total + float(loss) * len(xb), count + len(xb)
        acc = evaluate(model)
        history.append({"phase": desc, "epoch": epoch + 1, "loss": total / count, "test_acc": acc})
        bar.close()
        print(f"{desc} epoch {epoch + 1}/{epochs}: train loss {total / count:.4f}, test accuracy {acc:.2f}%",
              file=sys.stderr, flush=True)
    return model


def percent(pred, y):
    return round(100.0 * float((pred == y).float().mean()), 2)


@torch.no_grad()
def float_accuracy(model, x, y):
    model.eval()
    pred = torch.cat([model(x[i:i + EVAL_CHUNK]).argmax(dim=1) for i in range(0, len(x), EVAL_CHUNK)])
    return percent(pred, y)


def raw_head_predictions(int_model, outputs):
    """argmax of a raw head's accumulators, each at its exponent e_in + e_w[n] (§7):
    per-channel exponents make the real values, not the integers, comparable."""
    head = int_model.layers[-1]
    scale = torch.pow(2.0, head.w_exp.to(torch.float64).expand(head.n))
    return (outputs.to(torch.float64) * scale).argmax(dim=1)


class TorchAoWrapper(nn.Module):
    """QuantStub -> the float Sequential (Linear+ReLU and Conv2d+ReLU fused) ->
    DeQuantStub, with plain nn.Linear layers, the type prepare_qat maps."""

    def __init__(self, float_model):
        super().__init__()
        self.quant = torch.ao.quantization.QuantStub()
        self.body = copy.deepcopy(float_model)
        for i, module in enumerate(self.body):
            if isinstance(module, nn.Linear):
                plain = nn.Linear(module.in_features, module.out_features)
                plain.load_state_dict(module.state_dict())
                self.body[i] = plain
        self.dequant = torch.ao.quantization.DeQuantStub()

    def forward(self, x):
        return self.dequant(self.body(self.quant(x)))

    def fuse(self):
        names = [str(i) for i, m in enumerate(self.body)]
        pairs = [[f"body.{a}", f"body.{b}"] for a, b in zip(names, names[1:])
                 if isinstance(self.body[int(a)], (nn.Linear, nn.Conv2d)) and isinstance(self.body[int(b)], nn.ReLU)]
        return torch.ao.quantization.fuse_modules_qat(self, pairs)


def torch_ao_qat(float_model, ds, qconfig, args, desc, generator, history):
    """eager-mode prepare_qat -> train -> convert on the qnnpack engine."""
    torch.backends.quantized.engine = "qnnpack"
    model = TorchAoWrapper(float_model).train().fuse()
    model.qconfig = qconfig
    torch.ao.quantization.prepare_qat(model, inplace=True)
    train(model, ds, args.qat_epochs, args.lr / 5, args.batch_size, desc,
          lambda m: float_accuracy(m, ds.x_test, ds.y_test), generator, history)
    model.eval()
    return torch.ao.quantization.convert(model)


def stock_float_scale_qconfig(per_channel):
    """torch.ao's own QAT qconfig (float scales, ties to even), the comparison."""
    from torch.ao.quantization import fake_quantize as fq
    weight = fq.default_fused_per_channel_wt_fake_quant if per_channel else fq.default_fused_wt_fake_quant
    return torch.ao.quantization.QConfig(activation=fq.default_fused_act_fake_quant, weight=weight)


def main(argv=None):
    global _run_started
    args = parse_args(argv)
    start = _run_started = time.time()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    report = {"dataset": args.dataset, "arch": args.arch,
              "weight_bits": args.weight_bits, "act_bits": args.act_bits, "per_channel": args.per_channel,
              "rounding": args.rounding, "exp_mode": args.exp_mode, "seed": args.seed, "epochs": args.epochs,
              "qat_epochs": args.qat_epochs, "torch_version": torch.__version__}

    stage(f"loading {args.dataset}")
    ds = datasets.load(args.dataset, args.seed)
    report["test_samples"] = len(ds.x_test)
    history = []
    if args.arch == "cnn":
        ds.x_train, ds.x_test = (x.reshape(len(x), *ds.image_shape) for x in (ds.x_train, ds.x_test))
        float_model = float_cnn(ds.image_shape, args.channels, args.hidden, ds.classes)
        report.update(channels=args.channels, hidden=args.hidden, input_shape=list(ds.image_shape),
                      layers=describe(float_model))
    else:
        float_model = float_mlp(ds.x_train.shape[1], args.hidden, ds.classes)
        report["layers"] = [ds.x_train.shape[1]] + args.hidden + [ds.classes]

    stage(f"float pre-training ({args.arch}), {args.epochs} epochs")
    train(float_model, ds, args.epochs, args.lr, args.batch_size, "float",
          lambda m: float_accuracy(m, ds.x_test, ds.y_test), generator, history)
    report["fp32_acc"] = float_accuracy(float_model, ds.x_test, ds.y_test)
    stage(f"fp32 test accuracy {report['fp32_acc']:.2f}%")

    if not args.skip_torch_ao:
        stage("stock torch.ao QAT (float scales, the comparison)")
        converted = torch_ao_qat(float_model, ds, stock_float_scale_qconfig(args.per_channel), args,
                                 "torch.ao int8", generator, [])
        report["float_scale_int8_acc"] = float_accuracy(converted, ds.x_test, ds.y_test)

        stage("torch.ao QAT with shiftkit's power-of-two qconfig, convert, to_skm")
        qconfig = torch_ao.get_pot_qat_qconfig(args.per_channel, args.weight_bits, args.act_bits)
        converted = torch_ao_qat(float_model, ds, qconfig, args, "torch.ao PoT", generator, [])
        report["torch_ao_pot_acc"] = float_accuracy(converted, ds.x_test, ds.y_test)
        example = ds.x_test[:1]
        torch_ao.to_skm(converted, out / "torch_ao_model.skm", args.weight_bits, args.act_bits, "half_even",
                        example_input=example)
        x_int, torch_out = torch_ao.torch_integer_io(converted, ds.x_test, args.act_bits)
        report["torch_engine_vs_golden"] = {}
        for rounding in dict.fromkeys(("half_even", args.rounding)):
            ao_model = torch_ao.to_int_model(converted, args.weight_bits, args.act_bits, rounding,
                                             example_input=example)
            golden_out = golden.infer(ao_model, x_int)
            report["torch_engine_vs_golden"][rounding] = {
                "outputs": golden_out.numel(), "outputs_differ": int((golden_out != torch_out).sum()),
                "samples_differ": int((golden_out != torch_out).any(dim=1).sum()),
                "max_abs_diff": int((golden_out - torch_out).abs().max()),
                "argmax_differ": int((golden_out.argmax(dim=1) != torch_out.argmax(dim=1)).sum())}

    stage(f"shiftkit power-of-two QAT, {args.qat_epochs} epochs, w{args.weight_bits}/a{args.act_bits}, "
          f"{'per-channel' if args.per_channel else 'per-tensor'}, {args.rounding}, {args.exp_mode} exponents")
    net = ShiftNet.from_float(float_model, QuantInput(8, signed=False, mode="fixed", fixed_exp=ds.in_exp),
                              w_bits=args.weight_bits, act_bits=args.act_bits, per_channel=args.per_channel,
                              rounding=args.rounding, raw_head=True, mode=args.exp_mode,
                              input_shape=ds.image_shape if args.arch == "cnn" else None)
    net.calibrate(ds.x_train[i:i + 256] for i in range(0, min(len(ds.x_train), 2048), 256))

    def pot_accuracy(model):
        model.eval()
        int_model = model.integer_model()
        return percent(raw_head_predictions(int_model, int_model(model.input_to_int(ds.x_test))), ds.y_test)

    train(net, ds, args.qat_epochs, args.lr / 5, args.batch_size, "PoT QAT", pot_accuracy, generator, history)
    net.eval()
    int_model = net.integer_model()
    report["pot_qat_acc"] = pot_accuracy(net)
    stage(f"PoT QAT test accuracy (integer simulation) {report['pot_qat_acc']:.2f}%")

    stage("export model.skm and test vectors, run the golden model on the whole test set")
    exporter.export(int_model, out / "model.skm")
    vector_count = args.vector_samples or len(ds.x_test)
    try:
        exporter.export_vectors(int_model, net.input_to_int(ds.x_test[:vector_count]), out / "vectors")
        bad, golden_out, _ = exporter.golden_mismatches(int_model, net.input_to_int(ds.x_test))
        report["golden_acc"] = percent(raw_head_predictions(int_model, golden_out), ds.y_test)
        report["golden_mismatches"] = len(bad)
    except golden.GoldenError as e:  # e.g. a library that cannot read this model: say so, fail
        stage(f"the golden model cannot run this model: {e}")
        exporter.export_vectors(int_model, net.input_to_int(ds.x_test[:vector_count]), out / "vectors", verify=False)
        report.update(golden_acc=None, golden_mismatches=None, golden_error=str(e))
    np.save(out / "vectors" / "labels.npy", ds.y_test[:vector_count].numpy().astype(np.uint8))
    report["exponents"] = [{"kind": layer.kind, "w_exp": layer.w_exp.tolist() if layer.has_weights else None,
                            "out_exp": layer.out_exp, "shifts": int_model.shifts(i).tolist()}
                           for i, layer in enumerate(int_model.layers)]
    report["in_exp"] = int_model.in_exp

    stage("plots and report.json")
    plot_curves(history, out / "curves.png")
    plot_exponents(int_model, out / "exponents.png")
    report["history"] = history
    report["wall_time_s"] = round(time.time() - start, 1)
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    summary = {k: report.get(k) for k in ("fp32_acc", "float_scale_int8_acc", "torch_ao_pot_acc", "pot_qat_acc",
                                           "golden_acc", "golden_mismatches", "wall_time_s")}
    stage(f"done: {json.dumps(summary)} -> {out}")
    return 0 if report["golden_mismatches"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
