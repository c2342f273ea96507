// sk_mac_array.v — the LANES multiply-accumulate lanes and their double buffer.
//
// Every cycle that a tap arrives, lane l adds W[n0+l][k] * x[k] to its accumulator:
// all lanes share one activation and read one weight row. The last tap of a block
// copies the finished sums into a shadow register chain and the next block starts
// accumulating at once; the shadow chain is shifted out one lane per cycle (head_o)
// into the shared requant unit. Sums are exact in 32 bits (datapath §3: the host
// guarantees the bound; the bias is added later, in the requant unit).
//
// Vector mode (CNN builds, layers without weights: maxpool, avgpool, add; docs/regmap.md
// "Extension descriptor"): lane 0 takes x * 2^xshift instead of w * x, and keeps the
// maximum of its taps instead of their sum when max_i is set. The other lanes are idle
// then (a block of those kinds has one channel). A build without them ties vec_i and
// max_i to 0, and synthesis removes the vector path.
//
// Timing: taps arrive from the RAM outputs (valid_i) one cycle after the sequencer
// issued their addresses; products are registered; the accumulate/shadow stage is the
// cycle after. load_o marks that cycle for a last tap.

`default_nettype none

module sk_mac_array #(
  parameter integer Lanes = 8  // parallel output channels
) (
  input  wire               clk_i,
  input  wire               rst_ni,
  input  wire               flush_i,   // drop taps in flight (abort, soft reset)
  // taps
  input  wire               valid_i,
  input  wire               first_i,   // k == 0: the accumulator restarts from the product
  input  wire               last_i,    // k == K-1: the block is finished after this tap
  input  wire [8*Lanes-1:0] w_i,       // lane l: int8 weight in bits 8l+7..8l
  input  wire signed [8:0]  x_i,       // the activation, sign- or zero-extended to 9 bits
  // vector mode: constant for a layer, except xshift_i which comes with each tap
  input  wire               vec_i,     // lane 0 takes x * 2^xshift_i, not w * x
  input  wire               max_i,     // lane 0 keeps the maximum (vec_i only)
  input  wire [4:0]         xshift_i,
  // drain
  input  wire               pop_i,     // shift the shadow chain down by one lane
  output wire               load_o,    // the shadow chain is loaded at the end of this cycle
  output wire [31:0]        head_o     // shadow lane 0
);

  // Product stage: control registers carry a reset, data registers do not.
  reg p_valid_q, p_first_q, p_last_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      p_valid_q <= 1'b0;
      p_first_q <= 1'b0;
      p_last_q  <= 1'b0;
    end else begin
      p_valid_q <= valid_i && !flush_i;
      p_first_q <= first_i;
      p_last_q  <= last_i;
    end
  end

  assign load_o = p_valid_q && p_last_q;

  // Lane datapath, flattened: lane l owns bits [32l+31:32l] of acc_d/acc_q/shadow_q.
  wire [32*Lanes-1:0] acc_d;
  reg  [32*Lanes-1:0] acc_q;
  reg  [32*Lanes-1:0] shadow_q;

  // Lane 0's vector-mode operand, registered like a product. The host's bounds keep
  // x * 2^xshift (and every sum of them) within int32 (datapath §13, §14).
  wire signed [31:0] x32 = {{23{x_i[8]}}, x_i};
  reg  signed [31:0] vec_q;
  always @(posedge clk_i) vec_q <= x32 <<< xshift_i;

  genvar l;
  generate
    for (l = 0; l < Lanes; l = l + 1) begin : gen_lane
      wire signed [7:0]  w      = w_i[8*l +: 8];
      wire signed [31:0] prod   = w * x_i;  // both operands signed: the product is signed
      reg  signed [31:0] prod_q;
      wire signed [31:0] acc    = acc_q[32*l +: 32];
      // product register, adder and the adder's second operand in the SB_MAC16
      wire signed [31:0] acc0   = p_first_q ? 32'sd0 : acc;
      wire signed [31:0] mac    = acc0 + prod_q;
      if (l == 0) begin : gen_vec
        wire signed [31:0] vsum = acc + vec_q;
        wire signed [31:0] best = (vec_q > acc) ? vec_q : acc;
        assign acc_d[32*l +: 32] = !vec_i ? mac : (p_first_q ? vec_q : (max_i ? best : vsum));
      end else begin : gen_mac
        assign acc_d[32*l +: 32] = mac;
      end
      always @(posedge clk_i) prod_q <= prod;
    end
  endgenerate

  always @(posedge clk_i) begin
    if (p_valid_q) acc_q <= acc_d;
    // Shadow chain: load the finished block, or shift towards lane 0.
    if (load_o)     shadow_q <= acc_d;
    else if (pop_i) shadow_q <= shadow_q >> 32;
  end

  assign head_o = shadow_q[31:0];

  // Assertions (the shadow-chain discipline, load only when drained, is checked in
  // sk_core.v, which owns the drain counter)
  initial begin
    if (Lanes < 1 || Lanes > 64) begin
      $display("sk_mac_array: Lanes = %0d, must be 1..64", Lanes);
      $finish;
    end
  end

endmodule

`resetall
