#!/usr/bin/env bash
# Re-records docs/screenshots/ (shown by the README): `warehouse serve` on a root built by the
# main job, every dashboard page in headless Chromium at 1280 px, the overview and markets also
# at phone width, and the static docs site. ROOT=DIR reuses a built root.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
source scripts/serve-built-root.sh
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
# The static docs site (warehouse docs), opened from the file system.
site=$(mktemp -d)
"$B" docs --root "$root" --out "$site/site" >/dev/null
base="file://$site/site"
shot docs /index.html 1280 900
shot docs-asset /assets/gold.crypto_analytics_mart.html 1280 1400
rm -rf "$site"
rm -rf "$profile"
