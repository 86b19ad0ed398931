/* SPDX-License-Identifier: MIT */
/* sweep_batch.h — a block of a sweep's runs advanced together (sweep_batch.c), for sweep.c. */
#ifndef GDLAB_SWEEP_BATCH_H
#define GDLAB_SWEEP_BATCH_H

#include "gdlab/gdlab.h"

/* Can these runs (params: the base configuration) go through the optimizer's step_batch? Otherwise
 * each is one gdlab_run. */
int sweep_batch_possible(const gdlab_surface *s, const gdlab_optimizer_desc *d, const double *params,
                         const gdlab_run_config *cfg);

/* Writes the (validated) parameter values of the run in result slot `slot` into values. */
typedef void sweep_params_fn(const void *ctx, size_t slot, double *values);

/* The runs of out's slots first .. first + count - 1 (their values from params_of) in lockstep,
 * writing those slots. Returns -1 when memory runs out. */
int sweep_batch_run(const gdlab_surface *s, const gdlab_optimizer_desc *d, sweep_params_fn *params_of,
                    const void *ctx, const gdlab_run_config *cfg, size_t first, size_t count,
                    gdlab_sweep_result *out);

#endif
