/* SPDX-License-Identifier: MIT */
/* eval.c — runs the tape: values only, or values with exact gradients (and Hessians) carried
 * forward through every instruction by the rules of hyperdual.h.
 *
 * The working memory (one value, n derivatives and n² second derivatives per slot) lives on the
 * stack for ordinary formulas, so evaluation allocates nothing and is safe from many threads.
 * Three paths, all computing the value the same way: values alone; the gradient of one or two
 * variables, which is what runs ask for on every step and so has a loop of its own
 * (eval_gradient_small); and everything else (eval_derivatives). Each derivative loop is one flat
 * switch compiled for a fixed n where possible, so the chain-rule loops unroll, and instructions
 * with a constant operand skip its zero derivatives. */
#include <stdlib.h>
#include <string.h>

#include "expr_internal.h"

#if defined(__GNUC__)
#define ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE static inline
#endif

enum { STACK_DOUBLES = 2048 };

static double eval_values(const gdlab_expr *e, const double *x, double *val)
{
    memcpy(val, x, e->dim * sizeof *val);
    memcpy(val + e->dim, e->consts, e->n_consts * sizeof *val);
    double *out = val + e->dim + e->n_consts;
    for (size_t k = 0; k < e->n_code; k++) {
        const expr_instr *in = &e->code[k];
        const double u = val[in->a];
        switch (in->op) {
        case OP_ADD: out[k] = u + val[in->b]; break;
        case OP_SUB: out[k] = u - val[in->b]; break;
        case OP_MUL: out[k] = u * val[in->b]; break;
        case OP_DIV: out[k] = u / val[in->b]; break;
        case OP_POW: out[k] = pow(u, val[in->b]); break;
        case OP_MIN: out[k] = val[in->b] < u || isnan(val[in->b]) ? val[in->b] : u; break;
        case OP_MAX: out[k] = val[in->b] > u || isnan(val[in->b]) ? val[in->b] : u; break;
        case OP_ADDC: out[k] = u + in->c; break;
        case OP_RSUBC: out[k] = in->c - u; break;
        case OP_MULC: out[k] = u * in->c; break;
        case OP_DIVC: out[k] = u / in->c; break;
        case OP_RDIVC: out[k] = in->c / u; break;
        default: out[k] = hd_fn_value((enum hd_fn)(in->op - OP_UNARY), u, in->c); break;
        }
    }
    return val[e->result];
}

/* One-argument function fn of the hyperdual rules, as a case of the switch below. */
#define FN_CASE(fn)                                                                                \
    case OP_UNARY + fn: {                                                                          \
        double g1, g2;                                                                             \
        val[w] = hd_fn_eval(fn, u, in->c, &g1, &g2);                                               \
        hd_chain(n, order, g1, g2, du, hu, dw, hw);                                                \
        break;                                                                                     \
    }

/* Value, gradient and (order 2) Hessian for n variables. mem holds slots·(1 + n + n²) + n doubles
 * for order 2, slots·(1 + n) + n for order 1 (the last n are scratch). grad must not be NULL. */
