# sw/sw.mk — the driver libshiftkit_drv, the register-level device model
# libshiftkit_dev (cmodel/device), the shiftkit-device CLI backend, their cmocka tests,
# driver-in-the-loop on generated cases, and the device model's cycle-estimate check.

SW_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -fPIC -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
             -Isw/include -Icmodel/include -Icmodel/device -Icmodel/cli -Isw/tests
SW_HEADERS := $(wildcard sw/include/shiftkit/*.h) $(wildcard sw/src/*.h) \
              $(wildcard cmodel/include/shiftkit/*.h) $(wildcard cmodel/device/*.h)

DRV_SRCS := $(wildcard sw/src/*.c)
DRV_OBJS := $(patsubst sw/%.c,$(OBJ)/sw/%.o,$(DRV_SRCS))
DEV_SRCS := $(wildcard cmodel/device/*.c)
DEV_OBJS := $(patsubst cmodel/device/%.c,$(OBJ)/device/%.o,$(DEV_SRCS))
SW_TEST_SUPPORT := $(OBJ)/sw/tests/sk_rec_hal.o $(OBJ)/sw/tests/sk_uio_standin.o
SW_TESTS := $(patsubst sw/tests/%.c,$(BIN)/sw-tests/%,$(wildcard sw/tests/test_*.c))

LIBSHIFTKIT_DRV_A := $(LIB)/libshiftkit_drv.a
LIBSHIFTKIT_DEV_A := $(LIB)/libshiftkit_dev.a
SHIFTKIT_DEVICE := $(BIN)/shiftkit-device
SK_RUN_ONE := $(BIN)/sk-run-one
SK_PERF_NETS := $(BIN)/sk-perf-nets

# Cases for driver-in-the-loop: the RTL regression's networks (tb/verilator/verilator.mk
# REGRESS_SEED, REGRESS_LIMITS, sized to the default build's memories), so device and
# rtl backends check the same 200; the fallbacks apply when that fragment is absent.
SW_CHECK_COUNT ?= 200
SW_CHECK_CNN_COUNT ?= 200
SW_CHECK_SEED ?= $(or $(REGRESS_SEED),1)
SW_GEN_LIMITS ?= $(or $(REGRESS_LIMITS),--max-layers 6 --max-dim 96 --max-batch 3)

ALL_TARGETS += $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_DEV_A) $(SHIFTKIT_DEVICE) $(SK_RUN_ONE)
TEST_TARGETS += test-drv test-drv-asan test-drv-check
HELP_LINES += "  drv          build/lib/libshiftkit_drv.a, libshiftkit_dev.a, bin/shiftkit-device" \
              "  test-drv     cmocka driver tests: recorded traffic, error paths, UIO stand-in" \
              "  test-drv-asan  the driver tests under ASan+UBSan" \
              "  test-drv-check the regression's 200 dense and 200 CNN networks via driver + device model" \
              "  perf-model   device-model cycle estimate vs the RTL cycle counter"

.PHONY: drv device-backend test-drv test-drv-asan test-drv-check perf-model
drv: $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_DEV_A) $(SHIFTKIT_DEVICE) $(SK_RUN_ONE)
# the name the core CLI suggests when shiftkit-device is missing
device-backend: $(SHIFTKIT_DEVICE)

$(OBJ)/sw/%.o: sw/%.c $(SW_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SW_CFLAGS) -c $< -o $@

$(OBJ)/device/%.o: cmodel/device/%.c $(SW_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SW_CFLAGS) -c $< -o $@

$(LIBSHIFTKIT_DRV_A): $(DRV_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(LIBSHIFTKIT_DEV_A): $(DEV_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(SHIFTKIT_DEVICE): $(OBJ)/sw/cli/sk_device_backend.o $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_DEV_A) \
                    $(LIBSHIFTKIT_CLI_A) $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $(filter %.o,$^) $(LIBSHIFTKIT_CLI_A) $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_DEV_A) \
	  $(LIBSHIFTKIT_A)

# the docs/driver.md example (UIO on a board)
$(SK_RUN_ONE): $(OBJ)/sw/examples/sk_run_one.o $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $< $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_A) -lm

$(BIN)/sw-tests/%: $(OBJ)/sw/tests/%.o $(SW_TEST_SUPPORT) $(LIBSHIFTKIT_DRV_A) \
                   $(LIBSHIFTKIT_DEV_A) $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $< $(SW_TEST_SUPPORT) $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_DEV_A) \
	  $(LIBSHIFTKIT_A) -lcmocka -lpthread

test-drv: $(SW_TESTS)
	@set -e; for t in $^; do echo "== $$t"; $$t; done

# The same tests with driver, device model, golden library and test sources all built
# under ASan+UBSan (the golden objects come from cmodel.mk's sanitizer build).
SW_SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer
SW_SAN_LIB_SRCS := $(DRV_SRCS) $(DEV_SRCS) sw/tests/sk_rec_hal.c sw/tests/sk_uio_standin.c
SW_SAN_LIB_OBJS := $(patsubst %.c,$(OBJ)/sw-san/%.o,$(SW_SAN_LIB_SRCS))
SW_SAN_TESTS := $(patsubst sw/tests/%.c,$(BIN)/sw-tests-san/%,$(wildcard sw/tests/test_*.c))

$(OBJ)/sw-san/%.o: %.c $(SW_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SW_CFLAGS) $(SW_SAN_FLAGS) -c $< -o $@

$(BIN)/sw-tests-san/%: $(OBJ)/sw-san/sw/tests/%.o $(SW_SAN_LIB_OBJS) $(CMODEL_SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(SW_SAN_FLAGS) -o $@ $^ -lcmocka -lpthread -lm

test-drv-asan: $(SW_SAN_TESTS)
	@set -e; for t in $^; do echo "== $$t (asan+ubsan)"; \
	  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $$t; done

# Driver in the loop: the same gen cases through the golden CLI's check command, which
# execs shiftkit-device for --backend device; the first cases once more with the driver
# polling STATUS instead of waiting for the interrupt; then the CNN family (gen --cnn)
# the same way, its poll slice on a 3-lane build.
test-drv-check: $(SHIFTKIT_CLI) $(SHIFTKIT_DEVICE)
	@rm -rf $(BUILD)/drv-check && mkdir -p $(BUILD)/drv-check
	$(SHIFTKIT_CLI) gen --seed $(SW_CHECK_SEED) --count $(SW_CHECK_COUNT) $(SW_GEN_LIMITS) \
	  -o $(BUILD)/drv-check/irq
	sw/tests/drv_check.sh $(SHIFTKIT_CLI) $(BUILD)/drv-check/irq "device (irq)"
	$(SHIFTKIT_CLI) gen --seed $(SW_CHECK_SEED) --count 20 $(SW_GEN_LIMITS) -o $(BUILD)/drv-check/poll
	SHIFTKIT_DEVICE_WAIT=poll sw/tests/drv_check.sh $(SHIFTKIT_CLI) $(BUILD)/drv-check/poll "device (poll)"
	@# CNN networks (gen --cnn, datapath §10-§14): the RTL regression's seed and limits, so
	@# the device and rtl backends check the same SW_CHECK_CNN_COUNT cases
	$(SHIFTKIT_CLI) gen --seed $(SW_CHECK_SEED) --count $(SW_CHECK_CNN_COUNT) --cnn $(SW_GEN_LIMITS) \
	  -o $(BUILD)/drv-check/cnn
	sw/tests/drv_check.sh $(SHIFTKIT_CLI) $(BUILD)/drv-check/cnn "device (irq), CNN"
	$(SHIFTKIT_CLI) gen --seed $(SW_CHECK_SEED) --count 18 --cnn $(SW_GEN_LIMITS) \
	  -o $(BUILD)/drv-check/cnn-poll
	SHIFTKIT_DEVICE_WAIT=poll SHIFTKIT_DEVICE_LANES=3 sw/tests/drv_check.sh $(SHIFTKIT_CLI) \
	  $(BUILD)/drv-check/cnn-poll "device (poll, LANES=3), CNN"
	@# trained models, when `make qat-bench` has exported them (model.skm + vectors/); one
	@# larger than the default build is reported as skipped, not as a failure
	@set -e; for v in $(wildcard $(BUILD)/qat-bench/*/vectors/expected.npy); do \
	  d=$$(dirname $$(dirname $$v)); echo "trained model $$d:"; \
	  if out=$$($(SHIFTKIT_CLI) check $$d/model.skm $$d/vectors/input.npy $$v --backend device 2>&1); \
	  then echo "$$out"; \
	  else case "$$out" in *"model does not fit the device"*) \
	         echo "  skipped: $$out";; \
	       *) echo "$$out"; exit 1;; esac; fi; done

