#!/usr/bin/env bash
# Exchange streams: (1) collector throughput, the emulator streaming as fast as it can to
# `warehouse collect` on loopback (messages per second into segments, peak RSS of the
# collector); (2) a day of segments (HOURS, default 24, of 3 venues x 20 symbols x 1 message/s,
# written by Benchmarks/make_segments.py as another tool would) through silver.exchange_ticks,
# silver.exchange_connections, gold.exchange_kpis and gold.cross_exchange_spreads (with its daily
# summary): ticks per second and peak RSS of each build.
# Needs a release build (swift build -c release).
set -euo pipefail
cd "$(dirname "$0")/.."
B=$PWD/.build/release/warehouse
scratch=$(mktemp -d "${SCRATCH:-/tmp}/streams-XXXX")
trap 'kill $emulator 2>/dev/null || true; rm -rf "$scratch"' EXIT
seconds=${SECONDS_COLLECT:-20}
rate=${RATE:-20000}
hours=${HOURS:-24}
count() { python3 -c "import glob,json,sys; print(sum(int(json.load(open(p))['params'][sys.argv[2]]) for p in glob.glob(sys.argv[1])))" "$1" "$2"; }
timed() { { /usr/bin/time -f "%e %M" "$@" >/dev/null; } 2>&1 | tail -1; }

port=$((20000 + RANDOM % 20000))
$B emulator --port "$port" --ws-rate "$rate" --ws-disconnect-every 0 --ws-bad 0 >/dev/null &
emulator=$!
sleep 1
export BINANCE_WS_URL=ws://127.0.0.1:$port KRAKEN_WS_URL=ws://127.0.0.1:$port/v2 COINBASE_WS_URL=ws://127.0.0.1:$port
read -r secs kb <<<"$(timed $B collect --root "$scratch/collect" --duration "${seconds}s" --symbols BTC/USDT,ETH/USDT,SOL/USDT)"
lines=$(count "$scratch/collect/raw/*/*/ws_ticker/*.meta.json" messages)
printf "collector: %d messages in %.1f s = %.0f messages/s into segments, peak RSS %.0f MB\n" "$lines" "$secs" "$(echo "$lines / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
kill $emulator

python3 Benchmarks/make_segments.py "$scratch/day" 2026-11-30 "$hours" 20 1
rows=$(count "$scratch/day/raw/*/*/ws_ticker/*.meta.json" lines)
export WAREHOUSE_EXCHANGES=binance,kraken,coinbase
build() {  # NAME SELECTION...: one materialize, reported per tick of the day
  local name=$1; shift
  read -r secs kb <<<"$(timed $B materialize "$@" --root "$scratch/day" --quiet)"
  printf "%s: %d ticks in %.1f s = %.0f ticks/s, peak RSS %.0f MB\n" "$name" "$rows" "$secs" "$(echo "$rows / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
}
build "silver.exchange_ticks (process start and checks included)" bronze.binance_ws_ticker bronze.kraken_ws_ticker bronze.coinbase_ws_ticker silver.exchange_ticks
build silver.exchange_connections silver.exchange_connections
build gold.exchange_kpis gold.exchange_kpis
build "gold.cross_exchange_spreads (1 s and 1 min grids)" gold.cross_exchange_spreads
build gold.cross_exchange_spread_daily gold.cross_exchange_spread_daily
