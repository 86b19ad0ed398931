/* SPDX-License-Identifier: MIT */
/* adabelief — AdaBelief: Adam whose second moment tracks how far g strays from its own average (the
 * "belief" m), not g² itself, so it takes long steps where the gradient is predictable, even if large.
 *
 *   m ← β₁·m + (1 − β₁)·g
 *   s ← β₂·s + (1 − β₂)·(g − m)² + eps              (m: the updated one)
 *   m̂ ← m/(1 − β₁ᵗ),   ŝ ← s/(1 − β₂ᵗ)
 *   x ← x·(1 − lr·weight_decay)                      (decoupled, the authors' default)
 *   x ← x − lr·m̂/(√ŝ + eps)
 *
 * Reference: J. Zhuang, T. Tang, Y. Ding, S. Tatikonda, N. Dvornek, X. Papademetris, J. Duncan,
 * "AdaBelief Optimizer: Adapting Stepsizes by the Belief in Observed Gradients", NeurIPS 2020,
 * Algorithm 2; the authors' adabelief-pytorch 0.2 (eps 1e-16, decoupled weight decay). */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"lr", 1e-3, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "learning rate", NULL},
    {"beta1", 0.9, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of the first moment m", NULL},
    {"beta2", 0.999, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of s, the variance of g around m", NULL},
    {"eps", 1e-16, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "added to s every step and to sqrt(s_hat) before dividing", NULL},
    {"weight_decay", 0.0, 0.0, HUGE_VAL, 0, "decoupled decay: x shrinks by lr*weight_decay per step", NULL},
};
enum { LR, BETA1, BETA2, EPS, WEIGHT_DECAY };

static const gdlab_internal internals[] = {
    {"m", 1, "first moment: running average of g (the belief)"},
    {"s", 1, "running average of (g - m)^2 + eps: how far g strays from the belief"},
    {"step_size", 1, "lr/(sqrt(s_hat) + eps): the per-coordinate rate applied to m_hat"},
};
enum { M, S, STEP_SIZE, N_ARRAYS };

static size_t adabelief_state_size(size_t dim, const double *p)
{
    (void)p;
    return N_ARRAYS * dim * sizeof(double);
}

static const char *adabelief_step(void *state, const double *p, gdlab_step *s)
{
    const size_t n = s->dim;
    double *m = state, *var = m + S * n, *step_size = m + STEP_SIZE * n;
    const double beta1 = p[BETA1], beta2 = p[BETA2], t = (double)s->t;
    const double bias_correction1 = 1.0 - pow(beta1, t), bias_correction2 = 1.0 - pow(beta2, t);
    for (size_t i = 0; i < n; i++) {
        const double g = s->grad[i];
        m[i] = beta1 * m[i] + (1.0 - beta1) * g;
        const double surprise = g - m[i];
        var[i] = beta2 * var[i] + (1.0 - beta2) * surprise * surprise + p[EPS];
        step_size[i] = s->lr / (sqrt(var[i] / bias_correction2) + p[EPS]);
        s->x[i] *= 1.0 - s->lr * p[WEIGHT_DECAY];
        s->x[i] -= step_size[i] * m[i] / bias_correction1;
    }
    return NULL;
}

static void adabelief_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const double *a = state;
    for (size_t i = 0; i < N_ARRAYS * dim; i++)
        out[i] = a[i];
}

static const gdlab_optimizer_desc adabelief_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "adabelief",
                      "AdaBelief: Adam normalised by the variance of g around its average",
                      "m ← β₁m + (1−β₁)g;   s ← β₂s + (1−β₂)(g − m)² + eps\n"
                      "m̂ ← m/(1−β₁ᵗ);   ŝ ← s/(1−β₂ᵗ);   x ← x·(1 − lr·wd) − lr·m̂/(√ŝ + eps)\n"
                      "A predictable gradient (g ≈ m) gets a long step, however large it is.\n"
                      "Reference: Zhuang et al., NeurIPS 2020, Algorithm 2; adabelief-pytorch 0.2.",
                      params),
    .state_size = adabelief_state_size,
    .step = adabelief_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = adabelief_read_internals,
};
GDLAB_PLUGIN(adabelief_desc)
