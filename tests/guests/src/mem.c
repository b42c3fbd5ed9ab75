/* mem: lb lbu lh lhu lw sb sh sw (sign/zero extension, byte order, positive and negative
 * offsets up to the 16-bit limits) and the unaligned-access pairs lwl/lwr and swl/swr at
 * every byte offset, big-endian as Cannon defines them. */
#include "asm.h"

static u32 buf[4] __attribute__((aligned(16)));

/* op rt, off(base) for loads */
#define LD(op, base, off)                                                                           \
	({                                                                                          \
		u32 _r;                                                                             \
		__asm__ volatile(op " %0, %2(%1)" : "=r"(_r) : "r"(base), "n"(off) : "memory");      \
		_r;                                                                                 \
	})
/* lwl/lwr merge into the old register value */
#define LDM(op, old, base, off)                                                                     \
	({                                                                                          \
		u32 _r = (old);                                                                     \
		__asm__ volatile(op " %0, %2(%1)" : "+r"(_r) : "r"(base), "n"(off) : "memory");      \
		_r;                                                                                 \
	})
#define ST(op, val, base, off) \
	__asm__ volatile(op " %0, %2(%1)" : : "r"((u32)(val)), "r"(base), "n"(off) : "memory")

static void reset(u32 w0, u32 w1)
{
	buf[0] = w0;
	buf[1] = w1;
	buf[2] = 0;
	buf[3] = 0;
}

struct __attribute__((packed)) unaligned {
	u8 pad;
	u32 word;
	u16 half;
};

