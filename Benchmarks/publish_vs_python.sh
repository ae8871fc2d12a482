#!/usr/bin/env bash
# Publishes silver.coin_prices of generated roots (1M and 5M rows) to a throwaway PostgreSQL
# cluster this script starts on a loopback port: with `warehouse publish` (libpq, COPY), with
# psycopg's COPY from Python, and with pandas' to_sql (at sizes up to PANDAS_MAX rows, as it is
# slow), reporting rows per second and peak memory of each; then `warehouse publish` again
# after forgetting the ledger (a whole merge of an identical table: every row sent, none written).
# Needs a release build (swift build -c release), PostgreSQL's server (apt-get install
# postgresql) and psycopg, pandas, sqlalchemy (pip install "psycopg[binary]" pandas sqlalchemy).
set -euo pipefail
cd "$(dirname "$0")/.."
B=.build/release/warehouse
scratch=${SCRATCH:-/tmp}
pandas_max=${PANDAS_MAX:-1000000}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
cluster=$(mktemp -d "$scratch/publish-bench.XXXX")
port=$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
echo bench > "$cluster/pw"
[ "$(id -u)" -eq 0 ] && chown -R postgres "$cluster"
as_postgres "$bin/initdb" -D "$cluster/data" -U bench --auth=scram-sha-256 --pwfile="$cluster/pw" -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w start -o "-p $port -k $cluster -c listen_addresses=127.0.0.1" >/dev/null
trap 'as_postgres "$bin/pg_ctl" -D "$cluster/data" -m fast -w stop >/dev/null; rm -rf "$cluster"' EXIT
export PGPASSWORD=bench WAREHOUSE_PG_PASSWORD=bench
dsn() { echo "host=127.0.0.1 port=$port user=bench password=bench dbname=$1"; }
measure() { # label rows command...: prints seconds, rows/s and peak RSS
  local label=$1 rows=$2; shift 2
  if ! /usr/bin/time -o "$cluster/time" -f "%e %M" "$@" >/dev/null 2>"$cluster/err"; then
    echo "$label failed:"; cat "$cluster/err"; exit 1
  fi
  read -r secs kb < "$cluster/time"
  printf "%-11s %-34s %9s %12.0f %12.0f\n" "$rows" "$label" "$secs" "$(echo "$rows / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
}
printf "%-11s %-34s %9s %12s %12s\n" rows publisher seconds rows/s "peak RSS MB"
for size in ${SIZES:-1000000 5000000}; do
  root=$($B bench --points "$size" --scratch "$scratch" --keep --json | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['root'])")
  rows=$(sqlite3 "$root/silver.sqlite" "SELECT count(*) FROM coin_prices")
  for db in ours psy pandas; do as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U bench "${db}_$size"; done
  measure "warehouse publish (COPY, load)" "$rows" $B publish silver.coin_prices --root "$root" --to "postgresql://bench@127.0.0.1:$port/ours_$size"
  psql -q "$(dsn "ours_$size")" -c "DELETE FROM warehouse_meta.publications"
  measure "warehouse publish (merge, 0 changed)" "$rows" $B publish silver.coin_prices --root "$root" --to "postgresql://bench@127.0.0.1:$port/ours_$size"
  measure "psycopg COPY (Python)" "$rows" python3 Benchmarks/python_publish.py copy "$root/silver.sqlite" coin_prices "$(dsn "psy_$size")"
  if [ "$size" -le "$pandas_max" ]; then
    measure "pandas to_sql (Python)" "$rows" python3 Benchmarks/python_publish.py to_sql "$root/silver.sqlite" coin_prices "$(dsn "pandas_$size")"
  fi
  same=$(psql -tA "$(dsn "ours_$size")" -c "SELECT count(*), sum(ts), min(price), max(price) FROM silver.coin_prices")
  theirs=$(psql -tA "$(dsn "psy_$size")" -c "SELECT count(*), sum(ts), min(price), max(price) FROM coin_prices")
  [ "$same" = "$theirs" ] || { echo "the published tables differ: $same vs $theirs"; exit 1; }
  rm -rf "$root"
done
