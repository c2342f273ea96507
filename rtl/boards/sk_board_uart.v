// sk_board_uart.v — the shiftkit core behind a UART host link, independent of any FPGA
// family: reset synchroniser, UART receiver and transmitter, the UART-to-AXI4-Lite
// bridge and rtl/sk_axil_top.v. Board tops (sk_icebreaker_top.v) add clocking and pins;
// the UART testbench (tb/uart/) simulates this module with the C driver in the loop.

`default_nettype none

module sk_board_uart #(
  parameter integer Lanes       = 8,      // core build parameters (rtl/sk_axil_top.v)
  parameter integer WeightRows  = 2048,
  parameter integer BiasDepth   = 512,
  parameter integer ShiftDepth  = 512,
  parameter integer ActBytes    = 512,
  parameter integer MaxLayers   = 16,
  parameter integer Cnn         = 0,        // no CNN extensions: the UP5K budget (docs/fpga.md)
  parameter integer ClksPerBit  = 48,       // f_clk / baud: 48 MHz / 1 Mbaud
  parameter integer IdleTimeout = 1 << 16   // bridge: cycles before a stalled frame is dropped
) (
  input  wire clk_i,
  input  wire rst_ni,      // asynchronous assert, released synchronously here
  input  wire uart_rx_i,
  output wire uart_tx_o,
  output wire irq_o        // the core's done interrupt (for a LED)
);

  // Reset: assert at once, release two clocks after rst_ni rises.
  reg [1:0] rst_sync_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) rst_sync_q <= 2'b00;
    else rst_sync_q <= {rst_sync_q[0], 1'b1};
  end
  wire rst_n = rst_sync_q[1];

  wire       rx_valid, tx_valid, tx_ready;
  wire [7:0] rx_data, tx_data;

  sk_uart_rx #(.ClksPerBit(ClksPerBit)) u_rx (
    .clk_i(clk_i), .rst_ni(rst_n), .rx_i(uart_rx_i), .valid_o(rx_valid), .data_o(rx_data)
  );

  sk_uart_tx #(.ClksPerBit(ClksPerBit)) u_tx (
    .clk_i(clk_i), .rst_ni(rst_n), .valid_i(tx_valid), .data_i(tx_data), .ready_o(tx_ready),
    .tx_o(uart_tx_o)
  );

  wire [23:0] awaddr, araddr;
  wire [2:0]  awprot, arprot;
  wire [31:0] wdata, rdata;
  wire [3:0]  wstrb;
  wire [1:0]  bresp, rresp;
  wire        awvalid, awready, wvalid, wready, bvalid, bready;
  wire        arvalid, arready, rvalid, rready;

  sk_uart_axil_bridge #(.AddrWidth(24), .IdleTimeout(IdleTimeout)) u_bridge (
    .clk_i(clk_i), .rst_ni(rst_n),
    .rx_valid_i(rx_valid), .rx_data_i(rx_data),
    .tx_valid_o(tx_valid), .tx_data_o(tx_data), .tx_ready_i(tx_ready),
    .irq_i(irq_o),
    .m_axil_awaddr(awaddr), .m_axil_awprot(awprot), .m_axil_awvalid(awvalid),
    .m_axil_awready(awready), .m_axil_wdata(wdata), .m_axil_wstrb(wstrb),
    .m_axil_wvalid(wvalid), .m_axil_wready(wready), .m_axil_bresp(bresp),
    .m_axil_bvalid(bvalid), .m_axil_bready(bready), .m_axil_araddr(araddr),
    .m_axil_arprot(arprot), .m_axil_arvalid(arvalid), .m_axil_arready(arready),
    .m_axil_rdata(rdata), .m_axil_rresp(rresp), .m_axil_rvalid(rvalid), .m_axil_rready(rready)
  );

  sk_axil_top #(
    .Lanes(Lanes), .WeightRows(WeightRows), .BiasDepth(BiasDepth), .ShiftDepth(ShiftDepth),
    .ActBytes(ActBytes), .MaxLayers(MaxLayers), .Cnn(Cnn), .AddrWidth(24)
  ) u_core (
    .clk_i(clk_i), .rst_ni(rst_n),
    .s_axil_awaddr(awaddr), .s_axil_awprot(awprot), .s_axil_awvalid(awvalid),
    .s_axil_awready(awready), .s_axil_wdata(wdata), .s_axil_wstrb(wstrb),
    .s_axil_wvalid(wvalid), .s_axil_wready(wready), .s_axil_bresp(bresp),
    .s_axil_bvalid(bvalid), .s_axil_bready(bready), .s_axil_araddr(araddr),
    .s_axil_arprot(arprot), .s_axil_arvalid(arvalid), .s_axil_arready(arready),
    .s_axil_rdata(rdata), .s_axil_rresp(rresp), .s_axil_rvalid(rvalid), .s_axil_rready(rready),
    .irq_o(irq_o)
  );

endmodule

`resetall
