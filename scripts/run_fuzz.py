#!/usr/bin/env python3
"""Run libFuzzer harnesses for a fixed time each and write a JSON report.

Each harness NAME is the binary BIN/fuzz_NAME, seeded from CORPUS/NAME (read only:
new inputs go to WORK/NAME/corpus) with crash artifacts in WORK/NAME/. A crash,
leak, timeout (a hang: more than 10 s on one input) or sanitizer report is a
failure: the exit status is 1 and the report names the artifact to replay with
`BIN/fuzz_NAME ARTIFACT`.
"""
import argparse
import json
import os
import re
import subprocess
import sys


def run_harness(name, args):
    binary = os.path.join(args.bin, "fuzz_" + name)
    seeds = os.path.join(args.corpus, name)
    work = os.path.join(args.work, name)
    corpus = os.path.join(work, "corpus")
    os.makedirs(corpus, exist_ok=True)
    cmd = [binary, f"-max_total_time={args.seconds}", "-print_final_stats=1", "-timeout=10",
           "-rss_limit_mb=2048", f"-artifact_prefix={work}/", corpus, seeds]
    print(f"fuzz: {name}: {args.seconds} s from {seeds} ...", flush=True)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          errors="replace")
    log_path = os.path.join(work, "fuzz.log")
    with open(log_path, "w") as log:
        log.write(proc.stdout)
    stats = dict(re.findall(r"^stat::(\w+):\s+(\d+)", proc.stdout, re.M))
    artifacts = sorted(f for f in os.listdir(work) if re.match(r"(crash|leak|timeout|oom)-", f))
    result = {
        "seconds": args.seconds,
        "executions": int(stats.get("number_of_executed_units", 0)),
        "exec_per_s": int(stats.get("average_exec_per_sec", 0)),
        "new_units": int(stats.get("new_units_added", 0)),
        "exit_code": proc.returncode,
        "crashes": len(artifacts) + (1 if proc.returncode != 0 and not artifacts else 0),
        "artifacts": [os.path.join(work, a) for a in artifacts],
        "log": log_path,
    }
    status = "ok" if result["crashes"] == 0 else "FAILED"
    print(f"fuzz: {name}: {result['executions']} executions, {result['crashes']} crashes "
          f"-> {status}", flush=True)
    if result["crashes"]:
        tail = proc.stdout.strip().splitlines()[-25:]
        print("\n".join(tail))
        for a in result["artifacts"]:
            print(f"fuzz: replay with: {binary} {a}")
    return result


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=int, default=60, help="time per harness")
    p.add_argument("--bin", required=True, help="folder holding fuzz_NAME binaries")
    p.add_argument("--corpus", required=True, help="folder holding one seed folder per harness")
    p.add_argument("--work", required=True, help="scratch folder for corpora and artifacts")
    p.add_argument("--report", required=True, help="JSON report to write")
    p.add_argument("harnesses", nargs="+")
    args = p.parse_args()
    if args.seconds < 1:
        p.error("--seconds must be at least 1")
    report = {name: run_harness(name, args) for name in args.harnesses}
    os.makedirs(os.path.dirname(args.report) or ".", exist_ok=True)
    tmp = args.report + ".tmp"
    with open(tmp, "w") as f:
        json.dump(report, f, indent=2)
    os.replace(tmp, args.report)
    crashes = sum(r["crashes"] for r in report.values())
    print(f"fuzz: {len(report)} harnesses, {crashes} crashes; report in {args.report}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
