#!/usr/bin/env python3
"""Run the shiftkit formal checks (Yosys + yosys-smtbmc + cvc5) and write a JSON report.

Each check elaborates a property harness from formal/ with Yosys (`read_verilog
-formal`, `prep`, `async2sync`, `dffunmap`, `write_smt2 -wires`) and runs
yosys-smtbmc with cvc5: `bmc` (bounded proof from reset), `induction` (k-induction,
`-i`; a full proof together with a bmc of at least the same depth) or `cover` (`-c`,
every cover statement reached). A failing check keeps its counterexample or its
cover trace as a VCD in the work folder. One solver at a time, niced (shared machine).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

RTL_BUS = ["formal/sk_core_abstract.v", "rtl/sk_axil_top.v"]
RTL_CORE = ["rtl/sk_ram_sp.v", "rtl/sk_requant.v", "rtl/sk_mac_array.v", "rtl/sk_core.v"]


def checks(quick):
    """(name, top, rtl files, harness, chparams, mode, depth, memory_map)."""
    out = [
        ("axil_bmc", "sk_axil_props", RTL_BUS, "formal/sk_axil_props.v", {}, "bmc", 6, False),
        ("axil_induction", "sk_axil_props", RTL_BUS, "formal/sk_axil_props.v", {}, "induction", 5, False),
        ("axil_cover", "sk_axil_props", RTL_BUS, "formal/sk_axil_props.v", {}, "cover", 8, False),
        ("sequencer_done_bound", "sk_core_props", RTL_CORE, "formal/sk_core_props.v",
         {"Lanes": 4, "BusyBound": 22}, "bmc", 26, True),
        ("requant_shift_flag", "sk_requant_equiv", ["rtl/sk_requant.v"], "formal/sk_requant_equiv.v",
         {"Shift": 0, "PerChannel": 2}, "bmc", 8, False),
    ]
    shifts = [-16, -1, 0, 1, 31] if quick else range(-16, 32)
    for s in shifts:
        out.append((f"requant_layer_shift_{s}", "sk_requant_equiv", ["rtl/sk_requant.v"],
                    "formal/sk_requant_equiv.v", {"Shift": s & 0xFF, "PerChannel": 0}, "bmc", 8, False))
    for s in [-16, -1, 0, 1, 31]:
        out.append((f"requant_channel_shift_{s}", "sk_requant_equiv", ["rtl/sk_requant.v"],
                    "formal/sk_requant_equiv.v", {"Shift": s & 0xFF, "PerChannel": 1}, "bmc", 8, False))
    return out


def run_check(check, work):
    name, top, rtl, harness, params, mode, depth, mem_map = check
    os.makedirs(work, exist_ok=True)
    smt2 = os.path.join(work, name + ".smt2")
    vcd = os.path.join(work, name + ".vcd")
    chparam = " ".join(f"-set {k} {v}" for k, v in params.items())
    script = [f"read_verilog -formal -DSYNTHESIS -I rtl {' '.join(rtl)}",
              f"read_verilog -formal {harness}"]
    if chparam:
        script.append(f"chparam {chparam} {top}")
    script += [f"prep -top {top}"] + (["memory_map", "opt -fast"] if mem_map else []) + \
              ["async2sync", "dffunmap", f"write_smt2 -wires {smt2}"]
    ys = os.path.join(work, name + ".ys")
    with open(ys, "w") as f:
        f.write("\n".join(script) + "\n")
    t0 = time.time()
    y = subprocess.run(["yosys", "-q", ys], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if y.returncode:
        return {"mode": mode, "depth": depth, "status": "error", "seconds": 0, "log": y.stdout[-2000:]}
    flags = {"bmc": [], "induction": ["-i"], "cover": ["-c"]}[mode]
    cmd = ["nice", "yosys-smtbmc", "-s", "cvc5", "--presat", *flags, "-t", str(depth),
           "--dump-vcd", vcd, smt2]
    if mode == "cover":
        cmd.remove("--presat")
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    seconds = round(time.time() - t0, 1)
    log = os.path.join(work, name + ".log")
    with open(log, "w") as f:
        f.write(p.stdout)
    passed = "Status: PASSED" in p.stdout and p.returncode == 0
    result = {"mode": mode, "depth": depth, "status": "pass" if passed else "FAIL",
              "seconds": seconds, "log": log}
    if params:
        result["params"] = params
    if not passed:
        result["failed"] = re.findall(r"(?:Assert failed|Unreached cover statement)[^\n]*", p.stdout)
        if os.path.exists(vcd):
            result["trace"] = vcd
    elif mode == "cover":
        result["covered"] = len(re.findall(r"Reached cover statement", p.stdout))
        result["trace"] = vcd
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", default="build/formal")
    ap.add_argument("--report", default="build/reports/formal.json")
    ap.add_argument("--quick", action="store_true", help="5 requant shifts instead of all 48")
    ap.add_argument("--only", help="regular expression on check names; updates the report in place")
    args = ap.parse_args()
    report = {}
    if args.only and os.path.exists(args.report):  # --only updates the checks it runs
        with open(args.report) as f:
            report = json.load(f)
    for check in checks(args.quick):
        if args.only and not re.search(args.only, check[0]):
            continue
        print(f"formal: {check[0]} ({check[5]}, depth {check[6]}) ...", flush=True)
        r = run_check(check, args.work)
        report[check[0]] = r
        print(f"formal: {check[0]}: {r['status']} in {r['seconds']} s"
              + (f" — {r.get('failed')} trace {r.get('trace')}" if r["status"] != "pass" else ""),
              flush=True)
    os.makedirs(os.path.dirname(args.report), exist_ok=True)
    with open(args.report, "w") as f:
        json.dump(report, f, indent=2)
    bad = [n for n, r in report.items() if r["status"] != "pass"]  # over the whole report
    print(f"formal: {len(report) - len(bad)} of {len(report)} checks passed; report in {args.report}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
