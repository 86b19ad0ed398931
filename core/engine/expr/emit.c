/* SPDX-License-Identifier: MIT */
/* emit.c — builds the instruction tape while the parser reads the formula.
 * Three small optimisations keep tapes short, which is what makes them fast: constant folding
 * (parameters are constants too), identities such as x·1 = x and x^2 = sqr(x), and reuse of an
 * identical earlier instruction, so a subexpression written twice is computed once. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "expr_internal.h"

static int grow(void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return 0;
    size_t cap2 = *cap ? 2 * *cap : 16;
    void *p = realloc(*items, cap2 * size);
    if (!p) return -1;
    *items = p, *cap = cap2;
    return 0;
}

static int same_ref(expr_ref a, expr_ref b)
{
    return a.kind == b.kind && a.index == b.index;
}

static int constant_of(const expr_emitter *em, expr_ref r, double *value)
{
    if (r.kind != REF_CONST || r.index >= em->n_consts) return 0; /* past the end: out of memory */
    *value = em->consts[r.index];
    return 1;
}

static int is_constant(const expr_emitter *em, expr_ref r, double value)
{
    double v;
    return constant_of(em, r, &v) && v == value;
}

expr_ref expr_emit_const(expr_emitter *em, double value)
{
    for (size_t i = 0; i < em->n_consts; i++) /* bitwise, so 0 and -0 (and NaNs) stay apart */
        if (memcmp(&em->consts[i], &value, sizeof value) == 0) return (expr_ref){REF_CONST, (uint32_t)i};
    if (grow((void **)&em->consts, &em->cap_consts, em->n_consts + 1, sizeof *em->consts)) {
        em->out_of_memory = 1;
        return (expr_ref){REF_CONST, 0};
    }
    em->consts[em->n_consts] = value;
    return (expr_ref){REF_CONST, (uint32_t)em->n_consts++};
}

/* Append an instruction, or find the identical one already on the tape. */
static expr_ref emit(expr_emitter *em, uint32_t op, expr_ref a, expr_ref b, double c)
{
    for (size_t k = 0; k < em->n_code; k++) {
        const struct emit_instr *in = &em->code[k];
        if (in->op == op && same_ref(in->a, a) && same_ref(in->b, b) && in->c == c)
            return (expr_ref){REF_CODE, (uint32_t)k};
    }
    if (grow((void **)&em->code, &em->cap_code, em->n_code + 1, sizeof *em->code)) {
        em->out_of_memory = 1;
        return expr_emit_const(em, NAN);
    }
    em->code[em->n_code] = (struct emit_instr){op, a, b, c};
    return (expr_ref){REF_CODE, (uint32_t)em->n_code++};
}

static expr_ref emit_fn(expr_emitter *em, enum hd_fn fn, expr_ref a, double c)
{
    double v;
    if (constant_of(em, a, &v)) return expr_emit_const(em, hd_fn_value(fn, v, c));
    /* -(-u) = u */
    if (fn == HD_NEG && a.kind == REF_CODE && em->code[a.index].op == OP_UNARY + HD_NEG)
        return em->code[a.index].a;
    return emit(em, OP_UNARY + fn, a, (expr_ref){REF_CONST, 0}, c);
}

expr_ref expr_emit_unary(expr_emitter *em, enum hd_fn fn, expr_ref a)
{
    return emit_fn(em, fn, a, 0.0);
}

/* u^c for a constant c. */
static expr_ref emit_power(expr_emitter *em, expr_ref a, double c)
{
    if (c == 0.0) return expr_emit_const(em, 1.0); /* pow(u, 0) = 1 for every u, NaN included */
    if (c == 1.0) return a;
    if (c == 2.0) return emit_fn(em, HD_SQR, a, 0.0);
    if (c == 0.5) return emit_fn(em, HD_SQRT, a, 0.0);
    if (c == floor(c) && c >= 3.0 && c <= 64.0) return emit_fn(em, HD_POWI, a, c);
    return emit_fn(em, HD_POWC, a, c);
}

static double fold(enum expr_op op, double u, double v)
{
    switch (op) {
    case OP_ADD: return u + v;
    case OP_SUB: return u - v;
    case OP_MUL: return u * v;
    case OP_DIV: return u / v;
    case OP_POW: return pow(u, v);
    case OP_MIN: return v < u || isnan(v) ? v : u;
    case OP_MAX: return v > u || isnan(v) ? v : u;
    default: return NAN;
    }
}

