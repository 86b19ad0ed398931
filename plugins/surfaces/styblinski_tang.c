/* SPDX-License-Identifier: MIT */
/* styblinski_tang — f(x) = ½·Σ (x_i⁴ − 16x_i² + 5x_i): in each coordinate a lopsided double well,
 * so 2ⁿ minima of which only the all-left one is global. n-dimensional through `dim`. */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"dim", 2.0, 1.0, 100.0, GDLAB_PARAM_INTEGER, "number of variables", NULL},
};

/* The roots of the 1-D derivative 2x³ − 16x + 2.5, to 22 digits (mpmath findroot): the deep
 * well, the shallow well and the bump between them. */
enum { DEEP, SHALLOW, BUMP };
static const double root[3] = {-2.903534027771177095119, 2.746802770990836992453,
                               0.1567312567803401026659};

/* For n ≤ 2, every critical point: a choice of root per coordinate. n = 1, then n = 2, each ordered
 * global minimum, local minima, saddles, maxima. */
static const struct {
    int kind;
    int r[2];
} critical1[] = {
    {GDLAB_LANDMARK_GLOBAL_MIN, {DEEP, 0}},
    {GDLAB_LANDMARK_LOCAL_MIN, {SHALLOW, 0}},
    {GDLAB_LANDMARK_MAX, {BUMP, 0}},
}, critical2[] = {
    {GDLAB_LANDMARK_GLOBAL_MIN, {DEEP, DEEP}},   {GDLAB_LANDMARK_LOCAL_MIN, {DEEP, SHALLOW}},
    {GDLAB_LANDMARK_LOCAL_MIN, {SHALLOW, DEEP}}, {GDLAB_LANDMARK_LOCAL_MIN, {SHALLOW, SHALLOW}},
    {GDLAB_LANDMARK_SADDLE, {DEEP, BUMP}},       {GDLAB_LANDMARK_SADDLE, {BUMP, DEEP}},
    {GDLAB_LANDMARK_SADDLE, {SHALLOW, BUMP}},    {GDLAB_LANDMARK_SADDLE, {BUMP, SHALLOW}},
    {GDLAB_LANDMARK_MAX, {BUMP, BUMP}},
};

static uint32_t st_dimension(const double *p)
{
    return (uint32_t)p[0];
}

static const char *st_init(void *state, const double *p, size_t dim)
{
    (void)p;
    *(size_t *)state = dim;
    return NULL;
}

static double st_eval(const void *state, const double *x, double *grad)
{
    const size_t n = *(const size_t *)state;
    double f = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double t = x[i], t2 = t * t;
        f += 0.5 * (t2 * t2 - 16.0 * t2 + 5.0 * t);
        if (grad) grad[i] = 2.0 * t2 * t - 16.0 * t + 2.5;
    }
    return f;
}

static void st_hessian(const void *state, const double *x, double *h)
{
    const size_t n = *(const size_t *)state;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) h[i * n + j] = i == j ? 6.0 * x[i] * x[i] - 16.0 : 0.0;
}

static void st_domain(const void *state, double *lo, double *hi)
{
    const size_t n = *(const size_t *)state;
    for (size_t i = 0; i < n; i++) lo[i] = -5.0, hi[i] = 5.0;
}

/* Even coordinates start in the shallow well's basin, odd ones in the deep one's. */
static void st_start(const void *state, double *x0)
{
    const size_t n = *(const size_t *)state;
    for (size_t i = 0; i < n; i++) x0[i] = i % 2 ? -0.5 : 3.5;
}

/* All 3ⁿ critical points for n ≤ 2; beyond, only the global minimum. */
static int st_landmark(const void *state, size_t i, double *x)
{
    const size_t n = *(const size_t *)state;
    if (n > 2) {
        if (i > 0) return GDLAB_LANDMARK_END;
        for (size_t d = 0; d < n; d++) x[d] = root[DEEP];
        return GDLAB_LANDMARK_GLOBAL_MIN;
    }
    if (n == 1) {
        if (i >= GDLAB_COUNT_OF(critical1)) return GDLAB_LANDMARK_END;
        x[0] = root[critical1[i].r[0]];
        return critical1[i].kind;
    }
    if (i >= GDLAB_COUNT_OF(critical2)) return GDLAB_LANDMARK_END;
    x[0] = root[critical2[i].r[0]], x[1] = root[critical2[i].r[1]];
    return critical2[i].kind;
}

static const gdlab_surface_desc st_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_SURFACE, gdlab_surface_desc, "styblinski_tang",
                      "Styblinski–Tang: 2ⁿ minima, one global",
                      "f(x) = ½·Σ_i (x_i⁴ − 16·x_i² + 5·x_i), on [−5, 5]ⁿ, n = dim.\n"
                      "Global minimum f = −39.166166·n at x_i = −2.903534; each coordinate may instead sit\n"
                      "in the shallow well at 2.746803 (local minima) or on the bump at 0.156731 (saddles,\n"
                      "and a maximum when all do). All 3ⁿ critical points are listed for n ≤ 2.\n"
                      "Reference: M. A. Styblinski & T.-S. Tang, \"Experiments in nonconvex optimization\",\n"
                      "Neural Networks 3(4), 1990; Virtual Library of Simulation Experiments (which quotes\n"
                      "the minimum as −39.16599·n, from the rounded minimiser).",
                      params),
    .dimension = st_dimension,
    .state_size = sizeof(size_t),
    .init = st_init,
    .eval = st_eval,
    .hessian = st_hessian,
    .domain = st_domain,
    .start = st_start,
    .landmark = st_landmark,
};
GDLAB_PLUGIN(st_desc)
