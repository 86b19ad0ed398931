/* SPDX-License-Identifier: MIT */
/* run.c — one run, in three parts: begin (checks, x_0), iterate (one step), end (the trajectory).
 *
 * Per step the host evaluates f and ∇f at the new point (one evaluation), hands them to the
 * optimizer's next step with an oracle for evaluations elsewhere, decides whether the run stops, and
 * records the point when the record mode asks for it (trajectory.c). Every evaluation, the host's and
 * the oracle's, is counted. The per-step path is kept lean (docs/performance.md): no library calls
 * besides the plugin's two, stop rules as one pass of comparisons, nothing written per step that
 * nobody asked to keep. */
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "eigen.h"
#include "gdlab/gdlab.h"
#include "gdlab/progress.h"
#include "gdlab/schedule.h"
#include "plugin_call.h"
#include "trajectory.h"

const char *gdlab_status_name(gdlab_status s)
{
    switch (s) {
    case GDLAB_CONVERGED: return "converged";
    case GDLAB_DIVERGED: return "diverged";
    case GDLAB_MAX_STEPS: return "max_steps";
    case GDLAB_FAILED: return "failed";
    }
    return "unknown";
}

void gdlab_run_config_defaults(gdlab_run_config *cfg)
{
    *cfg = (gdlab_run_config){
        .start = NULL,
        .max_steps = 1000,
        .tol = NAN,
        .gtol = NAN,
        .bound = 1e3,
        .blowup = 1e8,
        .record_every = 1,
        .record_details = 1,
    };
}

/* The runner's per-run arrays, dim doubles each, in one block in this order from x: the step loop
 * reaches them from x alone, at offsets that are constants where dim is. */
enum scratch_array { AT_X, AT_GRAD, AT_STEP_GRAD, AT_X_T, AT_CENTRE, AT_HALF_WIDTH, AT_REACH, AT_SURE_REACH,
                     AT_CACHE_X, AT_CACHE_GRAD, SCRATCH_ARRAYS };

struct gdlab_runner {
    const gdlab_surface *s;
    double (*eval)(const void *state, const double *x, double *grad); /* the surface's own */
    const void *surface_state;
    const gdlab_surface_desc *sd; /* for the crash marker (plugin_call.h) */
    const gdlab_optimizer_desc *od;
    const double *params;
    gdlab_run_config cfg;
    size_t dim;
    void *state;             /* the optimizer's, for this run alone */
    gdlab_schedule_run *schedules; /* what drives the optimizer's parameters (schedule.h) */
    const double *step_params;     /* this step's parameter values: params, or the schedules' copy */
    gdlab_inner_run *inner;        /* the optimizer a wrapper (lookahead) wraps, with its own state */
    int stochastic, stopped, check_gtol;
    int schedule_or_sample;  /* either needs work before each step (prepare_step) */
    int loop;                /* enum loop_kind: which step loop steps() takes, chosen at begin */
    gdlab_step step;         /* what the optimizer's step sees; its constant fields are set once */
    double base_lr, lr;      /* lr: the rate of the last step */
    uint64_t k;              /* steps taken */
    double f, f0, f_min, blowup_margin; /* blowup_margin = blowup·(1 + |f(x_0)|) */
    /* The stop rules on f alone, as two bounds (loss_bounds): a finite f goes on exactly when
     * f_converged < f <= f_blown_up. */
    double f_blown_up, f_converged;
    /* One block of dim-long arrays (enum scratch_array), then the Hessian's scratch. */
    double *x, *grad, *step_grad, *x_t, *centre, *half_width, *reach, *sure_reach, *cache_x, *cache_grad, *hess;
    /* The oracle: a one-entry cache of its last evaluation. At the start of a step the entry is the
     * host's point x_t (with its exact gradient, in grad); the host's own evaluation after the step
     * reuses only what the oracle paid for in that step (a line search ending on the next point). */
    gdlab_oracle oracle;
    uint64_t evals, hessian_evals;
    double cache_f;
    enum { CACHE_HOST_POINT, CACHE_VALUE, CACHE_VALUE_AND_GRAD } cache; /* HOST_POINT at each step's start */
    recorder rec;
};

