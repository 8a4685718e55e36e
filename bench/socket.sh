#!/usr/bin/env bash
# The engine's memory under socket load, two revisions side by side in the
# same run (bench/cmd/socketmem): a queue of 100,000 tracks with 3 attached
# clients (after the enqueue and after a change), 1,000 idle connections,
# and 64 clients each holding an unterminated 1 MB line. Each scenario runs
# in a fresh engine process (the engine package serving a stub player);
# the figures are its VmRSS, VmHWM (peak) and Go heap in use after a GC.
#
#   bench/socket.sh [REV_A] [REV_B]     (defaults: main and WORKTREE)
#   bench/socket.sh 7902fa0 HEAD
#
# REV_A and REV_B are git revisions (WORKTREE: the working tree as it is).
# socketmem uses only the engine's exported API; a revision without it gets
# this tree's copy. It prints a table of both and B / A.
#
# Needs: go, git.
set -euo pipefail
cd "$(dirname "$0")/.."
rev_a=${1:-main} rev_b=${2:-WORKTREE}
dir=$(mktemp -d /tmp/pcplay-socket.XXXXXX)
cleanup() {
  set +e
  for w in "$dir"/src-*; do [ -d "$w" ] && git worktree remove --force "$w" >/dev/null 2>&1; done
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
say() { echo "socket: $*" >&2; }

# build NAME REV: bench/cmd/socketmem of REV into $dir/NAME.
build() {
  local name=$1 rev=$2 src
  if [ "$rev" = WORKTREE ]; then
    src=.
  else
    src="$dir/src-$name"
    git worktree add --detach "$src" "$rev" >/dev/null 2>&1 || { say "no revision $rev"; exit 2; }
    if [ ! -d "$src/bench/cmd/socketmem" ]; then
      mkdir -p "$src/bench/cmd/socketmem"
      cp bench/cmd/socketmem/main.go "$src/bench/cmd/socketmem/"
    fi
  fi
  (cd "$src" && go build -o "$dir/$name" ./bench/cmd/socketmem)
}
say "building socketmem at $rev_a and $rev_b"
build a "$rev_a"
build b "$rev_b"

say "running A ($rev_a)"
"$dir/a" >"$dir/a.out"
say "running B ($rev_b)"
"$dir/b" >"$dir/b.out"

echo "# bench/socket.sh: A=$rev_a B=$rev_b, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| scenario | A RSS | A peak | A heap | B RSS | B peak | B heap | B/A RSS | B/A peak | B/A heap |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
join -t $'\t' <(cut -f1-4 "$dir/a.out" | sort) <(cut -f1-4 "$dir/b.out" | sort) | sort -t. -k1,1 -s |
  awk -F'\t' '{ printf "| %s | %.1f MB | %.1f MB | %.1f MB | %.1f MB | %.1f MB | %.1f MB | %.2f | %.2f | %.2f |\n",
    $1, $2/1024, $3/1024, $4/1024, $5/1024, $6/1024, $7/1024, $5/$2, $6/$3, $7/$4 }'
echo
echo "A: $rev_a"
cut -f1,5 "$dir/a.out" | sed 's/^/  /'
echo "B: $rev_b"
cut -f1,5 "$dir/b.out" | sed 's/^/  /'
