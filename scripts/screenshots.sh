#!/usr/bin/env bash
# Re-records docs/screenshots/ (shown by the README): `warehouse serve` on a root built by the
# main job, every dashboard page in headless Chromium at 1280 px, the overview and markets also
# at phone width. ROOT=DIR reuses a built root.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
swift build -c release --product warehouse >/dev/null
B=$PWD/.build/release/warehouse
export WAREHOUSE_NOW=${WAREHOUSE_NOW:-2026-11-23T12:00:00Z}
root=${ROOT:-}
if [ -z "$root" ]; then
  root=$(mktemp -d "${SCRATCH:-/tmp}/screenshots.XXXXXX")
  "$B" materialize --all --root "$root" >/dev/null
fi
log=$(mktemp)
"$B" serve --root "$root" --port 0 >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do grep -q "Serving" "$log" && break; sleep 0.1; done
base=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1)
run=$(curl -s "$base/api/v1/runs?limit=1" | python3 -c "import json,sys; print(json.load(sys.stdin)['runs'][0]['run_id'])")
out=docs/screenshots
mkdir -p "$out"
profile=$(mktemp -d)
shot() {  # name path width height
  chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
    --window-size="$3,$4" --screenshot="$out/$1.png" "$base$2" 2>/dev/null
  echo "$out/$1.png"
}
shot overview / 1280 900
shot assets /assets 1280 900
shot asset /assets/gold.crypto_analytics_mart 1280 900
shot runs "/runs/$run" 1280 900
shot markets "/markets?coin=bitcoin&window=30d" 1280 1400
shot quality /quality 1280 1100
shot markets-phone "/markets?coin=bitcoin&window=7d" 390 1600
shot overview-phone / 390 1200
rm -rf "$profile"
