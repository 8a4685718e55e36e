#!/usr/bin/env bash
# The music library at the scale of a real collection (issue 22), through
# the real binary.
#
#   bench/library.sh [TRACKS] [RUNS]        (defaults 100000 20)
#
# Environment: PCPLAY=BIN measures that binary instead of building this
# tree; DBSTAT=1 also prints what takes the index's space (dbstat); SPLIT=1
# makes the fake answer 5000 to recursive listings of more than 10,000
# entries (many listings) instead of listing /Music whole in one answer;
# KEEPDB=FILE keeps a copy of the index the engine built; RESCAN=1 then
# measures a rescan (R) of the unchanged account: time, bytes written, peak
# RSS, the fewest tracks the index held meanwhile.
#
# bench/cmd/libscale generates an account of TRACKS audio files in the fake
# pCloud (pcloudtest.Generate, seed 1), runs `pcplay engine` at it with its
# own XDG dirs (the token in PCLOUD_TOKEN, never argv), and waits for the
# engine's first scan to be done. It prints the engine's peak RSS (VmHWM)
# through the scan, the index's bytes (library.db + -wal), the scan's time
# from the engine's start, then, on the index the engine built (engine
# stopped, the index opened read only as a UI does), Artists/Albums first
# call and search p50/p99 per query length (1..5 and 6+ characters, 8
# queries each, RUNS times).
set -euo pipefail
cd "$(dirname "$0")/.."
TRACKS=${1:-100000}
RUNS=${2:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=${PCPLAY:-}
if [ -z "$bin" ]; then
	bin=$work/pcplay
	go build -o "$bin" .
fi
go build -o "$work/libscale" ./bench/cmd/libscale
args=(-pcplay "$bin" -tracks "$TRACKS" -runs "$RUNS")
[ -n "${DBSTAT:-}" ] && args+=(-dbstat)
[ -n "${SPLIT:-}" ] && args+=(-split)
[ -n "${KEEPDB:-}" ] && args+=(-keep "$KEEPDB")
[ -n "${RESCAN:-}" ] && args+=(-rescan)
echo "# bench/library.sh $TRACKS $RUNS: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
"$work/libscale" "${args[@]}"
