/* SPDX-License-Identifier: MIT */
/* levi13 — Lévi function N.13: f(x, y) = sin²(3πx) + (x − 1)²(1 + sin²(3πy)) + (y − 1)²(1 + sin²(2πy)).
 * A bowl around (1, 1) corrugated by ripples a third of a unit apart: a dense lattice of local
 * minima. Only the global minimum is listed; the local ones are too many to mark on a plot. */
#include <gdlab/plugin.h>
#include <math.h>

/* sin²(kπt) and its first two derivatives: kπ·sin(2kπt) and 2k²π²·cos(2kπt). */
static void sin_squared(double k, double t, double *v, double *d1, double *d2)
{
    const double s = sin(k * M_PI * t);
    *v = s * s;
    *d1 = k * M_PI * sin(2.0 * k * M_PI * t);
    *d2 = 2.0 * k * k * M_PI * M_PI * cos(2.0 * k * M_PI * t);
}

/* f = S(x) + (x − 1)²·A(y) + (y − 1)²·B(y), S = sin²(3πx), A = 1 + sin²(3πy), B = 1 + sin²(2πy). */
static double levi13_all(const double *x, double *grad, double *h)
{
    double s, s1, s2, a, a1, a2, b, b1, b2;
    sin_squared(3.0, x[0], &s, &s1, &s2);
    sin_squared(3.0, x[1], &a, &a1, &a2);
    sin_squared(2.0, x[1], &b, &b1, &b2);
    a += 1.0, b += 1.0;
    const double u = x[0] - 1.0, v = x[1] - 1.0;
    if (grad) {
        grad[0] = s1 + 2.0 * u * a;
        grad[1] = u * u * a1 + 2.0 * v * b + v * v * b1;
    }
    if (h) {
        h[0] = s2 + 2.0 * a;
        h[1] = h[2] = 2.0 * u * a1;
        h[3] = u * u * a2 + 2.0 * b + 4.0 * v * b1 + v * v * b2;
    }
    return s + u * u * a + v * v * b;
}

static double levi13_eval(const void *state, const double *x, double *grad)
{
    (void)state;
    return levi13_all(x, grad, NULL);
}

static void levi13_hessian(const void *state, const double *x, double *h)
{
    (void)state;
    levi13_all(x, NULL, h);
}

static void levi13_domain(const void *state, double *lo, double *hi)
{
    (void)state;
    lo[0] = lo[1] = -2.0;
    hi[0] = hi[1] = 4.0;
}

static void levi13_start(const void *state, double *x0)
{
    (void)state;
    x0[0] = -1.2, x0[1] = 3.3;
}

static int levi13_landmark(const void *state, size_t i, double *x)
{
    (void)state;
    if (i > 0) return GDLAB_LANDMARK_END;
    x[0] = x[1] = 1.0;
    return GDLAB_LANDMARK_GLOBAL_MIN;
}

static const gdlab_surface_desc levi13_desc = {
    .h = GDLAB_HEADER_NO_PARAMS(GDLAB_KIND_SURFACE, gdlab_surface_desc, "levi13",
                                "Lévi function N.13: a rippled bowl",
                                "f(x, y) = sin²(3πx) + (x − 1)²·(1 + sin²(3πy)) + (y − 1)²·(1 + sin²(2πy)),\n"
                                "plotted on [−2, 4]² (the usual search box is [−10, 10]²).\n"
                                "Global minimum f(1, 1) = 0; a lattice of local minima about 1/3 apart, not listed.\n"
                                "Reference: Jamil & Yang 2013; Virtual Library of Simulation Experiments (Levy N.13)."),
    .dim = 2,
    .eval = levi13_eval,
    .hessian = levi13_hessian,
    .domain = levi13_domain,
    .start = levi13_start,
    .landmark = levi13_landmark,
};
GDLAB_PLUGIN(levi13_desc)
