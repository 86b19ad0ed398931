/* SPDX-License-Identifier: MIT */
/* radam — torch.optim.RAdam: Adam with its early steps rectified, float64, same defaults and order of
 * operations.
 *
 *   g ← −g (maximize);   g ← g + weight_decay·x, or x ← x·(1 − lr·weight_decay) when decoupled
 *   m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²,   m̂ ← m/(1 − β₁ᵗ)
 *   ρ∞ ← 2/(1 − β₂) − 1,   ρₜ ← ρ∞ − 2t·β₂ᵗ/(1 − β₂ᵗ)        (length of the SMA v approximates)
 *   ρₜ > 5:  r ← √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ)),   x ← x − lr·r·m̂·√(1 − β₂ᵗ)/(√v + eps)
 *   else:    x ← x − lr·m̂                                   (momentum SGD while v is unreliable)
 *
 * With β₂ = 0.999 the first 5 steps are plain momentum steps of size lr·|m̂| (not normalised: on a
 * steep surface they are long), then r grows from about 0 towards 1.
 * Reference: Liu et al., "On the Variance of the Adaptive Learning Rate and Beyond", ICLR 2020,
 * Algorithm 2; torch/optim/radam.py (PyTorch 1.13; maximize and decoupled_weight_decay as in
 * PyTorch 2.1, checked against a loop written from 2.1's documented algorithm). */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"lr", 1e-3, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "learning rate", NULL},
    {"beta1", 0.9, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of the first moment m", NULL},
    {"beta2", 0.999, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of the second moment v", NULL},
    {"eps", 1e-8, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "added to sqrt(v) before dividing", NULL},
    {"weight_decay", 0.0, 0.0, HUGE_VAL, 0, "L2 penalty: adds weight_decay*x to the gradient", NULL},
    {"maximize", 0, 0, 1, GDLAB_PARAM_BOOLEAN, "maximize f: the gradient is negated first (torch)", NULL},
    {"decoupled_weight_decay", 0, 0, 1, GDLAB_PARAM_BOOLEAN,
     "decay x by lr*weight_decay directly (AdamW style; torch >= 2.1)", NULL},
};
enum { LR, BETA1, BETA2, EPS, WEIGHT_DECAY, MAXIMIZE, DECOUPLED };

static const gdlab_internal internals[] = {
    {"m", 1, "first moment: running average of g"},
    {"v", 1, "second moment: running average of g^2"},
    {"m_hat", 1, "bias-corrected m"},
    {"step_size", 1, "rate applied to m_hat: lr*r*sqrt(1-beta2^t)/(sqrt(v)+eps), or lr unrectified"},
    {"rho", 0, "rho_t: the approximated SMA length; the step is rectified when rho_t > 5"},
    {"rectification", 0, "r (0 while rho_t <= 5: not rectified, plain momentum step)"},
};

typedef struct {
    double rho, rect;
    double arrays[]; /* m, v, m_hat, step_size: dim each */
} radam;

static size_t radam_state_size(size_t dim, const double *p)
{
    (void)p;
    return sizeof(radam) + 4 * dim * sizeof(double);
}

static const char *radam_step(void *state, const double *p, gdlab_step *s)
{
    radam *st = state;
    const size_t n = s->dim;
    double *m = st->arrays, *v = m + n, *m_hat = v + n, *step_size = m_hat + n;
    const double beta1 = p[BETA1], beta2 = p[BETA2], t = (double)s->t, lr = s->lr;
    const double bias_correction1 = 1.0 - pow(beta1, t), bias_correction2 = 1.0 - pow(beta2, t);
    const double rho_inf = 2.0 / (1.0 - beta2) - 1.0;
    st->rho = rho_inf - 2.0 * t * pow(beta2, t) / bias_correction2;
    const int rectified = st->rho > 5.0;
    st->rect = rectified ? sqrt((st->rho - 4.0) * (st->rho - 2.0) * rho_inf /
                                ((rho_inf - 4.0) * (rho_inf - 2.0) * st->rho))
                         : 0.0;
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
        m_hat[i] = m[i] / bias_correction1;
        if (rectified) {
            const double adaptive_lr = 1.0 / (sqrt(v[i]) + p[EPS]) * sqrt(bias_correction2);
            step_size[i] = lr * adaptive_lr * st->rect;
            s->x[i] -= m_hat[i] * lr * adaptive_lr * st->rect;
        } else {
            step_size[i] = lr;
            s->x[i] -= m_hat[i] * lr;
        }
    }
    return NULL;
}

static void radam_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const radam *st = state;
    for (size_t i = 0; i < 4 * dim; i++)
        out[i] = st->arrays[i];
    out[4 * dim] = st->rho;
    out[4 * dim + 1] = st->rect;
}

static const gdlab_optimizer_desc radam_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "radam",
                      "RAdam: Adam whose adaptive rate is switched on only once v is reliable",
                      "g ← g + wd·x;   m ← β₁m + (1−β₁)g;   v ← β₂v + (1−β₂)g²;   m̂ ← m/(1−β₁ᵗ)\n"
                      "ρ∞ = 2/(1−β₂) − 1;   ρₜ = ρ∞ − 2tβ₂ᵗ/(1−β₂ᵗ)\n"
                      "ρₜ > 5: r = √((ρₜ−4)(ρₜ−2)ρ∞/((ρ∞−4)(ρ∞−2)ρₜ));\n"
                      "        x ← x − lr·r·m̂·√(1−β₂ᵗ)/(√v + eps)\n"
                      "else:   x ← x − lr·m̂\n"
                      "maximize: g ← −g first; decoupled_weight_decay: x ← x·(1 − lr·wd)\n"
                      "instead of the L2 term (torch ≥ 2.1).\n"
                      "Defaults as torch.optim.RAdam.\n"
                      "Reference: Liu et al., ICLR 2020; torch/optim/radam.py (1.13).",
                      params),
    .state_size = radam_state_size,
    .step = radam_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = radam_read_internals,
};
GDLAB_PLUGIN(radam_desc)
