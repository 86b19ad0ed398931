/* SPDX-License-Identifier: MIT */
/* lresult_read.c — a run or sweep as Lua holds it, read back into the engine's C structures (gdlab_trajectory,
 * gdlab_sweep_result) for gd.save. Everything is read through lua_getfield, luaL_len and lua_geti, which
 * honour metamethods, so results kept as plain tables, as indexable userdata, or made by hand read the
 * same. Arrays land in userdata buffers on the stack: an error part-way leaks nothing. Messages name
 * the field and the index ("gd.save: 'loss'[3] is a string, not a number"). */
#include <string.h>

#include "lgdlab.h"

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

void lgdlab_read_run(lua_State *L, int r, gdlab_trajectory *t)
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

size_t lgdlab_read_sweep(lua_State *L, int s, gdlab_sweep_result *r, gdlab_sweep_axis *axes)
{
    s = lua_absindex(L, s);
    field(L, s, "axes");
    const int ax = lua_gettop(L);
    const size_t n_axes = (size_t)luaL_len(L, ax);
    if (n_axes == 0 || n_axes > LGDLAB_MAX_AXES) luaL_error(L, "gd.save: a sweep has 1 to %d axes", LGDLAB_MAX_AXES);
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
