/* clz: clz and clo (count leading zeros / ones; 32 for an all-zero / all-one word), checked
 * on a table, on every single-bit value and against a loop. */
#include "asm.h"

static const struct {
	u32 x, clz, clo;
} cases[] = {
	{0x00000000, 32, 0},
	{0xffffffff, 0, 32},
	{0x00000001, 31, 0},
	{0x80000000, 0, 1},
	{0x7fffffff, 1, 0},
	{0x00010000, 15, 0},
	{0x0000ffff, 16, 0},
	{0xffff0000, 0, 16},
	{0xfffe0000, 0, 15},
	{0xfffffffe, 0, 31},
	{0x00000fff, 20, 0},
	{0xc0000001, 0, 2},
	{0x00800000, 8, 0},
};

static u32 slow_clz(u32 x)
{
	u32 n = 0;
	while (n < 32 && !(x & (0x80000000u >> n)))
		n++;
	return n;
}

int main(void)
{
	u32 i;
	group("clz");
	for (i = 0; i < NELEM(cases); i++)
		check("clz", R1("clz", cases[i].x), cases[i].clz);
	group("clo");
	for (i = 0; i < NELEM(cases); i++)
		check("clo", R1("clo", cases[i].x), cases[i].clo);
	group("single-bits");
	for (i = 0; i < 32; i++) {
		check("clz-bit", R1("clz", 1u << i), 31 - i);
		check("clo-bit", R1("clo", ~(1u << i)), 31 - i);
	}
	group("sweep");
	{
		u32 x = 0x12345679;
		for (i = 0; i < 200; i++) {
			u32 v = x >> (i % 32);
			check("clz-sweep", R1("clz", v), slow_clz(v));
			check("clo-sweep", R1("clo", ~v), slow_clz(v));
			x = x * 1103515245u + 12345u;
		}
		/* __builtin_clz compiles to clz for -march=mips32 */
		check("builtin", (u32)__builtin_clz(opaque(0x00012345)), 15);
	}
	return rt_finish();
}
