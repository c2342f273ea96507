// sk_ram_sp.v — single-port RAM with byte-lane write enables and a registered read.
//
// One array of full words with byte enables, and a cycle either writes or reads: during
// a write the read data keep their previous value (nothing in the core reads the port
// it writes). Read and write enables are separate inputs, so that a write enable never
// waits for the logic that decides a read. That is the shape every tool maps without
// glue: Yosys gives iCE40 block RAM (or SPRAM, whose rule is `rdwr no_change`) without
// the bypass registers and address compare it adds to emulate a read-first port, and a
// 32-bit memory of 256 words or fewer takes 2 SB_RAM40_4K instead of one per byte lane
// (docs/fpga.md "Memories").

`default_nettype none

module sk_ram_sp #(
  parameter integer Depth     = 256,  // words
  parameter integer Bytes     = 4,    // byte lanes per word
  parameter integer AddrWidth = (Depth > 1) ? $clog2(Depth) : 1  // derived; do not override
) (
  input  wire                 clk_i,
  input  wire                 re_i,     // read this cycle (ignored while any we_i is set)
  input  wire [Bytes-1:0]     we_i,     // byte-lane write enables
  input  wire [AddrWidth-1:0] addr_i,
  input  wire [8*Bytes-1:0]   wdata_i,
  output wire [8*Bytes-1:0]   rdata_o   // word at the address of the previous read
);

  reg [8*Bytes-1:0] mem_q [0:Depth-1];
  reg [8*Bytes-1:0] rdata_q;
  integer b;
  always @(posedge clk_i) begin
    if (|we_i) begin
      for (b = 0; b < Bytes; b = b + 1)
        if (we_i[b]) mem_q[addr_i][8*b +: 8] <= wdata_i[8*b +: 8];
    end else if (re_i) begin
      rdata_q <= mem_q[addr_i];
    end
  end
  assign rdata_o = rdata_q;

  // Assertions
  initial begin
    if (Depth < 1 || Bytes < 1) begin
      $display("sk_ram_sp: Depth (%0d) and Bytes (%0d) must be at least 1", Depth, Bytes);
      $finish;
    end
  end

endmodule

`resetall
