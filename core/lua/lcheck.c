/* SPDX-License-Identifier: MIT */
/* lcheck.c — the checked readers of lcheck.h: one per kind of value, so that every binding rejects
 * the same bad values with the same kind of message. */
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lcheck.h"

/* %.14g: enough digits to tell 2.5 from 2 and 1e12 from 1e9, short enough to read. */
static void format_number(double v, char *buf, size_t cap)
{
    if (isnan(v)) snprintf(buf, cap, "nan");
    else if (isinf(v)) snprintf(buf, cap, v > 0 ? "inf" : "-inf");
    else snprintf(buf, cap, "%.14g", v);
}

const char *lcheck_number_text(double v, char *buf, size_t cap)
{
    format_number(v, buf, cap);
    for (int digits = 15; digits <= 17 && isfinite(v) && strtod(buf, NULL) != v; digits++)
        snprintf(buf, cap, "%.*g", digits, v);
    return buf;
}

const char *lcheck_describe(lua_State *L, int idx, char *buf, size_t cap)
{
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) snprintf(buf, cap, "%lld", (long long)lua_tointeger(L, idx));
        else format_number(lua_tonumber(L, idx), buf, cap);
        break;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        snprintf(buf, cap, "the string \"%.40s%s\"", s, len > 40 ? "..." : "");
        break;
    }
    case LUA_TNONE: snprintf(buf, cap, "no value"); break;
    case LUA_TNIL: snprintf(buf, cap, "nil"); break;
    default: snprintf(buf, cap, "a %s", luaL_typename(L, idx)); /* no __name, no __tostring */
    }
    return buf;
}

int lcheck_error(lua_State *L, const char *fmt, ...)
{
    luaL_checkstack(L, 4, "error message");
    lua_Debug ar;
    lua_pushliteral(L, "");
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline > 0) {
            lua_pop(L, 1);
            lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
            break;
        }
    }
    va_list args;
    va_start(args, fmt);
    lua_pushvfstring(L, fmt, args);
    va_end(args);
    lua_concat(L, 2);
    return lua_error(L);
}

/* ---- integers and counts ------------------------------------------------------------------------ */

lua_Integer lcheck_integer(lua_State *L, int idx, const char *what, const char *name, lua_Integer lo,
                           lua_Integer hi)
{
    int ok;
    lua_Integer v = lua_tointegerx(L, idx, &ok); /* a float with an exact integer value counts */
    if (ok && v >= lo && v <= hi) return v;
    char got[80];
    lcheck_describe(L, idx, got, sizeof got);
    return luaL_error(L, "%s: '%s' must be a whole number from %I to %I, got %s", what, name, lo, hi, got);
}

lua_Integer lcheck_opt_integer(lua_State *L, int t, const char *key, lua_Integer def, lua_Integer lo,
                               lua_Integer hi, const char *what)
{
    luaL_checkstack(L, 2, what);
    lua_Integer v = def;
    if (lua_getfield(L, t, key) != LUA_TNIL) v = lcheck_integer(L, -1, what, key, lo, hi);
    lua_pop(L, 1);
    return v;
}

size_t lcheck_opt_count(lua_State *L, int t, const char *key, size_t def, size_t lo, size_t hi,
                        const char *what)
{
    const lua_Integer top = hi > (size_t)INT64_MAX ? INT64_MAX : (lua_Integer)hi;
    return (size_t)lcheck_opt_integer(L, t, key, (lua_Integer)def, (lua_Integer)lo, top, what);
}

/* ---- numbers ------------------------------------------------------------------------------------ */

double lcheck_number(lua_State *L, int idx, const char *what, const char *name, double lo, double hi)
{
    int ok;
    const double v = lua_tonumberx(L, idx, &ok);
    if (ok && v >= lo && v <= hi) return v; /* false for NaN */
    char got[80], a[32], b[32];
    lcheck_describe(L, idx, got, sizeof got);
    format_number(lo, a, sizeof a);
    format_number(hi, b, sizeof b);
    if (isinf(lo) && isinf(hi))
        return luaL_error(L, "%s: '%s' must be a number (not nan), got %s", what, name, got);
    if (lo == -DBL_MAX && hi == DBL_MAX)
        return luaL_error(L, "%s: '%s' must be a finite number, got %s", what, name, got);
    return luaL_error(L, "%s: '%s' must be a number in [%s, %s], got %s", what, name, a, b, got);
}

