/* SPDX-License-Identifier: MIT */
/* himmelblau — f(x, y) = (x² + y − 11)² + (x + y² − 7)²: four equal global minima, four saddles
 * and a maximum, so the basin a run ends in depends only on where it starts. */
#include <gdlab/plugin.h>

/* Critical points in [−5, 5]², by Newton's method in 40-digit arithmetic (mpmath) from a 41 × 41
 * grid of starts; (3, 2) is exact. */
static const struct {
    int kind;
    double x, y;
} landmarks[] = {
    {GDLAB_LANDMARK_GLOBAL_MIN, 3.0, 2.0},
    {GDLAB_LANDMARK_GLOBAL_MIN, -2.8051180869527448531, 3.1313125182505729658},
    {GDLAB_LANDMARK_GLOBAL_MIN, -3.7793102533777468919, -3.2831859912861694123},
    {GDLAB_LANDMARK_GLOBAL_MIN, 3.5844283403304917449, -1.8481265269644035535},
    {GDLAB_LANDMARK_SADDLE, 3.385154183607020938, 0.073851879837749287719},
    {GDLAB_LANDMARK_SADDLE, 0.086677504555396351823, 2.8842547011747761131},
    {GDLAB_LANDMARK_SADDLE, -3.0730257507643896105, -0.081353044287967511553},
    {GDLAB_LANDMARK_SADDLE, -0.12796134673068006631, -1.9537149802445764261},
    {GDLAB_LANDMARK_MAX, -0.27084459066734761304, -0.92303855647998146313},
};

static double himmelblau_eval(const void *state, const double *x, double *grad)
{
    (void)state;
    const double a = x[0] * x[0] + x[1] - 11.0, b = x[0] + x[1] * x[1] - 7.0;
    if (grad) {
        grad[0] = 4.0 * x[0] * a + 2.0 * b;
        grad[1] = 2.0 * a + 4.0 * x[1] * b;
    }
    return a * a + b * b;
}

static void himmelblau_hessian(const void *state, const double *x, double *h)
{
    (void)state;
    h[0] = 12.0 * x[0] * x[0] + 4.0 * x[1] - 42.0;
    h[1] = h[2] = 4.0 * (x[0] + x[1]);
    h[3] = 12.0 * x[1] * x[1] + 4.0 * x[0] - 26.0;
}

static void himmelblau_domain(const void *state, double *lo, double *hi)
{
    (void)state;
    lo[0] = lo[1] = -5.0;
    hi[0] = hi[1] = 5.0;
}

static void himmelblau_start(const void *state, double *x0)
{
    (void)state;
    x0[0] = -0.5, x0[1] = 0.5;
}

static int himmelblau_landmark(const void *state, size_t i, double *x)
{
    (void)state;
    if (i >= GDLAB_COUNT_OF(landmarks)) return GDLAB_LANDMARK_END;
    x[0] = landmarks[i].x, x[1] = landmarks[i].y;
    return landmarks[i].kind;
}

static const gdlab_surface_desc himmelblau_desc = {
    .h = GDLAB_HEADER_NO_PARAMS(GDLAB_KIND_SURFACE, gdlab_surface_desc, "himmelblau",
                                "Himmelblau's function: four equal minima",
                                "f(x, y) = (x² + y − 11)² + (x + y² − 7)², on [−5, 5]².\n"
                                "Global minima f = 0 at (3, 2), (−2.805118, 3.131313), (−3.779310, −3.283186),\n"
                                "(3.584428, −1.848127); four saddles; maximum f(−0.270845, −0.923039) = 181.617.\n"
                                "Reference: D. M. Himmelblau, \"Applied Nonlinear Programming\", McGraw-Hill 1972;\n"
                                "Jamil & Yang 2013."),
    .dim = 2,
    .eval = himmelblau_eval,
    .hessian = himmelblau_hessian,
    .domain = himmelblau_domain,
    .start = himmelblau_start,
    .landmark = himmelblau_landmark,
};
GDLAB_PLUGIN(himmelblau_desc)
