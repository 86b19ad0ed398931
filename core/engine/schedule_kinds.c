/* SPDX-License-Identifier: MIT */
/* schedule_kinds.c — the kinds of schedule: PyTorch's lr_scheduler policies, each an option table and
 * the value after e scheduler steps.
 *
 * PyTorch steps most schedulers recursively (lr ← lr·factor per call); here the open-loop kinds are
 * closed forms of e = t − 1, and they agree to rounding (tests/optimizers/test_schedules.c checks
 * against torch 1.13 to 1e-12). The kinds whose value depends on the path (plateau, multiplicative)
 * keep a state per run and are called with e = 0, 1, 2, ... in order. Formulas follow
 * torch/optim/lr_scheduler.py (1.13) and its documentation; references per kind below. */
#include <math.h>

#include "schedule_internal.h"

#define INF HUGE_VAL
#define REQUIRED (GDLAB_PARAM_REQUIRED)
#define WHOLE (GDLAB_PARAM_INTEGER)
#define KIND_HEADER(name, summary, description, options)                                             \
    {GDLAB_ABI_VERSION, (uint32_t)sizeof(sched_kind), GDLAB_KIND_SCHEDULE, name, summary, description, \
     options, GDLAB_COUNT_OF(options)}

/* ---- constant, step, multistep, exponential, linear, polynomial: base·factor(e) --------------- */

/* constant — torch ConstantLR: factor·base for the first total_iters steps, then base. The defaults
 * (factor 1) make it a truly constant value; torch's defaults are factor 1/3, total_iters 5. */
static const gdlab_param constant_options[] = {
    {"factor", 1.0, 0.0, 1.0, GDLAB_PARAM_OPEN_LOWER, "multiplier until total_iters steps have passed",
     NULL},
    {"total_iters", 0.0, 0.0, INF, WHOLE, "number of steps that use factor*base", NULL},
};
enum { CONSTANT_FACTOR, CONSTANT_TOTAL_ITERS };

static double constant_value(const gdlab_schedule *s, sched_state *st, uint64_t e,
                             const gdlab_schedule_view *v, double *momentum, char *err, size_t errlen)
{
    (void)st, (void)momentum, (void)err, (void)errlen;
    return (double)e < s->option[CONSTANT_TOTAL_ITERS] ? v->base * s->option[CONSTANT_FACTOR] : v->base;
}

/* step — torch StepLR: base·gamma^⌊e/step_size⌋. */
static const gdlab_param step_options[] = {
    {"step_size", NAN, 1.0, INF, WHOLE | REQUIRED, "steps between two decays", NULL},
    {"gamma", 0.1, 0.0, INF, GDLAB_PARAM_OPEN_LOWER, "factor applied every step_size steps", NULL},
};
enum { STEP_STEP_SIZE, STEP_GAMMA };

static double step_value(const gdlab_schedule *s, sched_state *st, uint64_t e,
                         const gdlab_schedule_view *v, double *momentum, char *err, size_t errlen)
{
    (void)st, (void)momentum, (void)err, (void)errlen;
    return v->base * pow(s->option[STEP_GAMMA], floor((double)e / s->option[STEP_STEP_SIZE]));
}

/* multistep — torch MultiStepLR: base·gamma^(number of milestones ≤ e). */
static const gdlab_param multistep_options[] = {
    {"gamma", 0.1, 0.0, INF, GDLAB_PARAM_OPEN_LOWER, "factor applied at each milestone", NULL},
};
enum { MULTISTEP_GAMMA };

static size_t milestones_passed(const gdlab_schedule *s, uint64_t e)
{
    size_t passed = 0;
    while (passed < s->n_milestones && s->milestones[passed] <= (double)e)
        passed++;
    return passed;
}

static double multistep_value(const gdlab_schedule *s, sched_state *st, uint64_t e,
                              const gdlab_schedule_view *v, double *momentum, char *err, size_t errlen)
{
    (void)st, (void)momentum, (void)err, (void)errlen;
    return v->base * pow(s->option[MULTISTEP_GAMMA], (double)milestones_passed(s, e));
}

