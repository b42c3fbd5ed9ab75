/* overflow: add, addi and sub with signed overflow. Cannon never traps on them (fpvm.md:
 * "add/addi/sub do not trap on overflow") and gives the wrapped 32-bit result; a real MIPS
 * CPU, and qemu, raise an integer overflow exception (SIGFPE) at the first case instead.
 * So this guest is compared with its expected output under our VM only; the comparison
 * test checks that qemu does stop it with SIGFPE, which proves the cases do overflow. */
#include "asm.h"

int main(void)
{
	group("add-overflow");
	check("add", RR("add", 0x7fffffff, 1), 0x80000000);
	check("add", RR("add", 0x80000000, 0x80000000), 0);
	check("add", RR("add", 0x80000000, 0xffffffff), 0x7fffffff);
	check("add", RR("add", 0x40000000, 0x40000000), 0x80000000);
	group("addi-overflow");
	check("addi", RI("addi", 0x7fffffff, 1), 0x80000000);
	check("addi", RI("addi", 0x80000000, -1), 0x7fffffff);
	check("addi", RI("addi", 0x7fff8001, 32767), 0x80000000);
	check("addi", RI("addi", 0x80007fff, -32768), 0x7fffffff);
	group("sub-overflow");
	check("sub", RR("sub", 0x80000000, 1), 0x7fffffff);
	check("sub", RR("sub", 0x7fffffff, 0xffffffff), 0x80000000);
	check("sub", RR("sub", 0, 0x80000000), 0x80000000);
	check("sub", RR("sub", 0x12345678, 0x9abcdef0), 0x77777788);
	/* The destination is written even though the operation overflowed. */
	group("overflow-dest");
	{
		u32 r = 0xdeadbeef;
		__asm__ volatile("add %0, %1, %2" : "+r"(r) : "r"(0x7fffffffu), "r"(0x7fffffffu));
		check("add-dest", r, 0xfffffffe);
	}
	return rt_finish();
}
