#!/usr/bin/env bash
# bench/onix.sh — how fast kiosque reads ONIX catalogues. It generates
# synthetic ONIX 3.0 messages of 10,000 and 100,000 products (bench/onixgen,
# the same bytes on every run), then measures the streaming reader alone:
#   BenchmarkReader      10,000 products parsed from memory, reference
#                        names and short tags (ns/product, MB/s, allocations);
#   BenchmarkReaderFile  each generated file streamed from disk, with the
#                        largest live heap seen while reading, which must
#                        stay flat from 10,000 to 100,000 products.
# The full import (reader + mapping + storage) must take 10,000 products in
# under 10 s and 100,000 in under 100 s; the reader is a small part of it.
# Then the whole import, `kiosque import onix FILE` into a fresh SQLite
# database (and a fresh PostgreSQL one when KIOSQUE_TEST_PG is set), twice:
# the first run inserts every book, the second finds them unchanged. Each
# line gives the wall time, the peak resident memory (flat from 10,000 to
# 100,000 products) and the ratio to the target (10 s per 10,000).
#
# Needs: go, GNU time (/usr/bin/time), psql for PostgreSQL.
# Usage: bench/onix.sh            (BENCHTIME=3x by default; SKIP_100K=1)
set -euo pipefail

BENCHTIME=${BENCHTIME:-3x}

cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "generating ONIX messages in $WORK…"
go build -o "$WORK/onixgen" ./bench/onixgen
SIZES="10000 100000"
[ -n "${SKIP_100K:-}" ] && SIZES=10000
for n in $SIZES; do
  "$WORK/onixgen" -n "$n" -o "$WORK/onix-$n.xml"
  printf '  %7d products: %s\n' "$n" "$(du -h "$WORK/onix-$n.xml" | cut -f1)"
done

echo
echo "reader, 10,000 products in memory:"
go test -run '^$' -bench '^BenchmarkReader$' -benchmem -benchtime "$BENCHTIME" ./internal/onix/

for n in $SIZES; do
  echo
  echo "reader, $n products streamed from disk:"
  ONIX_BENCH_FILE="$WORK/onix-$n.xml" \
    go test -run '^$' -bench '^BenchmarkReaderFile$' -benchtime 1x ./internal/onix/
done

echo
echo "whole import (reader, mapping, storage):"
go build -o "$WORK/kiosque" ./cmd/kiosque
run() { # label, n, extra flags…
  local label=$1 n=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$WORK/kiosque" import onix "$WORK/onix-$n.xml" "$@" >"$WORK/out" 2>"$WORK/err" ||
    { cat "$WORK/err"; exit 1; }
  read -r secs kb <"$WORK/time"
  printf '  %-28s %7d products: %6.2f s, peak RSS %4d MB, %5.2f × the target (%s)\n' "$label" "$n" "$secs" $((kb / 1024)) \
    "$(echo "$secs / ($n / 1000)" | bc -l)" "$(head -1 "$WORK/out" | cut -d: -f2- | sed 's/^ //')"
}
for n in $SIZES; do
  rm -rf "$WORK/data"
  run "SQLite, first import" "$n" --data "$WORK/data"
  run "SQLite, same file again" "$n" --data "$WORK/data"
  if [ -n "${KIOSQUE_TEST_PG:-}" ]; then
    PGOPTIONS="-c client_min_messages=warning" psql "$KIOSQUE_TEST_PG" -qc "DROP DATABASE IF EXISTS kiosque_bench" -c "CREATE DATABASE kiosque_bench" >/dev/null
    pg=$(echo "$KIOSQUE_TEST_PG" | sed -E 's#/[^/?]+(\?|$)#/kiosque_bench\1#')
    run "PostgreSQL, first import" "$n" --database-url "$pg" --data "$WORK/data-pg"
    run "PostgreSQL, same file again" "$n" --database-url "$pg" --data "$WORK/data-pg"
    psql "$KIOSQUE_TEST_PG" -qc "DROP DATABASE kiosque_bench" >/dev/null
  fi
done