static const char *multistep_check(const gdlab_schedule *s)
{
    return s->n_milestones ? NULL : "needs milestones: a list of step counts, as in milestones = {30, 80}";
}

/* exponential — torch ExponentialLR: base·gamma^e. */
static const gdlab_param exponential_options[] = {
    {"gamma", NAN, 0.0, INF, GDLAB_PARAM_OPEN_LOWER | REQUIRED, "factor applied every step", NULL},
};
enum { EXPONENTIAL_GAMMA };

static double exponential_value(const gdlab_schedule *s, sched_state *st, uint64_t e,
                                const gdlab_schedule_view *v, double *momentum, char *err,
                                size_t errlen)
{
    (void)st, (void)momentum, (void)err, (void)errlen;
    return v->base * pow(s->option[EXPONENTIAL_GAMMA], (double)e);
}

/* linear — torch LinearLR: the factor goes linearly from start_factor to end_factor over
 * total_iters steps, then stays (a warm-up when start_factor < end_factor). */
static const gdlab_param linear_options[] = {
    {"start_factor", 1.0 / 3.0, 0.0, 1.0, GDLAB_PARAM_OPEN_LOWER, "multiplier at the first step", NULL},
    {"end_factor", 1.0, 0.0, 1.0, 0, "multiplier from total_iters steps on", NULL},
    {"total_iters", 5.0, 1.0, INF, WHOLE, "steps the change takes", NULL},
};
enum { LINEAR_START, LINEAR_END, LINEAR_TOTAL };

static double linear_value(const gdlab_schedule *s, sched_state *st, uint64_t e,
                           const gdlab_schedule_view *v, double *momentum, char *err, size_t errlen)
{
    (void)st, (void)momentum, (void)err, (void)errlen;
    const double start = s->option[LINEAR_START], end = s->option[LINEAR_END];
    const double total = s->option[LINEAR_TOTAL];
    return v->base * (start + (end - start) * fmin(total, (double)e) / total);
}

/* polynomial — torch PolynomialLR (1.13): base·(1 − min(e, total_iters)/total_iters)^power, so 0
 * from total_iters steps on. */
static const gdlab_param polynomial_options[] = {
    {"total_iters", 5.0, 1.0, INF, WHOLE, "steps until the value reaches 0", NULL},
    {"power", 1.0, 0.0, INF, 0, "exponent of the decay (1: linear)", NULL},
};
enum { POLYNOMIAL_TOTAL, POLYNOMIAL_POWER };

static double polynomial_value(const gdlab_schedule *s, sched_state *st, uint64_t e,
                               const gdlab_schedule_view *v, double *momentum, char *err, size_t errlen)
{
    (void)st, (void)momentum, (void)err, (void)errlen;
    const double total = s->option[POLYNOMIAL_TOTAL];
    return v->base * pow(1.0 - fmin(total, (double)e) / total, s->option[POLYNOMIAL_POWER]);
}

/* ---- cosine, cosine_restarts ------------------------------------------------------------------ */

/* cosine — torch CosineAnnealingLR: eta_min + (base − eta_min)·(1 + cos(π·e/T_max))/2. Past T_max it
 * rises again (the formula is periodic), as torch's does. Reference: Loshchilov & Hutter, "SGDR:
 * Stochastic Gradient Descent with Warm Restarts", ICLR 2017, eq. (5). */
static const gdlab_param cosine_options[] = {
    {"T_max", NAN, 1.0, INF, WHOLE | REQUIRED, "steps from the base value down to eta_min", NULL},
    {"eta_min", 0.0, 0.0, INF, 0, "the lowest value", NULL},
};
enum { COSINE_T_MAX, COSINE_ETA_MIN };

static double cosine_between(double low, double high, double done, double period)
{
    return low + (high - low) * (1.0 + cos(M_PI * done / period)) / 2.0;
}

