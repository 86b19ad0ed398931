/* SPDX-License-Identifier: MIT */
/* check_optimizer.c — the checks of an optimizer plugin for `gdlab --check-plugin` (run in a child
 * process by check_plugin.c): steps on gdlab's own surfaces, NaN and infinite inputs, repeatability,
 * two instances at once, and that it keeps to the state and internals it declared.
 *
 * Steps are taken here one by one, not through gdlab_run, so that two instances can be interleaved
 * and every step named when something goes wrong. Guard bytes after the state and the internals
 * buffer catch a plugin that writes past what it asked for. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_plugin.h"

enum { STEPS = 50, GUARD = 64 };
static const unsigned char guard_byte = 0xa5;

/* One instance: a surface, the optimizer's state (with a guard) and its point. */
typedef struct instance {
    const gdlab_optimizer_desc *d;
    const double *params;
    const gdlab_surface *s;
    const char *surface_name;
    size_t dim, state_size;
    unsigned char *state; /* state_size bytes, then GUARD guard bytes */
    double x[2], grad[2], f;
    uint64_t t;
    gdlab_oracle oracle;
} instance;

static double oracle_eval(void *host, const double *x, double *grad)
{
    const instance *in = host;
    return gdlab_surface_eval(in->s, x, grad);
}

static int oracle_hessian(void *host, const double *x, double *hess)
{
    const instance *in = host;
    return gdlab_surface_hessian(in->s, x, hess);
}

static int guard_intact(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != guard_byte) return 0;
    return 1;
}

/* A fresh instance at x0 (the surface's start when NULL); 0, or -1 with a problem reported. */
static int instance_start(instance *in, const gdlab_optimizer_desc *d, const double *params, const gdlab_surface *s,
                          const char *surface_name, const double *x0)
{
    *in = (instance){.d = d, .params = params, .s = s, .surface_name = surface_name, .dim = gdlab_surface_dim(s)};
    if (in->dim != 2) { /* gdlab's own test surfaces are 2-D; the checks below rely on it */
        check_problem("gdlab's surface '%s' has dimension %zu here, not 2: is GDLAB_PLUGIN_PATH replacing it?",
                      surface_name, in->dim);
        return -1;
    }
    in->oracle = (gdlab_oracle){oracle_eval, oracle_hessian, in};
    if (x0) memcpy(in->x, x0, in->dim * sizeof(double));
    else gdlab_surface_start(s, in->x);
    check_stage("calling state_size for dimension %zu", in->dim);
    in->state_size = d->state_size ? d->state_size(in->dim, params) : 0;
    if (in->state_size > ((size_t)1 << 30)) {
        check_problem("state_size asks for %zu bytes for a %zu-dimensional problem: is the size computed right?",
                      in->state_size, in->dim);
        return -1;
    }
    in->state = calloc(1, in->state_size + GUARD);
    if (!in->state) return -1;
    memset(in->state + in->state_size, guard_byte, GUARD);
    check_stage("calling init on '%s'", surface_name);
    const char *problem = d->init ? d->init(in->state_size ? in->state : NULL, in->dim, params, in->x) : NULL;
    if (problem) {
        check_problem("init on gdlab's surface '%s' with default parameters returned an error: %s", surface_name,
                      problem);
        return -1;
    }
    in->f = gdlab_surface_eval(s, in->x, in->grad);
    return 0;
}

/* One step; 0, or -1 when it returned an error (noted, when note is set: an error message is a
 * legitimate end of a run, such as a line search that cannot go on). */
static int instance_step(instance *in, int note)
{
    in->t++;
    const int lr = gdlab_param_index(&in->d->h, "lr");
    gdlab_step step = {in->dim, in->t, lr >= 0 ? in->params[lr] : NAN, in->x, in->f, in->grad, &in->oracle, NULL};
    check_stage("taking step %llu on '%s'", (unsigned long long)in->t, in->surface_name);
    const char *problem = in->d->step(in->state_size ? in->state : NULL, in->params, &step);
    if (!guard_intact(in->state + in->state_size, GUARD)) {
        check_problem("step %llu on '%s' wrote past the %zu bytes of state it asked for (state_size): a buffer "
                      "overrun in the plugin", (unsigned long long)in->t, in->surface_name, in->state_size);
        return -1;
    }
    if (problem) {
        if (note)
            check_note("step %llu on '%s' ended the run with its error message: %s", (unsigned long long)in->t,
                       in->surface_name, problem);
        return -1;
    }
    in->f = gdlab_surface_eval(in->s, in->x, in->grad);
    return 0;
}

