// sk_icebreaker_top.v — shiftkit on an iCEBreaker (Lattice iCE40 UP5K-SG48).
//
// 12 MHz oscillator -> SB_PLL40_PAD -> ClockMhz (48, 24 or 12) core clock; the FTDI's
// second channel is the host link (1 Mbaud 8N1, rtl/boards/sk_uart_axil_bridge.v) into the
// AXI4-Lite register space, so the C driver runs the board through the `uart` HAL
// backend (sw/hal_uart/). Pins: constraints/icebreaker.pcf; clock: constraints/sk_clocks.sdc.
// LEDs (active low): green = done interrupt, red = held in reset (button or PLL unlocked).
// Memory sizes are chosen to fit the UP5K's 30 EBR and 4 SPRAM (docs/fpga.md).

`default_nettype none

module sk_icebreaker_top #(
  parameter integer Lanes      = 8,     // core build parameters (rtl/sk_axil_top.v)
  parameter integer WeightRows = 2048,
  parameter integer BiasDepth  = 512,
  parameter integer ShiftDepth = 512,
  parameter integer ActBytes   = 512,
  parameter integer MaxLayers  = 16,
  parameter integer Cnn        = 0,     // no CNN extensions: the UP5K budget (docs/fpga.md)
  parameter integer ClockMhz   = 48,    // core clock: 48, 24 or 12 MHz (below the measured Fmax)
  parameter integer ClksPerBit = ClockMhz  // derived: 1 Mbaud
) (
  input  wire CLK,     // 12 MHz
  input  wire BTN_N,   // user button: reset while pressed
  input  wire RX,      // from the host (FTDI TXD)
  output wire TX,      // to the host (FTDI RXD)
  output wire LEDR_N,
  output wire LEDG_N
);

  wire clk;
  wire pll_locked;

  // 12 MHz * (DIVF + 1) / 2^DIVQ: VCO 768 MHz, DIVQ 4/5/6 = 48/24/12 MHz (`icepll -o 48`).
  localparam [2:0] Divq = (ClockMhz == 48) ? 3'd4 : (ClockMhz == 24) ? 3'd5 : 3'd6;

  SB_PLL40_PAD #(
    .FEEDBACK_PATH("SIMPLE"),
    .DIVR(4'b0000),
    .DIVF(7'b0111111),
    .DIVQ(Divq),
    .FILTER_RANGE(3'b001)
  ) u_pll (
    .PACKAGEPIN(CLK),
    .PLLOUTGLOBAL(clk),
    .LOCK(pll_locked),
    .RESETB(1'b1),
    .BYPASS(1'b0)
  );

  wire rst_n = pll_locked && BTN_N;
  wire irq;

  sk_board_uart #(
    .Lanes(Lanes), .WeightRows(WeightRows), .BiasDepth(BiasDepth), .ShiftDepth(ShiftDepth),
    .ActBytes(ActBytes), .MaxLayers(MaxLayers), .Cnn(Cnn), .ClksPerBit(ClksPerBit)
  ) u_board (
    .clk_i(clk), .rst_ni(rst_n), .uart_rx_i(RX), .uart_tx_o(TX), .irq_o(irq)
  );

  assign LEDG_N = !irq;
  assign LEDR_N = rst_n;

  // Assertions
  initial begin
    if (ClockMhz != 48 && ClockMhz != 24 && ClockMhz != 12) begin
      $display("sk_icebreaker_top: ClockMhz = %0d, must be 48, 24 or 12", ClockMhz);
      $finish;
    end
  end

endmodule

`resetall
