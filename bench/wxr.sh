#!/usr/bin/env bash
# bench/wxr.sh — how fast kiosque brings a WordPress site over. It generates
# a synthetic export (bench/wxrgen, the same bytes on every run) of 10,000
# posts, 100 pages, 1,000 attachments and 100,000 threaded comments (about
# 150 MB), then runs `kiosque import wordpress FILE` into a fresh SQLite
# database, twice: the first run writes everything, the second finds it
# unchanged. Each line gives the wall time, the peak resident memory and the
# ratio to the targets (60 s and 200 MB); with KIOSQUE_TEST_PG set, the same
# on a fresh PostgreSQL database.
#
# Needs: go, GNU time (/usr/bin/time), psql for PostgreSQL.
# Usage: bench/wxr.sh            (POSTS=10000 COMMENTS=100000 by default)
set -euo pipefail

POSTS=${POSTS:-10000}
COMMENTS=${COMMENTS:-100000}

cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "generating a WordPress export in $WORK…"
go build -o "$WORK/wxrgen" ./bench/wxrgen
"$WORK/wxrgen" -posts "$POSTS" -comments "$COMMENTS" -o "$WORK/export.xml"
printf '  %d posts, %d comments: %s\n' "$POSTS" "$COMMENTS" "$(du -h "$WORK/export.xml" | cut -f1)"

go build -o "$WORK/kiosque" ./cmd/kiosque
run() { # label, extra flags…
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$WORK/kiosque" import wordpress "$WORK/export.xml" "$@" >"$WORK/out" 2>"$WORK/err" ||
    { cat "$WORK/out" "$WORK/err"; exit 1; }
  read -r secs kb <"$WORK/time"
  printf '  %-28s %6.2f s (%4.2f × 60 s), peak RSS %4d MB (%4.2f × 200 MB)\n' "$label" "$secs" \
    "$(echo "$secs / 60" | bc -l)" $((kb / 1024)) "$(echo "$kb / 1024 / 200" | bc -l)"
  sed -n '2,9p' "$WORK/out" | sed 's/^/      /'
}
echo
echo "whole import (reader, conversion, storage, related articles):"
run "SQLite, first import" --data "$WORK/data"
run "SQLite, same file again" --data "$WORK/data"
if [ -n "${KIOSQUE_TEST_PG:-}" ]; then
  PGOPTIONS="-c client_min_messages=warning" psql "$KIOSQUE_TEST_PG" -qc "DROP DATABASE IF EXISTS kiosque_bench" -c "CREATE DATABASE kiosque_bench" >/dev/null
  pg=$(echo "$KIOSQUE_TEST_PG" | sed -E 's#/[^/?]+(\?|$)#/kiosque_bench\1#')
  run "PostgreSQL, first import" --database-url "$pg" --data "$WORK/data-pg"
  run "PostgreSQL, same file again" --database-url "$pg" --data "$WORK/data-pg"
  psql "$KIOSQUE_TEST_PG" -qc "DROP DATABASE kiosque_bench" >/dev/null
fi
