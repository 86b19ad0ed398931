/* run.c — one run: the step loop, stop rules, divergence detection and the trajectory.
 *
 * Per step the host evaluates f and ∇f at the current point (one evaluation), hands them to the
 * optimizer's step with an oracle for evaluations elsewhere, and records the new point. Every
 * evaluation, the host's and the oracle's, is counted. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "eigen.h"
#include "gdlab/gdlab.h"
#include "gdlab/schedule.h"

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
    };
}

/* ---- the oracle, with a one-entry cache --------------------------------------------------------- */

typedef struct host {
    const gdlab_surface *s;
    size_t dim;
    uint64_t evals, hessian_evals;
    /* The last evaluation: a line search usually ends on the point the host evaluates next, and that
     * should not be paid for (or counted) twice. */
    double *cache_x, *cache_grad, cache_f;
    enum { CACHE_EMPTY, CACHE_VALUE, CACHE_VALUE_AND_GRAD } cache;
} host;

static double host_eval(void *p, const double *x, double *grad)
{
    host *h = p;
    const size_t bytes = h->dim * sizeof(double);
    if (h->cache != CACHE_EMPTY && memcmp(x, h->cache_x, bytes) == 0 &&
        (!grad || h->cache == CACHE_VALUE_AND_GRAD)) {
        if (grad) memcpy(grad, h->cache_grad, bytes);
        return h->cache_f;
    }
    h->evals++;
    memmove(h->cache_x, x, bytes); /* x may be cache_x itself */
    h->cache_f = gdlab_surface_eval(h->s, x, grad ? h->cache_grad : NULL);
    h->cache = grad ? CACHE_VALUE_AND_GRAD : CACHE_VALUE;
    if (grad) memcpy(grad, h->cache_grad, bytes);
    return h->cache_f;
}

static int host_hessian(void *p, const double *x, double *hess)
{
    host *h = p;
    if (!gdlab_surface_has_hessian(h->s)) return -1;
    h->hessian_evals++;
    return gdlab_surface_hessian(h->s, x, hess);
}

/* ---- the trajectory ------------------------------------------------------------------------------ */

static int trajectory_reserve(gdlab_trajectory *t, size_t *cap, size_t need, int want_curvature)
{
    if (need <= *cap) return 0;
    size_t ncap = *cap ? *cap * 2 : 256;
    while (ncap < need)
        ncap *= 2;
    double *x = realloc(t->x, ncap * t->dim * sizeof(double));
    if (x) t->x = x;
    double *loss = realloc(t->loss, ncap * sizeof(double));
    if (loss) t->loss = loss;
    double *gn = realloc(t->grad_norm, ncap * sizeof(double));
    if (gn) t->grad_norm = gn;
    double *lr = realloc(t->lr, ncap * sizeof(double));
    if (lr) t->lr = lr;
    uint64_t *ev = realloc(t->evals, ncap * sizeof(uint64_t));
    if (ev) t->evals = ev;
    int internals_ok = 1;
    if (t->curvature || want_curvature) {
        double *cv = realloc(t->curvature, ncap * 2 * sizeof(double));
        if (cv) t->curvature = cv;
        internals_ok = cv != NULL;
    }
    if (t->n_internals) {
        double *in = realloc(t->internals, ncap * t->n_internals * sizeof(double));
        if (in) t->internals = in;
        internals_ok = in != NULL;
    }
    if (!x || !loss || !gn || !lr || !ev || !internals_ok) return -1;
    *cap = ncap;
    return 0;
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

static size_t internals_width(const gdlab_optimizer_desc *d, size_t dim)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n_internals; i++)
        n += d->internals[i].per_coordinate ? dim : 1;
    return n;
}

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

/* ---- stop rules ---------------------------------------------------------------------------------- */

static double norm2(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i] * v[i];
    return sqrt(s);
}

static void set_reason(gdlab_trajectory *t, gdlab_status status, uint64_t step, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->reason, sizeof t->reason, fmt, ap);
    va_end(ap);
    t->status = status;
    t->stop_step = step;
}

typedef struct limits {
    double f0, f_min;
    const double *centre, *half_width;
} limits;

