// sk_requant_equiv.v — formal harness: rtl/sk_requant.v equals docs/datapath.md §4–§7.
//
// Wraps the requant unit with unconstrained inputs (every accumulator, bias, shift
// -16..31 per layer or per channel, rounding mode, output type 2..8 bits signed or
// unsigned, ReLU, raw) and checks every channel that leaves stage 6 against a
// reference written from the spec text, not from the RTL:
//
//   The result y = clamp(R(v), lo, hi) with v = sum / 2^s is pinned down by two
//   threshold comparisons instead of a shifter: R is monotone, so R(v) >= t holds
//   exactly when sum crosses the threshold of t in the exact (64-bit) integers:
//     floor      R(v) >= t  <=>  sum          >= t * 2^s
//     half_up    R(v) >= t  <=>  2 * sum      >= (2t - 1) * 2^s           (ties up)
//     half_away  tie at t - 1/2 goes to t when t - 1/2 > 0, i.e. t >= 1   (away from 0)
//     half_even  tie at t - 1/2 goes to t when t is even
//   (for s <= 0 every mode is the exact product sum * 2^-s, compared with t).
//   y is right iff lo <= y <= hi, (y == lo or R(v) >= y) and (y == hi or !(R(v) >= y+1)).
//   Bounds lo/hi come from §6 (out_bits, out_signed, relu), computed here.
//
// The configuration is held constant (the core keeps it stable while a layer drains);
// the sum acc + bias is assumed to fit int32 (the §3 load-time rule guarantees it).
// Per-channel shifts outside -16..31 must raise shift_err_o (regmap SHIFT_RANGE) a
// cycle after the shift byte arrives.

