/* schedule.c — learning-rate schedules: PyTorch's lr_scheduler policies as closed forms.
 *
 * PyTorch steps most schedulers recursively (lr ← lr·factor per call); here every kind is a closed
 * form of e = t − 1, the number of scheduler.step() calls before optimizer step t, so any step can
 * be asked for in any order. The two agree to rounding (tests/optimizers/test_schedules.c checks
 * against torch 1.13 to 1e-12·base_lr). Formulas follow torch/optim/lr_scheduler.py (1.13) and
 * its documentation; references per kind below. */
#include "gdlab/schedule.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- options ------------------------------------------------------------------------------------ */

typedef enum { OPT_REAL, OPT_INTEGER, OPT_BOOLEAN, OPT_CHOICE, OPT_LIST } option_type;

typedef struct option {
    const char *name;
    option_type type;
    int required;          /* no default: the user must give it */
    double def, lo, hi;    /* default and bounds (inclusive unless open_lo) */
    int open_lo;
    const char *help;
    const char *const *choices; /* OPT_CHOICE: NULL-terminated */
} option;

#define MAX_OPTIONS 6

struct gdlab_schedule {
    const struct kind *kind;
    double value[MAX_OPTIONS];  /* in the order of the kind's option table */
    int given[MAX_OPTIONS];
    double *list;               /* the one OPT_LIST option (milestones), sorted */
    size_t n_list;
    int checked;
};

typedef struct kind {
    const char *name;
    const option *options;
    size_t n_options;
    /* lr after e scheduler steps; the options are checked */
    double (*lr)(const gdlab_schedule *s, uint64_t e, double base);
    /* relations between options; NULL or a message */
    const char *(*check)(const gdlab_schedule *s);
} kind;

#define INF HUGE_VAL

/* ---- the kinds ---------------------------------------------------------------------------------- */

/* constant — torch ConstantLR: factor·base for the first total_iters steps, then base. The defaults
 * (factor 1) make it a truly constant lr; torch's defaults are factor 1/3, total_iters 5. */
static const option constant_options[] = {
    {"factor", OPT_REAL, 0, 1.0, 0.0, 1.0, 1, "lr multiplier until total_iters steps have passed", NULL},
    {"total_iters", OPT_INTEGER, 0, 0.0, 0.0, INF, 0, "number of steps that use factor*lr", NULL},
};
enum { CONSTANT_FACTOR, CONSTANT_TOTAL_ITERS };

static double constant_lr(const gdlab_schedule *s, uint64_t e, double base)
{
    return (double)e < s->value[CONSTANT_TOTAL_ITERS] ? base * s->value[CONSTANT_FACTOR] : base;
}

/* step — torch StepLR: base·gamma^⌊e/step_size⌋. */
static const option step_options[] = {
    {"step_size", OPT_INTEGER, 1, NAN, 1.0, INF, 0, "steps between two decays", NULL},
    {"gamma", OPT_REAL, 0, 0.1, 0.0, INF, 1, "factor applied every step_size steps", NULL},
};
enum { STEP_STEP_SIZE, STEP_GAMMA };

static double step_lr(const gdlab_schedule *s, uint64_t e, double base)
{
    const double decays = floor((double)e / s->value[STEP_STEP_SIZE]);
    return base * pow(s->value[STEP_GAMMA], decays);
}

/* multistep — torch MultiStepLR: base·gamma^(number of milestones ≤ e). */
static const option multistep_options[] = {
    {"milestones", OPT_LIST, 1, NAN, 0.0, INF, 0, "step counts at which lr is multiplied by gamma", NULL},
    {"gamma", OPT_REAL, 0, 0.1, 0.0, INF, 1, "factor applied at each milestone", NULL},
};
enum { MULTISTEP_MILESTONES, MULTISTEP_GAMMA };

static double multistep_lr(const gdlab_schedule *s, uint64_t e, double base)
{
    size_t passed = 0;
    while (passed < s->n_list && s->list[passed] <= (double)e)
        passed++;
    return base * pow(s->value[MULTISTEP_GAMMA], (double)passed);
}

/* exponential — torch ExponentialLR: base·gamma^e. */
static const option exponential_options[] = {
    {"gamma", OPT_REAL, 1, NAN, 0.0, INF, 1, "factor applied every step", NULL},
};
enum { EXPONENTIAL_GAMMA };

static double exponential_lr(const gdlab_schedule *s, uint64_t e, double base)
{
    return base * pow(s->value[EXPONENTIAL_GAMMA], (double)e);
}

