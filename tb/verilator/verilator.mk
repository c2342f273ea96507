# tb/verilator/verilator.mk — the Verilated core with its AXI4-Lite bus model and the
# driver in the loop: build/bin/shiftkit-rtl (the CLI's "rtl" backend),
# build/bin/sk-rtl-regress (many cases in one simulator), the directed cases, the
# random regression and the utilization benchmark.

# RTL_LANES picks the Lanes parameter of the simulated core. The default build (8)
# gives the plain binary names; any other gets its own model, objects and binaries
# with a -l<N> suffix (e.g. `make regress RTL_LANES=5` -> build/bin/sk-rtl-regress-l5).
RTL_LANES ?= 8
# RTL_TRACE picks the model's waveform support (docs/verification.md "Waveforms"):
#   1 (default): +trace writes a VCD of the debug signal set in tb/verilator/sk_trace.vlt
#     (bus, sequencer, lanes, requant pipeline), at about 3x the untraced CPU time;
#   full: +trace writes an FST of every signal (suffix -tfull), when the debug set is
#     not enough;
#   0: no trace code at all (suffix -nt), the benchmark's untraced variant.
RTL_TRACE ?= 1
RTL_VARIANT := $(if $(filter 8,$(RTL_LANES)),,-l$(RTL_LANES))$(if $(filter 0,$(RTL_TRACE)),-nt,)$(if $(filter full,$(RTL_TRACE)),-tfull,)
VSK_DIR := $(OBJ)/vsk$(RTL_VARIANT)
TB_OBJ := $(OBJ)/tb$(RTL_VARIANT)
VSK_MK := $(VSK_DIR)/Vsk_axil_top.mk
VSK_TRACE_VLT := tb/verilator/sk_trace.vlt
VSK_TRACE_FLAGS := $(if $(filter 0,$(RTL_TRACE)),,$(if $(filter full,$(RTL_TRACE)),--trace-fst,--trace $(VSK_TRACE_VLT)))
VSK_TRACE_OBJ := $(if $(filter full,$(RTL_TRACE)),verilated_fst_c.o,verilated_vcd_c.o)
VSK_OBJS := $(VSK_DIR)/Vsk_axil_top__ALL.a $(VSK_DIR)/verilated.o $(VSK_DIR)/$(VSK_TRACE_OBJ) \
            $(VSK_DIR)/verilated_threads.o
VERILATOR_ROOT_INC := /usr/share/verilator/include
TB_CXXFLAGS := -std=c++17 -O2 -g -Wall -Wextra -Werror -isystem $(VSK_DIR) -isystem $(VERILATOR_ROOT_INC) \
               -isystem $(VERILATOR_ROOT_INC)/vltstd -Itb/verilator -Isw/include -Icmodel/include -Icmodel/cli \
               $(if $(filter 0,$(RTL_TRACE)),-DSK_SIM_NO_TRACE,)$(if $(filter full,$(RTL_TRACE)),-DSK_SIM_TRACE_FST,)
