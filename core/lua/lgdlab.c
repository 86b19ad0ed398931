/* SPDX-License-Identifier: MIT */
/* lgdlab.c — the gdlab Lua module: its table, the plugin registry, listing, describing, optimizers.
 * Surfaces live in lsurface.c, runs in lrun.c, figures in lfigure.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdlab/addrspace.h"
#include "gdlab/output.h"
#include "lgdlab.h"

#define REGISTRY_KEY "gdlab.registry"       /* the registry userdata, in Lua's registry */
#define REGISTRY_MT "gdlab.registry.meta"    /* its metatable */

/* ---- the registry: one per Lua state, freed with it ---------------------------------------------- */

static int registry_gc(lua_State *L)
{
    gdlab_registry **reg = luaL_checkudata(L, 1, REGISTRY_MT);
    gdlab_registry_free(*reg);
    *reg = NULL;
    return 0;
}

gdlab_registry *lgdlab_registry(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, REGISTRY_KEY);
    gdlab_registry **reg = lua_touserdata(L, -1);
    lua_pop(L, 1);
    if (reg && *reg) return *reg;
    /* First use: created closed (NULL), then filled, so an allocation error leaks nothing. */
    reg = lua_newuserdatauv(L, sizeof *reg, 0);
    *reg = NULL;
    if (luaL_newmetatable(L, REGISTRY_MT)) {
        lua_pushcfunction(L, registry_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, REGISTRY_KEY);
    *reg = gdlab_registry_new();
    if (!*reg) luaL_error(L, "gdlab: out of memory");
    gdlab_registry_scan_default(*reg);
    if (gdlab_registry_out_of_memory(*reg)) { /* plugins would be missing: "unknown surface" misleads */
        char culprit[GDLAB_ERRLEN * 2] = "";
        for (size_t i = 0; i < gdlab_registry_diagnostic_count(*reg) && !culprit[0]; i++) {
            const char *d = gdlab_registry_diagnostic(*reg, i);
            if (strstr(d, "memory") || strstr(d, "failed to map segment"))
                snprintf(culprit, sizeof culprit, " (%s)", d);
        }
        gdlab_registry_free(*reg);
        *reg = NULL; /* the next call tries again */
        luaL_error(L, "not enough memory to load the plugins%s: free memory or raise the limit (ulimit -v)",
                   culprit);
    }
    for (size_t i = 0; i < gdlab_registry_diagnostic_count(*reg); i++)
        fprintf(stderr, "gdlab: warning: %s\n", gdlab_registry_diagnostic(*reg, i));
    return *reg;
}

/* Raises the error for a plugin that is not loaded, listing those of its kind that are. */
static int unknown_plugin(lua_State *L, uint32_t kind, const char *name)
{
    char err[GDLAB_ERRLEN * 4];
    gdlab_registry_unknown(lgdlab_registry(L), kind, name, err, sizeof err);
    return luaL_error(L, "%s", err);
}

/* The descriptor of the plugin of this kind called name, or a Lua error listing what there is. */
static const gdlab_header *check_plugin(lua_State *L, uint32_t kind, const char *name)
{
    const gdlab_header *h = gdlab_registry_find(lgdlab_registry(L), kind, name);
    if (!h) unknown_plugin(L, kind, name);
    return h;
}

/* ---- argument tables ------------------------------------------------------------------------------ */

void lgdlab_check_keys(lua_State *L, int idx, const char *what, const char *const *keys)
{
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        int known = 0;
        if (lua_type(L, -2) == LUA_TSTRING)
            for (size_t i = 0; keys[i]; i++)
                known |= strcmp(lua_tostring(L, -2), keys[i]) == 0;
        if (!known) {
            const char *key = luaL_tolstring(L, -2, NULL);
            luaL_Buffer b;
            luaL_buffinit(L, &b);
            for (size_t i = 0; keys[i]; i++) {
                if (i) luaL_addstring(&b, ", ");
                luaL_addstring(&b, keys[i]);
            }
            luaL_pushresult(&b);
            luaL_error(L, "%s: unknown field '%s'; valid: %s", what, key, lua_tostring(L, -1));
        }
        lua_pop(L, 1);
    }
}

/* ---- parameters ---------------------------------------------------------------------------------- */