static double cosine_value(const gdlab_schedule *s, sched_state *st, uint64_t e,
                           const gdlab_schedule_view *v, double *momentum, char *err, size_t errlen)
{
    (void)st, (void)momentum, (void)err, (void)errlen;
    return cosine_between(s->option[COSINE_ETA_MIN], v->base, (double)e, s->option[COSINE_T_MAX]);
}

/* cosine_restarts — torch CosineAnnealingWarmRestarts (SGDR): cosine over periods T_0, T_0·T_mult,
 * T_0·T_mult², ..., jumping back to base at each restart. Reference: Loshchilov & Hutter, ICLR 2017. */
static const gdlab_param restarts_options[] = {
    {"T_0", NAN, 1.0, INF, WHOLE | REQUIRED, "length of the first period, in steps", NULL},
    {"T_mult", 1.0, 1.0, INF, WHOLE, "each period is T_mult times the last", NULL},
    {"eta_min", 0.0, 0.0, INF, 0, "the lowest value", NULL},
};
enum { RESTARTS_T_0, RESTARTS_T_MULT, RESTARTS_ETA_MIN };

static double restarts_value(const gdlab_schedule *s, sched_state *st, uint64_t e,
                             const gdlab_schedule_view *v, double *momentum, char *err, size_t errlen)
{
    (void)st, (void)momentum, (void)err, (void)errlen;
    /* Whole numbers, as torch counts: no log() rounding at period boundaries. */
    uint64_t period = (uint64_t)s->option[RESTARTS_T_0], done = e;
    const uint64_t mult = (uint64_t)s->option[RESTARTS_T_MULT];
    if (mult == 1)
        done %= period;
    else
        while (done >= period && period <= UINT64_MAX / mult) {
            done -= period;
            period *= mult;
        }
    return cosine_between(s->option[RESTARTS_ETA_MIN], v->base, (double)done, (double)period);
}

/* ---- cyclic, onecycle: the value and, by default, the momentum -------------------------------- */

/* cyclic — torch CyclicLR: a triangle wave between base (the parameter's value) and max_lr, up in
 * step_size_up steps and down in step_size_down. triangular2 halves the amplitude every cycle;
 * exp_range scales it by gamma^e. With cycle_momentum (torch's default) the momentum moves the other
 * way, from max_momentum down to base_momentum at the top of the wave.
 * Reference: L. N. Smith, "Cyclical Learning Rates for Training Neural Networks", WACV 2017. */
static const char *const cyclic_modes[] = {"triangular", "triangular2", "exp_range", NULL};
enum { MODE_TRIANGULAR, MODE_TRIANGULAR2, MODE_EXP_RANGE };
static const gdlab_param cyclic_options[] = {
    {"max_lr", NAN, 0.0, INF, GDLAB_PARAM_OPEN_LOWER | REQUIRED,
     "top of the cycle (the parameter's own value is the bottom)", NULL},
    {"step_size_up", 2000.0, 1.0, INF, WHOLE, "steps from the bottom to the top", NULL},
    {"step_size_down", 0.0, 0.0, INF, WHOLE, "steps from the top back down (0: step_size_up)", NULL},
    {"mode", MODE_TRIANGULAR, 0, 0, GDLAB_PARAM_CHOICE, "how the amplitude changes from cycle to cycle",
     cyclic_modes},
    {"gamma", 1.0, 0.0, 1.0, GDLAB_PARAM_OPEN_LOWER, "exp_range: amplitude factor per step", NULL},
    {"cycle_momentum", 1, 0, 1, GDLAB_PARAM_BOOLEAN,
     "cycle the momentum (momentum, beta1, beta or mu) inversely", NULL},
    {"base_momentum", 0.8, 0.0, 1.0, 0, "momentum at the top of the cycle", NULL},
    {"max_momentum", 0.9, 0.0, 1.0, 0, "momentum at the bottom of the cycle", NULL},
};
enum { CYCLIC_MAX_LR, CYCLIC_UP, CYCLIC_DOWN, CYCLIC_MODE, CYCLIC_GAMMA, CYCLIC_MOMENTUM,
       CYCLIC_BASE_MOMENTUM, CYCLIC_MAX_MOMENTUM };

