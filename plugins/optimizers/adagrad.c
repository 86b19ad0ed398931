/* SPDX-License-Identifier: MIT */
/* adagrad — torch.optim.Adagrad, float64, same defaults and order of operations.
 *
 *   g ← g + weight_decay·x
 *   lr_t ← lr / (1 + (t − 1)·lr_decay)
 *   G ← G + g²                          (G₀ = initial_accumulator_value)
 *   x ← x − lr_t·g / (√G + eps)
 *
 * Every coordinate gets its own step size lr_t/(√G + eps), which only ever shrinks: steep
 * coordinates slow down early, and on long runs all of them stall.
 * Reference: Duchi, Hazan, Singer, "Adaptive Subgradient Methods for Online Learning and Stochastic
 * Optimization", JMLR 12, 2011; torch/optim/adagrad.py (PyTorch 1.13). */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"lr", 0.01, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "learning rate", NULL},
    {"lr_decay", 0.0, 0.0, HUGE_VAL, 0, "step t uses lr / (1 + (t-1)*lr_decay)", NULL},
    {"weight_decay", 0.0, 0.0, HUGE_VAL, 0, "L2 penalty: adds weight_decay*x to the gradient", NULL},
    {"initial_accumulator_value", 0.0, 0.0, HUGE_VAL, 0, "starting value of the sum of squares G", NULL},
    {"eps", 1e-10, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "added to sqrt(G) before dividing", NULL},
    {"maximize", 0, 0, 1, GDLAB_PARAM_BOOLEAN, "maximize f: the gradient is negated first (torch)", NULL},
};
enum { LR, LR_DECAY, WEIGHT_DECAY, INITIAL_ACCUMULATOR, EPS, MAXIMIZE };

static const gdlab_internal internals[] = {
    {"sum", 1, "G: the running sum of squared gradients"},
    {"step_size", 1, "lr_t/(sqrt(G) + eps): the per-coordinate rate applied to g"},
};

/* State: G and the step size, dim doubles each. */
static size_t adagrad_state_size(size_t dim, const double *p)
{
    (void)p;
    return 2 * dim * sizeof(double);
}

static const char *adagrad_init(void *state, size_t dim, const double *p, const double *x0)
{
    (void)x0;
    double *sum = state;
    for (size_t i = 0; i < dim; i++)
        sum[i] = p[INITIAL_ACCUMULATOR];
    return NULL;
}

static const char *adagrad_step(void *state, const double *p, gdlab_step *s)
{
    double *sum = state, *step_size = sum + s->dim;
    const double clr = s->lr / (1.0 + (double)(s->t - 1) * p[LR_DECAY]);
    for (size_t i = 0; i < s->dim; i++) {
        double g = p[MAXIMIZE] ? -s->grad[i] : s->grad[i];
        if (p[WEIGHT_DECAY] != 0.0) g = g + p[WEIGHT_DECAY] * s->x[i];
        sum[i] += g * g;
        const double denom = sqrt(sum[i]) + p[EPS];
        step_size[i] = clr / denom;
        s->x[i] += -clr * g / denom;
    }
    return NULL;
}

static void adagrad_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const double *buf = state;
    for (size_t i = 0; i < 2 * dim; i++)
        out[i] = buf[i];
}

static const gdlab_optimizer_desc adagrad_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "adagrad",
                      "Adagrad: per-coordinate steps shrinking with the sum of squared gradients",
                      "g ← g + wd·x;   lr_t ← lr / (1 + (t−1)·lr_decay)\n"
                      "G ← G + g²  (G₀ = initial_accumulator_value);   x ← x − lr_t·g / (√G + eps)\n"
                      "maximize: g ← −g before anything else (as torch).\n"
                      "Defaults as torch.optim.Adagrad.\n"
                      "Reference: Duchi et al., JMLR 2011; torch/optim/adagrad.py (1.13).",
                      params),
    .state_size = adagrad_state_size,
    .init = adagrad_init,
    .step = adagrad_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = adagrad_read_internals,
};
GDLAB_PLUGIN(adagrad_desc)
