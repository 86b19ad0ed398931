/* SPDX-License-Identifier: MIT */
/* trajectory.c — what a run keeps of its path: every point, every k-th one, or none (the summary
 * only), with optional details per point; the memory estimate made before a run starts; and the
 * compact form of the evaluation counts (docs/performance.md says what each mode holds per step).
 * The arrays are malloc'd and doubled as the run goes, or, when the caller lends its own memory
 * (gdlab_record_storage), made once at the run's whole capacity and written in place. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trajectory.h"

/* Bytes one recorded point can take, evals stored per point included (the worst case). */
static size_t bytes_per_point(const recorder *rec)
{
    const gdlab_trajectory *t = &rec->t;
    return sizeof(double) * (t->dim + 1 + t->n_internals + (rec->curvature ? 2 : 0) +
                             (rec->details ? 2 : 0)) + sizeof(uint64_t);
}

static uint64_t default_limit(void)
{
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page / 2 : (uint64_t)1 << 32;
}

int recorder_init(recorder *rec, const gdlab_run_config *cfg, size_t dim, size_t n_internals,
                  char *err, size_t errlen)
{
    memset(rec, 0, sizeof *rec);
    rec->t.dim = dim;
    rec->t.every = cfg->record_every;
    rec->t.n_internals = n_internals;
    rec->details = cfg->record_details != 0;
    rec->curvature = cfg->record_curvature != 0;
    rec->storage = cfg->storage;
    rec->until_next = 1; /* x_0 is on every grid */
    if (cfg->record_every == 0) return 0;
    /* x_0, the grid points, and a last point when the last step is off the grid (a run ended earlier
     * keeps at most as many: its last point off the grid takes the place of a grid point it missed) */
    const uint64_t every = cfg->record_every;
    rec->max_points = (size_t)(cfg->max_steps / every) + 1 + (cfg->max_steps % every != 0);
    const uint64_t limit = cfg->max_record_bytes ? cfg->max_record_bytes : default_limit();
    const size_t per_point = bytes_per_point(rec);
    const double need = (double)rec->max_points * (double)per_point;
    if (need > (double)limit) {
        snprintf(err, errlen,
                 "run: recording up to %zu points of %zu bytes (%.3g GB) would pass the limit of %.3g GB%s; "
                 "keep only the summary (record = \"summary\"), every k-th point (record = k), or take "
                 "fewer steps",
                 rec->max_points, per_point, need / 1e9, (double)limit / 1e9,
                 cfg->max_record_bytes ? "" : " (half of this machine's memory)");
        return -1;
    }
    return 0;
}

/* Resizes the array at *p from old_bytes to bytes (realloc, or the caller's storage); on failure *p
 * stays as it was (and valid), so nothing is lost. */
static int resize(const recorder *rec, void *p, size_t old_bytes, size_t bytes)
{
    void **slot = p;
    const gdlab_record_storage *s = rec->storage;
    void *q = s ? s->resize(s->ud, *slot, old_bytes, bytes) : realloc(*slot, bytes);
    if (!q) return -1;
    *slot = q;
    return 0;
}

/* Room for ncap points of `size` bytes each in the array at *p. A storage's array is made once, at the
 * run's whole capacity: its memory cannot grow in place, and a copy at every doubling would cost more
 * than the run's own writes. */
static int grow(const recorder *rec, void *p, size_t size, size_t ncap)
{
    void **slot = p;
    if (rec->storage && *slot) return 0;
    return resize(rec, slot, *slot ? rec->cap * size : 0, ncap * size);
}

/* Room for `need` points in every array kept. Every failure is an error; arrays already grown stay
 * valid and cap only changes when all have grown. */
static int reserve(recorder *rec, size_t need)
{
    if (need <= rec->cap) return 0;
    size_t ncap = rec->cap ? rec->cap * 2 : 256;
    while (ncap < need)
        ncap *= 2;
    if (ncap > rec->max_points || rec->storage) ncap = rec->max_points;
    gdlab_trajectory *t = &rec->t;
    if (grow(rec, &t->x, t->dim * sizeof(double), ncap) || grow(rec, &t->loss, sizeof(double), ncap))
        return -1;
    if (rec->details &&
        (grow(rec, &t->grad_norm, sizeof(double), ncap) || grow(rec, &t->lr, sizeof(double), ncap)))
        return -1;
    if ((rec->details || t->evals) && grow(rec, &t->evals, sizeof(uint64_t), ncap)) return -1;
    if (rec->curvature && grow(rec, &t->curvature, 2 * sizeof(double), ncap)) return -1;
    if (t->n_internals && grow(rec, &t->internals, t->n_internals * sizeof(double), ncap)) return -1;
    rec->cap = ncap;
    return 0;
}

uint64_t gdlab_trajectory_step(const gdlab_trajectory *t, size_t i)
{
    const uint64_t on_grid = (uint64_t)i * t->every;
    return on_grid < t->steps ? on_grid : t->steps;
}

