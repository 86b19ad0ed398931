/* SPDX-License-Identifier: MIT */
/* six_hump_camel — f(x, y) = (4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²: two global and four local
 * minima, seven saddles and two maxima in [−2, 2] × [−1, 1]. */
#include <gdlab/plugin.h>

/* All 15 critical points, by Newton's method in 40-digit arithmetic (mpmath) from a 41 × 41 grid
 * of starts on [−2, 2] × [−1.2, 1.2]; symmetric under (x, y) → (−x, −y). */
static const struct {
    int kind;
    double x, y;
} landmarks[] = {
    {GDLAB_LANDMARK_GLOBAL_MIN, 0.089842013100318062422, -0.7126564030207396334},
    {GDLAB_LANDMARK_GLOBAL_MIN, -0.089842013100318062422, 0.7126564030207396334},
    {GDLAB_LANDMARK_LOCAL_MIN, -1.7036067149699808488, 0.79608356867262511903},
    {GDLAB_LANDMARK_LOCAL_MIN, 1.7036067149699808488, -0.79608356867262511903},
    {GDLAB_LANDMARK_LOCAL_MIN, -1.6071047529201972298, -0.56865145488413137139},
    {GDLAB_LANDMARK_LOCAL_MIN, 1.6071047529201972298, 0.56865145488413137139},
    {GDLAB_LANDMARK_SADDLE, 0.0, 0.0},
    {GDLAB_LANDMARK_SADDLE, -1.1092053368047864474, 0.76826809250953984178},
    {GDLAB_LANDMARK_SADDLE, 1.1092053368047864474, -0.76826809250953984178},
    {GDLAB_LANDMARK_SADDLE, 1.6380679841897785638, 0.22867406904439406995},
    {GDLAB_LANDMARK_SADDLE, -1.6380679841897785638, -0.22867406904439406995},
    {GDLAB_LANDMARK_SADDLE, -1.2960702671671091833, -0.60508438803865849681},
    {GDLAB_LANDMARK_SADDLE, 1.2960702671671091833, 0.60508438803865849681},
    {GDLAB_LANDMARK_MAX, -1.2302298765166526266, -0.16233458445899497001},
    {GDLAB_LANDMARK_MAX, 1.2302298765166526266, 0.16233458445899497001},
};

static double camel6_eval(const void *state, const double *x, double *grad)
{
    (void)state;
    const double X = x[0], Y = x[1], X2 = X * X, Y2 = Y * Y;
    if (grad) {
        grad[0] = X * (8.0 - 8.4 * X2 + 2.0 * X2 * X2) + Y;
        grad[1] = X + Y * (16.0 * Y2 - 8.0);
    }
    return X2 * (4.0 - 2.1 * X2 + X2 * X2 / 3.0) + X * Y + Y2 * (4.0 * Y2 - 4.0);
}

static void camel6_hessian(const void *state, const double *x, double *h)
{
    (void)state;
    const double X2 = x[0] * x[0];
    h[0] = 8.0 - 25.2 * X2 + 10.0 * X2 * X2;
    h[1] = h[2] = 1.0;
    h[3] = 48.0 * x[1] * x[1] - 8.0;
}

static void camel6_domain(const void *state, double *lo, double *hi)
{
    (void)state;
    lo[0] = -2.0, hi[0] = 2.0;
    lo[1] = -1.0, hi[1] = 1.0;
}

static void camel6_start(const void *state, double *x0)
{
    (void)state;
    x0[0] = -1.5, x0[1] = -0.9;
}

static int camel6_landmark(const void *state, size_t i, double *x)
{
    (void)state;
    if (i >= GDLAB_COUNT_OF(landmarks)) return GDLAB_LANDMARK_END;
    x[0] = landmarks[i].x, x[1] = landmarks[i].y;
    return landmarks[i].kind;
}

static const gdlab_surface_desc camel6_desc = {
    .h = GDLAB_HEADER_NO_PARAMS(GDLAB_KIND_SURFACE, gdlab_surface_desc, "six_hump_camel",
                                "the six-hump camel: two global and four local minima",
                                "f(x, y) = (4 − 2.1x² + x⁴/3)·x² + x·y + (−4 + 4y²)·y², on [−2, 2] × [−1, 1].\n"
                                "Global minima f(±0.089842, ∓0.712656) = −1.031628; local minima at\n"
                                "(±1.703607, ∓0.796084), f = −0.215464, and (±1.607105, ±0.568651), f = 2.104250;\n"
                                "seven saddles (one at the origin) and two maxima.\n"
                                "Reference: L. C. W. Dixon & G. P. Szegö, \"Towards Global Optimisation 2\", 1978;\n"
                                "Jamil & Yang 2013; Virtual Library of Simulation Experiments."),
    .dim = 2,
    .eval = camel6_eval,
    .hessian = camel6_hessian,
    .domain = camel6_domain,
    .start = camel6_start,
    .landmark = camel6_landmark,
};
GDLAB_PLUGIN(camel6_desc)
