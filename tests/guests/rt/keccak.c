/* keccak256 for the guests: 64-bit lanes (the compiler splits them into 32-bit register
 * pairs; only shifts by constants, no libgcc helpers), rho and pi unrolled. */
#include "keccak.h"

static const u64 keccak_rc[24] = {
	0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808AULL, 0x8000000080008000ULL,
	0x000000000000808BULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
	0x000000000000008AULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000AULL,
	0x000000008000808BULL, 0x800000000000008BULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
	0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800AULL, 0x800000008000000AULL,
	0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

#define ROL64(x, n) (((x) << (n)) | ((x) >> (64 - (n))))
#define RHOPI(j, r)                  \
	do {                         \
		u64 next = st[j];    \
		st[j] = ROL64(t, r); \
		t = next;            \
	} while (0)

void keccak_f1600(u64 st[25])
{
	int round, i, j;
	u64 bc[5], t;
	for (round = 0; round < 24; round++) {
		/* theta */
		for (i = 0; i < 5; i++)
			bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^ st[i + 20];
		for (i = 0; i < 5; i++) {
			t = bc[(i + 4) % 5] ^ ROL64(bc[(i + 1) % 5], 1);
			for (j = 0; j < 25; j += 5)
				st[j + i] ^= t;
		}
		/* rho and pi */
		t = st[1];
		RHOPI(10, 1);
		RHOPI(7, 3);
		RHOPI(11, 6);
		RHOPI(17, 10);
		RHOPI(18, 15);
		RHOPI(3, 21);
		RHOPI(5, 28);
		RHOPI(16, 36);
		RHOPI(8, 45);
		RHOPI(21, 55);
		RHOPI(24, 2);
		RHOPI(4, 14);
		RHOPI(15, 27);
		RHOPI(23, 41);
		RHOPI(19, 56);
		RHOPI(13, 8);
		RHOPI(12, 25);
		RHOPI(2, 43);
		RHOPI(20, 62);
		RHOPI(14, 18);
		RHOPI(22, 39);
		RHOPI(9, 61);
		RHOPI(6, 20);
		RHOPI(1, 44);
		/* chi */
		for (j = 0; j < 25; j += 5) {
			for (i = 0; i < 5; i++)
				bc[i] = st[j + i];
			for (i = 0; i < 5; i++)
				st[j + i] ^= (~bc[(i + 1) % 5]) & bc[(i + 2) % 5];
		}
		/* iota */
		st[0] ^= keccak_rc[round];
	}
}

static u32 le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static void absorb_block(keccak_ctx *c)
{
	int i;
	for (i = 0; i < KECCAK_RATE / 8; i++)
		c->st[i] ^= (u64)le32(c->buf + 8 * i + 4) << 32 | le32(c->buf + 8 * i);
	keccak_f1600(c->st);
	c->len = 0;
}

void keccak_init(keccak_ctx *c)
{
	memset(c, 0, sizeof *c);
}

void keccak_update(keccak_ctx *c, const void *data, u32 n)
{
	const u8 *p = data;
	while (n--) {
		c->buf[c->len++] = *p++;
		if (c->len == KECCAK_RATE)
			absorb_block(c);
	}
}

void keccak_final(keccak_ctx *c, u8 out[32])
{
	int i;
	memset(c->buf + c->len, 0, KECCAK_RATE - c->len);
	c->buf[c->len] = 0x01;
	c->buf[KECCAK_RATE - 1] |= 0x80;
	absorb_block(c);
	for (i = 0; i < 4; i++) {
		u64 lane = c->st[i];
		u32 lo = (u32)lane, hi = (u32)(lane >> 32);
		out[8 * i + 0] = (u8)lo;
		out[8 * i + 1] = (u8)(lo >> 8);
		out[8 * i + 2] = (u8)(lo >> 16);
		out[8 * i + 3] = (u8)(lo >> 24);
		out[8 * i + 4] = (u8)hi;
		out[8 * i + 5] = (u8)(hi >> 8);
		out[8 * i + 6] = (u8)(hi >> 16);
		out[8 * i + 7] = (u8)(hi >> 24);
	}
}

void keccak256(const void *data, u32 n, u8 out[32])
{
	keccak_ctx c;
	keccak_init(&c);
	keccak_update(&c, data, n);
	keccak_final(&c, out);
}
