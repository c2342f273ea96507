// sk_ram_1r1w.v — RAM with one read port and one write port (byte-lane write enables,
// registered read), the shape of an iCE40 SB_RAM40_4K and of a simple dual-port BRAM.
//
// The CNN builds keep activations in it: a layer with EXT descriptors may read its
// input from the same buffer its output goes to (different addresses), so the lanes'
// reads and the requant unit's writes must not share a port. A read and a write of the
// same address in one cycle return the old contents; the core never does that (an
// output must not overlap the layer's inputs, docs/regmap.md).

`default_nettype none

module sk_ram_1r1w #(
  parameter integer Depth     = 256,  // words
  parameter integer Bytes     = 4,    // byte lanes per word
  parameter integer AddrWidth = (Depth > 1) ? $clog2(Depth) : 1  // derived; do not override
) (
  input  wire                 clk_i,
  // read port
  input  wire                 re_i,
  input  wire [AddrWidth-1:0] raddr_i,
  output wire [8*Bytes-1:0]   rdata_o,  // word at the address of the previous read
  // write port
  input  wire [Bytes-1:0]     we_i,     // byte-lane write enables
  input  wire [AddrWidth-1:0] waddr_i,
  input  wire [8*Bytes-1:0]   wdata_i
);

  genvar b;
  generate
    for (b = 0; b < Bytes; b = b + 1) begin : gen_byte
      reg [7:0] mem_q [0:Depth-1];
      reg [7:0] rdata_q;
      always @(posedge clk_i) begin
        if (we_i[b]) mem_q[waddr_i] <= wdata_i[8*b +: 8];
        if (re_i) rdata_q <= mem_q[raddr_i];
      end
      assign rdata_o[8*b +: 8] = rdata_q;
    end
  endgenerate

  // Assertions
  initial begin
    if (Depth < 1 || Bytes < 1) begin
      $display("sk_ram_1r1w: Depth (%0d) and Bytes (%0d) must be at least 1", Depth, Bytes);
      $finish;
    end
  end

endmodule

`resetall
