#!/usr/bin/env python3
"""Golden-model throughput benchmark: every accumulation kernel against PyTorch's
quantized Linear, on the same layer shapes, measured side by side in one run and
single-threaded on both sides. Writes build/reports/bench.json.

The two sides alternate shape by shape (golden, torch, golden, torch, ...) so a
noisy neighbour on a shared machine hits both; each figure is the best of three
rounds of at least MIN_SECONDS of the process's CPU time (bench_dense alternates
its kernels and the instruction-peak loop round by round inside one process).
golden_vs_peak divides the best kernel's 1024x1024 batch-64 figure by the peak of
vpmaddwd, the multiply the AVX2 kernel is built on, measured by a register-only loop
in the same bench_dense process.
"""
import argparse
import datetime
import json
import os
import platform
import re
import resource
import subprocess
import sys
import time

SHAPES = [(784, 256), (1024, 1024), (64, 64)]
BATCHES = [1, 64]


def run_lines(cmd):
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


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


def run_timed(cmd, **kw):
    """Run cmd to completion; return (stdout, wall seconds, CPU seconds of the process
    and its children: user + sys) — whole-process figures."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, **kw).stdout
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return out, wall, cpu


def verilator_speed(bin_dir, rounds):
    """Cycles/s of sk-rtl-bench at LANES 8 and 16: untraced (-nt model), traced (the
    default model writing its VCD debug signal set, tb/verilator/sk_trace.vlt) and, at
    LANES 8, the RTL_TRACE=full model writing an FST of every signal; each traced run
    writes a scratch file that is deleted afterwards. The variants alternate so load
    hits all alike; best of rounds. Cycles are every simulated cycle of the runs; the
    time is the whole process's."""
    scratch = os.path.join(bin_dir, "..", "bench-trace")
    variants = {}
    for lanes in (8, 16):
        suffix = "" if lanes == 8 else f"-l{lanes}"
        variants[(lanes, "untraced")] = [os.path.join(bin_dir, f"sk-rtl-bench{suffix}-nt")]
        variants[(lanes, "traced_vcd")] = [os.path.join(bin_dir, f"sk-rtl-bench{suffix}"),
                                           f"+trace={scratch}.vcd"]
    variants[(8, "traced_full_fst")] = [os.path.join(bin_dir, "sk-rtl-bench-tfull"),
                                        f"+trace={scratch}.fst"]
    best = {}
    report = os.path.join(bin_dir, "..", "bench-rtl-perf.json")
    for _ in range(rounds):
        for key, cmd in variants.items():
            _, wall, cpu = run_timed(cmd + ["-o", report], stderr=subprocess.DEVNULL)
            with open(report) as f:
                cycles = json.load(f)["sim_cycles"]
            fig = {"cycles": cycles, "cycles_per_cpu_s": round(cycles / cpu),
                   "cycles_per_wall_s": round(cycles / wall)}
            trace = next((a[len("+trace="):] for a in cmd if a.startswith("+trace=")), None)
            if trace:
                fig["trace_bytes"] = os.path.getsize(trace)
                os.remove(trace)
            if key not in best or fig["cycles_per_cpu_s"] > best[key]["cycles_per_cpu_s"]:
                best[key] = fig
    if os.path.exists(report):
        os.remove(report)
    out = {}
    for (lanes, kind), fig in best.items():
        out.setdefault(f"lanes_{lanes}", {})[kind] = fig
    for lanes in (8, 16):
        d = out[f"lanes_{lanes}"]
        d["trace_tax"] = round(d["untraced"]["cycles_per_cpu_s"] / d["traced_vcd"]["cycles_per_cpu_s"], 2)
    d = out["lanes_8"]
    d["trace_tax_full_fst"] = round(d["untraced"]["cycles_per_cpu_s"]
                                    / d["traced_full_fst"]["cycles_per_cpu_s"], 2)
    return out


