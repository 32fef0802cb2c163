# Shared by the test bed scripts: where things live, how steps are announced and timed.
# shellcheck shell=bash
FLOTILLA_CACHE="${FLOTILLA_CACHE:-$HOME/.cache/flotilla}"
FLOTILLA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FLOTILLA_TIMINGS="$FLOTILLA_CACHE/timings"
# shellcheck source=../../test/kube-bin/versions.env
source "$FLOTILLA_ROOT/test/kube-bin/versions.env"
export FLOTILLA_CACHE

say() { printf 'testbed: %s\n' "$*" >&2; }

# Runs a command as root: these scripts run as root on the project's machines, elsewhere through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Prints and returns the whole seconds elapsed since $1 (a value of $SECONDS).
since() { echo $((SECONDS - $1)); }

# record_timing <name> <value> [unit]: writes the figure (seconds unless the unit says otherwise) to
# $FLOTILLA_TIMINGS/<name>, replacing an older one; bench/testbed.ts prints these.
record_timing() {
  local name=$1 value=$2 unit=${3:-s}
  mkdir -p "$FLOTILLA_TIMINGS"
  printf '%s\n' "$value" >"$FLOTILLA_TIMINGS/$name"
  say "$name took $value $unit"
}