void lgdlab_read_params(lua_State *L, int idx, const gdlab_header *h, double *values)
{
    if (lua_isnoneornil(L, idx)) return;
    luaL_checktype(L, idx, LUA_TTABLE);
    idx = lua_absindex(L, idx);
    char err[GDLAB_ERRLEN * 2];
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, "parameters of %s '%s' are given by name, as in {lr = 0.1}",
                       gdlab_kind_name(h->kind), h->name);
        const char *name = lua_tostring(L, -2);
        if (strcmp(name, "inner") == 0 && h->kind == GDLAB_KIND_OPTIMIZER &&
            gdlab_optimizer_wraps((const gdlab_optimizer_desc *)h)) { /* l_optimizer reads it */
            lua_pop(L, 1);
            continue;
        }
        int bad;
        switch (lua_type(L, -1)) {
        case LUA_TNUMBER: bad = gdlab_params_set(h, values, name, lua_tonumber(L, -1), err, sizeof err);
            break;
        case LUA_TBOOLEAN: {
            int i = gdlab_param_index(h, name);
            if (i >= 0 && !(h->params[i].flags & GDLAB_PARAM_BOOLEAN))
                luaL_error(L, "parameter '%s' of %s '%s' is not a boolean", name,
                           gdlab_kind_name(h->kind), h->name);
            bad = gdlab_params_set(h, values, name, lua_toboolean(L, -1), err, sizeof err);
            break;
        }
        case LUA_TSTRING:
            bad = gdlab_params_set_choice(h, values, name, lua_tostring(L, -1), err, sizeof err);
            break;
        default:
            bad = 1;
            snprintf(err, sizeof err, "parameter '%s' of %s '%s' must be a number, boolean or name, "
                     "got %s", name, gdlab_kind_name(h->kind), h->name, luaL_typename(L, -1));
        }
        if (bad) luaL_error(L, "%s", err);
        lua_pop(L, 1);
    }
}

/* Push the parameter values as a table name -> number/boolean/choice name. */
static void push_params(lua_State *L, const gdlab_header *h, const double *values)
{
    lua_createtable(L, 0, (int)h->n_params);
    for (size_t i = 0; i < h->n_params; i++) {
        const gdlab_param *p = &h->params[i];
        if (p->flags & GDLAB_PARAM_CHOICE)
            lua_pushstring(L, p->choices[(size_t)values[i]]);
        else if (p->flags & GDLAB_PARAM_BOOLEAN)
            lua_pushboolean(L, values[i] != 0);
        else if (p->flags & GDLAB_PARAM_INTEGER)
            lua_pushinteger(L, (lua_Integer)values[i]);
        else
            lua_pushnumber(L, values[i]);
        lua_setfield(L, -2, p->name);
    }
}

/* ---- optimizers ---------------------------------------------------------------------------------- */

lgdlab_optimizer *lgdlab_check_optimizer(lua_State *L, int idx)
{
    lgdlab_optimizer *o = luaL_checkudata(L, idx, LGDLAB_OPTIMIZER_MT);
    luaL_argcheck(L, o->o != NULL, idx, "the optimizer is closed");
    return o;
}

lgdlab_optimizer *lgdlab_optimizer_arg(lua_State *L, int idx, const char *what)
{
    lgdlab_optimizer *o = luaL_testudata(L, idx, LGDLAB_OPTIMIZER_MT);
    char got[80];
    if (!o) luaL_error(L, "%s: expected an optimizer (gd.optimizer), got %s", what, lcheck_describe(L, idx, got, sizeof got));
    if (!o->o) luaL_error(L, "%s: the optimizer is closed", what);
    return o;
}

lgdlab_optimizer *lgdlab_use_optimizer(lua_State *L, int idx, const char *what)
{
    idx = lua_absindex(L, idx); /* the guard goes on top */
    lgdlab_optimizer *o = luaL_testudata(L, idx, LGDLAB_OPTIMIZER_MT);
    if (o) lgdlab_hold(L, idx, &o->uses); /* first: see lgdlab_hold */
    return lgdlab_optimizer_arg(L, idx, what);
}

static int l_optimizer(lua_State *L);

/* The optimizer a wrapper wraps: params.inner, an optimizer or the name of one (its defaults). */
static const gdlab_optimizer *inner_optimizer(lua_State *L, const gdlab_header *h)
{
    const int type = lua_istable(L, 2) ? lua_getfield(L, 2, "inner") : LUA_TNIL;
    if (type == LUA_TSTRING) {
        lua_pushcfunction(L, l_optimizer);
        lua_insert(L, -2);
        /* gd.optimizer(name): stays on the stack while in use. Its errors are raised again here, so
         * that they name the script's line, not this C call. */
        const int status = lua_pcall(L, 1, 1, 0);
        if (status == LUA_ERRMEM) lua_error(L);
        if (status != LUA_OK) {
            luaL_where(L, 1);
            lua_insert(L, -2);
            lua_concat(L, 2);
            lua_error(L);
        }
    } else if (type != LUA_TUSERDATA) {
        luaL_error(L, "optimizer '%s' wraps another: give inner = gd.optimizer(\"adam\", {...}) or a "
                   "name, got %s", h->name, type == LUA_TNIL ? "none" : luaL_typename(L, -1));
    }
    return lgdlab_check_optimizer(L, -1)->o;
}

