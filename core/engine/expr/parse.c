/* SPDX-License-Identifier: MIT */
/* parse.c — gdlab_expr_compile: a recursive-descent parser that emits the tape as it reads.
 *
 *   sum     = term { ('+' | '-') term }
 *   term    = unary { ('*' | '/') unary }
 *   unary   = ('-' | '+') unary | power
 *   power   = postfix [ ('^' | '**') unary ]        right-associative, binds tighter than unary -
 *   postfix = primary { '²' | '³' }
 *   primary = number | name | function '(' sum { ',' sum } ')' | '(' sum ')'
 *
 * The first error stops the parse; its message names the position and what was expected. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr_internal.h"

/* Limits that keep compilation fast and the parser's recursion shallow whatever the input; the
 * emitter's search for a repeated instruction is linear, so compiling is quadratic in length. */
enum { MAX_DEPTH = 200, MAX_DIM = 100, MAX_SOURCE = 65536 };

static const struct function {
    const char *name;
    int min_args, max_args;
    int fn;  /* enum hd_fn, for one-argument functions */
    int op;  /* enum expr_op, for the others */
} functions[] = {
    {"sqrt", 1, 1, HD_SQRT, 0}, {"exp", 1, 1, HD_EXP, 0},   {"log", 1, 1, HD_LOG, 0},
    {"sin", 1, 1, HD_SIN, 0},   {"cos", 1, 1, HD_COS, 0},   {"tan", 1, 1, HD_TAN, 0},
    {"tanh", 1, 1, HD_TANH, 0}, {"abs", 1, 1, HD_ABS, 0},   {"min", 2, 64, 0, OP_MIN},
    {"max", 2, 64, 0, OP_MAX},  {"pow", 2, 2, 0, OP_POW},
};

static const struct constant {
    const char *name;
    double value;
} constants[] = {{"pi", M_PI}, {"\xcf\x80", M_PI}, {"e", M_E}};

typedef struct parser {
    expr_lexer lx;
    expr_emitter em;
    const char *const *vars;
    size_t dim;
    const gdlab_expr_param *params;
    size_t n_params;
    int depth;
    int failed;
    char *err;
    size_t errlen;
} parser;

