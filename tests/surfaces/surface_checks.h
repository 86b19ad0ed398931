/* SPDX-License-Identifier: MIT */
/* surface_checks.h — checks every surface must pass, shared by the plugin and formula tests: exact
 * derivatives against finite differences, and landmarks against their claimed kind. Header-only,
 * because check.h keeps its counters per translation unit; include it after check.h. */
#ifndef SURFACE_CHECKS_H
#define SURFACE_CHECKS_H

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "gdlab/gdlab.h"
#include "gdlab/symmetric_eigen.h"

#define SC_MAX_DIM 16

/* splitmix64 (Steele, Lea & Flood 2014): a seeded, portable stream of uniform doubles. */
static double sc_uniform(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1p-53;
}

/* Eigenvalues of the symmetric n × n matrix a (row-major), ascending: gdlab's one Jacobi
 * (<gdlab/symmetric_eigen.h>) on a copy. */
static void sc_eigenvalues(const double *a, int n, double *eig)
{
    double m[SC_MAX_DIM * SC_MAX_DIM];
    for (int i = 0; i < n * n; i++) m[i] = a[i];
    gdlab_jacobi(m, (size_t)n, NULL);
    for (int i = 0; i < n; i++) eig[i] = m[i * n + i];
    for (int i = 1; i < n; i++) /* insertion sort */
        for (int j = i; j > 0 && eig[j - 1] > eig[j]; j--) {
            const double t = eig[j];
            eig[j] = eig[j - 1], eig[j - 1] = t;
        }
}

static double sc_max_abs(const double *v, size_t n)
{
    double m = 0.0;
    for (size_t i = 0; i < n; i++) m = fmax(m, fabs(v[i]));
    return m;
}

/* Central difference with the 4-point stencil (f(−2h) − 8f(−h) + 8f(h) − f(2h)) / 12h, error
 * O(h⁴), of coordinate k of the gradient (k < 0: of f itself) along axis i. */
static double sc_central(const gdlab_surface *s, const double *x, size_t i, int k, double h)
{
    const size_t n = gdlab_surface_dim(s);
    double p[SC_MAX_DIM], g[SC_MAX_DIM], v[4];
    const double offsets[4] = {-2.0, -1.0, 1.0, 2.0};
    for (int m = 0; m < 4; m++) {
        for (size_t j = 0; j < n; j++) p[j] = x[j];
        p[i] += offsets[m] * h;
        const double f = gdlab_surface_eval(s, p, g);
        v[m] = k < 0 ? f : g[k];
    }
    return (v[0] - 8.0 * v[1] + 8.0 * v[2] - v[3]) / (12.0 * h);
}

/* Does the exact gradient (k < 0) or Hessian row k at x match finite differences with step h?
 * Tolerance: relative 1e-6 of the largest exact entry, plus the stencil's rounding error
 * (about 1.5·ε·|value|/h, taken 100 times over). */
static int sc_row_matches(const gdlab_surface *s, const double *x, int k, const double *exact,
                          double scale, double h)
{
    const size_t n = gdlab_surface_dim(s);
    const double tol = 1e-6 * sc_max_abs(exact, n) + 100.0 * DBL_EPSILON * (1.0 + scale) / h;
    for (size_t i = 0; i < n; i++)
        if (!(fabs(sc_central(s, x, i, k, h) - exact[i]) <= tol)) return 0;
    return 1;
}

/* Near a kink (Ackley's cone at 0) the stencil needs a smaller step: try h, h/4 and h/16. */
static int sc_matches_at_some_step(const gdlab_surface *s, const double *x, int k, const double *exact,
                                   double scale, double h)
{
    for (int t = 0; t < 3; t++, h /= 4.0)
        if (sc_row_matches(s, x, k, exact, scale, h)) return 1;
    return 0;
}

static void check_derivatives(const gdlab_surface *s, const char *label, int points, uint64_t seed)
{
    const size_t n = gdlab_surface_dim(s);
    CHECK(n >= 1 && n <= SC_MAX_DIM);
    if (n < 1 || n > SC_MAX_DIM) return;
    double lo[SC_MAX_DIM], hi[SC_MAX_DIM], x[SC_MAX_DIM], g[SC_MAX_DIM], hess[SC_MAX_DIM * SC_MAX_DIM];
    gdlab_surface_domain(s, lo, hi);
    double width = 0.0;
    for (size_t i = 0; i < n; i++) width = fmax(width, hi[i] - lo[i]);
    const double h = 1e-4 * width;
    const int has_hessian = gdlab_surface_has_hessian(s);
    int bad_grad = 0, bad_hess = 0, asymmetric = 0, value_mismatch = 0;
    for (int p = 0; p < points; p++) {
        for (size_t i = 0; i < n; i++) x[i] = lo[i] + (hi[i] - lo[i]) * sc_uniform(&seed);
        const double f = gdlab_surface_eval(s, x, g);
        if (f != gdlab_surface_eval(s, x, NULL)) value_mismatch++;
        if (!sc_matches_at_some_step(s, x, -1, g, fabs(f), h)) {
            if (bad_grad++ == 0)
                fprintf(stderr, "%s: gradient differs from finite differences at (%.17g, %.17g)\n",
                        label, x[0], n > 1 ? x[1] : 0.0);
        }
        if (!has_hessian) continue;
        CHECK(gdlab_surface_hessian(s, x, hess) == 0);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < i; j++)
                if (fabs(hess[i * n + j] - hess[j * n + i]) > 1e-12 * (1.0 + fabs(hess[i * n + j])))
                    asymmetric++;
        for (size_t k = 0; k < n; k++)
            if (!sc_matches_at_some_step(s, x, (int)k, hess + k * n, sc_max_abs(g, n), h)) {
                if (bad_hess++ == 0)
                    fprintf(stderr, "%s: Hessian row %zu differs from finite differences at (%.17g, %.17g)\n",
                            label, k, x[0], n > 1 ? x[1] : 0.0);
            }
    }
    if (bad_grad || bad_hess || asymmetric || value_mismatch)
        fprintf(stderr, "%s: %d bad gradients, %d bad Hessian rows, %d asymmetric entries, %d value "
                        "mismatches with/without gradient in %d points\n",
                label, bad_grad, bad_hess, asymmetric, value_mismatch, points);
    CHECK(bad_grad == 0);
    CHECK(bad_hess == 0);
    CHECK(asymmetric == 0);
    CHECK(value_mismatch == 0);
}

