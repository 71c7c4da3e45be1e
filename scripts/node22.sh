#!/usr/bin/env bash
# Prints the path of a Node ≥ 22.19 for the Effect 4 edition (effect 4 needs it): the machine's
# `node` when it is new enough, else the registry's `node` package (`npm install node@22`) kept in
# .tools/node22 — installed on first use.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
recent() { "$1" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 19) ? 0 : 1)' 2>/dev/null; }
if command -v node >/dev/null 2>&1 && recent node; then command -v node; exit 0; fi
local_node="$root/.tools/node22/node_modules/node/bin/node"
if [ ! -x "$local_node" ] || ! recent "$local_node"; then
  echo "[node22] installing Node 22 from the registry's node package into .tools/node22" >&2
  mkdir -p "$root/.tools/node22"
  (cd "$root/.tools/node22" && echo '{ "name": "node22", "private": true }' > package.json \
    && npm install --no-audit --no-fund --loglevel=error node@22 >&2)
fi
recent "$local_node" || { echo "[node22] no Node >= 22.19 at $local_node" >&2; exit 1; }
echo "$local_node"
