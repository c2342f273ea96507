// sk_uart_axil_bridge.v — host link: byte frames from a UART become AXI4-Lite
// transactions on the shiftkit core (docs/fpga.md "Host link protocol").
//
// Host -> board (addresses and data little endian; the address is a byte address):
//   'W' (0x57) a0 a1 a2 d0 d1 d2 d3   write32, all four byte strobes
//   'R' (0x52) a0 a1 a2               read32
//   'I' (0x49)                        sample the interrupt line
// Board -> host, exactly one reply per complete frame:
//   write: 0xA0 | bresp
//   read:  0xB0 | rresp, d0 d1 d2 d3
//   irq:   0xC0 | irq_i
// Any other command byte is ignored. A frame that stalls for IdleTimeout cycles
// between bytes is dropped, so a host that lost a byte can resynchronise by waiting;
// the bridge never waits for the host forever. One transaction is in flight at a
// time: the AXI4-Lite slave (rtl/sk_axil_top.v) answers every accepted address.

`default_nettype none

module sk_uart_axil_bridge #(
  parameter integer AddrWidth   = 24,      // AXI byte address bits, at most 24
  parameter integer IdleTimeout = 1 << 16  // cycles between bytes before a frame is dropped
) (
  input  wire                 clk_i,
  input  wire                 rst_ni,
  // byte stream from the UART receiver
  input  wire                 rx_valid_i,
  input  wire [7:0]           rx_data_i,
  // byte stream to the UART transmitter
  output wire                 tx_valid_o,
  output wire [7:0]           tx_data_o,
  input  wire                 tx_ready_i,
  // interrupt line of the core, reported on request
  input  wire                 irq_i,
  // AXI4-Lite master
  output wire [AddrWidth-1:0] m_axil_awaddr,
  output wire [2:0]           m_axil_awprot,
  output wire                 m_axil_awvalid,
  input  wire                 m_axil_awready,
  output wire [31:0]          m_axil_wdata,
  output wire [3:0]           m_axil_wstrb,
  output wire                 m_axil_wvalid,
  input  wire                 m_axil_wready,
  input  wire [1:0]           m_axil_bresp,
  input  wire                 m_axil_bvalid,
  output wire                 m_axil_bready,
  output wire [AddrWidth-1:0] m_axil_araddr,
  output wire [2:0]           m_axil_arprot,
  output wire                 m_axil_arvalid,
  input  wire                 m_axil_arready,
  input  wire [31:0]          m_axil_rdata,
  input  wire [1:0]           m_axil_rresp,
  input  wire                 m_axil_rvalid,
  output wire                 m_axil_rready
);

  localparam [7:0] CmdWrite = 8'h57;
  localparam [7:0] CmdRead  = 8'h52;
  localparam [7:0] CmdIrq   = 8'h49;
  localparam [3:0] ReplyWrite = 4'hA;
  localparam [3:0] ReplyRead  = 4'hB;
  localparam [3:0] ReplyIrq   = 4'hC;
  localparam integer TimerWidth = $clog2(IdleTimeout + 1);
  localparam integer IdleLast   = IdleTimeout - 1;

  localparam [2:0] StCmd   = 3'd0;  // wait for a command byte
  localparam [2:0] StArgs  = 3'd1;  // collect address (and data) bytes
  localparam [2:0] StWrite = 3'd2;  // AW and W handshakes, then B
  localparam [2:0] StRead  = 3'd3;  // AR handshake, then R
  localparam [2:0] StReply = 3'd4;  // send the reply bytes

  reg [2:0]            state_q;
  reg                  is_write_q;
  reg [2:0]            args_left_q;   // argument bytes still to come
  reg [55:0]           args_q;        // a0 a1 a2 d0 d1 d2 d3, first byte in bits 7:0
  reg [TimerWidth-1:0] idle_q;
  reg                  idle_hit_q;    // idle_q == IdleTimeout, kept in a register
  reg                  aw_done_q, w_done_q, ar_done_q;
  reg [39:0]           reply_q;       // bytes to send, first in bits 7:0
  reg [2:0]            reply_left_q;

  // A received byte and its command decode wait a cycle in registers (a byte lasts
  // ClksPerBit * 10 cycles, so nothing is lost): the decode in series with the state
  // and reply logic was a UP5K critical path (docs/fpga.md).
  reg       rx_valid_q, rx_cmd_w_q, rx_cmd_r_q, rx_cmd_i_q;
  reg [7:0] rx_data_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rx_valid_q <= 1'b0;
      rx_data_q  <= 8'd0;
      rx_cmd_w_q <= 1'b0;
      rx_cmd_r_q <= 1'b0;
      rx_cmd_i_q <= 1'b0;
    end else begin
      rx_valid_q <= rx_valid_i;
      rx_data_q  <= rx_data_i;
      rx_cmd_w_q <= rx_data_i == CmdWrite;
      rx_cmd_r_q <= rx_data_i == CmdRead;
      rx_cmd_i_q <= rx_data_i == CmdIrq;
    end
  end

  // Bytes shift in from the top: after a write frame a0 sits in bits 7:0, after a read
  // frame (three bytes) in bits 39:32.
  wire [55:0] args_next = {rx_data_q, args_q[55:8]};
  wire [23:0] addr      = is_write_q ? args_q[23:0] : args_q[55:32];

  assign m_axil_awaddr  = addr[AddrWidth-1:0];
  assign m_axil_awprot  = 3'b000;
  assign m_axil_awvalid = state_q == StWrite && !aw_done_q;
  assign m_axil_wdata   = args_q[55:24];
  assign m_axil_wstrb   = 4'hf;
  assign m_axil_wvalid  = state_q == StWrite && !w_done_q;
  assign m_axil_bready  = state_q == StWrite && aw_done_q && w_done_q;
  assign m_axil_araddr  = addr[AddrWidth-1:0];
  assign m_axil_arprot  = 3'b000;
  assign m_axil_arvalid = state_q == StRead && !ar_done_q;
  assign m_axil_rready  = state_q == StRead && ar_done_q;

  assign tx_valid_o = state_q == StReply;
  assign tx_data_o  = reply_q[7:0];

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= StCmd;
      is_write_q   <= 1'b0;
      args_left_q  <= 3'd0;
      args_q       <= 56'd0;
      idle_q       <= {TimerWidth{1'b0}};
      idle_hit_q   <= 1'b0;
      aw_done_q    <= 1'b0;
      w_done_q     <= 1'b0;
      ar_done_q    <= 1'b0;
      reply_q      <= 40'd0;
      reply_left_q <= 3'd0;
    end else begin
      case (state_q)
        StCmd: if (rx_valid_q) begin
          idle_q     <= {TimerWidth{1'b0}};
          idle_hit_q <= 1'b0;
          if (rx_cmd_w_q) begin
            state_q     <= StArgs;
            is_write_q  <= 1'b1;
            args_left_q <= 3'd7;
          end else if (rx_cmd_r_q) begin
            state_q     <= StArgs;
            is_write_q  <= 1'b0;
            args_left_q <= 3'd3;
          end else if (rx_cmd_i_q) begin
            state_q      <= StReply;
            reply_q      <= {32'd0, ReplyIrq, 3'd0, irq_i};
            reply_left_q <= 3'd1;
          end
        end
        StArgs: if (rx_valid_q) begin
          args_q      <= args_next;
          args_left_q <= args_left_q - 1'b1;
          idle_q      <= {TimerWidth{1'b0}};
          idle_hit_q  <= 1'b0;
          if (args_left_q == 3'd1) begin
            state_q   <= is_write_q ? StWrite : StRead;
            aw_done_q <= 1'b0;
            w_done_q  <= 1'b0;
            ar_done_q <= 1'b0;
          end
        end else if (idle_hit_q) begin
          state_q <= StCmd;  // the host went quiet mid-frame: drop it
        end else begin
          idle_q     <= idle_q + 1'b1;
          idle_hit_q <= idle_q == IdleLast[TimerWidth-1:0];
        end
        StWrite: begin
          if (m_axil_awvalid && m_axil_awready) aw_done_q <= 1'b1;
          if (m_axil_wvalid && m_axil_wready) w_done_q <= 1'b1;
          if (m_axil_bready && m_axil_bvalid) begin
            state_q      <= StReply;
            reply_q      <= {32'd0, ReplyWrite, 2'd0, m_axil_bresp};
            reply_left_q <= 3'd1;
          end
        end
        StRead: begin
          if (m_axil_arvalid && m_axil_arready) ar_done_q <= 1'b1;
          if (m_axil_rready && m_axil_rvalid) begin
            state_q      <= StReply;
            reply_q      <= {m_axil_rdata, ReplyRead, 2'd0, m_axil_rresp};
            reply_left_q <= 3'd5;
          end
        end
        default: if (tx_ready_i) begin  // StReply
          reply_q      <= {8'd0, reply_q[39:8]};
          reply_left_q <= reply_left_q - 1'b1;
          if (reply_left_q == 3'd1) state_q <= StCmd;
        end
      endcase
    end
  end

  // Assertions
  initial begin
    if (AddrWidth < 3 || AddrWidth > 24 || IdleTimeout < 1) begin
      $display("sk_uart_axil_bridge: AddrWidth = %0d must be 3..24, IdleTimeout >= 1", AddrWidth);
      $finish;
    end
  end

endmodule

`resetall