# Verilator and model compiler flags: the fastest measured on this design (issue 11;
# docs/architecture.md "Verilator speed" has the figures). Single-threaded: --threads 2
# made a small core much slower.
VERILATOR_FLAGS ?= -O3 --x-assign fast --x-initial fast
VSK_OPT_FAST ?= -O2
TB_LDLIBS := -lz -pthread -latomic
TB_HEADERS := $(wildcard tb/verilator/*.h) $(wildcard sw/include/shiftkit/*.h) \
              $(wildcard cmodel/include/shiftkit/*.h)
TB_COMMON_OBJS := $(TB_OBJ)/sk_sim.o $(TB_OBJ)/sk_rtl_run.o

SHIFTKIT_RTL := $(BIN)/shiftkit-rtl
SK_RTL_REGRESS := $(BIN)/sk-rtl-regress$(RTL_VARIANT)
SK_RTL_DIRECTED := $(BIN)/sk-rtl-directed

# Random cases sized to the core's default memories (docs/regmap.md build defaults).
SEEDS ?= 100
REGRESS_SEED ?= 1
REGRESS_LIMITS ?= --max-layers 6 --max-dim 96 --max-batch 3
TEST_RANDOM_COUNT ?= 100
# make test also runs the directed and random cases on a core whose LANES is not a
# power of two (padding lanes in every weight row, N rarely a multiple of LANES).
TEST_ODD_LANES ?= 5
# and TEST_CNN_COUNT CNN networks (make regress-cnn, below) at both LANES.
TEST_CNN_COUNT ?= 36
DIRECTED_DIR := $(BUILD)/rtl-directed$(RTL_VARIANT)

ALL_TARGETS += $(SHIFTKIT_RTL) $(SK_RTL_REGRESS)
TEST_TARGETS += test-rtl
HELP_LINES += "  rtl-sim      build/bin/shiftkit-rtl (check --backend rtl) and sk-rtl-regress" \
              "  test-rtl     register tests, directed cases, $(TEST_RANDOM_COUNT) random networks and $(TEST_CNN_COUNT) CNNs (LANES 8 and $(TEST_ODD_LANES))" \
              "  regress      SEEDS=N random networks through the RTL (JUnit + build/reports/regress.json)" \
              "  rtl-bench    utilization at LANES=8 on 64x64, 256x256, 784x128 and a 3x3 conv2d 16->16 on 14x14 (build/reports/rtl_perf.json)"

.PHONY: rtl-sim test-rtl regress rtl-directed rtl-bench
rtl-sim: $(SHIFTKIT_RTL) $(SK_RTL_REGRESS)

$(VSK_MK): $(RTL_SRCS) $(RTL_INCS) $(VSK_TRACE_VLT)
	@mkdir -p $(VSK_DIR)
	verilator --cc $(VERILATOR_FLAGS) $(VSK_TRACE_FLAGS) -Irtl \
	  -GLanes=$(RTL_LANES) --top-module sk_axil_top -Mdir $(VSK_DIR) $(RTL_SRCS)

$(VSK_OBJS) &: $(VSK_MK)
	nice $(MAKE) -s -C $(VSK_DIR) -f Vsk_axil_top.mk OPT_FAST="$(VSK_OPT_FAST)" OPT_SLOW=-O1 OPT_GLOBAL=-O2 \
	  Vsk_axil_top__ALL.a verilated.o $(VSK_TRACE_OBJ) verilated_threads.o

$(TB_OBJ)/%.o: tb/verilator/%.cpp $(TB_HEADERS) $(VSK_MK)
	@mkdir -p $(dir $@)
	$(CXX) $(TB_CXXFLAGS) -c $< -o $@

$(SHIFTKIT_RTL): $(TB_OBJ)/sk_rtl_backend.o $(TB_COMMON_OBJS) $(VSK_OBJS) $(LIBSHIFTKIT_CLI_A) \
                 $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	$(CXX) -o $@ $(filter $(TB_OBJ)/%.o,$^) $(VSK_OBJS) $(LIBSHIFTKIT_CLI_A) $(LIBSHIFTKIT_DRV_A) \
	  $(LIBSHIFTKIT_A) $(TB_LDLIBS)

$(SK_RTL_REGRESS): $(TB_OBJ)/sk_rtl_regress.o $(TB_COMMON_OBJS) $(VSK_OBJS) \
                   $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	$(CXX) -o $@ $(filter $(TB_OBJ)/%.o,$^) $(VSK_OBJS) $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_DEV_A) $(LIBSHIFTKIT_A) $(TB_LDLIBS)
# the runner sets the device model's cycle estimate beside PERF_CYCLES for every case
$(SK_RTL_REGRESS): $(LIBSHIFTKIT_DEV_A)
$(TB_OBJ)/sk_rtl_regress.o: TB_CXXFLAGS += -Icmodel/device

$(SK_RTL_DIRECTED): tb/verilator/sk_rtl_directed.c $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	$(CC) $(CMODEL_CFLAGS) -o $@ $< $(LIBSHIFTKIT_A)

# Directed cases: written by sk-rtl-directed with the golden library (expected outputs
# from sk_infer), then run like the random ones.
rtl-directed: $(SK_RTL_DIRECTED) $(SK_RTL_REGRESS)
	@rm -rf $(DIRECTED_DIR) && mkdir -p $(DIRECTED_DIR) $(REPORTS)
	$(SK_RTL_DIRECTED) -o $(DIRECTED_DIR)
	$(SK_RTL_REGRESS) --suite rtl-directed$(RTL_VARIANT) --junit $(REPORTS)/rtl-directed$(RTL_VARIANT).xml \
	  --json $(REPORTS)/rtl-directed$(RTL_VARIANT).json $(DIRECTED_DIR)/*/

# make test: the directed cases, TEST_RANDOM_COUNT random networks and TEST_CNN_COUNT CNNs.
test-rtl: test-rtl-regs rtl-directed $(SHIFTKIT_CLI)
	$(MAKE) --no-print-directory regress SEEDS=$(TEST_RANDOM_COUNT)
	$(MAKE) --no-print-directory RTL_LANES=$(TEST_ODD_LANES) rtl-directed
	$(MAKE) --no-print-directory RTL_LANES=$(TEST_ODD_LANES) regress SEEDS=$(TEST_RANDOM_COUNT)
	$(MAKE) --no-print-directory regress-cnn SEEDS=$(TEST_CNN_COUNT)
	$(MAKE) --no-print-directory RTL_LANES=$(TEST_ODD_LANES) regress-cnn SEEDS=$(TEST_CNN_COUNT)

# make regress SEEDS=N: N cases of seed REGRESS_SEED (case i of a seed is the same on
# every machine: `shiftkit gen --seed S --first i --count 1` recreates it).
# SHARD=i/n (1 <= i <= n <= N) runs only the i-th of n disjoint contiguous blocks of
# the N cases, into its own directory and reports (REGRESS_TAG-shard-i-of-n.{xml,json});
# scripts/merge_reports combines the shards' reports, from any number of machines.
REGRESS_TAG ?= regress
REGRESS_SUITE ?= rtl-regress
ifneq ($(SHARD),)
SHARD_I := $(word 1,$(subst /, ,$(SHARD)))
SHARD_N := $(word 2,$(subst /, ,$(SHARD)))
ifneq ($(shell [ "$(SHARD_I)/$(SHARD_N)" = "$(SHARD)" ] && [ "$(SHARD_I)" -ge 1 ] 2>/dev/null && \
        [ "$(SHARD_I)" -le "$(SHARD_N)" ] && [ "$(SHARD_N)" -le "$(SEEDS)" ] && echo ok),ok)
$(error SHARD=$(SHARD): want i/n with 1 <= i <= n <= SEEDS ($(SEEDS)))
endif
REGRESS_FIRST := $(shell echo $$(( ($(SHARD_I) - 1) * $(SEEDS) / $(SHARD_N) )))
REGRESS_COUNT := $(shell echo $$(( $(SHARD_I) * $(SEEDS) / $(SHARD_N) - $(REGRESS_FIRST) )))
REGRESS_NAME := $(REGRESS_TAG)$(RTL_VARIANT)-shard-$(SHARD_I)-of-$(SHARD_N)
else
REGRESS_FIRST := 0
REGRESS_COUNT := $(SEEDS)
REGRESS_NAME := $(REGRESS_TAG)$(RTL_VARIANT)
endif
REGRESS_DIR := $(BUILD)/$(REGRESS_NAME)

regress: $(SHIFTKIT_CLI) $(SK_RTL_REGRESS)
	@rm -rf $(REGRESS_DIR) && mkdir -p $(REGRESS_DIR) $(REPORTS)
	$(SHIFTKIT_CLI) gen --quiet --seed $(REGRESS_SEED) --first $(REGRESS_FIRST) \
	  --count $(REGRESS_COUNT) $(REGRESS_LIMITS) -o $(REGRESS_DIR)
	$(SK_RTL_REGRESS) --suite $(REGRESS_SUITE)$(RTL_VARIANT) --seed $(REGRESS_SEED) \
	  --junit $(REPORTS)/$(REGRESS_NAME).xml --json $(REPORTS)/$(REGRESS_NAME).json \
	  $(REGRESS_DIR)/case_*/ || { \
	  echo "regress: a case fails; recreate it alone with:"; \
	  echo "  $(SHIFTKIT_CLI) gen --seed $(REGRESS_SEED) --first I --count 1 $(REGRESS_LIMITS) -o DIR"; \
	  exit 1; }

# make regress-cnn SEEDS=N: N CNN networks of seed REGRESS_SEED (`shiftkit gen --cnn`:
# conv2d, depthwise, maxpool, avgpool, residual add, dense heads; NHWC tensors), through
# the same runner, comparisons and reports (build/reports/regress-cnn.{xml,json}); SHARD
# and RTL_LANES work as for regress. make test runs TEST_CNN_COUNT of them (every one of
# gen's nine CNN scenarios four times) at LANES 8 and TEST_ODD_LANES.
REGRESS_CNN_LIMITS ?= --cnn $(REGRESS_LIMITS)
HELP_LINES += "  regress-cnn  SEEDS=N random CNNs (gen --cnn) through the RTL (build/reports/regress-cnn.json)"
.PHONY: regress-cnn
regress-cnn:
	$(MAKE) --no-print-directory regress REGRESS_TAG=regress-cnn REGRESS_SUITE=rtl-regress-cnn \
	  REGRESS_LIMITS="$(REGRESS_CNN_LIMITS)"

SK_RTL_BENCH := $(BIN)/sk-rtl-bench$(RTL_VARIANT)
$(SK_RTL_BENCH): $(TB_OBJ)/sk_rtl_bench.o $(TB_COMMON_OBJS) $(VSK_OBJS) $(LIBSHIFTKIT_DRV_A) \
                 $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	$(CXX) -o $@ $(filter $(TB_OBJ)/%.o,$^) $(VSK_OBJS) $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_A) $(TB_LDLIBS)

