/* keccak256 (the original Keccak padding 0x01, as Ethereum uses it; not SHA3-256). */
#ifndef GUEST_KECCAK_H
#define GUEST_KECCAK_H
#include "rt.h"

#define KECCAK_RATE 136

typedef struct {
	u64 st[25];
	u8 buf[KECCAK_RATE];
	u32 len;
} keccak_ctx;

void keccak_f1600(u64 st[25]);
void keccak_init(keccak_ctx *c);
void keccak_update(keccak_ctx *c, const void *data, u32 n);
void keccak_final(keccak_ctx *c, u8 out[32]);
void keccak256(const void *data, u32 n, u8 out[32]);

#endif
