#!/usr/bin/env bash
# A private Docker daemon for the integration tests (and for scripts): its own socket, data root,
# exec root and pidfile under DIR, no docker0 bridge (--bridge=none), and a tiny image made with
# `docker import` from a busybox-static root filesystem (no registry needed).
#
#   test-dockerd.sh check         exit 0 if dockerd, docker, busybox (static) and root are present,
#                                 else print what is missing and exit 3
#   test-dockerd.sh start DIR     start the daemon, wait for it, import fleetpulse-busybox:1;
#                                 prints DOCKER_HOST=unix://DIR/d.sock
#   test-dockerd.sh kill DIR      stop only the daemon (state kept), by the PID in DIR/dockerd.pid
#   test-dockerd.sh resume DIR    start the daemon again on the same state and wait for it
#   test-dockerd.sh stop DIR      leave Swarm, remove all containers, stop the daemon, delete the
#                                 docker_gwbridge bridge Swarm creates, remove DIR's state
#
# Needs (Debian): docker.io busybox-static iproute2; run as root. Keep DIR short (unix socket paths
# are limited to 107 bytes and containerd nests its sockets below the exec root).
set -euo pipefail

IMAGE=fleetpulse-busybox:1
cmd=${1:-}
dir=${2:-}

die() { echo "test-dockerd: $*" >&2; exit 1; }

check() {
  local missing=()
  command -v dockerd >/dev/null || missing+=("dockerd (Debian package docker.io)")
  command -v docker >/dev/null || missing+=("docker CLI (Debian package docker.io)")
  local bb
  bb=$(command -v busybox || true)
  if [[ -z $bb ]]; then
    missing+=("busybox (Debian package busybox-static)")
  elif ! file_is_static "$bb"; then
    missing+=("a statically linked busybox (Debian package busybox-static; found a dynamic one)")
  fi
  [[ $(id -u) -eq 0 ]] || missing+=("root (dockerd needs it)")
  if ((${#missing[@]})); then
    local IFS=','
    echo "test-dockerd: missing: ${missing[*]}" >&2
    exit 3
  fi
}

file_is_static() {
  # ldd fails with "not a dynamic executable" for a static binary
  ! ldd "$1" >/dev/null 2>&1
}

dockercli() { docker -H "unix://$dir/d.sock" "$@"; }

wait_ready() {
  for _ in $(seq 1 120); do
    if dockercli version --format '{{.Server.APIVersion}}' >/dev/null 2>&1; then return 0; fi
    if [[ -f $dir/dockerd.pid ]] && ! kill -0 "$(cat "$dir/dockerd.pid")" 2>/dev/null; then
      tail -20 "$dir/dockerd.log" >&2 || true
      die "dockerd exited during start-up (log: $dir/dockerd.log)"
    fi
    sleep 0.25
  done
  tail -20 "$dir/dockerd.log" >&2 || true
  die "dockerd did not answer on unix://$dir/d.sock within 30 s"
}

start_daemon() {
  mkdir -p "$dir/data" "$dir/exec"
  rm -f "$dir/d.sock"
  setsid dockerd --host "unix://$dir/d.sock" --data-root "$dir/data" --exec-root "$dir/exec" \
    --pidfile "$dir/dockerd.pid" --bridge=none >>"$dir/dockerd.log" 2>&1 </dev/null &
  wait_ready
}

kill_daemon() {
  [[ -f $dir/dockerd.pid ]] || return 0
  local pid
  pid=$(cat "$dir/dockerd.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$dir/dockerd.pid"
}

build_image() {
  local root=$dir/rootfs bb
  bb=$(command -v busybox)
  rm -rf "$root"
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/proc" "$root/sys" "$root/dev"
  cp "$bb" "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [[ $applet == busybox ]] || ln -sf busybox "$root/bin/$applet"
  done
  tar -C "$root" -cf "$dir/rootfs.tar" .
  dockercli import -c 'CMD ["/bin/sh"]' "$dir/rootfs.tar" "$IMAGE" >/dev/null
}

case $cmd in
  check) check ;;
  start)
    [[ -n $dir ]] || die "usage: $0 start DIR"
    check
    dir=$(mkdir -p "$dir" && cd "$dir" && pwd)
    start_daemon
    build_image
    echo "DOCKER_HOST=unix://$dir/d.sock"
    ;;
  kill)
    [[ -n $dir ]] || die "usage: $0 kill DIR"
    kill_daemon
    ;;
  resume)
    [[ -n $dir ]] || die "usage: $0 resume DIR"
    start_daemon
    ;;
  stop)
    [[ -n $dir ]] || die "usage: $0 stop DIR"
    if [[ -f $dir/dockerd.pid ]] && kill -0 "$(cat "$dir/dockerd.pid")" 2>/dev/null; then
      dockercli swarm leave --force >/dev/null 2>&1 || true
      ids=$(dockercli ps -aq 2>/dev/null || true)
      [[ -z $ids ]] || dockercli rm -f $ids >/dev/null 2>&1 || true
    fi
    kill_daemon
    ip link show docker_gwbridge >/dev/null 2>&1 && ip link delete docker_gwbridge || true
    # overlay mounts left behind by a killed daemon would make rm fail
    grep -o " $dir/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    rm -rf "$dir/data" "$dir/exec" "$dir/rootfs" "$dir/rootfs.tar" "$dir/d.sock"
    ;;
  *) die "usage: $0 check | start DIR | kill DIR | resume DIR | stop DIR" ;;
esac
