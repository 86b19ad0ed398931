/* SPDX-License-Identifier: MIT */
/* lsurface.c — surfaces in Lua: gd.surface(name, params) and the surface userdata's methods.
 * Formula and Lua-function surfaces (gd.surface{...}) are made in lsurface_expr.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lgdlab.h"

lgdlab_surface *lgdlab_check_surface(lua_State *L, int idx)
{
    lgdlab_surface *s = luaL_checkudata(L, idx, LGDLAB_SURFACE_MT);
    luaL_argcheck(L, s->s != NULL, idx, "the surface is closed");
    return s;
}

lgdlab_surface *lgdlab_surface_arg(lua_State *L, int idx, const char *what)
{
    idx = lua_absindex(L, idx); /* the guard goes on top */
    lgdlab_surface *s = luaL_testudata(L, idx, LGDLAB_SURFACE_MT);
    char got[80];
    if (!s) luaL_error(L, "%s: expected a surface (gd.surface), got %s", what, lcheck_describe(L, idx, got, sizeof got));
    if (!s->s) luaL_error(L, "%s: the surface '%s' is closed", what, s->name);
    return s;
}

lgdlab_surface *lgdlab_use_surface(lua_State *L, int idx, const char *what)
{
    lgdlab_surface *s = luaL_testudata(L, idx, LGDLAB_SURFACE_MT);
    if (s) lgdlab_hold(L, idx, &s->uses); /* first: see lgdlab_hold */
    return lgdlab_surface_arg(L, idx, what);
}

void lgdlab_check_not_evaluating(lua_State *L, const lgdlab_surface *s, const char *what)
{
    if (s->evaluating && *s->evaluating > 0)
        luaL_error(L, "%s: surface '%s' is being evaluated: %s was called from inside its own f, and a "
                   "surface cannot run on itself (use another surface, or compute outside f)", what, s->name, what);
}

lgdlab_surface *lgdlab_new_surface(lua_State *L, const char *name)
{
    luaL_checkstack(L, 3, "gd.surface");
    lgdlab_surface *u = lua_newuserdatauv(L, sizeof *u, 1);
    u->s = NULL, u->name = "?", u->uses = 0, u->evaluating = NULL;
    luaL_setmetatable(L, LGDLAB_SURFACE_MT);
    /* Keep the name alive as the user value (host-made surfaces pass a Lua-owned string). */
    lua_pushstring(L, name);
    u->name = lua_tostring(L, -1);
    lua_setiuservalue(L, -2, 1);
    return u;
}

/* gd.surface(name [, params]) or gd.surface{expr = ... | f = ...} */
static int l_surface(lua_State *L)
{
    if (lua_istable(L, 1)) return lgdlab_surface_from_table(L, 1);
    const char *name = luaL_checkstring(L, 1);
    lua_settop(L, 2); /* the scratch userdata below must not land where params are read */
    gdlab_registry *reg = lgdlab_registry(L);
    const gdlab_surface_desc *d = gdlab_registry_find_surface(reg, name);
    char err[GDLAB_ERRLEN * 4];
    if (!d) {
        gdlab_registry_unknown(reg, GDLAB_KIND_SURFACE, name, err, sizeof err);
        return luaL_error(L, "%s", err);
    }
    const gdlab_header *h = &d->h;
    double *values = lcheck_buffer(L, h->n_params, sizeof(double), "gd.surface");
    gdlab_params_defaults(h, values);
    lgdlab_read_params(L, 2, h, values);
    lgdlab_surface *u = lgdlab_new_surface(L, h->name); /* closed until the surface exists */
    u->s = gdlab_surface_new(d, values, err, sizeof err);
    if (!u->s) return luaL_error(L, "%s", err);
    return 1;
}

