#!/usr/bin/env bash
# Writes KWOK's "fast" stage set (node initialise + heartbeat with lease, pod ready/complete/delete) from the
# pinned kwok module to stdout. The kwok binary has no built-in stages; kwokctl normally supplies these.
set -euo pipefail
version=$1
dir="$(GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/kwok@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -d "$dir/kustomize/stage" ] || { echo "kwok-stages: no kustomize/stage in $dir" >&2; exit 1; }
for stage in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
  pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
  echo "---"
  cat "$dir/kustomize/stage/$stage"
done
