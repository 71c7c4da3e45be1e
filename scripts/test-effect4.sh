#!/usr/bin/env bash
# The Effect 4 edition's tests (vitest 5, @effect/vitest 4) on Node ≥ 22.19 — the machine's, or the
# one scripts/node22.sh installs from the registry — against real podman.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
node22="$(bash "$root/scripts/node22.sh")"
echo "[effect4] $("$node22" --version): packages/effect4"
cd "$root/packages/effect4"
"$node22" node_modules/vitest/vitest.mjs run "$@"
