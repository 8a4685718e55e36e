#!/usr/bin/env bash
# Release builds (make release, make ci-arm64). No cgo: one file per
# architecture, built on any machine with Go (no C compiler), that runs on
# any glibc Linux of it. The speaker opens libasound.so.2 as it starts
# (player/alsa_lib.go, purego), so the binary is dynamically linked to libc
# alone (its loader, libc.so.6, libdl.so.2, libpthread.so.0).
#
#   release.sh all            dist/: pcplay_VERSION_linux_{amd64,arm64,armv7,armv6}.tar.gz
#                             (pcplay, pcplay-snapcast-plugin, README.md, LICENSE, pcplay.service), pcplay_VERSION_{amd64,arm64,armhf}.deb,
#                             SHA256SUMS
#   release.sh binary ARCH OUT   only the binary of ARCH (amd64 arm64 armv7 armv6) at OUT
#
# Environment (the Makefile sets them): GO, NFPM (the nfpm command),
# VERSION, COMMIT, DATE, SOURCE_DATE_EPOCH (defaults: scripts/version.sh),
# MAINTAINER, JOBS (builds at once; default: the number of CPUs, at most 4).
#
# The armhf package carries the armv6 binary: Raspberry Pi OS's armhf is
# ARMv6 (a Pi Zero or Pi 1 runs it), and an ARMv6 binary runs on ARMv7 too.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
: "${VERSION:=$(scripts/version.sh version)}"
: "${COMMIT:=$(scripts/version.sh commit)}"
: "${DATE:=$(scripts/version.sh date)}"
: "${SOURCE_DATE_EPOCH:=$(scripts/version.sh epoch)}"
: "${MAINTAINER:=the pcplay authors}"
export SOURCE_DATE_EPOCH

# goenv ARCH: the GOARCH and GOARM of a release architecture.
goenv() {
  case $1 in
    amd64) echo "GOARCH=amd64" ;;
    arm64) echo "GOARCH=arm64" ;;
    armv7) echo "GOARCH=arm GOARM=7" ;;
    armv6) echo "GOARCH=arm GOARM=6" ;;
    *) echo "release.sh: unknown architecture $1 (amd64 arm64 armv7 armv6)" >&2; return 2 ;;
  esac
}

# binary ARCH OUT: the stamped, stripped, cgo-free build. -trimpath and the
# commit's date make it the same bytes wherever and whenever it is built.
# 32-bit ARM names the hard-float loader (Go's linker names the soft-float
# one, /lib/ld-linux.so.3, which armhf systems such as Raspberry Pi OS
# don't have).
binary() {
  local vars interp=
  vars=$(goenv "$1") || return
  case $1 in armv*) interp="-I /lib/ld-linux-armhf.so.3" ;; esac
  # shellcheck disable=SC2086
  env CGO_ENABLED=0 GOOS=linux $vars "$GO" build -trimpath -buildvcs=false \
    -ldflags "-s -w $interp -X 'main.version=$VERSION (commit $COMMIT, $DATE)'" -o "$2" .
}

if [ "${1:-}" = binary ]; then
  binary "${2:?ARCH}" "${3:?OUT}"
  exit
fi
[ "${1:-}" = all ] || { echo "usage: release.sh all | binary ARCH OUT" >&2; exit 2; }
: "${NFPM:?NFPM is the nfpm command (make release sets it)}"

arches=(amd64 arm64 armv7 armv6)
dist=dist
build=$dist/.build
rm -rf "$dist"
mkdir -p "$build"
start=$(date +%s)

# The four binaries, JOBS at a time (most of a cold build is one package,
# the SQLite translation, that one compiler process builds alone), and nfpm
# meanwhile (go run builds it the first time).
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
[ "$jobs" -gt 4 ] && jobs=4
names=() pids=()
for a in "${arches[@]}" nfpm; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  if [ "$a" = nfpm ]; then
    $NFPM --version >"$build/$a.log" 2>&1 &
  else
    binary "$a" "$build/$a/pcplay" >"$build/$a.log" 2>&1 &
  fi
  names+=("$a") pids+=($!)
