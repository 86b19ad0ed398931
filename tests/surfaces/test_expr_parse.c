/* SPDX-License-Identifier: MIT */
/* The formula language: what formulas mean (precedence, constants, names, dimensions), what the
 * compiler makes of them (folding, shared subexpressions), and the exact error texts users see. */
#include <stdlib.h>

#include "check.h"
#include "gdlab/expr.h"

static char err[GDLAB_ERRLEN];

static double value_at(const char *source, double x, double y)
{
    const gdlab_expr_param params[] = {{"a", 1.5}, {"b", 100.0}};
    gdlab_expr *e = gdlab_expr_compile(source, NULL, 0, params, 2, err, sizeof err);
    if (!e) {
        fprintf(stderr, "'%s' failed: %s\n", source, err);
        CHECK(e != NULL);
        return NAN;
    }
    const double point[2] = {x, y};
    const double f = gdlab_expr_eval(e, point, NULL, NULL);
    gdlab_expr_free(e);
    return f;
}

/* The error text for a formula that must not compile. */
static const char *error_of(const char *source)
{
    const gdlab_expr_param params[] = {{"a", 1.0}};
    gdlab_expr *e = gdlab_expr_compile(source, NULL, 0, params, 1, err, sizeof err);
    CHECK(e == NULL);
    gdlab_expr_free(e);
    return err;
}

#define CHECK_ERROR(source, text)                                                                  \
    do {                                                                                           \
        const char *got_ = error_of(source);                                                       \
        if (strcmp(got_, text) != 0)                                                               \
            fprintf(stderr, "%s:%d: error for '%s':\n  got  %s\n  want %s\n", __FILE__, __LINE__,  \
                    source, got_, text);                                                           \
        CHECK(strcmp(got_, text) == 0);                                                            \
    } while (0)

static void formulas_mean_what_mathematics_says(void)
{
    CHECK(value_at("1 + 2*3", 0, 0) == 7.0);
    CHECK(value_at("-2^2", 0, 0) == -4.0);      /* ^ binds tighter than unary minus */
    CHECK(value_at("2^3^2", 0, 0) == 512.0);    /* and is right-associative */
    CHECK(value_at("2^-1", 0, 0) == 0.5);
    CHECK(value_at("2**10", 0, 0) == 1024.0);
    CHECK(value_at("12/4/3", 0, 0) == 1.0);     /* / is left-associative */
    CHECK(value_at("8 - 2 - 1", 0, 0) == 5.0);
    CHECK(value_at("(1 + 2)*3", 0, 0) == 9.0);
    CHECK(value_at("--x", 3, 0) == 3.0);
    CHECK(value_at("1e-3*1000 + .5 + 2.", 0, 0) == 3.5);
    CHECK(value_at("pi", 0, 0) == M_PI);
    CHECK(value_at("e", 0, 0) == M_E);
    CHECK(value_at("sqrt(16) + exp(0) + log(e) + abs(-2)", 0, 0) == 8.0);
    CHECK_CLOSE(value_at("sin(pi/6) + cos(pi/3) + tan(pi/4) + tanh(0)", 0, 0), 2.0, 1e-15);
    CHECK(value_at("min(3, 1, 2) + max(4, 7) + pow(2, 5)", 0, 0) == 40.0);
    CHECK(value_at("(a - x)^2 + b*(y - x^2)^2", 0.5, 1.0) == 1.0 + 100.0 * 0.75 * 0.75);
    /* the symbols of gdlab's own descriptions, so formulas copied from them work */
    CHECK(value_at("(a \xe2\x88\x92 x)\xc2\xb2 + 2\xc2\xb7y\xc2\xb3 + \xcf\x80", 0.5, 2.0) == 1.0 + 16.0 + M_PI);
    CHECK(isnan(value_at("log(x)", -1, 0))); /* domain errors are NaN, not failures */
    CHECK(isnan(value_at("sqrt(x)", -1, 0)));
}

