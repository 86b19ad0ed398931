/* SPDX-License-Identifier: MIT */
/* lookahead — Lookahead around any other optimizer: the inner one takes k fast steps, then the slow
 * weights move part of the way towards where it got, and the fast ones restart from there.
 *
 *   x ← inner step (the wrapped optimizer, with its own state and lr, kept across syncs)
 *   every k steps:  φ ← φ + alpha·(x − φ);  x ← φ            (φ₀ = x₀)
 *
 * The wrapped optimizer is the user's choice (gd.optimizer("lookahead", {inner = gd.optimizer("adam",
 * {lr = 0.01}), k = 5})); the host runs it and hands it over as s->inner (docs/plugin-abi.md), so any
 * optimizer, a wrapper included, can be wrapped. Reference: M. R. Zhang, J. Lucas, G. Hinton, J. Ba,
 * "Lookahead Optimizer: k steps forward, 1 step back", NeurIPS 2019, Algorithm 1. */
#include <gdlab/plugin.h>
#include <math.h>
#include <string.h>

static const gdlab_param params[] = {
    {"k", 5, 1, HUGE_VAL, GDLAB_PARAM_INTEGER, "fast steps between two syncs", NULL},
    {"alpha", 0.5, 0.0, 1.0, GDLAB_PARAM_OPEN_LOWER, "how far the slow weights move towards the fast",
     NULL},
};
enum { K, ALPHA };

static const gdlab_internal internals[] = {
    {"slow", 1, "the slow weights phi"},
};

static size_t lookahead_state_size(size_t dim, const double *p)
{
    (void)p;
    return dim * sizeof(double);
}

static const char *lookahead_init(void *state, size_t dim, const double *p, const double *x0)
{
    (void)p;
    memcpy(state, x0, dim * sizeof(double));
    return NULL;
}

static const char *lookahead_step(void *state, const double *p, gdlab_step *s)
{
    double *slow = state;
    if (!s->inner) return "lookahead has no inner optimizer to wrap (this host does not run one)";
    const char *problem = s->inner->step(s->inner->host, s);
    if (problem) return problem;
    if (s->t % (uint64_t)p[K] != 0) return NULL;
    for (size_t i = 0; i < s->dim; i++) {
        slow[i] += p[ALPHA] * (s->x[i] - slow[i]);
        s->x[i] = slow[i];
    }
    return NULL;
}

static void lookahead_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    memcpy(out, state, dim * sizeof(double));
}

static const gdlab_optimizer_desc lookahead_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "lookahead",
                      "Lookahead: k steps of any inner optimizer forward, then part of the way back",
                      "x ← inner step (its own state and lr);   every k steps:\n"
                      "φ ← φ + alpha·(x − φ);   x ← φ          (φ₀ = x₀)\n"
                      "The inner optimizer is given as inner = gd.optimizer(...) or a name.\n"
                      "Reference: Zhang, Lucas, Hinton, Ba, NeurIPS 2019, Algorithm 1.",
                      params),
    .state_size = lookahead_state_size,
    .init = lookahead_init,
    .step = lookahead_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = lookahead_read_internals,
    .wraps = 1,
};
GDLAB_PLUGIN(lookahead_desc)
