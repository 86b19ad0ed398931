/*
 * gdlab/schedule.h — learning-rate schedules (core/engine/schedule.c): PyTorch's torch.optim.lr_scheduler
 * policies as closed forms of the step number.
 *
 * A schedule is made from a kind name and named options, then checked once:
 *
 *     gdlab_schedule *s = gdlab_schedule_new("cosine", err, sizeof err);
 *     gdlab_schedule_set(s, "T_max", 100, err, sizeof err);
 *     gdlab_schedule_check(s, err, sizeof err);
 *     cfg.schedule = gdlab_schedule_lr, cfg.schedule_ctx = s;
 *
 * Step t (1-based) gets the lr PyTorch's scheduler holds after t − 1 calls to scheduler.step(),
 * with the optimizer's lr parameter as the base (CyclicLR's base_lr, OneCycleLR's max_lr).
 * Kinds and options: docs/schedules.md. Errors name the kind, the option and the valid choices.
 */
#ifndef GDLAB_SCHEDULE_H
#define GDLAB_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif
#pragma GCC visibility push(default)

typedef struct gdlab_schedule gdlab_schedule;

/* A schedule of the given kind with every option at its default. NULL with err for an unknown kind
 * (the message lists the kinds). */
gdlab_schedule *gdlab_schedule_new(const char *kind, char *err, size_t errlen);
void gdlab_schedule_free(gdlab_schedule *s);

/* Set an option: a number (booleans as 0 or 1), a list of numbers (multistep's milestones) or the
 * name of a choice (cyclic's mode). 0, or -1 with err naming the option and its valid values. */
int gdlab_schedule_set(gdlab_schedule *s, const char *option, double value, char *err, size_t errlen);
int gdlab_schedule_set_list(gdlab_schedule *s, const char *option, const double *values, size_t n,
                            char *err, size_t errlen);
int gdlab_schedule_set_choice(gdlab_schedule *s, const char *option, const char *choice, char *err,
                              size_t errlen);

/* After the options are set: are the required ones there and do they fit together? 0 or -1 with
 * err. gdlab_schedule_lr needs a checked schedule. */
int gdlab_schedule_check(gdlab_schedule *s, char *err, size_t errlen);

/* The lr of step t (1-based) for the optimizer's base lr. Has the gdlab_lr_schedule signature:
 * pass it as gdlab_run_config.schedule with the schedule as schedule_ctx. */
double gdlab_schedule_lr(void *schedule, uint64_t t, double base_lr);

/* The kinds, for listings: the i-th kind's name, NULL past the last. */
const char *gdlab_schedule_kind_name(size_t i);
/* The kind this schedule was made as. */
const char *gdlab_schedule_kind(const gdlab_schedule *s);

#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif
#endif /* GDLAB_SCHEDULE_H */
