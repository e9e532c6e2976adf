#!/usr/bin/env bash
# What the dashboard costs while it watches: starts Xvfb on :77 (1600x1000),
# the bundled demo app, and `nodescope --pid` on it at the given sampling
# interval (in a private settings folder), waits 8 s, then prints the
# dashboard's CPU over SECONDS from /proc/PID/stat, in percent of one core.
# With "perf", records a call-graph profile to /tmp/dash.perf meanwhile.
# A screenshot of the screen goes to /tmp/dashcost.png.
#   bench/dashboard-cost.sh build/dev/app/nodescope 100 20 [perf]
# Needs xvfb and imagemagick (apt-get install xvfb imagemagick; linux-perf for perf).
set -u
cd "$(dirname "$0")/.."
BIN=$1 INTERVAL=$2 SECONDS_=$3 PERF=${4:-}
export XDG_CONFIG_HOME
XDG_CONFIG_HOME=$(mktemp -d)
mkdir -p "$XDG_CONFIG_HOME/NodeScope"
printf '[sampling]\nintervalMs=%s\n' "$INTERVAL" >"$XDG_CONFIG_HOME/NodeScope/nodescope.conf"
Xvfb :77 -screen 0 1600x1000x24 >/dev/null 2>&1 &
xvfb=$!
sleep 1
node resources/demo/demo-app.js >/dev/null 2>&1 &
demo=$!
sleep 1
DISPLAY=:77 "$BIN" --pid "$demo" >/tmp/dashcost.log 2>&1 &
dash=$!
sleep 8
ticks() { awk '{print $14 + $15}' "/proc/$dash/stat"; }
before=$(ticks)
if [ "$PERF" = perf ]; then
    perf record ${PERF_CALLGRAPH:--g} -p "$dash" -o /tmp/dash.perf -- sleep "$SECONDS_" >/dev/null 2>&1
else
    sleep "$SECONDS_"
fi
after=$(ticks)
DISPLAY=:77 import -window root /tmp/dashcost.png
echo "dashboard CPU: $(echo "($after - $before) * 100 / $(getconf CLK_TCK) / $SECONDS_" | bc -l | cut -c1-5) % of a core (interval $INTERVAL ms, $SECONDS_ s)"
kill "$dash"
sleep 1
kill "$demo" "$xvfb" 2>/dev/null
wait 2>/dev/null
rm -rf "$XDG_CONFIG_HOME"
