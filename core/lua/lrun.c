/* SPDX-License-Identifier: MIT */
/* lrun.c — gd.run{...}: one optimizer on one surface to a stop rule, and gd.runner{...}: the same
 * run advanced step by step (:step(n), :state(), :result()). Results are tables of packed arrays
 * (lresult.c); figures take them and hand-made tables alike. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "lcheck.h"
#include "lgdlab.h"

#define RUNNER_MT "gdlab.runner"

static const char *const run_keys[] = {"surface", "optimizer", "start", "steps", "tol", "gtol",
                                       "bound", "blowup", "internals", "curvature", "schedule", "seed",
                                       "label", "record", "details", NULL};

void lgdlab_read_run_config(lua_State *L, int idx, const char *what, const gdlab_surface *s,
                            gdlab_run_config *cfg)
{
    gdlab_run_config_defaults(cfg);
    const size_t dim = gdlab_surface_dim(s);
    if (lua_getfield(L, idx, "start") != LUA_TNIL) /* the buffer stays on the stack */
        cfg->start = lcheck_numbers(L, -1, what, "start", dim, dim, LCHECK_FINITE, &(size_t){0});
    cfg->max_steps = (uint64_t)lcheck_opt_integer(L, idx, "steps", (lua_Integer)cfg->max_steps, 0, 1000000000, what);
    cfg->tol = lcheck_opt_number(L, idx, "tol", cfg->tol, 0, HUGE_VAL, what);
    cfg->gtol = lcheck_opt_number(L, idx, "gtol", cfg->gtol, 0, HUGE_VAL, what);
    cfg->bound = lcheck_opt_number(L, idx, "bound", cfg->bound, 0, HUGE_VAL, what); /* 0: the engine says "> 0" */
    cfg->blowup = lcheck_opt_number(L, idx, "blowup", cfg->blowup, 0, HUGE_VAL, what);
    cfg->seed = (uint64_t)lcheck_opt_integer(L, idx, "seed", 0, 0, (lua_Integer)1 << 53, what);
    if (lua_getfield(L, idx, "schedule") != LUA_TNIL)
        lgdlab_schedule_from_lua(L, lua_gettop(L), cfg); /* keeps what it allocates on the stack */
}

/* record = "path" | "summary" | k (every k-th point), details = bool (default: with a schedule). */
static void read_record(lua_State *L, int idx, const char *what, gdlab_run_config *cfg)
{
    const int type = lua_getfield(L, idx, "record");
    const char *mode = type == LUA_TSTRING ? lua_tostring(L, -1) : "";
    if (type == LUA_TNUMBER) {
        cfg->record_every = (uint64_t)lcheck_integer(L, -1, what, "record (every k-th point)", 1, LUA_MAXINTEGER);
    } else if (strcmp(mode, "path") == 0 || strcmp(mode, "summary") == 0) {
        cfg->record_every = mode[0] == 'p';
    } else if (type != LUA_TNIL) {
        char got[80];
        luaL_error(L, "%s: 'record' must be \"path\", \"summary\" or a whole number k >= 1 (every k-th "
                      "point), got %s", what, lcheck_describe(L, -1, got, sizeof got));
    }
    lua_pop(L, 1);
    /* lr is data only the run knows once a schedule sets it: keep the details then */
    cfg->record_details = cfg->schedule != NULL;
    if (lua_getfield(L, idx, "details") != LUA_TNIL) cfg->record_details = lua_toboolean(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, idx, "internals");
    cfg->record_internals = lua_toboolean(L, -1);
    lua_getfield(L, idx, "curvature");
    cfg->record_curvature = lua_toboolean(L, -1);
    lua_pop(L, 2);
}

/* A started run and what it needs alive: surface, optimizer, and what its configuration points to
 * (start, schedule), all kept in the table of user value 1; user value 2 is the table of the blocks
 * its path is recorded into (lresult_storage.c), until the result takes them. */
