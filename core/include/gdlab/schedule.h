/* SPDX-License-Identifier: MIT */
/*
 * gdlab/schedule.h — schedules (core/engine/schedule.c): PyTorch's torch.optim.lr_scheduler policies,
 * for any parameter of an optimizer, open-loop (a function of the step) or closed-loop (ReduceLROnPlateau
 * watches the loss).
 *
 * A schedule is a kind with options, described by a gdlab_param table like a plugin's parameters and
 * checked by the same code (core/engine/params.c). It drives one optimizer parameter, "lr" unless told
 * otherwise; cyclic and onecycle also cycle the momentum ("momentum", else "beta1", "beta" or "mu"):
 *
 *     gdlab_schedule *s = gdlab_schedule_new("cosine", err, sizeof err);
 *     gdlab_schedule_set(s, "T_max", 100, err, sizeof err);
 *     gdlab_schedule_drive(s, "beta1", err, sizeof err);        (optional: the default is "lr")
 *     gdlab_schedule_check(s, err, sizeof err);
 *     gdlab_schedules *set = gdlab_schedules_new();
 *     gdlab_schedules_add(set, s, err, sizeof err);             (the set owns s from here)
 *     cfg.schedule = set;                                        (a gdlab_run_config)
 *
 * Step t (1-based) uses the value PyTorch's scheduler holds after t − 1 calls to scheduler.step();
 * ReduceLROnPlateau's k-th call sees the loss after optimizer step k. Kinds and options:
 * docs/schedules.md, or gdlab --describe KIND. Errors name the kind, the option and the valid values.
 */
#ifndef GDLAB_SCHEDULE_H
#define GDLAB_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "gdlab/gdlab.h"

#ifdef __cplusplus
extern "C" {
#endif
#pragma GCC visibility push(default)

typedef struct gdlab_schedule gdlab_schedule;

/* What a schedule sees before step t: the run so far. */
typedef struct gdlab_schedule_view {
    uint64_t t;       /* the step about to be taken, from 1 */
    double loss;      /* f at the current point x_{t-1} (NaN when no run is going on) */
    double grad_norm; /* ||∇f|| there */
    double base;      /* the driven parameter's configured value */
} gdlab_schedule_view;

/* A function for the kinds "function" (returns the value), "lambda" and "multiplicative" (return the
 * factor of scheduler step e = view->t − 1, as torch's lr_lambda(epoch)). NaN stops the run; a
 * function that fails writes why into err and returns NaN. */
typedef double (*gdlab_schedule_fn)(void *ctx, const gdlab_schedule_view *view, char *err,
                                    size_t errlen);

/* A schedule of the given kind with every option at its default. NULL with err for an unknown kind
 * (the message lists the kinds). */
gdlab_schedule *gdlab_schedule_new(const char *kind, char *err, size_t errlen);
void gdlab_schedule_free(gdlab_schedule *s);

/* Options from the kind's parameter table: a number (booleans 0 or 1) or a choice's name. Lists
 * (milestones), functions and sub-schedules have their own setters. 0, or -1 with err. */
int gdlab_schedule_set(gdlab_schedule *s, const char *option, double value, char *err, size_t errlen);
int gdlab_schedule_set_choice(gdlab_schedule *s, const char *option, const char *choice, char *err,
                              size_t errlen);
int gdlab_schedule_set_list(gdlab_schedule *s, const char *option, const double *values, size_t n,
                            char *err, size_t errlen);
/* The function of "function" (option "fn"), "lambda" and "multiplicative" (option "lr_lambda", as
 * torch names it). thread_safe = 0 keeps sweeps on one thread. ctx is not owned. */
int gdlab_schedule_set_function(gdlab_schedule *s, const char *option, gdlab_schedule_fn fn, void *ctx,
                                int thread_safe, char *err, size_t errlen);
/* A part of "sequential" or "chained", in order. s owns child from here, even on failure. */
int gdlab_schedule_add_part(gdlab_schedule *s, gdlab_schedule *child, char *err, size_t errlen);
/* The optimizer parameter this schedule drives (default "lr"). */
int gdlab_schedule_drive(gdlab_schedule *s, const char *param, char *err, size_t errlen);

/* After the options are set: are the required ones there and do they fit together? 0 or -1 with err. */
int gdlab_schedule_check(gdlab_schedule *s, char *err, size_t errlen);

/* Values of steps 1..steps from the base value, with losses[k − 1] the loss after step k (NULL: none,
 * for open-loop kinds). momenta (may be NULL) receives the cycled momentum of cyclic and onecycle
 * (NaN for other kinds). 0, or -1 with err (a function failed, or the kind needs losses). */
int gdlab_schedule_values(const gdlab_schedule *s, double base, size_t steps, const double *losses,
                          double *values, double *momenta, char *err, size_t errlen);

/* The kinds, for listings and --describe: the i-th kind's description, NULL past the last. */
const gdlab_header *gdlab_schedule_kind_header(size_t i);
const char *gdlab_schedule_kind(const gdlab_schedule *s);

/* ---- the schedules of one run configuration ------------------------------------------------------ */
gdlab_schedules *gdlab_schedules_new(void);
void gdlab_schedules_free(gdlab_schedules *set);
/* Takes ownership of a checked schedule (also on failure). */
int gdlab_schedules_add(gdlab_schedules *set, gdlab_schedule *s, char *err, size_t errlen);
/* Are all of them safe to call from several threads at once (no Lua functions)? */
int gdlab_schedules_thread_safe(const gdlab_schedules *set);
/* The ctx of the i-th function among the schedules and their parts, NULL past the last: a binding
 * finds its own function records there (the Lua module, a failed function's error). */
void *gdlab_schedules_function_ctx(const gdlab_schedules *set, size_t i);

/* ---- in a run (core/engine/run.c) ------------------------------------------------------------------
 * begin binds the schedules to an optimizer: every driven parameter must exist (the error names the
 * optimizer's parameters) and be driven once. set may be NULL (no schedules). apply gives the
 * parameter values and lr for step t from the loss and gradient norm at x_{t-1}: the optimizer's own
 * values when nothing is scheduled, else a per-run copy with the scheduled values in place; NULL with
 * err when a schedule gives a value the parameter does not allow (NaN, out of its bounds). */
typedef struct gdlab_schedule_run gdlab_schedule_run;

gdlab_schedule_run *gdlab_schedules_begin(const gdlab_schedules *set, const gdlab_optimizer *o,
                                          char *err, size_t errlen);
const double *gdlab_schedules_apply(gdlab_schedule_run *r, uint64_t t, double loss, double grad_norm,
                                    double *lr, char *err, size_t errlen);
void gdlab_schedules_end(gdlab_schedule_run *r);

#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif
#endif /* GDLAB_SCHEDULE_H */
