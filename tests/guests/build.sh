#!/usr/bin/env bash
# Rebuilds every guest program src/NAME.c into bin/NAME.elf, reproducibly.
#
#   tests/guests/build.sh           rebuild bin/*.elf (and bin/TOOLCHAIN) in place
#   tests/guests/build.sh --check   rebuild into a temporary directory and fail if any
#                                   committed ELF differs, is missing or is stale
#
# Every ELF is also disassembled and checked to contain only instructions of the Cannon
# instruction set (docs: tests/guests/README.md, docs/fpvm.md).
# Needs Debian's gcc-mips-linux-gnu (binutils-mips-linux-gnu comes with it).
set -euo pipefail
export LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=0

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

CC=mips-linux-gnu-gcc
OBJDUMP=mips-linux-gnu-objdump

mode=build
case "${1:-}" in
"") ;;
--check) mode=check ;;
*) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

for tool in "$CC" "$OBJDUMP"; do
	if ! command -v "$tool" >/dev/null; then
		echo "build.sh: $tool not found; install Debian's gcc-mips-linux-gnu" >&2
		exit 1
	fi
done

# The flags of docs/fpvm.md, plus what a runtime-less freestanding build needs.
# No -g: no debug info, so no paths; -ffile-prefix-map covers anything that slips through.
CFLAGS=(
	-march=mips32 -msoft-float -mno-abicalls -fno-pic -G0 -static -nostdlib
	-mno-check-zero-division -mno-imadd
	-O2 -std=gnu11 -ffreestanding -fno-stack-protector -fno-ident
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-tree-loop-distribute-patterns
	-ffunction-sections -fdata-sections
	-ffile-prefix-map="$here"=.
	-Wall -Wextra -Werror
	-Irt
)
LDFLAGS=(-Wl,-T,link.ld -Wl,--build-id=none -Wl,--gc-sections -Wl,--hash-style=sysv)
RT=(rt/crt0.S rt/rt.c rt/keccak.c)

# The instruction list of fpvm.md, as objdump -M no-aliases spells the mnemonics.
ALLOWED=" add addi addiu addu and andi beq bgez bgtz blez bltz bne bgezal clo clz div divu
 j jal jalr jr lb lbu lh lhu ll lui lw lwl lwr mfhi mflo movn movz mthi mtlo mul mult multu
 nor or ori sb sc sh sll sllv slt slti sltiu sltu sra srav srl srlv sub subu sw swl swr sync
 syscall xor xori "
ALLOWED="${ALLOWED//$'\n'/ }"

if [[ $mode == check ]]; then
	out="$(mktemp -d)"
	trap 'rm -rf "$out"' EXIT
else
	out=bin
	mkdir -p bin
fi

toolchain() {
	"$CC" --version | head -n1
	mips-linux-gnu-ld --version | head -n1
}
toolchain >"$out/TOOLCHAIN"

status=0
mapfile -t srcs < <(ls src/*.c | sort)
for src in "${srcs[@]}"; do
	name="$(basename "$src" .c)"
	elf="$out/$name.elf"
	"$CC" "${CFLAGS[@]}" "${LDFLAGS[@]}" -o "$elf" "${RT[@]}" "$src"
	# Every instruction must be one the VM runs.
	bad="$("$OBJDUMP" -d -M no-aliases "$elf" |
		awk -F'\t' 'NF >= 3 && $1 ~ /^ *[0-9a-f]+:$/ {
			m = $3; if (m == "negu") m = "subu"; if (m == "neg") m = "sub"; print m }' |
		sort -u | while read -r m; do
			[[ $ALLOWED == *" $m "* ]] || echo "$m"
		done)"
	if [[ -n $bad ]]; then
		echo "build.sh: $name.elf uses instructions outside the Cannon set:" $bad >&2
		status=1
	fi
done

if [[ $mode == check ]]; then
	for f in "$out"/*.elf; do
		b="$(basename "$f")"
		if [[ ! -f bin/$b ]]; then
			echo "build.sh --check: bin/$b is missing (run tests/guests/build.sh)" >&2
			status=1
		elif ! cmp -s "$f" "bin/$b"; then
			echo "build.sh --check: bin/$b differs from a fresh build (run tests/guests/build.sh)" >&2
			status=1
		fi
	done
	for f in bin/*.elf; do
		[[ -e $f ]] || continue
		if [[ ! -f $out/$(basename "$f") ]]; then
			echo "build.sh --check: $f has no source src/$(basename "$f" .elf).c" >&2
			status=1
		fi
	done
	if [[ $status != 0 ]] && ! cmp -s "$out/TOOLCHAIN" bin/TOOLCHAIN; then
		echo "build.sh --check: note: this toolchain ($(head -n1 "$out/TOOLCHAIN")) is not the one" \
			"that built bin/ (bin/TOOLCHAIN); byte-identical ELFs need the same gcc/binutils" >&2
	fi
	[[ $status == 0 ]] && echo "build.sh --check: ${#srcs[@]} guest ELFs are up to date"
else
	# Remove ELFs whose source is gone.
	for f in bin/*.elf; do
		[[ -e $f ]] || continue
		[[ -f src/$(basename "$f" .elf).c ]] || rm -f "$f"
	done
	[[ $status == 0 ]] && echo "build.sh: built ${#srcs[@]} guest ELFs into tests/guests/bin"
fi
exit $status
