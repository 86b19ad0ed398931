/* lbfgs — limited-memory BFGS: the BFGS direction from the last m steps only, no matrix stored.
 *
 *   d ← −H·g by the two-loop recursion over the pairs (sᵢ, yᵢ) of the last m steps, starting from
 *       H₀ = γ·I with γ = sᵀy/yᵀy of the newest pair
 *   x_new ← x + α·d, α from a line search meeting the strong Wolfe conditions (c1, c2)
 *   store s = x_new − x, y = g_new − g (oldest pair dropped when m are stored; skipped if yᵀs ≤ 0)
 *
 * With m ≥ the number of steps taken it matches BFGS started from γ·I; small m forgets curvature
 * quickly. The first trial step has length 1 (α = 1/‖g‖), after that α = 1 is tried first.
 * The line search ends on the point the host evaluates next, so an accepted first trial costs one
 * evaluation per step.
 * Reference: Nocedal & Wright, "Numerical Optimization", 2nd ed., 2006: Algorithms 7.4 (two-loop
 * recursion) and 7.5 (L-BFGS), eq. 7.20 (γ), Algorithms 3.5 and 3.6 (line search); D. C. Liu and
 * J. Nocedal, "On the limited memory BFGS method for large scale optimization", Math. Programming
 * 45, 1989. */
#include <gdlab/plugin.h>
#include <math.h>
#include <string.h>

static const gdlab_param params[] = {
    {"m", 10, 1, 100, GDLAB_PARAM_INTEGER, "memory: how many recent (s, y) pairs shape the direction",
     NULL},
    {"c1", 1e-4, 0.0, 1.0, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_OPEN_UPPER | GDLAB_PARAM_LOG,
     "sufficient decrease: f(x + a*d) <= f(x) + c1*a*g.d", NULL},
    {"c2", 0.9, 0.0, 1.0, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_OPEN_UPPER,
     "curvature: |g(x + a*d).d| <= c2*|g.d|; needs c1 < c2", NULL},
};
enum { M, C1, C2 };

static const gdlab_internal internals[] = {
    {"direction", 1, "d = -H*g: the quasi-Newton direction of this step"},
    {"step_length", 0, "alpha: the step taken was alpha*d"},
    {"pairs", 0, "how many (s, y) pairs the direction used"},
    {"line_search_evals", 0, "evaluations the line search used"},
};

typedef struct {
    size_t m, stored, newest; /* pairs kept in a ring: newest is the index of the latest */
    double step_length, pairs_used, line_search_evals;
    double buf[]; /* S and Y (m·dim each), rho and alpha (m each), d, trial point, trial gradient */
} lbfgs;

static size_t lbfgs_state_size(size_t dim, const double *p)
{
    const size_t m = (size_t)p[M];
    return sizeof(lbfgs) + (2 * m * dim + 2 * m + 3 * dim) * sizeof(double);
}

static const char *lbfgs_init(void *state, size_t dim, const double *p, const double *x0)
{
    (void)dim, (void)x0;
    if (!(p[C1] < p[C2])) return "the line search needs c1 < c2";
    ((lbfgs *)state)->m = (size_t)p[M];
    return NULL;
}

static double dot(const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* ---- strong Wolfe line search (Nocedal & Wright, Algorithms 3.5 and 3.6) -------------------------
 * The same text is in bfgs.c and cg.c: each plugin is one self-contained file. */

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

/* d ← −H·g by the two-loop recursion (N&W Algorithm 7.4). */
static void two_loop_direction(const lbfgs *st, const double *S, const double *Y, const double *rho,
                               double *alpha, const double *g, double *d, size_t n)
{
    const size_t m = st->m;
    for (size_t i = 0; i < n; i++)
        d[i] = g[i];
    for (size_t k = 0; k < st->stored; k++) { /* newest to oldest */
        const size_t j = (st->newest + m - k) % m;
        alpha[j] = rho[j] * dot(S + j * n, d, n);
        for (size_t i = 0; i < n; i++)
            d[i] -= alpha[j] * Y[j * n + i];
    }
    if (st->stored) {
        const double *s = S + st->newest * n, *y = Y + st->newest * n;
        const double gamma = dot(s, y, n) / dot(y, y, n);
        for (size_t i = 0; i < n; i++)
            d[i] *= gamma;
    }
    for (size_t k = st->stored; k-- > 0;) { /* oldest to newest */
        const size_t j = (st->newest + m - k) % m;
        const double beta = rho[j] * dot(Y + j * n, d, n);
        for (size_t i = 0; i < n; i++)
            d[i] += S[j * n + i] * (alpha[j] - beta);
    }
    for (size_t i = 0; i < n; i++)
        d[i] = -d[i];
}

static const char *lbfgs_step(void *state, const double *p, gdlab_step *s)
{
    lbfgs *st = state;
    const size_t n = s->dim, m = st->m;
    double *S = st->buf, *Y = S + m * n, *rho = Y + m * n, *alpha = rho + m, *d = alpha + m,
           *xt = d + n, *gt = xt + n;
    const double *g = s->grad;
    two_loop_direction(st, S, Y, rho, alpha, g, d, n);
    st->pairs_used = (double)st->stored;
    double slope = dot(g, d, n);
    if (!(slope < 0.0)) { /* not a descent direction (rounding): forget the pairs, use −g */
        st->stored = 0;
        st->pairs_used = 0.0;
        for (size_t i = 0; i < n; i++)
            d[i] = -g[i];
        slope = dot(g, d, n);
    }
    st->step_length = st->line_search_evals = 0.0;
    if (slope == 0.0) return NULL; /* g = 0: a stationary point, stay */

    line_search ls = {s, d, xt, gt, s->f, slope, p[C1], p[C2], 0};
    const double first_trial = st->stored ? 1.0 : fmin(1.0, 1.0 / sqrt(dot(g, g, n)));
    const char *problem = wolfe_search(&ls, first_trial, &st->step_length);
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
    const double sy = dot(step, y, n);
    if (sy > 0.0) { /* the pair into the ring, over the oldest one once m are stored */
        st->newest = (st->newest + 1) % m;
        memcpy(S + st->newest * n, step, n * sizeof(double));
        memcpy(Y + st->newest * n, y, n * sizeof(double));
        rho[st->newest] = 1.0 / sy;
        if (st->stored < m) st->stored++;
    }
    return NULL;
}

static void lbfgs_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    const lbfgs *st = state;
    const size_t m = (size_t)p[M];
    memcpy(out, st->buf + 2 * m * dim + 2 * m, dim * sizeof(double));
    out[dim] = st->step_length;
    out[dim + 1] = st->pairs_used;
    out[dim + 2] = st->line_search_evals;
}

static const gdlab_optimizer_desc lbfgs_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "lbfgs",
                      "limited-memory BFGS (last m steps) with a strong Wolfe line search",
                      "d ← −H·g by the two-loop recursion over the last m pairs s = Δx, y = Δg,\n"
                      "from H₀ = (sᵀy/yᵀy)·I;   x ← x + α·d with α meeting the strong Wolfe conditions.\n"
                      "First trial α = 1/‖g‖, then α = 1. Needs no lr. Evaluations through the oracle.\n"
                      "Reference: Nocedal & Wright, Numerical Optimization (2006), Alg. 7.4, 7.5;\n"
                      "Liu & Nocedal, Math. Programming 45 (1989).",
                      params),
    .state_size = lbfgs_state_size,
    .init = lbfgs_init,
    .step = lbfgs_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = lbfgs_read_internals,
};
GDLAB_PLUGIN(lbfgs_desc)