ALWAYS_INLINE double eval_derivatives(const gdlab_expr *e, const double *x, double *grad, double *hess,
                                      size_t n, int order, double *mem)
{
    const size_t slots = expr_slots(e), nn = n * n, base = e->dim + e->n_consts;
    double *val = mem, *d = val + slots, *h = order > 1 ? d + slots * n : NULL;
    double *scratch = order > 1 ? h + slots * nn : d + slots * n; /* hd_pow's n values */
    /* Variables: du = unit vector; constants: du = 0 (only if an instruction reads it); Hessians
     * of both vanish. Plain loops, not memset/memcpy: the library's wide stores would stall the
     * narrow loads that follow (no store-to-load forwarding), which costs more than the copy. */
    const size_t zeroed = e->reads_constants ? base : e->dim;
    for (size_t i = 0; i < zeroed; i++)
        for (size_t j = 0; j < n; j++) d[i * n + j] = i == j ? 1.0 : 0.0;
    for (size_t i = 0; order > 1 && i < zeroed * nn; i++) h[i] = 0.0;
    for (size_t i = 0; i < e->dim; i++) val[i] = x[i];
    for (size_t i = 0; i < e->n_consts; i++) val[e->dim + i] = e->consts[i];
    for (size_t k = 0; k < e->n_code; k++) {
        const expr_instr *in = &e->code[k];
        const size_t w = base + k, a = in->a, b = in->b;
        const double u = val[a], c = in->c;
        double *dw = d + w * n, *hw = order > 1 ? h + w * nn : NULL;
        const double *du = d + a * n, *hu = order > 1 ? h + a * nn : NULL;
        switch (in->op) {
        case OP_ADD:
        case OP_SUB: {
            const double s = in->op == OP_ADD ? 1.0 : -1.0;
            val[w] = u + s * val[b];
            hd_add(n, order, s, du, hu, d + b * n, order > 1 ? h + b * nn : NULL, dw, hw);
            break;
        }
        case OP_MUL:
            val[w] = u * val[b];
            hd_mul(n, order, u, du, hu, val[b], d + b * n, order > 1 ? h + b * nn : NULL, dw, hw);
            break;
        case OP_DIV:
            val[w] = u / val[b];
            hd_div(n, order, val[w], du, hu, val[b], d + b * n, order > 1 ? h + b * nn : NULL, dw, hw);
            break;
        case OP_POW:
            val[w] = pow(u, val[b]);
            hd_pow(n, order, val[w], u, du, hu, val[b], d + b * n, order > 1 ? h + b * nn : NULL, dw, hw,
                   scratch);
            break;
        case OP_MIN:
        case OP_MAX: {
            const double v = val[b];
            const int take_v = in->op == OP_MIN ? v < u || isnan(v) : v > u || isnan(v);
            const size_t src = take_v ? b : a;
            val[w] = val[src];
            hd_chain(n, order, 1.0, 0.0, d + src * n, order > 1 ? h + src * nn : NULL, dw, hw);
            break;
        }
        case OP_ADDC:
            val[w] = u + c;
            hd_chain(n, order, 1.0, 0.0, du, hu, dw, hw);
            break;
        case OP_RSUBC:
            val[w] = c - u;
            hd_chain(n, order, -1.0, 0.0, du, hu, dw, hw);
            break;
        case OP_MULC:
            val[w] = u * c;
            hd_chain(n, order, c, 0.0, du, hu, dw, hw);
            break;
        case OP_DIVC:
            val[w] = u / c;
            hd_chain(n, order, 1.0 / c, 0.0, du, hu, dw, hw);
            break;
        case OP_RDIVC: { /* c/u: g' = −(c/u)/u, g'' = −2g'/u */
            const double g1 = -(c / u) / u;
            val[w] = c / u;
            hd_chain(n, order, g1, -2.0 * g1 / u, du, hu, dw, hw);
            break;
        }
        FN_CASE(HD_NEG)
        FN_CASE(HD_SQR)
        FN_CASE(HD_POWI)
        FN_CASE(HD_POWC)
        FN_CASE(HD_SQRT)
        FN_CASE(HD_EXP)
        FN_CASE(HD_LOG)
        FN_CASE(HD_SIN)
        FN_CASE(HD_COS)
        FN_CASE(HD_TAN)
        FN_CASE(HD_TANH)
        FN_CASE(HD_ABS)
        default: val[w] = NAN; break;
        }
    }
    for (size_t i = 0; i < n; i++) grad[i] = d[e->result * n + i];
    for (size_t i = 0; order > 1 && i < nn; i++) hess[i] = h[e->result * nn + i];
    return val[e->result];
}

/* ---- the gradient of a function of one or two variables: the path runs take -------------- */
/* A slot's derivatives (up to two) and value. The derivatives come first so that the compiler
 * moves them as one 16-byte pair everywhere, initialisation included: a pair loaded from two
 * 8-byte stores would miss store-to-load forwarding and stall. */
typedef struct jet {
    double d[2], v;
} jet;

enum { FAST_SLOTS = 512 };

/* Like eval_derivatives at order 1, for n <= 2 and at most FAST_SLOTS slots, with one more trick:
 * the previous instruction's result, which is most often an argument of the next one, stays in
 * registers (prev) instead of making a round trip through memory on the critical path. */
