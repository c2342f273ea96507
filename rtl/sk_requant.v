// sk_requant.v — the shared, pipelined requantize unit (docs/datapath.md §4–§7).
//
// One output channel enters per cycle and leaves four cycles later:
//   stage 0 (inputs)   accumulator of the channel; the core reads its bias and its
//                      per-channel shift byte from RAM in the same cycle
//   stage 1            sum = acc + bias (exact, §3); pick the shift; range-check it
//   stage 2            one arithmetic shift of sum * 2^48 by s + 16 (0..47) gives the
//                      integer part floor(sum / 2^s) (exact left shift when s <= 0),
//                      the rounding bit and the sticky bit (§5 "in hardware terms");
//                      the integer part is saturated to 12 bits, enough for any clamp
//   stage 3            round (floor / half_up / half_away / half_even), clamp, ReLU
//   stage 4 (outputs)  y[n] (or, for a raw layer, the int32 sum) and its index n
// The layer configuration inputs stay constant while a layer drains.

`default_nettype none

module sk_requant (
  input  wire               clk_i,
  input  wire               rst_ni,
  input  wire               flush_i,        // drop everything in flight
  // layer configuration
  input  wire [1:0]         round_i,        // datapath §5 mode code
  input  wire               raw_i,          // emit the int32 sum (§7)
  input  wire               per_channel_i,  // shift from shift_word_i, else layer_shift_i
  input  wire signed [5:0]  layer_shift_i,  // -16..31, checked by the sequencer
  input  wire signed [9:0]  lo_i,           // clamp bounds of the output type, ReLU applied
  input  wire signed [9:0]  hi_i,
  // stage 0
  input  wire               valid_i,
  input  wire [15:0]        n_i,            // output channel
  input  wire [31:0]        acc_i,
  input  wire [1:0]         shift_sel_i,    // byte of shift_word_i that holds this channel's shift
  // stage 1: RAM data for the channel that was in stage 0 one cycle earlier
  input  wire [31:0]        bias_i,
  input  wire [31:0]        shift_word_i,
  // stage 4
  output wire               valid_o,
  output wire [15:0]        n_o,
  output wire [31:0]        data_o,         // y[n] sign-extended, or the raw sum
  output wire               shift_err_o,    // a per-channel shift outside -16..31 (stage 1)
  output wire               busy_o          // a channel is in flight
);

  localparam [1:0] RoundFloor    = 2'd0;
  localparam [1:0] RoundHalfUp   = 2'd1;
  localparam [1:0] RoundHalfAway = 2'd2;

  reg [4:1] valid_q;  // stage valids: control state, reset
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) valid_q <= 4'b0;
    else if (flush_i) valid_q <= 4'b0;
    else valid_q <= {valid_q[3:1], valid_i};
  end

  // Stage 1
  reg [15:0] n1_q;
  reg [31:0] acc1_q;
  reg [1:0]  sel1_q;
  always @(posedge clk_i) begin
    n1_q   <= n_i;
    acc1_q <= acc_i;
    sel1_q <= shift_sel_i;
  end

  wire signed [31:0] sum1 = acc1_q + bias_i;
  wire signed [7:0]  chan_shift = shift_word_i[8*sel1_q +: 8];
  wire        [5:0]  shift1 = per_channel_i ? chan_shift[5:0] : layer_shift_i;  // in range: 6 bits
  assign shift_err_o = valid_q[1] && per_channel_i && !raw_i &&
                       (chan_shift < -8'sd16 || chan_shift > 8'sd31);

  // Stage 2
  reg [15:0]        n2_q;
  reg signed [31:0] sum2_q;
  reg [5:0]         shamt2_q;  // s + 16, 0..47
  always @(posedge clk_i) begin
    n2_q     <= n1_q;
    sum2_q   <= sum1;
    shamt2_q <= shift1 + 6'd16;
  end

  wire signed [79:0] scaled  = {sum2_q, 48'd0};
  wire signed [79:0] shifted = scaled >>> shamt2_q;     // sum * 2^(32 - s)
  wire signed [47:0] int2    = shifted[79:32];          // floor(sum / 2^s)
  wire signed [11:0] sat2    = (int2 > 48'sd2047)  ? 12'sd2047 :
                               (int2 < -48'sd2048) ? -12'sd2048 : int2[11:0];

  // Stage 3
  reg [15:0]        n3_q;
  reg signed [31:0] sum3_q;
  reg signed [11:0] int3_q;
  reg               round3_q, sticky3_q, odd3_q, pos3_q;
  always @(posedge clk_i) begin
    n3_q      <= n2_q;
    sum3_q    <= sum2_q;
    int3_q    <= sat2;
    round3_q  <= shifted[31];
    sticky3_q <= |shifted[30:0];
    odd3_q    <= shifted[32];
    pos3_q    <= sum2_q > 32'sd0;
  end

  // A tie is round && !sticky; above half is round && sticky (§5).
  reg inc3;
  always @(*) begin
    case (round_i)
      RoundFloor:    inc3 = 1'b0;
      RoundHalfUp:   inc3 = round3_q;
      RoundHalfAway: inc3 = round3_q && (sticky3_q || pos3_q);
      default:       inc3 = round3_q && (sticky3_q || odd3_q);  // half_even
    endcase
  end
  wire signed [12:0] rounded3 = {int3_q[11], int3_q} + {12'd0, inc3};
  wire signed [12:0] lo13 = {{3{lo_i[9]}}, lo_i};
  wire signed [12:0] hi13 = {{3{hi_i[9]}}, hi_i};
  wire signed [12:0] clamped3 = (rounded3 < lo13) ? lo13 : (rounded3 > hi13) ? hi13 : rounded3;

  // Stage 4
  reg [15:0] n4_q;
  reg [31:0] data4_q;
  always @(posedge clk_i) begin
    n4_q    <= n3_q;
    data4_q <= raw_i ? sum3_q : {{19{clamped3[12]}}, clamped3};
  end

  assign valid_o = valid_q[4];
  assign n_o     = n4_q;
  assign data_o  = data4_q;
  assign busy_o  = |valid_q;

  // Assertions
`ifndef SYNTHESIS
  always @(posedge clk_i) begin
    if (valid_q[3] && !raw_i && lo_i > hi_i) begin
      $display("sk_requant: clamp bounds lo %0d > hi %0d", lo_i, hi_i);
      $stop;
    end
  end
`endif

endmodule

`resetall
