#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages pcplay needs that are missing.
#   install-deps.sh build   libasound2, which the speaker opens at run time
#                           (building needs Go alone: no C compiler, no headers)
#   install-deps.sh test    the above + a C compiler (go test -race needs cgo),
#                           the ALSA headers (bench/cmd/alsafloor, a cgo
#                           benchmark that vet checks), PulseAudio and tmux
#                           for the speaker and end-to-end tests, systemd for
#                           systemd-analyze (the service unit's test; systemd
#                           need not run), mpc (the MPD server's end-to-end
#                           test), snapserver and snapclient (the Snapcast
#                           test)
#   install-deps.sh ci      the above + qemu-user-static and the arm64 C
#                           library (libc6-arm64-cross), which run the arm64
#                           release binary in CI (make ci-arm64)
# Uses sudo only when not root. Where it cannot install what is missing (no
# apt, no root or sudo, apt failing) it says what to install and exits 1:
# `make test` must not go on to tests that cannot run.
set -euo pipefail
what=${1:-build}
# libasound2: Debian 13 renamed the package libasound2t64 (see installed).
want=(libasound2)
testing=(gcc libc6-dev libasound2-dev pkg-config pulseaudio pulseaudio-utils libasound2-plugins tmux systemd mpc snapserver snapclient)
case $what in
  build) ;;
  test) want+=("${testing[@]}") ;;
  # qemu-check.sh runs the arm64 binary with Debian's arm64 C library.
  ci) want+=("${testing[@]}" qemu-user-static libc6-arm64-cross) ;;
  *) echo "install-deps.sh: build, test or ci, not $what" >&2; exit 2 ;;
esac

fail() {
  echo "install-deps.sh: $*" >&2
  exit 1
}

if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  # No apt: check for the tools themselves; say what is missing.
  missing=()
  { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q 'libasound\.so\.2 ' || missing+=("ALSA's library libasound.so.2")
  if [ "$what" != build ]; then
    command -v cc >/dev/null 2>&1 || missing+=("a C compiler (gcc)")
    pkg-config --exists alsa 2>/dev/null || missing+=("the ALSA development headers and pkg-config")
    command -v pulseaudio >/dev/null 2>&1 || missing+=(pulseaudio)
    command -v pactl >/dev/null 2>&1 || missing+=("pactl (pulseaudio-utils)")
    command -v tmux >/dev/null 2>&1 || missing+=(tmux)
    command -v systemd-analyze >/dev/null 2>&1 || missing+=("systemd-analyze (systemd)")
    command -v mpc >/dev/null 2>&1 || missing+=(mpc)
    command -v snapserver >/dev/null 2>&1 || missing+=(snapserver)
    command -v snapclient >/dev/null 2>&1 || missing+=(snapclient)
  fi
  if [ "$what" = ci ]; then
    command -v qemu-aarch64-static >/dev/null 2>&1 || missing+=("qemu-aarch64-static (qemu-user-static)")
    [ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] || missing+=("the arm64 C library in /usr/aarch64-linux-gnu (libc6-arm64-cross)")
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    fail "this system has no apt-get, so install these with your package manager: $(IFS=,; echo "${missing[*]}" | sed 's/,/, /g') (Debian names: ${want[*]})"
  fi
  exit 0
fi
# installed PKG...: one of them is installed (dpkg-query fails when it
# knows one of the names not at all).
installed() {
  { dpkg-query -W -f='${Status}\n' "$@" 2>/dev/null || true; } | grep -q "install ok installed"
}
need=()
for p in "${want[@]}"; do
  case $p in
    libasound2) installed libasound2 libasound2t64 || need+=("$p") ;;
    *) installed "$p" || need+=("$p") ;;
  esac
done
[ ${#need[@]} -eq 0 ] && exit 0
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    fail "pcplay needs ${need[*]}, and without root or sudo this script cannot install them. Run as root: apt-get install ${need[*]}"
  fi
fi
echo "installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq || fail "apt-get update failed, so ${need[*]} could not be installed; fix apt (network, sources) and run it again, or install them yourself"
# Debian 13 and later: libasound2t64 (libasound2 is then only a virtual name).
for i in "${!need[@]}"; do
  if [ "${need[$i]}" = libasound2 ] && apt-cache show libasound2t64 >/dev/null 2>&1; then need[$i]=libasound2t64; fi
done
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
  fail "apt-get install ${need[*]} failed (its messages are above); install them yourself and run it again"
