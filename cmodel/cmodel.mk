# cmodel/cmodel.mk — the golden-model library libshiftkit, the shiftkit CLI and
# their cmocka tests (plain and ASan+UBSan builds).

CMODEL_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
                 -Wmissing-prototypes -fPIC -D_POSIX_C_SOURCE=200809L -Icmodel/include
CMODEL_SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
                    -fno-omit-frame-pointer

CMODEL_LIB_SRCS := $(wildcard cmodel/src/*.c)
CMODEL_CLI_SRCS := $(filter-out cmodel/cli/main.c,$(wildcard cmodel/cli/*.c))
CMODEL_TEST_SRCS := $(wildcard cmodel/tests/test_*.c)
CMODEL_TESTS := $(patsubst cmodel/tests/%.c,%,$(CMODEL_TEST_SRCS))

CMODEL_LIB_OBJS := $(patsubst cmodel/%.c,$(OBJ)/cmodel/%.o,$(CMODEL_LIB_SRCS))
CMODEL_SAN_OBJS := $(patsubst cmodel/%.c,$(OBJ)/cmodel-san/%.o,$(CMODEL_LIB_SRCS))
CMODEL_CLI_OBJS := $(patsubst cmodel/%.c,$(OBJ)/cmodel/%.o,$(CMODEL_CLI_SRCS))
CMODEL_MAIN_OBJ := $(OBJ)/cmodel/cli/main.o

LIBSHIFTKIT_A := $(LIB)/libshiftkit.a
LIBSHIFTKIT_SO := $(LIB)/libshiftkit.so
# The CLI front end (sk_cli_main + golden backend) for backend binaries to link.
LIBSHIFTKIT_CLI_A := $(LIB)/libshiftkit_cli.a
SHIFTKIT_CLI := $(BIN)/shiftkit

ALL_TARGETS += $(LIBSHIFTKIT_A) $(LIBSHIFTKIT_SO) $(LIBSHIFTKIT_CLI_A) $(SHIFTKIT_CLI)
TEST_TARGETS += test-c test-c-asan test-cli
HELP_LINES += "  lib          build/lib/libshiftkit.{a,so} (the golden model)" \
              "  test-c       cmocka unit tests of the golden model" \
              "  test-c-asan  the same tests under ASan+UBSan" \
              "  test-cli     CLI tests: exit codes, gen+check, requant worked examples"

.PHONY: lib test-c test-c-asan test-cli
lib: $(LIBSHIFTKIT_A) $(LIBSHIFTKIT_SO)

$(OBJ)/cmodel/%.o: cmodel/%.c $(wildcard cmodel/include/shiftkit/*.h) $(wildcard cmodel/src/*.h) cmodel/cli/sk_cli.h
	@mkdir -p $(dir $@)
	$(CC) $(CMODEL_CFLAGS) -c $< -o $@

$(OBJ)/cmodel-san/%.o: cmodel/%.c $(wildcard cmodel/include/shiftkit/*.h) $(wildcard cmodel/src/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CMODEL_CFLAGS) $(CMODEL_SAN_FLAGS) -c $< -o $@

$(LIBSHIFTKIT_A): $(CMODEL_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(LIBSHIFTKIT_SO): $(CMODEL_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) -shared -o $@ $^

$(LIBSHIFTKIT_CLI_A): $(CMODEL_CLI_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(SHIFTKIT_CLI): $(CMODEL_MAIN_OBJ) $(LIBSHIFTKIT_CLI_A) $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $(CMODEL_MAIN_OBJ) $(LIBSHIFTKIT_CLI_A) $(LIBSHIFTKIT_A)

$(BIN)/tests/%: cmodel/tests/%.c $(wildcard cmodel/tests/*.h) $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	$(CC) $(CMODEL_CFLAGS) -Icmodel/tests -o $@ $< $(LIBSHIFTKIT_A) -lcmocka -lm

$(BIN)/tests-san/%: cmodel/tests/%.c $(wildcard cmodel/tests/*.h) $(CMODEL_SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CMODEL_CFLAGS) $(CMODEL_SAN_FLAGS) -Icmodel/tests -o $@ $< $(CMODEL_SAN_OBJS) -lcmocka -lm

test-c: $(addprefix $(BIN)/tests/,$(CMODEL_TESTS))
	@set -e; for t in $^; do echo "== $$t"; SK_TEST_DATA=cmodel/tests/data $$t; done

test-c-asan: $(addprefix $(BIN)/tests-san/,$(CMODEL_TESTS))
	@set -e; for t in $^; do echo "== $$t (asan+ubsan)"; \
	  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 SK_TEST_DATA=cmodel/tests/data $$t; done

test-cli: $(SHIFTKIT_CLI)
	SHIFTKIT=$(SHIFTKIT_CLI) BUILD=$(BUILD) cmodel/tests/cli_test.sh

# ---- fuzzing (libFuzzer, clang) ----
# make fuzz FUZZ_SECONDS=N runs every harness for N seconds from its seed corpus
# (cmodel/fuzz/corpus/<name>) and writes build/reports/fuzz.json; fuzz-short is the
# CI slice run by make test.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_HARNESSES := $(patsubst cmodel/fuzz/fuzz_%.c,%,$(wildcard cmodel/fuzz/fuzz_*.c))
FUZZ_FLAGS := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
              -D_POSIX_C_SOURCE=200809L -Icmodel/include
TEST_TARGETS += fuzz-short
HELP_LINES += "  fuzz         libFuzzer on every harness: .skm and .npy readers, driver model loading" \
              "               (FUZZ_SECONDS=60 each; fuzz-golden: the two readers only)" \
              "  fuzz-short   the readers for 10 s each (part of make test; fuzz-drv-short the driver)"

$(BIN)/fuzz/fuzz_%: cmodel/fuzz/fuzz_%.c cmodel/fuzz/sk_fuzz_skm.h $(CMODEL_LIB_SRCS) $(wildcard cmodel/include/shiftkit/*.h) $(wildcard cmodel/src/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(CMODEL_LIB_SRCS)

# `make fuzz` runs every harness of the kit: these and sw/fuzz/fuzz_drv.mk's fuzz-drv.
.PHONY: fuzz fuzz-golden fuzz-short
fuzz: fuzz-golden fuzz-drv

fuzz-golden: $(addprefix $(BIN)/fuzz/fuzz_,$(FUZZ_HARNESSES))
	@mkdir -p $(REPORTS)
	$(PYTHON) scripts/run_fuzz.py --seconds $(FUZZ_SECONDS) --bin $(BIN)/fuzz \
	    --corpus cmodel/fuzz/corpus --work $(BUILD)/fuzz --report $(REPORTS)/fuzz.json $(FUZZ_HARNESSES)

fuzz-short:
	$(MAKE) --no-print-directory fuzz-golden FUZZ_SECONDS=10

# The .npy reader/writer against real numpy (ctypes on the shared library).
TEST_TARGETS += test-npy-numpy
test-npy-numpy: $(LIBSHIFTKIT_SO)
	PYTHON=$(PYTHON) cmodel/tests/npy_numpy_check.sh $(LIBSHIFTKIT_SO)

# Intermediate sanitizer objects are kept so test-c-asan does not rebuild them.
.SECONDARY: $(CMODEL_SAN_OBJS)

# ---- golden-model throughput benchmark (not part of make test) ----
HELP_LINES += "  bench        golden kernels vs PyTorch quantized Linear, Verilator speed and trace tax," \
              "               Verilator vs Icarus, regression networks/s -> build/reports/bench.json"
$(BIN)/bench_dense: cmodel/bench/bench_dense.c $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	$(CC) $(CMODEL_CFLAGS) -o $@ $< $(LIBSHIFTKIT_A)

.PHONY: bench
bench: $(BIN)/bench_dense sim-bench-bins
	nice $(PYTHON) scripts/bench.py --bench-dense $(BIN)/bench_dense --python $(PYTHON) \
	    --report $(REPORTS)/bench.json --sim-bin-dir $(BIN) --icarus-vvp $(ICARUS_VVP) \
	    --icarus-image $(ICARUS_IMAGE) --icarus-cases $(ICARUS_CASES) --make "$(MAKE)" \
	    --verilator-flags "$(VERILATOR_FLAGS) OPT_FAST=$(VSK_OPT_FAST)"