done
failed=0
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    echo "release.sh: the ${names[$i]} build failed:" >&2
    cat "$build/${names[$i]}.log" >&2
    failed=1
  fi
done
[ $failed -eq 0 ] || exit 1
echo "release.sh: built ${arches[*]} and nfpm in $(( $(date +%s) - start )) s" >&2

# The units, from pcplay itself (pcplay service unit): the package's runs
# /usr/bin/pcplay; the archive's /usr/local/bin/pcplay, where a person puts
# a binary by hand (pcplay service install writes one for wherever it is).
# This machine's pcplay runs it, with empty homes: the config or login of
# the person building must not matter.
case "$($GO env GOHOSTOS)/$($GO env GOHOSTARCH)" in
  linux/amd64) host=$build/amd64/pcplay ;;
  linux/arm64) host=$build/arm64/pcplay ;;
  linux/arm) host=$build/armv6/pcplay ;;
  *) host=$build/host/pcplay
     CGO_ENABLED=0 "$GO" build -trimpath -buildvcs=false -o "$host" . ;;
esac
home=$build/home
mkdir -p "$home"
unit() {
  env -u PCPLAY_CONFIG -u PCLOUD_TOKEN HOME="$PWD/$home" XDG_CONFIG_HOME="$PWD/$home/config" \
    XDG_STATE_HOME="$PWD/$home/state" "$host" service unit --exe "$1"
}
unit /usr/bin/pcplay >"$build/pcplay.service.deb"
unit /usr/local/bin/pcplay >"$build/pcplay.service.tar"

stamp() { touch -h -d "@$SOURCE_DATE_EPOCH" "$@"; }

# The archives: one directory each, files in a fixed order, owner root,
# the commit's date.
for a in "${arches[@]}"; do
  name=pcplay_${VERSION}_linux_$a
  d=$build/tar/$name
  mkdir -p "$d"
  install -m 0755 "$build/$a/pcplay" "$d/pcplay"
  install -m 0755 packaging/pcplay-snapcast-plugin "$d/"
  install -m 0644 README.md LICENSE "$d/"
  install -m 0644 "$build/pcplay.service.tar" "$d/pcplay.service"
  stamp "$d" "$d"/*
  tar -C "$build/tar" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
    -cf - "$name" | gzip -9n >"$dist/$name.tar.gz"
done

# The packages.
for pair in amd64:amd64 arm64:arm64 armv6:armhf; do
  a=${pair%%:*} deb=${pair##*:}
  stage=$build/deb-$deb
  mkdir -p "$stage"
  install -m 0755 "$build/$a/pcplay" "$stage/pcplay"
  install -m 0755 packaging/pcplay-snapcast-plugin "$stage/"
  install -m 0644 "$build/pcplay.service.deb" "$stage/pcplay.service"
  install -m 0644 README.md "$stage/README.md"
  { echo "pcplay, https://github.com/pcplay/pcplay"; echo; cat LICENSE; } >"$stage/copyright"
  stamp "$stage"/*
  DEB_ARCH=$deb STAGE=$stage VERSION=$VERSION MAINTAINER=$MAINTAINER \
    $NFPM package --config packaging/nfpm.yaml --packager deb --target "$dist/" >"$build/nfpm-$deb.log" 2>&1 ||
    { cat "$build/nfpm-$deb.log" >&2; exit 1; }
done

rm -rf "$build"
(cd "$dist" && sha256sum -- *.tar.gz *.deb >SHA256SUMS)
echo "release.sh: $VERSION in $dist/ after $(( $(date +%s) - start )) s:" >&2
(cd "$dist" && ls -l -- *.tar.gz *.deb SHA256SUMS) >&2
