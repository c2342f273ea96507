// sk_core_abstract.v — a free stand-in for rtl/sk_core.v in the bus proof.
//
// Every output is unconstrained in every cycle (busy, done, error codes, read data,
// counters), so the AXI4-Lite properties proven with it hold for any behaviour of the
// real core: an over-approximation that keeps the solver on the bus logic. (With the
// real core and 4-word memories, BMC depth 7 alone took over 8 minutes.)

`default_nettype none

module sk_core #(
  parameter integer Lanes = 8, parameter integer WeightRows = 16384,
  parameter integer BiasDepth = 2048, parameter integer ShiftDepth = 2048,
  parameter integer ActBytes = 2048, parameter integer MaxLayers = 64, parameter integer Cnn = 1,
  parameter integer WeightRowBytes = 4, parameter integer HostAddrWidth = 21
) (
  input  wire                     clk_i,
  input  wire                     rst_ni,
  input  wire                     start_i,
  input  wire                     soft_reset_i,
  input  wire [7:0]               num_layers_i,
  output wire                     busy_o,
  output wire                     done_o,
  output wire [7:0]               err_code_o,
  output wire [7:0]               err_layer_o,
  output wire [7:0]               cur_layer_o,
  output wire [31:0]              perf_cycles_o,
  output wire [31:0]              perf_macs_o,
  output wire [31:0]              perf_stalls_o,
  input  wire                     host_req_i,
  input  wire                     host_we_i,
  input  wire [6:0]               host_win_i,
  input  wire [HostAddrWidth-1:0] host_addr_i,
  input  wire [31:0]              host_wdata_i,
  input  wire [3:0]               host_be_i,
  output wire [31:0]              host_rdata_o
);
  (* anyseq *) reg        busy, done;
  (* anyseq *) reg [7:0]  err_code, err_layer, cur_layer;
  (* anyseq *) reg [31:0] cycles, macs, stalls, rdata;
  assign busy_o = busy;           assign done_o = done;
  assign err_code_o = err_code;   assign err_layer_o = err_layer;
  assign cur_layer_o = cur_layer; assign perf_cycles_o = cycles;
  assign perf_macs_o = macs;      assign perf_stalls_o = stalls;
  assign host_rdata_o = rdata;
endmodule

`resetall
