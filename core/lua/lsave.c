/* SPDX-License-Identifier: MIT */
/* lsave.c — results as data files from Lua: gd.save(result, path), and the setup every result made by
 * gd.run or gd.sweep remembers so that its file can say how to make it again.
 *
 *   gd.save(run, "out/run.csv")     gd.save(sweep, "out/grid.json")     -> the path written
 *
 * The writing is the engine's (core/engine/save.c, gdlab_save_trajectory / gdlab_save_sweep), from the
 * C structures lresult.c reads the result back into. The setup (surface, optimizer, parameters,
 * schedule, run options) is kept in a weak-keyed registry table beside the result rather than in it,
 * so it adds no field a script could trip over and goes away with the result. With `gdlab --save-runs DIR` (gd.output.save_runs) every result is also written to DIR as
 * it is made. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gdlab/save.h"
#include "lgdlab.h"

/* Is the result at idx a sweep (has axes) rather than a run? */
static int is_sweep(lua_State *L, int idx)
{
    const int sweep = lua_getfield(L, idx, "axes") != LUA_TNIL;
    lua_pop(L, 1);
    return sweep;
}

#define SETUPS_KEY "gdlab.setups"   /* registry: result -> setup JSON text (weak keys) */
#define SAVED_KEY "gdlab.saved_count" /* registry: results saved by --save-runs so far */

/* ---- saving ----------------------------------------------------------------------------------------- */

/* The setup JSON remembered for the result at idx, or NULL. Pushes one value (the text or nil). */
static const char *push_setup(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_getfield(L, LUA_REGISTRYINDEX, SETUPS_KEY);
    if (lua_istable(L, -1)) {
        lua_pushvalue(L, idx);
        lua_rawget(L, -2);
        lua_remove(L, -2);
    }
    return lua_tostring(L, -1);
}

/* Save the result at idx to path (format by extension); raises with `what` on failure. */
static void save_result(lua_State *L, int idx, const char *path, const char *what)
{
    idx = lua_absindex(L, idx);
    const int top = lua_gettop(L);
    gdlab_data_format format;
    char err[GDLAB_ERRLEN * 2];
    if (gdlab_data_format_of(path, &format, err, sizeof err)) luaL_error(L, "%s: %s", what, err);
    const char *setup = push_setup(L, idx);
    int failed;
    if (is_sweep(L, idx)) {
        gdlab_sweep_result r;
        gdlab_sweep_axis axes[LGDLAB_MAX_AXES];
        const size_t n_axes = lgdlab_read_sweep(L, idx, &r, axes);
        failed = gdlab_save_sweep(&r, axes, n_axes, setup, path, err, sizeof err);
    } else {
        gdlab_trajectory t;
        lgdlab_read_run(L, idx, &t);
        failed = gdlab_save_trajectory(&t, setup, path, err, sizeof err);
    }
    if (failed) luaL_error(L, "%s: %s", what, err);
    lua_settop(L, top);
}

/* gd.save(result, path) -> path. result: what gd.run or gd.sweep returned (or gd.load_result read). */
static int l_save(lua_State *L)
{
    luaL_argexpected(L, lua_istable(L, 1) || lua_isuserdata(L, 1), 1, "a run or a sweep");
    const char *path = luaL_checkstring(L, 2);
    if (lgdlab_rank(L) == 0) save_result(L, 1, path, "gd.save"); /* under mpirun rank 0 alone writes */
    lua_settop(L, 2);
    return 1;
}

/* ---- the setup of a result, remembered when it is made ---------------------------------------------- */

/* A Lua value as JSON: numbers, strings, booleans, and tables (arrays when they have a length, else
 * objects with string keys). Functions and other values become their type name as a string. */
static void write_lua_json(lua_State *L, int idx, FILE *f, int depth)
{
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER: gdlab_json_number(f, lua_tonumber(L, idx)); return;
    case LUA_TSTRING: gdlab_json_string(f, lua_tostring(L, idx)); return;
    case LUA_TBOOLEAN: fputs(lua_toboolean(L, idx) ? "true" : "false", f); return;
    case LUA_TTABLE: break;
    default: gdlab_json_string(f, lua_type(L, idx) == LUA_TFUNCTION ? "lua function" : luaL_typename(L, idx)); return;
    }
    if (depth > 8) { /* a schedule spec is shallow; a cycle must not recurse forever */
        fputs("null", f);
        return;
    }
    const lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
    fputc(n ? '[' : '{', f);
    int first = 1;
    for (lua_Integer i = 1; i <= n; i++) {
        fputs(first ? "" : ", ", f), first = 0;
        lua_rawgeti(L, idx, i);
        write_lua_json(L, -1, f, depth + 1);
        lua_pop(L, 1);
    }
    if (n) { /* named options of a spec like {"cosine", T_max = 100}: an object after the list */
        fputc(']', f);
        return;
    }
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -2) == LUA_TSTRING) {
            fputs(first ? "" : ", ", f), first = 0;
            gdlab_json_string(f, lua_tostring(L, -2));
            fputs(": ", f);
            write_lua_json(L, -1, f, depth + 1);
        }
        lua_pop(L, 1);
    }
    fputc('}', f);
}

