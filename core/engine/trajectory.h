/* SPDX-License-Identifier: MIT */
/* trajectory.h — recording a run's points (trajectory.c), for the runner (run.c). Not public. */
#ifndef GDLAB_TRAJECTORY_H
#define GDLAB_TRAJECTORY_H

#include "gdlab/gdlab.h"

typedef struct recorder {
    gdlab_trajectory t;
    size_t cap;          /* points the arrays hold */
    size_t max_points;   /* the most a run of this configuration can record */
    const gdlab_record_storage *storage; /* the caller's memory for the arrays; NULL: malloc */
    int details;         /* grad_norm, lr and evals arrays */
    int curvature;
    uint64_t until_next; /* steps until the next point on the every-k grid */
    uint64_t step1, evals1; /* the compact evals form: point 1, until point 2 fixes the rate */
    size_t lean_cap;     /* points recorder_push_lean may fill: cap while only x and f are kept and
                            the evaluation counts have their line (points 0 to 2 recorded), else 0 */
} recorder;

/* Sets up recording for a run of cfg in dimension dim with n_internals doubles of internals per
 * point, after checking that the most it could record fits cfg->max_record_bytes. */
int recorder_init(recorder *rec, const gdlab_run_config *cfg, size_t dim, size_t n_internals,
                  char *err, size_t errlen);

/* Is the point after the step just taken on the every-k grid (every >= 1)? Advances the grid. Inline:
 * it runs every step. */
static inline int recorder_on_grid(recorder *rec)
{
    if (--rec->until_next == 0) {
        rec->until_next = rec->t.every;
        return 1;
    }
    return 0;
}

/* Is the point after the step just taken one to record (on the grid, or the last: stopped)? Advances
 * the grid. */
static inline int recorder_due(recorder *rec, int stopped)
{
    if (rec->t.every == 0) return 0;
    return recorder_on_grid(rec) || stopped;
}

/* Appends one point: x, f, the gradient (for grad_norm), the rate of the step that led here and the
 * evaluations so far. *internals_row and *curvature_row receive where this point's internals and
 * curvature go (NULL when not recorded). Returns -1 with err set when memory runs out. */
int recorder_push(recorder *rec, uint64_t step, const double *x, double f, const double *grad, double lr,
                  uint64_t evals, double **internals_row, double **curvature_row, char *err,
                  size_t errlen);

/* The common case of recorder_push, inline: room left, x and f only, evaluation counts on their line.
 * dim is t->dim (a constant where the caller is specialised for one). Returns 1 when it did not apply
 * (then call recorder_push). */
static inline int recorder_push_lean(recorder *rec, uint64_t step, const double *x, double f, uint64_t evals,
                                     size_t dim)
{
    gdlab_trajectory *t = &rec->t;
    const size_t i = t->n;
    if (i >= rec->lean_cap || evals != t->evals_base + t->evals_per_step * step) return 1;
    double *row = t->x + i * dim;
    for (size_t j = 0; j < dim; j++)
        row[j] = x[j];
    t->loss[i] = f;
    t->steps = step;
    t->n = i + 1;
    return 0;
}

/* Gives back the capacity beyond the points recorded (a run that stopped early holds what it kept). */
void recorder_trim(recorder *rec);

/* Frees the arrays recorded so far (with the storage they came from) and empties the trajectory. */
void recorder_free(recorder *rec);

#endif
