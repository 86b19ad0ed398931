/* SPDX-License-Identifier: MIT */
/* ackley — f(x) = −20·exp(−0.2·r) − exp(Σ cos(2πx_i)/n) + 20 + e, r = √(Σ x_i²/n): a nearly flat
 * plain of ripples around a deep funnel whose tip at 0 is a kink. n-dimensional through `dim`. */
#include <gdlab/plugin.h>
#include <math.h>
#include <string.h>

static const gdlab_param params[] = {
    {"dim", 2.0, 1.0, 100.0, GDLAB_PARAM_INTEGER, "number of variables", NULL},
};

enum { KMAX = 5, MAX_MINIMA = (2 * KMAX + 1) * (2 * KMAX + 1) };
typedef struct {
    size_t n;
    size_t count;              /* minima found, for n ≤ 2 */
    double min[MAX_MINIMA][2]; /* min[0] is the origin */
} ackley;

static uint32_t ackley_dimension(const double *p)
{
    return (uint32_t)p[0];
}

/* f, and when asked its gradient and Hessian (n × n). With φ(r) = −20·exp(−0.2r) and
 * C = Σ cos(2πx_i)/n: ∇r = x/(n·r), ∇²r = I/(n·r) − x·xᵀ/(n²·r³), and
 * ∇²f = φ''·∇r∇rᵀ + φ'·∇²r − e^C·(∇C∇Cᵀ + ∇²C). At the kink r = 0 the cone term contributes its
 * subgradient 0 and no curvature, so the origin reports a zero gradient. */
static double ackley_all(size_t n, const double *x, double *grad, double *h)
{
    double sum_sq = 0.0, sum_cos = 0.0;
    for (size_t i = 0; i < n; i++) sum_sq += x[i] * x[i], sum_cos += cos(2.0 * M_PI * x[i]);
    const double dn = (double)n, r = sqrt(sum_sq / dn), e1 = exp(-0.2 * r), eC = exp(sum_cos / dn);
    const double d1 = 4.0 * e1, d2 = -0.8 * e1; /* φ'(r), φ''(r) */
    for (size_t i = 0; i < n && (grad || h); i++) {
        const double ri = r > 0.0 ? x[i] / (dn * r) : 0.0; /* ∂r/∂x_i */
        const double Ci = -2.0 * M_PI / dn * sin(2.0 * M_PI * x[i]);
        if (grad) grad[i] = d1 * ri - eC * Ci;
        if (!h) continue;
        for (size_t j = 0; j < n; j++) {
            const double rj = r > 0.0 ? x[j] / (dn * r) : 0.0;
            const double Cj = -2.0 * M_PI / dn * sin(2.0 * M_PI * x[j]);
            double hij = -eC * Ci * Cj;
            if (r > 0.0) hij += d2 * ri * rj - d1 * ri * rj / r; /* x_i x_j/(n² r³) = r_i r_j / r */
            if (i == j) {
                if (r > 0.0) hij += d1 / (dn * r);
                hij += eC * 4.0 * M_PI * M_PI / dn * cos(2.0 * M_PI * x[i]);
            }
            h[i * n + j] = hij;
        }
    }
    return -20.0 * e1 - eC + 20.0 + M_E;
}

/* Newton's method from a lattice point: there the ripple's curvature, about 4π²·e/n, dwarfs the
 * funnel's slope (below 4/√n), so it converges to the nearby minimum in a few steps. Returns 1 when
 * it did and the Hessian there is positive definite. */
static int ackley_polish(size_t n, double *x)
{
    double g[2], h[4];
    for (int it = 0; it < 30; it++) {
        ackley_all(n, x, g, h);
        double step[2];
        if (n == 1) {
            step[0] = g[0] / h[0];
        } else {
            const double det = h[0] * h[3] - h[1] * h[2];
            step[0] = (h[3] * g[0] - h[1] * g[1]) / det;
            step[1] = (h[0] * g[1] - h[2] * g[0]) / det;
        }
        double size = 0.0;
        for (size_t i = 0; i < n; i++) x[i] -= step[i], size = fmax(size, fabs(step[i]));
        if (size < 1e-15) break;
    }
    ackley_all(n, x, g, h);
    return n == 1 ? h[0] > 0.0 : h[0] > 0.0 && h[0] * h[3] - h[1] * h[2] > 0.0;
}

static const char *ackley_init(void *state, const double *p, size_t dim)
{
    (void)p;
    ackley *a = state;
    memset(a, 0, sizeof *a);
    a->n = dim;
    a->count = 1; /* the origin */
    if (dim > 2) return NULL;
    const int side = 2 * KMAX + 1, lattice = dim == 2 ? side * side : side;
    for (int c = 0; c < lattice; c++) {
        double x[2] = {c % side - KMAX, dim == 2 ? c / side - KMAX : 0.0};
        if (x[0] == 0.0 && x[1] == 0.0) continue;
        if (ackley_polish(dim, x)) a->min[a->count][0] = x[0], a->min[a->count++][1] = x[1];
    }
    return NULL;
}

static double ackley_eval(const void *state, const double *x, double *grad)
{
    return ackley_all(((const ackley *)state)->n, x, grad, NULL);
}

static void ackley_hessian(const void *state, const double *x, double *h)
{
    ackley_all(((const ackley *)state)->n, x, NULL, h);
}

static void ackley_domain(const void *state, double *lo, double *hi)
{
    const ackley *a = state;
    for (size_t i = 0; i < a->n; i++) lo[i] = -5.0, hi[i] = 5.0;
}

static void ackley_start(const void *state, double *x0)
{
    const ackley *a = state;
    for (size_t i = 0; i < a->n; i++) x0[i] = i % 2 ? -3.4 : 2.6;
}

static int ackley_landmark(const void *state, size_t i, double *x)
{
    const ackley *a = state;
    if (i >= a->count) return GDLAB_LANDMARK_END;
    for (size_t d = 0; d < a->n; d++) x[d] = d < 2 ? a->min[i][d] : 0.0;
    return i == 0 ? GDLAB_LANDMARK_GLOBAL_MIN : GDLAB_LANDMARK_LOCAL_MIN;
}

static const gdlab_surface_desc ackley_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_SURFACE, gdlab_surface_desc, "ackley",
                      "Ackley's funnel in a field of ripples",
                      "f(x) = −20·exp(−0.2·√(Σ x_i²/n)) − exp(Σ cos(2π·x_i)/n) + 20 + e, on [−5, 5]ⁿ\n"
                      "(the usual search box is [−32.768, 32.768]ⁿ), n = dim.\n"
                      "Global minimum f(0) = 0, a kink: the gradient jumps there and the reported gradient\n"
                      "and Hessian at exactly 0 are those of the smooth ripple term. Local minima sit just\n"
                      "inside every integer point; for n ≤ 2 all of them in the box are listed (found by\n"
                      "Newton's method when the surface is created), beyond only the global one.\n"
                      "Reference: D. H. Ackley, \"A Connectionist Machine for Genetic Hillclimbing\", 1987;\n"
                      "Jamil & Yang 2013; Virtual Library of Simulation Experiments.",
                      params),
    .dimension = ackley_dimension,
    .state_size = sizeof(ackley),
    .init = ackley_init,
    .eval = ackley_eval,
    .hessian = ackley_hessian,
    .domain = ackley_domain,
    .start = ackley_start,
    .landmark = ackley_landmark,
};
GDLAB_PLUGIN(ackley_desc)
