#!/bin/sh
# SPDX-License-Identifier: MIT
# run_sweeps.sh GDLAB MPIRUN SRC — every number of tests/mpi/sweeps.lua, bit for bit, from a plain gdlab
# run and from mpirun with 1 to 4 ranks (more ranks than this machine's cores), with shrinking parts
# and with parts of 3 runs (many parts per rank); on every rank; and the sweep file byte for byte.
set -eu
GDLAB=$1 MPIRUN=$2 SRC=$3
. "$SRC/mpi_env.sh" # Open MPI's settings, mpi, fail and $work, the test's folder

# the layering (docs/architecture.md): the command links MPI, the engine, figures and Lua module do not
build=$(dirname "$GDLAB")
for lib in libgdlab.so libgdlab-figure.so gdlab.so; do
    ! readelf -d "$build/$lib" | grep -q 'libmpi' || fail "$lib links MPI"
done
readelf -d "$GDLAB" | grep -q 'libmpi' || fail "gdlab was built with MPI but does not link it"

mkdir "$work/plain"
"$GDLAB" "$SRC/sweeps.lua" "$work/plain" > "$work/plain/stdout"
grep -q "the sweep file matches" "$work/plain/stdout" || fail "plain gdlab: $(cat "$work/plain/stdout")"
cmp "$work/plain/saved.csv" "$work/plain/grid.csv" || fail "streamed CSV differs from gd.save's"

for np in 1 2 3 4; do
    for part in auto 3; do
        dir="$work/np$np-$part"
        mkdir "$dir"
        if [ "$part" = auto ]; then unset GDLAB_MPI_PART; else export GDLAB_MPI_PART=$part; fi
        GDLAB_MPI_REPORT=1 mpi -np $np "$GDLAB" "$SRC/sweeps.lua" "$dir" > "$dir/stdout" 2> "$dir/stderr" ||
            fail "mpirun -np $np (parts: $part) failed: $(cat "$dir/stderr")"
        for r in $(seq 0 $((np - 1))); do
            cmp "$work/plain/digest-rank0.txt" "$dir/digest-rank$r.txt" ||
                fail "-np $np, parts $part: rank $r's results differ from the one-process sweep's"
        done
        cmp "$work/plain/grid.gdsweep" "$dir/grid.gdsweep" || fail "-np $np, parts $part: sweep file differs"
        cmp "$work/plain/grid.csv" "$dir/grid.csv" || fail "-np $np, parts $part: streamed CSV differs"
        cmp "$work/plain/saved.csv" "$dir/saved.csv" || fail "-np $np, parts $part: saved CSV differs"
        [ "$(ls "$dir" | grep -c -v '^digest-rank\|^std')" = 3 ] || fail "-np $np: files: $(ls "$dir")"
        [ "$(grep -c 'sweep file matches' "$dir/stdout")" = 1 ] || fail "-np $np: stdout: $(cat "$dir/stdout")"
        if [ "$np" -gt 1 ] && [ "$part" = 3 ]; then
            # with parts of 3 runs, every rank took part in the 60-run sweep (0.1 s or more)
            for r in $(seq 0 $((np - 1))); do
                grep -A$np "sweep of 60 runs on $np ranks" "$dir/stderr" | grep -Eq "rank $r: [1-9][0-9]* runs" ||
                    fail "-np $np: rank $r ran no part of the 60-run sweep: $(cat "$dir/stderr")"
            done
        fi
        [ "$np" -gt 1 ] || ! grep -q "sweep of" "$dir/stderr" || fail "-np 1 should sweep alone"
        echo "mpirun -np $np, parts $part: $(wc -l < "$dir/digest-rank0.txt") numbers on each of $np ranks: identical"
    done
done

# The example of docs/mpi.md, small: figures and prints from rank 0 only, no scratch folder left
ex="$work/example"
mpi -np 3 "$GDLAB" "$SRC/../../docs/examples/mpi_grid.lua" 12 6 -o "$ex" > "$work/example.out" 2> "$work/example.err" ||
    fail "docs/examples/mpi_grid.lua: $(cat "$work/example.err")"
[ "$(ls "$ex")" = adam_grid.png ] || fail "the example's folder holds: $(ls "$ex")"
[ "$(grep -c '^wrote ' "$work/example.out")" = 1 ] || fail "example output: $(cat "$work/example.out")"
grep -q "of 72 runs converged on 3 rank(s)" "$work/example.out" || fail "example output: $(cat "$work/example.out")"
[ -z "$(ls "$TMPDIR")" ] || fail "scratch folders left: $(ls "$TMPDIR")"
echo "docs/examples/mpi_grid.lua on 3 ranks: one figure, one report, no scratch folder left"
