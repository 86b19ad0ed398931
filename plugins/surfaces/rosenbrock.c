/* SPDX-License-Identifier: MIT */
/* rosenbrock — f(x, y) = (a − x)² + b·(y − x²)², the curved-valley benchmark (Rosenbrock 1960).
 * One global minimum at (a, a²) with f = 0; the floor of the parabolic valley y = x² is nearly flat,
 * so gradient methods find the valley at once and then crawl along it. */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"a", 1.0, -10.0, 10.0, 0, "the minimum sits at (a, a²)", NULL},
    {"b", 100.0, 0.0, 1e6, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "steepness of the valley walls", NULL},
};
enum { A, B };

typedef struct {
    double a, b;
    double s; /* plotting scale: max(1, |a|) */
} rosenbrock;

static const char *rosenbrock_init(void *state, const double *p, size_t dim)
{
    (void)dim;
    rosenbrock *r = state;
    *r = (rosenbrock){p[A], p[B], fmax(1.0, fabs(p[A]))};
    return NULL;
}

static double rosenbrock_eval(const void *state, const double *x, double *grad)
{
    const rosenbrock *r = state;
    const double u = r->a - x[0], v = x[1] - x[0] * x[0];
    if (grad) {
        grad[0] = -2.0 * u - 4.0 * r->b * x[0] * v;
        grad[1] = 2.0 * r->b * v;
    }
    return u * u + r->b * v * v;
}

/* rosenbrock_eval at many points (sweeps), in the same operations; the loop along points vectorises. */
static void rosenbrock_eval_batch(const void *state, size_t count, size_t stride, const double *x,
                                  double *f, double *grad)
{
    const rosenbrock r = *(const rosenbrock *)state; /* a copy: no store below can change it */
    const double *restrict x0 = x, *restrict x1 = x + stride;
    double *restrict g0 = grad, *restrict g1 = grad + stride, *restrict fr = f;
    for (size_t k = 0; k < count; k++) {
        const double u = r.a - x0[k], v = x1[k] - x0[k] * x0[k];
        g0[k] = -2.0 * u - 4.0 * r.b * x0[k] * v;
        g1[k] = 2.0 * r.b * v;
        fr[k] = u * u + r.b * v * v;
    }
}

static void rosenbrock_hessian(const void *state, const double *x, double *h)
{
    const rosenbrock *r = state;
    h[0] = 2.0 - 4.0 * r->b * (x[1] - 3.0 * x[0] * x[0]);
    h[1] = h[2] = -4.0 * r->b * x[0];
    h[3] = 2.0 * r->b;
}

/* The seed's box, x in [−2, 2] and y in [−0.5, 3.5], scaled so (a, a²) stays inside. */
static void rosenbrock_domain(const void *state, double *lo, double *hi)
{
    const rosenbrock *r = state;
    lo[0] = -2.0 * r->s, hi[0] = 2.0 * r->s;
    lo[1] = -0.5 * r->s * r->s, hi[1] = 3.5 * r->s * r->s;
}

static void rosenbrock_start(const void *state, double *x0)
{
    const rosenbrock *r = state;
    x0[0] = -r->s, x0[1] = 2.0 * r->s * r->s;
}

static int rosenbrock_landmark(const void *state, size_t i, double *x)
{
    const rosenbrock *r = state;
    if (i > 0) return GDLAB_LANDMARK_END;
    x[0] = r->a, x[1] = r->a * r->a;
    return GDLAB_LANDMARK_GLOBAL_MIN;
}

static const gdlab_surface_desc rosenbrock_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_SURFACE, gdlab_surface_desc, "rosenbrock",
                      "Rosenbrock's banana valley (a − x)² + b(y − x²)²",
                      "f(x, y) = (a − x)² + b·(y − x²)²\n"
                      "Global minimum f(a, a²) = 0; no other critical point.\n"
                      "Reference: H. H. Rosenbrock, \"An automatic method for finding the greatest or least\n"
                      "value of a function\", The Computer Journal 3(3), 1960; Jamil & Yang 2013.",
                      params),
    .dim = 2,
    .state_size = sizeof(rosenbrock),
    .init = rosenbrock_init,
    .eval = rosenbrock_eval,
    .eval_batch = rosenbrock_eval_batch,
    .hessian = rosenbrock_hessian,
    .domain = rosenbrock_domain,
    .start = rosenbrock_start,
    .landmark = rosenbrock_landmark,
};
GDLAB_PLUGIN(rosenbrock_desc)
