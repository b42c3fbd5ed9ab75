/* branch: beq bne blez bgtz bltz bgez bgezal (and bal = bgezal $0) j jal jr jalr, each
 * with a meaningful instruction in its delay slot (written with .set noreorder): the delay
 * slot always runs, a taken branch skips the fall-through, links are pc + 8, and a delay
 * slot that changes the branch's own operand does not change the decision already made.
 * Then loops, recursion, calls through pointers and a switch jump table from C. */
#include "asm.h"

/* r = 1 (delay slot) + 2 (fall-through, only if not taken) + 4 (target): 5 taken, 7 not. */
#define TAKEN 5
#define NOT_TAKEN 7

#define BR1(op, v)                                                     \
	({                                                             \
		u32 _r;                                                \
		__asm__ volatile(".set push\n\t.set noreorder\n\t"     \
				 "move %0, $0\n\t" op " %1, 1f\n\t"    \
				 "addiu %0, %0, 1\n\t"                 \
				 "addiu %0, %0, 2\n"                   \
				 "1:\taddiu %0, %0, 4\n\t"             \
				 ".set pop"                            \
				 : "=&r"(_r)                           \
				 : "r"((u32)(v)));                     \
		_r;                                                    \
	})

#define BR2(op, a, b)                                                  \
	({                                                             \
		u32 _r;                                                \
		__asm__ volatile(".set push\n\t.set noreorder\n\t"     \
				 "move %0, $0\n\t" op " %1, %2, 1f\n\t" \
				 "addiu %0, %0, 1\n\t"                 \
				 "addiu %0, %0, 2\n"                   \
				 "1:\taddiu %0, %0, 4\n\t"             \
				 ".set pop"                            \
				 : "=&r"(_r)                           \
				 : "r"((u32)(a)), "r"((u32)(b)));      \
		_r;                                                    \
	})

static const u32 values[] = {0x80000000, 0xffffffff, 0, 1, 0x7fffffff};
/* taken flags per value, in the order of values[] */
static const u8 taken_blez[] = {1, 1, 1, 0, 0};
static const u8 taken_bgtz[] = {0, 0, 0, 1, 1};
static const u8 taken_bltz[] = {1, 1, 0, 0, 0};
static const u8 taken_bgez[] = {0, 0, 1, 1, 1};

static u32 outcome(u8 taken)
{
	return taken ? TAKEN : NOT_TAKEN;
}

