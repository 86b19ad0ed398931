#!/bin/sh
# SPDX-License-Identifier: MIT
# run_failures.sh GDLAB MPIRUN SRC — what goes wrong in a distributed sweep ends it with a message that
# names the rank, never a hang (every mpirun is limited to 60 s by mpi_env.sh: a hang fails the test):
# a rank killed or stopped in the middle of a sweep, a rank that fails before a sweep, ranks whose
# sweeps differ, a bad setting. Also: only rank 0's prints reach standard output.
set -eu
GDLAB=$1 MPIRUN=$2 SRC=$3
. "$SRC/mpi_env.sh" # Open MPI's settings, mpi, fail and $work, the test's folder

# the end status of a command (never stopping the script under set -e)
status_of() { "$@" && echo 0 || echo $?; }

mpi -np 3 "$GDLAB" "$SRC/failures.lua" "$work" print > "$work/out" 2> "$work/err" || fail "print: $(cat "$work/err")"
[ "$(cat "$work/out")" = "printed by rank 0 of 3" ] || fail "stdout of 3 ranks: $(cat "$work/out")"
echo "prints: only rank 0's reach standard output"

s=$(status_of mpi -np 3 "$GDLAB" "$SRC/failures.lua" "$work" differ 2> "$work/err")
[ "$s" != 0 ] && [ "$s" != 124 ] || fail "differing sweeps: exit $s"
grep -q "gd.sweep: sweep: rank 1's gd.sweep differs from rank 0's" "$work/err" || fail "differ: $(cat "$work/err")"
echo "differing sweeps: exit $s, named rank 1"

s=$(status_of mpi -np 3 "$GDLAB" "$SRC/failures.lua" "$work" raise 2> "$work/err")
[ "$s" != 0 ] && [ "$s" != 124 ] || fail "a rank failing before the sweep: exit $s"
grep -q "gdlab (rank 1): .*rank 1 gives up before its sweep" "$work/err" || fail "raise: $(cat "$work/err")"
echo "rank 1 failing before the sweep: exit $s, every rank ended"

s=$(GDLAB_MPI_PART=many status_of mpi -np 2 "$GDLAB" "$SRC/failures.lua" "$work" print 2> "$work/err")
[ "$s" != 0 ] && [ "$s" != 124 ] || fail "bad GDLAB_MPI_PART: exit $s"
grep -q "GDLAB_MPI_PART='many': give a number from 1 to" "$work/err" || fail "bad setting: $(cat "$work/err")"
echo "GDLAB_MPI_PART=many: refused by name"

# A long sweep in parts of one run; rank 2 gets the signal once it is under way.
long_sweep_with() { # SIGNAL
    rm -f "$work"/pid-rank*
    GDLAB_MPI_PART=1 mpi -np 3 "$GDLAB" "$SRC/failures.lua" "$work" long > "$work/out" 2> "$work/err" &
    job=$!
    for i in $(seq 1 200); do [ -s "$work/pid-rank2" ] && break; sleep 0.1; done
    [ -s "$work/pid-rank2" ] || fail "rank 2 never started"
    sleep 1
    victim=$(cat "$work/pid-rank2")
    start=$(date +%s)
    kill -"$1" "$victim"
    s=0
    wait $job || s=$? # not in $(...): a subshell cannot wait for this shell's job
    elapsed=$(($(date +%s) - start))
    kill -KILL "$victim" 2> /dev/null || true # a stopped rank that outlived the job
    [ "$s" != 0 ] && [ "$s" != 124 ] || fail "rank 2 got SIG$1: exit $s: $(cat "$work/err")"
    [ "$elapsed" -lt 30 ] || fail "rank 2 got SIG$1: the job took $elapsed s to end"
}

long_sweep_with KILL
grep -q "rank 2" "$work/err" || fail "killed rank: the message does not name rank 2: $(cat "$work/err")"
echo "rank 2 killed in the middle of a sweep: exit $s after $elapsed s: $(grep -m1 'rank 2' "$work/err")"

export GDLAB_MPI_TIMEOUT=2
long_sweep_with STOP
grep -q "gd.sweep: sweep: lost rank 2: no answer for 2 s (GDLAB_MPI_TIMEOUT)" "$work/err" ||
    fail "stopped rank: $(cat "$work/err")"
echo "rank 2 stopped in the middle of a sweep: exit $s after $elapsed s: $(grep -m1 'lost rank 2' "$work/err")"
