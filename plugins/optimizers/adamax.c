/* SPDX-License-Identifier: MIT */
/* adamax — torch.optim.Adamax: Adam with the infinity norm, float64, same defaults and order of
 * operations.
 *
 *   g ← g + weight_decay·x
 *   m ← β₁·m + (1 − β₁)·g
 *   u ← max(β₂·u, |g| + eps)                     (an exponentially weighted max of |g|)
 *   x ← x − lr/(1 − β₁ᵗ) · m/u
 *
 * u needs no bias correction: a max does not start biased towards 0 the way an average does.
 * PyTorch adds eps inside the max, not outside as in the paper.
 * Reference: Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Section 7.1,
 * Algorithm 2; torch/optim/adamax.py (PyTorch 1.13). */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"lr", 2e-3, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "learning rate", NULL},
    {"beta1", 0.9, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of the first moment m", NULL},
    {"beta2", 0.999, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of the max u", NULL},
    {"eps", 1e-8, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "added to |g| inside the max", NULL},
    {"weight_decay", 0.0, 0.0, HUGE_VAL, 0, "L2 penalty: adds weight_decay*x to the gradient", NULL},
    {"maximize", 0, 0, 1, GDLAB_PARAM_BOOLEAN, "maximize f: the gradient is negated first (torch)", NULL},
};
enum { LR, BETA1, BETA2, EPS, WEIGHT_DECAY, MAXIMIZE };

static const gdlab_internal internals[] = {
    {"m", 1, "first moment: running average of g"},
    {"u", 1, "exponentially weighted infinity norm of g"},
    {"step_size", 1, "lr/(1 - beta1^t)/u: the per-coordinate rate applied to m"},
};
enum { M, U, STEP_SIZE, N_ARRAYS };

/* State: one dim-long array per internal, in the order above. */
static size_t adamax_state_size(size_t dim, const double *p)
{
    (void)p;
    return N_ARRAYS * dim * sizeof(double);
}

static const char *adamax_step(void *state, const double *p, gdlab_step *s)
{
    const size_t n = s->dim;
    double *a = state, *m = a + M * n, *u = a + U * n, *step_size = a + STEP_SIZE * n;
    const double beta1 = p[BETA1], beta2 = p[BETA2];
    const double clr = s->lr / (1.0 - pow(beta1, (double)s->t));
    for (size_t i = 0; i < n; i++) {
        double g = p[MAXIMIZE] ? -s->grad[i] : s->grad[i];
        if (p[WEIGHT_DECAY] != 0.0) g = g + p[WEIGHT_DECAY] * s->x[i];
        m[i] = m[i] * beta1 + (1.0 - beta1) * g;
        u[i] = fmax(u[i] * beta2, fabs(g) + p[EPS]);
        step_size[i] = clr / u[i];
        s->x[i] += -clr * m[i] / u[i];
    }
    return NULL;
}

static void adamax_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const double *a = state;
    for (size_t i = 0; i < N_ARRAYS * dim; i++)
        out[i] = a[i];
}

static const gdlab_optimizer_desc adamax_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "adamax",
                      "Adamax: Adam with an exponentially weighted max of |g|",
                      "g ← g + wd·x;   m ← β₁·m + (1−β₁)·g;   u ← max(β₂·u, |g| + eps)\n"
                      "x ← x − lr/(1−β₁ᵗ)·m/u\n"
                      "maximize: g ← −g before anything else (as torch).\n"
                      "Defaults as torch.optim.Adamax (lr = 0.002).\n"
                      "Reference: Kingma & Ba, ICLR 2015, Algorithm 2; torch/optim/adamax.py (1.13).",
                      params),
    .state_size = adamax_state_size,
    .step = adamax_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = adamax_read_internals,
};
GDLAB_PLUGIN(adamax_desc)