static u32 fib(u32 n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static u32 f_add(u32 x) { return x + 3; }
static u32 f_mul(u32 x) { return x * 5; }
static u32 f_xor(u32 x) { return x ^ 0x55; }
static u32 (*const funcs[])(u32) = {f_add, f_mul, f_xor};

static u32 __attribute__((noinline)) classify(u32 x)
{
	switch (x) {
	case 0: return 11;
	case 1: return 22;
	case 2: return 33;
	case 3: return 44;
	case 4: return 55;
	case 5: return 66;
	case 6: return 77;
	case 7: return 88;
	case 9: return 99;
	default: return 0;
	}
}

/* bgezal v: link register must be the address after the delay slot, whether taken or not. */
static void test_bgezal(u32 v, u8 taken)
{
	u32 r, link, expect_link;
	__asm__ volatile(".set push\n\t.set noreorder\n\t"
			 "la %1, 2f\n\t"
			 "move %0, $0\n\t"
			 "bgezal %3, 1f\n\t"
			 "addiu %0, %0, 1\n"
			 "2:\taddiu %0, %0, 2\n\t"
			 "b 3f\n\t"
			 "nop\n"
			 "1:\taddiu %0, %0, 4\n"
			 "3:\tmove %2, $ra\n\t"
			 ".set pop"
			 : "=&r"(r), "=&r"(expect_link), "=&r"(link)
			 : "r"(v)
			 : "$31");
	check("bgezal", r, taken ? TAKEN : 3);
	check("bgezal-link", link - expect_link, 0);
}

int main(void)
{
	u32 i;

	group("beq");
	check("beq", BR2("beq", 5, 5), TAKEN);
	check("beq", BR2("beq", 5, 6), NOT_TAKEN);
	check("beq", BR2("beq", 0, 0x80000000), NOT_TAKEN);
	check("beq", BR2("beq", 0xffffffff, 0xffffffff), TAKEN);
	check("beq", BR2("beq", 0, 0), TAKEN);
	group("bne");
	check("bne", BR2("bne", 5, 5), NOT_TAKEN);
	check("bne", BR2("bne", 5, 6), TAKEN);
	check("bne", BR2("bne", 0, 0x80000000), TAKEN);
	check("bne", BR2("bne", 0xffffffff, 0xffffffff), NOT_TAKEN);
	group("blez");
	for (i = 0; i < NELEM(values); i++)
		check("blez", BR1("blez", values[i]), outcome(taken_blez[i]));
	group("bgtz");
	for (i = 0; i < NELEM(values); i++)
		check("bgtz", BR1("bgtz", values[i]), outcome(taken_bgtz[i]));
	group("bltz");
	for (i = 0; i < NELEM(values); i++)
		check("bltz", BR1("bltz", values[i]), outcome(taken_bltz[i]));
	group("bgez");
	for (i = 0; i < NELEM(values); i++)
		check("bgez", BR1("bgez", values[i]), outcome(taken_bgez[i]));

	group("bgezal");
	for (i = 0; i < NELEM(values); i++)
		test_bgezal(values[i], taken_bgez[i]);
	{
		/* bal is bgezal $0: always taken; the delay slot sees the new $ra. */
		u32 link, slot_ra, expect;
		__asm__ volatile(".set push\n\t.set noreorder\n\t"
				 "la %2, 2f\n\t"
				 "bal 1f\n\t"
				 "move %1, $ra\n"
				 "2:\tb 3f\n\t"
				 "nop\n"
				 "1:\tmove %0, $ra\n"
				 "3:\n\t"
				 ".set pop"
				 : "=&r"(link), "=&r"(slot_ra), "=&r"(expect)
				 :
				 : "$31");
		check("bal-link", link - expect, 0);
		check("bal-slot-sees-link", slot_ra - expect, 0);
	}

	group("delay-slot");
	{
		/* The delay slot changes the compared register: the decision is already made. */
		u32 a = 7, r;
		__asm__ volatile(".set push\n\t.set noreorder\n\t"
				 "move %0, $0\n\t"
				 "beq %1, %2, 1f\n\t"
				 "addiu %1, %1, 1\n\t"
				 "addiu %0, %0, 2\n"
				 "1:\taddiu %0, %0, 4\n\t"
				 ".set pop"
				 : "=&r"(r), "+r"(a)
				 : "r"(7u));
		check("beq-slot-writes-operand", r, 4);
		check("beq-slot-ran", a, 8);
		/* A load in the delay slot of a taken backward branch: a counted loop. */
		{
			static const u32 words[5] = {3, 5, 7, 11, 13};
			u32 sum = 0, n = 5, tmp;
			const u32 *p = words;
			__asm__ volatile(".set push\n\t.set noreorder\n"
					 "1:\tlw %3, 0(%2)\n\t"
					 "addiu %1, %1, -1\n\t"
					 "addu %0, %0, %3\n\t"
					 "bgtz %1, 1b\n\t"
					 "addiu %2, %2, 4\n\t" /* delay slot: advance pointer */
					 ".set pop"
					 : "+r"(sum), "+r"(n), "+r"(p), "=&r"(tmp)
					 :
					 : "memory");
			check("loop-sum", sum, 39);
			check("loop-count", n, 0);
			check("loop-ptr", (u32)p - (u32)words, 20);
		}
		/* bne loop whose delay slot does the work */
		{
			u32 acc = 0, k = 0;
			__asm__ volatile(".set push\n\t.set noreorder\n"
					 "1:\taddiu %1, %1, 1\n\t"
					 "bne %1, %2, 1b\n\t"
					 "addu %0, %0, %1\n\t" /* runs 10 times, also when leaving */
					 ".set pop"
					 : "+r"(acc), "+r"(k)
					 : "r"(10u));
			check("bne-loop", acc, 55);
		}
		/* bltz loop counting up from a negative value */
		{
			u32 x = (u32)-6, c = 0;
			__asm__ volatile(".set push\n\t.set noreorder\n"
					 "1:\taddiu %0, %0, 2\n\t"
					 "bltz %0, 1b\n\t"
					 "addiu %1, %1, 1\n\t"
					 ".set pop"
					 : "+r"(x), "+r"(c));
			check("bltz-loop", c, 3);
			check("bltz-loop-x", x, 0);
		}
	}

	group("j");
	{
		u32 r;
		__asm__ volatile(".set push\n\t.set noreorder\n\t"
				 "move %0, $0\n\t"
				 "j 1f\n\t"
				 "addiu %0, %0, 1\n\t"
				 "addiu %0, %0, 2\n\t"
				 "addiu %0, %0, 8\n"
				 "1:\taddiu %0, %0, 4\n\t"
				 ".set pop"
				 : "=&r"(r));
		check("j", r, 5);
	}
	group("jal");
	{
		u32 r, link, slot_ra, expect;
		__asm__ volatile(".set push\n\t.set noreorder\n\t"
				 "la %3, 2f\n\t"
				 "move %0, $0\n\t"
				 "jal 1f\n\t"
				 "move %2, $ra\n"      /* delay slot: $ra is already the link */
				 "2:\taddiu %0, %0, 2\n"
				 "1:\taddiu %0, %0, 4\n\t"
				 "move %1, $ra\n\t"
				 ".set pop"
				 : "=&r"(r), "=&r"(link), "=&r"(slot_ra), "=&r"(expect)
				 :
				 : "$31");
		check("jal", r, 4);
		check("jal-link", link - expect, 0);
		check("jal-slot-sees-link", slot_ra - expect, 0);
	}
	group("jr");
	{
		u32 r, t;
		__asm__ volatile(".set push\n\t.set noreorder\n\t"
				 "move %0, $0\n\t"
				 "la %1, 1f\n\t"
				 "jr %1\n\t"
				 "addiu %1, %1, 8\n\t"   /* delay slot changes the target register */
				 "addiu %0, %0, 2\n\t"
				 "addiu %0, %0, 8\n"
				 "1:\taddiu %0, %0, 4\n\t"
				 "addiu %0, %0, 16\n\t"
				 ".set pop"
				 : "=&r"(r), "=&r"(t));
		check("jr", r, 20);
	}
	group("jalr");
	{
		u32 r, t, link, expect;
		/* jalr rd, rs with rd != $ra */
		__asm__ volatile(".set push\n\t.set noreorder\n\t"
				 "move %0, $0\n\t"
				 "la %1, 1f\n\t"
				 "la %3, 2f\n\t"
				 "jalr %2, %1\n\t"
				 "addiu %0, %0, 1\n"
				 "2:\taddiu %0, %0, 2\n"
				 "1:\taddiu %0, %0, 4\n\t"
				 ".set pop"
				 : "=&r"(r), "=&r"(t), "=&r"(link), "=&r"(expect));
		check("jalr", r, 5);
		check("jalr-link", link - expect, 0);
		/* jalr rs (links $ra), a real call and return */
		__asm__ volatile(".set push\n\t.set noreorder\n\t"
				 "move %0, $0\n\t"
				 "la %1, 1f\n\t"
				 "jalr %1\n\t"
				 "addiu %0, %0, 1\n\t"
				 "b 3f\n\t"
				 "addiu %0, %0, 8\n"
				 "1:\tjr $ra\n\t"
				 "addiu %0, %0, 16\n"
				 "3:\n\t"
				 ".set pop"
				 : "=&r"(r), "=&r"(t)
				 :
				 : "$31");
		check("jalr-call-return", r, 25);
	}

	group("c");
	check("fib", fib(opaque(20)), 6765);
	{
		u32 x = opaque(10);
		for (i = 0; i < 9; i++)
			x = funcs[i % 3](x);
		check("funcptr", x, 0x98);
	}
	{
		u32 s = 0;
		for (i = 0; i < 12; i++)
			s = s * 3 + classify(opaque(i));
		check("switch", s, 0x42d977);
	}
	return rt_finish();
}
