#!/usr/bin/env bash
# Makes the mp3 test fixtures in internal/fixtures/data/ (committed; run this
# only to change them, then update internal/fixtures/fixtures.go to match).
# Each fixture is a pure sine at -12 dBFS whose frequency changes, phase-
# continuously, at every whole second: second k plays BASE + 25*k Hz. The
# fixtures use disjoint frequency ranges between 320 and 2820 Hz, so a
# measured frequency tells which second of which fixture is playing.
# Needs: lame (Debian: apt-get install lame) and go.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in lame go; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "mkfixtures: $tool is missing (Debian: apt-get install ${tool/go/golang})" >&2
    exit 1
  fi
done
out=internal/fixtures/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/tonegen" ./scripts/tonegen
tg="$tmp/tonegen"
mkdir -p "$out"
rm -f "$out"/*.mp3
LAME=(lame --silent --nohist -q 2)
STEP=25

# name base seconds rate channels
"$tg" tone -rate 44100 -ch 2 -base 320  -step $STEP -secs 20 -o "$tmp/a.wav"
"$tg" tone -rate 44100 -ch 2 -base 820  -step $STEP -secs 20 -o "$tmp/b.wav"
"$tg" tone -rate 44100 -ch 2 -base 1320 -step $STEP -secs 10 -o "$tmp/vbr.wav"
"$tg" tone -rate 48000 -ch 2 -base 1570 -step $STEP -secs 8  -o "$tmp/r48k.wav"
"$tg" tone -rate 44100 -ch 1 -base 1770 -step $STEP -secs 8  -o "$tmp/mono.wav"
"$tg" tone -rate 44100 -ch 2 -base 1970 -step $STEP -secs 5  -o "$tmp/tagged.wav"
"$tg" tone -rate 44100 -ch 2 -base 2095 -step $STEP -secs 10 -o "$tmp/truncated.wav"
"$tg" tone -rate 44100 -ch 2 -base 2345 -step $STEP -secs 10 -o "$tmp/garbage.wav"
# gapless: one 10 s sequence cut at sample 233730 (5.3 s), not on a frame boundary.
"$tg" tone -rate 44100 -ch 2 -base 2595 -step $STEP -secs 10 -to 233730 -o "$tmp/gapless1.wav"
"$tg" tone -rate 44100 -ch 2 -base 2595 -step $STEP -secs 10 -from 233730 -o "$tmp/gapless2.wav"

"${LAME[@]}" --cbr -b 128 "$tmp/a.wav" "$out/a128.mp3"
"${LAME[@]}" --cbr -b 64 --resample 44.1 "$tmp/a.wav" "$out/a64.mp3"
"${LAME[@]}" --cbr -b 128 "$tmp/b.wav" "$out/b128.mp3"
"${LAME[@]}" -V 4 "$tmp/vbr.wav" "$out/vbr.mp3"
"${LAME[@]}" --cbr -b 128 "$tmp/r48k.wav" "$out/r48k.mp3"
"${LAME[@]}" --cbr -b 64 -m m "$tmp/mono.wav" "$out/mono.mp3"
"${LAME[@]}" --cbr -b 128 --add-id3v2 --tt "Tone Title" --ta "Fixture Artist" \
  --tl "Fixture Album" --tn 3 --ty 2024 --tg Ambient "$tmp/tagged.wav" "$out/tagged.mp3"
"${LAME[@]}" --cbr -b 96 --resample 44.1 "$tmp/truncated.wav" "$tmp/truncated_full.mp3"
"$tg" cut -frac 0.6 "$tmp/truncated_full.mp3" "$out/truncated.mp3"
"${LAME[@]}" --cbr -b 96 --resample 44.1 "$tmp/garbage.wav" "$tmp/garbage_full.mp3"
"$tg" garble -seed 1 -n 4096 "$tmp/garbage_full.mp3" "$out/garbage.mp3"
"${LAME[@]}" --cbr -b 128 "$tmp/gapless1.wav" "$out/gapless1.mp3"
"${LAME[@]}" --cbr -b 128 "$tmp/gapless2.wav" "$out/gapless2.mp3"

ls -l "$out"
du -cb "$out"/*.mp3 | tail -1
