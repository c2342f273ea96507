// sk_requant.v — the shared, pipelined requantize unit (docs/datapath.md §4–§7).
//
// One output channel enters per cycle and leaves six cycles later:
//   stage 0 (inputs)   accumulator of the channel; the core reads its bias and its
//                      per-channel shift byte from RAM in the same cycle
//   stage 1            sum = acc + bias (exact, §3); pick the shift s and range-check it
//   stage 2            coarse shift: a logarithmic shifter (levels 32, 16, 8) starts to
//                      move a 10-bit window over sum * 2^-s
//   stage 3            fine shift (levels 4, 2, 1): the window holds the integer part
//                      floor(sum / 2^s), saturated at 9 bits, and the rounding bit below
//                      it (§5 "in hardware terms"); the bits that leave the window at the
//                      bottom make the sticky bit, a bit that leaves it at the top and
//                      differs from the sign means the integer part does not fit 9 bits
//   stage 4            rounding increment (floor / half_up / half_away / half_even)
//   stage 5            clamp to the output type with ReLU (§6)
//   stage 6 (outputs)  y[n] (or, for a raw layer, the int32 sum) and its index n
// Why 9 bits are enough: every clamp range lies in -128..255 (§6, out_bits <= 8), and a
// value outside -256..255 stays outside the clamp range after rounding adds 1.
// Only the 10 window bits are built, and every stage is a few LUT levels deep: an 80-bit
// shift of sum * 2^48 with 48-bit saturation compares in one stage was the UP5K
// critical path at 19 MHz, and 18 % of the core's LUTs (docs/fpga.md).
// The layer configuration inputs stay constant while a layer drains; the core registers
// lo_i/hi_i when it loads the descriptor.