def icarus_vs_verilator(bin_dir, vvp_file, image, case_dirs, rounds):
    """The same case folders under Icarus (bus-transaction replay, no stalls) and under
    the untraced Verilator runner (+stall_percent=0, without its device-model timing
    check): simulated cycles per CPU second of each whole process, and networks per
    CPU second."""
    runs = {  # simulator: (command, its summary line: passed, failed, cycles; its stderr)
        "icarus": (["vvp", "-n", vvp_file, f"+image={image}"],
                   r"icarus: (\d+) passed, (\d+) failed \((\d+) cycles\)", subprocess.DEVNULL),
        "verilator": ([os.path.join(bin_dir, "sk-rtl-regress-nt"), "+stall_percent=0",
                       "--no-model-cycles", "--suite", "bench"] + case_dirs,
                      r"(\d+) passed, (\d+) failed \((\d+) simulated cycles", None),
    }
    best = {}
    for _ in range(rounds):
        for sim, (cmd, summary, stderr) in runs.items():  # side by side, round by round
            out, wall, cpu = run_timed(cmd, stderr=stderr)
            m = re.search(summary, out)
            if not m or m.group(2) != "0":
                raise SystemExit(f"bench: the {sim} run failed: {out[-500:]}")
            if sim not in best or cpu < best[sim]["cpu_s"]:
                best[sim] = {"cases": int(m.group(1)), "cycles": int(m.group(3)),
                             "cpu_s": round(cpu, 3), "wall_s": round(wall, 3)}
    for fig in best.values():
        fig["cycles_per_cpu_s"] = round(fig["cycles"] / fig["cpu_s"])
        fig["networks_per_cpu_s"] = round(fig["cases"] / fig["cpu_s"], 2)
    best["ratio_cycles_per_s"] = round(best["verilator"]["cycles_per_cpu_s"]
                                       / best["icarus"]["cycles_per_cpu_s"], 1)
    best["ratio_networks_per_s"] = round(best["verilator"]["networks_per_cpu_s"]
                                         / best["icarus"]["networks_per_cpu_s"], 1)
    return best


def regress_throughput(make, seeds, rounds):
    """`make regress-par SEEDS=N JOBS=j` for j = 1 and 2, alternating: networks per
    wall second of the whole regression (case generation by the golden model, the
    simulation, the reports and the merge)."""
    best = {}
    for _ in range(rounds):
        for jobs in (1, 2):
            _, wall, cpu = run_timed([make, "--no-print-directory", "-s", "regress-par",
                                      f"SEEDS={seeds}", f"JOBS={jobs}", "REGRESS_TAG=bench-regress"],
                                     stderr=subprocess.DEVNULL)
            fig = {"networks": seeds, "jobs": jobs, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
                   "networks_per_s": round(seeds / wall, 1)}
            if jobs not in best or fig["networks_per_s"] > best[jobs]["networks_per_s"]:
                best[jobs] = fig
    return {f"jobs_{j}": fig for j, fig in best.items()}


