#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs every
# test (unit, integration with real node processes, offscreen GUI) with ctest.
# Extra arguments go to ctest, e.g. scripts/test.sh -L unit
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
nodescope_install_packages

echo "==> Configuring (build/dev, warnings are errors)"
cmake --preset dev
echo "==> Building"
cmake --build --preset dev --parallel "${NODESCOPE_JOBS:-2}"
echo "==> Testing (node $(node --version 2>/dev/null || nodejs --version))"
ctest --preset dev "$@"
