/* SPDX-License-Identifier: MIT */
/* matyas — f(x, y) = 0.26(x² + y²) − 0.48xy: a plate-like bowl, almost flat along the diagonal.
 * Hessian [[0.52, −0.48], [−0.48, 0.52]]: eigenvalue 0.04 along (1, 1) and 1 along (1, −1), so the
 * condition number is 25 and descent crawls along the diagonal. */
#include <gdlab/plugin.h>

static double matyas_eval(const void *state, const double *x, double *grad)
{
    (void)state;
    if (grad) {
        grad[0] = 0.52 * x[0] - 0.48 * x[1];
        grad[1] = 0.52 * x[1] - 0.48 * x[0];
    }
    return 0.26 * (x[0] * x[0] + x[1] * x[1]) - 0.48 * x[0] * x[1];
}

static void matyas_hessian(const void *state, const double *x, double *h)
{
    (void)state, (void)x;
    h[0] = h[3] = 0.52;
    h[1] = h[2] = -0.48;
}

static void matyas_domain(const void *state, double *lo, double *hi)
{
    (void)state;
    lo[0] = lo[1] = -10.0;
    hi[0] = hi[1] = 10.0;
}

static void matyas_start(const void *state, double *x0)
{
    (void)state;
    x0[0] = 8.0, x0[1] = 2.0;
}

static int matyas_landmark(const void *state, size_t i, double *x)
{
    (void)state;
    if (i > 0) return GDLAB_LANDMARK_END;
    x[0] = x[1] = 0.0;
    return GDLAB_LANDMARK_GLOBAL_MIN;
}

static const gdlab_surface_desc matyas_desc = {
    .h = GDLAB_HEADER_NO_PARAMS(GDLAB_KIND_SURFACE, gdlab_surface_desc, "matyas",
                                "Matyas' function, a flat diagonal bowl",
                                "f(x, y) = 0.26·(x² + y²) − 0.48·x·y, on [−10, 10]².\n"
                                "Global minimum f(0, 0) = 0; Hessian eigenvalues 0.04 and 1.\n"
                                "Reference: Jamil & Yang 2013; Virtual Library of Simulation Experiments."),
    .dim = 2,
    .eval = matyas_eval,
    .hessian = matyas_hessian,
    .domain = matyas_domain,
    .start = matyas_start,
    .landmark = matyas_landmark,
};
GDLAB_PLUGIN(matyas_desc)