static double cyclic_value(const gdlab_schedule *s, sched_state *st, uint64_t e,
                           const gdlab_schedule_view *v, double *momentum, char *err, size_t errlen)
{
    (void)st, (void)err, (void)errlen;
    const double up = s->option[CYCLIC_UP];
    const double down = s->option[CYCLIC_DOWN] > 0 ? s->option[CYCLIC_DOWN] : up;
    const double total = up + down, up_ratio = up / total, steps = (double)e;
    const double cycle = floor(1.0 + steps / total);
    const double x = 1.0 + steps / total - cycle; /* position within the cycle, 0..1 */
    const double rise = x <= up_ratio ? x / up_ratio : (x - 1.0) / (up_ratio - 1.0);
    double scale = 1.0;
    if (s->option[CYCLIC_MODE] == MODE_TRIANGULAR2)
        scale = 1.0 / pow(2.0, cycle - 1.0);
    else if (s->option[CYCLIC_MODE] == MODE_EXP_RANGE)
        scale = pow(s->option[CYCLIC_GAMMA], steps);
    const double max_m = s->option[CYCLIC_MAX_MOMENTUM], base_m = s->option[CYCLIC_BASE_MOMENTUM];
    *momentum = max_m - (max_m - base_m) * rise * scale;
    return v->base + (s->option[CYCLIC_MAX_LR] - v->base) * rise * scale;
}

/* onecycle — torch OneCycleLR. The parameter's own value is max_lr: warm up from max_lr/div_factor to
 * max_lr over the first pct_start of total_steps, then anneal to max_lr/(div_factor·final_div_factor);
 * three_phase goes back down to the start value before the final annealing (the paper's version).
 * The momentum goes the other way (max_momentum → base_momentum → max_momentum). After total_steps
 * the values stay at their final ones (torch raises an error there). Reference: L. N. Smith &
 * N. Topin, "Super-Convergence", 2017 (arXiv:1708.07120); fastai's fit_one_cycle. */
static const char *const anneal_strategies[] = {"cos", "linear", NULL};
enum { ANNEAL_COS, ANNEAL_LINEAR };
static const gdlab_param onecycle_options[] = {
    {"total_steps", NAN, 1.0, INF, WHOLE | REQUIRED, "length of the whole cycle, in steps", NULL},
    {"pct_start", 0.3, 0.0, 1.0, 0, "fraction of the cycle spent warming up", NULL},
    {"anneal_strategy", ANNEAL_COS, 0, 0, GDLAB_PARAM_CHOICE, "shape of each phase", anneal_strategies},
    {"div_factor", 25.0, 0.0, INF, GDLAB_PARAM_OPEN_LOWER, "the start value is max_lr/div_factor", NULL},
    {"final_div_factor", 1e4, 0.0, INF, GDLAB_PARAM_OPEN_LOWER,
     "final value = start value/final_div_factor", NULL},
    {"three_phase", 0, 0, 1, GDLAB_PARAM_BOOLEAN, "warm up, cool down to the start value, then anneal",
     NULL},
    {"cycle_momentum", 1, 0, 1, GDLAB_PARAM_BOOLEAN,
     "cycle the momentum (momentum, beta1, beta or mu) inversely", NULL},
    {"base_momentum", 0.85, 0.0, 1.0, 0, "momentum at the peak of the value", NULL},
    {"max_momentum", 0.95, 0.0, 1.0, 0, "momentum at the start and the end", NULL},
};
enum { ONECYCLE_TOTAL, ONECYCLE_PCT, ONECYCLE_ANNEAL, ONECYCLE_DIV, ONECYCLE_FINAL_DIV, ONECYCLE_THREE,
       ONECYCLE_MOMENTUM, ONECYCLE_BASE_MOMENTUM, ONECYCLE_MAX_MOMENTUM };

