/* SPDX-License-Identifier: MIT */
/* polyak — gradient descent with Polyak's step size: the step that would reach f* if f were linear.
 *
 *   x ← x − lr·(f(x) − f_star)/‖g‖²·g                 (no step where g = 0)
 *
 * It needs the optimal value f_star (0 for most of gdlab's surfaces; `landmarks` lists each
 * surface's minima). With the right f_star it adapts to the curvature by itself; with f_star too low
 * it overshoots, too high it stalls above the minimum. lr = 1 is Polyak's rule; lr scales it, so
 * schedules work. Reference: B. T. Polyak, "Introduction to Optimization", Optimization Software
 * 1987, Section 5.3; E. Hazan, S. Kakade, "Revisiting the Polyak step size", arXiv:1905.00313. */
#include <gdlab/plugin.h>
#include <math.h>

static const gdlab_param params[] = {
    {"lr", 1.0, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER, "multiplier of Polyak's step (1: the rule itself)",
     NULL},
    {"f_star", 0.0, -HUGE_VAL, HUGE_VAL, 0, "the optimal value f* the step aims at", NULL},
};
enum { LR, F_STAR };

static const gdlab_internal internals[] = {
    {"step_size", 0, "lr*(f - f_star)/|g|^2: the factor in front of g"},
};

static size_t polyak_state_size(size_t dim, const double *p)
{
    (void)dim, (void)p;
    return sizeof(double);
}

static const char *polyak_step(void *state, const double *p, gdlab_step *s)
{
    double *step_size = state, g2 = 0.0;
    for (size_t i = 0; i < s->dim; i++)
        g2 += s->grad[i] * s->grad[i];
    *step_size = g2 > 0.0 ? s->lr * (s->f - p[F_STAR]) / g2 : 0.0;
    for (size_t i = 0; i < s->dim; i++)
        s->x[i] -= *step_size * s->grad[i];
    return NULL;
}

static void polyak_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)dim, (void)p;
    out[0] = *(const double *)state;
}

static const gdlab_optimizer_desc polyak_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "polyak",
                      "gradient descent with Polyak's step size (f - f*)/|g|^2",
                      "x ← x − lr·(f(x) − f_star)/‖g‖²·g   (lr = 1: Polyak's rule)\n"
                      "Needs the optimal value f_star; no step where g = 0.\n"
                      "Reference: Polyak (1987), Section 5.3; Hazan & Kakade, arXiv:1905.00313.",
                      params),
    .state_size = polyak_state_size,
    .step = polyak_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = polyak_read_internals,
};
GDLAB_PLUGIN(polyak_desc)
