/* SPDX-License-Identifier: MIT */
/* sweep_batch.c — a block of a sweep's runs advanced in lockstep: one call of the optimizer's
 * step_batch (and of the surface's eval_batch, when it has one) steps every run of the block, with
 * the runs' numbers laid out run-fastest so that the compiler vectorises across runs. A run that stops
 * leaves the block (its column is swapped with the last active one), so stopped runs cost nothing.
 *
 * Every rule is the one-run path's (run.c) in the same operations and order: start, evaluation
 * counts and the oracle's one-entry cache, stop rules, the lowest loss. So a sweep's numbers are bit
 * for bit those of gdlab_run, which tests/core/test_sweep.c checks for all four built-in batched
 * optimizers, diverging and early-stopping runs included. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_call.h"
#include "sweep_batch.h"

enum { CACHE_HOST_POINT, CACHE_VALUE_AND_GRAD };

typedef struct block {
    const gdlab_surface_desc *sd;
    const void *sstate;
    const gdlab_run_config *cfg;
    size_t dim, stride, active, n_rows;
    uint64_t k;
    double f_min;
    gdlab_sweep_result *out;
    int oracle_called; /* in this step */
    /* rows of `stride` doubles, one allocation, so that a run's column moves as one */
    double *rows;
    double *x, *x_t, *grad, *cache_x, *cache_grad, *f, *f0, *margin, *min_loss, *cache_f, *lr, *params,
        *state, *oracle_f;
    /* per run, moved with the rows */
    uint64_t *evals;
    double *suspect; /* check_stops' scratch: > 0 when the run may stop (a double, so that the
                      * passes that set it vectorise with SSE2 alone) */
    size_t *run;
    unsigned char *cache, *stops;
    /* shared */
    double *centre, *reach, *point, *point_grad;
    double *values; /* one run's parameter values, while setting up */
} block;

/* The state's size in doubles (the batch layout needs the same for every run of a sweep: state_size
 * must not depend on the parameters, as for the built-in optimizers). */
static size_t state_doubles(const gdlab_optimizer_desc *d, size_t dim, const double *params)
{
    return d->state_size ? d->state_size(dim, params) / sizeof(double) : 0;
}

int sweep_batch_possible(const gdlab_surface *s, const gdlab_optimizer_desc *d, const double *params,
                         const gdlab_run_config *cfg)
{
    /* Schedules may drive any parameter from each run's own loss (schedule.h): runs with schedules
     * take the one-run path, which applies them. */
    if (!d->step_batch || d->init || gdlab_surface_desc_of(s)->eval_sample || cfg->schedule) return 0;
    const size_t dim = gdlab_surface_dim(s);
    return !d->state_size || d->state_size(dim, params) % sizeof(double) == 0;
}

/* f and gradients at the block's active points x (laid out like b->x). */
static void eval_points(block *b, const double *x, double *f, double *grad)
{
    const size_t n = b->active, st = b->stride, dim = b->dim;
    if (b->sd->eval_batch) {
        GDLAB_MARKED(b->sd, "eval_batch", b->sd->eval_batch(b->sstate, n, st, x, f, grad));
        return;
    }
    for (size_t r = 0; r < n; r++) {
        for (size_t i = 0; i < dim; i++)
            b->point[i] = x[i * st + r];
        GDLAB_MARKED(b->sd, "eval (with gradient)", f[r] = b->sd->eval(b->sstate, b->point, b->point_grad));
        for (size_t i = 0; i < dim; i++)
            grad[i * st + r] = b->point_grad[i];
    }
}

static int same_column(const block *b, const double *a, const double *c, size_t r)
{
    for (size_t i = 0; i < b->dim; i++) {
        const double u = a[i * b->stride + r], v = c[i * b->stride + r];
        if (memcmp(&u, &v, sizeof u) != 0) return 0;
    }
    return 1;
}

static void copy_column(const block *b, double *to, const double *from, size_t r)
{
    for (size_t i = 0; i < b->dim; i++)
        to[i * b->stride + r] = from[i * b->stride + r];
}

/* The batched oracle: every point is evaluated (a surface gives the same bits at the same point), and
 * counted and cached per run exactly as run.c's oracle_eval counts and caches it. */
static void oracle_eval(void *host, const double *xq, double *fq, double *gq)
{
    block *b = host;
    double *f = fq ? fq : b->oracle_f;
    eval_points(b, xq, f, gq);
    b->oracle_called = 1;
    for (size_t r = 0; r < b->active; r++) {
        if (b->cache[r] == CACHE_HOST_POINT ? same_column(b, xq, b->x_t, r)
                                            : same_column(b, xq, b->cache_x, r))
            continue; /* served by the cache: not evaluated again in the one-run path */
        b->evals[r]++;
        b->cache[r] = CACHE_VALUE_AND_GRAD;
        copy_column(b, b->cache_x, xq, r);
        copy_column(b, b->cache_grad, gq, r);
        b->cache_f[r] = f[r];
    }
}

