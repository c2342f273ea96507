#!/usr/bin/env bash
# sc_test.sh — `make sc-test`: every case under CASES/gen and CASES/gen-cnn (written by
# `shiftkit gen` and `shiftkit gen --cnn`) and up to TRAINED_MAX trained models (MLPs
# and CNNs) exported by `make qat-bench`
# (BUILD/qat-bench/*/model.skm with vectors/input.npy, vectors/expected.npy) go through
# `shiftkit check --backend sc-tlm` and `--backend sc-rtl` (the unchanged C driver on
# the SystemC TLM target and on the Verilated RTL behind the AXI4-Lite bridge),
# compared whole-tensor with the golden expected.npy; the documented example platform
# runs the first case and the first CNN on both targets. Simulated times go to REPORT (systemc.json) via
# sc_report.py. The bus-level test (sk-sc-bus-test) and the random-traffic
# comparison of the two targets (sk-sc-random-test, SC_RANDOM_SEEDS seeds) run first. Closing line:
# "N passed, M failed" over (network, target) runs, bus tests and example runs.
# Usage: sc_test.sh SHIFTKIT BIN CASES REPORT PYTHON TRAINED_MAX BUILD
set -u
shiftkit=$1 bin=$2 cases=$3 report=$4 python=$5 trained_max=$6 build=$7
example=$bin/sk-sc-example
export SC_COPYRIGHT_MESSAGE=DISABLE  # no SystemC banner in the test log
timing=$cases/timing.jsonl
: > "$timing"
passed=0 failed=0

POLL_CASES=${POLL_CASES:-5}

# register-map behaviour of both targets, side by side
bus_out=$("$bin/sk-sc-bus-test")
echo "$bus_out"
for target in tlm rtl bridge-timeout; do
    if grep -q "^bus test $target: [0-9]* checks, 0 failed" <<<"$bus_out"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
done

skipped=0
run_case() {  # run_case "MODEL INPUT EXPECTED" TARGET [ENV...]: one check, counted
    local files=$1 target=$2 out
    shift 2
    # shellcheck disable=SC2086 # files is three paths without blanks
    if out=$(env SHIFTKIT_SC_TIMING="$timing" "$@" "$shiftkit" check $files \
             --backend "$target" 2>&1); then
        passed=$((passed + 1))
    elif [[ $files != "$cases"/* && $out == *"does not fit the device"* ]]; then
        # a trained model larger than the Verilated default build: not a failure
        skipped=$((skipped + 1))
        echo "skip ${files%% *} on $target: ${out##*error: }"
    else
        failed=$((failed + 1))
        printf 'FAIL %s on %s %s:\n%s\n' "${files%% *}" "$target" "$*" "$out"
        echo "replay: $* $shiftkit check $files --backend $target"
    fi
}

# random bus traffic, every answer compared between the two targets
for seed in $(seq 1 "${SC_RANDOM_SEEDS:-3}"); do
    if "$bin/sk-sc-random-test" "$seed" "${SC_RANDOM_ITERATIONS:-400}"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL random traffic seed $seed; replay: $bin/sk-sc-random-test $seed ${SC_RANDOM_ITERATIONS:-400}"
    fi
done

vectors=()  # "MODEL INPUT EXPECTED" per network
for d in "$cases"/gen/case_*; do
    [ -d "$d" ] && vectors+=("$d/model.skm $d/input.npy $d/expected.npy")
done
[ ${#vectors[@]} -gt 0 ] || { echo "sc-test: no cases under $cases/gen"; exit 1; }
ndense=${#vectors[@]}
for d in "$cases"/gen-cnn/case_*; do
    [ -d "$d" ] && vectors+=("$d/model.skm $d/input.npy $d/expected.npy")
done
ngen=${#vectors[@]}
trained=("$build"/qat-bench/*/vectors/expected.npy)
for e in "${trained[@]:0:$trained_max}"; do
    [ -f "$e" ] || continue
    d=$(dirname "$(dirname "$e")")
    [ -f "$d/model.skm" ] && [ -f "$d/vectors/input.npy" ] &&
        vectors+=("$d/model.skm $d/vectors/input.npy $e")
done
echo "sc-test: $ngen generated networks ($((ngen - ndense)) CNNs), $((${#vectors[@]} - ngen)) trained models"

for v in "${vectors[@]}"; do
    for target in sc-tlm sc-rtl; do
        run_case "$v" "$target"
    done
done
# the first POLL_CASES networks and the first CNN
for v in "${vectors[@]:0:$POLL_CASES}" "${vectors[@]:$ndense:1}"; do
    for target in sc-tlm sc-rtl; do
        run_case "$v" "$target" SHIFTKIT_SC_WAIT=poll SHIFTKIT_SC_TIMING=
    done
done
# another clock period (250 MHz) on both targets
for v in "${vectors[@]:0:3}"; do
    for target in sc-tlm sc-rtl; do
        run_case "$v" "$target" SHIFTKIT_SC_CLOCK_PS=4000 SHIFTKIT_SC_TIMING=
    done
done
# a bad setting is refused with a message naming it, never run with a guess
# shellcheck disable=SC2086
if out=$(SHIFTKIT_SC_CLOCK_PS=10ns "$shiftkit" check ${vectors[0]} --backend sc-rtl 2>&1); then
    failed=$((failed + 1)); echo "FAIL SHIFTKIT_SC_CLOCK_PS=10ns accepted"
elif [[ $out == *SHIFTKIT_SC_CLOCK_PS* ]]; then
    passed=$((passed + 1))
else
    failed=$((failed + 1)); echo "FAIL SHIFTKIT_SC_CLOCK_PS=10ns: unclear error: $out"
fi

# the first network and the first CNN
for v in "${vectors[0]}" "${vectors[@]:$ndense:1}"; do
    for target in tlm rtl; do
        # shellcheck disable=SC2086
        if "$example" "$target" $v; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "FAIL example platform ($target) on $v"
        fi
        # the block printed in docs/systemc.md: runs the driver, no comparison
        # shellcheck disable=SC2086
        if "$bin/sk-sc-doc-example" "$target" ${v% *}; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "FAIL docs/systemc.md example ($target) on $v"
        fi
    done
done

"$python" tb/systemc/sc_report.py "$timing" "$report" || failed=$((failed + 1))
[ "$skipped" -eq 0 ] || echo "sc-test: $skipped runs skipped (trained models too large for the default build)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
