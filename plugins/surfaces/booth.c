/* SPDX-License-Identifier: MIT */
/* booth — f(x, y) = (x + 2y − 7)² + (2x + y − 5)², a tilted quadratic bowl with its minimum at (1, 3).
 * The Hessian [[10, 8], [8, 10]] has eigenvalues 2 and 18: condition number 9. */
#include <gdlab/plugin.h>

static double booth_eval(const void *state, const double *x, double *grad)
{
    (void)state;
    const double u = x[0] + 2.0 * x[1] - 7.0, v = 2.0 * x[0] + x[1] - 5.0;
    if (grad) {
        grad[0] = 2.0 * u + 4.0 * v;
        grad[1] = 4.0 * u + 2.0 * v;
    }
    return u * u + v * v;
}

static void booth_hessian(const void *state, const double *x, double *h)
{
    (void)state, (void)x;
    h[0] = h[3] = 10.0;
    h[1] = h[2] = 8.0;
}

static void booth_domain(const void *state, double *lo, double *hi)
{
    (void)state;
    lo[0] = lo[1] = -10.0;
    hi[0] = hi[1] = 10.0;
}

static void booth_start(const void *state, double *x0)
{
    (void)state;
    x0[0] = -8.0, x0[1] = -6.0;
}

static int booth_landmark(const void *state, size_t i, double *x)
{
    (void)state;
    if (i > 0) return GDLAB_LANDMARK_END;
    x[0] = 1.0, x[1] = 3.0;
    return GDLAB_LANDMARK_GLOBAL_MIN;
}

static const gdlab_surface_desc booth_desc = {
    .h = GDLAB_HEADER_NO_PARAMS(GDLAB_KIND_SURFACE, gdlab_surface_desc, "booth",
                                "Booth's function, a tilted quadratic bowl",
                                "f(x, y) = (x + 2y − 7)² + (2x + y − 5)², on [−10, 10]².\n"
                                "Global minimum f(1, 3) = 0; Hessian eigenvalues 2 and 18.\n"
                                "Reference: Jamil & Yang 2013; Virtual Library of Simulation Experiments."),
    .dim = 2,
    .eval = booth_eval,
    .hessian = booth_hessian,
    .domain = booth_domain,
    .start = booth_start,
    .landmark = booth_landmark,
};
GDLAB_PLUGIN(booth_desc)
