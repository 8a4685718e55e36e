#!/usr/bin/env bash
# Two builds of pcplay's pipeline (bench/cmd/playfile) playing the same file
# side by side, measured over the same windows: whether a change to the
# player costs or saves CPU, with the load of this shared machine falling on
# both alike. Each round also measures the go-mp3 decode floor
# (bench/cmd/mp3floor) and alternates which of the two starts first.
#
#   bench/ab.sh REV_A REV_B [SECONDS] [ROUNDS]      (defaults 30 and 4)
#   bench/ab.sh main HEAD
#   A_ENV="GOGC=50" B_ENV="GOGC=100" bench/ab.sh HEAD HEAD
#   B_BUILD_ENV="CGO_ENABLED=0" bench/ab.sh HEAD~3 HEAD
#
# A_ENV and B_ENV are the players' environments, A_BUILD_ENV and
# B_BUILD_ENV their builds' (CGO_ENABLED=0: as the releases are built).
#
# REV_A and REV_B are git revisions of this repository (WORKTREE means the
# working tree as it is). The file is 60 s of a chord over pink noise, lame
# CBR at BITRATE kbit/s (default 128); both play it to ALSA's default device
# of scripts/alsa-capture (a PulseAudio null sink). CPU is the on-CPU time
# of all the process's threads (/proc/PID/task/*/schedstat) over the window.
# It prints one line per round and the median of B/A.
#
# Needs: go, git, sox, lame, pulseaudio, pulseaudio-utils, libasound2-plugins.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: bench/ab.sh REV_A REV_B [SECONDS] [ROUNDS]" >&2; exit 2; }
rev_a=$1 rev_b=$2 secs=${3:-30} rounds=${4:-4} br=${BITRATE:-128}
for v in "$secs" "$rounds" "$br"; do
  case $v in '' | *[!0-9]*) echo "ab: SECONDS, ROUNDS and BITRATE are numbers" >&2; exit 2 ;; esac
done
missing=()
for c in go:golang git:git sox:sox lame:lame pulseaudio:pulseaudio pactl:pulseaudio-utils; do
  command -v "${c%%:*}" >/dev/null || missing+=("${c#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "ab: missing; install with: apt-get install ${missing[*]}" >&2
  exit 1
fi

dir=$(mktemp -d /tmp/pcplay-ab.XXXXXX)
pids=()
cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  scripts/alsa-capture/stop.sh "$dir/pa" >/dev/null 2>&1
  for w in "$dir"/src-*; do [ -d "$w" ] && git worktree remove --force "$w" >/dev/null 2>&1; done
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
say() { echo "ab: $*" >&2; }

# build NAME REV: bench/cmd/playfile of REV into $dir/NAME.
build() {
  local name=$1 rev=$2 src
  if [ "$rev" = WORKTREE ]; then
    src=.
  else
    src="$dir/src-$name"
    git worktree add --detach "$src" "$rev" >/dev/null 2>&1 || { say "no revision $rev"; exit 2; }
  fi
  local envs=A_BUILD_ENV
  [ "$name" = b ] && envs=B_BUILD_ENV
  # shellcheck disable=SC2086
  (cd "$src" && env ${!envs:-} go build -o "$dir/$name" ./bench/cmd/playfile)
}
say "building playfile at $rev_a and $rev_b, and mp3floor"
build a "$rev_a"
build b "$rev_b"
go build -o "$dir/mp3floor" ./bench/cmd/mp3floor
say "making the 60 s track"
sox -R -q -n -r 44100 -c 2 -b 16 "$dir/tone.wav" synth 60 sine 220 sine 330 vol -14dB
sox -R -q -n -r 44100 -c 2 -b 16 "$dir/noise.wav" synth 60 pinknoise vol -26dB
sox -q -m "$dir/tone.wav" "$dir/noise.wav" "$dir/track.wav"
lame --quiet -b "$br" --cbr "$dir/track.wav" "$dir/track.mp3"
eval "$(scripts/alsa-capture/start.sh "$dir/pa")" >/dev/null

oncpu() { awk '{ ns += $1 } END { print ns }' /proc/"$1"/task/*/schedstat; }
# start NAME: plays the track with build NAME and its environment.
start() {
  local envs=A_ENV
  [ "$1" = b ] && envs=B_ENV
  # shellcheck disable=SC2086
  env ${!envs:-} "$dir/$1" -file "$dir/track.mp3" -seconds $((secs + 30)) >"$dir/$1.out" 2>&1 &
  pids+=($!)
  echo $!
}

echo "# bench/ab.sh: A=$rev_a${A_BUILD_ENV:+ (built with $A_BUILD_ENV)}${A_ENV:+ ($A_ENV)} B=$rev_b${B_BUILD_ENV:+ (built with $B_BUILD_ENV)}${B_ENV:+ ($B_ENV)}, $br kbit/s, ${secs} s windows, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| round | A (% of a core) | A × floor | B (% of a core) | B × floor | floor | B / A |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
ratios=()
for r in $(seq "$rounds"); do
  if [ $((r % 2)) = 1 ]; then pa=$(start a); pb=$(start b); else pb=$(start b); pa=$(start a); fi
  sleep 4
  for p in "$pa" "$pb"; do kill -0 "$p" 2>/dev/null || { say "a player exited early:"; cat "$dir"/a.out "$dir"/b.out >&2; exit 1; }; done
  a0=$(oncpu "$pa") b0=$(oncpu "$pb") t0=$(date +%s.%N)
  sleep "$secs"
  a1=$(oncpu "$pa") b1=$(oncpu "$pb") t1=$(date +%s.%N)
  kill "$pa" "$pb"; wait "$pa" "$pb" 2>/dev/null || true
  pids=()
  floor=$("$dir/mp3floor" "$dir/track.mp3")
  floor=${floor##*floor_pct=}
  line=$(awk -v r="$r" -v a0="$a0" -v a1="$a1" -v b0="$b0" -v b1="$b1" -v t0="$t0" -v t1="$t1" -v f="$floor" 'BEGIN {
    a = (a1 - a0) / 1e7 / (t1 - t0); b = (b1 - b0) / 1e7 / (t1 - t0)
    printf "| %d | %.3f | %.2f | %.3f | %.2f | %.3f | %.3f |", r, a, a / f, b, b / f, f, b / a }')
  echo "$line"
  ratios+=("$(awk -F'|' '{ gsub(/ /, "", $8); print $8 }' <<<"$line")")
done
echo
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END {
  m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
  printf "median B / A: %.3f (%d rounds; below 1: B costs less)\n", m, NR }'
