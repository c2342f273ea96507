#!/usr/bin/env python3
"""shiftkit demo: train a power-of-two network and run it bit-exactly on every rung.

    make demo                                  # digits MLP (the embedded default)
    DATASET=fashion-mnist make demo            # the same on Fashion-MNIST
    DATASET=fashion-mnist ARCH=cnn make demo   # a small CNN (conv, maxpool, dense head)
    ARCH=cnn DEMO_ARGS="--epochs 1 --qat-epochs 1 --samples 200" make demo   # a quick check

The Fashion-MNIST CNN costs about 160k core cycles per sample (the dense MLP about
14k): measured, 50 ms per sample on the rtl rung and 200 ms on sc-rtl, so the whole
test set (10,000) takes over an hour of simulation on top of the training; --samples N
runs the first N test samples on every rung.

Stages, each printing one line when it starts and its result when it ends:
  1. train    PoT QAT with the PyTorch trainer; export model.skm and the whole test
              set as integer vectors (input.npy, the trainer's integer simulation as
              expected.npy, labels.npy)
  2. rungs    the whole test set (or its first --samples) through every backend that
              is built: golden (C), device (C device model through the driver), rtl
              (Verilated RTL through the driver), sc-tlm / sc-rtl (SystemC); every
              output is compared with the golden model's, whole tensors, and with the
              trainer's. A CNN takes the same paths: the driver loads its conv2d and
              pooling layers as EXT layers (docs/regmap.md)
  3. layers   each layer alone on the RTL, on its real inputs, for cycles, MACs and
              utilization per layer from the core's own counters (an add layer reads
              a second tensor and is not run alone)
  4. report   build/demo/report.{json,md,html} with plots (confusion matrix, training
              curves, exponents and shifts)

Exit status 0 only if every rung matched on every sample.
"""
import argparse
import base64
import datetime
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RUNGS = ["golden", "device", "rtl", "sc-tlm", "sc-rtl"]
# Hidden widths per data set. Fashion-MNIST's 784-128-64-10 needs 13,648 weight rows at
# LANES=8, inside the default core's 16,384 (docs/regmap.md); the trainer's own
# default 256,128 would not fit the simulated device.
HIDDEN = {"digits": "64,32", "fashion-mnist": "128,64"}
# ARCH=cnn: conv 1->16 3x3 + ReLU, maxpool 2, conv 16->32 3x3 + ReLU, maxpool 2, dense
# -> 64 + ReLU, dense -> 10 (Fashion-MNIST: 105,744 weights, inside the default core's
# 16,384 rows x 8 lanes). The same configuration as fashion_cnn_w8a8_per_channel of
# `make qat-bench`.
CNN_CHANNELS = "16,32"
CNN_HIDDEN = "64"
_started = time.time()


def say(text):
    print(f"[demo {time.time() - _started:6.1f}s] {text}", flush=True)


def run(cmd, env=None, capture=True):
    """Run a command; on failure print its output and raise."""
    proc = subprocess.run([str(c) for c in cmd], env=env, text=True,
                          stdout=subprocess.PIPE if capture else None,
                          stderr=subprocess.PIPE if capture else None)
    if proc.returncode != 0:
        if capture:
            sys.stderr.write(proc.stdout or "")
            sys.stderr.write(proc.stderr or "")
        raise RuntimeError(f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}")
    return proc


def python_env(args):
    env = dict(os.environ)
    env.update(PYTHONPATH=str(ROOT / "qat"), SHIFTKIT_LIB=str(args.lib), SHIFTKIT_CLI=str(args.shiftkit),
               OMP_NUM_THREADS="1", MPLBACKEND="Agg")
    return env