static int same_point(const double *a, const double *b, size_t dim)
{
    for (size_t i = 0; i < dim; i++)
        if (a[i] != b[i] && a[i] == a[i]) return 0; /* numerically different, not NaN: bits differ */
    return memcmp(a, b, dim * sizeof *a) == 0; /* bitwise, as a cache must be (-0.0, NaN) */
}

static void copy(double *to, const double *from, size_t n)
{
    for (size_t i = 0; i < n; i++)
        to[i] = from[i];
}

/* The surface's eval, called directly (not through gdlab_surface_eval) on the hot path, but still
 * marked so that a crash in it names the surface (plugin_call.h). */
static inline double surface_eval(const gdlab_runner *r, const double *x, double *grad)
{
    double f;
    GDLAB_MARKED(r->sd, grad ? "eval (with gradient)" : "eval", f = r->eval(r->surface_state, x, grad));
    return f;
}

static double oracle_eval(void *p, const double *x, double *grad)
{
    gdlab_runner *r = p;
    const size_t dim = r->dim;
    if (r->cache == CACHE_HOST_POINT && same_point(x, r->x_t, dim)) {
        if (grad) copy(grad, r->grad, dim);
        return r->f;
    }
    if (r->cache != CACHE_HOST_POINT && (!grad || r->cache == CACHE_VALUE_AND_GRAD) &&
        same_point(x, r->cache_x, dim)) {
        if (grad) copy(grad, r->cache_grad, dim);
        return r->cache_f;
    }
    r->evals++;
    memmove(r->cache_x, x, dim * sizeof *x); /* x may be cache_x itself */
    r->cache_f = surface_eval(r, r->cache_x, grad ? r->cache_grad : NULL);
    r->cache = grad ? CACHE_VALUE_AND_GRAD : CACHE_VALUE;
    if (grad) copy(grad, r->cache_grad, dim);
    return r->cache_f;
}

static int oracle_hessian(void *p, const double *x, double *hess)
{
    gdlab_runner *r = p;
    if (!gdlab_surface_has_hessian(r->s)) return -1;
    r->hessian_evals++;
    return gdlab_surface_hessian(r->s, x, hess);
}

/* ---- stop rules ---------------------------------------------------------------------------------- */

static double norm2(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i] * v[i];
    return sqrt(s);
}

static void set_reason(gdlab_runner *r, gdlab_status status, uint64_t step, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->rec.t.reason, sizeof r->rec.t.reason, fmt, ap);
    va_end(ap);
    r->rec.t.status = status;
    r->rec.t.stop_step = step;
    r->stopped = 1;
}

/* The max_steps rule: the current point is the last one allowed. */
static void ran_out(gdlab_runner *r)
{
    set_reason(r, GDLAB_MAX_STEPS, r->k, "ran out of steps (%llu) at loss %g", (unsigned long long)r->k,
               r->f);
}

/* Which divergence rule the current point breaks, in the order they are documented; called only when
 * the one-pass check in stop_rules found that one does. */
static void explain_divergence(gdlab_runner *r)
{
    const uint64_t k = r->k;
    const double f = r->f;
    const unsigned long long kk = (unsigned long long)k;
    if (!isfinite(f)) {
        set_reason(r, GDLAB_DIVERGED, k, "loss became %g at step %llu", f, kk);
        return;
    }
    for (size_t i = 0; i < r->dim; i++) {
        const double xi = r->x[i];
        if (!isfinite(xi) || !isfinite(r->grad[i])) {
            set_reason(r, GDLAB_DIVERGED, k, "%s became non-finite at step %llu",
                       isfinite(xi) ? "the gradient" : "the point", kk);
            return;
        }
        if (fabs(xi - r->centre[i]) > r->reach[i]) {
            set_reason(r, GDLAB_DIVERGED, k,
                       "left the bound at step %llu: x[%zu] = %g is more than %g half-widths of the "
                       "domain from its centre", kk, i + 1, xi, r->cfg.bound);
            return;
        }
    }
    set_reason(r, GDLAB_DIVERGED, k, "loss blew up from %g to %g at step %llu", r->f0, f, kk);
}

