"""`make qat-bench`: train the benchmark configurations of issue 5 and write their
accuracy figures and targets to one JSON report (default build/reports/qat.json).

    python3 -m shiftkit.bench --out build/reports/qat.json --work build/qat-bench [--only NAME ...]

Accuracies are in percent of the test set; targets are differences in points or
absolute accuracies. With --only, the named runs replace their entries in an existing
report and the other runs are kept.
"""

import argparse
import json
import sys
import time
from pathlib import Path

from . import train

CONFIGS = {
    # name: (CLI arguments, targets as (report key, reference key, allowed drop in points)
    #        or (report key, None, absolute lower bound))
    "digits_mlp_w8a8_per_channel": (
        ["--dataset", "digits", "--weight-bits", "8", "--act-bits", "8", "--per-channel", "--epochs", "30",
         "--qat-epochs", "10"],
        [("pot_qat_acc", "fp32_acc", 0.5)]),
    "digits_mlp_w4a4_per_channel_floor": (  # informational: narrow types, the cheapest rounding
        ["--dataset", "digits", "--weight-bits", "4", "--act-bits", "4", "--per-channel", "--rounding", "floor",
         "--epochs", "30", "--qat-epochs", "10", "--skip-torch-ao"],
        []),
    "fashion_mlp_w8a8_per_channel": (
        ["--dataset", "fashion-mnist", "--weight-bits", "8", "--act-bits", "8", "--per-channel", "--epochs", "10",
         "--qat-epochs", "3", "--batch-size", "128"],
        [("pot_qat_acc", "fp32_acc", 0.5), ("pot_qat_acc", "float_scale_int8_acc", 0.3)]),
    "fashion_mlp_w4a8_per_channel": (
        ["--dataset", "fashion-mnist", "--weight-bits", "4", "--act-bits", "8", "--per-channel", "--epochs", "10",
         "--qat-epochs", "3", "--batch-size", "128", "--skip-torch-ao"],
        [("pot_qat_acc", "fp32_acc", 1.5)]),
    "fashion_cnn_w8a8_per_channel": (  # issue 9: conv 1-16 3x3 + ReLU, maxpool 2, conv 16-32, maxpool 2, dense 64, 10
        ["--dataset", "fashion-mnist", "--arch", "cnn", "--channels", "16,32", "--hidden", "64", "--weight-bits", "8",
         "--act-bits", "8", "--per-channel", "--epochs", "10", "--qat-epochs", "2", "--batch-size", "128", "--lr",
         "2e-3", "--skip-torch-ao"],
        [("pot_qat_acc", None, 91.0), ("pot_qat_acc", "fp32_acc", 0.5)]),
}
SUMMARY_KEYS = ("arch", "channels", "layers", "test_samples", "golden_error", "fp32_acc", "float_scale_int8_acc", "torch_ao_pot_acc", "pot_qat_acc", "golden_acc",
                "golden_mismatches", "torch_engine_vs_golden", "weight_bits", "act_bits", "per_channel", "rounding",
                "epochs", "qat_epochs", "seed", "wall_time_s")


def main(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m shiftkit.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default="build/reports/qat.json")
    p.add_argument("--work", default="build/qat-bench", help="directory for each run's outputs")
    p.add_argument("--only", action="append", choices=list(CONFIGS), help="run only these configurations")
    args = p.parse_args(argv)
    started = time.time()
    runs = {}
    if args.only and Path(args.out).exists():
        runs = json.loads(Path(args.out).read_text()).get("runs", {})
    for name in args.only or CONFIGS:
        cli_args, targets = CONFIGS[name]
        run_dir = Path(args.work) / name
        print(f"[shiftkit.bench] {name}", flush=True)
        train.main(cli_args + ["-o", str(run_dir)])
        report = json.loads((run_dir / "report.json").read_text())
        checks = []
        for key, ref, value in targets:
            bound = round(report[ref] - value, 2) if ref else value
            checks.append({"target": f"{key} >= {ref} - {value}" if ref else f"{key} >= {value}",
                           "value": report[key], "bound": bound, "met": report[key] >= bound})
        checks.append({"target": "golden_mismatches == 0", "value": report["golden_mismatches"], "bound": 0,
                       "met": report["golden_mismatches"] == 0})
        runs[name] = {"args": cli_args, **{k: report.get(k) for k in SUMMARY_KEYS}, "targets": checks,
                      "output_dir": str(run_dir)}
    all_met = all(c["met"] for run in runs.values() for c in run["targets"])
    result = {"generator": "python3 -m shiftkit.bench (qat/shiftkit/bench.py)", "all_targets_met": all_met,
              "wall_time_s": round(time.time() - started, 1), "runs": runs}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(f"[shiftkit.bench] all targets met: {all_met} -> {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