/* gd.optimizer(name [, params]); a wrapper (lookahead) takes params.inner */
static int l_optimizer(lua_State *L)
{
    lua_settop(L, 2); /* the scratch userdata below must not land where params are read */
    const char *name = luaL_checkstring(L, 1);
    const gdlab_optimizer_desc *d = gdlab_registry_find_optimizer(lgdlab_registry(L), name);
    if (!d) return unknown_plugin(L, GDLAB_KIND_OPTIMIZER, name);
    const gdlab_header *h = &d->h;
    double *values = lcheck_buffer(L, h->n_params, sizeof(double), "gd.optimizer");
    gdlab_params_defaults(h, values);
    lgdlab_read_params(L, 2, h, values);
    const gdlab_optimizer *inner = gdlab_optimizer_wraps(d) ? inner_optimizer(L, h) : NULL;
    lgdlab_optimizer *o = lua_newuserdatauv(L, sizeof *o, 0);
    o->o = NULL, o->uses = 0;
    luaL_setmetatable(L, LGDLAB_OPTIMIZER_MT);
    char err[GDLAB_ERRLEN];
    o->o = inner ? gdlab_optimizer_new_wrapping(d, values, inner, err, sizeof err)
                 : gdlab_optimizer_new(d, values, err, sizeof err);
    if (!o->o) return luaL_error(L, "%s", err);
    return 1;
}

/* __gc and __close: frees the optimizer once; refused while a call still uses it (lhold.c). */
static int optimizer_gc(lua_State *L)
{
    lgdlab_optimizer *o = luaL_checkudata(L, 1, LGDLAB_OPTIMIZER_MT);
    if (o->uses > 0)
        return luaL_error(L, "the optimizer is in use by a running call (gd.run, gd.sweep): it cannot be "
                          "closed from inside that call");
    gdlab_optimizer *owned = o->o;
    o->o = NULL;
    gdlab_optimizer_free(owned);
    return 0;
}

/* Fields of an open optimizer; nil for anything else, a closed one included (an __index that raised
 * would do so from wherever C code looked a field up, without the script's line). */
static int optimizer_index(lua_State *L)
{
    lgdlab_optimizer *lo = luaL_checkudata(L, 1, LGDLAB_OPTIMIZER_MT);
    lgdlab_hold(L, 1, &lo->uses); /* before reading lo->o: see lgdlab_hold */
    const gdlab_optimizer *o = lo->o;
    if (!o || lua_type(L, 2) != LUA_TSTRING) return 0;
    const gdlab_header *h = &gdlab_optimizer_desc_of(o)->h;
    const char *key = lua_tostring(L, 2);
    if (strcmp(key, "name") == 0)
        lua_pushstring(L, h->name);
    else if (strcmp(key, "params") == 0)
        push_params(L, h, gdlab_optimizer_params(o));
    else
        lua_pushnil(L);
    return 1;
}

static int optimizer_tostring(lua_State *L)
{
    lgdlab_optimizer *lo = luaL_checkudata(L, 1, LGDLAB_OPTIMIZER_MT);
    lgdlab_hold(L, 1, &lo->uses); /* before reading lo->o: see lgdlab_hold */
    const gdlab_optimizer *o = lo->o;
    if (!o) {
        lua_pushliteral(L, "gdlab.optimizer(closed)");
        return 1;
    }
    const gdlab_header *h = &gdlab_optimizer_desc_of(o)->h;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, h->name);
    const double *v = gdlab_optimizer_params(o);
    for (size_t i = 0; i < h->n_params; i++) {
        if (v[i] == h->params[i].default_value && strcmp(h->params[i].name, "lr") != 0) continue;
        lua_pushfstring(L, " %s=", h->params[i].name);
        luaL_addvalue(&b);
        if (h->params[i].flags & GDLAB_PARAM_CHOICE)
            luaL_addstring(&b, h->params[i].choices[(size_t)v[i]]);
        else {
            char num[32];
            snprintf(num, sizeof num, "%g", v[i]);
            luaL_addstring(&b, num);
        }
    }
    luaL_pushresult(&b);
    return 1;
}