double lcheck_opt_number(lua_State *L, int t, const char *key, double def, double lo, double hi,
                         const char *what)
{
    luaL_checkstack(L, 2, what);
    double v = def;
    if (lua_getfield(L, t, key) != LUA_TNIL) v = lcheck_number(L, -1, what, key, lo, hi);
    lua_pop(L, 1);
    return v;
}

/* ---- options ------------------------------------------------------------------------------------ */

int lcheck_option(lua_State *L, int idx, const char *what, const char *name, const char *def,
                  const char *const *list)
{
    const char *s = def;
    if (!lua_isnoneornil(L, idx)) s = lua_type(L, idx) == LUA_TSTRING ? lua_tostring(L, idx) : NULL;
    for (int i = 0; s && list[i]; i++)
        if (strcmp(list[i], s) == 0) return i;
    luaL_checkstack(L, 4, what);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 0; list[i]; i++) {
        if (i) luaL_addstring(&b, ", ");
        luaL_addchar(&b, '"');
        luaL_addstring(&b, list[i]);
        luaL_addchar(&b, '"');
    }
    luaL_pushresult(&b);
    char got[80];
    lcheck_describe(L, idx, got, sizeof got);
    return luaL_error(L, "%s: '%s' must be one of %s, got %s", what, name, lua_tostring(L, -1), got);
}

/* ---- arrays ------------------------------------------------------------------------------------- */

int lcheck_is_array(lua_State *L, int idx)
{
    if (lua_type(L, idx) == LUA_TTABLE) return 1;
    if (luaL_getmetafield(L, idx, "__len") == LUA_TNIL) return 0;
    lua_pop(L, 1);
    return 1;
}

size_t lcheck_length(lua_State *L, int idx, const char *what, const char *name, size_t min, size_t max)
{
    idx = lua_absindex(L, idx);
    luaL_checkstack(L, 3, what);
    if (!lcheck_is_array(L, idx)) {
        char got[80];
        return (size_t)luaL_error(L, "%s: '%s' must be an array (a table), got %s", what, name,
                                  lcheck_describe(L, idx, got, sizeof got));
    }
    lua_len(L, idx); /* may call __len, which may raise: fine, nothing is held yet */
    int ok;
    const lua_Integer n = lua_tointegerx(L, -1, &ok);
    if (!ok) {
        char got[80];
        return (size_t)luaL_error(L, "%s: the length of '%s' must be a whole number, its __len gave %s",
                                  what, name, lcheck_describe(L, -1, got, sizeof got));
    }
    lua_pop(L, 1);
    if ((n < 0 || (uint64_t)n != min) && min == max)
        return (size_t)luaL_error(L, "%s: '%s' must have %I element%s, got %I", what, name, (lua_Integer)min,
                                  min == 1 ? "" : "s", n);
    if (n < 0 || (uint64_t)n < min || (uint64_t)n > max)
        return (size_t)luaL_error(L, "%s: '%s' has %I elements; %I to %I allowed", what, name, n,
                                  (lua_Integer)min, (lua_Integer)max);
    return (size_t)n;
}

void *lcheck_buffer(lua_State *L, size_t n, size_t size, const char *what)
{
    if (size && n > (SIZE_MAX / 2) / size) /* also keeps the size below Lua's own limits */
        luaL_error(L, "%s: %I elements of %I bytes do not fit in memory", what, (lua_Integer)n,
                   (lua_Integer)size);
    luaL_checkstack(L, 1, what);
    return lua_newuserdatauv(L, (n ? n : 1) * size, 0); /* raises "not enough memory" on failure */
}

double *lcheck_numbers(lua_State *L, int idx, const char *what, const char *name, size_t min,
                       size_t max, int flags, size_t *n)
{
    idx = lua_absindex(L, idx);
    const size_t len = lcheck_length(L, idx, what, name, min, max);
    double *v = lcheck_buffer(L, len, sizeof *v, what);
    luaL_checkstack(L, 2, what);
    for (size_t i = 0; i < len; i++) {
        lua_geti(L, idx, (lua_Integer)i + 1);
        int ok;
        v[i] = lua_tonumberx(L, -1, &ok);
        if (!ok && (flags & LCHECK_MISSING)) v[i] = NAN, ok = 1;
        if (!ok || ((flags & LCHECK_FINITE) && !isfinite(v[i]))) {
            char got[80];
            luaL_error(L, "%s: %s[%I] must be a %snumber, got %s", what, name, (lua_Integer)i + 1,
                       (flags & LCHECK_FINITE) ? "finite " : "", lcheck_describe(L, -1, got, sizeof got));
        }
        lua_pop(L, 1);
    }
    *n = len;
    return v;
}
