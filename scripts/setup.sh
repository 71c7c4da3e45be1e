#!/usr/bin/env bash
# Prepares a fresh machine for `make test` / `make demo`: pnpm, node modules, podman, the sandbox
# containers.conf override (only when podman cannot run a container without it), and the local
# test images. Idempotent: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
say() { printf '[setup] %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v podman >/dev/null 2>&1; then
  say "installing podman from Debian packages"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc catatonit busybox-static >/dev/null
fi
if ! command -v busybox >/dev/null 2>&1; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
fi
# a container registry for the image tests (they start it on loopback and stop it after)
if ! command -v docker-registry >/dev/null 2>&1; then
  say "installing docker-registry (the image tests run one on loopback)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry >/dev/null
fi

if ! command -v pnpm >/dev/null 2>&1; then
  say "installing pnpm 10"
  npm install -g pnpm@10 >/dev/null
fi
if [ ! -d node_modules/.pnpm ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  say "pnpm install --frozen-lockfile"
  pnpm install --frozen-lockfile --reporter=silent
fi

# The base image: the static busybox binary and its applets, imported without a registry.
base=localhost/effect-podman-base:latest
if ! podman image exists "$base"; then
  say "building $base from busybox"
  dir=$(mktemp -d)
  mkdir -p "$dir/rootfs/bin" "$dir/rootfs/tmp" "$dir/rootfs/etc" "$dir/rootfs/www"
  cp "$(command -v busybox)" "$dir/rootfs/bin/busybox"
  for applet in sh echo sleep cat ls true false env printf seq head tail wc mkdir rm id httpd yes date hostname; do
    ln -s busybox "$dir/rootfs/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$dir/rootfs/etc/passwd"
  echo 'root:x:0:' >"$dir/rootfs/etc/group"
  tar -C "$dir/rootfs" -cf "$dir/base.tar" .
  podman import -q --change 'CMD ["/bin/sh"]' "$dir/base.tar" "$base" >/dev/null
  rm -rf "$dir"
fi

# A sandbox without CAP_SYS_RESOURCE (this kind of machine) cannot raise rlimits, and crun refuses
# hybrid cgroups: detect that, and only then point podman at the project's containers.conf.
if ! podman run --rm "$base" true >/dev/null 2>&1; then
  export CONTAINERS_CONF="$root/test-images/containers.conf"
  if podman run --rm "$base" true >/dev/null 2>&1; then
    say "podman needs the sandbox override here: using CONTAINERS_CONF=$CONTAINERS_CONF"
    echo "$CONTAINERS_CONF" >"$root/.containers-conf"
  else
    say "podman cannot run a container, even with $CONTAINERS_CONF:"
    podman run --rm "$base" true || true
    exit 1
  fi
else
  rm -f "$root/.containers-conf"
fi

# The richer test image: labels, several history steps and a CMD, built offline on the base.
test_image=localhost/effect-podman-test:latest
if ! podman image exists "$test_image" || [ test-images/Containerfile -nt .test-image-stamp ]; then
  say "building $test_image"
  podman build -q -t "$test_image" -f test-images/Containerfile test-images >/dev/null
  touch .test-image-stamp
fi
say "ready: podman $(podman --version | awk '{print $3}'), images $base $test_image"
# a normal user for the rootless run of the live tests (as root only; see the script)
bash scripts/setup-rootless.sh
