/* SPDX-License-Identifier: MIT */
/* hyperdual.h — second-order forward-mode differentiation, one operation at a time.
 *
 * A quantity u(x) of n variables is carried as its value, its gradient du (n values) and its
 * Hessian hu (n × n, row-major). Each helper below applies one operation's chain rule to such
 * triples; with `order` 1 the Hessians are neither read nor written. The formula tape
 * (core/engine/expr/eval.c) and the Lua dual numbers (core/lua/lsurface_expr.c) share these rules.
 * Reference: A. Griewank & A. Walther, "Evaluating Derivatives", 2nd ed., SIAM 2008, ch. 13
 * (univariate Taylor propagation), and J. Fike & J. Alonso, "The development of hyper-dual
 * numbers for exact second-derivative calculations", AIAA 2011-886.
 *
 * Everything is static inline so that callers specialised for a fixed n (eval.c) get unrolled,
 * branch-free loops. Include only from .c files of core/engine/expr and core/lua. */
#ifndef GDLAB_HYPERDUAL_H
#define GDLAB_HYPERDUAL_H

#include <math.h>
#include <stddef.h>

/* Functions of one argument g(u). HD_POWI is u^c for a whole c >= 2, HD_POWC for any other
 * constant c. */
enum hd_fn {
    HD_NEG,
    HD_SQR,
    HD_POWI,
    HD_POWC,
    HD_SQRT,
    HD_EXP,
    HD_LOG,
    HD_SIN,
    HD_COS,
    HD_TAN,
    HD_TANH,
    HD_ABS
};

/* u^k for a whole k >= 0 by repeated squaring. */
static inline double hd_powi(double u, unsigned k)
{
    double r = 1.0;
    for (; k; k >>= 1, u *= u)
        if (k & 1u) r *= u;
    return r;
}

/* g(u) alone: hd_fn_eval computes the value exactly the same way, so f is the same number whether
 * or not derivatives are asked for. */
static inline double hd_fn_value(enum hd_fn fn, double u, double c)
{
    switch (fn) {
    case HD_NEG: return -u;
    case HD_SQR: return u * u;
    case HD_POWI: return hd_powi(u, (unsigned)c - 2u) * u * u;
    case HD_POWC: return pow(u, c);
    case HD_SQRT: return sqrt(u);
    case HD_EXP: return exp(u);
    case HD_LOG: return log(u);
    case HD_SIN: return sin(u);
    case HD_COS: return cos(u);
    case HD_TAN: return tan(u);
    case HD_TANH: return tanh(u);
    case HD_ABS: return fabs(u);
    }
    return NAN;
}

/* g(u), and its first and second derivatives in *g1 and *g2. */
static inline double hd_fn_eval(enum hd_fn fn, double u, double c, double *g1, double *g2)
{
    double g;
    switch (fn) {
    case HD_NEG: g = -u, *g1 = -1.0, *g2 = 0.0; break;
    case HD_SQR: g = u * u, *g1 = 2.0 * u, *g2 = 2.0; break;
    case HD_POWI: {
        const double q = hd_powi(u, (unsigned)c - 2u);
        g = q * u * u, *g1 = c * q * u, *g2 = c * (c - 1.0) * q;
        break;
    }
    case HD_POWC: g = pow(u, c), *g1 = c * pow(u, c - 1.0), *g2 = c * (c - 1.0) * pow(u, c - 2.0); break;
    case HD_SQRT: g = sqrt(u), *g1 = 0.5 / g, *g2 = -0.5 * *g1 / u; break;
    case HD_EXP: g = exp(u), *g1 = g, *g2 = g; break;
    case HD_LOG: g = log(u), *g1 = u < 0.0 ? NAN : 1.0 / u, *g2 = -*g1 * *g1; break; /* NaN with g */
    case HD_SIN: g = sin(u), *g1 = cos(u), *g2 = -g; break;
    case HD_COS: g = cos(u), *g1 = -sin(u), *g2 = -g; break;
    case HD_TAN: g = tan(u), *g1 = 1.0 + g * g, *g2 = 2.0 * g * *g1; break;
    case HD_TANH: g = tanh(u), *g1 = 1.0 - g * g, *g2 = -2.0 * g * *g1; break;
    case HD_ABS: g = fabs(u), *g1 = u > 0.0 ? 1.0 : u < 0.0 ? -1.0 : 0.0, *g2 = 0.0; break;
    default: g = *g1 = *g2 = NAN; break;
    }
    return g;
}

/* w = g(u) given g' and g'': dw = g'·du, hw = g'·hu + g''·du duᵀ. */
static inline void hd_chain(size_t n, int order, double g1, double g2, const double *du,
                            const double *hu, double *dw, double *hw)
{
    if (order > 1)
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) hw[i * n + j] = g1 * hu[i * n + j] + g2 * du[i] * du[j];
    for (size_t i = 0; i < n; i++) dw[i] = g1 * du[i];
}

/* w = u + s·v with s = ±1. */
static inline void hd_add(size_t n, int order, double s, const double *du, const double *hu,
                          const double *dv, const double *hv, double *dw, double *hw)
{
    if (order > 1)
        for (size_t k = 0; k < n * n; k++) hw[k] = hu[k] + s * hv[k];
    for (size_t i = 0; i < n; i++) dw[i] = du[i] + s * dv[i];
}

/* w = u·v: dw = v·du + u·dv, hw = v·hu + u·hv + du dvᵀ + dv duᵀ. */
static inline void hd_mul(size_t n, int order, double u, const double *du, const double *hu,
                          double v, const double *dv, const double *hv, double *dw, double *hw)
{
    if (order > 1)
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                hw[i * n + j] = v * hu[i * n + j] + u * hv[i * n + j] + du[i] * dv[j] + dv[i] * du[j];
    for (size_t i = 0; i < n; i++) dw[i] = v * du[i] + u * dv[i];
}

/* w = u / v, from w·v = u: dw = (du − w·dv)/v, hw = (hu − w·hv − dw dvᵀ − dv dwᵀ)/v.
 * dw and du may not be the same array. */
static inline void hd_div(size_t n, int order, double w, const double *du, const double *hu,
                          double v, const double *dv, const double *hv, double *dw, double *hw)
{
    const double r = 1.0 / v;
    for (size_t i = 0; i < n; i++) dw[i] = (du[i] - w * dv[i]) * r;
    if (order > 1)
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                hw[i * n + j] = (hu[i * n + j] - w * hv[i * n + j] - dw[i] * dv[j] - dv[i] * dw[j]) * r;
}

/* w = u^v = exp(L) with L = v·log u (u > 0): dL = log u·dv + (v/u)·du,
 * hL = log u·hv + (dv duᵀ + du dvᵀ)/u + v·(hu/u − du duᵀ/u²), dw = w·dL, hw = w·(hL + dL dLᵀ).
 * Scratch dl must hold n values. */
static inline void hd_pow(size_t n, int order, double w, double u, const double *du, const double *hu,
                          double v, const double *dv, const double *hv, double *dw, double *hw,
                          double *dl)
{
    const double lu = log(u), ru = 1.0 / u;
    for (size_t i = 0; i < n; i++) dl[i] = lu * dv[i] + v * ru * du[i];
    if (order > 1)
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                const double hl = lu * hv[i * n + j] + (dv[i] * du[j] + du[i] * dv[j]) * ru +
                                  v * (hu[i * n + j] * ru - du[i] * du[j] * ru * ru);
                hw[i * n + j] = w * (hl + dl[i] * dl[j]);
            }
    for (size_t i = 0; i < n; i++) dw[i] = w * dl[i];
}

#endif
