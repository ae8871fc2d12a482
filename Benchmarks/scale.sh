#!/usr/bin/env bash
# silver.coin_prices and gold.coin_daily_features from 1M to 100M price points on one machine:
# `warehouse bench` per size in its own process (throughput, peak RSS, disk per point, the cost
# of one more day on top), then a table and a PNG of throughput and peak memory against size.
# Needs a release build (swift build -c release), matplotlib, and about 25 GB free under
# SCRATCH for 100M points (raw JSON and databases; each root is removed after its size).
#   SIZES="1000000 10000000 100000000" SCRATCH=/tmp Benchmarks/scale.sh [OUT_JSON] [OUT_PNG]
set -euo pipefail
cd "$(dirname "$0")/.."
B=.build/release/warehouse
scratch=${SCRATCH:-/tmp}
json=${1:-Benchmarks/results/scale.json}
png=${2:-docs/performance.png}
mkdir -p "$(dirname "$json")" "$(dirname "$png")"
sizes=$(echo ${SIZES:-1000000 10000000 100000000} | tr ' ' ',')
$B bench --points "$sizes" --scratch "$scratch" --json > "$json"
python3 Benchmarks/plot_scale.py "$json" "$png"
