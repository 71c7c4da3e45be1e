#!/usr/bin/env bash
# The Effect 4 edition's quickstart (packages/effect4/examples/quickstart.ts) on Node ≥ 22.19.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
node22="$(bash "$root/scripts/node22.sh")"
cd "$root/packages/effect4"
"$node22" --import tsx examples/quickstart.ts
