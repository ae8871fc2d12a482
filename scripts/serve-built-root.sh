# Sourced by scripts that need a served warehouse: builds the release binary, builds a root with
# the main job (or reuses ROOT=DIR), starts `warehouse serve` on a free loopback port and sets
# $B (the binary), $root, $server (its pid) and $base (its URL). The server and a scratch root
# are removed when the sourcing script exits; a ROOT the user passed is never touched.
swift build -c release --product warehouse >/dev/null
B=$PWD/.build/release/warehouse
export WAREHOUSE_NOW=${WAREHOUSE_NOW:-2026-11-23T12:00:00Z}
root=${ROOT:-}
scratch=""
serve_log=$(mktemp)
if [ -z "$root" ]; then
  scratch=$(mktemp -d "${SCRATCH:-/tmp}/served-root.XXXXXX")
  root=$scratch
  "$B" materialize --all --root "$root" >"$serve_log" 2>&1 || { cat "$serve_log" >&2; exit 1; }
fi
"$B" serve --root "$root" --port 0 >"$serve_log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$serve_log"; [ -n "$scratch" ] && rm -rf "$scratch"' EXIT
for _ in $(seq 100); do grep -q "Serving" "$serve_log" && break; sleep 0.1; done
base=$(grep -o 'http://127.0.0.1:[0-9]*' "$serve_log" | head -1)
[ -n "$base" ] || { echo "warehouse serve did not start:" >&2; cat "$serve_log" >&2; exit 1; }