typedef struct lrunner {
    gdlab_runner *r;
    gdlab_run_config cfg;
    lgdlab_storage storage; /* cfg.storage */
    const gdlab_optimizer *o;
    /* held (their uses count) while the run lasts, so neither can be freed under it (lhold.c) */
    lgdlab_surface *ls;
    lgdlab_optimizer *lo;
    int busy; /* inside :step (a Lua schedule or surface must not step its own runner) */
} lrunner;

/* Before an engine call on the runner at `runner` that may record: pushes its blocks' table and binds
 * its storage to it (pop it after the call). */
static void lend_storage(lua_State *L, lrunner *lr, int runner)
{
    lua_getiuservalue(L, runner, 2);
    lgdlab_storage_bind(L, &lr->storage, -1);
}

/* Reads gd.run's / gd.runner's argument table at 1 and starts the run: pushes the runner userdata
 * (at 6; below it the surface at 2 and the optimizer at 4, with 3 and 5 nil). */
static lrunner *start_run(lua_State *L, const char *what)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lgdlab_check_keys(L, 1, what, run_keys);
    lua_settop(L, 1);
    if (lua_getfield(L, 1, "surface") == LUA_TNIL) luaL_error(L, "%s: 'surface' is missing", what);
    lgdlab_surface *ls = lgdlab_use_surface(L, 2, what); /* guard at 3 */
    lgdlab_check_not_evaluating(L, ls, what);
    if (lua_getfield(L, 1, "optimizer") == LUA_TNIL) luaL_error(L, "%s: 'optimizer' is missing", what);
    lgdlab_optimizer *lo = lgdlab_use_optimizer(L, 4, what); /* guard at 5 */
    const int runner = 6, keep = 7;
    lrunner *lr = lua_newuserdatauv(L, sizeof *lr, 2);
    memset(lr, 0, sizeof *lr);
    luaL_setmetatable(L, RUNNER_MT);
    lua_createtable(L, 8, 0); /* what the runner keeps alive: surface, optimizer, then start, schedule ... */
    lua_pushvalue(L, 2);
    lua_rawseti(L, keep, 1);
    lua_pushvalue(L, 4);
    lua_rawseti(L, keep, 2);
    lgdlab_read_run_config(L, 1, what, ls->s, &lr->cfg);
    read_record(L, 1, what, &lr->cfg);
    for (int i = keep + 1; i <= lua_gettop(L); i++) {
        lua_pushvalue(L, i);
        lua_rawseti(L, keep, i - keep + 2);
    }
    lua_settop(L, keep);
    lua_setiuservalue(L, runner, 1);
    lgdlab_storage_init(L, &lr->storage);
    lua_setiuservalue(L, runner, 2);
    lr->cfg.storage = &lr->storage.api;
    lr->o = lo->o;
    char err[GDLAB_ERRLEN];
    lend_storage(L, lr, runner);
    lr->r = gdlab_run_begin(ls->s, lr->o, &lr->cfg, err, sizeof err);
    lua_pop(L, 1);
    if (!lr->r) {
        lgdlab_raise_surface_error(L); /* a Lua surface's own error explains best */
        luaL_error(L, "%s: %s", what, err);
    }
    lgdlab_raise_surface_error(L);
    lr->ls = ls, lr->lo = lo;
    ls->uses++, lo->uses++; /* the runner holds them from now on, for as long as it lasts */
    lua_closeslot(L, 5); /* so this call's guards go: the last made first (lgdlab_own) */
    lua_closeslot(L, 3);
    return lr;
}

/* The run is over (its result taken, or the runner collected): let go of surface and optimizer. */
static void release(lrunner *lr)
{
    if (lr->ls) lr->ls->uses--, lr->lo->uses--;
    lr->ls = NULL, lr->lo = NULL;
}

static lrunner *check_runner(lua_State *L)
{
    lrunner *lr = luaL_checkudata(L, 1, RUNNER_MT);
    if (!lr->r) luaL_error(L, "runner: the run has ended (its result was taken)");
    return lr;
}