int main(void)
{
	u8 *b = (u8 *)buf;

	/* bytes 12 7f 80 ff 01 fe 5a a5 */
	reset(0x127f80ff, 0x01fe5aa5);
	group("lb");
	check("lb", LD("lb", b, 0), 0x00000012);
	check("lb", LD("lb", b, 1), 0x0000007f);
	check("lb", LD("lb", b, 2), 0xffffff80);
	check("lb", LD("lb", b, 3), 0xffffffff);
	check("lb", LD("lb", b, 4), 0x00000001);
	check("lb", LD("lb", b, 5), 0xfffffffe);
	check("lb", LD("lb", b, 6), 0x0000005a);
	check("lb", LD("lb", b, 7), 0xffffffa5);
	group("lbu");
	check("lbu", LD("lbu", b, 0), 0x12);
	check("lbu", LD("lbu", b, 1), 0x7f);
	check("lbu", LD("lbu", b, 2), 0x80);
	check("lbu", LD("lbu", b, 3), 0xff);
	check("lbu", LD("lbu", b, 5), 0xfe);
	check("lbu", LD("lbu", b, 7), 0xa5);
	group("lh");
	check("lh", LD("lh", b, 0), 0x0000127f);
	check("lh", LD("lh", b, 2), 0xffff80ff);
	check("lh", LD("lh", b, 4), 0x000001fe);
	check("lh", LD("lh", b, 6), 0x00005aa5);
	check("lh", LD("lh", b + 8, -6), 0xffff80ff);
	group("lhu");
	check("lhu", LD("lhu", b, 0), 0x127f);
	check("lhu", LD("lhu", b, 2), 0x80ff);
	check("lhu", LD("lhu", b, 4), 0x01fe);
	check("lhu", LD("lhu", b, 6), 0x5aa5);
	group("lw");
	check("lw", LD("lw", b, 0), 0x127f80ff);
	check("lw", LD("lw", b, 4), 0x01fe5aa5);
	check("lw", LD("lw", b + 8, -8), 0x127f80ff);
	check("lw", LD("lw", b + 8, -4), 0x01fe5aa5);
	check("lw", LD("lw", (u32)b - 32764, 32764), 0x127f80ff);  /* largest positive offset */
	check("lw", LD("lw", (u32)b + 32768, -32768), 0x127f80ff); /* largest negative offset */

	group("sb");
	reset(0x11223344, 0x55667788);
	ST("sb", 0xaabbccdd, b, 0);
	check("sb", buf[0], 0xdd223344);
	reset(0x11223344, 0x55667788);
	ST("sb", 0xaabbccdd, b, 1);
	check("sb", buf[0], 0x11dd3344);
	reset(0x11223344, 0x55667788);
	ST("sb", 0xaabbccdd, b, 2);
	check("sb", buf[0], 0x1122dd44);
	reset(0x11223344, 0x55667788);
	ST("sb", 0xaabbccdd, b + 8, -5);
	check("sb", buf[0], 0x112233dd);
	check("sb-neighbour", buf[1], 0x55667788);
	group("sh");
	reset(0x11223344, 0x55667788);
	ST("sh", 0xffff8001, b, 0);
	check("sh", buf[0], 0x80013344);
	reset(0x11223344, 0x55667788);
	ST("sh", 0xffff8001, b, 2);
	check("sh", buf[0], 0x11228001);
	check("sh-neighbour", buf[1], 0x55667788);
	reset(0x11223344, 0x55667788);
	ST("sh", 0x0000beef, b + 8, -2);
	check("sh", buf[1], 0x5566beef);
	group("sw");
	reset(0, 0);
	ST("sw", 0xcafef00d, b, 4);
	check("sw", buf[1], 0xcafef00d);
	check("sw-neighbour", buf[0], 0);
	ST("sw", 0x8badf00d, (u32)b + 32768, -32768);
	check("sw", buf[0], 0x8badf00d);
	check("sw-lbu", LD("lbu", b, 0), 0x8b);

	/* lwl/lwr on memory 11 22 33 44 | 55 66 77 88 with the register holding aabbccdd */
	reset(0x11223344, 0x55667788);
	group("lwl");
	check("lwl", LDM("lwl", 0xaabbccdd, b, 0), 0x11223344);
	check("lwl", LDM("lwl", 0xaabbccdd, b, 1), 0x223344dd);
	check("lwl", LDM("lwl", 0xaabbccdd, b, 2), 0x3344ccdd);
	check("lwl", LDM("lwl", 0xaabbccdd, b, 3), 0x44bbccdd);
	check("lwl", LDM("lwl", 0xaabbccdd, b + 8, -3), 0x667788dd);
	group("lwr");
	check("lwr", LDM("lwr", 0xaabbccdd, b, 0), 0xaabbcc11);
	check("lwr", LDM("lwr", 0xaabbccdd, b, 1), 0xaabb1122);
	check("lwr", LDM("lwr", 0xaabbccdd, b, 2), 0xaa112233);
	check("lwr", LDM("lwr", 0xaabbccdd, b, 3), 0x11223344);
	check("lwr", LDM("lwr", 0xaabbccdd, b + 8, -3), 0xaabb5566);
	group("lwl-lwr-pair");
	check("ulw+1", LDM("lwr", LDM("lwl", 0, b, 1), b, 4), 0x22334455);
	check("ulw+2", LDM("lwr", LDM("lwl", 0, b, 2), b, 5), 0x33445566);
	check("ulw+3", LDM("lwr", LDM("lwl", 0, b, 3), b, 6), 0x44556677);
	check("ulw+0", LDM("lwr", LDM("lwl", 0, b, 0), b, 3), 0x11223344);

	group("swl");
	reset(0x11223344, 0x55667788);
	ST("swl", 0xaabbccdd, b, 0);
	check("swl", buf[0], 0xaabbccdd);
	reset(0x11223344, 0x55667788);
	ST("swl", 0xaabbccdd, b, 1);
	check("swl", buf[0], 0x11aabbcc);
	reset(0x11223344, 0x55667788);
	ST("swl", 0xaabbccdd, b, 2);
	check("swl", buf[0], 0x1122aabb);
	reset(0x11223344, 0x55667788);
	ST("swl", 0xaabbccdd, b, 3);
	check("swl", buf[0], 0x112233aa);
	check("swl-neighbour", buf[1], 0x55667788);
	group("swr");
	reset(0x11223344, 0x55667788);
	ST("swr", 0xaabbccdd, b, 0);
	check("swr", buf[0], 0xdd223344);
	reset(0x11223344, 0x55667788);
	ST("swr", 0xaabbccdd, b, 1);
	check("swr", buf[0], 0xccdd3344);
	reset(0x11223344, 0x55667788);
	ST("swr", 0xaabbccdd, b, 2);
	check("swr", buf[0], 0xbbccdd44);
	reset(0x11223344, 0x55667788);
	ST("swr", 0xaabbccdd, b, 3);
	check("swr", buf[0], 0xaabbccdd);
	check("swr-neighbour", buf[1], 0x55667788);
	group("swl-swr-pair");
	reset(0x11223344, 0x55667788);
	ST("swl", 0xaabbccdd, b, 1);
	ST("swr", 0xaabbccdd, b, 4);
	check("usw+1", buf[0], 0x11aabbcc);
	check("usw+1", buf[1], 0xdd667788);
	reset(0x11223344, 0x55667788);
	ST("swl", 0xaabbccdd, b, 2);
	ST("swr", 0xaabbccdd, b, 5);
	check("usw+2", buf[0], 0x1122aabb);
	check("usw+2", buf[1], 0xccdd7788);
	reset(0x11223344, 0x55667788);
	ST("swl", 0xaabbccdd, b, 3);
	ST("swr", 0xaabbccdd, b, 6);
	check("usw+3", buf[0], 0x112233aa);
	check("usw+3", buf[1], 0xbbccdd88);

	/* Unaligned and sub-word accesses as the compiler emits them (packed structs use
	 * lwl/lwr/swl/swr and byte accesses), plus memcpy/memmove of odd sizes. */
	group("c");
	{
		static struct unaligned u[3];
		volatile u8 *vb = (volatile u8 *)b;
		i32 k;
		u[1].word = 0xfeedface;
		u[1].half = 0x8001;
		check("packed-word", u[1].word, 0xfeedface);
		check("packed-half", u[1].half, 0x8001);
		check("packed-bytes", ((u8 *)&u[1])[1], 0xfe);
		reset(0x80ff7f01, 0);
		check("c-i8", (u32)(i32)(signed char)vb[0], 0xffffff80);
		check("c-u8", vb[1], 0xff);
		check("c-i16", (u32)(i32) * (volatile short *)(b + 2), 0x00007f01);
		check("c-u16", *(volatile u16 *)b, 0x80ff);
		{
			u8 src[23], dst[23];
			for (k = 0; k < 23; k++)
				src[k] = (u8)(k * 37 + 1);
			memcpy(dst, src, 23);
			check_mem("memcpy", dst, src, 23);
			memmove(src + 3, src, 17);
			check("memmove", src[3] | src[19] << 8, 1 | (u8)(16 * 37 + 1) << 8);
		}
		/* pointer chasing: lw into the base register */
		{
			static u32 chain[4];
			u32 p = (u32)&chain[0];
			chain[0] = (u32)&chain[2];
			chain[2] = (u32)&chain[1];
			chain[1] = 0x5a5a5a5a;
			__asm__ volatile("lw %0, 0(%0)\n\tlw %0, 0(%0)\n\tlw %0, 0(%0)" : "+r"(p) : : "memory");
			check("lw-chase", p, 0x5a5a5a5a);
		}
	}
	return rt_finish();
}
