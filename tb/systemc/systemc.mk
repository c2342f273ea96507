# tb/systemc/systemc.mk — the accelerator as SystemC/TLM-2.0 models: the C device
# model as a loosely-timed target, the Verilated RTL behind a TLM-to-AXI4-Lite bridge,
# a HAL initiator running the unchanged C driver, the shiftkit-sc-{tlm,rtl} backends
# and `make sc-test` (docs/systemc.md).

SC_DIR := $(BUILD)/systemc
SC_VDIR := $(SC_DIR)/obj_dir
SC_OBJ := $(OBJ)/systemc
VERILATOR ?= verilator
VERILATOR_ROOT_DIR := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)

SC_CXXFLAGS := -std=c++17 -O2 -g -Wall -Wextra -Werror -Itb/systemc -Isw/include \
               -Icmodel/include -Icmodel/device -Icmodel/cli \
               -isystem $(SC_VDIR) -isystem $(VERILATOR_ROOT_DIR)/include \
               -isystem $(VERILATOR_ROOT_DIR)/include/vltstd \
               -DVM_COVERAGE=0 -DVM_SC=1 -DVM_TRACE=0
SC_HEADERS := $(wildcard tb/systemc/*.h) $(wildcard sw/include/shiftkit/*.h) \
              $(wildcard cmodel/include/shiftkit/*.h) cmodel/device/sk_device.h cmodel/cli/sk_cli.h
SC_RTL_SRCS := $(wildcard rtl/*.v rtl/*.vh) $(wildcard rtl/lint.vlt)

# The RTL's SystemC model: Verilator 5, single-threaded, in build/ only.
SC_VLIB := $(SC_VDIR)/Vsk_axil_top__ALL.a
# Verilator's runtime (verilated.cpp needs verilated_threads.cpp even single-threaded)
SC_VERILATED_OBJS := $(SC_OBJ)/verilated.o $(SC_OBJ)/verilated_threads.o

# Libraries a user links into another platform (docs/systemc.md).
LIBSHIFTKIT_SC_TLM_A := $(SC_DIR)/libshiftkit_sc_tlm.a
LIBSHIFTKIT_SC_RTL_A := $(SC_DIR)/libshiftkit_sc_rtl.a
SHIFTKIT_SC := $(BIN)/shiftkit-sc
SHIFTKIT_SC_LINKS := $(BIN)/shiftkit-sc-tlm $(BIN)/shiftkit-sc-rtl
SC_EXAMPLE := $(BIN)/sk-sc-example
SC_BUS_TEST := $(BIN)/sk-sc-bus-test
SC_RANDOM_TEST := $(BIN)/sk-sc-random-test
SC_DOC_EXAMPLE := $(BIN)/sk-sc-doc-example

# sc-test vectors: the RTL regression's random networks (tb/verilator/verilator.mk:
# same seed, limits and count as its `make test` slice), the first SC_CNN_COUNT of its
# CNN networks (gen --cnn, the regress-cnn cases), and up to SC_TRAINED_MAX trained
# models (MLPs and CNNs) when `make qat-bench` has exported them.
SC_TEST_SEED ?= $(or $(REGRESS_SEED),1)
SC_GEN_LIMITS ?= $(or $(REGRESS_LIMITS),--max-layers 6 --max-dim 96 --max-batch 3)
SC_TEST_COUNT ?= $(or $(TEST_RANDOM_COUNT),100)
SC_CNN_COUNT ?= 18
SC_TRAINED_MAX ?= 8
# random bus traffic compared between the two targets: seeds 1..SC_RANDOM_SEEDS
SC_RANDOM_SEEDS ?= 3
SC_RANDOM_ITERATIONS ?= 400

TEST_TARGETS += sc-test
HELP_LINES += "  systemc      SystemC models: bin/shiftkit-sc-{tlm,rtl}, sk-sc-{example,bus-test,random-test}, build/systemc/*.a" \
              "  sc-test      gen cases (dense and CNN) + trained models through the driver on the TLM and RTL SystemC targets; build/reports/systemc.json"

.PHONY: systemc sc-test
systemc: $(SHIFTKIT_SC_LINKS) $(SC_EXAMPLE) $(SC_BUS_TEST) $(SC_RANDOM_TEST) $(LIBSHIFTKIT_SC_TLM_A) $(LIBSHIFTKIT_SC_RTL_A)

$(SC_VLIB): $(SC_RTL_SRCS)
	@mkdir -p $(SC_VDIR)
	nice $(VERILATOR) --sc -Irtl $(wildcard rtl/lint.vlt) rtl/sk_axil_top.v --top-module sk_axil_top \
	  --prefix Vsk_axil_top -Mdir $(SC_VDIR) --build -j 2 -CFLAGS -O1 -LDFLAGS -lsystemc

# the object inside that archive, which the library below takes
$(SC_VDIR)/Vsk_axil_top__ALL.o: $(SC_VLIB) ;

$(SC_VERILATED_OBJS): $(SC_OBJ)/%.o: $(SC_VLIB)
	@mkdir -p $(dir $@)
	nice $(CXX) $(SC_CXXFLAGS) -w -c $(VERILATOR_ROOT_DIR)/include/$*.cpp -o $@

# sk_rtl_device.cpp includes the Verilated header
$(SC_OBJ)/sk_rtl_device.o: $(SC_VLIB)

$(SC_OBJ)/%.o: tb/systemc/%.cpp $(SC_HEADERS)
	@mkdir -p $(dir $@)
	nice $(CXX) $(SC_CXXFLAGS) -c $< -o $@

$(LIBSHIFTKIT_SC_TLM_A): $(SC_OBJ)/sk_tlm_device.o $(SC_OBJ)/sk_tlm_hal.o
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(LIBSHIFTKIT_SC_RTL_A): $(SC_OBJ)/sk_axil_bridge.o $(SC_OBJ)/sk_rtl_device.o \
                         $(SC_VDIR)/Vsk_axil_top__ALL.o $(SC_VERILATED_OBJS)
	rm -f $@ && ar rcs $@ $^

SC_LINK_LIBS := $(LIBSHIFTKIT_SC_TLM_A) $(LIBSHIFTKIT_SC_RTL_A) $(LIBSHIFTKIT_DRV_A) \
                $(LIBSHIFTKIT_DEV_A) $(LIBSHIFTKIT_A) -lsystemc -lpthread

$(SHIFTKIT_SC): $(SC_OBJ)/sk_sc_backend.o $(LIBSHIFTKIT_SC_TLM_A) $(LIBSHIFTKIT_SC_RTL_A) \
                $(LIBSHIFTKIT_CLI_A) $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_DEV_A) $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	nice $(CXX) -o $@ $< $(LIBSHIFTKIT_CLI_A) $(SC_LINK_LIBS)

# The core CLI execs shiftkit-<backend>: one program answers both names.
$(SHIFTKIT_SC_LINKS): $(SHIFTKIT_SC)
	ln -sf $(notdir $<) $@

$(SC_EXAMPLE): $(SC_OBJ)/sk_sc_example.o
$(SC_BUS_TEST): $(SC_OBJ)/sk_sc_bus_test.o
$(SC_RANDOM_TEST): $(SC_OBJ)/sk_sc_random_test.o
$(SC_EXAMPLE) $(SC_BUS_TEST) $(SC_RANDOM_TEST): $(LIBSHIFTKIT_SC_TLM_A) $(LIBSHIFTKIT_SC_RTL_A) $(LIBSHIFTKIT_DRV_A) \
                              $(LIBSHIFTKIT_DEV_A) $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	nice $(CXX) -o $@ $(filter %.o,$^) $(SC_LINK_LIBS)

# The sc_main printed in docs/systemc.md, extracted and built as it stands.
$(SC_DIR)/doc_example.cpp: docs/systemc.md
	@mkdir -p $(dir $@)
	awk '/^```cpp/ { f = 1; next } /^```/ { f = 0 } f' $< > $@

$(SC_DOC_EXAMPLE): $(SC_DIR)/doc_example.cpp $(SC_HEADERS) $(LIBSHIFTKIT_SC_TLM_A) \
                   $(LIBSHIFTKIT_SC_RTL_A) $(LIBSHIFTKIT_DRV_A) $(LIBSHIFTKIT_DEV_A) $(LIBSHIFTKIT_A)
	@mkdir -p $(dir $@)
	nice $(CXX) $(SC_CXXFLAGS) -o $@ $< $(SC_LINK_LIBS)

sc-test: $(SHIFTKIT_CLI) $(SHIFTKIT_SC_LINKS) $(SC_EXAMPLE) $(SC_BUS_TEST) $(SC_RANDOM_TEST) \
         $(SC_DOC_EXAMPLE)
	@rm -rf $(SC_DIR)/cases && mkdir -p $(SC_DIR)/cases $(REPORTS)
	$(SHIFTKIT_CLI) gen --quiet --seed $(SC_TEST_SEED) --count $(SC_TEST_COUNT) $(SC_GEN_LIMITS) \
	  -o $(SC_DIR)/cases/gen
	$(SHIFTKIT_CLI) gen --quiet --cnn --seed $(SC_TEST_SEED) --count $(SC_CNN_COUNT) $(SC_GEN_LIMITS) \
	  -o $(SC_DIR)/cases/gen-cnn
	SC_RANDOM_SEEDS=$(SC_RANDOM_SEEDS) SC_RANDOM_ITERATIONS=$(SC_RANDOM_ITERATIONS) \
	tb/systemc/sc_test.sh $(SHIFTKIT_CLI) $(BIN) $(SC_DIR)/cases $(REPORTS)/systemc.json \
	  "$(PYTHON)" $(SC_TRAINED_MAX) $(BUILD)
