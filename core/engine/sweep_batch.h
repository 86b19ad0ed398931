/* SPDX-License-Identifier: MIT */
/* sweep_batch.h — a block of a sweep's runs advanced together (sweep_batch.c), for sweep.c. */
#ifndef GDLAB_SWEEP_BATCH_H
#define GDLAB_SWEEP_BATCH_H

#include "gdlab/gdlab.h"

/* Can these runs (params: the base configuration) go through the optimizer's step_batch? Otherwise
 * each is one gdlab_run. */
int sweep_batch_possible(const gdlab_surface *s, const gdlab_optimizer_desc *d, const double *params,
                         const gdlab_run_config *cfg);

/* Runs first .. first + count - 1 (configurations opts[first ..]) in lockstep, writing their slots of
 * out. Returns -1 when memory runs out. */
int sweep_batch_run(const gdlab_surface *s, const gdlab_optimizer_desc *d, gdlab_optimizer *const *opts,
                    const gdlab_run_config *cfg, size_t first, size_t count, gdlab_sweep_result *out);

#endif
