#!/usr/bin/env bash
# Builds Argo CD (the peer that test/peers/argocd runs side by side with Flotilla) into
# $FLOTILLA_CACHE/bin/argocd-<version>/: one multi-call binary `argocd` (run as argocd-repo-server,
# argocd-application-controller, argocd-applicationset-controller through ARGOCD_BINARY_NAME) and the CRDs from the
# module's manifests/crds. A complete folder is not built again; a cold build's duration is recorded under
# $FLOTILLA_CACHE/timings. Called by scripts/testbed/setup.sh; FLOTILLA_SKIP_ARGOCD=1 skips it (about 5 minutes
# cold on 2 cores, ~300 MB).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
# shellcheck source=../../test/peers/argocd/versions.env
source "$FLOTILLA_ROOT/test/peers/argocd/versions.env"

if [ "${FLOTILLA_SKIP_ARGOCD:-}" = 1 ]; then
  say "FLOTILLA_SKIP_ARGOCD=1: not building Argo CD"
  exit 0
fi
command -v go >/dev/null || { say "go is required to build Argo CD and is not on PATH"; exit 1; }

GO_JOBS="${FLOTILLA_GO_JOBS:-2}"
dir="$FLOTILLA_CACHE/bin/argocd-$ARGOCD_VERSION"
crds=(application-crd.yaml applicationset-crd.yaml appproject-crd.yaml)
# The scripts Argo CD's image installs into /usr/local/bin from the module's hack/: the repo-server runs
# git-verify-wrapper.sh by name for every manifest it generates, so the harness puts this folder on its PATH.
scripts=(git-verify-wrapper.sh gpg-wrapper.sh)
module="github.com/argoproj/argo-cd/v3"
# The module's source folder (downloaded once into the Go module cache).
module_source() {
  (cd "$1" && GOTOOLCHAIN="$ARGOCD_GO_TOOLCHAIN" GOFLAGS=-mod=mod go mod download -json "$module@$ARGOCD_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
}
copy_scripts() {
  mkdir -p "$dir/bin"
  for f in "${scripts[@]}"; do install -m 0755 "$1/hack/$f" "$dir/bin/$f"; done
}

complete=1
[ -x "$dir/argocd" ] || complete=0
for f in "${crds[@]}"; do [ -s "$dir/crds/$f" ] || complete=0; done
if [ "$complete" = 1 ]; then
  for f in "${scripts[@]}"; do
    [ -x "$dir/bin/$f" ] && continue
    copy_scripts "$(module_source "$dir")"
    break
  done
  say "cached: argocd $ARGOCD_VERSION in $dir"
  exit 0
fi

say "building argocd $ARGOCD_VERSION into $dir (toolchain $ARGOCD_GO_TOOLCHAIN)"
started=$SECONDS
mkdir -p "$FLOTILLA_CACHE/bin"
rm -rf "$FLOTILLA_CACHE/bin"/.argocd-build.*
work="$(mktemp -d "$FLOTILLA_CACHE/bin/.argocd-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# Only this build uses the newer toolchain; the test bed's own binaries stay on the machine's Go.
export GOTOOLCHAIN="$ARGOCD_GO_TOOLCHAIN" CGO_ENABLED=0 GOFLAGS=-mod=mod
src="$(module_source "$work")"
[ -d "$src" ] || { say "go mod download did not give a source folder for $module@$ARGOCD_VERSION"; exit 1; }

# A wrapper module: Argo CD's own replace block (its pins of k8s.io/* and friends, which a plain `go install` would
# ignore) minus the line pointing gitops-engine at a folder of its repository, so the tagged module is used instead.
go_line="$(sed -n 's/^go \(.*\)$/\1/p' "$src/go.mod" | head -1)"
{
  printf 'module flotilla.dev/test/peers/argocd-build\n\ngo %s\n\nrequire %s %s\n\n' "$go_line" "$module" "$ARGOCD_VERSION"
  sed -n '/^replace (/,/^)/p' "$src/go.mod"
  grep '^replace [^(]' "$src/go.mod" | grep -v '=> \./' || true
} >"$work/go.mod"
# Resolves (and records in go.sum) everything the command's packages need under those replacements.
(cd "$work" && go get "$module/cmd@$ARGOCD_VERSION")
v="${ARGOCD_VERSION#v}"
ldflags="-s -w -X $module/common.version=$v -X $module/common.gitTag=$ARGOCD_VERSION -X $module/common.gitTreeState=clean"
ldflags+=" -X $module/common.buildDate=1970-01-01T00:00:00Z"
(cd "$work" && go build -p "$GO_JOBS" -trimpath -ldflags "$ldflags" -o "$work/argocd" "$module/cmd")

mkdir -p "$dir/crds"
for f in "${crds[@]}"; do cp "$src/manifests/crds/$f" "$dir/crds/$f"; done
copy_scripts "$src"
chmod u+w "$dir/crds"/*.yaml
mv -f "$work/argocd" "$dir/argocd"
record_timing build-argocd "$(since "$started")"
