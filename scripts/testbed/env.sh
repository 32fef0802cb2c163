# Sourced before integration tests: tells testcontainers where Podman's Docker-compatible API is and tells tests
# where the binaries built by setup.sh are. Sets nothing that is already set, so a developer with Docker, or with
# envtest's KUBEBUILDER_ASSETS, keeps their own. test/testbed/src/binaries.ts applies the same rules when this
# file was not sourced.
# shellcheck shell=bash
_flotilla_testbed_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../test/kube-bin/versions.env
source "$_flotilla_testbed_dir/../../test/kube-bin/versions.env"
_flotilla_bin="${FLOTILLA_CACHE:-$HOME/.cache/flotilla}/bin"

if [ -z "${DOCKER_HOST:-}" ] && [ ! -S /var/run/docker.sock ] && [ -S /run/podman/podman.sock ]; then
  export DOCKER_HOST=unix:///run/podman/podman.sock
fi
if [ "${DOCKER_HOST:-}" = unix:///run/podman/podman.sock ]; then
  # Ryuk needs an image we cannot pull; the harness removes its own containers. The host override keeps test
  # traffic on loopback instead of Podman's bridge address.
  export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
  export TESTCONTAINERS_HOST_OVERRIDE="${TESTCONTAINERS_HOST_OVERRIDE:-127.0.0.1}"
fi
export FLOTILLA_REDIS_IMAGE="${FLOTILLA_REDIS_IMAGE:-localhost/flotilla-redis:7}"

# _flotilla_pick VAR FILE FALLBACK: VAR as set, else FILE in KUBEBUILDER_ASSETS when there, else FALLBACK.
_flotilla_pick() {
  local current="${!1:-}"
  if [ -n "$current" ]; then
    export "$1=$current"
  elif [ -n "${KUBEBUILDER_ASSETS:-}" ] && [ -x "$KUBEBUILDER_ASSETS/$2" ]; then
    export "$1=$KUBEBUILDER_ASSETS/$2"
  else
    export "$1=$3"
  fi
}
_flotilla_pick FLOTILLA_KUBE_APISERVER kube-apiserver "$_flotilla_bin/kubernetes-$KUBERNETES_VERSION/kube-apiserver"
_flotilla_pick FLOTILLA_KUBE_CONTROLLER_MANAGER kube-controller-manager \
  "$_flotilla_bin/kubernetes-$KUBERNETES_VERSION/kube-controller-manager"
_flotilla_pick FLOTILLA_KUBE_SCHEDULER kube-scheduler "$_flotilla_bin/kubernetes-$KUBERNETES_VERSION/kube-scheduler"
_flotilla_pick FLOTILLA_ETCD etcd "$_flotilla_bin/etcd-$ETCD_VERSION/etcd"
export FLOTILLA_KWOK="${FLOTILLA_KWOK:-$_flotilla_bin/kwok-$KWOK_VERSION/kwok}"
export FLOTILLA_KWOK_STAGES="${FLOTILLA_KWOK_STAGES:-$_flotilla_bin/kwok-$KWOK_VERSION/stages.yaml}"
export FLOTILLA_HELM="${FLOTILLA_HELM:-$_flotilla_bin/helm-$HELM_VERSION/helm}"
export FLOTILLA_KUSTOMIZE="${FLOTILLA_KUSTOMIZE:-$_flotilla_bin/kustomize-$KUSTOMIZE_VERSION/kustomize}"
# The folder with kube-apiserver (envtest's convention), for tools that want one folder.
export FLOTILLA_KUBE_ASSETS="${FLOTILLA_KUBE_ASSETS:-$(dirname "$FLOTILLA_KUBE_APISERVER")}"
unset -f _flotilla_pick
unset _flotilla_testbed_dir _flotilla_bin