static void instance_free(instance *in)
{
    free(in->state);
    in->state = NULL;
}

/* The values read_internals writes for this dimension. */
static size_t internals_width(const gdlab_optimizer_desc *d, size_t dim)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n_internals; i++) n += d->internals[i].per_coordinate ? dim : 1;
    return n;
}

static void check_internals(instance *in)
{
    const size_t n = internals_width(in->d, in->dim);
    double *out = malloc(n * sizeof(double) + GUARD);
    if (!out) return;
    memset(out, guard_byte, n * sizeof(double) + GUARD);
    check_stage("reading internals after step %llu on '%s'", (unsigned long long)in->t, in->surface_name);
    in->d->read_internals(in->state_size ? in->state : NULL, in->dim, in->params, out);
    if (!guard_intact((unsigned char *)(out + n), GUARD))
        check_problem("read_internals wrote past the %zu values its internals table declares for dimension %zu "
                      "(per_coordinate entries count dim values, the others one)", n, in->dim);
    free(out);
}

void check_optimizer_steps(const gdlab_registry *reg, const gdlab_optimizer_desc *d)
{
    static const char *const surfaces[] = {"quadratic", "rosenbrock", "saddle"};
    double *params = calloc(d->h.n_params + 1, sizeof(double));
    if (!params) return;
    gdlab_params_defaults(&d->h, params);
    for (size_t k = 0; k < sizeof surfaces / sizeof surfaces[0]; k++) {
        gdlab_surface *s = check_builtin_surface(reg, surfaces[k]);
        instance in;
        if (s && instance_start(&in, d, params, s, surfaces[k], NULL) == 0) {
            for (int i = 0; i < STEPS; i++) {
                double before[2];
                memcpy(before, in.x, sizeof before);
                const int finite_in = isfinite(in.f) && isfinite(in.grad[0]) && isfinite(in.grad[1]) &&
                                      isfinite(in.x[0]) && isfinite(in.x[1]);
                if (instance_step(&in, 1)) break;
                if (finite_in && (isnan(in.x[0]) || isnan(in.x[1]))) {
                    check_problem("step %llu on '%s' made x NaN from the finite point (%g, %g) with a finite f and "
                                  "gradient: a 0/0 or inf - inf inside the step, or state left over from an earlier "
                                  "run?", (unsigned long long)in.t, surfaces[k], before[0], before[1]);
                    break;
                }
                if (d->read_internals && d->n_internals) check_internals(&in);
            }
        }
        if (s) instance_free(&in);
        gdlab_surface_free(s);
    }
    free(params);
}

/* A step from a NaN or infinite gradient must not crash (its result is free: an optimizer may evaluate
 * its own gradient through the oracle, or use only its sign). A step from a point that is not finite
 * must give a non-finite point or an error: a finite point would hide the problem from gdlab's
 * divergence check. */
void check_optimizer_bad_inputs(const gdlab_registry *reg, const gdlab_optimizer_desc *d)
{
    double *params = calloc(d->h.n_params + 1, sizeof(double));
    gdlab_surface *s = check_builtin_surface(reg, "quadratic");
    if (!params || !s) {
        free(params);
        gdlab_surface_free(s);
        return;
    }
    gdlab_params_defaults(&d->h, params);
    static const char *const what[] = {"a NaN gradient", "an infinite gradient", "a NaN point", "an infinite point"};
    for (size_t k = 0; k < sizeof what / sizeof what[0]; k++) {
        instance in;
        if (instance_start(&in, d, params, s, "quadratic", NULL) == 0) {
            const double bad = k % 2 == 0 ? NAN : HUGE_VAL;
            if (k < 2) in.grad[0] = bad;
            else in.x[0] = bad, in.f = gdlab_surface_eval(s, in.x, in.grad);
            check_stage("taking a step from %s", what[k]);
            if (instance_step(&in, 0) == 0 && k >= 2 && isfinite(in.x[0]) && isfinite(in.x[1]))
                check_problem("a step from %s on 'quadratic' gave the finite point (%g, %g): let NaN and infinity "
                              "pass through to x, or return an error message", what[k], in.x[0], in.x[1]);
        }
        instance_free(&in);
    }
    gdlab_surface_free(s);
    free(params);
}

