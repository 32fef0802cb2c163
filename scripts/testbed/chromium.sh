#!/usr/bin/env bash
# Gives the dashboard's browser tests and benchmark a headless browser: Debian's chromium package, driven by
# playwright-core (test/browser), which brings no browser of its own. Installed only when /usr/bin/chromium is
# missing, so a second run installs nothing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CHROMIUM="${FLOTILLA_CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
  say "cached: chromium is installed ($("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM"))"
  exit 0
fi
say "apt-get install chromium"
started=$SECONDS
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
record_timing chromium-install "$(since "$started")"
if [ ! -x "$CHROMIUM" ]; then
  say "chromium was installed but $CHROMIUM is missing"
  exit 1
fi
say "installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
