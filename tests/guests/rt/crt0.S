/* Entry point of every guest program.
 *
 * Cannon starts with $sp = 0x7fffd000 and every other register 0; Linux (qemu-mips) starts
 * with $sp pointing at argc. Neither value is printed or relied on: we only reserve the o32
 * argument save area (16 bytes, rounded up to 32 to keep 8-byte alignment), call main() and
 * hand its return value to rt_exit(), which flushes stdout and calls exit_group(4246).
 */
	.set	noreorder
	.set	nomacro
	.text
	.globl	_start
	.type	_start, @function
	.ent	_start
_start:
	addiu	$sp, $sp, -32
	move	$ra, $zero
	jal	main
	nop
	jal	rt_exit
	move	$a0, $v0		/* delay slot: exit code = main's result */
1:	b	1b			/* rt_exit never returns */
	nop
	.end	_start
	.size	_start, .-_start

/* u32 rt_mmap(addr, len, prot, flags, fd, off): o32 passes the 5th and 6th arguments at
 * 16($sp) and 20($sp) of the caller's frame, which is exactly where the kernel reads them,
 * so the stub only issues the syscall. Returns v0, or -errno if $a3 reports an error. */
	.globl	rt_mmap
	.type	rt_mmap, @function
	.ent	rt_mmap
rt_mmap:
	li	$v0, 4090
	syscall
	beq	$a3, $zero, 2f
	nop
	li	$t0, -1
	bne	$v0, $t0, 1f		/* Linux: v0 = errno */
	nop
	move	$v0, $a3		/* Cannon: v0 = -1, a3 = errno */
1:	subu	$v0, $zero, $v0
2:	jr	$ra
	nop
	.end	rt_mmap
	.size	rt_mmap, .-rt_mmap
