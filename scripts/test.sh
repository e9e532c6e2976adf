#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs every
# test (unit, integration with real node processes, offscreen GUI) with ctest.
# Extra arguments go to ctest, e.g. scripts/test.sh -L unit
# NODESCOPE_TEST_NODE=/path/to/node picks the node the tests start.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
nodescope_install_packages
scripts/check-format.sh
nodescope_build_dev

node=${NODESCOPE_TEST_NODE:-$(command -v node || command -v nodejs)}
echo "==> Testing (node $("$node" --version), $node)"
ctest --preset dev "$@"
