#!/usr/bin/env bash
# silver.coin_prices and gold.coin_daily_features from 1M to 100M price points on one machine:
# `warehouse bench` per size in its own process (throughput, peak RSS, disk per point, the cost
# of one more day on top), then a table and a PNG of throughput and peak memory against size.
# Each coin has HISTORY hourly points (default 17,520: two years, the main job's history), so a
# larger warehouse has more coins, as a larger universe does; HISTORY=200000 keeps 500 coins at
# 100M instead (23 years each), which shows memory following the deepest coin's history.
# Needs a release build (swift build -c release), matplotlib, and about 25 GB free under
# SCRATCH for 100M points (raw JSON and databases; each root is removed after its size).
#   SIZES="1000000 10000000 100000000" SCRATCH=/tmp Benchmarks/scale.sh [OUT_JSON] [OUT_PNG]
set -euo pipefail
cd "$(dirname "$0")/.."
B=${WAREHOUSE:-.build/release/warehouse}
scratch=${SCRATCH:-/tmp}
history=${HISTORY:-17520}
json=${1:-Benchmarks/results/scale.json}
png=${2:-docs/performance.png}
mkdir -p "$(dirname "$json")" "$(dirname "$png")"
parts=()
for size in ${SIZES:-1000000 10000000 100000000}; do
  coins=$(( (size + history - 1) / history ))
  part=$(mktemp)
  $B bench --points "$size" --coins "$coins" --scratch "$scratch" --json > "$part"
  parts+=("$part")
done
python3 -c "import json,sys; print(json.dumps([r for f in sys.argv[1:] for r in json.load(open(f))], indent=1))" "${parts[@]}" > "$json"
rm -f "${parts[@]}"
python3 Benchmarks/plot_scale.py "$json" "$png"
