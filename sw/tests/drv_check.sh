#!/usr/bin/env bash
# drv_check.sh — driver in the loop on the device model: every case directory that
# `shiftkit gen` wrote under DIR goes through `shiftkit check --backend device` (the
# driver loads the model over the HAL, runs the batch, reads the outputs), compared
# bit for bit with the golden outputs. Prints "N passed, M failed" over cases and the
# replay command of the first failure. Usage: drv_check.sh SHIFTKIT DIR [LABEL [BACKEND]]
set -u
shiftkit=$1 dir=$2 label=${3:-device} backend=${4:-device}
passed=0 failed=0 first=""
for case in "$dir"/case_*; do
    [ -d "$case" ] || continue
    if out=$("$shiftkit" check "$case/model.skm" "$case/input.npy" "$case/expected.npy" \
             --backend "$backend" 2>&1); then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        if [ -z "$first" ]; then
            first=$case
            printf 'FAIL %s:\n%s\n' "$case" "$out"
        fi
    fi
done
echo "$label: $passed passed, $failed failed"
if [ "$failed" -ne 0 ]; then
    echo "replay: $shiftkit check $first/model.skm $first/input.npy $first/expected.npy --backend $backend"
    [ -f "$dir/manifest.txt" ] && grep -i replay "$dir/manifest.txt"
    exit 1
fi
[ "$passed" -gt 0 ] || { echo "no cases under $dir"; exit 1; }
