/* shift: sll srl sra with 5-bit immediate amounts 0..31, and sllv srlv srav whose amount
 * comes from the low 5 bits of a register (amounts >= 32 and "negative" amounts wrap). */
#include "asm.h"

int main(void)
{
	u32 i;

	group("sll");
	check("sll", RI("sll", 0x12345678, 0), 0x12345678);
	check("sll", RI("sll", 0x80000001, 1), 0x00000002);
	check("sll", RI("sll", 0x12345678, 4), 0x23456780);
	check("sll", RI("sll", 1, 31), 0x80000000);
	check("sll", RI("sll", 0xffffffff, 16), 0xffff0000);
	check("sll", RI("sll", 0x00000003, 30), 0xc0000000);
	group("srl");
	check("srl", RI("srl", 0x12345678, 0), 0x12345678);
	check("srl", RI("srl", 0x80000000, 31), 1);
	check("srl", RI("srl", 0x80000000, 1), 0x40000000); /* zero fill */
	check("srl", RI("srl", 0xffffffff, 4), 0x0fffffff);
	check("srl", RI("srl", 0x87654321, 16), 0x00008765);
	check("srl", RI("srl", 0x00000001, 1), 0);
	group("sra");
	check("sra", RI("sra", 0x12345678, 0), 0x12345678);
	check("sra", RI("sra", 0x80000000, 31), 0xffffffff); /* sign fill */
	check("sra", RI("sra", 0x80000000, 1), 0xc0000000);
	check("sra", RI("sra", 0x7fffffff, 30), 0x00000001);
	check("sra", RI("sra", 0xfffffff0, 4), 0xffffffff);
	check("sra", RI("sra", 0x87654321, 8), 0xff876543);
	check("sra", RI("sra", 0x40000000, 31), 0);

	/* Variable amounts: only the low 5 bits count. */
	{
		static const u32 amounts[] = {0, 1, 4, 31, 32, 33, 36, 63, 0xffffffe0, 0x12345664, 0xffffffff};
		static const u32 want_sllv[] = {0x80000001, 0x00000002, 0x00000010, 0x80000000, 0x80000001,
						0x00000002, 0x00000010, 0x80000000, 0x80000001, 0x00000010,
						0x80000000};
		static const u32 want_srlv[] = {0x80000001, 0x40000000, 0x08000000, 0x00000001, 0x80000001,
						0x40000000, 0x08000000, 0x00000001, 0x80000001, 0x08000000,
						0x00000001};
		static const u32 want_srav[] = {0x80000001, 0xc0000000, 0xf8000000, 0xffffffff, 0x80000001,
						0xc0000000, 0xf8000000, 0xffffffff, 0x80000001, 0xf8000000,
						0xffffffff};
		group("sllv");
		for (i = 0; i < NELEM(amounts); i++)
			check("sllv", RR("sllv", 0x80000001, amounts[i]), want_sllv[i]);
		group("srlv");
		for (i = 0; i < NELEM(amounts); i++)
			check("srlv", RR("srlv", 0x80000001, amounts[i]), want_srlv[i]);
		group("srav");
		for (i = 0; i < NELEM(amounts); i++)
			check("srav", RR("srav", 0x80000001, amounts[i]), want_srav[i]);
		check("srav-pos", RR("srav", 0x7ffffff0, 36), 0x07ffffff);
		check("srlv-all", RR("srlv", 0xffffffff, 0x1f), 1);
	}

	/* All 32 amounts against a rolling reference computed another way. */
	group("sweep");
	{
		u32 x = opaque(0x9abcdef1);
		u32 acc = 0;
		for (i = 0; i < 32; i++) {
			u32 l = RR("sllv", x, i), r = RR("srlv", x, i + 32), a = RR("srav", x, i + 64);
			/* (l >> i) recovers the low bits; r << i the high bits */
			check("sllv-sweep", l >> i, x & (0xffffffffu >> i));
			check("srlv-sweep", i ? r << i : r, x & (0xffffffffu << i));
			check("srav-sweep", a, (r | (i ? ~(0xffffffffu >> i) : 0)));
			acc += l ^ r ^ a;
		}
		out_str("sweep acc=");
		out_hex32(acc);
		out_nl();
	}
	return rt_finish();
}
