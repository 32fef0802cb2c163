#!/usr/bin/env bash
# Builds the test bed's Go binaries (kube-apiserver, kube-controller-manager, kube-scheduler, etcd, kwok, helm,
# kustomize) into $FLOTILLA_CACHE/bin/<component>-<version>/. A component whose folder is complete is not built
# again; a cold build's duration is recorded under $FLOTILLA_CACHE/timings for the bench to print. Binaries that
# KUBEBUILDER_ASSETS already holds (envtest's folder: kube-apiserver, etcd, maybe more) are not built.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

GO_JOBS="${FLOTILLA_GO_JOBS:-2}"
BIN_ROOT="$FLOTILLA_CACHE/bin"
KUBE_BIN_SRC="$FLOTILLA_ROOT/test/kube-bin"
export CGO_ENABLED=0 GOTOOLCHAIN=local

command -v go >/dev/null || { say "go is required (Go >= 1.26) and is not on PATH"; exit 1; }
go_minor="$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')"
if [ -z "$go_minor" ] || [ "$go_minor" -lt 26 ]; then
  say "Go >= 1.26 is required (Kubernetes $KUBERNETES_VERSION, etcd $ETCD_VERSION); found $(go env GOVERSION)"
  exit 1
fi

# build_into <dir> <timing-name> <file>... -- <command...>: runs the command (which writes the files into $out)
# only when one of the files is missing, then moves them into <dir> and records how long it took.
build_into() {
  local dir=$1 timing=$2; shift 2
  local binaries=()
  while [ "$1" != "--" ]; do binaries+=("$1"); shift; done
  shift
  local missing=0 b
  for b in "${binaries[@]}"; do [ -s "$dir/$b" ] || missing=1; done
  if [ "$missing" = 0 ]; then
    say "cached: ${binaries[*]} in $dir"
    return
  fi
  say "building ${binaries[*]} into $dir"
  local started=$SECONDS tmp
  tmp="$(mktemp -d "$BIN_ROOT/.build.XXXXXX")"
  out="$tmp" "$@"
  mkdir -p "$dir"
  for b in "${binaries[@]}"; do mv -f "$tmp/$b" "$dir/$b"; done
  rmdir "$tmp"
  record_timing "$timing" "$(since "$started")"
}

kube_ldflags() {
  local v=$KUBERNETES_VERSION minor
  minor="${v#v1.}"; minor="${minor%%.*}"
  local flags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  echo "$flags"
}

build_kube() {
  local cmd=$1
  (cd "$KUBE_BIN_SRC/kubernetes" && go build -p "$GO_JOBS" -buildvcs=false -trimpath -ldflags "$(kube_ldflags)" \
    -o "$out/$cmd" "k8s.io/kubernetes/cmd/$cmd")
}

build_etcd() {
  (cd "$KUBE_BIN_SRC/etcd" && go build -p "$GO_JOBS" -buildvcs=false -trimpath -ldflags "-s -w" -o "$out/etcd" .)
}

# go_install <module/cmd path>@<version> [ldflags]: modules without replace directives install as they are.
go_install() {
  (cd "$out" && GOBIN="$out" GOFLAGS=-mod=mod go install -p "$GO_JOBS" -trimpath -ldflags "${2:--s -w}" "$1")
}

write_kwok_stages() {
  "$(dirname "$0")/kwok-stages.sh" "$KWOK_VERSION" >"$out/stages.yaml"
}

# True (and says so) when envtest's folder already has this binary.
in_assets() {
  if [ -n "${KUBEBUILDER_ASSETS:-}" ] && [ -x "$KUBEBUILDER_ASSETS/$1" ]; then
    say "KUBEBUILDER_ASSETS has $1: not building it"
    return 0
  fi
  return 1
}

mkdir -p "$BIN_ROOT"
rm -rf "$BIN_ROOT"/.build.*

k8s_dir="$BIN_ROOT/kubernetes-$KUBERNETES_VERSION"
# One binary per step, apiserver first: its timing is the cold cost; the others reuse its compiled packages.
for cmd in kube-apiserver kube-controller-manager kube-scheduler; do
  in_assets "$cmd" || build_into "$k8s_dir" "build-$cmd" "$cmd" -- build_kube "$cmd"
done
in_assets etcd || build_into "$BIN_ROOT/etcd-$ETCD_VERSION" "build-etcd" etcd -- build_etcd
build_into "$BIN_ROOT/kwok-$KWOK_VERSION" "build-kwok" kwok -- go_install "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
build_into "$BIN_ROOT/kwok-$KWOK_VERSION" "kwok-stages" stages.yaml -- write_kwok_stages
build_into "$BIN_ROOT/helm-$HELM_VERSION" "build-helm" helm -- go_install "helm.sh/helm/v4/cmd/helm@$HELM_VERSION" \
  "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION"
build_into "$BIN_ROOT/kustomize-$KUSTOMIZE_VERSION" "build-kustomize" kustomize -- \
  go_install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
