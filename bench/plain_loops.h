/* SPDX-License-Identifier: MIT */
/* plain_loops.h — the benchmarks' yardstick: the same arithmetic as gdlab's plugins and run.c, written
 * as plain C loops with nothing around them (plain_loops.c). */
#ifndef GDLAB_PLAIN_LOOPS_H
#define GDLAB_PLAIN_LOOPS_H

#include <stddef.h>
#include <stdint.h>

/* plugins/surfaces/quadratic.c's state: coefficients, centre, cosine and sine of the angle. */
typedef struct plain_quadratic {
    double a, b, cx, cy, c, s;
} plain_quadratic;

typedef struct plain_result {
    int status;          /* gdlab_status */
    uint64_t stop_step;
    double final_loss, min_loss;
    uint64_t evals;
    double x, y;         /* the last point */
} plain_result;

/* Adam (plugins/optimizers/adam.c, no weight decay, no amsgrad) on Rosenbrock (a, b) for `steps`
 * steps from (x, y). path, when not NULL, receives x, y, f of every point (3 doubles each). */
plain_result plain_adam_rosenbrock(double a, double b, double x, double y, double lr, double beta1,
                                   double beta2, double eps, uint64_t steps, double *path);

/* Gradient descent on a quadratic for `steps` steps. */
plain_result plain_gd_quadratic(const plain_quadratic *q, double x, double y, double lr, uint64_t steps);

/* Limits of run.c's stop rules, worked out as run.c does. */
typedef struct plain_limits {
    double centre[2], reach[2]; /* reach: bound · half-width */
    double blowup, tol;
    uint64_t max_steps;
} plain_limits;

/* Heavy-ball momentum (pytorch form) on a quadratic with run.c's stop rules: one run of a sweep. */
plain_result plain_heavy_ball(const plain_quadratic *q, double x, double y, double lr, double beta,
                              const plain_limits *lim);

/* The most runs plain_heavy_ball_block takes at once (gdlab's largest sweep block). */
enum { PLAIN_BLOCK = 256 };

/* count ≤ PLAIN_BLOCK runs of plain_heavy_ball (run r: lr[r], beta[r]) in lockstep, each run's numbers
 * in arrays over the runs so that the compiler vectorises across runs, as gdlab's batched sweep does;
 * a run that stops leaves the block. out[r] as plain_heavy_ball's, bit for bit. The yardstick for how
 * well a vectorised sweep can scale over cores on a machine, with nothing of gdlab around it. */
void plain_heavy_ball_block(const plain_quadratic *q, double x, double y, const double *lr, const double *beta,
                            size_t count, const plain_limits *lim, plain_result *out);

#endif
