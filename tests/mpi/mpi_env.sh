# SPDX-License-Identifier: MIT
# mpi_env.sh — Open MPI on one machine without a network, and the test's own folder, for tests/mpi/*.sh
# (sourced).
# Every rank on this machine talks through shared memory (vader), without the kernel's cross-process
# copy (containers forbid its ptrace check); the runtime's own channel on loopback; more ranks than
# cores; root allowed (CI runs as root), through Open MPI's documented variables.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_oob_tcp_if_include=lo OMPI_MCA_rmaps_base_oversubscribe=1
export OMPI_MCA_hwloc_base_binding_policy=none
# a test that hangs fails instead: each mpirun gets 60 s, then is killed
# In the sanitizer build, ranks keep AddressSanitizer's memory checks but not its leak report: Open
# MPI's plugins leave allocations behind at MPI_Finalize and are unloaded by then, so they cannot be
# suppressed by name. (The plain gdlab runs of the tests still report leaks.)
mpi() {
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" timeout -k 5 60 "$MPIRUN" --bind-to none "$@"
}
fail() { echo "FAIL: $*" >&2; exit 1; }

# $work: the test's own folder, removed on exit; TMPDIR inside it, so the ranks' scratch folders for
# figures go there too (a rank killed by a test cannot remove its own).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/tmp"
export TMPDIR="$work/tmp"
