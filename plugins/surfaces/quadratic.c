/* SPDX-License-Identifier: MIT */
/* quadratic — f(x, y) = a·u² + b·v², where (u, v) is (x − cx, y − cy) rotated by −angle.
 * Covers the seeds' x² + 3y² (a=1, b=3), (w1−1)² + 5(w2−1)² (a=1, b=5, cx=cy=1) and ravines (b ≫ a).
 * The Hessian is R·diag(2a, 2b)·Rᵀ, so GD is stable exactly for lr < 2/L with L = 2·max(a, b). */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"a", 1.0, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER, "coefficient along the first principal axis", NULL},
    {"b", 10.0, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER, "coefficient along the second principal axis", NULL},
    {"angle", 0.0, -360.0, 360.0, 0, "rotation of the principal axes, degrees counter-clockwise", NULL},
    {"cx", 0.0, -1e6, 1e6, 0, "x of the centre (the minimum)", NULL},
    {"cy", 0.0, -1e6, 1e6, 0, "y of the centre (the minimum)", NULL},
};
enum { A, B, ANGLE, CX, CY };

typedef struct {
    double a, b, cx, cy, c, s; /* c, s: cosine and sine of the angle */
} quadratic;

static const char *quadratic_init(void *state, const double *p, size_t dim)
{
    (void)dim;
    quadratic *q = state;
    const double theta = p[ANGLE] * M_PI / 180.0;
    *q = (quadratic){p[A], p[B], p[CX], p[CY], cos(theta), sin(theta)};
    return NULL;
}

static double quadratic_eval(const void *state, const double *x, double *grad)
{
    const quadratic *q = state;
    const double dx = x[0] - q->cx, dy = x[1] - q->cy;
    const double u = q->c * dx + q->s * dy, v = -q->s * dx + q->c * dy;
    if (grad) {
        const double gu = 2.0 * q->a * u, gv = 2.0 * q->b * v;
        grad[0] = q->c * gu - q->s * gv;
        grad[1] = q->s * gu + q->c * gv;
    }
    return q->a * u * u + q->b * v * v;
}

/* quadratic_eval at many points (sweeps), in the same operations; the loop along points vectorises. */
static void quadratic_eval_batch(const void *state, size_t count, size_t stride, const double *x,
                                 double *f, double *grad)
{
    const quadratic q = *(const quadratic *)state; /* a copy: no store below can change it */
    const double *restrict x0 = x, *restrict x1 = x + stride;
    double *restrict g0 = grad, *restrict g1 = grad + stride, *restrict fr = f;
    for (size_t r = 0; r < count; r++) {
        const double dx = x0[r] - q.cx, dy = x1[r] - q.cy;
        const double u = q.c * dx + q.s * dy, v = -q.s * dx + q.c * dy;
        const double gu = 2.0 * q.a * u, gv = 2.0 * q.b * v;
        g0[r] = q.c * gu - q.s * gv;
        g1[r] = q.s * gu + q.c * gv;
        fr[r] = q.a * u * u + q.b * v * v;
    }
}

static void quadratic_hessian(const void *state, const double *x, double *h)
{
    (void)x;
    const quadratic *q = state;
    const double a2 = 2.0 * q->a, b2 = 2.0 * q->b;
    h[0] = a2 * q->c * q->c + b2 * q->s * q->s;
    h[1] = h[2] = (a2 - b2) * q->c * q->s;
    h[3] = a2 * q->s * q->s + b2 * q->c * q->c;
}

static void quadratic_domain(const void *state, double *lo, double *hi)
{
    const quadratic *q = state;
    lo[0] = q->cx - 5.0, hi[0] = q->cx + 5.0;
    lo[1] = q->cy - 5.0, hi[1] = q->cy + 5.0;
}

static void quadratic_start(const void *state, double *x0)
{
    const quadratic *q = state;
    x0[0] = q->cx - 4.0, x0[1] = q->cy + 1.5;
}

static int quadratic_landmark(const void *state, size_t i, double *x)
{
    const quadratic *q = state;
    if (i > 0) return GDLAB_LANDMARK_END;
    x[0] = q->cx, x[1] = q->cy;
    return GDLAB_LANDMARK_GLOBAL_MIN;
}

static const gdlab_surface_desc quadratic_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_SURFACE, gdlab_surface_desc, "quadratic",
                      "rotated, shifted quadratic bowl a·u² + b·v²",
                      "f(x, y) = a·u² + b·v², (u, v) = R(−angle)·(x − cx, y − cy)\n"
                      "Hessian eigenvalues 2a and 2b; condition number max(a,b)/min(a,b).\n"
                      "Plain GD converges exactly when lr < 2/L, L = 2·max(a, b).",
                      params),
    .dim = 2,
    .state_size = sizeof(quadratic),
    .init = quadratic_init,
    .eval = quadratic_eval,
    .eval_batch = quadratic_eval_batch,
    .hessian = quadratic_hessian,
    .domain = quadratic_domain,
    .start = quadratic_start,
    .landmark = quadratic_landmark,
};
GDLAB_PLUGIN(quadratic_desc)
