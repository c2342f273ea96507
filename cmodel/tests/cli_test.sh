#!/usr/bin/env bash
# cli_test.sh — end-to-end tests of the shiftkit CLI: exit codes, bad input, no
# partial outputs, gen + check over 200 cases, and `requant` against every worked
# example of docs/datapath.md (parsed from the spec's tables, so the spec itself is
# the expected value).
#
# Usage: SHIFTKIT=build/bin/shiftkit cmodel/tests/cli_test.sh
set -u
SHIFTKIT=${SHIFTKIT:-build/bin/shiftkit}
SPEC=${SPEC:-docs/datapath.md}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# expect_exit CODE DESCRIPTION -- command...
expect_exit() {
    local want=$1 what=$2
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "$what: exit $got, want $want; stderr: $(head -c 300 "$tmp/err")"; fi
}

# expect_stderr PATTERN DESCRIPTION (checks the last command's stderr)
expect_stderr() {
    if grep -q -- "$1" "$tmp/err"; then ok; else bad "$2: stderr lacks '$1': $(head -c 300 "$tmp/err")"; fi
}

# ---- usage and exit codes ----
expect_exit 2 "no arguments" -- "$SHIFTKIT"
expect_exit 0 "--help" -- "$SHIFTKIT" --help
grep -q "requant" "$tmp/out" && ok || bad "--help does not list requant"
expect_exit 0 "--version" -- "$SHIFTKIT" --version
expect_exit 2 "unknown command" -- "$SHIFTKIT" frobnicate
expect_exit 2 "unknown option" -- "$SHIFTKIT" gen --seed 1 --count 1 -o "$tmp/x" --bogus
expect_exit 2 "gen without seed" -- "$SHIFTKIT" gen --count 1 -o "$tmp/x"
expect_exit 2 "gen with bad count" -- "$SHIFTKIT" gen --seed 1 --count zero -o "$tmp/x"
expect_exit 2 "check with missing arguments" -- "$SHIFTKIT" check a.skm
expect_exit 2 "unavailable backend" -- "$SHIFTKIT" check a b c --backend nosuch
expect_stderr "shiftkit-nosuch" "unavailable backend names the executable"

# ---- requant: the worked examples of the spec ----
# Table 1: | acc | s | v | floor | half_up | half_away | half_even |  (signed 8-bit)
awk -F'|' '/^\| -?[0-9]+ \| -?[0-9]+ \| / && NF == 9 {
    gsub(/ /, ""); modes[5]="floor"; modes[6]="half_up"; modes[7]="half_away"; modes[8]="half_even";
    for (c = 5; c <= 8; c++) print $2, $3, modes[c], 8, 1, 0, $c }' "$SPEC" >"$tmp/table1"
# Table 2: | acc | s | mode | out type | relu | result |
awk -F'|' '/^\| -?[0-9]+ \| -?[0-9]+ \| [a-z_]+ \| (signed|unsigned)/ {
    type = $5; signed = (type ~ /unsigned/) ? 0 : 1; match(type, /[0-9]+-bit/);
    bits = substr(type, RSTART, RLENGTH - 4); relu = ($6 ~ /yes/) ? 1 : 0;
    gsub(/ /, "", $2); gsub(/ /, "", $3); gsub(/ /, "", $4); gsub(/ /, "", $7);
    print $2, $3, $4, bits, signed, relu, $7 }' "$SPEC" >"$tmp/table2"
cat "$tmp/table1" "$tmp/table2" >"$tmp/examples"
rows=$(wc -l <"$tmp/examples")
if [ "$rows" -lt 70 ]; then bad "parsed only $rows worked examples from $SPEC"; fi
cut -d' ' -f1-6 "$tmp/examples" | "$SHIFTKIT" requant - >"$tmp/got" 2>"$tmp/err" || bad "requant - failed: $(cat "$tmp/err")"
paste -d' ' "$tmp/examples" "$tmp/got" | while read -r acc s mode bits sgn relu want got; do
    [ "$got" = "$want" ] || echo "requant $acc $s $mode $bits signed=$sgn relu=$relu: got $got, spec says $want"
