/* SPDX-License-Identifier: MIT */
/* saddle — f(x, y) = a·x² − b·y², the simplest saddle point (seed 004's "Saddle Point" surface).
 * Started near the ridge at (1.5, 0.1), gradient descent first slides into the saddle along x and
 * only slowly escapes along y, where the tiny initial offset grows by a factor (1 + 2·b·lr) per step. */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"a", 1.0, 0.0, 1e6, GDLAB_PARAM_OPEN_LOWER, "curvature along x (upwards)", NULL},
    {"b", 1.0, 0.0, 1e6, GDLAB_PARAM_OPEN_LOWER, "curvature along y (downwards)", NULL},
};
enum { A, B };

typedef struct {
    double a, b;
} saddle;

static const char *saddle_init(void *state, const double *p, size_t dim)
{
    (void)dim;
    *(saddle *)state = (saddle){p[A], p[B]};
    return NULL;
}

static double saddle_eval(const void *state, const double *x, double *grad)
{
    const saddle *s = state;
    if (grad) {
        grad[0] = 2.0 * s->a * x[0];
        grad[1] = -2.0 * s->b * x[1];
    }
    return s->a * x[0] * x[0] - s->b * x[1] * x[1];
}

static void saddle_hessian(const void *state, const double *x, double *h)
{
    (void)x;
    const saddle *s = state;
    h[0] = 2.0 * s->a;
    h[1] = h[2] = 0.0;
    h[3] = -2.0 * s->b;
}

static void saddle_domain(const void *state, double *lo, double *hi)
{
    (void)state;
    lo[0] = lo[1] = -2.5;
    hi[0] = hi[1] = 2.5;
}

static void saddle_start(const void *state, double *x0)
{
    (void)state;
    x0[0] = 1.5, x0[1] = 0.1;
}

static int saddle_landmark(const void *state, size_t i, double *x)
{
    (void)state;
    if (i > 0) return GDLAB_LANDMARK_END;
    x[0] = x[1] = 0.0;
    return GDLAB_LANDMARK_SADDLE;
}

static const gdlab_surface_desc saddle_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_SURFACE, gdlab_surface_desc, "saddle", "the saddle a·x² − b·y²",
                      "f(x, y) = a·x² − b·y²\n"
                      "One critical point, a saddle at (0, 0) with Hessian diag(2a, −2b); unbounded below,\n"
                      "so every run that escapes the saddle eventually diverges along y.",
                      params),
    .dim = 2,
    .state_size = sizeof(saddle),
    .init = saddle_init,
    .eval = saddle_eval,
    .hessian = saddle_hessian,
    .domain = saddle_domain,
    .start = saddle_start,
    .landmark = saddle_landmark,
};
GDLAB_PLUGIN(saddle_desc)
