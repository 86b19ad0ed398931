/* lsave.c — results as data files from Lua: gd.save(result, path), and the setup every result made by
 * gd.run or gd.sweep remembers so that its file can say how to make it again.
 *
 *   gd.save(run, "out/run.csv")     gd.save(sweep, "out/grid.json")     -> the path written
 *
 * The writing is the engine's (core/engine/save.c, gdlab_save_trajectory / gdlab_save_sweep): the
 * result is read back into those C structures through lua_geti/luaL_len, which honour metamethods, so a
 * run kept as plain tables or as indexable userdata saves the same way. The setup (surface,
 * optimizer, parameters, schedule, run options) is kept in a weak-keyed registry table beside the
 * result rather than in it, so it adds no field a script could trip over and goes away with the
 * result. With `gdlab --save-runs DIR` (gd.output.save_runs) every result is also written to DIR as
 * it is made. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gdlab/save.h"
#include "lgdlab.h"

#define SETUPS_KEY "gdlab.setups"   /* registry: result -> setup JSON text (weak keys) */
#define SAVED_KEY "gdlab.saved_count" /* registry: results saved by --save-runs so far */

/* ---- reading a result through metamethods --------------------------------------------------------- */

/* t[key] at the top of the stack; 1 unless nil. */
static int field(lua_State *L, int t, const char *key)
{
    if (lua_getfield(L, t, key) != LUA_TNIL) return 1;
    lua_pop(L, 1);
    return 0;
}

/* n numbers of the array at idx into dst[k * stride] (k = 0..n-1); its length must be n. */
static void read_numbers(lua_State *L, int idx, const char *key, size_t n, double *dst, size_t stride)
{
    idx = lua_absindex(L, idx);
    const lua_Integer len = luaL_len(L, idx);
    if (len != (lua_Integer)n)
        luaL_error(L, "gd.save: '%s' has %d values, the run has %d points", key, (int)len, (int)n);
    for (size_t k = 0; k < n; k++) {
        int ok;
        lua_geti(L, idx, (lua_Integer)k + 1);
        dst[k * stride] = lua_tonumberx(L, -1, &ok);
        if (!ok) luaL_error(L, "gd.save: '%s'[%d] is a %s, not a number", key, (int)k + 1, luaL_typename(L, -1));
        lua_pop(L, 1);
    }
}

/* A buffer of n elements owned by the stack (freed by the collector even when an error unwinds). */
static void *stack_buffer(lua_State *L, size_t n, size_t size)
{
    return lua_newuserdatauv(L, (n ? n : 1) * size, 0);
}

/* Optional series `key` (n numbers) into a new buffer, or NULL when the result has none. */
static double *opt_series(lua_State *L, int r, const char *key, size_t n)
{
    if (!field(L, r, key)) return NULL;
    double *v = stack_buffer(L, n, sizeof *v);
    read_numbers(L, -2, key, n, v, 1);
    return v;
}

static gdlab_status status_of(lua_State *L, const char *word)
{
    for (int s = GDLAB_CONVERGED; s <= GDLAB_FAILED; s++)
        if (strcmp(word, gdlab_status_name((gdlab_status)s)) == 0) return (gdlab_status)s;
    luaL_error(L, "gd.save: unknown status '%s'; valid: converged, diverged, max_steps, failed", word);
    return GDLAB_FAILED;
}

static uint64_t opt_count(lua_State *L, int r, const char *key, uint64_t def)
{
    if (!field(L, r, key)) return def;
    lua_Integer v = lua_tointeger(L, -1);
    lua_pop(L, 1);
    return v > 0 ? (uint64_t)v : 0;
}

/* A run (gd.run's fields: x, y or points, loss, grad_norm, lr, evals, status ...) into t, whose arrays
 * live in buffers on the stack. Only x (and y / points) and status are required. */
