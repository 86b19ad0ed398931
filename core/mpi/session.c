/* SPDX-License-Identifier: MIT */
/* session.c — the gdlab command under mpirun: MPI started only when a launcher started us, each rank's
 * share of its node's cores, what ranks other than 0 do with their output, and an end that never
 * leaves a rank waiting (MPI_Abort after any failure). */
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gdlab_mpi.h"
#include "mpi_internal.h"

static mpi_world world;
static gdlab_sweep_distributor distributor;
static int started;
static char scratch[PATH_MAX];

/* Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE; PMIx and PMI launchers (srun, hydra) the others. A
 * plain `gdlab` does not start MPI at all: it would slow every start and may print network warnings. */
static int launched_by_mpi(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_RANK");
}

/* A number from the environment variable name, within [lo, hi]; fallback when unset. */
static int env_number(const char *name, double lo, double hi, double fallback, double *value, char *err,
                      size_t errlen)
{
    const char *text = getenv(name);
    *value = fallback;
    if (!text) return 0;
    char *end;
    *value = strtod(text, &end);
    if (end == text || *end || !(*value >= lo && *value <= hi)) {
        snprintf(err, errlen, "%s='%s': give a number from %.10g to %.10g", name, text, lo, hi);
        return -1;
    }
    return 0;
}

static int mpi_failed(const char *what, int code, char *err, size_t errlen)
{
    char text[MPI_MAX_ERROR_STRING];
    snprintf(err, errlen, "MPI: %s failed: %s", what, mpi_error_text(code, text));
    return -1;
}

/* Ranks other than 0 run the same script (so that they make the same sweeps) without side effects
 * on the user's screen and folder: their standard output is dropped and their figures are drawn in a
 * scratch folder. */
static int quiet_other_ranks(char *err, size_t errlen)
{
    const char *keep = getenv("GDLAB_MPI_STDOUT");
    if (!keep || strcmp(keep, "all") != 0) {
        fflush(stdout);
        const int null = open("/dev/null", O_WRONLY);
        if (null < 0 || dup2(null, STDOUT_FILENO) < 0) {
            snprintf(err, errlen, "rank %d: cannot send standard output to /dev/null", world.rank);
            return -1;
        }
        close(null);
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(scratch, sizeof scratch, "%s/gdlab-rank%d-XXXXXX", tmp && *tmp ? tmp : "/tmp", world.rank);
    if (!mkdtemp(scratch)) {
        snprintf(err, errlen, "rank %d: cannot make a scratch folder for its figures in %s", world.rank,
                 tmp && *tmp ? tmp : "/tmp");
        scratch[0] = 0;
        return -1;
    }
    return 0;
}

int gdlab_mpi_start(char *err, size_t errlen)
{
    if (!launched_by_mpi()) return 0;
    int provided = MPI_THREAD_SINGLE;
    int rc = MPI_Init_thread(NULL, NULL, MPI_THREAD_SERIALIZED, &provided);
    if (rc != MPI_SUCCESS) return mpi_failed("MPI_Init_thread", rc, err, errlen);
    started = 1;
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    rc = MPI_Comm_dup(MPI_COMM_WORLD, &world.comm); /* inherits the handler */
    if (rc != MPI_SUCCESS) return mpi_failed("MPI_Comm_dup", rc, err, errlen);
    MPI_Comm_rank(world.comm, &world.rank);
    MPI_Comm_size(world.comm, &world.ranks);
    world.rank0_computes = provided >= MPI_THREAD_SERIALIZED;

    /* ranks sharing this node share its cores */
    MPI_Comm node;
    int on_node = 1;
    if (MPI_Comm_split_type(world.comm, MPI_COMM_TYPE_SHARED, world.rank, MPI_INFO_NULL, &node) ==
        MPI_SUCCESS) {
        MPI_Comm_size(node, &on_node);
        MPI_Comm_free(&node);
    }
    const long cores = sysconf(_SC_NPROCESSORS_ONLN);
    world.threads = cores > on_node ? (unsigned)(cores / on_node) : 1;

    double timeout, part, report;
    if (env_number("GDLAB_MPI_TIMEOUT", 0.1, 1e9, 600, &timeout, err, errlen) ||
        env_number("GDLAB_MPI_PART", 1, 1 << 24, 0, &part, err, errlen) ||
        env_number("GDLAB_MPI_REPORT", 0, 1, 0, &report, err, errlen))
        return -1;
    world.timeout = timeout;
    world.part = (size_t)part;
    world.report = report != 0;
    if (world.rank != 0 && quiet_other_ranks(err, errlen)) return -1;
    if (world.ranks > 1) mpi_distributor_init(&distributor, &world);
    return 0;
}

const gdlab_sweep_distributor *gdlab_mpi_distributor(void)
{
    return started && world.ranks > 1 ? &distributor : NULL;
}

int gdlab_mpi_rank(void)
{
    return world.rank;
}

const char *gdlab_mpi_scratch_dir(void)
{
    return scratch[0] ? scratch : NULL;
}

static int remove_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb, (void)type, (void)ftw;
    remove(path);
    return 0;
}

int gdlab_mpi_finish(int status)
{
    if (scratch[0]) nftw(scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    scratch[0] = 0;
    if (!started) return status;
    started = 0;
    char err[GDLAB_ERRLEN];
    if (status == 0 && world.ranks > 1 && mpi_meet_at_end(&world, err, sizeof err)) {
        fprintf(stderr, "gdlab (rank %d): %s\n", world.rank, err);
        status = 1;
    }
    if (status != 0 || world.broken[0]) {
        fflush(NULL);
        MPI_Abort(MPI_COMM_WORLD, status ? status : 1); /* ends every rank; does not return */
        return status;
    }
    MPI_Comm_free(&world.comm);
    MPI_Finalize();
    return status;
}
