#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages pcplay needs that are missing.
#   install-deps.sh build   cgo + ALSA headers (to build and run pcplay)
#   install-deps.sh test    the above + PulseAudio and tmux for the speaker
#                           and end-to-end tests, systemd for systemd-analyze
#                           (the service unit's test; systemd need not run),
#                           mpc (the MPD server's end-to-end test)
#   install-deps.sh ci      the above + qemu-user-static, which runs the
#                           arm64 release binary in CI (make ci-arm64)
# Uses sudo only when not root. Where it cannot install what is missing (no
# apt, no root or sudo, apt failing) it says what to install and exits 1:
# `make test` must not go on to tests that cannot run.
set -euo pipefail
what=${1:-build}
want=(libasound2-dev pkg-config)
case $what in
  build) ;;
  test) want+=(pulseaudio pulseaudio-utils libasound2-plugins tmux systemd mpc) ;;
  ci) want+=(pulseaudio pulseaudio-utils libasound2-plugins tmux systemd mpc qemu-user-static) ;;
  *) echo "install-deps.sh: build, test or ci, not $what" >&2; exit 2 ;;
esac

fail() {
  echo "install-deps.sh: $*" >&2
  exit 1
}

if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  # No apt: check for the tools themselves; say what is missing.
  missing=()
  pkg-config --exists alsa 2>/dev/null || missing+=("the ALSA development headers and pkg-config")
  if [ "$what" != build ]; then
    command -v pulseaudio >/dev/null 2>&1 || missing+=(pulseaudio)
    command -v pactl >/dev/null 2>&1 || missing+=("pactl (pulseaudio-utils)")
    command -v tmux >/dev/null 2>&1 || missing+=(tmux)
    command -v systemd-analyze >/dev/null 2>&1 || missing+=("systemd-analyze (systemd)")
    command -v mpc >/dev/null 2>&1 || missing+=(mpc)
  fi
  if [ "$what" = ci ]; then
    command -v qemu-aarch64-static >/dev/null 2>&1 || missing+=("qemu-aarch64-static (qemu-user-static)")
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    fail "this system has no apt-get, so install these with your package manager: $(IFS=,; echo "${missing[*]}" | sed 's/,/, /g') (Debian names: ${want[*]})"
  fi
  exit 0
fi
need=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
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
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
  fail "apt-get install ${need[*]} failed (its messages are above); install them yourself and run it again"
