#!/usr/bin/env bash
# Runs bench_mqtt_ingest (N QoS 1 publishers through Mosquitto into Conflux,
# counted as durably stored, vs Mosquitto's own relay rate, same run; then
# latency at half that rate) and appends a row to the MQTT section of
# docs/performance.md.
#
#   bench/mqtt/run.sh <build-dir>
# Environment: PUBLISHERS (4), MESSAGES (5000 per publisher),
# BENCH_MQTT_PERF (a file: perf record of conflux during the throughput run)
set -euo pipefail
build=${1:-build-bench}
root=$(cd "$(dirname "$0")/../.." && pwd)
publishers=${PUBLISHERS:-4}
messages=${MESSAGES:-5000}
read -r cfx_rate ceil_rate ceil_p99 paced_rate stored_p99 republished_p99 relay_paced_p99 cfx_cores broker_cores \
  < <("$build/bench/bench_mqtt_ingest" "$build" "$publishers" "$messages")
ratio=$(awk -v a="$cfx_rate" -v b="$ceil_rate" 'BEGIN { printf "%.2f", a / b }')
date=$(date -u +%Y-%m-%d)
cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
load=$(cut -d' ' -f1 /proc/loadavg)
row="| $date | $publishers publishers × $messages msgs, QoS 1 | $cfx_rate msg/s stored | $ceil_rate msg/s, p99 $ceil_p99 ms | **$ratio** | $paced_rate msg/s: stored $stored_p99 ms, republished $republished_p99 ms, relay $relay_paced_p99 ms | <!-- $cpu, $(nproc) cores, load $load; CPU during ingest: conflux $cfx_cores cores, broker $broker_cores -->"
echo "conflux: $cfx_rate msg/s stored; mosquitto relay: $ceil_rate msg/s (p99 $ceil_p99 ms); ratio $ratio (target >= 0.7)"
echo "paced at $paced_rate msg/s: p99 publish->stored $stored_p99 ms, publish->republished $republished_p99 ms, relay $relay_paced_p99 ms"
# Insert the row at the end of the MQTT table.
python3 - "$root/docs/performance.md" "$row" <<'PY'
import sys
path, row = sys.argv[1], sys.argv[2]
lines = open(path).read().split("\n")
start = next(i for i, l in enumerate(lines) if l.startswith("## MQTT ingest"))
# The last table of the section (rows before the method change are kept above it).
end = start + 1
while end < len(lines) and not lines[end].startswith("## "):
    end += 1
last = max(i for i in range(start, end) if lines[i].startswith("|"))
lines.insert(last + 1, row)
open(path, "w").write("\n".join(lines))
PY
