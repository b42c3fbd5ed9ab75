/* logic: and or xor nor (register forms) and andi ori xori, whose 16-bit immediates are
 * zero-extended (unlike addi/slti). */
#include "asm.h"

struct logic_case {
	u32 a, b, and_, or_, xor_, nor_;
};

static const struct logic_case cases[] = {
	{0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0xffffffff},
	{0xffffffff, 0x00000000, 0x00000000, 0xffffffff, 0xffffffff, 0x00000000},
	{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x00000000, 0x00000000},
	{0x0f0f0f0f, 0x00ff00ff, 0x000f000f, 0x0fff0fff, 0x0ff00ff0, 0xf000f000},
	{0x12345678, 0x87654321, 0x02244220, 0x97755779, 0x95511559, 0x688aa886},
	{0x80000001, 0x7ffffffe, 0x00000000, 0xffffffff, 0xffffffff, 0x00000000},
	{0xaaaaaaaa, 0x55555555, 0x00000000, 0xffffffff, 0xffffffff, 0x00000000},
	{0xdeadbeef, 0xcafebabe, 0xcaacbaae, 0xdeffbeff, 0x14530451, 0x21004100},
};

int main(void)
{
	u32 i;
	group("and");
	for (i = 0; i < NELEM(cases); i++)
		check("and", RR("and", cases[i].a, cases[i].b), cases[i].and_);
	group("or");
	for (i = 0; i < NELEM(cases); i++)
		check("or", RR("or", cases[i].a, cases[i].b), cases[i].or_);
	group("xor");
	for (i = 0; i < NELEM(cases); i++)
		check("xor", RR("xor", cases[i].a, cases[i].b), cases[i].xor_);
	group("nor");
	for (i = 0; i < NELEM(cases); i++)
		check("nor", RR("nor", cases[i].a, cases[i].b), cases[i].nor_);

	group("andi");
	check("andi", RI("andi", 0xffffffff, 0xffff), 0x0000ffff);
	check("andi", RI("andi", 0xffffffff, 0x8000), 0x00008000); /* zero-extended */
	check("andi", RI("andi", 0x12345678, 0x0ff0), 0x00000670);
	check("andi", RI("andi", 0xffff0000, 0xffff), 0);
	check("andi", RI("andi", 0xdeadbeef, 0), 0);
	group("ori");
	check("ori", RI("ori", 0, 0xffff), 0x0000ffff);             /* zero-extended */
	check("ori", RI("ori", 0x12340000, 0x5678), 0x12345678);
	check("ori", RI("ori", 0x80000000, 0x8000), 0x80008000);
	check("ori", RI("ori", 0xffffffff, 0), 0xffffffff);
	check("ori", RI("ori", 0x00f0000f, 0x0ff0), 0x00f00fff);
	group("xori");
	check("xori", RI("xori", 0xffffffff, 0xffff), 0xffff0000);  /* zero-extended */
	check("xori", RI("xori", 0x12345678, 0x5678), 0x12340000);
	check("xori", RI("xori", 0, 0x8001), 0x00008001);
	check("xori", RI("xori", 0xaaaaaaaa, 0x5555), 0xaaaaffff);
	check("xori", RI("xori", 0x80000000, 0), 0x80000000);

	/* Identities the compiler relies on. */
	group("identities");
	{
		u32 x = opaque(0x9e3779b9), y = opaque(0x7f4a7c15);
		check("not", RR("nor", x, 0), ~0x9e3779b9u);
		check("move-or", RR("or", x, 0), x);
		check("demorgan", RR("nor", x, y), RR("and", ~x, ~y));
		check("xor-self", RR("xor", x, x), 0);
		check("c-mix", (x & y) ^ (x | y), x ^ y);
	}
	return rt_finish();
}
