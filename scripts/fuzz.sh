#!/usr/bin/env bash
# Fuzzes every parser of untrusted bytes (fuzz/, one libFuzzer program per
# kind of input): scripts/fuzz.sh [RUNS] [KIND ...]
#   RUNS   executions per kind (default 1000000)
#   KIND   cdpmessage, samplecsv, ... (fuzz/fuzz_KIND.cpp); every kind by default
# Installs clang and its libFuzzer runtime when missing, builds the fuzz
# preset (build/fuzz: clang, ASan + UBSan), then runs the kinds one after
# another on one core, niced. Each run starts from the seeds in
# fuzz/corpus/KIND plus what earlier runs found (build/fuzz/corpus/KIND; the
# repository's corpus is never grown). An input that crashes, leaks, hangs
# or breaks a promise is copied to fuzz/regressions/KIND/, which the replay
# tests (ctest -R fuzzreplay) run from then on, and the script exits 1.
# Too slow for scripts/test.sh: a check beyond it.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=1000000
if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then
    runs=$1
    shift
fi
kinds=("$@")
if [ ${#kinds[@]} -eq 0 ]; then
    for source in fuzz/fuzz_*.cpp; do
        kind=${source#fuzz/fuzz_}
        kinds+=("${kind%.cpp}")
    done
fi

# The longest input worth trying per kind: a little over the largest real
# one (a /proc/PID/stat line is ~300 bytes, a console capture ~9 KB).
max_len() {
    case $1 in
    procuptime) echo 64 ;;
    socketlink) echo 256 ;;
    procstat) echo 1024 ;;
    consoletimer) echo 16384 ;;
    proctcp | samplecsv | timerscsv | workerscsv) echo 8192 ;;
    *) echo 4096 ;;
    esac
}

for kind in "${kinds[@]}"; do
    if [ ! -f "fuzz/fuzz_$kind.cpp" ]; then
        echo "error: no fuzzer for '$kind' (no fuzz/fuzz_$kind.cpp)" >&2
        exit 2
    fi
done

. scripts/deps.sh
NODESCOPE_PACKAGES+=(clang libclang-rt-14-dev) # libFuzzer and the sanitizers' runtimes
nodescope_install_packages
echo "==> Building the fuzzers (build/fuzz)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --parallel "${NODESCOPE_JOBS:-2}"

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=()
summary=()
for kind in "${kinds[@]}"; do
    corpus=build/fuzz/corpus/$kind
    artifacts=build/fuzz/artifacts/$kind
    log=build/fuzz/fuzz-$kind.log
    rm -rf "$artifacts"
    mkdir -p "$corpus" "$artifacts"
    dict=()
    if [ -f "fuzz/dict/$kind.dict" ]; then
        dict=(-dict="fuzz/dict/$kind.dict")
    fi
    echo "==> fuzz_$kind: $runs runs (log: $log)"
    start=$(date +%s)
    rc=0
    # New inputs go to the first directory; the seeds are only read.
    nice "build/fuzz/fuzz/fuzz_$kind" -runs="$runs" -max_len="$(max_len "$kind")" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" \
        "$corpus" "fuzz/corpus/$kind" >"$log" 2>&1 || rc=$?
    seconds=$(($(date +%s) - start))
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
    found=("$artifacts"/*)
    if [ "$rc" -ne 0 ] || [ -e "${found[0]}" ]; then
        failed+=("$kind")
        grep -m 1 -A 12 -E '^==[0-9]+==ERROR|runtime error|broken promise|ERROR: libFuzzer' "$log" >&2 || tail -n 20 "$log" >&2
        if [ -e "${found[0]}" ]; then
            mkdir -p "fuzz/regressions/$kind"
            cp "${found[@]}" "fuzz/regressions/$kind/"
            echo "    kept as a regression: ${found[*]##*/} -> fuzz/regressions/$kind/" >&2
        fi
    fi
    summary+=("$(printf '%-16s %10s %7s s %7s   %s' "$kind" "${executions:-?}" "$seconds" "${coverage:-?}" \
        "$([ "$rc" -eq 0 ] && echo ok || echo "FAILED (exit $rc)")")")
done

echo
printf '%-16s %10s %9s %7s   %s\n' kind executions time cov result
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "error: ${#failed[@]} fuzzer(s) found a problem: ${failed[*]}" >&2
    exit 1
fi
