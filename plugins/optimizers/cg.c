/* SPDX-License-Identifier: MIT */
/* cg — nonlinear conjugate gradients (Fletcher–Reeves or Polak–Ribière+), with a line search.
 *
 *   d₁ ← −g₁;   dₖ ← −gₖ + βₖ·dₖ₋₁, with
 *       fletcher_reeves:  βₖ = gₖᵀgₖ / gₖ₋₁ᵀgₖ₋₁
 *       polak_ribiere:    βₖ = max(0, gₖᵀ(gₖ − gₖ₋₁) / gₖ₋₁ᵀgₖ₋₁)        (PR+, restarts itself)
 *   and dₖ ← −gₖ whenever dₖ is not a descent direction;
 *   x ← x + α·d, α from a strong Wolfe line search (c1, c2; c2 = 0.1 as N&W advise for CG), or with
 *   exact = true the exact minimiser along d of the local quadratic model, α = −gᵀd / dᵀHd, using the
 *   Hessian through the oracle.
 *
 * On a quadratic with an exact line search both formulas are linear CG: the directions are
 * H-conjugate and the minimum of an n-dimensional quadratic is reached in at most n steps.
 * The first trial step of the line search has length 1 (α = 1/‖g‖), later ones
 * α = αₖ₋₁·gₖ₋₁ᵀdₖ₋₁ / gₖᵀdₖ (N&W eq. 3.60). The line search is gdlab_wolfe_search from
 * <gdlab/line_search.h>, shared with bfgs and lbfgs.
 * Reference: Nocedal & Wright, "Numerical Optimization", 2nd ed., 2006: Algorithm 5.4 (FR), eq. 5.44
 * and 5.45 (PR, PR+), Algorithms 3.5 and 3.6 (line search); Fletcher & Reeves, The Computer Journal
 * 7(2), 1964; Polak & Ribière, 1969. */
#include <gdlab/line_search.h>
#include <gdlab/plugin.h>
#include <math.h>
#include <string.h>

static const char *const betas[] = {"fletcher_reeves", "polak_ribiere", NULL};
enum { FLETCHER_REEVES, POLAK_RIBIERE };

static const gdlab_param params[] = {
    {"beta", POLAK_RIBIERE, 0, 1, GDLAB_PARAM_CHOICE, "formula for the conjugacy coefficient beta",
     betas},
    {"exact", 0, 0, 1, GDLAB_PARAM_BOOLEAN,
     "exact line search on the quadratic model (uses the Hessian) instead of Wolfe", NULL},
    {"c1", 1e-4, 0.0, 1.0, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_OPEN_UPPER | GDLAB_PARAM_LOG,
     "sufficient decrease: f(x + a*d) <= f(x) + c1*a*g.d", NULL},
    {"c2", 0.1, 0.0, 1.0, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_OPEN_UPPER,
     "curvature: |g(x + a*d).d| <= c2*|g.d|; needs c1 < c2", NULL},
};
enum { BETA, EXACT, C1, C2 };

static const gdlab_internal internals[] = {
    {"direction", 1, "d: the search direction of this step"},
    {"beta", 0, "the conjugacy coefficient of this step (0 on the first step and at restarts)"},
    {"step_length", 0, "alpha: the step taken was alpha*d"},
    {"line_search_evals", 0, "evaluations the line search used (0 with exact)"},
};

typedef struct {
    double beta, step_length, line_search_evals, previous_slope;
    double buf[]; /* d, previous g, trial point, trial gradient: dim each; then the Hessian, dim² */
} cg;

static size_t cg_state_size(size_t dim, const double *p)
{
    (void)p;
    return sizeof(cg) + (4 * dim + dim * dim) * sizeof(double);
}

static const char *cg_init(void *state, size_t dim, const double *p, const double *x0)
{
    (void)state, (void)dim, (void)x0;
    return p[C1] < p[C2] ? NULL : "the line search needs c1 < c2";
}

