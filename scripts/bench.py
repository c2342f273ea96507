#!/usr/bin/env python3
"""Golden-model throughput benchmark: every accumulation kernel against PyTorch's
quantized Linear, on the same layer shapes, measured side by side in one run and
single-threaded on both sides. Writes build/reports/bench.json.

The two sides alternate shape by shape (golden, torch, golden, torch, ...) so a
noisy neighbour on a shared machine hits both; each figure is the best of three
rounds of at least MIN_SECONDS.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys

SHAPES = [(784, 256), (1024, 1024), (64, 64)]
BATCHES = [1, 64]


def run_lines(cmd):
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    have = set(line.split(":", 1)[1].split())
                    return sorted(have & {"avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8"})
    except OSError:
        pass
    return []


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bench-dense", required=True, help="path of the bench_dense binary")
    p.add_argument("--python", default=sys.executable, help="interpreter that imports torch")
    p.add_argument("--min-seconds", type=float, default=0.3)
    p.add_argument("--report", required=True)
    args = p.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))

    rows = []
    for k, n in SHAPES:
        for batch in BATCHES:
            print(f"bench: {k}x{n} batch {batch} ...", flush=True)
            golden = run_lines([args.bench_dense, str(k), str(n), str(batch), str(args.min_seconds)])
            torch_rows = run_lines([args.python, os.path.join(here, "bench_torch.py"), str(k), str(n),
                                    str(batch), str(args.min_seconds)])
            row = {"k": k, "n": n, "batch": batch, "threads": 1,
                   "golden_gmac_per_s": {g["kernel"]: g["gmac_per_s"] for g in golden},
                   "torch_gmac_per_s": {t["engine"]: t["gmac_per_s"] for t in torch_rows}}
            best_golden = max(row["golden_gmac_per_s"], key=row["golden_gmac_per_s"].get)
            best_torch = max(row["torch_gmac_per_s"], key=row["torch_gmac_per_s"].get)
            row["best_golden"] = best_golden
            row["best_torch"] = best_torch
            row["golden_vs_torch"] = round(row["golden_gmac_per_s"][best_golden]
                                           / row["torch_gmac_per_s"][best_torch], 3)
            row["golden_vs_scalar"] = round(row["golden_gmac_per_s"][best_golden]
                                            / row["golden_gmac_per_s"]["portable"], 3)
            print(f"bench: {k}x{n} batch {batch}: golden {best_golden} "
                  f"{row['golden_gmac_per_s'][best_golden]:.2f} GMAC/s, portable "
                  f"{row['golden_gmac_per_s']['portable']:.2f}, torch {best_torch} "
                  f"{row['torch_gmac_per_s'][best_torch]:.2f} -> x{row['golden_vs_torch']} vs torch",
                  flush=True)
            rows.append(row)

    def pick(k, n, batch):
        return next(r for r in rows if (r["k"], r["n"], r["batch"]) == (k, n, batch))

    report = {
        "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpu": platform.processor() or platform.machine(), "simd": cpu_flags(),
                    "threads": 1},
        "golden_vs_scalar": pick(1024, 1024, 64)["golden_vs_scalar"],
        "golden_vs_torch_b1": min(r["golden_vs_torch"] for r in rows if r["batch"] == 1),
        "golden_vs_torch_b64": min(r["golden_vs_torch"] for r in rows if r["batch"] == 64),
        "dense": rows,
        "not_measured": {
            "golden_vs_peak": "needs the VNNI/AMX kernels (issue 11); this machine has "
                              + (", ".join(cpu_flags()) or "no SIMD extensions of interest"),
            "trace_tax": "Verilator tracing figures belong to the RTL benchmark",
            "verilator_vs_icarus": "no Icarus bench yet",
            "regress_networks_per_s": "see build/reports/regress.json",
        },
    }
    os.makedirs(os.path.dirname(args.report) or ".", exist_ok=True)
    with open(args.report + ".tmp", "w") as f:
        json.dump(report, f, indent=2)
    os.replace(args.report + ".tmp", args.report)
    print(f"bench: golden_vs_scalar {report['golden_vs_scalar']}, golden_vs_torch_b1 "
          f"{report['golden_vs_torch_b1']}, golden_vs_torch_b64 {report['golden_vs_torch_b64']} "
          f"-> {args.report}")


if __name__ == "__main__":
    main()