static void finish(block *b, size_t r, gdlab_status status)
{
    const size_t i = b->run[r];
    b->out->status[i] = status;
    b->out->stop_step[i] = b->k;
    b->out->final_loss[i] = b->f[r];
    b->out->min_loss[i] = b->min_loss[r];
    b->out->evals[i] = b->evals[r];
    b->stops[r] = 1;
}

/* The stop rules of run.c for every active run: one vectorisable pass that clears runs that go on,
 * then the rules in their documented order for the few that may stop. */
static int check_stops(block *b)
{
    const size_t n = b->active, st = b->stride, dim = b->dim;
    const gdlab_run_config *cfg = b->cfg;
    const double f_min = b->f_min, tol = cfg->tol;
    const double *restrict f = b->f, *restrict f0 = b->f0, *restrict margin = b->margin;
    double *restrict lowest = b->min_loss;
    double *restrict maybe = b->suspect;
    for (size_t r = 0; r < n; r++) {
        lowest[r] = f[r] < lowest[r] ? f[r] : lowest[r];
        maybe[r] = (fabs(f[r]) <= DBL_MAX ? 0.0 : 1.0) + (f[r] - f0[r] <= margin[r] ? 0.0 : 1.0) +
                   (f[r] - f_min <= tol ? 1.0 : 0.0);
    }
    for (size_t i = 0; i < dim; i++) {
        const double *restrict x = b->x + i * st, *restrict g = b->grad + i * st;
        const double c = b->centre[i], reach = b->reach[i];
        for (size_t r = 0; r < n; r++)
            maybe[r] += (fabs(x[r] - c) <= reach ? 0.0 : 1.0) + (x[r] * 0.0 + g[r] * 0.0 != 0.0 ? 1.0 : 0.0);
    }
    const int check_gtol = !isnan(cfg->gtol), last = b->k == cfg->max_steps;
    int any = 0;
    for (size_t r = 0; r < n; r++) {
        const int suspect = maybe[r] > 0;
        if (!suspect && !check_gtol && !last) continue;
        int status = -1;
        if (suspect) {
            double zero = 0;
            int ok = fabs(f[r]) <= DBL_MAX && f[r] - b->f0[r] <= b->margin[r];
            for (size_t i = 0; i < dim; i++) {
                const double x = b->x[i * st + r], g = b->grad[i * st + r];
                ok &= fabs(x - b->centre[i]) <= b->reach[i];
                zero += x * 0.0 + g * 0.0;
            }
            if (!ok || zero != 0)
                status = GDLAB_DIVERGED;
            else if (f[r] - b->f_min <= cfg->tol)
                status = GDLAB_CONVERGED;
        }
        if (status < 0 && check_gtol) {
            double sum = 0;
            for (size_t i = 0; i < dim; i++)
                sum += b->grad[i * st + r] * b->grad[i * st + r];
            if (sqrt(sum) <= cfg->gtol) status = GDLAB_CONVERGED;
        }
        if (status < 0 && last) status = GDLAB_MAX_STEPS;
        if (status >= 0) {
            finish(b, r, (gdlab_status)status);
            any = 1;
        }
    }
    return any;
}

/* Runs that stopped leave the block: each swaps columns with the last active run. */
static void compact(block *b)
{
    for (size_t r = b->active; r-- > 0;) {
        if (!b->stops[r]) continue;
        const size_t last = --b->active;
        b->stops[r] = 0;
        if (r == last) continue;
        for (size_t row = 0; row < b->n_rows; row++) {
            double *v = b->rows + row * b->stride;
            const double t = v[r];
            v[r] = v[last], v[last] = t;
        }
        const uint64_t e = b->evals[r];
        b->evals[r] = b->evals[last], b->evals[last] = e;
        const size_t i = b->run[r];
        b->run[r] = b->run[last], b->run[last] = i;
        const unsigned char c = b->cache[r];
        b->cache[r] = b->cache[last], b->cache[last] = c;
        b->stops[r] = b->stops[last], b->stops[last] = 0;
    }
}

