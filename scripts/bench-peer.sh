#!/usr/bin/env bash
# Installs the peer of the time-to-ready bench row: testcontainers-node 12.2 on Node 22 (the
# registry's `node` package; this machine's Node is 20), in packages/podman/bench/peer. Without it
# `pnpm bench` leaves the peer row out and says so.
set -euo pipefail
cd "$(dirname "$0")/../packages/podman/bench/peer"
npm install --no-audit --no-fund --no-package-lock >/dev/null
echo "[bench-peer] ready: $(./node_modules/.bin/node --version), testcontainers $(node -p "require('./node_modules/testcontainers/package.json').version")"
