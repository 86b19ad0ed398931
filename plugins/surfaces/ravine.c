/* SPDX-License-Identifier: MIT */
/* ravine — f(x, y) = (x² + κ·y²)/2, a quadratic valley whose condition number is the parameter.
 * The Hessian is diag(1, κ): plain GD is stable only for lr < 2/κ, and at the best fixed rate
 * lr = 2/(1 + κ) the error still shrinks only by (κ − 1)/(κ + 1) per step, so a narrow valley
 * (large κ) means zigzagging across it and crawling along it — the case momentum was made for. */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"kappa", 10.0, 1.0, 1e6, GDLAB_PARAM_LOG, "condition number: curvature across / along the valley", NULL},
};

static const char *ravine_init(void *state, const double *p, size_t dim)
{
    (void)dim;
    *(double *)state = p[0];
    return NULL;
}

static double ravine_eval(const void *state, const double *x, double *grad)
{
    const double kappa = *(const double *)state;
    if (grad) grad[0] = x[0], grad[1] = kappa * x[1];
    return 0.5 * (x[0] * x[0] + kappa * x[1] * x[1]);
}

static void ravine_hessian(const void *state, const double *x, double *h)
{
    (void)x;
    h[0] = 1.0;
    h[1] = h[2] = 0.0;
    h[3] = *(const double *)state;
}

/* The seed's box for the zigzag figure: long along the valley, short across it. */
static void ravine_domain(const void *state, double *lo, double *hi)
{
    (void)state;
    lo[0] = -5.0, hi[0] = 5.0;
    lo[1] = -2.2, hi[1] = 2.2;
}

static void ravine_start(const void *state, double *x0)
{
    (void)state;
    x0[0] = -4.0, x0[1] = 2.0;
}

static int ravine_landmark(const void *state, size_t i, double *x)
{
    (void)state;
    if (i > 0) return GDLAB_LANDMARK_END;
    x[0] = x[1] = 0.0;
    return GDLAB_LANDMARK_GLOBAL_MIN;
}

static const gdlab_surface_desc ravine_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_SURFACE, gdlab_surface_desc, "ravine",
                      "quadratic valley (x² + κy²)/2 with condition number κ",
                      "f(x, y) = (x² + κ·y²) / 2, Hessian diag(1, κ), condition number κ.\n"
                      "Global minimum f(0, 0) = 0. GD converges iff lr < 2/κ; the best fixed rate\n"
                      "2/(1 + κ) contracts the error by (κ − 1)/(κ + 1) per step (Nocedal & Wright,\n"
                      "\"Numerical Optimization\", 2nd ed., §3.3).",
                      params),
    .dim = 2,
    .state_size = sizeof(double),
    .init = ravine_init,
    .eval = ravine_eval,
    .hessian = ravine_hessian,
    .domain = ravine_domain,
    .start = ravine_start,
    .landmark = ravine_landmark,
};
GDLAB_PLUGIN(ravine_desc)
