#!/usr/bin/env bash
# Makes the demo library's audio in internal/demo/data/ (committed; run this
# only to change it, and keep internal/demo/demo.go's table in step).
# Six short pieces synthesised by scripts/tonegen (sines with soft envelopes),
# encoded by lame as 22.05 kHz mono VBR (-V 5) with ID3 tags: about 370 KB
# (the budget is 450 KB).
# Needs: lame (Debian: apt-get install lame) and go.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in lame go; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "mkdemo: $tool is missing (Debian: apt-get install ${tool/go/golang})" >&2
    exit 1
  fi
done
out=internal/demo/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/tonegen" ./scripts/tonegen
mkdir -p "$out"
rm -f "$out"/*.mp3

# piece  title  artist  album  track  genre
tracks=(
  "1|Morning Pentatonic|Demo Artist|First Album|1|Ambient"
  "2|Slow Pad|Demo Artist|First Album|2|Ambient"
  "3|Bass and Lead|Demo Artist|First Album|3|Electronic"
  "4|Music Box|The Sine Waves|Music Box Sessions|1|Ambient"
  "5|Evening Waltz|The Sine Waves|Music Box Sessions|2|Ambient"
  "6|Drift|Loose Tones||0|Ambient"
)
for t in "${tracks[@]}"; do
  IFS='|' read -r n title artist album trackno genre <<<"$t"
  "$tmp/tonegen" demo -piece "$n" -o "$tmp/$n.wav"
  tags=(--tt "$title" --ta "$artist" --tg "$genre" --ty 2026)
  [ -n "$album" ] && tags+=(--tl "$album")
  [ "$trackno" != 0 ] && tags+=(--tn "$trackno")
  lame --silent --nohist -q 2 -V 5 -m m --resample 22.05 --add-id3v2 "${tags[@]}" \
    "$tmp/$n.wav" "$out/0$n.mp3"
done
ls -l "$out"
du -cb "$out"/*.mp3 | tail -1
