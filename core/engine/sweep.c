/* SPDX-License-Identifier: MIT */
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

#include "cleanup.h"
#include "gdlab/gdlab.h"
#include "gdlab/progress.h"
#include "params_check.h"
#include "sweep_batch.h"

typedef struct sweep_job {
    const gdlab_surface *s;
    const gdlab_optimizer_desc *d;
    const gdlab_run_config *cfg;
    const gdlab_sweep_axis *axes;
    size_t n_axes;
    int index_of_axis[16];    /* the parameter each axis sets */
    const double *base;       /* n_params values */
    gdlab_sweep_result *out;
    size_t first;             /* out's slot 0 is this run of the sweep */
    size_t block;             /* runs per batched block; 0: one gdlab_run per run */
    /* written by the workers, on a cache line of their own so that reading the fields above does not
     * wait for another thread's counter update */
    _Alignas(64) atomic_size_t next;
    atomic_int failed;        /* out of memory in some run */
    gdlab_progress *progress; /* NULL: no bar */
} sweep_job;

/* The parameter values of run r (a run number of the whole sweep) into values. */
static void run_params(const void *ctx, size_t r, double *values)
{
    const sweep_job *job = ctx;
    memcpy(values, job->base, job->d->h.n_params * sizeof(double));
    for (size_t k = job->n_axes; k-- > 0;) {
        const gdlab_sweep_axis *a = &job->axes[k];
        values[job->index_of_axis[k]] = a->values[r % a->n];
        r /= a->n;
    }
}

/* The parameter values of the run in out's slot `slot`. */
static void slot_params(const void *ctx, size_t slot, double *values)
{
    const sweep_job *job = ctx;
    run_params(job, job->first + slot, values);
}

/* One run through gdlab_run, with its own configuration (made here, on the worker's thread, so that
 * making the runs' configurations is spread over the threads too): -1 when memory ran out. */
static int one_run(const sweep_job *job, size_t slot, double *values)
{
    char err[GDLAB_ERRLEN];
    slot_params(job, slot, values);
    gdlab_optimizer *o = gdlab_optimizer_new(job->d, values, err, sizeof err); /* values were checked */
    gdlab_trajectory t;
    const int failed = !o || gdlab_run(job->s, o, job->cfg, &t, err, sizeof err);
    gdlab_optimizer_free(o);
    if (failed) return -1;
    job->out->status[slot] = t.status;
    job->out->stop_step[slot] = t.stop_step;
    job->out->final_loss[slot] = t.final_loss;
    job->out->min_loss[slot] = t.min_loss;
    job->out->evals[slot] = t.total_evals;
    gdlab_trajectory_free(&t);
    return 0;
}

