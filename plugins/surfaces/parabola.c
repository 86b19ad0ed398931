/* SPDX-License-Identifier: MIT */
/* parabola — the 1-D f(x) = a·(x − c)² of the seeds' overshoot lesson (x² on [−5, 5] from −4).
 * f'' = 2a, so plain GD converges iff lr < 1/a, oscillates about c when 1/(2a) < lr < 1/a and
 * diverges beyond; momentum overshoots even below 1/(2a). */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"a", 1.0, 0.0, 1e6, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "curvature: f'' = 2a", NULL},
    {"c", 0.0, -1e6, 1e6, 0, "position of the minimum", NULL},
};
enum { A, C };

typedef struct {
    double a, c;
} parabola;

static const char *parabola_init(void *state, const double *p, size_t dim)
{
    (void)dim;
    *(parabola *)state = (parabola){p[A], p[C]};
    return NULL;
}

static double parabola_eval(const void *state, const double *x, double *grad)
{
    const parabola *p = state;
    const double d = x[0] - p->c;
    if (grad) grad[0] = 2.0 * p->a * d;
    return p->a * d * d;
}

static void parabola_hessian(const void *state, const double *x, double *h)
{
    (void)x;
    h[0] = 2.0 * ((const parabola *)state)->a;
}

static void parabola_domain(const void *state, double *lo, double *hi)
{
    const parabola *p = state;
    lo[0] = p->c - 5.0, hi[0] = p->c + 5.0;
}

static void parabola_start(const void *state, double *x0)
{
    x0[0] = ((const parabola *)state)->c - 4.0;
}

static int parabola_landmark(const void *state, size_t i, double *x)
{
    if (i > 0) return GDLAB_LANDMARK_END;
    x[0] = ((const parabola *)state)->c;
    return GDLAB_LANDMARK_GLOBAL_MIN;
}

static const gdlab_surface_desc parabola_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_SURFACE, gdlab_surface_desc, "parabola", "1-D parabola a·(x − c)²",
                      "f(x) = a·(x − c)², on [c − 5, c + 5] from c − 4 (seed: x² from −4 on [−5, 5]).\n"
                      "Global minimum f(c) = 0. GD with step lr maps x − c to (1 − 2a·lr)(x − c):\n"
                      "monotone for lr < 1/(2a), oscillating for 1/(2a) < lr < 1/a, divergent beyond.",
                      params),
    .dim = 1,
    .state_size = sizeof(parabola),
    .init = parabola_init,
    .eval = parabola_eval,
    .hessian = parabola_hessian,
    .domain = parabola_domain,
    .start = parabola_start,
    .landmark = parabola_landmark,
};
GDLAB_PLUGIN(parabola_desc)
