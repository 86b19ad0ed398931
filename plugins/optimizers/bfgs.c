/* SPDX-License-Identifier: MIT */
/* bfgs — the BFGS quasi-Newton method with a strong Wolfe line search.
 *
 *   d ← −H·g                                   (H: the running estimate of the inverse Hessian)
 *   x_new ← x + α·d, α from a line search meeting the strong Wolfe conditions (c1, c2)
 *   s ← x_new − x,  y ← g_new − g,  ρ ← 1/(yᵀs)
 *   H ← (I − ρ·s·yᵀ)·H·(I − ρ·y·sᵀ) + ρ·s·sᵀ     (skipped when yᵀs ≤ 0)
 *
 * H starts as the identity; the first trial step has length 1 (α = 1/‖g‖), and before the first
 * update H is rescaled to (yᵀs/yᵀy)·I (Nocedal & Wright eq. 6.20), after which α = 1 is tried
 * first. The line search evaluates f and ∇f through the oracle; it ends on the point the host
 * evaluates next, so a step whose first trial is accepted costs one evaluation. It is
 * gdlab_wolfe_search from <gdlab/line_search.h>, shared with cg and lbfgs.
 * Reference: Nocedal & Wright, "Numerical Optimization", 2nd ed., 2006: Algorithm 6.1 (BFGS),
 * Algorithms 3.5 and 3.6 (line search), eq. 3.59 (cubic interpolation). */
#include <gdlab/line_search.h>
#include <gdlab/plugin.h>
#include <math.h>
#include <string.h>

static const gdlab_param params[] = {
    {"c1", 1e-4, 0.0, 1.0, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_OPEN_UPPER | GDLAB_PARAM_LOG,
     "sufficient decrease: f(x + a*d) <= f(x) + c1*a*g.d", NULL},
    {"c2", 0.9, 0.0, 1.0, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_OPEN_UPPER,
     "curvature: |g(x + a*d).d| <= c2*|g.d|; needs c1 < c2", NULL},
};
enum { C1, C2 };

static const gdlab_internal internals[] = {
    {"direction", 1, "d = -H*g: the quasi-Newton direction of this step"},
    {"step_length", 0, "alpha: the step taken was alpha*d"},
    {"curvature", 0, "y.s of this step; the update is skipped when it is not positive"},
    {"line_search_evals", 0, "evaluations the line search used"},
};

typedef struct {
    double step_length, curvature, line_search_evals;
    double buf[]; /* H (dim²), then d, trial point, trial gradient, H·y: dim each */
} bfgs;

static size_t bfgs_state_size(size_t dim, const double *p)
{
    (void)p;
    return sizeof(bfgs) + (dim * dim + 4 * dim) * sizeof(double);
}

static const char *bfgs_init(void *state, size_t dim, const double *p, const double *x0)
{
    (void)x0;
    if (!(p[C1] < p[C2])) return "the line search needs c1 < c2";
    bfgs *st = state;
    for (size_t i = 0; i < dim; i++)
        st->buf[i * dim + i] = 1.0;
    return NULL;
}

static double dot(const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ, expanded: H − ρ(Hy·sᵀ + s·(Hy)ᵀ) + (ρ²·yᵀHy + ρ)·ssᵀ. */
static void bfgs_update(double *H, const double *s, const double *y, double *Hy, size_t n)
{
    const double rho = 1.0 / dot(y, s, n);
    for (size_t i = 0; i < n; i++)
        Hy[i] = dot(H + i * n, y, n);
    const double yHy = dot(y, Hy, n), ss_weight = rho * rho * yHy + rho;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            H[i * n + j] += -rho * (Hy[i] * s[j] + s[i] * Hy[j]) + ss_weight * s[i] * s[j];
}

static const char *bfgs_step(void *state, const double *p, gdlab_step *s)
{
    bfgs *st = state;
    const size_t n = s->dim;
    double *H = st->buf, *d = H + n * n, *xt = d + n, *gt = xt + n, *Hy = gt + n;
    const double *g = s->grad;
    for (size_t i = 0; i < n; i++)
        d[i] = -dot(H + i * n, g, n);
    double slope = dot(g, d, n);
    if (!(slope < 0.0)) { /* rounding cost H its positive definiteness: start again from −g */
        memset(H, 0, n * n * sizeof(double));
        for (size_t i = 0; i < n; i++)
            H[i * n + i] = 1.0, d[i] = -g[i];
        slope = dot(g, d, n);
    }
    st->step_length = st->curvature = st->line_search_evals = 0.0;
    if (slope == 0.0) return NULL; /* g = 0: a stationary point, stay */

    gdlab_line_search ls = {.s = s, .d = d, .slope = slope, .c1 = p[C1], .c2 = p[C2], .xt = xt, .gt = gt};
    const double first_trial = s->t == 1 ? fmin(1.0, 1.0 / sqrt(dot(g, g, n))) : 1.0;
    const char *problem = gdlab_wolfe_search(&ls, first_trial);
    st->step_length = ls.step;
    st->line_search_evals = ls.evals;
    if (problem) return problem;

    /* s and y overwrite the trial point and gradient once x has taken the new point */
    double *step = xt, *y = gt;
    for (size_t i = 0; i < n; i++) {
        const double x_new = xt[i];
        step[i] = x_new - s->x[i];
        y[i] = gt[i] - g[i];
        s->x[i] = x_new;
    }
    st->curvature = dot(y, step, n);
    if (st->curvature > 0.0) {
        if (s->t == 1) { /* N&W eq. 6.20: give H the scale of the true inverse Hessian */
            const double scale = st->curvature / dot(y, y, n);
            for (size_t i = 0; i < n * n; i++)
                H[i] *= scale;
        }
        bfgs_update(H, step, y, Hy, n);
    }
    return NULL;
}

static void bfgs_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const bfgs *st = state;
    memcpy(out, st->buf + dim * dim, dim * sizeof(double));
    out[dim] = st->step_length;
    out[dim + 1] = st->curvature;
    out[dim + 2] = st->line_search_evals;
}

static const gdlab_optimizer_desc bfgs_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "bfgs",
                      "BFGS quasi-Newton with a strong Wolfe line search",
                      "d ← −H·g;   x ← x + α·d with α meeting the strong Wolfe conditions (c1, c2)\n"
                      "s = Δx, y = Δg, ρ = 1/yᵀs:   H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ\n"
                      "H₀ = I, rescaled to (yᵀs/yᵀy)·I before the first update; first trial α = 1/‖g‖,\n"
                      "then α = 1. Needs no lr. Evaluations through the oracle (line search).\n"
                      "Reference: Nocedal & Wright, Numerical Optimization (2006), Alg. 6.1, 3.5, 3.6.",
                      params),
    .state_size = bfgs_state_size,
    .init = bfgs_init,
    .step = bfgs_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = bfgs_read_internals,
};
GDLAB_PLUGIN(bfgs_desc)