`default_nettype none

module sk_requant #(
  parameter integer TagWidth = 16  // bits of the tag that travels with a channel
) (
  input  wire               clk_i,
  input  wire               rst_ni,
  input  wire               flush_i,        // drop everything in flight
  // layer configuration
  input  wire [1:0]         round_i,        // datapath §5 mode code
  input  wire               raw_i,          // emit the int32 sum (§7)
  input  wire               per_channel_i,  // shift from shift_word_i, else layer_shift_i
  input  wire signed [5:0]  layer_shift_i,  // -16..31, checked by the sequencer
  input  wire signed [9:0]  lo_i,           // clamp bounds of the output type, ReLU applied
  input  wire signed [9:0]  hi_i,           // (§6: hi = 2^m - 1, lo = 0 or -2^m)
  // stage 0
  input  wire               valid_i,
  input  wire [TagWidth-1:0] n_i,          // tag of the channel (where its output goes)
  input  wire [31:0]        acc_i,
  input  wire [1:0]         shift_sel_i,    // byte of shift_word_i that holds this channel's shift
  // stage 1: RAM data for the channel that was in stage 0 one cycle earlier
  input  wire [31:0]        bias_i,
  input  wire [31:0]        shift_word_i,
  // stage 6
  output wire               valid_o,
  output wire [TagWidth-1:0] n_o,
  output wire [31:0]        data_o,         // y[n] sign-extended, or the raw sum
  output wire               shift_err_o,    // a per-channel shift outside -16..31 (found in stage 1, reported in stage 2)
  output wire               busy_o          // a channel is in flight
);

  localparam integer Depth = 6;  // stages from valid_i to valid_o

  localparam [1:0] RoundFloor    = 2'd0;
  localparam [1:0] RoundHalfUp   = 2'd1;
  localparam [1:0] RoundHalfAway = 2'd2;

  reg [Depth:1] valid_q;  // stage valids: control state, reset
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) valid_q <= {Depth{1'b0}};
    else if (flush_i) valid_q <= {Depth{1'b0}};
    else valid_q <= {valid_q[Depth-1:1], valid_i};
  end

  // The tag travels alongside: stage k holds bits TagWidth*k-1 .. TagWidth*(k-1).
  reg [TagWidth*Depth-1:0] n_q;
  always @(posedge clk_i) n_q <= {n_q[TagWidth*(Depth-1)-1:0], n_i};

  // ---------------------------------------------------------------- stage 1
  reg [31:0] acc1_q;
  reg [1:0]  sel1_q;
  always @(posedge clk_i) begin
    acc1_q <= acc_i;
    sel1_q <= shift_sel_i;
  end

  wire [31:0] sum1       = acc1_q + bias_i;
  wire [7:0]  chan_shift = shift_word_i[8*sel1_q +: 8];
  wire [5:0]  shift1     = per_channel_i ? chan_shift[5:0] : layer_shift_i;  // in range: 6 bits
  // -16..31 is 000x_xxxx or 1111_xxxx
  wire        chan_shift_ok = chan_shift[7:5] == 3'b000 || chan_shift[7:4] == 4'b1111;
  // Reported one cycle later, from a register: the RAM output, byte select and range
  // test in series with the sequencer's abort decision were the UP5K critical path
  // (docs/fpga.md). A flush drops it with the channel.
  reg shift_err_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) shift_err_q <= 1'b0;
    else shift_err_q <= !flush_i && valid_q[1] && per_channel_i && !raw_i && !chan_shift_ok;
  end
  assign shift_err_o = shift_err_q;

  // ---------------------------------------------------------------- stage 2
  reg [31:0] sum2_q;
  reg [5:0]  t2_q;  // s + 16, 0..47: the window's offset
  always @(posedge clk_i) begin
    sum2_q <= sum1;
    t2_q   <= shift1 + 6'd16;
  end

  // The window bit j (0..9) of the result is bit j - 1 of floor(sum * 2^(1-s)): bit j of
  // w5 >> t, where w5 = sum * 2^17 with the sign extended above (s = t - 16). Window bit
  // 0 is the rounding bit, bits 9:1 the integer part. Each level shifts by 2^k or not
  // and keeps only the bits the later levels can still move into the window. Bits a
  // level drops at the bottom lie below the rounding bit (sticky); bits it drops at the
  // top lie above integer bit 8 (they must equal the sign, or the value saturates).
  wire        sign2 = sum2_q[31];
  wire [72:0] w5 = {{24{sign2}}, sum2_q, 17'd0};
  // t5 = 1 means s >= 16, so t4 = 0 and the level-4 bits 40:25 are never used then:
  // they come from w5 unshifted (the overflow term below masks them with !t5).
  wire [40:0] w4 = {w5[40:25], t2_q[5] ? w5[56:32] : w5[24:0]};
  wire [24:0] w3 = t2_q[4] ? w4[40:16] : w4[24:0];
  wire [16:0] w2 = t2_q[3] ? w3[24:8]  : w3[16:0];
  // (no level-4 term: with t4 = 1, t5 = 0 and w4[15:0] = w5[15:0] is zero padding)
  wire sticky_c2 = (t2_q[5] && |w5[31:0]) || (t2_q[3] && |w3[7:0]);
  wire ovf_c2    = (!t2_q[5] && |(w5[72:41] ^ {32{sign2}})) ||
                   (!t2_q[5] && !t2_q[4] && |(w4[40:25] ^ {16{sign2}})) ||
                   (!t2_q[3] && |(w3[24:17] ^ {8{sign2}}));

  // ---------------------------------------------------------------- stage 3
  reg [31:0] sum3_q;     // the sum of a raw layer, zero otherwise
  reg [16:0] w2_q;
  reg [2:0]  t3_q;
  reg        sticky3_q, ovf3_q, sign3_q;
  always @(posedge clk_i) begin
    sum3_q    <= raw_i ? sum2_q : 32'd0;
    w2_q      <= w2;
    t3_q      <= t2_q[2:0];
    sticky3_q <= sticky_c2;
    ovf3_q    <= ovf_c2;
    sign3_q   <= sign2;
  end

  wire [12:0] w1  = t3_q[2] ? w2_q[16:4] : w2_q[12:0];
  wire [10:0] w0  = t3_q[1] ? w1[12:2]   : w1[10:0];
  wire [9:0]  win = t3_q[0] ? w0[10:1]   : w0[9:0];
  wire sticky3 = sticky3_q || (t3_q[2] && |w2_q[3:0]) || (t3_q[1] && |w1[1:0]) || (t3_q[0] && w0[0]);
  // the integer part fits 9 bits only if the dropped top bits, and bit 8 itself, are
  // all equal to the sign
  wire ovf3 = ovf3_q || (!t3_q[2] && |(w2_q[16:13] ^ {4{sign3_q}})) ||
              (!t3_q[1] && |(w1[12:11] ^ {2{sign3_q}})) || (!t3_q[0] && (w0[10] ^ sign3_q)) ||
              (win[9] ^ sign3_q);

  // ---------------------------------------------------------------- stage 4
  reg [31:0] sum4_q;
  reg [8:0]  int4_q;     // floor(sum / 2^s), valid when !ovf4_q
  reg        round4_q, sticky4_q, sign4_q, ovf4_q;
  always @(posedge clk_i) begin
    sum4_q    <= sum3_q;
    int4_q    <= win[9:1];
    round4_q  <= win[0];
    sticky4_q <= sticky3;
    sign4_q   <= sign3_q;
    ovf4_q    <= ovf3;
  end

  // A tie is round && !sticky; above half is round && sticky (§5). A tie has a nonzero
  // sum, so for half_away "sum > 0" is "sign clear".
  reg inc4;
  always @(*) begin
    case (round_i)
      RoundFloor:    inc4 = 1'b0;
      RoundHalfUp:   inc4 = round4_q;
      RoundHalfAway: inc4 = round4_q && (sticky4_q || !sign4_q);
      default:       inc4 = round4_q && (sticky4_q || int4_q[0]);  // half_even: f odd
    endcase
  end
  wire [9:0] rounded4 = {int4_q[8], int4_q} + {9'd0, inc4};  // -256..256

  // ---------------------------------------------------------------- stage 5
  reg [31:0] sum5_q;
  reg [9:0]  rounded5_q;
  reg        sign5_q, ovf5_q;
  reg        neg5_q;     // y[n] will be negative: its sign extension, decided a stage early
  always @(posedge clk_i) begin
    sum5_q     <= sum4_q;
    rounded5_q <= raw_i ? 10'd0 : rounded4;  // zero for a raw layer (a synchronous reset)
    sign5_q    <= sign4_q;
    ovf5_q     <= ovf4_q;
    // y is negative exactly when lo < 0 and the value is: a negative value is either
    // in lo..-1 or clamped to lo, and lo = 0 clamps every negative value to 0.
    neg5_q     <= !raw_i && lo_i[9] && (ovf4_q ? sign4_q : rounded4[9]);
  end

  // The §6 bounds are hi = 2^m - 1 and lo = 0 or -2^m: comparing with them is a test of
  // the bits above m against the sign, no subtraction. hi_i[8] is 0.
  wire above_r5 = !rounded5_q[9] && |(rounded5_q[8:0] & ~hi_i[8:0]);
  wire below_r5 = rounded5_q[9] && (!lo_i[9] || !(&(rounded5_q[8:0] | hi_i[8:0])));
  // Saturated: the value lies beyond -256..255, so beyond the clamp range on its side.
  wire above5 = !raw_i && (ovf5_q ? !sign5_q : above_r5);
  wire below5 = !raw_i && (ovf5_q ?  sign5_q : below_r5);
  // y[n], a 9-bit signed value in lo..hi (-128..255); zero for a raw layer. A nonzero lo
  // is ~hi, so a clamped bit is hi's bit (above) or its complement (below, lo < 0).
  wire       below_neg5 = below5 && lo_i[9];
  wire [8:0] bound5 = ({9{above5}} & hi_i[8:0]) | ({9{below_neg5}} & ~hi_i[8:0]);
  wire [8:0] y5 = (above5 || below5) ? bound5 : rounded5_q[8:0];

  // ---------------------------------------------------------------- stage 6
  // raw: the sum (y5 is zero); else y sign-extended (sum5_q is zero). Written as OR and
  // set so that the register's synchronous set does the sign extension: no LUT per bit.
  // The set comes straight from neg5_q (= y5[8]): with y5[8] itself, the clamp decision
  // drove the set of 23 flip-flops (UP5K timing, docs/fpga.md).
  reg [31:0] data6_q;
  always @(posedge clk_i) begin
    data6_q[8:0]  <= sum5_q[8:0] | y5;
    data6_q[31:9] <= neg5_q ? {23{1'b1}} : sum5_q[31:9];
  end

  assign valid_o = valid_q[Depth];
  assign n_o     = n_q[TagWidth*Depth-1 -: TagWidth];
  assign data_o  = data6_q;
  assign busy_o  = |valid_q;

  // Assertions
`ifndef SYNTHESIS
  // Registers start random in simulation until the first clock edge under reset loads
  // them: the checks below skip that edge.
  reg checked_q = 1'b0;
  always @(posedge clk_i) checked_q <= 1'b1;
  always @(posedge clk_i) begin
    // the clamp above relies on the §6 form of the bounds
    if (valid_q[5] && !raw_i &&
        (hi_i < 10'sd1 || hi_i > 10'sd255 || ((hi_i + 10'sd1) & hi_i) != 10'sd0 ||
         (lo_i != 10'sd0 && lo_i != ~hi_i))) begin
      $display("sk_requant: clamp bounds lo %0d, hi %0d not of the form hi = 2^m - 1 <= 255, lo = 0 or -2^m",
               lo_i, hi_i);
      $stop;
    end
    if (checked_q && valid_q[5] && neg5_q != y5[8]) begin
      $display("sk_requant: early sign %0d of y differs from y[8] = %0d", neg5_q, y5[8]);
      $stop;
    end
  end
`endif

endmodule

`resetall
