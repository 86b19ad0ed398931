/* SPDX-License-Identifier: MIT */
/* check_surface.c — the checks of a surface plugin for `gdlab --check-plugin` (run in a child process
 * by check_plugin.c), with its default parameters: a sane domain and start, f the same with and without
 * the gradient and from call to call, NaN in gives NaN out, the gradient and Hessian against central
 * finite differences at random points of the domain, and landmarks that are critical points with the
 * global minima lowest of all.
 *
 * Finite differences: step h = 1e-5·max(1, |x_i|); the central difference is off by about
 * h²·f'''/6 + ε·|f|/h, so a derivative passes within 1e-4·max(1, |f|, ‖∇f‖∞) (the Hessian within
 * 1e-4·max(1, ‖∇f‖∞, max|H|)). A wrong factor or sign is off by far more. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_plugin.h"

enum { POINTS = 25, MAX_DIM = 64, MAX_LANDMARKS = 10000 };

/* splitmix64 (Steele, Lea & Flood 2014): uniform doubles in [0, 1), the same on every run. */
static double uniform(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return (double)((z ^ (z >> 31)) >> 11) * 0x1p-53;
}

/* The surface with its defaults, its dimension at most MAX_DIM; NULL with a problem reported. */
static gdlab_surface *open_surface(const gdlab_surface_desc *d, size_t *dim)
{
    char err[GDLAB_ERRLEN];
    check_stage("creating it with its default parameters (dimension, init)");
    gdlab_surface *s = gdlab_surface_new(d, NULL, err, sizeof err);
    if (!s) {
        check_problem("it cannot be created with its own default parameters: %s", err);
        return NULL;
    }
    *dim = gdlab_surface_dim(s);
    if (*dim > MAX_DIM) {
        check_problem("its dimension with default parameters is %zu; these checks go up to %d: choose a smaller "
                      "default", *dim, MAX_DIM);
        gdlab_surface_free(s);
        return NULL;
    }
    return s;
}

