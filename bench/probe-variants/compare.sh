#!/usr/bin/env bash
# Weighs ways of taking readings inside a busy server against each other
# (docs/performance.md, "Why fast sampling streams"). Two identical servers
# (bench/sampling/http-server.js --log) share CPU 0, each loaded by its own
# wrk on CPU 1; one of them has the MODE set up inside it
# (target-preload.js), alternately the first and the second started. Per
# pair it prints the watched server's requests/s and CPU per request as a
# share of the other's; at the end, the medians by mode.
#   bench/probe-variants/compare.sh ROUNDS SECONDS MODE...
#   bench/probe-variants/compare.sh 10 5 none request stream timer empty
# Needs wrk and node; the machine should otherwise be quiet.
set -u
here=$(cd "$(dirname "$0")" && pwd)
server="$here/../sampling/http-server.js"
rounds=$1 seconds=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
port() { grep -o 'listening on [0-9]*' "$1" | awk '{print $3}'; }

pair() { # MODE WHICH(0|1) -> "MODE share cpu-share readings"
    local mode=$1 which=$2 modes=(none none) pids=() ports=() driver=""
    modes[$which]=$mode
    for i in 0 1; do
        NSX_MODE=${modes[$i]} NSX_SOCKET="$work/probe.sock" taskset -c 0 \
            node -r "$here/target-preload.js" "$server" --log >/dev/null 2>"$work/server$i.err" &
        pids[$i]=$!
    done
    if [ "$mode" = request ] || [ "$mode" = stream ]; then
        taskset -c 1 node "$here/driver.js" "$work/probe.sock" "$mode" >"$work/driver.out" &
        driver=$!
    fi
    sleep 1
    for i in 0 1; do ports[$i]=$(port "$work/server$i.err"); done
    local loads=()
    # Warm-up: the JIT, the socket buffers, the probe's first readings.
    for i in 0 1; do taskset -c 1 wrk -c50 -t1 -d2 "http://127.0.0.1:${ports[$i]}/" >/dev/null & loads[$i]=$!; done
    wait "${loads[@]}"
    local before=($(ticks "${pids[0]}") $(ticks "${pids[1]}"))
    for i in 0 1; do taskset -c 1 wrk -c50 -t1 -d"$seconds" "http://127.0.0.1:${ports[$i]}/" >"$work/wrk$i" & loads[$i]=$!; done
    wait "${loads[@]}"
    local after=($(ticks "${pids[0]}") $(ticks "${pids[1]}"))
    local rps=($(awk '/Requests\/sec/{print $2}' "$work/wrk0") $(awk '/Requests\/sec/{print $2}' "$work/wrk1"))
    local readings=-
    if [ -n "$driver" ]; then kill "$driver"; wait "$driver" 2>/dev/null; readings=$(awk '{print $2}' "$work/driver.out"); fi
    kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null
    local other=$((1 - which))
    awk -v m="$mode" -v r="$readings" -v rw="${rps[$which]}" -v ro="${rps[$other]}" \
        -v cw="$((after[$which] - before[$which]))" -v co="$((after[$other] - before[$other]))" \
        'BEGIN { printf "%s %.4f %.4f %s\n", m, rw / ro, (cw / rw) / (co / ro), r }'
}

for ((round = 0; round < rounds; round++)); do
    for mode in "$@"; do pair "$mode" $((round % 2)); done
done | tee "$work/pairs"
echo
echo "| mode | pairs | throughput vs. the other (median) | CPU per request (median) |"
echo "|---|---:|---:|---:|"
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%+.1f", ((NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) * 100 - 100 }'; }
for mode in "$@"; do
    n=$(awk -v m="$mode" '$1 == m' "$work/pairs" | wc -l)
    share=$(awk -v m="$mode" '$1 == m { print $2 }' "$work/pairs" | median)
    cpu=$(awk -v m="$mode" '$1 == m { print $3 }' "$work/pairs" | median)
    echo "| $mode | $n | $share % | $cpu % |"
done