/* cosine — torch CosineAnnealingLR: eta_min + (base − eta_min)·(1 + cos(π·e/T_max))/2.
 * Past T_max it rises again (the formula is periodic), as torch's does.
 * Reference: Loshchilov & Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts",
 * ICLR 2017, eq. (5). */
static const option cosine_options[] = {
    {"T_max", OPT_INTEGER, 1, NAN, 1.0, INF, 0, "steps from base lr down to eta_min", NULL},
    {"eta_min", OPT_REAL, 0, 0.0, 0.0, INF, 0, "the lowest lr", NULL},
};
enum { COSINE_T_MAX, COSINE_ETA_MIN };

static double cosine_between(double eta_min, double base, double done, double period)
{
    return eta_min + (base - eta_min) * (1.0 + cos(M_PI * done / period)) / 2.0;
}

static double cosine_lr(const gdlab_schedule *s, uint64_t e, double base)
{
    return cosine_between(s->value[COSINE_ETA_MIN], base, (double)e, s->value[COSINE_T_MAX]);
}

/* cosine_restarts — torch CosineAnnealingWarmRestarts (SGDR): cosine over periods T_0, T_0·T_mult,
 * T_0·T_mult², ..., jumping back to base at each restart. Reference: Loshchilov & Hutter, ICLR 2017. */
static const option restarts_options[] = {
    {"T_0", OPT_INTEGER, 1, NAN, 1.0, INF, 0, "length of the first period, in steps", NULL},
    {"T_mult", OPT_INTEGER, 0, 1.0, 1.0, INF, 0, "each period is T_mult times the last", NULL},
    {"eta_min", OPT_REAL, 0, 0.0, 0.0, INF, 0, "the lowest lr", NULL},
};
enum { RESTARTS_T_0, RESTARTS_T_MULT, RESTARTS_ETA_MIN };

static double restarts_lr(const gdlab_schedule *s, uint64_t e, double base)
{
    /* Whole numbers, as torch counts: no log() rounding at period boundaries. */
    uint64_t period = (uint64_t)s->value[RESTARTS_T_0], done = e;
    const uint64_t mult = (uint64_t)s->value[RESTARTS_T_MULT];
    if (mult == 1)
        done %= period;
    else
        while (done >= period && period <= UINT64_MAX / mult) {
            done -= period;
            period *= mult;
        }
    return cosine_between(s->value[RESTARTS_ETA_MIN], base, (double)done, (double)period);
}

/* cyclic — torch CyclicLR with cycle_momentum=False: a triangle wave between base (the optimizer's
 * lr) and max_lr, up in step_size_up steps and down in step_size_down. triangular2 halves the
 * amplitude every cycle; exp_range scales it by gamma^e.
 * Reference: L. N. Smith, "Cyclical Learning Rates for Training Neural Networks", WACV 2017. */
static const char *const cyclic_modes[] = {"triangular", "triangular2", "exp_range", NULL};
enum { MODE_TRIANGULAR, MODE_TRIANGULAR2, MODE_EXP_RANGE };
static const option cyclic_options[] = {
    {"max_lr", OPT_REAL, 1, NAN, 0.0, INF, 1, "top of the cycle (the optimizer's lr is the bottom)",
     NULL},
    {"step_size_up", OPT_INTEGER, 0, 2000.0, 1.0, INF, 0, "steps from the bottom to the top", NULL},
    {"step_size_down", OPT_INTEGER, 0, NAN, 1.0, INF, 0,
     "steps from the top back down (default: step_size_up)", NULL},
    {"mode", OPT_CHOICE, 0, MODE_TRIANGULAR, 0, 0, 0, "how the amplitude changes from cycle to cycle",
     cyclic_modes},
    {"gamma", OPT_REAL, 0, 1.0, 0.0, 1.0, 1, "exp_range: amplitude factor per step", NULL},
};
enum { CYCLIC_MAX_LR, CYCLIC_UP, CYCLIC_DOWN, CYCLIC_MODE, CYCLIC_GAMMA };

static double cyclic_lr(const gdlab_schedule *s, uint64_t e, double base)
{
    const double up = s->value[CYCLIC_UP];
    const double down = isnan(s->value[CYCLIC_DOWN]) ? up : s->value[CYCLIC_DOWN];
    const double total = up + down, up_ratio = up / total, steps = (double)e;
    const double cycle = floor(1.0 + steps / total);
    const double x = 1.0 + steps / total - cycle; /* position within the cycle, 0..1 */
    const double rise = x <= up_ratio ? x / up_ratio : (x - 1.0) / (up_ratio - 1.0);
    const double height = (s->value[CYCLIC_MAX_LR] - base) * rise;
    switch ((int)s->value[CYCLIC_MODE]) {
    case MODE_TRIANGULAR2: return base + height * (1.0 / pow(2.0, cycle - 1.0));
    case MODE_EXP_RANGE: return base + height * pow(s->value[CYCLIC_GAMMA], steps);
    default: return base + height;
    }
}

