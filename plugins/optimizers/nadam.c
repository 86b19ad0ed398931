/* SPDX-License-Identifier: MIT */
/* nadam — NAdam: Adam with Nesterov momentum (Dozat 2016), as torch.optim.NAdam computes it, float64.
 *
 *   g ← g + weight_decay·x             (or x ← x·(1 − lr·weight_decay) with decoupled_weight_decay)
 *   μₜ ← β₁·(1 − ½·0.96^(t·ψ)),  μₜ₊₁ likewise        (ψ = momentum_decay: the momentum warms up)
 *   m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²
 *   x ← x − lr·[ (1 − μₜ)/(1 − ∏ᵢ≤ₜ μᵢ) · g  +  μₜ₊₁/(1 − ∏ᵢ≤ₜ₊₁ μᵢ) · m ] / (√(v/(1 − β₂ᵗ)) + eps)
 *
 * The m-term uses the momentum of the *next* step: that is the Nesterov look-ahead, folded into the
 * update so no extra evaluation is needed.
 * PyTorch 1.13 multiplies μₜ into ∏ᵢ≤ₜ₊₁ μᵢ twice (mu_product * mu * mu_next); this is the bug fixed
 * in PyTorch 2.0 (pytorch/pytorch#92699). This file follows the paper and PyTorch >= 2.0, and
 * tests/optimizers/gen_reference.py checks it against torch 1.13's kernels with that line fixed.
 * Reference: T. Dozat, "Incorporating Nesterov Momentum into Adam", ICLR 2016 workshop;
 * torch/optim/nadam.py (PyTorch 2.x, decoupled_weight_decay from 2.1). */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"lr", 2e-3, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "learning rate", NULL},
    {"beta1", 0.9, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of the first moment m", NULL},
    {"beta2", 0.999, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of the second moment v", NULL},
    {"eps", 1e-8, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "added to sqrt(v_hat) before dividing", NULL},
    {"weight_decay", 0.0, 0.0, HUGE_VAL, 0, "weight decay (L2 penalty unless decoupled)", NULL},
    {"momentum_decay", 4e-3, 0.0, HUGE_VAL, 0, "psi: how fast the momentum schedule mu_t warms up", NULL},
    {"decoupled_weight_decay", 0, 0, 1, GDLAB_PARAM_BOOLEAN,
     "shrink x by lr*weight_decay directly (AdamW style) instead of adding to g", NULL},
    {"maximize", 0, 0, 1, GDLAB_PARAM_BOOLEAN, "maximize f: the gradient is negated first (torch)", NULL},
};
enum { LR, BETA1, BETA2, EPS, WEIGHT_DECAY, MOMENTUM_DECAY, DECOUPLED, MAXIMIZE };

static const gdlab_internal internals[] = {
    {"m", 1, "first moment: running average of g"},
    {"v", 1, "second moment: running average of g^2"},
    {"step_size", 1, "lr/(sqrt(v_hat) + eps): the per-coordinate rate applied to the Nesterov mix"},
    {"mu", 0, "mu_t: this step's momentum coefficient"},
    {"mu_product", 0, "product of mu_1 .. mu_t"},
};

typedef struct {
    double mu, mu_product;
    double arrays[]; /* m, v, step_size: dim each */
} nadam;

static size_t nadam_state_size(size_t dim, const double *p)
{
    (void)p;
    return sizeof(nadam) + 3 * dim * sizeof(double);
}

static const char *nadam_init(void *state, size_t dim, const double *p, const double *x0)
{
    (void)dim, (void)p, (void)x0;
    ((nadam *)state)->mu_product = 1.0;
    return NULL;
}

static double momentum_at(const double *p, double t)
{
    return p[BETA1] * (1.0 - 0.5 * pow(0.96, t * p[MOMENTUM_DECAY]));
}

static const char *nadam_step(void *state, const double *p, gdlab_step *s)
{
    nadam *st = state;
    const size_t n = s->dim;
    double *m = st->arrays, *v = m + n, *step_size = v + n;
    const double beta1 = p[BETA1], beta2 = p[BETA2], t = (double)s->t, lr = s->lr;
    const double bias_correction2 = 1.0 - pow(beta2, t);
    const double mu = momentum_at(p, t), mu_next = momentum_at(p, t + 1.0);
    st->mu = mu;
    st->mu_product *= mu;
    const double grad_weight = -lr * (1.0 - mu) / (1.0 - st->mu_product);
    const double m_weight = -lr * mu_next / (1.0 - st->mu_product * mu_next);
    for (size_t i = 0; i < n; i++) {
        double g = p[MAXIMIZE] ? -s->grad[i] : s->grad[i];
        if (p[WEIGHT_DECAY] != 0.0) {
            if (p[DECOUPLED])
                s->x[i] *= 1.0 - lr * p[WEIGHT_DECAY];
            else
                g = g + p[WEIGHT_DECAY] * s->x[i];
        }
        m[i] = m[i] * beta1 + (1.0 - beta1) * g;
        v[i] = v[i] * beta2 + (1.0 - beta2) * g * g;
        const double denom = sqrt(v[i] / bias_correction2) + p[EPS];
        step_size[i] = lr / denom;
        s->x[i] += grad_weight * g / denom;
        s->x[i] += m_weight * m[i] / denom;
    }
    return NULL;
}

static void nadam_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const nadam *st = state;
    for (size_t i = 0; i < 3 * dim; i++)
        out[i] = st->arrays[i];
    out[3 * dim] = st->mu;
    out[3 * dim + 1] = st->mu_product;
}

static const gdlab_optimizer_desc nadam_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "nadam",
                      "NAdam: Adam with Nesterov momentum and a momentum warm-up",
                      "g ← g + wd·x  (decoupled_weight_decay: x ← x·(1 − lr·wd));   ψ = momentum_decay\n"
                      "μₜ = β₁(1 − ½·0.96^(tψ));   m ← β₁m + (1−β₁)g;   v ← β₂v + (1−β₂)g²\n"
                      "x ← x − lr·[(1−μₜ)/(1−∏ᵢ≤ₜμᵢ)·g + μₜ₊₁/(1−∏ᵢ≤ₜ₊₁μᵢ)·m] / (√(v/(1−β₂ᵗ)) + eps)\n"
                      "maximize: g ← −g before anything else (as torch).\n"
                      "Defaults as torch.optim.NAdam (lr = 0.002). Follows PyTorch >= 2.0, which fixed\n"
                      "1.13's double-counted μₜ in ∏ᵢ≤ₜ₊₁μᵢ (pytorch/pytorch#92699).\n"
                      "Reference: Dozat, ICLR 2016 workshop; torch/optim/nadam.py.",
                      params),
    .state_size = nadam_state_size,
    .init = nadam_init,
    .step = nadam_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = nadam_read_internals,
};
GDLAB_PLUGIN(nadam_desc)
