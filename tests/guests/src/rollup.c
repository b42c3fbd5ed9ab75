/* rollup: the state-transition function of a toy rollup, as a fault-proof program.
 *
 * Inputs, all through the pre-image oracle, requested in exactly this order:
 *   local 1                 the previous output root (32 bytes)
 *   keccak(previous root)   the state, after the hint `keccak 0x<root>`
 *   local 2                 the batch hash (32 bytes)
 *   keccak(batch hash)      the batch, after the hint `keccak 0x<hash>`
 *   local 3                 the claimed output root (32 bytes)
 *
 * Formats (all integers big-endian):
 *   account  (44 bytes)  address[20] ‖ nonce u64 ‖ balance u64 ‖ withdrawn u64
 *   state                "OGSR" ‖ count u32 ‖ count accounts            (count ≤ 4096)
 *   transfer (56 bytes)  from[20] ‖ to[20] ‖ amount u64 ‖ nonce u64
 *   batch                "OGSB" ‖ count u32 ‖ count transfers           (count ≤ 4096)
 *   output root          keccak256(state)
 *
 * The program re-hashes both pre-images and exits 1 (after a one-line reason) if either does
 * not hash to the value it was requested by, if the state is malformed or if a pre-image does
 * not fit its buffer. A malformed batch is applied as an empty one. Transfers are applied in
 * order; one is rejected (skipped, nothing changes) if `from` is not an account, its nonce is
 * not from's nonce, its amount is 0 or exceeds from's balance, or from == to. A transfer to the
 * zero address is a withdrawal (balance → withdrawn). Otherwise `to` is looked up and, if it is
 * absent, appended as a new account, unless the state is full (rejected); a transfer that would
 * overflow to's balance is rejected. Lookups are linear scans in account order. Then it prints
 *   rollup: accounts <n> transfers <m> applied <a> rejected <r>
 *   root 0x<new root>
 *   claimed 0x<claimed root>
 *   valid | invalid
 * and exits 0 if the new root equals the claimed one, 1 otherwise.
 * The test data is tests/guests/data/rollup.txt; the format is in tests/guests/README.md. */
#include "keccak.h"

#define FD_HINT_RESPONSE 3
#define FD_HINT 4
#define FD_PREIMAGE 5
#define FD_PREIMAGE_KEY 6

#define HEADER_SIZE 8
#define ADDR_SIZE 20
#define ACCOUNT_SIZE 44
#define TRANSFER_SIZE 56
#define MAX_ACCOUNTS 4096
#define MAX_TRANSFERS 4096

/* Account field offsets. */
#define A_NONCE 20
#define A_BALANCE 28
#define A_WITHDRAWN 36
/* Transfer field offsets. */
#define T_FROM 0
#define T_TO 20
#define T_AMOUNT 40
#define T_NONCE 48

/* Both buffers are 4-byte aligned and every record size and field offset is a multiple of 4,
 * so addresses can be compared a word at a time. */
static u8 state[HEADER_SIZE + ACCOUNT_SIZE * MAX_ACCOUNTS] __attribute__((aligned(4)));
static u8 batch[HEADER_SIZE + TRANSFER_SIZE * MAX_TRANSFERS] __attribute__((aligned(4)));
static const u8 zero_addr[ADDR_SIZE] __attribute__((aligned(4)));

typedef u32 __attribute__((may_alias, aligned(4))) word;

static void fail(const char *why) __attribute__((noreturn));
static void fail(const char *why)
{
	out_str("rollup: ");
	out_str(why);
	out_nl();
	rt_exit(1);
}

static u32 get32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void put32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

static u64 get64(const u8 *p)
{
	return (u64)get32(p) << 32 | get32(p + 4);
}

static void put64(u8 *p, u64 v)
{
	put32(p, (u32)(v >> 32));
	put32(p + 4, (u32)v);
}

/* 20-byte address equality; a and b must be 4-byte aligned. */
static int addr_eq(const u8 *a, const u8 *b)
{
	const word *x = (const word *)a, *y = (const word *)b;
	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2] && x[3] == y[3] && x[4] == y[4];
}

/* The first of the n accounts with this address, or 0. */
static u8 *find_account(u32 n, const u8 *addr)
{
	u8 *a = state + HEADER_SIZE;
	u32 i;
	for (i = 0; i < n; i++, a += ACCOUNT_SIZE)
		if (addr_eq(a, addr))
			return a;
	return 0;
}

/* Writes the hint `keccak 0x<hash>` (4-byte big-endian length, then the text) to fd 4 and
 * reads the host's acknowledgement from fd 3. */
static void hint_keccak(const u8 hash[32])
{
	static const char hexd[] = "0123456789abcdef";
	static const char prefix[] = "keccak 0x";
	u8 msg[4 + sizeof prefix - 1 + 64], ack;
	u32 n = 0, i;
	for (i = 0; i < sizeof prefix - 1; i++)
		msg[4 + n++] = (u8)prefix[i];
	for (i = 0; i < 32; i++) {
		msg[4 + n++] = (u8)hexd[hash[i] >> 4];
		msg[4 + n++] = (u8)hexd[hash[i] & 15];
	}
	put32(msg, n);
	rt_write_all(FD_HINT, msg, 4 + n);
	rt_read_all(FD_HINT_RESPONSE, &ack, 1);
}

/* Writes key to fd 6 and reads `8-byte big-endian length ‖ data` from fd 5 into buf, which
 * holds cap bytes; returns the length. */
