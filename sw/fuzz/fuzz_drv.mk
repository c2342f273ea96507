# sw/fuzz/fuzz_drv.mk — libFuzzer on the driver's model loading (issue 10):
# `make fuzz-drv FUZZ_SECONDS=N` runs sw/fuzz/fuzz_drv_load.c through
# scripts/run_fuzz.py (seeds: sw/fuzz/corpus/drv_load, a link to the .skm seed corpus)
# and writes build/reports/fuzz_drv.json. A separate target: cmodel.mk's fuzz rule
# takes its harnesses and corpus from cmodel/fuzz/ only. fuzz-drv-short (10 s) runs
# in make test.
FUZZ_DRV_BIN := $(BIN)/fuzz-drv/fuzz_drv_load
FUZZ_DRV_FLAGS := $(FUZZ_FLAGS) -D_DEFAULT_SOURCE -Isw/include -Icmodel/device -Icmodel/fuzz

TEST_TARGETS += fuzz-drv-short
HELP_LINES += "  fuzz-drv     libFuzzer on driver model loading into the device model (FUZZ_SECONDS each)"

$(FUZZ_DRV_BIN): sw/fuzz/fuzz_drv_load.c cmodel/fuzz/sk_fuzz_skm.h $(DRV_SRCS) $(DEV_SRCS) $(CMODEL_LIB_SRCS) $(SW_HEADERS) \
                 $(wildcard cmodel/include/shiftkit/*.h) $(wildcard cmodel/device/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_DRV_FLAGS) -o $@ $< $(DRV_SRCS) $(DEV_SRCS) $(CMODEL_LIB_SRCS) -lm

.PHONY: fuzz-drv fuzz-drv-short
fuzz-drv: $(FUZZ_DRV_BIN)
	@mkdir -p $(REPORTS)
	$(PYTHON) scripts/run_fuzz.py --seconds $(FUZZ_SECONDS) --bin $(dir $(FUZZ_DRV_BIN)) \
	    --corpus sw/fuzz/corpus --work $(BUILD)/fuzz-drv --report $(REPORTS)/fuzz_drv.json drv_load

fuzz-drv-short:
	$(MAKE) --no-print-directory fuzz-drv FUZZ_SECONDS=10
