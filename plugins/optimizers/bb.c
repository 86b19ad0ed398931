/* SPDX-License-Identifier: MIT */
/* bb — Barzilai–Borwein: gradient descent whose step is a secant estimate of 1/curvature from the
 * last two points.
 *
 *   s ← x − x₋,   y ← g − g₋
 *   α ← sᵀs/sᵀy (variant long, "BB1") or sᵀy/yᵀy (variant short, "BB2"); α ← lr on the first step
 *       and whenever sᵀy ≤ 0 (no positive curvature along s)
 *   x ← x − α·g
 *
 * On a quadratic α lies between 1/λmax and 1/λmin; f does not decrease monotonically, yet the
 * iteration converges (R-linearly on strictly convex quadratics, Raydan 1993) and far faster than gd
 * with any fixed step. Reference: J. Barzilai, J. M. Borwein, "Two-point step size gradient
 * methods", IMA J. Numer. Anal. 8, 1988, eqs. (5) and (6); M. Raydan, IMA J. Numer. Anal. 13, 1993. */
#include <gdlab/plugin.h>
#include <math.h>

static const char *const variants[] = {"long", "short", NULL};
enum { LONG, SHORT };

static const gdlab_param params[] = {
    {"lr", 1e-3, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "step of the first step, and where s.y <= 0", NULL},
    {"variant", LONG, 0, 0, GDLAB_PARAM_CHOICE, "long: s.s/s.y (BB1); short: s.y/y.y (BB2)", variants},
};
enum { LR, VARIANT };

static const gdlab_internal internals[] = {
    {"step_size", 0, "alpha: the step taken was alpha*g"},
    {"curvature", 0, "s.y/s.s: the secant curvature along the last step (NaN on step 1)"},
};

typedef struct {
    double alpha, curvature;
    double arrays[]; /* previous x, previous g */
} bb;

static size_t bb_state_size(size_t dim, const double *p)
{
    (void)p;
    return sizeof(bb) + 2 * dim * sizeof(double);
}

static const char *bb_step(void *state, const double *p, gdlab_step *s)
{
    bb *st = state;
    double *x_prev = st->arrays, *g_prev = x_prev + s->dim;
    st->alpha = s->lr;
    st->curvature = NAN;
    if (s->t > 1) {
        double ss = 0.0, sy = 0.0, yy = 0.0;
        for (size_t i = 0; i < s->dim; i++) {
            const double si = s->x[i] - x_prev[i], yi = s->grad[i] - g_prev[i];
            ss += si * si, sy += si * yi, yy += yi * yi;
        }
        st->curvature = sy / ss;
        if (sy > 0.0) st->alpha = p[VARIANT] == LONG ? ss / sy : sy / yy;
    }
    for (size_t i = 0; i < s->dim; i++) {
        x_prev[i] = s->x[i];
        g_prev[i] = s->grad[i];
        s->x[i] -= st->alpha * s->grad[i];
    }
    return NULL;
}

static void bb_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)dim, (void)p;
    const bb *st = state;
    out[0] = st->alpha;
    out[1] = st->curvature;
}

static const gdlab_optimizer_desc bb_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "bb",
                      "Barzilai-Borwein: gd with a two-point secant step size",
                      "s ← x − x₋;   y ← g − g₋;   α ← sᵀs/sᵀy (long) or sᵀy/yᵀy (short)\n"
                      "(α ← lr on step 1 and where sᵀy ≤ 0);   x ← x − α·g\n"
                      "Not monotone, yet fast on convex quadratics.\n"
                      "Reference: Barzilai & Borwein, IMA J. Numer. Anal. 8, 1988.",
                      params),
    .state_size = bb_state_size,
    .step = bb_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = bb_read_internals,
};
GDLAB_PLUGIN(bb_desc)