/* onecycle — torch OneCycleLR with cycle_momentum=False. The optimizer's lr is max_lr: warm up
 * from max_lr/div_factor to max_lr over the first pct_start of total_steps, then anneal to
 * max_lr/(div_factor·final_div_factor). three_phase goes back down to the start value before the
 * final annealing (the paper's version). After total_steps the lr stays at its final value (torch
 * raises an error there). Reference: L. N. Smith & N. Topin, "Super-Convergence", 2017
 * (arXiv:1708.07120); fastai's fit_one_cycle. */
static const char *const anneal_strategies[] = {"cos", "linear", NULL};
enum { ANNEAL_COS, ANNEAL_LINEAR };
static const option onecycle_options[] = {
    {"total_steps", OPT_INTEGER, 1, NAN, 1.0, INF, 0, "length of the whole cycle, in steps", NULL},
    {"pct_start", OPT_REAL, 0, 0.3, 0.0, 1.0, 0, "fraction of the cycle spent warming up", NULL},
    {"anneal_strategy", OPT_CHOICE, 0, ANNEAL_COS, 0, 0, 0, "shape of each phase", anneal_strategies},
    {"div_factor", OPT_REAL, 0, 25.0, 0.0, INF, 1, "the start lr is max_lr/div_factor", NULL},
    {"final_div_factor", OPT_REAL, 0, 1e4, 0.0, INF, 1, "final lr = start lr/final_div_factor", NULL},
    {"three_phase", OPT_BOOLEAN, 0, 0.0, 0.0, 1.0, 0, "warm up, cool down to the start lr, then anneal",
     NULL},
};
enum { ONECYCLE_TOTAL, ONECYCLE_PCT, ONECYCLE_ANNEAL, ONECYCLE_DIV, ONECYCLE_FINAL_DIV, ONECYCLE_THREE };

typedef struct phase {
    double end_step, start_lr, end_lr;
} phase;

/* The phases as torch lays them out; returns how many. */
static size_t onecycle_phases(const gdlab_schedule *s, double max_lr, phase out[3])
{
    const double total = s->value[ONECYCLE_TOTAL], pct = s->value[ONECYCLE_PCT];
    const double initial = max_lr / s->value[ONECYCLE_DIV];
    const double final = initial / s->value[ONECYCLE_FINAL_DIV];
    if (s->value[ONECYCLE_THREE]) {
        out[0] = (phase){pct * total - 1.0, initial, max_lr};
        out[1] = (phase){2.0 * pct * total - 2.0, max_lr, initial};
        out[2] = (phase){total - 1.0, initial, final};
        return 3;
    }
    out[0] = (phase){pct * total - 1.0, initial, max_lr};
    out[1] = (phase){total - 1.0, max_lr, final};
    return 2;
}

static double onecycle_lr(const gdlab_schedule *s, uint64_t e, double base)
{
    phase ph[3];
    const size_t n = onecycle_phases(s, base, ph);
    const double step = fmin((double)e, s->value[ONECYCLE_TOTAL] - 1.0);
    double start_step = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (step <= ph[i].end_step || i == n - 1) {
            const double pct = (step - start_step) / (ph[i].end_step - start_step);
            if (s->value[ONECYCLE_ANNEAL] == ANNEAL_LINEAR)
                return (ph[i].end_lr - ph[i].start_lr) * pct + ph[i].start_lr;
            return ph[i].end_lr + (ph[i].start_lr - ph[i].end_lr) / 2.0 * (cos(M_PI * pct) + 1.0);
        }
        start_step = ph[i].end_step;
    }
    return NAN; /* not reached: the last phase always answers */
}

static const char *onecycle_check(const gdlab_schedule *s)
{
    phase ph[3];
    const size_t n = onecycle_phases(s, 1.0, ph);
    double start_step = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!(ph[i].end_step > start_step))
            return "every phase must last more than one step: raise total_steps or move pct_start "
                   "(pct_start*total_steps must exceed 1, and total_steps must exceed "
                   "pct_start*total_steps, or 2*pct_start*total_steps with three_phase)";
        start_step = ph[i].end_step;
    }
    return NULL;
}

/* linear — torch LinearLR: the factor goes linearly from start_factor to end_factor over
 * total_iters steps, then stays (a warm-up when start_factor < end_factor). */
