/* SPDX-License-Identifier: MIT */
/* lresult.c — a run's result in Lua: a plain table whose per-point fields (x, y, loss, grad_norm, lr,
 * evals, points, lambda_min, lambda_max) are packed arrays over the memory the run recorded into
 * (lresult_storage.c), not one Lua number per value: a 2-D path holds 24 bytes per point (x, y, f)
 * instead of ~270 in tables.
 *
 * A packed array reads like a list: r.x[i], #r.loss, ipairs(r.loss) (Lua 5.4's ipairs honours
 * __index), pairs(r.loss), and r.points[k] gives a fresh {x, y}. It is read-only. Fields the run did
 * not keep are derived on demand, exactly: grad_norm from the surface at the recorded points (the
 * same exact-gradient evaluation the run made, not counted), lr from the optimizer's constant rate
 * when no schedule ran, evals from their compact form (gdlab_trajectory_evals). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lgdlab.h"

/* A trajectory whose arrays are Lua userdata blocks (lresult_storage.c), kept in the table that is
 * this userdata's user value: Lua's collector counts their memory (a script making many large runs
 * is collected in time) and frees it with the result. The arrays keep it alive through their user
 * value. */
typedef struct owned_trajectory {
    gdlab_trajectory t;
} owned_trajectory;

/* Takes t over (its arrays are blocks in the table at `blocks`) into a new userdata, pushed. */
static owned_trajectory *push_owned(lua_State *L, gdlab_trajectory *t, int blocks)
{
    owned_trajectory *o = lua_newuserdatauv(L, sizeof *o, 1);
    o->t = *t;
    memset(t, 0, sizeof *t);
    lua_pushvalue(L, blocks);
    lua_setiuservalue(L, -2, 1);
    return o;
}

enum array_kind {
    ARRAY_VIEW,      /* data[i * stride] */
    ARRAY_CONSTANT,  /* NaN at 1, then `constant` (lr without a schedule) */
    ARRAY_EVALS,     /* gdlab_trajectory_evals */
    ARRAY_GRAD_NORM, /* computed from the surface on first use into data */
    ARRAY_POINTS     /* row i of x as a fresh table */
};

struct lgdlab_array {
    enum array_kind kind;
    size_t n, stride;
    const double *data;
    double constant;
    const gdlab_trajectory *t;
};

/* user values: 1 the trajectory, 2 the surface (grad_norm), 3 the derived buffer */
static lgdlab_array *push_array(lua_State *L, int owner, enum array_kind kind, const double *data,
                                size_t stride)
{
    const owned_trajectory *o = lua_touserdata(L, owner);
    lgdlab_array *a = lua_newuserdatauv(L, sizeof *a, 3);
    *a = (lgdlab_array){kind, o->t.n, stride, data, NAN, &o->t};
    luaL_setmetatable(L, LGDLAB_ARRAY_MT);
    lua_pushvalue(L, owner);
    lua_setiuservalue(L, -2, 1);
    return a;
}

/* grad_norm on first use: ‖∇f‖ at every recorded point, as the run computed it. A C function of its
 * own (derive_grad_norm calls it), so that the surface's hold ends with it: the array at 1. */
static int grad_norm_from_surface(lua_State *L)
{
    lgdlab_array *a = lua_touserdata(L, 1);
    lua_getiuservalue(L, 1, 2);
    const gdlab_surface *s = lgdlab_use_surface(L, 2, "grad_norm (derived from the run's surface)")->s;
    const size_t dim = a->t->dim;
    double *norms = lua_newuserdatauv(L, (a->n ? a->n : 1) * sizeof *norms + dim * sizeof(double), 0);
    double *grad = norms + (a->n ? a->n : 1);
    for (size_t i = 0; i < a->n; i++) {
        gdlab_surface_eval(s, a->t->x + i * dim, grad);
        double sum = 0;
        for (size_t j = 0; j < dim; j++)
            sum += grad[j] * grad[j];
        norms[i] = sqrt(sum);
    }
    lgdlab_raise_surface_error(L);
    lua_setiuservalue(L, 1, 3);
    a->data = norms;
    a->stride = 1;
    a->kind = ARRAY_VIEW;
    return 0;
}

