# Sourced by run.sh and test.sh: installs the Debian 12 packages NodeScope
# needs when they are missing (apt-get, through sudo when not root).

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
    local packages=(cmake ninja-build g++ pkg-config qt6-base-dev qt6-charts-dev qt6-websockets-dev
        qt6-qpa-plugins libgl-dev fonts-dejavu-core util-linux)
    local missing
    missing=$(nodescope_missing_packages "${packages[@]}")
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
    $sudo apt-get update -q
    # shellcheck disable=SC2086
    $sudo apt-get install -y -q --no-install-recommends $missing
}