static const option linear_options[] = {
    {"start_factor", OPT_REAL, 0, 1.0 / 3.0, 0.0, 1.0, 1, "lr multiplier at the first step", NULL},
    {"end_factor", OPT_REAL, 0, 1.0, 0.0, 1.0, 0, "lr multiplier from total_iters steps on", NULL},
    {"total_iters", OPT_INTEGER, 0, 5.0, 1.0, INF, 0, "steps the change takes", NULL},
};
enum { LINEAR_START, LINEAR_END, LINEAR_TOTAL };

static double linear_lr(const gdlab_schedule *s, uint64_t e, double base)
{
    const double start = s->value[LINEAR_START], end = s->value[LINEAR_END];
    const double total = s->value[LINEAR_TOTAL];
    return base * (start + (end - start) * fmin(total, (double)e) / total);
}

#define KIND(name, options, lr, check) {name, options, sizeof options / sizeof options[0], lr, check}
static const kind kinds[] = {
    KIND("constant", constant_options, constant_lr, NULL),
    KIND("step", step_options, step_lr, NULL),
    KIND("multistep", multistep_options, multistep_lr, NULL),
    KIND("exponential", exponential_options, exponential_lr, NULL),
    KIND("cosine", cosine_options, cosine_lr, NULL),
    KIND("cosine_restarts", restarts_options, restarts_lr, NULL),
    KIND("cyclic", cyclic_options, cyclic_lr, NULL),
    KIND("onecycle", onecycle_options, onecycle_lr, onecycle_check),
    KIND("linear", linear_options, linear_lr, NULL),
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

/* ---- making and checking ------------------------------------------------------------------------ */

const char *gdlab_schedule_kind_name(size_t i) { return i < N_KINDS ? kinds[i].name : NULL; }
const char *gdlab_schedule_kind(const gdlab_schedule *s) { return s->kind->name; }

gdlab_schedule *gdlab_schedule_new(const char *kind_name, char *err, size_t errlen)
{
    const kind *k = NULL;
    for (size_t i = 0; i < N_KINDS && !k; i++)
        if (kind_name && strcmp(kinds[i].name, kind_name) == 0) k = &kinds[i];
    if (!k) {
        size_t used = (size_t)snprintf(err, errlen, "unknown schedule '%s'; valid:",
                                       kind_name ? kind_name : "(none)");
        for (size_t i = 0; i < N_KINDS && used < errlen; i++)
            used += (size_t)snprintf(err + used, errlen - used, "%s %s", i ? "," : "", kinds[i].name);
        return NULL;
    }
    gdlab_schedule *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "schedule '%s': out of memory", kind_name);
        return NULL;
    }
    s->kind = k;
    for (size_t i = 0; i < k->n_options; i++)
        s->value[i] = k->options[i].def;
    return s;
}

void gdlab_schedule_free(gdlab_schedule *s)
{
    if (!s) return;
    free(s->list);
    free(s);
}

/* The option called name, or NULL with an error listing the valid ones. */
static const option *find_option(const gdlab_schedule *s, const char *name, size_t *index, char *err,
                                 size_t errlen)
{
    const kind *k = s->kind;
    for (size_t i = 0; i < k->n_options; i++)
        if (strcmp(k->options[i].name, name) == 0) {
            *index = i;
            return &k->options[i];
        }
    size_t used = (size_t)snprintf(err, errlen, "unknown option '%s' for schedule '%s'; valid:", name,
                                   k->name);
    for (size_t i = 0; i < k->n_options && used < errlen; i++)
        used += (size_t)snprintf(err + used, errlen - used, "%s %s", i ? "," : "", k->options[i].name);
    return NULL;
}

static const char *type_text(option_type type)
{
    switch (type) {
    case OPT_INTEGER: return "a whole number";
    case OPT_BOOLEAN: return "true or false";
    case OPT_CHOICE: return "the name of a choice";
    case OPT_LIST: return "a list of whole numbers";
    default: return "a number";
    }
}

static void choices_text(const option *o, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; o->choices[i] && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", o->choices[i]);
}

/* Does v suit o (a number, or one element of a list)? */
static int number_fits(const option *o, double v)
{
    if (isnan(v)) return 0;
    if (o->type == OPT_BOOLEAN) return v == 0.0 || v == 1.0;
    if ((o->type == OPT_INTEGER || o->type == OPT_LIST) && v != floor(v)) return 0;
    return v >= o->lo && v <= o->hi && !(o->open_lo && v == o->lo);
}

