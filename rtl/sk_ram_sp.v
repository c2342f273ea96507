// sk_ram_sp.v — single-port RAM with byte-lane write enables and a registered read.
//
// Written as one plain array per byte lane so that every tool infers it: Verilator
// simulates it, Yosys maps it to block RAM (or iCE40 SPRAM). A write and a read of
// the same address in one cycle return the old contents (read-first); nothing in the
// core relies on either order.

`default_nettype none

module sk_ram_sp #(
  parameter integer Depth     = 256,  // words
  parameter integer Bytes     = 4,    // byte lanes per word
  parameter integer AddrWidth = (Depth > 1) ? $clog2(Depth) : 1  // derived; do not override
) (
  input  wire                 clk_i,
  input  wire                 en_i,     // access this cycle (read, and write where we_i)
  input  wire [Bytes-1:0]     we_i,     // byte-lane write enables
  input  wire [AddrWidth-1:0] addr_i,
  input  wire [8*Bytes-1:0]   wdata_i,
  output wire [8*Bytes-1:0]   rdata_o   // word at the address of the previous access
);

  genvar b;
  generate
    for (b = 0; b < Bytes; b = b + 1) begin : gen_byte
      reg [7:0] mem_q [0:Depth-1];
      reg [7:0] rdata_q;
      always @(posedge clk_i) begin
        if (en_i) begin
          if (we_i[b]) mem_q[addr_i] <= wdata_i[8*b +: 8];
          rdata_q <= mem_q[addr_i];
        end
      end
      assign rdata_o[8*b +: 8] = rdata_q;
    end
  endgenerate

  // Assertions
  initial begin
    if (Depth < 1 || Bytes < 1) begin
      $display("sk_ram_sp: Depth (%0d) and Bytes (%0d) must be at least 1", Depth, Bytes);
      $finish;
    end
  end

endmodule

`resetall
