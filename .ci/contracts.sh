#!/usr/bin/env bash
# Solidity contracts: installs the pinned solc-js (contracts/package-lock.json) and checks that
# contracts/artifacts/ is exactly what contracts/src/ compiles to (one standard-JSON call, the
# settings recorded in contracts/artifacts/build-info.json). Fails on any compiler warning.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../contracts"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	apt-get install -y nodejs npm
fi

npm ci --no-audit --no-fund
node build.js --check
