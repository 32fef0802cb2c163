#!/usr/bin/env bash
# Gives testcontainers a container runtime without a Docker engine: rootful Podman with runc, configured as
# ../../shared/TESTBED.md found necessary, and its Docker-compatible API service listening on a unix socket.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SOCKET="${FLOTILLA_PODMAN_SOCKET:-/run/podman/podman.sock}"
CONF=/etc/containers/containers.conf

install_packages() {
  local missing=()
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || missing+=(runc)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  # The harness makes certificates with openssl; the exit handler removes containers through curl.
  command -v openssl >/dev/null || missing+=(openssl)
  command -v curl >/dev/null || missing+=(curl)
  # The secrets-in-logs test configures a real SSH key for Git credentials.
  command -v ssh-keygen >/dev/null || missing+=(openssh-client)
  if [ "${#missing[@]}" -eq 0 ]; then
    say "cached: podman, runc, debootstrap, openssl, curl and ssh-keygen are installed"
    return
  fi
  say "apt-get install ${missing[*]}"
  local started=$SECONDS
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  record_timing apt-install "$(since "$started")"
}

# Sets, inside their TOML tables, the two keys Podman needs here: no default ulimits (setrlimit is refused in
# this sandbox) and runc (crun fails on hybrid cgroups). Other settings in the file are kept.
configure() {
  if [ -f "$CONF" ] && grep -q '^default_ulimits = \[\]' "$CONF" && grep -q '^runtime = "runc"' "$CONF"; then
    say "cached: $CONF already has default_ulimits = [] and runtime = \"runc\""
    return
  fi
  say "writing default_ulimits = [] and runtime = \"runc\" into $CONF"
  as_root mkdir -p /etc/containers
  { cat "$CONF" 2>/dev/null || true; } | awk '
    function flush_missing() {
      if (section == "containers" && !done_containers) { print "default_ulimits = []"; done_containers = 1 }
      if (section == "engine" && !done_engine) { print "runtime = \"runc\""; done_engine = 1 }
    }
    /^\[[a-z_.]+\][[:space:]]*$/ { section = substr($0, 2, index($0, "]") - 2); print; flush_missing(); next }
    section == "containers" && /^[[:space:]]*default_ulimits[[:space:]]*=/ { next }
    section == "engine" && /^[[:space:]]*runtime[[:space:]]*=/ { next }
    { print }
    END {
      if (!done_containers) { print "[containers]"; print "default_ulimits = []" }
      if (!done_engine) { print "[engine]"; print "runtime = \"runc\"" }
    }' | as_root tee "$CONF.flotilla" >/dev/null
  as_root mv "$CONF.flotilla" "$CONF"
}

api_answers() {
  curl -fsS --max-time 3 --unix-socket "$SOCKET" http://podman/_ping >/dev/null 2>&1
}

start_service() {
  if api_answers; then
    say "cached: the Podman API answers on $SOCKET"
    return
  fi
  local log="$FLOTILLA_CACHE/podman-service.log" started=$SECONDS
  say "starting podman system service on unix://$SOCKET (log: $log)"
  mkdir -p "$FLOTILLA_CACHE"
  as_root mkdir -p "$(dirname "$SOCKET")"
  # setsid + nohup: the service must outlive this script and the shell that ran it.
  as_root setsid nohup podman system service --time=0 "unix://$SOCKET" >"$log" 2>&1 </dev/null &
  for _ in $(seq 1 100); do
    api_answers && { record_timing podman-service-start "$(since "$started")"; return; }
    sleep 0.1
  done
  say "the Podman API did not answer on $SOCKET within 10 s; see $log"
  exit 1
}

install_packages
configure
start_service
