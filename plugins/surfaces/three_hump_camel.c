/* SPDX-License-Identifier: MIT */
/* three_hump_camel — f(x, y) = 2x² − 1.05x⁴ + x⁶/6 + xy + y²: a global minimum at the origin
 * flanked by two shallow local minima, with a saddle on each pass between them. */
#include <gdlab/plugin.h>

/* Critical points, by Newton's method in 40-digit arithmetic (mpmath) from a 41 × 41 grid of
 * starts on [−2.5, 2.5]²; symmetric under (x, y) → (−x, −y). */
static const struct {
    int kind;
    double x, y;
} landmarks[] = {
    {GDLAB_LANDMARK_GLOBAL_MIN, 0.0, 0.0},
    {GDLAB_LANDMARK_LOCAL_MIN, -1.7475523458302888986, 0.87377617291514444929},
    {GDLAB_LANDMARK_LOCAL_MIN, 1.7475523458302888986, -0.87377617291514444929},
    {GDLAB_LANDMARK_SADDLE, -1.0705422918236599731, 0.53527114591182998654},
    {GDLAB_LANDMARK_SADDLE, 1.0705422918236599731, -0.53527114591182998654},
};

static double camel3_eval(const void *state, const double *x, double *grad)
{
    (void)state;
    const double X = x[0], Y = x[1], X2 = X * X;
    if (grad) {
        grad[0] = X * (4.0 - 4.2 * X2 + X2 * X2) + Y;
        grad[1] = X + 2.0 * Y;
    }
    return X2 * (2.0 - 1.05 * X2 + X2 * X2 / 6.0) + X * Y + Y * Y;
}

static void camel3_hessian(const void *state, const double *x, double *h)
{
    (void)state;
    const double X2 = x[0] * x[0];
    h[0] = 4.0 - 12.6 * X2 + 5.0 * X2 * X2;
    h[1] = h[2] = 1.0;
    h[3] = 2.0;
}

static void camel3_domain(const void *state, double *lo, double *hi)
{
    (void)state;
    lo[0] = lo[1] = -2.5;
    hi[0] = hi[1] = 2.5;
}

static void camel3_start(const void *state, double *x0)
{
    (void)state;
    x0[0] = 2.2, x0[1] = -2.0;
}

static int camel3_landmark(const void *state, size_t i, double *x)
{
    (void)state;
    if (i >= GDLAB_COUNT_OF(landmarks)) return GDLAB_LANDMARK_END;
    x[0] = landmarks[i].x, x[1] = landmarks[i].y;
    return landmarks[i].kind;
}

static const gdlab_surface_desc camel3_desc = {
    .h = GDLAB_HEADER_NO_PARAMS(GDLAB_KIND_SURFACE, gdlab_surface_desc, "three_hump_camel",
                                "the three-hump camel: one global and two local minima",
                                "f(x, y) = 2x² − 1.05x⁴ + x⁶/6 + xy + y², on [−2.5, 2.5]².\n"
                                "Global minimum f(0, 0) = 0; local minima f(±1.747552, ∓0.873776) = 0.298638;\n"
                                "saddles f(±1.070542, ∓0.535271) = 0.877362.\n"
                                "Reference: Jamil & Yang 2013; Virtual Library of Simulation Experiments."),
    .dim = 2,
    .eval = camel3_eval,
    .hessian = camel3_hessian,
    .domain = camel3_domain,
    .start = camel3_start,
    .landmark = camel3_landmark,
};
GDLAB_PLUGIN(camel3_desc)