def stage_train(args, out):
    train_dir = out / "train"
    shape = ["--channels", CNN_CHANNELS, "--hidden", CNN_HIDDEN, "--batch-size", "128",
             "--lr", "2e-3"] if args.arch == "cnn" else ["--hidden", HIDDEN[args.dataset]]
    qat = ["--qat-epochs", str(args.qat_epochs)] if args.qat_epochs else []
    cmd = [args.python, "-m", "shiftkit.train", "--dataset", args.dataset, "--arch", args.arch,
           "--weight-bits", "8", "--act-bits", "8", "--per-channel", "--rounding", args.rounding,
           *shape, "--epochs", str(args.epochs), *qat, "--vector-samples", str(args.samples),
           "--skip-torch-ao", "-o", train_dir]
    say(f"train: {args.dataset} {args.arch}, 8/8-bit per-channel PoT QAT, {args.rounding} "
        f"({args.epochs} epochs{f', {args.qat_epochs} QAT' if args.qat_epochs else ''}; "
        f"{'the whole test set' if args.samples == 0 else f'{args.samples} test samples'} as vectors) ...")
    t0 = time.time()
    run(cmd, env=python_env(args), capture=False)  # the trainer prints its own progress
    report = json.loads((train_dir / "report.json").read_text())
    say(f"train: fp32 {report['fp32_acc']:.2f}%, PoT QAT {report['pot_qat_acc']:.2f}%, "
        f"golden {report['golden_acc']:.2f}%, trainer vs golden mismatches "
        f"{report['golden_mismatches']} ({time.time() - t0:.1f} s)")
    return train_dir, report, time.time() - t0


def backend_available(args, rung):
    return rung == "golden" or (Path(args.shiftkit).parent / f"shiftkit-{rung}").exists()


def first_mismatch(got, want):
    """Mismatching samples and the first one's flat output index (an NHWC output is
    compared in file order)."""
    got, want = got.reshape(len(got), -1), want.reshape(len(want), -1)
    bad = np.nonzero((got != want).any(axis=1))[0]
    if len(bad) == 0:
        return 0, None
    s = int(bad[0])
    c = int(np.nonzero(got[s] != want[s])[0][0])
    return len(bad), {"sample": s, "index": c, "got": int(got[s, c]), "want": int(want[s, c])}


def stage_rungs(args, out, vectors):
    """The whole test set through every built backend; compare with golden."""
    model, inputs = vectors.parent / "model.skm", vectors / "input.npy"
    expected = np.load(vectors / "expected.npy").astype(np.int64)
    labels = np.load(vectors / "labels.npy")
    results, golden = {}, None
    for rung in RUNGS:
        if not backend_available(args, rung):
            say(f"rung {rung}: not built, skipped")
            continue
        say(f"rung {rung}: {len(labels)} samples ...")
        dest = out / f"out_{rung}.npy"
        t0 = time.time()
        proc = run([args.shiftkit, "run", model, inputs, "-o", dest, "--backend", rung])
        wall = time.time() - t0
        got = np.load(dest).astype(np.int64)
        if rung == "golden":
            golden = got
        mismatches, first = first_mismatch(got, golden)
        vs_trainer, _ = first_mismatch(got, expected)
        acc = float((got.argmax(axis=1) == labels).mean() * 100)
        res = {"samples": int(len(got)), "mismatches_vs_golden": mismatches, "first_mismatch": first,
               "mismatches_vs_trainer": vs_trainer, "accuracy": round(acc, 2), "wall_s": round(wall, 2),
               "stderr": proc.stderr.strip().splitlines()[-3:]}
        cycles = re.search(r"(\d+) simulated cycles", proc.stderr or "")
        if cycles:
            res["sim_cycles"] = int(cycles.group(1))
            res["sim_cycles_per_s"] = round(int(cycles.group(1)) / wall) if wall > 0 else None
        results[rung] = res
        say(f"rung {rung}: {mismatches} mismatches vs golden, {vs_trainer} vs the trainer, "
            f"accuracy {acc:.2f}% ({wall:.1f} s)")
    return results


def rtl_perf_line(stderr):
    m = re.search(r"(\d+) busy cycles, (\d+) MACs, (\d+) stall cycles", stderr)
    return None if not m else {"cycles": int(m.group(1)), "macs": int(m.group(2)), "stall_cycles": int(m.group(3))}


