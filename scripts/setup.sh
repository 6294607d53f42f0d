#!/usr/bin/env bash
# Installs the missing Debian packages (idempotent) and builds hallmark into build/.
# Environment: BUILD_DIR (default build), HALLMARK_WERROR, HALLMARK_SANITIZE (ON/OFF),
# JOBS (default: number of cores).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

mapfile -t wanted < <(grep -v '^\s*#' scripts/debian-packages.txt | grep -v '^\s*$')
missing=()
for entry in "${wanted[@]}"; do
  pkg=${entry%%:*}
  if [ "$pkg" != "$entry" ] && command -v "${entry#*:}" >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

build=${BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-Release} \
  -DHALLMARK_WERROR=${HALLMARK_WERROR:-OFF} \
  -DHALLMARK_SANITIZE=${HALLMARK_SANITIZE:-OFF} >/dev/null
cmake --build "$build" -j "${JOBS:-$(nproc)}"
