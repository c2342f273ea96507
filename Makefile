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
HELP_LINES :=

include cmodel/cmodel.mk
-include sw/sw.mk
-include rtl/rtl.mk
-include tb/verilator/verilator.mk
-include tb/systemc/systemc.mk
-include qat/qat.mk
-include synth/synth.mk

.PHONY: all deps test help clean
all: $(ALL_TARGETS)

deps:
	scripts/install-deps.sh

test: $(TEST_TARGETS)
	@echo "make test: all test targets passed ($(TEST_TARGETS))"

help:
	@echo "shiftkit make targets:"
	@echo "  all          build the golden library and the shiftkit CLI (default)"
	@echo "  deps         install the Debian packages the project needs"
	@echo "  test         run every test suite (what CI runs)"
	@printf '%s\n' $(HELP_LINES)
	@echo "  clean        remove build/"

clean:
	rm -rf $(BUILD)