/* Pushes kept value i (1 surface, 2 optimizer) of the runner at idx. */
static void push_kept(lua_State *L, int idx, int i)
{
    lua_getiuservalue(L, idx, 1);
    lua_rawgeti(L, -1, i);
    lua_remove(L, -2);
}

/* Up to n steps of the runner at `runner`; raises what a Lua schedule or surface raised. Returns
 * whether the run stopped. */
static int advance(lua_State *L, lrunner *lr, int runner, lua_Integer n, const char *what)
{
    if (lr->busy) luaL_error(L, "%s: called from inside this run's own step", what);
    lend_storage(L, lr, runner);
    lr->busy = 1;
    char err[GDLAB_ERRLEN];
    /* one engine call for all n steps: its step loop runs without a call per step */
    const int result = gdlab_run_steps(lr->r, (uint64_t)n, err, sizeof err);
    lua_pop(L, 1);
    lr->busy = 0;
    if (result < 0) luaL_error(L, "%s: %s", what, err);
    lgdlab_raise_surface_error(L);
    const char *failure = lr->cfg.schedule ? lgdlab_schedule_failure(&lr->cfg) : NULL;
    if (failure) luaL_error(L, "%s: %s", what, failure);
    return gdlab_runner_stopped(lr->r);
}

/* Ends the runner at 1 and pushes its result table, with the names and label of gd.run. */
static int push_result(lua_State *L, lrunner *lr, const char *what)
{
    gdlab_trajectory t;
    /* held by this call, as the runner lets them go before making the result (lhold.c) */
    push_kept(L, 1, 1);
    const int surface = lua_gettop(L);
    const lgdlab_surface *ls = lgdlab_use_surface(L, surface, what);
    push_kept(L, 1, 2);
    lgdlab_use_optimizer(L, lua_gettop(L), what);
    lend_storage(L, lr, 1);
    const int blocks = lua_gettop(L);
    gdlab_run_end(lr->r, &t);
    lr->r = NULL;
    release(lr);
    lua_pushnil(L); /* the blocks are the result's now: a runner kept after its result holds none */
    lua_setiuservalue(L, 1, 2);
    lgdlab_push_result(L, &t, blocks, surface, lr->o);
    lua_pushstring(L, ls->name);
    lua_setfield(L, -2, "surface");
    lua_pushstring(L, gdlab_optimizer_desc_of(lr->o)->h.name);
    lua_setfield(L, -2, "optimizer");
    lua_getiuservalue(L, 1, 1);
    lua_getfield(L, -1, "label");
    lua_remove(L, -2);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        push_kept(L, 1, 2);
        luaL_tolstring(L, -1, NULL); /* the optimizer's own "name lr=.. beta=.." */
        lua_remove(L, -2);
    }
    lua_setfield(L, -2, "label");
    lua_getiuservalue(L, 1, 1); /* its label and schedule, as given */
    lgdlab_result_made(L, -2, -1, ls->s, lr->o, &lr->cfg); /* gd.save, --save-runs */
    lua_pop(L, 1);
    return 1;
}

/* The label and schedule given at 1, kept with the runner for its result (and how it was made). */
static void keep_args(lua_State *L, int runner)
{
    lua_getiuservalue(L, runner, 1);
    lua_getfield(L, 1, "label");
    lua_setfield(L, -2, "label");
    lua_getfield(L, 1, "schedule");
    lua_setfield(L, -2, "schedule");
    lua_pop(L, 1);
}

/* gd.run{surface = s, optimizer = o, start = {..}, steps = N, tol = .., gtol = .., bound = ..,
 *        blowup = .., internals = bool, curvature = bool, schedule = .., seed = n, label = "..",
 *        record = "path" | "summary" | k, details = bool} -> result table */
static int l_run(lua_State *L)
{
    lrunner *lr = start_run(L, "gd.run");
    const int runner = lua_gettop(L);
    keep_args(L, runner);
    advance(L, lr, runner, LUA_MAXINTEGER, "gd.run");
    lua_settop(L, runner);
    lua_replace(L, 1); /* the methods below read the runner at 1 */
    lua_settop(L, 1);
    return push_result(L, lr, "gd.run");
}

