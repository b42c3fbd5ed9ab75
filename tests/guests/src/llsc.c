/* llsc: ll (a plain load in Cannon) and sc (always succeeds in Cannon: stores and sets rt
 * to 1), in an atomic-increment loop and as the compiler emits them for __atomic builtins,
 * plus sync. Only ll/sc pairs without intervening stores are used: that is where Cannon
 * and a real CPU (qemu) must agree. */
#include "asm.h"

static u32 cell[4] __attribute__((aligned(16)));

int main(void)
{
	u32 v, ok, i;

	group("ll");
	cell[1] = 0x89abcdef;
	__asm__ volatile("ll %0, 4(%1)" : "=r"(v) : "r"(cell) : "memory");
	check("ll", v, 0x89abcdef);
	__asm__ volatile("ll %0, -4(%1)" : "=r"(v) : "r"(&cell[2]) : "memory");
	check("ll-neg-offset", v, 0x89abcdef);

	group("sc");
	cell[0] = 41;
	__asm__ volatile("ll %0, 0(%2)\n\t"
			 "addiu %0, %0, 1\n\t"
			 "sc %0, 0(%2)\n\t"
			 "move %1, %0"
			 : "=&r"(v), "=r"(ok)
			 : "r"(cell)
			 : "memory");
	check("sc-result", ok, 1);
	check("sc-stored", cell[0], 42);
	cell[3] = 0;
	__asm__ volatile("ll %0, 12(%1)\n\t"
			 "lui %0, 0xfeed\n\t"
			 "sc %0, 12(%1)"
			 : "=&r"(v)
			 : "r"(cell)
			 : "memory");
	check("sc-result-2", v, 1);
	check("sc-stored-2", cell[3], 0xfeed0000);

	group("atomic-loop");
	cell[2] = 1000;
	for (i = 0; i < 100; i++) {
		u32 t;
		__asm__ volatile(".set push\n\t.set noreorder\n"
				 "1:\tll %0, 0(%1)\n\t"
				 "addiu %0, %0, 3\n\t"
				 "sc %0, 0(%1)\n\t"
				 "beq %0, $0, 1b\n\t"
				 "nop\n\t"
				 ".set pop"
				 : "=&r"(t)
				 : "r"(&cell[2])
				 : "memory");
	}
	check("atomic-loop", cell[2], 1300);

	group("c-atomics");
	{
		static u32 counter;
		u32 old = 0;
		for (i = 0; i < 10; i++)
			old = __atomic_fetch_add(&counter, i, __ATOMIC_SEQ_CST); /* ll/sc + sync */
		check("fetch_add-old", old, 36);
		check("fetch_add", counter, 45);
		{
			u32 expected = 45;
			int swapped = __atomic_compare_exchange_n(&counter, &expected, 7, 0,
								  __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
			check("cas-ok", (u32)swapped, 1);
			check("cas-value", counter, 7);
			expected = 8;
			swapped = __atomic_compare_exchange_n(&counter, &expected, 9, 0,
							      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
			check("cas-fail", (u32)swapped, 0);
			check("cas-fail-expected", expected, 7);
		}
		check("exchange", __atomic_exchange_n(&counter, 0xabc, __ATOMIC_SEQ_CST), 7);
		check("after-exchange", counter, 0xabc);
		__sync_synchronize();
		__asm__ volatile("sync" ::: "memory");
		check("after-sync", counter, 0xabc);
	}
	return rt_finish();
}
