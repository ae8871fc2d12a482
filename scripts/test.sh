#!/usr/bin/env bash
# The test suite: unit tests per module, end-to-end CLI tests against the emulator over
# loopback HTTP, and the Python oracles (features, Parquet exports, drift statistics, forecasts).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
# Test-time oracles and clients of the Parquet exports, and the loopback S3 (moto) and GCS
# servers of the shared-cache tests, psycopg as the independent PostgreSQL client of the
# publish tests (never the product's runtime).
oracles=(pyarrow pandas duckdb scipy statsmodels schemathesis datasette "moto[server]" gcp-storage-emulator cryptography "psycopg[binary]")
if ! python3 -c "import pyarrow, pandas, duckdb, scipy, statsmodels, schemathesis, datasette, moto.server, gcp_storage_emulator, cryptography, psycopg" 2>/dev/null; then
  # A Debian system Python refuses plain installs (PEP 668); these are test-time tools only.
  python3 -m pip install -q --disable-pip-version-check "${oracles[@]}" \
    || python3 -m pip install -q --disable-pip-version-check --break-system-packages "${oracles[@]}"
fi
swift build --build-tests
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
swift test --skip-build --disable-swift-testing 2>&1 | tee "$log" || status=$?
# One plain closing line: test cases passed and failed (XCTest's own total counts failed assertions).
passed=$(grep -cE "^Test Case .* passed \(" "$log" || true)
failed=$(grep -cE "^Test Case .* failed \(" "$log" || true)
echo "tests: $passed passed, $failed failed"
exit $status
