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
