#!/usr/bin/env bash
# Builds the Redis image from Debian packages (no registry can be reached) when the runtime lacks it. A
# developer with Docker can instead set FLOTILLA_REDIS_IMAGE=redis:7-alpine and skip this.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

IMAGE="${FLOTILLA_REDIS_IMAGE:-localhost/flotilla-redis:7}"
SUITE="${FLOTILLA_DEBIAN_SUITE:-bookworm}"
MIRROR="${FLOTILLA_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if as_root podman image exists "$IMAGE"; then
  say "cached: image $IMAGE exists"
  exit 0
fi
if [[ "$IMAGE" != localhost/* ]]; then
  say "image $IMAGE is not local (localhost/...): nothing to build; pull it with your own runtime"
  exit 0
fi

mkdir -p "$FLOTILLA_CACHE"
rootfs="$(mktemp -d "${TMPDIR:-/tmp}/flotilla-redis-rootfs.XXXXXX")"
trap 'as_root rm -rf "$rootfs"' EXIT
say "debootstrap $SUITE with redis-server into $rootfs"
started=$SECONDS
as_root debootstrap --variant=minbase --include=redis-server "$SUITE" "$rootfs" "$MIRROR" \
  >"$FLOTILLA_CACHE/debootstrap.log" 2>&1 || {
  say "debootstrap failed; last lines of $FLOTILLA_CACHE/debootstrap.log:"
  tail -20 "$FLOTILLA_CACHE/debootstrap.log" >&2
  exit 1
}
# apt's caches and lists are not needed at run time and make up a good part of the rootfs.
as_root rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
say "podman import -> $IMAGE"
as_root tar -C "$rootfs" -c . | as_root podman import \
  --change 'CMD ["/usr/bin/redis-server","--bind","0.0.0.0","--protected-mode","no","--save","","--appendonly","no"]' \
  --change 'EXPOSE 6379' - "$IMAGE" >/dev/null
record_timing redis-image-build "$(since "$started")"
