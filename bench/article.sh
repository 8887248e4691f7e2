#!/usr/bin/env bash
# bench/article.sh — how fast kiosque serves an article page, against two
# references measured in the same run on the same machine:
#   nginx   serving the same bytes as a static file (gzip_static for gzip),
#   baseline a minimal Go net/http server writing them from memory.
# Each server is loaded with wrk for $DURATION at $CONNS connections,
# uncompressed and then with Accept-Encoding: gzip; kiosque is then loaded
# with its page cache off, and its resident memory is read after the load.
# The load of each server is cut into $ROUNDS slices taken in turn (kiosque,
# baseline, nginx, kiosque, …), so that a neighbour slowing the machine for
# a while weighs on the three alike: on a shared VM, back-to-back runs of
# one server vary by ±15 %, more than the differences being measured.
#
# Needs: go, wrk, nginx (Debian: apt-get install wrk nginx-light), curl.
# Usage: bench/article.sh            (DURATION=15s CONNS=32 by default)
set -euo pipefail

DURATION=${DURATION:-15s}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
PORT_K=${PORT_K:-18080}
PORT_B=${PORT_B:-18082}
PORT_N=${PORT_N:-18081}
ARTICLE=/2016/12/11/l-etat-islamique-reprend-palmyre/

cd "$(dirname "$0")/.."
for tool in wrk nginx curl go; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || {
    echo "bench/article.sh: $tool is missing (Debian: apt-get install -y wrk nginx-light curl)" >&2; exit 1; }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

WORK=$(mktemp -d)
chmod 755 "$WORK" # nginx workers run as another user
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "building kiosque and the baseline…"
go build -o "$WORK/kiosque" ./cmd/kiosque
go build -o "$WORK/baseline" ./bench/baseline

wait_up() { # url
  for _ in $(seq 1 200); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "bench/article.sh: $1 did not come up" >&2; exit 1
}

start_kiosque() { # extra flags…
  "$WORK/kiosque" serve --demo --data "$WORK/data" --addr "127.0.0.1:$PORT_K" --log-level warn "$@" >"$WORK/kiosque.out" 2>&1 &
  KPID=$!
  PIDS+=("$KPID")
  wait_up "http://127.0.0.1:$PORT_K/healthz"
}

start_kiosque
curl -fsS -o "$WORK/article.html" "http://127.0.0.1:$PORT_K$ARTICLE"
gzip -9 -k -n "$WORK/article.html"
SIZE=$(stat -c %s "$WORK/article.html"); GZSIZE=$(stat -c %s "$WORK/article.html.gz")

"$WORK/baseline" -addr "127.0.0.1:$PORT_B" -file "$WORK/article.html" &
PIDS+=("$!")
mkdir -p "$WORK/www/2016/12/11/l-etat-islamique-reprend-palmyre"
cp "$WORK/article.html" "$WORK/article.html.gz" "$WORK/www/2016/12/11/l-etat-islamique-reprend-palmyre/"
mv "$WORK/www/2016/12/11/l-etat-islamique-reprend-palmyre/article.html" "$WORK/www/2016/12/11/l-etat-islamique-reprend-palmyre/index.html"
mv "$WORK/www/2016/12/11/l-etat-islamique-reprend-palmyre/article.html.gz" "$WORK/www/2016/12/11/l-etat-islamique-reprend-palmyre/index.html.gz"
cat >"$WORK/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on;
  types { text/html html; }
  default_type text/html;
  gzip_static on;
  server {
    listen 127.0.0.1:$PORT_N;
    root $WORK/www;
    index index.html;
  }
}
CONF
chmod -R a+rX "$WORK/www"
"$NGINX" -c "$WORK/nginx.conf" -p "$WORK" -g 'daemon on;'
wait_up "http://127.0.0.1:$PORT_B/"
wait_up "http://127.0.0.1:$PORT_N$ARTICLE"
for url in "http://127.0.0.1:$PORT_K$ARTICLE" "http://127.0.0.1:$PORT_B/" "http://127.0.0.1:$PORT_N$ARTICLE"; do
  got=$(curl -fsS "$url" | cmp - "$WORK/article.html" && echo same || echo differ)
  [ "$got" = same ] || { echo "bench/article.sh: $url does not serve the same bytes" >&2; exit 1; }
done

SLICE=$(awk -v d="${DURATION%s}" -v r="$ROUNDS" 'BEGIN { printf "%d", (d / r < 1 ? 1 : d / r) }')s

