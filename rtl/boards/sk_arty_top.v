// sk_arty_top.v — shiftkit on a Digilent Arty A7-35T (xc7a35t).
//
// The 100 MHz oscillator clocks the core directly; the FT2232's UART channel is the host
// link (1 Mbaud 8N1, rtl/boards/sk_uart_axil_bridge.v). Pins and clock:
// constraints/arty_a7_35t.xdc. Synthesized with `synth_xilinx` for resource counts only
// (docs/fpga.md); a vendor tool is needed for timing and a bitstream.

`default_nettype none

module sk_arty_top #(
  parameter integer Lanes      = 8,     // core build parameters (rtl/sk_axil_top.v)
  parameter integer WeightRows = 2048,
  parameter integer BiasDepth  = 512,
  parameter integer ShiftDepth = 512,
  parameter integer ActBytes   = 512,
  parameter integer MaxLayers  = 16,
  parameter integer Cnn        = 0,     // no CNN extensions: the UP5K budget (docs/fpga.md)
  parameter integer ClksPerBit = 100    // 100 MHz / 1 Mbaud
) (
  input  wire       CLK100MHZ,
  input  wire       ck_rst,        // RESET button, active low
  input  wire       uart_txd_in,   // from the host
  output wire       uart_rxd_out,  // to the host
  output wire [1:0] led            // 0: done interrupt, 1: in reset
);

  wire irq;

  sk_board_uart #(
    .Lanes(Lanes), .WeightRows(WeightRows), .BiasDepth(BiasDepth), .ShiftDepth(ShiftDepth),
    .ActBytes(ActBytes), .MaxLayers(MaxLayers), .Cnn(Cnn), .ClksPerBit(ClksPerBit)
  ) u_board (
    .clk_i(CLK100MHZ), .rst_ni(ck_rst), .uart_rx_i(uart_txd_in), .uart_tx_o(uart_rxd_out),
    .irq_o(irq)
  );

  assign led = {!ck_rst, irq};

endmodule

`resetall
