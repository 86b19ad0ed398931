/* lrun.c — gd.run{...}: one optimizer on one surface, returned as a plain Lua table.
 * Plain tables (not userdata) so that figures can plot runs a lesson computed itself, too. */
#include <math.h>
#include <string.h>

#include "lgdlab.h"

static const char *const run_keys[] = {"surface", "optimizer", "start", "steps", "tol", "gtol",
                                       "bound", "blowup", "internals", "curvature", "schedule", "seed",
                                       "label", NULL};

static double opt_number(lua_State *L, int idx, const char *what, const char *key, double def)
{
    double v = def;
    if (lua_getfield(L, idx, key) != LUA_TNIL) {
        int ok;
        v = lua_tonumberx(L, -1, &ok);
        if (!ok) luaL_error(L, "%s: '%s' must be a number, got %s", what, key, luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    return v;
}

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

/* Reads `start` into x (dim numbers). */
static void read_start(lua_State *L, int idx, const char *what, size_t dim, double *x)
{
    if (!lua_istable(L, idx)) luaL_error(L, "%s: 'start' must be a table of numbers", what);
    lua_Integer n = luaL_len(L, idx);
    if (n != (lua_Integer)dim)
        luaL_error(L, "%s: 'start' has %d coordinates, the surface has %d", what, (int)n, (int)dim);
    for (size_t i = 0; i < dim; i++) {
        int ok;
        lua_geti(L, idx, (lua_Integer)i + 1);
        x[i] = lua_tonumberx(L, -1, &ok);
        if (!ok) luaL_error(L, "%s: start[%d] is not a number", what, (int)i + 1);
        lua_pop(L, 1);
    }
}

void lgdlab_read_run_config(lua_State *L, int idx, const char *what, const gdlab_surface *s,
                            gdlab_run_config *cfg)
{
    gdlab_run_config_defaults(cfg);
    const size_t dim = gdlab_surface_dim(s);
    double *start = lua_newuserdatauv(L, dim * sizeof(double), 0);
    if (lua_getfield(L, idx, "start") != LUA_TNIL) {
        read_start(L, lua_gettop(L), what, dim, start);
        cfg->start = start;
    }
    lua_pop(L, 1);
    double steps = opt_number(L, idx, what, "steps", (double)cfg->max_steps);
    if (!(steps >= 0 && steps <= 1e9 && steps == floor(steps)))
        luaL_error(L, "%s: 'steps' must be a whole number in [0, 1e9], got %g", what, steps);
    cfg->max_steps = (uint64_t)steps;
    cfg->tol = opt_number(L, idx, what, "tol", cfg->tol);
    cfg->gtol = opt_number(L, idx, what, "gtol", cfg->gtol);
    cfg->bound = opt_number(L, idx, what, "bound", cfg->bound);
    cfg->blowup = opt_number(L, idx, what, "blowup", cfg->blowup);
    double seed = opt_number(L, idx, what, "seed", 0);
    if (!(seed >= 0 && seed == floor(seed) && seed < 9007199254740992.0))
        luaL_error(L, "%s: 'seed' must be a whole number >= 0, got %g", what, seed);
    cfg->seed = (uint64_t)seed;
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
    const gdlab_surface *s = lgdlab_check_surface(L, -1)->s;
    if (lua_getfield(L, 1, "optimizer") == LUA_TNIL)
        return luaL_error(L, "gd.run: 'optimizer' is missing");
    const gdlab_optimizer *o = lgdlab_check_optimizer(L, -1)->o;
    const int top = lua_gettop(L); /* surface and optimizer stay referenced on the stack */

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

    lua_pushstring(L, lgdlab_check_surface(L, top - 1)->name);
    lua_setfield(L, -2, "surface");
    lua_pushstring(L, gdlab_optimizer_desc_of(o)->h.name);
    lua_setfield(L, -2, "optimizer");
    if (lua_getfield(L, 1, "label") == LUA_TNIL) {
        lua_pop(L, 1);
        luaL_tolstring(L, top, NULL); /* the optimizer's own "name lr=.. beta=.." */
    }
    lua_setfield(L, -2, "label");
    lgdlab_result_made(L, -1, 1, s, o, &cfg); /* for gd.save and gdlab --save-runs */
    return 1;
}

void lgdlab_open_run(lua_State *L)
{
    lua_pushcfunction(L, l_run);
    lua_setfield(L, -2, "run");
}
