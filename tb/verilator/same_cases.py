#!/usr/bin/env python3
"""same_cases.py — check that two regression reports hold the same cases with the same
results: used by `make test-regress-shards` to compare merged shards with the
unsharded run.

    same_cases.py A.json B.json          case names, pass, cycles, sim_cycles, error
    same_cases.py --junit A.xml B.xml    testcase names and failure messages

Exit status 0 when equal; 1 (the first difference on stderr) otherwise; 2 on bad input.
"""
import json
import sys
import xml.etree.ElementTree as ET

KEYS = ("name", "pass", "cycles", "macs", "sim_cycles", "error")


def json_cases(path):
    with open(path, encoding="utf-8") as f:
        return [{k: c.get(k) for k in KEYS} for c in json.load(f)["cases"]]


def junit_cases(path):
    root = ET.parse(path).getroot()
    out = []
    for tc in root.iter("testcase"):
        fail = tc.find("failure")
        out.append({"name": tc.get("name"), "failure": None if fail is None else fail.get("message")})
    return out


def main(argv):
    junit = argv[:1] == ["--junit"]
    paths = argv[1:] if junit else argv
    if len(paths) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        a, b = (junit_cases(p) if junit else json_cases(p) for p in paths)
    except (OSError, ValueError, KeyError, ET.ParseError) as e:
        print(f"same_cases: {e}", file=sys.stderr)
        return 2
    if not a:
        print(f"same_cases: {paths[0]} has no cases", file=sys.stderr)
        return 1
    if len(a) != len(b):
        print(f"same_cases: {paths[0]} has {len(a)} cases, {paths[1]} {len(b)}", file=sys.stderr)
        return 1
    for x, y in zip(a, b):
        if x != y:
            print(f"same_cases: differ: {x} vs {y}", file=sys.stderr)
            return 1
    print(f"same_cases: {len(a)} cases equal in {paths[0]} and {paths[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
