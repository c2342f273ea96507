# qat/qat.mk — the PyTorch package shiftkit (qat/shiftkit): pytest suite and the
# accuracy benchmark. Python is $(PYTHON) (/usr/bin/python3 sees Debian's torch);
# the package is used in place through PYTHONPATH=qat, no build step.

QAT_ENV := PYTHONPATH=qat SHIFTKIT_LIB=$(abspath $(LIBSHIFTKIT_SO)) SHIFTKIT_CLI=$(abspath $(SHIFTKIT_CLI)) \
           OMP_NUM_THREADS=1 MPLBACKEND=Agg

TEST_TARGETS += test-qat
HELP_LINES += "  test-qat     pytest of the QAT package: bit-exact vs the golden library, torch.ao, short digits run" \
              "  qat-bench    train digits + Fashion-MNIST (MLP 8- and 4-bit, small CNN), write build/reports/qat.json"

.PHONY: test-qat qat-bench
test-qat: $(LIBSHIFTKIT_SO) $(SHIFTKIT_CLI)
	$(QAT_ENV) $(PYTHON) -m pytest -q -p no:cacheprovider qat/tests

qat-bench: $(LIBSHIFTKIT_SO) $(SHIFTKIT_CLI)
	@mkdir -p $(REPORTS)
	$(QAT_ENV) nice $(PYTHON) -m shiftkit.bench --out $(REPORTS)/qat.json --work $(BUILD)/qat-bench
