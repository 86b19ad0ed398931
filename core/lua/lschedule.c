/* SPDX-License-Identifier: MIT */
/* lschedule.c — schedules from Lua: the `schedule` field of gd.run and gd.sweep, and gd.schedule.
 *
 * A schedule is a table naming a kind of core/engine/schedule_kinds.c with its options,
 *     {"cosine", T_max = 100, eta_min = 0}          {"multistep", milestones = {30, 80}, gamma = 0.1}
 *     {"plateau", patience = 5, factor = 0.5}       {"cosine", T_max = 100, param = "momentum"}
 *     {"lambda", lr_lambda = function(e) return 0.95^e end}
 *     {"sequential", milestones = {10}, {"linear", start_factor = 0.1, total_iters = 10},
 *                                       {"cosine", T_max = 90}}
 * or a function of the run so far, which returns the value (view = {t, loss, grad_norm, base}):
 *     function(view) return view.base / math.sqrt(view.t) end
 * or a list of those, each driving its own parameter. What is made lives in userdata left on the
 * stack, so it is freed by the collector even when a later error unwinds the caller. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "gdlab/schedule.h"
#include "lcheck.h"
#include "lgdlab.h"

#define SET_MT "gdlab.schedules"
#define ONE_MT "gdlab.schedule"
#define FN_MT "gdlab.schedule_function"

/* Sets the metatable `name` (made on first use, with __gc = gc) on the value at the top. */
static void set_metatable(lua_State *L, const char *name, lua_CFunction gc)
{
    if (luaL_newmetatable(L, name)) {
        lua_pushcfunction(L, gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
}

/* ---- boxes: what C allocates, owned by a userdata until handed on ----------------------------- */

typedef struct set_box {
    gdlab_schedules *set;
} set_box;

typedef struct one_box {
    gdlab_schedule *s;
} one_box;

static int set_gc(lua_State *L)
{
    set_box *box = luaL_checkudata(L, 1, SET_MT);
    gdlab_schedules_free(box->set);
    box->set = NULL;
    return 0;
}

static int one_gc(lua_State *L)
{
    one_box *box = luaL_checkudata(L, 1, ONE_MT);
    gdlab_schedule_free(box->s);
    box->s = NULL;
    return 0;
}

/* ---- Lua functions --------------------------------------------------------------------------------- */

typedef struct function_schedule {
    lua_State *L;
    int ref;        /* the function, in the registry */
    int epoch;      /* lr_lambda: called with e = t − 1, as torch does; fn: with the view table */
    int failed;     /* set once the function errs or returns something else than a number */
    char error[256];
} function_schedule;

static int function_gc(lua_State *L)
{
    function_schedule *fs = luaL_checkudata(L, 1, FN_MT);
    luaL_unref(L, LUA_REGISTRYINDEX, fs->ref);
    fs->ref = LUA_NOREF;
    return 0;
}

static void push_view(lua_State *L, const gdlab_schedule_view *v)
{
    lua_createtable(L, 0, 4);
    lua_pushinteger(L, (lua_Integer)v->t);
    lua_setfield(L, -2, "t");
    lua_pushnumber(L, v->loss);
    lua_setfield(L, -2, "loss");
    lua_pushnumber(L, v->grad_norm);
    lua_setfield(L, -2, "grad_norm");
    lua_pushnumber(L, v->base);
    lua_setfield(L, -2, "base");
}

/* Runs under lua_pcall with the record and the view as light userdata: making the view table may
 * raise Lua's memory error, which must not unwind through the run's C frames either. */
static int call_protected(lua_State *L)
{
    const function_schedule *fs = lua_touserdata(L, 1);
    const gdlab_schedule_view *v = lua_touserdata(L, 2);
    lua_rawgeti(L, LUA_REGISTRYINDEX, fs->ref);
    if (fs->epoch)
        lua_pushinteger(L, (lua_Integer)v->t - 1);
    else
        push_view(L, v);
    lua_call(L, 1, 1);
    return 1;
}

/* The gdlab_schedule_fn of a Lua function. A Lua error cannot cross the run's C frames, so it is
 * recorded and NaN returned, which stops the run; gd.run then raises the recorded error
 * (lgdlab_schedule_failure). */
static double call_lua(void *ctx, const gdlab_schedule_view *v, char *err, size_t errlen)
{
    function_schedule *fs = ctx;
    if (!fs->failed && !lua_checkstack(fs->L, 4)) {
        snprintf(fs->error, sizeof fs->error, "schedule function at step %llu: the Lua stack is full "
                 "(not enough memory to grow it)", (unsigned long long)v->t);
        fs->failed = 1;
    }
    if (!fs->failed) {
        lua_State *L = fs->L;
        lua_pushcfunction(L, call_protected);
        lua_pushlightuserdata(L, fs);
        lua_pushlightuserdata(L, (void *)v);
        if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
            const char *message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                                                 : "(an error object, not a message)";
            snprintf(fs->error, sizeof fs->error, "schedule function failed at step %llu: %s",
                     (unsigned long long)v->t, message);
            fs->failed = 1;
        } else if (lua_type(L, -1) != LUA_TNUMBER) {
            snprintf(fs->error, sizeof fs->error,
                     "schedule function returned a %s at step %llu, not a number", luaL_typename(L, -1),
                     (unsigned long long)v->t);
            fs->failed = 1;
        } else {
            const double value = lua_tonumber(L, -1);
            lua_pop(L, 1);
            return value;
        }
        lua_pop(L, 1);
    }
    snprintf(err, errlen, "%s", fs->error);
    return NAN;
}

/* Makes the function at idx the function option `name` of s; the record is anchored in the table
 * at `anchors` so it lives as long as the schedules. */
static void set_function(lua_State *L, gdlab_schedule *s, const char *name, int idx, int anchors)
{
    function_schedule *fs = lua_newuserdatauv(L, sizeof *fs, 0);
    *fs = (function_schedule){.L = L, .ref = LUA_NOREF, .epoch = strcmp(name, "fn") != 0};
    set_metatable(L, FN_MT, function_gc);
    lua_pushvalue(L, idx);
    fs->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_rawseti(L, anchors, (lua_Integer)lua_rawlen(L, anchors) + 1); /* our own plain table */
    char err[GDLAB_ERRLEN];
    if (gdlab_schedule_set_function(s, name, call_lua, fs, 0, err, sizeof err))
        luaL_error(L, "schedule: %s", err);
}

/* ---- table specs ------------------------------------------------------------------------------------ */

/* Reads the array of numbers at idx (milestones). */
static void set_list(lua_State *L, gdlab_schedule *s, const char *name, int idx)
{
    size_t n;
    const double *values = lcheck_numbers(L, idx, "schedule", name, 0, 100000, LCHECK_FINITE, &n);
    char err[GDLAB_ERRLEN];
    if (gdlab_schedule_set_list(s, name, values, n, err, sizeof err))
        luaL_error(L, "schedule: %s", err);
    lua_pop(L, 1);
}

/* The option whose name is at -2 and value at -1. */
static void set_option(lua_State *L, gdlab_schedule *s, int anchors)
{
    const char *name = lua_tostring(L, -2);
    char err[GDLAB_ERRLEN];
    int failed = 0;
    if (strcmp(name, "param") == 0) {
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "schedule: 'param' must be the name of an optimizer parameter, got a %s",
                       luaL_typename(L, -1));
        failed = gdlab_schedule_drive(s, lua_tostring(L, -1), err, sizeof err);
    } else {
        switch (lua_type(L, -1)) {
        case LUA_TNUMBER: failed = gdlab_schedule_set(s, name, lua_tonumber(L, -1), err, sizeof err); break;
        case LUA_TBOOLEAN:
            failed = gdlab_schedule_set(s, name, lua_toboolean(L, -1), err, sizeof err);
            break;
        case LUA_TSTRING:
            failed = gdlab_schedule_set_choice(s, name, lua_tostring(L, -1), err, sizeof err);
            break;
        case LUA_TTABLE: set_list(L, s, name, lua_gettop(L)); break;
        case LUA_TFUNCTION: set_function(L, s, name, lua_gettop(L), anchors); break;
        default:
            luaL_error(L, "schedule: option '%s' is a %s; give a number, boolean, string, list or "
                       "function", name, luaL_typename(L, -1));
        }
    }
    if (failed) luaL_error(L, "schedule: %s", err);
}