typedef struct phase {
    double end_step, start_value, end_value, start_momentum, end_momentum;
} phase;

/* The phases as torch lays them out; returns how many. */
static size_t onecycle_phases(const gdlab_schedule *s, double max_lr, phase out[3])
{
    const double total = s->option[ONECYCLE_TOTAL], pct = s->option[ONECYCLE_PCT];
    const double initial = max_lr / s->option[ONECYCLE_DIV];
    const double final = initial / s->option[ONECYCLE_FINAL_DIV];
    const double low_m = s->option[ONECYCLE_BASE_MOMENTUM], high_m = s->option[ONECYCLE_MAX_MOMENTUM];
    if (s->option[ONECYCLE_THREE]) {
        out[0] = (phase){pct * total - 1.0, initial, max_lr, high_m, low_m};
        out[1] = (phase){2.0 * pct * total - 2.0, max_lr, initial, low_m, high_m};
        out[2] = (phase){total - 1.0, initial, final, high_m, high_m};
        return 3;
    }
    out[0] = (phase){pct * total - 1.0, initial, max_lr, high_m, low_m};
    out[1] = (phase){total - 1.0, max_lr, final, low_m, high_m};
    return 2;
}

static double anneal(const gdlab_schedule *s, double start, double end, double pct)
{
    if (s->option[ONECYCLE_ANNEAL] == ANNEAL_LINEAR) return (end - start) * pct + start;
    return end + (start - end) / 2.0 * (cos(M_PI * pct) + 1.0);
}

