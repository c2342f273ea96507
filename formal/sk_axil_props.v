// sk_axil_props.v — formal harness: AXI4-Lite protocol properties of rtl/sk_axil_top.v.
//
// The master side is assumed to follow AXI4-Lite (a VALID stays up until its READY,
// with a stable address/data); the slave side is asserted to:
//   - hold BVALID / RVALID until BREADY / RREADY, with BRESP / RRESP / RDATA stable;
//   - answer exactly one response per request: never a response with no request
//     outstanding, never more than one request of a kind outstanding (the slave takes
//     one transaction at a time), and a response within a fixed number of cycles;
//   - answer SLVERR for every address that docs/regmap.md does not map (no register,
//     no window, a window word past this build's memory), OKAY for every register.
// The register offsets and window sizes below are written from docs/regmap.md, not
// from rtl/sk_regs.vh. Small memories keep the core cheap; the bus logic does not
// depend on the sizes except through the window ends, which are checked.

`default_nettype none

module sk_axil_props #(
  parameter integer Lanes      = 1,
  parameter integer WeightRows = 4,
  parameter integer BiasDepth  = 4,
  parameter integer ShiftDepth = 4,
  parameter integer ActBytes   = 4,
  parameter integer MaxLayers  = 1,
  parameter integer RespBound  = 3     // cycles from an accepted address to its response
) (
  input wire        clk_i,
  input wire [23:0] awaddr,
  input wire        awvalid,
  input wire [31:0] wdata,
  input wire [3:0]  wstrb,
  input wire        wvalid,
  input wire        bready,
  input wire [23:0] araddr,
  input wire        arvalid,
  input wire        rready
);

  reg init_q = 1'b1;  // cycle 0 is the reset cycle
  always @(posedge clk_i) init_q <= 1'b0;

  wire        awready, wready, bvalid, arready, rvalid, irq;
  wire [1:0]  bresp, rresp;
  wire [31:0] rdata;

  sk_axil_top #(
    .Lanes(Lanes), .WeightRows(WeightRows), .BiasDepth(BiasDepth), .ShiftDepth(ShiftDepth),
    .ActBytes(ActBytes), .MaxLayers(MaxLayers)
  ) dut (
    .clk_i(clk_i), .rst_ni(!init_q),
    .s_axil_awaddr(awaddr), .s_axil_awprot(3'd0), .s_axil_awvalid(awvalid), .s_axil_awready(awready),
    .s_axil_wdata(wdata), .s_axil_wstrb(wstrb), .s_axil_wvalid(wvalid), .s_axil_wready(wready),
    .s_axil_bresp(bresp), .s_axil_bvalid(bvalid), .s_axil_bready(bready),
    .s_axil_araddr(araddr), .s_axil_arprot(3'd0), .s_axil_arvalid(arvalid), .s_axil_arready(arready),
    .s_axil_rdata(rdata), .s_axil_rresp(rresp), .s_axil_rvalid(rvalid), .s_axil_rready(rready),
    .irq_o(irq)
  );

  // ---------------------------------------------------------------- previous cycle
  reg        p_awvalid, p_awready, p_wvalid, p_wready, p_arvalid, p_arready;
  reg        p_bvalid, p_bready, p_rvalid, p_rready;
  reg [23:0] p_awaddr, p_araddr;
  reg [31:0] p_wdata, p_rdata;
  reg [3:0]  p_wstrb;
  reg [1:0]  p_bresp, p_rresp;
  always @(posedge clk_i) begin
    p_awvalid <= awvalid; p_awready <= awready; p_awaddr <= awaddr;
    p_wvalid  <= wvalid;  p_wready  <= wready;  p_wdata  <= wdata; p_wstrb <= wstrb;
    p_arvalid <= arvalid; p_arready <= arready; p_araddr <= araddr;
    p_bvalid  <= bvalid;  p_bready  <= bready;  p_bresp  <= bresp;
    p_rvalid  <= rvalid;  p_rready  <= rready;  p_rresp  <= rresp; p_rdata <= rdata;
  end

  // ---------------------------------------------------------------- master (assumed)
  always @(*) begin
    if (init_q) assume (!awvalid && !wvalid && !arvalid);  // AXI: VALIDs low in reset
    else begin
      if (p_awvalid && !p_awready) assume (awvalid && awaddr == p_awaddr);
      if (p_wvalid && !p_wready)   assume (wvalid && wdata == p_wdata && wstrb == p_wstrb);
      if (p_arvalid && !p_arready) assume (arvalid && araddr == p_araddr);
    end
  end

  // ---------------------------------------------------------------- the spec's address map
  function automatic [1:0] map_kind(input [23:0] byte_addr);  // 0 unmapped, 1 register, 2 window
    reg [23:0] a;
    begin
      a = {byte_addr[23:2], 2'b00};
      map_kind = 2'd0;
      if (a <= 24'h018 || (a >= 24'h020 && a <= 24'h04C)) map_kind = 2'd1;  // 0x01c is a hole
      if (a >= 24'h001000 && a < 24'h001000 + MaxLayers * 16)            map_kind = 2'd2;  // DESC
      if (a >= 24'h004000 && a < 24'h004000 + MaxLayers * 64)            map_kind = 2'd2;  // XDESC (Cnn = 1)
      if (a >= 24'h010000 && a < 24'h010000 + BiasDepth * 4)             map_kind = 2'd2;  // BIAS
      if (a >= 24'h020000 && a < 24'h020000 + ShiftDepth)                map_kind = 2'd2;  // SHIFT
      if (a >= 24'h040000 && a < 24'h040000 + ActBytes)                  map_kind = 2'd2;  // ACT0
      if (a >= 24'h050000 && a < 24'h050000 + ActBytes)                  map_kind = 2'd2;  // ACT1
      if (a >= 24'h800000 && a < 24'h800000 + WeightRows * ((Lanes <= 4) ? 4 : (1 << $clog2(Lanes))))
        map_kind = 2'd2;                                                               // WEIGHTS
    end
  endfunction

  // ---------------------------------------------------------------- outstanding requests
  wire aw_hs = awvalid && awready, w_hs = wvalid && wready, ar_hs = arvalid && arready;
  wire b_hs  = bvalid && bready,  r_hs = rvalid && rready;

  reg [1:0]  aw_out, w_out, ar_out;        // accepted, not yet answered
  reg [1:0]  w_kind, r_kind;               // map_kind of the outstanding address
  reg [3:0]  b_wait, r_wait;               // cycles an accepted request has waited
  always @(posedge clk_i) begin
    if (init_q) begin
      aw_out <= 2'd0; w_out <= 2'd0; ar_out <= 2'd0; b_wait <= 4'd0; r_wait <= 4'd0;
    end else begin
      aw_out <= aw_out + aw_hs - b_hs;
      w_out  <= w_out + w_hs - b_hs;
      ar_out <= ar_out + ar_hs - r_hs;
      if (aw_hs) w_kind <= map_kind(awaddr);
      if (ar_hs) r_kind <= map_kind(araddr);
      b_wait <= (aw_out != 2'd0 && !bvalid) ? b_wait + 4'd1 : 4'd0;
      r_wait <= (ar_out != 2'd0 && !rvalid) ? r_wait + 4'd1 : 4'd0;
    end
  end

  // ---------------------------------------------------------------- slave (asserted)
  always @(*) if (!init_q) begin
    // a response stays until taken, unchanged
    if (p_bvalid && !p_bready) assert (bvalid && bresp == p_bresp);
    if (p_rvalid && !p_rready) assert (rvalid && rresp == p_rresp && rdata == p_rdata);
    // one transaction at a time: at most one request of each kind outstanding,
    // address and data of a write taken together
    assert (aw_out <= 2'd1 && w_out <= 2'd1 && ar_out <= 2'd1);
    assert (awready == wready);
    assert (aw_out == w_out);
    // no response without a request
    if (bvalid) assert (aw_out == 2'd1);
    if (rvalid) assert (ar_out == 2'd1);
    // a new request is not taken while one is being answered
    if (aw_out != 2'd0) assert (!awready && !arready);
    if (ar_out != 2'd0) assert (!awready && !arready);
    // every request is answered within RespBound cycles
    assert (b_wait <= RespBound && r_wait <= RespBound);
    // SLVERR exactly for unmapped addresses; registers answer OKAY
    if (bvalid && w_kind == 2'd0) assert (bresp == 2'b10);
    if (rvalid && r_kind == 2'd0) assert (rresp == 2'b10 && rdata == 32'd0);
    if (bvalid && w_kind == 2'd1) assert (bresp == 2'b00);
    if (rvalid && r_kind == 2'd1) assert (rresp == 2'b00);
    // only OKAY and SLVERR are used
    assert (bresp == 2'b00 || bresp == 2'b10);
    assert (rresp == 2'b00 || rresp == 2'b10);
  end

  // ---------------------------------------------------------------- cover
  reg wrote_q = 1'b0;
  always @(posedge clk_i) if (b_hs && bresp == 2'b00) wrote_q <= 1'b1;
  always @(*) if (!init_q) begin
    cover (r_hs && rresp == 2'b00 && rdata == 32'h534B4143);   // read of ID ("SKAC")
    cover (b_hs && bresp == 2'b00 && w_kind == 2'd1);          // write to a register, OKAY
    cover (b_hs && bresp == 2'b10);                            // a write refused with SLVERR
    cover (wrote_q && r_hs && rresp == 2'b00);                 // a write, then a read
  end

endmodule

`resetall