static gdlab_schedule *schedule_from_lua(lua_State *L, int idx, int anchors, int depth);

#define MAX_NESTING 16 /* parts within parts: far more than any schedule needs */

/* Pushes a box holding the schedule at idx (a table spec or a function), checked. depth counts the
 * compositions around it. */
static one_box *push_schedule(lua_State *L, int idx, int anchors, int depth)
{
    if (depth > MAX_NESTING) luaL_error(L, "schedule: parts nested more than %d deep", MAX_NESTING);
    luaL_checkstack(L, 8, "schedule: nested too deeply");
    if (lua_type(L, idx) != LUA_TTABLE && lua_type(L, idx) != LUA_TFUNCTION)
        luaL_error(L, "schedule: expected a table such as {\"cosine\", T_max = 100} or a function(view), "
                      "got a %s", luaL_typename(L, idx));
    one_box *box = lua_newuserdatauv(L, sizeof *box, 0); /* before anything it must free */
    box->s = NULL;
    set_metatable(L, ONE_MT, one_gc);
    char err[GDLAB_ERRLEN];
    if (lua_type(L, idx) == LUA_TFUNCTION) {
        if (!(box->s = gdlab_schedule_new("function", err, sizeof err))) luaL_error(L, "schedule: %s", err);
        set_function(L, box->s, "fn", idx, anchors);
    } else {
        if (lua_geti(L, idx, 1) != LUA_TSTRING)
            luaL_error(L, "schedule: the first entry must be the kind's name, as in {\"cosine\", "
                          "T_max = 100}");
        box->s = gdlab_schedule_new(lua_tostring(L, -1), err, sizeof err);
        lua_pop(L, 1);
        if (!box->s) luaL_error(L, "schedule: %s", err);
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            if (lua_type(L, -2) == LUA_TSTRING) {
                set_option(L, box->s, anchors);
            } else if (lua_isinteger(L, -2) && lua_tointeger(L, -2) >= 2) {
                /* parts come in order below */
            } else if (!(lua_isinteger(L, -2) && lua_tointeger(L, -2) == 1)) {
                luaL_error(L, "schedule: unexpected entry [%s]; options are named, as in {\"step\", "
                           "step_size = 30}", luaL_tolstring(L, -2, NULL));
            }
            lua_pop(L, 1);
        }
        for (lua_Integer i = 2; lua_geti(L, idx, i) != LUA_TNIL; i++) {
            gdlab_schedule *part = schedule_from_lua(L, lua_gettop(L), anchors, depth + 1);
            if (gdlab_schedule_add_part(box->s, part, err, sizeof err)) luaL_error(L, "schedule: %s", err);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    if (gdlab_schedule_check(box->s, err, sizeof err)) luaL_error(L, "schedule: %s", err);
    return box;
}

/* The schedule at idx, checked and handed over to the caller (who must own it before anything can
 * raise an error). */
static gdlab_schedule *schedule_from_lua(lua_State *L, int idx, int anchors, int depth)
{
    one_box *box = push_schedule(L, idx, anchors, depth);
    gdlab_schedule *s = box->s;
    box->s = NULL;
    lua_pop(L, 1);
    return s;
}

/* ---- the hooks ------------------------------------------------------------------------------------- */

/* Pushes a box holding the schedules at idx: one schedule or a list of them. */
static set_box *push_set(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    const int type = lua_type(L, idx);
    if (type != LUA_TTABLE && type != LUA_TFUNCTION)
        luaL_error(L, "schedule must be a table such as {\"cosine\", T_max = 100}, a function(view) "
                   "returning the value, or a list of those, got a %s", luaL_typename(L, idx));
    set_box *box = lua_newuserdatauv(L, sizeof *box, 1);
    box->set = NULL;
    set_metatable(L, SET_MT, set_gc);
    lua_newtable(L); /* anchors: the function records */
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, -3, 1);
    const int anchors = lua_gettop(L);
    if (!(box->set = gdlab_schedules_new())) luaL_error(L, "schedule: out of memory");
    int list = 0;
    if (type == LUA_TTABLE) {
        const int first = lua_geti(L, idx, 1);
        list = first == LUA_TTABLE || first == LUA_TFUNCTION;
        lua_pop(L, 1);
    }
    const lua_Integer n = list ? (lua_Integer)lcheck_length(L, idx, "schedule", "schedule (a list of schedules)", 1, 64) : 1;
    char err[GDLAB_ERRLEN];
    for (lua_Integer i = 1; i <= n; i++) {
        if (list) lua_geti(L, idx, i);
        gdlab_schedule *s = schedule_from_lua(L, list ? lua_gettop(L) : idx, anchors, 0);
        if (gdlab_schedules_add(box->set, s, err, sizeof err)) luaL_error(L, "schedule: %s", err);
        if (list) lua_pop(L, 1);
    }
    lua_pop(L, 1); /* anchors: the box keeps them */
    return box;
}

