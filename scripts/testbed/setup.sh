#!/usr/bin/env bash
# Installs and starts the integration test bed on a fresh Debian machine: Podman (the container runtime
# testcontainers talks to), the Redis image, and the Kubernetes/etcd/KWOK/helm/kustomize binaries built from
# pinned Go modules. Every step is cached; a second run checks and builds nothing. Called by scripts/setup.sh.
set -euo pipefail
here="$(dirname "$0")"
source "$here/lib.sh"

started_ms=$(date +%s%3N)
mkdir -p "$FLOTILLA_TIMINGS"
marker="$FLOTILLA_TIMINGS/.setup-started"
touch "$marker"
say "cache: $FLOTILLA_CACHE"
"$here/podman.sh"
"$here/redis-image.sh"
"$here/build-binaries.sh"
# Argo CD, the peer test/peers/argocd runs beside Flotilla (conformance, pnpm bench vs-argocd); cached by version.
"$here/argocd.sh"
# The Flotilla image (test/image runs the services from it); cached by the digest of its inputs.
"$here/../image/build.sh" >/dev/null
# Chromium for the dashboard's browser tests and benchmark (test/browser).
"$here/chromium.sh"
elapsed_ms=$(($(date +%s%3N) - started_ms))
# A run in which some step recorded a timing did real work (a cold or partly cold setup); one that did not is
# the cached cost every test run pays.
if [ -n "$(find "$FLOTILLA_TIMINGS" -type f -newer "$marker" ! -name '.*' -print -quit)" ]; then
  record_timing setup-cold "$((elapsed_ms / 1000))"
else
  record_timing setup-cached-ms "$elapsed_ms" ms
fi
rm -f "$marker"
say "done; tests pick the bed up through: source scripts/testbed/env.sh"