/* Record the first error, prefixed with its position. */
static void fail(parser *p, size_t offset, const char *fmt, ...)
{
    if (p->failed) return;
    p->failed = 1;
    if (!p->err || !p->errlen) return;
    char where[64];
    expr_position(p->lx.src, offset, where, sizeof where);
    int n = snprintf(p->err, p->errlen, "%s: ", where);
    if (n < 0 || (size_t)n >= p->errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

/* The current token as a message shows it: 'x', '2.5', the end of the formula. */
static void describe_token(const expr_lexer *lx, char *buf, size_t buflen)
{
    const unsigned char first = (unsigned char)lx->src[lx->start];
    if (lx->tok == TOK_END) snprintf(buf, buflen, "the end of the formula");
    else if (first < 0x20 || first == 0x7f || (first >= 0x80 && lx->len == 1))
        snprintf(buf, buflen, "byte 0x%02x", first);
    else snprintf(buf, buflen, "'%.*s'", (int)(lx->len < 40 ? lx->len : 40), lx->src + lx->start);
}

/* "expected X, found Y" at the current token; a token the lexer rejected explains itself. */
static void fail_expected(parser *p, const char *what)
{
    char found[64];
    describe_token(&p->lx, found, sizeof found);
    if (p->lx.tok == TOK_BAD) fail(p, p->lx.start, "%s %s", p->lx.bad, found);
    else fail(p, p->lx.start, "expected %s, found %s", what, found);
}

static int token_is(const expr_lexer *lx, const char *name)
{
    return lx->tok == TOK_NAME && strlen(name) == lx->len && strncmp(lx->src + lx->start, name, lx->len) == 0;
}

static const struct function *find_function(const expr_lexer *lx)
{
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        if (token_is(lx, functions[i].name)) return &functions[i];
    return NULL;
}

/* "unknown name 'z'; known names: x, y, a, pi, e; functions: sqrt, exp, ..." */
static void fail_unknown_name(parser *p)
{
    char list[1024];
    size_t n = 0;
    list[0] = '\0';
#define APPEND(...) \
    if (n < sizeof list) n += (size_t)snprintf(list + n, sizeof list - n, __VA_ARGS__)
    for (size_t i = 0; i < p->dim; i++) APPEND("%s%s", n ? ", " : "", p->vars[i]);
    for (size_t i = 0; i < p->n_params; i++) APPEND("%s%s", n ? ", " : "", p->params[i].name);
    APPEND("%spi, e; functions:", n ? ", " : "");
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        APPEND("%s %s", i ? "," : "", functions[i].name);
#undef APPEND
    fail(p, p->lx.start, "unknown name '%.*s'; known names: %s", (int)(p->lx.len < 40 ? p->lx.len : 40),
         p->lx.src + p->lx.start, list);
}

static expr_ref parse_sum(parser *p);
static expr_ref parse_unary(parser *p);

static expr_ref nothing(parser *p)
{
    return expr_emit_const(&p->em, 0.0);
}

/* function '(' sum { ',' sum } ')', the name being the current token. */
static expr_ref parse_call(parser *p, const struct function *f)
{
    const size_t at = p->lx.start;
    expr_lex_next(&p->lx);
    if (p->lx.tok != TOK_LPAREN) {
        fail(p, p->lx.start, "expected '(' after the function name '%s'", f->name);
        return nothing(p);
    }
    expr_lex_next(&p->lx);
    expr_ref acc = parse_sum(p), second = acc;
    int count = 1;
    while (!p->failed && p->lx.tok == TOK_COMMA) {
        expr_lex_next(&p->lx);
        second = parse_sum(p);
        count++;
        if (!p->failed && (f->op == OP_MIN || f->op == OP_MAX)) /* fold: min(a, b, c) = min(min(a, b), c) */
            acc = expr_emit_binary(&p->em, (enum expr_op)f->op, acc, second);
    }
    if (p->failed) return acc;
    if (p->lx.tok != TOK_RPAREN) {
        char what[64];
        snprintf(what, sizeof what, "')' after the arguments of %s", f->name);
        fail_expected(p, what);
        return acc;
    }
    expr_lex_next(&p->lx);
    if (count < f->min_args || count > f->max_args) {
        if (f->min_args == f->max_args)
            fail(p, at, "%s takes %d argument%s, got %d", f->name, f->min_args, f->min_args == 1 ? "" : "s", count);
        else fail(p, at, "%s takes at least %d arguments, got %d", f->name, f->min_args, count);
        return acc;
    }
    if (f->min_args == 1) return expr_emit_unary(&p->em, (enum hd_fn)f->fn, acc);
    if (f->op == OP_POW) return expr_emit_binary(&p->em, OP_POW, acc, second);
    return acc;
}

/* A name that is not a function: a variable, a parameter or a constant. */
static expr_ref parse_name(parser *p)
{
    expr_ref r;
    int found = 0;
    for (size_t i = 0; i < p->dim && !found; i++)
        if (token_is(&p->lx, p->vars[i])) r = (expr_ref){REF_VAR, (uint32_t)i}, found = 1;
    for (size_t i = 0; i < p->n_params && !found; i++)
        if (token_is(&p->lx, p->params[i].name)) r = expr_emit_const(&p->em, p->params[i].value), found = 1;
    for (size_t i = 0; i < sizeof constants / sizeof constants[0] && !found; i++)
        if (token_is(&p->lx, constants[i].name)) r = expr_emit_const(&p->em, constants[i].value), found = 1;
    if (!found) {
        fail_unknown_name(p);
        return nothing(p);
    }
    const size_t at = p->lx.start, len = p->lx.len;
    expr_lex_next(&p->lx);
    if (p->lx.tok == TOK_LPAREN)
        fail(p, at, "'%.*s' is not a function (a product needs '*', as in %.*s*(...))", (int)len,
             p->lx.src + at, (int)len, p->lx.src + at);
    return r;
}

static expr_ref parse_primary(parser *p)
{
    switch (p->lx.tok) {
    case TOK_NUMBER: {
        const expr_ref r = expr_emit_const(&p->em, p->lx.number);
        expr_lex_next(&p->lx);
        return r;
    }
    case TOK_LPAREN: {
        const size_t open = p->lx.start;
        expr_lex_next(&p->lx);
        const expr_ref r = parse_sum(p);
        if (p->failed) return r;
        if (p->lx.tok != TOK_RPAREN) {
            char what[96], where[48];
            expr_position(p->lx.src, open, where, sizeof where);
            snprintf(what, sizeof what, "')' to close the '(' at %s", where);
            fail_expected(p, what);
            return r;
        }
        expr_lex_next(&p->lx);
        return r;
    }
    case TOK_NAME: {
        const struct function *f = find_function(&p->lx);
        return f ? parse_call(p, f) : parse_name(p);
    }
    default: fail_expected(p, "a number, a name or '('"); return nothing(p);
    }
}

static expr_ref parse_postfix(parser *p)
{
    expr_ref r = parse_primary(p);
    while (!p->failed && (p->lx.tok == TOK_SQUARE || p->lx.tok == TOK_CUBE)) {
        const double k = p->lx.tok == TOK_SQUARE ? 2.0 : 3.0;
        r = expr_emit_binary(&p->em, OP_POW, r, expr_emit_const(&p->em, k));
        expr_lex_next(&p->lx);
    }
    return r;
}

static expr_ref parse_power(parser *p)
{
    const expr_ref base = parse_postfix(p);
    if (p->failed || p->lx.tok != TOK_CARET) return base;
    expr_lex_next(&p->lx);
    const expr_ref exponent = parse_unary(p);
    return p->failed ? base : expr_emit_binary(&p->em, OP_POW, base, exponent);
}

static expr_ref parse_unary(parser *p)
{
    if (++p->depth > MAX_DEPTH) {
        fail(p, p->lx.start, "the formula nests too deeply (more than %d levels)", MAX_DEPTH);
        return nothing(p);
    }
    expr_ref r;
    if (p->lx.tok == TOK_MINUS || p->lx.tok == TOK_PLUS) {
        const int minus = p->lx.tok == TOK_MINUS;
        expr_lex_next(&p->lx);
        r = parse_unary(p);
        if (minus && !p->failed) r = expr_emit_unary(&p->em, HD_NEG, r);
    } else {
        r = parse_power(p);
    }
    p->depth--;
    return r;
}

static expr_ref parse_term(parser *p)
{
    expr_ref r = parse_unary(p);
    while (!p->failed && (p->lx.tok == TOK_STAR || p->lx.tok == TOK_SLASH)) {
        const enum expr_op op = p->lx.tok == TOK_STAR ? OP_MUL : OP_DIV;
        expr_lex_next(&p->lx);
        const expr_ref rhs = parse_unary(p);
        if (!p->failed) r = expr_emit_binary(&p->em, op, r, rhs);
    }
    return r;
}

static expr_ref parse_sum(parser *p)
{
    expr_ref r = parse_term(p);
    while (!p->failed && (p->lx.tok == TOK_PLUS || p->lx.tok == TOK_MINUS)) {
        const enum expr_op op = p->lx.tok == TOK_PLUS ? OP_ADD : OP_SUB;
        expr_lex_next(&p->lx);
        const expr_ref rhs = parse_term(p);
        if (!p->failed) r = expr_emit_binary(&p->em, op, r, rhs);
    }
    return r;
}

/* ---- names --------------------------------------------------------------------------------- */
static int is_identifier(const char *s)
{
    if (!s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_')) return 0;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

static int is_reserved(const char *s)
{
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        if (strcmp(s, functions[i].name) == 0) return 1;
    for (size_t i = 0; i < sizeof constants / sizeof constants[0]; i++)
        if (strcmp(s, constants[i].name) == 0) return 1;
    return 0;
}

static int is_param(const gdlab_expr_param *params, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(params[i].name) == len && strncmp(params[i].name, s, len) == 0) return 1;
    return 0;
}

/* Automatic variable names: x1 .. xn when the formula uses such a name (or n_vars > 2), else
 * x and y. Returns the dimension (above MAX_DIM when a name asks for too many variables). */
static size_t automatic_dim(const char *src, size_t n_vars, const gdlab_expr_param *params, size_t n_params,
                            int *numbered)
{
    expr_lexer lx;
    size_t highest = 0;
    int uses_y = 0;
    for (expr_lex_init(&lx, src); lx.tok != TOK_END && lx.tok != TOK_BAD; expr_lex_next(&lx)) {
        const char *s = lx.src + lx.start;
        if (lx.tok != TOK_NAME || is_param(params, n_params, s, lx.len)) continue;
        if (lx.len == 1 && s[0] == 'y') uses_y = 1;
        if (lx.len < 2 || s[0] != 'x' || s[1] < '1' || s[1] > '9') continue;
        size_t k = 0, i = 1;
        for (; i < lx.len && s[i] >= '0' && s[i] <= '9' && k <= MAX_DIM; i++) k = 10 * k + (size_t)(s[i] - '0');
        if (i == lx.len) highest = k > highest ? k : highest;
    }
    *numbered = highest > 0 || n_vars > 2;
    if (n_vars) return n_vars;
    return *numbered ? highest : uses_y ? 2 : 1;
}

static int check_names(const char *const *vars, size_t n_vars, const gdlab_expr_param *params, size_t n_params,
                       char *err, size_t errlen)
{
    for (size_t i = 0; i < n_vars + n_params; i++) {
        const char *kind = i < n_vars ? "variable" : "parameter";
        const char *name = i < n_vars ? vars[i] : params[i - n_vars].name;
        if (!is_identifier(name)) {
            snprintf(err, errlen, "%s name '%s' is not a name (letters, digits and _, not starting with a digit)",
                     kind, name ? name : "(null)");
            return -1;
        }
        if (is_reserved(name)) {
            snprintf(err, errlen, "%s name '%s' is taken by a function or constant", kind, name);
            return -1;
        }
        for (size_t j = 0; j < i; j++) {
            const char *other = j < n_vars ? vars[j] : params[j - n_vars].name;
            if (strcmp(name, other) == 0) {
                snprintf(err, errlen, "%s name '%s' is %s", kind, name,
                         j < n_vars && i >= n_vars ? "also a variable" : "given twice");
                return -1;
            }
        }
    }
    return 0;
}

void gdlab_expr_free(gdlab_expr *e)
{
    if (!e) return;
    for (size_t i = 0; e->vars && i < e->dim; i++) free(e->vars[i]);
    free(e->vars);
    free(e->consts);
    free(e->code);
    free(e);
}

/* e->dim and e->vars: the given names, or the automatic ones. */
static int set_variables(gdlab_expr *e, const char *source, const char *const *vars, size_t n_vars,
                         const gdlab_expr_param *params, size_t n_params, char *err, size_t errlen)
{
    int numbered = 0;
    e->dim = vars ? n_vars : automatic_dim(source, n_vars, params, n_params, &numbered);
    if (e->dim == 0 || e->dim > MAX_DIM) {
        snprintf(err, errlen, "a formula has 1 to %d variables, not %s", MAX_DIM, e->dim ? "more" : "none");
        return -1;
    }
    e->vars = calloc(e->dim, sizeof *e->vars);
    if (!e->vars) goto oom;
    for (size_t i = 0; i < e->dim; i++) {
        char automatic[24];
        if (numbered) snprintf(automatic, sizeof automatic, "x%zu", i + 1);
        else snprintf(automatic, sizeof automatic, "%s", i == 0 ? "x" : "y");
        e->vars[i] = strdup(vars ? vars[i] : automatic);
        if (!e->vars[i]) goto oom;
    }
    return check_names((const char *const *)e->vars, e->dim, params, n_params, err, errlen);
oom:
    snprintf(err, errlen, "out of memory compiling the formula");
    return -1;
}

gdlab_expr *gdlab_expr_compile(const char *source, const char *const *vars, size_t n_vars,
                               const gdlab_expr_param *params, size_t n_params, char *err, size_t errlen)
{
    char dummy[1];
    if (!err || !errlen) err = dummy, errlen = sizeof dummy;
    if (!source) {
        snprintf(err, errlen, "no formula given");
        return NULL;
    }
    if (strlen(source) > MAX_SOURCE) {
        snprintf(err, errlen, "the formula is longer than %d characters", MAX_SOURCE);
        return NULL;
    }
    if (vars) /* explicit names are checked before they are copied */
        for (size_t i = 0; i < n_vars; i++)
            if (!is_identifier(vars[i])) {
                snprintf(err, errlen, "variable name '%s' is not a name (letters, digits and _, not starting "
                                      "with a digit)", vars[i] ? vars[i] : "(null)");
                return NULL;
            }
    gdlab_expr *e = calloc(1, sizeof *e);
    if (!e) {
        snprintf(err, errlen, "out of memory compiling the formula");
        return NULL;
    }
    if (set_variables(e, source, vars, n_vars, params, n_params, err, errlen)) {
        gdlab_expr_free(e);
        return NULL;
    }
    parser p = {.vars = (const char *const *)e->vars, .dim = e->dim, .params = params, .n_params = n_params,
                .err = err, .errlen = errlen};
    expr_lex_init(&p.lx, source);
    const expr_ref result = parse_sum(&p);
    if (!p.failed && p.lx.tok != TOK_END) {
        if (p.lx.tok == TOK_NAME || p.lx.tok == TOK_NUMBER || p.lx.tok == TOK_LPAREN)
            fail_expected(&p, "an operator or the end of the formula (a product needs '*')");
        else fail_expected(&p, "an operator or the end of the formula");
    }
    if (!p.failed && expr_emit_finish(&p.em, result, e)) {
        snprintf(err, errlen, "out of memory compiling the formula");
        p.failed = 1;
    }
    expr_emit_free(&p.em);
    if (p.failed) {
        gdlab_expr_free(e);
        return NULL;
    }
    return e;
}

size_t gdlab_expr_dim(const gdlab_expr *e)
{
    return e->dim;
}

const char *gdlab_expr_var(const gdlab_expr *e, size_t i)
{
    return i < e->dim ? e->vars[i] : NULL;
}

size_t gdlab_expr_length(const gdlab_expr *e)
{
    return e->n_code;
}
