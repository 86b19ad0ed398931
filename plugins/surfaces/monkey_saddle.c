/* SPDX-License-Identifier: MIT */
/* monkey_saddle — f(x, y) = x³ − 3xy² = r³·cos 3θ: three valleys and three ridges meet at the origin.
 * Its only critical point is degenerate (the Hessian vanishes there), so second-order tests say
 * nothing and gradient methods slow down near it from every direction. */
#include <gdlab/plugin.h>

static double monkey_eval(const void *state, const double *x, double *grad)
{
    (void)state;
    if (grad) {
        grad[0] = 3.0 * (x[0] * x[0] - x[1] * x[1]);
        grad[1] = -6.0 * x[0] * x[1];
    }
    return x[0] * (x[0] * x[0] - 3.0 * x[1] * x[1]);
}

static void monkey_hessian(const void *state, const double *x, double *h)
{
    (void)state;
    h[0] = 6.0 * x[0];
    h[1] = h[2] = -6.0 * x[1];
    h[3] = -6.0 * x[0];
}

static void monkey_domain(const void *state, double *lo, double *hi)
{
    (void)state;
    lo[0] = lo[1] = -2.0;
    hi[0] = hi[1] = 2.0;
}

/* On the ridge θ ≈ 0: descent runs towards the origin, then falls off into a valley at ±60°. */
static void monkey_start(const void *state, double *x0)
{
    (void)state;
    x0[0] = 1.5, x0[1] = 0.2;
}

static int monkey_landmark(const void *state, size_t i, double *x)
{
    (void)state;
    if (i > 0) return GDLAB_LANDMARK_END;
    x[0] = x[1] = 0.0;
    return GDLAB_LANDMARK_SADDLE;
}

static const gdlab_surface_desc monkey_desc = {
    .h = GDLAB_HEADER_NO_PARAMS(GDLAB_KIND_SURFACE, gdlab_surface_desc, "monkey_saddle",
                                "the monkey saddle x³ − 3xy², a degenerate saddle",
                                "f(x, y) = x³ − 3·x·y² = r³·cos(3θ)\n"
                                "One critical point, (0, 0), where gradient and Hessian both vanish:\n"
                                "a degenerate saddle with three descending valleys. Unbounded below.\n"
                                "Reference: D. Hilbert & S. Cohn-Vossen, \"Geometry and the Imagination\", 1952."),
    .dim = 2,
    .eval = monkey_eval,
    .hessian = monkey_hessian,
    .domain = monkey_domain,
    .start = monkey_start,
    .landmark = monkey_landmark,
};
GDLAB_PLUGIN(monkey_desc)
