#!/usr/bin/env bash
# How fast pcplay starts and plays, and how much memory it holds over a long
# play (issue 14, goals 3 and 4), with the real binary as a user runs it.
#
#   bench/startup.sh [RUNS] [PLAY_SECONDS] [LONG_SECONDS]   (defaults 10 60 600)
#   bench/startup.sh 10 60 7200     # the 2-hour play
#
# Environment: PCPLAY=BIN measures that binary instead of building this tree;
# PCPLAY_ENV="VAR=VALUE ..." adds to pcplay's environment (GOGC=..., ...);
# NOINDEX=1 runs the engine without its library index (library.db is made a
# directory, so the engine logs "no music library" and plays on); KEEP=1
# keeps the work directory (logs, the engine's log).
#
# Set-up: bench/cmd/fakepcloud (the fake pCloud on loopback) serves one 60 s
# track (a chord over pink noise, lame CBR 128 kbit/s) in /Music; pcplay has
# its own XDG dirs and a saved login (token.json, as `pcplay login` writes
# it; the token never goes through argv); ALSA's default device is
# scripts/alsa-capture's (a file plugin in front of a PulseAudio null sink).
# bench/cmd/starttime runs pcplay in a 120x40 pty read by a terminal
# emulator and timestamps what it shows.
#
#  (a) exec of `pcplay` to the first screen listing the root folder (Music/
#      shown), the engine already running; RUNS times, then q (detach).
#  (b) the same with no engine running: pcplay starts it (pcplay stop
#      between runs). One uncounted run first warms the page cache.
#  (c) Enter on the track (first in each run of (b): the engine's first play,
#      new connections; then here) to the first sample above -80 dBFS in a
#      recording of the null sink's monitor (parec, 5 ms fragments): what
#      is played, PulseAudio's latency and the recording's included;
#      engine running; RUNS times in one UI, with `pcplay ctl clear`
#      between, so that each is a new play (the link, the first bytes, the
#      decoder, the device). (Not the capture file: ALSA's file plugin
#      holds back one buffer of written frames, see bench/README.md.)
#      Beside it the loopback RTT: GET /userinfo on the fake, median of 20
#      on a new connection each, and on one kept alive.
#  (d) play the track with repeat all, the UI attached: VmRSS (anon + file)
#      of the engine and the UI after PLAY_SECONDS (and PSS: the executable's
#      pages, shared by the two, count half), then the engine's and
#      the UI's VmRSS every 10 s until LONG_SECONDS, with the least-squares
#      slope after the first PLAY_SECONDS (kB per minute) and the maximum.
#
# Times are wall-clock on a shared machine: compare within a run.
# Needs: go, sox, lame, pulseaudio, pulseaudio-utils, libasound2-plugins.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
play=${2:-60}
long=${3:-600}
for v in "$runs" "$play" "$long"; do
  case $v in '' | *[!0-9]*) echo "usage: bench/startup.sh [RUNS] [PLAY_SECONDS] [LONG_SECONDS]" >&2; exit 2 ;; esac
done
[ "$long" -ge "$play" ] || { echo "startup: LONG_SECONDS must be >= PLAY_SECONDS" >&2; exit 2; }
missing=()
for c in go:golang sox:sox lame:lame pulseaudio:pulseaudio pactl:pulseaudio-utils parec:pulseaudio-utils; do
  command -v "${c%%:*}" >/dev/null || missing+=("${c#*:}")
done
compgen -G "/usr/lib/*/alsa-lib/libasound_module_pcm_pulse.so" >/dev/null ||
  compgen -G "/usr/lib/alsa-lib/libasound_module_pcm_pulse.so" >/dev/null || missing+=(libasound2-plugins)
