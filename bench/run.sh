#!/usr/bin/env bash
# Runs the HTTP benchmark: wrk against the stand-alone Beast 202 responder (the
# ceiling) and against Conflux serving POST /bench/ack, in the same run, and
# records requests/s, p99 latency and the ratio in docs/performance.md.
#
#   bench/run.sh <build-dir>      (make bench does this)
# Environment: DURATION (10s), CONNECTIONS (64), WRK_THREADS (2), THREADS (nproc)
set -euo pipefail
build=${1:-build-bench}
root=$(cd "$(dirname "$0")/.." && pwd)
duration=${DURATION:-10s}
connections=${CONNECTIONS:-64}
wrk_threads=${WRK_THREADS:-2}
threads=${THREADS:-$(nproc)}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"v":1}'
wrk.headers["Content-Type"] = "application/json"
LUA

# Prints "<requests/s> <p99 ms>" for a wrk run against $1.
measure() {
  local out
  out=$(wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency -s "$work/post.lua" "$1")
  echo "$out" >&2
  local rps p99
  rps=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { v=$2; if (v ~ /us$/) { sub(/us/,"",v); v=v/1000 } else if (v ~ /ms$/) { sub(/ms/,"",v) } else if (v ~ /s$/) { sub(/s/,"",v); v=v*1000 }; print v }')
  echo "$rps $p99"
}

ceiling_port=$(free_port)
"$build/bench/bench_beast_202" "$ceiling_port" "$threads" &
ceiling_pid=$!
wait_port "$ceiling_port"
read -r ceil_rps ceil_p99 < <(measure "http://127.0.0.1:$ceiling_port/bench/ack")
kill "$ceiling_pid"; wait "$ceiling_pid" 2>/dev/null || true

conflux_port=$(free_port)
CONFLUX_HTTP_LISTEN="127.0.0.1:$conflux_port" CONFLUX_PLUGINS_DIR="$build/bench/plugins" \
  CONFLUX_STORAGE_PATH="$work/data" CONFLUX_RUNTIME_THREADS="$threads" CONFLUX_LOG_LEVEL=warn \
  "$build/conflux" serve &
conflux_pid=$!
wait_port "$conflux_port"
read -r cfx_rps cfx_p99 < <(measure "http://127.0.0.1:$conflux_port/bench/ack")
kill -TERM "$conflux_pid"; wait "$conflux_pid" 2>/dev/null || true

ratio=$(awk -v a="$cfx_rps" -v b="$ceil_rps" 'BEGIN { printf "%.2f", a / b }')
date=$(date -u +%Y-%m-%d)
cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
row="| $date | HTTP 202 (wrk -t$wrk_threads -c$connections -d$duration, $threads io threads) | $cfx_rps req/s, p99 $cfx_p99 ms | $ceil_rps req/s, p99 $ceil_p99 ms | **$ratio** |"
echo
echo "conflux: $cfx_rps req/s p99 $cfx_p99 ms; ceiling: $ceil_rps req/s p99 $ceil_p99 ms; ratio $ratio (target >= 0.8)"

# The row goes at the end of the table of its own section (other sections
# follow it); the section is created, with its table header, when absent.
python3 - "$root/docs/performance.md" "$row <!-- $cpu, $(nproc) cores -->" <<'PY'
import sys
path, row = sys.argv[1], sys.argv[2]
text = open(path).read()
marker = "## HTTP: Conflux vs a bare Beast responder"
header = (
    marker + "\n\n"
    "- **Conflux**: `POST /bench/ack` served by the `ack` benchmark plugin\n"
    "  (`bench/plugins/ack`) answering 202 — the full path: Beast session, router,\n"
    "  request conversion to SDK types, the plugin's handler, `HttpReply`, metrics\n"
    "  (request counter and latency histogram), response conversion.\n"
    "- **Ceiling**: `bench_beast_202` (`bench/ceiling/beast_202.cpp`), a minimal\n"
    "  Beast server that reads a request and writes 202, same io thread count.\n"
    "- **Load**: `wrk` with 2 threads, 64 keep-alive connections, 10 s, a small\n"
    "  JSON body; wrk runs on the same machine, so both sides share the cores.\n"
    "- **Target**: Conflux ≥ 0.8 of the ceiling's requests/s.\n\n"
    "| date | benchmark | Conflux | ceiling | ratio |\n"
    "|---|---|---|---|---|\n")
if marker not in text:
    text = text.rstrip("\n") + "\n\n" + header
start = text.index(marker)
nxt = text.find("\n## ", start + 1)
end = len(text) if nxt < 0 else nxt
lines = text[start:end].rstrip("\n").split("\n")
last_row = max(n for n, line in enumerate(lines) if line.startswith("|"))
lines.insert(last_row + 1, row)
section = "\n".join(lines) + "\n"
text = text[:start] + section + ("\n" + text[end:].lstrip("\n") if nxt >= 0 else "")
open(path, "w").write(text)
PY