/* ---- listing and describing ---------------------------------------------------------------------- */

static uint32_t check_kind(lua_State *L, int idx, const char *what)
{
    static const char *const kinds[] = {"any", "surface", "optimizer", NULL};
    return (uint32_t)lcheck_option(L, idx, what, "kind", "any", kinds);
}

/* gd.list([kind]) -> {{name=, kind=, summary=, path=}, ...} */
static int l_list(lua_State *L)
{
    uint32_t kind = check_kind(L, 1, "gd.list");
    gdlab_registry *reg = lgdlab_registry(L);
    lua_newtable(L);
    int n = 0;
    for (size_t i = 0; i < gdlab_registry_count(reg); i++) {
        const char *path;
        const gdlab_header *h = gdlab_registry_get(reg, i, &path);
        if (kind && h->kind != kind) continue;
        lua_createtable(L, 0, 4);
        lua_pushstring(L, h->name);
        lua_setfield(L, -2, "name");
        lua_pushstring(L, gdlab_kind_name(h->kind));
        lua_setfield(L, -2, "kind");
        lua_pushstring(L, h->summary);
        lua_setfield(L, -2, "summary");
        lua_pushstring(L, path);
        lua_setfield(L, -2, "path");
        lua_rawseti(L, -2, ++n);
    }
    return 1;
}

/* gd.describe(name [, kind]) -> the text `gdlab --describe` prints */
static int l_describe(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    const gdlab_header *h = check_plugin(L, check_kind(L, 2, "gd.describe"), name);
    lgdlab_text *text = lgdlab_open_text(L, "gd.describe");
    gdlab_describe(h, NULL, text->f);
    lgdlab_push_text(L, text, "gd.describe");
    return 1;
}

/* gd.load(path) -> name, kind | nil, message (a missing or broken file is an expected failure) */
static int l_load(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    gdlab_registry *reg = lgdlab_registry(L);
    size_t before = gdlab_registry_count(reg);
    char err[GDLAB_ERRLEN * 2];
    if (gdlab_registry_load(reg, path, err, sizeof err)) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        return 2;
    }
    /* Loading a file already loaded is not an error: report the plugin it holds. */
    char real[4096];
    for (size_t i = gdlab_registry_count(reg); i-- > 0;) {
        const char *p;
        const gdlab_header *h = gdlab_registry_get(reg, i, &p);
        if (i >= before || (realpath(path, real) && strcmp(real, p) == 0)) {
            lua_pushstring(L, h->name);
            lua_pushstring(L, gdlab_kind_name(h->kind));
            return 2;
        }
    }
    return luaL_error(L, "gdlab.load: '%s' loaded but not found in the registry", path);
}

static const luaL_Reg optimizer_meta[] = {
    {"__index", optimizer_index},
    {"__tostring", optimizer_tostring},
    {"__gc", optimizer_gc},
    {"__close", optimizer_gc},
    {NULL, NULL},
};

static const luaL_Reg module_functions[] = {
    {"optimizer", l_optimizer},
    {"list", l_list},
    {"describe", l_describe},
    {"load", l_load},
    {NULL, NULL},
};

int luaopen_gdlab(lua_State *L)
{
    luaL_newmetatable(L, LGDLAB_OPTIMIZER_MT);
    luaL_setfuncs(L, optimizer_meta, 0);
    lua_pop(L, 1);
    lgdlab_registry(L);

    /* In a stock lua5.4 too, a signal leaves no temporary files behind (docs/reliability.md says what
     * the module cannot promise there); handlers of the host program, lua.c's ^C included, stay. */
    gdlab_signals_install(1);
    gdlab_address_space_adapt(); /* under `ulimit -v`, before any sweep or font thread starts */
    luaL_newlib(L, module_functions);
    lua_pushliteral(L, GDLAB_VERSION);
    lua_setfield(L, -2, "version");
    /* Where figures go unless a script says otherwise; the gdlab command sets it from -dev and -o. */
    lua_createtable(L, 0, 2);
    lua_pushliteral(L, "pngcairo");
    lua_setfield(L, -2, "device");
    lua_pushliteral(L, "out");
    lua_setfield(L, -2, "dir");
    lua_setfield(L, -2, "output");
    lgdlab_open_surface(L);
    lgdlab_open_surface_expr(L);
    lgdlab_open_run(L);
    lgdlab_open_sweep(L);
    lgdlab_open_schedule(L);
    lgdlab_open_save(L);
    lgdlab_open_load(L);
    lgdlab_open_progress(L);
    lgdlab_open_figure(L);
    return 1;
}
