#!/usr/bin/env bash
# Every test: the Effect 4 edition's (vitest 5 on Node ≥ 22.19, scripts/test-effect4.sh), then the
# workspace's (vitest 3 on the machine's Node: the Effect 3 edition, its helpers, the shared logic,
# the examples), then both editions' live tests as a normal user on rootless podman
# (scripts/test-rootless.sh). Each runs whatever the others did; the last line adds them up in the plain
# `vitest: N passed, N failed` form CI reads, and the exit status fails when either failed.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
log="$root/packages/podman/build/test-output.log"
mkdir -p "$(dirname "$log")"
# what exists in root's podman before the tests (on a workstation, the user's own) is theirs; what
# exists after and not before, the tests left
snapshot() {
  { podman ps -a --external --format 'container {{.ID}} {{.Names}}'; podman pod ps --format 'pod {{.Name}}'
    podman volume ls --format 'volume {{.Name}}'; podman network ls --format 'network {{.Name}}'
    pgrep -f '^(/usr/bin/)?podman( .*)? system service' | sed 's/^/podman system service, pid /'; } 2>/dev/null | sort
}
before=$(snapshot)
bash "$root/scripts/test-effect4.sh" 2>&1 | tee "$log"
effect4=${PIPESTATUS[0]}
(cd "$root" && pnpm run test) 2>&1 | tee -a "$log"
workspace=${PIPESTATUS[0]}
left=$(comm -13 <(echo "$before") <(snapshot))
if [ -n "$left" ]; then
  echo "left behind in root's podman by the tests:"
  echo "$left"
  workspace=1
fi
# the live tests again as a normal user, on rootless podman (when setup prepared one)
bash "$root/scripts/test-rootless.sh" 2>&1 | tee -a "$log"
rootless=${PIPESTATUS[0]}
node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter((l) => /^vitest: \d+ passed/.test(l))
  const sum = { passed: 0, failed: 0, skipped: 0 }
  for (const line of lines) for (const key of Object.keys(sum)) sum[key] += Number(new RegExp(`(\\d+) ${key}`).exec(line)?.[1] ?? 0)
  console.log(`\n(Effect 4 edition, workspace, and the live tests rootless: ${lines.length} runs)`)
  console.log(`vitest: ${sum.passed} passed, ${sum.failed} failed${sum.skipped > 0 ? `, ${sum.skipped} skipped` : ""}`)
' "$log"
[ "$effect4" -eq 0 ] && [ "$workspace" -eq 0 ] && [ "$rootless" -eq 0 ]