static void derive_grad_norm(lua_State *L, int idx)
{
    luaL_checkstack(L, 2, "grad_norm");
    lua_pushcfunction(L, grad_norm_from_surface);
    lua_pushvalue(L, idx);
    lua_call(L, 1, 0);
}

/* The packed array at idx with its numbers ready, or NULL (r.points is an array of tables, not numbers). */
lgdlab_array *lgdlab_test_array(lua_State *L, int idx)
{
    lgdlab_array *a = luaL_testudata(L, idx, LGDLAB_ARRAY_MT);
    if (a && a->kind == ARRAY_GRAD_NORM) derive_grad_norm(L, lua_absindex(L, idx));
    return a && a->kind != ARRAY_POINTS ? a : NULL;
}

size_t lgdlab_array_len(const lgdlab_array *a)
{
    return a->n;
}

double lgdlab_array_get(const lgdlab_array *a, size_t i)
{
    switch (a->kind) {
    case ARRAY_CONSTANT: return i == 0 ? NAN : a->constant;
    case ARRAY_EVALS: return (double)gdlab_trajectory_evals(a->t, i);
    default: return a->data[i * a->stride];
    }
}

static int array_index(lua_State *L)
{
    lgdlab_array *a = luaL_checkudata(L, 1, LGDLAB_ARRAY_MT);
    if (a->kind == ARRAY_GRAD_NORM) derive_grad_norm(L, 1);
    int ok;
    const lua_Integer i = lua_tointegerx(L, 2, &ok);
    if (!ok || i < 1 || (lua_Unsigned)i > a->n) {
        lua_pushnil(L);
        return 1;
    }
    const size_t k = (size_t)i - 1;
    if (a->kind == ARRAY_EVALS) {
        lua_pushinteger(L, (lua_Integer)gdlab_trajectory_evals(a->t, k));
    } else if (a->kind == ARRAY_POINTS) {
        const size_t dim = a->t->dim;
        lua_createtable(L, (int)dim, 0);
        for (size_t j = 0; j < dim; j++) {
            lua_pushnumber(L, a->t->x[k * dim + j]);
            lua_rawseti(L, -2, (lua_Integer)j + 1);
        }
    } else {
        lua_pushnumber(L, lgdlab_array_get(a, k));
    }
    return 1;
}

static int array_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)((lgdlab_array *)luaL_checkudata(L, 1, LGDLAB_ARRAY_MT))->n);
    return 1;
}

static int array_newindex(lua_State *L)
{
    return luaL_error(L, "a run's arrays are read-only (packed); copy one into a table to change it: "
                         "local t = {table.unpack(r.loss)}");
}

static int array_next(lua_State *L)
{
    const lua_Integer i = luaL_optinteger(L, 2, 0) + 1;
    lua_pushinteger(L, i);
    lua_pushinteger(L, i);
    lua_gettable(L, 1);
    return lua_isnil(L, -1) ? 1 : 2;
}

static int array_pairs(lua_State *L)
{
    luaL_checkudata(L, 1, LGDLAB_ARRAY_MT);
    lua_pushcfunction(L, array_next);
    lua_pushvalue(L, 1);
    lua_pushinteger(L, 0);
    return 3;
}

static int array_tostring(lua_State *L)
{
    const lgdlab_array *a = luaL_checkudata(L, 1, LGDLAB_ARRAY_MT);
    lua_pushfstring(L, "gdlab array of %d values", (int)a->n);
    return 1;
}

static void set_view(lua_State *L, int owner, const char *key, const double *data, size_t stride)
{
    push_array(L, owner, ARRAY_VIEW, data, stride);
    lua_setfield(L, -3, key); /* the result table is below the owner */
}