def sim_report(args):
    case_dirs = sorted(os.path.join(args.icarus_cases, d) + "/" for d in os.listdir(args.icarus_cases)
                       if os.path.isdir(os.path.join(args.icarus_cases, d)))
    print("bench: Verilator cycles/s at LANES 8 and 16, untraced and traced ...", flush=True)
    verilator = verilator_speed(args.sim_bin_dir, args.rounds)
    print(f"bench: {json.dumps(verilator)}", flush=True)
    print(f"bench: Verilator vs Icarus on {len(case_dirs)} cases ...", flush=True)
    vs_icarus = icarus_vs_verilator(args.sim_bin_dir, args.icarus_vvp, args.icarus_image,
                                    case_dirs, args.rounds)
    print(f"bench: {json.dumps(vs_icarus)}", flush=True)
    print(f"bench: regression throughput, {args.regress_seeds} networks, 1 and 2 jobs ...", flush=True)
    regress = regress_throughput(args.make, args.regress_seeds, args.rounds)
    print(f"bench: {json.dumps(regress)}", flush=True)
    return {
        "trace_tax": max(verilator[f"lanes_{n}"]["trace_tax"] for n in (8, 16)),
        "trace_tax_full_fst": verilator["lanes_8"]["trace_tax_full_fst"],
        "verilator_vs_icarus": vs_icarus["ratio_cycles_per_s"],
        "regress_networks_per_s": {"jobs_1": regress["jobs_1"]["networks_per_s"],
                                   "jobs_2": regress["jobs_2"]["networks_per_s"]},
        "simulation": {
            "notes": "whole-process figures, single-threaded simulators; cycles/s per CPU "
                     "second (user+sys) and per wall second; best of rounds; trace_tax is "
                     "the worse of LANES 8 and 16 (untraced model / default traced model "
                     "writing the VCD debug signal set of tb/verilator/sk_trace.vlt once per "
                     "cycle); trace_tax_full_fst (LANES 8) is the RTL_TRACE=full model "
                     "writing an FST of every signal; regression networks/s are wall-clock",
            "verilator": verilator, "verilator_vs_icarus": vs_icarus, "regress": regress,
            "verilator_flags": args.verilator_flags,
        },
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bench-dense", required=True, help="path of the bench_dense binary")
    p.add_argument("--python", default=sys.executable, help="interpreter that imports torch")
    p.add_argument("--min-seconds", type=float, default=0.3)
    p.add_argument("--report", required=True)
    p.add_argument("--sim-bin-dir", help="build/bin with the sk-rtl-bench variants: adds the "
                   "simulation figures (trace_tax, verilator_vs_icarus, regress_networks_per_s)")
    p.add_argument("--icarus-vvp")
    p.add_argument("--icarus-image")
    p.add_argument("--icarus-cases")
    p.add_argument("--make", default="make")
    p.add_argument("--regress-seeds", type=int, default=1000)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--verilator-flags", default="")
    p.add_argument("--sim-only", action="store_true",
                   help="only the simulation figures, merged into an existing report")
    args = p.parse_args()
    if args.sim_only:
        with open(args.report) as f:
            report = json.load(f)
        report.update(sim_report(args))
        for key in ("trace_tax", "verilator_vs_icarus", "regress_networks_per_s"):
            report.get("not_measured", {}).pop(key, None)
        with open(args.report + ".tmp", "w") as f:
            json.dump(report, f, indent=2)
        os.replace(args.report + ".tmp", args.report)
        print(f"bench: simulation figures -> {args.report}")
        return
    here = os.path.dirname(os.path.abspath(__file__))

    rows = []
    for k, n in SHAPES:
        for batch in BATCHES:
            print(f"bench: {k}x{n} batch {batch} ...", flush=True)
            lines = run_lines([args.bench_dense, str(k), str(n), str(batch), str(args.min_seconds),
                               "--peak"])
            golden = [g for g in lines if "kernel" in g]
            peak = next((g for g in lines if "peak" in g), None)
            torch_rows = run_lines([args.python, os.path.join(here, "bench_torch.py"), str(k), str(n),
                                    str(batch), str(args.min_seconds)])
            row = {"k": k, "n": n, "batch": batch, "threads": 1, "timer": "cpu",
                   "golden_gmac_per_s": {g["kernel"]: g["gmac_per_s"] for g in golden},
                   "torch_gmac_per_s": {t["engine"]: t["gmac_per_s"] for t in torch_rows}}
            if peak:
                row["peak"] = {"instruction": peak["peak"], "gmac_per_s": peak["gmac_per_s"],
                               "macs_per_instruction": peak["macs_per_instruction"],
                               "chains": peak["chains"]}
            best_golden = max(row["golden_gmac_per_s"], key=row["golden_gmac_per_s"].get)
            best_torch = max(row["torch_gmac_per_s"], key=row["torch_gmac_per_s"].get)
            row["best_golden"] = best_golden
            row["best_torch"] = best_torch
            row["golden_vs_torch"] = round(row["golden_gmac_per_s"][best_golden]
                                           / row["torch_gmac_per_s"][best_torch], 3)
            row["golden_vs_scalar"] = round(row["golden_gmac_per_s"][best_golden]
                                            / row["golden_gmac_per_s"]["portable"], 3)
            if peak and best_golden == "avx2":
                row["golden_vs_peak"] = round(row["golden_gmac_per_s"][best_golden]
                                              / peak["gmac_per_s"], 3)
            print(f"bench: {k}x{n} batch {batch}: golden {best_golden} "
                  f"{row['golden_gmac_per_s'][best_golden]:.2f} GMAC/s, portable "
                  f"{row['golden_gmac_per_s']['portable']:.2f}, torch {best_torch} "
                  f"{row['torch_gmac_per_s'][best_torch]:.2f} -> x{row['golden_vs_torch']} vs torch",
                  flush=True)
            rows.append(row)

    def pick(k, n, batch):
        return next(r for r in rows if (r["k"], r["n"], r["batch"]) == (k, n, batch))

    flags = cpu_flags()
    missing = [f for f in ("avx512_vnni", "avx_vnni", "amx_int8") if f not in flags]
    report = {
        "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpu": cpu_model(), "simd": flags, "threads": 1},
        "golden_vs_scalar": pick(1024, 1024, 64)["golden_vs_scalar"],
        "golden_vs_torch_b1": min(r["golden_vs_torch"] for r in rows if r["batch"] == 1),
        "golden_vs_torch_b64": min(r["golden_vs_torch"] for r in rows if r["batch"] == 64),
        "dense": rows,
        "not_measured": {},
    }
    big = pick(1024, 1024, 64)
    if "golden_vs_peak" in big:
        report["golden_vs_peak"] = big["golden_vs_peak"]
        report["peak"] = dict(big["peak"], threads=1,
                              notes="register-only loop of the AVX2 kernel's multiply, in the "
                                    "same process as the 1024x1024 batch-64 kernel figures")
    else:
        report["not_measured"]["golden_vs_peak"] = (
            "the best kernel here is not the AVX2 one (no AVX2 on this CPU or build), and "
            "only vpmaddwd has a peak loop")
    if missing:
        report["not_measured"]["vnni_amx_kernels"] = (
            "no VNNI or AMX kernel exists: this CPU lacks " + ", ".join(missing) + " (it has "
            + (", ".join(flags) or "none of avx2/avx512/vnni/amx") + "), so such kernels could "
            "not be run or tested here; golden_vs_torch_b64's targets (>= 1.0 with AMX, >= 0.3 "
            "with VNNI) need them, the AVX2 path is the fastest this machine runs")
    if not report["not_measured"]:
        del report["not_measured"]
    if args.sim_bin_dir:
        report.update(sim_report(args))
    else:
        report.setdefault("not_measured", {}).update({
            "trace_tax": "run with --sim-bin-dir (make bench does)",
            "verilator_vs_icarus": "run with --sim-bin-dir (make bench does)",
            "regress_networks_per_s": "run with --sim-bin-dir (make bench does)"})
    os.makedirs(os.path.dirname(args.report) or ".", exist_ok=True)
    with open(args.report + ".tmp", "w") as f:
        json.dump(report, f, indent=2)
    os.replace(args.report + ".tmp", args.report)
    print(f"bench: golden_vs_scalar {report['golden_vs_scalar']}, golden_vs_peak "
          f"{report.get('golden_vs_peak', 'not measured')}, golden_vs_torch_b1 "
          f"{report['golden_vs_torch_b1']}, golden_vs_torch_b64 {report['golden_vs_torch_b64']} "
          f"-> {args.report}")


if __name__ == "__main__":
    main()
