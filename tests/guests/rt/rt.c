/* The guests' tiny runtime; see rt.h. */
#include "rt.h"

i32 rt_read(i32 fd, void *buf, u32 n)
{
	u32 err;
	u32 v0 = rt_syscall3(SYS_READ, (u32)fd, (u32)buf, n, &err);
	return rt_sysret(v0, err);
}

i32 rt_write(i32 fd, const void *buf, u32 n)
{
	u32 err;
	u32 v0 = rt_syscall3(SYS_WRITE, (u32)fd, (u32)buf, n, &err);
	return rt_sysret(v0, err);
}

static void rt_exit_group(i32 code) __attribute__((noreturn));
static void rt_exit_group(i32 code)
{
	u32 err;
	for (;;)
		rt_syscall3(SYS_EXIT_GROUP, (u32)code, 0, 0, &err);
}

void rt_exit(i32 code)
{
	out_flush();
	rt_exit_group(code);
}

void *rt_alloc_pages(u32 len)
{
	/* PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS (0x002|0x800 on MIPS), fd -1.
	 * Cannon ignores everything but addr (0) and len. */
	u32 p = rt_mmap(0, len, 3, 0x802, -1, 0);
	if ((i32)p < 0 && (i32)p > -4096)
		return 0;
	return (void *)p;
}

void rt_write_all(i32 fd, const void *buf, u32 n)
{
	const u8 *p = buf;
	while (n > 0) {
		i32 r = rt_write(fd, p, n);
		if (r <= 0 || (u32)r > n)
			rt_exit_group(90);
		p += r;
		n -= (u32)r;
	}
}

void rt_read_all(i32 fd, void *buf, u32 n)
{
	u8 *p = buf;
	while (n > 0) {
		i32 r = rt_read(fd, p, n);
		if (r <= 0 || (u32)r > n) {
			out_str("rt_read_all: read failed or ended early\n");
			rt_exit(91);
		}
		p += r;
		n -= (u32)r;
	}
}

/* These are compiled with -fno-tree-loop-distribute-patterns so they are not turned into
 * calls to themselves. */
void *memcpy(void *dst, const void *src, usize n)
{
	u8 *d = dst;
	const u8 *s = src;
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, usize n)
{
	u8 *d = dst;
	const u8 *s = src;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

void *memset(void *dst, int c, usize n)
{
	u8 *d = dst;
	while (n--)
		*d++ = (u8)c;
	return dst;
}

int memcmp(const void *a, const void *b, usize n)
{
	const u8 *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

usize strlen(const char *s)
{
	usize n = 0;
	while (s[n])
		n++;
	return n;
}

static char out_buf[256];
static u32 out_len;

void out_flush(void)
{
	rt_write_all(1, out_buf, out_len);
	out_len = 0;
}

void out_char(char c)
{
	out_buf[out_len++] = c;
	if (c == '\n' || out_len == sizeof out_buf)
		out_flush();
}

void out_str(const char *s)
{
	while (*s)
		out_char(*s++);
}

void out_mem(const void *p, u32 n)
{
	const char *s = p;
	while (n--)
		out_char(*s++);
}

void out_u32(u32 v)
{
	char tmp[10];
	int i = 0;
	do {
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		out_char(tmp[--i]);
}

void out_i32(i32 v)
{
	if (v < 0) {
		out_char('-');
		out_u32(0u - (u32)v);
	} else {
		out_u32((u32)v);
	}
}

static const char hexdig[] = "0123456789abcdef";

static void out_hexn(u32 v, int digits)
{
	while (digits--)
		out_char(hexdig[(v >> (4 * digits)) & 15]);
}

void out_hex32(u32 v)
{
	out_str("0x");
	out_hexn(v, 8);
}

void out_hex64(u64 v)
{
	out_str("0x");
	out_hexn((u32)(v >> 32), 8);
	out_hexn((u32)v, 8);
}

void out_hexbytes(const void *p, u32 n)
{
	const u8 *b = p;
	while (n--)
		out_hexn(*b++, 2);
}

void out_nl(void)
{
	out_char('\n');
}

static const char *grp_name;
static u32 grp_checks, grp_sum;
static u32 total_checks, total_fails;

static void group_end(void)
{
	if (!grp_name)
		return;
	out_str(grp_name);
	out_str(": ");
	out_u32(grp_checks);
	out_str(" checks, sum=");
	out_hex32(grp_sum);
	out_nl();
	grp_name = 0;
}

void group(const char *name)
{
	group_end();
	grp_name = name;
	grp_checks = 0;
	grp_sum = 0x811c9dc5u; /* FNV-1a offset basis, folded per 32-bit word */
}

static void fold(u32 v)
{
	grp_sum = (grp_sum ^ v) * 16777619u;
}

void check(const char *what, u32 got, u32 want)
{
	fold(got);
	grp_checks++;
	total_checks++;
	if (got != want) {
		total_fails++;
		out_str("FAIL ");
		out_str(grp_name ? grp_name : "?");
		out_char('/');
		out_str(what);
		out_str(" #");
		out_u32(grp_checks);
		out_str(": got ");
		out_hex32(got);
		out_str(" want ");
		out_hex32(want);
		out_nl();
	}
}

void check64(const char *what, u64 got, u64 want)
{
	fold((u32)(got >> 32));
	fold((u32)got);
	grp_checks++;
	total_checks++;
	if (got != want) {
		total_fails++;
		out_str("FAIL ");
		out_str(grp_name ? grp_name : "?");
		out_char('/');
		out_str(what);
		out_str(" #");
		out_u32(grp_checks);
		out_str(": got ");
		out_hex64(got);
		out_str(" want ");
		out_hex64(want);
		out_nl();
	}
}

void check_mem(const char *what, const void *got, const void *want, u32 n)
{
	const u8 *g = got;
	u32 i;
	for (i = 0; i < n; i++)
		fold(g[i]);
	grp_checks++;
	total_checks++;
	if (memcmp(got, want, n) != 0) {
		total_fails++;
		out_str("FAIL ");
		out_str(grp_name ? grp_name : "?");
		out_char('/');
		out_str(what);
		out_str(" #");
		out_u32(grp_checks);
		out_str(": got ");
		out_hexbytes(got, n);
		out_str(" want ");
		out_hexbytes(want, n);
		out_nl();
	}
}

int rt_finish(void)
{
	group_end();
	if (total_fails) {
		out_str("FAIL ");
		out_u32(total_fails);
		out_str(" of ");
		out_u32(total_checks);
		out_str(" checks\n");
		return 1;
	}
	out_str("PASS ");
	out_u32(total_checks);
	out_str(" checks\n");
	return 0;
}
