/* SPDX-License-Identifier: MIT */
/* schedule_spec.h — schedules written as one line of text, as the reference files (the files in ref/) give
 * them: "KIND opt=v ..." with lists comma-separated, and compositions as "KIND opts | PART opts |
 * PART opts". lr_lambda names one of gen_reference.py's LAMBDAS. Shared by the schedule and the
 * optimizer reference tests; errors go to `err`. */
#ifndef GDLAB_TEST_SCHEDULE_SPEC_H
#define GDLAB_TEST_SCHEDULE_SPEC_H

#include <stdlib.h>
#include <string.h>

#include "gdlab/schedule.h"

static char err[GDLAB_ERRLEN];

/* The functions of the lambda and multiplicative cases, as gen_reference.py's LAMBDAS. */
static double lambda_inverse(void *ctx, const gdlab_schedule_view *v, char *e, size_t n)
{
    (void)ctx, (void)e, (void)n;
    return 1.0 / (1.0 + 0.1 * (double)(v->t - 1));
}
static double lambda_warmup(void *ctx, const gdlab_schedule_view *v, char *e, size_t n)
{
    (void)ctx, (void)e, (void)n;
    return fmin(1.0, (double)(v->t - 1) / 10.0);
}
static double lambda_bump(void *ctx, const gdlab_schedule_view *v, char *e, size_t n)
{
    (void)ctx, (void)e, (void)n;
    return (v->t - 1) % 4 == 0 ? 1.05 : 0.95;
}

/* "name=value": a number, a comma-separated list (milestones), a lambda's name, or a choice's name. */
static int set_option(gdlab_schedule *s, char *assignment)
{
    char *eq = strchr(assignment, '=');
    if (!eq) return -1;
    *eq = '\0';
    const char *value = eq + 1;
    if (strcmp(assignment, "lr_lambda") == 0) {
        gdlab_schedule_fn fn = strcmp(value, "inverse") == 0  ? lambda_inverse
                               : strcmp(value, "warmup") == 0 ? lambda_warmup
                                                              : lambda_bump;
        return gdlab_schedule_set_function(s, "lr_lambda", fn, NULL, 1, err, sizeof err);
    }
    char *end;
    const double v = strtod(value, &end);
    if (*end == '\0' && strcmp(assignment, "milestones") != 0)
        return gdlab_schedule_set(s, assignment, v, err, sizeof err);
    if (*end == ',' || *end == '\0') {
        double list[32];
        size_t n = 0;
        for (const char *p = value; n < 32 && *p; p = *end ? end + 1 : end)
            list[n++] = strtod(p, &end);
        return gdlab_schedule_set_list(s, assignment, list, n, err, sizeof err);
    }
    return gdlab_schedule_set_choice(s, assignment, value, err, sizeof err);
}

/* "KIND opt=v ..." (one schedule, no parts), checked; NULL with err. */
static gdlab_schedule *parse_one(char *spec)
{
    char *save;
    gdlab_schedule *s = gdlab_schedule_new(strtok_r(spec, " \n", &save), err, sizeof err);
    for (char *tok; s && (tok = strtok_r(NULL, " \n", &save));)
        if (set_option(s, tok)) {
            gdlab_schedule_free(s);
            return NULL;
        }
    if (s && gdlab_schedule_check(s, err, sizeof err)) {
        gdlab_schedule_free(s);
        return NULL;
    }
    return s;
}

/* "KIND opts | PART opts | PART opts": a composition's parts after " | ". */
static gdlab_schedule *parse_schedule(char *spec)
{
    char *bar = strchr(spec, '|');
    if (!bar) return parse_one(spec);
    *bar = '\0';
    char *kind = strtok(spec, " ");
    gdlab_schedule *s = gdlab_schedule_new(kind, err, sizeof err);
    for (char *tok; s && (tok = strtok(NULL, " "));)
        if (set_option(s, tok)) {
            gdlab_schedule_free(s);
            return NULL;
        }
    for (char *part = bar + 1; s && part; ) {
        char *next = strchr(part, '|');
        if (next) *next++ = '\0';
        gdlab_schedule *p = parse_one(part);
        if (!p || gdlab_schedule_add_part(s, p, err, sizeof err)) {
            gdlab_schedule_free(s);
            return NULL;
        }
        part = next;
    }
    if (s && gdlab_schedule_check(s, err, sizeof err)) {
        gdlab_schedule_free(s);
        return NULL;
    }
    return s;
}

#endif
