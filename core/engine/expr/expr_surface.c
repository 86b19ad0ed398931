/* SPDX-License-Identifier: MIT */
/* expr_surface.c — a compiled formula as a gdlab_surface, through the same descriptor interface
 * as a plugin: eval runs the formula's native code when native.c could make it (else the tape),
 * hessian runs the tape, the rest answers from the spec. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr_internal.h"

typedef struct expr_surface {
    gdlab_surface_desc desc; /* first: a copy of expr_surface_desc, so the surface leads back here */
    gdlab_expr *e;
    expr_native native;      /* its fn, if any, computes exactly what the tape does */
    double *lo, *hi, *start; /* dim values each */
    size_t n_landmarks;
    int *kinds;
    double *points;          /* n_landmarks × dim */
} expr_surface;

static double xs_eval(const void *state, const double *x, double *grad)
{
    const expr_surface *s = state;
    return s->native.fn ? s->native.fn(x, grad) : gdlab_expr_eval(s->e, x, grad, NULL);
}

static void xs_hessian(const void *state, const double *x, double *hess)
{
    gdlab_expr_eval(((const expr_surface *)state)->e, x, NULL, hess);
}

static void xs_domain(const void *state, double *lo, double *hi)
{
    const expr_surface *s = state;
    memcpy(lo, s->lo, s->e->dim * sizeof *lo);
    memcpy(hi, s->hi, s->e->dim * sizeof *hi);
}

static void xs_start(const void *state, double *x0)
{
    const expr_surface *s = state;
    memcpy(x0, s->start, s->e->dim * sizeof *x0);
}

static int xs_landmark(const void *state, size_t i, double *x)
{
    const expr_surface *s = state;
    if (i >= s->n_landmarks) return GDLAB_LANDMARK_END;
    memcpy(x, s->points + i * s->e->dim, s->e->dim * sizeof *x);
    return s->kinds[i];
}

static void xs_free(void *state)
{
    expr_surface *s = state;
    if (!s) return;
    expr_native_release(&s->native);
    gdlab_expr_free(s->e);
    free(s->lo);
    free(s->kinds);
    free(s->points);
    free(s);
}

static const gdlab_surface_desc expr_surface_desc = {
    .h = GDLAB_HEADER_NO_PARAMS(GDLAB_KIND_SURFACE, gdlab_surface_desc, "expr",
                                "a surface from a formula, with exact derivatives",
                                "f is the formula given by the user, compiled to a tape and differentiated\n"
                                "exactly in forward mode (value, gradient and Hessian together)."),
    .eval = xs_eval,
    .hessian = xs_hessian,
    .domain = xs_domain,
    .start = xs_start,
    .landmark = xs_landmark,
};

static int all_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i])) return 0;
    return 1;
}

