#!/usr/bin/env python3
"""sc_report.py — turn the per-run timing lines of the SystemC backends into
build/reports/systemc.json.

Each line (appended by shiftkit-sc when SHIFTKIT_SC_TIMING is set) holds one run's
simulated times on one target: `load_ps` (driver open + model load) and `run_ps` (the
batch). For every network run on both targets, time_ratio = RTL simulated time / TLM
annotated time, for the whole flow and for each phase; the overall figures divide the
sums; the same figures per family of networks (the directory the case generator wrote
them to, e.g. gen for dense and gen-cnn for CNN cases, or "trained"). The target band
(0.95..1.05) is reported, never asserted.

Usage: sc_report.py TIMING.jsonl REPORT.json
"""
import json
import sys


def ratio(num, den):
    return num / den if den else None


def family(model):
    """gen, gen-cnn, ... for CASES/<family>/case_NNNN/model.skm; "trained" otherwise."""
    parts = model.replace("\\", "/").split("/")
    if len(parts) >= 3 and parts[-2].startswith("case_"):
        return parts[-3]
    return "trained"


def main(timing_path, report_path):
    runs = {}
    with open(timing_path) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                runs.setdefault(r["model"], {})[r["target"]] = r
    networks = []
    sums = {"tlm": [0, 0], "rtl": [0, 0]}
    for model, by_target in sorted(runs.items()):
        if "tlm" not in by_target or "rtl" not in by_target:
            continue
        tlm, rtl = by_target["tlm"], by_target["rtl"]
        for t, r in (("tlm", tlm), ("rtl", rtl)):
            sums[t][0] += r["load_ps"]
            sums[t][1] += r["run_ps"]
        networks.append({
            "model": model,
            "samples": tlm["samples"],
            "tlm_ps": tlm["load_ps"] + tlm["run_ps"],
            "rtl_ps": rtl["load_ps"] + rtl["run_ps"],
            "time_ratio": ratio(rtl["load_ps"] + rtl["run_ps"], tlm["load_ps"] + tlm["run_ps"]),
            "load_time_ratio": ratio(rtl["load_ps"], tlm["load_ps"]),
            "run_time_ratio": ratio(rtl["run_ps"], tlm["run_ps"]),
            "tlm_busy_cycles": tlm["busy_cycles"],
            "rtl_busy_cycles": rtl["busy_cycles"],
            "bus_accesses": [tlm["accesses"], rtl["accesses"]],
        })
    if not networks:
        print("sc_report: no network ran on both targets", file=sys.stderr)
        return 1
    families = {}
    for n in networks:
        families.setdefault(family(n["model"]), []).append(n)
    by_family = {
        name: {"networks": len(nets),
               "time_ratio": ratio(sum(n["rtl_ps"] for n in nets), sum(n["tlm_ps"] for n in nets)),
               "time_ratio_min": min(n["time_ratio"] for n in nets),
               "time_ratio_max": max(n["time_ratio"] for n in nets)}
        for name, nets in sorted(families.items())}
    ratios = [n["time_ratio"] for n in networks]
    tlm_total, rtl_total = sum(sums["tlm"]), sum(sums["rtl"])
    report = {
        "generator": "tb/systemc/sc_report.py (make sc-test)",
        "definition": "time_ratio = RTL simulated time / TLM annotated time "
                      "(driver open + model load + batch run)",
        "clock_ps": sorted({r["clock_ps"] for t in runs.values() for r in t.values()}),
        "networks_compared": len(networks),
        "time_ratio": ratio(rtl_total, tlm_total),
        "load_time_ratio": ratio(sums["rtl"][0], sums["tlm"][0]),
        "run_time_ratio": ratio(sums["rtl"][1], sums["tlm"][1]),
        "time_ratio_min": min(ratios),
        "time_ratio_max": max(ratios),
        "target_band": [0.95, 1.05],
        "families": by_family,
        "networks": networks,
    }
    report["within_target_band"] = 0.95 <= report["time_ratio"] <= 1.05
    with open(report_path, "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    print(f"systemc: time_ratio RTL/TLM = {report['time_ratio']:.4f} overall "
          f"(load {report['load_time_ratio']:.4f}, run {report['run_time_ratio']:.4f}; "
          f"per network {min(ratios):.4f}..{max(ratios):.4f}) over {len(networks)} networks "
          f"-> {report_path}")
    for name, f in by_family.items():
        print(f"systemc: {name}: time_ratio {f['time_ratio']:.4f} "
              f"({f['time_ratio_min']:.4f}..{f['time_ratio_max']:.4f}) over {f['networks']} networks")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
