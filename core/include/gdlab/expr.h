/* SPDX-License-Identifier: MIT */
/*
 * gdlab/expr.h — surfaces from a formula, with exact derivatives (core/engine/expr/).
 *
 * A formula such as "(a - x)^2 + b*(y - x^2)^2" is compiled once into a short instruction tape;
 * evaluating the tape with second-order forward-mode numbers (value, gradient, Hessian carried
 * together through every operation) gives f, its exact gradient and its exact Hessian — no finite
 * differences. Parameters are fixed at compile time and folded into the tape with the constants.
 *
 * The language (docs/surfaces.md has the full reference):
 *   numbers     2, 0.5, .5, 1e-3
 *   operators   + - * / and ^ (also **), unary minus; ^ binds tighter than unary minus and is
 *               right-associative: -x^2 = -(x^2), 2^3^2 = 2^9
 *   functions   sqrt exp log sin cos tan tanh abs (one argument), min max pow (two)
 *   constants   pi, e
 *   variables   the names given to gdlab_expr_compile, or automatically x, y or x1 .. xn
 *   parameters  any other names given with values
 * Domain errors (log of a negative, sqrt below 0) give NaN, which a run reports as divergence.
 * Derivatives follow the usual conventions at kinks: abs'(0) = 0, and min/max take the derivative
 * of the first argument on ties.
 */
#ifndef GDLAB_EXPR_H
#define GDLAB_EXPR_H

#include <stddef.h>

#include "gdlab/gdlab.h"

#ifdef __cplusplus
extern "C" {
#endif
#pragma GCC visibility push(default)

typedef struct gdlab_expr gdlab_expr;

typedef struct gdlab_expr_param {
    const char *name;
    double value;
} gdlab_expr_param;

/* Compile a formula. vars names the variables in order (n_vars of them). With vars NULL the names
 * are automatic: the formula uses either x and y, or x1, x2, ... xn (not both), and the dimension
 * is n_vars when it is not 0, else the highest variable used (y counts as the second).
 * On error returns NULL and writes one line into err, e.g.
 *   "column 7: expected ')' after the arguments of max"
 *   "column 1: unknown name 'z'; known names: x, y, a, pi, e; functions: sqrt, exp, ..." */
gdlab_expr *gdlab_expr_compile(const char *source, const char *const *vars, size_t n_vars,
                               const gdlab_expr_param *params, size_t n_params, char *err,
                               size_t errlen);
void gdlab_expr_free(gdlab_expr *e);

size_t gdlab_expr_dim(const gdlab_expr *e);
const char *gdlab_expr_var(const gdlab_expr *e, size_t i); /* name of variable i */
size_t gdlab_expr_length(const gdlab_expr *e);             /* instructions on the tape */

/* f(x). When grad is not NULL also the gradient (dim values); when hess is not NULL also the
 * Hessian (dim × dim, row-major). Safe to call from many threads at once. */
double gdlab_expr_eval(const gdlab_expr *e, const double *x, double *grad, double *hess);

/* What a formula surface shows besides its function. Every pointer may be NULL. */
typedef struct gdlab_expr_surface_spec {
    const double *lo, *hi;      /* the plotting box, dim values each; default [−5, 5] per axis */
    const double *start;        /* default lo + 0.8·(hi − lo) */
    size_t n_landmarks;
    const int *landmark_kinds;  /* gdlab_landmark_kind of each, global minima first */
    const double *landmarks;    /* n_landmarks points of dim values, one after the other */
} gdlab_expr_surface_spec;

/* A surface for gdlab_run and the figures. Takes ownership of e, also on failure. Checks the spec
 * (lo < hi, finite values, landmark kinds and order) and returns NULL with err set if it is wrong. */
gdlab_surface *gdlab_expr_surface(gdlab_expr *e, const gdlab_expr_surface_spec *spec, char *err,
                                  size_t errlen);

/* Native code. gdlab_expr_surface also writes the formula's value and gradient out as C, compiles
 * it with the system compiler (GDLAB_CC, default cc) into ~/.cache/gdlab (or $XDG_CACHE_HOME/gdlab)
 * and evaluates that instead of the tape, after checking that both agree. The first compile of a
 * formula takes tens of milliseconds; later ones load the cached object. Any failure (no compiler,
 * an error, more than GDLAB_CC_TIMEOUT seconds, default 20), and GDLAB_NATIVE=0, leave the surface
 * on the tape, which gives the same numbers, only slower. Hessians always come from the tape.
 * is_native: 1 when s evaluates native code (0 also for surfaces that are not formulas).
 * native_info: one line saying which and why, e.g. "native: /home/me/.cache/gdlab/expr-….so
 * (from the cache)" or "tape: the C compiler '/bin/false' failed (exit status 1)"; it lives as
 * long as s. */
int gdlab_expr_is_native(const gdlab_surface *s);
const char *gdlab_expr_native_info(const gdlab_surface *s);

#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif
#endif /* GDLAB_EXPR_H */
