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
# (The import itself is measured here once the catalogue store is wired.)
#
# Needs: go. Usage: bench/onix.sh            (BENCHTIME=3x by default)
set -euo pipefail

BENCHTIME=${BENCHTIME:-3x}

cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "generating ONIX messages in $WORK…"
go build -o "$WORK/onixgen" ./bench/onixgen
for n in 10000 100000; do
  "$WORK/onixgen" -n "$n" -o "$WORK/onix-$n.xml"
  printf '  %7d products: %s\n' "$n" "$(du -h "$WORK/onix-$n.xml" | cut -f1)"
done

echo
echo "reader, 10,000 products in memory:"
go test -run '^$' -bench '^BenchmarkReader$' -benchmem -benchtime "$BENCHTIME" ./internal/onix/

for n in 10000 100000; do
  echo
  echo "reader, $n products streamed from disk:"
  ONIX_BENCH_FILE="$WORK/onix-$n.xml" \
    go test -run '^$' -bench '^BenchmarkReaderFile$' -benchtime 1x ./internal/onix/
done