done >"$tmp/requant_diff"
if [ -s "$tmp/requant_diff" ]; then bad "$(cat "$tmp/requant_diff")"; else ok; fi
echo "cli_test: $rows worked examples from $SPEC checked"
# The option form agrees with the stdin form on one row.
"$SHIFTKIT" requant --acc -5 --shift 1 --mode half_even --bits 8 | grep -qx -- "-2" && ok || bad "requant option form"
"$SHIFTKIT" requant --acc 37 --shift 2 --mode half_even --bits 3 --unsigned | grep -qx 7 && ok || bad "requant --unsigned"
"$SHIFTKIT" requant --acc -5 --shift 1 --mode half_up --bits 4 --relu | grep -qx 0 && ok || bad "requant --relu"
expect_exit 2 "requant bad mode" -- "$SHIFTKIT" requant --acc 1 --shift 1 --mode nearest --bits 8
expect_stderr "MODE" "requant bad mode names the field"
expect_exit 2 "requant shift 32" -- "$SHIFTKIT" requant --acc 1 --shift 32 --mode floor --bits 8
expect_stderr "SHIFT" "requant shift names the field"
expect_exit 2 "requant shift -17" -- "$SHIFTKIT" requant --acc 1 --shift -17 --mode floor --bits 8
expect_exit 2 "requant bits 9" -- "$SHIFTKIT" requant --acc 1 --shift 1 --mode floor --bits 9
expect_exit 2 "requant acc beyond int32" -- "$SHIFTKIT" requant --acc 2147483648 --shift 1 --mode floor --bits 8
printf '1 1 floor 8 1 0\n1 1 floor\n' >"$tmp/badlines"
expect_exit 2 "requant stdin short line" -- "$SHIFTKIT" requant - <"$tmp/badlines"
expect_stderr "line 2" "requant stdin error names the line"

# check_all DIR COUNT WHAT: every case under DIR checks clean with the golden backend.
check_all() {
    local total=0 d line
    for d in "$1"/case_*; do
        line=$("$SHIFTKIT" check "$d/model.skm" "$d/input.npy" "$d/expected.npy" --backend golden | tail -1)
        case "$line" in
            *" passed, 0 failed") total=$((total + 1)) ;;
            *) bad "check $d: $line" ;;
        esac
    done
    [ "$total" -eq "$2" ] && ok || bad "only $total of $2 generated $3 checked clean"
    echo "cli_test: $2 generated $3 checked, $total clean"
}

# ---- gen + check: 200 cases, all pass ----
"$SHIFTKIT" gen --seed 1 --count 200 -o "$tmp/v" --quiet || bad "gen failed"
check_all "$tmp/v" 200 "cases"
grep -q "seed: 1" "$tmp/v/manifest.txt" && ok || bad "manifest does not record the seed"
# Replaying one case reproduces it byte for byte.
"$SHIFTKIT" gen --seed 1 --first 17 --count 1 -o "$tmp/replay" --quiet
cmp -s "$tmp/replay/case_0017/model.skm" "$tmp/v/case_0017/model.skm" && ok || bad "replay of case 17 differs"

# ---- gen --cnn: conv2d/pooling/add networks (datapath §10–§14), 90 cases ----
"$SHIFTKIT" gen --seed 3 --count 90 --cnn -o "$tmp/cnn" --quiet || bad "gen --cnn failed"
check_all "$tmp/cnn" 90 "CNN cases"
grep -q "family: cnn" "$tmp/cnn/manifest.txt" && ok || bad "manifest does not record the CNN family"
grep -q -- "--cnn -o DIR" "$tmp/cnn/manifest.txt" && ok || bad "manifest replay line lacks --cnn"
# Dense cases do not change with the CNN family around: case 17 of seed 1 again.
"$SHIFTKIT" gen --seed 1 --first 17 --count 1 -o "$tmp/replay2" --quiet
cmp -s "$tmp/replay2/case_0017/model.skm" "$tmp/v/case_0017/model.skm" && ok || bad "dense case 17 changed"
# Version 2 files for CNN models, version 1 for dense ones (bytes 8..11 of the header).
[ "$(od -An -tu4 -j8 -N4 "$tmp/cnn/case_0001/model.skm" | tr -d ' ')" = 2 ] && ok || bad "CNN model is not .skm version 2"
[ "$(od -An -tu4 -j8 -N4 "$tmp/v/case_0000/model.skm" | tr -d ' ')" = 1 ] && ok || bad "dense model is not .skm version 1"
# info names kinds, shapes and geometry; run --trace writes NHWC layers.
cc="$tmp/cnn/case_0001"
"$SHIFTKIT" info "$cc/model.skm" >"$tmp/cnn_info" || bad "info on a CNN model failed"
grep -q "conv2d" "$tmp/cnn_info" && grep -q "(HWC)" "$tmp/cnn_info" && grep -q "kernel .* stride .* pad top" "$tmp/cnn_info" && ok || bad "info lacks kinds/shapes: $(cat "$tmp/cnn_info")"
expect_exit 0 "run --trace on a CNN model" -- "$SHIFTKIT" run "$cc/model.skm" "$cc/input.npy" -o "$tmp/cnn_out.npy" --trace "$tmp/cnn_trace"
cmp -s "$tmp/cnn_out.npy" "$cc/expected.npy" && ok || bad "CNN run output differs from expected.npy"
head -c 128 "$tmp/cnn_trace/layer00_acc.npy" | grep -aq "'shape': ([0-9]*, [0-9]*, [0-9]*, [0-9]*)" && ok || bad "conv trace is not 4-D NHWC"

