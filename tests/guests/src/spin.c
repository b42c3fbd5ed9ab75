/* spin: a long run for dispute games over traces of up to 2^30 steps (`ogs trace-report`):
 * 2^27 steps of the LCG x = 1664525 x + 1013904223 (mod 2^32), each value stored to a
 * 256-word ring in memory (so the memory root changes along the run, as a real program's
 * does), about 1.21 billion instructions in all. The final value is checked against the
 * same LCG jumped ahead 2^27 steps by repeated squaring of the affine map (an independent
 * computation), and the ring's last word against it. */
#include "rt.h"

#define LOG_STEPS 27
#define A 1664525u
#define C 1013904223u

static volatile u32 ring[256];

int main(void)
{
	u32 x = 1, i;
	u32 n = 1u << LOG_STEPS;
	for (i = 0; i < n; i++) {
		x = x * A + C;
		ring[i & 255] = x;
	}
	/* Jump ahead: the map x -> a x + c composed with itself 2^LOG_STEPS times. */
	u32 a = A, c = C, k;
	for (k = 0; k < LOG_STEPS; k++) {
		c = a * c + c;
		a = a * a;
	}
	group("lcg");
	check("final", x, a * 1u + c);
	check("ring", ring[(n - 1) & 255], x);
	out_str("x = ");
	out_hex32(x);
	out_nl();
	return rt_finish();
}
