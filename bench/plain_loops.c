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

/* One block's numbers, one array per quantity, indexed by the run's place in the block. */
typedef struct plain_block {
    double x[PLAIN_BLOCK], y[PLAIN_BLOCK], v0[PLAIN_BLOCK], v1[PLAIN_BLOCK], g0[PLAIN_BLOCK], g1[PLAIN_BLOCK],
        f[PLAIN_BLOCK], f0[PLAIN_BLOCK], margin[PLAIN_BLOCK], lowest[PLAIN_BLOCK], lr[PLAIN_BLOCK],
        beta[PLAIN_BLOCK], suspect[PLAIN_BLOCK];
    size_t run[PLAIN_BLOCK];
} plain_block;

static void block_quadratic(const plain_quadratic *q, plain_block *b, size_t n)
{
    const plain_quadratic c = *q; /* a copy: no store into the block can change it */
    for (size_t r = 0; r < n; r++)
        b->f[r] = quadratic(&c, b->x[r], b->y[r], &b->g0[r], &b->g1[r]);
}

/* Records the runs of the block that stop at step k and moves the last active run into each one's
 * place; returns the number still active. */
static size_t block_stops(plain_block *b, size_t n, uint64_t k, const plain_limits *lim, plain_result *out)
{
    const double tol = lim->tol, c0 = lim->centre[0], c1 = lim->centre[1], reach0 = lim->reach[0],
                 reach1 = lim->reach[1];
    for (size_t r = 0; r < n; r++) { /* a cheap pass over every run; stops() only for the suspects */
        b->lowest[r] = b->f[r] < b->lowest[r] ? b->f[r] : b->lowest[r];
        b->suspect[r] = (fabs(b->f[r]) <= DBL_MAX ? 0.0 : 1.0) + (b->f[r] - b->f0[r] <= b->margin[r] ? 0.0 : 1.0) +
                        (b->f[r] - 0.0 <= tol ? 1.0 : 0.0) + (fabs(b->x[r] - c0) <= reach0 ? 0.0 : 1.0) +
                        (fabs(b->y[r] - c1) <= reach1 ? 0.0 : 1.0) +
                        (b->x[r] * 0.0 + b->g0[r] * 0.0 + b->y[r] * 0.0 + b->g1[r] * 0.0 != 0 ? 1.0 : 0.0);
    }
    for (size_t r = n; r-- > 0;) {
        if (b->suspect[r] == 0 && k < lim->max_steps) continue;
        int s = stops(lim, b->f0[r], b->margin[r], b->f[r], b->x[r], b->y[r], b->g0[r], b->g1[r]);
        if (s < 0 && k < lim->max_steps) continue;
        out[b->run[r]] = (plain_result){s < 0 ? 2 : s == 0 ? 1 : 0, k, b->f[r], b->lowest[r], k + 1, b->x[r], b->y[r]};
        const size_t last = --n;
        b->x[r] = b->x[last], b->y[r] = b->y[last], b->v0[r] = b->v0[last], b->v1[r] = b->v1[last];
        b->g0[r] = b->g0[last], b->g1[r] = b->g1[last], b->f[r] = b->f[last], b->f0[r] = b->f0[last];
        b->margin[r] = b->margin[last], b->lowest[r] = b->lowest[last], b->lr[r] = b->lr[last];
        b->beta[r] = b->beta[last], b->run[r] = b->run[last];
    }
    return n;
}

void plain_heavy_ball_block(const plain_quadratic *q, double x, double y, const double *lr, const double *beta,
                            size_t count, const plain_limits *lim, plain_result *out)
{
    plain_block b;
    const size_t n0 = count < PLAIN_BLOCK ? count : PLAIN_BLOCK;
    for (size_t r = 0; r < n0; r++) {
        b.x[r] = x, b.y[r] = y, b.v0[r] = b.v1[r] = 0;
        b.lr[r] = lr[r], b.beta[r] = beta[r], b.run[r] = r;
    }
    block_quadratic(q, &b, n0);
    for (size_t r = 0; r < n0; r++) {
        b.f0[r] = b.lowest[r] = b.f[r];
        b.margin[r] = lim->blowup * (1.0 + fabs(b.f0[r]));
    }
    size_t n = block_stops(&b, n0, 0, lim, out);
    for (uint64_t k = 1; n > 0; k++) {
        for (size_t r = 0; r < n; r++) {
            b.v0[r] = b.beta[r] * b.v0[r] + b.g0[r];
            b.x[r] -= b.lr[r] * b.v0[r];
            b.v1[r] = b.beta[r] * b.v1[r] + b.g1[r];
            b.y[r] -= b.lr[r] * b.v1[r];
        }
        block_quadratic(q, &b, n);
        n = block_stops(&b, n, k, lim, out);
    }
}
