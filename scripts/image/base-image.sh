#!/usr/bin/env bash
# Builds the Flotilla image's base from Debian packages (no image registry can be reached; the same approach as
# the test bed's Redis image): a minbase rootfs with only what the services run besides Node (git for the
# repository cache, ca-certificates for HTTPS remotes, tini as PID 1), imported as a local image. The tag is
# keyed by the suite and the package list, so it is built once per machine. Prints the tag on stdout.
set -euo pipefail
source "$(dirname "$0")/../testbed/lib.sh"

SUITE="${FLOTILLA_DEBIAN_SUITE:-bookworm}"
MIRROR="${FLOTILLA_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PACKAGES="ca-certificates,git,tini"
key=$(printf '%s\n' "$SUITE" "$PACKAGES" "base-image-v1" | sha256sum | cut -c1-12)
TAG="localhost/flotilla-base:$SUITE-$key"

if as_root podman image exists "$TAG"; then
  say "cached: base image $TAG exists"
  echo "$TAG"
  exit 0
fi

mkdir -p "$FLOTILLA_CACHE"
rootfs="$(mktemp -d "${TMPDIR:-/tmp}/flotilla-base-rootfs.XXXXXX")"
trap 'as_root rm -rf "$rootfs"' EXIT
log="$FLOTILLA_CACHE/debootstrap-flotilla-base.log"
say "debootstrap $SUITE with $PACKAGES into $rootfs"
started=$SECONDS
# The downloaded packages are kept, so that a new package list or suite re-downloads only what changed.
mkdir -p "$FLOTILLA_CACHE/debs"
as_root debootstrap --variant=minbase --include="$PACKAGES" --cache-dir="$FLOTILLA_CACHE/debs" "$SUITE" "$rootfs" \
  "$MIRROR" >"$log" 2>&1 || {
  say "debootstrap failed; last lines of $log:"
  tail -20 "$log" >&2
  exit 1
}
# Nothing installs packages at run time: apt's caches and lists, documentation and locales only add size.
as_root rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
say "podman import -> $TAG"
as_root tar -C "$rootfs" -c . | as_root podman import - "$TAG" >/dev/null
record_timing image-base-build "$(since "$started")"
echo "$TAG"