/* Check the spec and copy it into s (whose e is set). */
static int fill(expr_surface *s, const gdlab_expr_surface_spec *spec, char *err, size_t errlen)
{
    const size_t n = s->e->dim;
    s->lo = malloc(3 * n * sizeof *s->lo);
    if (!s->lo) goto oom;
    s->hi = s->lo + n, s->start = s->lo + 2 * n;
    for (size_t i = 0; i < n; i++) {
        s->lo[i] = spec && spec->lo ? spec->lo[i] : -5.0;
        s->hi[i] = spec && spec->hi ? spec->hi[i] : 5.0;
        if (!(isfinite(s->lo[i]) && isfinite(s->hi[i]) && s->lo[i] < s->hi[i])) {
            snprintf(err, errlen, "domain of %s must be finite with lo < hi, got [%g, %g]", s->e->vars[i], s->lo[i],
                     s->hi[i]);
            return -1;
        }
        s->start[i] = spec && spec->start ? spec->start[i] : s->lo[i] + 0.8 * (s->hi[i] - s->lo[i]);
    }
    if (!all_finite(s->start, n)) {
        snprintf(err, errlen, "start must be finite");
        return -1;
    }
    s->n_landmarks = spec && spec->landmarks && spec->landmark_kinds ? spec->n_landmarks : 0;
    s->kinds = malloc((s->n_landmarks ? s->n_landmarks : 1) * sizeof *s->kinds);
    s->points = malloc((s->n_landmarks ? s->n_landmarks : 1) * n * sizeof *s->points);
    if (!s->kinds || !s->points) goto oom;
    for (size_t i = 0; i < s->n_landmarks; i++) {
        const int kind = spec->landmark_kinds[i];
        if (kind < GDLAB_LANDMARK_GLOBAL_MIN || kind > GDLAB_LANDMARK_MAX) {
            snprintf(err, errlen, "landmark %zu: unknown kind %d", i + 1, kind);
            return -1;
        }
        if (kind == GDLAB_LANDMARK_GLOBAL_MIN && i > 0 && s->kinds[i - 1] != GDLAB_LANDMARK_GLOBAL_MIN) {
            snprintf(err, errlen, "landmark %zu: global minima must come first", i + 1);
            return -1;
        }
        if (!all_finite(spec->landmarks + i * n, n)) {
            snprintf(err, errlen, "landmark %zu: coordinates must be finite", i + 1);
            return -1;
        }
        s->kinds[i] = kind;
        memcpy(s->points + i * n, spec->landmarks + i * n, n * sizeof *s->points);
    }
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

/* Native code for s, checked against the tape at the corners, the centre and the start of the box,
 * the first landmarks and a dozen points spread over the box. */
static void go_native(expr_surface *s)
{
    enum { POINTS = 20 };
    const size_t n = s->e->dim;
    double *points = malloc(POINTS * n * sizeof *points);
    if (!points) {
        snprintf(s->native.info, sizeof s->native.info, "tape: out of memory");
        return;
    }
    size_t count = 0;
    uint64_t seed = 0x9e3779b97f4a7c15u;
    for (; count < POINTS; count++) {
        double *x = points + count * n;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u; /* Knuth's MMIX LCG */
            const double u = count == 0 ? 0.0 : count == 1 ? 1.0 : count == 2 ? 0.5 : (double)(seed >> 11) * 0x1p-53;
            x[i] = s->lo[i] + u * (s->hi[i] - s->lo[i]);
        }
        if (count == 3) memcpy(x, s->start, n * sizeof *x);
        if (count >= 4 && count < 8 && count - 4 < s->n_landmarks)
            memcpy(x, s->points + (count - 4) * n, n * sizeof *x);
    }
    expr_native_build(&s->native, s->e, points, count);
    free(points);
}

gdlab_surface *gdlab_expr_surface(gdlab_expr *e, const gdlab_expr_surface_spec *spec, char *err, size_t errlen)
{
    char dummy[1];
    if (!err || !errlen) err = dummy, errlen = sizeof dummy;
    expr_surface *s = calloc(1, sizeof *s);
    if (!s) {
        gdlab_expr_free(e);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->desc = expr_surface_desc;
    s->e = e;
    if (fill(s, spec, err, errlen)) {
        xs_free(s);
        return NULL;
    }
    go_native(s);
    gdlab_surface *surface = gdlab_surface_wrap(&s->desc, e->dim, s, xs_free);
    if (!surface) {
        xs_free(s);
        snprintf(err, errlen, "out of memory");
    }
    return surface;
}

/* The formula surface behind s, or NULL when s is not one: its descriptor is the first member. */
static const expr_surface *formula_of(const gdlab_surface *s)
{
    const gdlab_surface_desc *d = s ? gdlab_surface_desc_of(s) : NULL;
    if (!d || d->eval != xs_eval) return NULL;
    return (const expr_surface *)(const void *)((const char *)d - offsetof(expr_surface, desc));
}

int gdlab_expr_is_native(const gdlab_surface *s)
{
    const expr_surface *xs = formula_of(s);
    return xs && xs->native.fn;
}

const char *gdlab_expr_native_info(const gdlab_surface *s)
{
    const expr_surface *xs = formula_of(s);
    return xs ? xs->native.info : "not a formula surface";
}
