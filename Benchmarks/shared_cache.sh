#!/usr/bin/env bash
# The shared raw cache against real protocol servers on loopback: moto's S3 and the GCS
# emulator (Tests/Oracle). For each: upload throughput of SNAPSHOTS snapshots (default
# 100,000, body and metadata, conditional writes), the time a fresh run takes to list the whole
# bucket, then LOOKUPS (1,000) requests answered by the freshness rules and downloaded (sha256
# checked), and the client's peak RSS. The Python servers set the ceiling; the figures are the
# product's throughput against them, not against a cloud. SIZE sets body bytes (4096).
# The GCS emulator rewrites its whole object index on every upload (uploads slow down linearly:
# 162/s at 500 objects, 32/s at 2,000), so its bucket gets GCS_SNAPSHOTS (2,000) instead.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import moto, gcp_storage_emulator" 2>/dev/null || python3 -m pip install -q --disable-pip-version-check "moto[server]" gcp-storage-emulator
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product warehouse >/dev/null
binary=.build/release/warehouse
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

start() {   # start SCRIPT ARGS...: prints the port the server reports
  local out="$work/$1.port"
  python3 "Tests/Oracle/$1" "${@:2}" > "$out" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 1 300); do [ -s "$out" ] && break; sleep 0.1; done
  head -1 "$out"
}

s3_port=$(start s3_server.py --port 0 --create-bucket team)
gcs_port=$(start gcs_server.py --port 0 --bucket team)
for target in "s3://team/bench http://127.0.0.1:$s3_port ${SNAPSHOTS:-100000}" "gs://team/bench http://127.0.0.1:$gcs_port ${GCS_SNAPSHOTS:-2000}"; do
  set -- $target
  root="$work/root-${1%%:*}"
  mkdir -p "$root"
  printf '[raw.remote]\nurl = "%s"\nendpoint = "%s"\n' "$1" "$2" > "$root/warehouse.toml"
  AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench "$binary" bench bucket --root "$root" \
    --snapshots "$3" --lookups "${LOOKUPS:-1000}" --bytes "${SIZE:-4096}"
done