/* Decides whether point k ends the run; returns 1 if it does (status and reason set). */
static int stop_at(gdlab_trajectory *t, const gdlab_run_config *cfg, const limits *lim, uint64_t k,
                   const double *grad)
{
    const size_t dim = t->dim;
    const double *x = t->x + k * dim, f = t->loss[k];
    if (!isfinite(f)) {
        set_reason(t, GDLAB_DIVERGED, k, "loss became %g at step %llu", f, (unsigned long long)k);
        return 1;
    }
    for (size_t i = 0; i < dim; i++) {
        if (!isfinite(x[i]) || !isfinite(grad[i])) {
            set_reason(t, GDLAB_DIVERGED, k, "%s became non-finite at step %llu",
                       isfinite(x[i]) ? "the gradient" : "the point", (unsigned long long)k);
            return 1;
        }
        if (fabs(x[i] - lim->centre[i]) > cfg->bound * lim->half_width[i]) {
            set_reason(t, GDLAB_DIVERGED, k,
                       "left the bound at step %llu: x[%zu] = %g is more than %g half-widths of the "
                       "domain from its centre", (unsigned long long)k, i + 1, x[i], cfg->bound);
            return 1;
        }
    }
    if (f - lim->f0 > cfg->blowup * (1.0 + fabs(lim->f0))) {
        set_reason(t, GDLAB_DIVERGED, k, "loss blew up from %g to %g at step %llu", lim->f0, f,
                   (unsigned long long)k);
        return 1;
    }
    if (!isnan(cfg->tol) && f - lim->f_min <= cfg->tol) {
        set_reason(t, GDLAB_CONVERGED, k, "loss %g within tol %g of the minimum %g at step %llu", f,
                   cfg->tol, lim->f_min, (unsigned long long)k);
        return 1;
    }
    if (!isnan(cfg->gtol) && t->grad_norm[k] <= cfg->gtol) {
        set_reason(t, GDLAB_CONVERGED, k, "gradient norm %g <= gtol %g at step %llu", t->grad_norm[k],
                   cfg->gtol, (unsigned long long)k);
        return 1;
    }
    return 0;
}

