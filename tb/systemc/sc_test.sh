#!/usr/bin/env bash
# sc_test.sh — `make sc-test`: every case under CASES/gen (written by `shiftkit gen`)
# and up to TRAINED_MAX trained models exported under BUILD/qat* go through
# `shiftkit check --backend sc-tlm` and `--backend sc-rtl` (the unchanged C driver on
# the SystemC TLM target and on the Verilated RTL behind the AXI4-Lite bridge),
# compared whole-tensor with the golden expected.npy; the documented example platform
# runs the first case on both targets. Simulated times go to REPORT (systemc.json) via
# sc_report.py. Closing line: "N passed, M failed" over (case, target) runs.
# Usage: sc_test.sh SHIFTKIT SK_SC_EXAMPLE CASES REPORT PYTHON TRAINED_MAX BUILD
set -u
shiftkit=$1 example=$2 cases=$3 report=$4 python=$5 trained_max=$6 build=$7
timing=$cases/timing.jsonl
: > "$timing"
passed=0 failed=0

run_case() {  # run_case DIR TARGET
    local dir=$1 target=$2 out
    if out=$(SHIFTKIT_SC_TIMING=$timing "$shiftkit" check "$dir/model.skm" "$dir/input.npy" \
             "$dir/expected.npy" --backend "$target" 2>&1); then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        printf 'FAIL %s on %s:\n%s\n' "$dir" "$target" "$out"
        echo "replay: $shiftkit check $dir/model.skm $dir/input.npy $dir/expected.npy --backend $target"
    fi
}

dirs=("$cases"/gen/case_*)
# trained models: an exporter's directory holds model.skm, input.npy and expected.npy
while IFS= read -r skm; do
    d=$(dirname "$skm")
    [ -f "$d/input.npy" ] && [ -f "$d/expected.npy" ] && dirs+=("$d")
done < <(find "$build" -path "$build/qat*" -name model.skm 2>/dev/null | sort | head -n "$trained_max")
[ -d "${dirs[0]}" ] || { echo "sc-test: no cases under $cases/gen"; exit 1; }

for dir in "${dirs[@]}"; do
    for target in sc-tlm sc-rtl; do
        run_case "$dir" "$target"
    done
done
for target in tlm rtl; do
    d=${dirs[0]}
    if "$example" "$target" "$d/model.skm" "$d/input.npy" "$d/expected.npy"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL documented example platform ($target) on $d"
    fi
done

"$python" tb/systemc/sc_report.py "$timing" "$report" || failed=$((failed + 1))
echo "sc-test: ${#dirs[@]} networks x 2 targets + example x 2"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
