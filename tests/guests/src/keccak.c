/* keccak: the guests' keccak256 (rt/keccak.c) against known digests — the empty string,
 * "abc", the "quick brown fox" sentence, inputs of 135/136/137 bytes around the 136-byte
 * rate, a 1000-byte pattern — one-shot and fed in uneven chunks, plus a 16-fold hash chain.
 * Every digest is printed. Expected values: the published vectors, and for the others an
 * independent implementation checked against SHA3-256 with the SHA-3 padding. */
#include "keccak.h"

struct vector {
	const char *name;
	u32 len;
	u8 fill; /* 0: text; 'a': len x 'a'; 'p': byte i = 7 i + 3 */
	const char *text;
	const char *hex;
};

static const struct vector vectors[] = {
	{"empty", 0, 0, "", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"},
	{"abc", 3, 0, "abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"},
	{"fox", 43, 0, "The quick brown fox jumps over the lazy dog",
	 "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"},
	{"a*135", 135, 'a', 0, "34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446"},
	{"a*136", 136, 'a', 0, "a6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e"},
	{"a*137", 137, 'a', 0, "d869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39"},
	{"pattern*1000", 1000, 'p', 0, "80cdc8dd52cbb3dbaea8f383209893fa2bb52efbd5aedbb4b26dcfe307fcdc9b"},
};

static u8 input[1000];

static void unhex(const char *s, u8 *out, u32 n)
{
	u32 i;
	for (i = 0; i < 2 * n; i++) {
		char c = s[i];
		u32 d = c <= '9' ? (u32)(c - '0') : (u32)(c - 'a' + 10);
		if (i & 1)
			out[i / 2] |= (u8)d;
		else
			out[i / 2] = (u8)(d << 4);
	}
}

static void fill(const struct vector *v)
{
	u32 i;
	for (i = 0; i < v->len; i++) {
		if (v->fill == 'a')
			input[i] = 'a';
		else if (v->fill == 'p')
			input[i] = (u8)(7 * i + 3);
		else
			input[i] = (u8)v->text[i];
	}
}

int main(void)
{
	u32 i;
	u8 got[32], want[32];

	group("vectors");
	for (i = 0; i < (sizeof vectors / sizeof vectors[0]); i++) {
		const struct vector *v = &vectors[i];
		fill(v);
		keccak256(input, v->len, got);
		unhex(v->hex, want, 32);
		out_str("keccak256(");
		out_str(v->name);
		out_str(") = ");
		out_hexbytes(got, 32);
		out_nl();
		check_mem(v->name, got, want, 32);
	}

	group("streaming");
	for (i = 0; i < (sizeof vectors / sizeof vectors[0]); i++) {
		const struct vector *v = &vectors[i];
		keccak_ctx c;
		u32 off = 0, step = 1;
		fill(v);
		keccak_init(&c);
		while (off < v->len) {
			u32 n = v->len - off < step ? v->len - off : step;
			keccak_update(&c, input + off, n);
			off += n;
			step = step * 3 + 1; /* 1, 4, 13, 40, 121, 364, ... */
		}
		keccak_final(&c, got);
		unhex(v->hex, want, 32);
		check_mem(v->name, got, want, 32);
	}

	group("chain");
	{
		/* h0 = keccak256(""), h(i+1) = keccak256(h(i)) */
		u8 h[32];
		keccak256(0, 0, h);
		for (i = 1; i < 16; i++)
			keccak256(h, 32, h);
		unhex("803266e8fca55e2b2eddfc4a759d8662a2b46137029ef4c3dbc6ba7206b183c5", want, 32);
		out_str("chain16 = ");
		out_hexbytes(h, 32);
		out_nl();
		check_mem("chain16", h, want, 32);
	}
	return rt_finish();
}
