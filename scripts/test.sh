#!/usr/bin/env bash
# The test command: installs what is missing (see scripts/setup.sh), then type-checks, lints and runs every
# test — unit tests, and integration tests against real Redis and real kube-apiservers from the test bed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
if [ -f scripts/testbed/env.sh ]; then source scripts/testbed/env.sh; fi
pnpm run typecheck
pnpm run lint
mkdir -p .flotilla
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=.flotilla/test-results.json "$@" || status=$?
node scripts/test-summary.ts .flotilla/test-results.json || status=$((status == 0 ? 1 : status))
exit "$status"
