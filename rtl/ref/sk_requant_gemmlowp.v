// sk_requant_gemmlowp.v — a gemmlowp/TFLite-style requantize unit, for the FPGA cost
// study only (docs/fpga.md, `make synth-requant`). NOT part of the shiftkit core.
//
// It computes what TFLite's MultiplyByQuantizedMultiplier does for an arbitrary real
// scale M0 * 2^shift (M0 a Q31 multiplier in [2^30, 2^31)), with the same pipeline
// discipline and the same bias add, clamp, ReLU and raw mode as rtl/sk_requant.v, so
// that the two units differ only in how they scale:
//   stage 1  sum = acc + bias; pick left = max(shift, 0), right = max(-shift, 0)
//   stage 2  x = sum << left                      (variable left shift 0..16)
//   stage 3  p = x * M0                            (32 x 32 -> 64, signed)
//   stage 4  SaturatingRoundingDoublingHighMul: (p + nudge) / 2^31, truncated toward
//            zero, nudge = 2^30 or 1 - 2^30 by the sign of p (one adder, see below)
//   stage 5  RoundingDivideByPOT(h, right): arithmetic shift, round half away from
//            zero (remainder > (mask >> 1) + (h < 0))   (right 0..31)
//   stage 6  clamp to [lo, hi] (or pass the raw sum); output registered
// Like gemmlowp, x << left does not saturate (the caller keeps it in range) and the
// INT32_MIN * INT32_MIN case saturates to INT32_MAX (M0 is positive, so it never occurs).

`default_nettype none

module sk_requant_gemmlowp (
  input  wire               clk_i,
  input  wire               rst_ni,
  input  wire               flush_i,         // drop everything in flight
  input  wire               raw_i,           // emit the int32 sum
  input  wire signed [9:0]  lo_i,            // clamp bounds of the output type
  input  wire signed [9:0]  hi_i,
  input  wire               valid_i,
  input  wire [15:0]        n_i,             // output channel
  input  wire [31:0]        acc_i,
  // stage 1: per-channel data read from RAM one cycle after the accumulator
  input  wire [31:0]        bias_i,
  input  wire [31:0]        multiplier_i,    // Q31 M0, 2^30 <= M0 < 2^31
  input  wire signed [5:0]  shift_i,         // -31..16: left when positive, right when negative
  output wire               valid_o,
  output wire [15:0]        n_o,
  output wire [31:0]        data_o,
  output wire               busy_o
);

  reg [6:1] valid_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) valid_q <= 6'b0;
    else if (flush_i) valid_q <= 6'b0;
    else valid_q <= {valid_q[5:1], valid_i};
  end

  // Stage 1
  reg [15:0] n1_q;
  reg [31:0] acc1_q;
  always @(posedge clk_i) begin
    n1_q   <= n_i;
    acc1_q <= acc_i;
  end
  wire signed [31:0] sum1   = acc1_q + bias_i;
  wire        [4:0]  left1  = shift_i > 6'sd0 ? shift_i[4:0] : 5'd0;
  wire        [5:0]  negsh1 = -shift_i;
  wire        [4:0]  right1 = shift_i < 6'sd0 ? negsh1[4:0] : 5'd0;

  // Stage 2: left shift
  reg [15:0]        n2_q;
  reg signed [31:0] sum2_q, m2_q;
  reg [4:0]         left2_q, right2_q;
  always @(posedge clk_i) begin
    n2_q     <= n1_q;
    sum2_q   <= sum1;
    m2_q     <= multiplier_i;
    left2_q  <= left1;
    right2_q <= right1;
  end
  wire signed [31:0] x2 = sum2_q <<< left2_q;

  // Stage 3: the 32 x 32 multiply
  reg [15:0]        n3_q;
  reg signed [31:0] sum3_q, x3_q, m3_q;
  reg [4:0]         right3_q;
  always @(posedge clk_i) begin
    n3_q     <= n2_q;
    sum3_q   <= sum2_q;
    x3_q     <= x2;
    m3_q     <= m2_q;
    right3_q <= right2_q;
  end
  wire signed [63:0] prod3 = x3_q * m3_q;

  // Stage 4: doubling high multiply with round half away from zero
  reg [15:0]        n4_q;
  reg signed [31:0] sum4_q;
  reg signed [63:0] prod4_q;
  reg               sat4_q;
  reg [4:0]         right4_q;
  always @(posedge clk_i) begin
    n4_q     <= n3_q;
    sum4_q   <= sum3_q;
    prod4_q  <= prod3;
    sat4_q   <= x3_q == 32'sh80000000 && m3_q == 32'sh80000000;
    right4_q <= right3_q;
  end
  // gemmlowp computes (p + nudge) / 2^31 truncated toward zero, nudge = 2^30 for
  // p >= 0 and 1 - 2^30 for p < 0. For p < 0 the nudged value is negative, and
  // truncating it equals flooring it after adding 2^31 - 1; both cases therefore reduce
  // to floor((p + 2^30) / 2^31): one adder instead of three.
  wire signed [63:0] quot4   = (prod4_q + 64'sd1073741824) >>> 31;
  wire signed [31:0] high4   = sat4_q ? 32'sh7fffffff : quot4[31:0];

  // Stage 5: rounding divide by a power of two
  reg [15:0]        n5_q;
  reg signed [31:0] sum5_q, h5_q;
  reg [4:0]         right5_q;
  always @(posedge clk_i) begin
    n5_q     <= n4_q;
    sum5_q   <= sum4_q;
    h5_q     <= high4;
    right5_q <= right4_q;
  end
  wire        [31:0] mask5      = (32'd1 << right5_q) - 32'd1;
  wire        [31:0] rem5       = h5_q & mask5;
  wire        [31:0] thresh5    = (mask5 >> 1) + {31'd0, h5_q < 32'sd0};
  wire signed [31:0] shifted5   = h5_q >>> right5_q;
  wire signed [31:0] rounded5   = shifted5 + {31'd0, rem5 > thresh5};
  wire signed [31:0] lo32       = {{22{lo_i[9]}}, lo_i};
  wire signed [31:0] hi32       = {{22{hi_i[9]}}, hi_i};
  wire signed [31:0] clamped5   = rounded5 < lo32 ? lo32 : rounded5 > hi32 ? hi32 : rounded5;

  // Stage 6
  reg [15:0] n6_q;
  reg [31:0] data6_q;
  always @(posedge clk_i) begin
    n6_q    <= n5_q;
    data6_q <= raw_i ? sum5_q : clamped5;
  end

  assign valid_o = valid_q[6];
  assign n_o     = n6_q;
  assign data_o  = data6_q;
  assign busy_o  = |valid_q;

  // The shift fits 5 bits and the high word is bits 62:31 of the product by construction.
  wire unused_bits = ^{negsh1[5], quot4[63:32]};

endmodule

`resetall
