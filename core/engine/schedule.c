/* SPDX-License-Identifier: MIT */
/* schedule.c — schedules as objects: making one from a kind and options, checking it, the schedules
 * of a run configuration, and applying them to an optimizer's parameters step by step.
 *
 * Options are a gdlab_param table per kind (schedule_kinds.c), set and checked by the same code as
 * plugin parameters (params.c), so bounds, choices and messages are the plugins'. What a table cannot
 * hold (milestones, a function, the parts of a composition) has a setter of its own here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params_check.h"
#include "schedule_internal.h"

/* The parameters cycle_momentum moves, in order of preference: torch's SGD and RMSprop "momentum",
 * the Adam family's β₁ ("beta1"), and gdlab's heavy-ball plugins ("beta", "mu"). */
static const char *const momentum_names[] = {"momentum", "beta1", "beta", "mu", NULL};

/* ---- kinds ------------------------------------------------------------------------------------- */

const gdlab_header *gdlab_schedule_kind_header(size_t i)
{
    for (size_t k = 0; gdlab_sched_kinds[k]; k++)
        if (k == i) return &gdlab_sched_kinds[k]->h;
    return NULL;
}

const char *gdlab_schedule_kind(const gdlab_schedule *s) { return s->kind->h.name; }

static const char *driven(const gdlab_schedule *s) { return s->param[0] ? s->param : "lr"; }

static int cycles_momentum(const gdlab_schedule *s)
{
    const int i = gdlab_param_index(&s->kind->h, "cycle_momentum");
    return (s->kind->traits & SCHED_MOMENTUM) && i >= 0 && s->option[i] != 0.0;
}

/* ---- making one -------------------------------------------------------------------------------- */

gdlab_schedule *gdlab_schedule_new(const char *kind_name, char *err, size_t errlen)
{
    const sched_kind *k = NULL;
    for (size_t i = 0; gdlab_sched_kinds[i] && !k; i++)
        if (kind_name && strcmp(gdlab_sched_kinds[i]->h.name, kind_name) == 0) k = gdlab_sched_kinds[i];
    if (!k) {
        size_t used = (size_t)snprintf(err, errlen, "unknown schedule '%s'; valid:",
                                       kind_name ? kind_name : "(none)");
        for (size_t i = 0; gdlab_sched_kinds[i] && used < errlen; i++)
            used += (size_t)snprintf(err + used, errlen - used, "%s %s", i ? "," : "",
                                     gdlab_sched_kinds[i]->h.name);
        return NULL;
    }
    gdlab_schedule *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "schedule '%s': out of memory", kind_name);
        return NULL;
    }
    s->kind = k;
    gdlab_params_defaults(&k->h, s->option);
    return s;
}

void gdlab_schedule_free(gdlab_schedule *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n_parts; i++)
        gdlab_schedule_free(s->parts[i]);
    free(s->parts);
    free(s->milestones);
    free(s);
}

/* An option that is not in the table: one of the kind's other inputs given the wrong way, or unknown
 * (the message lists everything the kind takes). */
static int not_in_table(const gdlab_schedule *s, const char *name, const char *given, char *err,
                        size_t errlen)
{
    const sched_kind *k = s->kind;
    const char *what = NULL;
    if ((k->inputs & SCHED_MILESTONES) && strcmp(name, "milestones") == 0)
        what = "a list of whole numbers";
    else if ((k->inputs & SCHED_FUNCTION) && strcmp(name, k->function_name) == 0)
        what = "a function";
    if (what) {
        snprintf(err, errlen, "option '%s' of schedule '%s' takes %s, not %s", name, k->h.name, what,
                 given);
        return -1;
    }
    const char *more[4] = {NULL};
    size_t n = 0;
    if (k->inputs & SCHED_MILESTONES) more[n++] = "milestones";
    if (k->inputs & SCHED_FUNCTION) more[n++] = k->function_name;
    more[n] = "param";
    gdlab_params_unknown(&k->h, name, more, err, errlen);
    return -1;
}

int gdlab_schedule_set(gdlab_schedule *s, const char *name, double value, char *err, size_t errlen)
{
    if (gdlab_param_index(&s->kind->h, name) < 0) return not_in_table(s, name, "a number", err, errlen);
    s->checked = 0;
    return gdlab_params_set(&s->kind->h, s->option, name, value, err, errlen);
}

