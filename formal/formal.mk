# formal/formal.mk — formal proofs with Yosys `read_verilog -formal`, yosys-smtbmc with
# cvc5 and Yosys' ABC (yosys-abc pdr/bmc3; no SymbiYosys): formal/run_formal.py runs every check of formal/ and writes
# build/reports/formal.json; counterexamples and cover traces are VCDs in build/formal/.
# Not part of make test (several minutes): `make formal`. FORMAL_ALL_SHIFTS=1 adds the
# cvc5 requant cross-check at all 48 shifts (about 15 minutes more); FORMAL_ONLY=REGEX
# selects checks (and updates the report in place). FORMAL_QUICK is accepted and does
# nothing (5 cvc5 shifts is the default).
FORMAL_ALL_SHIFTS ?=
FORMAL_QUICK ?=
FORMAL_ONLY ?=
HELP_LINES += "  formal       AXI4-Lite slave (induction + cover), requant = datapath.md for every shift," \
              "               sequencer done within the regmap.md bound (Yosys + smtbmc/cvc5 + ABC pdr/bmc3;" \
              "               build/reports/formal.json, traces in build/formal/)"

.PHONY: formal
formal:
	@mkdir -p $(REPORTS)
	$(PYTHON) formal/run_formal.py --work $(BUILD)/formal --report $(REPORTS)/formal.json \
	  $(if $(FORMAL_ALL_SHIFTS),--all-shifts,) $(if $(FORMAL_ONLY),--only '$(FORMAL_ONLY)',)
