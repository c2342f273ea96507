// sk_core_props.v — formal harness: the sequencer of rtl/sk_core.v never deadlocks.
//
// The real core (sequencer, MAC lanes, requant unit, memories) with small memories:
// Lanes lanes (4 by default), 4 weight rows, 4 biases, 4 shift bytes, 4-byte
// activation buffers, one descriptor. Every memory word starts unconstrained (any
// descriptor, weights, biases, shifts, activations: whatever a host could have
// written), NUM_LAYERS is free, START pulses come at any time (a START while busy
// must be ignored), no soft reset.
// Property: the core is never busy for more than BusyBound consecutive cycles, every
// run ends with a done pulse in its last busy cycle, and done comes only then.
//
// Why BusyBound suffices: the descriptor checks bound K <= ActBytes = 4 and
// N <= ActBytes = 4 (else ACT_RANGE, found in CHECK). docs/regmap.md "Timing" gives a
// layer 6 + K + sum_{b=1}^{B-1} max(K, 3, a_{b-1}) + a_{B-1} + 7 cycles, plus 1 DONE
// cycle per run; an error only ends a run earlier. Lanes = 4: one block (B = 1,
// a <= 4), at most 6 + 4 + 4 + 7 + 1 = 22. Lanes = 1: B = N <= 4 blocks of a = 1,
// at most 6 + 4 + 3*4 + 1 + 7 + 1 = 31. A bounded check of depth BusyBound + 4 from
// reset covers a run started in cycle 1 through its whole length and past it.

`default_nettype none

module sk_core_props #(
  parameter integer Lanes     = 4,
  parameter integer BusyBound = 22
) (
  input wire        clk_i,
  input wire        start_i,
  input wire [7:0]  num_layers_i
);

  reg init_q = 1'b1;
  always @(posedge clk_i) init_q <= 1'b0;

  wire        busy, done;
  wire [7:0]  err_code, err_layer, cur_layer;
  wire [31:0] cycles, macs, stalls, rdata;

  sk_core #(
    .Lanes(Lanes), .WeightRows(4), .BiasDepth(4), .ShiftDepth(4), .ActBytes(4), .MaxLayers(1),
    .HostAddrWidth(4)
  ) dut (
    .clk_i(clk_i), .rst_ni(!init_q),
    .start_i(start_i), .soft_reset_i(1'b0), .num_layers_i(num_layers_i),
    .busy_o(busy), .done_o(done), .err_code_o(err_code), .err_layer_o(err_layer),
    .cur_layer_o(cur_layer), .perf_cycles_o(cycles), .perf_macs_o(macs), .perf_stalls_o(stalls),
    .host_req_i(1'b0), .host_we_i(1'b0), .host_win_i(6'd0), .host_addr_i(4'd0),
    .host_wdata_i(32'd0), .host_be_i(4'd0), .host_rdata_o(rdata)
  );

  reg [7:0] busy_cnt;  // consecutive busy cycles
  reg       p_busy, p_done;
  always @(posedge clk_i) begin
    busy_cnt <= (init_q || !busy) ? 8'd0 : busy_cnt + 8'd1;
    p_busy   <= init_q ? 1'b0 : busy;
    p_done   <= init_q ? 1'b0 : done;
  end

  reg start_q;  // a START one cycle earlier may begin the next run at once
  always @(posedge clk_i) start_q <= start_i;

  always @(*) if (!init_q) begin
    assert (busy_cnt <= BusyBound);
    // a run ends with a done pulse (in its last busy cycle), and done comes only then
    if (p_busy && !busy) assert (p_done);
    if (done) assert (busy);
    if (p_done) assert (!busy || start_q);
  end

  // the bound is reached (it is tight): run with `yosys-smtbmc -c`
  always @(*) if (!init_q) cover (busy_cnt == BusyBound);

endmodule

`resetall