static void *worker(void *arg)
{
    sweep_job *job = arg;
    const size_t n_runs = job->out->n_runs;
    if (job->block) {
        for (size_t first; (first = atomic_fetch_add(&job->next, job->block)) < n_runs;) {
            const size_t count = n_runs - first < job->block ? n_runs - first : job->block;
            if (sweep_batch_run(job->s, job->d, slot_params, job, job->cfg, first, count, job->out))
                atomic_store(&job->failed, 1);
            gdlab_progress_add(job->progress, count);
        }
        return NULL;
    }
    double *values = calloc(job->d->h.n_params ? job->d->h.n_params : 1, sizeof(double));
    for (size_t r; values && (r = atomic_fetch_add(&job->next, 1)) < n_runs;) {
        if (one_run(job, r, values)) atomic_store(&job->failed, 1);
        gdlab_progress_add(job->progress, 1);
    }
    if (!values) atomic_store(&job->failed, 1);
    free(values);
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

int gdlab_sweep_result_alloc(gdlab_sweep_result *r, size_t n_runs)
{
    memset(r, 0, sizeof *r);
    const size_t n = n_runs ? n_runs : 1;
    r->n_runs = n_runs;
    r->status = calloc(n, sizeof *r->status);
    r->stop_step = calloc(n, sizeof *r->stop_step);
    r->final_loss = calloc(n, sizeof *r->final_loss);
    r->min_loss = calloc(n, sizeof *r->min_loss);
    r->evals = calloc(n, sizeof *r->evals);
    if (r->status && r->stop_step && r->final_loss && r->min_loss && r->evals) return 0;
    gdlab_sweep_result_free(r);
    return -1;
}

/* The axes' parameter indices into index_of_axis and the number of runs; -1 with err for bad axes. */
static int read_axes(const gdlab_sweep_spec *sp, int *index_of_axis, size_t cap, size_t *n_runs,
                     char *err, size_t errlen)
{
    const gdlab_header *h = &sp->d->h;
    if (sp->n_axes == 0 || sp->n_axes > cap) {
        snprintf(err, errlen, "sweep: give 1 to %zu parameters to sweep over, got %zu", cap, sp->n_axes);
        return -1;
    }
    *n_runs = 1;
    for (size_t k = 0; k < sp->n_axes; k++) {
        const gdlab_sweep_axis *a = &sp->axes[k];
        index_of_axis[k] = gdlab_param_index(h, a->param);
        if (index_of_axis[k] < 0) {
            double scratch = 0; /* only for the message listing the valid names */
            gdlab_params_set(h, &scratch, a->param, 0, err, errlen);
            return -1;
        }
        for (size_t j = 0; j < k; j++)
            if (index_of_axis[j] == index_of_axis[k]) {
                snprintf(err, errlen, "sweep: parameter '%s' is swept twice", a->param);
                return -1;
            }
        if (a->n == 0 || *n_runs > ((size_t)1 << 40) / a->n) {
            snprintf(err, errlen, "sweep: parameter '%s' has %zu values (1 to 2^40 runs in all)", a->param,
                     a->n);
            return -1;
        }
        *n_runs *= a->n;
    }
    return 0;
}

/* A sweep keeps each run's summary only: O(runs) memory whatever the steps. */
static gdlab_run_config summary_config(const gdlab_run_config *cfg)
{
    gdlab_run_config summary = *cfg;
    summary.record_every = 0;
    summary.record_internals = summary.record_curvature = 0;
    return summary;
}

/* Are the values of every run in [first, first + count) valid? Each parameter is checked on its own,
 * so they are when the first run's are and every axis value is: a check in O(axis values), not
 * O(runs). When some are not, the runs are checked in order so that the message names the first bad
 * run's first bad value, as checking run by run would. values: scratch. */
static int check_values(const sweep_job *job, size_t first, size_t count, double *values, char *err,
                        size_t errlen)
{
    const gdlab_header *h = &job->d->h;
    run_params(job, first, values);
    int all_valid = gdlab_params_validate(h, values, err, errlen) == 0;
    for (size_t k = 0; k < job->n_axes && all_valid; k++)
        for (size_t v = 0; v < job->axes[k].n && all_valid; v++)
            all_valid = gdlab_param_check_value(h, (size_t)job->index_of_axis[k], job->axes[k].values[v],
                                                err, errlen) == 0;
    for (size_t r = first; !all_valid && r < first + count; r++) {
        run_params(job, r, values);
        if (gdlab_params_validate(h, values, err, errlen)) return -1;
    }
    return 0;
}

/* A run's begin with the configuration of run `run`, so that a bad start or a configuration no run can
 * have (a wrapper without the optimizer it wraps) gets the run's own message before any thread
 * starts. */
static int probe(const sweep_job *job, size_t run, double *values, char *err, size_t errlen)
{
    run_params(job, run, values);
    gdlab_optimizer *o = gdlab_optimizer_new(job->d, values, err, errlen);
    gdlab_runner *runner = o ? gdlab_run_begin(job->s, o, job->cfg, err, errlen) : NULL;
    gdlab_run_end(runner, NULL);
    gdlab_optimizer_free(o);
    return runner ? 0 : -1;
}

/* check_values and probe for runs [first, first + count) of a job: 0, or -1 with err. */
static int check_runs(const sweep_job *job, size_t first, size_t count, char *err, size_t errlen)
{
    double *values = calloc(job->d->h.n_params ? job->d->h.n_params : 1, sizeof(double));
    if (!values) {
        snprintf(err, errlen, "sweep: out of memory");
        return -1;
    }
    const int result = check_values(job, first, count, values, err, errlen) ||
                       (count > 0 && probe(job, first, values, err, errlen));
    free(values);
    return result ? -1 : 0;
}

/* The base values (the spec's, or the optimizer's defaults) into a new buffer. */
static double *base_values(const gdlab_sweep_spec *sp, char *err, size_t errlen)
{
    const size_t n = sp->d->h.n_params;
    double *base = calloc(n ? n : 1, sizeof(double));
    if (!base)
        snprintf(err, errlen, "sweep: out of memory");
    else if (sp->base)
        memcpy(base, sp->base, n * sizeof(double));
    else
        gdlab_params_defaults(&sp->d->h, base);
    return base;
}

int gdlab_sweep_check(const gdlab_sweep_spec *sp, size_t *n_runs, char *err, size_t errlen)
{
    sweep_job job = {.s = sp->s, .d = sp->d, .axes = sp->axes, .n_axes = sp->n_axes};
    if (read_axes(sp, job.index_of_axis, GDLAB_COUNT_OF(job.index_of_axis), n_runs, err, errlen)) return -1;
    const gdlab_run_config summary = summary_config(sp->cfg);
    job.cfg = &summary;
    double *base = base_values(sp, err, errlen);
    if (!base) return -1;
    job.base = base;
    const int result = check_runs(&job, 0, *n_runs, err, errlen);
    free(base);
    return result;
}

int gdlab_sweep_runs(const gdlab_sweep_spec *sp, size_t first, size_t count, gdlab_sweep_result *out,
                     char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const gdlab_run_config summary = summary_config(sp->cfg);
    sweep_job job = {.s = sp->s, .d = sp->d, .cfg = &summary, .axes = sp->axes, .n_axes = sp->n_axes,
                     .out = out, .first = first};
    size_t n_runs;
    if (read_axes(sp, job.index_of_axis, GDLAB_COUNT_OF(job.index_of_axis), &n_runs, err, errlen)) return -1;
    if (first > n_runs || count > n_runs - first) {
        snprintf(err, errlen, "sweep: runs %zu to %zu asked for, but the sweep has %zu runs", first,
                 first + count, n_runs);
        return -1;
    }
    double *base = base_values(sp, err, errlen);
    job.base = base;
    int result = -1;
    if (!base) goto done;
    /* Every combination is validated before anything runs: a bad value is an error, not a hole. The
     * runs' own configurations are made by the workers, in parallel (docs/performance.md). */
    if (check_runs(&job, first, count, err, errlen)) goto done;
    if (gdlab_sweep_result_alloc(out, count)) {
        snprintf(err, errlen, "sweep: out of memory for %zu runs", count);
        goto done;
    }

    unsigned threads = sp->threads ? sp->threads : cores();
    if (gdlab_surface_is_serial(sp->s) || !sp->thread_safe_schedule) threads = 1;
    if (threads > count) threads = count ? (unsigned)count : 1;
    /* Batched blocks of up to 256 runs (docs/performance.md), at least 4 blocks per thread so
     * that threads finish together when some blocks stop early. */
    if (sweep_batch_possible(sp->s, sp->d, base, sp->cfg)) {
        const size_t per_thread = count / (4 * (size_t)threads);
        job.block = per_thread < 8 ? 8 : per_thread > 256 ? 256 : per_thread;
    }
    pthread_t pool[256];
    if (threads > GDLAB_COUNT_OF(pool)) threads = GDLAB_COUNT_OF(pool);
    unsigned started = 0;
    /* the caller's bar (a sweep in parts), else one for this range */
    gdlab_progress *own = sp->progress ? NULL : gdlab_progress_start("sweep", "runs", count);
    job.progress = sp->progress ? sp->progress : own;
    cleanup_parallel_begin();
    for (; started + 1 < threads; started++) /* the calling thread is the last worker */
        if (pthread_create(&pool[started], NULL, worker, &job) != 0) break;
    worker(&job);
    for (unsigned i = 0; i < started; i++)
        pthread_join(pool[i], NULL);
    cleanup_parallel_end();
    gdlab_progress_end(own);
    if (atomic_load(&job.failed)) {
        snprintf(err, errlen, "sweep: out of memory for the runs' working memory");
        goto done;
    }
    result = 0;
done:
    free(base);
    if (result) gdlab_sweep_result_free(out);
    return result;
}

/* The whole sweep is its run range [0, n_runs), after every combination was checked. */
int gdlab_sweep(const gdlab_surface *s, const gdlab_optimizer_desc *d, const double *base,
                const gdlab_sweep_axis *axes, size_t n_axes, const gdlab_run_config *cfg,
                int thread_safe_schedule, unsigned threads, gdlab_sweep_result *out, char *err,
                size_t errlen)
{
    const gdlab_sweep_spec sp = {.s = s, .d = d, .base = base, .axes = axes, .n_axes = n_axes,
                                 .cfg = cfg, .thread_safe_schedule = thread_safe_schedule,
                                 .threads = threads};
    int index_of_axis[16];
    size_t n_runs;
    memset(out, 0, sizeof *out);
    if (read_axes(&sp, index_of_axis, GDLAB_COUNT_OF(index_of_axis), &n_runs, err, errlen)) return -1;
    return gdlab_sweep_runs(&sp, 0, n_runs, out, err, errlen);
}
