/* SPDX-License-Identifier: MIT */
/* schedule_internal.h — what schedule.c (objects, options, runs) and schedule_kinds.c (the formulas)
 * share. */
#ifndef GDLAB_SCHEDULE_INTERNAL_H
#define GDLAB_SCHEDULE_INTERNAL_H

#include "gdlab/schedule.h"

#define SCHED_MAX_OPTIONS 12

/* A schedule's state in one run. Stateful kinds (plateau, multiplicative) are called with e = 0, 1,
 * 2, ... in order and start afresh at e = 0; parts of sequential and chained have states of their own. */
typedef struct sched_state {
    double value;        /* the value after the last call (recursive kinds) */
    double best;         /* plateau: the best metric so far */
    uint64_t bad;        /* plateau: calls since the metric last improved */
    uint64_t cooldown;   /* plateau: calls left before bad calls count again */
    struct sched_state *parts;
} sched_state;

/* Inputs a kind takes beside its option table. */
enum { SCHED_MILESTONES = 1u << 0, SCHED_FUNCTION = 1u << 1, SCHED_PARTS = 1u << 2 };
/* What a kind is: FACTOR kinds give base·factor(e), so they can be chained; LOOP kinds need the
 * run's loss; MOMENTUM kinds cycle the momentum when their option cycle_momentum is true. */
enum { SCHED_FACTOR = 1u << 0, SCHED_LOOP = 1u << 1, SCHED_MOMENTUM = 1u << 2 };

typedef struct sched_kind {
    gdlab_header h;            /* kind GDLAB_KIND_SCHEDULE: name, help, option table */
    unsigned inputs, traits;
    const char *function_name; /* SCHED_FUNCTION: the name its function goes by (lr_lambda, fn) */
    /* The value after e scheduler steps. v is the run as seen before the step (v->base the driven
     * parameter's configured value). MOMENTUM kinds write the momentum into *momentum. NaN with err
     * set when a function fails. */
    double (*value)(const gdlab_schedule *s, sched_state *st, uint64_t e, const gdlab_schedule_view *v,
                    double *momentum, char *err, size_t errlen);
    /* Relations between options; NULL or a message. */
    const char *(*check)(const gdlab_schedule *s);
} sched_kind;

struct gdlab_schedule {
    const sched_kind *kind;
    double option[SCHED_MAX_OPTIONS]; /* in the order of kind->h.params */
    double *milestones;               /* SCHED_MILESTONES: sorted */
    size_t n_milestones;
    gdlab_schedule_fn fn;             /* SCHED_FUNCTION */
    void *fn_ctx;
    int fn_thread_safe;
    gdlab_schedule **parts;           /* SCHED_PARTS */
    size_t n_parts;
    char param[64];                   /* the driven parameter */
    int checked;
};

extern const sched_kind *const gdlab_sched_kinds[];

/* The value of schedule s (or a part) after e steps: its kind's formula. */
double gdlab_sched_value(const gdlab_schedule *s, sched_state *st, uint64_t e,
                         const gdlab_schedule_view *v, double *momentum, char *err, size_t errlen);

#endif