rtl-bench: $(SK_RTL_BENCH)
	@mkdir -p $(REPORTS)
	$(SK_RTL_BENCH) -o $(REPORTS)/rtl_perf.json

# Register-level tests: error codes, SLVERR, busy/refused start, soft reset, IRQ.
SK_RTL_ERRORS := $(BIN)/sk-rtl-errors
$(SK_RTL_ERRORS): $(TB_OBJ)/sk_rtl_errors.o $(TB_OBJ)/sk_sim.o $(VSK_OBJS)
	@mkdir -p $(dir $@)
	$(CXX) -o $@ $(filter $(TB_OBJ)/%.o,$^) $(VSK_OBJS) $(TB_LDLIBS)

.PHONY: test-rtl-regs
test-rtl-regs: $(SK_RTL_ERRORS)
	$(SK_RTL_ERRORS)

# ------------------------------------------------------------------ scale-out
# make regress-par SEEDS=N JOBS=j: the N cases as j shards running in parallel on this
# machine, merged into $(REPORTS)/regress-par.{xml,json} by scripts/merge_reports.
JOBS ?= 2
MERGE_REPORTS := scripts/merge_reports
HELP_LINES += "  regress      ... SHARD=i/n: shard i of n (own reports); scripts/merge_reports joins them" \
              "  regress-par  SEEDS=N JOBS=j: j shards in parallel, merged (build/reports/regress-par.*)"