ALWAYS_INLINE double eval_gradient_small(const gdlab_expr *e, const double *x, double *grad, size_t n)
{
    jet slot[FAST_SLOTS];
    const size_t base = e->dim + e->n_consts;
    static const jet unit[2] = {{{1.0, 0.0}, 0.0}, {{0.0, 1.0}, 0.0}};
    for (size_t i = 0; i < n; i++) slot[i] = unit[i], slot[i].v = x[i]; /* n == e->dim here */
    for (size_t i = 0; i < e->n_consts; i++) slot[e->dim + i] = (jet){{0.0, 0.0}, e->consts[i]};
    jet prev = {{0.0, 0.0}, 0.0};
    for (size_t k = 0; k < e->n_code; k++) {
        const expr_instr *in = &e->code[k];
        const jet A = in->from_prev & EXPR_A_PREV ? prev : slot[in->a];
        const double u = A.v, c = in->c;
        double g1 = 0.0, g2; /* one-operand steps: r = g(u), then dr = g'(u)·du below */
        jet r, B;
#define OPERAND_B() B = in->from_prev & EXPR_B_PREV ? prev : slot[in->b]
#define FN_GRADIENT(fn)                                                                            \
    case OP_UNARY + fn: r.v = hd_fn_eval(fn, u, c, &g1, &g2); break;
        /* one flat switch: every case is a single dispatch, the functions inline with constant fn */
        switch (in->op) {
        case OP_ADD: OPERAND_B(), r.v = u + B.v, hd_add(n, 1, 1.0, A.d, NULL, B.d, NULL, r.d, NULL); break;
        case OP_SUB: OPERAND_B(), r.v = u - B.v, hd_add(n, 1, -1.0, A.d, NULL, B.d, NULL, r.d, NULL); break;
        case OP_MUL: OPERAND_B(), r.v = u * B.v, hd_mul(n, 1, u, A.d, NULL, B.v, B.d, NULL, r.d, NULL); break;
        case OP_DIV: OPERAND_B(), r.v = u / B.v, hd_div(n, 1, r.v, A.d, NULL, B.v, B.d, NULL, r.d, NULL); break;
        case OP_POW: {
            double scratch[2];
            OPERAND_B(), r.v = pow(u, B.v);
            hd_pow(n, 1, r.v, u, A.d, NULL, B.v, B.d, NULL, r.d, NULL, scratch);
            break;
        }
        case OP_MIN: OPERAND_B(), r = B.v < u || isnan(B.v) ? B : A; break;
        case OP_MAX: OPERAND_B(), r = B.v > u || isnan(B.v) ? B : A; break;
        case OP_ADDC: r.v = u + c, g1 = 1.0; break;
        case OP_RSUBC: r.v = c - u, g1 = -1.0; break;
        case OP_MULC: r.v = u * c, g1 = c; break;
        case OP_DIVC: r.v = u / c, g1 = 1.0 / c; break;
        case OP_RDIVC: r.v = c / u, g1 = -(c / u) / u; break;
        FN_GRADIENT(HD_NEG)
        FN_GRADIENT(HD_SQR)
        FN_GRADIENT(HD_POWI)
        FN_GRADIENT(HD_POWC)
        FN_GRADIENT(HD_SQRT)
        FN_GRADIENT(HD_EXP)
        FN_GRADIENT(HD_LOG)
        FN_GRADIENT(HD_SIN)
        FN_GRADIENT(HD_COS)
        FN_GRADIENT(HD_TAN)
        FN_GRADIENT(HD_TANH)
        FN_GRADIENT(HD_ABS)
        default: r.v = NAN; break;
        }
#undef OPERAND_B
#undef FN_GRADIENT
        if (in->op >= OP_ADDC) hd_chain(n, 1, g1, 0.0, A.d, NULL, r.d, NULL);
        slot[base + k] = r;
        prev = r;
    }
    for (size_t i = 0; i < n; i++) grad[i] = slot[e->result].d[i];
    return slot[e->result].v;
}

static double eval_gradient_dim1(const gdlab_expr *e, const double *x, double *g)
{
    return eval_gradient_small(e, x, g, 1);
}
static double eval_gradient_dim2(const gdlab_expr *e, const double *x, double *g)
{
    return eval_gradient_small(e, x, g, 2);
}

/* ---- every other case ---------------------------------------------------------------------- */
static double eval_order1(const gdlab_expr *e, const double *x, double *g, double *mem)
{
    return eval_derivatives(e, x, g, NULL, e->dim, 1, mem);
}
static double eval_order2_dim1(const gdlab_expr *e, const double *x, double *g, double *h, double *mem)
{
    return eval_derivatives(e, x, g, h, 1, 2, mem);
}
static double eval_order2_dim2(const gdlab_expr *e, const double *x, double *g, double *h, double *mem)
{
    return eval_derivatives(e, x, g, h, 2, 2, mem);
}
static double eval_order2(const gdlab_expr *e, const double *x, double *g, double *h, double *mem)
{
    return eval_derivatives(e, x, g, h, e->dim, 2, mem);
}

double gdlab_expr_eval(const gdlab_expr *e, const double *x, double *grad, double *hess)
{
    const size_t n = e->dim, slots = expr_slots(e);
    const int order = hess ? 2 : grad ? 1 : 0;
    if (order == 1 && n <= 2 && slots <= FAST_SLOTS)
        return n == 1 ? eval_gradient_dim1(e, x, grad) : eval_gradient_dim2(e, x, grad);
    const size_t need = order == 0 ? slots : order == 1 ? slots * (1 + n) + n : slots * (1 + n + n * n) + n + n;
    double stack[STACK_DOUBLES], *mem = need <= STACK_DOUBLES ? stack : malloc(need * sizeof *mem);
    if (!mem) { /* a formula too long for the stack, and no memory left */
        for (size_t i = 0; grad && i < n; i++) grad[i] = NAN;
        for (size_t i = 0; hess && i < n * n; i++) hess[i] = NAN;
        return NAN;
    }
    double f;
    if (order == 0) {
        f = eval_values(e, x, mem);
    } else if (order == 1) {
        f = eval_order1(e, x, grad, mem);
    } else {
        double *g = grad ? grad : mem + need - n; /* the Hessian alone still needs a gradient */
        f = n == 1 ? eval_order2_dim1(e, x, g, hess, mem)
          : n == 2 ? eval_order2_dim2(e, x, g, hess, mem)
                   : eval_order2(e, x, g, hess, mem);
    }
    if (mem != stack) free(mem);
    return f;
}
