/* SPDX-License-Identifier: MIT */
/* mpi_internal.h — what the files of core/mpi share: the world a sweep is spread over. */
#ifndef GDLAB_MPI_INTERNAL_H
#define GDLAB_MPI_INTERNAL_H

#include <mpi.h>
#include <stdint.h>

#include "gdlab/gdlab.h"

typedef struct mpi_world {
    MPI_Comm comm;        /* gdlab's own duplicate of MPI_COMM_WORLD, errors returned, not fatal */
    int rank, ranks;
    int rank0_computes;   /* MPI allows a second thread on rank 0 (MPI_THREAD_SERIALIZED) */
    unsigned threads;     /* a rank's threads when the sweep says 0: its share of its node's cores */
    double timeout;       /* seconds a rank may hold a part without answering (GDLAB_MPI_TIMEOUT) */
    size_t part;          /* fixed part size (GDLAB_MPI_PART), or 0: shrinking parts */
    int report;           /* print each rank's runs and busy time after a sweep (GDLAB_MPI_REPORT) */
    char broken[GDLAB_ERRLEN]; /* set once communication failed: every later sweep fails with it */
} mpi_world;

/* The distributor over world (distribute.c). */
void mpi_distributor_init(gdlab_sweep_distributor *d, mpi_world *world);

/* The ranks' last meeting, at the end of the script: 0 when every rank ended with the same sweeps
 * behind it, else non-zero with err naming a rank (distribute.c). */
int mpi_meet_at_end(mpi_world *w, char *err, size_t errlen);

/* A hash of everything that decides a sweep's results (fingerprint.c): ranks compare theirs before
 * they share a sweep, so a script that makes different sweeps on different ranks is an error. */
uint64_t mpi_sweep_fingerprint(const gdlab_sweep_spec *sp, size_t n_runs);

/* The text of an MPI error code. */
const char *mpi_error_text(int code, char *buf);

#endif
