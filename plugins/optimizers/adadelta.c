/* SPDX-License-Identifier: MIT */
/* adadelta — torch.optim.Adadelta, float64, same defaults and order of operations.
 *
 *   g ← g + weight_decay·x
 *   s ← ρ·s + (1 − ρ)·g²
 *   Δ ← √(u + eps) / √(s + eps) · g
 *   u ← ρ·u + (1 − ρ)·Δ²
 *   x ← x − lr·Δ
 *
 * The ratio of two RMS values gives the step the units of x ("no learning rate needed"); torch keeps
 * lr as a plain factor, default 1. The first steps are tiny (√eps/RMS(g)) and grow as u fills.
 * Reference: M. D. Zeiler, "ADADELTA: An Adaptive Learning Rate Method", arXiv:1212.5701, 2012,
 * Algorithm 1; torch/optim/adadelta.py (PyTorch 1.13). */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"lr", 1.0, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "factor on the step Δ", NULL},
    {"rho", 0.9, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "decay of both running averages", NULL},
    {"eps", 1e-6, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "added inside both square roots", NULL},
    {"weight_decay", 0.0, 0.0, HUGE_VAL, 0, "L2 penalty: adds weight_decay*x to the gradient", NULL},
    {"maximize", 0, 0, 1, GDLAB_PARAM_BOOLEAN, "maximize f: the gradient is negated first (torch)", NULL},
};
enum { LR, RHO, EPS, WEIGHT_DECAY, MAXIMIZE };

static const gdlab_internal internals[] = {
    {"square_avg", 1, "s: the running average of g^2"},
    {"acc_delta", 1, "u: the running average of the squared steps"},
    {"delta", 1, "the step direction: the step taken was -lr*delta"},
    {"step_size", 1, "lr*sqrt(u_old + eps)/sqrt(s + eps): the per-coordinate rate applied to g"},
};

/* State: s, u, Δ and the step size, dim doubles each. */
static size_t adadelta_state_size(size_t dim, const double *p)
{
    (void)p;
    return 4 * dim * sizeof(double);
}

static const char *adadelta_step(void *state, const double *p, gdlab_step *s)
{
    const size_t n = s->dim;
    double *square_avg = state, *acc_delta = square_avg + n, *delta = acc_delta + n,
           *step_size = delta + n;
    const double rho = p[RHO], eps = p[EPS];
    for (size_t i = 0; i < n; i++) {
        double g = p[MAXIMIZE] ? -s->grad[i] : s->grad[i];
        if (p[WEIGHT_DECAY] != 0.0) g = g + p[WEIGHT_DECAY] * s->x[i];
        square_avg[i] = square_avg[i] * rho + (1.0 - rho) * g * g;
        const double rate = sqrt(acc_delta[i] + eps) / sqrt(square_avg[i] + eps);
        delta[i] = rate * g;
        acc_delta[i] = acc_delta[i] * rho + (1.0 - rho) * delta[i] * delta[i];
        step_size[i] = s->lr * rate;
        s->x[i] -= s->lr * delta[i];
    }
    return NULL;
}

static void adadelta_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const double *buf = state;
    for (size_t i = 0; i < 4 * dim; i++)
        out[i] = buf[i];
}

static const gdlab_optimizer_desc adadelta_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "adadelta",
                      "Adadelta: step = RMS of past steps / RMS of gradients",
                      "g ← g + wd·x;   s ← ρ·s + (1−ρ)·g²\n"
                      "Δ ← √(u + eps)/√(s + eps)·g;   u ← ρ·u + (1−ρ)·Δ²;   x ← x − lr·Δ\n"
                      "maximize: g ← −g before anything else (as torch).\n"
                      "Defaults as torch.optim.Adadelta (lr = 1).\n"
                      "Reference: Zeiler, arXiv:1212.5701 (2012); torch/optim/adadelta.py (1.13).",
                      params),
    .state_size = adadelta_state_size,
    .step = adadelta_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = adadelta_read_internals,
};
GDLAB_PLUGIN(adadelta_desc)
