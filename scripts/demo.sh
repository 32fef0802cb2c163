#!/usr/bin/env bash
# The local demo: installs what is missing, then previews what the example ApplicationSets produce for the
# example fleet of clusters.
set -euo pipefail
cd "$(dirname "$0")/.."
FLOTILLA_SKIP_TESTBED=1 scripts/setup.sh
source scripts/env.sh
pnpm --silent flotilla appset preview examples/guestbook.yaml examples/git-directories.yaml --clusters examples/clusters.yaml "$@"
