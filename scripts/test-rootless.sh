#!/usr/bin/env bash
# The live tests of both editions a second time, as the normal user scripts/setup-rootless.sh
# prepared (rootless podman: its own storage, runtime dir, slirp4netns networking, and here cgroup
# v1, where podman refuses pause and stats — the tests assert that refusal). Unit and model tests
# do not depend on the user and run once, as root. Files that need root to set up their scene are
# left out: test/live/gpu.test.ts writes CDI specs into /etc/cdi.
# Vitest keeps its caches in the user's runtime dir (the checkout belongs to root).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -s "$root/.rootless" ]; then
  echo "[rootless] no rootless user prepared (scripts/setup-rootless.sh runs as root): the run above was the only one"
  exit 0
fi
user=$(sed -n 's/^user=//p' "$root/.rootless")
run_dir=$(sed -n 's/^xdg_runtime_dir=//p' "$root/.rootless")
conf=$(sed -n 's/^containers_conf=//p' "$root/.rootless")
node22="$(bash "$root/scripts/node22.sh")"
as_user() {
  su "$user" -s /bin/bash -c "export XDG_RUNTIME_DIR='$run_dir' ${conf:+CONTAINERS_CONF='$conf'}; cd '$1' && $2"
}

echo "[rootless] as $user (XDG_RUNTIME_DIR=$run_dir): the Effect 3 edition's live tests and contract"
live3=$(cd "$root/packages/podman" && ls test/live/*.test.ts | grep -v '/gpu.test.ts$' | sed 's|^|packages/podman/|' | tr '\n' ' ')
as_user "$root" "npx vitest run --configLoader runner --project effect-podman $live3 packages/podman/test/contract/podman.test.ts packages/podman/test/contract/podmanApi.test.ts packages/podman/test/contract/testRuntime.test.ts"
effect3=$?
echo "[rootless] as $user: PodmanTest (Effect 3), its service's socket under XDG_RUNTIME_DIR"
as_user "$root" "npx vitest run --configLoader runner --project effect-podman-vitest" || effect3=1

echo "[rootless] as $user: the Effect 4 edition's contract (three layers), live tests and the cross-edition scenarios (six layers)"
as_user "$root/packages/effect4" "'$node22' node_modules/vitest/vitest.mjs run --configLoader runner --no-cache --fsModuleCachePath '$run_dir/vitest-cache' test/contract.test.ts test/live.test.ts test/leftovers.test.ts test/layers.test.ts test/nativeCreate.test.ts test/crossEdition.test.ts"
effect4=$?
echo "[rootless] as $user: PodmanTest (Effect 4)"
as_user "$root/packages/vitest4" "'$node22' node_modules/vitest/vitest.mjs run --configLoader runner --no-cache --fsModuleCachePath '$run_dir/vitest-cache'" || effect4=1

# nothing the tests made is left in the user's storage
left=$(as_user "$root" "podman ps -a --external --format '{{.Names}}'; podman pod ps --format '{{.Name}}'; podman volume ls -q; podman network ls -q | grep -vx podman" 2>/dev/null
  pgrep -u "$user" -a -f 'podman system service' || true)
if [ -n "$left" ]; then
  echo "[rootless] left behind in $user's storage:"
  echo "$left"
  exit 1
fi
# What podman itself leaves running as the user goes too: its pause process (it holds the user's
# namespace between calls) and the conmons of finished exec sessions, which linger 300 s and then
# run `podman container cleanup` for containers already gone (killed later, by the end of a session,
# that cleanup could leave one of podman's locks held for the next run)
pkill -KILL -u "$user" || true
[ "$effect3" -eq 0 ] && [ "$effect4" -eq 0 ]