/* gd.runner{same fields as gd.run} -> a run that has evaluated its start and waits to be stepped. */
static int l_runner(lua_State *L)
{
    start_run(L, "gd.runner");
    keep_args(L, lua_gettop(L));
    return 1;
}

/* runner:step([n = 1]) -> stopped: advances up to n steps, fewer if a stop rule ends the run. */
static int runner_step(lua_State *L)
{
    lrunner *lr = check_runner(L);
    const lua_Integer n = luaL_optinteger(L, 2, 1);
    luaL_argcheck(L, n >= 0, 2, "the number of steps must be >= 0");
    lua_pushboolean(L, advance(L, lr, 1, n, "runner:step"));
    return 1;
}

/* runner:state() -> {step, x = {...}, loss, grad_norm, stopped, status, reason} */
static int runner_state(lua_State *L)
{
    lrunner *lr = check_runner(L);
    const gdlab_trajectory *t = gdlab_runner_trajectory(lr->r);
    const double *x = gdlab_runner_x(lr->r), *g = gdlab_runner_grad(lr->r);
    lua_createtable(L, 0, 8);
    lua_pushinteger(L, (lua_Integer)gdlab_runner_step(lr->r));
    lua_setfield(L, -2, "step");
    lua_createtable(L, (int)t->dim, 0);
    double sum = 0;
    for (size_t i = 0; i < t->dim; i++) {
        lua_pushnumber(L, x[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
        sum += g[i] * g[i];
    }
    lua_setfield(L, -2, "x");
    lua_pushnumber(L, gdlab_runner_loss(lr->r));
    lua_setfield(L, -2, "loss");
    lua_pushnumber(L, sqrt(sum));
    lua_setfield(L, -2, "grad_norm");
    lua_pushinteger(L, (lua_Integer)t->total_evals);
    lua_setfield(L, -2, "evals");
    const int stopped = gdlab_runner_stopped(lr->r);
    lua_pushboolean(L, stopped);
    lua_setfield(L, -2, "stopped");
    if (stopped) {
        lua_pushstring(L, gdlab_status_name(t->status));
        lua_setfield(L, -2, "status");
        lua_pushstring(L, t->reason);
        lua_setfield(L, -2, "reason");
    }
    return 1;
}

/* runner:result() -> the result table gd.run would give; ends the run (a run not stopped yet ends
 * with status "max_steps" and says so). */
static int runner_result(lua_State *L)
{
    lrunner *lr = check_runner(L);
    if (lr->busy) luaL_error(L, "runner:result: called from inside this run's own step");
    lua_settop(L, 1);
    return push_result(L, lr, "runner:result");
}

static int runner_gc(lua_State *L)
{
    lrunner *lr = luaL_checkudata(L, 1, RUNNER_MT);
    if (lr->busy) return 0; /* collected from inside its own step (a Lua surface's f): ends later */
    if (lr->r) {
        lend_storage(L, lr, 1);
        gdlab_run_end(lr->r, NULL);
        lua_pop(L, 1);
    }
    lr->r = NULL;
    release(lr);
    return 0;
}

static int runner_tostring(lua_State *L)
{
    lrunner *lr = luaL_checkudata(L, 1, RUNNER_MT);
    if (lr->r)
        lua_pushfstring(L, "gdlab runner at step %d%s", (int)gdlab_runner_step(lr->r),
                        gdlab_runner_stopped(lr->r) ? " (stopped)" : "");
    else
        lua_pushliteral(L, "gdlab runner (ended)");
    return 1;
}

void lgdlab_open_run(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"step", runner_step}, {"state", runner_state}, {"result", runner_result}, {NULL, NULL},
    };
    luaL_newmetatable(L, RUNNER_MT);
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, runner_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, runner_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
    lgdlab_open_result(L);
    lua_pushcfunction(L, l_run);
    lua_setfield(L, -2, "run");
    lua_pushcfunction(L, l_runner);
    lua_setfield(L, -2, "runner");
}
