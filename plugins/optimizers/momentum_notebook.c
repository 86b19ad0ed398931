/* SPDX-License-Identifier: MIT */
/* momentum_notebook — momentum as most lecture notes write it:
 *
 *   v ← μ·v − lr·g,   x ← x + v        (v₀ = 0)
 *
 * The velocity is the step itself. For a constant lr this is exactly momentum form=pytorch with
 * v_notebook = −lr·v_pytorch; with a schedule the two differ, because here the old velocity keeps
 * the old learning rate baked in. Reference: Polyak (1964); Goodfellow, Bengio, Courville,
 * "Deep Learning" (2016), Algorithm 8.2. */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"lr", 0.01, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "learning rate", NULL},
    {"mu", 0.9, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "momentum: fraction of the previous step kept", NULL},
};
enum { LR, MU };

static const gdlab_internal internals[] = {
    {"velocity", 1, "v after the step: the step just taken, x_new - x_old"},
};

static size_t notebook_state_size(size_t dim, const double *p)
{
    (void)p;
    return dim * sizeof(double);
}

static const char *notebook_step(void *state, const double *p, gdlab_step *s)
{
    double *v = state;
    for (size_t i = 0; i < s->dim; i++) {
        v[i] = p[MU] * v[i] - s->lr * s->grad[i];
        s->x[i] += v[i];
    }
    return NULL;
}

static void notebook_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const double *v = state;
    for (size_t i = 0; i < dim; i++)
        out[i] = v[i];
}

static const gdlab_optimizer_desc notebook_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "momentum_notebook",
                      "momentum as lecture notes write it: v = mu*v - lr*g; x += v",
                      "v ← μ·v − lr·g;   x ← x + v   (v₀ = 0)\n"
                      "Same path as momentum form=pytorch (β = μ) while lr is constant.\n"
                      "Reference: Polyak (1964); Goodfellow et al., Deep Learning, Algorithm 8.2.",
                      params),
    .state_size = notebook_state_size,
    .step = notebook_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = notebook_read_internals,
};
GDLAB_PLUGIN(notebook_desc)