static void read_run(lua_State *L, int r, gdlab_trajectory *t)
{
    memset(t, 0, sizeof *t);
    r = lua_absindex(L, r);
    const int has_y = field(L, r, "y");
    if (has_y) lua_pop(L, 1);
    t->dim = (size_t)opt_count(L, r, "dim", has_y ? 2 : 1);
    if (t->dim == 0 || t->dim > 4096) luaL_error(L, "gd.save: the run's 'dim' must be 1 to 4096");
    if (!field(L, r, "x")) luaL_error(L, "gd.save: the run has no 'x' (is it a gd.run result?)");
    t->n = (size_t)luaL_len(L, -1);
    lua_pop(L, 1);
    t->x = stack_buffer(L, t->n * t->dim, sizeof(double));
    if (t->dim <= 2) {
        field(L, r, "x");
        read_numbers(L, -1, "x", t->n, t->x, t->dim);
        lua_pop(L, 1);
        if (t->dim == 2) {
            if (!field(L, r, "y")) luaL_error(L, "gd.save: a 2-D run needs 'y'");
            read_numbers(L, -1, "y", t->n, t->x + 1, 2);
            lua_pop(L, 1);
        }
    } else {
        if (!field(L, r, "points")) luaL_error(L, "gd.save: a %d-D run needs 'points'", (int)t->dim);
        const int pts = lua_gettop(L);
        for (size_t k = 0; k < t->n; k++) {
            lua_geti(L, pts, (lua_Integer)k + 1);
            read_numbers(L, -1, "points[k]", t->dim, t->x + k * t->dim, 1);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    t->loss = opt_series(L, r, "loss", t->n);
    t->grad_norm = opt_series(L, r, "grad_norm", t->n);
    t->lr = opt_series(L, r, "lr", t->n);
    double *evals = opt_series(L, r, "evals", t->n);
    if (evals) {
        t->evals = stack_buffer(L, t->n, sizeof *t->evals);
        for (size_t k = 0; k < t->n; k++) t->evals[k] = evals[k] >= 0 ? (uint64_t)evals[k] : 0;
    }
    double *lmin = opt_series(L, r, "lambda_min", t->n), *lmax = opt_series(L, r, "lambda_max", t->n);
    if (lmin && lmax) {
        t->curvature = stack_buffer(L, 2 * t->n, sizeof(double));
        for (size_t k = 0; k < t->n; k++) t->curvature[2 * k] = lmin[k], t->curvature[2 * k + 1] = lmax[k];
    }
    if (!field(L, r, "status") || !lua_isstring(L, -1))
        luaL_error(L, "gd.save: the run has no 'status' (is it a gd.run result?)");
    t->status = status_of(L, lua_tostring(L, -1));
    lua_pop(L, 1);
    t->stop_step = opt_count(L, r, "stop_step", t->n ? t->n - 1 : 0);
    t->hessian_evals = opt_count(L, r, "hessian_evals", 0);
    if (field(L, r, "reason")) {
        snprintf(t->reason, sizeof t->reason, "%s", lua_isstring(L, -1) ? lua_tostring(L, -1) : "");
        lua_pop(L, 1);
    }
}

/* The values of a sweep's field, nested one level per axis, into out[run] in run order. */
static void read_nested(lua_State *L, int idx, const gdlab_sweep_axis *axes, size_t n_axes, size_t k,
                        const char *key, void (*store)(lua_State *, void *, size_t), void *out, size_t *run)
{
    idx = lua_absindex(L, idx);
    if (luaL_len(L, idx) != (lua_Integer)axes[k].n)
        luaL_error(L, "gd.save: the sweep's '%s' does not have %d entries along '%s'", key, (int)axes[k].n,
                   axes[k].param);
    for (size_t i = 0; i < axes[k].n; i++) {
        lua_geti(L, idx, (lua_Integer)i + 1);
        if (k + 1 < n_axes)
            read_nested(L, -1, axes, n_axes, k + 1, key, store, out, run);
        else
            store(L, out, (*run)++);
        lua_pop(L, 1);
    }
}

static double number_at_top(lua_State *L, size_t r)
{
    int ok;
    const double v = lua_tonumberx(L, -1, &ok);
    if (!ok) luaL_error(L, "gd.save: the sweep's value for run %d is a %s, not a number", (int)r + 1, luaL_typename(L, -1));
    return v;
}
static void store_double(lua_State *L, void *out, size_t r)
{
    ((double *)out)[r] = number_at_top(L, r);
}
static void store_count(lua_State *L, void *out, size_t r)
{
    const double v = number_at_top(L, r);
    ((uint64_t *)out)[r] = v > 0 ? (uint64_t)v : 0;
}
static void store_status(lua_State *L, void *out, size_t r)
{
    ((gdlab_status *)out)[r] = status_of(L, lua_isstring(L, -1) ? lua_tostring(L, -1) : "?");
}

#define MAX_AXES 8

/* A sweep (gd.sweep's fields: axes, status, stop_step, final_loss, min_loss, evals) into r and axes. */
static size_t read_sweep(lua_State *L, int s, gdlab_sweep_result *r, gdlab_sweep_axis *axes)
{
    s = lua_absindex(L, s);
    field(L, s, "axes");
    const int ax = lua_gettop(L);
    const size_t n_axes = (size_t)luaL_len(L, ax);
    if (n_axes == 0 || n_axes > MAX_AXES) luaL_error(L, "gd.save: a sweep has 1 to %d axes", MAX_AXES);
    size_t n_runs = 1;
    for (size_t k = 0; k < n_axes; k++) {
        lua_geti(L, ax, (lua_Integer)k + 1);
        if (!field(L, -1, "name") || !lua_isstring(L, -1)) luaL_error(L, "gd.save: the sweep's axis %d has no name", (int)k + 1);
        axes[k].param = lua_tostring(L, -1); /* kept alive by the sweep */
        lua_pop(L, 1);
        if (!field(L, -1, "values")) luaL_error(L, "gd.save: the sweep's axis '%s' has no values", axes[k].param);
        axes[k].n = (size_t)luaL_len(L, -1);
        double *v = stack_buffer(L, axes[k].n, sizeof *v);
        read_numbers(L, -2, axes[k].param, axes[k].n, v, 1);
        axes[k].values = v;
        lua_replace(L, -3); /* keep the buffer where the axis table was */
        lua_pop(L, 1);
        n_runs *= axes[k].n;
    }
    r->n_runs = n_runs;
    r->status = stack_buffer(L, n_runs, sizeof *r->status);
    r->stop_step = stack_buffer(L, n_runs, sizeof *r->stop_step);
    r->final_loss = stack_buffer(L, n_runs, sizeof *r->final_loss);
    r->min_loss = stack_buffer(L, n_runs, sizeof *r->min_loss);
    r->evals = stack_buffer(L, n_runs, sizeof *r->evals);
    static const char *const keys[] = {"status", "stop_step", "final_loss", "min_loss", "evals"};
    void (*const stores[])(lua_State *, void *, size_t) = {store_status, store_count, store_double,
                                                          store_double, store_count};
    void *const outs[] = {r->status, r->stop_step, r->final_loss, r->min_loss, r->evals};
    for (size_t i = 0; i < 5; i++) {
        if (!field(L, s, keys[i])) luaL_error(L, "gd.save: the sweep has no '%s'", keys[i]);
        size_t run = 0;
        read_nested(L, -1, axes, n_axes, 0, keys[i], stores[i], outs[i], &run);
        lua_pop(L, 1);
    }
    return n_axes;
}

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
    if (field(L, idx, "axes")) {
        lua_pop(L, 1);
        gdlab_sweep_result r;
        gdlab_sweep_axis axes[MAX_AXES];
        const size_t n_axes = read_sweep(L, idx, &r, axes);
        failed = gdlab_save_sweep(&r, axes, n_axes, setup, path, err, sizeof err);
    } else {
        gdlab_trajectory t;
        read_run(L, idx, &t);
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
    save_result(L, 1, path, "gd.save");
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
 * -> "lua function". Pushes the text. */
static void push_schedule_json(lua_State *L, int spec)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) luaL_error(L, "out of memory");
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
    fclose(f);
    lua_pushlstring(L, text ? text : "null", text ? len : 4);
    free(text);
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
    const int sweep = field(L, result, "axes");
    if (sweep) lua_pop(L, 1);
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
    const char *label = field(L, result, "label") && lua_isstring(L, -1) ? lua_tostring(L, -1) : NULL;
    char *setup = gdlab_setup_json(s, o, cfg, schedule, label);
    if (!setup) luaL_error(L, "out of memory");
    lua_pushstring(L, setup);
    free(setup);
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
