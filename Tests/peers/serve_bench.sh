#!/usr/bin/env bash
# Requests per second of a cached feed: dutycal serve next to nginx serving the same bytes
# as a static file, measured with wrk in one run, for a 200 and a 304 (If-None-Match).
#
#   Tests/peers/serve_bench.sh DUTYCAL_BINARY      (a release build: swift build -c release --product dutycal)
#
# Makes a copy of the catalogue whose deployment serves a feed of about 200 KB (the county
# safety office's, with the window grown until the feed is that big), a ledger with a token
# for it, starts `dutycal serve` and nginx (Debian nginx-light, installed when missing, like
# wrk) on 127.0.0.1, runs `wrk -t2 -c32 -d10s` against each, stops both and prints one JSON
# line per figure:
#   {"name":"serve-200","rps":…,"baseline":"nginx","baseline_rps":…,"ratio":…,"max_rss_kb":…}
# max_rss_kb is the serve process's VmHWM. Not part of the test suite.
set -euo pipefail

binary=$(realpath "${1:?usage: serve_bench.sh DUTYCAL_BINARY}")
root=$(cd "$(dirname "$0")/../.." && pwd)
duration=${BENCH_DURATION:-10s}
target_bytes=${BENCH_FEED_BYTES:-200000}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "serve_bench: installing ${missing[*]} with apt-get" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
nginx=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d)
serve_pid='' nginx_pid=''
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cp -r "$root/Calendars" "$work/Calendars"
deployment="$work/Calendars/deployments/example-county.yaml"
ledger="$work/ledger.sqlite"
cd "$work"

# The window (months after this one) that makes the feed about target_bytes.
first=$(TZ=Asia/Shanghai date +%Y-%m-01)
ahead=0
while :; do
  last=$(date -d "$first +$((ahead + 1)) month -1 day" +%Y-%m-%d)
  size=$("$binary" export --catalogue Calendars --unit county --body anweiban --format ics --from "$first" --to "$last" --out - | wc -c)
  if [ "$size" -ge "$target_bytes" ] || [ "$ahead" -ge 120 ]; then break; fi
  ahead=$((ahead + 1 + (target_bytes - size) * ahead / (size * 2 + 1)))
done
sed -i "s/feed: {months_back: 3, months_ahead: 15}/feed: {months_back: 0, months_ahead: $ahead}/" "$deployment"
grep -q "months_ahead: $ahead}" "$deployment" || { echo "serve_bench: could not set the feed window in $deployment" >&2; exit 1; }

token=$("$binary" token issue --catalogue Calendars --ledger "$ledger" --unit county --body anweiban | sed -n 's/^  token *//p')
[ -n "$token" ] || { echo "serve_bench: no token issued" >&2; exit 1; }

"$binary" serve --catalogue Calendars --ledger "$ledger" --host 127.0.0.1 --port 0 2> "$work/serve.log" &
serve_pid=$!
port=''
for _ in $(seq 1 600); do
  port=$(sed -n 's/.*address=http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/serve.log" | head -n 1)
  [ -n "$port" ] && break
  kill -0 "$serve_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "serve_bench: dutycal serve did not start" >&2; exit 1; }
serve_url="http://127.0.0.1:$port/feeds/$token.ics"

mkdir -p "$work/www/feeds"
chmod 755 "$work"  # nginx's workers run as another user
curl -sf -o "$work/www/feeds/$token.ics" "$serve_url"  # renders it once; from now on it is cached
serve_etag=$(curl -sfI "$serve_url" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
bytes=$(wc -c < "$work/www/feeds/$token.ics")
echo "serve_bench: feed of $bytes bytes (county/anweiban, $first + $ahead months), ETag $serve_etag" >&2

nginx_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$work/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  types { text/calendar ics; }
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  etag on;
  client_body_temp_path $work/nginx-tmp;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
  }
}
EOF
"$nginx" -p "$work" -c "$work/nginx.conf" &
nginx_pid=$!
nginx_url="http://127.0.0.1:$nginx_port/feeds/$token.ics"
for _ in $(seq 1 100); do curl -sf -o /dev/null "$nginx_url" && break; sleep 0.1; done
cmp -s <(curl -sf "$nginx_url") "$work/www/feeds/$token.ics" || { echo "serve_bench: nginx does not serve the same bytes" >&2; exit 1; }
nginx_etag=$(curl -sfI "$nginx_url" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')

# Requests/s from wrk; fails when any answer is not the expected status.
measure() {  # URL EXPECTED-STATUS [HEADER]
  local url=$1 expected=$2 out
  [ "$(curl -s -o /dev/null -w '%{http_code}' ${3:+-H "$3"} "$url")" = "$expected" ] \
    || { echo "serve_bench: $url did not answer $expected" >&2; exit 1; }
  out=$(wrk -t2 -c32 -d"$duration" ${3:+-H "$3"} "$url")
  if grep -q 'Non-2xx or 3xx' <<< "$out" || grep -q 'Socket errors' <<< "$out"; then echo "$out" >&2; fi
  awk '/^Requests\/sec:/ { print $2 }' <<< "$out"
}
rss() { awk '/^VmHWM:/ { print $2 }' "/proc/$serve_pid/status"; }
line() {  # NAME RPS BASELINE_RPS
  python3 -c 'import json, sys; n, r, b, m = sys.argv[1:]; print(json.dumps({"name": n, "rps": float(r), "baseline": "nginx", "baseline_rps": float(b), "ratio": round(float(r) / float(b), 3), "max_rss_kb": int(m)}, separators=(",", ":")))' "$@"
}

serve_200=$(measure "$serve_url" 200)
nginx_200=$(measure "$nginx_url" 200)
line serve-200 "$serve_200" "$nginx_200" "$(rss)"
serve_304=$(measure "$serve_url" 304 "If-None-Match: $serve_etag")
nginx_304=$(measure "$nginx_url" 304 "If-None-Match: $nginx_etag")
line serve-304 "$serve_304" "$nginx_304" "$(rss)"

kill -TERM "$serve_pid"
wait "$serve_pid" || { echo "serve_bench: dutycal serve exited $? after SIGTERM" >&2; exit 1; }
serve_pid=''
