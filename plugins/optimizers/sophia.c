/* SPDX-License-Identifier: MIT */
/* sophia — Sophia: momentum divided by a running estimate of the Hessian's diagonal, clipped per
 * coordinate, so no coordinate moves more than lr in one step.
 *
 *   m ← β₁·m + (1 − β₁)·g
 *   every k steps (t = 1, k + 1, 2k + 1, ...): h ← β₂·h + (1 − β₂)·diag H(x)   (through the oracle)
 *   x ← x·(1 − lr·weight_decay)
 *   x ← x − lr·clip(m/max(gamma·h, eps), 1)          (clip(z, 1) = max(−1, min(z, 1)))
 *
 * Here the diagonal is the surface's exact one, where the paper estimates it (Hutchinson or
 * Gauss-Newton-Bartlett) for networks too large for it. Where the curvature is negative or tiny,
 * max(·, eps) makes the step a sign step of length lr, as in Lion. Reference: H. Liu, Z. Li, D. Hall,
 * P. Liang, T. Ma, "Sophia: A Scalable Stochastic Second-order Optimizer for Language Model
 * Pre-training", ICLR 2024 (arXiv:2305.14342), Algorithm 1; β and k as the authors' code. */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"lr", 1e-4, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "learning rate: the longest move of a coordinate per step", NULL},
    {"beta1", 0.965, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of the momentum m", NULL},
    {"beta2", 0.99, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of the Hessian-diagonal estimate h", NULL},
    {"gamma", 0.01, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER, "scale of h in the denominator", NULL},
    {"k", 10, 1, HUGE_VAL, GDLAB_PARAM_INTEGER, "steps between two Hessian evaluations", NULL},
    {"eps", 1e-12, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "floor of the denominator", NULL},
    {"weight_decay", 0.0, 0.0, HUGE_VAL, 0, "decoupled decay: x shrinks by lr*weight_decay per step", NULL},
};
enum { LR, BETA1, BETA2, GAMMA, K, EPS, WEIGHT_DECAY };

static const gdlab_internal internals[] = {
    {"m", 1, "momentum"},
    {"h", 1, "running estimate of the Hessian's diagonal"},
    {"ratio", 1, "m/max(gamma*h, eps) before clipping: |ratio| > 1 means the coordinate was clipped"},
};
enum { M, H, RATIO, N_ARRAYS };

static size_t sophia_state_size(size_t dim, const double *p)
{
    (void)p;
    return (N_ARRAYS * dim + dim * dim) * sizeof(double); /* + the Hessian */
}

static const char *sophia_step(void *state, const double *p, gdlab_step *s)
{
    const size_t n = s->dim;
    double *m = state, *h = m + H * n, *ratio = m + RATIO * n, *hess = m + N_ARRAYS * n;
    const int refresh = (s->t - 1) % (uint64_t)p[K] == 0;
    if (refresh && s->oracle->hessian(s->oracle->host, s->x, hess))
        return "sophia needs the Hessian's diagonal, and this surface has none";
    for (size_t i = 0; i < n; i++) {
        m[i] = p[BETA1] * m[i] + (1.0 - p[BETA1]) * s->grad[i];
        if (refresh) h[i] = p[BETA2] * h[i] + (1.0 - p[BETA2]) * hess[i * n + i];
        ratio[i] = m[i] / fmax(p[GAMMA] * h[i], p[EPS]);
        s->x[i] *= 1.0 - s->lr * p[WEIGHT_DECAY];
        s->x[i] -= s->lr * fmax(-1.0, fmin(ratio[i], 1.0));
    }
    return NULL;
}

static void sophia_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const double *a = state;
    for (size_t i = 0; i < N_ARRAYS * dim; i++)
        out[i] = a[i];
}

static const gdlab_optimizer_desc sophia_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "sophia",
                      "Sophia: momentum over the Hessian's diagonal, clipped to lr per coordinate",
                      "m ← β₁m + (1−β₁)g;   every k steps: h ← β₂h + (1−β₂)·diag H(x) (oracle)\n"
                      "x ← x·(1 − lr·wd) − lr·clip(m/max(γ·h, eps), 1)\n"
                      "The exact diagonal of the surface's Hessian; 1 Hessian every k steps.\n"
                      "Reference: Liu et al., ICLR 2024 (arXiv:2305.14342), Algorithm 1.",
                      params),
    .state_size = sophia_state_size,
    .step = sophia_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = sophia_read_internals,
};
GDLAB_PLUGIN(sophia_desc)
