// sk_core.v — the shift-accumulate core: memories, layer sequencer, MAC lanes and the
// shared requant unit, behind a simple host port (sk_axil_top.v puts it on AXI4-Lite).
//
// A run executes descriptors 0..num_layers-1. Per layer the sequencer fetches the
// 4-word descriptor, checks it, then issues one weight row and one activation per
// cycle: block b (output channels b*Lanes ..) takes K cycles, its K rows lying one
// after the other from W_BASE. The lanes accumulate; at the last tap of a block the
// sums move to the shadow chain of sk_mac_array and the next block starts at once
// while the requant unit drains the previous one, one channel per cycle, adding the
// bias and writing y[n] into the other activation buffer (ping-pong: layer i reads
// ACT(i%2), writes ACT((i+1)%2)). docs/architecture.md has the whole account and
// docs/regmap.md the memory layouts.
//
// Memories are single-ported: the host owns them while the core is idle, the
// sequencer while it is busy (sk_axil_top refuses host window access then).

`default_nettype none

module sk_core #(
  parameter integer Lanes      = 8,      // parallel MAC lanes, 1..64
  parameter integer WeightRows = 16384,  // weight memory rows (Lanes int8 weights each)
  parameter integer BiasDepth  = 2048,   // int32 bias entries
  parameter integer ShiftDepth = 2048,   // int8 per-channel shift entries, multiple of 4
  parameter integer ActBytes   = 2048,   // bytes of each activation buffer, multiple of 4
  parameter integer MaxLayers  = 64,     // layer descriptors, 1..255
  // derived; do not override
  parameter integer WeightRowBytes = (Lanes <= 4) ? 4 : (1 << $clog2(Lanes)),
  parameter integer HostAddrWidth  = 21  // word address within a window
) (
  input  wire                     clk_i,
  input  wire                     rst_ni,
  // commands: one-cycle pulses
  input  wire                     start_i,
  input  wire                     soft_reset_i,
  input  wire [7:0]               num_layers_i,
  // status
  output wire                     busy_o,
  output wire                     done_o,       // one-cycle pulse: the run ended
  output wire [7:0]               err_code_o,   // with done_o: 0 or an SK_HWERR_* code
  output wire [7:0]               err_layer_o,  // with done_o
  output wire [7:0]               cur_layer_o,
  output wire [31:0]              perf_cycles_o,
  output wire [31:0]              perf_macs_o,
  output wire [31:0]              perf_stalls_o,
  // host window port (only while !busy_o): rdata is valid the cycle after host_req_i
  input  wire                     host_req_i,
  input  wire                     host_we_i,
  input  wire [5:0]               host_win_i,   // one-hot, bit order of sk_core_if.vh
  input  wire [HostAddrWidth-1:0] host_addr_i,  // word address within the window
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
  localparam [15:0]  LanesN     = Lanes[15:0];  // Lanes as a channel count

  localparam [2:0] StIdle  = 3'd0;
  localparam [2:0] StFetch = 3'd1;
  localparam [2:0] StCheck = 3'd2;
  localparam [2:0] StRun   = 3'd3;
  localparam [2:0] StDone  = 3'd4;

  // ------------------------------------------------------------------ sequencer state
  reg [2:0]  state_q, state_d;
  reg [7:0]  num_layers_q, num_layers_d;
  reg [7:0]  layer_q, layer_d;
  reg [2:0]  fetch_q, fetch_d;
  reg [31:0] desc_q [0:3];
  reg [15:0] prev_n_q, prev_n_d;
  reg        prev_signed_q, prev_signed_d;
  reg [15:0] k_q, k_d;                  // tap within the block
  reg [15:0] n0_q, n0_d;                // first channel of the block
  // Per-layer and per-block quantities kept in registers so that no issue decision waits
  // for a subtraction or a magnitude compare (UP5K timing, docs/fpga.md):
  reg [15:0] k_pre_q, k_pre_d;          // K - 2 (the tap before the last)
  reg        k_one_q, k_one_d;          // K = 1
  reg        tap_last_q, tap_last_d;    // k == K - 1: the tap to issue is a block's last
  reg [15:0] n_left_q, n_left_d;        // N - n0: channels from n0 on
  reg        last_blk_q, last_blk_d;    // n_left <= Lanes: this is the layer's last block
  reg        row_bad_q, row_bad_d;      // w_row >= WeightRows
  reg [24:0] w_row_q, w_row_d;          // weight row of the next tap
  reg        issue_done_q, issue_done_d;
  reg        inflight_q, inflight_d;    // a last tap is on its way to the shadow chain
  reg [15:0] inflight_n0_q, inflight_n0_d;
  reg [6:0]  inflight_cnt_q, inflight_cnt_d;
  reg [6:0]  drain_left_q, drain_left_d;  // shadow lanes still to send to requant
  reg [15:0] drain_n_q, drain_n_d;
  reg [7:0]  err_q, err_d;              // error code of the run being ended
  reg [31:0] cycles_q, macs_q, stalls_q;

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

  // Descriptor checks, lowest code first (docs/regmap.md "Error codes"). Words 0..2 are
  // in desc_q during the last fetch cycle (fetch 4, while word 3 is being read): the
  // checks that need only them, and all the adders and magnitude compares, are
  // registered then, so StCheck only combines them with the flags of word 3.
  reg pre_dims_q, pre_k_chain_q, pre_reserved_q, pre_bias_q, pre_shift_addr_q;
  reg pre_k_act_q, pre_n_act_q, pre_n4_act_q, last_layer_q;
  always @(posedge clk_i) begin
    if (state_q == StFetch && fetch_q == 3'd4) begin
      pre_dims_q       <= d_k == 16'd0 || d_n == 16'd0;
      pre_k_chain_q    <= layer_q != 8'd0 && d_k != prev_n_q;
      pre_reserved_q   <= |(desc_q[0] & SK_DESC_W0_RESERVED_MASK) |
                          |(desc_q[1] & SK_DESC_W1_RESERVED_MASK) |
                          |(desc_q[2] & SK_DESC_W2_RESERVED_MASK);
      pre_bias_q       <= {16'd0, d_bias_base} + {16'd0, d_n} > BiasDepth;
      pre_shift_addr_q <= {16'd0, d_shift_base} + {16'd0, d_n} > ShiftDepth;
      pre_k_act_q      <= {16'd0, d_k} > ActBytes;
      pre_n_act_q      <= {16'd0, d_n} > ActBytes;
      pre_n4_act_q     <= {14'd0, d_n, 2'b00} > ActBytes;
      last_layer_q     <= layer_q == num_layers_q - 8'd1;  // layer_q holds until the layer ends
    end
  end
  wire is_last_layer = last_layer_q;
  reg [7:0] check_err;
  always @(*) begin
    check_err = SK_HWERR_NONE;
    if (pre_dims_q)
      check_err = SK_HWERR_DESC_DIMS;
    else if (pre_k_chain_q || (layer_q != 8'd0 && d_in_signed != prev_signed_q))
      check_err = SK_HWERR_DESC_CHAIN;
    else if (d_out_bits < 4'd2 || d_out_bits > 4'd8 || (d_raw && (d_relu || !is_last_layer)) ||
             pre_reserved_q || |(desc_q[3] & SK_DESC_W3_RESERVED_MASK))
      check_err = SK_HWERR_DESC_FIELD;
    else if (!d_raw && !d_per_chan && d_shift[5:4] == 2'b10)  // -32..-17
      check_err = SK_HWERR_SHIFT_RANGE;
    else if (pre_bias_q)
      check_err = SK_HWERR_BIAS_RANGE;
    else if (d_per_chan && pre_shift_addr_q)
      check_err = SK_HWERR_SHIFT_ADDR_RANGE;
    else if (pre_k_act_q || (d_raw ? pre_n4_act_q : pre_n_act_q))
      check_err = SK_HWERR_ACT_RANGE;
  end

  // ------------------------------------------------------------------ issue
  wire        tap_last  = tap_last_q;
  wire [6:0]  active    = last_blk_q ? n_left_q[6:0] : LanesN[6:0];  // n_left >= 1 while issuing
  // The last tap of a block reaches the shadow chain 2 cycles after issue: the chain
  // must be empty by then (at most 3 pops still due: this cycle and the next two).
  wire        shadow_ok = !inflight_q && drain_left_q[6:2] == 5'd0;  // <= 3, without a carry chain
  wire        may_issue = state_q == StRun && !issue_done_q && (!tap_last || shadow_ok);
  wire        issue     = may_issue && !row_bad_q;

  wire [6:0]  pop_cnt   = drain_left_q;
  wire        pop       = pop_cnt != 7'd0;
  wire        mac_load;
  wire        rq_busy, rq_shift_err;
  wire        layer_end = state_q == StRun && issue_done_q && !inflight_q && !pop && !rq_busy;
  wire        abort     = (state_q == StRun) && ((may_issue && row_bad_q) || rq_shift_err);

  always @(*) begin
    state_d        = state_q;
    num_layers_d   = num_layers_q;
    layer_d        = layer_q;
    fetch_d        = fetch_q;
    prev_n_d       = prev_n_q;
    prev_signed_d  = prev_signed_q;
    k_d            = k_q;
    n0_d           = n0_q;
    k_pre_d        = k_pre_q;
    k_one_d        = k_one_q;
    tap_last_d     = tap_last_q;
    n_left_d       = n_left_q;
    last_blk_d     = last_blk_q;
    row_bad_d      = row_bad_q;
    w_row_d        = w_row_q;
    issue_done_d   = issue_done_q;
    inflight_d     = inflight_q;
    inflight_n0_d  = inflight_n0_q;
    inflight_cnt_d = inflight_cnt_q;
    drain_left_d   = drain_left_q;
    drain_n_d      = drain_n_q;
    err_d          = err_q;

    // drain: one shadow lane per cycle into the requant unit
    if (pop) begin
      drain_left_d = drain_left_q - 7'd1;
      drain_n_d    = drain_n_q + 16'd1;
    end
    if (mac_load) begin
      drain_left_d = inflight_cnt_q;
      drain_n_d    = inflight_n0_q;
      inflight_d   = 1'b0;
    end

    case (state_q)
      StIdle: ;
      StFetch: begin
        fetch_d = fetch_q + 3'd1;
        if (fetch_q == 3'd4) begin
          fetch_d = 3'd0;
          state_d = StCheck;
        end
      end
      StCheck: begin
        // The layer's run state is set up whatever the check says (a failed layer ends
        // in StDone and never reads it): only state and error wait for the check.
        k_d          = 16'd0;
        n0_d         = 16'd0;
        w_row_d      = {1'b0, d_w_base};
        issue_done_d = 1'b0;
        k_pre_d      = d_k - 16'd2;
        k_one_d      = d_k == 16'd1;
        tap_last_d   = d_k == 16'd1;
        n_left_d     = d_n;
        last_blk_d   = d_n <= LanesN;
        row_bad_d    = {8'd0, d_w_base} >= WeightRows;
        if (check_err != SK_HWERR_NONE) begin
          err_d   = check_err;
          state_d = StDone;
        end else begin
          state_d = StRun;
        end
      end
      StRun: begin
        if (issue) begin
          w_row_d   = w_row_q + 25'd1;
          row_bad_d = {7'd0, w_row_q} >= WeightRows - 1;  // w_row_q + 1 >= WeightRows
          if (tap_last) begin
            k_d            = 16'd0;
            tap_last_d     = k_one_q;
            n0_d           = n0_q + LanesN;
            n_left_d       = n_left_q - LanesN;
            last_blk_d     = {1'b0, n_left_q} <= {LanesN, 1'b0};  // n_left_q - Lanes <= Lanes
            inflight_d     = 1'b1;
            inflight_n0_d  = n0_q;
            inflight_cnt_d = active;
            if (last_blk_q) issue_done_d = 1'b1;
          end else begin
            k_d        = k_q + 16'd1;
            tap_last_d = k_q == k_pre_q;
          end
        end
        if (abort) begin
          err_d   = rq_shift_err ? SK_HWERR_SHIFT_RANGE : SK_HWERR_WEIGHT_RANGE;
          state_d = StDone;
        end else if (layer_end) begin
          prev_n_d      = d_n;
          prev_signed_d = d_out_signed;
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
    if (start_i && (state_q == StIdle || soft_reset_i)) begin
      num_layers_d = num_layers_i;
      layer_d      = 8'd0;
      fetch_d      = 3'd0;
      err_d        = SK_HWERR_NONE;
      if (num_layers_i == 8'd0 || {24'd0, num_layers_i} > MaxLayers) begin
        err_d   = SK_HWERR_NUM_LAYERS;
        state_d = StDone;
      end else begin
        state_d = StFetch;
      end
    end
  end

  wire flush = soft_reset_i || abort || state_q == StDone;

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q        <= StIdle;
      num_layers_q   <= 8'd0;
      layer_q        <= 8'd0;
      fetch_q        <= 3'd0;
      prev_n_q       <= 16'd0;
      prev_signed_q  <= 1'b0;
      k_q            <= 16'd0;
      n0_q           <= 16'd0;
      k_pre_q        <= 16'd0;
      k_one_q        <= 1'b0;
      tap_last_q     <= 1'b0;
      n_left_q       <= 16'd0;
      last_blk_q     <= 1'b0;
      row_bad_q      <= 1'b0;
      w_row_q        <= 25'd0;
      issue_done_q   <= 1'b0;
      inflight_q     <= 1'b0;
      inflight_n0_q  <= 16'd0;
      inflight_cnt_q <= 7'd0;
      drain_left_q   <= 7'd0;
      drain_n_q      <= 16'd0;
      err_q          <= 8'd0;
    end else begin
      state_q        <= state_d;
      num_layers_q   <= num_layers_d;
      layer_q        <= layer_d;
      fetch_q        <= fetch_d;
      prev_n_q       <= prev_n_d;
      prev_signed_q  <= prev_signed_d;
      k_q            <= k_d;
      n0_q           <= n0_d;
      k_pre_q        <= k_pre_d;
      k_one_q        <= k_one_d;
      tap_last_q     <= tap_last_d;
      n_left_q       <= n_left_d;
      last_blk_q     <= last_blk_d;
      row_bad_q      <= row_bad_d;
      w_row_q        <= w_row_d;
      issue_done_q   <= issue_done_d;
      inflight_q     <= inflight_d;
      inflight_n0_q  <= inflight_n0_d;
      inflight_cnt_q <= inflight_cnt_d;
      drain_left_q   <= drain_left_d;
      drain_n_q      <= drain_n_d;
      err_q          <= err_d;
    end
  end

  // Descriptor words land one cycle after their read was issued. The word index is a
  // 2-bit wire so that fetch 4 wraps to word 3 in every simulator (Icarus evaluated the
  // inline index expression wider, got -1 and dropped the write: issue 11).
  wire [31:0] desc_rdata;
  wire [1:0]  desc_widx = fetch_q[1:0] - 2'd1;
  always @(posedge clk_i) begin
    if (state_q == StFetch && fetch_q != 3'd0) desc_q[desc_widx] <= desc_rdata;
  end

  // Perf counters: cleared by an accepted start or a soft reset, saturating.
  wire busy = state_q != StIdle;
  wire start_accept = start_i && (state_q == StIdle || soft_reset_i);
  wire [32:0] macs_sum = {1'b0, macs_q} + {26'd0, active};  // saturate on the carry out
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cycles_q <= 32'd0;
      macs_q   <= 32'd0;
      stalls_q <= 32'd0;
    end else if (soft_reset_i || start_accept) begin
      cycles_q <= 32'd0;
      macs_q   <= 32'd0;
      stalls_q <= 32'd0;
    end else if (busy) begin
      if (cycles_q != 32'hFFFF_FFFF) cycles_q <= cycles_q + 32'd1;
      if (issue) macs_q <= macs_sum[32] ? 32'hFFFF_FFFF : macs_sum[31:0];
      else if (stalls_q != 32'hFFFF_FFFF) stalls_q <= stalls_q + 32'd1;
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
  reg       t_valid_q, t_first_q, t_last_q;
  reg [1:0] t_byte_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      t_valid_q <= 1'b0;
      t_first_q <= 1'b0;
      t_last_q  <= 1'b0;
      t_byte_q  <= 2'd0;
    end else begin
      t_valid_q <= issue && !flush;
      t_first_q <= k_q == 16'd0;
      t_last_q  <= tap_last;
      t_byte_q  <= k_q[1:0];
    end
  end

  wire        in_buf = layer_q[0];  // layer i reads ACT(i%2), writes ACT((i+1)%2)
  wire [31:0] act_rdata [0:1];
  wire [31:0] act_word  = act_rdata[in_buf];
  wire [7:0]  act_byte  = act_word[8*t_byte_q +: 8];
  wire signed [8:0] x   = {d_in_signed & act_byte[7], act_byte};

  wire [8*Lanes-1:0] w_row_data;
  wire [31:0]        mac_head;

  sk_mac_array #(.Lanes(Lanes)) u_mac (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .flush_i (flush),
    .valid_i (t_valid_q),
    .first_i (t_first_q),
    .last_i  (t_last_q),
    .w_i     (w_row_data),
    .x_i     (x),
    .pop_i   (pop),
    .load_o  (mac_load),
    .head_o  (mac_head)
  );

  // ------------------------------------------------------------------ requant
  wire [31:0] bias_rdata, shift_rdata;
  wire [16:0] shift_index = {1'b0, d_shift_base} + {1'b0, drain_n_q};
  wire        rq_valid;
  wire [15:0] rq_n;
  wire [31:0] rq_data;

  sk_requant u_requant (
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
    .n_i           (drain_n_q),
    .acc_i         (mac_head),
    .shift_sel_i   (shift_index[1:0]),
    .bias_i        (bias_rdata),
    .shift_word_i  (shift_rdata),
    .valid_o       (rq_valid),
    .n_o           (rq_n),
    .data_o        (rq_data),
    .shift_err_o   (rq_shift_err),
    .busy_o        (rq_busy)
  );

  // ------------------------------------------------------------------ memories
  wire host = !busy;  // the host owns every memory port while idle

  // Descriptors: word w of layer l at 4l + w (MaxLayers <= 255, so DAw <= 10)
  wire [9:0] desc_addr = {layer_q, fetch_q[1:0]};
  sk_ram_sp #(.Depth(DWords), .Bytes(4)) u_desc (
    .clk_i   (clk_i),
    .en_i    (host ? host_req_i && host_win_i[WinDesc] : state_q == StFetch),
    .we_i    (host && host_we_i && host_win_i[WinDesc] ? host_be_i : 4'b0),
    .addr_i  (host ? host_addr_i[DAw-1:0] : desc_addr[DAw-1:0]),
    .wdata_i (host_wdata_i),
    .rdata_o (desc_rdata)
  );

  // Biases
  wire [16:0] bias_index = {1'b0, d_bias_base} + {1'b0, drain_n_q};
  sk_ram_sp #(.Depth(BiasDepth), .Bytes(4)) u_bias (
    .clk_i   (clk_i),
    .en_i    (host ? host_req_i && host_win_i[WinBias] : pop),
    .we_i    (host && host_we_i && host_win_i[WinBias] ? host_be_i : 4'b0),
    .addr_i  (host ? host_addr_i[BAw-1:0] : bias_index[BAw-1:0]),
    .wdata_i (host_wdata_i),
    .rdata_o (bias_rdata)
  );

  // Per-channel shifts, four per word
  sk_ram_sp #(.Depth(SWords), .Bytes(4)) u_shift (
    .clk_i   (clk_i),
    .en_i    (host ? host_req_i && host_win_i[WinShift] : pop && d_per_chan),
    .we_i    (host && host_we_i && host_win_i[WinShift] ? host_be_i : 4'b0),
    .addr_i  (host ? host_addr_i[SAw-1:0] : shift_index[SAw+1:2]),
    .wdata_i (host_wdata_i),
    .rdata_o (shift_rdata)
  );

  // Activation buffers: each is read by the lanes or written by requant in a layer.
  wire [AAw-1:0] rq_word   = rq_n[AAw+1:2];
  wire [AAw-1:0] rq_addr   = d_raw ? rq_n[AAw-1:0] : rq_word;
  wire [3:0]     rq_be     = d_raw ? 4'b1111 : (4'b0001 << rq_n[1:0]);
  wire [31:0]    rq_wdata  = d_raw ? rq_data : {4{rq_data[7:0]}};

  genvar a;
  generate
    for (a = 0; a < 2; a = a + 1) begin : gen_act
      wire host_sel = host_win_i[a == 0 ? WinAct0 : WinAct1];
      wire reading  = (in_buf == a[0]);
      sk_ram_sp #(.Depth(AWords), .Bytes(4)) u_act (
        .clk_i   (clk_i),
        .en_i    (host ? host_req_i && host_sel : (reading ? issue : rq_valid)),
        .we_i    (host ? ((host_we_i && host_sel) ? host_be_i : 4'b0)
                       : ((!reading && rq_valid) ? rq_be : 4'b0)),
        .addr_i  (host ? host_addr_i[AAw-1:0] : (reading ? k_q[AAw+1:2] : rq_addr)),
        .wdata_i (host ? host_wdata_i : rq_wdata),
        .rdata_o (act_rdata[a])
      );
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
    .en_i    (host ? host_req_i && host_win_i[WinWeights] : issue),
    .we_i    (w_we),
    .addr_i  (host ? host_row : w_row_q[WAw-1:0]),
    .wdata_i (host_row_wdata[8*Lanes-1:0]),
    .rdata_o (w_row_data)
  );

  // Host read-back: the window and the row word of the access, a cycle later.
  reg [5:0]         rd_win_q;
  reg [RowSelW-1:0] rd_row_sel_q;
  always @(posedge clk_i) begin
    if (host_req_i) begin
      rd_win_q     <= host_win_i;
      rd_row_sel_q <= host_row_sel;
    end
  end
  wire [32*RowWords-1:0] w_row_padded = {{(32*RowWords-8*Lanes){1'b0}}, w_row_data};
  always @(*) begin
    host_rdata_o = 32'd0;
    if (rd_win_q[WinDesc])    host_rdata_o = desc_rdata;
    if (rd_win_q[WinBias])    host_rdata_o = bias_rdata;
    if (rd_win_q[WinShift])   host_rdata_o = shift_rdata;
    if (rd_win_q[WinAct0])    host_rdata_o = act_rdata[0];
    if (rd_win_q[WinAct1])    host_rdata_o = act_rdata[1];
    if (rd_win_q[WinWeights]) host_rdata_o = w_row_padded[32*rd_row_sel_q +: 32];
  end

  // Index bits above the memory depths are cut off by the range checks above.
  wire [16:0] unused_shift_index = shift_index;
  wire [16:0] unused_bias_index  = bias_index;
  wire [15:0] unused_rq_n        = rq_n;
  wire [HostAddrWidth-1:0] unused_host_row_full = host_row_full;
  wire [9:0]              unused_desc_addr      = desc_addr;
  // A row's bus words cover WeightRowBytes >= Lanes bytes: the bytes past Lanes are padding.
  wire [32*RowWords-1:0] unused_host_row_wdata = host_row_wdata;
  wire [4*RowWords-1:0]  unused_host_row_be    = host_row_be;

  // ------------------------------------------------------------------ assertions
  initial begin
    if (Lanes < 1 || Lanes > 64 || ShiftDepth % 4 != 0 || ActBytes % 4 != 0 ||
        MaxLayers < 1 || MaxLayers > 255 || ActBytes < 4 || ShiftDepth < 4) begin
      $display("sk_core: illegal parameters (Lanes 1..64, ShiftDepth and ActBytes multiples of 4, MaxLayers 1..255)");
      $finish;
    end
  end
`ifndef SYNTHESIS
  always @(posedge clk_i) begin
    if (mac_load && pop && drain_left_q != 7'd1) begin
      $display("sk_core: shadow chain loaded with %0d lanes still to drain", drain_left_q);
      $stop;
    end
    if (host_req_i && busy) begin
      $display("sk_core: host window access while busy");
      $stop;
    end
  end
`endif

endmodule

`resetall
