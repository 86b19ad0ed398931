/* SPDX-License-Identifier: MIT */
/* my_surface — a curved double well: a template for a surface plugin.
 *
 *   f(x, y) = (x² − 1)² + s·(y − x²)²
 *
 * Two parabolic valleys meet at a saddle: global minima at (±1, 1) with f = 0, a saddle at (0, 0)
 * with f = 1. Larger s makes the valley floor y = x² narrower and steeper. Copy this file, rename the
 * plugin ("my_surface" below) and replace the formula; give the exact gradient (and the Hessian, if
 * you can: it enables Newton's method, exact line searches and curvature figures). */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    /* name, default, lower, upper, flags, help, choices */
    {"s", 5.0, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "steepness of the walls of the valley y = x²", NULL},
};
enum { S };

/* Per-instance state, filled once by init from the (already validated) parameters. */
typedef struct {
    double s;
} my_surface;

static const char *my_init(void *state, const double *p, size_t dim)
{
    (void)dim; /* fixed at 2 by .dim below */
    ((my_surface *)state)->s = p[S];
    return NULL;
}

/* f(x); when grad is not NULL, also the exact gradient. One function, so shared terms are computed
 * once; line searches that need only f pass NULL. */
static double my_eval(const void *state, const double *x, double *grad)
{
    const double s = ((const my_surface *)state)->s;
    const double a = x[0] * x[0] - 1.0, v = x[1] - x[0] * x[0];
    if (grad) {
        grad[0] = 4.0 * x[0] * a - 4.0 * s * x[0] * v;
        grad[1] = 2.0 * s * v;
    }
    return a * a + s * v * v;
}

/* The Hessian, row-major dim × dim. */
static void my_hessian(const void *state, const double *x, double *h)
{
    const double s = ((const my_surface *)state)->s;
    h[0] = 12.0 * x[0] * x[0] - 4.0 - 4.0 * s * x[1] + 12.0 * s * x[0] * x[0];
    h[1] = h[2] = -4.0 * s * x[0];
    h[3] = 2.0 * s;
}

/* The plotting box; runs that leave it by far are stopped as diverged. */
static void my_domain(const void *state, double *lo, double *hi)
{
    (void)state;
    lo[0] = -2.0, hi[0] = 2.0;
    lo[1] = -1.0, hi[1] = 3.0;
}

/* The default start: high on the wall above the saddle, so the run has to pick a valley. */
static void my_start(const void *state, double *x0)
{
    (void)state;
    x0[0] = 0.25, x0[1] = 2.5;
}

/* Known critical points by index, global minima first; GDLAB_LANDMARK_END ends the list. */
static int my_landmark(const void *state, size_t i, double *x)
{
    (void)state;
    switch (i) {
    case 0: x[0] = -1.0, x[1] = 1.0; return GDLAB_LANDMARK_GLOBAL_MIN;
    case 1: x[0] = 1.0, x[1] = 1.0; return GDLAB_LANDMARK_GLOBAL_MIN;
    case 2: x[0] = 0.0, x[1] = 0.0; return GDLAB_LANDMARK_SADDLE;
    default: return GDLAB_LANDMARK_END;
    }
}

static const gdlab_surface_desc my_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_SURFACE, gdlab_surface_desc, "my_surface",
                      "curved double well (x² − 1)² + s·(y − x²)² (plugin template)",
                      "f(x, y) = (x² − 1)² + s·(y − x²)²\n"
                      "Global minima (±1, 1), f = 0; saddle (0, 0), f = 1.",
                      params),
    .dim = 2,
    .state_size = sizeof(my_surface),
    .init = my_init,
    .eval = my_eval,
    .hessian = my_hessian,
    .domain = my_domain,
    .start = my_start,
    .landmark = my_landmark,
};
GDLAB_PLUGIN(my_desc)
