"""qor.py — QoR baseline gate for `make synth-check` (used by scripts/synth/synth.py).

A baseline (synth/qor_baseline.json) holds a few figures of a synth.json report with
their kind. `compare` fails a resource (iCE40 LCs, xc7 LUTs, requant LUT4) that grew
by more than RESOURCE_GROWTH and an Fmax (median over the seeds) that dropped by more
than FMAX_DROP. A figure the baseline names but the result did not measure (a light
run with fewer lane counts) is skipped and listed; a result that measured none of them
fails. To accept a change in QoR, regenerate the baseline in the same commit:
`scripts/synth/synth.py baseline --result build/reports/synth.json --out synth/qor_baseline.json`.
"""

RESOURCE_GROWTH = 0.05
FMAX_DROP = 0.10


def metrics(report):
    """name -> (value, kind) for the figures a baseline tracks; kind is resource or fmax."""
    out = {}
    for r in report.get("ice40_up5k_by_lanes", []):
        fits = r.get("fits")
        # A configuration that was run but failed to fit is measured as None: a regression.
        out["ice40_up5k.lanes%d.lc_used" % r["lanes"]] = (r["lc_used"] if fits else None, "resource")
        out["ice40_up5k.lanes%d.fmax_median_mhz" % r["lanes"]] = (
            r["fmax_mhz"]["median"] if fits else None, "fmax")
    if "xc7" in report:
        out["xc7.lanes%d.lut" % report["xc7"]["lanes"]] = (report["xc7"]["lut"], "resource")
    if "requant" in report:
        out["requant.shift.ice40.lut4"] = (report["requant"]["shift"]["ice40"]["lut4"], "resource")
    return out


def make_baseline(report):
    return {
        "generator": "scripts/synth/synth.py baseline (from a synth.json report)",
        "tools": report.get("tools", {}),
        "tolerance": {"resource_growth": RESOURCE_GROWTH, "fmax_drop": FMAX_DROP},
        "metrics": {name: {"value": v, "kind": kind}
                    for name, (v, kind) in sorted(metrics(report).items()) if v is not None},
    }


def compare(report, baseline):
    """Return (problems, lines): problems is empty when the report is within tolerance."""
    tol = baseline.get("tolerance", {})
    growth = float(tol.get("resource_growth", RESOURCE_GROWTH))
    drop = float(tol.get("fmax_drop", FMAX_DROP))
    now = metrics(report)
    problems, lines, compared = [], [], 0
    for name, entry in sorted(baseline.get("metrics", {}).items()):
        base, kind = entry["value"], entry["kind"]
        if name not in now:
            lines.append("  %-40s baseline %10.2f  not measured in this run (skipped)" % (name, base))
            continue
        value = now[name][0]
        compared += 1
        if value is None:
            lines.append("  %-40s baseline %10.2f  now: did not fit or failed  REGRESSED" % (name, base))
            problems.append("%s: the configuration no longer fits or its run failed" % name)
            continue
        change = (value - base) / base if base else 0.0
        if kind == "resource":
            bad = value > base * (1.0 + growth)
            better = value < base * (1.0 - growth)
        elif kind == "fmax":
            bad = value < base * (1.0 - drop)
            better = value > base * (1.0 + drop)
        else:
            problems.append("%s: unknown kind %r in the baseline" % (name, kind))
            continue
        verdict = "REGRESSED" if bad else ("improved: consider updating the baseline" if better else "ok")
        lines.append("  %-40s baseline %10.2f  now %10.2f  (%+.1f%%)  %s" % (
            name, base, value, 100.0 * change, verdict))
        if bad:
            limit = "+%.0f%%" % (100 * growth) if kind == "resource" else "-%.0f%%" % (100 * drop)
            problems.append("%s: %.2f -> %.2f (%+.1f%%, limit %s)" % (name, base, value, 100.0 * change, limit))
    if compared == 0:
        problems.append("the result measured none of the baseline's figures")
    return problems, lines