expr_ref expr_emit_binary(expr_emitter *em, enum expr_op op, expr_ref a, expr_ref b)
{
    double u = 0.0, v = 0.0;
    const int a_const = constant_of(em, a, &u), b_const = constant_of(em, b, &v);
    if (a_const && b_const) return expr_emit_const(em, fold(op, u, v));
    switch (op) {
    case OP_ADD:
        if (is_constant(em, a, 0.0)) return b;
        if (is_constant(em, b, 0.0)) return a;
        break;
    case OP_SUB:
        if (is_constant(em, b, 0.0)) return a;
        if (is_constant(em, a, 0.0)) return emit_fn(em, HD_NEG, b, 0.0);
        break;
    case OP_MUL:
        if (is_constant(em, a, 1.0)) return b;
        if (is_constant(em, b, 1.0)) return a;
        if (is_constant(em, a, -1.0)) return emit_fn(em, HD_NEG, b, 0.0);
        if (is_constant(em, b, -1.0)) return emit_fn(em, HD_NEG, a, 0.0);
        break;
    case OP_DIV:
        if (is_constant(em, b, 1.0)) return a;
        break;
    case OP_POW:
        if (b_const) return emit_power(em, a, v);
        break;
    default: break;
    }
    /* a canonical order for commutative operations lets u*v and v*u share one instruction */
    if ((op == OP_ADD || op == OP_MUL) && (a.kind > b.kind || (a.kind == b.kind && a.index > b.index))) {
        const expr_ref t = a;
        a = b, b = t;
    }
    return emit(em, op, a, b, 0.0);
}

/* Drop instructions the result does not depend on (left behind by -(-u) = u), renumbering the
 * others. Instructions only refer to earlier ones, so one backward pass finds the live ones. */
static int drop_dead_code(expr_emitter *em, expr_ref *result)
{
    uint32_t *renumber = malloc((em->n_code ? em->n_code : 1) * sizeof *renumber);
    if (!renumber) return -1;
    for (size_t k = 0; k < em->n_code; k++) renumber[k] = 0;
    if (result->kind == REF_CODE) renumber[result->index] = 1;
    for (size_t k = em->n_code; k-- > 0;) {
        const struct emit_instr *in = &em->code[k];
        if (!renumber[k]) continue;
        if (in->a.kind == REF_CODE) renumber[in->a.index] = 1;
        if (in->op < OP_UNARY && in->b.kind == REF_CODE) renumber[in->b.index] = 1;
    }
    size_t live = 0;
    for (size_t k = 0; k < em->n_code; k++) {
        if (!renumber[k]) continue;
        struct emit_instr in = em->code[k];
        if (in.a.kind == REF_CODE) in.a.index = renumber[in.a.index];
        if (in.op < OP_UNARY && in.b.kind == REF_CODE) in.b.index = renumber[in.b.index];
        em->code[live] = in;
        renumber[k] = (uint32_t)live++;
    }
    if (result->kind == REF_CODE) result->index = renumber[result->index];
    em->n_code = live;
    free(renumber);
    return 0;
}

int expr_emit_finish(expr_emitter *em, expr_ref result, gdlab_expr *e)
{
    if (em->out_of_memory || drop_dead_code(em, &result)) return -1;
    const uint32_t base[3] = {0, (uint32_t)e->dim, (uint32_t)(e->dim + em->n_consts)};
    e->n_consts = em->n_consts;
    e->n_code = em->n_code;
    e->consts = malloc((em->n_consts ? em->n_consts : 1) * sizeof *e->consts);
    e->code = malloc((em->n_code ? em->n_code : 1) * sizeof *e->code);
    if (!e->consts || !e->code) return -1;
    if (em->n_consts) memcpy(e->consts, em->consts, em->n_consts * sizeof *e->consts);
    for (size_t k = 0; k < em->n_code; k++) {
        const struct emit_instr *in = &em->code[k];
        expr_instr *out = &e->code[k];
        *out = (expr_instr){(uint16_t)in->op, 0, base[in->a.kind] + in->a.index, base[in->b.kind] + in->b.index, in->c};
        double c;
        if (in->op < OP_UNARY && constant_of(em, in->b, &c)) { /* u op c */
            static const uint16_t with_constant[] = {[OP_ADD] = OP_ADDC, [OP_SUB] = OP_ADDC, [OP_MUL] = OP_MULC,
                                                     [OP_DIV] = OP_DIVC};
            if (in->op <= OP_DIV) *out = (expr_instr){with_constant[in->op], 0, out->a, 0, in->op == OP_SUB ? -c : c};
        } else if (in->op < OP_UNARY && constant_of(em, in->a, &c)) { /* c op u */
            static const uint16_t with_constant[] = {[OP_ADD] = OP_ADDC, [OP_SUB] = OP_RSUBC, [OP_MUL] = OP_MULC,
                                                     [OP_DIV] = OP_RDIVC};
            if (in->op <= OP_DIV) *out = (expr_instr){with_constant[in->op], 0, out->b, 0, c};
        }
        if (out->op < OP_ADDC) /* still reads two slots */
            e->reads_constants |= in->a.kind == REF_CONST || in->b.kind == REF_CONST;
        const uint32_t prev = (uint32_t)(base[REF_CODE] + k - 1);
        if (k > 0 && out->a == prev) out->from_prev |= EXPR_A_PREV;
        if (k > 0 && out->op < OP_ADDC && out->b == prev) out->from_prev |= EXPR_B_PREV;
    }
    e->reads_constants |= result.kind == REF_CONST;
    e->result = base[result.kind] + result.index;
    return 0;
}

void expr_emit_free(expr_emitter *em)
{
    free(em->consts);
    free(em->code);
    *em = (expr_emitter){0};
}
