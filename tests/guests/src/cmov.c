/* cmov: movz (move if rt == 0) and movn (move if rt != 0): the destination keeps its old
 * value when the condition fails, and the condition looks at all 32 bits. */
#include "asm.h"

#define CMOV(op, old, src, cond)                                                  \
	({                                                                        \
		u32 _d = (old);                                                   \
		__asm__ volatile(op " %0, %1, %2" : "+r"(_d) : "r"((u32)(src)), "r"((u32)(cond))); \
		_d;                                                               \
	})

static const u32 conds[] = {0, 1, 0x80000000, 0xffffffff, 0x00010000};

int main(void)
{
	u32 i;
	group("movz");
	for (i = 0; i < NELEM(conds); i++)
		check("movz", CMOV("movz", 0x11111111, 0xcafebabe, conds[i]),
		      conds[i] == 0 ? 0xcafebabe : 0x11111111);
	group("movn");
	for (i = 0; i < NELEM(conds); i++)
		check("movn", CMOV("movn", 0x22222222, 0xdeadbeef, conds[i]),
		      conds[i] != 0 ? 0xdeadbeef : 0x22222222);
	group("same-reg");
	{
		/* movz/movn with rd == rt: the condition is read before the write. */
		u32 d = 0;
		__asm__ volatile("movz %0, %1, %0" : "+r"(d) : "r"(0x55u));
		check("movz-rd-is-rt", d, 0x55);
		d = 7;
		__asm__ volatile("movn %0, %1, %0" : "+r"(d) : "r"(0x66u));
		check("movn-rd-is-rt", d, 0x66);
		d = 7;
		__asm__ volatile("movz %0, %1, %0" : "+r"(d) : "r"(0x77u));
		check("movz-no-move", d, 7);
	}
	group("c-select");
	{
		/* Branch-free selects the compiler turns into movn/movz. */
		u32 acc = 0, x = opaque(0x1234567);
		for (i = 0; i < 64; i++) {
			u32 a = x & 7 ? x : ~x;
			acc += a;
			x = x * 69069u + 1u;
		}
		check("select-sum", acc, 0xf5b8ab58);
	}
	return rt_finish();
}