/* A schedule spec as JSON: {"cosine", T_max = 100} -> {"kind": "cosine", "T_max": 100}; a function
 * -> "lua function". Pushes the text (above the released owner of its buffer: lgdlab_open_text). */
static void push_schedule_json(lua_State *L, int spec)
{
    lgdlab_text *text = lgdlab_open_text(L, "gd.run");
    FILE *f = text->f;
    if (lua_istable(L, spec)) {
        lua_rawgeti(L, spec, 1);
        fputs("{\"kind\": ", f);
        write_lua_json(L, -1, f, 1);
        lua_pop(L, 1);
        lua_pushnil(L);
        while (lua_next(L, spec)) {
            if (lua_type(L, -2) == LUA_TSTRING) {
                fputs(", ", f);
                gdlab_json_string(f, lua_tostring(L, -2));
                fputs(": ", f);
                write_lua_json(L, -1, f, 1);
            }
            lua_pop(L, 1);
        }
        fputc('}', f);
    } else {
        write_lua_json(L, spec, f, 0);
    }
    lgdlab_push_text(L, text, "gd.run");
}

/* gd.output.save_runs (the folder) and save_format ("json" unless set), or NULL. The strings stay on
 * the stack until the caller's settop. */
static const char *save_runs_dir(lua_State *L, const char **format)
{
    const char *dir = NULL;
    *format = "json";
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    if (lua_getfield(L, -1, "gdlab") == LUA_TTABLE && lua_getfield(L, -1, "output") == LUA_TTABLE) {
        const int output = lua_gettop(L);
        if (lua_getfield(L, output, "save_runs") == LUA_TSTRING) dir = lua_tostring(L, -1);
        if (lua_getfield(L, output, "save_format") == LUA_TSTRING) *format = lua_tostring(L, -1);
    }
    return dir;
}

/* `gdlab --save-runs DIR`: DIR/run-001.json, DIR/sweep-002.json ..., numbered in the order made. */
static void save_to_dir(lua_State *L, int result, const char *dir, const char *format)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        luaL_error(L, "--save-runs: cannot create directory '%s': %s", dir, strerror(errno));
    const lua_Integer n = (lua_getfield(L, LUA_REGISTRYINDEX, SAVED_KEY), lua_tointeger(L, -1)) + 1;
    lua_pop(L, 1);
    lua_pushinteger(L, n);
    lua_setfield(L, LUA_REGISTRYINDEX, SAVED_KEY);
    const int sweep = is_sweep(L, result);
    char path[1200];
    snprintf(path, sizeof path, "%s/%s-%03d.%s", dir, sweep ? "sweep" : "run", (int)n, format);
    save_result(L, result, path, "--save-runs");
}

void lgdlab_result_setup(lua_State *L, int result, int setup)
{
    result = lua_absindex(L, result), setup = lua_absindex(L, setup);
    if (luaL_getsubtable(L, LUA_REGISTRYINDEX, SETUPS_KEY) == 0) { /* first use: make the keys weak */
        lua_createtable(L, 0, 1);
        lua_pushliteral(L, "k");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);
    }
    lua_pushvalue(L, result);
    lua_pushvalue(L, setup);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

static void free_text(void *handle)
{
    free(*(char **)handle);
}

void lgdlab_result_made(lua_State *L, int result, int args, const gdlab_surface *s, const gdlab_optimizer *o,
                        const gdlab_run_config *cfg)
{
    result = lua_absindex(L, result), args = lua_absindex(L, args);
    const int top = lua_gettop(L);
    const char *schedule = NULL;
    if (lua_getfield(L, args, "schedule") != LUA_TNIL) {
        push_schedule_json(L, lua_gettop(L));
        schedule = lua_tostring(L, -1);
    }
    lua_getfield(L, result, "label");
    const char *label = lua_isstring(L, -1) ? lua_tostring(L, -1) : NULL;
    char **setup = lgdlab_own(L, sizeof *setup, free_text);
    const int owner = lua_gettop(L);
    *setup = gdlab_setup_json(s, o, cfg, schedule, label);
    if (!*setup) luaL_error(L, "gd.run: out of memory for the setup of a result");
    lua_pushstring(L, *setup);
    lua_closeslot(L, owner); /* frees it now, as lua_settop below must not (lgdlab_own) */
    lgdlab_result_setup(L, result, lua_gettop(L));
    const char *format;
    const char *dir = save_runs_dir(L, &format);
    if (dir) save_to_dir(L, result, dir, format);
    lua_settop(L, top);
}

void lgdlab_open_save(lua_State *L)
{
    lua_pushcfunction(L, l_save);
    lua_setfield(L, -2, "save");
}
