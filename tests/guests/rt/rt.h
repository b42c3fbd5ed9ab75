/* The guests' tiny runtime: raw o32 syscalls, stdout printing and self-check helpers.
 *
 * Only the syscalls the Cannon VM implements are used: read (4003), write (4004),
 * mmap (4090) and exit_group (4246). Errors follow Linux (a3 != 0, v0 = errno) and Cannon
 * (a3 = errno, v0 = -1) alike: the wrappers return -errno in both cases.
 */
#ifndef GUEST_RT_H
#define GUEST_RT_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;
typedef long long i64;
typedef unsigned int usize;

#define SYS_READ 4003
#define SYS_WRITE 4004
#define SYS_MMAP 4090
#define SYS_EXIT_GROUP 4246

/* Raw syscall with up to 3 arguments; *err receives $a3. */
static inline u32 rt_syscall3(u32 nr, u32 a0, u32 a1, u32 a2, u32 *err)
{
	register u32 v0 __asm__("$2") = nr;
	register u32 r4 __asm__("$4") = a0;
	register u32 r5 __asm__("$5") = a1;
	register u32 r6 __asm__("$6") = a2;
	register u32 r7 __asm__("$7");
	__asm__ volatile("syscall"
			 : "+r"(v0), "=r"(r7), "+r"(r4), "+r"(r5), "+r"(r6)
			 :
			 : "$1", "$3", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15",
			   "$24", "$25", "hi", "lo", "memory");
	*err = r7;
	return v0;
}

/* Normalises both error conventions to -errno. */
static inline i32 rt_sysret(u32 v0, u32 a3)
{
	if (a3 == 0)
		return (i32)v0;
	return v0 == 0xffffffffu ? -(i32)a3 : -(i32)v0;
}

i32 rt_read(i32 fd, void *buf, u32 n);
i32 rt_write(i32 fd, const void *buf, u32 n);
/* mmap(addr, len, prot, flags, fd, off): an assembly stub, since o32 passes args 5-6 on the stack. */
u32 rt_mmap(u32 addr, u32 len, u32 prot, u32 flags, i32 fd, u32 off);
/* Anonymous read+write mapping of len bytes; returns 0 on failure. */
void *rt_alloc_pages(u32 len);
void rt_exit(i32 code) __attribute__((noreturn));

/* Loops until all n bytes are moved (Cannon moves at most 4 bytes per call); exits with
 * code 90 (write) or 91 (read: error or end of file) when that is impossible. */
void rt_write_all(i32 fd, const void *buf, u32 n);
void rt_read_all(i32 fd, void *buf, u32 n);

void *memcpy(void *dst, const void *src, usize n);
void *memmove(void *dst, const void *src, usize n);
void *memset(void *dst, int c, usize n);
int memcmp(const void *a, const void *b, usize n);
usize strlen(const char *s);

/* Buffered stdout (flushed at every newline and at exit). */
void out_flush(void);
void out_char(char c);
void out_str(const char *s);
void out_mem(const void *p, u32 n);
void out_u32(u32 v);      /* decimal */
void out_i32(i32 v);      /* decimal, signed */
void out_hex32(u32 v);    /* 0x + 8 hex digits */
void out_hex64(u64 v);    /* 0x + 16 hex digits */
void out_hexbytes(const void *p, u32 n); /* 2 lowercase hex digits per byte, no prefix */
void out_nl(void);

/* Self checks. Every check folds its value into a checksum; a group prints one line
 * "name: N checks, sum=0x........" so a stdout comparison notices any differing value,
 * and every failed check prints a FAIL line. rt_finish() prints the verdict and returns the
 * exit code: 0 if everything passed, 1 otherwise. */
void group(const char *name);
void check(const char *what, u32 got, u32 want);
void check64(const char *what, u64 got, u64 want);
void check_mem(const char *what, const void *got, const void *want, u32 n);
int rt_finish(void);

/* Keeps the compiler from constant-folding a value. */
static inline u32 opaque(u32 x)
{
	__asm__ volatile("" : "+r"(x));
	return x;
}

#endif
