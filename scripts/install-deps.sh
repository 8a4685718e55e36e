#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages pcplay needs that are missing.
#   install-deps.sh build   cgo + ALSA headers (to build and run pcplay)
#   install-deps.sh test    the above + PulseAudio for the speaker tests
# Uses sudo only when not root. Elsewhere it prints what to install.
set -euo pipefail
want=(libasound2-dev pkg-config)
if [ "${1:-build}" = test ]; then
  want+=(pulseaudio pulseaudio-utils libasound2-plugins tmux)
fi
if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  if ! pkg-config --exists alsa 2>/dev/null; then
    echo "pcplay needs the ALSA development headers and pkg-config (Debian: ${want[*]}); install them with your package manager." >&2
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
    echo "pcplay needs: ${need[*]}. Run as root: apt-get install ${need[*]}" >&2
    exit 1
  fi
fi
echo "installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