static double onecycle_value(const gdlab_schedule *s, sched_state *st, uint64_t e,
                             const gdlab_schedule_view *v, double *momentum, char *err, size_t errlen)
{
    (void)st, (void)err, (void)errlen;
    phase ph[3];
    const size_t n = onecycle_phases(s, v->base, ph);
    const double step = fmin((double)e, s->option[ONECYCLE_TOTAL] - 1.0);
    double start_step = 0.0;
    for (size_t i = 0;; i++) {
        if (step <= ph[i].end_step || i == n - 1) {
            const double pct = (step - start_step) / (ph[i].end_step - start_step);
            *momentum = anneal(s, ph[i].start_momentum, ph[i].end_momentum, pct);
            return anneal(s, ph[i].start_value, ph[i].end_value, pct);
        }
        start_step = ph[i].end_step;
    }
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

/* ---- plateau: closed-loop ------------------------------------------------------------------------ */

/* plateau — torch ReduceLROnPlateau. Its k-th step() sees the loss after optimizer step k (or the
 * gradient norm there, metric = grad_norm). When the metric has not improved on its best by more
 * than threshold for more than patience steps, the value becomes max(value·factor, min_lr) (unless
 * that changes it by eps or less), and cooldown steps pass before bad steps count again. */
static const char *const plateau_modes[] = {"min", "max", NULL};
static const char *const threshold_modes[] = {"rel", "abs", NULL};
static const char *const plateau_metrics[] = {"loss", "grad_norm", NULL};
enum { PLATEAU_MIN, PLATEAU_MAX };
enum { THRESHOLD_REL, THRESHOLD_ABS };
enum { METRIC_LOSS, METRIC_GRAD_NORM };
static const gdlab_param plateau_options[] = {
    {"mode", PLATEAU_MIN, 0, 0, GDLAB_PARAM_CHOICE, "min: lower is better; max: higher is better",
     plateau_modes},
    {"factor", 0.1, 0.0, 1.0, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_OPEN_UPPER,
     "the value is multiplied by factor at a plateau", NULL},
    {"patience", 10.0, 0.0, INF, WHOLE, "steps without improvement that are tolerated", NULL},
    {"threshold", 1e-4, 0.0, INF, 0, "an improvement must beat the best by this much", NULL},
    {"threshold_mode", THRESHOLD_REL, 0, 0, GDLAB_PARAM_CHOICE,
     "rel: best*(1 -/+ threshold); abs: best -/+ threshold", threshold_modes},
    {"cooldown", 0.0, 0.0, INF, WHOLE, "steps after a reduction before counting again", NULL},
    {"min_lr", 0.0, 0.0, INF, 0, "the value never goes below this", NULL},
    {"eps", 1e-8, 0.0, INF, 0, "reductions smaller than this are skipped", NULL},
    {"metric", METRIC_LOSS, 0, 0, GDLAB_PARAM_CHOICE, "what is watched (gdlab's addition)",
     plateau_metrics},
};
enum { PLATEAU_MODE, PLATEAU_FACTOR, PLATEAU_PATIENCE, PLATEAU_THRESHOLD, PLATEAU_THRESHOLD_MODE,
       PLATEAU_COOLDOWN, PLATEAU_MIN_LR, PLATEAU_EPS, PLATEAU_METRIC };

/* torch's is_better */
static int improves(const gdlab_schedule *s, double a, double best)
{
    const double th = s->option[PLATEAU_THRESHOLD];
    const int rel = s->option[PLATEAU_THRESHOLD_MODE] == THRESHOLD_REL;
    if (s->option[PLATEAU_MODE] == PLATEAU_MIN) return rel ? a < best * (1.0 - th) : a < best - th;
    return rel ? a > best * (th + 1.0) : a > best + th;
}

static double plateau_value(const gdlab_schedule *s, sched_state *st, uint64_t e,
                            const gdlab_schedule_view *v, double *momentum, char *err, size_t errlen)
{
    (void)momentum, (void)err, (void)errlen;
    if (e == 0) {
        *st = (sched_state){.value = v->base, .best = s->option[PLATEAU_MODE] == PLATEAU_MIN ? INF : -INF};
        return st->value;
    }
    const double metric = s->option[PLATEAU_METRIC] == METRIC_LOSS ? v->loss : v->grad_norm;
    if (improves(s, metric, st->best)) {
        st->best = metric;
        st->bad = 0;
    } else {
        st->bad++;
    }
    if (st->cooldown > 0) {
        st->cooldown--;
        st->bad = 0;
    }
    if ((double)st->bad > s->option[PLATEAU_PATIENCE]) {
        const double reduced = fmax(st->value * s->option[PLATEAU_FACTOR], s->option[PLATEAU_MIN_LR]);
        if (st->value - reduced > s->option[PLATEAU_EPS]) st->value = reduced;
        st->cooldown = (uint64_t)s->option[PLATEAU_COOLDOWN];
        st->bad = 0;
    }
    return st->value;
}

/* ---- functions: lambda, multiplicative, function ------------------------------------------------ */

/* The function of s at scheduler step e, seen as step e + 1. */
static double call(const gdlab_schedule *s, uint64_t e, const gdlab_schedule_view *v, char *err,
                   size_t errlen)
{
    gdlab_schedule_view at = *v;
    at.t = e + 1;
    err[0] = '\0';
    return s->fn(s->fn_ctx, &at, err, errlen);
}

/* lambda — torch LambdaLR: base·lr_lambda(e). */
static double lambda_value(const gdlab_schedule *s, sched_state *st, uint64_t e,
                           const gdlab_schedule_view *v, double *momentum, char *err, size_t errlen)
{
    (void)st, (void)momentum;
    return v->base * call(s, e, v, err, errlen);
}

/* multiplicative — torch MultiplicativeLR: the value is multiplied by lr_lambda(e) at every step
 * e ≥ 1. */
static double multiplicative_value(const gdlab_schedule *s, sched_state *st, uint64_t e,
                                   const gdlab_schedule_view *v, double *momentum, char *err,
                                   size_t errlen)
{
    (void)momentum;
    if (e == 0)
        st->value = v->base;
    else
        st->value *= call(s, e, v, err, errlen);
    return st->value;
}

/* function — gdlab's own: the function returns the value itself, seeing the whole view. */
static double function_value(const gdlab_schedule *s, sched_state *st, uint64_t e,
                             const gdlab_schedule_view *v, double *momentum, char *err, size_t errlen)
{
    (void)st, (void)momentum;
    return call(s, e, v, err, errlen);
}

/* ---- compositions: sequential, chained ---------------------------------------------------------- */

/* sequential — torch SequentialLR: part i runs from milestone i − 1 (0 for the first) on, counting
 * its own steps from there. */
static double sequential_value(const gdlab_schedule *s, sched_state *st, uint64_t e,
                               const gdlab_schedule_view *v, double *momentum, char *err, size_t errlen)
{
    (void)momentum;
    const size_t i = milestones_passed(s, e);
    const uint64_t since = i ? e - (uint64_t)s->milestones[i - 1] : e;
    return gdlab_sched_value(s->parts[i], &st->parts[i], since, v, momentum, err, errlen);
}

static const char *sequential_check(const gdlab_schedule *s)
{
    if (s->n_parts < 1 || s->n_milestones + 1 != s->n_parts)
        return "needs one milestone fewer than parts, as in {\"sequential\", milestones = {5}, "
               "{\"linear\", start_factor = 0.1}, {\"cosine\", T_max = 95}}";
    return NULL;
}

/* chained — torch ChainedScheduler: every part steps every time, each multiplying the value by its
 * own factor, so the value is base·Π factor_i(e). Parts must be factor kinds. */
static double chained_value(const gdlab_schedule *s, sched_state *st, uint64_t e,
                            const gdlab_schedule_view *v, double *momentum, char *err, size_t errlen)
{
    gdlab_schedule_view unit = *v;
    unit.base = 1.0;
    double value = v->base;
    for (size_t i = 0; i < s->n_parts; i++)
        value *= gdlab_sched_value(s->parts[i], &st->parts[i], e, &unit, momentum, err, errlen);
    return value;
}

static const char *chained_check(const gdlab_schedule *s)
{
    if (s->n_parts < 1)
        return "needs parts, as in {\"chained\", {\"constant\", factor = 0.1, total_iters = 2}, "
               "{\"exponential\", gamma = 0.9}}";
    for (size_t i = 0; i < s->n_parts; i++)
        if (!(s->parts[i]->kind->traits & SCHED_FACTOR))
            return "its parts must multiply the value by a factor: constant, step, multistep, "
                   "exponential, linear, polynomial or multiplicative";
    return NULL;
}

/* ---- the table ----------------------------------------------------------------------------------- */

#define OPEN_LOOP(name, summary, traits, options, value, check)                                      \
    static const sched_kind name##_kind = {KIND_HEADER(#name, summary, NULL, options), 0, traits, NULL, \
                                           value, check}