void lgdlab_schedule_from_lua(lua_State *L, int idx, gdlab_run_config *cfg)
{
    cfg->schedule = push_set(L, idx)->set;
}

int lgdlab_schedule_thread_safe(const gdlab_run_config *cfg)
{
    return gdlab_schedules_thread_safe(cfg->schedule);
}

const char *lgdlab_schedule_failure(const gdlab_run_config *cfg)
{
    const function_schedule *fs;
    for (size_t i = 0; (fs = gdlab_schedules_function_ctx(cfg->schedule, i)); i++)
        if (fs->failed) return fs->error;
    return NULL;
}

/* gd.schedule(spec, steps [, base = 1 [, losses]]) -> {v_1, ..., v_steps} [, {momentum_1, ...}]: the
 * values a run of that many steps would use, for plotting a schedule on its own. losses[k] is the
 * loss after step k, for plateau; cyclic and onecycle also return the momentum they cycle. */
static int l_schedule(lua_State *L)
{
    const size_t n = (size_t)lcheck_integer(L, 2, "gd.schedule", "steps", 0, 10000000);
    const double base = lua_isnoneornil(L, 3) ? 1.0 : lcheck_number(L, 3, "gd.schedule", "base", -DBL_MAX, DBL_MAX);
    const double *losses = NULL;
    if (!lua_isnoneornil(L, 4)) { /* the loss after each step but the last; more are ignored */
        size_t given;
        losses = lcheck_numbers(L, 4, "gd.schedule", "losses", n ? n - 1 : 0, LCHECK_MAX_LENGTH, LCHECK_ANY, &given);
    }
    double *out = lcheck_buffer(L, 2 * (n ? n : 1), sizeof(double), "gd.schedule");
    const int anchors_at = lua_gettop(L) + 1;
    lua_newtable(L);
    one_box *box = push_schedule(L, 1, anchors_at, 0);
    char err[GDLAB_ERRLEN];
    if (gdlab_schedule_values(box->s, base, n, losses, out, out + n, err, sizeof err))
        return luaL_error(L, "gd.schedule: %s", err);
    for (int which = 0; which < 2; which++) {
        if (which == 1 && (n == 0 || isnan(out[n]))) break; /* no momentum cycled */
        lua_createtable(L, (int)n, 0);
        for (size_t k = 0; k < n; k++) {
            lua_pushnumber(L, out[which * n + k]);
            lua_rawseti(L, -2, (lua_Integer)k + 1);
        }
    }
    return n && !isnan(out[n]) ? 2 : 1;
}

void lgdlab_open_schedule(lua_State *L)
{
    lua_pushcfunction(L, l_schedule);
    lua_setfield(L, -2, "schedule");
}
