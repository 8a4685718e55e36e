#!/usr/bin/env bash
# CPU% and peak RSS of pcplay's pipeline playing a file to the speaker for
# SECONDS, next to `mpg123 -o alsa` on the same file in the same run. The
# speaker is ALSA's default device routed into a PulseAudio null sink
# (scripts/alsa-capture), so it runs on machines without a sound card; that
# PulseAudio's own CPU is not counted for either player.
#
#   bench/speaker-cpu.sh [FILE] [SECONDS] [BUFFER...]
#
# Defaults: internal/fixtures/data/a128.mp3, 30 s, the default speaker buffer.
# Several BUFFERs (e.g. 100ms 200ms 500ms) measure pcplay once per buffer.
# pcplay here is bench/cmd/playfile: the fake pCloud serving the file over
# loopback HTTP in the same process, the api client, TrackStream (go-mp3),
# the Player and its ALSA speaker (player/alsa.go).
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-internal/fixtures/data/a128.mp3}
secs=${2:-30}
shift $(( $# > 2 ? 2 : $# ))
buffers=("$@")
[ ${#buffers[@]} -gt 0 ] || buffers=("")
command -v mpg123 >/dev/null || { echo "speaker-cpu: mpg123 is not installed (apt-get install mpg123)" >&2; exit 1; }
command -v pulseaudio >/dev/null || { echo "speaker-cpu: pulseaudio is not installed (scripts/install-deps.sh test)" >&2; exit 1; }

dir=$(mktemp -d)
trap 'scripts/alsa-capture/stop.sh "$dir" || true; rm -rf "$dir"' EXIT
go build -o "$dir/playfile" ./bench/cmd/playfile
eval "$(scripts/alsa-capture/start.sh "$dir")"
hz=$(getconf CLK_TCK)

# measure NAME CMD...: runs CMD for $secs seconds, prints CPU% (user+system
# over wall time) and the peak RSS (VmHWM), and sets $cpu and $rss.
measure() {
  local name=$1; shift
  "$@" >"$dir/$name.out" 2>&1 &
  local pid=$! t0 t1 ticks=0 hwm=0 stat
  t0=$(date +%s.%N)
  local end=$(( $(date +%s) + secs ))
  while [ "$(date +%s)" -lt "$end" ] && kill -0 "$pid" 2>/dev/null; do
    sleep 0.5
    if stat=$(cat "/proc/$pid/stat" 2>/dev/null); then
      stat=${stat##*) }                       # fields from 3 on
      read -r -a f <<<"$stat"
      ticks=$(( f[11] + f[12] ))              # utime + stime (fields 14, 15)
      hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo "$hwm")
    fi
  done
  t1=$(date +%s.%N)
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "speaker-cpu: $name exited early:" >&2; cat "$dir/$name.out" >&2; exit 1
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
  cpu=$(awk -v t="$ticks" -v hz="$hz" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", 100*t/hz/(b-a)}')
  rss=$(awk -v k="$hwm" 'BEGIN {printf "%.1f", k/1024}')
  printf '%-24s CPU %6s%%   max RSS %6s MB\n' "$name" "$cpu" "$rss"
}

echo "file $file, ${secs}s each, $(nproc) cores"
measure "mpg123 -o alsa" mpg123 -q -o alsa --loop -1 "$file"
mcpu=$cpu mrss=$rss
for b in "${buffers[@]}"; do
  name="pcplay" args=()
  if [ -n "$b" ]; then name="pcplay (buffer $b)"; args=(-buffer "$b"); fi
  measure "$name" "$dir/playfile" -file "$file" -seconds $((secs + 60)) "${args[@]}"
  awk -v a="$cpu" -v b="$mcpu" -v r="$rss" -v m="$mrss" 'BEGIN {printf "  ratio to mpg123: CPU %.1fx, RSS %.1fx\n", (b>0? a/b : 0), (m>0? r/m : 0)}'
done
