// sk_icarus_tb.v — a plain-Verilog (2005) bench that replays a bus-transaction image
// on rtl/sk_axil_top.v under Icarus Verilog: the second simulator of the regression.
//
//   vvp build/icarus/sk_icarus_tb.vvp +image=IMAGE.hex
//
// The image (written by sk-icarus-image, tb/icarus/sk_icarus_image.c, from `shiftkit
// gen` case folders) holds, per case, every access the driver made to the C device
// model: writes are replayed on the AXI4-Lite port, waits for the interrupt wait for
// irq_o, and reads are compared with the device model's values under a mask (the
// output reads are expected.npy). The bus master is deliberately simple (no stalls,
// one transaction at a time); the Verilator bench covers stalls. Every handshake and
// wait is bounded by a cycle count, so a broken core ends the run with a failure.
// Prints "icarus: N passed, M failed (C cycles)"; $finish(0) in both cases: the
// caller reads the summary line.
`default_nettype none

module sk_icarus_tb;
  localparam integer ImageWords   = 1 << 22;  // 4 M words: about 70 cases of gen's limits
  localparam integer BusTimeout   = 10000;    // cycles, as SkSim::kBusTimeoutCycles
  localparam [31:0]  OpEnd = 0, OpCase = 1, OpWrite = 2, OpRead = 3, OpWait = 4;

  reg         clk = 1'b0;
  reg         rst_n = 1'b0;
  reg  [23:0] awaddr = 24'd0, araddr = 24'd0;
  reg         awvalid = 1'b0, wvalid = 1'b0, bready = 1'b0, arvalid = 1'b0, rready = 1'b0;
  reg  [31:0] wdata = 32'd0;
  wire        awready, wready, bvalid, arready, rvalid, irq;
  wire [1:0]  bresp, rresp;
  wire [31:0] rdata;

  sk_axil_top dut (
    .clk_i (clk), .rst_ni (rst_n),
    .s_axil_awaddr (awaddr), .s_axil_awprot (3'd0), .s_axil_awvalid (awvalid),
    .s_axil_awready (awready),
    .s_axil_wdata (wdata), .s_axil_wstrb (4'hF), .s_axil_wvalid (wvalid), .s_axil_wready (wready),
    .s_axil_bresp (bresp), .s_axil_bvalid (bvalid), .s_axil_bready (bready),
    .s_axil_araddr (araddr), .s_axil_arprot (3'd0), .s_axil_arvalid (arvalid),
    .s_axil_arready (arready),
    .s_axil_rdata (rdata), .s_axil_rresp (rresp), .s_axil_rvalid (rvalid), .s_axil_rready (rready),
    .irq_o (irq)
  );

  always #5 clk = ~clk;

  reg [63:0] cycles = 64'd0;
  always @(posedge clk) cycles <= cycles + 64'd1;

  reg [31:0] image [0:ImageWords-1];
  integer    pc, waited, passed, failed, case_bad, case_num, errors_shown;
  reg [31:0] op, a, b, c, got;
  reg        bus_err;
  reg [1023:0] image_path;

  // Inputs change after the falling edge; handshakes are sampled at the rising edge.
  task axi_write(input [23:0] addr, input [31:0] data);
    reg aw_done, w_done;
    begin
      aw_done = 1'b0; w_done = 1'b0; waited = 0; bus_err = 1'b0;
      @(negedge clk);
      awaddr = addr; wdata = data; awvalid = 1'b1; wvalid = 1'b1;
      while (!(aw_done && w_done) && waited < BusTimeout) begin
        @(posedge clk);
        if (awvalid && awready) aw_done = 1'b1;
        if (wvalid && wready) w_done = 1'b1;
        @(negedge clk);
        awvalid = !aw_done; wvalid = !w_done;
        waited = waited + 1;
      end
      awvalid = 1'b0; wvalid = 1'b0; bready = 1'b1;
      while (!bvalid && waited < BusTimeout) begin
        @(negedge clk);
        waited = waited + 1;
      end
      @(posedge clk);  // the B handshake (bvalid && bready)
      @(negedge clk);
      bready = 1'b0;
      bus_err = waited >= BusTimeout || bresp != 2'b00;
    end
  endtask

  task axi_read(input [23:0] addr, output [31:0] data);
    reg ar_done;
    begin
      ar_done = 1'b0; waited = 0; bus_err = 1'b0;
      @(negedge clk);
      araddr = addr; arvalid = 1'b1;
      while (!ar_done && waited < BusTimeout) begin
        @(posedge clk);
        if (arvalid && arready) ar_done = 1'b1;
        @(negedge clk);
        arvalid = !ar_done;
        waited = waited + 1;
      end
      arvalid = 1'b0; rready = 1'b1;
      while (!rvalid && waited < BusTimeout) begin
        @(negedge clk);
        waited = waited + 1;
      end
      data = rdata;
      bus_err = waited >= BusTimeout || rresp != 2'b00;
      @(posedge clk);  // the R handshake
      @(negedge clk);
      rready = 1'b0;
    end
  endtask

  task end_case;
    begin
      if (pc > 0 && case_num >= 0) begin
        if (case_bad) failed = failed + 1;
        else passed = passed + 1;
      end
    end
  endtask

  initial begin
    if (!$value$plusargs("image=%s", image_path)) begin
      $display("usage: vvp sk_icarus_tb.vvp +image=IMAGE.hex");
      $finish;
    end
    $readmemh(image_path, image);
    passed = 0; failed = 0; case_bad = 0; case_num = -1; errors_shown = 0;
    repeat (4) @(posedge clk);
    @(negedge clk);
    rst_n = 1'b1;
    pc = 0;
    op = image[0];
    while (op != OpEnd && pc < ImageWords - 4) begin
      op = image[pc]; a = image[pc + 1]; b = image[pc + 2]; c = image[pc + 3];
      if (op === OpCase) begin
        end_case;
        case_num = a; case_bad = 0;
      end else if (op === OpWrite) begin
        axi_write(a[23:0], b);
        if (bus_err) begin
          case_bad = 1;
          if (errors_shown < 20) $display("FAIL case_%04d: write 0x%06x: bus error or timeout", case_num, a);
          errors_shown = errors_shown + 1;
        end
      end else if (op === OpRead) begin
        axi_read(a[23:0], got);
        if (bus_err || ((got ^ b) & c) != 32'd0) begin
          case_bad = 1;
          if (errors_shown < 20)
            $display("FAIL case_%04d: read 0x%06x: got 0x%08x, expected 0x%08x (mask 0x%08x)%s",
                     case_num, a, got, b, c, bus_err ? ", bus error or timeout" : "");
          errors_shown = errors_shown + 1;
        end
      end else if (op === OpWait) begin
        waited = 0;
        while (!irq && waited < a) begin
          @(posedge clk);
          waited = waited + 1;
        end
        if (!irq) begin
          case_bad = 1;
          if (errors_shown < 20)
            $display("FAIL case_%04d: no interrupt in %0d cycles (core state %0d layer %0d k %0d n0 %0d)",
                     case_num, a, dut.u_core.state_q, dut.u_core.layer_q, dut.u_core.ci_q, dut.u_core.n0_q);
          errors_shown = errors_shown + 1;
        end
      end else if (op !== OpEnd) begin
        $display("icarus: bad image record %0d: op 0x%08x", pc / 4, op);
        failed = failed + 1;
        op = OpEnd;
      end
      pc = pc + 4;
    end
    end_case;
    $display("icarus: %0d passed, %0d failed (%0d cycles)", passed, failed, cycles);
    $finish;
  end
endmodule

`default_nettype wire
