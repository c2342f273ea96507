#!/bin/sh
# Install every Debian package shiftkit needs, and only what is missing.
# Idempotent: a second run installs nothing. Works as root or through sudo.
# (yosys-smtbmc ships in the yosys package.)
# Usage: scripts/install-deps.sh [--check]   (--check lists what is missing, exit 1 if any)
set -eu

# libopenblas0: Debian's torch otherwise runs float training on the reference BLAS,
# about 5x slower.
PACKAGES="
build-essential make pkg-config
clang libclang-rt-14-dev
libcmocka-dev
verilator iverilog yosys cvc5 nextpnr-ice40 fpga-icestorm
libsystemc-dev
libopenblas0
python3 python3-torch python3-numpy python3-sklearn python3-matplotlib python3-tqdm python3-pytest
dataset-fashion-mnist
"

missing=""
for pkg in $PACKAGES; do
    status=$(dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $pkg" ;;
    esac
done

if [ "${1:-}" = "--check" ]; then
    if [ -n "$missing" ]; then echo "missing:$missing"; exit 1; fi
    echo "all dependencies installed"; exit 0
fi

if [ -z "$missing" ]; then
    echo "install-deps: all dependencies already installed"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-deps: need root or sudo to install:$missing" >&2
    exit 1
fi

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086 # word splitting of the package list is intended
$SUDO apt-get install -y -q --no-install-recommends $missing
echo "install-deps: done"
