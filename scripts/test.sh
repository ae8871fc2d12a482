#!/usr/bin/env bash
# The test suite: unit tests per module, end-to-end CLI tests against the emulator over
# loopback HTTP, and the Python oracle for the feature formulas (stdlib only).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
command -v python3 >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq python3 >/dev/null; }
swift build --build-tests
swift test --skip-build --parallel --num-workers 2
