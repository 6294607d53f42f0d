#!/usr/bin/env bash
# Sets up (scripts/setup.sh), then runs every test with CTest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
if [ -f tests/js/package.json ]; then
  (cd tests/js && npm ci --no-audit --no-fund --silent)
fi
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "${JOBS:-$(nproc)}" "$@"
