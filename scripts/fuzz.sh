#!/usr/bin/env bash
# The silver fuzz test with a longer budget than CI's (2,000 inputs): seeded mutations of the
# real recorded responses through every silver parser. Usage: scripts/fuzz.sh [INPUTS] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
FUZZ_INPUTS="${1:-50000}" FUZZ_SEED="${2:-$RANDOM$RANDOM}" \
  swift test --skip-build --disable-swift-testing --filter FuzzTests 2>&1 | grep -E "^fuzz: [0-9]|error:|Executed .* tests" | sort -u
