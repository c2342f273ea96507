// sk_uart_tx.v — 8N1 UART transmitter for the board host link (rtl/boards/).
//
// Takes a byte when valid_i && ready_o and sends start bit, 8 data bits LSB first and
// one stop bit. ready_o is high exactly when the line is idle.

`default_nettype none

module sk_uart_tx #(
  parameter integer ClksPerBit = 104  // clock cycles per bit: f_clk / baud, at least 4
) (
  input  wire       clk_i,
  input  wire       rst_ni,
  input  wire       valid_i,
  input  wire [7:0] data_i,
  output wire       ready_o,
  output wire       tx_o      // serial line, idle high
);

  localparam integer CntWidth = $clog2(ClksPerBit + 1);
  localparam integer FullBitInt = ClksPerBit - 1;
  localparam [CntWidth-1:0] FullBit = FullBitInt[CntWidth-1:0];

  reg [CntWidth-1:0] cnt_q;
  reg [3:0]          bits_left_q;  // 0 = idle
  reg [9:0]          frame_q;      // {stop, data, start}, sent from bit 0

  assign ready_o = bits_left_q == 4'd0;
  assign tx_o    = ready_o ? 1'b1 : frame_q[0];

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cnt_q       <= {CntWidth{1'b0}};
      bits_left_q <= 4'd0;
      frame_q     <= 10'h3ff;
    end else if (ready_o) begin
      if (valid_i) begin
        frame_q     <= {1'b1, data_i, 1'b0};
        bits_left_q <= 4'd10;
        cnt_q       <= FullBit;
      end
    end else if (cnt_q != 0) begin
      cnt_q <= cnt_q - 1'b1;
    end else begin
      frame_q     <= {1'b1, frame_q[9:1]};
      bits_left_q <= bits_left_q - 1'b1;
      cnt_q       <= FullBit;
    end
  end

  // Assertions
  initial begin
    if (ClksPerBit < 4) begin
      $display("sk_uart_tx: ClksPerBit = %0d, must be at least 4", ClksPerBit);
      $finish;
    end
  end

endmodule

`resetall
