/* SPDX-License-Identifier: MIT */
/* adan — Adan: adaptive Nesterov momentum, with the gradient's change standing in for the look-ahead.
 *
 *   d ← g − g₋ (0 on the first step)
 *   m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·d,   n ← β₃·n + (1 − β₃)·(g + β₂·d)²
 *   u ← (m/(1 − β₁ᵗ) + β₂·v/(1 − β₂ᵗ)) / (√(n/(1 − β₃ᵗ)) + eps)
 *   x ← (x − lr·u)/(1 + lr·weight_decay)            (the proximal form of the paper)
 *
 * The β here are the authors' code's (0.98, 0.92, 0.99); the paper writes 1 − β (0.02, 0.08, 0.01):
 * m_k = (1 − β₁)m_{k−1} + β₁g_k there. Reference: X. Xie, P. Zhou, H. Li, Z. Lin, S. Yan, "Adan:
 * Adaptive Nesterov Momentum Algorithm for Faster Optimizing Deep Models", arXiv:2208.06677 (IEEE
 * TPAMI 2024), Algorithm 1; the authors' code (sail-sg/Adan) for the bias corrections. */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"lr", 1e-3, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "learning rate", NULL},
    {"beta1", 0.98, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of the gradient average m", NULL},
    {"beta2", 0.92, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of v, the average gradient change", NULL},
    {"beta3", 0.99, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of n, the second moment", NULL},
    {"eps", 1e-8, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "added to sqrt(n_hat) before dividing", NULL},
    {"weight_decay", 0.0, 0.0, HUGE_VAL, 0, "proximal decay: x is divided by 1 + lr*weight_decay", NULL},
};
enum { LR, BETA1, BETA2, BETA3, EPS, WEIGHT_DECAY };

static const gdlab_internal internals[] = {
    {"m", 1, "average gradient"},
    {"v", 1, "average gradient change g - g_prev"},
    {"n", 1, "average of (g + beta2*(g - g_prev))^2"},
    {"update", 1, "u: the step taken was lr*u (before the decay)"},
};
enum { M, V, N, UPDATE, PREVIOUS, N_ARRAYS };

static size_t adan_state_size(size_t dim, const double *p)
{
    (void)p;
    return N_ARRAYS * dim * sizeof(double);
}

static const char *adan_step(void *state, const double *p, gdlab_step *s)
{
    const size_t k = s->dim;
    double *m = state, *v = m + V * k, *n = m + N * k, *u = m + UPDATE * k, *previous = m + PREVIOUS * k;
    const double b1 = p[BETA1], b2 = p[BETA2], b3 = p[BETA3], t = (double)s->t;
    const double c1 = 1.0 - pow(b1, t), c2 = 1.0 - pow(b2, t), c3 = 1.0 - pow(b3, t);
    for (size_t i = 0; i < k; i++) {
        const double g = s->grad[i], d = s->t == 1 ? 0.0 : g - previous[i];
        m[i] = b1 * m[i] + (1.0 - b1) * g;
        v[i] = b2 * v[i] + (1.0 - b2) * d;
        const double look = g + b2 * d;
        n[i] = b3 * n[i] + (1.0 - b3) * look * look;
        u[i] = (m[i] / c1 + b2 * v[i] / c2) / (sqrt(n[i] / c3) + p[EPS]);
        s->x[i] = (s->x[i] - s->lr * u[i]) / (1.0 + s->lr * p[WEIGHT_DECAY]);
        previous[i] = g;
    }
    return NULL;
}

static void adan_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const double *a = state;
    for (size_t i = 0; i < 4 * dim; i++)
        out[i] = a[i];
}

static const gdlab_optimizer_desc adan_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "adan",
                      "Adan: adaptive Nesterov momentum from the gradient's change",
                      "d ← g − g₋;   m ← β₁m + (1−β₁)g;   v ← β₂v + (1−β₂)d;   n ← β₃n + (1−β₃)(g + β₂d)²\n"
                      "u ← (m/(1−β₁ᵗ) + β₂·v/(1−β₂ᵗ))/(√(n/(1−β₃ᵗ)) + eps);   x ← (x − lr·u)/(1 + lr·wd)\n"
                      "β as in the authors' code; the paper writes 1 − β.\n"
                      "Reference: Xie et al., arXiv:2208.06677, Algorithm 1; sail-sg/Adan.",
                      params),
    .state_size = adan_state_size,
    .step = adan_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = adan_read_internals,
};
GDLAB_PLUGIN(adan_desc)
