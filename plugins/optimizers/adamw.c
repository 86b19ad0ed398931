/* SPDX-License-Identifier: MIT */
/* adamw — torch.optim.AdamW: Adam with decoupled weight decay, float64, same defaults and order of
 * operations.
 *
 *   x ← x·(1 − lr·weight_decay)                  (decay the weights directly, not through g)
 *   m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²
 *   m̂ ← m/(1 − β₁ᵗ),   v̂ ← v/(1 − β₂ᵗ)           (amsgrad: v̂ from the running maximum of v)
 *   x ← x − lr·m̂/(√v̂ + eps)
 *
 * In adam, weight decay enters g and is then divided by √v̂, so coordinates with large gradients are
 * barely regularised; here every coordinate shrinks by the same factor per step.
 * Reference: Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019, Algorithm 2;
 * torch/optim/adamw.py (PyTorch 1.13). */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"lr", 1e-3, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "learning rate", NULL},
    {"beta1", 0.9, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of the first moment m", NULL},
    {"beta2", 0.999, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of the second moment v", NULL},
    {"eps", 1e-8, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "added to sqrt(v_hat) before dividing", NULL},
    {"weight_decay", 1e-2, 0.0, HUGE_VAL, 0, "decoupled decay: x shrinks by lr*weight_decay per step",
     NULL},
    {"amsgrad", 0, 0, 1, GDLAB_PARAM_BOOLEAN, "normalise by the largest v so far (AMSGrad)", NULL},
    {"maximize", 0, 0, 1, GDLAB_PARAM_BOOLEAN, "maximize f: the gradient is negated first (torch)", NULL},
};
enum { LR, BETA1, BETA2, EPS, WEIGHT_DECAY, AMSGRAD, MAXIMIZE };

static const gdlab_internal internals[] = {
    {"m", 1, "first moment: running average of g"},
    {"v", 1, "second moment: running average of g^2"},
    {"m_hat", 1, "bias-corrected m"},
    {"v_hat", 1, "bias-corrected v (of max v with amsgrad)"},
    {"step_size", 1, "lr/(sqrt(v_hat) + eps): the per-coordinate rate applied to m_hat"},
    {"v_max", 1, "largest v so far (amsgrad only, else 0)"},
};
enum { M, V, M_HAT, V_HAT, STEP_SIZE, V_MAX, N_ARRAYS };

/* State: one dim-long array per internal, in the order above. */
static size_t adamw_state_size(size_t dim, const double *p)
{
    (void)p;
    return N_ARRAYS * dim * sizeof(double);
}

static const char *adamw_step(void *state, const double *p, gdlab_step *s)
{
    const size_t n = s->dim;
    double *a = state, *m = a + M * n, *v = a + V * n, *m_hat = a + M_HAT * n, *v_hat = a + V_HAT * n,
           *step_size = a + STEP_SIZE * n, *v_max = a + V_MAX * n;
    const double beta1 = p[BETA1], beta2 = p[BETA2], t = (double)s->t;
    const double bias_correction1 = 1.0 - pow(beta1, t), bias_correction2 = 1.0 - pow(beta2, t);
    const double lr_corrected = s->lr / bias_correction1, bias_correction2_sqrt = sqrt(bias_correction2);
    const double shrink = 1.0 - s->lr * p[WEIGHT_DECAY];
    for (size_t i = 0; i < n; i++) {
        const double g = p[MAXIMIZE] ? -s->grad[i] : s->grad[i];
        s->x[i] *= shrink;
        m[i] = m[i] * beta1 + (1.0 - beta1) * g;
        v[i] = v[i] * beta2 + (1.0 - beta2) * g * g;
        double second = v[i];
        if (p[AMSGRAD]) second = v_max[i] = fmax(v_max[i], v[i]);
        const double denom = sqrt(second) / bias_correction2_sqrt + p[EPS];
        m_hat[i] = m[i] / bias_correction1;
        v_hat[i] = second / bias_correction2;
        step_size[i] = s->lr / denom;
        s->x[i] += -lr_corrected * m[i] / denom;
    }
    return NULL;
}

static void adamw_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const double *a = state;
    for (size_t i = 0; i < N_ARRAYS * dim; i++)
        out[i] = a[i];
}

static const gdlab_optimizer_desc adamw_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "adamw",
                      "AdamW: Adam with decoupled weight decay",
                      "x ← x·(1 − lr·wd)\n"
                      "m ← β₁·m + (1−β₁)·g;   v ← β₂·v + (1−β₂)·g²\n"
                      "m̂ ← m/(1−β₁ᵗ);   v̂ ← v/(1−β₂ᵗ)  (amsgrad: v̂ from max of all v so far)\n"
                      "x ← x − lr·m̂/(√v̂ + eps)\n"
                      "maximize: g ← −g before anything else (as torch).\n"
                      "Defaults as torch.optim.AdamW (weight_decay = 0.01).\n"
                      "Reference: Loshchilov & Hutter, ICLR 2019; torch/optim/adamw.py (1.13).",
                      params),
    .state_size = adamw_state_size,
    .step = adamw_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = adamw_read_internals,
};
GDLAB_PLUGIN(adamw_desc)
