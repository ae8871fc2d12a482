#!/usr/bin/env bash
# The main job: build the release binary and run the whole pipeline on the built-in market
# emulator into ./data (or $WAREHOUSE_ROOT). A second run the same day makes no HTTP request.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product warehouse
.build/release/warehouse materialize --all "$@"
root="${WAREHOUSE_ROOT:-data}"
echo
echo "Query the marts:  sqlite3 $root/gold.sqlite 'SELECT rank, coin_id, price, market_cap_category FROM crypto_analytics_mart LIMIT 10'"
echo "Inspect the runs: .build/release/warehouse runs --root $root"
echo "Watch the stock features for drift: .build/release/warehouse baseline create gold.stock_features --root $root"
echo "Collect the exchanges' streams (10 minutes), then their KPIs: .build/release/warehouse collect --duration 10m --root $root && .build/release/warehouse materialize tag:exchanges+ --root $root"
echo "Open the dashboard and the API:  .build/release/warehouse serve --root $root   then http://127.0.0.1:8080/ (API under /api/v1)"
