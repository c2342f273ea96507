// sk_core_props.v — formal harness: the sequencer of rtl/sk_core.v never deadlocks.
//
// The real core (sequencer, MAC lanes, requant unit, memories), unmodified, with small
// memories: Lanes lanes, ActBytes-byte activation buffers and as many biases,
// WeightRows weight rows, 4 shift bytes, MaxLayers descriptors. The host port is free: while the core is idle the
// host may read or write any word of any window in any cycle (the one rule of the
// port, docs/regmap.md and sk_axil_top.v: no window access while BUSY), and every
// memory word also starts unconstrained. So a run sees any descriptors, weights,
// biases, shifts and activations a host could have written. NUM_LAYERS is free,
// START and SOFT_RESET pulses come at any time (a START while busy must be ignored,
// a SOFT_RESET ends the run at once, START with SOFT_RESET restarts it).
//
// Property: counted from the cycle after an accepted START, the core is never busy
// for more than BusyBound consecutive cycles; every run ends with a DONE pulse in its
// last busy cycle (unless a SOFT_RESET cut it short), and DONE comes only then.
// Cover: a run lasts exactly BusyBound cycles, so the bound is tight (the proof would
// fail with BusyBound - 1). ABC has no cover: with CoverAsAssert = 1 the harness
// asserts the opposite instead, and ABC's counterexample is the cover trace.
// run_formal.py proves the property with ABC pdr (unbounded) or bmc3 (bounded), since
// cvc5 had not finished a BMC of depth 26 in 13 minutes.
//
// BusyBound is not chosen here: formal/run_formal.py computes it from the cycle
// formula of docs/regmap.md "Timing" (1 DONE cycle, plus per layer fetch/check +
// K + sum of later blocks max(K, c, a_{b-1}) + a_{B-1} + pipeline tail) for the
// largest K and N the descriptor checks let through at these sizes (K <= ActBytes,
// N <= min(ActBytes, BiasDepth): ACT_RANGE, BIAS_RANGE) and MaxLayers layers. So the
// proof checks the documented formula as an upper bound on every run, and the cover
// shows that it is reached; a change of the pipeline depth shows up as a failed proof
// or an unreached cover until docs/regmap.md is updated.
//
// Why this is cheap for the solver, and sound: the sequencer's control (state, tap
// and block counters, drain counter, requant valid pipeline, shift-range check) reads
// no accumulator, product, bias or activation value; those only flow into the
// activation memory. run_formal.py flattens the design before writing the model, so
// Yosys removes every cell outside the cone of influence of the assertions (the
// multipliers, accumulators, shadow chain, requant shifter, weight/bias/activation
// memories). Nothing is abstracted by hand: what remains is exactly the RTL the
// properties depend on. The shift memory stays: a per-channel shift outside -16..31
// aborts the run (SHIFT_RANGE). The host port must stay free: with it tied off in a
// flattened design, the never-written memories are constant x to Yosys, which folds
// them to one value, and the proof would cover a single descriptor.

`default_nettype none

module sk_core_props #(
  parameter integer Lanes      = 4,   // MAC lanes
  parameter integer ActBytes   = 4,   // activation buffer bytes (and bias entries): K, N <= ActBytes
  parameter integer WeightRows = 4,   // enough rows for the longest run, or WEIGHT_RANGE cuts it short
  parameter integer MaxLayers  = 1,   // descriptors
  parameter integer BusyBound  = 24,  // the defaults' bound today; run_formal.py always passes its own
  parameter integer CoverAsAssert = 0 // 1: only assert(busy_cnt != BusyBound), for engines without cover
) (
  input wire        clk_i,
  input wire        start_i,
  input wire        soft_reset_i,
  input wire [7:0]  num_layers_i,
  input wire        host_req_i,
  input wire        host_we_i,
  input wire [6:0]  host_win_i,
  input wire [5:0]  host_addr_i,
  input wire [31:0] host_wdata_i,
  input wire [3:0]  host_be_i
);

  reg init_q = 1'b1;  // cycle 0 is the reset cycle
  always @(posedge clk_i) init_q <= 1'b0;

  wire        busy, done;
  wire [7:0]  err_code, err_layer, cur_layer;
  wire [31:0] cycles, macs, stalls, rdata;

  sk_core #(
    .Lanes(Lanes), .WeightRows(WeightRows), .BiasDepth(ActBytes), .ShiftDepth(4),
    .ActBytes(ActBytes), .MaxLayers(MaxLayers), .Cnn(0), .HostAddrWidth(6)
  ) dut (
    .clk_i(clk_i), .rst_ni(!init_q),
    .start_i(start_i), .soft_reset_i(soft_reset_i), .num_layers_i(num_layers_i),
    .busy_o(busy), .done_o(done), .err_code_o(err_code), .err_layer_o(err_layer),
    .cur_layer_o(cur_layer), .perf_cycles_o(cycles), .perf_macs_o(macs), .perf_stalls_o(stalls),
    .host_req_i(host_req_i), .host_we_i(host_we_i), .host_win_i(host_win_i),
    .host_addr_i(host_addr_i), .host_wdata_i(host_wdata_i), .host_be_i(host_be_i),
    .host_rdata_o(rdata)
  );

  // the port's rule: the host owns the memories only while the core is idle
  always @(*) assume (!(host_req_i && busy));

  // Busy cycles of the current run: a SOFT_RESET ends it (with START, the next run
  // begins in the following cycle, counted from 0 like a run started from idle).
  reg [7:0] busy_cnt;
  reg       p_busy, p_done, p_soft, start_q;
  always @(posedge clk_i) begin
    busy_cnt <= (init_q || !busy || soft_reset_i) ? 8'd0 : busy_cnt + 8'd1;
    p_busy   <= init_q ? 1'b0 : busy;
    p_done   <= init_q ? 1'b0 : done;
    p_soft   <= soft_reset_i;
    start_q  <= start_i;  // a START in the DONE cycle may begin the next run at once
  end

  generate
    if (CoverAsAssert == 0) begin : gen_props
      always @(*) if (!init_q) begin
        assert (busy_cnt <= BusyBound);
        // a run ends with a done pulse (in its last busy cycle), and done comes only then
        if (p_busy && !busy) assert (p_done || p_soft);
        if (done) assert (busy);
        if (p_done) assert (!busy || start_q);
      end
      // the bound is reached (it is tight): `yosys-smtbmc -c`
      always @(*) if (!init_q) cover (busy_cnt == BusyBound);
    end else begin : gen_cover_as_assert
      // the same cover for engines without one: a counterexample is the cover trace
      always @(*) if (!init_q) assert (busy_cnt != BusyBound);
    end
  endgenerate

endmodule

`resetall
