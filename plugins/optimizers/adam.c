/* adam — torch.optim.Adam, float64, same defaults and order of operations.
 *
 *   g ← g + weight_decay·x                       (L2 penalty through the gradient; see adamw)
 *   m ← β₁·m + (1 − β₁)·g
 *   v ← β₂·v + (1 − β₂)·g²
 *   m̂ ← m/(1 − β₁ᵗ),   v̂ ← v/(1 − β₂ᵗ)           (bias correction: m and v start at 0)
 *   x ← x − lr·m̂/(√v̂ + eps)                      (amsgrad: v̂ from the running maximum of v)
 *
 * PyTorch computes the last line as x − (lr/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + eps), and so does this
 * file. Far from a minimum each coordinate moves about lr per step, whatever the gradient's size.
 * Reference: Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1;
 * Reddi, Kale, Kumar, "On the Convergence of Adam and Beyond", ICLR 2018 (AMSGrad);
 * torch/optim/adam.py (PyTorch 1.13). */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"lr", 1e-3, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "learning rate", NULL},
    {"beta1", 0.9, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of the first moment m", NULL},
    {"beta2", 0.999, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of the second moment v", NULL},
    {"eps", 1e-8, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "added to sqrt(v_hat) before dividing", NULL},
    {"weight_decay", 0.0, 0.0, HUGE_VAL, 0, "L2 penalty: adds weight_decay*x to the gradient", NULL},
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
static size_t adam_state_size(size_t dim, const double *p)
{
    (void)p;
    return N_ARRAYS * dim * sizeof(double);
}

static const char *adam_step(void *state, const double *p, gdlab_step *s)
{
    const size_t n = s->dim;
    double *a = state, *m = a + M * n, *v = a + V * n, *m_hat = a + M_HAT * n, *v_hat = a + V_HAT * n,
           *step_size = a + STEP_SIZE * n, *v_max = a + V_MAX * n;
    const double beta1 = p[BETA1], beta2 = p[BETA2], t = (double)s->t;
    const double bias_correction1 = 1.0 - pow(beta1, t), bias_correction2 = 1.0 - pow(beta2, t);
    const double lr_corrected = s->lr / bias_correction1, bias_correction2_sqrt = sqrt(bias_correction2);
    for (size_t i = 0; i < n; i++) {
        double g = p[MAXIMIZE] ? -s->grad[i] : s->grad[i];
        if (p[WEIGHT_DECAY] != 0.0) g = g + p[WEIGHT_DECAY] * s->x[i];
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

static void adam_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const double *a = state;
    for (size_t i = 0; i < N_ARRAYS * dim; i++)
        out[i] = a[i];
}

static const gdlab_optimizer_desc adam_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "adam",
                      "Adam: momentum on g, divided by the RMS of g, bias-corrected",
                      "g ← g + wd·x;   m ← β₁·m + (1−β₁)·g;   v ← β₂·v + (1−β₂)·g²\n"
                      "m̂ ← m/(1−β₁ᵗ);   v̂ ← v/(1−β₂ᵗ)  (amsgrad: v̂ from max of all v so far)\n"
                      "x ← x − lr·m̂/(√v̂ + eps)\n"
                      "maximize: g ← −g before anything else (as torch).\n"
                      "Defaults as torch.optim.Adam. weight_decay here is an L2 penalty; for decoupled\n"
                      "decay use adamw.\n"
                      "Reference: Kingma & Ba, ICLR 2015; Reddi et al., ICLR 2018;\n"
                      "torch/optim/adam.py (1.13).",
                      params),
    .state_size = adam_state_size,
    .step = adam_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = adam_read_internals,
};
GDLAB_PLUGIN(adam_desc)
