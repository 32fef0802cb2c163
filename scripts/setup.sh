#!/usr/bin/env bash
# Installs everything Flotilla needs on a fresh Debian machine: Node 24 and pnpm (when missing), the workspace's
# packages, and the test bed (Podman, a locally built Redis image, Kubernetes binaries built from Go modules,
# helm and kustomize). Each step is cached by version; a second run does almost nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
pnpm install --frozen-lockfile --reporter=append-only
# The dashboard's assets (apps/dashboard/dist), which the API serves at `/`; they are built, never committed.
pnpm --filter @flotilla/dashboard build
if [ "${FLOTILLA_SKIP_TESTBED:-}" != "1" ] && [ -x scripts/testbed/setup.sh ]; then
  scripts/testbed/setup.sh
fi
