// design.v: the Yosys benchmark's design (synth_ice40): a small CPU-like datapath with a
// register file, an ALU with a multiplier, a barrel shifter, a CRC-16 and an LFSR, enough logic
// for every pass of the flow to do real work in a few seconds.
module alu (input [2:0] op, input [15:0] a, b, output reg [15:0] y);
	always @* case (op)
		3'd0: y = a + b;
		3'd1: y = a - b;
		3'd2: y = a & b;
		3'd3: y = a | b;
		3'd4: y = a ^ b;
		3'd5: y = a[7:0] * b[7:0];
		3'd6: y = a << b[3:0];
		default: y = $signed(a) >>> b[3:0];
	endcase
endmodule

module crc16 (input clk, input en, input [7:0] d, output reg [15:0] crc);
	integer i;
	reg [15:0] c;
	always @(posedge clk) if (en) begin
		c = crc;
		for (i = 0; i < 8; i = i + 1)
			c = {c[14:0], 1'b0} ^ ((c[15] ^ d[i]) ? 16'h1021 : 16'h0);
		crc <= c;
	end
endmodule

module top (input clk, input rst, input [7:0] in, output reg [15:0] out, output [15:0] crc);
	reg [15:0] regs [0:7];
	reg [15:0] pc, lfsr;
	wire [15:0] insn = lfsr ^ {in, in};
	wire [15:0] y;
	alu u_alu (.op(insn[2:0]), .a(regs[insn[5:3]]), .b(regs[insn[8:6]]), .y(y));
	crc16 u_crc (.clk(clk), .en(insn[15]), .d(y[7:0]), .crc(crc));
	integer i;
	always @(posedge clk) begin
		if (rst) begin
			pc <= 0;
			lfsr <= 16'hACE1;
			for (i = 0; i < 8; i = i + 1) regs[i] <= i;
			out <= 0;
		end else begin
			lfsr <= {lfsr[14:0], lfsr[15] ^ lfsr[13] ^ lfsr[12] ^ lfsr[10]};
			pc <= insn[14] ? pc + {{8{insn[13]}}, insn[13:6]} : pc + 1;
			regs[insn[11:9]] <= y;
			out <= out ^ y ^ pc;
		end
	end
endmodule
