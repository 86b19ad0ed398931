/* SPDX-License-Identifier: MIT */
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
 * evaluation per step. It is gdlab_wolfe_search from <gdlab/line_search.h>, shared with cg and bfgs.
 * Reference: Nocedal & Wright, "Numerical Optimization", 2nd ed., 2006: Algorithms 7.4 (two-loop
 * recursion) and 7.5 (L-BFGS), eq. 7.20 (γ), Algorithms 3.5 and 3.6 (line search); D. C. Liu and
 * J. Nocedal, "On the limited memory BFGS method for large scale optimization", Math. Programming
 * 45, 1989. */
#include <gdlab/line_search.h>
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

    gdlab_line_search ls = {.s = s, .d = d, .slope = slope, .c1 = p[C1], .c2 = p[C2], .xt = xt, .gt = gt};
    const double first_trial = st->stored ? 1.0 : fmin(1.0, 1.0 / sqrt(dot(g, g, n)));
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