static double dot(const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

static double conjugacy(int formula, const double *g, const double *g_prev, size_t n)
{
    const double old = dot(g_prev, g_prev, n);
    if (formula == FLETCHER_REEVES) return dot(g, g, n) / old;
    return fmax(0.0, (dot(g, g, n) - dot(g, g_prev, n)) / old);
}

/* α = −gᵀd / dᵀHd: where the quadratic model along d has its minimum. */
static const char *exact_step(cg *st, gdlab_step *s, const double *d, double slope)
{
    const size_t n = s->dim;
    double *H = st->buf + 4 * n;
    if (s->oracle->hessian(s->oracle->host, s->x, H) != 0)
        return "exact=true needs the Hessian, and this surface has none: use exact=false (Wolfe line "
               "search)";
    double curvature = 0.0;
    for (size_t i = 0; i < n; i++)
        curvature += d[i] * dot(H + i * n, d, n);
    if (!(curvature > 0.0))
        return "exact=true: the curvature d.H.d along the direction is not positive, so the quadratic "
               "model has no minimum along it (the surface is not convex here): use exact=false";
    st->step_length = -slope / curvature;
    for (size_t i = 0; i < n; i++)
        s->x[i] += st->step_length * d[i];
    return NULL;
}

static const char *cg_step(void *state, const double *p, gdlab_step *s)
{
    cg *st = state;
    const size_t n = s->dim;
    double *d = st->buf, *g_prev = d + n, *xt = g_prev + n, *gt = xt + n;
    const double *g = s->grad;
    st->beta = s->t == 1 ? 0.0 : conjugacy((int)p[BETA], g, g_prev, n);
    for (size_t i = 0; i < n; i++)
        d[i] = -g[i] + st->beta * d[i];
    double slope = dot(g, d, n);
    if (!(slope < 0.0)) { /* not downhill: restart along −g */
        st->beta = 0.0;
        for (size_t i = 0; i < n; i++)
            d[i] = -g[i];
        slope = dot(g, d, n);
    }
    const double first_trial = s->t == 1 || st->previous_slope == 0.0
                                   ? fmin(1.0, 1.0 / sqrt(dot(g, g, n)))
                                   : st->step_length * st->previous_slope / slope;
    memcpy(g_prev, g, n * sizeof(double));
    st->previous_slope = slope;
    st->step_length = st->line_search_evals = 0.0;
    if (slope == 0.0) return NULL; /* g = 0: a stationary point, stay */
    if (p[EXACT]) return exact_step(st, s, d, slope);

    gdlab_line_search ls = {.s = s, .d = d, .slope = slope, .c1 = p[C1], .c2 = p[C2], .xt = xt, .gt = gt};
    const char *problem = gdlab_wolfe_search(&ls, first_trial);
    st->step_length = ls.step;
    st->line_search_evals = ls.evals;
    if (problem) return problem;
    memcpy(s->x, xt, n * sizeof(double));
    return NULL;
}

static void cg_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const cg *st = state;
    memcpy(out, st->buf, dim * sizeof(double));
    out[dim] = st->beta;
    out[dim + 1] = st->step_length;
    out[dim + 2] = st->line_search_evals;
}

static const gdlab_optimizer_desc cg_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "cg",
                      "nonlinear conjugate gradients (Fletcher-Reeves or Polak-Ribiere+)",
                      "d ← −g + β·d  (d ← −g on the first step and when not downhill)\n"
                      "fletcher_reeves: β = gᵀg/g₋ᵀg₋;   polak_ribiere: β = max(0, gᵀ(g − g₋)/g₋ᵀg₋)\n"
                      "x ← x + α·d, α by a strong Wolfe line search, or with exact=true\n"
                      "α = −gᵀd/dᵀHd (Hessian via the oracle): ≤ n steps on an n-D quadratic.\n"
                      "Reference: Nocedal & Wright, Numerical Optimization (2006), ch. 5; Fletcher &\n"
                      "Reeves (1964); Polak & Ribière (1969).",
                      params),
    .state_size = cg_state_size,
    .init = cg_init,
    .step = cg_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = cg_read_internals,
};
GDLAB_PLUGIN(cg_desc)
