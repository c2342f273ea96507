# formal/formal.mk — formal proofs with Yosys `read_verilog -formal`, yosys-smtbmc and
# cvc5 (no SymbiYosys): formal/run_formal.py runs every check of formal/ and writes
# build/reports/formal.json; counterexamples and cover traces are VCDs in build/formal/.
# Not part of make test (the full set takes over ten minutes): `make formal`.
# FORMAL_QUICK=1 proves 5 requant shifts instead of all 48; FORMAL_ONLY=REGEX selects checks.
FORMAL_QUICK ?=
FORMAL_ONLY ?=
HELP_LINES += "  formal       AXI4-Lite slave (induction + cover), requant = datapath.md, sequencer bound" \
              "               (Yosys + smtbmc + cvc5; build/reports/formal.json, traces in build/formal/)"

.PHONY: formal
formal:
	@mkdir -p $(REPORTS)
	$(PYTHON) formal/run_formal.py --work $(BUILD)/formal --report $(REPORTS)/formal.json \
	  $(if $(FORMAL_QUICK),--quick,) $(if $(FORMAL_ONLY),--only '$(FORMAL_ONLY)',)
