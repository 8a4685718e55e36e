#!/usr/bin/env bash
# The engine's MPD server (issue 21): status answer time with idle clients
# attached, and what idle clients cost the engine.
#
#   bench/mpd.sh [SECONDS]   (default 60: each CPU window)
#
# Set-up: bench/cmd/fakepcloud serves the a128 fixture (20 s, 128 kbit/s)
# in /Music on loopback; pcplay's engine runs with its own XDG dirs, a
# saved login (token.json; the token never goes through argv), --output
# null, PCPLAY_MPD_LISTEN on a free loopback port; the track is added over
# MPD and the engine left stopped. bench/cmd/mpdbench then measures, in
# one run: the engine's CPU and context switches over SECONDS with no MPD
# client (the baseline), the same with 3 clients in idle, and with those 3
# still idle 2000 round trips of ping (the baseline) and of status.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
case $secs in '' | *[!0-9]*) echo "usage: bench/mpd.sh [SECONDS]" >&2; exit 2 ;; esac
dir=$(mktemp -d /tmp/pcplay-mpdbench.XXXXXX)
h="$dir/home"
fake=
cleanup() {
  set +e
  [ -x "$dir/pcplay" ] && pcplay_env "$dir/pcplay" stop >/dev/null 2>&1
  [ -n "$fake" ] && kill "$fake" 2>/dev/null && wait "$fake" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
pcplay_env() {
  env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME="$h" XDG_CONFIG_HOME="$h/config" \
    XDG_STATE_HOME="$h/state" XDG_RUNTIME_DIR="$h/run" PCPLAY_IDLE_EXIT=0 \
    PCPLAY_MPD_LISTEN="127.0.0.1:$port" "$@"
}
go build -o "$dir/pcplay" .
go build -o "$dir/fakepcloud" ./bench/cmd/fakepcloud
go build -o "$dir/mpdbench" ./bench/cmd/mpdbench
mkdir -p "$h/config/pcplay" "$h/state/pcplay" "$h/run"
chmod 700 "$h/config/pcplay" "$h/run"
"$dir/fakepcloud" -bitrate 128 internal/fixtures/data/a128.mp3 >"$dir/fake.out" 2>"$dir/fake.err" &
fake=$!
for _ in $(seq 100); do [ "$(wc -l <"$dir/fake.out")" -ge 2 ] && break; sleep 0.1; done
api_url=$(sed -n 1p "$dir/fake.out")
(umask 077; sed -n 2p "$dir/fake.out" | awk '{ printf "{\"token\": \"%s\", \"kind\": \"auth\", \"region\": \"us\"}\n", $1 }' \
  >"$h/config/pcplay/token.json")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pcplay_env "$dir/pcplay" --output null --api-url "$api_url" engine </dev/null >/dev/null 2>"$dir/engine.err" &
pid=$!
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done
kill -0 "$pid" 2>/dev/null || { echo "mpd.sh: the engine did not start: $(cat "$dir/engine.err")" >&2; exit 1; }
printf 'add Music/a128.mp3\nclose\n' | (exec 3<>"/dev/tcp/127.0.0.1/$port"; cat >&3; cat <&3 >/dev/null) || true
sleep 2
echo "# bench/mpd.sh $secs: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(go version | cut -d' ' -f3), pcplay $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo '+dirty')"
"$dir/mpdbench" -addr "127.0.0.1:$port" -pid "$pid" -idle 3 -seconds "$secs" -n 2000
