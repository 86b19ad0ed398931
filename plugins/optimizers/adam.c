/* SPDX-License-Identifier: MIT */
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

/* State: m, v and v_max (dim each), then the last step's t and lr. The other internals are worked
 * out from these only when they are read, so a run that does not record them does not pay for them. */
typedef struct adam_tail {
    double t, lr;
} adam_tail;

static size_t adam_state_size(size_t dim, const double *p)
{
    (void)p;
    return 3 * dim * sizeof(double) + sizeof(adam_tail);
}

/* The step's common case (no weight decay, amsgrad or maximize), without their tests per coordinate.
 * A function of its own so that the compiler knows its arrays are distinct (restrict parameters). */
static inline void adam_update(size_t n, double *restrict x, double *restrict m, double *restrict v,
                               const double *restrict grad, const double *p, double lr_corrected,
                               double bias_correction2_sqrt)
{
    const double beta1 = p[BETA1], beta2 = p[BETA2], eps = p[EPS];
    for (size_t i = 0; i < n; i++) {
        const double g = grad[i];
        m[i] = m[i] * beta1 + (1.0 - beta1) * g;
        v[i] = v[i] * beta2 + (1.0 - beta2) * g * g;
        x[i] += -lr_corrected * m[i] / (sqrt(v[i]) / bias_correction2_sqrt + eps);
    }
}

/* Any case, with the tests per coordinate. */
static void adam_update_any(size_t n, double *x, double *m, double *v, double *v_max, const double *grad,
                            const double *p, double lr_corrected, double bias_correction2_sqrt)
{
    const double beta1 = p[BETA1], beta2 = p[BETA2], eps = p[EPS], wd = p[WEIGHT_DECAY];
    const int maximize = p[MAXIMIZE] != 0.0, amsgrad = p[AMSGRAD] != 0.0;
    for (size_t i = 0; i < n; i++) {
        double g = maximize ? -grad[i] : grad[i]; /* torch negates first, then weight decay */
        if (wd != 0.0) g = g + wd * x[i];
        m[i] = m[i] * beta1 + (1.0 - beta1) * g;
        v[i] = v[i] * beta2 + (1.0 - beta2) * g * g;
        double second = v[i];
        if (amsgrad) second = v_max[i] = fmax(v_max[i], v[i]);
        x[i] += -lr_corrected * m[i] / (sqrt(second) / bias_correction2_sqrt + eps);
    }
}

static const char *adam_step(void *state, const double *p, gdlab_step *s)
{
    const size_t n = s->dim;
    double *m = state, *v = m + n, *v_max = v + n;
    const double t = (double)s->t;
    *(adam_tail *)(v_max + n) = (adam_tail){t, s->lr}; /* stored first: nothing is kept across pow */
    const double bias_correction1 = 1.0 - pow(p[BETA1], t), bias_correction2 = 1.0 - pow(p[BETA2], t);
    const double lr_corrected = s->lr / bias_correction1, bias_correction2_sqrt = sqrt(bias_correction2);
    if (p[WEIGHT_DECAY] == 0.0 && p[AMSGRAD] == 0.0 && p[MAXIMIZE] == 0.0)
        adam_update(n, s->x, m, v, s->grad, p, lr_corrected, bias_correction2_sqrt);
    else
        adam_update_any(n, s->x, m, v, v_max, s->grad, p, lr_corrected, bias_correction2_sqrt);
    return NULL;
}

/* The same update for many runs (sweeps), in the same operations: rows m, v, v_max (dim each), then
 * t and lr, as in adam_state_size. */
static void adam_step_batch(const gdlab_batch *b)
{
    const size_t n = b->count, st = b->stride, dim = b->dim;
    const double *restrict beta1 = b->params + BETA1 * st, *restrict beta2 = b->params + BETA2 * st;
    const double *restrict eps = b->params + EPS * st, *restrict wd = b->params + WEIGHT_DECAY * st;
    const double *restrict amsgrad = b->params + AMSGRAD * st, *restrict lr = b->lr;
    const double *restrict maximize = b->params + MAXIMIZE * st;
    double *restrict tail_t = b->state + 3 * dim * st, *restrict tail_lr = tail_t + st;
    const double t = (double)b->t;
    for (size_t r = 0; r < n; r++) {
        tail_t[r] = t;
        tail_lr[r] = lr[r];
    }
    for (size_t r = 0; r < n; r++) {
        const double bias_correction1 = 1.0 - pow(beta1[r], t), bias_correction2 = 1.0 - pow(beta2[r], t);
        const double lr_corrected = lr[r] / bias_correction1, bias_correction2_sqrt = sqrt(bias_correction2);
        for (size_t i = 0; i < dim; i++) {
            double *m = b->state + i * st + r, *v = m + dim * st, *v_max = v + dim * st;
            double *x = b->x + i * st + r;
            double g = maximize[r] != 0.0 ? -b->grad[i * st + r] : b->grad[i * st + r];
            if (wd[r] != 0.0) g = g + wd[r] * *x;
            *m = *m * beta1[r] + (1.0 - beta1[r]) * g;
            *v = *v * beta2[r] + (1.0 - beta2[r]) * g * g;
            double second = *v;
            if (amsgrad[r] != 0.0) second = *v_max = fmax(*v_max, *v);
            const double denom = sqrt(second) / bias_correction2_sqrt + eps[r];
            *x += -lr_corrected * *m / denom;
        }
    }
}

/* m, v, m_hat, v_hat, step_size, v_max: as the step computed them, in the same operations. */
static void adam_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    const double *m = state, *v = m + dim, *v_max = v + dim;
    const adam_tail *tail = (const adam_tail *)(v_max + dim);
    const double bias_correction1 = 1.0 - pow(p[BETA1], tail->t);
    const double bias_correction2 = 1.0 - pow(p[BETA2], tail->t);
    const double bias_correction2_sqrt = sqrt(bias_correction2);
    for (size_t i = 0; i < dim; i++) {
        const double second = p[AMSGRAD] != 0.0 ? v_max[i] : v[i];
        const double denom = sqrt(second) / bias_correction2_sqrt + p[EPS];
        out[0 * dim + i] = m[i];
        out[1 * dim + i] = v[i];
        out[2 * dim + i] = m[i] / bias_correction1;
        out[3 * dim + i] = second / bias_correction2;
        out[4 * dim + i] = tail->lr / denom;
        out[5 * dim + i] = v_max[i];
    }
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
    .step_batch = adam_step_batch,
};
GDLAB_PLUGIN(adam_desc)
