/* lschedule.c — learning-rate schedules from Lua: the `schedule` field of gd.run, and gd.schedule.
 *
 * A schedule is either a table naming a kind of core/engine/schedule.c with its options,
 *     {"cosine", T_max = 100, eta_min = 0}      {"multistep", milestones = {30, 80}, gamma = 0.1}
 *     {"cyclic", max_lr = 0.1, step_size_up = 10, mode = "triangular2"}
 * or a Lua function of the step t (1-based) and the optimizer's base lr:
 *     function(t, base_lr) return base_lr / math.sqrt(t) end
 * Either way what is made lives in a userdata left on the stack, so it is freed by the collector
 * even when a later error unwinds the caller. */
#include <math.h>
#include <string.h>

#include "gdlab/schedule.h"
#include "lgdlab.h"

#define SCHEDULE_MT "gdlab.schedule"
#define SCHEDULE_FN_MT "gdlab.schedule_function"

/* Sets the metatable `name` (made on first use, with __gc = gc) on the value at the top. */
static void set_metatable(lua_State *L, const char *name, lua_CFunction gc)
{
    if (luaL_newmetatable(L, name)) {
        lua_pushcfunction(L, gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
}

/* ---- table specs: a gdlab_schedule in a box ------------------------------------------------------ */

typedef struct schedule_box {
    gdlab_schedule *s;
} schedule_box;

static int schedule_gc(lua_State *L)
{
    schedule_box *box = luaL_checkudata(L, 1, SCHEDULE_MT);
    gdlab_schedule_free(box->s);
    box->s = NULL;
    return 0;
}

/* Reads the array of numbers at idx (milestones). */
static void set_list_option(lua_State *L, gdlab_schedule *s, const char *name, int idx)
{
    size_t n;
    const double *values = lcheck_numbers(L, idx, "schedule", name, 0, 100000, LCHECK_FINITE, &n);
    char err[GDLAB_ERRLEN];
    if (gdlab_schedule_set_list(s, name, values, n, err, sizeof err))
        luaL_error(L, "schedule: %s", err);
    lua_pop(L, 1);
}

/* The option whose name is at -2 and value at -1. */
static void set_option(lua_State *L, gdlab_schedule *s)
{
    const char *name = lua_tostring(L, -2);
    char err[GDLAB_ERRLEN];
    int failed;
    switch (lua_type(L, -1)) {
    case LUA_TNUMBER: failed = gdlab_schedule_set(s, name, lua_tonumber(L, -1), err, sizeof err); break;
    case LUA_TBOOLEAN: failed = gdlab_schedule_set(s, name, lua_toboolean(L, -1), err, sizeof err); break;
    case LUA_TSTRING:
        failed = gdlab_schedule_set_choice(s, name, lua_tostring(L, -1), err, sizeof err);
        break;
    case LUA_TTABLE: set_list_option(L, s, name, lua_gettop(L)); return;
    default:
        luaL_error(L, "schedule: option '%s' is a %s; give a number, boolean, string or list", name,
                   luaL_typename(L, -1));
        return;
    }
    if (failed) luaL_error(L, "schedule: %s", err);
}

/* Pushes a box holding the checked schedule described by the table at idx. */
static gdlab_schedule *schedule_from_table(lua_State *L, int idx)
{
    if (lua_geti(L, idx, 1) != LUA_TSTRING)
        luaL_error(L, "schedule: the first entry must be the kind's name, as in {\"cosine\", "
                      "T_max = 100}");
    schedule_box *box = lua_newuserdatauv(L, sizeof *box, 0); /* before anything it must free */
    box->s = NULL;
    set_metatable(L, SCHEDULE_MT, schedule_gc);
    char err[GDLAB_ERRLEN];
    gdlab_schedule *s = box->s = gdlab_schedule_new(lua_tostring(L, -2), err, sizeof err);
    lua_remove(L, -2); /* the kind's name */
    if (!s) luaL_error(L, "schedule: %s", err);

    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -2) == LUA_TSTRING)
            set_option(L, s);
        else if (!(lua_isinteger(L, -2) && lua_tointeger(L, -2) == 1))
            luaL_error(L, "schedule: unexpected entry [%s]; options are named, as in {\"step\", "
                       "step_size = 30}", luaL_tolstring(L, -2, NULL));
        lua_pop(L, 1);
    }
    if (gdlab_schedule_check(s, err, sizeof err)) luaL_error(L, "schedule: %s", err);
    return s;
}

/* ---- Lua functions ------------------------------------------------------------------------------- */