/* The rules on f are `f - a <= b` (blowup: a = f0, b = its margin; tol: a = f_min, b = tol). Over the
 * finite doubles f - a rounds monotonically in f, so each holds up to some f and not above it: the
 * largest finite f for which f - a <= b holds, -INFINITY when it holds for none. Found once per run by
 * bisection over the doubles in order (their bits, sign-folded, as integers), so that the per-step
 * test is two comparisons with the very same outcome as the rules. */
static int64_t double_order(double d)
{
    int64_t i;
    memcpy(&i, &d, sizeof i);
    return i < 0 ? -(i & INT64_MAX) : i; /* -0.0 and 0.0 are both 0 */
}

static double double_at(int64_t key)
{
    const int64_t i = key < 0 ? (-key) | INT64_MIN : key;
    double d;
    memcpy(&d, &i, sizeof d);
    return d;
}

static double largest_within(double a, double b)
{
    if (!(-DBL_MAX - a <= b)) return -INFINITY;
    if (DBL_MAX - a <= b) return DBL_MAX;
    int64_t lo = double_order(-DBL_MAX), hi = double_order(DBL_MAX); /* holds at lo, not at hi */
    /* the answer is usually within a bit or two of a + b: narrow to 4 bits either side of it where
     * that keeps "holds at lo, not at hi", so that the bisection takes a few rounds, not 64 */
    const int64_t guess = double_order(a + b), below = guess - 4, above = guess + 4;
    if (a + b == a + b && below > lo && below < hi && double_at(below) - a <= b) lo = below;
    if (a + b == a + b && above > lo && above < hi && !(double_at(above) - a <= b)) hi = above;
    uint64_t gap; /* hi - lo, which can pass INT64_MAX */
    while ((gap = (uint64_t)hi - (uint64_t)lo) > 1) {
        const int64_t mid = lo + (int64_t)(gap / 2);
        if (double_at(mid) - a <= b)
            lo = mid;
        else
            hi = mid;
    }
    return double_at(lo);
}

static void loss_bounds(gdlab_runner *r)
{
    r->f_blown_up = largest_within(r->f0, r->blowup_margin);
    r->f_converged = largest_within(r->f_min, r->cfg.tol); /* -INFINITY without tol (NaN) */
}

/* 1 when the current point certainly does not end the run: a few well-predicted comparisons, for a
 * run without gtol (gtol: 0; else the caller passes r->check_gtol). A NaN fails every comparison, and
 * so does an infinite f (loss_bounds); an infinite or NaN ∇f_i makes `zero` non-zero; x_i within
 * sure_reach (the bound's reach, at most DBL_MAX) of the centre is finite and within the bound. dim is
 * r->dim, a constant where the caller is specialised for one. */
static inline __attribute__((always_inline)) int goes_on(const gdlab_runner *r, const double *x, size_t dim,
                                                         int gtol)
{
    const double f = r->f;
    if (!(f <= r->f_blown_up && f > r->f_converged) || gtol) return 0;
    const double *g = x + AT_GRAD * dim, *centre = x + AT_CENTRE * dim, *sure_reach = x + AT_SURE_REACH * dim;
    for (size_t i = 0; i < dim; i++)
        if (!(fabs(x[i] - centre[i]) <= sure_reach[i])) return 0;
    double zero = g[0] * 0.0;
    for (size_t i = 1; i < dim; i++)
        zero += g[i] * 0.0;
    return zero == 0;
}

/* Decides whether the current point ends the run (status and reason set), rule by rule in their
 * documented order; the per-step path calls it only when goes_on could not rule a stop out. */