static void bad_number(const gdlab_schedule *s, const option *o, double v, char *err, size_t errlen)
{
    if (o->type == OPT_BOOLEAN) {
        snprintf(err, errlen, "option '%s' of schedule '%s' must be true or false, got %.17g", o->name,
                 s->kind->name, v);
        return;
    }
    char hi[32];
    if (isinf(o->hi))
        snprintf(hi, sizeof hi, "inf");
    else
        snprintf(hi, sizeof hi, "%g", o->hi);
    snprintf(err, errlen, "option '%s' of schedule '%s' must be %s in %s%g, %s%s, got %.17g", o->name,
             s->kind->name, o->type == OPT_REAL ? "a number" : "a whole number", o->open_lo ? "(" : "[",
             o->lo, hi, isinf(o->hi) ? ")" : "]", v);
}

static int wrong_type(const gdlab_schedule *s, const option *o, const char *given, char *err,
                      size_t errlen)
{
    snprintf(err, errlen, "option '%s' of schedule '%s' takes %s, not %s", o->name, s->kind->name,
             type_text(o->type), given);
    return -1;
}

int gdlab_schedule_set(gdlab_schedule *s, const char *name, double value, char *err, size_t errlen)
{
    size_t i;
    const option *o = find_option(s, name, &i, err, errlen);
    if (!o) return -1;
    if (o->type == OPT_CHOICE || o->type == OPT_LIST)
        return wrong_type(s, o, "a single number", err, errlen);
    if (!number_fits(o, value)) {
        bad_number(s, o, value, err, errlen);
        return -1;
    }
    s->value[i] = value;
    s->given[i] = 1;
    s->checked = 0;
    return 0;
}

static int compare_doubles(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int gdlab_schedule_set_list(gdlab_schedule *s, const char *name, const double *values, size_t n,
                            char *err, size_t errlen)
{
    size_t i;
    const option *o = find_option(s, name, &i, err, errlen);
    if (!o) return -1;
    if (o->type != OPT_LIST) return wrong_type(s, o, "a list", err, errlen);
    for (size_t j = 0; j < n; j++)
        if (!number_fits(o, values[j])) {
            snprintf(err, errlen,
                     "option '%s' of schedule '%s': element %zu must be a whole number >= 0, got %.17g",
                     o->name, s->kind->name, j + 1, values[j]);
            return -1;
        }
    double *copy = malloc((n ? n : 1) * sizeof(double));
    if (!copy) {
        snprintf(err, errlen, "schedule '%s': out of memory", s->kind->name);
        return -1;
    }
    if (n) memcpy(copy, values, n * sizeof(double));
    qsort(copy, n, sizeof(double), compare_doubles); /* torch sorts its milestones too */
    free(s->list);
    s->list = copy;
    s->n_list = n;
    s->given[i] = 1;
    s->checked = 0;
    return 0;
}

int gdlab_schedule_set_choice(gdlab_schedule *s, const char *name, const char *choice, char *err,
                              size_t errlen)
{
    size_t i;
    const option *o = find_option(s, name, &i, err, errlen);
    if (!o) return -1;
    if (o->type != OPT_CHOICE) return wrong_type(s, o, "a name", err, errlen);
    for (size_t j = 0; o->choices[j]; j++)
        if (strcmp(o->choices[j], choice) == 0) {
            s->value[i] = (double)j;
            s->given[i] = 1;
            s->checked = 0;
            return 0;
        }
    char valid[128];
    choices_text(o, valid, sizeof valid);
    snprintf(err, errlen, "option '%s' of schedule '%s' must be one of: %s; got '%s'", o->name,
             s->kind->name, valid, choice);
    return -1;
}

int gdlab_schedule_check(gdlab_schedule *s, char *err, size_t errlen)
{
    const kind *k = s->kind;
    for (size_t i = 0; i < k->n_options; i++)
        if (k->options[i].required && !s->given[i]) {
            snprintf(err, errlen, "schedule '%s' needs option '%s' (%s: %s)", k->name,
                     k->options[i].name, type_text(k->options[i].type), k->options[i].help);
            return -1;
        }
    const char *problem = k->check ? k->check(s) : NULL;
    if (problem) {
        snprintf(err, errlen, "schedule '%s': %s", k->name, problem);
        return -1;
    }
    s->checked = 1;
    return 0;
}

double gdlab_schedule_lr(void *schedule, uint64_t t, double base_lr)
{
    const gdlab_schedule *s = schedule;
    if (!s->checked) return NAN; /* a programming error: NaN makes the run fail visibly */
    return s->kind->lr(s, t > 0 ? t - 1 : 0, base_lr);
}
