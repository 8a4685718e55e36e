#!/usr/bin/env bash
# Bytes per second pcplay writes to its terminal while playing and while
# paused, next to cmus playing the same mp3 at the same terminal size in the
# same run.
#
#   bench/tui-bytes.sh [PLAY_SECONDS] [PAUSE_SECONDS]     (defaults 30 and 10)
#
# Both run in tmux at 120x40 and the bytes the program writes to its pane
# are counted with tmux pipe-pane. pcplay runs in the foreground (no engine)
# with --output null against bench/cmd/fakepcloud, the fake pCloud serving
# the file on loopback. cmus plays the file itself through its PulseAudio
# output into a null sink (scripts/alsa-capture's PulseAudio), so it needs
# no sound card. The file is made here: 90 s of a 440 Hz tone, 44.1 kHz
# stereo, 128 kbit/s CBR (sox + lame), no tags, so both show its file name.
#
# Each player plays for 2 s before counting starts (the first screen is not
# counted), then PLAY_SECONDS are counted; it is paused, left 1 s to draw
# the paused state, then PAUSE_SECONDS are counted.
# Needs: go, tmux, cmus, sox, lame, pulseaudio (scripts/install-deps.sh test).
set -euo pipefail
cd "$(dirname "$0")/.."
play=${1:-30}
pause=${2:-10}
for c in go tmux cmus cmus-remote sox lame pulseaudio pactl; do
  command -v "$c" >/dev/null || { echo "tui-bytes: $c is not installed" >&2; exit 1; }
done

dir=$(mktemp -d /tmp/pcplay-tui-bytes.XXXXXX)
sock="$dir/tmux.sock"
fake_pid=
cleanup() {
  tmux -S "$sock" kill-server 2>/dev/null || true
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null || true
  scripts/alsa-capture/stop.sh "$dir/pa" 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then echo "tui-bytes: kept $dir" >&2; else rm -rf "$dir"; fi
}
trap cleanup EXIT

t() { tmux -S "$sock" -f /dev/null "$@"; }

# wait_screen SESSION TEXT: until the pane shows TEXT (30 s at most).
wait_screen() {
  for _ in $(seq 300); do
    grep -qF -- "$2" <<<"$(t capture-pane -p -t "$1" 2>/dev/null)" && return 0
    sleep 0.1
  done
  echo "tui-bytes: $1 never showed \"$2\"; its screen:" >&2
  t capture-pane -p -t "$1" >&2 || true
  exit 1
}

size() { stat -c %s "$1" 2>/dev/null || echo 0; }

echo "tui-bytes: building pcplay and the fake; making the track" >&2
go build -o "$dir/pcplay" .
go build -o "$dir/fakepcloud" ./bench/cmd/fakepcloud
mkdir -p "$dir/music" "$dir/pcplay-home/config" "$dir/pcplay-home/state" "$dir/pcplay-home/run" "$dir/cmus-home/.config/cmus"
chmod 700 "$dir/pcplay-home/run"
sox -q -n -r 44100 -c 2 -b 16 "$dir/tone.wav" synth 90 sine 440 vol -12dB
lame --quiet -b 128 --cbr "$dir/tone.wav" "$dir/music/bench.mp3"
track="$dir/music/bench.mp3"

# The fake pCloud: it prints its URL and a token.
"$dir/fakepcloud" -bitrate 128 "$track" >"$dir/fake.out" 2>"$dir/fake.err" &
fake_pid=$!
for _ in $(seq 100); do [ "$(wc -l <"$dir/fake.out")" -ge 2 ] && break; sleep 0.1; done
api_url=$(sed -n 1p "$dir/fake.out")
token=$(sed -n 2p "$dir/fake.out")
[ -n "$token" ] || { echo "tui-bytes: the fake did not start:" >&2; cat "$dir/fake.err" >&2; exit 1; }

# PulseAudio with a null sink, for cmus.
scripts/alsa-capture/start.sh "$dir/pa" >/dev/null
pulse="unix:$dir/pa/pa-run/pulse/native"
cat >"$dir/cmus-home/.config/cmus/rc" <<RC
set output_plugin=pulse
set resume=false
set mpris=false
RC