static void stop_rules(gdlab_runner *r)
{
    const double f = r->f;
    int ok = fabs(f) <= DBL_MAX && f - r->f0 <= r->blowup_margin;
    double zero = 0;
    for (size_t i = 0; i < r->dim; i++) {
        ok &= fabs(r->x[i] - r->centre[i]) <= r->reach[i];
        zero += r->x[i] * 0.0 + r->grad[i] * 0.0;
    }
    if (!ok || zero != 0) {
        explain_divergence(r);
        return;
    }
    const unsigned long long k = (unsigned long long)r->k;
    if (f - r->f_min <= r->cfg.tol) { /* false when tol is NaN */
        set_reason(r, GDLAB_CONVERGED, r->k, "loss %g within tol %g of the minimum %g at step %llu", f,
                   r->cfg.tol, r->f_min, k);
        return;
    }
    if (r->check_gtol) {
        const double gn = norm2(r->grad, r->dim);
        if (gn <= r->cfg.gtol)
            set_reason(r, GDLAB_CONVERGED, r->k, "gradient norm %g <= gtol %g at step %llu", gn,
                       r->cfg.gtol, k);
    }
}

/* ---- recording: the one place a point is kept ---------------------------------------------------- */

/* The extreme eigenvalues of the Hessian at x into out[0] (λmin) and out[1] (λmax); hess is scratch
 * for dim*dim + dim doubles. Not counted as evaluations: it observes the run, it is not part of it. */
static void record_curvature(const gdlab_surface *s, const double *x, double *hess, double *out)
{
    const size_t dim = gdlab_surface_dim(s);
    double *lambda = hess + dim * dim;
    gdlab_surface_hessian(s, x, hess);
    gdlab_symmetric_eigenvalues(hess, dim, lambda);
    out[0] = lambda[0];
    out[1] = lambda[dim - 1];
}

/* Keeps the current point: lr is the rate of the step that led here. */
static int push_point(gdlab_runner *r, double lr, char *err, size_t errlen)
{
    double *internals, *curvature;
    if (recorder_push(&r->rec, r->k, r->x, r->f, r->grad, lr, r->evals, &internals, &curvature, err,
                      errlen))
        return -1;
    if (curvature) record_curvature(r->s, r->x, r->hess, curvature);
    if (internals) {
        if (r->k == 0)
            for (size_t j = 0; j < r->rec.t.n_internals; j++) internals[j] = NAN;
        else
            gdlab_call_read_internals(r->od, r->state, r->dim, r->params, internals);
    }
    return 0;
}

/* The one place a point is recorded: the summary always, the point itself when the record mode asks
 * for it (or `force`). (The lean path loop below has this inlined, for the points on its grid.) */
static inline int record_point(gdlab_runner *r, double lr, int force, char *err, size_t errlen)
{
    gdlab_trajectory *t = &r->rec.t;
    if (r->f < t->min_loss) t->min_loss = r->f;
    r->lr = lr;
    if (!recorder_due(&r->rec, r->stopped) && !(force && t->every)) return 0;
    if (!recorder_push_lean(&r->rec, r->k, r->x, r->f, r->evals, r->dim)) return 0;
    return push_point(r, lr, err, errlen);
}

/* A run ending off its grid (max_steps, or ended before a stop rule) keeps its current point too. */
static int keep_last_point(gdlab_runner *r, char *err, size_t errlen)
{
    const gdlab_trajectory *t = &r->rec.t;
    if (!t->every || (t->n > 0 && t->steps == r->k)) return 0; /* keeps no points, or kept this one */
    return record_point(r, r->lr, 1, err, errlen);
}

