#!/usr/bin/env bash
# Prepares a normal user for rootless podman, so `make test` can run the live tests a second time
# as that user (scripts/test-rootless.sh): the user and its subordinate ids, a runtime dir
# (XDG_RUNTIME_DIR), /dev/net/tun for slirp4netns, the containers.conf override only if rootless
# podman needs it too, and the test images loaded into the user's own storage. Run as root (from
# scripts/setup.sh); idempotent. What it decided is written to .rootless for test-rootless.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
say() { printf '[setup rootless] %s\n' "$*"; }
user=${EFFECT_PODMAN_ROOTLESS_USER:-podtest}

if [ "$(id -u)" != 0 ]; then
  say "not root: this machine's podman is already rootless, so the one run is the rootless run"
  rm -f .rootless
  exit 0
fi

if ! id "$user" >/dev/null 2>&1; then
  say "adding the user $user"
  useradd -m -s /bin/bash "$user"
fi
uid=$(id -u "$user")
# subordinate ids: Debian's useradd adds them; other systems may not
for file in /etc/subuid /etc/subgid; do
  if ! grep -q "^$user:" "$file" 2>/dev/null; then
    say "giving $user subordinate ids in $file"
    flag=$([ "$file" = /etc/subuid ] && echo --add-subuids || echo --add-subgids)
    usermod "$flag" 200000-265535 "$user"
  fi
done
# slirp4netns (rootless networking) opens /dev/net/tun, root-only on some machines
if [ -e /dev/net/tun ] && ! su "$user" -c 'test -r /dev/net/tun -a -w /dev/net/tun'; then
  say "making /dev/net/tun usable by $user (slirp4netns opens it)"
  chmod 666 /dev/net/tun
fi
run_dir=/run/user/$uid
mkdir -p "$run_dir"
chown "$user" "$run_dir"
chmod 700 "$run_dir"

as_user() { su "$user" -s /bin/bash -c "export XDG_RUNTIME_DIR='$run_dir' HOME='$(getent passwd "$user" | cut -d: -f6)'; cd ~ && $1"; }

# A machine that ran the tests before may hold the user's state from then, and podman 4.3 does not
# recover from all of it: a process killed while it held one of podman's shared-memory locks (an
# exec session's conmon lingers 300 s, then runs `podman container cleanup`) leaves that lock held
# for ever, and the next container given it hangs in "Stopping"; a container the database calls
# running whose conmon is gone makes every call fail with "invalid internal status". The user is
# the tests' own, and nothing of it runs between runs: its processes are ended, the lock file goes
# (podman makes a new one), `podman system migrate` resets the rest, what an earlier run left in its
# storage is removed, and `podman system renumber` gives what remains fresh locks.
if pgrep -u "$user" >/dev/null; then
  say "ending what $user still runs from an earlier run: $(pgrep -u "$user" | wc -l) process(es)"
  pkill -KILL -u "$user" || true
  for _ in $(seq 50); do pgrep -u "$user" >/dev/null || break; sleep 0.1; done
fi
rm -f "/dev/shm/libpod_rootless_lock_$uid"
if [[ "$(as_user "podman info >/dev/null" 2>&1 || true)" == *"invalid internal status"* ]]; then
  say "resetting $user's podman (a pause process or container of an earlier run is gone): podman system migrate"
  as_user "podman system migrate >/dev/null"
fi
left=$(as_user "podman ps -aq --external; podman pod ps -q; podman volume ls -q" 2>/dev/null || true)
if [ -n "$left" ]; then
  say "removing what an earlier run left in $user's storage: $(echo $left | wc -w) container(s), pod(s), volume(s)"
  as_user "podman pod rm -af -t 0 >/dev/null; podman ps -aq --external | xargs -r podman rm -f -t 0 >/dev/null; podman volume rm -af >/dev/null" || true
fi
as_user "podman network ls -q | grep -vx podman | xargs -r podman network rm -f >/dev/null" || true
as_user "podman system renumber" >/dev/null 2>&1 || true

# the override, only when rootless podman cannot run a container without it (as for root)
base=localhost/effect-podman-base:latest
test_image=localhost/effect-podman-test:latest
conf=""
for image in "$base" "$test_image"; do
  id=$(podman image inspect --format '{{.Id}}' "$image")
  if [ "$(as_user "podman image inspect --format '{{.Id}}' $image 2>/dev/null" || true)" != "$id" ]; then
    say "loading $image into $user's storage"
    archive=$(mktemp /tmp/effect-podman-image-XXXXXX.tar)
    rm -f "$archive"
    podman save -q -o "$archive" "$image"
    chmod 644 "$archive"
    as_user "podman load -q -i '$archive' >/dev/null"
    rm -f "$archive"
  fi
done
if ! as_user "podman run --rm $base true" >/dev/null 2>&1; then
  conf="$root/test-images/containers.conf"
  if ! as_user "CONTAINERS_CONF='$conf' podman run --rm $base true" >/dev/null 2>&1; then
    say "rootless podman cannot run a container as $user, even with $conf:"
    as_user "CONTAINERS_CONF='$conf' podman run --rm $base true" || true
    exit 1
  fi
  say "rootless podman needs the sandbox override here too: CONTAINERS_CONF=$conf"
fi
printf 'user=%s\nxdg_runtime_dir=%s\ncontainers_conf=%s\n' "$user" "$run_dir" "$conf" >.rootless
info=$(as_user "${conf:+CONTAINERS_CONF='$conf' }podman info --format '{{.Host.CgroupsVersion}} {{.Store.GraphDriverName}} {{.Host.EventLogger}}'" 2>/dev/null)
say "ready: $user (uid $uid), XDG_RUNTIME_DIR=$run_dir, cgroups/storage/events: $info"
