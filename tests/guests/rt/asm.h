/* Helpers to run one instruction on register operands, so the instruction under test is
 * really executed (no constant folding) and spelled exactly. */
#ifndef GUEST_ASM_H
#define GUEST_ASM_H
#include "rt.h"

/* op rd, rs, rt */
#define RR(op, a, b)                                                                    \
	({                                                                              \
		u32 _r;                                                                 \
		__asm__ volatile(op " %0, %1, %2" : "=r"(_r) : "r"((u32)(a)), "r"((u32)(b))); \
		_r;                                                                     \
	})
/* op rt, rs, imm (imm must be a compile-time constant in the instruction's range) */
#define RI(op, a, imm)                                                                  \
	({                                                                              \
		u32 _r;                                                                 \
		__asm__ volatile(op " %0, %1, %2" : "=r"(_r) : "r"((u32)(a)), "n"(imm));      \
		_r;                                                                     \
	})
/* op rd, rs */
#define R1(op, a)                                                                       \
	({                                                                              \
		u32 _r;                                                                 \
		__asm__ volatile(op " %0, %1" : "=r"(_r) : "r"((u32)(a)));                   \
		_r;                                                                     \
	})

/* Table rows for two-operand instructions. */
struct rr_case {
	u32 a, b, want;
};
#define NELEM(x) (sizeof(x) / sizeof((x)[0]))

#endif
