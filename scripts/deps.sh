#!/usr/bin/env bash
# Installs the Debian 12 packages NodeScope needs when they are missing
# (apt-get, through sudo when not root), and builds the one build tree that
# run.sh, test.sh and node-matrix.sh share. Sourced by those scripts; run it
# alone to install only.
#
# Every CMake package that configure loads comes from a package listed here
# or from a hard dependency of one: apt-get runs with --no-install-recommends,
# so a Recommends is not enough (qt6-charts-dev only recommends
# libqt6opengl6-dev, which Qt6Charts' CMake package needs).
# scripts/fresh-check.sh proves the list on a bare Debian 12 root.

NODESCOPE_PACKAGES=(
    cmake ninja-build g++ pkg-config        # build tools
    qt6-base-dev                            # Qt6 Core, Gui, Widgets, Network, Test
    qt6-charts-dev libqt6opengl6-dev        # Qt6Charts and the Qt6OpenGL it loads
    qt6-websockets-dev                      # Qt6WebSockets
    libgl-dev                               # Qt6Gui's WrapOpenGL
    qt6-qpa-plugins                         # xcb and offscreen platforms
    fonts-dejavu-core                       # text in charts, also offscreen
    clang-format                            # scripts/check-format.sh, run by test.sh
    util-linux                              # setpriv, used by a test
)

nodescope_missing_packages() {
    local missing=()
    for package in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$package")
        fi
    done
    echo "${missing[@]:-}"
}

nodescope_install_packages() {
    local missing
    missing=$(nodescope_missing_packages "${NODESCOPE_PACKAGES[@]}")
    # Node.js: any node on PATH will do (nodesource, nvm, Debian's 18.19).
    if ! command -v node >/dev/null 2>&1 && ! command -v nodejs >/dev/null 2>&1; then
        missing="$missing nodejs"
    fi
    missing=$(echo "$missing" | xargs)
    if [ -z "$missing" ]; then
        return 0
    fi
    echo "==> Installing missing packages: $missing"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "error: missing packages ($missing) and no sudo to install them; install them as root" >&2
            return 1
        fi
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    # apt's long output goes to a log; only a failure shows it.
    local log
    log=$(mktemp -t nodescope-apt.XXXXXX.log)
    # shellcheck disable=SC2086
    if ! { $sudo apt-get update -q && $sudo apt-get install -y -q --no-install-recommends $missing; } >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        echo "error: installing packages failed (full log: $log)" >&2
        return 1
    fi
    echo "==> Installed $(echo "$missing" | wc -w) packages and their dependencies (log: $log)"
}

# Configures (a no-op when nothing changed) and builds build/dev, the one
# tree every script uses, so running run.sh after test.sh, or twice, only
# builds what changed. Arguments go to `cmake --build`, e.g. --target nodescope.
nodescope_build_dev() {
    echo "==> Configuring build/dev"
    cmake --preset dev >/dev/null
    echo "==> Building"
    cmake --build --preset dev --parallel "${NODESCOPE_JOBS:-2}" "$@"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    nodescope_install_packages
fi
