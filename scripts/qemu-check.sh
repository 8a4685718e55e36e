#!/usr/bin/env bash
# Runs a release binary of another architecture under qemu user emulation
# and checks that it works: `--version`, then the demo library in a tmux
# pane (the UI needs a terminal) on the null output and on a WAV file:
# the Songs view, enter on the first song, the clock must move (null) and
# the WAV file must grow as the music plays (WAV); and on the speaker,
# which has no libasound for that architecture here: the no-device
# sentence and exit status 3, not a crash.
#
#   qemu-check.sh BINARY [QEMU]     QEMU default: qemu-aarch64-static
#
# The binary is dynamically linked to libc (the speaker's purego opens
# libasound at run time), so qemu runs it with that architecture's C
# library: QEMU_LD_PREFIX, by default Debian's cross libc
# (/usr/aarch64-linux-gnu from libc6-arm64-cross for qemu-aarch64,
# /usr/arm-linux-gnueabihf from libc6-armhf-cross for qemu-arm).
#
# Needs qemu-user-static, libc6-arm64-cross and tmux (scripts/install-deps.sh
# ci). Takes about 25 s. Exit status 0: it plays.
set -euo pipefail
bin=${1:?usage: qemu-check.sh BINARY [QEMU]}
qemu=${2:-qemu-aarch64-static}
command -v "$qemu" >/dev/null || { echo "qemu-check.sh: $qemu is missing (Debian: qemu-user-static; scripts/install-deps.sh ci)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "qemu-check.sh: tmux is missing (scripts/install-deps.sh ci)" >&2; exit 1; }
if [ -z "${QEMU_LD_PREFIX:-}" ]; then
  case $(basename "$qemu") in
    qemu-aarch64*) QEMU_LD_PREFIX=/usr/aarch64-linux-gnu libc=libc6-arm64-cross ;;
    qemu-arm*) QEMU_LD_PREFIX=/usr/arm-linux-gnueabihf libc=libc6-armhf-cross ;;
    *) echo "qemu-check.sh: set QEMU_LD_PREFIX to the C library of $qemu's architecture" >&2; exit 1 ;;
  esac
  [ -d "$QEMU_LD_PREFIX/lib" ] || { echo "qemu-check.sh: $QEMU_LD_PREFIX is missing (Debian: $libc; scripts/install-deps.sh ci)" >&2; exit 1; }
fi
export QEMU_LD_PREFIX
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
start=$(date +%s)

fail() {
  echo "qemu-check.sh: $*" >&2
  if [ -n "${pane:-}" ]; then
    echo "--- the screen:" >&2
    tmux -L "$sock" capture-pane -p -t "$pane" >&2 2>/dev/null || true
  fi
  exit 1
}

v=$("$qemu" "$bin" --version) || fail "$bin --version failed under $qemu"
case $(head -1 <<<"$v") in
  "pcplay "[0-9]*) ;;
  *) fail "--version says \"$v\"; want its first line to be pcplay VERSION" ;;
esac
echo "qemu-check.sh: $(head -1 <<<"$v")" >&2

tmp=$(mktemp -d)
sock=pcplay-qemu-$$
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# wait_for SECONDS PATTERN: until the screen matches PATTERN (grep -E; a
# line the terminal wrapped is one line).
wait_for() {
  local until=$(($(date +%s) + $1))
  while [ "$(date +%s)" -lt "$until" ]; do
    tmux -L "$sock" capture-pane -pJ -t "$pane" 2>/dev/null | grep -Eq -- "$2" && return 0
    sleep 0.3
  done
  return 1
}

# clock: the elapsed seconds of the now-playing line ("0:04 / 0:28" -> 4).
clock() {
  tmux -L "$sock" capture-pane -p -t "$pane" | grep -Eo '[0-9]+:[0-9]{2} / [0-9]+:[0-9]{2}' | head -1 |
    awk -F'[: ]' '{print $1*60+$2}' || true
}

# demo OUTPUT: start the demo in a fresh pane, play the first song.
demo() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  mkdir -p "$tmp/home"
  pane=main
  tmux -L "$sock" -f /dev/null new-session -d -s "$pane" -x 120 -y 40 \
    "env HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/config XDG_STATE_HOME=$tmp/home/state XDG_RUNTIME_DIR= TERM=xterm-256color \
     QEMU_LD_PREFIX=$QEMU_LD_PREFIX $qemu $bin --demo --output $1 --log $tmp/log; echo exit=\$? >$tmp/exit; sleep 60"
  [ "$1" = speaker ] && return
  wait_for 30 'Demo Artist' || fail "the demo's folders did not show within 30 s (--output $1)"
  tmux -L "$sock" send-keys -t "$pane" 4
  wait_for 15 '[0-9]+ songs' || fail "the Songs view shows no song (--output $1)"
  tmux -L "$sock" send-keys -t "$pane" Enter
  wait_for 15 '▶ Playing' || fail "enter on a song did not play it (--output $1)"
}

# quit: Q stops and quits; the exit status must be 0.
quit() {
  rm -f "$tmp/exit"
  tmux -L "$sock" send-keys -t "$pane" Q
  for _ in $(seq 50); do [ -f "$tmp/exit" ] && break; sleep 0.2; done
  [ "$(cat "$tmp/exit" 2>/dev/null)" = exit=0 ] || fail "Q did not end pcplay with status 0 ($(cat "$tmp/exit" 2>/dev/null || echo still running))"
}

demo null
c1=$(clock)
sleep 3
c2=$(clock)
[ -n "$c1" ] && [ -n "$c2" ] && [ "$c2" -gt "$c1" ] || fail "the clock did not move on the null output ($c1 s, then $c2 s)"
quit
echo "qemu-check.sh: the demo plays on the null output (clock ${c1} s -> ${c2} s)" >&2

wav=$tmp/demo.wav
demo "$wav"
s1=$(stat -c %s "$wav")
sleep 3
s2=$(stat -c %s "$wav")
# 44.1 kHz, 16-bit stereo: 176400 bytes a second; 3 s give 529200, at
# least half of that under a slow emulator.
[ $((s2 - s1)) -gt 264600 ] || fail "the WAV output grew by $((s2 - s1)) bytes in 3 s, want over 264600"
quit
echo "qemu-check.sh: the demo plays into a WAV file ($(( (s2 - s1) / 1024 )) KiB in 3 s)" >&2

# The speaker: no libasound for this architecture here, so the sentence
# that names it, and exit status 3 (make demo then falls back to null).
rm -f "$tmp/exit"
demo speaker
for _ in $(seq 150); do [ -f "$tmp/exit" ] && break; sleep 0.2; done
[ "$(cat "$tmp/exit" 2>/dev/null)" = exit=3 ] || fail "--output speaker without libasound: want exit status 3, got $(cat "$tmp/exit" 2>/dev/null || echo none within 30 s)"
wait_for 5 'libasound\.so\.2 is not installed.*--output null' || fail "--output speaker without libasound did not say that libasound.so.2 is missing"
echo "qemu-check.sh: without libasound the speaker says so and exits 3; all in $(( $(date +%s) - start )) s" >&2