/* A well-mixed 64-bit draw number from (seed, step): splitmix64's finaliser. */
static uint64_t draw_number(uint64_t seed, uint64_t t)
{
    uint64_t z = seed + 0x9e3779b97f4a7c15ull * (t + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* ---- begin, iterate, end ------------------------------------------------------------------------- */

/* The step loops (steps): the general one tests, every step, everything a run can ask for; a run that
 * needs nothing per step but its stop rules (no schedule, sampled gradient or gtol) and its summary,
 * or its summary and x and f on its grid, takes a lean instance with none of those tests. */
enum loop_kind { LOOP_SUMMARY, LOOP_PATH, LOOP_GENERAL };

static int choose_loop(const gdlab_runner *r)
{
    const recorder *rec = &r->rec;
    if (r->schedule_or_sample || r->check_gtol) return LOOP_GENERAL;
    if (rec->t.every == 0) return LOOP_SUMMARY;
    return rec->details || rec->curvature || rec->t.n_internals ? LOOP_GENERAL : LOOP_PATH;
}

static int check_config(const gdlab_run_config *cfg, char *err, size_t errlen)
{
    if (!(cfg->bound > 0)) {
        snprintf(err, errlen, "run: bound must be > 0, got %g", cfg->bound);
        return -1;
    }
    if (!(cfg->blowup > 0)) {
        snprintf(err, errlen, "run: blowup must be > 0, got %g", cfg->blowup);
        return -1;
    }
    if (cfg->tol < 0 || cfg->gtol < 0) {
        snprintf(err, errlen, "run: tol and gtol must be >= 0, got %g and %g", cfg->tol, cfg->gtol);
        return -1;
    }
    return 0;
}

static size_t internals_width(const gdlab_optimizer_desc *d, size_t dim)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n_internals; i++)
        n += d->internals[i].per_coordinate ? dim : 1;
    return n;
}

static void runner_free(gdlab_runner *r)
{
    gdlab_schedules_end(r->schedules);
    gdlab_inner_end(r->inner);
    free(r->state);
    free(r->x);
    recorder_free(&r->rec);
    free(r);
}

gdlab_runner *gdlab_run_begin(const gdlab_surface *s, const gdlab_optimizer *o,
                              const gdlab_run_config *cfg, char *err, size_t errlen)
{
    if (check_config(cfg, err, errlen)) return NULL;
    const gdlab_optimizer_desc *od = gdlab_optimizer_desc_of(o);
    if (cfg->record_curvature && !gdlab_surface_has_hessian(s)) {
        snprintf(err, errlen, "run: curvature needs the Hessian, and surface '%s' has none",
                 gdlab_surface_desc_of(s)->h.name);
        return NULL;
    }
    const size_t dim = gdlab_surface_dim(s);
    gdlab_runner *r = calloc(1, sizeof *r);
    if (!r) goto oom;
    *r = (gdlab_runner){
        .s = s,
        .eval = gdlab_surface_desc_of(s)->eval,
        .sd = gdlab_surface_desc_of(s),
        .surface_state = gdlab_surface_state(s),
        .od = od,
        .params = gdlab_optimizer_params(o),
        .cfg = *cfg,
        .dim = dim,
        .stochastic = gdlab_surface_desc_of(s)->eval_sample != NULL,
        .base_lr = gdlab_optimizer_lr(o),
        .f_min = gdlab_surface_min_value(s),
    };
    r->oracle = (gdlab_oracle){oracle_eval, oracle_hessian, r};
    const size_t n_internals = cfg->record_internals && od->read_internals ? internals_width(od, dim) : 0;
    if (recorder_init(&r->rec, cfg, dim, n_internals, err, errlen)) {
        free(r);
        return NULL;
    }
    /* One block for all per-run scratch. */
    r->x = calloc(SCRATCH_ARRAYS * dim + (cfg->record_curvature ? dim * dim + dim : 0), sizeof(double));
    const size_t state_size = gdlab_call_state_size(od, dim, r->params);
    r->state = state_size ? calloc(1, state_size) : NULL;
    if (!r->x || (state_size && !r->state)) goto oom;
    if (!(r->schedules = gdlab_schedules_begin(cfg->schedule, o, err, errlen))) {
        runner_free(r);
        return NULL;
    }
    r->step_params = r->params;
    r->grad = r->x + AT_GRAD * dim;
    r->step_grad = r->x + AT_STEP_GRAD * dim;
    r->x_t = r->x + AT_X_T * dim;
    r->centre = r->x + AT_CENTRE * dim;
    r->half_width = r->x + AT_HALF_WIDTH * dim;
    r->reach = r->x + AT_REACH * dim;
    r->sure_reach = r->x + AT_SURE_REACH * dim;
    r->cache_x = r->x + AT_CACHE_X * dim;
    r->cache_grad = r->x + AT_CACHE_GRAD * dim;
    r->hess = r->x + SCRATCH_ARRAYS * dim;

    double *lo = r->centre, *hi = r->half_width;
    gdlab_surface_domain(s, lo, hi);
    for (size_t i = 0; i < dim; i++) {
        const double l = lo[i], h = hi[i];
        r->centre[i] = 0.5 * (l + h);
        r->half_width[i] = 0.5 * (h - l);
        r->reach[i] = cfg->bound * r->half_width[i];
        r->sure_reach[i] = r->reach[i] > DBL_MAX ? DBL_MAX : r->reach[i]; /* NaN stays NaN */
    }
    if (cfg->start)
        memcpy(r->x, cfg->start, dim * sizeof(double));
    else
        gdlab_surface_start(s, r->x);
    for (size_t i = 0; i < dim; i++)
        if (!isfinite(r->x[i])) {
            snprintf(err, errlen, "run: start[%zu] = %g is not a finite number", i + 1, r->x[i]);
            runner_free(r);
            return NULL;
        }
    {
        const char *problem = gdlab_call_init(od, r->state, dim, r->params, r->x);
        if (problem) {
            snprintf(err, errlen, "optimizer '%s': %s", od->h.name, problem);
            runner_free(r);
            return NULL;
        }
    }
    if (!(r->inner = gdlab_inner_begin(o, dim, r->x, err, errlen))) {
        runner_free(r);
        return NULL;
    }
    r->check_gtol = !isnan(cfg->gtol);
    r->schedule_or_sample = cfg->schedule || r->stochastic;
    r->loop = choose_loop(r);
    r->step = (gdlab_step){.dim = dim, .x = r->x, .oracle = &r->oracle, .inner = gdlab_inner_of(r->inner)};
    r->evals = 1;
    r->f = r->f0 = r->rec.t.min_loss = surface_eval(r, r->x, r->grad);
    r->blowup_margin = cfg->blowup * (1.0 + fabs(r->f0));
    loss_bounds(r);
    stop_rules(r);
    if (!r->stopped && cfg->max_steps == 0) ran_out(r);
    if (record_point(r, NAN, 0, err, errlen)) {
        runner_free(r);
        return NULL;
    }
    return r;
oom:
    snprintf(err, errlen, "run: out of memory");
    if (r) runner_free(r);
    return NULL;
}

