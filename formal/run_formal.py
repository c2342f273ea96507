#!/usr/bin/env python3
"""Run the shiftkit formal checks (Yosys + yosys-smtbmc + cvc5) and write a JSON report.

Each check elaborates a property harness from formal/ with Yosys (`read_verilog
-formal`, `prep`, `async2sync`, `dffunmap`, `write_smt2 -wires`) and runs
yosys-smtbmc with cvc5: `bmc` (bounded proof from reset), `induction` (k-induction,
`-i`; a full proof together with a bmc of at least the same depth) or `cover` (`-c`,
every cover statement reached).

The sequencer checks are bit-level control problems on which cvc5 is slow (a BMC of
depth 26 did not finish in 13 minutes). They go through the AIGER flow instead
(flatten, bit-blast with `techmap` + `abc -g AND`, `write_aiger -zinit`) to ABC,
which ships with Yosys as yosys-abc: `pdr` (IC3: an unbounded proof, or a
counterexample) and `abc_cover` (`bmc3` on the harness with its cover turned into an
assertion: the counterexample is the cover trace). ABC's traces are replayed on the
same netlist by Yosys `sim` into a VCD, which also cross-checks ABC's answer.

A failing check keeps its counterexample or its cover trace as a VCD in the work
folder. One solver at a time, niced (shared machine).
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import time

RTL_BUS = ["formal/sk_core_abstract.v", "rtl/sk_axil_top.v"]
RTL_CORE = ["rtl/sk_ram_sp.v", "rtl/sk_ram_1r1w.v", "rtl/sk_requant.v", "rtl/sk_mac_array.v", "rtl/sk_core.v"]
REGMAP_MD = "docs/regmap.md"
ABC_MODES = ("pdr", "abc_bmc", "abc_cover")
SOLVER_TIMEOUT = 1800  # seconds per check; a check that takes longer is reported as "timeout"

# docs/regmap.md "Timing": A run costs D cycle(s) (DONE) plus, per layer,
# `H + K + sum_{b=1}^{B-1} max(K, M, a_{b-1}) + a_{B-1} + T` cycles.
TIMING_RE = re.compile(r"A run costs (\d+) cycles? \(DONE\) plus, per layer, "
                       r"`(\d+) \+ K \+ sum_\{b=1\}\^\{B-1\} max\(K, (\d+), a_\{b-1\}\) "
                       r"\+ a_\{B-1\} \+ (\d+)`")


def regmap_timing(path=REGMAP_MD):
    """The constants of the cycle formula in docs/regmap.md "Timing"."""
    with open(path) as f:
        m = TIMING_RE.search(f.read())
    if not m:
        sys.exit(f"run_formal: the cycle formula under \"Timing\" in {path} no longer reads "
                 "`H + K + sum_{b=1}^{B-1} max(K, M, a_{b-1}) + a_{B-1} + T`; "
                 "update TIMING_RE and layer_cycles() to match it")
    done, head, min_block, tail = (int(g) for g in m.groups())
    return {"done": done, "head": head, "min_block": min_block, "tail": tail}


def layer_cycles(t, lanes, k, n):
    """docs/regmap.md "Timing" for one layer of K taps and N channels on `lanes` lanes."""
    a = [min(lanes, n - b * lanes) for b in range(math.ceil(n / lanes))]
    return (t["head"] + k + sum(max(k, t["min_block"], a[b - 1]) for b in range(1, len(a)))
            + a[-1] + t["tail"])


def sequencer_config(t, lanes, act_bytes, max_layers):
    """Harness parameters: the busy bound is the longest run the formula allows when the
    descriptor checks limit K and N to act_bytes (ACT_RANGE, and BIAS_RANGE with as many
    biases); the formula grows with K and N, so K = N = act_bytes in every layer, which
    also chains (K of a layer = N of the one before). WeightRows holds one such layer,
    so that WEIGHT_RANGE does not cut the longest run short (the cover needs it)."""
    bound = t["done"] + max_layers * layer_cycles(t, lanes, act_bytes, act_bytes)
    rows = act_bytes * math.ceil(act_bytes / lanes)
    return {"Lanes": lanes, "ActBytes": act_bytes, "WeightRows": rows,
            "MaxLayers": max_layers, "BusyBound": bound}


# (lanes, act_bytes = max K and N, max_layers, mode) of the sequencer proofs. Lanes 4:
# one block per layer, proven unbounded by pdr (about 2 CPU minutes). Lanes 1: 4 blocks
# per layer (the shadow-chain handoff and its max(K, 3, a) stall) and two chained
# layers; pdr did not finish in 8 CPU minutes there, so a bounded proof (ABC bmc3) of
# two longest runs back to back from reset: the second starts from whatever state the
# first left behind.
SEQUENCER_CONFIGS = [(4, 4, 1, "pdr"), (1, 4, 2, "abc_bmc")]


def checks(all_shifts):
    """(name, top, rtl files, harness, chparams, mode, depth, memory_map)."""
    out = [
        ("axil_bmc", "sk_axil_props", RTL_BUS, "formal/sk_axil_props.v", {}, "bmc", 6, False),
        ("axil_induction", "sk_axil_props", RTL_BUS, "formal/sk_axil_props.v", {}, "induction", 5, False),
        ("axil_cover", "sk_axil_props", RTL_BUS, "formal/sk_axil_props.v", {}, "cover", 8, False),
        ("requant_shift_flag", "sk_requant_equiv", ["rtl/sk_requant.v"], "formal/sk_requant_equiv.v",
         {"Shift": 0, "PerChannel": 2}, "bmc", 8, False),
    ]
    # Every shift at once (the shift free in every cycle), on ABC: the requant proof.
    # One pass through the 6-stage pipeline, from reset, with a channel entering in
    # every cycle: depth 8 reaches the output of the first channels; 12 adds a few more.
    for name, per_channel in (("requant_all_shifts_layer", 4), ("requant_all_shifts_channel", 3)):
        out.append((name, "sk_requant_equiv", ["rtl/sk_requant.v"], "formal/sk_requant_equiv.v",
                    {"Shift": 0, "PerChannel": per_channel}, "abc_bmc", 12, False))
    # The same property for fixed shifts on cvc5 (word-level SMT, a second engine and a
    # second path from the RTL): the edges of -16..31 by default, all 48 with --all-shifts.
    shifts = range(-16, 32) if all_shifts else [-16, -1, 0, 1, 31]
    for s in shifts:
        out.append((f"requant_layer_shift_{s}", "sk_requant_equiv", ["rtl/sk_requant.v"],
                    "formal/sk_requant_equiv.v", {"Shift": s & 0xFF, "PerChannel": 0}, "bmc", 8, False))
    for s in [-16, -1, 0, 1, 31]:
        out.append((f"requant_channel_shift_{s}", "sk_requant_equiv", ["rtl/sk_requant.v"],
                    "formal/sk_requant_equiv.v", {"Shift": s & 0xFF, "PerChannel": 1}, "bmc", 8, False))
    t = regmap_timing()
    for lanes, act_bytes, max_layers, mode in SEQUENCER_CONFIGS:
        p = sequencer_config(t, lanes, act_bytes, max_layers)
        tag = f"l{lanes}_a{act_bytes}_m{max_layers}"
        # A run started in cycle 1 (cycle 0 is the reset) is busy from cycle 2, so
        # busy_cnt reaches the bound in cycle bound + 2; pdr needs no depth.
        depth = 0 if mode == "pdr" else 2 * p["BusyBound"] + 4
        out.append((f"sequencer_done_bound_{tag}", "sk_core_props", RTL_CORE, "formal/sk_core_props.v",
                    p, mode, depth, True))
        out.append((f"sequencer_bound_tight_{tag}", "sk_core_props", RTL_CORE, "formal/sk_core_props.v",
                    dict(p, CoverAsAssert=1), "abc_cover", p["BusyBound"] + 3, True))
    return out


def yosys_script(name, top, rtl, harness, params, mode, mem_map, work):
    """Write the Yosys script of a check; returns (script path, model path)."""
    chparam = " ".join(f"-set {k} {v}" for k, v in params.items())
    script = [f"read_verilog -formal -DSYNTHESIS -I rtl {' '.join(rtl)}",
              f"read_verilog -formal {harness}"]
    if chparam:
        script.append(f"chparam {chparam} {top}")
    base = os.path.join(work, name)
    if mode in ABC_MODES:
        # Flattened, so that opt_clean drops every cell outside the cone of influence of
        # the assertions; then bit-blasted for AIGER. FFs without an initial value (the
        # memories) get a free initial value (-zinit adds an input for each).
        script += [f"prep -flatten -top {top}", "memory_map", "opt -fast", "async2sync",
                   "chformal -cover -remove", "techmap", "opt -fast", "dffunmap",
                   "abc -g AND -fast", "opt_clean", "stat",
                   f"write_aiger -zinit -map {base}.aim {base}.aig", f"write_rtlil {base}.il"]
        model = base + ".aig"
    else:
        script += [f"prep -top {top}"] + (["memory_map", "opt -fast"] if mem_map else []) + \
                  ["async2sync", "dffunmap", f"write_smt2 -wires {base}.smt2"]
        model = base + ".smt2"
    with open(base + ".ys", "w") as f:
        f.write("\n".join(script) + "\n")
    return base + ".ys", model


def run_abc(name, model, mode, depth, work):
    """ABC on the AIGER model; returns (passed, log text, result fields)."""
    base = os.path.join(work, name)
    engine = "pdr" if mode == "pdr" else f"bmc3 -F {depth}"  # abc_bmc, abc_cover
    cmd = ["nice", "yosys-abc", "-c",
           f"read_aiger {model}; fold; strash; {engine}; write_cex -a {base}.aiw"]
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           errors="replace", timeout=SOLVER_TIMEOUT)
        out = p.stdout
    except subprocess.TimeoutExpired as e:
        return None, (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or ""), {}
    cex = re.search(r"was asserted in frame (\d+)", out)
    fields = {}
    if cex:
        # replay ABC's counterexample on the netlist it came from: a VCD, and a check that
        # Yosys' own simulator sees the same assertion fail
        r = subprocess.run(["yosys", "-q", "-p", f"read_rtlil {base}.il; sim -r {base}.aiw "
                            f"-map {base}.aim -clock clk_i -vcd {base}.vcd"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
        out += "\n--- replay (yosys sim) ---\n" + r.stdout
        fields["frame"] = int(cex.group(1))
        fields["replayed"] = "failed" in r.stdout and r.returncode == 0
        fields["trace"] = base + ".vcd"
    if mode in ("pdr", "abc_bmc"):
        passed = not cex and ("Property proved" in out if mode == "pdr"
                              else f"No output asserted in {depth} frames" in out)
        inv = re.search(r"Invariant F\[(\d+)\] : (\d+) clauses", out)
        if inv:
            fields["invariant_clauses"] = int(inv.group(2))
        if cex:
            fields["failed"] = [f"assertion fails in cycle {fields['frame']}"]
    else:  # abc_cover: the counterexample is the cover trace, and it must replay
        passed = bool(cex) and fields.get("replayed", False)
        if passed:
            fields["covered"] = 1
        else:
            fields["failed"] = [f"cover not reached in {depth} cycles" if not cex
                                else "ABC's trace does not replay in yosys sim"]
    return passed, out, fields


def engine_name(mode):
    return "pdr" if mode == "pdr" else "bmc3"


def run_check(check, work):
    name, top, rtl, harness, params, mode, depth, mem_map = check
    os.makedirs(work, exist_ok=True)
    ys, model = yosys_script(name, top, rtl, harness, params, mode, mem_map, work)
    vcd = os.path.join(work, name + ".vcd")
    log = os.path.join(work, name + ".log")
    t0 = time.time()
    y = subprocess.run(["yosys", "-q", ys], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if y.returncode:
        return {"mode": mode, "depth": depth, "status": "error", "seconds": 0, "log": y.stdout[-2000:]}
    if mode in ABC_MODES:
        passed, out, fields = run_abc(name, model, mode, depth, work)
        with open(log, "w") as f:
            f.write(out)
        result = {"mode": mode, "depth": depth, "engine": "abc " + engine_name(mode),
                  "status": "timeout" if passed is None else ("pass" if passed else "FAIL"),
                  "seconds": round(time.time() - t0, 1), "log": log, "params": params}
        result.update(fields)
        return result
    flags = {"bmc": [], "induction": ["-i"], "cover": ["-c"]}[mode]
    cmd = ["nice", "yosys-smtbmc", "-s", "cvc5", "--presat", *flags, "-t", str(depth),
           "--dump-vcd", vcd, model]
    if mode == "cover":
        cmd.remove("--presat")
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           errors="replace", timeout=SOLVER_TIMEOUT)
        out, timed_out = p.stdout, False
    except subprocess.TimeoutExpired as e:
        out, timed_out = (e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes)
                          else (e.stdout or "")), True
    seconds = round(time.time() - t0, 1)
    with open(log, "w") as f:
        f.write(out)
    passed = not timed_out and "Status: PASSED" in out and p.returncode == 0
    result = {"mode": mode, "depth": depth, "engine": "smtbmc cvc5",
              "status": "timeout" if timed_out else ("pass" if passed else "FAIL"),
              "seconds": seconds, "log": log}
    if params:
        result["params"] = params
    if not passed:
        result["failed"] = re.findall(r"(?:Assert failed|Unreached cover statement)[^\n]*", out)
        if os.path.exists(vcd):
            result["trace"] = vcd
    elif mode == "cover":
        result["covered"] = len(re.findall(r"Reached cover statement", out))
        result["trace"] = vcd
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", default="build/formal")
    ap.add_argument("--report", default="build/reports/formal.json")
    ap.add_argument("--all-shifts", action="store_true",
                    help="the cvc5 requant cross-check at all 48 shifts instead of 5")
    ap.add_argument("--quick", action="store_true", help="accepted for old scripts: 5 shifts is the default")
    ap.add_argument("--only", help="regular expression on check names; updates the report in place")
    args = ap.parse_args()
    report = {}
    if args.only and os.path.exists(args.report):  # --only updates the checks it runs
        with open(args.report) as f:
            report = json.load(f)
    for check in checks(args.all_shifts):
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
