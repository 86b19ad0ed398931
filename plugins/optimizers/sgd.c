/* SPDX-License-Identifier: MIT */
/* sgd — torch.optim.SGD, float64, same defaults and the same order of operations.
 *
 *   g ← g + weight_decay·x
 *   b ← g on the first step, else b ← momentum·b + (1 − dampening)·g      (only when momentum > 0)
 *   d ← g + momentum·b if nesterov, else b  (or g when momentum = 0)
 *   x ← x − lr·d
 *
 * nesterov=true is Sutskever et al.'s rewriting of Nesterov's method, which needs no look-ahead
 * evaluation (the nesterov plugin does the look-ahead for real). Like torch, it requires
 * momentum > 0 and dampening = 0. Reference: torch/optim/sgd.py (PyTorch 1.13), Sutskever et al.,
 * "On the importance of initialization and momentum in deep learning", ICML 2013. */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"lr", 0.01, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "learning rate (torch has no default; 0.01 here)", NULL},
    {"momentum", 0.0, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "momentum factor; 0 is plain SGD", NULL},
    {"dampening", 0.0, 0.0, 1.0, 0, "the new gradient enters the buffer with weight 1 - dampening", NULL},
    {"weight_decay", 0.0, 0.0, HUGE_VAL, 0, "L2 penalty: adds weight_decay*x to the gradient", NULL},
    {"nesterov", 0, 0, 1, GDLAB_PARAM_BOOLEAN, "Nesterov momentum (Sutskever form)", NULL},
    {"maximize", 0, 0, 1, GDLAB_PARAM_BOOLEAN, "maximize f: the gradient is negated first (torch)", NULL},
};
enum { LR, MOMENTUM, DAMPENING, WEIGHT_DECAY, NESTEROV, MAXIMIZE };

static const gdlab_internal internals[] = {
    {"velocity", 1, "the momentum buffer b (0 when momentum = 0)"},
    {"direction", 1, "d: the step taken was -lr*d"},
};

/* State: the momentum buffer b and the direction d, dim doubles each. */
static size_t sgd_state_size(size_t dim, const double *p)
{
    (void)p;
    return 2 * dim * sizeof(double);
}

static const char *sgd_init(void *state, size_t dim, const double *p, const double *x0)
{
    (void)state, (void)dim, (void)x0;
    if (p[NESTEROV] && (p[MOMENTUM] <= 0.0 || p[DAMPENING] != 0.0))
        return "nesterov=true requires momentum > 0 and dampening = 0 (as in torch.optim.SGD)";
    return NULL;
}

static const char *sgd_step(void *state, const double *p, gdlab_step *s)
{
    double *b = state, *d = b + s->dim;
    const double momentum = p[MOMENTUM];
    for (size_t i = 0; i < s->dim; i++) {
        double g = p[MAXIMIZE] ? -s->grad[i] : s->grad[i];
        if (p[WEIGHT_DECAY] != 0.0) g = g + p[WEIGHT_DECAY] * s->x[i];
        d[i] = g;
        if (momentum != 0.0) {
            b[i] = s->t == 1 ? g : momentum * b[i] + (1.0 - p[DAMPENING]) * g;
            d[i] = p[NESTEROV] ? g + momentum * b[i] : b[i];
        }
        s->x[i] -= s->lr * d[i];
    }
    return NULL;
}

static void sgd_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const double *buf = state;
    for (size_t i = 0; i < 2 * dim; i++)
        out[i] = buf[i];
}

static const gdlab_optimizer_desc sgd_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "sgd",
                      "torch.optim.SGD: momentum, dampening, Nesterov, weight decay",
                      "g ← g + wd·x\n"
                      "b ← g (first step) or momentum·b + (1 − dampening)·g   [momentum > 0]\n"
                      "d ← g + momentum·b (nesterov) or b;   x ← x − lr·d\n"
                      "maximize: g ← −g before anything else (as torch).\n"
                      "Defaults as PyTorch (lr has none there: 0.01 here).\n"
                      "Reference: torch/optim/sgd.py (1.13); Sutskever et al., ICML 2013.",
                      params),
    .state_size = sgd_state_size,
    .init = sgd_init,
    .step = sgd_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = sgd_read_internals,
};
GDLAB_PLUGIN(sgd_desc)