int gdlab_schedule_set_choice(gdlab_schedule *s, const char *name, const char *choice, char *err,
                              size_t errlen)
{
    if (gdlab_param_index(&s->kind->h, name) < 0) return not_in_table(s, name, "a name", err, errlen);
    s->checked = 0;
    return gdlab_params_set_choice(&s->kind->h, s->option, name, choice, err, errlen);
}

static int compare_doubles(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int gdlab_schedule_set_list(gdlab_schedule *s, const char *name, const double *values, size_t n,
                            char *err, size_t errlen)
{
    const char *kind = s->kind->h.name;
    if (!(s->kind->inputs & SCHED_MILESTONES) || strcmp(name, "milestones") != 0) {
        if (gdlab_param_index(&s->kind->h, name) >= 0) {
            snprintf(err, errlen, "parameter '%s' of schedule '%s' takes a number, not a list", name,
                     kind);
            return -1;
        }
        return not_in_table(s, name, "a list", err, errlen);
    }
    for (size_t j = 0; j < n; j++)
        if (!(values[j] >= 0 && values[j] == floor(values[j]) && values[j] < 1e18)) {
            snprintf(err, errlen, "option 'milestones' of schedule '%s': element %zu must be a whole "
                     "number >= 0, got %.17g", kind, j + 1, values[j]);
            return -1;
        }
    double *copy = malloc((n ? n : 1) * sizeof(double));
    if (!copy) {
        snprintf(err, errlen, "schedule '%s': out of memory", kind);
        return -1;
    }
    if (n) memcpy(copy, values, n * sizeof(double));
    qsort(copy, n, sizeof(double), compare_doubles); /* torch sorts its milestones too */
    free(s->milestones);
    s->milestones = copy;
    s->n_milestones = n;
    s->checked = 0;
    return 0;
}

int gdlab_schedule_set_function(gdlab_schedule *s, const char *name, gdlab_schedule_fn fn, void *ctx,
                                int thread_safe, char *err, size_t errlen)
{
    if (!(s->kind->inputs & SCHED_FUNCTION) || strcmp(name, s->kind->function_name) != 0) {
        if (gdlab_param_index(&s->kind->h, name) >= 0) {
            snprintf(err, errlen, "parameter '%s' of schedule '%s' takes a number, not a function", name,
                     s->kind->h.name);
            return -1;
        }
        return not_in_table(s, name, "a function", err, errlen);
    }
    s->fn = fn;
    s->fn_ctx = ctx;
    s->fn_thread_safe = thread_safe;
    s->checked = 0;
    return 0;
}

int gdlab_schedule_add_part(gdlab_schedule *s, gdlab_schedule *child, char *err, size_t errlen)
{
    const char *kind = s->kind->h.name;
    const char *problem = NULL;
    char detail[GDLAB_ERRLEN];
    if (!(s->kind->inputs & SCHED_PARTS))
        problem = "takes no parts (sequential and chained do)";
    else if (!child->checked)
        problem = "was given a part that is not checked (gdlab_schedule_check)";
    else if (child->param[0]) {
        snprintf(detail, sizeof detail, "part %zu (%s) names a parameter ('%s'): a part drives what the "
                 "whole schedule drives", s->n_parts + 1, child->kind->h.name, child->param);
        problem = detail;
    } else if (cycles_momentum(child)) {
        snprintf(detail, sizeof detail, "part %zu (%s) cycles the momentum: give it cycle_momentum = "
                 "false (only a whole schedule drives two parameters)", s->n_parts + 1,
                 child->kind->h.name);
        problem = detail;
    }
    gdlab_schedule **parts = problem ? NULL : realloc(s->parts, (s->n_parts + 1) * sizeof *parts);
    if (!problem && !parts) problem = "out of memory";
    if (problem) {
        snprintf(err, errlen, "schedule '%s' %s", kind, problem);
        gdlab_schedule_free(child);
        return -1;
    }
    s->parts = parts;
    s->parts[s->n_parts++] = child;
    s->checked = 0;
    return 0;
}

int gdlab_schedule_drive(gdlab_schedule *s, const char *param, char *err, size_t errlen)
{
    const size_t n = strlen(param);
    if (n == 0 || n >= sizeof s->param || strspn(param, "abcdefghijklmnopqrstuvwxyz0123456789_") != n) {
        snprintf(err, errlen, "schedule '%s': 'param' must name an optimizer parameter such as lr or "
                 "momentum, got '%s'", s->kind->h.name, param);
        return -1;
    }
    memcpy(s->param, param, n + 1);
    return 0;
}

int gdlab_schedule_check(gdlab_schedule *s, char *err, size_t errlen)
{
    const sched_kind *k = s->kind;
    if (gdlab_params_validate(&k->h, s->option, err, errlen)) return -1;
    if ((k->inputs & SCHED_FUNCTION) && !s->fn) {
        snprintf(err, errlen, "schedule '%s' needs its function '%s'", k->h.name, k->function_name);
        return -1;
    }
    const char *problem = k->check ? k->check(s) : NULL;
    if (problem) {
        snprintf(err, errlen, "schedule '%s': %s", k->h.name, problem);
        return -1;
    }
    s->checked = 1;
    return 0;
}

/* ---- per-run state ------------------------------------------------------------------------------ */

static void state_free_parts(sched_state *st, const gdlab_schedule *s)
{
    if (!st->parts) return;
    for (size_t i = 0; i < s->n_parts; i++)
        state_free_parts(&st->parts[i], s->parts[i]);
    free(st->parts);
    st->parts = NULL;
}

static int state_alloc_parts(sched_state *st, const gdlab_schedule *s)
{
    if (!s->n_parts) return 0;
    st->parts = calloc(s->n_parts, sizeof *st->parts);
    if (!st->parts) return -1;
    for (size_t i = 0; i < s->n_parts; i++)
        if (state_alloc_parts(&st->parts[i], s->parts[i])) return -1;
    return 0;
}

int gdlab_schedule_values(const gdlab_schedule *s, double base, size_t steps, const double *losses,
                          double *values, double *momenta, char *err, size_t errlen)
{
    if (!s->checked) {
        snprintf(err, errlen, "schedule '%s' is not checked (gdlab_schedule_check)", s->kind->h.name);
        return -1;
    }
    if ((s->kind->traits & SCHED_LOOP) && !losses) {
        snprintf(err, errlen, "schedule '%s' watches the run: it needs the loss after every step",
                 s->kind->h.name);
        return -1;
    }
    sched_state st = {0};
    if (errlen) err[0] = '\0'; /* a function that fails writes here */
    int result = state_alloc_parts(&st, s);
    if (result) snprintf(err, errlen, "schedule '%s': out of memory", s->kind->h.name);
    const int momentum = cycles_momentum(s);
    for (size_t e = 0; e < steps && !result; e++) {
        const double loss = losses && e > 0 ? losses[e - 1] : NAN;
        const gdlab_schedule_view v = {e + 1, loss, NAN, base};
        double m = NAN;
        values[e] = gdlab_sched_value(s, &st, e, &v, &m, err, errlen);
        if (momenta) momenta[e] = momentum ? m : NAN;
        if (isnan(values[e]) && err[0]) result = -1;
    }
    state_free_parts(&st, s);
    return result;
}

/* ---- the schedules of a run configuration ------------------------------------------------------ */

struct gdlab_schedules {
    gdlab_schedule **items;
    size_t n;
};

gdlab_schedules *gdlab_schedules_new(void) { return calloc(1, sizeof(gdlab_schedules)); }

void gdlab_schedules_free(gdlab_schedules *set)
{
    if (!set) return;
    for (size_t i = 0; i < set->n; i++)
        gdlab_schedule_free(set->items[i]);
    free(set->items);
    free(set);
}

int gdlab_schedules_add(gdlab_schedules *set, gdlab_schedule *s, char *err, size_t errlen)
{
    gdlab_schedule **items = s->checked ? realloc(set->items, (set->n + 1) * sizeof *items) : NULL;
    if (!items) {
        snprintf(err, errlen, "schedule '%s': %s", s->kind->h.name,
                 s->checked ? "out of memory" : "not checked (gdlab_schedule_check)");
        gdlab_schedule_free(s);
        return -1;
    }
    set->items = items;
    set->items[set->n++] = s;
    return 0;
}

static int thread_safe(const gdlab_schedule *s)
{
    if (s->fn && !s->fn_thread_safe) return 0;
    for (size_t i = 0; i < s->n_parts; i++)
        if (!thread_safe(s->parts[i])) return 0;
    return 1;
}

int gdlab_schedules_thread_safe(const gdlab_schedules *set)
{
    for (size_t i = 0; set && i < set->n; i++)
        if (!thread_safe(set->items[i])) return 0;
    return 1;
}

/* Counts down *i over the functions of s in order; the one where it reaches 0 answers. */
static void *nth_function_ctx(const gdlab_schedule *s, size_t *i)
{
    if (s->fn && (*i)-- == 0) return s->fn_ctx;
    for (size_t p = 0; p < s->n_parts; p++) {
        void *ctx = nth_function_ctx(s->parts[p], i);
        if (ctx) return ctx;
    }
    return NULL;
}

void *gdlab_schedules_function_ctx(const gdlab_schedules *set, size_t i)
{
    for (size_t k = 0; set && k < set->n; k++) {
        void *ctx = nth_function_ctx(set->items[k], &i);
        if (ctx) return ctx;
    }
    return NULL;
}

/* ---- in a run ------------------------------------------------------------------------------------ */

typedef struct bound {
    const gdlab_schedule *s;
    sched_state state;
    int index;          /* the driven parameter */
    int momentum_index; /* the cycled momentum, or -1 */
} bound;

struct gdlab_schedule_run {
    const gdlab_header *optimizer;
    const double *base;  /* the optimizer's own values */
    double *values;      /* the per-run copy handed to steps */
    int lr_index;
    bound *b;
    size_t n;
};

void gdlab_schedules_end(gdlab_schedule_run *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++)
        state_free_parts(&r->b[i].state, r->b[i].s);
    free(r->b);
    free(r->values);
    free(r);
}

