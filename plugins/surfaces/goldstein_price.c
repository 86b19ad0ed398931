/* SPDX-License-Identifier: MIT */
/* goldstein_price — the Goldstein–Price function: a degree-8 polynomial on [−2, 2]² whose values
 * span six decades, with four minima, four saddles and a maximum, all at rational points. */
#include <gdlab/plugin.h>

/* A second-order jet in two variables: value, gradient and Hessian (xx, xy, yy). */
typedef struct {
    double v, x, y, xx, xy, yy;
} jet;

static jet jet_mul(jet a, jet b)
{
    return (jet){a.v * b.v,
                 a.x * b.v + a.v * b.x,
                 a.y * b.v + a.v * b.y,
                 a.xx * b.v + 2.0 * a.x * b.x + a.v * b.xx,
                 a.xy * b.v + a.x * b.y + a.y * b.x + a.v * b.xy,
                 a.yy * b.v + 2.0 * a.y * b.y + a.v * b.yy};
}

/* f = A·B with A = 1 + p²·q, B = 30 + r²·s and
 *   p = x + y + 1,  q = 19 − 14x + 3x² − 14y + 6xy + 3y²,
 *   r = 2x − 3y,    s = 18 − 32x + 12x² + 48y − 36xy + 27y². */
static jet goldstein_price(const double *x)
{
    const double X = x[0], Y = x[1];
    const jet p = {X + Y + 1.0, 1.0, 1.0, 0.0, 0.0, 0.0};
    const jet q = {19.0 - 14.0 * X + 3.0 * X * X - 14.0 * Y + 6.0 * X * Y + 3.0 * Y * Y,
                   -14.0 + 6.0 * X + 6.0 * Y, -14.0 + 6.0 * X + 6.0 * Y, 6.0, 6.0, 6.0};
    const jet r = {2.0 * X - 3.0 * Y, 2.0, -3.0, 0.0, 0.0, 0.0};
    const jet s = {18.0 - 32.0 * X + 12.0 * X * X + 48.0 * Y - 36.0 * X * Y + 27.0 * Y * Y,
                   -32.0 + 24.0 * X - 36.0 * Y, 48.0 - 36.0 * X + 54.0 * Y, 24.0, -36.0, 54.0};
    jet a = jet_mul(jet_mul(p, p), q), b = jet_mul(jet_mul(r, r), s);
    a.v += 1.0, b.v += 30.0;
    return jet_mul(a, b);
}

/* f and its gradient alone, by the product rule on the same factors (no second order). */
static double gp_eval(const void *state, const double *x, double *grad)
{
    (void)state;
    const double X = x[0], Y = x[1];
    const double p = X + Y + 1.0, q = 19.0 - 14.0 * X + 3.0 * X * X - 14.0 * Y + 6.0 * X * Y + 3.0 * Y * Y;
    const double r = 2.0 * X - 3.0 * Y, s = 18.0 - 32.0 * X + 12.0 * X * X + 48.0 * Y - 36.0 * X * Y + 27.0 * Y * Y;
    const double a = 1.0 + p * p * q, b = 30.0 + r * r * s;
    if (grad) {
        const double q1 = -14.0 + 6.0 * X + 6.0 * Y; /* ∂q/∂x = ∂q/∂y */
        const double ax = 2.0 * p * q + p * p * q1, ay = ax;
        const double bx = 4.0 * r * s + r * r * (-32.0 + 24.0 * X - 36.0 * Y);
        const double by = -6.0 * r * s + r * r * (48.0 - 36.0 * X + 54.0 * Y);
        grad[0] = ax * b + a * bx;
        grad[1] = ay * b + a * by;
    }
    return a * b;
}

static void gp_hessian(const void *state, const double *x, double *h)
{
    (void)state;
    const jet f = goldstein_price(x);
    h[0] = f.xx;
    h[1] = h[2] = f.xy;
    h[3] = f.yy;
}

/* Critical points in [−2, 2]², by Newton's method in 40-digit arithmetic (mpmath) from a 41 × 41
 * grid of starts: every one is rational. */
static const struct {
    int kind;
    double x, y;
} landmarks[] = {
    {GDLAB_LANDMARK_GLOBAL_MIN, 0.0, -1.0}, /* f = 3 */
    {GDLAB_LANDMARK_LOCAL_MIN, -0.6, -0.4}, /* f = 30 */
    {GDLAB_LANDMARK_LOCAL_MIN, 1.8, 0.2},   /* f = 84 */
    {GDLAB_LANDMARK_LOCAL_MIN, 1.2, 0.8},   /* f = 840 */
    {GDLAB_LANDMARK_SADDLE, -0.4, -0.6},    /* f = 35 */
    {GDLAB_LANDMARK_SADDLE, 1.2, -0.2},     /* f = 99 */
    {GDLAB_LANDMARK_SADDLE, 1.4, 0.6},      /* f = 980 */
    {GDLAB_LANDMARK_SADDLE, 0.6, 0.4},      /* f = 990 */
    {GDLAB_LANDMARK_MAX, 0.8, 0.2},         /* f = 1155 */
};

static void gp_domain(const void *state, double *lo, double *hi)
{
    (void)state;
    lo[0] = lo[1] = -2.0;
    hi[0] = hi[1] = 2.0;
}

static void gp_start(const void *state, double *x0)
{
    (void)state;
    x0[0] = -1.5, x0[1] = 1.5;
}

static int gp_landmark(const void *state, size_t i, double *x)
{
    (void)state;
    if (i >= GDLAB_COUNT_OF(landmarks)) return GDLAB_LANDMARK_END;
    x[0] = landmarks[i].x, x[1] = landmarks[i].y;
    return landmarks[i].kind;
}

static const gdlab_surface_desc gp_desc = {
    .h = GDLAB_HEADER_NO_PARAMS(
        GDLAB_KIND_SURFACE, gdlab_surface_desc, "goldstein_price",
        "the Goldstein–Price function: four minima, values over six decades",
        "f(x, y) = [1 + (x + y + 1)²(19 − 14x + 3x² − 14y + 6xy + 3y²)]\n"
        "        · [30 + (2x − 3y)²(18 − 32x + 12x² + 48y − 36xy + 27y²)], on [−2, 2]².\n"
        "Global minimum f(0, −1) = 3; local minima f(−0.6, −0.4) = 30, f(1.8, 0.2) = 84,\n"
        "f(1.2, 0.8) = 840; saddles at (−0.4, −0.6), (1.2, −0.2), (1.4, 0.6), (0.6, 0.4); maximum\n"
        "f(0.8, 0.2) = 1155. Plot it on a log scale.\n"
        "Reference: A. A. Goldstein & J. F. Price, \"On descent from local minima\", Mathematics of\n"
        "Computation 25(115), 1971; Jamil & Yang 2013; Virtual Library of Simulation Experiments."),
    .dim = 2,
    .eval = gp_eval,
    .hessian = gp_hessian,
    .domain = gp_domain,
    .start = gp_start,
    .landmark = gp_landmark,
};
GDLAB_PLUGIN(gp_desc)