def describe(layer):
    """dense k x n; conv2d 3x3/1 14x14x16 -> 16; maxpool 2x2/2 28x28x16."""
    if layer.kind == "dense":
        return f"dense {layer.k}x{layer.n}"
    (kh, kw), (sh, _) = layer.kernel, layer.stride
    shape = "x".join(map(str, layer.in_shape))
    if layer.kind == "conv2d":
        dw = " depthwise" if layer.groups > 1 else ""
        return f"conv2d{dw} {kh}x{kw}/{sh} {shape} -> {layer.n}"
    if layer.kind == "add":
        return f"add {shape}"
    return f"{layer.kind} {kh}x{kw}/{sh} {shape}"


def stage_layers(args, out, vectors, lanes):
    """Each layer alone on the RTL on its real inputs (the golden trace), for
    per-layer cycles, MACs and utilization from the core's counters. An add layer
    reads a second, earlier tensor: it has no one-layer model and is left out."""
    sys.path.insert(0, str(ROOT / "qat"))
    from shiftkit import skm  # the package's .skm reader/writer (docs/model-format.md)
    from shiftkit.intmodel import IntModel

    model = skm.load(vectors.parent / "model.skm")
    trace = out / "trace"
    run([args.shiftkit, "run", vectors.parent / "model.skm", vectors / "input.npy", "-o", out / "trace_out.npy",
         "--trace", trace])
    layers, x_path = [], vectors / "input.npy"
    for i, layer in enumerate(model.layers):
        if layer.kind == "add":
            say(f"layer {i} ({describe(layer)}): not run alone (it also reads an earlier tensor)")
            x_path = trace / f"layer{i:02d}_out.npy"
            continue
        # Layer i alone, with its real input type and exponent (datapath §8), its input
        # in the one-layer model's shape: [batch][k] for dense, [batch][H][W][C] else.
        in_bits, in_signed = model.layer_in_type(i)
        single = IntModel(in_bits, in_signed, model.layer_in_exp(i), [layer])
        path = out / f"layer{i:02d}.skm"
        skm.save(single, path)
        x = np.load(x_path)
        x_in = out / f"layer{i:02d}_in.npy"
        np.save(x_in, x.reshape(len(x), *single.input_shape()))
        proc = run([args.shiftkit, "run", path, x_in, "-o", out / f"layer{i:02d}_rtl.npy", "--backend", "rtl"])
        perf = rtl_perf_line(proc.stderr) or {}
        got = np.load(out / f"layer{i:02d}_rtl.npy")
        want = np.load(trace / f"layer{i:02d}_out.npy")
        entry = {"layer": i, "kind": layer.kind, "shape": describe(layer), "k": layer.k, "n": layer.n,
                 "mismatches": first_mismatch(got, want)[0], **perf}
        if perf.get("cycles"):
            entry["utilization"] = round(perf["macs"] / (perf["cycles"] * lanes), 4)
        layers.append(entry)
        say(f"layer {i} ({describe(layer)}) on the RTL: {perf.get('cycles', '?')} cycles, "
            f"{perf.get('macs', '?')} MACs, utilization {entry.get('utilization', '?')}")
        x_path = trace / f"layer{i:02d}_out.npy"
    return layers


def confusion_png(labels, predictions, path, classes):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    m = np.zeros((classes, classes), dtype=int)
    for t, p in zip(labels, predictions):
        m[t, p] += 1
    fig, ax = plt.subplots(figsize=(5, 4.5))
    ax.imshow(m, cmap="Blues")
    for i in range(classes):
        for j in range(classes):
            if m[i, j]:
                ax.text(j, i, str(m[i, j]), ha="center", va="center", fontsize=7,
                        color="white" if m[i, j] > m.max() / 2 else "black")
    ax.set_xlabel("predicted (RTL)")
    ax.set_ylabel("true")
    ax.set_xticks(range(classes))
    ax.set_yticks(range(classes))
    ax.set_title("confusion matrix, integer outputs of the RTL")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return m.tolist()