OPEN_LOOP(constant, "torch ConstantLR: base*factor for total_iters steps, then base", SCHED_FACTOR,
          constant_options, constant_value, NULL);
OPEN_LOOP(step, "torch StepLR: base*gamma^floor(e/step_size)", SCHED_FACTOR, step_options, step_value,
          NULL);
OPEN_LOOP(exponential, "torch ExponentialLR: base*gamma^e", SCHED_FACTOR, exponential_options,
          exponential_value, NULL);
OPEN_LOOP(cosine, "torch CosineAnnealingLR: half a cosine from base to eta_min over T_max steps", 0,
          cosine_options, cosine_value, NULL);
OPEN_LOOP(cosine_restarts, "torch CosineAnnealingWarmRestarts (SGDR): cosines of growing periods", 0,
          restarts_options, restarts_value, NULL);
OPEN_LOOP(cyclic, "torch CyclicLR: a triangle wave between base and max_lr; momentum the other way",
          SCHED_MOMENTUM, cyclic_options, cyclic_value, NULL);
OPEN_LOOP(onecycle, "torch OneCycleLR: warm up to base, anneal far below; momentum the other way",
          SCHED_MOMENTUM, onecycle_options, onecycle_value, onecycle_check);
OPEN_LOOP(linear, "torch LinearLR: factor linear from start_factor to end_factor", SCHED_FACTOR,
          linear_options, linear_value, NULL);