/* The index of parameter name, or -1 with err naming the optimizer's parameters. Choices and
 * booleans are switches, not quantities: they cannot be scheduled. */
static int find_driven(const gdlab_header *h, const gdlab_schedule *s, const char *name, char *err,
                       size_t errlen)
{
    const int i = gdlab_param_index(h, name);
    char detail[GDLAB_ERRLEN];
    if (i < 0) {
        gdlab_params_unknown(h, name, NULL, detail, sizeof detail);
        snprintf(err, errlen, "schedule '%s' drives '%s': %s", s->kind->h.name, name, detail);
        return -1;
    }
    if (h->params[i].flags & (GDLAB_PARAM_CHOICE | GDLAB_PARAM_BOOLEAN)) {
        snprintf(err, errlen, "schedule '%s' drives '%s', a switch of optimizer '%s': only numbers can "
                 "be scheduled", s->kind->h.name, name, h->name);
        return -1;
    }
    return i;
}

static int find_momentum(const gdlab_header *h, const gdlab_schedule *s, char *err, size_t errlen)
{
    for (size_t k = 0; momentum_names[k]; k++) {
        const int i = gdlab_param_index(h, momentum_names[k]);
        if (i >= 0) return i;
    }
    char detail[GDLAB_ERRLEN];
    gdlab_params_unknown(h, "momentum", NULL, detail, sizeof detail);
    snprintf(err, errlen, "schedule '%s' cycles the momentum (cycle_momentum = true, torch's default) "
             "and optimizer '%s' has none (momentum, beta1, beta or mu): %s; give cycle_momentum = "
             "false", s->kind->h.name, h->name, detail);
    return -1;
}

