/* SPDX-License-Identifier: MIT */
/* mccormick — f(x, y) = sin(x + y) + (x − y)² − 1.5x + 2.5y + 1 on [−1.5, 4] × [−3, 4].
 * In u = x + y, v = x − y it separates into sin u + u/2 + (v − 1)², so every critical point lies
 * on the line v = 1 where cos u = −1/2: minima at u = −2π/3 + 2πk, saddles at u = 2π/3 + 2πk.
 * Inside the box that leaves the global minimum, one local minimum and one saddle, in closed form. */
#include <gdlab/plugin.h>
#include <math.h>

static double mccormick_eval(const void *state, const double *x, double *grad)
{
    (void)state;
    const double c = cos(x[0] + x[1]), d = x[0] - x[1];
    if (grad) {
        grad[0] = c + 2.0 * d - 1.5;
        grad[1] = c - 2.0 * d + 2.5;
    }
    return sin(x[0] + x[1]) + d * d - 1.5 * x[0] + 2.5 * x[1] + 1.0;
}

static void mccormick_hessian(const void *state, const double *x, double *h)
{
    (void)state;
    const double s = sin(x[0] + x[1]);
    h[0] = h[3] = 2.0 - s;
    h[1] = h[2] = -2.0 - s;
}

static void mccormick_domain(const void *state, double *lo, double *hi)
{
    (void)state;
    lo[0] = -1.5, hi[0] = 4.0;
    lo[1] = -3.0, hi[1] = 4.0;
}

static void mccormick_start(const void *state, double *x0)
{
    (void)state;
    x0[0] = 3.5, x0[1] = 3.5;
}

/* (x, y) = ((u + 1)/2, (u − 1)/2) at the critical values of u. */
static int mccormick_landmark(const void *state, size_t i, double *x)
{
    (void)state;
    static const struct {
        int kind;
        double u_over_pi;
    } points[] = {
        {GDLAB_LANDMARK_GLOBAL_MIN, -2.0 / 3.0},
        {GDLAB_LANDMARK_LOCAL_MIN, 4.0 / 3.0},
        {GDLAB_LANDMARK_SADDLE, 2.0 / 3.0},
    };
    if (i >= GDLAB_COUNT_OF(points)) return GDLAB_LANDMARK_END;
    const double u = points[i].u_over_pi * M_PI;
    x[0] = 0.5 * (u + 1.0), x[1] = 0.5 * (u - 1.0);
    return points[i].kind;
}

static const gdlab_surface_desc mccormick_desc = {
    .h = GDLAB_HEADER_NO_PARAMS(GDLAB_KIND_SURFACE, gdlab_surface_desc, "mccormick",
                                "McCormick's function: a tilted, wavy trough",
                                "f(x, y) = sin(x + y) + (x − y)² − 1.5x + 2.5y + 1, on [−1.5, 4] × [−3, 4].\n"
                                "Global minimum f(1/2 − π/3, −1/2 − π/3) = −√3/2 − π/3 ≈ −1.913223; local minimum\n"
                                "at (1/2 + 2π/3, −1/2 + 2π/3), f ≈ 1.228370; saddle at (1/2 + π/3, −1/2 + π/3).\n"
                                "Reference: G. P. McCormick, \"Computability of global solutions to factorable\n"
                                "nonconvex programs\", Math. Programming 10, 1976; Jamil & Yang 2013; VLSE."),
    .dim = 2,
    .eval = mccormick_eval,
    .hessian = mccormick_hessian,
    .domain = mccormick_domain,
    .start = mccormick_start,
    .landmark = mccormick_landmark,
};
GDLAB_PLUGIN(mccormick_desc)