/* The schedules' parameter values for step k (they see the loss and gradient norm at x_{k-1}) and a
 * stochastic surface's sampled gradient: 1 if a schedule gave a value its parameter does not allow. */
static int prepare_step(gdlab_runner *r, uint64_t k)
{
    gdlab_step *step = &r->step;
    if (r->cfg.schedule) {
        char problem[sizeof r->rec.t.reason];
        r->step_params = gdlab_schedules_apply(r->schedules, k, r->f, norm2(r->grad, r->dim), &step->lr,
                                               problem, sizeof problem);
        if (!r->step_params) {
            r->step_params = r->params;
            set_reason(r, GDLAB_FAILED, k, "%s", problem);
            return 1;
        }
    }
    if (r->stochastic) {
        r->evals++;
        gdlab_surface_eval_sample(r->s, r->x, r->step_grad, draw_number(r->cfg.seed, k));
        step->grad = r->step_grad;
    }
    return 0;
}

/* The marked calls of the step loop: each record is made once per call of steps(), so that a call
 * costs two thread-local stores (plugin_call.h). */
typedef struct step_calls {
    gdlab_plugin_call step, eval;
} step_calls;

/* One step. `kind` (enum loop_kind) and `dim` (r->dim) are constants where this is inlined. The lean
 * kinds have no test of schedules, sampled gradients, gtol or max_steps (their loop ends its stretches
 * at max_steps and says why); LOOP_PATH records the points on its grid in place, inline. */