OPEN_LOOP(polynomial, "torch PolynomialLR: base*(1 - e/total_iters)^power", SCHED_FACTOR,
          polynomial_options, polynomial_value, NULL);

static const sched_kind multistep_kind = {
    KIND_HEADER("multistep", "torch MultiStepLR: base*gamma^(milestones passed)",
                "milestones (required): a list of step counts, sorted for you",
                multistep_options),
    SCHED_MILESTONES, SCHED_FACTOR, NULL, multistep_value, multistep_check};
static const sched_kind plateau_kind = {
    KIND_HEADER("plateau", "torch ReduceLROnPlateau: multiply by factor when the loss stops improving",
                NULL, plateau_options),
    0, SCHED_LOOP, NULL, plateau_value, NULL};
static const sched_kind lambda_kind = {
    {GDLAB_ABI_VERSION, (uint32_t)sizeof(sched_kind), GDLAB_KIND_SCHEDULE, "lambda",
     "torch LambdaLR: base*lr_lambda(e)", "lr_lambda (required): a function of e = t - 1", NULL, 0},
    SCHED_FUNCTION, 0, "lr_lambda", lambda_value, NULL};
static const sched_kind multiplicative_kind = {
    {GDLAB_ABI_VERSION, (uint32_t)sizeof(sched_kind), GDLAB_KIND_SCHEDULE, "multiplicative",
     "torch MultiplicativeLR: the value times lr_lambda(e) at every step",
     "lr_lambda (required): a function of e = t - 1", NULL, 0},
    SCHED_FUNCTION, SCHED_FACTOR, "lr_lambda", multiplicative_value, NULL};
static const sched_kind function_kind = {
    {GDLAB_ABI_VERSION, (uint32_t)sizeof(sched_kind), GDLAB_KIND_SCHEDULE, "function",
     "the value is fn(view): the step t, the loss and gradient norm so far, the base value",
     "fn (required): a function of the view {t, loss, grad_norm, base}", NULL, 0},
    SCHED_FUNCTION, 0, "fn", function_value, NULL};
static const sched_kind sequential_kind = {
    {GDLAB_ABI_VERSION, (uint32_t)sizeof(sched_kind), GDLAB_KIND_SCHEDULE, "sequential",
     "torch SequentialLR: one part after the other, switching at the milestones",
     "milestones (required): the steps where the next part takes over\n"
     "parts: the schedules, one more than milestones", NULL, 0},
    SCHED_MILESTONES | SCHED_PARTS, 0, NULL, sequential_value, sequential_check};
static const sched_kind chained_kind = {
    {GDLAB_ABI_VERSION, (uint32_t)sizeof(sched_kind), GDLAB_KIND_SCHEDULE, "chained",
     "torch ChainedScheduler: the product of the parts' factors",
     "parts: schedules that multiply by a factor (constant, step, multistep, exponential,\n"
     "linear, polynomial, multiplicative, chained)", NULL, 0},
    SCHED_PARTS, SCHED_FACTOR, NULL, chained_value, chained_check};

const sched_kind *const gdlab_sched_kinds[] = {
    &constant_kind, &step_kind,   &multistep_kind, &exponential_kind, &cosine_kind,
    &cosine_restarts_kind, &cyclic_kind, &onecycle_kind, &linear_kind, &polynomial_kind,
    &lambda_kind, &multiplicative_kind, &function_kind, &plateau_kind, &sequential_kind,
    &chained_kind, NULL,
};

double gdlab_sched_value(const gdlab_schedule *s, sched_state *st, uint64_t e,
                         const gdlab_schedule_view *v, double *momentum, char *err, size_t errlen)
{
    return s->kind->value(s, st, e, v, momentum, err, errlen);
}
