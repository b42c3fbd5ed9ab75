/* oracle: the pre-image oracle ABI as the OP Stack program uses it.
 *
 * - hints: fd 4 gets a 4-byte big-endian length and the hint text, then one byte is read
 *   back from fd 3 (the host's acknowledgement);
 * - pre-images: the 32-byte key is written to fd 6, then `8-byte big-endian length ‖ data`
 *   is read from fd 5. The VM moves at most 4 bytes per call and never across a 4-byte
 *   boundary, so the runtime loops; some keys and buffers are deliberately misaligned.
 *
 * It reads local inputs 1 (a 32-byte root hash), 2 (a big-endian u64) and 3 (text), then
 * follows a chain of keccak256 pre-images from the root: each pre-image's keccak256 is
 * recomputed and must equal the hash it was requested by, and the first 32 bytes of the
 * first pre-image name the next one. Finally the empty pre-image (keccak256("")).
 * The data is in tests/guests/data/oracle.txt; under qemu the fds are files (README.md). */
#include "keccak.h"

#define FD_HINT_RESPONSE 3
#define FD_HINT 4
#define FD_PREIMAGE 5
#define FD_PREIMAGE_KEY 6

static u8 data[512];
static u8 keybuf[40] __attribute__((aligned(4)));

static void hint(const char *text, const u8 *hash)
{
	static u8 msg[128];
	u32 n = strlen(text), i;
	memcpy(msg + 4, text, n);
	if (hash) {
		static const char hexd[] = "0123456789abcdef";
		msg[4 + n++] = ' ';
		msg[4 + n++] = '0';
		msg[4 + n++] = 'x';
		for (i = 0; i < 32; i++) {
			msg[4 + n++] = (u8)hexd[hash[i] >> 4];
			msg[4 + n++] = (u8)hexd[hash[i] & 15];
		}
	}
	msg[0] = (u8)(n >> 24);
	msg[1] = (u8)(n >> 16);
	msg[2] = (u8)(n >> 8);
	msg[3] = (u8)n;
	rt_write_all(FD_HINT, msg, n + 4);
	{
		u8 ack;
		rt_read_all(FD_HINT_RESPONSE, &ack, 1);
	}
	out_str("hint: ");
	out_mem(msg + 4, n);
	out_nl();
}

/* Requests the pre-image of key (32 bytes, copied to keybuf + misalign) into data + dmis;
 * returns its length. */
static u32 fetch(const u8 *key, u32 misalign, u32 dmis)
{
	u8 len_be[8];
	u32 len, i;
	memcpy(keybuf + misalign, key, 32);
	rt_write_all(FD_PREIMAGE_KEY, keybuf + misalign, 32);
	rt_read_all(FD_PREIMAGE, len_be, 8);
	for (i = 0; i < 4; i++)
		if (len_be[i]) {
			out_str("FAIL: pre-image longer than 4 GiB\n");
			rt_exit(1);
		}
	len = (u32)len_be[4] << 24 | (u32)len_be[5] << 16 | (u32)len_be[6] << 8 | len_be[7];
	if (len > sizeof data - dmis) {
		out_str("FAIL: pre-image too long: ");
		out_u32(len);
		out_nl();
		rt_exit(1);
	}
	rt_read_all(FD_PREIMAGE, data + dmis, len);
	return len;
}

static void local_key(u8 key[32], u32 index)
{
	memset(key, 0, 32);
	key[0] = 1;
	key[28] = (u8)(index >> 24);
	key[29] = (u8)(index >> 16);
	key[30] = (u8)(index >> 8);
	key[31] = (u8)index;
}

static void keccak_key(u8 key[32], const u8 hash[32])
{
	memcpy(key, hash, 32);
	key[0] = 2;
}

static void out_text(const u8 *p, u32 n)
{
	u32 i;
	out_char('"');
	for (i = 0; i < n; i++)
		out_char(p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.');
	out_char('"');
}

/* Fetches the keccak256 pre-image of hash and checks it hashes back; returns its length. */
static u32 fetch_keccak(const char *name, const u8 hash[32], u32 misalign, u32 dmis)
{
	u8 key[32], got[32];
	u32 len;
	keccak_key(key, hash);
	len = fetch(key, misalign, dmis);
	keccak256(data + dmis, len, got);
	out_str(name);
	out_str(": len=");
	out_u32(len);
	out_str(" keccak256=");
	out_hexbytes(got, 32);
	out_nl();
	check_mem(name, got, hash, 32);
	return len;
}

int main(void)
{
	u8 key[32], root[32], next[32];
	u32 len;

	group("local");
	hint("ogs-test local-inputs", 0);
	local_key(key, 1);
	len = fetch(key, 0, 0);
	check("local1-len", len, 32);
	memcpy(root, data, 32);
	out_str("local 1 (root): ");
	out_hexbytes(root, 32);
	out_nl();

	local_key(key, 2);
	len = fetch(key, 1, 3); /* misaligned key and buffer */
	check("local2-len", len, 8);
	out_str("local 2 (u64): 0x");
	out_hexbytes(data + 3, 8);
	out_nl();
	check("local2-hi", (u32)data[3] << 24 | (u32)data[4] << 16 | (u32)data[5] << 8 | data[6], 0x01234567);
	check("local2-lo", (u32)data[7] << 24 | (u32)data[8] << 16 | (u32)data[9] << 8 | data[10], 0x89abcdef);

	local_key(key, 3);
	len = fetch(key, 2, 1);
	check("local3-len", len, 25);
	out_str("local 3 (text): ");
	out_text(data + 1, len);
	out_nl();
	check_mem("local3", data + 1, "ogs fpvm oracle test data", 25);

	group("keccak");
	hint("ogs-test keccak", root);
	len = fetch_keccak("node", root, 3, 2);
	check("node-len", len >= 32, 1);
	memcpy(next, data + 2, 32);
	out_str("node text: ");
	out_text(data + 34, len - 32);
	out_nl();

	hint("ogs-test keccak", next);
	len = fetch_keccak("leaf", next, 0, 0);
	out_str("leaf text: ");
	out_text(data, len);
	out_nl();

	keccak256(0, 0, next);
	len = fetch_keccak("empty", next, 0, 0);
	check("empty-len", len, 0);

	return rt_finish();
}