static inline __attribute__((always_inline)) int one_step(gdlab_runner *r, double *x, const step_calls *calls,
                                                          int kind, size_t dim, char *err, size_t errlen)
{
    double *grad = x + AT_GRAD * dim; /* x is r->x: the block's arrays are reached from it (scratch_array) */
    const uint64_t k = r->k + 1;
    gdlab_step *step = &r->step;
    step->t = k;
    step->f = r->f;
    if (kind == LOOP_GENERAL) { /* a lean loop sets them once: nothing changes them */
        step->lr = r->base_lr;
        step->grad = grad;
        if (r->schedule_or_sample && prepare_step(r, k)) return 1;
    }
    copy(x + AT_X_T * dim, x, dim);
    r->cache = CACHE_HOST_POINT;
    const char *problem;
    GDLAB_MARKED_AGAIN(&calls->step, problem = r->od->step(r->state, r->step_params, step));
    if (problem) {
        set_reason(r, GDLAB_FAILED, k, "optimizer '%s' at step %llu: %s", r->od->h.name,
                   (unsigned long long)k, problem);
        return 1;
    }
    /* the oracle evaluated in this step (the cache was the host's point before it): x_{t+1} for free? */
    if (r->cache == CACHE_VALUE_AND_GRAD && same_point(x, x + AT_CACHE_X * dim, dim)) {
        r->f = r->cache_f;
        copy(grad, x + AT_CACHE_GRAD * dim, dim);
    } else {
        r->evals++;
        double f;
        GDLAB_MARKED_AGAIN(&calls->eval, f = r->eval(r->surface_state, x, grad));
        r->f = f;
    }
    r->k = k;
    if (kind == LOOP_GENERAL) {
        if (!goes_on(r, x, dim, r->check_gtol)) stop_rules(r);
        if (k == r->cfg.max_steps && !r->stopped) ran_out(r);
        if (record_point(r, step->lr, 0, err, errlen)) return -1;
        return r->stopped;
    }
    if (!goes_on(r, x, dim, 0)) {
        stop_rules(r);
        if (r->stopped) return record_point(r, step->lr, 0, err, errlen) ? -1 : 1;
    }
    if (r->f < r->rec.t.min_loss) r->rec.t.min_loss = r->f;
    if (kind == LOOP_PATH && recorder_on_grid(&r->rec) &&
        recorder_push_lean(&r->rec, k, x, r->f, r->evals, dim) && push_point(r, step->lr, err, errlen))
        return -1;
    return 0;
}

/* Steps until the run stops or has taken `until` steps (at most max_steps): 0 or 1 as one_step, -1
 * when recording ran out of memory. One instance for each kind of loop, the lean ones also for two
 * dimensions (the surfaces one looks at), where copies and checks of x and ∇f lose their loops. */
static inline __attribute__((always_inline)) int loop(gdlab_runner *r, uint64_t until, const step_calls *calls,
                                                      int kind, size_t dim, char *err, size_t errlen)
{
    int rc = 0;
    double *const x = r->x;
    if (kind != LOOP_GENERAL) {
        r->step.lr = r->base_lr;
        r->step.grad = r->grad;
    }
    while (rc == 0 && r->k < until)
        rc = one_step(r, x, calls, kind, dim, err, errlen);
    if (kind == LOOP_GENERAL) return rc;
    r->lr = r->base_lr;
    if (rc == 0 && r->k == r->cfg.max_steps) {
        ran_out(r);
        rc = keep_last_point(r, err, errlen) ? -1 : 1;
    }
    return rc;
}

static int steps_summary_2d(gdlab_runner *r, uint64_t until, const step_calls *calls, char *err, size_t errlen)
{
    return loop(r, until, calls, LOOP_SUMMARY, 2, err, errlen);
}

static int steps_summary(gdlab_runner *r, uint64_t until, const step_calls *calls, char *err, size_t errlen)
{
    return loop(r, until, calls, LOOP_SUMMARY, r->dim, err, errlen);
}

static int steps_path_2d(gdlab_runner *r, uint64_t until, const step_calls *calls, char *err, size_t errlen)
{
    return loop(r, until, calls, LOOP_PATH, 2, err, errlen);
}

