# tb/verilator/verilator.mk — the Verilated core with its AXI4-Lite bus model and the
# driver in the loop: build/bin/shiftkit-rtl (the CLI's "rtl" backend),
# build/bin/sk-rtl-regress (many cases in one simulator), the directed cases, the
# random regression and the utilization benchmark.

# RTL_LANES picks the Lanes parameter of the simulated core. The default build (8)
# gives the plain binary names; any other gets its own model, objects and binaries
# with a -l<N> suffix (e.g. `make regress RTL_LANES=5` -> build/bin/sk-rtl-regress-l5).
RTL_LANES ?= 8
RTL_VARIANT := $(if $(filter 8,$(RTL_LANES)),,-l$(RTL_LANES))
VSK_DIR := $(OBJ)/vsk$(RTL_VARIANT)
TB_OBJ := $(OBJ)/tb$(RTL_VARIANT)
VSK_MK := $(VSK_DIR)/Vsk_axil_top.mk
VSK_OBJS := $(VSK_DIR)/Vsk_axil_top__ALL.a $(VSK_DIR)/verilated.o $(VSK_DIR)/verilated_fst_c.o \
            $(VSK_DIR)/verilated_threads.o
VERILATOR_ROOT_INC := /usr/share/verilator/include
TB_CXXFLAGS := -std=c++17 -O2 -g -Wall -Wextra -Werror -isystem $(VSK_DIR) -isystem $(VERILATOR_ROOT_INC) \
               -isystem $(VERILATOR_ROOT_INC)/vltstd -Itb/verilator -Isw/include -Icmodel/include -Icmodel/cli
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
REGRESS_DIR := $(BUILD)/regress$(RTL_VARIANT)
DIRECTED_DIR := $(BUILD)/rtl-directed$(RTL_VARIANT)

ALL_TARGETS += $(SHIFTKIT_RTL) $(SK_RTL_REGRESS)
TEST_TARGETS += test-rtl
HELP_LINES += "  rtl-sim      build/bin/shiftkit-rtl (check --backend rtl) and sk-rtl-regress" \
              "  test-rtl     register tests, directed cases, $(TEST_RANDOM_COUNT) random networks (LANES 8 and $(TEST_ODD_LANES))" \
              "  regress      SEEDS=N random networks through the RTL (JUnit + build/reports/regress.json)" \
              "  rtl-bench    utilization at LANES=8 on 64x64, 256x256, 784x128 (build/reports/rtl_perf.json)"

.PHONY: rtl-sim test-rtl regress rtl-directed rtl-bench
rtl-sim: $(SHIFTKIT_RTL) $(SK_RTL_REGRESS)

$(VSK_MK): $(RTL_SRCS) $(RTL_INCS)
	@mkdir -p $(VSK_DIR)
	verilator --cc -O3 --x-assign fast --x-initial fast --trace-fst -Irtl -GLanes=$(RTL_LANES) \
	  --top-module sk_axil_top -Mdir $(VSK_DIR) $(RTL_SRCS)

$(VSK_OBJS) &: $(VSK_MK)
	nice $(MAKE) -s -C $(VSK_DIR) -f Vsk_axil_top.mk OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2 \
	  Vsk_axil_top__ALL.a verilated.o verilated_fst_c.o verilated_threads.o

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
	$(CXX) -o $@ $(filter $(TB_OBJ)/%.o,$^) $(VSK_OBJS) $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_A) $(TB_LDLIBS)

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

# make test: the directed cases and TEST_RANDOM_COUNT random networks.
test-rtl: test-rtl-regs rtl-directed $(SHIFTKIT_CLI)
	$(MAKE) --no-print-directory regress SEEDS=$(TEST_RANDOM_COUNT)
	$(MAKE) --no-print-directory RTL_LANES=$(TEST_ODD_LANES) rtl-directed
	$(MAKE) --no-print-directory RTL_LANES=$(TEST_ODD_LANES) regress SEEDS=$(TEST_RANDOM_COUNT)

# make regress SEEDS=N: N cases of seed REGRESS_SEED (case i of a seed is the same on
# every machine: `shiftkit gen --seed S --first i --count 1` recreates it).
regress: $(SHIFTKIT_CLI) $(SK_RTL_REGRESS)
	@rm -rf $(REGRESS_DIR) && mkdir -p $(REGRESS_DIR) $(REPORTS)
	$(SHIFTKIT_CLI) gen --quiet --seed $(REGRESS_SEED) --count $(SEEDS) $(REGRESS_LIMITS) \
	  -o $(REGRESS_DIR)
	$(SK_RTL_REGRESS) --suite rtl-regress$(RTL_VARIANT) --seed $(REGRESS_SEED) \
	  --junit $(REPORTS)/regress$(RTL_VARIANT).xml --json $(REPORTS)/regress$(RTL_VARIANT).json \
	  $(REGRESS_DIR)/case_*/ || { \
	  echo "regress: a case fails; recreate it alone with:"; \
	  echo "  $(SHIFTKIT_CLI) gen --seed $(REGRESS_SEED) --first I --count 1 $(REGRESS_LIMITS) -o DIR"; \
	  exit 1; }

SK_RTL_BENCH := $(BIN)/sk-rtl-bench
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
