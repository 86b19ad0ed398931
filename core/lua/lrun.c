/* lrun.c — gd.run{...}: one optimizer on one surface, returned as a plain Lua table.
 * Plain tables (not userdata) so that figures can plot runs a lesson computed itself, too. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "lgdlab.h"

static const char *const run_keys[] = {"surface", "optimizer", "start", "steps", "tol", "gtol",
                                       "bound", "blowup", "internals", "curvature", "schedule", "seed",
                                       "label", NULL};

static void set_array(lua_State *L, const char *key, const double *v, size_t n, size_t stride)
{
    lua_createtable(L, (int)n, 0);
    for (size_t k = 0; k < n; k++) {
        lua_pushnumber(L, v[k * stride]);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_setfield(L, -2, key);
}

static void set_internals(lua_State *L, const gdlab_optimizer_desc *od, const gdlab_trajectory *t)
{
    lua_newtable(L);
    size_t col = 0;
    for (size_t i = 0; i < od->n_internals && t->n_internals; i++) {
        const gdlab_internal *in = &od->internals[i];
        if (!in->per_coordinate) {
            set_array(L, in->name, t->internals + col, t->n, t->n_internals);
            col++;
            continue;
        }
        /* per coordinate: internals.name[c] is the series of coordinate c */
        lua_createtable(L, (int)t->dim, 0);
        for (size_t c = 0; c < t->dim; c++) {
            lua_createtable(L, (int)t->n, 0);
            for (size_t k = 0; k < t->n; k++) {
                lua_pushnumber(L, t->internals[k * t->n_internals + col + c]);
                lua_rawseti(L, -2, (lua_Integer)k + 1);
            }
            lua_rawseti(L, -2, (lua_Integer)c + 1);
        }
        lua_setfield(L, -2, in->name);
        col += t->dim;
    }
    lua_setfield(L, -2, "internals");
}

static void push_trajectory(lua_State *L, const gdlab_trajectory *t, const gdlab_optimizer_desc *od)
{
    lua_createtable(L, 0, 20);
    lua_pushstring(L, gdlab_status_name(t->status));
    lua_setfield(L, -2, "status");
    lua_pushinteger(L, (lua_Integer)t->n - 1);
    lua_setfield(L, -2, "steps");
    lua_pushinteger(L, (lua_Integer)t->stop_step);
    lua_setfield(L, -2, "stop_step");
    lua_pushstring(L, t->reason);
    lua_setfield(L, -2, "reason");
    lua_pushinteger(L, (lua_Integer)t->dim);
    lua_setfield(L, -2, "dim");
    set_array(L, "x", t->x, t->n, t->dim);
    if (t->dim >= 2) set_array(L, "y", t->x + 1, t->n, t->dim);
    lua_createtable(L, (int)t->n, 0);
    for (size_t k = 0; k < t->n; k++) {
        lua_createtable(L, (int)t->dim, 0);
        for (size_t i = 0; i < t->dim; i++) {
            lua_pushnumber(L, t->x[k * t->dim + i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_setfield(L, -2, "points");
    set_array(L, "loss", t->loss, t->n, 1);
    set_array(L, "grad_norm", t->grad_norm, t->n, 1);
    set_array(L, "lr", t->lr, t->n, 1);
    lua_createtable(L, (int)t->n, 0);
    for (size_t k = 0; k < t->n; k++) {
        lua_pushinteger(L, (lua_Integer)t->evals[k]);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_setfield(L, -2, "evals");
    lua_pushinteger(L, (lua_Integer)t->hessian_evals);
    lua_setfield(L, -2, "hessian_evals");
    set_internals(L, od, t);
    if (t->curvature) { /* the Hessian's extreme eigenvalues at every point */
        set_array(L, "lambda_min", t->curvature, t->n, 2);
        set_array(L, "lambda_max", t->curvature + 1, t->n, 2);
    }
}

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

/* gd.run{surface = s, optimizer = o, start = {..}, steps = N, tol = .., gtol = .., bound = ..,
 *        blowup = .., internals = bool, schedule = .., seed = n, label = ".."} -> run table */
static int l_run(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lgdlab_check_keys(L, 1, "gd.run", run_keys);
    if (lua_getfield(L, 1, "surface") == LUA_TNIL) return luaL_error(L, "gd.run: 'surface' is missing");
    const int surface = lua_gettop(L);
    lgdlab_surface *ls = lgdlab_use_surface(L, surface, "gd.run");
    lgdlab_check_not_evaluating(L, ls, "gd.run");
    const gdlab_surface *s = ls->s;
    if (lua_getfield(L, 1, "optimizer") == LUA_TNIL)
        return luaL_error(L, "gd.run: 'optimizer' is missing");
    const int top = lua_gettop(L); /* surface and optimizer stay referenced on the stack */
    const gdlab_optimizer *o = lgdlab_use_optimizer(L, top, "gd.run")->o;

    gdlab_run_config cfg;
    lgdlab_read_run_config(L, 1, "gd.run", s, &cfg);
    lua_getfield(L, 1, "internals");
    cfg.record_internals = lua_toboolean(L, -1);
    lua_getfield(L, 1, "curvature");
    cfg.record_curvature = lua_toboolean(L, -1);
    lua_pop(L, 2);

    gdlab_trajectory t;
    char err[GDLAB_ERRLEN];
    if (gdlab_run(s, o, &cfg, &t, err, sizeof err)) {
        lgdlab_raise_surface_error(L); /* a Lua surface's own error explains best */
        return luaL_error(L, "gd.run: %s", err);
    }
    const char *schedule_failure = cfg.schedule ? lgdlab_schedule_failure(&cfg) : NULL;
    if (schedule_failure) {
        gdlab_trajectory_free(&t);
        return luaL_error(L, "gd.run: %s", schedule_failure);
    }
    push_trajectory(L, &t, gdlab_optimizer_desc_of(o));
    gdlab_trajectory_free(&t);
    lgdlab_raise_surface_error(L); /* a failing Lua surface returned NaN: raise its own error */

    lua_pushstring(L, ls->name);
    lua_setfield(L, -2, "surface");
    lua_pushstring(L, gdlab_optimizer_desc_of(o)->h.name);
    lua_setfield(L, -2, "optimizer");
    if (lua_getfield(L, 1, "label") == LUA_TNIL) {
        lua_pop(L, 1);
        luaL_tolstring(L, top, NULL); /* the optimizer's own "name lr=.. beta=.." */
    }
    lua_setfield(L, -2, "label");
    return 1;
}

void lgdlab_open_run(lua_State *L)
{
    lua_pushcfunction(L, l_run);
    lua_setfield(L, -2, "run");
}
