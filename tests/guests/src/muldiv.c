/* muldiv: mult multu div divu (64-bit results in HI:LO), mfhi mflo mthi mtlo and mul
 * (32-bit product into a GPR), with negative operands and extreme values.
 *
 * Not tested, on purpose: division by zero (MIPS leaves the result UNPREDICTABLE and Cannon
 * does not define it) and INT_MIN / -1 (the signed quotient overflows); HI/LO after mul
 * (UNPREDICTABLE on MIPS32r1). */
#include "asm.h"

struct hilo_case {
	u32 a, b, hi, lo;
};

static const struct hilo_case mult_cases[] = {
	{3, 4, 0, 12},
	{0xfffffffd, 4, 0xffffffff, 0xfffffff4},          /* -3 * 4 */
	{0x80000000, 0x80000000, 0x40000000, 0},          /* (-2^31)^2 */
	{0x7fffffff, 0x7fffffff, 0x3fffffff, 1},
	{0xffffffff, 0xffffffff, 0, 1},                   /* -1 * -1 */
	{0x12345678, 0x9abcdef0, 0xf8cc93d6, 0x242d2080},
	{0x80000000, 0x7fffffff, 0xc0000000, 0x80000000},
	{0xfffe0001, 0x10000, 0xfffffffe, 0x10000},
	{0, 0x80000000, 0, 0},
};

static const struct hilo_case multu_cases[] = {
	{3, 4, 0, 12},
	{0xffffffff, 0xffffffff, 0xfffffffe, 1},
	{0x80000000, 2, 1, 0},
	{0x12345678, 0x9abcdef0, 0x0b00ea4e, 0x242d2080},
	{0xfffe0001, 0x10000, 0xfffe, 0x10000},
	{0xdeadbeef, 0xcafebabe, 0xb092ab7b, 0x88cf5b62},
	{0xffffffff, 0, 0, 0},
};

/* hi = remainder (sign of the dividend), lo = quotient (rounded toward zero) */
static const struct hilo_case div_cases[] = {
	{7, 2, 1, 3},
	{0xfffffff9, 2, 0xffffffff, 0xfffffffd},          /* -7 / 2 = -3 rem -1 */
	{7, 0xfffffffe, 1, 0xfffffffd},                   /* 7 / -2 = -3 rem 1 */
	{0xfffffff9, 0xfffffffe, 0xffffffff, 3},          /* -7 / -2 = 3 rem -1 */
	{0x80000000, 2, 0, 0xc0000000},
	{0x80000000, 0x7fffffff, 0xffffffff, 0xffffffff},
	{5, 10, 5, 0},
	{0x7fffffff, 1, 0, 0x7fffffff},
	{0x80000000, 0x80000000, 0, 1},
	{0xdeadbeef, 0x1234, 0xfffff8d3, 0xfffe2b63},
	{0x12345678, 0xffff8000, 0x5678, 0xffffdb98},
};

static const struct hilo_case divu_cases[] = {
	{0xffffffff, 2, 1, 0x7fffffff},
	{0x80000000, 0x7fffffff, 1, 1},
	{7, 0xffffffff, 7, 0},
	{0xfffffffe, 0xffffffff, 0xfffffffe, 0},
	{100, 7, 2, 14},
	{0xdeadbeef, 0x1234, 0x76b, 0xc3ba5},
	{0x12345678, 0xffff8000, 0x12345678, 0},
	{0xffffffff, 1, 0, 0xffffffff},
};

/* "div $0, rs, rt" is gas's spelling of the bare instruction (no zero-divide check). */
#define HILO_OP(op, a, b, hi, lo) \
	__asm__ volatile(op " %2, %3\n\tmfhi %0\n\tmflo %1" : "=r"(hi), "=r"(lo) : "r"(a), "r"(b) : "hi", "lo")

