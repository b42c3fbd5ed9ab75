/* hello: the smallest guest — prints one line and exits 0. Checks the runtime itself:
 * _start, buffered write(4004) to stdout and exit_group(4246). */
#include "rt.h"

int main(void)
{
	out_str("hello from the fpvm guest runtime\n");
	return 0;
}
