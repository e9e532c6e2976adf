#!/usr/bin/env bash
# Runs the suites that start real node processes (integration and GUI) once
# per Node.js line: the system's node, then the official binaries of the
# other lines. Official binaries come from the npm registry as the packages
# node-linux-<arch>@<major> (package/bin/node), cached under
# build/node-versions/<major>/, so a second run downloads nothing.
#   scripts/node-matrix.sh [--skip-system] [MAJOR ...]     (default: 18 20 22 24)
# --skip-system leaves out the system's node (scripts/test.sh already ran it).
# Extra ctest arguments can be passed through NODESCOPE_CTEST_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
nodescope_install_packages
nodescope_build_dev

skip_system=0
if [ "${1:-}" = "--skip-system" ]; then
    skip_system=1
    shift
fi
majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(18 20 22 24)

case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) echo "error: no official Node binaries for $(uname -m) on npm" >&2; exit 2 ;;
esac

cache="$PWD/build/node-versions"
mkdir -p "$cache"

# Prints the path of node <major>, downloading it once.
node_for_major() {
    local major=$1 dir="$cache/$1"
    if [ ! -x "$dir/bin/node" ]; then
        if ! command -v npm >/dev/null 2>&1; then
            echo "error: npm is needed to fetch Node $major (apt-get install npm, or install Node with npm)" >&2
            return 1
        fi
        local work
        work=$(mktemp -d "$cache/.download.XXXXXX")
        echo "==> Fetching node-linux-$arch@$major from the npm registry" >&2
        if ! (cd "$work" && npm pack --silent "node-linux-$arch@$major" >/dev/null && tar -xzf ./*.tgz); then
            rm -rf "$work"
            echo "error: could not fetch node-linux-$arch@$major" >&2
            return 1
        fi
        rm -rf "$dir"
        mv "$work/package" "$dir"
        rm -rf "$work"
    fi
    echo "$dir/bin/node"
}

system_node=$(command -v node || command -v nodejs)
system_major=$("$system_node" -p 'process.versions.node.split(".")[0]')

declare -a names results
failed=0
run_suites() {
    local node=$1 version
    version=$("$node" --version)
    echo "==> Integration and GUI tests on node $version ($node)"
    # shellcheck disable=SC2086
    if NODESCOPE_TEST_NODE="$node" ctest --preset dev -L 'integration|gui' ${NODESCOPE_CTEST_ARGS:-}; then
        results+=("passed")
    else
        results+=("FAILED")
        failed=1
    fi
    names+=("$version")
}

[ $skip_system -eq 1 ] || run_suites "$system_node"
for major in "${majors[@]}"; do
    # The system's line is run as the system's node (or skipped on purpose).
    [ "$major" = "$system_major" ] && continue
    if node=$(node_for_major "$major"); then
        run_suites "$node"
    else
        names+=("$major (not fetched)")
        results+=("FAILED")
        failed=1
    fi
done

echo "==> Node matrix"
for i in "${!names[@]}"; do
    printf '    %-22s %s\n' "${names[$i]}" "${results[$i]}"
done
exit $failed
