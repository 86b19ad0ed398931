/* SPDX-License-Identifier: MIT */
/* gd_armijo — gradient descent with a backtracking (Armijo) line search:
 *
 *   α ← lr;   while f(x − α·g) > f(x) − c1·α·‖g‖²:  α ← shrink·α
 *   x ← x − α·g
 *
 * lr is the first trial step of every line search (a schedule changes it step by step). Each trial
 * costs one evaluation through the oracle; the accepted one is the point the host evaluates next
 * and is not paid twice, so a step costs (backtracks + 1) evaluations. The backtracking is
 * gdlab_armijo_search from <gdlab/line_search.h> along d = −g.
 * Reference: L. Armijo, "Minimization of functions having Lipschitz continuous first partial
 * derivatives", Pacific J. Math. 16(1), 1966; Nocedal & Wright, "Numerical Optimization", 2nd ed.,
 * 2006, Algorithm 3.1. */
#include <gdlab/line_search.h>
#include <gdlab/plugin.h>
#include <math.h>
#include <string.h>

static const gdlab_param params[] = {
    {"lr", 1.0, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "first trial step length", NULL},
    {"c1", 1e-4, 0.0, 1.0, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_OPEN_UPPER | GDLAB_PARAM_LOG,
     "sufficient decrease: accept when f drops by at least c1*alpha*|g|^2", NULL},
    {"shrink", 0.5, 0.0, 1.0, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_OPEN_UPPER,
     "factor applied to alpha after each rejected trial", NULL},
    {"max_backtracks", 50, 1, 1000, GDLAB_PARAM_INTEGER, "give up after this many rejected trials", NULL},
};
enum { LR, C1, SHRINK, MAX_BACKTRACKS };

static const gdlab_internal internals[] = {
    {"step_length", 0, "alpha: the accepted step was -alpha*g"},
    {"backtracks", 0, "rejected trials before alpha was accepted"},
};

typedef struct {
    double step_length, backtracks;
    double buf[]; /* direction −g, trial point, trial gradient: dim each */
} armijo;

static size_t armijo_state_size(size_t dim, const double *p)
{
    (void)p;
    return sizeof(armijo) + 3 * dim * sizeof(double);
}

static const char *armijo_step(void *state, const double *p, gdlab_step *s)
{
    armijo *st = state;
    const size_t n = s->dim;
    double *d = st->buf, gg = 0.0;
    for (size_t i = 0; i < n; i++) {
        d[i] = -s->grad[i];
        gg += s->grad[i] * s->grad[i];
    }
    /* x + α·d = x − α·g and f(x) + c1·α·gᵀd = f(x) − c1·α·‖g‖², to the last bit */
    gdlab_line_search ls = {.s = s, .d = d, .slope = -gg, .c1 = p[C1], .xt = d + n, .gt = d + 2 * n};
    const char *problem = gdlab_armijo_search(&ls, s->lr, p[SHRINK], (int)p[MAX_BACKTRACKS]);
    if (problem) return problem;
    st->step_length = ls.step;
    st->backtracks = ls.evals - 1;
    memcpy(s->x, ls.xt, n * sizeof(double));
    return NULL;
}

static void armijo_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)dim, (void)p;
    const armijo *st = state;
    out[0] = st->step_length;
    out[1] = st->backtracks;
}

static const gdlab_optimizer_desc armijo_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "gd_armijo",
                      "gradient descent with a backtracking (Armijo) line search",
                      "α ← lr;  while f(x − α·g) > f(x) − c1·α·‖g‖²:  α ← shrink·α\n"
                      "x ← x − α·g   ((backtracks + 1) evaluations per step, through the oracle)\n"
                      "Reference: Armijo (1966); Nocedal & Wright, Numerical Optimization (2006),\n"
                      "Algorithm 3.1.",
                      params),
    .state_size = armijo_state_size,
    .step = armijo_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = armijo_read_internals,
};
GDLAB_PLUGIN(armijo_desc)
