#!/usr/bin/env bash
# Runs the pipeline benchmark (bench_pipeline) and records a row in the
# "## Pipeline" section of docs/performance.md (the section is created, with
# its table header, when absent; other sections are left alone).
#
#   bench/pipeline/run.sh <build-dir> [bench_pipeline options]
#     e.g. bench/pipeline/run.sh build-bench --packs 50000 --rows 1000000
# Environment: CONFLUX_BENCH_FULL=1 (10M stored rows for the query part),
#              BENCH_DIR (where the temporary LMDB dirs go; default /tmp).
# The build needs -DCONFLUX_BUILD_BENCH=ON (target bench_pipeline). Single
# threaded script; do not run two at once (they share docs/performance.md).
set -euo pipefail
build=${1:-build-bench}
shift || true
root=$(cd "$(dirname "$0")/../.." && pwd)
json=$("$build/bench/bench_pipeline" --dir "${BENCH_DIR:-/tmp}" "$@")
echo "$json"

python3 - "$root/docs/performance.md" "$json" "$(nproc)" <<'PY'
import datetime, json, sys

path, raw, cores = sys.argv[1], sys.argv[2], sys.argv[3]
r = json.loads(raw)
i, q = r["ingest"], r["query"]
cpu = "unknown cpu"
with open("/proc/cpuinfo") as f:
    for line in f:
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
mode = "full" if q["stored_rows"] >= 10_000_000 else "quick"
row = (f"| {datetime.date.today().isoformat()} | {mode}: {i['packs']} packs × 10 records; "
       f"query among {q['stored_rows']:,} rows | {i['pipeline_records_per_s']:,.0f} records/s | "
       f"{i['ceiling_records_per_s']:,.0f} records/s | **{i['ratio']:.2f}** | "
       f"{q['p50_ms']:.3f} / {q['p99_ms']:.3f} ms | <!-- {cpu}, {cores} cores -->")

section = """## Pipeline: SenML ingest vs raw LMDB puts, and newest-100 queries

- **Conflux**: `bench_pipeline` (`bench/pipeline`) publishes SenML packs of 10
  records into the full pipeline — queue, 2 workers, SenML parse and
  resolution, ids, one store job per worker batch, message store rows with
  their time index and counts, LMDB group commit with **fsync on** — and waits
  for every acknowledgement.
- **Ceiling**: raw `mdb_put` of the same encoded row bytes (keys and values as
  the message store writes them), 10000 rows per fsync'd transaction, same
  disk, same run. Alternating runs, best of each.
- **Query**: the newest 100 rows of one random publisher (of 1000) among N
  stored rows, p50 / p99 over 2000 queries.
- **Targets**: ratio ≥ 0.5, ≥ 300k records/s on 2 cores, query p99 < 2 ms.

| date | benchmark | Conflux | ceiling | ratio | query p50 / p99 |
|---|---|---|---|---|---|
"""

text = open(path).read()
marker = "## Pipeline"
if marker not in text:
    # bench/run.sh appends its rows at the very end of the file (the HTTP
    # table is last), so the new section goes before the HTTP section.
    http = text.find("\n## HTTP")
    if http >= 0:
        text = text[: http + 1] + section + "\n" + text[http + 1 :]
    else:
        text = text.rstrip("\n") + "\n\n" + section
start = text.index(marker)
end = text.find("\n## ", start + 1)
end = len(text) if end < 0 else end
body = text[start:end]
lines = body.rstrip("\n").split("\n")
last_row = max(n for n, l in enumerate(lines) if l.startswith("|"))
lines.insert(last_row + 1, row)
if end < len(text):
    text = text[:start] + "\n".join(lines) + "\n\n" + text[end:].lstrip("\n")
else:
    text = text[:start] + "\n".join(lines) + "\n"
open(path, "w").write(text)
print(row)
PY