/* Reads a point from the arguments idx..last: either dim numbers or one table of dim numbers. */
static void check_point(lua_State *L, int idx, int last, size_t dim, double *x, const char *what)
{
    const int given = last - idx + 1;
    if (given == 1 && lcheck_is_array(L, idx)) {
        size_t n;
        const double *v = lcheck_numbers(L, idx, what, "point", dim, dim, LCHECK_ANY, &n);
        memcpy(x, v, dim * sizeof *x);
        lua_pop(L, 1);
        return;
    }
    if (given != (int)dim)
        luaL_error(L, "%s: the surface is %d-D: give %d coordinates or one table of them, got %d argument%s",
                   what, (int)dim, (int)dim, given, given == 1 ? "" : "s");
    char name[32];
    for (size_t i = 0; i < dim; i++) {
        snprintf(name, sizeof name, "x[%d]", (int)i + 1);
        x[i] = lcheck_number(L, idx + (int)i, what, name, -HUGE_VAL, HUGE_VAL);
    }
}

static void push_vector(lua_State *L, const double *v, size_t n)
{
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushnumber(L, v[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* Scratch for n doubles, owned by the Lua stack so errors leak nothing. */
static double *scratch(lua_State *L, size_t n)
{
    return lcheck_buffer(L, n, sizeof(double), "surface");
}

/* s:value(x, y) or s(x, y) */
static int surface_value(lua_State *L)
{
    const int last = lua_gettop(L);
    const gdlab_surface *s = lgdlab_use_surface(L, 1, "s:value")->s;
    size_t dim = gdlab_surface_dim(s);
    double *x = scratch(L, dim);
    check_point(L, 2, last, dim, x, "s:value");
    double f = gdlab_surface_eval(s, x, NULL);
    lgdlab_raise_surface_error(L);
    lua_pushnumber(L, f);
    return 1;
}

/* s:gradient(x, y) -> {gx, gy}, f */
static int surface_gradient(lua_State *L)
{
    const int last = lua_gettop(L);
    const gdlab_surface *s = lgdlab_use_surface(L, 1, "s:gradient")->s;
    size_t dim = gdlab_surface_dim(s);
    double *x = scratch(L, 2 * dim);
    check_point(L, 2, last, dim, x, "s:gradient");
    double f = gdlab_surface_eval(s, x, x + dim);
    lgdlab_raise_surface_error(L);
    push_vector(L, x + dim, dim);
    lua_pushnumber(L, f);
    return 2;
}

/* s:hessian(x, y) -> row-major {h11, h12, ...} or nil when the surface has none */
static int surface_hessian(lua_State *L)
{
    const int last = lua_gettop(L);
    const gdlab_surface *s = lgdlab_use_surface(L, 1, "s:hessian")->s;
    size_t dim = gdlab_surface_dim(s);
    double *x = scratch(L, dim + dim * dim);
    check_point(L, 2, last, dim, x, "s:hessian");
    if (gdlab_surface_hessian(s, x, x + dim)) {
        luaL_pushfail(L);
        return 1;
    }
    lgdlab_raise_surface_error(L);
    push_vector(L, x + dim, dim * dim);
    return 1;
}

/* s:domain() -> {lo = {...}, hi = {...}} */
static int surface_domain(lua_State *L)
{
    const gdlab_surface *s = lgdlab_use_surface(L, 1, "s:domain")->s;
    size_t dim = gdlab_surface_dim(s);
    double *box = scratch(L, 2 * dim);
    gdlab_surface_domain(s, box, box + dim);
    lua_createtable(L, 0, 2);
    push_vector(L, box, dim);
    lua_setfield(L, -2, "lo");
    push_vector(L, box + dim, dim);
    lua_setfield(L, -2, "hi");
    return 1;
}

/* s:start() -> {...} */
static int surface_start(lua_State *L)
{
    const gdlab_surface *s = lgdlab_use_surface(L, 1, "s:start")->s;
    size_t dim = gdlab_surface_dim(s);
    double *x = scratch(L, dim);
    gdlab_surface_start(s, x);
    push_vector(L, x, dim);
    return 1;
}

/* s:landmarks() -> {{kind = "global_min", x = {...}, value = f}, ...} */
static int surface_landmarks(lua_State *L)
{
    static const char *const kinds[] = {"", "global_min", "local_min", "saddle", "max"};
    const gdlab_surface *s = lgdlab_use_surface(L, 1, "s:landmarks")->s;
    size_t dim = gdlab_surface_dim(s);
    double *x = scratch(L, dim);
    lua_newtable(L);
    for (size_t i = 0;; i++) {
        int kind = gdlab_surface_landmark(s, i, x);
        if (kind <= GDLAB_LANDMARK_END || kind > GDLAB_LANDMARK_MAX) break;
        lua_createtable(L, 0, 3);
        lua_pushstring(L, kinds[kind]);
        lua_setfield(L, -2, "kind");
        push_vector(L, x, dim);
        lua_setfield(L, -2, "x");
        lua_pushnumber(L, gdlab_surface_eval(s, x, NULL));
        lgdlab_raise_surface_error(L);
        lua_setfield(L, -2, "value");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* __gc and __close: frees the surface once; refused while a call still uses it (lhold.c), and while
 * its own f or grad runs: not every evaluation happens under a hold (a new surface's minima are
 * evaluated while gd.surface makes it), and f freeing the state it runs
 * on would leave the evaluation to finish on freed memory (issue #8, lua_fuzz seed 1034). */
static int surface_gc(lua_State *L)
{
    lgdlab_surface *s = luaL_checkudata(L, 1, LGDLAB_SURFACE_MT);
    if (s->uses > 0)
        return luaL_error(L, "surface '%s' is in use by a running call (gd.run, a figure, ...): it cannot be "
                          "closed from inside that call", s->name);
    if (s->evaluating && *s->evaluating > 0)
        return luaL_error(L, "surface '%s' is being evaluated: it cannot be closed from inside its own f or grad",
                          s->name);
    gdlab_surface *owned = s->s;
    s->s = NULL, s->evaluating = NULL;
    gdlab_surface_free(owned);
    return 0;
}

static int surface_tostring(lua_State *L)
{
    lgdlab_surface *s = luaL_checkudata(L, 1, LGDLAB_SURFACE_MT);
    if (!s->s) lua_pushfstring(L, "gdlab.surface(%s, closed)", s->name);
    else lua_pushfstring(L, "gdlab.surface(%s, %d-D)", s->name, (int)gdlab_surface_dim(s->s));
    return 1;
}

static const luaL_Reg surface_methods[] = {
    {"value", surface_value},
    {"gradient", surface_gradient},
    {"hessian", surface_hessian},
    {"domain", surface_domain},
    {"start", surface_start},
    {"landmarks", surface_landmarks},
    {NULL, NULL},
};

/* Methods first; then the fields dim and name. */
/* A closed surface has its methods (they say it is closed) and its name, and nil for the rest: an
 * __index that raised would do so from wherever C code looked a field up, without the script's line. */
static int surface_index(lua_State *L)
{
    lgdlab_surface *s = luaL_checkudata(L, 1, LGDLAB_SURFACE_MT);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
    if (lua_type(L, 2) != LUA_TSTRING) return 0;
    const char *key = lua_tostring(L, 2);
    if (strcmp(key, "dim") == 0 && s->s)
        lua_pushinteger(L, (lua_Integer)gdlab_surface_dim(s->s));
    else if (strcmp(key, "name") == 0)
        lua_pushstring(L, s->name);
    else
        lua_pushnil(L);
    return 1;
}

void lgdlab_open_surface(lua_State *L)
{
    luaL_newmetatable(L, LGDLAB_SURFACE_MT);
    luaL_newlib(L, surface_methods);
    lua_pushcclosure(L, surface_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, surface_value);
    lua_setfield(L, -2, "__call");
    lua_pushcfunction(L, surface_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, surface_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, surface_gc);
    lua_setfield(L, -2, "__close");
    lua_pop(L, 1);
    lua_pushcfunction(L, l_surface);
    lua_setfield(L, -2, "surface");
}
