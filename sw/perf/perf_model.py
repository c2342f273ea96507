#!/usr/bin/env python3
"""perf_model.py — the device model's cycle estimate against the RTL's own counter.

Runs every network (directories holding model.skm and input.npy) through the
unchanged driver on two backends of the shiftkit CLI — `device` (the C device model)
and an RTL backend (shiftkit-rtl, or shiftkit-sc-rtl: the Verilated RTL) — and reads
the summed PERF_CYCLES each one reports ("N busy cycles" on stderr). Both outputs are
also compared with the golden model. Writes build/reports/perf_model.json:

  {"rtl_backend": ..., "worst_rel_error": max |model - rtl| / rtl,
   "max_extra_writes": max over networks of words_written - model_words,
   "networks": [{"name", "layers": [[k, n], ...], "kinds": ["dense", "conv2d", ...],
                 "samples", "rtl_cycles", "model_cycles", "rel_error", "model_words",
                 "words_written", "skm_words"}, ...]}

model_words is the packed model in the device's layout (weight rows padded to LANES,
biases, per-channel shift words, descriptors); words_written is what the driver's
load wrote (model_words + NUM_LAYERS when every word is written once); skm_words is
the .skm file size / 4 for comparison. CNNs (conv2d, pooling, add: EXT layers) are
timed like dense networks. A model larger than the default build, refused by both
backends with the same error, is listed under "skipped". A network directory holds
model.skm and input.npy, or model.skm and vectors/input.npy (a trained model from
qat-bench).

Standard library only. Exit status 1 if a backend fails or an output differs.
"""
import argparse
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

CYCLES_RE = re.compile(r"(\d+) busy cycles")
NO_FIT = "model does not fit the device"
KINDS = ("dense", "conv2d", "maxpool", "avgpool", "add")
WORDS_RE = re.compile(r"(\d+) words written for a (\d+)-word model")


def layers_of(skm_path):
    """([[k, n], ...], [kind, ...]) from a .skm file of version 1 or 2
    (docs/model-format.md: version 2 adds a 28-byte geometry part to every layer, and
    pooling and add layers have no weights, biases or exponents)."""
    with open(skm_path, "rb") as f:
        data = f.read()
    version = struct.unpack_from("<I", data, 8)[0]
    payload = data[24:]
    num_layers = struct.unpack_from("<I", payload, 0)[0]
    off, layers, kinds = 8, [], []
    for _ in range(num_layers):
        k, n = struct.unpack_from("<II", payload, off)
        per_channel = payload[off + 12] & 4
        kind = payload[off + 14] if version >= 2 else 0
        off += 16 + (28 if version >= 2 else 0)
        if kind in (0, 1):  # dense, conv2d: exponents, biases, weights
            e = n if per_channel else 1
            off += e + (-e) % 4 + 4 * n + n * k + (-(n * k)) % 4
        layers.append([k, n])
        kinds.append(KINDS[kind] if kind < len(KINDS) else str(kind))
    return layers, kinds


def run(shiftkit, backend, model, inp, out):
    cmd = [shiftkit, "run", model, inp, "-o", out, "--backend", backend]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), p.returncode, p.stderr.strip()))
    return p.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shiftkit", required=True)
    ap.add_argument("--rtl-backend", required=True, help="rtl or sc-rtl")
    ap.add_argument("--out", required=True)
    ap.add_argument("dirs", nargs="+", help="network directories, or parents of them")
    args = ap.parse_args()

    nets = []
    for d in map(os.path.normpath, args.dirs):
        if os.path.isfile(os.path.join(d, "model.skm")):
            nets.append(d)
        elif not os.path.isdir(d):
            continue
        else:
            nets += sorted(os.path.join(d, s) for s in os.listdir(d)
                           if os.path.isfile(os.path.join(d, s, "model.skm")))
    results, skipped, failures = [], [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for net in nets:
            model, inp = os.path.join(net, "model.skm"), os.path.join(net, "input.npy")
            if not os.path.isfile(inp):
                inp = os.path.join(net, "vectors", "input.npy")
            outs = {b: os.path.join(tmp, b + ".npy") for b in ("golden", "device", "rtl")}
            name = os.path.join(os.path.basename(os.path.dirname(os.path.abspath(net))),
                                os.path.basename(net))
            errors = {}
            for backend, key in (("golden", "golden"), ("device", "device"),
                                 (args.rtl_backend, "rtl")):
                try:
                    errors[key] = run(args.shiftkit, backend, model, inp, outs[key])
                except RuntimeError as e:
                    errors[key] = e
            failed = {k: e for k, e in errors.items() if isinstance(e, RuntimeError)}
            if failed and set(failed) == {"device", "rtl"} and \
                    all(NO_FIT in str(e) for e in failed.values()):
                # both refuse a model larger than the default build: not a mismatch
                reason = str(failed["device"]).split("error: ", 1)[-1]
                skipped.append({"name": name, "reason": reason})
                print("%-40s skipped, the default build cannot run it: %s" % (name, reason))
                continue
            if failed:
                for e in failed.values():
                    print("perf-model: %s: %s" % (name, e), file=sys.stderr)
                failures += 1
                continue
            dev_err, rtl_err = errors["device"], errors["rtl"]
            golden = open(outs["golden"], "rb").read()
            for b in ("device", "rtl"):
                if open(outs[b], "rb").read() != golden:
                    print("perf-model: %s: %s outputs differ from golden" % (name, b),
                          file=sys.stderr)
                    failures += 1
            model_cycles = sum(int(c) for c in CYCLES_RE.findall(dev_err))
            rtl_cycles = sum(int(c) for c in CYCLES_RE.findall(rtl_err))
            words = WORDS_RE.search(dev_err)
            rel = abs(model_cycles - rtl_cycles) / rtl_cycles if rtl_cycles else None
            samples = re.search(r"(\d+) samples", dev_err)
            layers, kinds = layers_of(model)
            results.append({
                "name": name, "layers": layers, "kinds": kinds,
                "samples": int(samples.group(1)) if samples else None,
                "rtl_cycles": rtl_cycles, "model_cycles": model_cycles, "rel_error": rel,
                "words_written": int(words.group(1)) if words else None,
                "model_words": int(words.group(2)) if words else None,
                "skm_words": os.path.getsize(model) // 4,
            })
            print("%-40s rtl %8d  model %8d  rel %s" % (
                name, rtl_cycles, model_cycles, "%.4f" % rel if rel is not None else "n/a"))
    errors = [r["rel_error"] for r in results if r["rel_error"] is not None]
    report = {
        "generator": "sw/perf/perf_model.py",
        "rtl_backend": args.rtl_backend,
        "target": "|model_cycles - rtl_cycles| / rtl_cycles <= 0.05 on every network",
        "worst_rel_error": max(errors) if errors else None,
        "networks_within_5pct": sum(1 for e in errors if e <= 0.05),
        "max_extra_writes": max((r["words_written"] - r["model_words"] for r in results
                                 if r["words_written"] is not None), default=None),
        "networks": results,
        "skipped": skipped,
        "failures": failures,
    }
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(report, f, indent=1)
    print("perf-model: %d networks, worst_rel_error %s, %d failures -> %s" % (
        len(results), report["worst_rel_error"], failures, args.out))
    return 1 if failures or not results else 0


if __name__ == "__main__":
    sys.exit(main())
