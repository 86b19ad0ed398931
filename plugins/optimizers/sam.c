/* SPDX-License-Identifier: MIT */
/* sam — sharpness-aware minimization: step with the gradient taken at the worst nearby point.
 *
 *   e ← rho·g/‖g‖                                    (the ascent to the edge of a ball of radius rho)
 *   g_sam ← ∇f(x + e)                                (through the oracle: a second evaluation)
 *   b ← g_sam (t = 1) else momentum·b + g_sam;   x ← x − lr·b     (SGD with momentum as the base)
 *
 * It prefers flat minima: in a sharp valley ∇f(x + e) points back harder than ∇f(x). Every step costs
 * 2 evaluations; where g = 0 there is no ascent direction and g_sam = g. Reference: P. Foret,
 * A. Kleiner, H. Mobahi, B. Neyshabur, "Sharpness-Aware Minimization for Efficiently Improving
 * Generalization", ICLR 2021, Algorithm 1 (p = 2), with torch's SGD as the base optimizer as in the
 * authors' experiments. */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"lr", 0.01, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "learning rate", NULL},
    {"rho", 0.05, 0.0, HUGE_VAL, 0, "radius of the ball the ascent step reaches", NULL},
    {"momentum", 0.0, 0.0, 1.0, GDLAB_PARAM_OPEN_UPPER, "momentum of the SGD base step", NULL},
};
enum { LR, RHO, MOMENTUM };

static const gdlab_internal internals[] = {
    {"perturbation", 1, "e = rho*g/|g|: where the gradient was taken, relative to x"},
    {"sam_grad", 1, "the gradient at x + e"},
    {"velocity", 1, "the momentum buffer b (= sam_grad when momentum = 0)"},
};
enum { E, G_SAM, B, N_ARRAYS };

static size_t sam_state_size(size_t dim, const double *p)
{
    (void)p;
    return (N_ARRAYS + 1) * dim * sizeof(double); /* + the perturbed point */
}

static const char *sam_step(void *state, const double *p, gdlab_step *s)
{
    const size_t n = s->dim;
    double *e = state, *g_sam = e + G_SAM * n, *b = e + B * n, *x_e = e + N_ARRAYS * n;
    double norm = 0.0;
    for (size_t i = 0; i < n; i++)
        norm += s->grad[i] * s->grad[i];
    norm = sqrt(norm);
    for (size_t i = 0; i < n; i++) {
        e[i] = norm > 0.0 ? p[RHO] * s->grad[i] / norm : 0.0;
        x_e[i] = s->x[i] + e[i];
    }
    s->oracle->eval(s->oracle->host, x_e, g_sam);
    for (size_t i = 0; i < n; i++) {
        b[i] = s->t == 1 ? g_sam[i] : p[MOMENTUM] * b[i] + g_sam[i];
        s->x[i] -= s->lr * b[i];
    }
    return NULL;
}

static void sam_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)p;
    const double *a = state;
    for (size_t i = 0; i < N_ARRAYS * dim; i++)
        out[i] = a[i];
}

static const gdlab_optimizer_desc sam_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "sam",
                      "SAM: the step uses the gradient at the worst point within rho (2 evals/step)",
                      "e ← rho·g/‖g‖;   g_sam ← ∇f(x + e) (oracle)\n"
                      "b ← momentum·b + g_sam (b = g_sam at t = 1);   x ← x − lr·b\n"
                      "Prefers flat minima. 2 evaluations per step.\n"
                      "Reference: Foret et al., ICLR 2021, Algorithm 1.",
                      params),
    .state_size = sam_state_size,
    .step = sam_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = sam_read_internals,
};
GDLAB_PLUGIN(sam_desc)
