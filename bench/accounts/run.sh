#!/usr/bin/env bash
# Runs the accounts benchmark (bench_accounts) and records a row in the
# "## Accounts" section of docs/performance.md (created, with its table
# header, before the HTTP section when absent; other sections are left
# alone).
#
#   bench/accounts/run.sh <build-dir> [bench_accounts options]
#     e.g. bench/accounts/run.sh build-bench --seconds 4 --logins 50
# Environment: BENCH_DIR (where the temporary LMDB dir goes; default /tmp).
# The build needs -DCONFLUX_BUILD_BENCH=ON (target bench_accounts). Do not
# run two benchmark scripts at once (they share docs/performance.md).
set -euo pipefail
build=${1:-build-bench}
shift || true
root=$(cd "$(dirname "$0")/../.." && pwd)
json=$("$build/bench/bench_accounts" --dir "${BENCH_DIR:-/tmp}" "$@")
echo "$json"

python3 - "$root/docs/performance.md" "$json" "$(nproc)" <<'PY'
import datetime, json, sys

path, raw, cores = sys.argv[1], sys.argv[2], sys.argv[3]
r = json.loads(raw)
v, l = r["verify"], r["login"]
cpu = "unknown cpu"
with open("/proc/cpuinfo") as f:
    for line in f:
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
row = (f"| {datetime.date.today().isoformat()} | {v['login_token_per_s']:,.0f} /s "
       f"(API key {v['api_key_per_s']:,.0f} /s) | {v['ceiling_hmac_per_s']:,.0f} /s | "
       f"**{v['ratio']:.2f}** | {l['p50_ms']:.1f} / {l['p99_ms']:.1f} ms "
       f"(argon2id t={l['argon2id_ops']}, m={l['argon2id_mem_mib']} MiB; bare verify "
       f"{l['ceiling_p50_ms']:.1f} ms) | <!-- {cpu}, {cores} cores -->")

section = """## Accounts: token verification vs bare HMAC, and login latency

- **Verification** (the per-request cost of every authenticated management
  call): `bench_accounts` (`bench/accounts`) calls `AccountsService::verify`
  on a login token and on an API key: HS256 signature check in constant
  time, claims parse, expiry, the user row (and the API key row, for
  revocation) read from LMDB in a fresh read transaction.
- **Ceiling**: a bare HMAC-SHA256 of the same signing input plus a
  constant-time compare (OpenSSL), same run, alternating, best of each.
- **Login**: `AccountsService::login` p50 / p99 with the default argon2id
  parameters (t = 2, m = 19 MiB, one lane: the OWASP recommendation), beside
  one bare `crypto_pwhash_str_verify` of the same hash. Target: well under
  200 ms on one core.

| date | verify (login token) | ceiling (HMAC) | ratio | login p50 / p99 |
|---|---|---|---|---|
"""

text = open(path).read()
marker = "## Accounts"
if marker not in text:
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