# Both in tmux at 120x40, every byte they write to the pane counted.
t new-session -d -s pcplay -x 120 -y 40 \
  "env -i PATH=/usr/bin:/bin TERM=tmux-256color LANG=C.UTF-8 HOME='$dir/pcplay-home' \
   XDG_CONFIG_HOME='$dir/pcplay-home/config' XDG_STATE_HOME='$dir/pcplay-home/state' \
   XDG_RUNTIME_DIR='$dir/pcplay-home/run' PCLOUD_TOKEN='$token' \
   '$dir/pcplay' --foreground --output null --bitrate 128 --api-url '$api_url'"
t pipe-pane -t pcplay -o "cat >>'$dir/pcplay.bytes'"
t new-session -d -s cmus -x 120 -y 40 \
  "env -i PATH=/usr/bin:/bin TERM=tmux-256color LANG=C.UTF-8 HOME='$dir/cmus-home' \
   PULSE_SERVER='$pulse' cmus --listen '$dir/cmus.sock'"
t pipe-pane -t cmus -o "cat >>'$dir/cmus.bytes'"
cr() { cmus-remote --server "$dir/cmus.sock" "$@"; }
# cmus_is STATUS: cmus reports that status (playing, paused).
cmus_is() { grep -q "^status $1" <<<"$(cr -Q 2>/dev/null)"; }

# Start playing: pcplay from its browser (into Music, enter on the file),
# cmus by its remote.
wait_screen pcplay "Music/"
t send-keys -t pcplay Enter
wait_screen pcplay "bench.mp3"
t send-keys -t pcplay Enter
# cmus stops at start with "Press <enter> to continue" when it has
# something to say (no D-Bus for MPRIS, say): let it go on.
for _ in $(seq 100); do
  scr=$(t capture-pane -p -t cmus 2>/dev/null)
  if grep -q "Press <enter>" <<<"$scr"; then t send-keys -t cmus Enter; fi
  [ -S "$dir/cmus.sock" ] && ! grep -q "Press <enter>" <<<"$scr" && timeout 2 cmus-remote --server "$dir/cmus.sock" -Q >/dev/null 2>&1 && break
  sleep 0.1
done
cr -f "$track"
wait_screen pcplay "Playing"
for _ in $(seq 100); do cmus_is playing && break; sleep 0.1; done
cmus_is playing || { echo "tui-bytes: cmus does not play:" >&2; cr -Q >&2; t capture-pane -p -t cmus >&2; exit 1; }

sleep 2
p0=$(size "$dir/pcplay.bytes"); c0=$(size "$dir/cmus.bytes")
sleep "$play"
p1=$(size "$dir/pcplay.bytes"); c1=$(size "$dir/cmus.bytes")
t send-keys -t pcplay Space
cr -u
wait_screen pcplay "Paused"
cmus_is paused || { echo "tui-bytes: cmus did not pause" >&2; exit 1; }
sleep 1
p2=$(size "$dir/pcplay.bytes"); c2=$(size "$dir/cmus.bytes")
sleep "$pause"
p3=$(size "$dir/pcplay.bytes"); c3=$(size "$dir/cmus.bytes")
# The last screens, for the record.
t capture-pane -p -t pcplay >"$dir/pcplay.screen"
t capture-pane -p -t cmus >"$dir/cmus.screen"

awk -v play="$play" -v pause="$pause" \
    -v pp=$((p1 - p0)) -v cp=$((c1 - c0)) -v pq=$((p3 - p2)) -v cq=$((c3 - c2)) '
function ratio(a, b) { if (b == 0) return (a == 0 ? "1 (both 0)" : "inf (cmus 0)"); return sprintf("%.2f", a / b) }
BEGIN {
  printf "terminal bytes/s at 120x40 (%d s playing, %d s paused)\n", play, pause
  printf "%-10s %12s %12s\n", "", "playing", "paused"
  printf "%-10s %12.1f %12.1f\n", "pcplay", pp / play, pq / pause
  printf "%-10s %12.1f %12.1f\n", "cmus", cp / play, cq / pause
  printf "%-10s %12s %12s\n", "pcplay/cmus", ratio(pp / play, cp / play), ratio(pq / pause, cq / pause)
}'
