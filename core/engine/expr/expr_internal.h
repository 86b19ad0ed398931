/* SPDX-License-Identifier: MIT */
/* expr_internal.h — what the files of core/engine/expr share: tokens (lexer.c), the tape and how it is
 * built (emit.c), evaluated (eval.c), compiled to native code (native.c) and wrapped as a surface
 * (expr_surface.c). parse.c drives the lexer and the emitter in one pass: there is no syntax tree. */
#ifndef GDLAB_EXPR_INTERNAL_H
#define GDLAB_EXPR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "gdlab/expr.h"
#include "hyperdual.h"
#include "../loader.h"

/* ---- lexer.c ------------------------------------------------------------------------------- */
enum expr_token {
    TOK_END,
    TOK_NUMBER,
    TOK_NAME,
    TOK_PLUS,
    TOK_MINUS,
    TOK_STAR,
    TOK_SLASH,
    TOK_CARET,  /* ^ or ** */
    TOK_SQUARE, /* ² */
    TOK_CUBE,   /* ³ */
    TOK_LPAREN,
    TOK_RPAREN,
    TOK_COMMA,
    TOK_BAD /* a character outside the language, or a malformed number */
};

typedef struct expr_lexer {
    const char *src;
    size_t pos; /* byte offset of the next token to read */
    /* the current token */
    enum expr_token tok;
    size_t start, len; /* its bytes in src */
    double number;     /* TOK_NUMBER: its value */
    const char *bad;   /* TOK_BAD: why, e.g. "unexpected character" */
} expr_lexer;

void expr_lex_init(expr_lexer *lx, const char *src);
void expr_lex_next(expr_lexer *lx);
/* "column 7" or, in a formula of several lines, "line 2, column 7" (counting characters). */
void expr_position(const char *src, size_t offset, char *buf, size_t buflen);

/* ---- the tape ------------------------------------------------------------------------------ */
/* Slots: 0 .. dim-1 hold the variables, then the constants, then one result per instruction. */
enum expr_op {
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_POW, /* u^v with v not constant */
    OP_MIN,
    OP_MAX,
    /* One variable operand a and a constant c, made from the above by expr_emit_finish: they skip
     * the constant's (zero) derivatives, which is most of the cost of such a step. */
    OP_ADDC,  /* u + c (also u - c, as u + (-c)) */
    OP_RSUBC, /* c - u */
    OP_MULC,  /* u * c */
    OP_DIVC,  /* u / c */
    OP_RDIVC, /* c / u */
    OP_UNARY  /* OP_UNARY + hd_fn: one-argument functions; for POWI/POWC `c` is the exponent */
};

typedef struct expr_instr {
    uint16_t op;
    uint16_t from_prev; /* EXPR_A_PREV | EXPR_B_PREV: the argument is the previous instruction's result */
    uint32_t a, b;      /* argument slots (b unused by the ops with one operand) */
    double c;           /* the constant of OP_*C, and the exponent of HD_POWI/HD_POWC */
} expr_instr;
enum { EXPR_A_PREV = 1, EXPR_B_PREV = 2 };

struct gdlab_expr {
    size_t dim;
    char **vars;      /* dim names */
    size_t n_consts;
    double *consts;   /* values of slots dim .. dim + n_consts - 1 */
    size_t n_code;
    expr_instr *code; /* instruction k writes slot dim + n_consts + k */
    uint32_t result;  /* the slot holding f */
    int reads_constants; /* some instruction reads a constant's (zero) derivatives */
};

static inline size_t expr_slots(const gdlab_expr *e)
{
    return e->dim + e->n_consts + e->n_code;
}

/* ---- emit.c -------------------------------------------------------------------------------- */
/* While parsing, a value is a reference to a variable, a constant or an instruction's result;
 * slot numbers are assigned once the counts are known (expr_emit_finish). */
enum expr_ref_kind { REF_VAR, REF_CONST, REF_CODE };
typedef struct expr_ref {
    uint32_t kind, index;
} expr_ref;

typedef struct expr_emitter {
    double *consts;
    size_t n_consts, cap_consts;
    struct emit_instr {
        uint32_t op;
        expr_ref a, b;
        double c;
    } *code;
    size_t n_code, cap_code;
    int out_of_memory;
} expr_emitter;

/* Each returns the reference to the result, folding constants and simple identities (x + 0,
 * x * 1, x ^ 1, x ^ 2 -> SQR ...) and reusing an identical earlier instruction. On allocation
 * failure they set out_of_memory and return a constant. */
expr_ref expr_emit_const(expr_emitter *em, double value);
expr_ref expr_emit_unary(expr_emitter *em, enum hd_fn fn, expr_ref a);
expr_ref expr_emit_binary(expr_emitter *em, enum expr_op op, expr_ref a, expr_ref b);
/* Move the tape into e (dim already set); returns 0, or -1 when out of memory. */
int expr_emit_finish(expr_emitter *em, expr_ref result, gdlab_expr *e);
void expr_emit_free(expr_emitter *em);

/* ---- native.c ------------------------------------------------------------------------------ */
/* f and its gradient (grad may be NULL) as native code: the same numbers as the tape. */
typedef double (*expr_native_fn)(const double *x, double *grad);

typedef struct expr_native {
    expr_native_fn fn;           /* NULL: evaluate the tape */
    gdlab_code code;             /* the loaded object (core/engine/loader.h) */
    unsigned char sha256[32];    /* of the object's bytes, as loaded */
    char info[640];              /* "native: PATH (compiled in 41 ms)", "tape: REASON", ... */
} expr_native;

/* Generate, compile (or find in the cache), load and check native code for e; the check compares
 * it with the tape at n_points points (dim values each). Never fails: on any problem nat->fn is
 * NULL and nat->info says why. Not part of the fuzzed sources (tests/fuzz/). */
void expr_native_build(expr_native *nat, const gdlab_expr *e, const double *points, size_t n_points);
void expr_native_release(expr_native *nat);

#endif
