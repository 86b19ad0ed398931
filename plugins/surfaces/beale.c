/* SPDX-License-Identifier: MIT */
/* beale — f(x, y) = Σ_{i=1..3} (c_i − x + x·y^i)², c = (1.5, 2.25, 2.625): a flat basin ringed by
 * steep walls (the x²y⁶ term), minimum at (3, 0.5). */
#include <gdlab/plugin.h>

static const double c[3] = {1.5, 2.25, 2.625};

/* Critical points in [−4.5, 4.5]², by Newton's method in 40-digit arithmetic (mpmath) from a
 * 41 × 41 grid of starts; the global minimum and the saddle (0, 1) are exact. */
static const struct {
    int kind;
    double x, y;
} landmarks[] = {
    {GDLAB_LANDMARK_GLOBAL_MIN, 3.0, 0.5},
    {GDLAB_LANDMARK_SADDLE, 0.0, 1.0},
    {GDLAB_LANDMARK_SADDLE, 0.10053793732415835927, -2.6445135850231249689},
};

/* With r_i = c_i − x + x·y^i: f = Σ r_i², ∇f = Σ 2·r_i·∇r_i, ∇²f = Σ 2·(∇r_i ∇r_iᵀ + r_i ∇²r_i). */
static double beale_eval(const void *state, const double *x, double *grad)
{
    (void)state;
    double f = 0.0, gx = 0.0, gy = 0.0, ypow = 1.0; /* ypow = y^(i−1) */
    for (int i = 1; i <= 3; i++) {
        const double r = c[i - 1] - x[0] + x[0] * ypow * x[1];
        f += r * r;
        gx += 2.0 * r * (ypow * x[1] - 1.0);
        gy += 2.0 * r * i * x[0] * ypow;
        ypow *= x[1];
    }
    if (grad) grad[0] = gx, grad[1] = gy;
    return f;
}

static void beale_hessian(const void *state, const double *x, double *h)
{
    (void)state;
    double hxx = 0.0, hxy = 0.0, hyy = 0.0;
    double ym2 = 0.0, ym1 = 1.0; /* y^(i−2) (0 for i = 1) and y^(i−1) */
    for (int i = 1; i <= 3; i++) {
        const double yi = ym1 * x[1];
        const double r = c[i - 1] - x[0] + x[0] * yi;
        const double rx = yi - 1.0, ry = i * x[0] * ym1;
        const double rxy = i * ym1, ryy = i * (i - 1) * x[0] * ym2;
        hxx += 2.0 * rx * rx;
        hxy += 2.0 * (rx * ry + r * rxy);
        hyy += 2.0 * (ry * ry + r * ryy);
        ym2 = ym1, ym1 = yi;
    }
    h[0] = hxx;
    h[1] = h[2] = hxy;
    h[3] = hyy;
}

static void beale_domain(const void *state, double *lo, double *hi)
{
    (void)state;
    lo[0] = lo[1] = -4.5;
    hi[0] = hi[1] = 4.5;
}

static void beale_start(const void *state, double *x0)
{
    (void)state;
    x0[0] = 1.0, x0[1] = 1.5;
}

static int beale_landmark(const void *state, size_t i, double *x)
{
    (void)state;
    if (i >= GDLAB_COUNT_OF(landmarks)) return GDLAB_LANDMARK_END;
    x[0] = landmarks[i].x, x[1] = landmarks[i].y;
    return landmarks[i].kind;
}

static const gdlab_surface_desc beale_desc = {
    .h = GDLAB_HEADER_NO_PARAMS(GDLAB_KIND_SURFACE, gdlab_surface_desc, "beale",
                                "Beale's function: a flat basin inside steep walls",
                                "f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)², on [−4.5, 4.5]².\n"
                                "Global minimum f(3, 0.5) = 0; saddles at (0, 1), f = 14.203125, and\n"
                                "(0.100538, −2.644514), f = 9.864512.\n"
                                "Reference: E. M. L. Beale, \"On an iterative method for finding a local minimum of\n"
                                "a function of more than one variable\", Princeton Univ. tech. report 25, 1958;\n"
                                "Jamil & Yang 2013; Virtual Library of Simulation Experiments."),
    .dim = 2,
    .eval = beale_eval,
    .hessian = beale_hessian,
    .domain = beale_domain,
    .start = beale_start,
    .landmark = beale_landmark,
};
GDLAB_PLUGIN(beale_desc)