typedef struct function_schedule {
    lua_State *L;
    int ref;              /* the function, in the registry */
    int failed;           /* set once the function errs or returns something else than a number */
    char error[256];
} function_schedule;

static int function_gc(lua_State *L)
{
    function_schedule *fs = luaL_checkudata(L, 1, SCHEDULE_FN_MT);
    luaL_unref(L, LUA_REGISTRYINDEX, fs->ref);
    fs->ref = LUA_NOREF;
    return 0;
}

/* The gdlab_lr_schedule for a Lua function. The run cannot carry a Lua error through C, so a failure
 * is recorded and NaN returned, which stops the run; gd.run then raises the recorded error
 * (lgdlab_schedule_failure). */
static double function_lr(void *ctx, uint64_t t, double base_lr)
{
    function_schedule *fs = ctx;
    if (fs->failed) return NAN;
    lua_State *L = fs->L;
    if (!lua_checkstack(L, 4)) {
        snprintf(fs->error, sizeof fs->error, "schedule function: Lua stack overflow at step %llu",
                 (unsigned long long)t);
        fs->failed = 1;
        return NAN;
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, fs->ref);
    lua_pushinteger(L, (lua_Integer)t);
    lua_pushnumber(L, base_lr);
    double lr = NAN;
    if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
        const char *message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                                             : "(an error object, not a message)";
        snprintf(fs->error, sizeof fs->error, "schedule function failed at step %llu: %s",
                 (unsigned long long)t, message);
        fs->failed = 1;
    } else if (lua_type(L, -1) != LUA_TNUMBER) {
        snprintf(fs->error, sizeof fs->error,
                 "schedule function returned a %s at step %llu, not a number", luaL_typename(L, -1),
                 (unsigned long long)t);
        fs->failed = 1;
    } else {
        lr = lua_tonumber(L, -1);
    }
    lua_pop(L, 1);
    return lr;
}

static function_schedule *schedule_from_function(lua_State *L, int idx)
{
    function_schedule *fs = lua_newuserdatauv(L, sizeof *fs, 0);
    *fs = (function_schedule){.L = L, .ref = LUA_NOREF};
    set_metatable(L, SCHEDULE_FN_MT, function_gc);
    lua_pushvalue(L, idx);
    fs->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return fs;
}

/* ---- the hooks ----------------------------------------------------------------------------------- */

void lgdlab_schedule_from_lua(lua_State *L, int idx, gdlab_run_config *cfg)
{
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
    case LUA_TTABLE:
        cfg->schedule = gdlab_schedule_lr;
        cfg->schedule_ctx = schedule_from_table(L, idx);
        break;
    case LUA_TFUNCTION:
        cfg->schedule = function_lr;
        cfg->schedule_ctx = schedule_from_function(L, idx);
        break;
    default:
        luaL_error(L, "schedule must be a table such as {\"cosine\", T_max = 100} or a function(t, "
                   "base_lr) returning the lr, got a %s", luaL_typename(L, idx));
    }
}

int lgdlab_schedule_thread_safe(const gdlab_run_config *cfg)
{
    return cfg->schedule != function_lr;
}

const char *lgdlab_schedule_failure(const gdlab_run_config *cfg)
{
    if (cfg->schedule != function_lr) return NULL;
    const function_schedule *fs = cfg->schedule_ctx;
    return fs->failed ? fs->error : NULL;
}

/* gd.schedule(spec, steps [, base_lr = 1]) -> {lr_1, ..., lr_steps}: the lr sequence a run of that
 * many steps would use, for plotting a schedule on its own. */
static int l_schedule(lua_State *L)
{
    const lua_Integer steps = lcheck_integer(L, 2, "gd.schedule", "steps", 0, 10000000);
    const double base_lr = lua_isnoneornil(L, 3) ? 1.0 : lcheck_number(L, 3, "gd.schedule", "base_lr", 0, HUGE_VAL);
    lua_settop(L, 3);
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    lgdlab_schedule_from_lua(L, 1, &cfg);
    lua_createtable(L, (int)steps, 0);
    for (lua_Integer t = 1; t <= steps; t++) {
        lua_pushnumber(L, cfg.schedule(cfg.schedule_ctx, (uint64_t)t, base_lr));
        const char *failure = lgdlab_schedule_failure(&cfg);
        if (failure) return luaL_error(L, "gd.schedule: %s", failure);
        lua_rawseti(L, -2, t);
    }
    return 1;
}

void lgdlab_open_schedule(lua_State *L)
{
    lua_pushcfunction(L, l_schedule);
    lua_setfield(L, -2, "schedule");
}
