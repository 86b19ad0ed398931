/* SPDX-License-Identifier: MIT */
/* plain_loops.c — gdlab's arithmetic as plain C loops (see plain_loops.h). Each line mirrors the
 * plugin or run.c line it stands for, operation for operation, so that the results are equal bit for
 * bit (bench_speed checks it before it reports a time). */
#include "plain_loops.h"

#include <float.h>
#include <math.h>

static double rosenbrock(double a, double b, double x, double y, double *g0, double *g1)
{
    const double u = a - x, v = y - x * x;
    *g0 = -2.0 * u - 4.0 * b * x * v;
    *g1 = 2.0 * b * v;
    return u * u + b * v * v;
}

static double quadratic(const plain_quadratic *q, double x, double y, double *g0, double *g1)
{
    const double dx = x - q->cx, dy = y - q->cy;
    const double u = q->c * dx + q->s * dy, v = -q->s * dx + q->c * dy;
    const double gu = 2.0 * q->a * u, gv = 2.0 * q->b * v;
    *g0 = q->c * gu - q->s * gv;
    *g1 = q->s * gu + q->c * gv;
    return q->a * u * u + q->b * v * v;
}

plain_result plain_adam_rosenbrock(double a, double b, double x, double y, double lr, double beta1,
                                   double beta2, double eps, uint64_t steps, double *path)
{
    double g0, g1, m0 = 0, m1 = 0, v0 = 0, v1 = 0;
    double f = rosenbrock(a, b, x, y, &g0, &g1), lowest = f;
    if (path) path[0] = x, path[1] = y, path[2] = f;
    for (uint64_t k = 1; k <= steps; k++) {
        const double t = (double)k;
        const double bias_correction1 = 1.0 - pow(beta1, t), bias_correction2 = 1.0 - pow(beta2, t);
        const double lr_corrected = lr / bias_correction1, bias_correction2_sqrt = sqrt(bias_correction2);
        m0 = m0 * beta1 + (1.0 - beta1) * g0;
        v0 = v0 * beta2 + (1.0 - beta2) * g0 * g0;
        x += -lr_corrected * m0 / (sqrt(v0) / bias_correction2_sqrt + eps);
        m1 = m1 * beta1 + (1.0 - beta1) * g1;
        v1 = v1 * beta2 + (1.0 - beta2) * g1 * g1;
        y += -lr_corrected * m1 / (sqrt(v1) / bias_correction2_sqrt + eps);
        f = rosenbrock(a, b, x, y, &g0, &g1);
        lowest = f < lowest ? f : lowest;
        if (path) path[3 * k] = x, path[3 * k + 1] = y, path[3 * k + 2] = f;
    }
    return (plain_result){2, steps, f, lowest, steps + 1, x, y};
}

plain_result plain_gd_quadratic(const plain_quadratic *q, double x, double y, double lr, uint64_t steps)
{
    double g0, g1, f = quadratic(q, x, y, &g0, &g1), lowest = f;
    for (uint64_t k = 1; k <= steps; k++) {
        x -= lr * g0;
        y -= lr * g1;
        f = quadratic(q, x, y, &g0, &g1);
        lowest = f < lowest ? f : lowest;
    }
    return (plain_result){2, steps, f, lowest, steps + 1, x, y};
}

/* run.c's stop rules at one point: 0 diverged, 1 converged, -1 goes on. */
static int stops(const plain_limits *lim, double f0, double margin, double f, double x, double y, double g0,
                 double g1)
{
    const int ok = fabs(f) <= DBL_MAX && f - f0 <= margin && fabs(x - lim->centre[0]) <= lim->reach[0] &&
                   fabs(y - lim->centre[1]) <= lim->reach[1];
    if (!ok || x * 0.0 + g0 * 0.0 + y * 0.0 + g1 * 0.0 != 0) return 0;
    if (f - 0.0 <= lim->tol) return 1; /* the quadratic's minimum is 0 */
    return -1;
}

plain_result plain_heavy_ball(const plain_quadratic *q, double x, double y, double lr, double beta,
                              const plain_limits *lim)
{
    double g0, g1, v0 = 0, v1 = 0;
    double f = quadratic(q, x, y, &g0, &g1), lowest = f;
    const double f0 = f, margin = lim->blowup * (1.0 + fabs(f0));
    int s = stops(lim, f0, margin, f, x, y, g0, g1);
    uint64_t k = 0;
    while (s < 0 && k < lim->max_steps) {
        k++;
        v0 = beta * v0 + g0;
        x -= lr * v0;
        v1 = beta * v1 + g1;
        y -= lr * v1;
        f = quadratic(q, x, y, &g0, &g1);
        lowest = f < lowest ? f : lowest;
        s = stops(lim, f0, margin, f, x, y, g0, g1);
    }
    return (plain_result){s < 0 ? 2 : s == 0 ? 1 : 0, k, f, lowest, k + 1, x, y};
}