if [ ${#missing[@]} -gt 0 ]; then
  echo "startup: missing; install with: apt-get install ${missing[*]}" >&2
  exit 1
fi

dir=$(mktemp -d /tmp/pcplay-startup.XXXXXX)
h="$dir/home"
bg_pids=()
cleanup() {
  set +e
  [ -n "${uipid:-}" ] && kill "$uipid" 2>/dev/null
  [ -x "$dir/pcplay" ] && pcplay_env "$dir/pcplay" stop >/dev/null 2>&1
  for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${bg_pids[@]}"; do wait "$p" 2>/dev/null; done
  scripts/alsa-capture/stop.sh "$dir/pa" 2>/dev/null
  if [ -n "${KEEP:-}" ]; then echo "startup: kept $dir" >&2; else rm -rf "$dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
say() { echo "startup: $*" >&2; }
die() { say "$*"; exit 1; }

# pcplay_env CMD...: CMD with pcplay's own XDG dirs and the capture's ALSA.
pcplay_env() {
  # shellcheck disable=SC2086
  env -i PATH=/usr/bin:/bin LANG=C.UTF-8 TERM=xterm-256color HOME="$h" \
    XDG_CONFIG_HOME="$h/config" XDG_STATE_HOME="$h/state" XDG_RUNTIME_DIR="$h/run" \
    ALSA_CONFIG_PATH="$dir/pa/asound.conf" ${PCPLAY_ENV:-} "$@"
}
# ui STEP...: pcplay in starttime's pty, with the steps; sound= steps
# watch the recording of the sink ($dir/rec/cap.raw).
ui() { pcplay_env "$dir/starttime" -capture "$dir/rec" -- "$dir/pcplay" --bitrate 128 --api-url "$api_url" ::: "$@"; }
engine_pid() { pgrep -f -- "^$dir/pcplay .*engine\$" || true; }
# stats LABEL < numbers: "LABEL: min M, median M, max M (n N)".
stats() {
  sort -n | awk -v l="$1" '{ v[NR] = $1 } END {
    if (NR == 0) { printf "%s: no data\n", l; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%s: min %.1f, median %.1f, max %.1f ms (n %d)\n", l, v[1], m, v[NR], NR }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

say "building pcplay, the fake pCloud and starttime; making the track"
if [ -n "${PCPLAY:-}" ]; then
  [ -x "$PCPLAY" ] || die "PCPLAY=$PCPLAY is not an executable"
  cp "$PCPLAY" "$dir/pcplay"
else
  go build -o "$dir/pcplay" .
fi
go build -o "$dir/fakepcloud" ./bench/cmd/fakepcloud
go build -o "$dir/starttime" ./bench/cmd/starttime
mkdir -p "$dir/music" "$h/config/pcplay" "$h/state/pcplay" "$h/run"
chmod 700 "$h/config/pcplay" "$h/run"
sox -R -q -n -r 44100 -c 2 -b 16 "$dir/tone.wav" synth 60 sine 220 sine 330 vol -14dB
sox -R -q -n -r 44100 -c 2 -b 16 "$dir/noise.wav" synth 60 pinknoise vol -26dB
sox -q -m "$dir/tone.wav" "$dir/noise.wav" "$dir/track.wav"
lame --quiet -b 128 --cbr "$dir/track.wav" "$dir/music/bench.mp3"
[ -z "${NOINDEX:-}" ] || mkdir -p "$h/state/pcplay/library.db"
scripts/alsa-capture/start.sh "$dir/pa" >/dev/null
bg_pids+=("$(cat "$dir/pa/pulseaudio.pid")")
# What the null sink plays, for (c): float32 stereo 44.1 kHz, as the capture.
mkdir -p "$dir/rec"
PULSE_SERVER="unix:$dir/pa/pa-run/pulse/native" parec --latency-msec=5 -d nullsink.monitor \
  --format=float32le --rate=44100 --channels=2 --raw >"$dir/rec/cap.raw" 2>"$dir/rec/parec.err" &
parec_pid=$!
bg_pids+=("$parec_pid")

"$dir/fakepcloud" -bitrate 128 "$dir/music/bench.mp3" >"$dir/fake.out" 2>"$dir/fake.err" &
bg_pids+=($!)
for _ in $(seq 100); do [ "$(wc -l <"$dir/fake.out")" -ge 2 ] && break; sleep 0.1; done
api_url=$(sed -n 1p "$dir/fake.out")
[ -n "$(sed -n 2p "$dir/fake.out")" ] || die "the fake pCloud did not start: $(cat "$dir/fake.err")"
# The saved login, as `pcplay login` leaves it (0600 in a 0700 directory).
(umask 077; sed -n 2p "$dir/fake.out" | awk '{ printf "{\"token\": \"%s\", \"kind\": \"auth\", \"region\": \"us\"}\n", $1 }' \
  >"$h/config/pcplay/token.json")

echo "# bench/startup.sh $runs $play $long: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
[ -z "${PCPLAY:-}" ] || echo "# PCPLAY=$PCPLAY"
[ -z "${PCPLAY_ENV:-}" ] || echo "# PCPLAY_ENV=$PCPLAY_ENV"
[ -z "${NOINDEX:-}" ] || echo "# NOINDEX: the engine runs without its library index"
echo "# $(go version | cut -d' ' -f3), pcplay $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo '+dirty')"

say "(b) no engine running: $runs starts (+1 warm-up), each then plays the track"
: >"$dir/b.ms"
: >"$dir/c1.ms"
for i in $(seq 0 "$runs"); do
  [ -z "$(engine_pid)" ] || die "an engine is still running before run $i"
  out=$(ui wait=Music/ 'send=\r' wait=bench.mp3 'sound=\r' wait=Playing) || die "run $i: $out"
  if [ "$i" != 0 ]; then
    awk '$1 == "screen" { print $2; exit }' <<<"$out" >>"$dir/b.ms"
    awk '$1 == "sound" { print $2 }' <<<"$out" >>"$dir/c1.ms"
  fi
  [ -n "$(engine_pid)" ] || die "pcplay did not start an engine"
  pcplay_env "$dir/pcplay" stop >/dev/null
  for _ in $(seq 100); do [ -z "$(engine_pid)" ] && break; sleep 0.05; done
  rm -f "$h/state/pcplay/session.json" # the next start is a first one too
done

say "(a) engine running: $runs starts"
pcplay_env "$dir/starttime" -- "$dir/pcplay" --bitrate 128 --api-url "$api_url" ::: wait=Music/ >/dev/null
[ -n "$(engine_pid)" ] || die "no engine"
: >"$dir/a.ms"
for _ in $(seq "$runs"); do
  out=$(ui wait=Music/) || die "$out"
  awk '$1 == "screen" { print $2 }' <<<"$out" >>"$dir/a.ms"
done

say "(c) Enter on the track to the first sound, engine running: $runs plays"
steps=(wait=Music/ 'send=\r' wait=bench.mp3)
for _ in $(seq "$runs"); do steps+=('sound=\r' wait=Playing "sh=$dir/pcplay ctl clear" 'wait=queue is empty' sleep=300ms); done
out=$(ui "${steps[@]}") || die "$out"
awk '$1 == "sound" { print $2 }' <<<"$out" >"$dir/c.ms"
# shellcheck disable=SC2046
rtt=$(pcplay_env PCLOUD_TOKEN="$(sed -n 2p "$dir/fake.out")" "$dir/starttime" -rtt "$api_url")
rtt_new=$(awk '$1 == "rtt_new" { print $2 }' <<<"$rtt")
rtt_kept=$(awk '$1 == "rtt_kept" { print $2 }' <<<"$rtt")

kill "$parec_pid" 2>/dev/null || true
rm -f "$dir/rec/cap.raw"

say "(d) playing with repeat all for $long s (RSS after $play s, then every 10 s)"
# (c) left the UI in Music (the session keeps the folder), on the track.
ui wait=bench.mp3 'send=\r' wait=Playing send=r 'wait=repeat all' "hold=$((long + 2))s" >"$dir/d.out" &
hold=$!
bg_pids+=("$hold")
for _ in $(seq 300); do grep -q '^pid ' "$dir/d.out" && break; sleep 0.1; done
uipid=$(awk '$1 == "pid" { print $2 }' "$dir/d.out")
eng=$(engine_pid)
[ -n "$uipid" ] && [ -n "$eng" ] || die "(d) did not start playing: $(cat "$dir/d.out")"
rss() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }
# pss PID: the proportional set size (kB): pages shared with the other
# pcplay process (the executable) count half.
pss() { awk '$1 == "Pss:" { print $2 }' "/proc/$1/smaps_rollup"; }
: >"$dir/d.rss"
t0=$(date +%s)
for ((s = 0; s <= long; s += 10)); do
  while [ $(($(date +%s) - t0)) -lt "$s" ]; do sleep 0.2; done
  kill -0 "$eng" 2>/dev/null || die "the engine is gone at $s s"
  truncate -s 0 "$dir"/pa/cap.raw* # (d) needs no capture: 350 kB/s of disk
  echo "$s $(rss "$eng" VmRSS) $(rss "$uipid" VmRSS)" >>"$dir/d.rss"
  if [ "$s" = "$play" ]; then
    at_play="$(rss "$eng" VmRSS) $(rss "$eng" RssAnon) $(rss "$eng" RssFile) $(pss "$eng") $(rss "$uipid" VmRSS) $(rss "$uipid" RssAnon) $(rss "$uipid" RssFile) $(pss "$uipid")"
  fi
done
wait "$hold" || die "(d): $(cat "$dir/d.out")"

echo
echo "## Start and first sound, $runs runs each (loopback, 120x40 pty)"
echo
stats "(a) pcplay → first listed screen, engine running (goal ≤ 150)" <"$dir/a.ms"
stats "(b) pcplay → first listed screen, engine started (goal ≤ 400)" <"$dir/b.ms"
stats "(c) Enter on a track → first sound played, the engine's first play (goal ≤ 1 RTT + 100)" <"$dir/c1.ms"
stats "(c) Enter on a track → first sound played, engine has played (goal ≤ 1 RTT + 100)" <"$dir/c.ms"
awk -v n="$rtt_new" -v k="$rtt_kept" -v c1="$(median <"$dir/c1.ms")" -v c="$(median <"$dir/c.ms")" 'BEGIN {
  printf "    loopback RTT (GET /userinfo): %.2f ms new connection, %.2f ms kept alive\n", n, k
  printf "    (c) medians = 1 RTT + %.1f ms (first play), 1 RTT + %.1f ms (engine has played)\n", c1 - n, c - n }'
echo
echo "## Memory while playing (128 kbit/s, repeat all, UI attached)"
echo
read -r er ea ef ep ur ua uf up <<<"$at_play"
awk -v p="$play" -v er="$er" -v ea="$ea" -v ef="$ef" -v ep="$ep" -v ur="$ur" -v ua="$ua" -v uf="$uf" -v up="$up" 'BEGIN {
  printf "after %d s: engine %.1f MB (anon %.1f + file %.1f; PSS %.1f; goal ≤ 20), UI %.1f MB (anon %.1f + file %.1f; PSS %.1f; goal ≤ 16)\n",
    p, er / 1024, ea / 1024, ef / 1024, ep / 1024, ur / 1024, ua / 1024, uf / 1024, up / 1024 }'
awk -v p="$play" '
  { t[NR] = $1; e[NR] = $2; u[NR] = $3; if ($2 > em) em = $2; if ($3 > um) um = $3 }
  function slope(v,   i, n, sx, sy, sxx, sxy) {
    for (i = 1; i <= NR; i++) if (t[i] >= p) { n++; sx += t[i]; sy += v[i]; sxx += t[i] * t[i]; sxy += t[i] * v[i] }
    if (n < 2 || n * sxx == sx * sx) return "n/a"
    return sprintf("%+.1f", (n * sxy - sx * sy) / (n * sxx - sx * sx) * 60)
  }
  END {
    printf "over %d s (%d samples): engine %.1f → %.1f MB (max %.1f), slope after %d s %s kB/min; UI %.1f → %.1f MB (max %.1f), slope %s kB/min\n",
      t[NR], NR, e[1] / 1024, e[NR] / 1024, em / 1024, p, slope(e), u[1] / 1024, u[NR] / 1024, um / 1024, slope(u)
  }' "$dir/d.rss"
[ -z "${KEEP:-}" ] || cp "$dir/d.rss" "$dir/rss.txt"