/* A well-mixed 64-bit draw number from (seed, step): splitmix64's finaliser. */
static uint64_t draw_number(uint64_t seed, uint64_t t)
{
    uint64_t z = seed + 0x9e3779b97f4a7c15ull * (t + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* ---- the loop ------------------------------------------------------------------------------------ */

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

int gdlab_run(const gdlab_surface *s, const gdlab_optimizer *o, const gdlab_run_config *cfg,
              gdlab_trajectory *t, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    if (check_config(cfg, err, errlen)) return -1;
    const gdlab_optimizer_desc *od = gdlab_optimizer_desc_of(o);
    const int stochastic = gdlab_surface_desc_of(s)->eval_sample != NULL;
    const double *params = gdlab_optimizer_params(o);
    const size_t dim = gdlab_surface_dim(s);
    if (cfg->record_curvature && !gdlab_surface_has_hessian(s)) {
        snprintf(err, errlen, "run: curvature needs the Hessian, and surface '%s' has none",
                 gdlab_surface_desc_of(s)->h.name);
        return -1;
    }
    t->dim = dim;
    t->n_internals = cfg->record_internals && od->read_internals ? internals_width(od, dim) : 0;

    /* One block for all per-run scratch: point, gradients, bounds and the oracle's cache. */
    double *scratch = calloc(8 * dim + (cfg->record_curvature ? dim * dim + dim : 0), sizeof(double));
    size_t state_size = od->state_size ? od->state_size(dim, params) : 0;
    void *state = state_size ? calloc(1, state_size) : NULL;
    size_t cap = 0;
    int result = -1;
    host h = {.s = s, .dim = dim};
    gdlab_schedule_run *schedules = NULL; /* the parameter values of each step */
    gdlab_inner_run *inner = NULL;        /* what a wrapper (lookahead) wraps */
    if (!scratch || (state_size && !state) || trajectory_reserve(t, &cap, 1, cfg->record_curvature)) {
        snprintf(err, errlen, "run: out of memory");
        goto done;
    }
    if (!(schedules = gdlab_schedules_begin(cfg->schedule, o, err, errlen))) goto done;
    double *x = scratch, *grad = x + dim, *step_grad = grad + dim, *lo = step_grad + dim,
           *hi = lo + dim, *centre = hi + dim, *hess = centre + 3 * dim; /* after the cache */
    h.cache_x = centre + dim;
    h.cache_grad = centre + 2 * dim;
    gdlab_oracle oracle = {host_eval, host_hessian, &h};

    gdlab_surface_domain(s, lo, hi);
    for (size_t i = 0; i < dim; i++) {
        centre[i] = 0.5 * (lo[i] + hi[i]);
        hi[i] = 0.5 * (hi[i] - lo[i]); /* hi now holds the half-width */
    }
    if (cfg->start)
        memcpy(x, cfg->start, dim * sizeof(double));
    else
        gdlab_surface_start(s, x);
    for (size_t i = 0; i < dim; i++)
        if (!isfinite(x[i])) {
            snprintf(err, errlen, "run: start[%zu] = %g is not a finite number", i + 1, x[i]);
            goto done;
        }
    if (od->init) {
        const char *problem = od->init(state, dim, params, x);
        if (problem) {
            snprintf(err, errlen, "optimizer '%s': %s", od->h.name, problem);
            goto done;
        }
    }
    if (!(inner = gdlab_inner_begin(o, dim, x, err, errlen))) goto done;

    double f = host_eval(&h, x, grad);
    memcpy(t->x, x, dim * sizeof(double));
    t->loss[0] = f;
    t->grad_norm[0] = norm2(grad, dim);
    t->lr[0] = NAN;
    t->evals[0] = h.evals;
    if (t->curvature) record_curvature(s, x, hess, t->curvature);
    for (size_t j = 0; j < t->n_internals; j++)
        t->internals[j] = NAN;
    t->n = 1;
    const limits lim = {f, gdlab_surface_min_value(s), centre, hi};
    result = 0;
    if (stop_at(t, cfg, &lim, 0, grad)) goto done;

    for (uint64_t k = 1; k <= cfg->max_steps; k++) {
        char problem_text[sizeof t->reason];
        gdlab_step step = {.dim = dim, .t = k, .x = x, .f = f, .grad = grad, .oracle = &oracle,
                           .inner = gdlab_inner_of(inner)};
        const double *step_params = gdlab_schedules_apply(schedules, k, f, t->grad_norm[k - 1], &step.lr,
                                                          problem_text, sizeof problem_text);
        if (!step_params) {
            set_reason(t, GDLAB_FAILED, k, "%s", problem_text);
            goto done;
        }
        if (stochastic) {
            h.evals++;
            gdlab_surface_eval_sample(s, x, step_grad, draw_number(cfg->seed, k));
            step.grad = step_grad;
        }
        const char *problem = od->step(state, step_params, &step);
        if (problem) {
            set_reason(t, GDLAB_FAILED, k, "optimizer '%s' at step %llu: %s", od->h.name,
                       (unsigned long long)k, problem);
            goto done;
        }
        if (trajectory_reserve(t, &cap, t->n + 1, cfg->record_curvature)) {
            snprintf(err, errlen, "run: out of memory after %llu steps", (unsigned long long)k);
            result = -1;
            goto done;
        }
        f = host_eval(&h, x, grad);
        memcpy(t->x + k * dim, x, dim * sizeof(double));
        t->loss[k] = f;
        t->grad_norm[k] = norm2(grad, dim);
        t->lr[k] = step.lr;
        t->evals[k] = h.evals;
        if (t->curvature) record_curvature(s, x, hess, t->curvature + 2 * k);
        if (t->n_internals) od->read_internals(state, dim, params, t->internals + k * t->n_internals);
        t->n = k + 1;
        if (stop_at(t, cfg, &lim, k, grad)) goto done;
    }
    set_reason(t, GDLAB_MAX_STEPS, cfg->max_steps, "ran out of steps (%llu) at loss %g",
               (unsigned long long)cfg->max_steps, f);
done:
    t->hessian_evals = h.hessian_evals;
    gdlab_schedules_end(schedules);
    gdlab_inner_end(inner);
    free(state);
    free(scratch);
    if (result != 0) gdlab_trajectory_free(t);
    return result;
}
