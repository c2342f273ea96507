#!/usr/bin/env python3
"""Collect the reliability figures of issue 10 into build/reports/reliability.json.

Reads the reports the other targets write (a missing one is listed under "missing",
never invented): fuzz.json (`make fuzz`: the .skm and .npy readers), fuzz_drv.json
(`make fuzz-drv`: driver model loading), formal.json (`make formal`) and
faults-device.json / faults-rtl.json (`make faults`). Exit status 1 when any collected
report shows a crash, a failed proof or a failed fault case.
"""
import argparse
import json
import os
import sys


def load(path, missing):
    if not os.path.exists(path):
        missing.append(path)
        return None
    with open(path) as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", default="build/reports")
    args = ap.parse_args()
    r = args.reports
    missing = []
    out = {"fuzz": {}, "formal": {}, "faults": {}, "missing": missing}
    bad = 0

    for name in ("fuzz.json", "fuzz_drv.json"):
        rep = load(os.path.join(r, name), missing) or {}
        for harness, res in rep.items():
            out["fuzz"][harness] = {"seconds": res["seconds"], "executions": res["executions"],
                                    "crashes": res["crashes"], "artifacts": res["artifacts"]}
            bad += res["crashes"] != 0

    formal = load(os.path.join(r, "formal.json"), missing) or {}
    for check, res in formal.items():
        entry = {"mode": res["mode"], "depth": res["depth"], "status": res["status"],
                 "seconds": res["seconds"]}
        for key in ("engine", "covered", "failed", "trace", "params"):
            if key in res:
                entry[key] = res[key]
        out["formal"][check] = entry
        bad += res["status"] != "pass"
    covers = ("cover", "abc_cover")  # smtbmc -c, or an ABC bmc3 trace of the cover as an assertion
    out["formal_summary"] = {
        "proven": sum(1 for v in formal.values() if v["status"] == "pass" and v["mode"] not in covers),
        "covered": sum(v.get("covered", 0) for v in formal.values() if v["mode"] in covers),
        "failed": sum(1 for v in formal.values() if v["status"] != "pass"),
    }

    for backend in ("device", "rtl"):
        rep = load(os.path.join(r, f"faults-{backend}.json"), missing)
        if rep:
            out["faults"][backend] = rep
            bad += rep["passed"] != rep["run"]

    path = os.path.join(r, "reliability.json")
    os.makedirs(r, exist_ok=True)
    with open(path, "w") as f:
        json.dump(out, f, indent=2)
    fz = out["fuzz"]
    print(f"reliability: fuzz {sum(v['executions'] for v in fz.values())} executions, "
          f"{sum(v['crashes'] for v in fz.values())} crashes over {len(fz)} harnesses; formal "
          f"{out['formal_summary']}; faults "
          + ", ".join(f"{b} {v['passed']}/{v['run']}" for b, v in out["faults"].items())
          + (f"; missing {missing}" if missing else "") + f" -> {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
