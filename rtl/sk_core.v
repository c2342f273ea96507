// sk_core.v — the shift-accumulate core: memories, layer sequencer, MAC lanes and the
// shared requant unit, behind a simple host port (sk_axil_top.v puts it on AXI4-Lite).
//
// A run executes descriptors 0..num_layers-1. Per layer the sequencer fetches the
// descriptor, checks it, then issues one weight row and one activation per cycle:
// block b (output channels b*Lanes ..) takes K cycles, its K rows lying one after the
// other from W_BASE. The lanes accumulate; at the last tap of a block the sums move to
// the shadow chain of sk_mac_array and the next block starts at once while the
// requant unit drains the previous one, one channel per cycle, adding the bias and
// writing y[n] into the other activation buffer (ping-pong: layer i reads ACT(i%2),
// writes ACT((i+1)%2)). docs/architecture.md has the whole account and docs/regmap.md
// the memory layouts.
//
// CNN builds (Cnn = 1) also run layers with an extension descriptor (EXT, the XDESC
// window): conv2d, depthwise conv2d, maxpool, avgpool and add, and dense layers at
// explicit activation addresses. The same block schedule then runs inside two more
// loops: output pixels outside, and within a block the taps walk the kernel window
// (ky, kx, ci); an address generator follows the window over the HWC input, skipping
// the reads of padding taps (x = 0). The one-channel kinds (depthwise, pooling, add)
// issue blocks of one channel on lane 0; pooling and add put lane 0 in vector mode
// (sk_mac_array) and read no bias. A v1.0 descriptor runs exactly as before: it is the
// case of one pixel, a 1x1 window, C = K, input at ACT(i%2) and output at ACT((i+1)%2).
//
// Memories are single-ported, except the activation buffers of a CNN build (one read
// and one write port: an EXT layer may write the buffer it reads). The host owns them
// while the core is idle, the sequencer while it is busy (sk_axil_top refuses host
// window access then).

