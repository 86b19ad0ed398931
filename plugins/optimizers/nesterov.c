/* SPDX-License-Identifier: MIT */
/* nesterov — Nesterov's accelerated gradient with a genuine look-ahead (notebook convention):
 *
 *   g ← ∇f(x + μ·v),   v ← μ·v − lr·g,   x ← x + v        (v₀ = 0)
 *
 * The gradient is taken where momentum is about to carry the point, not where it is, so each step
 * costs two evaluations: the host's at x and the oracle's at the look-ahead point (on the first
 * step v = 0, the look-ahead point is x itself and the host's cached evaluation serves it).
 * torch.optim.SGD(nesterov=True) is the same method rewritten in the look-ahead variable
 * (Sutskever et al. 2013), which needs only ∇f(x): see the sgd plugin.
 * Reference: Y. Nesterov, "A method for solving the convex programming problem with convergence rate
 * O(1/k²)", Soviet Math. Dokl. 27, 1983; Sutskever, Martens, Dahl, Hinton, ICML 2013, eq. (3)-(4). */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"lr", 0.01, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "learning rate", NULL},
    {"mu", 0.9, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "momentum: fraction of the previous step kept", NULL},
};
enum { LR, MU };

static const gdlab_internal internals[] = {
    {"velocity", 1, "v after the step: the step just taken, x_new - x_old"},
    {"lookahead", 1, "x + mu*v, the point where this step's gradient was taken"},
    {"lookahead_grad", 1, "the gradient at the look-ahead point"},
};

/* State: v, the look-ahead point and the gradient there, dim doubles each. */
static size_t nesterov_state_size(size_t dim, const double *p)
{
    (void)p;
    return 3 * dim * sizeof(double);
}

static const char *nesterov_step(void *state, const double *p, gdlab_step *s)
{
    double *v = state, *ahead = v + s->dim, *g = ahead + s->dim;
    for (size_t i = 0; i < s->dim; i++)
        ahead[i] = s->x[i] + p[MU] * v[i];
    s->oracle->eval(s->oracle->host, ahead, g);
    for (size_t i = 0; i < s->dim; i++) {
        v[i] = p[MU] * v[i] - s->lr * g[i];
        s->x[i] += v[i];
    }
    return NULL;
}

/* The same update for many runs (sweeps): v, the look-ahead points and their gradients are rows
 * 0..dim-1, dim..2dim-1 and 2dim..3dim-1 of the batch state, laid out like x. */
static void nesterov_step_batch(const gdlab_batch *b)
{
    const size_t n = b->count, st = b->stride, dim = b->dim;
    const double *restrict mu = b->params + MU * st, *restrict lr = b->lr;
    double *v = b->state, *ahead = v + dim * st, *g = ahead + dim * st;
    for (size_t i = 0; i < dim; i++) {
        double *restrict a = ahead + i * st;
        const double *restrict x = b->x + i * st, *restrict vi = v + i * st;
        for (size_t r = 0; r < n; r++)
            a[r] = x[r] + mu[r] * vi[r];
    }
    b->eval(b->host, ahead, NULL, g);
    for (size_t i = 0; i < dim; i++) {
        double *restrict vi = v + i * st, *restrict x = b->x + i * st;
        const double *restrict gi = g + i * st;
        for (size_t r = 0; r < n; r++) {
            vi[r] = mu[r] * vi[r] - lr[r] * gi[r];
            x[r] += vi[r];
        }
    }
}

static void nesterov_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const double *buf = state;
    for (size_t i = 0; i < 3 * dim; i++)
        out[i] = buf[i];
}

static const gdlab_optimizer_desc nesterov_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "nesterov",
                      "Nesterov accelerated gradient with a real look-ahead (2 evaluations/step)",
                      "g ← ∇f(x + μ·v);   v ← μ·v − lr·g;   x ← x + v   (v₀ = 0)\n"
                      "The gradient comes from the look-ahead point through the oracle: 2 evaluations\n"
                      "per step. torch's SGD(nesterov=True) is the same method in shifted variables.\n"
                      "Reference: Nesterov (1983); Sutskever et al., ICML 2013.",
                      params),
    .state_size = nesterov_state_size,
    .step = nesterov_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = nesterov_read_internals,
    .step_batch = nesterov_step_batch,
};
GDLAB_PLUGIN(nesterov_desc)
