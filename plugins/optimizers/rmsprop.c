/* SPDX-License-Identifier: MIT */
/* rmsprop — torch.optim.RMSprop, float64, same defaults and order of operations.
 *
 *   g ← g + weight_decay·x
 *   s ← α·s + (1 − α)·g²
 *   centered:  ḡ ← α·ḡ + (1 − α)·g,   a ← √(s − ḡ²) + eps     else  a ← √s + eps
 *   momentum > 0:  b ← momentum·b + g/a,  x ← x − lr·b           else  x ← x − lr·g/a
 *
 * Like Adagrad but with a leaky average, so step sizes can grow again. There is no bias
 * correction: s starts at 0, so the first steps are about lr/√(1 − α) ≈ 10·lr long with α = 0.99.
 * Reference: Tieleman & Hinton, COURSERA Neural Networks for Machine Learning, Lecture 6.5 (2012);
 * Graves, "Generating Sequences With Recurrent Neural Networks", 2013 (centered form);
 * torch/optim/rmsprop.py (PyTorch 1.13). */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"lr", 0.01, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "learning rate", NULL},
    {"alpha", 0.99, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of the average of squared gradients", NULL},
    {"eps", 1e-8, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "added to the root mean square before dividing", NULL},
    {"weight_decay", 0.0, 0.0, HUGE_VAL, 0, "L2 penalty: adds weight_decay*x to the gradient", NULL},
    {"momentum", 0.0, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "momentum on the normalised step; 0: none",
     NULL},
    {"centered", 0, 0, 1, GDLAB_PARAM_BOOLEAN, "divide by the estimated standard deviation instead",
     NULL},
    {"maximize", 0, 0, 1, GDLAB_PARAM_BOOLEAN, "maximize f: the gradient is negated first (torch)", NULL},
};
enum { LR, ALPHA, EPS, WEIGHT_DECAY, MOMENTUM, CENTERED, MAXIMIZE };

static const gdlab_internal internals[] = {
    {"square_avg", 1, "s: the running average of g^2"},
    {"grad_avg", 1, "the running average of g (centered only, else 0)"},
    {"velocity", 1, "the momentum buffer b (momentum > 0 only, else 0)"},
    {"step_size", 1, "lr/a: the per-coordinate rate applied to g"},
};

/* State: s, g-bar, b and the step size, dim doubles each. */
static size_t rmsprop_state_size(size_t dim, const double *p)
{
    (void)p;
    return 4 * dim * sizeof(double);
}

static const char *rmsprop_step(void *state, const double *p, gdlab_step *s)
{
    const size_t n = s->dim;
    double *square_avg = state, *grad_avg = square_avg + n, *buf = grad_avg + n, *step_size = buf + n;
    const double alpha = p[ALPHA];
    for (size_t i = 0; i < n; i++) {
        double g = p[MAXIMIZE] ? -s->grad[i] : s->grad[i];
        if (p[WEIGHT_DECAY] != 0.0) g = g + p[WEIGHT_DECAY] * s->x[i];
        square_avg[i] = square_avg[i] * alpha + (1.0 - alpha) * g * g;
        double avg;
        if (p[CENTERED]) {
            grad_avg[i] = grad_avg[i] * alpha + (1.0 - alpha) * g;
            avg = sqrt(square_avg[i] - grad_avg[i] * grad_avg[i]);
        } else {
            avg = sqrt(square_avg[i]);
        }
        avg += p[EPS];
        step_size[i] = s->lr / avg;
        if (p[MOMENTUM] > 0.0) {
            buf[i] = buf[i] * p[MOMENTUM] + g / avg;
            s->x[i] -= s->lr * buf[i];
        } else {
            s->x[i] += -s->lr * g / avg;
        }
    }
    return NULL;
}

static void rmsprop_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const double *buf = state;
    for (size_t i = 0; i < 4 * dim; i++)
        out[i] = buf[i];
}

static const gdlab_optimizer_desc rmsprop_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "rmsprop",
                      "RMSprop: divide by a leaky root mean square of the gradients",
                      "g ← g + wd·x;   s ← α·s + (1−α)·g²\n"
                      "a ← √(s − ḡ²) + eps with ḡ ← α·ḡ + (1−α)·g (centered), else a ← √s + eps\n"
                      "momentum > 0: b ← momentum·b + g/a; x ← x − lr·b;   else x ← x − lr·g/a\n"
                      "maximize: g ← −g before anything else (as torch).\n"
                      "Defaults as torch.optim.RMSprop.\n"
                      "Reference: Tieleman & Hinton, Lecture 6.5 (2012); torch/optim/rmsprop.py (1.13).",
                      params),
    .state_size = rmsprop_state_size,
    .step = rmsprop_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = rmsprop_read_internals,
};
GDLAB_PLUGIN(rmsprop_desc)
