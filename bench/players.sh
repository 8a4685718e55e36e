#!/usr/bin/env bash
# pcplay as a user runs it (the background engine, and the UI attached to it
# in a terminal) next to mpg123, mpv and cmus, all playing the same file
# through the same ALSA path in one run: CPU (% of one core) playing and
# paused, wakeups per second, RSS, and the ratios of issue 14, among them the
# engine against the go-mp3 decode floor measured in the same run.
#
#   bench/players.sh [SECONDS]        (default 20: each measuring window)
#
# Environment: BITRATES (default "128 320": one round per bitrate); KEEP=1
# keeps the work directory (logs, screens) and says where it is; PCPLAY=BIN
# measures that pcplay binary instead of building this tree (to compare a
# change); PCPLAY_ENV="VAR=VALUE ..." adds variables to pcplay's environment
# (the engine inherits them: GOMAXPROCS=1, PCPLAY_CONFIG=FILE, ...);
# PAUSE_SETTLE=S starts the paused window S seconds after the pause
# (default 12); PROFILE=DIR records `perf record -g` profiles of the pcplay engine
# and UI over the windows into DIR (engine-BR-play.perf, ui-BR-play.perf,
# ui-BR-pause.perf, engine-BR-pause.perf; read them with `perf report -i`),
# which perturbs the table a little (it says so).
#
# Each round:
#  - the track: 60 s, 44.1 kHz stereo, a two-tone chord over pink noise (so
#    that the encoder spends every bit, like music does), lame CBR at the
#    round's bitrate; made here with sox and lame (same seed every run);
#  - the floor: bench/cmd/mp3floor decodes that file with go-mp3 alone as
#    fast as it can and reports processor time per second of audio; it
#    runs before the players start and again after they stop, and the
#    round's floor is the mean of the two;
#  - pcplay: the real binary in a tmux pane at 120x40, with its own XDG
#    dirs and PCLOUD_TOKEN, against bench/cmd/fakepcloud (the fake pCloud on
#    loopback serving the file in /Music at the round's bitrate); the UI
#    starts the engine as it does for a user; keys open Music and play the
#    file, repeat all (the track loops);
#  - mpg123 -o alsa --loop -1 and mpv --ao=alsa --loop-file=inf (no UI), and
#    cmus (its curses UI in a tmux pane, output_plugin=alsa, repeat_current);
#  - ALSA's default device for every player is scripts/alsa-capture's: a
#    file plugin in front of the pulse plugin into a PulseAudio null sink
#    (PulseAudio's own CPU is not counted for anyone).
# All play at once and are measured over the same windows, so that the load
# others put on this shared machine falls on every player alike: 3 s to
# settle, SECONDS playing; then pcplay and cmus are paused, PAUSE_SETTLE
# (12 s) to settle, SECONDS paused (mpg123 and mpv, which have no pause
# here, go on playing).
#
# CPU is the on-CPU time of the process's threads (sum of
# /proc/PID/task/*/schedstat, nanoseconds; those alive at both ends of the
# window, and those born in it) over the window's wall time; wakeups/s are
# the same threads' voluntary + involuntary context switches
# (/proc/PID/task/*/status) over the window; RSS is VmRSS at the end of the
# playing window.
#
# Needs: go, tmux, mpg123, mpv, cmus, sox, lame, pulseaudio, pulseaudio-utils,
# libasound2-plugins. It says what to install and exits 1 when one is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
# The paused window begins this long after the pause: past the 10 s after
# which pcplay lets the sound device go (player/speaker.go speakerRelease),
# so that it measures a player left paused. PAUSE_SETTLE=2 measures the
# first seconds of a pause instead.
PAUSE_SETTLE=${PAUSE_SETTLE:-12}
bitrates=${BITRATES:-128 320}
case $secs in '' | *[!0-9]*) echo "usage: bench/players.sh [SECONDS]" >&2; exit 2 ;; esac

