#!/usr/bin/env bash
# HTTP ingest benchmark: wrk POSTing a 3-record SenML pack with a Thing key
# to /http/messages (full path: Beast, thing lookup, pipeline, LMDB group
# commit with fsync on, 202 after the commit) against the trivial Beast 202
# responder (bench_beast_202, the ceiling) in the same run. Then a
# throughput-limited run at about half of the measured maximum (wrk's Lua
# delay() paces each connection) for the p99 latency at half load. Appends a
# row to the "## HTTP ingest" table of docs/performance.md.
#
#   bench/http_ingest/run.sh <build-dir>
# Environment: DURATION (10s), CONNECTIONS (256: the rate is bounded by
# concurrency / commit latency), WRK_THREADS (2), THREADS (nproc)
# Needs: wrk, curl, python3; <build-dir>/conflux, plugins rest + http,
# bench_beast_202.
set -euo pipefail
build=$(cd "${1:-build-bench}" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
duration=${DURATION:-10s}
connections=${CONNECTIONS:-256}
wrk_threads=${WRK_THREADS:-2}
threads=${THREADS:-$(nproc)}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }

# $1: thing key ("" for the ceiling), $2: per-connection delay in ms (0: none).
write_script() {
  cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '[{"bn":"bench:","bu":"Cel","n":"t1","v":21.5},{"n":"t2","v":22.5},{"n":"t3","v":23.5}]'
wrk.headers["Content-Type"] = "application/senml+json"
wrk.headers["Authorization"] = "Thing $1"
local pause = $2
if pause > 0 then
  function delay() return pause end
end
LUA
}

# Prints "<requests/s> <p99 ms>" for a wrk run against $1 with $2 connections.
measure() {
  local out rps p99
  out=$(wrk -t"$wrk_threads" -c"$2" -d"${duration}" --latency -s "$work/post.lua" "$1")
  echo "$out" >&2
  if echo "$out" | grep -q "Non-2xx"; then echo "non-2xx answers: $(echo "$out" | grep Non-2xx)" >&2; fi
  rps=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { v=$2; if (v ~ /us$/) { sub(/us/,"",v); v=v/1000 } else if (v ~ /ms$/) { sub(/ms/,"",v) } else if (v ~ /s$/) { sub(/s/,"",v); v=v*1000 }; print v }')
  echo "$rps $p99"
}

# --- ceiling ---------------------------------------------------------------
write_script "none" 0
ceiling_port=$(free_port)
"$build/bench/bench_beast_202" "$ceiling_port" "$threads" &
pids+=($!)
wait_port "$ceiling_port"
read -r ceil_rps ceil_p99 < <(measure "http://127.0.0.1:$ceiling_port/http/messages" "$connections")
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

# --- conflux ---------------------------------------------------------------
port=$(free_port)
CONFLUX_HTTP_LISTEN="127.0.0.1:$port" CONFLUX_PLUGINS_DIR="$build/plugins" \
  CONFLUX_STORAGE_PATH="$work/data" CONFLUX_STORAGE_SYNC=true CONFLUX_RUNTIME_THREADS="$threads" \
  CONFLUX_MQTT_ENABLED=false \
  CONFLUX_LOG_LEVEL=warn CONFLUX_ADMIN_EMAIL=bench@example.com CONFLUX_ADMIN_PASSWORD=bench-password-1 \
  "$build/conflux" serve > "$work/conflux.log" 2>&1 &