static void variables_are_named_and_counted(void)
{
    gdlab_expr *e = gdlab_expr_compile("x^2", NULL, 0, NULL, 0, err, sizeof err);
    CHECK(e && gdlab_expr_dim(e) == 1 && strcmp(gdlab_expr_var(e, 0), "x") == 0);
    gdlab_expr_free(e);
    e = gdlab_expr_compile("x + y", NULL, 0, NULL, 0, err, sizeof err);
    CHECK(e && gdlab_expr_dim(e) == 2 && strcmp(gdlab_expr_var(e, 1), "y") == 0);
    gdlab_expr_free(e);
    e = gdlab_expr_compile("x^2", NULL, 2, NULL, 0, err, sizeof err); /* a 2-D surface not using y */
    CHECK(e && gdlab_expr_dim(e) == 2);
    gdlab_expr_free(e);
    e = gdlab_expr_compile("x1 + 2*x3", NULL, 0, NULL, 0, err, sizeof err);
    CHECK(e && gdlab_expr_dim(e) == 3 && strcmp(gdlab_expr_var(e, 2), "x3") == 0);
    if (e) CHECK(gdlab_expr_eval(e, (const double[]){1.0, 100.0, 2.0}, NULL, NULL) == 5.0);
    gdlab_expr_free(e);
    const char *const uv[] = {"u", "v"};
    e = gdlab_expr_compile("u*v - v", uv, 2, NULL, 0, err, sizeof err);
    CHECK(e && gdlab_expr_dim(e) == 2);
    if (e) CHECK(gdlab_expr_eval(e, (const double[]){3.0, 2.0}, NULL, NULL) == 4.0);
    gdlab_expr_free(e);
}

