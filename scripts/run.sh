#!/usr/bin/env bash
# Installs what is missing, builds NodeScope (build/dev), starts the bundled
# demo Node app and opens the dashboard watching it. Without a display it
# records the demo app to CSV instead and says where the file went.
#   scripts/run.sh [--leak]      (--leak makes the demo app leak ~60 KB/s)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
nodescope_install_packages

# The same build tree as scripts/test.sh: running one after the other, or
# either twice, builds only what changed.
nodescope_build_dev --target nodescope
NODESCOPE=build/dev/app/nodescope
NODE=$(command -v node || command -v nodejs)

DEMO_LOG=$(mktemp -t nodescope-demo.XXXXXX.log)
"$NODE" resources/demo/demo-app.js "$@" >"$DEMO_LOG" 2>&1 &
DEMO_PID=$!
trap 'kill "$DEMO_PID" 2>/dev/null || true' EXIT
sleep 0.5
if ! kill -0 "$DEMO_PID" 2>/dev/null; then
    echo "error: the demo app did not start:" >&2
    cat "$DEMO_LOG" >&2
    exit 1
fi
echo "==> Demo app running as PID $DEMO_PID (its output: $DEMO_LOG)"

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    echo "==> Opening the dashboard on PID $DEMO_PID"
    "$NODESCOPE" --pid "$DEMO_PID"
else
    CSV="$PWD/nodescope-demo.csv"
    echo "==> No display: recording the demo app for 30 s instead (Ctrl+C stops earlier)"
    "$NODESCOPE" record --pid "$DEMO_PID" --csv "$CSV" --duration 30 --interval 250 \
        --summary "$PWD/nodescope-demo.json" --timers-csv "$PWD/nodescope-demo-timers.csv"
    echo "==> Samples: $CSV"
    echo "==> Timers:  $PWD/nodescope-demo-timers.csv"
    echo "==> Summary: $PWD/nodescope-demo.json"
fi
