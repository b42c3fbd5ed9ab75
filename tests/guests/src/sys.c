/* sys: the syscalls guests may use besides exit_group — mmap (anonymous, page aligned,
 * zero-filled, writable, allocations disjoint), read on fd 0 (end of input: Cannon always
 * returns 0, qemu runs with stdin at /dev/null), write/read on a closed fd (EBADF, in both
 * error conventions), zero-length writes and unaligned write buffers. Addresses differ
 * between Cannon and qemu, so only properties are printed. */
#include "rt.h"

static int all_zero(const u32 *p, u32 words)
{
	u32 i;
	for (i = 0; i < words; i++)
		if (p[i])
			return 0;
	return 1;
}

int main(void)
{
	group("mmap");
	{
		u32 *a = rt_alloc_pages(5000); /* rounded up to two pages */
		u32 *b = rt_alloc_pages(4096);
		u32 i, sum = 0;
		u32 ua = (u32)a, ub = (u32)b;
		check("a-nonnull", a != 0, 1);
		check("b-nonnull", b != 0, 1);
		if (a && b) {
			check("a-aligned", ua & 0xfff, 0);
			check("b-aligned", ub & 0xfff, 0);
			check("disjoint", ub >= ua + 8192 || ua >= ub + 4096, 1);
			check("a-zero", all_zero(a, 8192 / 4), 1);
			check("b-zero", all_zero(b, 4096 / 4), 1);
			for (i = 0; i < 8192 / 4; i++)
				a[i] = i * 2654435761u;
			for (i = 0; i < 4096 / 4; i++)
				b[i] = ~i;
			for (i = 0; i < 8192 / 4; i++)
				sum += a[i] ^ (a[i] != i * 2654435761u);
			for (i = 0; i < 4096 / 4; i++)
				sum += b[i];
			check("rw-sum", sum, 0x58313a00);
			check("a-last", a[8192 / 4 - 1], 2047u * 2654435761u);
		}
	}

	group("read");
	{
		u8 in[8] = {1, 2, 3, 4, 5, 6, 7, 8};
		check("stdin-eof", (u32)rt_read(0, in, 8), 0);
		check("stdin-untouched", in[0] | in[7] << 8, 0x0801);
		check("bad-fd", (u32)rt_read(77, in, 4), (u32)-9);
	}

	group("write");
	{
		static const char msg[] = "xxunaligned write\n";
		i32 r;
		check("bad-fd", (u32)rt_write(77, msg, 4), (u32)-9);
		check("zero-len", (u32)rt_write(1, msg, 0), 0);
		out_flush();
		/* an unaligned buffer: Cannon may move fewer bytes than asked; the loop finishes */
		r = rt_write(1, msg + 2, 3);
		check("partial-count", r >= 1 && r <= 3, 1);
		rt_write_all(1, msg + 2 + r, sizeof msg - 3 - (u32)r);
	}
	return rt_finish();
}
