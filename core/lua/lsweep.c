/* SPDX-License-Identifier: MIT */
/* lsweep.c — gd.sweep{...}: one run per combination of parameter values, on all cores (core/engine/sweep.c).
 *
 *   local r = gd.sweep{surface = s, optimizer = gd.optimizer("momentum", {form = "ema"}),
 *                      over = {{"lr", lrs}, {"beta", betas}}, start = {-4, 1.5}, steps = 300, tol = 1e-3}
 *   r.final_loss[i][j], r.status[i][j], r.stop_step[i][j]   -- i along lr, j along beta
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lgdlab.h"

static const char *const sweep_keys[] = {"surface", "optimizer", "over", "start", "steps", "tol", "gtol",
                                         "bound", "blowup", "schedule", "seed", "threads", "to", NULL};

/* The distributor gd.sweep runs through, kept in the Lua registry under this key's address. */
static const char distributor_key = 0;

void lgdlab_set_sweep_distributor(lua_State *L, const gdlab_sweep_distributor *d)
{
    lua_pushlightuserdata(L, (void *)d);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &distributor_key);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    if (lua_getfield(L, -1, "gdlab") == LUA_TTABLE) {
        lua_pushinteger(L, d->rank);
        lua_setfield(L, -2, "rank");
        lua_pushinteger(L, d->ranks);
        lua_setfield(L, -2, "ranks");
    }
    lua_pop(L, 2);
}

static const gdlab_sweep_distributor *distributor(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &distributor_key);
    const gdlab_sweep_distributor *d = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return d ? d : gdlab_sweep_local();
}

int lgdlab_rank(lua_State *L)
{
    return distributor(L)->rank;
}

/* A sweep's results are Lua tables of one entry per run: this many at most. */
#define SWEEP_MAX_RUNS 10000000

/* The numbers of the list at idx, in a buffer owned by the stack. */
static double *read_values(lua_State *L, int idx, const char *param, size_t *n)
{
    char name[64];
    snprintf(name, sizeof name, "over.%.50s", param);
    return lcheck_numbers(L, idx, "gd.sweep", name, 1, SWEEP_MAX_RUNS, LCHECK_FINITE, n);
}

/* over = {{"lr", {...}}, {"beta", {...}}} (in this order: the first axis is the outer index), or
 * {lr = {...}} for one parameter. Buffers stay on the stack. */
static size_t read_axes(lua_State *L, int t, gdlab_sweep_axis *axes, size_t cap)
{
    if (lua_getfield(L, t, "over") != LUA_TTABLE)
        luaL_error(L, "gd.sweep: 'over' must be {{\"lr\", {values}}, ...} or {lr = {values}}");
    const int over = lua_gettop(L);
    size_t n = lcheck_length(L, over, "gd.sweep", "over", 0, cap);
    if (n == 0) { /* {name = values}: exactly one */
        lua_pushnil(L);
        if (!lua_next(L, over) || lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, "gd.sweep: 'over' names no parameter");
        axes[0].param = lua_tostring(L, -2);
        axes[0].values = read_values(L, lua_gettop(L), axes[0].param, &axes[0].n);
        lua_insert(L, -3); /* keep the buffer below the key and value */
        lua_pop(L, 1);     /* the value; the key stays for lua_next (the table keeps the name alive) */
        if (lua_next(L, over))
            luaL_error(L, "gd.sweep: with several parameters give an order: over = {{\"lr\", {...}}, "
                          "{\"beta\", {...}}}");
        return 1;
    }
    luaL_checkstack(L, 4 * (int)n, "gd.sweep");
    for (size_t k = 0; k < n; k++) {
        lua_geti(L, over, (lua_Integer)k + 1);
        const int e = lua_gettop(L);
        if (!lcheck_is_array(L, e)) luaL_error(L, "gd.sweep: over[%d] must be {\"name\", {values}}", (int)k + 1);
        lua_geti(L, e, 1);
        lua_geti(L, e, 2);
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, "gd.sweep: over[%d] must be {\"name\", {values}}", (int)k + 1);
        axes[k].param = lua_tostring(L, -2);
        axes[k].values = read_values(L, lua_gettop(L), axes[k].param, &axes[k].n);
    }
    return n;
}