/* Binds schedule s: 0, or -1 with err. taken[i] marks parameters already driven. */
static int bind(gdlab_schedule_run *r, const gdlab_schedule *s, char *taken, char *err, size_t errlen)
{
    bound *b = &r->b[r->n];
    *b = (bound){.s = s, .momentum_index = -1};
    b->index = find_driven(r->optimizer, s, driven(s), err, errlen);
    if (b->index < 0) return -1;
    if (cycles_momentum(s) && (b->momentum_index = find_momentum(r->optimizer, s, err, errlen)) < 0)
        return -1;
    const int indices[2] = {b->index, b->momentum_index};
    for (size_t k = 0; k < 2; k++) {
        if (indices[k] < 0) continue;
        if (taken[indices[k]]) {
            snprintf(err, errlen, "two schedules drive '%s' of optimizer '%s': combine them with "
                     "sequential or chained", r->optimizer->params[indices[k]].name, r->optimizer->name);
            return -1;
        }
        taken[indices[k]] = 1;
    }
    if (state_alloc_parts(&b->state, s)) {
        state_free_parts(&b->state, s);
        snprintf(err, errlen, "schedule '%s': out of memory", s->kind->h.name);
        return -1;
    }
    r->n++;
    return 0;
}

gdlab_schedule_run *gdlab_schedules_begin(const gdlab_schedules *set, const gdlab_optimizer *o,
                                          char *err, size_t errlen)
{
    const gdlab_header *h = &gdlab_optimizer_desc_of(o)->h;
    const size_t n = set ? set->n : 0;
    gdlab_schedule_run *r = calloc(1, sizeof *r);
    char *taken = calloc(h->n_params + 1, 1);
    if (r) {
        r->b = calloc(n + 1, sizeof *r->b);
        r->values = calloc(h->n_params + 1, sizeof(double));
    }
    if (!r || !taken || !r->b || !r->values) {
        snprintf(err, errlen, "run: out of memory");
        free(taken);
        gdlab_schedules_end(r);
        return NULL;
    }
    r->optimizer = h;
    r->base = gdlab_optimizer_params(o);
    r->lr_index = gdlab_param_index(h, "lr");
    memcpy(r->values, r->base, h->n_params * sizeof(double));
    for (size_t i = 0; i < n; i++)
        if (bind(r, set->items[i], taken, err, errlen)) {
            free(taken);
            gdlab_schedules_end(r);
            return NULL;
        }
    free(taken);
    return r;
}