# slice URL [HEADER] → prints "requests seconds p99ms errors" for one wrk run
slice() {
  local out
  if [ -n "${2:-}" ]; then
    out=$(wrk -t"$THREADS" -c"$CONNS" -d"$SLICE" --latency -H "$2" "$1")
  else
    out=$(wrk -t"$THREADS" -c"$CONNS" -d"$SLICE" --latency "$1")
  fi
  awk '
    / requests in / { n = $1; t = $(NF-2); sub(",", "", t); if (t ~ /ms$/) { sub("ms", "", t); t = t / 1000 } else { sub("s", "", t) } }
    $1 == "99%" { v = $2; if (v ~ /us$/) { sub("us", "", v); v = v / 1000 } else if (v ~ /ms$/) { sub("ms", "", v) } else if (v ~ /s$/) { sub("s", "", v); v = v * 1000 } p = v }
    /Non-2xx|Socket errors/ { e = e " [" $0 "]" }
    END { printf "%s %s %s%s\n", n, t, p, e }' <<<"$out"
}

# compare HEADER NAME URL [NAME URL …] → loads each URL in interleaved
# slices and prints req/s and the worst p99 of each; sets R[NAME], P[NAME].
declare -A R P
compare() {
  local hdr=$1; shift
  local -a names=() urls=()
  while [ $# -gt 0 ]; do names+=("$1"); urls+=("$2"); shift 2; done
  local -A reqs secs worst errs
  for _ in $(seq 1 "$ROUNDS"); do
    for i in "${!names[@]}"; do
      read -r n t p e <<<"$(slice "${urls[$i]}" "$hdr")"
      reqs[$i]=$(awk -v a="${reqs[$i]:-0}" -v b="$n" 'BEGIN { print a + b }')
      secs[$i]=$(awk -v a="${secs[$i]:-0}" -v b="$t" 'BEGIN { print a + b }')
      worst[$i]=$(awk -v a="${worst[$i]:-0}" -v b="$p" 'BEGIN { print (b > a ? b : a) }')
      [ -n "$e" ] && errs[$i]="${errs[$i]:-}$e"
    done
  done
  for i in "${!names[@]}"; do
    R[${names[$i]}]=$(awk -v n="${reqs[$i]}" -v t="${secs[$i]}" 'BEGIN { printf "%.0f", n / t }')
    P[${names[$i]}]=${worst[$i]}
    printf '%-36s %8s req/s   p99 %6.2f ms%s\n' "${names[$i]}" "${R[${names[$i]}]}" "${worst[$i]}" "${errs[$i]:-}"
  done
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo
echo "article page: $SIZE bytes, $GZSIZE gzipped; wrk -t$THREADS -c$CONNS, $DURATION per server in $ROUNDS slices, on $(nproc) CPUs"
echo
for enc in identity gzip; do
  hdr=""; [ "$enc" = gzip ] && hdr="Accept-Encoding: gzip"
  compare "$hdr" \
    "k_$enc" "http://127.0.0.1:$PORT_K$ARTICLE" \
    "b_$enc" "http://127.0.0.1:$PORT_B/" \
    "n_$enc" "http://127.0.0.1:$PORT_N$ARTICLE"
done
RSS_CACHED=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$KPID/status")

kill "$KPID"; wait "$KPID" 2>/dev/null || true
start_kiosque --page-cache=false
compare "" "u_identity" "http://127.0.0.1:$PORT_K$ARTICLE"
compare "Accept-Encoding: gzip" "u_gzip" "http://127.0.0.1:$PORT_K$ARTICLE"
RSS_UNCACHED=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$KPID/status")

echo
echo "k_ is kiosque with its page cache, b_ the Go baseline, n_ nginx, u_ kiosque without page cache."
echo
echo "summary                                   measured    target"
for enc in identity gzip; do
  printf '  kiosque/baseline, %-9s          %6s      >= 0.90, p99 %s ms (< 10)\n' "$enc" "$(ratio "${R[k_$enc]}" "${R[b_$enc]}")" "${P[k_$enc]}"
  printf '  kiosque/nginx, %-9s             %6s      reported\n' "$enc" "$(ratio "${R[k_$enc]}" "${R[n_$enc]}")"
done
printf '  no page cache, identity / gzip   %6s / %s req/s   >= 4000\n' "${R[u_identity]}" "${R[u_gzip]}"
printf '  resident memory, cached / uncached %5s / %s MB   < 60\n' "$RSS_CACHED" "$RSS_UNCACHED"