pids+=($!)
wait_port "$port"
api="http://127.0.0.1:$port"
json_field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d'+sys.argv[1]))" "$1"; }
token=$(curl -sf -X POST "$api/tokens" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"bench-password-1"}' | json_field '["token"]')
org=$(curl -sf -D - -o /dev/null -X POST "$api/orgs" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"name":"bench"}' | awk -F/ 'tolower($0) ~ /^location:/ { print $NF }' | tr -d '\r')
group=$(curl -sf -D - -o /dev/null -X POST "$api/orgs/$org/groups" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"name":"bench"}' | awk -F/ 'tolower($0) ~ /^location:/ { print $NF }' | tr -d '\r')
profile=$(curl -sf -X POST "$api/groups/$group/profiles" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' \
  -d '[{"name":"bench","config":{"content_type":"application/senml+json"}}]' | json_field '["profiles"][0]["id"]')
key=$(curl -sf -X POST "$api/profiles/$profile/things" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '[{"name":"bench","type":"device"}]' | json_field '["things"][0]["key"]')
write_script "$key" 0
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$api/http/messages" -H "Authorization: Thing $key" \
  -H 'Content-Type: application/senml+json' -d '[{"n":"probe","v":1}]')
[ "$status" = 202 ] || { echo "probe publish answered $status" >&2; cat "$work/conflux.log" >&2; exit 1; }

read -r max_rps max_p99 < <(measure "$api/http/messages" "$connections")

# Half load: each connection waits `pause` ms between requests. A short
# calibration run measures the rate one paced connection reaches (its cycle
# includes the commit latency), then the measured run uses enough
# connections for half of the maximum.
half=$(awk -v r="$max_rps" 'BEGIN { printf "%d", r / 2 }')
pause=4
write_script "$key" "$pause"
read -r calib_rps _ < <(duration=5s measure "$api/http/messages" 32)
half_conns=$(awk -v h="$half" -v c="$calib_rps" 'BEGIN { n = int(32 * h / c + 0.5); if (n < 2) n = 2; if (n > 4096) n = 4096; print n }')
read -r half_rps half_p99 < <(measure "$api/http/messages" "$half_conns")
kill -TERM "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

records=$(awk -v r="$max_rps" 'BEGIN { printf "%.0f", r * 3 }')
ratio=$(awk -v a="$max_rps" -v b="$ceil_rps" 'BEGIN { printf "%.2f", a / b }')
load=$(awk -v a="$half_rps" -v b="$max_rps" 'BEGIN { printf "%.0f", 100 * a / b }')
date=$(date -u +%Y-%m-%d)
cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
row="| $date | wrk -t$wrk_threads -c$connections -d$duration, $threads io threads, fsync on | $max_rps msg/s ($records records/s), p99 $max_p99 ms | $half_rps msg/s ($load% of max, $half_conns conns × ${pause} ms pause): p99 **$half_p99 ms** | $ceil_rps req/s, p99 $ceil_p99 ms | **$ratio** |"
echo
echo "ingest: $max_rps msg/s ($records records/s) p99 $max_p99 ms; half load $half_rps msg/s p99 $half_p99 ms; ceiling $ceil_rps req/s; ratio $ratio"

python3 - "$root/docs/performance.md" "$row <!-- $cpu, $(nproc) cores -->" <<'PY'
import sys
path, row = sys.argv[1], sys.argv[2]
text = open(path).read()
marker = "## HTTP ingest"
header = (
    "## HTTP ingest: devices POSTing SenML vs a bare Beast responder\n\n"
    "- **Conflux**: `bench/http_ingest/run.sh`: wrk POSTs a 3-record SenML pack with\n"
    "  `Authorization: Thing <key>` to `/http/messages` (keep-alive): Beast session,\n"
    "  router, thing lookup (registry cache), pipeline (SenML parse and resolution),\n"
    "  LMDB group commit with **fsync on**, 202 after the commit.\n"
    "- **Ceiling**: `bench_beast_202` answering 202 to the same requests, same run.\n"
    "- **Half load**: a paced run (wrk Lua `delay()` per connection) at about half of\n"
    "  the measured maximum; its p99 is the latency figure.\n"
    "- **Targets**: >= 30k messages/s on 2 cores, p99 < 10 ms at half load, >= 0.4 of\n"
    "  the ceiling.\n\n"
    "| date | run | max | half load | ceiling | ratio |\n"
    "|---|---|---|---|---|---|\n")
if marker not in text:
    text = text.rstrip("\n") + "\n\n" + header
start = text.index(marker)
nxt = text.find("\n## ", start + 1)
end = len(text) if nxt < 0 else nxt
section = text[start:end].rstrip("\n") + "\n" + row + "\n"
text = text[:start] + section + ("\n" + text[end:].lstrip("\n") if nxt >= 0 else "")
open(path, "w").write(text)
PY