# keep test objects between runs (they are intermediate files of the pattern rules)
.SECONDARY: $(SW_TEST_SUPPORT) $(SW_SAN_LIB_OBJS) $(patsubst sw/tests/%.c,$(OBJ)/sw/tests/%.o,$(wildcard sw/tests/test_*.c)) \
            $(patsubst sw/tests/%.c,$(OBJ)/sw-san/sw/tests/%.o,$(wildcard sw/tests/test_*.c))

# perf-model: the device model's cycle estimate against the RTL's own PERF_CYCLES, both
# read through the unchanged driver, on fixed networks (sk-perf-nets: the RTL benchmark
# layers and schedule corner cases), gen cases and any trained model qat-bench exported. PERF_RTL_BACKEND picks the RTL
# runner: rtl (tb/verilator's shiftkit-rtl) or sc-rtl (tb/systemc's Verilated RTL).
# The gen cases are the RTL regression's (tb/verilator/verilator.mk: REGRESS_SEED,
# REGRESS_LIMITS), the first PERF_GEN_COUNT of them.
PERF_RTL_BACKEND ?= rtl
PERF_GEN_COUNT ?= 100
PERF_GEN_SEED ?= $(SW_CHECK_SEED)
PERF_GEN_LIMITS ?= $(SW_GEN_LIMITS)

$(SK_PERF_NETS): $(OBJ)/sw/perf/sk_perf_nets.o $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $< $(LIBSHIFTKIT_A) -lm

perf-model: $(SHIFTKIT_CLI) $(SHIFTKIT_DEVICE) $(SK_PERF_NETS) $(BIN)/shiftkit-$(PERF_RTL_BACKEND)
	@rm -rf $(BUILD)/perf-model && mkdir -p $(BUILD)/perf-model $(REPORTS)
	$(SK_PERF_NETS) $(BUILD)/perf-model/nets
	$(SHIFTKIT_CLI) gen --seed $(PERF_GEN_SEED) --count $(PERF_GEN_COUNT) $(PERF_GEN_LIMITS) \
	  -o $(BUILD)/perf-model/gen
	$(PYTHON) sw/perf/perf_model.py --shiftkit $(SHIFTKIT_CLI) --rtl-backend $(PERF_RTL_BACKEND) \
	  --out $(REPORTS)/perf_model.json $(BUILD)/perf-model/nets $(BUILD)/perf-model/gen \
	  $(wildcard $(BUILD)/qat-bench/*/vectors/..)