static u32 fetch(const u8 key[32], u8 *buf, u32 cap, const char *too_long)
{
	u8 len_be[8];
	u64 len;
	rt_write_all(FD_PREIMAGE_KEY, key, 32);
	rt_read_all(FD_PREIMAGE, len_be, 8);
	len = get64(len_be);
	if (len > cap)
		fail(too_long);
	rt_read_all(FD_PREIMAGE, buf, (u32)len);
	return (u32)len;
}

/* Local input n, which must be 32 bytes. */
static void fetch_local(u32 n, u8 out[32], const char *bad)
{
	u8 key[32];
	memset(key, 0, 32);
	key[0] = 1;
	put32(key + 28, n);
	if (fetch(key, out, 32, bad) != 32)
		fail(bad);
}

/* The keccak256 pre-image of hash, after a hint, checked to hash back to it. */
static u32 fetch_keccak(const u8 hash[32], u8 *buf, u32 cap, const char *too_long,
			const char *mismatch)
{
	u8 key[32], got[32];
	u32 len;
	hint_keccak(hash);
	memcpy(key, hash, 32);
	key[0] = 2;
	len = fetch(key, buf, cap, too_long);
	keccak256(buf, len, got);
	if (memcmp(got, hash, 32) != 0)
		fail(mismatch);
	return len;
}

/* Applies one transfer to the n accounts; returns 1 if applied, 0 if rejected. */
static int apply(const u8 *t, u32 *n)
{
	const u8 *from_addr = t + T_FROM, *to_addr = t + T_TO;
	u64 amount = get64(t + T_AMOUNT), nonce = get64(t + T_NONCE), from_balance, to_balance;
	u8 *from = find_account(*n, from_addr), *to;

	if (!from || nonce != get64(from + A_NONCE) || amount == 0)
		return 0;
	from_balance = get64(from + A_BALANCE);
	if (amount > from_balance || addr_eq(from_addr, to_addr))
		return 0;
	if (addr_eq(to_addr, zero_addr)) {
		/* withdrawal */
		put64(from + A_BALANCE, from_balance - amount);
		put64(from + A_WITHDRAWN, get64(from + A_WITHDRAWN) + amount);
		put64(from + A_NONCE, nonce + 1);
		return 1;
	}
	to = find_account(*n, to_addr);
	if (to) {
		to_balance = get64(to + A_BALANCE);
		if (to_balance + amount < to_balance)
			return 0; /* to's balance would overflow */
	} else {
		if (*n == MAX_ACCOUNTS)
			return 0; /* no room for a new account */
		to = state + HEADER_SIZE + ACCOUNT_SIZE * *n;
		memcpy(to, to_addr, ADDR_SIZE);
		memset(to + ADDR_SIZE, 0, ACCOUNT_SIZE - ADDR_SIZE);
		to_balance = 0;
		put32(state + 4, ++*n);
	}
	put64(from + A_BALANCE, from_balance - amount);
	put64(from + A_NONCE, nonce + 1);
	put64(to + A_BALANCE, to_balance + amount);
	return 1;
}

int main(void)
{
	u8 prev_root[32], batch_hash[32], claimed[32], root[32];
	u32 state_len, batch_len, n_acc, n_tx = 0, applied = 0, rejected = 0, i;
	int valid;

	fetch_local(1, prev_root, "local input 1 (previous output root) is not 32 bytes");
	state_len = fetch_keccak(prev_root, state, sizeof state, "state longer than the buffer",
				 "state does not hash to the previous output root");
	n_acc = state_len >= HEADER_SIZE ? get32(state + 4) : 0;
	if (state_len < HEADER_SIZE || memcmp(state, "OGSR", 4) != 0 || n_acc > MAX_ACCOUNTS ||
	    state_len != HEADER_SIZE + ACCOUNT_SIZE * n_acc)
		fail("malformed state");

	fetch_local(2, batch_hash, "local input 2 (batch hash) is not 32 bytes");
	batch_len = fetch_keccak(batch_hash, batch, sizeof batch, "batch longer than the buffer",
				 "batch does not hash to the batch hash");
	if (batch_len >= HEADER_SIZE && memcmp(batch, "OGSB", 4) == 0) {
		n_tx = get32(batch + 4);
		if (n_tx > MAX_TRANSFERS || batch_len != HEADER_SIZE + TRANSFER_SIZE * n_tx)
			n_tx = 0; /* malformed: applied as an empty batch */
	}

	fetch_local(3, claimed, "local input 3 (claimed output root) is not 32 bytes");

	for (i = 0; i < n_tx; i++) {
		if (apply(batch + HEADER_SIZE + TRANSFER_SIZE * i, &n_acc))
			applied++;
		else
			rejected++;
	}
	keccak256(state, HEADER_SIZE + ACCOUNT_SIZE * n_acc, root);
	valid = memcmp(root, claimed, 32) == 0;

	out_str("rollup: accounts ");
	out_u32(n_acc);
	out_str(" transfers ");
	out_u32(n_tx);
	out_str(" applied ");
	out_u32(applied);
	out_str(" rejected ");
	out_u32(rejected);
	out_nl();
	out_str("root 0x");
	out_hexbytes(root, 32);
	out_nl();
	out_str("claimed 0x");
	out_hexbytes(claimed, 32);
	out_nl();
	out_str(valid ? "valid\n" : "invalid\n");
	return valid ? 0 : 1;
}