static int set_up(block *b, const gdlab_surface *s, const gdlab_optimizer_desc *d, sweep_params_fn *params_of,
                  const void *ctx, size_t first, size_t count)
{
    const size_t dim = b->dim, st = count, n_params = d->h.n_params;
    b->values = calloc(n_params ? n_params : 1, sizeof(double));
    if (!b->values) return -1;
    params_of(ctx, first, b->values);
    const size_t n_state = state_doubles(d, dim, b->values);
    b->stride = st;
    b->n_rows = 5 * dim + 6 + n_params + n_state + 1;
    b->rows = calloc(b->n_rows * st + 4 * dim, sizeof(double));
    b->evals = calloc(st, sizeof *b->evals);
    b->suspect = calloc(st, sizeof *b->suspect);
    b->run = calloc(st, sizeof *b->run);
    b->cache = calloc(2 * st, 1);
    if (!b->rows || !b->evals || !b->suspect || !b->run || !b->cache) return -1;
    b->stops = b->cache + st;
    double *p = b->rows;
    b->x = p, p += dim * st;
    b->x_t = p, p += dim * st;
    b->grad = p, p += dim * st;
    b->cache_x = p, p += dim * st;
    b->cache_grad = p, p += dim * st;
    b->f = p, p += st;
    b->f0 = p, p += st;
    b->margin = p, p += st;
    b->min_loss = p, p += st;
    b->cache_f = p, p += st;
    b->lr = p, p += st;
    b->params = p, p += n_params * st;
    b->state = p, p += n_state * st;
    b->oracle_f = p, p += st;
    b->centre = p, b->reach = p + dim, b->point = p + 2 * dim, b->point_grad = p + 3 * dim;

    gdlab_surface_domain(s, b->centre, b->reach);
    for (size_t i = 0; i < dim; i++) { /* as run.c: centre, half-width, bound·half-width */
        const double lo = b->centre[i], hi = b->reach[i];
        b->centre[i] = 0.5 * (lo + hi);
        b->reach[i] = b->cfg->bound * (0.5 * (hi - lo));
    }
    if (b->cfg->start)
        memcpy(b->point, b->cfg->start, dim * sizeof(double));
    else
        gdlab_surface_start(s, b->point);
    const int lr = gdlab_param_index(&d->h, "lr"); /* as gdlab_optimizer_lr */
    for (size_t r = 0; r < count; r++) {
        b->run[r] = first + r;
        params_of(ctx, first + r, b->values);
        for (size_t j = 0; j < n_params; j++)
            b->params[j * st + r] = b->values[j];
        b->lr[r] = lr < 0 ? NAN : b->values[lr];
        for (size_t i = 0; i < dim; i++)
            b->x[i * st + r] = b->point[i];
        b->evals[r] = 1;
    }
    b->active = count;
    return 0;
}

int sweep_batch_run(const gdlab_surface *s, const gdlab_optimizer_desc *d, sweep_params_fn *params_of,
                    const void *ctx, const gdlab_run_config *cfg, size_t first, size_t count,
                    gdlab_sweep_result *out)
{
    block b = {
        .sd = gdlab_surface_desc_of(s),
        .sstate = gdlab_surface_state(s),
        .cfg = cfg,
        .dim = gdlab_surface_dim(s),
        .f_min = gdlab_surface_min_value(s),
        .out = out,
    };
    int result = -1;
    if (set_up(&b, s, d, params_of, ctx, first, count)) goto done;
    const size_t dim = b.dim, st = b.stride;
    eval_points(&b, b.x, b.f, b.grad);
    for (size_t r = 0; r < count; r++) {
        b.f0[r] = b.min_loss[r] = b.f[r];
        b.margin[r] = cfg->blowup * (1.0 + fabs(b.f0[r]));
    }
    if (check_stops(&b)) compact(&b);
    gdlab_batch batch = {.dim = dim, .stride = st, .lr = b.lr, .x = b.x, .f = b.f, .grad = b.grad,
                         .params = b.params, .state = b.state, .eval = oracle_eval, .host = &b};
    for (uint64_t k = 1; b.active > 0; k++) {
        b.k = k;
        for (size_t i = 0; i < dim; i++)
            memcpy(b.x_t + i * st, b.x + i * st, b.active * sizeof(double));
        memset(b.cache, CACHE_HOST_POINT, b.active);
        b.oracle_called = 0;
        batch.count = b.active;
        batch.t = k;
        GDLAB_MARKED(d, "step_batch", d->step_batch(&batch));
        eval_points(&b, b.x, b.f, b.grad);
        for (size_t r = 0; r < b.active; r++) /* the one-run path reuses what its oracle paid for */
            b.evals[r] += !(b.oracle_called && b.cache[r] == CACHE_VALUE_AND_GRAD &&
                            same_column(&b, b.x, b.cache_x, r));
        if (check_stops(&b)) compact(&b);
    }
    result = 0;
done:
    free(b.values);
    free(b.rows);
    free(b.evals);
    free(b.suspect);
    free(b.run);
    free(b.cache);
    return result;
}
