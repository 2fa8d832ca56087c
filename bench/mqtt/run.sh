#!/usr/bin/env bash
# Runs bench_mqtt_ingest (N QoS 1 publishers through Mosquitto into Conflux
# vs Mosquitto's own relay rate, same run) and appends a row to the MQTT
# section of docs/performance.md.
#
#   bench/mqtt/run.sh <build-dir>
# Environment: PUBLISHERS (4), MESSAGES (5000 per publisher)
set -euo pipefail
build=${1:-build-bench}
root=$(cd "$(dirname "$0")/../.." && pwd)
publishers=${PUBLISHERS:-4}
messages=${MESSAGES:-5000}
read -r cfx_rate cfx_p99 ceil_rate ceil_p99 < <("$build/bench/bench_mqtt_ingest" "$build" "$publishers" "$messages")
ratio=$(awk -v a="$cfx_rate" -v b="$ceil_rate" 'BEGIN { printf "%.2f", a / b }')
date=$(date -u +%Y-%m-%d)
cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
row="| $date | $publishers publishers × $messages msgs, QoS 1 | $cfx_rate msg/s, p99 $cfx_p99 ms | $ceil_rate msg/s, p99 $ceil_p99 ms | **$ratio** | <!-- $cpu, $(nproc) cores -->"
echo "conflux: $cfx_rate msg/s p99 $cfx_p99 ms; mosquitto relay: $ceil_rate msg/s p99 $ceil_p99 ms; ratio $ratio (target >= 0.7)"
# Insert the row at the end of the MQTT table.
python3 - "$root/docs/performance.md" "$row" <<'PY'
import sys
path, row = sys.argv[1], sys.argv[2]
lines = open(path).read().split("\n")
start = next(i for i, l in enumerate(lines) if l.startswith("## MQTT ingest"))
end = start + 1
while end < len(lines) and not lines[end].startswith("## "):
    end += 1
last = max(i for i in range(start, end) if lines[i].startswith("|"))
lines.insert(last + 1, row)
open(path, "w").write("\n".join(lines))
PY