missing=()
for c in go:golang tmux:tmux mpg123:mpg123 mpv:mpv cmus:cmus cmus-remote:cmus sox:sox lame:lame \
  pulseaudio:pulseaudio pactl:pulseaudio-utils; do
  command -v "${c%%:*}" >/dev/null || missing+=("${c#*:}")
done
compgen -G "/usr/lib/*/alsa-lib/libasound_module_pcm_pulse.so" >/dev/null ||
  compgen -G "/usr/lib/alsa-lib/libasound_module_pcm_pulse.so" >/dev/null || missing+=(libasound2-plugins)
if [ ${#missing[@]} -gt 0 ]; then
  echo "players: missing; install with: apt-get install $(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')" >&2
  exit 1
fi

dir=$(mktemp -d /tmp/pcplay-players.XXXXXX)
sock="$dir/tmux.sock"
bg_pids=()    # processes started here outside tmux: stopped on exit
prof_pids=()  # perf record, with PROFILE
cleanup() {
  set +e
  for h in "$dir"/r*/pcplay-home; do
    [ -d "$h" ] && pcplay_env "$h" "$dir/pcplay" stop >/dev/null 2>&1
  done
  tmux -S "$sock" kill-server 2>/dev/null
  for p in "${prof_pids[@]}" "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${bg_pids[@]}"; do wait "$p" 2>/dev/null; done
  scripts/alsa-capture/stop.sh "$dir/pa" 2>/dev/null
  if [ -n "${KEEP:-}" ]; then echo "players: kept $dir" >&2; else rm -rf "$dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

say() { echo "players: $*" >&2; }
die() { say "$*"; exit 1; }
t() { tmux -S "$sock" -f /dev/null "$@"; }

# wait_screen SESSION TEXT: until the pane shows TEXT (30 s at most).
wait_screen() {
  for _ in $(seq 300); do
    grep -qF -- "$2" <<<"$(t capture-pane -p -t "$1" 2>/dev/null)" && return 0
    sleep 0.1
  done
  say "$1 never showed \"$2\"; its screen:"
  t capture-pane -p -t "$1" >&2 || true
  exit 1
}

# The environment of every player: ALSA's default device is the capture's
# (ALSA_CONFIG_PATH), with an XDG_RUNTIME_DIR that holds no PulseAudio
# socket, so that Debian's 99-pulse.conf leaves pcm.!default alone.
alsa_env() {
  echo "PATH=/usr/bin:/bin LANG=C.UTF-8 ALSA_CONFIG_PATH=$dir/pa/asound.conf"
}
# pcplay_env HOME CMD...: runs CMD with pcplay's own XDG dirs under HOME.
pcplay_env() {
  local h=$1; shift
  # shellcheck disable=SC2046
  env -i $(alsa_env) TERM=tmux-256color HOME="$h" XDG_CONFIG_HOME="$h/config" \
    XDG_STATE_HOME="$h/state" XDG_RUNTIME_DIR="$h/run" "$@"
}

# pid_of REGEX: the one process whose command line matches REGEX.
pid_of() {
  local p
  p=$(pgrep -f -- "$1" || true)
  [ "$(wc -w <<<"$p")" = 1 ] || die "expected one process matching $1, found: ${p:-none}"
  echo "$p"
}

# threads PID: one line per thread, "TID ON_CPU_NS SWITCHES".
threads() {
  local p=$1 d
  [ -d "/proc/$p/task" ] || die "process $p (${NAME[$p]:-?}) is gone"
  for d in /proc/"$p"/task/*; do
    awk -v tid="${d##*/}" 'FILENAME ~ /schedstat$/ { ns = $1; next }
         /^(non)?voluntary_ctxt_switches:/ { sw += $2 }
         END { if (ns != "") printf "%s %d %d\n", tid, ns, sw }' "$d/schedstat" "$d/status" 2>/dev/null
  done
}
# sample PID: "ON_CPU_NS SWITCHES" of the window that began with the
# threads in START[PID]: summed over the threads alive at both ends, plus
# the whole of those born since. A thread that ended within the window is
# left out (its last counts are gone with it): pcplay's engine ends
# libpulse's thread when it lets the device go, 10 s into a pause.
sample() {
  local p=$1
  awk 'NR == FNR { ns0[$1] = $2; sw0[$1] = $3; next }
       { ns += $2 - ($1 in ns0 ? ns0[$1] : 0); sw += $3 - ($1 in sw0 ? sw0[$1] : 0) }
       END { printf "%d %d\n", ns, sw }' <(printf '%s' "${START[$p]}") <(threads "$p")
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# rss_parts PID: "ANON FILE" (kB): the heap and stacks, and the mapped
# executable and libraries (shared, and given back under memory pressure).
rss_parts() { awk '/^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } END { print a, f }' "/proc/$1/status"; }
now() { date +%s.%N; }

declare -A NAME START
# window_start PIDS...; window_end KEY PIDS...: sets R[KEY.cpu.PID] (% of a
# core) and R[KEY.wake.PID] (per second) for the window between them.
declare -A R
T0=0
window_start() {
  local p
  T0=$(now)
  for p in "$@"; do START[$p]=$(threads "$p"); done
}
window_end() {
  local key=$1 p ns sw t1; shift
  t1=$(now)
  for p in "$@"; do
    read -r ns sw < <(sample "$p")
    R[$key.cpu.$p]=$(awk -v d="$ns" -v t0="$T0" -v t1="$t1" 'BEGIN { printf "%.2f", d / 1e7 / (t1 - t0) }')
    R[$key.wake.$p]=$(awk -v d="$sw" -v t0="$T0" -v t1="$t1" 'BEGIN { printf "%.1f", d / (t1 - t0) }')
  done
}

# profile NAME PID...: with PROFILE set, perf record on each PID (999 Hz,
# call graphs) until profile_stop; the files are NAME-PID's role.perf.
profile() {
  [ -n "${PROFILE:-}" ] || return 0
  local tag=$1 p role; shift
  for p in "$@"; do
    role=${NAME[$p]#pcplay }
    role=${role,,}
    perf record -q -F 999 -g -o "$PROFILE/$role-$tag.perf" -p "$p" >/dev/null 2>&1 &
    prof_pids+=($!)
  done
}
profile_stop() {
  local p
  for p in "${prof_pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  for p in "${prof_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  prof_pids=()
}

say "building pcplay, the fake pCloud and mp3floor"
if [ -n "${PCPLAY:-}" ]; then
  [ -x "$PCPLAY" ] || die "PCPLAY=$PCPLAY is not an executable"
  cp "$PCPLAY" "$dir/pcplay"
else
  go build -o "$dir/pcplay" .
fi
if [ -n "${PROFILE:-}" ]; then
  command -v perf >/dev/null || die "PROFILE needs perf (apt-get install linux-perf)"
  mkdir -p "$PROFILE"
  PROFILE=$(cd "$PROFILE" && pwd)
fi
go build -o "$dir/fakepcloud" ./bench/cmd/fakepcloud
go build -o "$dir/mp3floor" ./bench/cmd/mp3floor
go build -o "$dir/alsafloor" ./bench/cmd/alsafloor
say "making the 60 s track"
sox -R -q -n -r 44100 -c 2 -b 16 "$dir/tone.wav" synth 60 sine 220 sine 330 vol -14dB
sox -R -q -n -r 44100 -c 2 -b 16 "$dir/noise.wav" synth 60 pinknoise vol -26dB
sox -q -m "$dir/tone.wav" "$dir/noise.wav" "$dir/track.wav"
scripts/alsa-capture/start.sh "$dir/pa" >/dev/null
bg_pids+=("$(cat "$dir/pa/pulseaudio.pid")")

echo "# bench/players.sh $secs: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
[ -z "${PROFILE:-}" ] || echo "# PROFILE: perf record runs on the pcplay engine and UI during the windows; the figures include its cost"
[ -z "${PCPLAY:-}" ] || echo "# PCPLAY=$PCPLAY"
[ -z "${PCPLAY_ENV:-}" ] || echo "# PCPLAY_ENV=$PCPLAY_ENV"
echo "# $(go version | cut -d' ' -f3), pcplay $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo '+dirty'), $(mpg123 --version | head -1 | cut -d' ' -f1-2), $(mpv --version | head -1 | cut -d' ' -f1-2), $(cmus --version | head -1)"

round() {
  local br=$1 rd="$dir/r$1" h api_url token fake ui eng cmus mpv mpg af floor
  mkdir -p "$rd/music" "$rd/pcplay-home/config" "$rd/pcplay-home/state" "$rd/pcplay-home/run" \
    "$rd/cmus-home/.config/cmus" "$rd/run"
  chmod 700 "$rd/pcplay-home/run" "$rd/run"
  h="$rd/pcplay-home"
  local track="$rd/music/bench.mp3"
  lame --quiet -b "$br" --cbr "$dir/track.wav" "$track"

  say "$br kbit/s: the go-mp3 floor"
  floor=$("$dir/mp3floor" "$track")
  local floor_pct floor1=${floor##*floor_pct=} floor2

  say "$br kbit/s: starting the players"
  "$dir/fakepcloud" -bitrate "$br" "$track" >"$rd/fake.out" 2>"$rd/fake.err" &
  fake=$!; bg_pids+=("$fake")
  for _ in $(seq 100); do [ "$(wc -l <"$rd/fake.out")" -ge 2 ] && break; sleep 0.1; done
  api_url=$(sed -n 1p "$rd/fake.out")
  token=$(sed -n 2p "$rd/fake.out")
  [ -n "$token" ] || die "the fake pCloud did not start: $(cat "$rd/fake.err")"
  # The token goes through the environment, never argv: the pane runs a
  # script that reads it from a file and exports it.
  printf '%s' "$token" >"$rd/token"
  cat >"$rd/pcplay.sh" <<SH
PCLOUD_TOKEN=\$(cat '$rd/token')
export PCLOUD_TOKEN
exec '$dir/pcplay' --bitrate $br --api-url '$api_url'
SH
  # shellcheck disable=SC2046
  t new-session -d -s "pcplay$br" -x 120 -y 40 \
    "exec env -i $(alsa_env) TERM=tmux-256color HOME='$h' XDG_CONFIG_HOME='$h/config' \
     XDG_STATE_HOME='$h/state' XDG_RUNTIME_DIR='$h/run' ${PCPLAY_ENV:-} sh '$rd/pcplay.sh'"

  cat >"$rd/cmus-home/.config/cmus/rc" <<RC
set output_plugin=alsa
set resume=false
set mpris=false
set repeat_current=true
set continue=true
RC
  # shellcheck disable=SC2046
  t new-session -d -s "cmus$br" -x 120 -y 40 \
    "exec env -i $(alsa_env) TERM=tmux-256color HOME='$rd/cmus-home' XDG_RUNTIME_DIR='$rd/run' \
     cmus --listen '$rd/cmus.sock'"
  # shellcheck disable=SC2046
  env -i $(alsa_env) HOME="$dir/pa/home" XDG_RUNTIME_DIR="$dir/pa/empty-run" \
    mpg123 -q -o alsa --loop -1 "$track" </dev/null >"$rd/mpg123.out" 2>&1 &
  mpg=$!; bg_pids+=("$mpg")
  # shellcheck disable=SC2046
  env -i $(alsa_env) HOME="$dir/pa/home" XDG_RUNTIME_DIR="$dir/pa/empty-run" \
    mpv --no-config --no-video --no-terminal --ao=alsa --loop-file=inf "$track" </dev/null >"$rd/mpv.out" 2>&1 &
  mpv=$!; bg_pids+=("$mpv")
  # shellcheck disable=SC2046
  env -i $(alsa_env) HOME="$dir/pa/home" XDG_RUNTIME_DIR="$dir/pa/empty-run" \
    "$dir/alsafloor" "$track" </dev/null >"$rd/alsafloor.out" 2>&1 &
  af=$!; bg_pids+=("$af")

  # pcplay: into Music, play the file, repeat all.
  wait_screen "pcplay$br" "Music/"
  t send-keys -t "pcplay$br" Enter
  wait_screen "pcplay$br" "bench.mp3"
  t send-keys -t "pcplay$br" Enter
  wait_screen "pcplay$br" "Playing"
  t send-keys -t "pcplay$br" r
  wait_screen "pcplay$br" "repeat all"
  # cmus stops at start with "Press <enter> to continue" when it has
  # something to say: let it go on.
  local scr
  for _ in $(seq 100); do
    scr=$(t capture-pane -p -t "cmus$br" 2>/dev/null)
    if grep -q "Press <enter>" <<<"$scr"; then t send-keys -t "cmus$br" Enter; fi
    [ -S "$rd/cmus.sock" ] && ! grep -q "Press <enter>" <<<"$scr" &&
      timeout 2 cmus-remote --server "$rd/cmus.sock" -Q >/dev/null 2>&1 && break
    sleep 0.1
  done
  cr() { cmus-remote --server "$rd/cmus.sock" "$@"; }
  cr -f "$track"
  for _ in $(seq 100); do grep -q "^status playing" <<<"$(cr -Q 2>/dev/null)" && break; sleep 0.1; done
  grep -q "^status playing" <<<"$(cr -Q 2>/dev/null)" || die "cmus does not play: $(cr -Q 2>&1; t capture-pane -p -t "cmus$br")"

  eng=$(pid_of "^$dir/pcplay .*engine\$")
  ui=$(pid_of "^$dir/pcplay --bitrate $br --api-url [^ ]*\$")
  cmus=$(t display -p -t "cmus$br" '#{pane_pid}')
  [ "$(cat "/proc/$cmus/comm")" = cmus ] || die "cmus's pane runs $(cat "/proc/$cmus/comm"), not cmus"
  NAME[$eng]="pcplay engine" NAME[$ui]="pcplay UI" NAME[$cmus]=cmus NAME[$mpv]=mpv NAME[$mpg]=mpg123
  NAME[$af]="go-mp3 → ALSA, one goroutine (alsafloor)"
  local all=("$eng" "$ui" "$cmus" "$mpv" "$mpg" "$af") p
  for p in "${all[@]}"; do kill -0 "$p" 2>/dev/null || die "${NAME[$p]} is not running"; done

  say "$br kbit/s: 3 s to settle, $secs s playing"
  sleep 3
  profile "$br-play" "$eng" "$ui"
  window_start "${all[@]}"
  sleep "$secs"
  window_end play "${all[@]}"
  profile_stop
  for p in "${all[@]}"; do R[rss.$p]=$(rss_kb "$p") R[parts.$p]=$(rss_parts "$p"); done

  say "$br kbit/s: pausing pcplay and cmus; ${PAUSE_SETTLE} s to settle, $secs s paused"
  t send-keys -t "pcplay$br" Space
  cr -u
  wait_screen "pcplay$br" "Paused"
  grep -q "^status paused" <<<"$(cr -Q)" || die "cmus did not pause"
  sleep "$PAUSE_SETTLE"
  profile "$br-pause" "$eng" "$ui"
  window_start "$eng" "$ui" "$cmus"
  sleep "$secs"
  window_end pause "$eng" "$ui" "$cmus"
  profile_stop
  t capture-pane -p -t "pcplay$br" >"$rd/pcplay.screen"
  t capture-pane -p -t "cmus$br" >"$rd/cmus.screen"

  # Stop this round's players (the trap does it too, should this fail).
  pcplay_env "$h" "$dir/pcplay" stop >/dev/null 2>&1 || true
  t kill-session -t "pcplay$br" 2>/dev/null || true
  cr -C quit 2>/dev/null || true
  t kill-session -t "cmus$br" 2>/dev/null || true
  kill "$mpg" "$mpv" "$af" "$fake" 2>/dev/null || true
  wait "$mpg" "$mpv" "$af" "$fake" 2>/dev/null || true
  rm -f "$dir"/pa/cap.raw*
  # The floor again, the players stopped: the mean of the two is the
  # round's floor (one measure moves with what the machine does then).
  floor=$("$dir/mp3floor" "$track")
  floor2=${floor##*floor_pct=}
  floor_pct=$(awk -v a="$floor1" -v b="$floor2" 'BEGIN { printf "%.3f", (a + b) / 2 }')
  local rtf
  rtf=$(awk -v f="$floor_pct" 'BEGIN { printf "%.1f", 100 / f }')

  # The table.
  echo
  echo "## $br kbit/s CBR, 60 s track, ${secs} s windows; go-mp3 floor: ${floor_pct}% of a core (${rtf}x real time; the mean of ${floor1} before the round and ${floor2} after it)"
  echo
  echo "| player | CPU playing (% of a core) | × floor | CPU paused | wakeups/s playing | wakeups/s paused | RSS (MB) |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  local row
  for p in "${all[@]}"; do
    row=$(awk -v c="${R[play.cpu.$p]}" -v f="$floor_pct" 'BEGIN { printf "%.1f", c / f }')
    printf '| %s | %s | %s | %s | %s | %s | %.1f |\n' "${NAME[$p]}" "${R[play.cpu.$p]}" "$row" \
      "${R[pause.cpu.$p]:-—}" "${R[play.wake.$p]}" "${R[pause.wake.$p]:-—}" \
      "$(awk -v k="${R[rss.$p]}" 'BEGIN { print k / 1024 }')"
  done
  echo
  awk -v e="${R[play.cpu.$eng]}" -v u="${R[play.cpu.$ui]}" -v f="$floor_pct" -v m="${R[play.cpu.$mpv]}" \
    -v c="${R[play.cpu.$cmus]}" -v g="${R[play.cpu.$mpg]}" -v up="${R[pause.cpu.$ui]}" -v a="${R[play.cpu.$af]}" \
    -v er="${R[rss.$eng]}" -v ur="${R[rss.$ui]}" -v ep="${R[parts.$eng]}" -v upp="${R[parts.$ui]}" '
    function r(a, b) { return b > 0 ? sprintf("%.2fx", a / b) : "n/a" }
    BEGIN {
      printf "- engine / go-mp3 floor: %s (goal ≤ 1.5x); engine / alsafloor (decode + output, one goroutine): %s\n", r(e, f), r(e, a)
      printf "- engine / mpv: %s (goal < 1); engine / cmus: %s; engine / mpg123: %s\n", r(e, m), r(e, c), r(e, g)
      printf "- engine + UI / cmus (UI and player in one): %s\n", r(e + u, c)
      printf "- UI: %.2f%% playing (goal ≤ 0.3), %.2f%% paused (goal 0.0)\n", u, up
      split(ep, e2, " "); split(upp, u2, " ")
      printf "- RSS: engine %.1f MB (goal ≤ 20; anon %.1f + file %.1f), UI %.1f MB (goal ≤ 16; anon %.1f + file %.1f)\n", er / 1024, e2[1] / 1024, e2[2] / 1024, ur / 1024, u2[1] / 1024, u2[2] / 1024
    }'
}

for br in $bitrates; do
  case $br in '' | *[!0-9]*) die "BITRATES must be numbers (kbit/s), not $br" ;; esac
  round "$br"
done