`default_nettype none

module sk_requant_equiv #(
  // Where the shift comes from. 0: the descriptor's field, fixed to Shift. 1: the
  // per-channel shift word, all four bytes equal to Shift (any byte selected).
  // 2: the shift word free, only the SHIFT_RANGE flag, the valid and index pipeline
  // checked. 3: the per-channel shift word free (every channel its own shift, any byte,
  // legal or not). 4: the descriptor's field free (any value in every cycle; the core
  // holds it for a layer, and values below -16 never reach the unit). 3 and 4 prove
  // every shift at once; cvc5 did not finish them in 12 minutes, ABC (bmc3 on the
  // bit-blasted model) takes seconds, so run_formal.py uses ABC for them and cvc5 for
  // fixed shifts, a cross-check by a second engine.
  parameter integer Shift      = 0,
  parameter integer PerChannel = 0
) (
  input wire        clk_i,
  input wire [1:0]  round_i,
  input wire        raw_i,
  input wire [3:0]  out_bits_i,
  input wire        out_signed_i,
  input wire        relu_i,
  input wire        valid_i,
  input wire [15:0] n_i,
  input wire [31:0] acc_i,
  input wire [1:0]  shift_sel_i,
  input wire [31:0] bias_i,
  input wire [31:0] shift_word_free_i
);

  localparam [7:0] ShiftByte = Shift;
  wire        per_channel_i = PerChannel >= 1 && PerChannel <= 3;
  wire [5:0]  layer_shift_i = PerChannel == 0 ? ShiftByte[5:0] : shift_word_free_i[5:0];
  wire [31:0] shift_word_i  = PerChannel == 1 ? {4{ShiftByte}} : shift_word_free_i;
  localparam  CheckValue    = PerChannel != 2;

  // ---------------------------------------------------------------- reset and config
  reg init_q = 1'b1;  // the first cycle is the reset cycle
  always @(posedge clk_i) init_q <= 1'b0;
  wire rst_n = !init_q;

  always @(*) begin
    assume (out_bits_i >= 4'd2 && out_bits_i <= 4'd8);
    assume (!(raw_i && relu_i));
  end
  // configuration of the previous cycle (combinational assumes: a clocked one would
  // leave the last step of a bounded run unconstrained)
  wire [8:0] config_now = {round_i, raw_i, out_bits_i, out_signed_i, relu_i};
  reg  [8:0] config_q;
  always @(posedge clk_i) config_q <= config_now;
  always @(*) if (!init_q) assume (config_now == config_q);

  // §6 clamp bounds of the output type, fused ReLU raising lo to 0
  wire signed [9:0] half = 10'sd1 <<< (out_bits_i - 4'd1);           // 2^(out_bits-1)
  wire signed [9:0] lo = out_signed_i ? (relu_i ? 10'sd0 : -half) : 10'sd0;
  wire signed [9:0] hi = out_signed_i ? half - 10'sd1 : 2 * half - 10'sd1;

  wire        valid_o, shift_err_o, busy_o;
  wire [15:0] n_o;
  wire [31:0] data_o;

  sk_requant dut (
    .clk_i(clk_i), .rst_ni(rst_n), .flush_i(1'b0),
    .round_i(round_i), .raw_i(raw_i), .per_channel_i(per_channel_i),
    .layer_shift_i(layer_shift_i), .lo_i(lo), .hi_i(hi),
    .valid_i(valid_i), .n_i(n_i), .acc_i(acc_i), .shift_sel_i(shift_sel_i),
    .bias_i(bias_i), .shift_word_i(shift_word_i),
    .valid_o(valid_o), .n_o(n_o), .data_o(data_o), .shift_err_o(shift_err_o), .busy_o(busy_o)
  );

  // ---------------------------------------------------------------- the channel's inputs,
  // delayed alongside the pipeline: acc and n enter at stage 0, bias and the shift byte
  // one cycle later (the RAM read latency the unit expects)
  reg [15:0] n_d1, n_d2, n_d3, n_d4, n_d5, n_d6;
  reg [31:0] acc_d1;
  reg [1:0]  sel_d1;
  reg [63:0] sum_d2, sum_d3, sum_d4, sum_d5, sum_d6;
  reg signed [7:0] s_d2, s_d3, s_d4, s_d5, s_d6;

  wire signed [7:0] chan_shift = shift_word_i[8*sel_d1 +: 8];
  wire signed [7:0] s_now = per_channel_i ? chan_shift : {{2{layer_shift_i[5]}}, layer_shift_i};
  wire signed [63:0] sum_now = $signed(acc_d1) + $signed(bias_i);    // exact, 64 bits

  always @(posedge clk_i) begin
    n_d1 <= n_i;   n_d2 <= n_d1;   n_d3 <= n_d2;   n_d4 <= n_d3;   n_d5 <= n_d4;   n_d6 <= n_d5;
    acc_d1 <= acc_i; sel_d1 <= shift_sel_i;
    sum_d2 <= sum_now; sum_d3 <= sum_d2; sum_d4 <= sum_d3; sum_d5 <= sum_d4; sum_d6 <= sum_d5;
    s_d2 <= s_now; s_d3 <= s_d2; s_d4 <= s_d3; s_d5 <= s_d4; s_d6 <= s_d5;
  end

  reg [6:1] valid_d;
  always @(posedge clk_i) valid_d <= init_q ? 6'b0 : {valid_d[5:1], valid_i};

  reg shift_err_ref_q;
  always @(posedge clk_i)
    shift_err_ref_q <= !init_q && valid_d[1] && per_channel_i && !raw_i &&
                       (chan_shift < -8'sd16 || chan_shift > 8'sd31);

  // §3: the sum of a valid model never leaves int32
  always @(*) if (valid_d[1])
    assume (sum_now >= -64'sd2147483648 && sum_now <= 64'sd2147483647);

  // ---------------------------------------------------------------- the reference
  // ge(t): R(sum / 2^s) >= t, for the channel now in stage 6
  wire signed [63:0] sum = sum_d6;
  wire signed [7:0]  s   = s_d6;
  function automatic ge(input signed [63:0] sm, input signed [7:0] sh, input [1:0] mode,
                        input signed [11:0] t);
    reg signed [63:0] tw, thr2;
    begin
      tw = t;
      if (sh <= 0) begin
        ge = (sm <<< (-sh)) >= tw;                     // exact left shift, then compare
      end else begin
        thr2 = (2 * tw - 1) <<< sh;                    // (2t - 1) * 2^s: the tie point, doubled
        case (mode)
          2'd0: ge = sm >= (tw <<< sh);
          2'd1: ge = 2 * sm >= thr2;
          2'd2: ge = (t >= 1) ? (2 * sm >= thr2) : (2 * sm > thr2);
          default: ge = t[0] ? (2 * sm > thr2) : (2 * sm >= thr2);
        endcase
      end
    end
  endfunction

  wire signed [11:0] y = $signed(data_o[11:0]);
  wire y_sext_ok = data_o[31:11] == {21{data_o[11]}};
  wire in_range  = $signed({{2{lo[9]}}, lo}) <= y && y <= $signed({{2{hi[9]}}, hi});
  wire lower_ok  = (y == $signed({{2{lo[9]}}, lo})) || ge(sum, s, round_i, y);
  wire upper_ok  = (y == $signed({{2{hi[9]}}, hi})) || !ge(sum, s, round_i, y + 12'sd1);
  wire s_legal   = s >= -8'sd16 && s <= 8'sd31;

  always @(*) begin
    if (!init_q) begin
      // one output per input, six cycles later, with its channel index
      assert (valid_o == valid_d[6]);
      if (valid_o) assert (n_o == n_d6);
      // §7 raw: the int32 sum itself
      if (CheckValue && valid_o && raw_i) assert ($signed(data_o) == sum);
      // §4–§6: the clamped, rounded quotient
      if (CheckValue && valid_o && !raw_i && s_legal) begin
        assert (y_sext_ok);
        assert (in_range);
        assert (lower_ok);
        assert (upper_ok);
      end
      // regmap SHIFT_RANGE: an illegal per-channel shift is found in stage 1 and
      // reported from a register in stage 2
      assert (shift_err_o == shift_err_ref_q);
    end
  end

  // cover: a tie rounded in each mode, and saturation both ways
  always @(*) if (!init_q && valid_o && !raw_i) begin
    cover (s == 8'sd31 && sum == -64'sd1073741824 && round_i == 2'd3);
    cover (s == -8'sd16 && y == $signed({{2{hi[9]}}, hi}));
  end

endmodule

`resetall
