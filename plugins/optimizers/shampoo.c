/* SPDX-License-Identifier: MIT */
/* shampoo — Shampoo on a vector parameter, which is full-matrix AdaGrad: the gradient is
 * preconditioned by the inverse square root of the sum of its outer products, so the steps adapt to
 * the directions the gradients take, not only to the coordinate axes.
 *
 *   G ← G + g·gᵀ                (G₀ = eps·I; dim × dim)
 *   x ← x − lr·G^(−1/2)·g       (G^(−1/2) from G's eigenvectors and eigenvalues, Jacobi)
 *
 * Shampoo keeps one such matrix per dimension of a tensor and uses G_i^(−1/2k) for an order-k tensor;
 * a point of a loss surface is an order-1 tensor, where that is exactly full-matrix AdaGrad. Unlike
 * adagrad and adam (per coordinate), it takes the same path in any rotated frame.
 * Reference: V. Gupta, T. Koren, Y. Singer, "Shampoo: Preconditioned Stochastic Tensor Optimization",
 * ICML 2018, Algorithm 2 with k = 1; J. Duchi, E. Hazan, Y. Singer, JMLR 12, 2011 (full-matrix
 * AdaGrad). */
#include <gdlab/plugin.h>
#include <gdlab/symmetric_eigen.h>
#include <math.h>
#include <string.h>

static const gdlab_param params[] = {
    {"lr", 0.1, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "learning rate", NULL},
    {"eps", 1e-4, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "G starts as eps*I, so G^(-1/2) exists from the first step", NULL},
};
enum { LR, EPS };

static const gdlab_internal internals[] = {
    {"direction", 1, "G^(-1/2)*g: the step taken was -lr*direction"},
};

/* State: the direction (dim), G (dim²), and scratch for its eigen-decomposition (2·dim²). */
static size_t shampoo_state_size(size_t dim, const double *p)
{
    (void)p;
    return (dim + 3 * dim * dim) * sizeof(double);
}

static const char *shampoo_init(void *state, size_t dim, const double *p, const double *x0)
{
    (void)x0;
    double *G = (double *)state + dim;
    for (size_t i = 0; i < dim; i++)
        G[i * dim + i] = p[EPS];
    return NULL;
}

static const char *shampoo_step(void *state, const double *p, gdlab_step *s)
{
    (void)p;
    const size_t n = s->dim;
    double *d = state, *G = d + n, *a = G + n * n, *v = a + n * n;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            G[i * n + j] += s->grad[i] * s->grad[j];
    memcpy(a, G, n * n * sizeof(double));
    gdlab_jacobi(a, n, v); /* G = V·diag(λ)·Vᵀ */
    for (size_t i = 0; i < n; i++)
        d[i] = 0.0;
    for (size_t k = 0; k < n; k++) { /* d = Σ_k v_k·(v_kᵀg)/√λ_k */
        double along = 0.0;
        for (size_t i = 0; i < n; i++)
            along += v[i * n + k] * s->grad[i];
        along /= sqrt(a[k * n + k]);
        for (size_t i = 0; i < n; i++)
            d[i] += v[i * n + k] * along;
    }
    for (size_t i = 0; i < n; i++)
        s->x[i] -= s->lr * d[i];
    return NULL;
}

static void shampoo_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    memcpy(out, state, dim * sizeof(double));
}

static const gdlab_optimizer_desc shampoo_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "shampoo",
                      "Shampoo on a vector: full-matrix AdaGrad, x - lr*G^(-1/2)*g",
                      "G ← G + g·gᵀ  (G₀ = eps·I);   x ← x − lr·G^(−1/2)·g\n"
                      "Shampoo for an order-1 tensor is full-matrix AdaGrad; the same path in any\n"
                      "rotated frame, unlike the per-coordinate adagrad and adam.\n"
                      "Reference: Gupta, Koren, Singer, ICML 2018, Algorithm 2 (k = 1);\n"
                      "Duchi, Hazan, Singer, JMLR 2011.",
                      params),
    .state_size = shampoo_state_size,
    .init = shampoo_init,
    .step = shampoo_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = shampoo_read_internals,
};
GDLAB_PLUGIN(shampoo_desc)
