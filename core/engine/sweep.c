/* sweep.c — one run per combination of optimizer-parameter values, spread over all cores.
 *
 * Safe to parallelise because of how the engine is built: an optimizer configuration is read-only, every
 * run allocates its own optimizer state, and plugins keep no globals. Workers take the next run number
 * from a shared counter, and each run writes only its own result slots, so the results do not depend on
 * the number of threads or on their timing. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gdlab/gdlab.h"
#include "gdlab/progress.h"
#include "sweep_batch.h"

typedef struct sweep_job {
    const gdlab_surface *s;
    const gdlab_optimizer_desc *d;
    const gdlab_run_config *cfg;
    const gdlab_sweep_axis *axes;
    size_t n_axes;
    const double *base;       /* n_params values */
    gdlab_optimizer **optimizers; /* one validated configuration per run */
    gdlab_sweep_result *out;
    size_t block;             /* runs per batched block; 0: one gdlab_run per run */
    atomic_size_t next;
    atomic_int failed;        /* out of memory in some run */
    gdlab_progress *progress; /* NULL: no bar */
} sweep_job;

/* The parameter values of run r into values (base with each axis' value for r). */
static void run_params(const sweep_job *job, const int *index_of_axis, size_t r, double *values)
{
    memcpy(values, job->base, job->d->h.n_params * sizeof(double));
    for (size_t k = job->n_axes; k-- > 0;) {
        const gdlab_sweep_axis *a = &job->axes[k];
        values[index_of_axis[k]] = a->values[r % a->n];
        r /= a->n;
    }
}

static void *worker(void *arg)
{
    sweep_job *job = arg;
    const size_t n_runs = job->out->n_runs;
    if (job->block) {
        for (size_t first; (first = atomic_fetch_add(&job->next, job->block)) < n_runs;) {
            const size_t count = n_runs - first < job->block ? n_runs - first : job->block;
            if (sweep_batch_run(job->s, job->d, job->optimizers, job->cfg, first, count, job->out))
                atomic_store(&job->failed, 1);
            gdlab_progress_add(job->progress, count);
        }
        return NULL;
    }
    for (size_t r; (r = atomic_fetch_add(&job->next, 1)) < job->out->n_runs;) {
        gdlab_trajectory t;
        char err[GDLAB_ERRLEN];
        if (gdlab_run(job->s, job->optimizers[r], job->cfg, &t, err, sizeof err)) {
            atomic_store(&job->failed, 1);
            continue;
        }
        job->out->status[r] = t.status;
        job->out->stop_step[r] = t.stop_step;
        job->out->final_loss[r] = t.final_loss;
        job->out->min_loss[r] = t.min_loss;
        job->out->evals[r] = t.total_evals;
        gdlab_trajectory_free(&t);
        gdlab_progress_add(job->progress, 1);
    }
    return NULL;
}

void gdlab_sweep_result_free(gdlab_sweep_result *r)
{
    if (!r) return;
    free(r->status);
    free(r->stop_step);
    free(r->final_loss);
    free(r->min_loss);
    free(r->evals);
    memset(r, 0, sizeof *r);
}

static unsigned cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

