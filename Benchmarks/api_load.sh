#!/usr/bin/env bash
# API throughput and latency: `warehouse serve` (release build) on a root built by the main
# job, loaded by wrk over loopback: a table page, a coin's 7-day history, the analytics mart
# and the overview page (after one warm-up request each). Reports requests/s, p50 and p99 latency and errors per endpoint and
# the server's peak RSS. ROOT=DIR reuses a built root; DURATION (default 10s), CONNECTIONS (32).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
source scripts/serve-built-root.sh
printf "%-60s %9s %8s %8s %s\n" endpoint "req/s" "p50 ms" "p99 ms" errors
for path in "/api/v1/tables/silver.coin_prices?coin_id=bitcoin&limit=100" "/api/v1/coins/bitcoin/history?window=7d" \
            "/api/v1/tables/gold.crypto_analytics_mart" "/"; do
  curl -s -o /dev/null "$base$path"   # warm: the first request computes what later ones reuse (the plan, health)
  wrk -t2 -c"${CONNECTIONS:-32}" -d"${DURATION:-10s}" --latency "$base$path" | python3 -c '
import re, sys
text, path = sys.stdin.read(), sys.argv[1]
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([0-9.]+)(us|ms|s)\s*$", text, re.M)
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)] if m else float("nan")
rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", text).group(1))
errors = "; ".join(l.strip() for l in text.splitlines() if "Non-2xx" in l or "Socket errors" in l) or "none"
p50, p99 = ms("50%"), ms("99%")
print(f"{path:<60} {rps:9.0f} {p50:8.2f} {p99:8.2f} {errors}")' "$path"
done
echo "server peak RSS: $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$server/status)"
