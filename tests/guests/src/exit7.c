/* exit7: exit codes reach the host: prints a line, then exit_group(7) from inside a nested
 * call; nothing after it may run. (Cannon: a code other than 0 or 1 is a "panic" status.) */
#include "rt.h"

static void __attribute__((noinline)) leave(u32 code)
{
	out_str("leaving with code ");
	out_u32(code);
	out_nl();
	rt_exit((i32)code);
}

int main(void)
{
	leave(opaque(7));
	out_str("FAIL: exit_group returned\n");
	return 1;
}
