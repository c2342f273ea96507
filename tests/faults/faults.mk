# tests/faults/faults.mk — fault cases end to end through the driver (issue 10):
# the same cases (tests/faults/sk_fault_cases.c) on the C device model
# (build/bin/sk-faults-device) and on the Verilated RTL (build/bin/sk-faults-rtl,
# tb/verilator's SkSim and model objects). Reports: build/reports/faults-{device,rtl}.json.
SK_FAULTS_DEVICE := $(BIN)/sk-faults-device
SK_FAULTS_RTL := $(BIN)/sk-faults-rtl
FAULTS_CFLAGS := $(SW_CFLAGS) -Itests/faults
FAULTS_HEADERS := tests/faults/sk_fault_cases.h $(SW_HEADERS)

TEST_TARGETS += faults
HELP_LINES += "  faults       fault cases through the driver on the device model and the RTL"

$(OBJ)/faults/sk_fault_cases.o: tests/faults/sk_fault_cases.c $(FAULTS_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(FAULTS_CFLAGS) -c $< -o $@

$(OBJ)/faults/sk_faults_device.o: tests/faults/sk_faults_device.c $(FAULTS_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(FAULTS_CFLAGS) -c $< -o $@

$(SK_FAULTS_DEVICE): $(OBJ)/faults/sk_faults_device.o $(OBJ)/faults/sk_fault_cases.o \
                     $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_DEV_A) $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $(filter %.o,$^) $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_DEV_A) $(LIBSHIFTKIT_A) -lm

$(OBJ)/faults/sk_faults_rtl.o: tests/faults/sk_faults_rtl.cpp $(FAULTS_HEADERS) $(TB_HEADERS) $(VSK_MK)
	@mkdir -p $(dir $@)
	$(CXX) $(TB_CXXFLAGS) -Itests/faults -c $< -o $@

$(SK_FAULTS_RTL): $(OBJ)/faults/sk_faults_rtl.o $(OBJ)/faults/sk_fault_cases.o $(TB_OBJ)/sk_sim.o \
                  $(VSK_OBJS) $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	$(CXX) -o $@ $(filter $(OBJ)/faults/%.o $(TB_OBJ)/%.o,$^) $(VSK_OBJS) $(LIBSHIFTKIT_DRV_A) \
	  $(LIBSHIFTKIT_A) $(TB_LDLIBS)

.PHONY: faults
faults: $(SK_FAULTS_DEVICE) $(SK_FAULTS_RTL)
	@mkdir -p $(REPORTS)
	$(SK_FAULTS_DEVICE) $(REPORTS)/faults-device.json
	$(SK_FAULTS_RTL) $(REPORTS)/faults-rtl.json
