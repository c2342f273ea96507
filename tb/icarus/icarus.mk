# tb/icarus/icarus.mk — the second simulator: the RTL under Icarus Verilog 11 with a
# plain-Verilog bench (tb/icarus/sk_icarus_tb.v) that replays bus-transaction images
# written by sk-icarus-image (tb/icarus/sk_icarus_image.c) from case folders: the
# directed cases plus ICARUS_RANDOM_COUNT random networks of the regression's seed.
# Included from tb/verilator/verilator.mk.

ICARUS_DIR := $(BUILD)/icarus
ICARUS_VVP := $(ICARUS_DIR)/sk_icarus_tb.vvp
SK_ICARUS_IMAGE := $(BIN)/sk-icarus-image
ICARUS_RANDOM_COUNT ?= 20
IVERILOG ?= iverilog
VVP ?= vvp

TEST_TARGETS += test-icarus
HELP_LINES += "  test-icarus  the RTL under Icarus Verilog: directed cases + $(ICARUS_RANDOM_COUNT) random networks"

$(SK_ICARUS_IMAGE): tb/icarus/sk_icarus_image.c $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_DEV_A) $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	$(CC) $(CMODEL_CFLAGS) -Isw/include -Icmodel/device -o $@ $< $(LIBSHIFTKIT_DRV_A) \
	  $(LIBSHIFTKIT_DEV_A) $(LIBSHIFTKIT_A) -lm

# -g2005: the RTL is plain Verilog-2005, and the bench is too.
$(ICARUS_VVP): tb/icarus/sk_icarus_tb.v $(RTL_SRCS) $(RTL_INCS)
	@mkdir -p $(dir $@)
	$(IVERILOG) -g2005 -Wall -Irtl -s sk_icarus_tb -o $@ tb/icarus/sk_icarus_tb.v $(RTL_SRCS)

# The case folders and their image (shared by test-icarus and make bench).
ICARUS_CASES := $(ICARUS_DIR)/cases
ICARUS_IMAGE := $(ICARUS_DIR)/image.hex
.PHONY: icarus-cases test-icarus
icarus-cases: $(SK_RTL_DIRECTED) $(SHIFTKIT_CLI) $(SK_ICARUS_IMAGE)
	@rm -rf $(ICARUS_CASES) && mkdir -p $(ICARUS_CASES)
	$(SK_RTL_DIRECTED) -o $(ICARUS_CASES) > /dev/null
	$(SHIFTKIT_CLI) gen --quiet --seed $(REGRESS_SEED) --count $(ICARUS_RANDOM_COUNT) $(REGRESS_LIMITS) \
	  -o $(ICARUS_CASES)
	$(SK_ICARUS_IMAGE) -o $(ICARUS_IMAGE) $(ICARUS_CASES)/*/

test-icarus: icarus-cases $(ICARUS_VVP)
	@mkdir -p $(REPORTS)
	$(VVP) -n $(ICARUS_VVP) +image=$(ICARUS_IMAGE) | tee $(ICARUS_DIR)/test-icarus.log
	@want=$$(ls -d $(ICARUS_CASES)/*/ | wc -l); \
	if grep -q "^icarus: $$want passed, 0 failed" $(ICARUS_DIR)/test-icarus.log; then \
	  echo "test-icarus: $$want cases pass under Icarus Verilog"; \
	else echo "test-icarus: want '$$want passed, 0 failed'"; exit 1; fi
