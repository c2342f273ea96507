// sk_uart_rx.v — 8N1 UART receiver for the board host link (rtl/boards/).
//
// The line is synchronised through two flip-flops, a start bit is confirmed at its
// middle, and every data bit is sampled at its middle. A byte whose stop bit is 0
// (framing error, a break, line noise) is dropped, so the bridge only ever sees bytes
// that were framed correctly; a lost byte shows up as a host-side timeout.

`default_nettype none

module sk_uart_rx #(
  parameter integer ClksPerBit = 104  // clock cycles per bit: f_clk / baud, at least 4
) (
  input  wire       clk_i,
  input  wire       rst_ni,
  input  wire       rx_i,     // serial line, idle high
  output reg        valid_o,  // one-cycle pulse: data_o holds a received byte
  output reg  [7:0] data_o
);

  localparam integer CntWidth = $clog2(ClksPerBit + 1);
  localparam integer FullBitInt = ClksPerBit - 1;
  localparam [CntWidth-1:0] FullBit = FullBitInt[CntWidth-1:0];
  localparam integer HalfBitInt = ClksPerBit / 2 - 1;
  localparam [CntWidth-1:0] HalfBit = HalfBitInt[CntWidth-1:0];

  localparam [1:0] StIdle  = 2'd0;
  localparam [1:0] StStart = 2'd1;
  localparam [1:0] StData  = 2'd2;
  localparam [1:0] StStop  = 2'd3;

  reg [1:0]          sync_q;
  reg [1:0]          state_q;
  reg [CntWidth-1:0] cnt_q;
  reg                cnt_zero_q;  // cnt_q == 0, kept in a register (UP5K timing, docs/fpga.md)
  reg [2:0]          bit_q;
  reg [7:0]          shift_q;

  wire rx = sync_q[1];

  task count_down;
    begin
      cnt_q      <= cnt_q - 1'b1;
      cnt_zero_q <= cnt_q == {{(CntWidth-1){1'b0}}, 1'b1};
    end
  endtask

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sync_q  <= 2'b11;
      state_q <= StIdle;
      cnt_q   <= {CntWidth{1'b0}};
      cnt_zero_q <= 1'b1;
      bit_q   <= 3'd0;
      shift_q <= 8'd0;
      valid_o <= 1'b0;
      data_o  <= 8'd0;
    end else begin
      sync_q  <= {sync_q[0], rx_i};
      valid_o <= 1'b0;
      case (state_q)
        StIdle: if (!rx) begin
          state_q    <= StStart;
          cnt_q      <= HalfBit;
          cnt_zero_q <= 1'b0;  // HalfBit >= 1
        end
        StStart: if (!cnt_zero_q) count_down;
          else if (rx) state_q <= StIdle;  // a glitch, not a start bit
          else begin
            state_q    <= StData;
            cnt_q      <= FullBit;
            cnt_zero_q <= 1'b0;
            bit_q      <= 3'd0;
          end
        StData: if (!cnt_zero_q) count_down;
          else begin
            shift_q    <= {rx, shift_q[7:1]};  // LSB first
            cnt_q      <= FullBit;
            cnt_zero_q <= 1'b0;
            bit_q      <= bit_q + 1'b1;
            if (bit_q == 3'd7) state_q <= StStop;
          end
        default: if (!cnt_zero_q) count_down;  // StStop
          else begin
            state_q <= StIdle;
            if (rx) begin
              valid_o <= 1'b1;
              data_o  <= shift_q;
            end
          end
      endcase
    end
  end

  // Assertions
  initial begin
    if (ClksPerBit < 4) begin
      $display("sk_uart_rx: ClksPerBit = %0d, must be at least 4", ClksPerBit);
      $finish;
    end
  end

endmodule

`resetall