uint64_t gdlab_trajectory_evals(const gdlab_trajectory *t, size_t i)
{
    if (t->evals) return t->evals[i];
    return i == 0 ? t->evals_start : t->evals_base + t->evals_per_step * gdlab_trajectory_step(t, i);
}

/* Evaluation counts usually grow by the same number every step (1 for gd, 2 for nesterov after its
 * first step), so they are kept as a line until a point leaves it; from then on, per point. */
static int record_evals(recorder *rec, size_t i, uint64_t step, uint64_t evals)
{
    gdlab_trajectory *t = &rec->t;
    if (!t->evals) {
        if (i == 0) {
            t->evals_start = evals;
            return 0;
        }
        if (i == 1) { /* a flat line through point 1 until point 2 gives the slope */
            rec->step1 = step, rec->evals1 = evals;
            t->evals_base = evals, t->evals_per_step = 0;
            return 0;
        }
        if (i == 2 && evals >= rec->evals1 && (evals - rec->evals1) % (step - rec->step1) == 0) {
            t->evals_per_step = (evals - rec->evals1) / (step - rec->step1);
            t->evals_base = rec->evals1 - t->evals_per_step * rec->step1; /* mod 2^64, as read */
        }
        if (evals == t->evals_base + t->evals_per_step * step) return 0;
        /* off the line: from here on, one count per point */
        uint64_t *all = NULL;
        if (resize(rec, &all, 0, rec->cap * sizeof *all)) return -1;
        for (size_t j = 0; j < i; j++)
            all[j] = gdlab_trajectory_evals(t, j);
        t->evals = all;
    }
    t->evals[i] = evals;
    return 0;
}

int recorder_push(recorder *rec, uint64_t step, const double *x, double f, const double *grad, double lr,
                  uint64_t evals, double **internals_row, double **curvature_row, char *err,
                  size_t errlen)
{
    gdlab_trajectory *t = &rec->t;
    const size_t i = t->n, dim = t->dim;
    t->steps = step; /* gdlab_trajectory_step reads it */
    if (reserve(rec, i + 1) || record_evals(rec, i, step, evals)) {
        snprintf(err, errlen, "run: out of memory recording point %zu (step %llu) of up to %zu points of %zu "
                 "bytes: record fewer points (record = \"summary\" or every k-th point)", i,
                 (unsigned long long)step, rec->max_points, bytes_per_point(rec));
        return -1;
    }
    double *row = t->x + i * dim;
    for (size_t j = 0; j < dim; j++)
        row[j] = x[j];
    t->loss[i] = f;
    if (rec->details) {
        double s = 0;
        for (size_t j = 0; j < dim; j++)
            s += grad[j] * grad[j];
        t->grad_norm[i] = sqrt(s);
        t->lr[i] = lr;
    }
    *internals_row = t->n_internals ? t->internals + i * t->n_internals : NULL;
    *curvature_row = rec->curvature ? t->curvature + 2 * i : NULL;
    t->n = i + 1;
    const int lean = t->n >= 3 && !rec->details && !rec->curvature && !t->n_internals && !t->evals;
    rec->lean_cap = lean ? rec->cap : 0;
    return 0;
}

/* Resizes the array at *p (if any) from rec->cap points of `size` bytes to n points; n = 0 frees it. */
static void resize_to(const recorder *rec, void *p, size_t size, size_t n)
{
    void **slot = p;
    if (!*slot) return;
    if (n > 0)
        (void)resize(rec, slot, rec->cap * size, n * size);
    else if (rec->storage)
        (void)rec->storage->resize(rec->storage->ud, *slot, rec->cap * size, 0);
    else
        free(*slot);
}

/* Every array, resized to n points (n <= cap). Shrinking cannot lose data: a failed resize leaves the
 * larger array, still valid. */
static void resize_all(recorder *rec, size_t n)
{
    gdlab_trajectory *t = &rec->t;
    resize_to(rec, &t->x, t->dim * sizeof(double), n);
    resize_to(rec, &t->loss, sizeof(double), n);
    resize_to(rec, &t->grad_norm, sizeof(double), n);
    resize_to(rec, &t->lr, sizeof(double), n);
    resize_to(rec, &t->evals, sizeof(uint64_t), n);
    resize_to(rec, &t->curvature, 2 * sizeof(double), n);
    resize_to(rec, &t->internals, t->n_internals * sizeof(double), n);
    rec->cap = n;
    rec->lean_cap = 0; /* a point after this takes recorder_push */
}

void recorder_trim(recorder *rec)
{
    if (rec->t.n > 0 && rec->t.n < rec->cap) resize_all(rec, rec->t.n);
}

void recorder_free(recorder *rec)
{
    resize_all(rec, 0);
    memset(&rec->t, 0, sizeof rec->t);
}

void gdlab_trajectory_free(gdlab_trajectory *t)
{
    if (!t) return;
    free(t->x);
    free(t->loss);
    free(t->grad_norm);
    free(t->lr);
    free(t->evals);
    free(t->internals);
    free(t->curvature);
    memset(t, 0, sizeof *t);
}
