/* SPDX-License-Identifier: MIT */
/* lload.c — gd.load_result(path): a run or sweep saved by gd.save back as the tables gd.run and gd.sweep
 * return, so figures draw it as they draw a fresh one.
 *
 *   local run = gd.load_result("out/run.json")   -- or .csv (a run's columns; no status or setup)
 *   fig:contour{surface = s, runs = {run}}
 *
 * JSON is read by ljson.c into Lua values (null becomes NaN inside arrays, which are all numeric in
 * gdlab's files, and is left out of objects). The setup a JSON file carries
 * is remembered for the loaded result as for a fresh one (lgdlab_result_setup), so saving it again
 * keeps it. docs/data.md describes both formats. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lgdlab.h"

#define MAX_FILE (1u << 30) /* a 1 GB result file is a mistake, not a run */

static void close_file(void *handle)
{
    FILE **f = handle;
    if (*f) fclose(*f);
    *f = NULL;
}

/* The whole file at path as a string on the stack. The file is the call's while the string grows
 * (lgdlab_own): growing it may run out of memory. */
static const char *read_file(lua_State *L, const char *path, size_t *len)
{
    FILE **file = lgdlab_own(L, sizeof *file, close_file);
    const int owner = lua_gettop(L);
    FILE *f = *file = fopen(path, "rb");
    if (!f) luaL_error(L, "gd.load_result: cannot read '%s': %s", path, strerror(errno));
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    size_t got, total = 0;
    char chunk[65536];
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && total <= MAX_FILE) {
        luaL_addlstring(&b, chunk, got);
        total += got;
    }
    if (ferror(f)) luaL_error(L, "gd.load_result: cannot read '%s': read error", path);
    if (total > MAX_FILE) luaL_error(L, "gd.load_result: '%s' is larger than 1 GB", path);
    luaL_pushresult(&b); /* closes the buffer's own to-be-closed box: the file's owner is the last again */
    lua_closeslot(L, owner); /* closes the file */
    return lua_tolstring(L, -1, len);
}

/* ---- gdlab's documents --------------------------------------------------------------------------- */

/* t[key] (an array) of table at idx moved to result[key], or nothing when absent. */
static void move_field(lua_State *L, int from, const char *key, int to, const char *as)
{
    lua_getfield(L, from, key);
    lua_setfield(L, to, as ? as : key);
}

/* Columns x1..xd into result.x, result.y and result.points, as gd.run has them. */
static void set_coordinates(lua_State *L, int cols, int result, size_t dim)
{
    lua_Integer n = -1;
    lua_createtable(L, 0, 0); /* points */
    const int points = lua_gettop(L);
    for (size_t i = 0; i < dim; i++) {
        char name[32];
        snprintf(name, sizeof name, "x%zu", i + 1);
        if (lua_getfield(L, cols, name) != LUA_TTABLE)
            luaL_error(L, "gd.load_result: the run has dim %d but no column '%s'", (int)dim, name);
        const lua_Integer len = (lua_Integer)lua_rawlen(L, -1);
        if (n >= 0 && len != n) luaL_error(L, "gd.load_result: column '%s' has %d rows, x1 has %d", name, (int)len, (int)n);
        n = len;
        for (lua_Integer k = 1; k <= n; k++) {
            if (i == 0) lua_createtable(L, (int)dim, 0), lua_rawseti(L, points, k);
            lua_rawgeti(L, points, k);
            lua_rawgeti(L, -2, k);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
            lua_pop(L, 1);
        }
        if (i < 2) lua_setfield(L, result, i == 0 ? "x" : "y");
        else lua_pop(L, 1);
    }
    lua_setfield(L, result, "points");
}

static void run_from_columns(lua_State *L, int cols, int result, size_t dim)
{
    set_coordinates(L, cols, result, dim);
    lua_getfield(L, result, "x");
    const size_t n = lua_rawlen(L, -1);
    lua_pop(L, 1);
    static const char *const series[] = {"loss", "grad_norm", "lr", "evals", "lambda_min", "lambda_max"};
    for (size_t i = 0; i < sizeof series / sizeof *series; i++) {
        const int type = lua_getfield(L, cols, series[i]);
        if (type != LUA_TNIL && (type != LUA_TTABLE || lua_rawlen(L, -1) != n))
            luaL_error(L, "gd.load_result: column '%s' is not a list of %d numbers, as x1 is", series[i], (int)n);
        lua_setfield(L, result, series[i]);
    }
    lua_pushinteger(L, (lua_Integer)dim);
    lua_setfield(L, result, "dim");
}

