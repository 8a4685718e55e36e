#!/usr/bin/env bash
# Prints what a release build stamps in, from git (make release uses it):
#   version.sh version   1.2.0 at the tag v1.2.0; 1.2.0+3.gabc1234 three commits
#                        after it; 0.0.0+254.gabc1234 with no tag yet (the count
#                        keeps later builds sorting later); .dirty or +dirty
#                        with uncommitted changes. A Debian version as it is.
#   version.sh commit    the commit, 12 hex digits
#   version.sh date      the commit's date, UTC, ISO 8601 (the build is then
#                        the same whenever it is made)
#   version.sh epoch     the same as seconds (SOURCE_DATE_EPOCH)
# Outside a git checkout: 0.0.0+unknown, unknown, and the current time.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:?usage: version.sh version|commit|date|epoch}
if ! git rev-parse --git-dir >/dev/null 2>&1; then
  case $what in
    version) echo 0.0.0+unknown ;;
    commit) echo unknown ;;
    date) date -u +%Y-%m-%dT%H:%M:%SZ ;;
    epoch) date +%s ;;
  esac
  exit 0
fi
case $what in
  version)
    dirty=
    git diff --quiet HEAD -- 2>/dev/null || dirty=dirty
    short=$(git rev-parse --short=7 HEAD)
    if tag=$(git describe --tags --match 'v[0-9]*' --abbrev=0 2>/dev/null); then
      v=${tag#v}
      n=$(git rev-list --count "$tag..HEAD")
      [ "$n" -gt 0 ] && v="$v+$n.g$short"
    else
      v="0.0.0+$(git rev-list --count HEAD).g$short"
    fi
    if [ -n "$dirty" ]; then
      case $v in *+*) v="$v.dirty" ;; *) v="$v+dirty" ;; esac
    fi
    echo "$v"
    ;;
  commit) git rev-parse --short=12 HEAD ;;
  date) TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ ;;
  epoch) git log -1 --format=%ct ;;
  *) echo "version.sh: unknown $what" >&2; exit 2 ;;
esac