static void run(const char *name, const struct hilo_case *c, u32 n, int op)
{
	u32 i, hi, lo;
	group(name);
	for (i = 0; i < n; i++) {
		switch (op) {
		case 0:
			HILO_OP("mult", c[i].a, c[i].b, hi, lo);
			break;
		case 1:
			HILO_OP("multu", c[i].a, c[i].b, hi, lo);
			break;
		case 2:
			HILO_OP("div $0,", c[i].a, c[i].b, hi, lo);
			break;
		default:
			HILO_OP("divu $0,", c[i].a, c[i].b, hi, lo);
			break;
		}
		check("hi", hi, c[i].hi);
		check("lo", lo, c[i].lo);
	}
}

int main(void)
{
	u32 hi, lo;

	run("mult", mult_cases, NELEM(mult_cases), 0);
	run("multu", multu_cases, NELEM(multu_cases), 1);
	run("div", div_cases, NELEM(div_cases), 2);
	run("divu", divu_cases, NELEM(divu_cases), 3);

	group("mthi-mtlo");
	__asm__ volatile("mthi %2\n\tmtlo %3\n\tmfhi %0\n\tmflo %1"
			 : "=r"(hi), "=r"(lo) : "r"(0xdeadbeefu), "r"(0x01234567u) : "hi", "lo");
	check("mthi", hi, 0xdeadbeef);
	check("mtlo", lo, 0x01234567);
	/* mtlo leaves HI alone, mthi leaves LO alone */
	__asm__ volatile("mthi %2\n\tmtlo %3\n\tmtlo %4\n\tmfhi %0\n\tmflo %1"
			 : "=r"(hi), "=r"(lo) : "r"(0x11111111u), "r"(0x22222222u), "r"(0x33333333u) : "hi", "lo");
	check("mtlo-keeps-hi", hi, 0x11111111);
	check("mtlo-last", lo, 0x33333333);
	__asm__ volatile("mtlo %2\n\tmthi %3\n\tmthi %4\n\tmfhi %0\n\tmflo %1"
			 : "=r"(hi), "=r"(lo) : "r"(0x44444444u), "r"(0x55555555u), "r"(0x66666666u) : "hi", "lo");
	check("mthi-keeps-lo", lo, 0x44444444);
	check("mthi-last", hi, 0x66666666);
	/* mult overwrites both */
	__asm__ volatile("mthi %2\n\tmtlo %2\n\tmultu %3, %3\n\tmfhi %0\n\tmflo %1"
			 : "=r"(hi), "=r"(lo) : "r"(0xffffffffu), "r"(0x10000u) : "hi", "lo");
	check("mult-overwrites-hi", hi, 1);
	check("mult-overwrites-lo", lo, 0);

	group("mul");
	check("mul", RR("mul", 3, 0xfffffffc), 0xfffffff4);
	check("mul", RR("mul", 0x10000, 0x10000), 0);
	check("mul", RR("mul", 0x12345678, 0x9abcdef0), 0x242d2080);
	check("mul", RR("mul", 0x7fffffff, 2), 0xfffffffe);
	check("mul", RR("mul", 0xffffffff, 0xffffffff), 1);
	check("mul", RR("mul", 0x80000000, 0xffffffff), 0x80000000);

	/* What the compiler emits for C: 32-bit / and %, 64-bit products. */
	group("c");
	{
		volatile i32 a = -1000003, b = 97;
		volatile u32 c = 4000000007u, d = 65521;
		volatile u32 e = 0xfedcba98, f = 0x87654321;
		check("c-div", (u32)(a / b), (u32)-10309);
		check("c-mod", (u32)(a % b), (u32)-30);
		check("c-divu", c / d, 61049);
		check("c-modu", c % d, 8478);
		check64("c-mul64u", (u64)e * f, 0x86cb36506541d598ULL);
		check64("c-mul64s", (i64)(i32)e * (i32)f, 0x008938976541d598ULL);
		check("c-mul32", e * f, 0x6541d598);
	}
	return rt_finish();
}