c="$tmp/v/case_0000"
# run reproduces expected; --trace writes every layer.
expect_exit 0 "run" -- "$SHIFTKIT" run "$c/model.skm" "$c/input.npy" -o "$tmp/out.npy" --trace "$tmp/trace"
cmp -s "$tmp/out.npy" "$c/expected.npy" && ok || bad "run output differs from expected.npy"
layers=$("$SHIFTKIT" info "$c/model.skm" | head -1 | sed -E 's/.*: ([0-9]+) layers?.*/\1/')
[ "$(ls "$tmp/trace" | grep -c '_acc.npy')" -eq "$layers" ] && ok || bad "trace does not hold $layers layers"
last=$(printf 'layer%02d_out.npy' $((layers - 1)))
cmp -s "$tmp/trace/$last" "$c/expected.npy" && ok || bad "last traced output differs from expected"

# A mismatch: flip the last byte of expected.npy.
cp "$c/expected.npy" "$tmp/wrong.npy"
size=$(stat -c %s "$tmp/wrong.npy")
byte=$(od -An -tu1 -j $((size - 1)) -N1 "$tmp/wrong.npy" | tr -d ' ')
printf "\\$(printf %03o $((byte ^ 1)))" | dd of="$tmp/wrong.npy" bs=1 seek=$((size - 1)) conv=notrunc 2>/dev/null
expect_exit 1 "check with a wrong expected value" -- "$SHIFTKIT" check "$c/model.skm" "$c/input.npy" "$tmp/wrong.npy"
grep -q "first mismatch: sample" "$tmp/out" && ok || bad "mismatch report missing: $(cat "$tmp/out")"
grep -q " 1 failed" "$tmp/out" && ok || bad "closing line does not count the failure: $(cat "$tmp/out")"

# ---- bad input: clear errors, exit 1, no partial output ----
head -c 40 "$c/model.skm" >"$tmp/trunc.skm"
expect_exit 1 "info on a truncated model" -- "$SHIFTKIT" info "$tmp/trunc.skm"
expect_stderr "trunc.skm" "truncated-model error names the file"
expect_stderr "truncated" "truncated-model error gives the reason"
expect_exit 1 "run on a missing model" -- "$SHIFTKIT" run "$tmp/none.skm" "$c/input.npy" -o "$tmp/none.npy"
[ ! -e "$tmp/none.npy" ] && ok || bad "run on a missing model left an output file"
# An input of the wrong width for the model (case 1's input for case 0's model,
# unless they happen to match).
other="$tmp/v/case_0001"
if ! cmp -s <("$SHIFTKIT" info "$c/model.skm" | sed -n 3p | awk '{print $2}' | cut -dx -f1) \
            <("$SHIFTKIT" info "$other/model.skm" | sed -n 3p | awk '{print $2}' | cut -dx -f1); then
    expect_exit 1 "run with a wrong-shape input" -- "$SHIFTKIT" run "$c/model.skm" "$other/input.npy" -o "$tmp/shape.npy"
    expect_stderr "shape" "wrong-shape error gives the reason"
    [ ! -e "$tmp/shape.npy" ] && ok || bad "wrong-shape run left an output file"
fi
printf 'not a numpy file' >"$tmp/garbage.npy"
expect_exit 1 "run with a non-npy input" -- "$SHIFTKIT" run "$c/model.skm" "$tmp/garbage.npy" -o "$tmp/g.npy"
expect_stderr "garbage.npy" "bad-npy error names the file"
[ ! -e "$tmp/g.npy" ] && ok || bad "bad-npy run left an output file"
expect_exit 1 "gen into an impossible directory" -- "$SHIFTKIT" gen --seed 1 --count 1 -o /proc/nonexistent/x

echo "cli_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