.PHONY: regress-par test-regress-shards
regress-par: $(SHIFTKIT_CLI) $(SK_RTL_REGRESS)
	@rm -f $(REPORTS)/$(REGRESS_TAG)$(RTL_VARIANT)-shard-*-of-$(JOBS).*
	@pids=; for i in $$(seq 1 $(JOBS)); do \
	  $(MAKE) --no-print-directory regress SHARD=$$i/$(JOBS) > $(BUILD)/regress-par-$$i.log 2>&1 & \
	  pids="$$pids $$!"; \
	done; rc=0; for p in $$pids; do wait $$p || rc=1; done; \
	for i in $$(seq 1 $(JOBS)); do tail -n 3 $(BUILD)/regress-par-$$i.log; done; \
	$(PYTHON) $(MERGE_REPORTS) --junit $(REPORTS)/regress-par$(RTL_VARIANT).xml \
	  --json $(REPORTS)/regress-par$(RTL_VARIANT).json \
	  $(REPORTS)/$(REGRESS_TAG)$(RTL_VARIANT)-shard-*-of-$(JOBS).xml \
	  $(REPORTS)/$(REGRESS_TAG)$(RTL_VARIANT)-shard-*-of-$(JOBS).json || rc=1; exit $$rc

# make test: 2 shards of 20 cases, merged, must equal the unsharded 40-case run (same
# case names, results and cycle counts), and the merger refuses overlapping shards.
SHARD_TEST_SEEDS := 40
test-regress-shards: $(SHIFTKIT_CLI) $(SK_RTL_REGRESS)
	$(MAKE) --no-print-directory regress REGRESS_TAG=shard-test SEEDS=$(SHARD_TEST_SEEDS)
	$(MAKE) --no-print-directory regress REGRESS_TAG=shard-test SEEDS=$(SHARD_TEST_SEEDS) SHARD=1/2
	$(MAKE) --no-print-directory regress REGRESS_TAG=shard-test SEEDS=$(SHARD_TEST_SEEDS) SHARD=2/2
	$(PYTHON) $(MERGE_REPORTS) --junit $(REPORTS)/shard-test-merged.xml \
	  --json $(REPORTS)/shard-test-merged.json $(REPORTS)/shard-test-shard-[12]-of-2.xml \
	  $(REPORTS)/shard-test-shard-[12]-of-2.json
	$(PYTHON) tb/verilator/same_cases.py $(REPORTS)/shard-test.json $(REPORTS)/shard-test-merged.json
	$(PYTHON) tb/verilator/same_cases.py --junit $(REPORTS)/shard-test.xml $(REPORTS)/shard-test-merged.xml
	@if $(PYTHON) $(MERGE_REPORTS) $(REPORTS)/shard-test-shard-1-of-2.json \
	  $(REPORTS)/shard-test.json > /dev/null 2>&1; then \
	  echo "test-regress-shards: merge_reports accepted overlapping shards"; exit 1; fi
	@echo "test-regress-shards: 2 merged shards equal the unsharded $(SHARD_TEST_SEEDS)-case run"
TEST_TARGETS += test-regress-shards
# make bench (cmodel/cmodel.mk) runs scripts/bench.py over these: the benchmark at
# LANES 8 and 16, traced and untraced (-nt), at LANES 8 also with every signal traced
# (-tfull), the untraced regression runner, and Icarus.
.PHONY: sim-bench-bins
sim-bench-bins:
	$(MAKE) --no-print-directory $(BIN)/sk-rtl-bench $(SK_RTL_REGRESS) $(SHIFTKIT_CLI)
	$(MAKE) --no-print-directory RTL_TRACE=0 $(BIN)/sk-rtl-bench-nt $(BIN)/sk-rtl-regress-nt
	$(MAKE) --no-print-directory RTL_TRACE=full $(BIN)/sk-rtl-bench-tfull
	$(MAKE) --no-print-directory RTL_LANES=16 $(BIN)/sk-rtl-bench-l16
	$(MAKE) --no-print-directory RTL_LANES=16 RTL_TRACE=0 $(BIN)/sk-rtl-bench-l16-nt
	$(MAKE) --no-print-directory icarus-cases $(ICARUS_VVP)

-include tb/icarus/icarus.mk
