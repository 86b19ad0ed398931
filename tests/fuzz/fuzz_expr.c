/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the formula compiler and evaluator (core/engine/expr). Besides crashes, leaks and
 * undefined behaviour (the sanitizers' job), it checks what must hold for every formula:
 *   - a formula that does not compile leaves a one-line error message;
 *   - one that compiles gives the same value whether or not derivatives are asked for, and the
 *     same gradient from the gradient-only path as from the path that also computes the Hessian.
 * Input: the formula's bytes. Variables are automatic (x, y or x1 .. xn); a and b are parameters. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdlab/expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Equal, counting all NaNs as equal. */
static int same(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

static void evaluate(const gdlab_expr *e, const double *x)
{
    static double g1[100], g2[100], h[16];
    const size_t n = gdlab_expr_dim(e);
    const double v0 = gdlab_expr_eval(e, x, NULL, NULL);
    const double v1 = gdlab_expr_eval(e, x, g1, NULL);
    if (!same(v0, v1)) abort();
    if (n > 4) return; /* Hessians of many variables cost n² per instruction */
    const double v2 = gdlab_expr_eval(e, x, g2, h);
    if (!same(v0, v2)) abort();
    for (size_t i = 0; i < n; i++)
        if (!same(g1[i], g2[i])) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *source = malloc(size + 1);
    if (!source) return 0;
    memcpy(source, data, size);
    source[size] = '\0';
    const gdlab_expr_param params[] = {{"a", 1.5}, {"b", -2.0}};
    char err[GDLAB_ERRLEN];
    err[0] = '\0';
    gdlab_expr *e = gdlab_expr_compile(source, NULL, 0, params, 2, err, sizeof err);
    if (!e) {
        if (err[0] == '\0' || strchr(err, '\n')) abort();
    } else {
        static const double points[3][4] = {{0.5, -1.25, 3.0, 0.0}, {0.0, 0.0, 0.0, 0.0}, {-2.0, 1e3, -1e-3, 7.0}};
        double x[100];
        for (int p = 0; p < 3; p++) {
            for (size_t i = 0; i < gdlab_expr_dim(e); i++) x[i] = points[p][i % 4];
            evaluate(e, x);
        }
        gdlab_expr_free(e);
    }
    free(source);
    return 0;
}