static void format_point(const double *x, size_t dim, char *buf, size_t len)
{
    size_t used = (size_t)snprintf(buf, len, "(");
    for (size_t i = 0; i < dim && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%.6g", i ? ", " : "", x[i]);
    if (used < len) snprintf(buf + used, len - used, ")");
}

static double max_abs(const double *v, size_t n)
{
    double m = 0.0;
    for (size_t i = 0; i < n; i++) m = fmax(m, fabs(v[i]));
    return m;
}

/* A random point of the box [lo, hi]. */
static void random_point(uint64_t *rng, const double *lo, const double *hi, size_t dim, double *x)
{
    for (size_t i = 0; i < dim; i++) x[i] = lo[i] + (hi[i] - lo[i]) * uniform(rng);
}

void check_surface_basics(const gdlab_surface_desc *d)
{
    size_t dim;
    gdlab_surface *s = open_surface(d, &dim);
    if (!s) return;
    double lo[MAX_DIM], hi[MAX_DIM], x[MAX_DIM], g[MAX_DIM], g2[MAX_DIM];
    char where[512];
    check_stage("calling domain");
    gdlab_surface_domain(s, lo, hi);
    for (size_t i = 0; i < dim; i++)
        if (!(isfinite(lo[i]) && isfinite(hi[i]) && lo[i] < hi[i]))
            check_problem("domain: coordinate %zu has lo = %g, hi = %g; figures and the divergence check need finite "
                          "lo < hi", i + 1, lo[i], hi[i]);
    check_stage("calling start");
    gdlab_surface_start(s, x);
    format_point(x, dim, where, sizeof where);
    for (size_t i = 0; i < dim; i++)
        if (!isfinite(x[i]) || x[i] < lo[i] || x[i] > hi[i])
            check_problem("start %s: coordinate %zu is outside the domain [%g, %g]; start where a figure shows it",
                          where, i + 1, lo[i], hi[i]);
    check_stage("evaluating at the start %s", where);
    const double f = gdlab_surface_eval(s, x, g), f_plain = gdlab_surface_eval(s, x, NULL);
    if (!isfinite(f)) check_problem("f at the start %s is %g: a run could not even begin", where, f);
    if (memcmp(&f, &f_plain, sizeof f) != 0)
        check_problem("at the start %s, eval gives f = %.17g with the gradient and %.17g without: compute f the "
                      "same way whether grad is NULL or not", where, f, f_plain);
    check_stage("evaluating at the start %s again", where);
    const double f_again = gdlab_surface_eval(s, x, g2);
    if (memcmp(&f, &f_again, sizeof f) != 0 || memcmp(g, g2, dim * sizeof(double)) != 0)
        check_problem("two evaluations at the start %s differ: the surface keeps state between calls or reads "
                      "uninitialised memory", where);
    for (size_t i = 0; i < dim; i++) x[i] = NAN;
    check_stage("evaluating at a point of NaNs");
    const double f_nan = gdlab_surface_eval(s, x, g);
    if (!isnan(f_nan))
        check_problem("eval at a point of NaNs gives f = %g: NaN must come out as NaN, or gdlab cannot see that a "
                      "run went wrong", f_nan);
    if (d->eval_sample) {
        gdlab_surface_start(s, x);
        check_stage("calling eval_sample at the start, twice with the same draw");
        const double a = gdlab_surface_eval_sample(s, x, g, 12345), b = gdlab_surface_eval_sample(s, x, g2, 12345);
        if (memcmp(&a, &b, sizeof a) != 0 || memcmp(g, g2, dim * sizeof(double)) != 0)
            check_problem("eval_sample with the same draw number gave different results: draw the sample from the "
                          "draw number only, so runs can be repeated");
    }
    gdlab_surface_free(s);
}

void check_surface_derivatives(const gdlab_surface_desc *d)
{
    size_t dim;
    gdlab_surface *s = open_surface(d, &dim);
    if (!s) return;
    double lo[MAX_DIM], hi[MAX_DIM], x[MAX_DIM], g[MAX_DIM], gp[MAX_DIM], gm[MAX_DIM];
    double *hess = malloc(MAX_DIM * MAX_DIM * sizeof(double));
    gdlab_surface_domain(s, lo, hi);
    uint64_t rng = 20240611u;
    int grad_bad = 0, hess_bad = 0;
    char where[512];
    for (int p = 0; p < POINTS && hess && !(grad_bad && hess_bad); p++) {
        random_point(&rng, lo, hi, dim, x);
        format_point(x, dim, where, sizeof where);
        check_stage("comparing the gradient with finite differences at %s", where);
        const double f = gdlab_surface_eval(s, x, g);
        if (!isfinite(f)) continue; /* outside where the surface is defined */
        const double scale = fmax(1.0, fmax(fabs(f), max_abs(g, dim)));
        for (size_t i = 0; i < dim && !grad_bad; i++) {
            const double xi = x[i], h = 1e-5 * fmax(1.0, fabs(xi));
            x[i] = xi + h;
            const double fp = gdlab_surface_eval(s, x, NULL);
            x[i] = xi - h;
            const double fm = gdlab_surface_eval(s, x, NULL);
            x[i] = xi;
            const double fd = (fp - fm) / (2.0 * h);
            if (isfinite(fd) && !(fabs(g[i] - fd) <= 1e-4 * scale)) {
                check_problem("gradient at %s: df/dx%zu is %.10g, but finite differences give %.10g; check the "
                              "derivative of f with respect to coordinate %zu", where, i + 1, g[i], fd, i + 1);
                grad_bad = 1;
            }
        }
        if (!d->hessian || hess_bad) continue;
        check_stage("comparing the Hessian with finite differences of the gradient at %s", where);
        gdlab_surface_hessian(s, x, hess);
        const double hscale = fmax(1.0, fmax(max_abs(g, dim), max_abs(hess, dim * dim)));
        for (size_t i = 0; i < dim && !hess_bad; i++) {
            const double xi = x[i], h = 1e-5 * fmax(1.0, fabs(xi));
            x[i] = xi + h;
            gdlab_surface_eval(s, x, gp);
            x[i] = xi - h;
            gdlab_surface_eval(s, x, gm);
            x[i] = xi;
            for (size_t j = 0; j < dim && !hess_bad; j++) {
                const double fd = (gp[j] - gm[j]) / (2.0 * h), hij = hess[i * dim + j];
                if (isfinite(fd) && !(fabs(hij - fd) <= 1e-4 * hscale)) {
                    check_problem("Hessian at %s: entry (%zu, %zu) is %.10g, but finite differences of the gradient "
                                  "give %.10g (the Hessian is row-major, dim x dim)", where, i + 1, j + 1, hij, fd);
                    hess_bad = 1;
                }
            }
        }
    }
    free(hess);
    gdlab_surface_free(s);
}

void check_surface_landmarks(const gdlab_surface_desc *d)
{
    if (!d->landmark) return;
    size_t dim;
    gdlab_surface *s = open_surface(d, &dim);
    if (!s) return;
    static const char *const kinds[] = {"", "global minimum", "local minimum", "saddle point", "maximum"};
    double x[MAX_DIM], g[MAX_DIM], lo[MAX_DIM], hi[MAX_DIM], best_x[MAX_DIM];
    double f_min = HUGE_VAL;
    char where[512];
    size_t n = 0;
    for (; n < MAX_LANDMARKS; n++) {
        check_stage("calling landmark(%zu)", n);
        const int kind = gdlab_surface_landmark(s, n, x);
        if (kind == GDLAB_LANDMARK_END) break;
        if (kind < GDLAB_LANDMARK_GLOBAL_MIN || kind > GDLAB_LANDMARK_MAX) {
            check_problem("landmark %zu has kind %d; the kinds are 1 to 4 (gdlab_landmark_kind), and 0 ends the list",
                          n, kind);
            continue;
        }
        format_point(x, dim, where, sizeof where);
        check_stage("evaluating at landmark %zu, a %s at %s", n, kinds[kind], where);
        const double f = gdlab_surface_eval(s, x, g), norm = max_abs(g, dim);
        if (!(norm <= 1e-4 * fmax(1.0, fabs(f))))
            check_problem("landmark %zu, a %s at %s, is not a critical point: the gradient there has a coordinate of "
                          "size %.3g; give its coordinates to more digits, or fix the gradient", n, kinds[kind],
                          where, norm);
        if (kind == GDLAB_LANDMARK_GLOBAL_MIN) {
            if (isfinite(f_min) && fabs(f - f_min) > 1e-6 * fmax(1.0, fabs(f_min)))
                check_problem("the global minima have different values: %.10g at %s and %.10g before it; list only "
                              "the lowest as global (the others are local minima)", f, where, f_min);
            if (f < f_min) f_min = f, memcpy(best_x, x, dim * sizeof(double));
        }
    }
    if (n == MAX_LANDMARKS)
        check_problem("landmark never returned GDLAB_LANDMARK_END in %d calls: end the list", MAX_LANDMARKS);
    if (isfinite(f_min)) { /* no point of the domain may lie below the global minimum */
        gdlab_surface_domain(s, lo, hi);
        uint64_t rng = 7u;
        format_point(best_x, dim, where, sizeof where);
        check_stage("looking for points below the global minimum");
        for (int p = 0; p < 2000; p++) {
            random_point(&rng, lo, hi, dim, x);
            const double f = gdlab_surface_eval(s, x, NULL);
            if (f < f_min - 1e-9 * fmax(1.0, fabs(f_min))) {
                char below[512];
                format_point(x, dim, below, sizeof below);
                check_problem("f at %s is %.10g, lower than the listed global minimum %.10g at %s: the global "
                              "minimum is elsewhere, or f is wrong", below, f, f_min, where);
                break;
            }
        }
    }
    gdlab_surface_free(s);
}
