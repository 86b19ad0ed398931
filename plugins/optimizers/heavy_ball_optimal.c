/* SPDX-License-Identifier: MIT */
/* heavy_ball_optimal — Polyak's heavy ball with the (lr, β) that are optimal for a quadratic, computed
 * from the Hessian at the start:
 *
 *   μ, L ← the smallest and largest eigenvalue of H(x₀) (through the oracle, once)
 *   lr ← 4/(√L + √μ)²,   β ← ((√L − √μ)/(√L + √μ))²
 *   x ← x − lr·g + β·(x − x₋)                     (x₋ = x on the first step)
 *
 * On a quadratic the error then shrinks by (√κ − 1)/(√κ + 1) per step asymptotically, κ = L/μ —
 * against (κ − 1)/(κ + 1) for gd with its best fixed step 2/(L + μ). H(x₀) must be positive definite.
 * The eigenvalues come from the Jacobi rotations of <gdlab/symmetric_eigen.h>. Reference: B. T. Polyak, "Some methods of
 * speeding up the convergence of iteration methods", USSR Comp. Math. Math. Phys. 4(5), 1964,
 * Theorem 9; the rate as in B. Recht's lecture notes and Goh, "Why Momentum Really Works", Distill 2017. */
#include <gdlab/plugin.h>
#include <gdlab/symmetric_eigen.h>
#include <math.h>
#include <string.h>

static const gdlab_internal internals[] = {
    {"lr", 0, "4/(sqrt(L) + sqrt(mu))^2"},
    {"beta", 0, "((sqrt(L) - sqrt(mu))/(sqrt(L) + sqrt(mu)))^2"},
    {"mu", 0, "smallest eigenvalue of H(x0)"},
    {"L", 0, "largest eigenvalue of H(x0)"},
};

typedef struct {
    double lr, beta, mu, L;
    double arrays[]; /* previous x (dim), then the Hessian (dim²) */
} heavy_ball;

static size_t hb_state_size(size_t dim, const double *p)
{
    (void)p;
    return sizeof(heavy_ball) + (dim + dim * dim) * sizeof(double);
}

/* The extreme eigenvalues of the symmetric n×n matrix a (destroyed). */
static void extreme_eigenvalues(double *a, size_t n, double *lo, double *hi)
{
    gdlab_jacobi(a, n, NULL);
    *lo = *hi = a[0];
    for (size_t i = 1; i < n; i++)
        *lo = fmin(*lo, a[i * n + i]), *hi = fmax(*hi, a[i * n + i]);
}

static const char *hb_step(void *state, const double *p, gdlab_step *s)
{
    (void)p;
    heavy_ball *st = state;
    double *x_prev = st->arrays, *hess = x_prev + s->dim;
    if (s->t == 1) {
        if (s->oracle->hessian(s->oracle->host, s->x, hess))
            return "heavy_ball_optimal needs the Hessian at the start, and this surface has none";
        extreme_eigenvalues(hess, s->dim, &st->mu, &st->L);
        if (!(st->mu > 0.0))
            return "heavy_ball_optimal needs a positive definite Hessian at the start (its smallest "
                   "eigenvalue is not > 0): start nearer a minimum";
        const double rl = sqrt(st->L), rm = sqrt(st->mu);
        st->lr = 4.0 / ((rl + rm) * (rl + rm));
        st->beta = ((rl - rm) / (rl + rm)) * ((rl - rm) / (rl + rm));
        memcpy(x_prev, s->x, s->dim * sizeof(double));
    }
    for (size_t i = 0; i < s->dim; i++) {
        const double x = s->x[i];
        s->x[i] = x - st->lr * s->grad[i] + st->beta * (x - x_prev[i]);
        x_prev[i] = x;
    }
    return NULL;
}

static void hb_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)dim, (void)p;
    const heavy_ball *st = state;
    out[0] = st->lr, out[1] = st->beta, out[2] = st->mu, out[3] = st->L;
}

static const gdlab_optimizer_desc hb_desc = {
    .h = GDLAB_HEADER_NO_PARAMS(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "heavy_ball_optimal",
                                "heavy ball with Polyak's optimal lr and beta from the Hessian at x0",
                                "μ, L ← extreme eigenvalues of H(x₀);   lr ← 4/(√L + √μ)²;\n"
                                "β ← ((√L − √μ)/(√L + √μ))²;   x ← x − lr·g + β·(x − x₋)\n"
                                "Quadratics: error × (√κ − 1)/(√κ + 1) per step. 1 Hessian per run.\n"
                                "Reference: Polyak (1964), Theorem 9."),
    .state_size = hb_state_size,
    .step = hb_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = hb_read_internals,
};
GDLAB_PLUGIN(hb_desc)
