#!/usr/bin/env bash
# Bytes per minute pcplay writes to its terminal while playing with the
# now-playing panel (key i) open, the cover drawn in half blocks, against
# the same run with the panel closed.
#
#   bench/art-bytes.sh [SECONDS]     (default 30 each)
#
# pcplay runs in tmux at 120x40 in the foreground (no engine) with --output
# null against bench/cmd/fakepcloud -cover (a cover.jpg beside the track);
# the bytes written to the pane are counted with tmux pipe-pane. It also
# says how long the cover took to show after i and after the next track
# started (n, the panel open), and the bytes of the thumbnail fetched (the
# cover cache's file).
# Needs: go, tmux, sox, lame.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
for c in go tmux sox lame; do
  command -v "$c" >/dev/null || { echo "art-bytes: $c is not installed" >&2; exit 1; }
done
dir=$(mktemp -d /tmp/pcplay-art-bytes.XXXXXX)
sock="$dir/tmux.sock"
fake_pid=
cleanup() {
  tmux -S "$sock" kill-server 2>/dev/null || true
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then echo "art-bytes: kept $dir" >&2; else rm -rf "$dir"; fi
}
trap cleanup EXIT
t() { tmux -S "$sock" -f /dev/null "$@"; }
wait_screen() {
  for _ in $(seq 300); do
    grep -qF -- "$1" <<<"$(t capture-pane -p -t p 2>/dev/null)" && return 0
    sleep 0.1
  done
  echo "art-bytes: never showed \"$1\":" >&2; t capture-pane -p -t p >&2 || true; exit 1
}
size() { stat -c %s "$1" 2>/dev/null || echo 0; }

go build -o "$dir/pcplay" .
go build -o "$dir/fakepcloud" ./bench/cmd/fakepcloud
mkdir -p "$dir/music" "$dir/home/config" "$dir/home/state" "$dir/home/run"
chmod 700 "$dir/home/run"
sox -q -n -r 44100 -c 2 -b 16 "$dir/tone.wav" synth $((secs * 3 + 30)) sine 440 vol -12dB
lame --quiet -b 128 --cbr "$dir/tone.wav" "$dir/music/bench.mp3"
cp "$dir/music/bench.mp3" "$dir/music/bench2.mp3"
"$dir/fakepcloud" -cover -bitrate 128 "$dir/music/bench.mp3" "$dir/music/bench2.mp3" >"$dir/fake.out" 2>"$dir/fake.err" &
fake_pid=$!
for _ in $(seq 100); do [ "$(wc -l <"$dir/fake.out")" -ge 2 ] && break; sleep 0.1; done
api_url=$(sed -n 1p "$dir/fake.out")
token=$(sed -n 2p "$dir/fake.out")

t new-session -d -s p -x 120 -y 40 \
  "env -i PATH=/usr/bin:/bin TERM=tmux-256color COLORTERM=truecolor LANG=C.UTF-8 HOME='$dir/home' \
   XDG_CONFIG_HOME='$dir/home/config' XDG_STATE_HOME='$dir/home/state' \
   XDG_RUNTIME_DIR='$dir/home/run' PCLOUD_TOKEN='$token' \
   '$dir/pcplay' --foreground --output null --bitrate 128 --api-url '$api_url'"
t pipe-pane -t p -o "cat >>'$dir/bytes'"
wait_screen "Music/"
t send-keys -t p Enter
wait_screen "bench.mp3"
t send-keys -t p Enter
wait_screen "Playing"
sleep 2
a0=$(size "$dir/bytes"); sleep "$secs"; a1=$(size "$dir/bytes")
start=$(date +%s%N)
t send-keys -t p i
for _ in $(seq 300); do
  t capture-pane -p -t p | grep -q "▀" && break
  sleep 0.01
done
shown=$(( ($(date +%s%N) - start) / 1000000 ))
sleep 2
b0=$(size "$dir/bytes"); sleep "$secs"; b1=$(size "$dir/bytes")
# Track start to cover shown: with the panel open, n starts the next
# track, whose cover is not cached yet (the cache is by track).
start=$(date +%s%N)
t send-keys -t p n
for _ in $(seq 500); do
  scr=$(t capture-pane -p -t p)
  grep -q "bench2.mp3" <<<"$scr" && grep -q "▀" <<<"$scr" && ! grep -q "loading the cover" <<<"$scr" && break
  sleep 0.01
done
next=$(( ($(date +%s%N) - start) / 1000000 ))
thumb=$(find "$dir/home/state/pcplay/covers" -type f -printf '%s\n' 2>/dev/null | head -1)
awk -v s="$secs" -v closed=$((a1 - a0)) -v open=$((b1 - b0)) -v shown="$shown" -v nxt="$next" -v thumb="${thumb:-0}" 'BEGIN {
  printf "terminal bytes/min at 120x40, playing (%d s each)\n", s
  printf "  panel closed  %10.0f\n", closed * 60 / s
  printf "  panel open    %10.0f   (%.2fx closed)\n", open * 60 / s, (closed ? open / closed : 0)
  printf "cover shown %d ms after i (cold cache; includes the capture polling)\n", shown
  printf "track start (n) to its cover shown: %d ms\n", nxt
  printf "thumbnail fetched: %d bytes (64x64 JPEG) of a 500x500 cover\n", thumb
}'
