#!/usr/bin/env bash
# Guest programs for the fault-proof VM: installs the MIPS cross toolchain and qemu if they
# are missing, then checks that tests/guests/bin/*.elf are exactly what the sources build to.
# (The comparison of our VM with qemu runs in `cargo test --test integration fpvm_guests::`, which needs
# the qemu-mips this script installs.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v mips-linux-gnu-gcc >/dev/null || ! command -v qemu-mips >/dev/null; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	apt-get install -y gcc-mips-linux-gnu qemu-user
fi

tests/guests/build.sh --check
