/* SPDX-License-Identifier: MIT */
/* double_well — the 1-D f(x) = (x² − 1)² + t·x: two wells near ±1 separated by a bump near 0; the
 * tilt t makes the left well (t > 0) the global one. Started in the right well, plain GD stays
 * trapped while momentum with enough speed rolls over the bump: the 1-D picture of a local minimum. */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"tilt", 0.5, -1.5, 1.5, 0, "slope t of the linear term; |t| < 8/√27 keeps both wells", NULL},
};

typedef struct {
    double tilt;
    double left, bump, right; /* the three critical points, ascending */
} double_well;

static double well_f(double t, double x)
{
    const double u = x * x - 1.0;
    return u * u + t * x;
}

/* f'(x) = 4x³ − 4x + t = 0 by Viète's trigonometric solution of x³ − x + t/4 = 0,
 * x_k = (2/√3)·cos(φ − 2πk/3) with φ = acos(−(3√3/8)·t)/3, then two Newton steps to polish. */
static double well_root(double t, int k)
{
    const double phi = acos(-3.0 * sqrt(3.0) / 8.0 * t) / 3.0;
    double x = 2.0 / sqrt(3.0) * cos(phi - 2.0 * M_PI * k / 3.0);
    for (int i = 0; i < 2; i++) x -= (4.0 * x * x * x - 4.0 * x + t) / (12.0 * x * x - 4.0);
    return x;
}

static const char *well_init(void *state, const double *p, size_t dim)
{
    (void)dim;
    const double t = p[0];
    *(double_well *)state = (double_well){t, well_root(t, 2), well_root(t, 1), well_root(t, 0)};
    return NULL;
}

static double well_eval(const void *state, const double *x, double *grad)
{
    const double t = ((const double_well *)state)->tilt;
    if (grad) grad[0] = 4.0 * x[0] * (x[0] * x[0] - 1.0) + t;
    return well_f(t, x[0]);
}

static void well_hessian(const void *state, const double *x, double *h)
{
    (void)state;
    h[0] = 12.0 * x[0] * x[0] - 4.0;
}

static void well_domain(const void *state, double *lo, double *hi)
{
    (void)state;
    lo[0] = -2.0, hi[0] = 2.0;
}

static void well_start(const void *state, double *x0)
{
    (void)state;
    x0[0] = 1.8;
}

/* The lower well first; with t = 0 both wells are global minima. */
static int well_landmark(const void *state, size_t i, double *x)
{
    const double_well *w = state;
    const double fl = well_f(w->tilt, w->left), fr = well_f(w->tilt, w->right);
    const int left_first = fl <= fr, tie = fabs(fl - fr) <= 1e-12;
    switch (i) {
    case 0:
        x[0] = left_first ? w->left : w->right;
        return GDLAB_LANDMARK_GLOBAL_MIN;
    case 1:
        x[0] = left_first ? w->right : w->left;
        return tie ? GDLAB_LANDMARK_GLOBAL_MIN : GDLAB_LANDMARK_LOCAL_MIN;
    case 2: x[0] = w->bump; return GDLAB_LANDMARK_MAX;
    default: return GDLAB_LANDMARK_END;
    }
}

static const gdlab_surface_desc well_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_SURFACE, gdlab_surface_desc, "double_well",
                      "1-D tilted double well (x² − 1)² + t·x",
                      "f(x) = (x² − 1)² + t·x on [−2, 2], start 1.8 (in the right well).\n"
                      "Critical points solve 4x³ − 4x + t = 0 (Viète's trigonometric formula): two minima\n"
                      "near ±1 and a maximum near t/4. With the default t = 0.5 the global minimum is\n"
                      "f(−1.057454) = −0.514754, the local one f(0.930403) = 0.483251, the maximum\n"
                      "f(0.127051) = 1.031502.",
                      params),
    .dim = 1,
    .state_size = sizeof(double_well),
    .init = well_init,
    .eval = well_eval,
    .hessian = well_hessian,
    .domain = well_domain,
    .start = well_start,
    .landmark = well_landmark,
};
GDLAB_PLUGIN(well_desc)