/* Is v allowed for parameter i? A learning rate of 0 is (a pause, as torch's warm-up lambdas give at
 * step 1), though an optimizer's own lr must be > 0. */
static int check_scheduled(const gdlab_schedule_run *r, const bound *b, int i, uint64_t t, double v,
                           char *err, size_t errlen)
{
    char detail[GDLAB_ERRLEN];
    if ((i == r->lr_index && v == 0.0) ||
        !gdlab_param_check_value(r->optimizer, (size_t)i, v, detail, sizeof detail))
        return 0;
    snprintf(err, errlen, "schedule '%s' at step %llu: %s", b->s->kind->h.name, (unsigned long long)t,
             detail);
    return -1;
}

const double *gdlab_schedules_apply(gdlab_schedule_run *r, uint64_t t, double loss, double grad_norm,
                                    double *lr, char *err, size_t errlen)
{
    if (r->n == 0) {
        *lr = r->lr_index >= 0 ? r->base[r->lr_index] : NAN;
        return r->base;
    }
    for (size_t k = 0; k < r->n; k++) {
        bound *b = &r->b[k];
        const gdlab_schedule_view v = {t, loss, grad_norm, r->base[b->index]};
        double momentum = NAN;
        char detail[GDLAB_ERRLEN] = "";
        const double value = gdlab_sched_value(b->s, &b->state, t - 1, &v, &momentum, detail,
                                               sizeof detail);
        if (isnan(value) && detail[0]) {
            snprintf(err, errlen, "schedule '%s' for '%s' at step %llu: %s", b->s->kind->h.name,
                     r->optimizer->params[b->index].name, (unsigned long long)t, detail);
            return NULL;
        }
        if (check_scheduled(r, b, b->index, t, value, err, errlen)) return NULL;
        r->values[b->index] = value;
        if (b->momentum_index >= 0) {
            if (check_scheduled(r, b, b->momentum_index, t, momentum, err, errlen)) return NULL;
            r->values[b->momentum_index] = momentum;
        }
    }
    *lr = r->lr_index >= 0 ? r->values[r->lr_index] : NAN;
    return r->values;
}
