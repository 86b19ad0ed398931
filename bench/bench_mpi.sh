#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_mpi.sh [BUILD] — the speed-up of one uneven sweep (bench_mpi.c) on 1 to 4 MPI ranks of one
# thread each, on this machine, with each rank's share of the runs and its busy time. The checksum of
# every result must be the same on every line. Ranks beyond the machine's cores oversubscribe it:
# they show the cost of the protocol, not more speed. (docs/mpi.md has a run on this 2-core machine.)
set -eu
build=${1:-build}
. "$(dirname "$0")/../tests/mpi/mpi_env.sh"
MPIRUN=${MPIRUN:-mpirun}
echo "machine: $(nproc) cores; sweep: 4,800 runs of Adam on Rosenbrock, up to 20,000 steps each"
base=""
for np in 1 2 3 4; do
    out=$(GDLAB_MPI_REPORT=1 mpi -np $np "$build/bench_mpi" 1 2>&1)
    line=$(echo "$out" | grep '^ranks=')
    seconds=$(echo "$line" | sed 's/.*seconds=\([0-9.]*\).*/\1/')
    [ -n "$base" ] || base=$seconds
    echo "$line" | awk -v b="$base" -v s="$seconds" '{printf "%s  speed-up %.2f\n", $0, b / s}'
    echo "$out" | grep 'rank [0-9]*:' | sed 's/^gdlab:/   /'
done