/* Push the values of runs [first, first + count) as nested tables along axes k, k+1, ... */
static void push_nested(lua_State *L, const gdlab_sweep_axis *axes, size_t n_axes, size_t k,
                        size_t first, size_t stride, void (*push)(lua_State *, const void *, size_t),
                        const void *data)
{
    const size_t inner = stride / axes[k].n;
    lua_createtable(L, (int)axes[k].n, 0);
    for (size_t i = 0; i < axes[k].n; i++) {
        if (k + 1 == n_axes)
            push(L, data, first + i);
        else
            push_nested(L, axes, n_axes, k + 1, first + i * inner, inner, push, data);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

static void push_status(lua_State *L, const void *d, size_t r)
{
    lua_pushstring(L, gdlab_status_name(((const gdlab_status *)d)[r]));
}
static void push_double(lua_State *L, const void *d, size_t r)
{
    lua_pushnumber(L, ((const double *)d)[r]);
}
static void push_u64(lua_State *L, const void *d, size_t r)
{
    lua_pushinteger(L, (lua_Integer)((const uint64_t *)d)[r]);
}

/* The sink of a rank 0 that could not open the sweep's file while other ranks already sweep: the
 * first part fails with the file's error, which the distributor then gives every rank to raise. */
static int failing_put(void *ctx, size_t first, const gdlab_sweep_result *part, char *err, size_t errlen)
{
    (void)first, (void)part;
    snprintf(err, errlen, "%s", (const char *)ctx);
    return -1;
}

static void release_results(void *handle)
{
    gdlab_sweep_result_free(handle);
}

static int l_sweep(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lgdlab_check_keys(L, 1, "gd.sweep", sweep_keys);
    if (lua_getfield(L, 1, "surface") == LUA_TNIL) return luaL_error(L, "gd.sweep: 'surface' is missing");
    lgdlab_surface *ls = lgdlab_use_surface(L, lua_gettop(L), "gd.sweep");
    lgdlab_check_not_evaluating(L, ls, "gd.sweep");
    const gdlab_surface *s = ls->s;
    if (lua_getfield(L, 1, "optimizer") == LUA_TNIL)
        return luaL_error(L, "gd.sweep: 'optimizer' is missing");
    const gdlab_optimizer *o = lgdlab_use_optimizer(L, lua_gettop(L), "gd.sweep")->o;
    gdlab_sweep_axis axes[8];
    const size_t n_axes = read_axes(L, 1, axes, 8);
    for (size_t k = 0, grid = 1; k < n_axes; k++) { /* bounded before anything is allocated */
        if (axes[k].n > SWEEP_MAX_RUNS / grid)
            return luaL_error(L, "gd.sweep: 'over' asks for more than %d runs (the product of the numbers of "
                              "values); sweep fewer values", SWEEP_MAX_RUNS);
        grid *= axes[k].n;
    }
    gdlab_run_config cfg;
    lgdlab_read_run_config(L, 1, "gd.sweep", s, &cfg);
    const lua_Integer threads = lcheck_opt_integer(L, 1, "threads", 0, 0, 256, "gd.sweep"); /* 0: all cores */

    const char *to = NULL;
    if (lua_getfield(L, 1, "to") != LUA_TNIL) {
        to = lua_tostring(L, -1);
        if (!lua_isstring(L, -1) || !*to) luaL_error(L, "gd.sweep: 'to' must be a file name");
    }

    const gdlab_sweep_spec sp = {.s = s, .d = gdlab_optimizer_desc_of(o), .base = gdlab_optimizer_params(o),
                                 .axes = axes, .n_axes = n_axes, .cfg = &cfg,
                                 .thread_safe_schedule = lgdlab_schedule_thread_safe(&cfg),
                                 .threads = (unsigned)threads};
    const gdlab_sweep_distributor *dist = distributor(L);
    /* the results are the call's until it returns or raises (making their tables may run out of memory) */
    gdlab_sweep_result *r = lgdlab_own(L, sizeof *r, release_results);
    gdlab_sweep_file *file = NULL;
    char err[GDLAB_ERRLEN * 2];
    size_t n_runs;
    int failed = gdlab_sweep_check(&sp, &n_runs, err, sizeof err);
    /* in memory on every rank (scripts stay the same on all of them); a file is rank 0's alone */
    if (!failed && !to && gdlab_sweep_result_alloc(r, n_runs)) {
        snprintf(err, sizeof err, "sweep: out of memory for %zu runs' results", n_runs);
        failed = -1;
    }
    char open_err[GDLAB_ERRLEN * 2] = "";
    if (!failed && to && dist->rank == 0) {
        file = gdlab_sweep_file_open(to, &sp, n_runs, open_err, sizeof open_err);
        snprintf(err, sizeof err, "%s", open_err);
        failed = !file && dist->ranks == 1; /* other ranks are on their way into the sweep: failing_put */
    }
    gdlab_sweep_sink sink = {gdlab_sweep_result_put, r};
    if (to) sink = (gdlab_sweep_sink){gdlab_sweep_file_put, file};
    if (open_err[0]) sink = (gdlab_sweep_sink){failing_put, open_err};
    if (!failed) failed = dist->run(dist, &sp, n_runs, &sink, err, sizeof err);
    if (!failed && !to) failed = dist->share(dist, r, err, sizeof err);
    const char *failure = !failed && cfg.schedule ? lgdlab_schedule_failure(&cfg) : NULL;
    if (failure) {
        snprintf(err, sizeof err, "%s", failure);
        failed = -1;
    }
    if (!failed && file) {
        failed = gdlab_sweep_file_commit(file, err, sizeof err);
        file = NULL;
    }
    if (failed) {
        gdlab_sweep_file_abort(file);
        lgdlab_raise_surface_error(L);
        return luaL_error(L, "gd.sweep: %s", err);
    }

    lua_createtable(L, 0, 8);
    lua_createtable(L, (int)n_axes, 0);
    for (size_t k = 0; k < n_axes; k++) {
        lua_createtable(L, 0, 2);
        lua_pushstring(L, axes[k].param);
        lua_setfield(L, -2, "name");
        lua_createtable(L, (int)axes[k].n, 0);
        for (size_t i = 0; i < axes[k].n; i++) {
            lua_pushnumber(L, axes[k].values[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        lua_setfield(L, -2, "values");
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_setfield(L, -2, "axes");
    lua_pushinteger(L, (lua_Integer)n_runs);
    lua_setfield(L, -2, "runs");
    if (to) { /* the results are in the file only */
        lua_pushstring(L, to);
        lua_setfield(L, -2, "file");
        return 1;
    }
    push_nested(L, axes, n_axes, 0, 0, r->n_runs, push_status, r->status);
    lua_setfield(L, -2, "status");
    push_nested(L, axes, n_axes, 0, 0, r->n_runs, push_u64, r->stop_step);
    lua_setfield(L, -2, "stop_step");
    push_nested(L, axes, n_axes, 0, 0, r->n_runs, push_double, r->final_loss);
    lua_setfield(L, -2, "final_loss");
    push_nested(L, axes, n_axes, 0, 0, r->n_runs, push_double, r->min_loss);
    lua_setfield(L, -2, "min_loss");
    push_nested(L, axes, n_axes, 0, 0, r->n_runs, push_u64, r->evals);
    lua_setfield(L, -2, "evals");
    lgdlab_raise_surface_error(L);
    lgdlab_result_made(L, -1, 1, s, o, &cfg); /* for gd.save and gdlab --save-runs */
    return 1;
}

void lgdlab_open_sweep(lua_State *L)
{
    lua_pushcfunction(L, l_sweep);
    lua_setfield(L, -2, "sweep");
    lua_pushinteger(L, 0); /* this process's rank among those sharing sweeps, and how many */
    lua_setfield(L, -2, "rank");
    lua_pushinteger(L, 1);
    lua_setfield(L, -2, "ranks");
}
