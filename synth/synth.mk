# synth/synth.mk — FPGA synthesis, place-and-route and QoR gate (scripts/synth/), and
# the board host link: the `uart` HAL backend (sw/hal_uart/) and the Verilated board
# top with the C driver in the loop (tb/uart/). docs/fpga.md is the guide.

SYNTH_PY := scripts/synth/synth.py
SYNTH_LANES ?= 1,4,8,16
SYNTH_SEEDS ?= 1,2,3
SYNTH_REPORT := $(REPORTS)/synth.json
QOR_BASELINE := synth/qor_baseline.json
# The core's sources: RTL_SRCS from rtl/rtl.mk when it defines them, else every rtl/*.v.
SYNTH_RTL = $(or $(RTL_SRCS),$(wildcard rtl/*.v))

# ---------------------------------------------------------------- uart HAL backend
UART_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
               -Wmissing-prototypes -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
               -Isw/hal_uart -Isw/include -Icmodel/include -Icmodel/cli
UART_HEADERS := $(wildcard sw/hal_uart/*.h) $(wildcard sw/include/shiftkit/*.h) \
                $(wildcard cmodel/include/shiftkit/*.h) cmodel/cli/sk_cli.h
UART_HAL_OBJS := $(OBJ)/hal_uart/sk_hal_uart.o $(OBJ)/hal_uart/sk_uart_tty.o \
                 $(OBJ)/hal_uart/sk_uart_cli.o
LIBSHIFTKIT_UART_A := $(LIB)/libshiftkit_uart.a
SHIFTKIT_UART := $(BIN)/shiftkit-uart
TEST_UART_TTY := $(BIN)/tb-uart/test_uart_tty

# ---------------------------------------------------------------- tb/uart
# The board top is Verilated with a 4-clock bit time and a 512-cycle idle timeout: the
# numbers in tb/uart/sk_uart_sim_config.h. SK_UART_SIM_LANES is the core's lane count.
UART_SIM_LANES := 8
UART_SIM_DIR := $(OBJ)/vboard
UART_SIM_MK := $(UART_SIM_DIR)/Vsk_board_uart.mk
UART_SIM_OBJS := $(UART_SIM_DIR)/Vsk_board_uart__ALL.a $(UART_SIM_DIR)/verilated.o \
                 $(UART_SIM_DIR)/verilated_threads.o
UART_RTL = $(SYNTH_RTL) $(wildcard rtl/*.vh) rtl/boards/sk_uart_rx.v \
            rtl/boards/sk_uart_tx.v rtl/boards/sk_uart_axil_bridge.v rtl/boards/sk_board_uart.v
UART_VERILATOR_INC := /usr/share/verilator/include
UART_CXXFLAGS := -std=c++17 -O2 -g -Wall -Wextra -Werror -isystem $(UART_SIM_DIR) \
                 -isystem $(UART_VERILATOR_INC) -isystem $(UART_VERILATOR_INC)/vltstd \
                 -Itb/uart -Isw/hal_uart -Isw/include -Icmodel/include -Icmodel/cli \
                 -DSK_UART_SIM_LANES=$(UART_SIM_LANES)
SHIFTKIT_UART_SIM := $(BIN)/shiftkit-uart-sim
TEST_UART_BRIDGE := $(BIN)/tb-uart/test_uart_bridge
UART_CHECK_COUNT ?= 40
UART_CHECK_SEED ?= 7
UART_GEN_LIMITS ?= --max-layers 3 --max-dim 32 --max-batch 2

ALL_TARGETS += $(SHIFTKIT_UART)
# synth-check is part of make test (CI): the LANES=8 board build, 3 nextpnr seeds and
# the xc7 and requant figures take about 3 minutes on 2 cores.
TEST_TARGETS += test-synth-scripts test-uart synth-check
HELP_LINES += "  synth        Yosys+nextpnr: UP5K LANES=$(SYNTH_LANES), seeds $(SYNTH_SEEDS); xc7; requant study (build/reports/synth.json)" \
              "  synth-requant  shift vs gemmlowp requant on iCE40 and xc7 (build/reports/synth-requant.json)" \
              "  synth-check  LANES=8 run compared with synth/qor_baseline.json (+5% LCs/LUTs, -10% Fmax fail)" \
              "  synth-baseline  write synth/qor_baseline.json from build/reports/synth.json" \
              "  uart         build/bin/shiftkit-uart: run models on a board over a serial port" \
              "  test-uart    uart HAL over a pty; UART bridge on the Verilated board top, driver in the loop" \
              "  test-synth-scripts  unit tests of the synthesis report and QoR gate scripts"

.PHONY: synth synth-requant synth-check synth-baseline uart uart-sim test-uart test-synth-scripts
synth:
	$(PYTHON) $(SYNTH_PY) run --lanes $(SYNTH_LANES) --seeds $(SYNTH_SEEDS) --rtl "$(SYNTH_RTL)" \
	  --work $(BUILD)/synth --out $(SYNTH_REPORT)

synth-requant:
	$(PYTHON) $(SYNTH_PY) requant --work $(BUILD)/synth --out $(REPORTS)/synth-requant.json

synth-check:
	$(PYTHON) $(SYNTH_PY) run --lanes 8 --seeds $(SYNTH_SEEDS) --rtl "$(SYNTH_RTL)" --work $(BUILD)/synth-check \
	  --out $(REPORTS)/synth-check.json
	$(PYTHON) $(SYNTH_PY) check --result $(REPORTS)/synth-check.json --baseline $(QOR_BASELINE)

synth-baseline:
	$(PYTHON) $(SYNTH_PY) baseline --result $(SYNTH_REPORT) --out $(QOR_BASELINE)

test-synth-scripts:
	$(PYTHON) -m unittest discover -s scripts/synth -p 'test_*.py'

uart: $(SHIFTKIT_UART)
uart-sim: $(SHIFTKIT_UART_SIM) $(TEST_UART_BRIDGE) $(TEST_UART_TTY)

# The termios link and the HAL over a pseudo-terminal (cmocka).
$(TEST_UART_TTY): $(OBJ)/hal_uart/test_uart_tty.o $(LIBSHIFTKIT_UART_A)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $< $(LIBSHIFTKIT_UART_A) -lcmocka -lutil -lpthread

$(OBJ)/hal_uart/%.o: sw/hal_uart/%.c $(UART_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(UART_CFLAGS) -c $< -o $@

$(LIBSHIFTKIT_UART_A): $(UART_HAL_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(SHIFTKIT_UART): $(OBJ)/hal_uart/sk_uart_main.o $(LIBSHIFTKIT_UART_A) $(LIBSHIFTKIT_CLI_A) \
                  $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $< $(LIBSHIFTKIT_CLI_A) $(LIBSHIFTKIT_UART_A) $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_A)

$(UART_SIM_MK): $(UART_RTL)
	@mkdir -p $(UART_SIM_DIR)
	verilator --cc -O3 --x-assign fast --x-initial fast -Irtl -Irtl/boards \
	  -GLanes=$(UART_SIM_LANES) -GClksPerBit=4 -GIdleTimeout=512 \
	  --top-module sk_board_uart -Mdir $(UART_SIM_DIR) $(filter %.v,$(UART_RTL))

$(UART_SIM_OBJS) &: $(UART_SIM_MK)
	nice $(MAKE) -s -C $(UART_SIM_DIR) -f Vsk_board_uart.mk OPT_FAST=-O2 OPT_SLOW=-O1 \
	  OPT_GLOBAL=-O2 Vsk_board_uart__ALL.a verilated.o verilated_threads.o

$(OBJ)/tb-uart/%.o: tb/uart/%.cpp $(wildcard tb/uart/*.h) $(UART_HEADERS) $(UART_SIM_MK)
	@mkdir -p $(dir $@)
	$(CXX) $(UART_CXXFLAGS) -c $< -o $@

$(SHIFTKIT_UART_SIM): $(OBJ)/tb-uart/sk_uart_sim_main.o $(OBJ)/tb-uart/sk_uart_sim.o \
                      $(UART_SIM_OBJS) $(LIBSHIFTKIT_UART_A) $(LIBSHIFTKIT_CLI_A) \
                      $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	$(CXX) -o $@ $(filter $(OBJ)/tb-uart/%.o,$^) $(UART_SIM_OBJS) $(LIBSHIFTKIT_CLI_A) $(LIBSHIFTKIT_UART_A) \
	  $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_A) -pthread -latomic

$(TEST_UART_BRIDGE): $(OBJ)/tb-uart/test_uart_bridge.o $(OBJ)/tb-uart/sk_uart_sim.o \
                     $(UART_SIM_OBJS) $(LIBSHIFTKIT_UART_A) $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	$(CXX) -o $@ $(filter $(OBJ)/tb-uart/%.o,$^) $(UART_SIM_OBJS) $(LIBSHIFTKIT_UART_A) $(LIBSHIFTKIT_DRV_A) \
	  $(LIBSHIFTKIT_A) -pthread -latomic

# Bridge and protocol cases, then generated networks through driver + UART + RTL,
# compared bit-exactly with the golden model by `shiftkit check`.
test-uart: $(TEST_UART_TTY) $(TEST_UART_BRIDGE) $(SHIFTKIT_UART_SIM) $(SHIFTKIT_CLI)
	$(TEST_UART_TTY)
	$(TEST_UART_BRIDGE)
	@rm -rf $(BUILD)/uart-check && mkdir -p $(BUILD)/uart-check
	$(SHIFTKIT_CLI) gen --seed $(UART_CHECK_SEED) --count $(UART_CHECK_COUNT) $(UART_GEN_LIMITS) \
	  -o $(BUILD)/uart-check
	sw/tests/drv_check.sh $(SHIFTKIT_CLI) $(BUILD)/uart-check "uart-sim (irq)" uart-sim
	SHIFTKIT_UART_WAIT=poll sw/tests/drv_check.sh $(SHIFTKIT_CLI) $(BUILD)/uart-check \
	  "uart-sim (poll)" uart-sim
