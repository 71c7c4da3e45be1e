#!/usr/bin/env bash
# The Effect 4 edition's tests and its vitest helpers' (vitest 5, @effect/vitest 4) on Node ≥ 22.19
# — the machine's, or the one scripts/node22.sh installs from the registry — against real podman.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
node22="$(bash "$root/scripts/node22.sh")"
status=0
for package in effect4 vitest4; do
  echo "[effect4] $("$node22" --version): packages/$package"
  (cd "$root/packages/$package" && "$node22" node_modules/vitest/vitest.mjs run "$@") || status=1
done
exit $status
