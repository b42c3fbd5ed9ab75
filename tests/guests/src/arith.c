/* arith: add addu addi addiu sub subu slt sltu slti sltiu lui: carries and wrap-around,
 * immediate sign extension, writes to $zero.
 *
 * add/addi/sub are only given operands that do not overflow here: on MIPS (and qemu) they
 * trap on signed overflow, while Cannon wraps. The overflow cases live in overflow.c, which
 * only our VM runs. addu/addiu/subu get the overflowing operands too. */
#include "asm.h"

/* No signed overflow: valid for add and addu. */
static const struct rr_case add_cases[] = {
	{1, 2, 3},
	{0xffffffff, 1, 0},                   /* -1 + 1: unsigned carry out, no signed overflow */
	{0x12345678, 0x87654321, 0x99999999},
	{0xfffffffe, 0xfffffffd, 0xfffffffb}, /* -2 + -3 */
	{0x7ffffffe, 1, 0x7fffffff},
	{0x80000001, 0xffffffff, 0x80000000},
	{0, 0, 0},
};

/* Signed overflow: addu only. */
static const struct rr_case addu_ovf_cases[] = {
	{0x7fffffff, 1, 0x80000000},
	{0x80000000, 0x80000000, 0},
	{0x80000000, 0xffffffff, 0x7fffffff},
	{0x9abcdef0, 0x87654321, 0x22222211},
};

/* No signed overflow: valid for sub and subu. */
static const struct rr_case sub_cases[] = {
	{3, 5, 0xfffffffe},
	{0x99999999, 0x12345678, 0x87654321},
	{5, 5, 0},
	{0x80000000, 0xffffffff, 0x80000001}, /* min - (-1) */
	{0x7fffffff, 0x7fffffff, 0},
	{0, 0x7fffffff, 0x80000001},
};

/* Signed overflow: subu only. */
static const struct rr_case subu_ovf_cases[] = {
	{0x80000000, 1, 0x7fffffff},
	{0x7fffffff, 0xffffffff, 0x80000000},
	{0, 0x80000000, 0x80000000},
	{0x12345678, 0x9abcdef0, 0x77777788},
};

static const struct rr_case slt_cases[] = {
	{1, 2, 1},
	{2, 1, 0},
	{5, 5, 0},
	{0xffffffff, 0, 1},          /* -1 < 0 */
	{0, 0xffffffff, 0},
	{0x80000000, 0x7fffffff, 1}, /* min < max */
	{0x7fffffff, 0x80000000, 0},
	{0xfffffffe, 0xffffffff, 1}, /* -2 < -1 */
};

static const struct rr_case sltu_cases[] = {
	{1, 2, 1},
	{2, 1, 0},
	{5, 5, 0},
	{0xffffffff, 0, 0},
	{0, 0xffffffff, 1},
	{0x80000000, 0x7fffffff, 0},
	{0x7fffffff, 0x80000000, 1},
	{0, 0, 0},
};

