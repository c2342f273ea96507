# tests/reliability/reliability.mk — `make reliability`: run the fault cases, then
# collect fuzz, formal and fault figures into build/reports/reliability.json
# (tests/reliability/reliability.py). Fuzz and formal figures come from the last
# `make fuzz` (every harness) and `make formal`; a report not yet written is listed
# as missing. `make reliability-all` runs all of them first (long).
HELP_LINES += "  reliability  build/reports/reliability.json: fuzz, formal, fault-case figures"

.PHONY: reliability reliability-all
reliability: faults
	$(PYTHON) tests/reliability/reliability.py --reports $(REPORTS)

reliability-all:
	$(MAKE) --no-print-directory fuzz
	$(MAKE) --no-print-directory formal
	$(MAKE) --no-print-directory reliability
