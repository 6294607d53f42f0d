#!/usr/bin/env bash
# Sets up (scripts/setup.sh), then runs the demo.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
exec "${BUILD_DIR:-build}/cli/hallmark" demo "$@"
