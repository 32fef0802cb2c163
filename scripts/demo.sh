#!/usr/bin/env bash
# The local demo: installs what is missing (Node, pnpm, packages, and the local Kubernetes and Redis test bed),
# then runs a whole fleet on this machine — Redis, three clusters labelled dev/staging/prod, a sample fleet
# repository, the generator and two workers — until it converges, showing the status table. Ctrl-C stops it all.
# Pass --once to stop after the walkthrough (a manual change reverted, a commit rolled out).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
source scripts/testbed/env.sh
exec node apps/demo/src/main.ts "$@"