static void set_internals(lua_State *L, const gdlab_optimizer_desc *od, const gdlab_trajectory *t,
                          int owner)
{
    lua_newtable(L);
    size_t col = 0;
    for (size_t i = 0; i < od->n_internals && t->n_internals; i++) {
        const gdlab_internal *in = &od->internals[i];
        if (!in->per_coordinate) {
            push_array(L, owner, ARRAY_VIEW, t->internals + col, t->n_internals);
            lua_setfield(L, -2, in->name);
            col++;
            continue;
        }
        /* per coordinate: internals.name[c] is the series of coordinate c */
        lua_createtable(L, (int)t->dim, 0);
        for (size_t c = 0; c < t->dim; c++) {
            push_array(L, owner, ARRAY_VIEW, t->internals + col + c, t->n_internals);
            lua_rawseti(L, -2, (lua_Integer)c + 1);
        }
        lua_setfield(L, -2, in->name);
        col += t->dim;
    }
    lua_setfield(L, -3, "internals");
}

void lgdlab_push_result(lua_State *L, gdlab_trajectory *from, int blocks, int surface, const gdlab_optimizer *o)
{
    surface = lua_absindex(L, surface);
    blocks = lua_absindex(L, blocks);
    lua_createtable(L, 0, 24);
    owned_trajectory *own = push_owned(L, from, blocks);
    const int owner = lua_gettop(L);
    const gdlab_trajectory *t = &own->t;

    lua_pushstring(L, gdlab_status_name(t->status));
    lua_setfield(L, -3, "status");
    lua_pushinteger(L, (lua_Integer)t->steps);
    lua_setfield(L, -3, "steps");
    lua_pushinteger(L, (lua_Integer)t->stop_step);
    lua_setfield(L, -3, "stop_step");
    lua_pushstring(L, t->reason);
    lua_setfield(L, -3, "reason");
    lua_pushinteger(L, (lua_Integer)t->dim);
    lua_setfield(L, -3, "dim");
    lua_pushnumber(L, t->final_loss);
    lua_setfield(L, -3, "final_loss");
    lua_pushnumber(L, t->min_loss);
    lua_setfield(L, -3, "min_loss");
    lua_pushinteger(L, (lua_Integer)t->total_evals);
    lua_setfield(L, -3, "total_evals");
    lua_pushinteger(L, (lua_Integer)t->hessian_evals);
    lua_setfield(L, -3, "hessian_evals");
    if (t->every == 0)
        lua_pushliteral(L, "summary");
    else if (t->every == 1)
        lua_pushliteral(L, "path");
    else
        lua_pushinteger(L, (lua_Integer)t->every);
    lua_setfield(L, -3, "record");

    set_view(L, owner, "x", t->x, t->dim);
    if (t->dim >= 2) set_view(L, owner, "y", t->x ? t->x + 1 : NULL, t->dim);
    push_array(L, owner, ARRAY_POINTS, NULL, 0);
    lua_setfield(L, -3, "points");
    set_view(L, owner, "loss", t->loss, 1);
    if (t->grad_norm) {
        set_view(L, owner, "grad_norm", t->grad_norm, 1);
    } else {
        push_array(L, owner, ARRAY_GRAD_NORM, NULL, 0);
        lua_pushvalue(L, surface);
        lua_setiuservalue(L, -2, 2);
        lua_setfield(L, -3, "grad_norm");
    }
    if (t->lr) {
        set_view(L, owner, "lr", t->lr, 1);
    } else {
        lgdlab_array *a = push_array(L, owner, ARRAY_CONSTANT, NULL, 0);
        a->constant = gdlab_optimizer_lr(o);
        lua_setfield(L, -3, "lr");
    }
    push_array(L, owner, ARRAY_EVALS, NULL, 0);
    lua_setfield(L, -3, "evals");
    set_internals(L, gdlab_optimizer_desc_of(o), t, owner);
    if (t->curvature) { /* the Hessian's extreme eigenvalues at every point */
        set_view(L, owner, "lambda_min", t->curvature, 2);
        set_view(L, owner, "lambda_max", t->curvature + 1, 2);
    }
    lua_pop(L, 1); /* the owner: the arrays keep it */
}

void lgdlab_open_result(lua_State *L)
{
    static const luaL_Reg array_methods[] = {
        {"__index", array_index},       {"__len", array_len},         {"__newindex", array_newindex},
        {"__pairs", array_pairs},       {"__tostring", array_tostring}, {NULL, NULL},
    };
    luaL_newmetatable(L, LGDLAB_ARRAY_MT);
    luaL_setfuncs(L, array_methods, 0);
    lua_pop(L, 1);
}