int gdlab_sweep(const gdlab_surface *s, const gdlab_optimizer_desc *d, const double *base,
                const gdlab_sweep_axis *axes, size_t n_axes, const gdlab_run_config *cfg,
                int thread_safe_schedule, unsigned threads, gdlab_sweep_result *out, char *err,
                size_t errlen)
{
    memset(out, 0, sizeof *out);
    const gdlab_header *h = &d->h;
    int index_of_axis[16];
    if (n_axes == 0 || n_axes > GDLAB_COUNT_OF(index_of_axis)) {
        snprintf(err, errlen, "sweep: give 1 to %zu parameters to sweep over, got %zu",
                 GDLAB_COUNT_OF(index_of_axis), n_axes);
        return -1;
    }
    size_t n_runs = 1;
    for (size_t k = 0; k < n_axes; k++) {
        index_of_axis[k] = gdlab_param_index(h, axes[k].param);
        if (index_of_axis[k] < 0) {
            double scratch = 0; /* only for the message listing the valid names */
            gdlab_params_set(h, &scratch, axes[k].param, 0, err, errlen);
            return -1;
        }
        for (size_t j = 0; j < k; j++)
            if (index_of_axis[j] == index_of_axis[k]) {
                snprintf(err, errlen, "sweep: parameter '%s' is swept twice", axes[k].param);
                return -1;
            }
        if (axes[k].n == 0 || n_runs > ((size_t)1 << 40) / axes[k].n) {
            snprintf(err, errlen, "sweep: parameter '%s' has %zu values (1 to 2^40 runs in all)",
                     axes[k].param, axes[k].n);
            return -1;
        }
        n_runs *= axes[k].n;
    }

    /* A sweep keeps each run's summary only: O(runs) memory whatever the steps. */
    gdlab_run_config summary = *cfg;
    summary.record_every = 0;
    summary.record_internals = summary.record_curvature = 0;
    sweep_job job = {.s = s, .d = d, .cfg = &summary, .axes = axes, .n_axes = n_axes, .out = out};
    double *values = calloc(2 * (h->n_params ? h->n_params : 1), sizeof(double));
    job.optimizers = calloc(n_runs, sizeof *job.optimizers);
    out->n_runs = n_runs;
    out->status = calloc(n_runs, sizeof *out->status);
    out->stop_step = calloc(n_runs, sizeof *out->stop_step);
    out->final_loss = calloc(n_runs, sizeof *out->final_loss);
    out->min_loss = calloc(n_runs, sizeof *out->min_loss);
    out->evals = calloc(n_runs, sizeof *out->evals);
    int result = -1;
    if (!values || !job.optimizers || !out->status || !out->stop_step || !out->final_loss ||
        !out->min_loss || !out->evals) {
        snprintf(err, errlen, "sweep: out of memory for %zu runs", n_runs);
        goto done;
    }
    double *defaults = values + (h->n_params ? h->n_params : 1);
    if (base)
        memcpy(defaults, base, h->n_params * sizeof(double));
    else
        gdlab_params_defaults(h, defaults);
    job.base = defaults;
    /* Every combination is validated before anything runs: a bad value is an error, not a hole. */
    for (size_t r = 0; r < n_runs; r++) {
        run_params(&job, index_of_axis, r, values);
        job.optimizers[r] = gdlab_optimizer_new(d, values, err, errlen);
        if (!job.optimizers[r]) goto done;
    }

    /* A bad start or configuration gets the run's own message, before any thread starts. */
    gdlab_runner *probe = gdlab_run_begin(s, job.optimizers[0], &summary, err, errlen);
    if (!probe) goto done;
    gdlab_run_end(probe, NULL);

    if (threads == 0) threads = cores();
    if (gdlab_surface_is_serial(s) || !thread_safe_schedule) threads = 1;
    if (threads > n_runs) threads = (unsigned)n_runs;
    /* Batched blocks of up to 256 runs (docs/performance.md), at least 4 blocks per thread so
     * that threads finish together when some blocks stop early. */
    if (sweep_batch_possible(s, d, defaults, cfg)) {
        const size_t per_thread = n_runs / (4 * (size_t)threads);
        job.block = per_thread < 8 ? 8 : per_thread > 256 ? 256 : per_thread;
    }
    pthread_t pool[256];
    if (threads > GDLAB_COUNT_OF(pool)) threads = GDLAB_COUNT_OF(pool);
    unsigned started = 0;
    job.progress = gdlab_progress_start("sweep", "runs", n_runs);
    for (; started + 1 < threads; started++) /* the calling thread is the last worker */
        if (pthread_create(&pool[started], NULL, worker, &job) != 0) break;
    worker(&job);
    for (unsigned i = 0; i < started; i++)
        pthread_join(pool[i], NULL);
    gdlab_progress_end(job.progress);
    if (atomic_load(&job.failed)) {
        snprintf(err, errlen, "sweep: out of memory for the runs' working memory");
        goto done;
    }
    result = 0;
done:
    for (size_t r = 0; job.optimizers && r < n_runs; r++)
        gdlab_optimizer_free(job.optimizers[r]);
    free(job.optimizers);
    free(values);
    if (result) gdlab_sweep_result_free(out);
    return result;
}
