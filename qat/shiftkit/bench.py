"""`make qat-bench`: train the benchmark configurations of issue 5 and write their
accuracy figures and targets to one JSON report (default build/reports/qat.json).

    python3 -m shiftkit.bench --out build/reports/qat.json --work build/qat-bench [--quick]

Accuracies are in percent of the test set; targets are differences in points.
"""

import argparse
import json
import sys
import time
from pathlib import Path

from . import train

CONFIGS = {
    # name: (CLI arguments, targets as (report key, reference key, allowed drop in points))
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
}
SUMMARY_KEYS = ("fp32_acc", "float_scale_int8_acc", "torch_ao_pot_acc", "pot_qat_acc", "golden_acc",
                "golden_mismatches", "torch_engine_vs_golden", "weight_bits", "act_bits", "per_channel", "rounding",
                "epochs", "qat_epochs", "seed", "wall_time_s")


def main(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m shiftkit.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default="build/reports/qat.json")
    p.add_argument("--work", default="build/qat-bench", help="directory for each run's outputs")
    p.add_argument("--only", action="append", choices=list(CONFIGS), help="run only these configurations")
    args = p.parse_args(argv)
    started = time.time()
    runs, all_met = {}, True
    for name in args.only or CONFIGS:
        cli_args, targets = CONFIGS[name]
        run_dir = Path(args.work) / name
        print(f"[shiftkit.bench] {name}", flush=True)
        train.main(cli_args + ["-o", str(run_dir)])
        report = json.loads((run_dir / "report.json").read_text())
        checks = [{"target": f"{key} >= {ref} - {drop}", "value": report[key], "bound": round(report[ref] - drop, 2),
                   "met": report[key] >= report[ref] - drop} for key, ref, drop in targets]
        checks.append({"target": "golden_mismatches == 0", "value": report["golden_mismatches"], "bound": 0,
                       "met": report["golden_mismatches"] == 0})
        all_met &= all(c["met"] for c in checks)
        runs[name] = {"args": cli_args, **{k: report.get(k) for k in SUMMARY_KEYS}, "targets": checks,
                      "output_dir": str(run_dir)}
    result = {"generator": "python3 -m shiftkit.bench (qat/shiftkit/bench.py)", "all_targets_met": all_met,
              "wall_time_s": round(time.time() - started, 1), "runs": runs}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(f"[shiftkit.bench] all targets met: {all_met} -> {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
