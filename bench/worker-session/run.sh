#!/bin/sh
# Runs console.js in every mode, REPEATS times each, interleaved; prints the
# median calls/s per mode. Usage: run.sh [node] [repeats] [ms]
NODE=${1:-node}
REPEATS=${2:-5}
MS=${3:-3000}
DIR=$(dirname "$0")
OUT=$(mktemp)
for i in $(seq "$REPEATS"); do
  for where in main worker; do
    for mode in none persistent periodic; do
      "$NODE" "$DIR/console.js" "$mode" "$where" "$MS" 2>>"$OUT" >/dev/null
    done
  done
done
for where in main worker; do
  for mode in none persistent periodic; do
    grep "^$mode $where " "$OUT" | awk '{print $3}' | sort -n |
      awk -v m="$mode" -v w="$where" '{a[NR]=$1} END {printf "%-10s %-6s median %7d calls/s (n=%d)\n", m, w, a[int((NR+1)/2)], NR}'
  done
done
rm -f "$OUT"
