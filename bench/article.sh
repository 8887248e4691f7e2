#!/usr/bin/env bash
# bench/article.sh — how fast kiosque serves an article page, against two
# references measured in the same run on the same machine:
#   nginx   serving the same bytes as a static file (gzip_static for gzip),
#   baseline a minimal Go net/http server writing them from memory.
# Each server is loaded with wrk for $DURATION at $CONNS connections,
# uncompressed and then with Accept-Encoding: gzip; kiosque is then loaded
# with its page cache off, and its resident memory is read after the load.
#
# Needs: go, wrk, nginx (Debian: apt-get install wrk nginx-light), curl.
# Usage: bench/article.sh            (DURATION=15s CONNS=32 by default)
set -euo pipefail

DURATION=${DURATION:-15s}
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

# run NAME URL [HEADER] → sets RPS and P99 (ms)
run() {
  local out
  if [ -n "${3:-}" ]; then
    out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -H "$3" "$2")
  else
    out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$2")
  fi
  RPS=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  P99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}' <<<"$out")
  local errs
  errs=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
  printf '%-34s %10.0f req/s   p99 %7.2f ms %s\n' "$1" "$RPS" "$P99" "$errs"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo
echo "article page: $SIZE bytes, $GZSIZE gzipped; wrk -t$THREADS -c$CONNS -d$DURATION on $(nproc) CPUs"
echo
declare -A R P
for enc in identity gzip; do
  hdr=""; [ "$enc" = gzip ] && hdr="Accept-Encoding: gzip"
  run "kiosque, page cache ($enc)" "http://127.0.0.1:$PORT_K$ARTICLE" "$hdr"; R[k_$enc]=$RPS; P[k_$enc]=$P99
  run "Go baseline ($enc)" "http://127.0.0.1:$PORT_B/" "$hdr"; R[b_$enc]=$RPS; P[b_$enc]=$P99
  run "nginx static ($enc)" "http://127.0.0.1:$PORT_N$ARTICLE" "$hdr"; R[n_$enc]=$RPS; P[n_$enc]=$P99
done
RSS_CACHED=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$KPID/status")

kill "$KPID"; wait "$KPID" 2>/dev/null || true
start_kiosque --page-cache=false
run "kiosque, no page cache (identity)" "http://127.0.0.1:$PORT_K$ARTICLE"; R[u_identity]=$RPS; P[u_identity]=$P99
run "kiosque, no page cache (gzip)" "http://127.0.0.1:$PORT_K$ARTICLE" "Accept-Encoding: gzip"; R[u_gzip]=$RPS; P[u_gzip]=$P99
RSS_UNCACHED=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$KPID/status")

echo
echo "summary                                     target"
for enc in identity gzip; do
  echo "  kiosque/baseline ($enc):  $(ratio "${R[k_$enc]}" "${R[b_$enc]}")          >= 0.90   (p99 ${P[k_$enc]} ms, target < 10)"
  echo "  kiosque/nginx ($enc):     $(ratio "${R[k_$enc]}" "${R[n_$enc]}")          reported"
done
echo "  no page cache:            ${R[u_identity]} req/s identity, ${R[u_gzip]} gzip   >= 4000"
echo "  resident memory:          ${RSS_CACHED} MB after the cached load, ${RSS_UNCACHED} MB after the uncached one   < 60"