/* Constants and parameters fold away; a subexpression written twice is computed once. */
static void the_compiler_keeps_tapes_short(void)
{
    static const struct {
        const char *source;
        size_t length;
    } cases[] = {
        {"2*3 + x", 1},                   /* 6 + x */
        {"sin(pi/2)*x", 0},               /* 1*x is x */
        {"x^1 + 0", 0},
        {"(x + y)^2 + (x + y)^2", 3},     /* x + y, its square, the sum */
        {"x*y + y*x", 2},                 /* products commute */
        {"(a - x)^2 + b*(y - x^2)^2", 7}, /* Rosenbrock */
        {"-(-x)", 0},
    };
    const gdlab_expr_param params[] = {{"a", 1.0}, {"b", 100.0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gdlab_expr *e = gdlab_expr_compile(cases[i].source, NULL, 0, params, 2, err, sizeof err);
        CHECK(e != NULL);
        if (!e) continue;
        if (gdlab_expr_length(e) != cases[i].length)
            fprintf(stderr, "'%s': %zu instructions, want %zu\n", cases[i].source, gdlab_expr_length(e),
                    cases[i].length);
        CHECK(gdlab_expr_length(e) == cases[i].length);
        gdlab_expr_free(e);
    }
}

static void errors_say_where_and_what_was_expected(void)
{
    CHECK_ERROR("(x + 1", "column 7: expected ')' to close the '(' at column 1, found the end of the formula");
    CHECK_ERROR("max(x, y", "column 9: expected ')' after the arguments of max, found the end of the formula");
    CHECK_ERROR("sin(x y)", "column 7: expected ')' after the arguments of sin, found 'y'");
    CHECK_ERROR("x +", "column 4: expected a number, a name or '(', found the end of the formula");
    CHECK_ERROR("", "column 1: expected a number, a name or '(', found the end of the formula");
    CHECK_ERROR("x * ) + 1", "column 5: expected a number, a name or '(', found ')'");
    CHECK_ERROR("2x", "column 2: expected an operator or the end of the formula (a product needs '*'), found 'x'");
    CHECK_ERROR("(x + 1) 2", "column 9: expected an operator or the end of the formula (a product needs '*'), "
                             "found '2'");
    CHECK_ERROR("x, 2", "column 2: expected an operator or the end of the formula, found ','");
    CHECK_ERROR("sin x", "column 5: expected '(' after the function name 'sin'");
    CHECK_ERROR("log(x, 2)", "column 1: log takes 1 argument, got 2");
    CHECK_ERROR("1 + pow(x)", "column 5: pow takes 2 arguments, got 1");
    CHECK_ERROR("min(x)", "column 1: min takes at least 2 arguments, got 1");
    CHECK_ERROR("x(2)", "column 1: 'x' is not a function (a product needs '*', as in x*(...))");
    CHECK_ERROR("x $ 2", "column 3: unexpected character '$'");
    CHECK_ERROR("x + 1e+", "column 5: expected digits in the exponent of the number '1e+'");
    CHECK_ERROR("x + 1e999", "column 5: number too large '1e999'");
    CHECK_ERROR("x + \x01", "column 5: unexpected character byte 0x01");
    /* columns count characters, not bytes: − and ² are two bytes each in UTF-8 */
    CHECK_ERROR("(a \xe2\x88\x92 x)\xc2\xb2 + zz", "column 12: unknown name 'zz'; known names: x, a, pi, e; "
                                                   "functions: sqrt, exp, log, sin, cos, tan, tanh, abs, min, "
                                                   "max, pow");
    CHECK_ERROR("x +\n  * 2", "line 2, column 3: expected a number, a name or '(', found '*'");
    /* automatic names are either x, y or x1 .. xn: one numbered name switches to the latter */
    CHECK_ERROR("x^2 + y + x3", "column 1: unknown name 'x'; known names: x1, x2, x3, a, pi, e; functions: sqrt, "
                                "exp, log, sin, cos, tan, tanh, abs, min, max, pow");
    CHECK_ERROR("x1 + y", "column 6: unknown name 'y'; known names: x1, a, pi, e; functions: sqrt, exp, log, "
                          "sin, cos, tan, tanh, abs, min, max, pow");
    CHECK_ERROR("x1 + x101", "a formula has 1 to 100 variables, not more");

    /* nesting is bounded, so no formula can overflow the parser's stack */
    char deep[1024];
    size_t n = 0;
    for (int i = 0; i < 300; i++) deep[n++] = '(';
    deep[n++] = 'x';
    for (int i = 0; i < 300; i++) deep[n++] = ')';
    deep[n] = '\0';
    CHECK_STR_CONTAINS(error_of(deep), "the formula nests too deeply (more than 200 levels)");
}

static void bad_names_are_refused(void)
{
    const char *const bad_var[] = {"2u"};
    CHECK(!gdlab_expr_compile("u", bad_var, 1, NULL, 0, err, sizeof err));
    CHECK_STR_CONTAINS(err, "variable name '2u' is not a name");
    const gdlab_expr_param sin_param[] = {{"sin", 1.0}};
    CHECK(!gdlab_expr_compile("x", NULL, 0, sin_param, 1, err, sizeof err));
    CHECK_STR_CONTAINS(err, "parameter name 'sin' is taken by a function or constant");
    const gdlab_expr_param x_param[] = {{"y", 1.0}};
    CHECK(!gdlab_expr_compile("x + y", NULL, 2, x_param, 1, err, sizeof err));
    CHECK_STR_CONTAINS(err, "parameter name 'y' is also a variable");
    const gdlab_expr_param twice[] = {{"k", 1.0}, {"k", 2.0}};
    CHECK(!gdlab_expr_compile("x", NULL, 0, twice, 2, err, sizeof err));
    CHECK_STR_CONTAINS(err, "parameter name 'k' is given twice");
    CHECK(!gdlab_expr_compile(NULL, NULL, 0, NULL, 0, err, sizeof err));
    CHECK_STR_CONTAINS(err, "no formula given");
    char *huge = malloc(70000);
    if (!huge) return;
    memset(huge, 'x', 69999);
    huge[69999] = '\0';
    CHECK(!gdlab_expr_compile(huge, NULL, 0, NULL, 0, err, sizeof err));
    CHECK_STR_CONTAINS(err, "the formula is longer than 65536 characters");
    free(huge);
}

int main(void)
{
    formulas_mean_what_mathematics_says();
    variables_are_named_and_counted();
    the_compiler_keeps_tapes_short();
    errors_say_where_and_what_was_expected();
    bad_names_are_refused();
    return CHECK_RESULT();
}
