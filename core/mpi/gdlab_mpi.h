/* SPDX-License-Identifier: MIT */
/* gdlab_mpi.h — gdlab under mpirun: the MPI session of the gdlab command and the sweep distributor
 * that spreads a sweep's runs over its ranks (docs/mpi.md). Not part of libgdlab: only the command
 * links MPI, so the engine, the Lua module and C programs built on them never need it. */
#ifndef GDLAB_MPI_H
#define GDLAB_MPI_H

#include <stddef.h>

#include "gdlab/gdlab.h"

/* Starts MPI when the process was launched by mpirun (or another MPI launcher), else does nothing.
 * On ranks other than 0, standard output goes to /dev/null (GDLAB_MPI_STDOUT=all keeps it) and figures
 * to a scratch folder removed at the end. 0, or -1 with err. */
int gdlab_mpi_start(char *err, size_t errlen);

/* The distributor for gd.sweep when there are two or more ranks; NULL otherwise (one process sweeps
 * alone, exactly as without MPI). */
const gdlab_sweep_distributor *gdlab_mpi_distributor(void);

/* This process's rank (0 without MPI), and the folder its figures go to instead of the script's
 * (NULL on rank 0). */
int gdlab_mpi_rank(void);
const char *gdlab_mpi_scratch_dir(void);

/* Ends the session: MPI_Finalize after a success, MPI_Abort (which ends every rank) after a failure,
 * so that no rank waits for one that gave up. Returns status. */
int gdlab_mpi_finish(int status);

#endif