`default_nettype none

module sk_core #(
  parameter integer Lanes      = 8,      // parallel MAC lanes, 1..64
  parameter integer WeightRows = 16384,  // weight memory rows (Lanes int8 weights each)
  parameter integer BiasDepth  = 2048,   // int32 bias entries
  parameter integer ShiftDepth = 2048,   // int8 per-channel shift entries, multiple of 4
  parameter integer ActBytes   = 16384,  // bytes of each activation buffer, multiple of 4
  parameter integer MaxLayers  = 64,     // layer descriptors, 1..255
  parameter integer Cnn        = 1,      // layer extensions (FEATURES.CNN): 0 or 1
  // derived; do not override
  parameter integer WeightRowBytes = (Lanes <= 4) ? 4 : (1 << $clog2(Lanes)),
  parameter integer HostAddrWidth  = 21  // word address within a window
) (
  input  wire                     clk_i,
  input  wire                     rst_ni,
  // commands: one-cycle pulses
  input  wire                     start_i,
  input  wire                     soft_reset_i,
  input  wire [7:0]               num_layers_i,  // taken as it was the cycle before start_i
  // status
  output wire                     busy_o,
  output wire                     done_o,       // one-cycle pulse: the run ended
  output wire [7:0]               err_code_o,   // with done_o: 0 or an SK_HWERR_* code
  output wire [7:0]               err_layer_o,  // with done_o
  output wire [7:0]               cur_layer_o,
  output wire [31:0]              perf_cycles_o,
  output wire [31:0]              perf_macs_o,
  output wire [31:0]              perf_stalls_o,
  // host window port: an access while busy_o is ignored (the sequencer owns the
  // memories then; sk_axil_top answers it with SLVERR); rdata is valid the cycle after
  // host_req_i
  input  wire                     host_req_i,
  input  wire                     host_we_i,
  input  wire [6:0]               host_win_i,   // one-hot, bit order of sk_core_if.vh
  input  wire [HostAddrWidth-1:0] host_addr_i,  // word address; its low bits are the offset in the window
  input  wire [31:0]              host_wdata_i,
  input  wire [3:0]               host_be_i,
  output reg  [31:0]              host_rdata_o
);

  `include "sk_regs.vh"
  `include "sk_core_if.vh"

  localparam integer RowWords   = WeightRowBytes / 4;
  localparam integer RowSelW    = (RowWords > 1) ? $clog2(RowWords) : 1;
  localparam integer WAw        = (WeightRows > 1) ? $clog2(WeightRows) : 1;
  localparam integer BAw        = (BiasDepth > 1) ? $clog2(BiasDepth) : 1;
  localparam integer SWords     = ShiftDepth / 4;
  localparam integer SAw        = (SWords > 1) ? $clog2(SWords) : 1;
  localparam integer AWords     = ActBytes / 4;
  localparam integer AAw        = (AWords > 1) ? $clog2(AWords) : 1;
  localparam integer DWords     = MaxLayers * 4;
  localparam integer DAw        = $clog2(DWords);
  localparam integer XWords     = MaxLayers * 16;  // XDESC: 16-word slots
  localparam integer XAw        = $clog2(XWords);
  localparam [15:0]  LanesN     = Lanes[15:0];  // Lanes as a channel count
  localparam         HasCnn     = Cnn != 0;
  localparam [27:0]  ActBytes28 = ActBytes[27:0];

  localparam [2:0] StIdle  = 3'd0;
  localparam [2:0] StFetch = 3'd1;
  localparam [2:0] StCheck = 3'd2;
  localparam [2:0] StRun   = 3'd3;
  localparam [2:0] StDone  = 3'd4;

  localparam [3:0] FetchLast    = 4'd4;   // word 3 lands: a layer without EXT is fetched
  localparam [3:0] FetchExtLast = 4'd12;  // extension word 11 lands

  localparam [2:0] KindConv    = 3'd1;
  localparam [2:0] KindMaxPool = 3'd2;
  localparam [2:0] KindAdd     = 3'd4;

  // Running activation addresses are byte offsets within a buffer, signed: a padded
  // window starts before the input. 32 bits hold every address of a geometry whose
  // tensors fit the buffers; a tap that really reads is range-checked (ACT_RANGE).
  localparam integer Aw = 32;

  // ------------------------------------------------------------------ sequencer state
  reg [2:0]  state_q, state_d;
  reg        busy_q;                    // state_q != StIdle, in a register of its own
  reg [7:0]  num_layers_q, num_layers_d;
  reg [7:0]  layer_q, layer_d;
  reg [3:0]  fetch_q, fetch_d;
  reg [31:0] desc_q [0:3];
  reg [31:0] xdesc_q [0:11];
  reg        ext_q;                     // the layer has an extension descriptor
  reg [15:0] prev_n_q, prev_n_d;
  reg        prev_signed_q, prev_signed_d;
  reg        prev_ext_q, prev_ext_d;
  // Per-layer and per-block quantities kept in registers so that no issue decision waits
  // for a subtraction or a magnitude compare (UP5K timing, docs/fpga.md). Each loop
  // counter has a "last" flag computed one issue ahead from "pre" = bound - 2.
  reg [15:0] ci_q, ci_d;                // channel at the window position (a dense layer's tap k)
  reg [15:0] cg_pre_q, cg_pre_d;        // channels per position - 2
  reg        cg_one_q, cg_one_d;
  reg        ci_last_q, ci_last_d;
  reg [7:0]  kx_q, kx_d, ky_q, ky_d;    // window position
  reg [7:0]  kw_pre_q, kw_pre_d, kh_pre_q, kh_pre_d;
  reg        kw_one_q, kw_one_d, kh_one_q, kh_one_d;
  reg        kx_last_q, kx_last_d, ky_last_q, ky_last_d;
  reg [15:0] ox_q, ox_d, oy_q, oy_d;    // output pixel
  reg [15:0] ow_pre_q, ow_pre_d, oh_pre_q, oh_pre_d;
  reg        ow_one_q, ow_one_d, oh_one_q, oh_one_d;
  reg        ox_last_q, ox_last_d, oy_last_q, oy_last_d;
  reg        tap_first_q, tap_first_d;  // the tap to issue is a block's first
  reg [15:0] n0_q, n0_d;                // first channel of the block
  reg [15:0] n_left_q, n_left_d;        // N - n0: channels from n0 on
  reg        last_blk_q, last_blk_d;    // n_left <= step: the pixel's last block
  reg        first_blk_last_q, first_blk_last_d;  // N <= step (last_blk of a pixel's block 0)
  reg [15:0] step_q, step_d;            // channels per block: Lanes, or 1 for the one-channel kinds
  reg        one_chan_q, one_chan_d;
  reg        row_bad_q, row_bad_d;      // w_row >= WeightRows
  reg        base_bad_q, base_bad_d;    // W_BASE >= WeightRows
  reg [24:0] w_row_q, w_row_d;          // weight row of the next tap
  reg        issue_done_q, issue_done_d;
  reg        inflight_q, inflight_d;    // a last tap is on its way to the shadow chain
  reg [15:0] inflight_n0_q, inflight_n0_d;
  reg [6:0]  inflight_cnt_q, inflight_cnt_d;
  reg [27:0] inflight_addr_q, inflight_addr_d;
  reg [6:0]  drain_left_q, drain_left_d;  // shadow lanes still to send to requant
  reg [15:0] drain_n_q, drain_n_d;
  reg [27:0] drain_addr_q, drain_addr_d;  // output byte offset of the channel to drain
  reg [7:0]  err_q, err_d;              // error code of the run being ended
  reg [31:0] cycles_q, macs_q, stalls_q;
  // address generator (CNN builds; constant otherwise)
  reg signed [Aw-1:0] orow_addr_q, orow_addr_d;  // window origin of pixel (oy, 0)
  reg signed [Aw-1:0] pix_addr_q, pix_addr_d;    // window origin of pixel (oy, ox)
  reg signed [Aw-1:0] grp_addr_q, grp_addr_d;    // + the group's channel (one-channel kinds)
  reg signed [Aw-1:0] krow_addr_q, krow_addr_d;  // + ky rows
  reg signed [Aw-1:0] kcol_addr_q, kcol_addr_d;  // + kx pixels
  reg signed [Aw-1:0] tap_addr_q, tap_addr_d;    // + ci: the byte of the next tap
  reg signed [Aw-1:0] src_addr_q, src_addr_d;    // add: operand b of the group
  reg signed [25:0]   iy_base_q, iy_base_d, ix_base_q, ix_base_d;  // oy*SH - PT, ox*SW - PL
  reg signed [25:0]   iy_q, iy_d, ix_q, ix_d;    // input position of the next tap
  reg [27:0] pix_out_q, pix_out_d;      // output byte offset of the pixel's channel 0
  reg [27:0] blk_out_q, blk_out_d;      // output byte offset of the block's channel 0
  // layer constants of the address generator, set in StCheck
  reg        in_buf_q, src_buf_q, out_buf_q;
  reg        is_add_q, vec_q, vmax_q, no_bias_q, src_signed_q;
  reg [4:0]  a_shift_q, b_shift_q;
  reg [15:0] c_q;
  reg signed [25:0] h_q, w_q;
  reg [7:0]  sh_q, sw_q;
  reg signed [25:0] pl_neg_q;           // -PL
  reg [23:0] row_step_q, pix_step_q, orow_step_q;
  reg [27:0] blk_out_step_q, pix_out_step_q;  // output bytes per block and per pixel
  reg [27:0] out_limit_q;               // last output byte offset an element may start at

  // Descriptor fields
  wire [15:0] d_k         = desc_q[SK_DESC_K_WORD][SK_DESC_K_LSB +: SK_DESC_K_WIDTH];
  wire [15:0] d_n         = desc_q[SK_DESC_N_WORD][SK_DESC_N_LSB +: SK_DESC_N_WIDTH];
  wire [23:0] d_w_base    = desc_q[SK_DESC_W_BASE_WORD][SK_DESC_W_BASE_LSB +: SK_DESC_W_BASE_WIDTH];
  wire [15:0] d_bias_base = desc_q[SK_DESC_BIAS_BASE_WORD][SK_DESC_BIAS_BASE_LSB +: SK_DESC_BIAS_BASE_WIDTH];
  wire [15:0] d_shift_base = desc_q[SK_DESC_SHIFT_BASE_WORD][SK_DESC_SHIFT_BASE_LSB +: SK_DESC_SHIFT_BASE_WIDTH];
  wire [5:0]  d_shift     = desc_q[SK_DESC_SHIFT_WORD][SK_DESC_SHIFT_LSB +: SK_DESC_SHIFT_WIDTH];
  wire [1:0]  d_round     = desc_q[SK_DESC_ROUND_WORD][SK_DESC_ROUND_LSB +: SK_DESC_ROUND_WIDTH];
  wire [3:0]  d_out_bits  = desc_q[SK_DESC_OUT_BITS_WORD][SK_DESC_OUT_BITS_LSB +: SK_DESC_OUT_BITS_WIDTH];
  wire        d_out_signed = desc_q[SK_DESC_OUT_SIGNED_WORD][SK_DESC_OUT_SIGNED_LSB];
  wire        d_in_signed = desc_q[SK_DESC_IN_SIGNED_WORD][SK_DESC_IN_SIGNED_LSB];
  wire        d_relu      = desc_q[SK_DESC_RELU_WORD][SK_DESC_RELU_LSB];
  wire        d_raw       = desc_q[SK_DESC_RAW_WORD][SK_DESC_RAW_LSB];
  wire        d_per_chan  = desc_q[SK_DESC_PER_CHANNEL_WORD][SK_DESC_PER_CHANNEL_LSB];

  // Extension fields (meaningful when ext_q)
  wire [2:0]  x_kind      = xdesc_q[SK_XDESC_KIND_WORD][SK_XDESC_KIND_LSB +: SK_XDESC_KIND_WIDTH];
  wire        x_dw        = xdesc_q[SK_XDESC_DEPTHWISE_WORD][SK_XDESC_DEPTHWISE_LSB];
  wire        x_src_signed = xdesc_q[SK_XDESC_SRC_SIGNED_WORD][SK_XDESC_SRC_SIGNED_LSB];
  wire [4:0]  x_a_shift   = xdesc_q[SK_XDESC_A_SHIFT_WORD][SK_XDESC_A_SHIFT_LSB +: SK_XDESC_A_SHIFT_WIDTH];
  wire [4:0]  x_b_shift   = xdesc_q[SK_XDESC_B_SHIFT_WORD][SK_XDESC_B_SHIFT_LSB +: SK_XDESC_B_SHIFT_WIDTH];
  wire [16:0] x_in        = xdesc_q[SK_XDESC_IN_ADDR_WORD][SK_XDESC_IN_ADDR_LSB +: SK_XDESC_IN_ADDR_WIDTH];
  wire [16:0] x_out       = xdesc_q[SK_XDESC_OUT_ADDR_WORD][SK_XDESC_OUT_ADDR_LSB +: SK_XDESC_OUT_ADDR_WIDTH];
  wire [16:0] x_src       = xdesc_q[SK_XDESC_SRC_ADDR_WORD][SK_XDESC_SRC_ADDR_LSB +: SK_XDESC_SRC_ADDR_WIDTH];
  wire [15:0] x_h         = xdesc_q[SK_XDESC_H_WORD][SK_XDESC_H_LSB +: SK_XDESC_H_WIDTH];
  wire [15:0] x_w         = xdesc_q[SK_XDESC_W_WORD][SK_XDESC_W_LSB +: SK_XDESC_W_WIDTH];
  wire [15:0] x_c         = xdesc_q[SK_XDESC_C_WORD][SK_XDESC_C_LSB +: SK_XDESC_C_WIDTH];
  wire [7:0]  x_kh        = xdesc_q[SK_XDESC_KH_WORD][SK_XDESC_KH_LSB +: SK_XDESC_KH_WIDTH];
  wire [7:0]  x_kw        = xdesc_q[SK_XDESC_KW_WORD][SK_XDESC_KW_LSB +: SK_XDESC_KW_WIDTH];
  wire [7:0]  x_sh        = xdesc_q[SK_XDESC_SH_WORD][SK_XDESC_SH_LSB +: SK_XDESC_SH_WIDTH];
  wire [7:0]  x_sw        = xdesc_q[SK_XDESC_SW_WORD][SK_XDESC_SW_LSB +: SK_XDESC_SW_WIDTH];
  wire [7:0]  x_pt        = xdesc_q[SK_XDESC_PT_WORD][SK_XDESC_PT_LSB +: SK_XDESC_PT_WIDTH];
  wire [7:0]  x_pl        = xdesc_q[SK_XDESC_PL_WORD][SK_XDESC_PL_LSB +: SK_XDESC_PL_WIDTH];
  wire [15:0] x_oh        = xdesc_q[SK_XDESC_OH_WORD][SK_XDESC_OH_LSB +: SK_XDESC_OH_WIDTH];
  wire [15:0] x_ow        = xdesc_q[SK_XDESC_OW_WORD][SK_XDESC_OW_LSB +: SK_XDESC_OW_WIDTH];
  wire [23:0] x_row_step  = xdesc_q[SK_XDESC_ROW_STEP_WORD][SK_XDESC_ROW_STEP_LSB +: SK_XDESC_ROW_STEP_WIDTH];
  wire [23:0] x_pix_step  = xdesc_q[SK_XDESC_PIX_STEP_WORD][SK_XDESC_PIX_STEP_LSB +: SK_XDESC_PIX_STEP_WIDTH];
  wire [23:0] x_orow_step = xdesc_q[SK_XDESC_OROW_STEP_WORD][SK_XDESC_OROW_STEP_LSB +: SK_XDESC_OROW_STEP_WIDTH];
  wire [24:0] x_pad_off   = xdesc_q[SK_XDESC_PAD_OFFSET_WORD][SK_XDESC_PAD_OFFSET_LSB +: SK_XDESC_PAD_OFFSET_WIDTH];
  wire        x_is_add    = x_kind == KindAdd;
  wire        x_vec       = x_kind >= KindMaxPool;  // maxpool, avgpool, add (5..7 fail the check)

  // Clamp bounds of the output type with ReLU (datapath §6). Constant for a layer, so
  // they are registered when the descriptor has been fetched (StCheck) instead of being
  // derived from it in the requant unit's clamp cycle.
  wire [9:0] type_half = 10'd1 << (d_out_bits - 4'd1);
  wire signed [9:0] lo_d = (d_out_signed && !d_relu) ? -$signed(type_half) : 10'sd0;
  wire signed [9:0] hi_d = d_out_signed ? $signed(type_half - 10'd1) : $signed((type_half << 1) - 10'd1);
  reg  signed [9:0] lo_q, hi_q;
  always @(posedge clk_i) begin
    if (state_q == StCheck) begin
      lo_q <= lo_d;
      hi_q <= hi_d;
    end
  end

  // Descriptor checks, lowest code first (docs/regmap.md "Error codes"). Word 3 comes
  // straight from the RAM in fetch 4, when words 0..2 are in desc_q: every check of the
  // descriptor is registered then as one flag per error code, so StCheck only picks the
  // first flag set (with the extension's flags, registered the same way in its last
  // fetch cycle). Deciding them in StCheck put the checks in series with the state
  // register (UP5K timing, docs/fpga.md).
  wire [31:0] desc_rdata, xdesc_rdata;
  wire [31:0] w3          = desc_rdata;  // descriptor word 3, in fetch 4
  wire [1:0]  w3_shift_hi = w3[SK_DESC_SHIFT_LSB + 4 +: 2];  // SHIFT[5:4]
  wire [3:0]  w3_out_bits = w3[SK_DESC_OUT_BITS_LSB +: SK_DESC_OUT_BITS_WIDTH];
  wire        w3_raw      = w3[SK_DESC_RAW_LSB];
  wire        w3_per_chan = w3[SK_DESC_PER_CHANNEL_LSB];
  reg pre_dims_q, pre_k_chain_q, pre_sign_chain_q, pre_field_q, pre_shift_q, pre_bias_q;
  reg pre_shift_addr_q, pre_act_q, last_layer_q;
  reg n_le1_q, n_le2_q, n_le_lanes_q, n_le_2lanes_q;
  // BIAS_BASE + N and SHIFT_BASE + N, added when word 2 lands (fetch 3), compared in
  // fetch 4: an adder and a compare in series took more than a cycle.
  wire [31:0] w2 = desc_rdata;  // descriptor word 2, in fetch 3
  reg  [16:0] bias_end_q, shift_end_q;
  always @(posedge clk_i) begin
    // layer_q and num_layers_q hold while a layer is fetched and run
    if (state_q == StFetch) last_layer_q <= layer_q == num_layers_q - 8'd1;
    if (state_q == StFetch && fetch_q == FetchLast - 4'd1) begin
      bias_end_q  <= {1'b0, w2[SK_DESC_BIAS_BASE_LSB +: SK_DESC_BIAS_BASE_WIDTH]} + {1'b0, d_n};
      shift_end_q <= {1'b0, w2[SK_DESC_SHIFT_BASE_LSB +: SK_DESC_SHIFT_BASE_WIDTH]} + {1'b0, d_n};
    end
    if (state_q == StFetch && fetch_q == FetchLast) begin
      pre_dims_q       <= d_k == 16'd0 || d_n == 16'd0;
      pre_k_chain_q    <= layer_q != 8'd0 && d_k != prev_n_q;
      pre_sign_chain_q <= layer_q != 8'd0 && w3[SK_DESC_IN_SIGNED_LSB] != prev_signed_q;
      pre_field_q      <= w3_out_bits < 4'd2 || w3_out_bits > 4'd8 ||
                          (w3_raw && (w3[SK_DESC_RELU_LSB] || !last_layer_q)) ||
                          |(desc_q[0] & SK_DESC_W0_RESERVED_MASK) |
                          |(desc_q[1] & SK_DESC_W1_RESERVED_MASK) |
                          |(desc_q[2] & SK_DESC_W2_RESERVED_MASK) |
                          |(w3 & SK_DESC_W3_RESERVED_MASK) | (w3[SK_DESC_EXT_LSB] && !HasCnn);
      pre_shift_q      <= !w3_raw && !w3_per_chan && w3_shift_hi == 2'b10;  // -32..-17
      pre_bias_q       <= {15'd0, bias_end_q} > BiasDepth;
      pre_shift_addr_q <= w3_per_chan && {15'd0, shift_end_q} > ShiftDepth;
      // N against the block sizes StCheck needs: step is Lanes, or 1 (one-channel kinds)
      n_le1_q          <= d_n <= 16'd1;
      n_le2_q          <= d_n <= 16'd2;
      n_le_lanes_q     <= {1'b0, d_n} <= {1'b0, LanesN};
      n_le_2lanes_q    <= {1'b0, d_n} <= {LanesN, 1'b0};
      pre_act_q        <= {16'd0, d_k} > ActBytes ||
                          (w3_raw ? {14'd0, d_n, 2'b00} > ActBytes : {16'd0, d_n} > ActBytes);
    end
  end
  reg xpre_dims_q, xpre_field_q, xpre_act_q;
  always @(posedge clk_i) begin
    if (state_q == StFetch && fetch_q == FetchExtLast) begin
      xpre_dims_q  <= !x_is_add && (x_h == 16'd0 || x_w == 16'd0 || x_c == 16'd0 ||
                      x_kh == 8'd0 || x_kw == 8'd0 || x_sh == 8'd0 || x_sw == 8'd0 ||
                      x_oh == 16'd0 || x_ow == 16'd0);
      xpre_field_q <= x_kind > KindAdd || (x_dw && x_kind != KindConv) ||
                      (d_raw && x_kind > KindConv) || (d_per_chan && x_vec) ||
                      (!x_is_add && (x_pt >= x_kh || x_pl >= x_kw)) ||
                      (d_raw && x_out[1:0] != 2'd0) ||
                      |(xdesc_q[0] & SK_XDESC_W0_RESERVED_MASK) |
                      |(xdesc_q[1] & SK_XDESC_W1_RESERVED_MASK) |
                      |(xdesc_q[2] & SK_XDESC_W2_RESERVED_MASK) |
                      |(xdesc_q[3] & SK_XDESC_W3_RESERVED_MASK) |
                      |(xdesc_q[8] & SK_XDESC_W8_RESERVED_MASK) |
                      |(xdesc_q[9] & SK_XDESC_W9_RESERVED_MASK) |
                      |(xdesc_q[10] & SK_XDESC_W10_RESERVED_MASK) |
                      |(xdesc_rdata & SK_XDESC_W11_RESERVED_MASK);
      xpre_act_q   <= {16'd0, x_in[15:0]} >= ActBytes || {16'd0, x_out[15:0]} >= ActBytes ||
                      (x_is_add && {16'd0, x_src[15:0]} >= ActBytes);
    end
  end
  wire is_last_layer = last_layer_q;
  wire no_weights    = ext_q && x_vec;  // maxpool, avgpool, add: no weights, biases, shift entries
  wire chk_dims       = pre_dims_q || (ext_q && xpre_dims_q);
  wire chk_chain      = (pre_k_chain_q && !ext_q && !prev_ext_q) || pre_sign_chain_q;
  wire chk_field      = pre_field_q || (ext_q && xpre_field_q);
  wire chk_bias       = pre_bias_q && !no_weights;
  wire chk_act        = ext_q ? xpre_act_q : pre_act_q;
  // Whether the layer fails, as a plain OR: the state and the error register's enable
  // wait for it, only the error code waits for the priority order below.
  wire check_fail     = chk_dims || chk_chain || chk_field || pre_shift_q || chk_bias ||
                        pre_shift_addr_q || chk_act;
  reg [7:0] check_err;
  always @(*) begin
    check_err = SK_HWERR_NONE;
    if (chk_dims)              check_err = SK_HWERR_DESC_DIMS;
    else if (chk_chain)        check_err = SK_HWERR_DESC_CHAIN;
    else if (chk_field)        check_err = SK_HWERR_DESC_FIELD;
    else if (pre_shift_q)      check_err = SK_HWERR_SHIFT_RANGE;
    else if (chk_bias)         check_err = SK_HWERR_BIAS_RANGE;
    else if (pre_shift_addr_q) check_err = SK_HWERR_SHIFT_ADDR_RANGE;
    else if (chk_act)          check_err = SK_HWERR_ACT_RANGE;
  end

  // ------------------------------------------------------------------ layer setup
  // What StCheck loads into the loops. A layer without EXT is one pixel, a 1x1 window
  // and C = K channels, input ACT(i%2) and output ACT((i+1)%2) from byte 0.
  wire        spatial   = ext_q && !x_is_add;          // add ignores the spatial fields
  wire        one_chan  = ext_q && (x_dw || x_vec);
  wire [15:0] cg_set    = !ext_q ? d_k : (x_is_add ? 16'd2 : (one_chan ? 16'd1 : x_c));
  wire [7:0]  kw_set    = spatial ? x_kw : 8'd1;
  wire [7:0]  kh_set    = spatial ? x_kh : 8'd1;
  wire [15:0] ow_set    = spatial ? x_ow : 16'd1;
  wire [15:0] oh_set    = spatial ? x_oh : 16'd1;
  wire [15:0] step_set  = one_chan ? 16'd1 : LanesN;
  wire [16:0] in_set    = ext_q ? x_in : {layer_q[0], 16'd0};
  wire [16:0] out_set   = ext_q ? x_out : {~layer_q[0], 16'd0};
  wire signed [Aw-1:0] origin_set = $signed({16'd0, in_set[15:0]}) -
                                    $signed({7'd0, spatial ? x_pad_off : 25'd0});
  wire [27:0] n_scaled  = d_raw ? {10'd0, d_n, 2'b00} : {12'd0, d_n};
  wire [27:0] blk_scaled = d_raw ? {10'd0, step_set, 2'b00} : {12'd0, step_set};

  // Loop state as seen by the issue logic: a build without the extensions has constant
  // 1x1 windows and one pixel, so synthesis keeps only the dense loops.
  wire kx_last   = HasCnn ? kx_last_q : 1'b1;
  wire ky_last   = HasCnn ? ky_last_q : 1'b1;
  wire ox_last   = HasCnn ? ox_last_q : 1'b1;
  wire oy_last   = HasCnn ? oy_last_q : 1'b1;
  wire chan1     = HasCnn && one_chan_q;
  wire is_add    = HasCnn && is_add_q;
  wire vec       = HasCnn && vec_q;
  wire tap_last  = ci_last_q && kx_last && ky_last;
  wire pix_last  = ox_last && oy_last;

  // NUM_LAYERS and its check as of the cycle before START (sk_axil_top writes it in a
  // bus transaction of its own, at least three cycles before a START): the compare is
  // not in series with the start decision.
  reg [7:0] num_layers_in_q;
  reg       num_layers_bad_q;
  always @(posedge clk_i) begin
    num_layers_in_q  <= num_layers_i;
    num_layers_bad_q <= num_layers_i == 8'd0 || {24'd0, num_layers_i} > MaxLayers;
  end

  // ------------------------------------------------------------------ issue
  wire [6:0]  active    = chan1 ? 7'd1 : (last_blk_q ? n_left_q[6:0] : LanesN[6:0]);  // n_left >= 1 while issuing
  // The last tap of a block reaches the shadow chain 2 cycles after issue: the chain
  // must be empty by then (at most 3 pops still due: this cycle and the next two).
  // Kept in a register (from the next values of inflight and drain_left) so that the
  // issue decision does not wait for the drain count (UP5K timing, docs/fpga.md).
  reg         shadow_ok_q;
  wire        shadow_ok = shadow_ok_q;
  // run_open_q = (state_q == StRun && !issue_done_q), kept in a register from the next
  // values: the issue decision then starts from three flags (UP5K timing, docs/fpga.md).
  reg         run_open_q;
  wire        may_issue = run_open_q && (!tap_last || shadow_ok);

  // The tap's activation: operand b of an add comes from SRC; a padding position reads
  // nothing and contributes 0; a real read outside the buffer stops the run.
  wire                 operand_b = is_add && ci_q[0];
  wire signed [Aw-1:0] rd_addr   = operand_b ? src_addr_q : tap_addr_q;
  wire                 rd_buf    = operand_b ? src_buf_q : in_buf_q;
  wire                 tap_real  = !HasCnn || is_add ||
                                   (iy_q >= 0 && iy_q < h_q && ix_q >= 0 && ix_q < w_q);
  wire                 act_bad   = HasCnn && tap_real && (rd_addr < 0 || rd_addr >= ActBytes);
  wire [AAw+1:0]       rd_byte   = HasCnn ? rd_addr[AAw+1:0] : ci_q[AAw+1:0];
  wire                 weight_bad = row_bad_q && !vec;
  wire                 issue     = may_issue && !weight_bad && !act_bad;

  wire [6:0]  pop_cnt   = drain_left_q;
  wire        pop       = pop_cnt != 7'd0;
  wire        out_bad   = HasCnn && pop && drain_addr_q > out_limit_q;
  wire        mac_load;
  wire        rq_busy, rq_shift_err;
  wire        layer_end = state_q == StRun && issue_done_q && !inflight_q && !pop && !rq_busy;
  wire        abort     = (state_q == StRun) &&
                          ((may_issue && (weight_bad || act_bad)) || rq_shift_err || out_bad);
  wire [7:0]  abort_err = rq_shift_err ? SK_HWERR_SHIFT_RANGE :
                          out_bad      ? SK_HWERR_ACT_RANGE :
                          weight_bad   ? SK_HWERR_WEIGHT_RANGE : SK_HWERR_ACT_RANGE;

  // The window origin of the next pixel (row-major).
  wire signed [Aw-1:0] next_orow_addr = orow_addr_q + $signed({8'd0, orow_step_q});
  wire signed [Aw-1:0] next_pix_addr  = ox_last ? next_orow_addr : pix_addr_q + $signed({8'd0, pix_step_q});

  always @(*) begin
    state_d          = state_q;
    num_layers_d     = num_layers_q;
    layer_d          = layer_q;
    fetch_d          = fetch_q;
    prev_n_d         = prev_n_q;
    prev_signed_d    = prev_signed_q;
    prev_ext_d       = prev_ext_q;
    ci_d             = ci_q;
    cg_pre_d         = cg_pre_q;
    cg_one_d         = cg_one_q;
    ci_last_d        = ci_last_q;
    kx_d             = kx_q;
    ky_d             = ky_q;
    kw_pre_d         = kw_pre_q;
    kh_pre_d         = kh_pre_q;
    kw_one_d         = kw_one_q;
    kh_one_d         = kh_one_q;
    kx_last_d        = kx_last_q;
    ky_last_d        = ky_last_q;
    ox_d             = ox_q;
    oy_d             = oy_q;
    ow_pre_d         = ow_pre_q;
    oh_pre_d         = oh_pre_q;
    ow_one_d         = ow_one_q;
    oh_one_d         = oh_one_q;
    ox_last_d        = ox_last_q;
    oy_last_d        = oy_last_q;
    tap_first_d      = tap_first_q;
    n0_d             = n0_q;
    n_left_d         = n_left_q;
    last_blk_d       = last_blk_q;
    first_blk_last_d = first_blk_last_q;
    step_d           = step_q;
    one_chan_d       = one_chan_q;
    row_bad_d        = row_bad_q;
    base_bad_d       = base_bad_q;
    w_row_d          = w_row_q;
    issue_done_d     = issue_done_q;
    inflight_d       = inflight_q;
    inflight_n0_d    = inflight_n0_q;
    inflight_cnt_d   = inflight_cnt_q;
    inflight_addr_d  = inflight_addr_q;
    drain_left_d     = drain_left_q;
    drain_n_d        = drain_n_q;
    drain_addr_d     = drain_addr_q;
    err_d            = err_q;
    orow_addr_d      = orow_addr_q;
    pix_addr_d       = pix_addr_q;
    grp_addr_d       = grp_addr_q;
    krow_addr_d      = krow_addr_q;
    kcol_addr_d      = kcol_addr_q;
    tap_addr_d       = tap_addr_q;
    src_addr_d       = src_addr_q;
    iy_base_d        = iy_base_q;
    ix_base_d        = ix_base_q;
    iy_d             = iy_q;
    ix_d             = ix_q;
    pix_out_d        = pix_out_q;
    blk_out_d        = blk_out_q;

    // drain: one shadow lane per cycle into the requant unit
    if (pop) begin
      drain_left_d = drain_left_q - 7'd1;
      drain_n_d    = drain_n_q + 16'd1;
      drain_addr_d = drain_addr_q + (d_raw ? 28'd4 : 28'd1);
    end
    if (mac_load) begin
      drain_left_d = inflight_cnt_q;
      drain_n_d    = inflight_n0_q;
      drain_addr_d = inflight_addr_q;
      inflight_d   = 1'b0;
    end

    case (state_q)
      StIdle: ;
      StFetch: begin
        fetch_d = fetch_q + 4'd1;
        // Word 3 lands in fetch 4 and says whether the extension follows.
        if ((fetch_q == FetchLast && !(HasCnn && desc_rdata[SK_DESC_EXT_LSB])) ||
            fetch_q == FetchExtLast) begin
          fetch_d = 4'd0;
          state_d = StCheck;
        end
      end
      StCheck: begin
        // The layer's run state is set up whatever the check says (a failed layer ends
        // in StDone and never reads it): only state and error wait for the check.
        ci_d             = 16'd0;
        cg_pre_d         = cg_set - 16'd2;
        cg_one_d         = cg_set == 16'd1;
        ci_last_d        = cg_set == 16'd1;
        kx_d             = 8'd0;
        ky_d             = 8'd0;
        kw_pre_d         = kw_set - 8'd2;
        kh_pre_d         = kh_set - 8'd2;
        kw_one_d         = kw_set == 8'd1;
        kh_one_d         = kh_set == 8'd1;
        kx_last_d        = kw_set == 8'd1;
        ky_last_d        = kh_set == 8'd1;
        ox_d             = 16'd0;
        oy_d             = 16'd0;
        ow_pre_d         = ow_set - 16'd2;
        oh_pre_d         = oh_set - 16'd2;
        ow_one_d         = ow_set == 16'd1;
        oh_one_d         = oh_set == 16'd1;
        ox_last_d        = ow_set == 16'd1;
        oy_last_d        = oh_set == 16'd1;
        tap_first_d      = 1'b1;
        n0_d             = 16'd0;
        n_left_d         = d_n;
        last_blk_d       = one_chan ? n_le1_q : n_le_lanes_q;  // N <= step
        first_blk_last_d = one_chan ? n_le1_q : n_le_lanes_q;
        step_d           = step_set;
        one_chan_d       = one_chan;
        w_row_d          = {1'b0, d_w_base};
        row_bad_d        = {8'd0, d_w_base} >= WeightRows;
        base_bad_d       = {8'd0, d_w_base} >= WeightRows;
        issue_done_d     = 1'b0;
        orow_addr_d      = origin_set;
        pix_addr_d       = origin_set;
        grp_addr_d       = origin_set;
        krow_addr_d      = origin_set;
        kcol_addr_d      = origin_set;
        tap_addr_d       = origin_set;
        src_addr_d       = $signed({16'd0, x_src[15:0]});
        iy_base_d        = -$signed({18'd0, spatial ? x_pt : 8'd0});
        ix_base_d        = -$signed({18'd0, spatial ? x_pl : 8'd0});
        iy_d             = -$signed({18'd0, spatial ? x_pt : 8'd0});
        ix_d             = -$signed({18'd0, spatial ? x_pl : 8'd0});
        pix_out_d        = {12'd0, out_set[15:0]};
        blk_out_d        = {12'd0, out_set[15:0]};
        if (check_fail) begin
          err_d   = check_err;
          state_d = StDone;
        end else begin
          state_d = StRun;
        end
      end
      StRun: begin
        if (issue) begin
          w_row_d     = w_row_q + 25'd1;
          row_bad_d   = {7'd0, w_row_q} >= WeightRows - 1;  // w_row_q + 1 >= WeightRows
          tap_first_d = 1'b0;
          if (!ci_last_q) begin
            // next channel at the same window position
            ci_d        = ci_q + 16'd1;
            ci_last_d   = ci_q == cg_pre_q;
            tap_addr_d  = tap_addr_q + 1;
          end else begin
            ci_d      = 16'd0;
            ci_last_d = cg_one_q;
            if (!kx_last) begin
              // next window column
              kx_d        = kx_q + 8'd1;
              kx_last_d   = kx_q == kw_pre_q;
              ix_d        = ix_q + 26'sd1;
              kcol_addr_d = kcol_addr_q + $signed({16'd0, c_q});
              tap_addr_d  = kcol_addr_q + $signed({16'd0, c_q});
            end else begin
              kx_d      = 8'd0;
              kx_last_d = kw_one_q;
              ix_d      = ix_base_q;
              if (!ky_last) begin
                // next window row
                ky_d        = ky_q + 8'd1;
                ky_last_d   = ky_q == kh_pre_q;
                iy_d        = iy_q + 26'sd1;
                krow_addr_d = krow_addr_q + $signed({8'd0, row_step_q});
                kcol_addr_d = krow_addr_q + $signed({8'd0, row_step_q});
                tap_addr_d  = krow_addr_q + $signed({8'd0, row_step_q});
              end else begin
                // the block's last tap: its sums go to the shadow chain
                ky_d           = 8'd0;
                ky_last_d      = kh_one_q;
                iy_d           = iy_base_q;
                tap_first_d    = 1'b1;
                inflight_d     = 1'b1;
                inflight_n0_d  = n0_q;
                inflight_cnt_d = active;
                inflight_addr_d = blk_out_q;
                if (!last_blk_q) begin
                  // next group of the pixel
                  n0_d        = n0_q + step_q;
                  n_left_d    = n_left_q - step_q;
                  last_blk_d  = next_last_q;
                  grp_addr_d  = grp_addr_q + (chan1 ? 1 : 0);
                  krow_addr_d = grp_addr_q + (chan1 ? 1 : 0);
                  kcol_addr_d = grp_addr_q + (chan1 ? 1 : 0);
                  tap_addr_d  = grp_addr_q + (chan1 ? 1 : 0);
                  src_addr_d  = src_addr_q + 1;
                  blk_out_d   = blk_out_q + blk_out_step_q;
                end else if (!pix_last) begin
                  // next output pixel: its first group, the weights from W_BASE again
                  n0_d        = 16'd0;
                  n_left_d    = d_n;
                  last_blk_d  = first_blk_last_q;
                  w_row_d     = {1'b0, d_w_base};
                  row_bad_d   = base_bad_q;
                  if (!ox_last) begin
                    ox_d      = ox_q + 16'd1;
                    ox_last_d = ox_q == ow_pre_q;
                    ix_base_d = ix_base_q + $signed({18'd0, sw_q});
                  end else begin
                    ox_d        = 16'd0;
                    ox_last_d   = ow_one_q;
                    oy_d        = oy_q + 16'd1;
                    oy_last_d   = oy_q == oh_pre_q;
                    ix_base_d   = pl_neg_q;
                    iy_base_d   = iy_base_q + $signed({18'd0, sh_q});
                    orow_addr_d = next_orow_addr;
                  end
                  iy_d        = ox_last ? iy_base_q + $signed({18'd0, sh_q}) : iy_base_q;
                  ix_d        = ox_last ? pl_neg_q : ix_base_q + $signed({18'd0, sw_q});
                  pix_addr_d  = next_pix_addr;
                  grp_addr_d  = next_pix_addr;
                  krow_addr_d = next_pix_addr;
                  kcol_addr_d = next_pix_addr;
                  tap_addr_d  = next_pix_addr;
                  pix_out_d   = pix_out_q + pix_out_step_q;
                  blk_out_d   = pix_out_q + pix_out_step_q;
                end else begin
                  issue_done_d = 1'b1;
                end
              end
            end
          end
        end
        if (abort) begin
          err_d   = abort_err;
          state_d = StDone;
        end else if (layer_end) begin
          prev_n_d      = d_n;
          prev_signed_d = d_out_signed;
          prev_ext_d    = ext_q;
          if (is_last_layer) begin
            state_d = StDone;
          end else begin
            layer_d = layer_q + 8'd1;
            state_d = StFetch;
          end
        end
      end
      default: state_d = StIdle;  // StDone: one cycle that reports the end
    endcase

    if (state_q == StDone || abort) begin
      inflight_d   = 1'b0;
      drain_left_d = 7'd0;
    end

    // A start is accepted only when idle (or together with a soft reset).
    if (soft_reset_i) begin
      state_d      = StIdle;
      inflight_d   = 1'b0;
      drain_left_d = 7'd0;
    end
    if (start_i && (!busy_q || soft_reset_i)) begin
      num_layers_d = num_layers_in_q;
      layer_d      = 8'd0;
      fetch_d      = 4'd0;
      err_d        = SK_HWERR_NONE;
      if (num_layers_bad_q) begin
        err_d   = SK_HWERR_NUM_LAYERS;
        state_d = StDone;
      end else begin
        state_d = StFetch;
      end
    end
  end

  wire flush = soft_reset_i || abort || state_q == StDone;

  // Whether the block after the current one is its pixel's last (n_left - step <= step),
  // compared a cycle after n_left changes instead of in the issue cycle that needs it:
  // a block's last tap issues at least 3 cycles after the previous block's (its sums
  // must reach the shadow chain first), and StCheck loads the first value.
  reg next_last_q;
  always @(posedge clk_i) begin
    if (state_q == StCheck) next_last_q <= one_chan ? n_le2_q : n_le_2lanes_q;  // N <= 2 step
    else next_last_q <= {1'b0, n_left_q} <= {step_q, 1'b0};
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      shadow_ok_q <= 1'b1;
      run_open_q  <= 1'b0;
    end else begin
      shadow_ok_q <= !inflight_d && drain_left_d[6:2] == 5'd0;  // <= 3, without a carry chain
      run_open_q  <= state_d == StRun && !issue_done_d;
    end
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q          <= StIdle;
      num_layers_q     <= 8'd0;
      layer_q          <= 8'd0;
      fetch_q          <= 4'd0;
      prev_n_q         <= 16'd0;
      prev_signed_q    <= 1'd0;
      prev_ext_q       <= 1'd0;
      ci_q             <= 16'd0;
      cg_pre_q         <= 16'd0;
      cg_one_q         <= 1'd0;
      ci_last_q        <= 1'd0;
      kx_q             <= 8'd0;
      ky_q             <= 8'd0;
      kw_pre_q         <= 8'd0;
      kh_pre_q         <= 8'd0;
      kw_one_q         <= 1'd1;
      kh_one_q         <= 1'd1;
      kx_last_q        <= 1'd1;
      ky_last_q        <= 1'd1;
      ox_q             <= 16'd0;
      oy_q             <= 16'd0;
      ow_pre_q         <= 16'd0;
      oh_pre_q         <= 16'd0;
      ow_one_q         <= 1'd1;
      oh_one_q         <= 1'd1;
      ox_last_q        <= 1'd1;
      oy_last_q        <= 1'd1;
      tap_first_q      <= 1'd0;
      n0_q             <= 16'd0;
      n_left_q         <= 16'd0;
      last_blk_q       <= 1'd0;
      first_blk_last_q <= 1'd0;
      step_q           <= 16'd0;
      one_chan_q       <= 1'd0;
      row_bad_q        <= 1'd0;
      base_bad_q       <= 1'd0;
      w_row_q          <= 25'd0;
      issue_done_q     <= 1'd0;
      inflight_q       <= 1'd0;
      inflight_n0_q    <= 16'd0;
      inflight_cnt_q   <= 7'd0;
      inflight_addr_q  <= 28'd0;
      drain_left_q     <= 7'd0;
      drain_n_q        <= 16'd0;
      drain_addr_q     <= 28'd0;
      err_q            <= 8'd0;
      orow_addr_q      <= {Aw{1'b0}};
      pix_addr_q       <= {Aw{1'b0}};
      grp_addr_q       <= {Aw{1'b0}};
      krow_addr_q      <= {Aw{1'b0}};
      kcol_addr_q      <= {Aw{1'b0}};
      tap_addr_q       <= {Aw{1'b0}};
      src_addr_q       <= {Aw{1'b0}};
      iy_base_q        <= 26'd0;
      ix_base_q        <= 26'd0;
      iy_q             <= 26'd0;
      ix_q             <= 26'd0;
      pix_out_q        <= 28'd0;
      blk_out_q        <= 28'd0;
    end else begin
      state_q          <= state_d;
      num_layers_q     <= num_layers_d;
      layer_q          <= layer_d;
      fetch_q          <= fetch_d;
      prev_n_q         <= prev_n_d;
      prev_signed_q    <= prev_signed_d;
      prev_ext_q       <= prev_ext_d;
      ci_q             <= ci_d;
      cg_pre_q         <= cg_pre_d;
      cg_one_q         <= cg_one_d;
      ci_last_q        <= ci_last_d;
      kx_q             <= kx_d;
      ky_q             <= ky_d;
      kw_pre_q         <= kw_pre_d;
      kh_pre_q         <= kh_pre_d;
      kw_one_q         <= kw_one_d;
      kh_one_q         <= kh_one_d;
      kx_last_q        <= kx_last_d;
      ky_last_q        <= ky_last_d;
      ox_q             <= ox_d;
      oy_q             <= oy_d;
      ow_pre_q         <= ow_pre_d;
      oh_pre_q         <= oh_pre_d;
      ow_one_q         <= ow_one_d;
      oh_one_q         <= oh_one_d;
      ox_last_q        <= ox_last_d;
      oy_last_q        <= oy_last_d;
      tap_first_q      <= tap_first_d;
      n0_q             <= n0_d;
      n_left_q         <= n_left_d;
      last_blk_q       <= last_blk_d;
      first_blk_last_q <= first_blk_last_d;
      step_q           <= step_d;
      one_chan_q       <= one_chan_d;
      row_bad_q        <= row_bad_d;
      base_bad_q       <= base_bad_d;
      w_row_q          <= w_row_d;
      issue_done_q     <= issue_done_d;
      inflight_q       <= inflight_d;
      inflight_n0_q    <= inflight_n0_d;
      inflight_cnt_q   <= inflight_cnt_d;
      inflight_addr_q  <= inflight_addr_d;
      drain_left_q     <= drain_left_d;
      drain_n_q        <= drain_n_d;
      drain_addr_q     <= drain_addr_d;
      err_q            <= err_d;
      orow_addr_q      <= orow_addr_d;
      pix_addr_q       <= pix_addr_d;
      grp_addr_q       <= grp_addr_d;
      krow_addr_q      <= krow_addr_d;
      kcol_addr_q      <= kcol_addr_d;
      tap_addr_q       <= tap_addr_d;
      src_addr_q       <= src_addr_d;
      iy_base_q        <= iy_base_d;
      ix_base_q        <= ix_base_d;
      iy_q             <= iy_d;
      ix_q             <= ix_d;
      pix_out_q        <= pix_out_d;
      blk_out_q        <= blk_out_d;
    end
  end

  // Layer constants: loaded with the descriptor, stable while the layer runs.
  always @(posedge clk_i) begin
    if (state_q == StFetch && fetch_q == FetchLast) ext_q <= HasCnn && desc_rdata[SK_DESC_EXT_LSB];
    if (state_q == StCheck) begin
      in_buf_q       <= in_set[16];
      out_buf_q      <= out_set[16];
      src_buf_q      <= x_src[16];
      is_add_q       <= ext_q && x_is_add;
      vec_q          <= ext_q && x_vec;
      vmax_q         <= ext_q && x_kind == KindMaxPool;
      no_bias_q      <= no_weights;
      src_signed_q   <= x_src_signed;
      a_shift_q      <= x_is_add ? x_a_shift : 5'd0;
      b_shift_q      <= x_is_add ? x_b_shift : 5'd0;
      c_q            <= spatial ? x_c : 16'd1;
      h_q            <= $signed({10'd0, spatial ? x_h : 16'd1});
      w_q            <= $signed({10'd0, spatial ? x_w : 16'd1});
      sh_q           <= x_sh;
      sw_q           <= x_sw;
      pl_neg_q       <= -$signed({18'd0, spatial ? x_pl : 8'd0});
      row_step_q     <= spatial ? x_row_step : 24'd0;
      pix_step_q     <= spatial ? x_pix_step : 24'd0;
      orow_step_q    <= spatial ? x_orow_step : 24'd0;
      blk_out_step_q <= blk_scaled;
      pix_out_step_q <= n_scaled;
      out_limit_q    <= ActBytes28 - (d_raw ? 28'd4 : 28'd1);
    end
  end

  // Descriptor words land one cycle after their read was issued: words 0..3 in fetch
  // 1..4, extension words 0..11 in fetch 1..12 (a layer without EXT stops at fetch 4
  // and leaves the extension registers unused). The word index is a 2-bit wire so that
  // fetch 4 wraps to word 3 in every simulator (Icarus evaluated the inline index
  // expression wider, got -1 and dropped the write: issue 11).

  wire [1:0]  desc_widx  = fetch_q[1:0] - 2'd1;
  wire [3:0]  xdesc_widx = fetch_q - 4'd1;
  always @(posedge clk_i) begin
    if (state_q == StFetch && fetch_q != 4'd0 && fetch_q <= FetchLast) desc_q[desc_widx] <= desc_rdata;
    if (state_q == StFetch && fetch_q != 4'd0) xdesc_q[xdesc_widx] <= xdesc_rdata;
  end

  // Perf counters: cleared by an accepted start or a soft reset, saturating.
  wire start_accept = start_i && (!busy_q || soft_reset_i);
  // busy = state_q != StIdle, kept in a register of its own: it selects the host or the
  // sequencer on every memory port and gates the host's window accesses and START, and
  // decoding it from state_q put a LUT level and a wide fanout into the host access
  // path (UP5K timing, docs/fpga.md). Only an accepted start leaves StIdle; only a soft
  // reset and StDone return to it.
  wire busy_d = start_accept || (!soft_reset_i && state_q != StIdle && state_q != StDone);
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) busy_q <= 1'b0;
    else busy_q <= busy_d;
  end
  wire busy = busy_q;
  // PERF_MACS adds a row's active lanes a cycle after its issue, from registers: the
  // issue decision and the lane count in series with a 32-bit adder were a UP5K
  // critical path (docs/fpga.md). A run ends at least 8 cycles after its last issue, so
  // the count is complete when DONE rises; a soft reset drops the pending row with the
  // count. (Only a read in the middle of a run can see the row one cycle late.)
  // PERF_STALLS follows the same way: a busy cycle that issued nothing counts a cycle
  // later (the last one, StDone, while DONE is being set).
  reg        mac_row_q, stall_q;
  reg  [6:0] mac_active_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mac_row_q    <= 1'b0;
      stall_q      <= 1'b0;
      mac_active_q <= 7'd0;
    end else begin
      mac_row_q    <= issue && !soft_reset_i;
      stall_q      <= busy && !issue && !soft_reset_i;
      mac_active_q <= active;
    end
  end
  // macs_q + mac_active_q, saturating: the low byte adds, the upper bits take its carry
  // from a precomputed increment (a 32-bit carry chain before the saturation mux did
  // not fit the UP5K cycle). Whether the upper bits are all ones is registered a cycle
  // late: the low byte carries at most every fourth add (<= 64 each, it restarts
  // below 64), so the upper bits have held for a cycle whenever the flag is used.
  wire [8:0]  macs_lo   = {1'b0, macs_q[7:0]} + {2'd0, mac_active_q};
  wire [23:0] macs_hi1  = macs_q[31:8] + 24'd1;
  reg         macs_hi_max_q;
  always @(posedge clk_i) macs_hi_max_q <= &macs_q[31:8];
  wire [31:0] macs_next = !macs_lo[8] ? {macs_q[31:8], macs_lo[7:0]} :
                          macs_hi_max_q ? 32'hFFFF_FFFF : {macs_hi1, macs_lo[7:0]};
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cycles_q <= 32'd0;
      macs_q   <= 32'd0;
      stalls_q <= 32'd0;
    end else if (soft_reset_i || start_accept) begin
      cycles_q <= 32'd0;
      macs_q   <= 32'd0;
      stalls_q <= 32'd0;
    end else begin
      if (mac_row_q) macs_q <= macs_next;
      if (stall_q && stalls_q != 32'hFFFF_FFFF) stalls_q <= stalls_q + 32'd1;
      if (busy && cycles_q != 32'hFFFF_FFFF) cycles_q <= cycles_q + 32'd1;
    end
  end

  assign busy_o        = busy;
  assign done_o        = state_q == StDone;
  assign err_code_o    = err_q;
  assign err_layer_o   = layer_q;
  assign cur_layer_o   = layer_q;
  assign perf_cycles_o = cycles_q;
  assign perf_macs_o   = macs_q;
  assign perf_stalls_o = stalls_q;

  // ------------------------------------------------------------------ tap pipeline
  // What the lanes need of a tap, a cycle after its issue, when its RAM data arrive.
  // The activation byte is picked by a one-hot select (buffer and byte lane, zero for a
  // padding tap) decided at issue, so the RAM data pass one AND-OR level on their way
  // to the multipliers instead of a buffer mux, a byte mux and a padding gate (UP5K
  // timing, docs/fpga.md); t_sext_q selects the bytes whose bit 7 extends into x[8].
  reg       t_valid_q, t_first_q, t_last_q;
  reg [7:0] t_sel_q, t_sext_q;  // bit 4*buffer + byte
  reg [4:0] t_xshift_q;
  wire       rd_buf_sel = HasCnn ? rd_buf : in_buf_q;
  wire [7:0] tap_sel    = tap_real ? 8'd1 << {rd_buf_sel, rd_byte[1:0]} : 8'd0;
  wire       tap_signed = operand_b ? src_signed_q : d_in_signed;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      t_valid_q  <= 1'b0;
      t_first_q  <= 1'b0;
      t_last_q   <= 1'b0;
      t_sel_q    <= 8'd0;
      t_sext_q   <= 8'd0;
      t_xshift_q <= 5'd0;
    end else begin
      t_valid_q  <= issue && !flush;
      t_first_q  <= tap_first_q;
      t_last_q   <= tap_last;
      t_sel_q    <= tap_sel;
      t_sext_q   <= tap_signed ? tap_sel : 8'd0;
      t_xshift_q <= operand_b ? b_shift_q : a_shift_q;
    end
  end

  wire [31:0] act_rdata [0:1];
  wire [63:0] act_bytes = {act_rdata[1], act_rdata[0]};
  reg  [8:0]  x_sel;
  integer sb;
  always @(*) begin
    x_sel = 9'd0;
    for (sb = 0; sb < 8; sb = sb + 1)
      x_sel = x_sel | ({9{t_sel_q[sb]}} & {1'b0, act_bytes[8*sb +: 8]}) |
                      {t_sext_q[sb] & act_bytes[8*sb + 7], 8'd0};
  end
  wire signed [8:0] x = x_sel;

  wire [8*Lanes-1:0] w_row_data;
  wire [31:0]        mac_head;

  sk_mac_array #(.Lanes(Lanes)) u_mac (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .flush_i  (flush),
    .valid_i  (t_valid_q),
    .first_i  (t_first_q),
    .last_i   (t_last_q),
    .w_i      (w_row_data),
    .x_i      (x),
    .vec_i    (vec),
    .max_i    (HasCnn && vmax_q),
    .xshift_i (HasCnn ? t_xshift_q : 5'd0),
    .pop_i    (pop),
    .load_o   (mac_load),
    .head_o   (mac_head)
  );

  // ------------------------------------------------------------------ requant
  // The tag of a channel is where its output goes: the buffer and the byte offset
  // (a build without the extensions writes channel n at n, or word n when RAW).
  wire [31:0] bias_rdata, shift_rdata;
  wire [16:0] shift_index = {1'b0, d_shift_base} + {1'b0, drain_n_q};
  wire [16:0] rq_tag_in   = HasCnn ? {out_buf_q, drain_addr_q[15:0]}
                                   : {out_buf_q, d_raw ? {drain_n_q[13:0], 2'b00} : drain_n_q};
  wire        rq_valid;
  wire [16:0] rq_tag;
  wire [31:0] rq_data;
  wire        no_bias = HasCnn && no_bias_q;

  sk_requant #(.TagWidth(17)) u_requant (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .flush_i       (flush),
    .round_i       (d_round),
    .raw_i         (d_raw),
    .per_channel_i (d_per_chan),
    .layer_shift_i (d_shift),
    .lo_i          (lo_q),
    .hi_i          (hi_q),
    .valid_i       (pop),
    .n_i           (rq_tag_in),
    .acc_i         (mac_head),
    .shift_sel_i   (shift_index[1:0]),
    .bias_i        (no_bias ? 32'd0 : bias_rdata),
    .shift_word_i  (shift_rdata),
    .valid_o       (rq_valid),
    .n_o           (rq_tag),
    .data_o        (rq_data),
    .shift_err_o   (rq_shift_err),
    .busy_o        (rq_busy)
  );

  // ------------------------------------------------------------------ memories
  wire host    = !busy;  // the host owns every memory port while idle
  wire host_rd = host_req_i && !host_we_i;

  // Descriptors: word w of layer l at 4l + w (MaxLayers <= 255, so DAw <= 10)
  wire [9:0] desc_addr = {layer_q, fetch_q[1:0]};
  sk_ram_sp #(.Depth(DWords), .Bytes(4)) u_desc (
    .clk_i   (clk_i),
    .re_i    (host ? host_rd && host_win_i[WinDesc] : state_q == StFetch),
    .we_i    (host && host_we_i && host_win_i[WinDesc] ? host_be_i : 4'b0),
    .addr_i  (host ? host_addr_i[DAw-1:0] : desc_addr[DAw-1:0]),
    .wdata_i (host_wdata_i),
    .rdata_o (desc_rdata)
  );

  // Extension descriptors: word w of layer l at 16l + w
  wire [11:0] xdesc_addr = {layer_q, fetch_q};
  generate
    if (HasCnn) begin : gen_xdesc
      sk_ram_sp #(.Depth(XWords), .Bytes(4)) u_xdesc (
        .clk_i   (clk_i),
        .re_i    (host ? host_rd && host_win_i[WinXdesc] : state_q == StFetch),
        .we_i    (host && host_we_i && host_win_i[WinXdesc] ? host_be_i : 4'b0),
        .addr_i  (host ? host_addr_i[XAw-1:0] : xdesc_addr[XAw-1:0]),
        .wdata_i (host_wdata_i),
        .rdata_o (xdesc_rdata)
      );
    end else begin : gen_no_xdesc
      assign xdesc_rdata = 32'd0;
    end
  endgenerate

  // Biases
  wire [16:0] bias_index = {1'b0, d_bias_base} + {1'b0, drain_n_q};
  sk_ram_sp #(.Depth(BiasDepth), .Bytes(4)) u_bias (
    .clk_i   (clk_i),
    .re_i    (host ? host_rd && host_win_i[WinBias] : pop && !no_bias),
    .we_i    (host && host_we_i && host_win_i[WinBias] ? host_be_i : 4'b0),
    .addr_i  (host ? host_addr_i[BAw-1:0] : bias_index[BAw-1:0]),
    .wdata_i (host_wdata_i),
    .rdata_o (bias_rdata)
  );

  // Per-channel shifts, four per word
  sk_ram_sp #(.Depth(SWords), .Bytes(4)) u_shift (
    .clk_i   (clk_i),
    .re_i    (host ? host_rd && host_win_i[WinShift] : pop && d_per_chan),
    .we_i    (host && host_we_i && host_win_i[WinShift] ? host_be_i : 4'b0),
    .addr_i  (host ? host_addr_i[SAw-1:0] : shift_index[SAw+1:2]),
    .wdata_i (host_wdata_i),
    .rdata_o (shift_rdata)
  );

  // Activation buffers: the lanes read taps, the requant unit writes outputs.
  wire [AAw-1:0] rd_word   = rd_byte[AAw+1:2];
  wire [AAw-1:0] rq_word   = rq_tag[AAw+1:2];
  wire [3:0]     rq_be     = d_raw ? 4'b1111 : (4'b0001 << rq_tag[1:0]);
  wire [31:0]    rq_wdata  = d_raw ? rq_data : {4{rq_data[7:0]}};

  genvar a;
  generate
    for (a = 0; a < 2; a = a + 1) begin : gen_act
      wire host_sel = host_win_i[a == 0 ? WinAct0 : WinAct1];
      wire rq_sel   = rq_valid && rq_tag[16] == a[0];
      if (HasCnn) begin : gen_1r1w
        // an EXT layer may read and write the same buffer: separate ports
        sk_ram_1r1w #(.Depth(AWords), .Bytes(4)) u_act (
          .clk_i   (clk_i),
          .re_i    (host ? host_req_i && host_sel && !host_we_i
                         : issue && tap_real && rd_buf_sel == a[0]),
          .raddr_i (host ? host_addr_i[AAw-1:0] : rd_word),
          .rdata_o (act_rdata[a]),
          .we_i    (host ? ((host_we_i && host_sel) ? host_be_i : 4'b0)
                         : (rq_sel ? rq_be : 4'b0)),
          .waddr_i (host ? host_addr_i[AAw-1:0] : rq_word),
          .wdata_i (host ? host_wdata_i : rq_wdata)
        );
      end else begin : gen_sp
        // ping-pong: a layer reads one buffer and writes the other
        wire reading = rd_buf_sel == a[0];
        sk_ram_sp #(.Depth(AWords), .Bytes(4)) u_act (
          .clk_i   (clk_i),
          .re_i    (host ? host_rd && host_sel : reading && issue),
          .we_i    (host ? ((host_we_i && host_sel) ? host_be_i : 4'b0)
                         : ((!reading && rq_sel) ? rq_be : 4'b0)),
          .addr_i  (host ? host_addr_i[AAw-1:0] : (reading ? rd_word : rq_word)),
          .wdata_i (host ? host_wdata_i : rq_wdata),
          .rdata_o (act_rdata[a])
        );
      end
    end
  endgenerate

  // Weights: one row is RowWords bus words; the host writes one word (4 lanes) at a time.
  wire [RowSelW-1:0] host_row_sel = (RowWords > 1) ? host_addr_i[RowSelW-1:0] : {RowSelW{1'b0}};
  wire [HostAddrWidth-1:0] host_row_full = (RowWords > 1) ? host_addr_i >> RowSelW : host_addr_i;
  wire [WAw-1:0]     host_row     = host_row_full[WAw-1:0];
  wire [32*RowWords-1:0] host_row_wdata = {RowWords{host_wdata_i}};
  wire [4*RowWords-1:0]  host_row_be    = {{(4*RowWords-4){1'b0}}, host_be_i} << (4 * host_row_sel);
  wire [Lanes-1:0]       w_we = (host && host_we_i && host_win_i[WinWeights]) ? host_row_be[Lanes-1:0]
                                                                               : {Lanes{1'b0}};
  sk_ram_sp #(.Depth(WeightRows), .Bytes(Lanes)) u_weights (
    .clk_i   (clk_i),
    .re_i    (host ? host_rd && host_win_i[WinWeights] : issue && !vec),
    .we_i    (w_we),
    .addr_i  (host ? host_row : w_row_q[WAw-1:0]),
    .wdata_i (host_row_wdata[8*Lanes-1:0]),
    .rdata_o (w_row_data)
  );

  // Host read-back: the window and the row word of the access, a cycle later.
  reg [NumWins-1:0] rd_win_q;
  reg [RowSelW-1:0] rd_row_sel_q;
  always @(posedge clk_i) begin
    if (host_req_i) begin
      rd_win_q     <= host_win_i;
      rd_row_sel_q <= host_row_sel;
    end
  end
  wire [32*RowWords-1:0] w_row_padded = {{(32*RowWords-8*Lanes){1'b0}}, w_row_data};
  always @(*) begin
    // rd_win_q is one-hot (or zero): an AND-OR, not a priority chain
    host_rdata_o = ({32{rd_win_q[WinDesc]}}    & desc_rdata) |
                   ({32{rd_win_q[WinXdesc]}}   & xdesc_rdata) |
                   ({32{rd_win_q[WinBias]}}    & bias_rdata) |
                   ({32{rd_win_q[WinShift]}}   & shift_rdata) |
                   ({32{rd_win_q[WinAct0]}}    & act_rdata[0]) |
                   ({32{rd_win_q[WinAct1]}}    & act_rdata[1]) |
                   ({32{rd_win_q[WinWeights]}} & w_row_padded[32*rd_row_sel_q +: 32]);
  end

  // Index bits above the memory depths are cut off by the range checks above.
  wire [16:0] unused_shift_index = shift_index;
  wire [16:0] unused_bias_index  = bias_index;
  wire [16:0] unused_rq_tag      = rq_tag;
  wire [HostAddrWidth-1:0] unused_host_row_full = host_row_full;
  wire [9:0]              unused_desc_addr      = desc_addr;
  wire [11:0]             unused_xdesc_addr     = xdesc_addr;
  wire [AAw+1:0]          unused_rd_byte        = rd_byte;
  // A row's bus words cover WeightRowBytes >= Lanes bytes: the bytes past Lanes are padding.
  wire [32*RowWords-1:0] unused_host_row_wdata = host_row_wdata;
  wire [4*RowWords-1:0]  unused_host_row_be    = host_row_be;

  // ------------------------------------------------------------------ assertions
  initial begin
    if (Lanes < 1 || Lanes > 64 || ShiftDepth % 4 != 0 || ActBytes % 4 != 0 ||
        MaxLayers < 1 || MaxLayers > 255 || ActBytes < 4 || ShiftDepth < 4 ||
        ActBytes > 65536 || (Cnn != 0 && Cnn != 1)) begin
      $display("sk_core: illegal parameters (Lanes 1..64, ShiftDepth and ActBytes multiples of 4, ActBytes <= 65536, MaxLayers 1..255, Cnn 0 or 1)");
      $finish;
    end
  end
`ifndef SYNTHESIS
  // Registers start random in simulation until the first clock edge under reset loads
  // them: the checks below skip that edge.
  reg checked_q = 1'b0;
  always @(posedge clk_i) checked_q <= 1'b1;
  always @(posedge clk_i) begin
    if (mac_load && pop && drain_left_q != 7'd1) begin
      $display("sk_core: shadow chain loaded with %0d lanes still to drain", drain_left_q);
      $stop;
    end
    if (checked_q && shadow_ok_q != (!inflight_q && drain_left_q[6:2] == 5'd0)) begin
      $display("sk_core: shadow_ok_q %0d disagrees with inflight %0d, drain_left %0d",
               shadow_ok_q, inflight_q, drain_left_q);
      $stop;
    end
    if (checked_q && state_q == StRun && issue && tap_last && !last_blk_q &&
        next_last_q != ({1'b0, n_left_q} <= {step_q, 1'b0})) begin
      $display("sk_core: next_last_q is stale at a block end");
      $stop;
    end
    if (checked_q && run_open_q != (state_q == StRun && !issue_done_q)) begin
      $display("sk_core: run_open_q %0d disagrees with state %0d, issue_done %0d", run_open_q,
               state_q, issue_done_q);
      $stop;
    end
    if (checked_q && busy_q != (state_q != StIdle)) begin
      $display("sk_core: busy_q %0d disagrees with state %0d", busy_q, state_q);
      $stop;
    end
  end
`endif

endmodule

`resetall
