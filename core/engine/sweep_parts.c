/* SPDX-License-Identifier: MIT */
/* sweep_parts.c — a sweep run in parts: the sink that gathers parts in memory and the distributor that
 * runs them in this process. Another process-spreading distributor (core/mpi/) has the same shape, so
 * the Lua binding runs every sweep through one path, whichever distributor the program registered. */
#include <stdlib.h>
#include <string.h>

#include "gdlab/gdlab.h"
#include "gdlab/progress.h"

int gdlab_sweep_result_put(void *whole, size_t first, const gdlab_sweep_result *part, char *err,
                           size_t errlen)
{
    gdlab_sweep_result *w = whole;
    const size_t n = part->n_runs;
    if (first > w->n_runs || n > w->n_runs - first) {
        snprintf(err, errlen, "sweep: results of runs %zu to %zu do not fit a sweep of %zu runs", first,
                 first + n, w->n_runs);
        return -1;
    }
    memcpy(w->status + first, part->status, n * sizeof *part->status);
    memcpy(w->stop_step + first, part->stop_step, n * sizeof *part->stop_step);
    memcpy(w->final_loss + first, part->final_loss, n * sizeof *part->final_loss);
    memcpy(w->min_loss + first, part->min_loss, n * sizeof *part->min_loss);
    memcpy(w->evals + first, part->evals, n * sizeof *part->evals);
    return 0;
}

/* Parts bound the memory a streamed sweep holds (about 2.4 MB of results and the optimizers of one
 * part) and are large enough that every thread has many batched blocks in each. */
enum { LOCAL_PART = 65536 };

static int local_run(const gdlab_sweep_distributor *self, const gdlab_sweep_spec *spec, size_t n_runs,
                     const gdlab_sweep_sink *sink, char *err, size_t errlen)
{
    (void)self;
    gdlab_sweep_spec sp = *spec; /* one bar for the whole sweep */
    gdlab_progress *own = sp.progress ? NULL : gdlab_progress_start("sweep", "runs", n_runs);
    if (own) sp.progress = own;
    int failed = 0;
    for (size_t first = 0; first < n_runs && !failed; first += LOCAL_PART) {
        const size_t count = n_runs - first < LOCAL_PART ? n_runs - first : LOCAL_PART;
        gdlab_sweep_result part;
        failed = gdlab_sweep_runs(&sp, first, count, &part, err, errlen) ||
                 sink->put(sink->ctx, first, &part, err, errlen);
        gdlab_sweep_result_free(&part);
    }
    gdlab_progress_end(own);
    return failed ? -1 : 0;
}

static int local_share(const gdlab_sweep_distributor *self, gdlab_sweep_result *r, char *err,
                       size_t errlen)
{
    (void)self, (void)r, (void)err, (void)errlen; /* one process: rank 0's copy is the only one */
    return 0;
}

const gdlab_sweep_distributor *gdlab_sweep_local(void)
{
    static const gdlab_sweep_distributor local = {
        .name = "local", .rank = 0, .ranks = 1, .run = local_run, .share = local_share};
    return &local;
}
