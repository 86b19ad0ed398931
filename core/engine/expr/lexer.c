/* SPDX-License-Identifier: MIT */
/* lexer.c — splits a formula into tokens, and turns byte offsets into the positions users see.
 * Besides ASCII it reads the symbols gdlab's own surface descriptions use, so formulas written
 * like them parse: − (minus sign), · and × (times), ² and ³ (powers), π. */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr_internal.h"

void expr_lex_init(expr_lexer *lx, const char *src)
{
    *lx = (expr_lexer){.src = src};
    expr_lex_next(lx);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* strtod follows LC_NUMERIC, which a host program may have changed: if it stops short, retry
 * with '.' replaced by the locale's decimal point (as Lua's own number reader does). */
static double parse_decimal(const char *s, size_t len, int *ok)
{
    char buf[128];
    if (len >= sizeof buf) {
        *ok = 0;
        return 0.0;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    double v = strtod(buf, &end);
    if (end != buf + len) {
        char *dot = strchr(buf, '.');
        if (dot) *dot = localeconv()->decimal_point[0];
        v = strtod(buf, &end);
    }
    *ok = end == buf + len;
    return v;
}

/* A number: digits with an optional fraction and exponent, or a fraction alone (.5). */
static void lex_number(expr_lexer *lx)
{
    const char *s = lx->src + lx->start;
    size_t i = 0;
    while (is_digit(s[i])) i++;
    if (s[i] == '.') {
        i++;
        while (is_digit(s[i])) i++;
    }
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1;
        if (s[j] == '+' || s[j] == '-') j++;
        if (!is_digit(s[j])) {
            lx->tok = TOK_BAD, lx->len = j, lx->bad = "expected digits in the exponent of the number";
            return;
        }
        while (is_digit(s[j])) j++;
        i = j;
    }
    int ok;
    lx->len = i;
    lx->number = parse_decimal(s, i, &ok);
    if (!ok) lx->tok = TOK_BAD, lx->bad = i >= 128 ? "number too long" : "malformed number";
    else if (isinf(lx->number)) lx->tok = TOK_BAD, lx->bad = "number too large";
    else lx->tok = TOK_NUMBER;
}

/* The non-ASCII symbols that are understood, as UTF-8. */
static const struct {
    const char *utf8;
    enum expr_token tok;
} symbols[] = {
    {"\xe2\x88\x92", TOK_MINUS}, /* − U+2212 */
    {"\xc2\xb7", TOK_STAR},      /* · U+00B7 */
    {"\xc3\x97", TOK_STAR},      /* × U+00D7 */
    {"\xc2\xb2", TOK_SQUARE},    /* ² U+00B2 */
    {"\xc2\xb3", TOK_CUBE},      /* ³ U+00B3 */
    {"\xcf\x80", TOK_NAME},      /* π U+03C0, read as the name "π" */
};

void expr_lex_next(expr_lexer *lx)
{
    const char *s = lx->src;
    size_t p = lx->pos;
    while (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r') p++;
    lx->start = p, lx->len = 1, lx->bad = NULL;
    const char c = s[p];
    switch (c) {
    case '\0': lx->tok = TOK_END, lx->len = 0; break;
    case '+': lx->tok = TOK_PLUS; break;
    case '-': lx->tok = TOK_MINUS; break;
    case '*':
        if (s[p + 1] == '*') lx->tok = TOK_CARET, lx->len = 2;
        else lx->tok = TOK_STAR;
        break;
    case '/': lx->tok = TOK_SLASH; break;
    case '^': lx->tok = TOK_CARET; break;
    case '(': lx->tok = TOK_LPAREN; break;
    case ')': lx->tok = TOK_RPAREN; break;
    case ',': lx->tok = TOK_COMMA; break;
    default:
        if (is_digit(c) || (c == '.' && is_digit(s[p + 1]))) {
            lex_number(lx);
        } else if (is_name_start(c)) {
            size_t i = p + 1;
            while (is_name_start(s[i]) || is_digit(s[i])) i++;
            lx->tok = TOK_NAME, lx->len = i - p;
        } else {
            lx->tok = TOK_BAD, lx->bad = "unexpected character";
            /* the whole UTF-8 sequence, so the message can quote it */
            if ((unsigned char)c >= 0xc0)
                while ((s[p + lx->len] & 0xc0) == 0x80) lx->len++;
            for (size_t k = 0; k < sizeof symbols / sizeof symbols[0]; k++)
                if (strncmp(s + p, symbols[k].utf8, strlen(symbols[k].utf8)) == 0) {
                    lx->tok = symbols[k].tok, lx->len = strlen(symbols[k].utf8), lx->bad = NULL;
                    break;
                }
        }
    }
    lx->pos = p + lx->len;
}

void expr_position(const char *src, size_t offset, char *buf, size_t buflen)
{
    size_t line = 1, column = 1;
    for (size_t i = 0; i < offset && src[i]; i++) {
        if (src[i] == '\n') line++, column = 1;
        else if ((src[i] & 0xc0) != 0x80) column++; /* count characters, not UTF-8 bytes */
    }
    if (line > 1) snprintf(buf, buflen, "line %zu, column %zu", line, column);
    else snprintf(buf, buflen, "column %zu", column);
}
