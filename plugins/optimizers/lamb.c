/* SPDX-License-Identifier: MIT */
/* lamb — LAMB: Adam's direction, rescaled so every step moves x by lr times its own length (a
 * layer-wise trust ratio; here the whole point is one layer).
 *
 *   m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²,   m̂ ← m/(1 − β₁ᵗ),   v̂ ← v/(1 − β₂ᵗ)
 *   u ← m̂/(√v̂ + eps) + weight_decay·x
 *   x ← x − lr·(‖x‖/‖u‖)·u                          (ratio 1 when ‖x‖ or ‖u‖ is 0)
 *
 * So ‖step‖ = lr·‖x‖: relative steps, whatever the gradient's scale. At x = 0 the ratio falls back
 * to 1 (an Adam step). Reference: Y. You, J. Li, S. Reddi, J. Hseu, S. Kumar, S. Bhojanapalli,
 * X. Song, J. Demmel, K. Keutzer, C.-J. Hsieh, "Large Batch Optimization for Deep Learning: Training
 * BERT in 76 minutes", ICLR 2020, Algorithm 2 (φ the identity). */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"lr", 1e-3, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "learning rate: the step's length relative to |x|", NULL},
    {"beta1", 0.9, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of the first moment m", NULL},
    {"beta2", 0.999, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of the second moment v", NULL},
    {"eps", 1e-6, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "added to sqrt(v_hat) before dividing", NULL},
    {"weight_decay", 0.0, 0.0, HUGE_VAL, 0, "adds weight_decay*x to the update before the trust ratio",
     NULL},
};
enum { LR, BETA1, BETA2, EPS, WEIGHT_DECAY };

static const gdlab_internal internals[] = {
    {"m", 1, "first moment"},
    {"v", 1, "second moment"},
    {"update", 1, "u = m_hat/(sqrt(v_hat) + eps) + weight_decay*x"},
    {"trust_ratio", 0, "|x|/|u|: the step taken was lr*trust_ratio*u"},
};

typedef struct {
    double ratio;
    double arrays[]; /* m, v, u: dim each */
} lamb;

static size_t lamb_state_size(size_t dim, const double *p)
{
    (void)p;
    return sizeof(lamb) + 3 * dim * sizeof(double);
}

static const char *lamb_step(void *state, const double *p, gdlab_step *s)
{
    lamb *st = state;
    const size_t n = s->dim;
    double *m = st->arrays, *v = m + n, *u = v + n;
    const double b1 = p[BETA1], b2 = p[BETA2], t = (double)s->t;
    const double c1 = 1.0 - pow(b1, t), c2 = 1.0 - pow(b2, t);
    double x_norm = 0.0, u_norm = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double g = s->grad[i];
        m[i] = b1 * m[i] + (1.0 - b1) * g;
        v[i] = b2 * v[i] + (1.0 - b2) * g * g;
        u[i] = (m[i] / c1) / (sqrt(v[i] / c2) + p[EPS]) + p[WEIGHT_DECAY] * s->x[i];
        x_norm += s->x[i] * s->x[i];
        u_norm += u[i] * u[i];
    }
    x_norm = sqrt(x_norm), u_norm = sqrt(u_norm);
    st->ratio = x_norm > 0.0 && u_norm > 0.0 ? x_norm / u_norm : 1.0;
    for (size_t i = 0; i < n; i++)
        s->x[i] -= s->lr * st->ratio * u[i];
    return NULL;
}

static void lamb_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const lamb *st = state;
    for (size_t i = 0; i < 3 * dim; i++)
        out[i] = st->arrays[i];
    out[3 * dim] = st->ratio;
}

static const gdlab_optimizer_desc lamb_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "lamb",
                      "LAMB: Adam's direction scaled by the trust ratio |x|/|u|",
                      "m, v, m̂, v̂ as Adam;   u ← m̂/(√v̂ + eps) + wd·x\n"
                      "x ← x − lr·(‖x‖/‖u‖)·u   (ratio 1 when either norm is 0): |step| = lr·|x|\n"
                      "Reference: You et al., ICLR 2020, Algorithm 2 (phi the identity).",
                      params),
    .state_size = lamb_state_size,
    .step = lamb_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = lamb_read_internals,
};
GDLAB_PLUGIN(lamb_desc)
