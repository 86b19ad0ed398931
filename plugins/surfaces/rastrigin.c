/* SPDX-License-Identifier: MIT */
/* rastrigin — f(x) = 10n + Σ (x_i² − 10·cos 2πx_i): a parabola under an egg-crate, with a local
 * minimum near every integer point. n-dimensional through the `dim` parameter (default 2). */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"dim", 2.0, 1.0, 100.0, GDLAB_PARAM_INTEGER, "number of variables", NULL},
};

enum { KMAX = 5 }; /* local minima near the integers −5..5 lie in the box [−5.12, 5.12] */
typedef struct {
    size_t n;
    double root[2 * KMAX + 1]; /* root[k + KMAX]: the 1-D local minimum near the integer k */
} rastrigin;

static uint32_t rastrigin_dimension(const double *p)
{
    return (uint32_t)p[0];
}

/* The function is a sum of 1-D terms, so its minima are all combinations of 1-D minima, the roots
 * of 2x + 20π·sin 2πx = 0 next to each integer: Newton's method from the integer converges at once
 * since the curvature there, 2 + 40π², dwarfs the pull 2k of the parabola. */
static const char *rastrigin_init(void *state, const double *p, size_t dim)
{
    (void)p;
    rastrigin *r = state;
    r->n = dim;
    for (int k = -KMAX; k <= KMAX; k++) {
        double x = k;
        for (int i = 0; i < 6; i++)
            x -= (2.0 * x + 20.0 * M_PI * sin(2.0 * M_PI * x)) / (2.0 + 40.0 * M_PI * M_PI * cos(2.0 * M_PI * x));
        r->root[k + KMAX] = x;
    }
    return NULL;
}

static double rastrigin_eval(const void *state, const double *x, double *grad)
{
    const rastrigin *r = state;
    double f = 10.0 * (double)r->n;
    for (size_t i = 0; i < r->n; i++) {
        f += x[i] * x[i] - 10.0 * cos(2.0 * M_PI * x[i]);
        if (grad) grad[i] = 2.0 * x[i] + 20.0 * M_PI * sin(2.0 * M_PI * x[i]);
    }
    return f;
}

static void rastrigin_hessian(const void *state, const double *x, double *h)
{
    const rastrigin *r = state;
    const size_t n = r->n;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            h[i * n + j] = i == j ? 2.0 + 40.0 * M_PI * M_PI * cos(2.0 * M_PI * x[i]) : 0.0;
}

static void rastrigin_domain(const void *state, double *lo, double *hi)
{
    const rastrigin *r = state;
    for (size_t i = 0; i < r->n; i++) lo[i] = -5.12, hi[i] = 5.12;
}

static void rastrigin_start(const void *state, double *x0)
{
    const rastrigin *r = state;
    for (size_t i = 0; i < r->n; i++) x0[i] = i % 2 ? -3.3 : 2.2;
}

/* In one and two dimensions all 11ⁿ minima: the global one (the origin), then the others in
 * lexicographic order of their integer neighbours. In more dimensions only the global minimum. */
static int rastrigin_landmark(const void *state, size_t i, double *x)
{
    const rastrigin *r = state;
    const size_t base = 2 * KMAX + 1;
    size_t count = 1, origin = 0; /* origin: index of the all-zero combination */
    if (r->n <= 2)
        for (size_t d = 0; d < r->n; d++) origin = origin * base + KMAX, count *= base;
    if (i >= count) return GDLAB_LANDMARK_END;
    size_t combo = i == 0 ? origin : (i - 1 < origin ? i - 1 : i);
    for (size_t d = r->n; d-- > 0;) {
        x[d] = r->n <= 2 ? r->root[combo % base] : 0.0;
        combo /= base;
    }
    return i == 0 ? GDLAB_LANDMARK_GLOBAL_MIN : GDLAB_LANDMARK_LOCAL_MIN;
}

static const gdlab_surface_desc rastrigin_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_SURFACE, gdlab_surface_desc, "rastrigin",
                      "Rastrigin's egg-crate: a local minimum near every integer point",
                      "f(x) = 10·n + Σ_i (x_i² − 10·cos(2π·x_i)), on [−5.12, 5.12]ⁿ, n = dim.\n"
                      "Global minimum f(0) = 0. Local minima at every combination of the 1-D minima\n"
                      "near the integers −5..5 (e.g. 0.994959 with f = 0.994959 per coordinate): all 11ⁿ\n"
                      "are listed for n ≤ 2, only the global one beyond.\n"
                      "Reference: L. A. Rastrigin, \"Systems of Extremal Control\", 1974; Jamil & Yang 2013;\n"
                      "Virtual Library of Simulation Experiments.",
                      params),
    .dimension = rastrigin_dimension,
    .state_size = sizeof(rastrigin),
    .init = rastrigin_init,
    .eval = rastrigin_eval,
    .hessian = rastrigin_hessian,
    .domain = rastrigin_domain,
    .start = rastrigin_start,
    .landmark = rastrigin_landmark,
};
GDLAB_PLUGIN(rastrigin_desc)