static int steps_path(gdlab_runner *r, uint64_t until, const step_calls *calls, char *err, size_t errlen)
{
    return loop(r, until, calls, LOOP_PATH, r->dim, err, errlen);
}

static int steps_general(gdlab_runner *r, uint64_t until, const step_calls *calls, char *err, size_t errlen)
{
    return loop(r, until, calls, LOOP_GENERAL, r->dim, err, errlen);
}

static int steps(gdlab_runner *r, uint64_t until, char *err, size_t errlen)
{
    step_calls calls = {{&r->od->h, NULL, "step", NULL}, {&r->sd->h, NULL, "eval (with gradient)", NULL}};
    gdlab_plugin_call_prepare(&calls.step);
    gdlab_plugin_call_prepare(&calls.eval);
    const int two_d = r->dim == 2;
    switch (r->loop) {
    case LOOP_SUMMARY:
        return (two_d ? steps_summary_2d : steps_summary)(r, until, &calls, err, errlen);
    case LOOP_PATH:
        return (two_d ? steps_path_2d : steps_path)(r, until, &calls, err, errlen);
    default:
        return steps_general(r, until, &calls, err, errlen);
    }
}

int gdlab_run_steps(gdlab_runner *r, uint64_t n, char *err, size_t errlen)
{
    if (r->stopped || n == 0) return 0;
    const uint64_t left = r->cfg.max_steps - r->k; /* >= 1: a run at max_steps has stopped */
    return steps(r, r->k + (n < left ? n : left), err, errlen) < 0 ? -1 : r->stopped;
}

int gdlab_run_iterate(gdlab_runner *r, char *err, size_t errlen)
{
    return gdlab_run_steps(r, 1, err, errlen);
}

int gdlab_runner_stopped(const gdlab_runner *r)
{
    return r->stopped;
}

uint64_t gdlab_runner_step(const gdlab_runner *r)
{
    return r->k;
}

const double *gdlab_runner_x(const gdlab_runner *r)
{
    return r->x;
}

double gdlab_runner_loss(const gdlab_runner *r)
{
    return r->f;
}

const double *gdlab_runner_grad(const gdlab_runner *r)
{
    return r->grad;
}

const gdlab_trajectory *gdlab_runner_trajectory(const gdlab_runner *r)
{
    gdlab_trajectory *t = (gdlab_trajectory *)&r->rec.t; /* the summary is brought up to date here */
    t->steps = r->k;
    t->final_loss = r->f;
    t->total_evals = r->evals;
    t->hessian_evals = r->hessian_evals;
    return t;
}

void gdlab_run_end(gdlab_runner *r, gdlab_trajectory *out)
{
    if (!r) return;
    if (!r->stopped) {
        set_reason(r, GDLAB_MAX_STEPS, r->k, "ended after %llu steps, before a stop rule, at loss %g",
                   (unsigned long long)r->k, r->f);
        char err[GDLAB_ERRLEN];
        (void)keep_last_point(r, err, sizeof err); /* no memory: it ends earlier */
    }
    gdlab_runner_trajectory(r);
    if (out) {
        recorder_trim(&r->rec);
        *out = r->rec.t;
        memset(&r->rec.t, 0, sizeof r->rec.t);
    }
    runner_free(r);
}

int gdlab_run(const gdlab_surface *s, const gdlab_optimizer *o, const gdlab_run_config *cfg,
              gdlab_trajectory *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    gdlab_runner *r = gdlab_run_begin(s, o, cfg, err, errlen);
    if (!r) return -1;
    gdlab_progress *progress = gdlab_progress_start("run", "steps", cfg->max_steps); /* NULL in a sweep */
    while (!r->stopped) { /* in stretches of up to 1024 steps, a count on the bar for each */
        const uint64_t before = r->k, left = cfg->max_steps - before;
        if (steps(r, before + (left < 1024 ? left : 1024), err, errlen) < 0) {
            gdlab_progress_end(progress);
            gdlab_run_end(r, NULL);
            return -1;
        }
        gdlab_progress_add(progress, r->k - before);
    }
    gdlab_progress_end(progress);
    gdlab_run_end(r, out);
    return 0;
}
