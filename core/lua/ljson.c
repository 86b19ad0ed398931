/* SPDX-License-Identifier: MIT */
/* ljson.c — JSON text (RFC 8259) to Lua values, for gd.load_result: objects become tables with string
 * keys, arrays tables with 1-based indices, strings with their escapes resolved (\\uXXXX to UTF-8), numbers
 * integers when written without '.' or exponent. null is NaN inside an array (gdlab writes non-finite
 * numbers as null, and its arrays are numeric) and is left out of an object. Errors name the file and
 * the line. Nesting deeper than 64 is refused rather than recursed into. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lgdlab.h"

typedef struct reader {
    lua_State *L;
    const char *what, *path, *p, *end, *start;
    const char *keep;        /* the top-level member whose text is wanted */
    lgdlab_json_span *kept;
} reader;

static int line_of(const reader *r)
{
    int line = 1;
    for (const char *q = r->start; q < r->p; q++) line += *q == '\n';
    return line;
}

static void fail(reader *r, const char *what)
{
    luaL_error(r->L, "%s: '%s' line %d: %s", r->what, r->path, line_of(r), what);
}

static void skip_space(reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t')) r->p++;
}

static int peek(reader *r)
{
    skip_space(r);
    return r->p < r->end ? (unsigned char)*r->p : -1;
}

static void expect(reader *r, char c, const char *what)
{
    if (peek(r) != c) fail(r, what);
    r->p++;
}

static void put_utf8(luaL_Buffer *b, unsigned long c)
{
    if (c < 0x80) {
        luaL_addchar(b, (char)c);
    } else if (c < 0x800) {
        luaL_addchar(b, (char)(0xC0 | c >> 6)), luaL_addchar(b, (char)(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        luaL_addchar(b, (char)(0xE0 | c >> 12)), luaL_addchar(b, (char)(0x80 | (c >> 6 & 0x3F)));
        luaL_addchar(b, (char)(0x80 | (c & 0x3F)));
    } else {
        luaL_addchar(b, (char)(0xF0 | c >> 18)), luaL_addchar(b, (char)(0x80 | (c >> 12 & 0x3F)));
        luaL_addchar(b, (char)(0x80 | (c >> 6 & 0x3F))), luaL_addchar(b, (char)(0x80 | (c & 0x3F)));
    }
}

static unsigned long hex4(reader *r)
{
    if (r->end - r->p < 4) fail(r, "a \\u escape needs four hex digits");
    char digits[5] = {r->p[0], r->p[1], r->p[2], r->p[3], 0}, *stop;
    unsigned long c = strtoul(digits, &stop, 16);
    if (*stop) fail(r, "a \\u escape needs four hex digits");
    r->p += 4;
    return c;
}

static void read_string(reader *r)
{
    expect(r, '"', "expected a string");
    luaL_Buffer b;
    luaL_buffinit(r->L, &b);
    for (;;) {
        if (r->p >= r->end) fail(r, "unterminated string");
        const char c = *r->p++;
        if (c == '"') break;
        if (c != '\\') {
            luaL_addchar(&b, c);
            continue;
        }
        if (r->p >= r->end) fail(r, "unterminated string");
        const char e = *r->p++;
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t", *at = strchr(from, e);
        if (e && at) {
            luaL_addchar(&b, to[at - from]);
        } else if (e == 'u') {
            unsigned long u = hex4(r);
            if (u >= 0xD800 && u < 0xDC00 && r->end - r->p >= 6 && r->p[0] == '\\' && r->p[1] == 'u') {
                r->p += 2;
                u = 0x10000 + ((u - 0xD800) << 10) + (hex4(r) - 0xDC00);
            }
            put_utf8(&b, u);
        } else {
            fail(r, "unknown escape in a string");
        }
    }
    luaL_pushresult(&b);
}

static void read_value(reader *r, int depth, int in_array);

static void read_array(reader *r, int depth)
{
    expect(r, '[', "expected '['");
    lua_newtable(r->L);
    if (peek(r) == ']') {
        r->p++;
        return;
    }
    for (lua_Integer i = 1;; i++) {
        read_value(r, depth + 1, 1);
        lua_rawseti(r->L, -2, i);
        if (peek(r) == ']') break;
        expect(r, ',', "expected ',' or ']' in an array");
    }
    r->p++;
}

static void read_object(reader *r, int depth)
{
    expect(r, '{', "expected '{'");
    lua_newtable(r->L);
    if (peek(r) == '}') {
        r->p++;
        return;
    }
    for (;;) {
        if (peek(r) != '"') fail(r, "expected a member name");
        read_string(r);
        expect(r, ':', "expected ':' after a member name");
        skip_space(r);
        const char *begin = r->p;
        read_value(r, depth + 1, 0);
        if (depth == 0 && r->keep && strcmp(lua_tostring(r->L, -2), r->keep) == 0)
            r->kept->text = begin, r->kept->len = (size_t)(r->p - begin);
        if (lua_isnil(r->L, -1))
            lua_pop(r->L, 2); /* null member: absent */
        else
            lua_rawset(r->L, -3);
        if (peek(r) == '}') break;
        expect(r, ',', "expected ',' or '}' in an object");
    }
    r->p++;
}

static void read_value(reader *r, int depth, int in_array)
{
    if (depth > 64) fail(r, "nested too deeply");
    luaL_checkstack(r->L, 4, "JSON nesting");
    const int c = peek(r);
    if (c == '{') return read_object(r, depth);
    if (c == '[') return read_array(r, depth);
    if (c == '"') return read_string(r);
    static const char *const words[] = {"true", "false", "null"};
    for (int i = 0; i < 3; i++) {
        const size_t n = strlen(words[i]);
        if ((size_t)(r->end - r->p) >= n && memcmp(r->p, words[i], n) == 0) {
            r->p += n;
            if (i < 2)
                lua_pushboolean(r->L, i == 0);
            else if (in_array)
                lua_pushnumber(r->L, NAN); /* gdlab writes non-finite numbers as null */
            else
                lua_pushnil(r->L);
            return;
        }
    }
    char *stop;
    const double v = strtod(r->p, &stop); /* the buffer ends in '\0', so strtod stops in it */
    if (stop == r->p || !(c == '-' || (c >= '0' && c <= '9'))) fail(r, "expected a value");
    if (v == floor(v) && fabs(v) < 9007199254740992.0 && !memchr(r->p, '.', (size_t)(stop - r->p)) &&
        !memchr(r->p, 'e', (size_t)(stop - r->p)))
        lua_pushinteger(r->L, (lua_Integer)v);
    else
        lua_pushnumber(r->L, v);
    r->p = stop;
}

void lgdlab_json_decode(lua_State *L, const char *what, const char *path, const char *text, size_t len,
                        const char *keep, lgdlab_json_span *kept)
{
    reader r = {.L = L, .what = what, .path = path, .p = text, .end = text + len, .start = text, .keep = keep, .kept = kept};
    read_value(&r, 0, 0);
    if (peek(&r) != -1) fail(&r, "text after the end of the JSON document");
}
