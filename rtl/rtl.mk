# rtl/rtl.mk — the register map (rtl/regmap.json and its generated views), RTL lint
# and synthesis smoke checks of the shift-accumulate core.

REGMAP_GEN := scripts/regmap.py
REGMAP_OUTPUTS := rtl/sk_regs.vh sw/include/shiftkit/sk_regs.h docs/regmap.md

TEST_TARGETS += test-regs
HELP_LINES += "  regs         regenerate the register-map views from rtl/regmap.json" \
              "  test-regs    fail when a generated register-map file is stale"

.PHONY: regs test-regs
regs:
	$(PYTHON) $(REGMAP_GEN)

test-regs:
	$(PYTHON) $(REGMAP_GEN) --check

# ---------------------------------------------------------------- RTL
RTL_DIR := rtl
RTL_SRCS := rtl/sk_axil_top.v rtl/sk_core.v rtl/sk_mac_array.v rtl/sk_requant.v rtl/sk_ram_sp.v \
            rtl/sk_ram_1r1w.v
RTL_INCS := rtl/sk_regs.vh rtl/sk_core_if.vh
RTL_LINT_LANES ?= 1 3 8 12 64

TEST_TARGETS += lint
HELP_LINES += "  lint         verilator --lint-only -Wall on the RTL (LANES 1, 3, 8, 12, 64)"

.PHONY: lint
lint: $(RTL_SRCS) $(RTL_INCS) rtl/lint.vlt
	@set -e; for lanes in $(RTL_LINT_LANES); do \
	  echo "verilator --lint-only -Wall -GLanes=$$lanes sk_axil_top"; \
	  verilator --lint-only -Wall -Irtl -GLanes=$$lanes --top-module sk_axil_top rtl/lint.vlt $(RTL_SRCS); \
	done
	@echo "lint: clean"
