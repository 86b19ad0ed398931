/* eval.c — runs the tape: values only, or values with exact gradients (and Hessians) carried
 * forward through every instruction by the rules of hyperdual.h.
 *
 * The working memory (one value, n derivatives and n² second derivatives per slot) lives on the
 * stack for ordinary formulas, so evaluation allocates nothing and is safe from many threads.
 * Speed matters because a formula should cost little more than a hand-written plugin: the
 * derivative loop is one flat switch, compiled separately for n = 1 and n = 2 where every
 * chain-rule loop unrolls, and instructions with a constant operand skip its zero derivatives. */
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
    /* variables: du = unit vector; constants: du = 0; Hessians of both vanish */
    memset(d, 0, base * n * sizeof *d);
    if (order > 1) memset(h, 0, base * nn * sizeof *h);
    for (size_t i = 0; i < e->dim; i++) val[i] = x[i], d[i * n + i] = 1.0;
    memcpy(val + e->dim, e->consts, e->n_consts * sizeof *val);
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
            memcpy(dw, d + src * n, n * sizeof *dw);
            if (order > 1) memcpy(hw, h + src * nn, nn * sizeof *hw);
            break;
        }
        case OP_ADDC:
            val[w] = u + c;
            memcpy(dw, du, n * sizeof *dw);
            if (order > 1) memcpy(hw, hu, nn * sizeof *hw);
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
    memcpy(grad, d + e->result * n, n * sizeof *grad);
    if (order > 1) memcpy(hess, h + e->result * nn, nn * sizeof *hess);
    return val[e->result];
}

static double eval_order1_dim1(const gdlab_expr *e, const double *x, double *g, double *mem)
{
    return eval_derivatives(e, x, g, NULL, 1, 1, mem);
}
static double eval_order1_dim2(const gdlab_expr *e, const double *x, double *g, double *mem)
{
    return eval_derivatives(e, x, g, NULL, 2, 1, mem);
}
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
        f = n == 1 ? eval_order1_dim1(e, x, grad, mem)
          : n == 2 ? eval_order1_dim2(e, x, grad, mem)
                   : eval_order1(e, x, grad, mem);
    } else {
        double *g = grad ? grad : mem + need - n; /* the Hessian alone still needs a gradient */
        f = n == 1 ? eval_order2_dim1(e, x, g, hess, mem)
          : n == 2 ? eval_order2_dim2(e, x, g, hess, mem)
                   : eval_order2(e, x, g, hess, mem);
    }
    if (mem != stack) free(mem);
    return f;
}
