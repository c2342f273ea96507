// sk_axil_top.v — the shiftkit core as an AXI4-Lite slave (docs/regmap.md).
//
// One transaction at a time: a write is accepted when its address and data are both
// valid, a read when no write is waiting. Registers answer OKAY; a window word of this
// build answers OKAY while the core is idle; anything else answers SLVERR (unmapped
// address, a word past the memory size, a window access during a run). Every accepted
// address gets exactly one response, so the bus never hangs. irq_o is level-high:
// STATUS.DONE and IRQ_ENABLE.DONE.

`default_nettype none

module sk_axil_top #(
  parameter integer Lanes      = 8,      // parallel MAC lanes, 1..64
  parameter integer WeightRows = 16384,  // weight memory rows (Lanes int8 weights each)
  parameter integer BiasDepth  = 2048,   // int32 bias entries
  parameter integer ShiftDepth = 2048,   // int8 per-channel shift entries, multiple of 4
  parameter integer ActBytes   = 16384,  // bytes per activation buffer, multiple of 4, <= 65536
  parameter integer MaxLayers  = 64,     // layer descriptors, 1..255
  parameter integer Cnn        = 1,      // layer extensions for CNNs (FEATURES.CNN): 0 or 1
  parameter integer AddrWidth  = 24      // byte address bits; must equal SK_ADDR_WIDTH
) (
  input  wire                 clk_i,
  input  wire                 rst_ni,
  // AXI4-Lite slave
  input  wire [AddrWidth-1:0] s_axil_awaddr,
  input  wire [2:0]           s_axil_awprot,
  input  wire                 s_axil_awvalid,
  output wire                 s_axil_awready,
  input  wire [31:0]          s_axil_wdata,
  input  wire [3:0]           s_axil_wstrb,
  input  wire                 s_axil_wvalid,
  output wire                 s_axil_wready,
  output wire [1:0]           s_axil_bresp,
  output wire                 s_axil_bvalid,
  input  wire                 s_axil_bready,
  input  wire [AddrWidth-1:0] s_axil_araddr,
  input  wire [2:0]           s_axil_arprot,
  input  wire                 s_axil_arvalid,
  output wire                 s_axil_arready,
  output wire [31:0]          s_axil_rdata,
  output wire [1:0]           s_axil_rresp,
  output wire                 s_axil_rvalid,
  input  wire                 s_axil_rready,
  // done interrupt
  output wire                 irq_o
);

  `include "sk_regs.vh"
  `include "sk_core_if.vh"

  localparam integer WeightRowBytes = (Lanes <= 4) ? 4 : (1 << $clog2(Lanes));
  localparam integer HostAddrWidth  = AddrWidth - 3;  // word address in the largest window
  localparam integer RegBits        = 7;  // every register offset is below 0x80
  localparam [1:0]   RespOkay   = 2'b00;
  localparam [1:0]   RespSlverr = 2'b10;

  // ------------------------------------------------------------------ bus FSM
  localparam [2:0] BusIdle  = 3'd0;
  localparam [2:0] BusWrite = 3'd1;  // perform the latched write
  localparam [2:0] BusB     = 3'd2;  // hold the write response
  localparam [2:0] BusRead  = 3'd3;  // perform the latched read
  localparam [2:0] BusRWait = 3'd4;  // memory data arrives
  localparam [2:0] BusR     = 3'd5;  // hold the read response

  reg [2:0]           bus_q;
  reg [AddrWidth-1:0] addr_q;
  reg [31:0]          wdata_q;
  reg [3:0]           wstrb_q;
  reg [1:0]           resp_q;
  reg [31:0]          rdata_q;
  reg                 rd_mem_q;  // the pending read comes from a memory window

  wire accept_w = bus_q == BusIdle && s_axil_awvalid && s_axil_wvalid;
  wire accept_r = bus_q == BusIdle && !accept_w && s_axil_arvalid;

  assign s_axil_awready = accept_w;
  assign s_axil_wready  = accept_w;
  assign s_axil_arready = accept_r;
  // BVALID and RVALID straight from registers (copies of bus_q == BusB / BusR): the
  // bridge's next-state logic follows them (UP5K timing, docs/fpga.md).
  reg bvalid_q, rvalid_q;
  assign s_axil_bvalid  = bvalid_q;
  assign s_axil_bresp   = resp_q;
  assign s_axil_rvalid  = rvalid_q;
  assign s_axil_rresp   = resp_q;
  assign s_axil_rdata   = rdata_q;

  // ------------------------------------------------------------------ address decode
  wire        core_busy;
  wire [31:0] host_rdata;

  // A window's base is aligned to its span, so the offset is the low address bits. A
  // memory size that is a power of two (every board build's) is a test of the offset's
  // upper bits, not a magnitude compare: the carry chain of the compare was the longest
  // path of the accept cycle on the UP5K (docs/fpga.md).
  function automatic in_window(input [AddrWidth-1:0] addr, input [AddrWidth-1:0] base,
                               input [AddrWidth-1:0] span, input integer size_bytes);
    reg [31:0] offset;
    begin
      offset = {8'd0, addr & (span - 1'b1)};
      if (size_bytes <= 0)
        in_window = 1'b0;
      else if ((size_bytes & (size_bytes - 1)) == 0)
        in_window = ((addr & ~(span - 1'b1)) == base) && (offset & ~(size_bytes - 1)) == 32'd0;
      else
        in_window = ((addr & ~(span - 1'b1)) == base) && offset < size_bytes;
    end
  endfunction

  function automatic [NumWins-1:0] decode_win(input [AddrWidth-1:0] addr);
    begin
      decode_win = {NumWins{1'b0}};
      decode_win[WinDesc]    = in_window(addr, SK_WIN_DESC_BASE, SK_WIN_DESC_SPAN, MaxLayers * 16);
      decode_win[WinXdesc]   = in_window(addr, SK_WIN_XDESC_BASE, SK_WIN_XDESC_SPAN,
                                         (Cnn != 0) ? MaxLayers * 64 : 0);
      decode_win[WinBias]    = in_window(addr, SK_WIN_BIAS_BASE, SK_WIN_BIAS_SPAN, BiasDepth * 4);
      decode_win[WinShift]   = in_window(addr, SK_WIN_SHIFT_BASE, SK_WIN_SHIFT_SPAN, ShiftDepth);
      decode_win[WinAct0]    = in_window(addr, SK_WIN_ACT0_BASE, SK_WIN_ACT0_SPAN, ActBytes);
      decode_win[WinAct1]    = in_window(addr, SK_WIN_ACT1_BASE, SK_WIN_ACT1_SPAN, ActBytes);
      decode_win[WinWeights] = in_window(addr, SK_WIN_WEIGHTS_BASE, SK_WIN_WEIGHTS_SPAN,
                                         WeightRows * WeightRowBytes);
    end
  endfunction

  // One-hot window of addr_q (mapped part only). Decoded from the incoming address and
  // registered with it, so that the window compares are not in series with the memory
  // enables of the access cycle (UP5K timing, docs/fpga.md).
  wire [AddrWidth-1:0] next_addr = (accept_w ? s_axil_awaddr : s_axil_araddr) &
                                   ~{{(AddrWidth-2){1'b0}}, 2'b11};
  // The CTRL command bits of a write are decoded at accept as well: START and
  // SOFT_RESET reach the core's sequencer state in the write cycle.
  wire       ctrl_wr_next = accept_w && next_addr == SK_REG_CTRL && s_axil_wstrb[0];
  reg  [NumWins-1:0] win_q;
  reg        is_mem_q;  // |win_q
  // The registers lie in the first 2^RegBits bytes: addr_q is a register offset when its
  // upper bits, compared at accept, are zero and its low bits name one.
  reg        reg_page_q;
  reg        ctrl_start_q, ctrl_soft_reset_q, ctrl_irq_clear_q;  // pulses in the write cycle
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      win_q             <= {NumWins{1'b0}};
      is_mem_q          <= 1'b0;
      reg_page_q        <= 1'b0;
    end else if (accept_w || accept_r) begin
      win_q             <= decode_win(next_addr);
      is_mem_q          <= |decode_win(next_addr);
      reg_page_q        <= next_addr[AddrWidth-1:RegBits] == {(AddrWidth-RegBits){1'b0}};
    end
  end
  // A write is performed in the cycle after its accept (BusWrite), so the command bits
  // registered at accept are exactly the command pulses.
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ctrl_start_q      <= 1'b0;
      ctrl_soft_reset_q <= 1'b0;
      ctrl_irq_clear_q  <= 1'b0;
    end else begin
      ctrl_start_q      <= ctrl_wr_next && s_axil_wdata[SK_CTRL_START_LSB];
      ctrl_soft_reset_q <= ctrl_wr_next && s_axil_wdata[SK_CTRL_SOFT_RESET_LSB];
      ctrl_irq_clear_q  <= ctrl_wr_next && s_axil_wdata[SK_CTRL_IRQ_CLEAR_LSB];
    end
  end

  wire is_mem = is_mem_q;
  wire mem_ok = is_mem && !core_busy;

  // ------------------------------------------------------------------ registers
  reg       irq_enable_q;
  reg [7:0] num_layers_q;
  reg       done_q, error_q, refused_q;
  reg [7:0] err_code_q, err_layer_q;

  wire        core_done;
  wire [7:0]  core_err_code, core_err_layer, cur_layer;
  wire [31:0] perf_cycles, perf_macs, perf_stalls;

  wire reg_write = bus_q == BusWrite && !is_mem;
  // CTRL is a register, never in a window: no is_mem term needed
  wire start      = ctrl_start_q;
  wire soft_reset = ctrl_soft_reset_q;
  wire irq_clear  = ctrl_irq_clear_q;
  wire start_ok   = start && (!core_busy || soft_reset);

  function automatic reg_at(input [RegBits-1:0] offset);
    reg_at = reg_page_q && addr_q[RegBits-1:0] == offset;
  endfunction

  reg reg_known;  // addr_q is a register offset
  reg [31:0] reg_rdata;
  always @(*) begin
    reg_known = reg_page_q;
    reg_rdata = 32'd0;
    case (addr_q[RegBits-1:0])
      SK_REG_ID[RegBits-1:0]:               reg_rdata = SK_ID_MAGIC;
      SK_REG_VERSION[RegBits-1:0]:          reg_rdata = SK_VERSION_VALUE;
      SK_REG_CTRL[RegBits-1:0]:             reg_rdata = 32'd0;
      SK_REG_IRQ_ENABLE[RegBits-1:0]:       reg_rdata = {31'd0, irq_enable_q};
      SK_REG_STATUS[RegBits-1:0]:           begin
        reg_rdata[SK_STATUS_BUSY_LSB]          = core_busy;
        reg_rdata[SK_STATUS_DONE_LSB]          = done_q;
        reg_rdata[SK_STATUS_ERROR_LSB]         = error_q;
        reg_rdata[SK_STATUS_START_REFUSED_LSB] = refused_q;
        reg_rdata[SK_STATUS_ERR_CODE_LSB +: SK_STATUS_ERR_CODE_WIDTH]   = err_code_q;
        reg_rdata[SK_STATUS_ERR_LAYER_LSB +: SK_STATUS_ERR_LAYER_WIDTH] = err_layer_q;
      end
      SK_REG_NUM_LAYERS[RegBits-1:0]:       reg_rdata = {24'd0, num_layers_q};
      SK_REG_CUR_LAYER[RegBits-1:0]:        reg_rdata = {24'd0, cur_layer};
      SK_REG_LANES[RegBits-1:0]:            reg_rdata = Lanes;
      SK_REG_WEIGHT_ROWS[RegBits-1:0]:      reg_rdata = WeightRows;
      SK_REG_WEIGHT_ROW_BYTES[RegBits-1:0]: reg_rdata = WeightRowBytes;
      SK_REG_BIAS_DEPTH[RegBits-1:0]:       reg_rdata = BiasDepth;
      SK_REG_SHIFT_DEPTH[RegBits-1:0]:      reg_rdata = ShiftDepth;
      SK_REG_ACT_BYTES[RegBits-1:0]:        reg_rdata = ActBytes;
      SK_REG_MAX_LAYERS[RegBits-1:0]:       reg_rdata = MaxLayers;
      SK_REG_MAX_BATCH[RegBits-1:0]:        reg_rdata = 32'd1;
      SK_REG_PERF_CYCLES[RegBits-1:0]:      reg_rdata = perf_cycles;
      SK_REG_PERF_MACS[RegBits-1:0]:        reg_rdata = perf_macs;
      SK_REG_PERF_STALLS[RegBits-1:0]:      reg_rdata = perf_stalls;
      SK_REG_FEATURES[RegBits-1:0]:         reg_rdata = {31'd0, Cnn != 0};
      default:                              reg_known = 1'b0;
    endcase
  end

  reg       irq_enable_d, done_d, error_d, refused_d;
  reg [7:0] num_layers_d, err_code_d, err_layer_d;
  always @(*) begin
    irq_enable_d = irq_enable_q;
    num_layers_d = num_layers_q;
    done_d       = done_q;
    error_d      = error_q;
    refused_d    = refused_q;
    err_code_d   = err_code_q;
    err_layer_d  = err_layer_q;
    if (reg_write && reg_at(SK_REG_IRQ_ENABLE[RegBits-1:0]) && wstrb_q[0])
      irq_enable_d = wdata_q[SK_IRQ_ENABLE_DONE_LSB];
    if (reg_write && reg_at(SK_REG_NUM_LAYERS[RegBits-1:0]) && wstrb_q[0])
      num_layers_d = wdata_q[SK_NUM_LAYERS_VALUE_LSB +: SK_NUM_LAYERS_VALUE_WIDTH];
    // In the order of docs/regmap.md: SOFT_RESET, IRQ_CLEAR, START; then the core.
    if (soft_reset || start_ok) begin
      done_d      = 1'b0;
      error_d     = 1'b0;
      refused_d   = 1'b0;
      err_code_d  = SK_HWERR_NONE;
      err_layer_d = 8'd0;
    end
    if (irq_clear) done_d = 1'b0;
    if (start && !start_ok) refused_d = 1'b1;
    if (core_done && !soft_reset) begin
      done_d      = 1'b1;
      error_d     = core_err_code != SK_HWERR_NONE;
      err_code_d  = core_err_code;
      err_layer_d = error_d ? core_err_layer : 8'd0;
    end
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      irq_enable_q <= 1'b0;
      num_layers_q <= 8'd1;
      done_q       <= 1'b0;
      error_q      <= 1'b0;
      refused_q    <= 1'b0;
      err_code_q   <= 8'd0;
      err_layer_q  <= 8'd0;
    end else begin
      irq_enable_q <= irq_enable_d;
      num_layers_q <= num_layers_d;
      done_q       <= done_d;
      error_q      <= error_d;
      refused_q    <= refused_d;
      err_code_q   <= err_code_d;
      err_layer_q  <= err_layer_d;
    end
  end

  assign irq_o = done_q && irq_enable_q;

  // ------------------------------------------------------------------ bus sequencing
  reg [2:0] bus_d;
  reg [1:0] resp_d;
  reg       rd_mem_d;
  wire [1:0] access_resp = (is_mem ? mem_ok : reg_known) ? RespOkay : RespSlverr;
  always @(*) begin
    bus_d    = bus_q;
    resp_d   = resp_q;
    rd_mem_d = rd_mem_q;
    case (bus_q)
      BusIdle:  if (accept_w) bus_d = BusWrite; else if (accept_r) bus_d = BusRead;
      BusWrite: begin
        resp_d = access_resp;
        bus_d  = BusB;
      end
      BusB:     if (s_axil_bready) bus_d = BusIdle;
      BusRead: begin
        resp_d   = access_resp;
        rd_mem_d = mem_ok;
        bus_d    = BusRWait;
      end
      BusRWait: bus_d = BusR;
      BusR:     if (s_axil_rready) bus_d = BusIdle;
      default:  bus_d = BusIdle;
    endcase
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      bus_q    <= BusIdle;
      bvalid_q <= 1'b0;
      rvalid_q <= 1'b0;
      resp_q   <= RespOkay;
      rd_mem_q <= 1'b0;
    end else begin
      bus_q    <= bus_d;
      bvalid_q <= bus_d == BusB;
      rvalid_q <= bus_d == BusR;
      resp_q   <= resp_d;
      rd_mem_q <= rd_mem_d;
    end
  end

  // Latched transaction: data registers, no reset.
  always @(posedge clk_i) begin
    if (accept_w) begin
      addr_q  <= next_addr;
      wdata_q <= s_axil_wdata;
      wstrb_q <= s_axil_wstrb;
    end else if (accept_r) begin
      addr_q <= next_addr;
    end
    if (bus_q == BusRead)  rdata_q <= (is_mem || !reg_known) ? 32'd0 : reg_rdata;
    if (bus_q == BusRWait && rd_mem_q) rdata_q <= host_rdata;
  end

  // ------------------------------------------------------------------ core
  // The access cycle (BusWrite or BusRead) in registers set at accept. host_req does
  // not wait for the window decode or for core_busy: the core ignores an access while
  // busy (its ports belong to the sequencer then) and the response says SLVERR. Both
  // were in series with every memory enable (UP5K timing, docs/fpga.md).
  reg host_req_q, host_we_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      host_req_q <= 1'b0;
      host_we_q  <= 1'b0;
    end else begin
      host_req_q <= accept_w || accept_r;
      host_we_q  <= accept_w;
    end
  end
  wire host_req = host_req_q;

  sk_core #(
    .Lanes      (Lanes),
    .WeightRows (WeightRows),
    .BiasDepth  (BiasDepth),
    .ShiftDepth (ShiftDepth),
    .ActBytes   (ActBytes),
    .MaxLayers  (MaxLayers),
    .Cnn        (Cnn),
    .HostAddrWidth(HostAddrWidth)
  ) u_core (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .start_i       (start),
    .soft_reset_i  (soft_reset),
    .num_layers_i  (num_layers_q),
    .busy_o        (core_busy),
    .done_o        (core_done),
    .err_code_o    (core_err_code),
    .err_layer_o   (core_err_layer),
    .cur_layer_o   (cur_layer),
    .perf_cycles_o (perf_cycles),
    .perf_macs_o   (perf_macs),
    .perf_stalls_o (perf_stalls),
    .host_req_i    (host_req),
    .host_we_i     (host_we_q),
    .host_win_i    (win_q),
    // Every memory is no larger than its window and every window is aligned to its
    // span, so a memory's word address is a run of low bits of the byte address: the
    // core cuts it to its depth, and no mux over the windows is needed.
    .host_addr_i   (addr_q[AddrWidth-2:2]),
    .host_wdata_i  (wdata_q),
    .host_be_i     (wstrb_q),
    .host_rdata_o  (host_rdata)
  );

  // AXI4-Lite protection bits carry nothing for this slave; word addresses are
  // shorter than a byte offset in the largest window.
  wire [5:0] unused_prot       = {s_axil_awprot, s_axil_arprot};
  wire [2:0] unused_addr_bits  = {addr_q[AddrWidth-1], addr_q[1:0]};

  // ------------------------------------------------------------------ assertions
  initial begin
    if (AddrWidth != SK_ADDR_WIDTH || WeightRows * WeightRowBytes > SK_WIN_WEIGHTS_SPAN ||
        BiasDepth * 4 > SK_WIN_BIAS_SPAN || ShiftDepth > SK_WIN_SHIFT_SPAN ||
        ActBytes > SK_WIN_ACT0_SPAN || MaxLayers * 16 > SK_WIN_DESC_SPAN ||
        MaxLayers * 64 > SK_WIN_XDESC_SPAN || SK_REG_FEATURES >= (1 << RegBits)) begin
      $display({"sk_axil_top: a memory is larger than its window in docs/regmap.md, ",
                "a register lies past RegBits, or AddrWidth != %0d"}, SK_ADDR_WIDTH);
      $finish;
    end
  end

endmodule

`resetall
