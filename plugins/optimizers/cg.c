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
 * α = αₖ₋₁·gₖ₋₁ᵀdₖ₋₁ / gₖᵀdₖ (N&W eq. 3.60).
 * Reference: Nocedal & Wright, "Numerical Optimization", 2nd ed., 2006: Algorithm 5.4 (FR), eq. 5.44
 * and 5.45 (PR, PR+), Algorithms 3.5 and 3.6 (line search); Fletcher & Reeves, The Computer Journal
 * 7(2), 1964; Polak & Ribière, 1969. */
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

/* ---- strong Wolfe line search (Nocedal & Wright, Algorithms 3.5 and 3.6) -------------------------
 * The same text is in bfgs.c and lbfgs.c: each plugin is one self-contained file. */

#define LINE_SEARCH_MAX_EVALS 40

typedef struct line_search {
    const gdlab_step *s;
    const double *d;
    double *xt, *gt;          /* the last trial point and its gradient: on success, the new point */
    double f0, slope0, c1, c2;
    int evals;
} line_search;

/* φ(a) = f(x + a·d), and φ'(a) into *slope. */
static double phi(line_search *ls, double a, double *slope)
{
    const gdlab_step *s = ls->s;
    for (size_t i = 0; i < s->dim; i++)
        ls->xt[i] = s->x[i] + a * ls->d[i];
    const double f = s->oracle->eval(s->oracle->host, ls->xt, ls->gt);
    ls->evals++;
    *slope = dot(ls->gt, ls->d, s->dim);
    return f;
}

/* Minimiser of the cubic matching φ and φ' at a and b (N&W eq. 3.59), kept within the middle 80% of
 * the interval; bisection when the cubic has no minimiser there or the values are not finite. */
static double cubic_minimiser(double a, double fa, double da, double b, double fb, double db)
{
    const double d1 = da + db - 3.0 * (fa - fb) / (a - b);
    const double disc = d1 * d1 - da * db;
    double c = 0.5 * (a + b);
    if (disc >= 0.0) {
        const double d2 = copysign(sqrt(disc), b - a);
        c = b - (b - a) * (db + d2 - d1) / (db - da + 2.0 * d2);
    }
    const double lo = fmin(a, b), hi = fmax(a, b), margin = 0.1 * (hi - lo);
    return c >= lo + margin && c <= hi - margin ? c : 0.5 * (a + b);
}

static int sufficient_decrease(const line_search *ls, double a, double fa)
{
    return fa <= ls->f0 + ls->c1 * a * ls->slope0; /* false for NaN */
}

static int curvature_met(const line_search *ls, double slope)
{
    return fabs(slope) <= -ls->c2 * ls->slope0;
}

/* Algorithm 3.6: lo satisfies sufficient decrease, and a point meeting both conditions lies between
 * lo and hi. */
static const char *zoom(line_search *ls, double lo, double flo, double dlo, double hi, double fhi,
                        double dhi, double *step)
{
    while (ls->evals < LINE_SEARCH_MAX_EVALS) {
        const double a = cubic_minimiser(lo, flo, dlo, hi, fhi, dhi);
        if (a == lo || a == hi) break; /* the bracket is down to rounding */
        double da;
        const double fa = phi(ls, a, &da);
        if (!sufficient_decrease(ls, a, fa) || fa >= flo) {
            hi = a, fhi = fa, dhi = da;
        } else {
            if (curvature_met(ls, da)) {
                *step = a;
                return NULL;
            }
            if (da * (hi - lo) >= 0.0) hi = lo, fhi = flo, dhi = dlo;
            lo = a, flo = fa, dlo = da;
        }
    }
    return "the line search found no strong Wolfe point: f is flat to rounding along d (converged as "
           "far as float64 allows) or not smooth here";
}

/* Algorithm 3.5, from the trial step a; doubles the step while φ keeps going down steeply. */
static const char *wolfe_search(line_search *ls, double a, double *step)
{
    double a_prev = 0.0, f_prev = ls->f0, d_prev = ls->slope0;
    while (ls->evals < LINE_SEARCH_MAX_EVALS) {
        double da;
        const double fa = phi(ls, a, &da);
        if (!sufficient_decrease(ls, a, fa) || (ls->evals > 1 && fa >= f_prev))
            return zoom(ls, a_prev, f_prev, d_prev, a, fa, da, step);
        if (curvature_met(ls, da)) {
            *step = a;
            return NULL;
        }
        if (da >= 0.0) return zoom(ls, a, fa, da, a_prev, f_prev, d_prev, step);
        a_prev = a, f_prev = fa, d_prev = da;
        a *= 2.0;
    }
    return "the line search found no strong Wolfe point within 40 evaluations: f seems unbounded "
           "below along d";
}

/* ---- the method ---------------------------------------------------------------------------------- */

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

    line_search ls = {s, d, xt, gt, s->f, slope, p[C1], p[C2], 0};
    const char *problem = wolfe_search(&ls, first_trial, &st->step_length);
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
