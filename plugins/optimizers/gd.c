/* SPDX-License-Identifier: MIT */
/* gd — plain gradient descent: x ← x − lr·∇f(x). The smallest complete optimizer plugin.
 * Reference: A. Cauchy, "Méthode générale pour la résolution des systèmes d'équations simultanées",
 * Comptes Rendus 25, 1847. */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"lr", 0.1, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "learning rate", NULL},
};

static const char *gd_step(void *state, const double *p, gdlab_step *s)
{
    (void)state, (void)p;
    for (size_t i = 0; i < s->dim; i++)
        s->x[i] -= s->lr * s->grad[i];
    return NULL;
}

/* The same update for many runs (sweeps): the inner loop runs along runs and vectorises. */
static void gd_step_batch(const gdlab_batch *b)
{
    for (size_t i = 0; i < b->dim; i++) {
        double *restrict x = b->x + i * b->stride;
        const double *restrict g = b->grad + i * b->stride, *restrict lr = b->lr;
        for (size_t r = 0; r < b->count; r++)
            x[r] -= lr[r] * g[r];
    }
}

static const gdlab_optimizer_desc gd_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "gd", "plain gradient descent",
                      "x ← x − lr·∇f(x)\n"
                      "On a quadratic with largest curvature L it converges iff 0 < lr < 2/L.\n"
                      "Reference: Cauchy (1847).",
                      params),
    .step = gd_step,
    .step_batch = gd_step_batch,
};
GDLAB_PLUGIN(gd_desc)