int main(void)
{
	u32 i;

	group("add");
	for (i = 0; i < NELEM(add_cases); i++)
		check("add", RR("add", add_cases[i].a, add_cases[i].b), add_cases[i].want);
	group("addu");
	for (i = 0; i < NELEM(add_cases); i++)
		check("addu", RR("addu", add_cases[i].a, add_cases[i].b), add_cases[i].want);
	for (i = 0; i < NELEM(addu_ovf_cases); i++)
		check("addu-ovf", RR("addu", addu_ovf_cases[i].a, addu_ovf_cases[i].b),
		      addu_ovf_cases[i].want);

	group("addi");
	check("addi", RI("addi", 1, 2), 3);
	check("addi", RI("addi", 0x7ffffffe, 1), 0x7fffffff);
	check("addi", RI("addi", 0x80000001, -1), 0x80000000);
	check("addi", RI("addi", 5, -6), 0xffffffff);
	check("addi", RI("addi", 0, -32768), 0xffff8000);       /* sign extension */
	check("addi", RI("addi", 0, 32767), 0x00007fff);
	check("addi", RI("addi", 0x00010000, -1), 0x0000ffff);
	group("addiu");
	check("addiu", RI("addiu", 1, 2), 3);
	check("addiu", RI("addiu", 0x7fffffff, 1), 0x80000000); /* signed overflow wraps */
	check("addiu", RI("addiu", 0x80000000, -1), 0x7fffffff);
	check("addiu", RI("addiu", 5, -6), 0xffffffff);
	check("addiu", RI("addiu", 0, -32768), 0xffff8000);
	check("addiu", RI("addiu", 0, 32767), 0x00007fff);
	check("addiu", RI("addiu", 0xffffffff, 1), 0);

	group("sub");
	for (i = 0; i < NELEM(sub_cases); i++)
		check("sub", RR("sub", sub_cases[i].a, sub_cases[i].b), sub_cases[i].want);
	group("subu");
	for (i = 0; i < NELEM(sub_cases); i++)
		check("subu", RR("subu", sub_cases[i].a, sub_cases[i].b), sub_cases[i].want);
	for (i = 0; i < NELEM(subu_ovf_cases); i++)
		check("subu-ovf", RR("subu", subu_ovf_cases[i].a, subu_ovf_cases[i].b),
		      subu_ovf_cases[i].want);

	group("slt");
	for (i = 0; i < NELEM(slt_cases); i++)
		check("slt", RR("slt", slt_cases[i].a, slt_cases[i].b), slt_cases[i].want);
	group("sltu");
	for (i = 0; i < NELEM(sltu_cases); i++)
		check("sltu", RR("sltu", sltu_cases[i].a, sltu_cases[i].b), sltu_cases[i].want);

	group("slti");
	check("slti", RI("slti", 0xffffffff, 0), 1);
	check("slti", RI("slti", 0, -1), 0);
	check("slti", RI("slti", 0x7ffe, 32767), 1);
	check("slti", RI("slti", 0x7fff, 32767), 0);
	check("slti", RI("slti", 0x80000000, -32768), 1);
	check("slti", RI("slti", 0xffff8000, -32768), 0);
	check("slti", RI("slti", 0x7fffffff, -1), 0);
	group("sltiu");
	check("sltiu", RI("sltiu", 0, 1), 1);
	check("sltiu", RI("sltiu", 1, 1), 0);
	check("sltiu", RI("sltiu", 0xfffffffe, -1), 1); /* imm sign-extends to 0xffffffff */
	check("sltiu", RI("sltiu", 0xffffffff, -1), 0);
	check("sltiu", RI("sltiu", 5, -32768), 1);      /* 5 < 0xffff8000 */
	check("sltiu", RI("sltiu", 0xffff8001, -32768), 0);
	check("sltiu", RI("sltiu", 0x80000000, 32767), 0);

	group("lui");
	{
		u32 r;
		__asm__ volatile("lui %0, 0x1234" : "=r"(r));
		check("lui", r, 0x12340000);
		__asm__ volatile("lui %0, 0xffff" : "=r"(r));
		check("lui", r, 0xffff0000);
		__asm__ volatile("lui %0, 0x8000" : "=r"(r));
		check("lui", r, 0x80000000);
		r = opaque(0xdeadbeef);
		__asm__ volatile("lui %0, 0" : "+r"(r)); /* clears the low half too */
		check("lui", r, 0);
		__asm__ volatile("lui %0, 0x7fff\n\tori %0, %0, 0xffff" : "=r"(r));
		check("lui+ori", r, 0x7fffffff);
	}

	group("zero");
	{
		/* Writes to $zero are discarded. */
		u32 r;
		__asm__ volatile(".set push\n\t.set noat\n\t"
				 "addiu $0, $0, 5\n\t"
				 "lui $0, 0x1234\n\t"
				 "addu %0, $0, $0\n\t"
				 ".set pop"
				 : "=r"(r));
		check("zero", r, 0);
	}

	/* The same operations as the compiler emits them for C. */
	group("c");
	{
		volatile i32 a = 0x7fffff00, b = -0x7fffff01;
		volatile u32 x = 0xfffffff0;
		check("c-add", (u32)(a + b), 0xffffffff);
		check("c-sub", (u32)(a - 0x100), 0x7ffffe00);
		check("c-lt", a < b, 0);
		check("c-ltu", x < 0x10, 0);
		check("c-sum", (u32)(x + 0x20), 0x10);
	}
	return rt_finish();
}
