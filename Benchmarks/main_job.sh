#!/usr/bin/env bash
# The main job's three runs on the built-in emulator, in a scratch root: the first run (every
# source, full history), a second run the same day (nothing to do), and a run the next day
# (incremental). Reports per run: wall seconds, HTTP requests and MB fetched, assets built, rows
# the run wrote, rows per second, peak RSS and the checks' outcome. The figures in README.md come from this script.
# Needs a release build (swift build -c release --product warehouse); WAREHOUSE=/path/to/warehouse measures another build.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${WAREHOUSE:-$PWD/.build/release/warehouse}
root=$(mktemp -d "${SCRATCH:-/tmp}/main-job.XXXXXX")
trap 'rm -rf "$root"' EXIT
today=${TODAY:-2026-11-23}
tomorrow=$(date -u -d "$today + 1 day" +%F)
printf "%-18s %9s %10s %10s %7s %14s %12s %12s %s\n" run seconds requests "MB fetched" built "rows written" "rows/s" "peak RSS MB" "checks (passed/warned/failed)"
run() {
  local label=$1 now=$2
  local out
  out=$( { WAREHOUSE_NOW="${now}T12:00:00Z" /usr/bin/time -f "TIME %e %M" "$B" materialize --all --json --root "$root" > "$root/summary.json"; } 2>&1 | grep '^TIME' )
  read -r _ secs kb <<<"$out"
  python3 - "$root/summary.json" "$label" "$secs" "$kb" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
label, secs, kb = sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
written = sum(a.get("rows_written", a.get("rows", 0)) for a in summary["assets"]
              if a["status"] == "success" and not a["asset"].startswith("bronze."))
built = sum(1 for a in summary["assets"] if a["status"] == "success")
checks = summary["checks"]
passed = sum(1 for c in checks if c["passed"])
warned = sum(1 for c in checks if c["status"] == "warn")
failed = len(checks) - passed - warned
print(f"{label:<18} {secs:9.2f} {summary['requests']:10,} {summary['bytes_fetched'] / 1e6:10.1f} {built:7} {written:14,} "
      f"{written / secs if secs else 0:12,.0f} {kb / 1024:12.0f} {passed}/{warned}/{failed}")
PY
}
run "first" "$today"
run "second, same day" "$today"
run "next day" "$tomorrow"