/* STEPS steps of one instance into xs (STEPS rows of dim); the steps taken. */
static int record(instance *in, double *xs)
{
    int n = 0;
    while (n < STEPS && instance_step(in, 0) == 0) {
        memcpy(xs + (size_t)n * in->dim, in->x, in->dim * sizeof(double));
        n++;
    }
    return n;
}

/* The first step where two recordings differ in any bit, or -1. */
static int first_difference(const double *a, int na, const double *b, int nb, size_t dim)
{
    const int n = na < nb ? na : nb;
    for (int i = 0; i < n; i++)
        if (memcmp(a + (size_t)i * dim, b + (size_t)i * dim, dim * sizeof(double)) != 0) return i + 1;
    return na == nb ? -1 : n + 1;
}

void check_optimizer_repeatable(const gdlab_registry *reg, const gdlab_optimizer_desc *d)
{
    double *params = calloc(d->h.n_params + 1, sizeof(double));
    gdlab_surface *rosen = check_builtin_surface(reg, "rosenbrock"), *quad = check_builtin_surface(reg, "quadratic");
    double *xs = calloc(4 * STEPS * 2, sizeof(double));
    if (!params || !rosen || !quad || !xs) goto done;
    gdlab_params_defaults(&d->h, params);
    double *a1 = xs, *a2 = xs + STEPS * 2, *b1 = xs + 2 * STEPS * 2, *b2 = xs + 3 * STEPS * 2;
    instance a, b;
    int na1 = 0, na2 = 0, nb1 = 0, nb2 = 0; /* steps recorded */
    /* the same run twice */
    if (instance_start(&a, d, params, rosen, "rosenbrock", NULL) == 0) na1 = record(&a, a1);
    instance_free(&a);
    if (instance_start(&a, d, params, rosen, "rosenbrock", NULL) == 0) na2 = record(&a, a2);
    instance_free(&a);
    int at = first_difference(a1, na1, a2, na2, 2);
    if (at > 0)
        check_problem("two runs on 'rosenbrock' from the same start differ at step %d: the plugin keeps global state, "
                      "reads uninitialised memory or draws its own random numbers (keep all state in the state the "
                      "host allocates)", at);
    /* two instances, one run separately, then both step by step in turn */
    if (instance_start(&b, d, params, quad, "quadratic", (const double[]){-1.0, 0.5}) == 0) nb1 = record(&b, b1);
    instance_free(&b);
    if (instance_start(&a, d, params, rosen, "rosenbrock", NULL) == 0 &&
        instance_start(&b, d, params, quad, "quadratic", (const double[]){-1.0, 0.5}) == 0) {
        int a_goes = 1;
        while (nb2 < STEPS) {
            if (a_goes) a_goes = instance_step(&a, 0) == 0;
            if (instance_step(&b, 0)) break;
            memcpy(b2 + (size_t)nb2++ * 2, b.x, 2 * sizeof(double));
        }
        at = first_difference(b1, nb1, b2, nb2, 2);
        if (at > 0)
            check_problem("an instance on 'quadratic' took a different step %d while another instance ran on "
                          "'rosenbrock' at the same time: the two share state (static or global variables); keep "
                          "everything in the state the host allocates", at);
    }
    instance_free(&a);
    instance_free(&b);
done:
    free(xs);
    free(params);
    gdlab_surface_free(rosen);
    gdlab_surface_free(quad);
}
