/* SPDX-License-Identifier: MIT */
/*
 * gdlab/line_search.h — line searches for optimizer plugins: strong Wolfe (Nocedal & Wright,
 * Algorithms 3.5 and 3.6) and Armijo backtracking (Algorithm 3.1).
 *
 * Optional. A plugin needs <gdlab/plugin.h> alone; include this too when the method steps along a
 * search direction d and wants a tested line search instead of its own.
 *
 * Header-only on purpose: a plugin .so must not depend on libgdlab (it is dlopen'ed by whatever host
 * speaks the ABI, and needs nothing but libc and libm), so code shared between plugins cannot live in
 * a library. Every function here is static inline and compiles into the plugin that uses it; the
 * header depends on <gdlab/plugin.h> and libm only.
 *
 * Both searches evaluate f and ∇f through the step's oracle at trial points x + α·d and end on the
 * point they accept, leaving it in xt and its gradient in gt. That point is the one the host evaluates
 * next, so its evaluation is not paid twice. The caller then moves s->x there:
 *
 *     // d: downhill, slope = gᵀd < 0; xt, gt: room for dim doubles each in the plugin's state
 *     gdlab_line_search ls = {.s = s, .d = d, .slope = slope, .c1 = c1, .c2 = c2, .xt = xt, .gt = gt};
 *     const char *problem = gdlab_wolfe_search(&ls, first_trial);
 *     if (problem) return problem;                              // ls.evals is set either way
 *     memcpy(s->x, ls.xt, s->dim * sizeof(double));            // the step was ls.step·d
 *
 * Users: plugins/optimizers/cg.c, bfgs.c, lbfgs.c (Wolfe) and gd_armijo.c (Armijo).
 * Reference: Nocedal & Wright, "Numerical Optimization", 2nd ed., 2006: Algorithms 3.1, 3.5, 3.6 and
 * eq. 3.59 (cubic interpolation); L. Armijo, Pacific J. Math. 16(1), 1966.
 */
#ifndef GDLAB_LINE_SEARCH_H
#define GDLAB_LINE_SEARCH_H

#include <gdlab/plugin.h>
#include <math.h>
#include <stddef.h>

/* The strong Wolfe search gives up after this many evaluations. */
#define GDLAB_WOLFE_MAX_EVALS 40

typedef struct gdlab_line_search {
    /* set by the caller */
    const gdlab_step *s;    /* the step: s->x, s->f = f(x), s->dim, s->oracle */
    const double *d;        /* the search direction, downhill */
    double slope;           /* φ'(0) = ∇f(x)ᵀd, negative */
    double c1, c2;          /* sufficient decrease and curvature, 0 < c1 < c2 < 1 (Armijo: c1 only) */
    double *xt, *gt;        /* dim doubles each: the last trial point and its gradient; on success the
                               accepted point */
    /* set by the search */
    double step;            /* α of the accepted point x + α·d; 0 on failure */
    int evals;              /* oracle evaluations used, on success and on failure */
} gdlab_line_search;

