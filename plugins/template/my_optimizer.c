/* SPDX-License-Identifier: MIT */
/* my_optimizer — gradient descent with gradient clipping: a template for an optimizer plugin.
 *
 *   g = ∇f(x) · min(1, max_norm / ‖∇f(x)‖)     (the gradient, shortened to at most max_norm)
 *   x ← x − lr · g
 *
 * Clipping keeps one huge gradient (a cliff, a bad start) from throwing the point off the map; where
 * ‖∇f‖ ≤ max_norm it is plain gradient descent. Copy this file, rename the plugin ("my_optimizer"
 * below), change the parameter table and the step. Build: see the Makefile beside this file; the
 * full contract is docs/plugin-abi.md. */
#include <gdlab/plugin.h> /* the one header a plugin needs: it links nothing of gdlab */
#include <math.h>

/* The parameter table: the host validates every value against it before the plugin sees it, and
 * builds `gdlab --describe`, Lua argument errors and sweeps from it. An optimizer's learning rate is
 * named "lr" so that learning-rate schedules apply to it. */
static const gdlab_param params[] = {
    /* name, default, lower, upper, flags, help, choices */
    {"lr", 0.1, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG, "learning rate", NULL},
    {"max_norm", 1.0, 0.0, HUGE_VAL, GDLAB_PARAM_OPEN_LOWER | GDLAB_PARAM_LOG,
     "largest gradient norm used; longer gradients are scaled down to it", NULL},
};
enum { LR, MAX_NORM }; /* indices into params[], and into the `p` array every call receives */

/* Per-run state. The host allocates state_size() bytes, zeroed, for each run and passes them back on
 * every call: no globals, so any number of runs can proceed at once on any number of threads. */
typedef struct {
    double scale; /* the last step's clipping factor, 1 when the gradient was not clipped */
} my_state;

static size_t my_state_size(size_t dim, const double *p)
{
    (void)dim, (void)p;
    return sizeof(my_state);
}

/* One step: read s->x, s->grad (the gradient at s->x) and s->lr (the lr parameter after any
 * schedule); write the next point into s->x. Return NULL, or a static message on failure. */
static const char *my_step(void *state, const double *p, gdlab_step *s)
{
    my_state *st = state;
    double norm2 = 0.0;
    for (size_t i = 0; i < s->dim; i++)
        norm2 += s->grad[i] * s->grad[i];
    const double norm = sqrt(norm2);
    st->scale = norm > p[MAX_NORM] ? p[MAX_NORM] / norm : 1.0;
    for (size_t i = 0; i < s->dim; i++)
        s->x[i] -= s->lr * st->scale * s->grad[i];
    return NULL;
}

/* Internals: what figures can show from inside a step (with gd.run{..., internals = true}). */
static const gdlab_internal internals[] = {
    {"clip_scale", 0, "factor the gradient was multiplied by (1: not clipped)"},
};

static void my_read_internals(const void *state, size_t dim, const double *p, double *out)
{
    (void)dim, (void)p;
    out[0] = ((const my_state *)state)->scale;
}

/* The descriptor: header (kind, name, one-line summary, description, parameters) and functions.
 * Only `step` is required; unset members count as absent. */
static const gdlab_optimizer_desc my_desc = {
    .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "my_optimizer",
                      "gradient descent with gradient-norm clipping (plugin template)",
                      "g = ∇f(x)·min(1, max_norm/‖∇f(x)‖);  x ← x − lr·g\n"
                      "Plain gradient descent wherever ‖∇f‖ ≤ max_norm.",
                      params),
    .state_size = my_state_size,
    .step = my_step,
    .internals = internals,
    .n_internals = GDLAB_COUNT_OF(internals),
    .read_internals = my_read_internals,
};
GDLAB_PLUGIN(my_desc) /* exports gdlab_plugin_entry, the plugin's one visible symbol */
