/* bench: the compute-heavy guest for benchmarks (69.7 million instructions): a sieve of
 * Eratosthenes over [0, 1000000), the primes packed into a 125000-byte bitmap (bit i % 8 of
 * byte i / 8 set when i is prime), keccak256 of the bitmap (920 permutations), then 100
 * more rounds h = keccak256(h). Checks the prime count (78498) and both digests, computed
 * independently. */
#include "keccak.h"

#define N 1000000

static u8 composite[N];
static u8 bitmap[N / 8];

int main(void)
{
	u32 i, j, count = 0;
	u8 h[32];
	static const u8 want_bitmap[32] = {
		0xa0, 0x14, 0x24, 0x83, 0x0d, 0xe7, 0x8c, 0xed, 0xb8, 0x9b, 0x30, 0x14, 0x48, 0xab, 0x6c, 0xca,
		0x91, 0x65, 0xea, 0x57, 0x8d, 0xbd, 0x7f, 0x7b, 0x6b, 0x1c, 0xb7, 0xc1, 0x68, 0x45, 0xac, 0x2b,
	};
	static const u8 want_chain[32] = {
		0xd1, 0x2c, 0xf3, 0xc1, 0x6d, 0xcd, 0xa0, 0x62, 0xa6, 0xd1, 0x48, 0x46, 0xfd, 0x17, 0x3a, 0x41,
		0xbe, 0x89, 0x0e, 0x71, 0x3b, 0xd8, 0xa1, 0x0a, 0x62, 0x1a, 0x1d, 0xbd, 0x74, 0xa6, 0x24, 0x8d,
	};

	composite[0] = composite[1] = 1;
	for (i = 2; i * i < N; i++)
		if (!composite[i])
			for (j = i * i; j < N; j += i)
				composite[j] = 1;
	for (i = 0; i < N; i++)
		if (!composite[i]) {
			count++;
			bitmap[i >> 3] |= (u8)(1u << (i & 7));
		}

	group("sieve");
	out_str("primes below 1000000: ");
	out_u32(count);
	out_nl();
	check("count", count, 78498);

	group("keccak");
	keccak256(bitmap, sizeof bitmap, h);
	out_str("keccak256(bitmap) = ");
	out_hexbytes(h, 32);
	out_nl();
	check_mem("bitmap", h, want_bitmap, 32);
	for (i = 0; i < 100; i++)
		keccak256(h, 32, h);
	out_str("chain100 = ");
	out_hexbytes(h, 32);
	out_nl();
	check_mem("chain", h, want_chain, 32);
	return rt_finish();
}