static inline double gdlab_ls_dot(const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* f(x + a·d), with its gradient into gt. The gradient is asked for even when the search does not need
 * it, so the host can reuse this evaluation if the point is accepted. */
static inline double gdlab_ls_try(gdlab_line_search *ls, double a)
{
    const gdlab_step *s = ls->s;
    for (size_t i = 0; i < s->dim; i++)
        ls->xt[i] = s->x[i] + a * ls->d[i];
    ls->evals++;
    return s->oracle->eval(s->oracle->host, ls->xt, ls->gt);
}

/* φ(a) = f(x + a·d), and φ'(a) into *slope. */
static inline double gdlab_ls_phi(gdlab_line_search *ls, double a, double *slope)
{
    const double f = gdlab_ls_try(ls, a);
    *slope = gdlab_ls_dot(ls->gt, ls->d, ls->s->dim);
    return f;
}

/* The Armijo condition f(x + a·d) ≤ f(x) + c1·a·∇f(x)ᵀd; false for NaN. */
static inline int gdlab_ls_sufficient_decrease(const gdlab_line_search *ls, double a, double fa)
{
    return fa <= ls->s->f + ls->c1 * a * ls->slope;
}

/* The strong curvature condition |φ'(a)| ≤ c2·|φ'(0)|. */
static inline int gdlab_ls_curvature_met(const gdlab_line_search *ls, double slope)
{
    return fabs(slope) <= -ls->c2 * ls->slope;
}

/* ---- Armijo backtracking (N&W Algorithm 3.1) ----------------------------------------------------- */

/* α = first_trial, then shrink·α, shrink²·α, ... until the Armijo condition holds, after at most
 * max_backtracks rejected trials. On success ls->evals − 1 is the number of backtracks. */
static inline const char *gdlab_armijo_search(gdlab_line_search *ls, double first_trial, double shrink,
                                              int max_backtracks)
{
    ls->step = 0.0;
    ls->evals = 0;
    double a = first_trial;
    for (int k = 0; k <= max_backtracks; k++, a *= shrink) {
        if (gdlab_ls_sufficient_decrease(ls, a, gdlab_ls_try(ls, a))) {
            ls->step = a;
            return NULL;
        }
    }
    return "no trial step decreased f enough within max_backtracks shrinks: f is flat to rounding "
           "here (converged as far as float64 allows) or the gradient does not match f";
}

/* ---- strong Wolfe search (N&W Algorithms 3.5 and 3.6) -------------------------------------------- */

/* Minimiser of the cubic matching φ and φ' at a and b (N&W eq. 3.59), kept within the middle 80% of
 * the interval; bisection when the cubic has no minimiser there or the values are not finite. */
static inline double gdlab_ls_cubic_minimiser(double a, double fa, double da, double b, double fb,
                                              double db)
{
    const double d1 = da + db - 3.0 * (fa - fb) / (a - b);
    const double disc = d1 * d1 - da * db;
    double c = 0.5 * (a + b);
    if (disc >= 0.0) {
        const double d2 = copysign(sqrt(disc), b - a);
        c = b - (b - a) * (db + d2 - d1) / (db - da + 2.0 * d2);
    }
    const double lo = fmin(a, b), hi = fmax(a, b), margin = 0.1 * (hi - lo);
    return c >= lo + margin && c <= hi - margin ? c : 0.5 * (a + b);
}

/* Algorithm 3.6: lo satisfies sufficient decrease, and a point meeting both conditions lies between
 * lo and hi. */
static inline const char *gdlab_ls_zoom(gdlab_line_search *ls, double lo, double flo, double dlo,
                                        double hi, double fhi, double dhi)
{
    while (ls->evals < GDLAB_WOLFE_MAX_EVALS) {
        const double a = gdlab_ls_cubic_minimiser(lo, flo, dlo, hi, fhi, dhi);
        if (a == lo || a == hi) break; /* the bracket is down to rounding */
        double da;
        const double fa = gdlab_ls_phi(ls, a, &da);
        if (!gdlab_ls_sufficient_decrease(ls, a, fa) || fa >= flo) {
            hi = a, fhi = fa, dhi = da;
        } else {
            if (gdlab_ls_curvature_met(ls, da)) {
                ls->step = a;
                return NULL;
            }
            if (da * (hi - lo) >= 0.0) hi = lo, fhi = flo, dhi = dlo;
            lo = a, flo = fa, dlo = da;
        }
    }
    return "the line search found no strong Wolfe point: f is flat to rounding along d (converged as "
           "far as float64 allows) or not smooth here";
}

/* Algorithm 3.5, from the trial step first_trial; doubles the step while φ keeps going down steeply.
 * Finds a = ls->step with φ(a) ≤ φ(0) + c1·a·φ'(0) and |φ'(a)| ≤ c2·|φ'(0)| (needs c1 < c2), using
 * safeguarded cubic interpolation and at most GDLAB_WOLFE_MAX_EVALS evaluations. */
static inline const char *gdlab_wolfe_search(gdlab_line_search *ls, double first_trial)
{
    ls->step = 0.0;
    ls->evals = 0;
    double a = first_trial, a_prev = 0.0, f_prev = ls->s->f, d_prev = ls->slope;
    while (ls->evals < GDLAB_WOLFE_MAX_EVALS) {
        double da;
        const double fa = gdlab_ls_phi(ls, a, &da);
        if (!gdlab_ls_sufficient_decrease(ls, a, fa) || (ls->evals > 1 && fa >= f_prev))
            return gdlab_ls_zoom(ls, a_prev, f_prev, d_prev, a, fa, da);
        if (gdlab_ls_curvature_met(ls, da)) {
            ls->step = a;
            return NULL;
        }
        if (da >= 0.0) return gdlab_ls_zoom(ls, a, fa, da, a_prev, f_prev, d_prev);
        a_prev = a, f_prev = fa, d_prev = da;
        a *= 2.0;
    }
    return "the line search found no strong Wolfe point within 40 evaluations: f seems unbounded "
           "below along d";
}

#endif /* GDLAB_LINE_SEARCH_H */
