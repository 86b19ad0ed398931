/* SPDX-License-Identifier: MIT */
/* lion — Lion, "EvoLved Sign Momentum" (Chen et al. 2023), float64.
 *
 *   c ← β₁·m + (1 − β₁)·g                  (interpolate: what the sign is taken of)
 *   x ← x − lr·(sign(c) + weight_decay·x)  (every coordinate moves exactly lr, plus decay)
 *   m ← β₂·m + (1 − β₂)·g                  (the momentum tracked, with a slower β₂)
 *
 * Only the sign of c is used, so each coordinate moves ±lr per step whatever the gradient's size:
 * lr must be 3-10 times smaller than Adam's. Near a minimum the point rattles at ±lr.
 * The paper's weight decay is decoupled; x·(1 − lr·weight_decay) − lr·sign(c) is the same update.
 * PyTorch 1.13 has no Lion: tests/optimizers/gen_reference.py checks this file against a reference
 * loop written from the paper's Algorithm 2. Defaults are the paper's (lr 1e-4, β 0.9/0.99).
 * Reference: X. Chen et al., "Symbolic Discovery of Optimization Algorithms", NeurIPS 2023
 * (arXiv:2302.06675), Program 1 and Algorithm 2. */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"lr", 1e-4, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "step per coordinate", NULL},
    {"beta1", 0.9, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "weight of m in the interpolation c", NULL},
    {"beta2", 0.99, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of the momentum m", NULL},
    {"weight_decay", 0.0, 0.0, HUGE_VAL, 0, "decoupled decay: x shrinks by lr*weight_decay per step",
     NULL},
};
enum { LR, BETA1, BETA2, WEIGHT_DECAY };

static const gdlab_internal internals[] = {
    {"m", 1, "the momentum m after the step"},
    {"update", 1, "sign(c): -1, 0 or 1; the step was -lr*(update + weight_decay*x)"},
};

/* State: m and the last update, dim doubles each. */
static size_t lion_state_size(size_t dim, const double *p)
{
    (void)p;
    return 2 * dim * sizeof(double);
}

static double sign(double c)
{
    return (double)((c > 0.0) - (c < 0.0));
}

static const char *lion_step(void *state, const double *p, gdlab_step *s)
{
    double *m = state, *update = m + s->dim;
    const double beta1 = p[BETA1], beta2 = p[BETA2];
    const double shrink = 1.0 - s->lr * p[WEIGHT_DECAY];
    for (size_t i = 0; i < s->dim; i++) {
        const double g = s->grad[i];
        update[i] = sign(m[i] * beta1 + (1.0 - beta1) * g);
        s->x[i] = s->x[i] * shrink - s->lr * update[i];
        m[i] = m[i] * beta2 + (1.0 - beta2) * g;
    }
    return NULL;
}

static void lion_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const double *buf = state;
    for (size_t i = 0; i < 2 * dim; i++)
        out[i] = buf[i];
}

static const gdlab_optimizer_desc lion_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "lion",
                      "Lion: sign of an interpolated momentum; every coordinate moves ±lr",
                      "c ← β₁·m + (1−β₁)·g;   x ← x − lr·(sign(c) + wd·x);   m ← β₂·m + (1−β₂)·g\n"
                      "Defaults from the paper (lr = 1e-4, β₁ = 0.9, β₂ = 0.99); not in PyTorch 1.13.\n"
                      "Reference: Chen et al., Symbolic Discovery of Optimization Algorithms,\n"
                      "NeurIPS 2023 (arXiv:2302.06675), Algorithm 2.",
                      params),
    .state_size = lion_state_size,
    .step = lion_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = lion_read_internals,
};
GDLAB_PLUGIN(lion_desc)
