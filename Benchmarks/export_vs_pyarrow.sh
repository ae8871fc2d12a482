#!/usr/bin/env bash
# Exports silver.coin_prices of generated roots (2M and 10M rows) with `warehouse export` and
# with pyarrow from Python, with the same page codec (CODEC: zstd, the default, snappy or gzip),
# reporting rows per second, peak memory and file size of each.
# Needs a release build (swift build -c release) and pyarrow (pip install pyarrow).
set -euo pipefail
cd "$(dirname "$0")/.."
B=.build/release/warehouse
scratch=${SCRATCH:-/tmp}
codec=${CODEC:-zstd}
printf "%-11s %-22s %10s %12s %12s %9s\n" rows writer seconds rows/s "peak RSS MB" "file MB"
for size in ${SIZES:-2000000 10000000}; do
  root=$($B bench --points "$size" --scratch "$scratch" --keep --json | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['root'])")
  out=$( { /usr/bin/time -f "%e %M" $B export silver.coin_prices --root "$root" --out "$root/ours.parquet" --compression "$codec" >/dev/null; } 2>&1 | tail -1)
  read -r secs kb <<<"$out"
  printf "%-11s %-22s %10s %12.0f %12.0f %9.1f\n" "$size" "warehouse export" "$secs" "$(echo "$size / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)" "$(echo "$(stat -c %s "$root/ours.parquet") / 1048576" | bc -l)"
  out=$( { /usr/bin/time -f "%e %M" python3 Benchmarks/pyarrow_export.py "$root/silver.sqlite" coin_prices "$root/pyarrow.parquet" "$codec" >/dev/null; } 2>&1 | tail -1)
  read -r secs kb <<<"$out"
  printf "%-11s %-22s %10s %12.0f %12.0f %9.1f\n" "$size" "pyarrow (Python)" "$secs" "$(echo "$size / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)" "$(echo "$(stat -c %s "$root/pyarrow.parquet") / 1048576" | bc -l)"
  python3 -c "import pyarrow.parquet as pq, sys; a=pq.read_table('$root/ours.parquet'); b=pq.read_table('$root/pyarrow.parquet'); sys.exit(0 if a.num_rows==b.num_rows and a.column('price').equals(b.column('price')) else 1)" \
    || { echo "the two files differ"; exit 1; }
  rm -rf "$root"
done
