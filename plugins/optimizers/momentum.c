/* SPDX-License-Identifier: MIT */
/* momentum — heavy-ball momentum (Polyak 1964), in the two forms people write.
 *
 *   form = pytorch:  v ← β·v + g,          x ← x − lr·v   (torch.optim.SGD with momentum=β)
 *   form = ema:      v ← β·v + (1 − β)·g,  x ← x − lr·v   (v is an average of past gradients)
 *
 * v starts at 0, so the first step moves by lr·g (pytorch) or lr·(1 − β)·g (ema). The ema form has
 * a 1/(1 − β) times smaller velocity, so it needs a 1/(1 − β) times larger lr to move alike.
 * The notebook form v ← μ·v − lr·g, x ← x + v (momentum_notebook) is the pytorch form with
 * v_notebook = −lr·v for a constant lr; they part ways when the lr changes during a run.
 * Reference: B. T. Polyak, "Some methods of speeding up the convergence of iteration methods",
 * USSR Comp. Math. and Math. Physics 4(5), 1964; torch/optim/sgd.py. */
#include <gdlab/plugin.h>
#include <math.h>

static const char *const forms[] = {"pytorch", "ema", NULL};
enum { FORM_PYTORCH, FORM_EMA };

static const gdlab_param params[] = {
    {"lr", 0.01, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "learning rate", NULL},
    {"beta", 0.9, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "momentum: weight of the previous velocity", NULL},
    {"form", FORM_PYTORCH, 0, 1, GDLAB_PARAM_CHOICE,
     "pytorch: v = beta*v + g; ema: v = beta*v + (1-beta)*g", forms},
};
enum { LR, BETA, FORM };

static const gdlab_internal internals[] = {
    {"velocity", 1, "v after the step; the step taken was -lr*v"},
};

static size_t momentum_state_size(size_t dim, const double *p)
{
    (void)p;
    return dim * sizeof(double);
}

static const char *momentum_step(void *state, const double *p, gdlab_step *s)
{
    double *v = state;
    const double beta = p[BETA];
    const double gain = p[FORM] == FORM_EMA ? 1.0 - beta : 1.0; /* weight of the new gradient */
    for (size_t i = 0; i < s->dim; i++) {
        v[i] = beta * v[i] + gain * s->grad[i];
        s->x[i] -= s->lr * v[i];
    }
    return NULL;
}

/* The same update for many runs (sweeps); v of run r, coordinate i is state[i*stride + r]. */
static void momentum_step_batch(const gdlab_batch *b)
{
    const size_t n = b->count, st = b->stride;
    const double *restrict beta = b->params + BETA * st, *restrict form = b->params + FORM * st;
    const double *restrict lr = b->lr;
    for (size_t i = 0; i < b->dim; i++) {
        double *restrict v = b->state + i * st, *restrict x = b->x + i * st;
        const double *restrict g = b->grad + i * st;
        for (size_t r = 0; r < n; r++) {
            /* momentum_step's gain without a branch, so that the loop vectorises: 1 − 1·β = 1 − β
             * and 1 − 0·β = 1 exactly (β is finite) */
            const double gain = 1.0 - (double)(form[r] == FORM_EMA) * beta[r];
            v[r] = beta[r] * v[r] + gain * g[r];
            x[r] -= lr[r] * v[r];
        }
    }
}

static void momentum_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const double *v = state;
    for (size_t i = 0; i < dim; i++)
        out[i] = v[i];
}

static const gdlab_optimizer_desc momentum_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "momentum",
                      "heavy-ball momentum, PyTorch or EMA form",
                      "form=pytorch: v ← β·v + g;         x ← x − lr·v   (v₀ = 0, as torch.optim.SGD)\n"
                      "form=ema:     v ← β·v + (1−β)·g;   x ← x − lr·v\n"
                      "The notebook form v ← μ·v − lr·g; x ← x + v is form=pytorch with μ = β and\n"
                      "v_notebook = −lr·v (exactly, while lr is constant).\n"
                      "Reference: Polyak (1964); torch/optim/sgd.py.",
                      params),
    .state_size = momentum_state_size,
    .step = momentum_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = momentum_read_internals,
    .step_batch = momentum_step_batch,
};
GDLAB_PLUGIN(momentum_desc)
