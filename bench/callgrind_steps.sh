#!/bin/sh
# callgrind_steps.sh [BUILD] — instructions per step of the Adam rows of bench_speed and their plain
# loops (bench_steps.c), counted by callgrind: each mode runs 100,000 and 400,000 steps, and the
# difference over 300,000 steps leaves out start-up and the end of the run. Deterministic: the same
# numbers on a loaded machine (docs/performance.md).
set -e
build=${1:-build}
command -v valgrind >/dev/null || { echo "callgrind_steps.sh: valgrind is needed" >&2; exit 1; }
count() { # count MODE STEPS -> instructions
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$build/bench_steps" "$1" "$2" 2>&1 >/dev/null |
        sed -n 's/.*Collected : //p'
}
for mode in summary plain path lua plain-path; do
    a=$(count "$mode" 100000)
    b=$(count "$mode" 400000)
    echo "$mode: $(( (b - a) / 300000 )) instructions per step"
done