def write_reports(out, report, images):
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    rows = [f"| {r} | {v['samples']} | {v['mismatches_vs_golden']} | {v['accuracy']:.2f} | {v['wall_s']} |"
            for r, v in report["rungs"].items()]
    layer_rows = [f"| {l['layer']} | {l['shape']} | {l.get('cycles', '')} | {l.get('macs', '')} | "
                  f"{l.get('utilization', '')} | {', '.join(map(str, sorted(set(l['shifts']))))} |"
                  for l in report["layers"]]
    verdict = "PASS: every rung matches the golden model on every sample" if report["pass"] else \
        "FAIL: some rung differs from the golden model"
    layer_section = ["## Layers on the RTL", "",
                     f"LANES = {report['lanes']}; utilization = MACs / (cycles x LANES), from the core's counters.", "",
                     "| layer | shape | cycles | MACs | utilization | shifts |", "|---|---|---:|---:|---:|---|",
                     *layer_rows, "",
                     f"Verilator: {report.get('verilator_cycles_per_s', 'n/a')} simulated cycles/s (whole process, "
                     "including model loading over the bus).", ""] if report["layers"] else []
    md = [f"# shiftkit demo — {report['dataset']} {report['arch']}", "",
          f"**{verdict}.** {report['samples']} test samples, generated {report['generated']}.", "",
          *([f"FP32 and PoT QAT accuracies are the trainer's, over the whole test set; the rungs ran the "
             f"first {report['samples']} samples (--samples).", ""] if report["samples_limited"] else []),
          "| accuracy | % |", "|---|---:|",
          f"| FP32 | {report['fp32_acc']:.2f} |", f"| PoT QAT (PyTorch integer simulation) | {report['pot_qat_acc']:.2f} |",
          f"| golden model (C) | {report['golden_acc']:.2f} |",
          f"| RTL | {report['rtl_acc'] if report['rtl_acc'] is not None else 'not run'} |", "",
          "## Rungs of the verification ladder", "",
          "| rung | samples | mismatches vs golden | accuracy % | wall s |", "|---|---:|---:|---:|---:|", *rows, "",
          f"Trainer integer simulation vs golden: {report['mismatches']['trainer']} mismatching samples.", "",
          *layer_section,
          "## Wall time per stage (s)", "",
          *[f"- {k}: {v}" for k, v in report["wall_s_per_stage"].items()], f"- total: {report['wall_s']}", "",
          *[f"![{name}]({name}.png)" for name in images]]
    (out / "report.md").write_text("\n".join(md) + "\n")
    body = "\n".join(md)
    # HTML: the same content, with plots embedded so the file stands alone.
    parts = []
    for line in body.splitlines():
        if line.startswith("!["):
            name = line[2:line.index("]")]
            data = base64.b64encode(images[name].read_bytes()).decode()
            parts.append(f'<p><img alt="{name}" src="data:image/png;base64,{data}"></p>')
        elif line.startswith("# "):
            parts.append(f"<h1>{html.escape(line[2:])}</h1>")
        elif line.startswith("## "):
            parts.append(f"<h2>{html.escape(line[3:])}</h2>")
        elif line.startswith("|---"):
            continue
        elif line.startswith("|"):
            cells = [html.escape(c.strip()) for c in line.strip("|").split("|")]
            parts.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        elif line:
            parts.append(f"<p>{html.escape(line).replace('**', '')}</p>")
    text, in_table = [], False
    for p in parts:
        if p.startswith("<tr>") and not in_table:
            text.append("<table>")
            in_table = True
        if not p.startswith("<tr>") and in_table:
            text.append("</table>")
            in_table = False
        text.append(p)
    if in_table:
        text.append("</table>")
    style = ("body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}"
             "td{border:1px solid #ccc;padding:2px 8px}tr:first-child td{font-weight:bold}")
    (out / "report.html").write_text(f"<!doctype html><html><head><meta charset='utf-8'><title>shiftkit demo"
                                     f"</title><style>{style}</style></head><body>{''.join(text)}</body></html>\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dataset", default=os.environ.get("DATASET", "digits"), choices=("digits", "fashion-mnist"))
    p.add_argument("--arch", default=os.environ.get("ARCH", "mlp"), choices=("mlp", "cnn"))
    p.add_argument("--epochs", type=int, help="float training epochs (default: 15 digits, 8 fashion-mnist, "
                                              "10 fashion-mnist cnn)")
    p.add_argument("--qat-epochs", type=int, help="QAT epochs (default: 2 for ARCH=cnn, as many as float for mlp)")
    p.add_argument("--samples", type=int, default=0,
                   help="test samples exported and run on every rung (default 0: the whole test set)")
    p.add_argument("--rounding", default="half_up", choices=("floor", "half_up", "half_away", "half_even"))
    p.add_argument("--shiftkit", default=str(ROOT / "build/bin/shiftkit"))
    p.add_argument("--lib", default=str(ROOT / "build/lib/libshiftkit.so"))
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--lanes", type=int, default=8, help="LANES of the simulated core")
    p.add_argument("-o", "--out", default=str(ROOT / "build/demo"))
    args = p.parse_args()
    args.epochs = args.epochs or (15 if args.dataset == "digits" else 10 if args.arch == "cnn" else 8)
    if args.qat_epochs is None and args.arch == "cnn":
        args.qat_epochs = 2
    out = Path(args.out)
    if out.exists():  # a previous run's files must not mix with this one's
        shutil.rmtree(out)
    out.mkdir(parents=True)

    walls = {}
    train_dir, train_report, train_wall = stage_train(args, out)
    walls["train"] = round(train_wall, 1)
    vectors = train_dir / "vectors"
    t0 = time.time()
    rungs = stage_rungs(args, out, vectors)
    walls["rungs"] = round(time.time() - t0, 1)
    layers = []
    if "rtl" in rungs:
        t0 = time.time()
        layers = stage_layers(args, out, vectors, args.lanes)
        walls["layers"] = round(time.time() - t0, 1)

    say("report: writing report.json, report.md, report.html ...")
    labels = np.load(vectors / "labels.npy")
    best = "rtl" if "rtl" in rungs else "golden"
    predictions = np.load(out / f"out_{best}.npy").argmax(axis=1)
    classes = int(max(labels.max(), predictions.max()) + 1)
    images = {"confusion": out / "confusion.png", "curves": train_dir / "curves.png",
              "exponents": train_dir / "exponents.png"}
    confusion = confusion_png(labels, predictions, images["confusion"], classes)
    for name in ("curves", "exponents"):
        if images[name].exists():
            (out / f"{name}.png").write_bytes(images[name].read_bytes())
            images[name] = out / f"{name}.png"
        else:
            del images[name]
    mismatches = {"trainer": int(train_report["golden_mismatches"])}
    mismatches.update({r: v["mismatches_vs_golden"] for r, v in rungs.items() if r != "golden"})
    mismatches["golden"] = rungs["golden"]["mismatches_vs_trainer"]
    for i, layer in enumerate(layers):
        layer["shifts"] = train_report["exponents"][i]["shifts"]
        mismatches[f"rtl_layer{i}"] = layer["mismatches"]
    report = {
        "dataset": args.dataset, "arch": args.arch,
        "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "fp32_acc": train_report["fp32_acc"], "pot_qat_acc": train_report["pot_qat_acc"],
        "golden_acc": rungs["golden"]["accuracy"], "rtl_acc": rungs.get("rtl", {}).get("accuracy"),
        "mismatches": mismatches, "samples": rungs["golden"]["samples"], "samples_limited": args.samples > 0,
        "pass": all(v == 0 for v in mismatches.values()),
        "lanes": args.lanes, "layers": layers, "rungs": rungs,
        "exponents": train_report["exponents"], "in_exp": train_report.get("in_exp"),
        "verilator_cycles_per_s": rungs.get("rtl", {}).get("sim_cycles_per_s"),
        "confusion_matrix": confusion, "wall_s_per_stage": walls,
        "wall_s": round(time.time() - _started, 1),
    }
    write_reports(out, report, images)
    say(f"report: {out / 'report.html'} — mismatches {json.dumps(mismatches)}; "
        f"fp32 {report['fp32_acc']:.2f}%, PoT {report['pot_qat_acc']:.2f}%, "
        f"RTL {'not run' if report['rtl_acc'] is None else str(report['rtl_acc']) + '%'}")
    return 0 if report["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