static int sc_inside(const double *x, const double *lo, const double *hi, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(x[i] >= lo[i] && x[i] <= hi[i])) return 0;
    return 1;
}

/* A degenerate critical point is a saddle when f takes values on both sides of f(x) around it. */
static int sc_changes_sign_around(const gdlab_surface *s, const double *x)
{
    const size_t n = gdlab_surface_dim(s);
    const double f0 = gdlab_surface_eval(s, x, NULL);
    int below = 0, above = 0;
    double p[SC_MAX_DIM];
    for (int k = 0; k < 64; k++) {
        for (size_t i = 0; i < n; i++) p[i] = x[i];
        p[0] += 1e-3 * cos(2.0 * M_PI * k / 64.0);
        if (n > 1) p[1] += 1e-3 * sin(2.0 * M_PI * k / 64.0);
        const double f = gdlab_surface_eval(s, p, NULL);
        below += f < f0, above += f > f0;
    }
    return below > 0 && above > 0;
}

static int check_landmarks(const gdlab_surface *s, const char *label)
{
    const size_t n = gdlab_surface_dim(s);
    if (n < 1 || n > SC_MAX_DIM) return 0;
    double lo[SC_MAX_DIM], hi[SC_MAX_DIM], x[SC_MAX_DIM], g[SC_MAX_DIM], hess[SC_MAX_DIM * SC_MAX_DIM],
        eig[SC_MAX_DIM];
    gdlab_surface_domain(s, lo, hi);
    gdlab_surface_start(s, x);
    CHECK(sc_inside(x, lo, hi, n));
    const int has_hessian = gdlab_surface_has_hessian(s);
    double global = NAN;
    int count = 0, seen_other = 0, failures_before = check_failures;
    for (size_t i = 0;; i++) {
        const int kind = gdlab_surface_landmark(s, i, x);
        if (kind == GDLAB_LANDMARK_END) break;
        count++;
        const double f = gdlab_surface_eval(s, x, g);
        CHECK(sc_inside(x, lo, hi, n));
        /* Coordinates good to ~1e-16 leave a gradient of about |H|·1e-16·|x|. */
        double scale = 1.0 + fabs(f);
        if (has_hessian) {
            CHECK(gdlab_surface_hessian(s, x, hess) == 0);
            scale += sc_max_abs(hess, n * n) * (1.0 + sc_max_abs(x, n));
        }
        CHECK(sc_max_abs(g, n) <= 1e-9 * scale);
        if (kind == GDLAB_LANDMARK_GLOBAL_MIN) {
            CHECK(!seen_other); /* global minima come first */
            if (isnan(global)) global = f;
            CHECK(fabs(f - global) <= 1e-9 * (1.0 + fabs(global)));
        } else {
            seen_other = 1;
            if (kind == GDLAB_LANDMARK_LOCAL_MIN) CHECK(!(f <= global + 1e-9 * (1.0 + fabs(global))));
        }
        if (!has_hessian) continue;
        sc_eigenvalues(hess, (int)n, eig);
        const double tiny = 1e-9 * (1.0 + sc_max_abs(hess, n * n));
        switch (kind) {
        case GDLAB_LANDMARK_GLOBAL_MIN:
        case GDLAB_LANDMARK_LOCAL_MIN: CHECK(eig[0] > tiny); break;
        case GDLAB_LANDMARK_MAX: CHECK(eig[n - 1] < -tiny); break;
        case GDLAB_LANDMARK_SADDLE:
            if (fabs(eig[0]) <= tiny && fabs(eig[n - 1]) <= tiny) CHECK(sc_changes_sign_around(s, x));
            else CHECK(eig[0] < -tiny && eig[n - 1] > tiny);
            break;
        default: CHECK(!"unknown landmark kind");
        }
    }
    if (check_failures != failures_before) fprintf(stderr, "%s: landmark checks failed\n", label);
    return count;
}

#endif