/* Flat column values (run order, last axis fastest) as tables nested one level per axis. */
static void push_nested(lua_State *L, int column, const size_t *sizes, size_t n_axes, size_t k, size_t first,
                        size_t stride)
{
    const size_t inner = stride / sizes[k];
    lua_createtable(L, (int)sizes[k], 0);
    for (size_t i = 0; i < sizes[k]; i++) {
        if (k + 1 == n_axes)
            lua_rawgeti(L, column, (lua_Integer)(first + i) + 1);
        else
            push_nested(L, column, sizes, n_axes, k + 1, first + i * inner, inner);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

static void sweep_from_json(lua_State *L, int doc, int cols, int result)
{
    if (lua_getfield(L, doc, "axes") != LUA_TTABLE) luaL_error(L, "gd.load_result: the sweep has no 'axes'");
    const int axes = lua_gettop(L);
    const size_t n_axes = lua_rawlen(L, axes);
    size_t sizes[8], n_runs = 1;
    if (n_axes == 0 || n_axes > 8) luaL_error(L, "gd.load_result: a sweep has 1 to 8 axes");
    for (size_t k = 0; k < n_axes; k++) {
        lua_rawgeti(L, axes, (lua_Integer)k + 1);
        if (!lua_istable(L, -1) || lua_getfield(L, -1, "values") != LUA_TTABLE)
            luaL_error(L, "gd.load_result: the sweep's axis %d has no values", (int)k + 1);
        sizes[k] = lua_rawlen(L, -1);
        n_runs *= sizes[k];
        lua_pop(L, 2);
    }
    lua_setfield(L, result, "axes");
    lua_pushinteger(L, (lua_Integer)n_runs);
    lua_setfield(L, result, "runs");
    static const char *const fields[] = {"status", "stop_step", "final_loss", "min_loss", "evals"};
    for (size_t i = 0; i < 5; i++) {
        if (lua_getfield(L, cols, fields[i]) != LUA_TTABLE || lua_rawlen(L, -1) != n_runs)
            luaL_error(L, "gd.load_result: the sweep's column '%s' is missing or does not have %d rows", fields[i],
                       (int)n_runs);
        push_nested(L, lua_gettop(L), sizes, n_axes, 0, 0, n_runs);
        lua_setfield(L, result, fields[i]);
        lua_pop(L, 1);
    }
}

/* Remember the setup text of a loaded result, so that gd.save writes it again. */
static void keep_setup(lua_State *L, int result, const lgdlab_json_span *setup)
{
    if (!setup->text || setup->len < 2 || setup->text[0] != '{') return;
    lua_pushlstring(L, setup->text, setup->len);
    lgdlab_result_setup(L, result, lua_gettop(L));
    lua_pop(L, 1);
}

static void load_json(lua_State *L, const char *path, const char *text, size_t len)
{
    lgdlab_json_span setup_text = {NULL, 0};
    lgdlab_json_decode(L, "gd.load_result", path, text, len, "setup", &setup_text);
    const int doc = lua_gettop(L);
    if (!lua_istable(L, doc)) luaL_error(L, "gd.load_result: '%s' is not a JSON object (a file written by gd.save)", path);
    lua_getfield(L, doc, "format");
    const char *format = lua_tostring(L, -1);
    const int run = format && strcmp(format, "gdlab-run") == 0, sweep = format && strcmp(format, "gdlab-sweep") == 0;
    if (!run && !sweep)
        luaL_error(L, "gd.load_result: '%s' is not a gdlab result: its \"format\" is %s, not \"gdlab-run\" or \"gdlab-sweep\"",
                   path, format ? format : "missing");
    if (lua_getfield(L, doc, "columns") != LUA_TTABLE) luaL_error(L, "gd.load_result: '%s' has no \"columns\"", path);
    const int cols = lua_gettop(L);
    lua_createtable(L, 0, 16);
    const int result = lua_gettop(L);
    if (run) {
        lua_getfield(L, doc, "dim");
        const lua_Integer dim = lua_tointeger(L, -1);
        lua_pop(L, 1);
        if (dim < 1 || dim > 4096) luaL_error(L, "gd.load_result: '%s': \"dim\" must be 1 to 4096", path);
        run_from_columns(L, cols, result, (size_t)dim);
        static const char *const fields[] = {"status", "steps", "stop_step", "reason", "hessian_evals"};
        for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) move_field(L, doc, fields[i], result, NULL);
    } else {
        sweep_from_json(L, doc, cols, result);
    }
    if (lua_getfield(L, doc, "setup") == LUA_TTABLE) { /* label, surface and optimizer names as gd.run */
        const int setup = lua_gettop(L);
        move_field(L, setup, "label", result, NULL);
        if (lua_getfield(L, setup, "surface") == LUA_TTABLE) move_field(L, -1, "name", result, "surface");
        if (lua_getfield(L, setup, "optimizer") == LUA_TTABLE) move_field(L, -1, "name", result, "optimizer");
        lua_settop(L, setup);
        lua_setfield(L, result, "setup");
    } else {
        lua_pop(L, 1);
    }
    keep_setup(L, result, &setup_text);
}

/* ---- CSV: a run's columns ------------------------------------------------------------------------ */

static void load_csv(lua_State *L, const char *path, const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    lua_newtable(L); /* name -> column */
    const int cols = lua_gettop(L);
    lua_newtable(L); /* index -> name */
    const int names = lua_gettop(L);
    int n_cols = 0, line = 1;
    while (p < end && *p != '\n') { /* header */
        const char *e = p;
        while (e < end && *e != ',' && *e != '\n' && *e != '\r') e++;
        lua_pushlstring(L, p, (size_t)(e - p));
        lua_pushvalue(L, -1);
        lua_rawseti(L, names, ++n_cols);
        lua_newtable(L);
        lua_rawset(L, cols);
        p = e + (e < end && *e == ',');
        if (e < end && *e == '\r') p = e + 1;
    }
    lua_getfield(L, cols, "status");
    if (!lua_isnil(L, -1))
        luaL_error(L, "gd.load_result: '%s' looks like a sweep's CSV (it has a status column); load the sweep's .json", path);
    lua_pop(L, 1);
    lua_Integer row = 0;
    while (++p < end) {
        line++, row++;
        for (int j = 1; j <= n_cols; j++) {
            char *stop;
            const double v = strtod(p, &stop); /* reads nan, inf and -inf as gd.save writes them */
            if (stop == p || (stop < end && *stop != ',' && *stop != '\n' && *stop != '\r'))
                luaL_error(L, "gd.load_result: '%s' line %d, column %d: not a number", path, line, j);
            lua_rawgeti(L, names, j);
            lua_rawget(L, cols);
            lua_pushnumber(L, v);
            lua_rawseti(L, -2, row);
            lua_pop(L, 1);
            p = stop;
            if (j < n_cols && *p++ != ',') luaL_error(L, "gd.load_result: '%s' line %d has %d fields, the header %d", path, line, j, n_cols);
        }
        if (p < end && *p == '\r') p++;
        if (p < end && *p != '\n') luaL_error(L, "gd.load_result: '%s' line %d has more fields than the header", path, line);
    }
    size_t dim = 0;
    for (;; dim++) {
        char name[32];
        snprintf(name, sizeof name, "x%zu", dim + 1);
        if (lua_getfield(L, cols, name) == LUA_TNIL) break;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (dim == 0) luaL_error(L, "gd.load_result: '%s' has no column x1: not a run saved by gd.save", path);
    lua_createtable(L, 0, 12);
    run_from_columns(L, cols, lua_gettop(L), dim);
    lua_pushinteger(L, row > 0 ? row - 1 : 0);
    lua_setfield(L, -2, "steps");
}

/* gd.load_result(path) -> the run or sweep in a file gd.save wrote (.json: runs and sweeps; .csv: runs). */
static int l_load_result(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    const char *dot = strrchr(path, '.');
    const int json = dot && strcmp(dot, ".json") == 0, csv = dot && strcmp(dot, ".csv") == 0;
    if (!json && !csv)
        return luaL_error(L, "gd.load_result: cannot load '%s': unknown format; available: json (runs and sweeps), csv (runs)", path);
    size_t len;
    const char *text = read_file(L, path, &len);
    if (json)
        load_json(L, path, text, len);
    else
        load_csv(L, path, text, len);
    return 1;
}

void lgdlab_open_load(lua_State *L)
{
    lua_pushcfunction(L, l_load_result);
    lua_setfield(L, -2, "load_result");
}
