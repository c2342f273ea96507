# shiftkit — the one entry point. `make help` lists the targets.
#
# Each area keeps its rules in its own fragment (cmodel/cmodel.mk, rtl/rtl.mk, ...);
# a fragment adds its test targets to TEST_TARGETS and its help lines to HELP_LINES.

.DEFAULT_GOAL := all
SHELL := /bin/bash

BUILD ?= build
BIN := $(BUILD)/bin
LIB := $(BUILD)/lib
OBJ := $(BUILD)/obj
REPORTS := $(BUILD)/reports

CC ?= gcc
CXX ?= g++
# Debian's torch lives in /usr/bin/python3's dist-packages; a python3 earlier on PATH
# (pyenv, venv) may not see it, so pick the system interpreter when it exists.
PYTHON ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)

TEST_TARGETS :=
HELP_LINES := "  demo         train the digits MLP with PoT QAT and run it bit-exactly on every rung" \
              "               (DATASET=fashion-mnist for Fashion-MNIST; ARCH=cnn trains a small CNN;" \
              "               DEMO_ARGS=\"--epochs 1 --qat-epochs 1 --samples 200\" for a quick run);" \
              "               report in build/demo/"

include cmodel/cmodel.mk
-include sw/sw.mk
-include rtl/rtl.mk
-include tb/verilator/verilator.mk
-include tb/systemc/systemc.mk
-include qat/qat.mk
-include synth/synth.mk
-include tests/faults/faults.mk
-include formal/formal.mk
-include sw/fuzz/fuzz_drv.mk
-include tests/reliability/reliability.mk

# The main flow (docs/verification.md): train, export, run every rung, report.
DATASET ?= digits
ARCH ?= mlp
# more options of scripts/demo.py (--epochs, --qat-epochs, --samples, --rounding)
DEMO_ARGS ?=

.PHONY: all deps test help clean demo demo-run
all: $(ALL_TARGETS)

deps:
	scripts/install-deps.sh

test: $(TEST_TARGETS)
	@echo "make test: all test targets passed ($(TEST_TARGETS))"

demo:
	scripts/install-deps.sh
	$(MAKE) --no-print-directory demo-run

demo-run: $(SHIFTKIT_CLI) $(LIBSHIFTKIT_SO) $(SHIFTKIT_DEVICE) $(SHIFTKIT_RTL) $(SHIFTKIT_SC_LINKS)
	$(PYTHON) scripts/demo.py --dataset $(DATASET) --arch $(ARCH) $(DEMO_ARGS) -o $(BUILD)/demo

help:
	@echo "shiftkit make targets:"
	@echo "  all          build the golden library and the shiftkit CLI (default)"
	@echo "  deps         install the Debian packages the project needs"
	@echo "  test         run every test suite (what CI runs)"
	@printf '%s\n' $(HELP_LINES)
	@echo "  clean        remove build/"

clean:
	rm -rf $(BUILD)
