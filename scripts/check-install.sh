#!/usr/bin/env bash
# The install a new user does, tested: a scratch project runs the two `pnpm add` lines of
# docs/guide.md exactly, with the packed tarballs of effect-podman and effect-podman-vitest in place
# of their names (and effect-podman-shared, their dependency, resolved to its tarball too), then
# runs the README's test (examples/scoped.test.ts) against real podman and
# imports every entry of the exports map. Needs `pnpm run build` first, and podman with the test image.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
say() { echo "[check-install] $*"; }

# runs the documented `pnpm add` lines in the current folder, each package name in $2… given as
# NAME=TARBALL (the longer names first: effect-podman-vitest before effect-podman)
install_documented() {
  local -n documented=$1
  shift
  for line in "${documented[@]}"; do
    local command="$line"
    for pair in "$@"; do command="${command/${pair%%=*} /${pair#*=} }"; done
    say "$line"
    # shellcheck disable=SC2086 # the documented line, split as a shell would
    $command --prefer-offline --reporter=silent
  done
}

# imports every entry of the installed package's exports map with the given node
imports_every_entry() {
  "$1" --input-type=module -e "
    import { readFileSync } from 'node:fs'
    const { exports } = JSON.parse(readFileSync('node_modules/$2/package.json', 'utf8'))
    for (const entry of Object.keys(exports).filter((e) => !e.endsWith('.json'))) await import(entry === '.' ? '$2' : '$2' + entry.slice(1))
    console.log('[check-install] every entry of $2\'s exports map imports (Node ' + process.version + ')')
  "
}

scratch="$(mktemp -d /tmp/effect-podman-install-XXXXXX)"
trap 'rm -rf "$scratch"' EXIT

# the documented lines, as written (one source of truth: docs/guide.md's first sh block)
mapfile -t lines < <(awk '/^```sh$/{inside=1; next} /^```$/{if (inside) exit} inside' "$root/docs/guide.md")
if [ "${#lines[@]}" -ne 2 ] || [[ "${lines[0]}" != "pnpm add effect-podman "* ]] || [[ "${lines[1]}" != "pnpm add -D effect-podman-vitest "* ]]; then
  say "docs/guide.md's install block is not the two expected 'pnpm add' lines: ${lines[*]}" >&2
  exit 1
fi

mkdir -p "$scratch/packs"
for package in shared podman vitest; do
  (cd "$root/packages/$package" && pnpm pack --pack-destination "$scratch/packs" >/dev/null)
done
podman_tgz="$(ls "$scratch"/packs/effect-podman-[0-9]*.tgz)"
vitest_tgz="$(ls "$scratch"/packs/effect-podman-vitest-*.tgz)"
shared_tgz="$(ls "$scratch"/packs/effect-podman-shared-*.tgz)"

cd "$scratch"
# from the registry effect-podman's dependency on effect-podman-shared resolves by itself; here the
# tarball stands in for it
echo "{ \"name\": \"scratch\", \"private\": true, \"type\": \"module\", \"pnpm\": { \"overrides\": { \"effect-podman-shared\": \"file:$shared_tgz\" } } }" > package.json
install_documented lines "effect-podman-vitest=$vitest_tgz" "effect-podman=$podman_tgz"

# the pins hold: Effect 3, not the registry's latest
for pin in "effect 3.22." "@effect/platform 0.97." "@effect/platform-node 0.108." "@effect/vitest 0.30." "vitest 3.2."; do
  set -- $pin
  version="$(node -p "require('./node_modules/$1/package.json').version")"
  if [[ "$version" != "$2"* ]]; then say "$1 $version installed, $2x documented" >&2; exit 1; fi
done

# every module of the exports map imports, from the installed package (effect-podman-vitest
# imports vitest's runtime: the test below imports it)
imports_every_entry node effect-podman

# the README's test, as a user would have it
cp "$root/examples/scoped.test.ts" .
./node_modules/.bin/vitest run --reporter=dot scoped.test.ts
say "ok: the documented install runs the README's test"

# The Effect 4 edition, as docs/effect4.md says to install it: next to effect@4 with pnpm's strict
# peer dependencies (a peer conflict fails the install), every exports entry imported and the
# quickstart run, on Node ≥ 22.19 (scripts/node22.sh)
node22="$(bash "$root/scripts/node22.sh")"
mapfile -t lines4 < <(awk '/^```sh$/{inside=1; next} /^```$/{if (inside) exit} inside' "$root/docs/effect4.md")
if [ "${#lines4[@]}" -ne 2 ] || [[ "${lines4[0]}" != "pnpm add effect-podman-4 "* ]] || [[ "${lines4[1]}" != "pnpm add -D effect-podman-vitest-4 "* ]]; then
  say "docs/effect4.md's install block is not the two expected 'pnpm add' lines: ${lines4[*]}" >&2
  exit 1
fi
for package in effect4 vitest4; do
  (cd "$root/packages/$package" && pnpm pack --pack-destination "$scratch/packs" >/dev/null)
done
effect4_tgz="$(ls "$scratch"/packs/effect-podman-4-*.tgz)"
vitest4_tgz="$(ls "$scratch"/packs/effect-podman-vitest-4-*.tgz)"
mkdir -p "$scratch/effect4" && cd "$scratch/effect4"
echo "{ \"name\": \"scratch4\", \"private\": true, \"type\": \"module\", \"pnpm\": { \"overrides\": { \"effect-podman-shared\": \"file:$shared_tgz\", \"effect-podman-4\": \"file:$effect4_tgz\" } } }" > package.json
echo "strict-peer-dependencies=true" > .npmrc
install_documented lines4 "effect-podman-vitest-4=$vitest4_tgz" "effect-podman-4=$effect4_tgz"
version="$(node -p "require('./node_modules/effect/package.json').version")"
if [[ "$version" != 4.1.* ]]; then say "effect $version installed next to effect-podman-4, 4.1.x documented" >&2; exit 1; fi
imports_every_entry "$node22" effect-podman-4
cp "$root/packages/effect4/examples/quickstart.ts" .
"$node22" quickstart.ts
# a test as a user writes it, on the installed helpers
sed 's|"../src/index.js"|"effect-podman-vitest-4"|' "$root/packages/vitest4/test/PodmanTest.test.ts" > podman.test.ts
"$node22" node_modules/vitest/vitest.mjs run --reporter=dot podman.test.ts
say "ok: the Effect 4 edition installs next to effect@4, runs its quickstart and a PodmanTest test"
