#!/usr/bin/env bash
# The Parquet lake: gold.coin_daily_features of a generated root (POINTS price points, default
# 20M, about 830k daily rows) written as a month-partitioned Hive dataset three ways: the
# `[lake]` sync of `warehouse materialize` (first sync, then a sync with nothing changed),
# `warehouse export --partition-by month`, and pyarrow's write_dataset from Python; then Spark
# (pyspark, installed here if missing) reads the lake with partition pruning.
# Needs a release build (swift build -c release), pyarrow, and Java 17 for Spark.
set -euo pipefail
cd "$(dirname "$0")/.."
B=.build/release/warehouse
scratch=${SCRATCH:-/tmp}
points=${POINTS:-20000000}
python3 -c "import pyspark" 2>/dev/null || python3 -m pip install -q --break-system-packages pyspark
root=$($B bench --points "$points" --scratch "$scratch" --keep --json | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['root'])")
trap 'rm -rf "$root"' EXIT
rows=$(sqlite3 "$root/gold.sqlite" "SELECT COUNT(*) FROM coin_daily_features")
timed() { { /usr/bin/time -f "%e %M" "$@" >/dev/null; } 2>&1 | tail -1; }
row() { read -r secs kb <<<"$2"; printf "%-34s %8s %12.0f %12.0f\n" "$1" "$secs" "$(echo "$rows / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)"; }
printf "%s rows of gold.coin_daily_features\n%-34s %8s %12s %12s\n" "$rows" writer seconds rows/s "peak RSS MB"
printf '[lake]\ndir = "lake"\n' > "$root/warehouse.toml"
row "lake sync (first)" "$(timed $B materialize gold.coin_daily_features --root "$root" --quiet)"
row "lake sync (nothing changed)" "$(timed $B materialize gold.coin_daily_features --root "$root" --quiet)"
row "warehouse export --partition-by" "$(timed $B export gold.coin_daily_features --partition-by month --out "$root/export" --root "$root")"
row "pyarrow write_dataset (Python)" "$(timed python3 Benchmarks/pyarrow_lake.py "$root/gold.sqlite" coin_daily_features "$root/pyarrow")"
python3 Benchmarks/spark_lake_read.py "$root/lake/coin_daily_features" "$root/gold.sqlite" coin_daily_features
