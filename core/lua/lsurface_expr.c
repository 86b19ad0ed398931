/* SPDX-License-Identifier: MIT */
/* lsurface_expr.c — gd.surface{...}: surfaces from a formula or from Lua functions.
 *
 *   gd.surface{expr = "sin(x)*cos(y) + k*(x^2 + y^2)", params = {k = 0.1},
 *              domain = {{-3, 3}, {-3, 3}}, start = {2, -1}, minima = {{-1.3064, 0}}, name = "mine"}
 *   gd.surface{f = function(x, y) return (1 - x)^2 + 100*(y - x^2)^2 end, domain = {-2, 2}}
 *
 * A formula is compiled by core/engine/expr and differentiated exactly there. A Lua function gets its
 * gradient from `grad` when given, else by calling f with dual numbers (ldual.c): f then sees
 * values whose arithmetic carries exact derivatives, and must take its functions from gd.math.
 *
 * Lua functions run on a thread of their own, inside lua_pcall: an error in them never unwinds
 * through the C engine (gdlab_run). The surface returns NaN instead, which stops a run as
 * diverged, and keeps the message for lgdlab_raise_surface_error to raise as a Lua error with the
 * script's file:line once control is back in Lua. */
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdlab/expr.h"
#include "ldual.h"
#include "lgdlab.h"

#define SURFACE_ERROR_KEY "gdlab.surface_error" /* registry field: the first pending error */
#define EXPR_BOX_MT "gdlab.expr_box"

static const char *const table_keys[] = {"expr",   "f",      "grad",    "params", "vars", "dim",
                                         "domain", "start",  "minima",  "saddles", "maxima", "name", NULL};

/* ---- reading the table --------------------------------------------------------------------- */
/* Doubles owned by the Lua stack, so a Lua error while reading leaks nothing. */
static double *scratch(lua_State *L, size_t n)
{
    return lcheck_buffer(L, n, sizeof(double), "gd.surface");
}

/* Formulas take at most this many variables (classify_minima's scratch point). */
#define FORMULA_MAX_VARS 100

/* The point at stack index idx: a table of dim numbers, or for dim 1 a number too. */
static void read_point(lua_State *L, int idx, size_t dim, double *x, const char *what, lua_Integer k)
{
    char name[48];
    if (k) snprintf(name, sizeof name, "%s[%d]", what, (int)k);
    else snprintf(name, sizeof name, "%s", what);
    if (dim == 1 && lua_type(L, idx) == LUA_TNUMBER) {
        x[0] = lua_tonumber(L, idx);
        if (!isfinite(x[0])) luaL_error(L, "gd.surface: %s must be a finite number", name);
        return;
    }
    size_t n;
    memcpy(x, lcheck_numbers(L, idx, "gd.surface", name, dim, dim, LCHECK_FINITE, &n), dim * sizeof *x);
    lua_pop(L, 1);
}

/* domain: {{lo, hi}, ...} (one pair per variable) or {lo, hi} (the same for all).
 * The number of pairs, 0 when the field is absent or a single pair. */
static size_t domain_pairs(lua_State *L, int t)
{
    size_t n = 0;
    if (lua_getfield(L, t, "domain") == LUA_TTABLE) {
        lua_geti(L, -1, 1);
        if (lua_type(L, -1) == LUA_TTABLE) n = lcheck_length(L, -2, "gd.surface", "domain", 1, FORMULA_MAX_VARS);
        lua_pop(L, 1);
    } else if (!lua_isnil(L, -1)) {
        luaL_error(L, "gd.surface: domain must be a table such as {{-3, 3}, {-2, 2}}");
    }
    lua_pop(L, 1);
    return n;
}

static void read_domain(lua_State *L, int t, size_t dim, double *lo, double *hi)
{
    for (size_t i = 0; i < dim; i++) lo[i] = -5.0, hi[i] = 5.0;
    if (lua_getfield(L, t, "domain") == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    const int d = lua_gettop(L);
    const size_t pairs = domain_pairs(L, t);
    if (pairs && pairs != dim)
        luaL_error(L, "gd.surface: domain has %d pairs for a surface of %d variable%s", (int)pairs, (int)dim,
                   dim == 1 ? "" : "s");
    for (size_t i = 0; i < dim; i++) {
        if (pairs) lua_geti(L, d, (lua_Integer)i + 1);
        else lua_pushvalue(L, d);
        char name[32];
        if (pairs) snprintf(name, sizeof name, "domain[%d]", (int)i + 1);
        else snprintf(name, sizeof name, "domain");
        size_t n;
        const double *pair = lcheck_numbers(L, -1, "gd.surface", name, 2, 2, LCHECK_FINITE, &n);
        lua_pop(L, 1);
        if (!(pair[0] < pair[1])) luaL_error(L, "gd.surface: domain needs lo < hi, got {%f, %f}", pair[0], pair[1]);
        lo[i] = pair[0], hi[i] = pair[1];
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* The plotting box and start: lo, hi, start (dim each) in box. */
static void read_box_and_start(lua_State *L, int t, size_t dim, double *box)
{
    double *lo = box, *hi = box + dim, *start = box + 2 * dim;
    read_domain(L, t, dim, lo, hi);
    if (lua_getfield(L, t, "start") != LUA_TNIL) read_point(L, -1, dim, start, "start", 0);
    else
        for (size_t i = 0; i < dim; i++) start[i] = lo[i] + 0.8 * (hi[i] - lo[i]);
    lua_pop(L, 1);
}

/* minima, saddles and maxima, as points (pushes their buffer) and kinds; minima get their kind
 * once their values are known (classify_minima). Returns the count. */
static size_t read_landmarks(lua_State *L, int t, size_t dim, double **points, int **kinds)
{
    static const char *const fields[] = {"minima", "saddles", "maxima"};
    static const int field_kinds[] = {GDLAB_LANDMARK_LOCAL_MIN, GDLAB_LANDMARK_SADDLE, GDLAB_LANDMARK_MAX};
    lua_Integer lengths[3] = {0, 0, 0};
    size_t count = 0;
    for (int f = 0; f < 3; f++) {
        const int type = lua_getfield(L, t, fields[f]);
        if (type != LUA_TNIL) lengths[f] = (lua_Integer)lcheck_length(L, -1, "gd.surface", fields[f], 0, 100000);
        count += (size_t)lengths[f];
        lua_pop(L, 1);
    }
    *points = scratch(L, count * dim + count); /* the kinds ride along, as doubles' worth of ints */
    *kinds = (int *)(*points + count * dim);
    size_t k = 0;
    for (int f = 0; f < 3; f++) {
        lua_getfield(L, t, fields[f]);
        if (lengths[f] && !lcheck_is_array(L, -1)) luaL_error(L, "gd.surface: %s changed while it was read", fields[f]);
        for (lua_Integer i = 1; i <= lengths[f]; i++, k++) {
            lua_geti(L, -1, i);
            read_point(L, -1, dim, *points + k * dim, fields[f], i);
            (*kinds)[k] = field_kinds[f];
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    return count;
}

/* The listed minima with the lowest value are global and move to the front (in their order). */
static void classify_minima(size_t count, size_t dim, int *kinds, double *points, const double *values)
{
    double lowest = INFINITY;
    for (size_t i = 0; i < count; i++)
        if (kinds[i] == GDLAB_LANDMARK_LOCAL_MIN && values[i] < lowest) lowest = values[i];
    size_t front = 0;
    for (size_t i = 0; i < count; i++) {
        if (kinds[i] != GDLAB_LANDMARK_LOCAL_MIN || !(values[i] <= lowest + 1e-9 * (1.0 + fabs(lowest))))
            continue;
        double p[100]; /* formulas have at most 100 variables, Lua functions LDUAL_MAX_DIM */
        memcpy(p, points + i * dim, dim * sizeof *p);
        memmove(points + (front + 1) * dim, points + front * dim, (i - front) * dim * sizeof *points);
        memcpy(points + front * dim, p, dim * sizeof *p);
        memmove(kinds + front + 1, kinds + front, (i - front) * sizeof *kinds);
        kinds[front++] = GDLAB_LANDMARK_GLOBAL_MIN;
    }
}

static const char *optional_name(lua_State *L, int t, const char *fallback)
{
    const int type = lua_getfield(L, t, "name");
    if (type != LUA_TNIL && type != LUA_TSTRING) luaL_error(L, "gd.surface: name must be a string");
    return type == LUA_TNIL ? fallback : lua_tostring(L, -1); /* the string stays on the stack */
}

/* dim field: a whole number of variables, or 0 when absent. */
static size_t optional_dim(lua_State *L, int t, size_t max)
{
    const size_t dim = lcheck_opt_count(L, t, "dim", 0, 1, max, "gd.surface");
    return dim;
}

/* ---- formula surfaces ---------------------------------------------------------------------- */
/* Holds a compiled formula until a surface owns it, so a Lua error in between leaks nothing. */
typedef struct expr_box {
    gdlab_expr *e;
} expr_box;

static int expr_box_gc(lua_State *L)
{
    expr_box *b = luaL_checkudata(L, 1, EXPR_BOX_MT);
    gdlab_expr_free(b->e);
    b->e = NULL;
    return 0;
}

/* vars = {"u", "v"} into names (pushes their buffer); returns the count, 0 when absent. */
static size_t read_vars(lua_State *L, int t, const char ***names)
{
    size_t n = 0;
    if (lua_getfield(L, t, "vars") != LUA_TNIL) n = lcheck_length(L, -1, "gd.surface", "vars", 0, FORMULA_MAX_VARS);
    const int v = lua_gettop(L);
    *names = lcheck_buffer(L, n, sizeof **names, "gd.surface");
    luaL_checkstack(L, (int)n + 2, "gd.surface");
    for (size_t i = 0; i < n; i++) {
        if (lua_geti(L, v, (lua_Integer)i + 1) != LUA_TSTRING)
            luaL_error(L, "gd.surface: vars[%d] must be a string", (int)i + 1);
        (*names)[i] = lua_tostring(L, -1); /* stays on the stack: an __index may have made it */
    }
    return n;
}

/* params = {k = 0.1, ...} (pushes their buffer); returns the count. */
static size_t read_params(lua_State *L, int t, gdlab_expr_param **params)
{
    size_t n = 0;
    const int type = lua_getfield(L, t, "params");
    if (type != LUA_TNIL && type != LUA_TTABLE) luaL_error(L, "gd.surface: params must be a table such as {k = 1}");
    const int p = lua_gettop(L);
    if (type == LUA_TTABLE)
        for (lua_pushnil(L); lua_next(L, p); lua_pop(L, 1)) n++;
    *params = lcheck_buffer(L, n, sizeof **params, "gd.surface");
    n = 0;
    char name[80];
    if (type == LUA_TTABLE)
        for (lua_pushnil(L); lua_next(L, p); lua_pop(L, 1)) {
            if (lua_type(L, -2) != LUA_TSTRING) luaL_error(L, "gd.surface: params keys must be names");
            snprintf(name, sizeof name, "params.%.60s", lua_tostring(L, -2));
            const double v = lcheck_number(L, -1, "gd.surface", name, -DBL_MAX, DBL_MAX);
            (*params)[n++] = (gdlab_expr_param){lua_tostring(L, -2), v};
        }
    return n; /* the table stays on the stack: it keeps the names alive */
}

static int formula_surface(lua_State *L, int t)
{
    lua_getfield(L, t, "expr");
    const char *source = lua_tostring(L, -1);
    lua_pop(L, 1);
    if (lua_getfield(L, t, "grad") != LUA_TNIL) luaL_error(L, "gd.surface: grad goes with f, not with expr");
    lua_pop(L, 1);
    const char **vars;
    gdlab_expr_param *params;
    const size_t n_vars = read_vars(L, t, &vars), n_params = read_params(L, t, &params);
    size_t dim_hint = optional_dim(L, t, FORMULA_MAX_VARS);
    if (!dim_hint) dim_hint = domain_pairs(L, t);
    if (n_vars && dim_hint && dim_hint != n_vars)
        luaL_error(L, "gd.surface: %d vars but %d variables from dim or domain", (int)n_vars, (int)dim_hint);

    expr_box *box = lua_newuserdatauv(L, sizeof *box, 0);
    box->e = NULL;
    if (luaL_newmetatable(L, EXPR_BOX_MT)) {
        lua_pushcfunction(L, expr_box_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    char err[GDLAB_ERRLEN];
    box->e = gdlab_expr_compile(source, n_vars ? vars : NULL, n_vars ? n_vars : dim_hint, params, n_params, err,
                                sizeof err);
    if (!box->e) return luaL_error(L, "gd.surface: %s", err);
    const size_t dim = gdlab_expr_dim(box->e);
    if (dim > FORMULA_MAX_VARS)
        return luaL_error(L, "gd.surface: the formula has %d variables; at most %d allowed", (int)dim, FORMULA_MAX_VARS);

    double *frame = scratch(L, 3 * dim), *points;
    int *kinds;
    read_box_and_start(L, t, dim, frame);
    const size_t count = read_landmarks(L, t, dim, &points, &kinds);
    double *values = scratch(L, count);
    for (size_t i = 0; i < count; i++) values[i] = gdlab_expr_eval(box->e, points + i * dim, NULL, NULL);
    classify_minima(count, dim, kinds, points, values);

    lgdlab_surface *u = lgdlab_new_surface(L, optional_name(L, t, "expr"));
    const gdlab_expr_surface_spec spec = {frame, frame + dim, frame + 2 * dim, count, kinds, points};
    gdlab_expr *e = box->e;
    box->e = NULL; /* the surface owns it now, even if it fails */
    u->s = gdlab_expr_surface(e, &spec, err, sizeof err);
    if (!u->s) return luaL_error(L, "gd.surface: %s", err);
    return 1;
}

/* ---- Lua-function surfaces ----------------------------------------------------------------- */
typedef struct lua_surface {
    lua_State *thread;     /* runs f and grad */
    int thread_ref;        /* registry references that keep the thread, f and grad alive: in the */
    int f_ref, grad_ref;   /* registry, not on the thread's stack, whose indices shift under re-entry */
    int evaluating;        /* > 0 while f or grad runs (lgdlab_check_not_evaluating) */
    size_t dim;
    int has_grad;
    pthread_mutex_t lock;  /* sweeps may evaluate from several threads; Lua takes one at a time */
    double *frame;         /* lo, hi, start: dim each */
    size_t n_landmarks;
    int *kinds;
    double *points;
} lua_surface;

/* Keep the first error for lgdlab_raise_surface_error. The error object is on top of T; it is
 * read without metamethods, which could raise again outside any protection. */
static void record_error(lua_State *T)
{
    const char *msg = lua_tostring(T, -1);
    if (!msg) msg = lua_pushfstring(T, "(error object is a %s value)", luaL_typename(T, -1));
    if (strstr(msg, LDUAL_MT))
        msg = lua_pushfstring(T, "%s (f is called with dual numbers to get its exact derivatives: take "
                                 "sin, exp, ... from gd.math instead of math, or give grad = function)",
                              msg);
    if (lua_getfield(T, LUA_REGISTRYINDEX, SURFACE_ERROR_KEY) == LUA_TNIL) {
        lua_pushstring(T, msg);
        lua_setfield(T, LUA_REGISTRYINDEX, SURFACE_ERROR_KEY);
    }
}

/* One evaluation: what protected_call reads and writes. */
typedef struct call_args {
    const lua_surface *s;
    const double *x;
    double *grad, *hess; /* grad NULL: value only; hess not NULL: order-2 duals */
    double f;
} call_args;

/* Push the point as numbers, or as dual numbers of the given order. */
static void push_point(lua_State *T, const call_args *a, int order)
{
    luaL_checkstack(T, (int)a->s->dim + 2, "gd.surface: too many variables");
    for (size_t i = 0; i < a->s->dim; i++) {
        if (order) ldual_push_variable(T, a->x[i], a->s->dim, i, order);
        else lua_pushnumber(T, a->x[i]);
    }
}

/* An error about what f or grad (at stack index fn) returned. The script's call is not on this
 * thread's stack, so the position is where the culprit function is defined. */
static int result_error(lua_State *T, int fn, const char *fmt, ...)
{
    lua_Debug ar;
    lua_pushvalue(T, fn);
    lua_getinfo(T, ">S", &ar);
    va_list ap;
    va_start(ap, fmt);
    lua_pushfstring(T, "%s:%d: ", ar.short_src, ar.linedefined);
    lua_pushvfstring(T, fmt, ap);
    va_end(ap);
    lua_concat(T, 2);
    return lua_error(T);
}

/* Runs under lua_pcall with f, grad and the call_args as arguments, so that every error, the
 * user's or ours, is caught the same way. */
static int protected_call(lua_State *T)
{
    call_args *a = lua_touserdata(T, 3);
    const size_t dim = a->s->dim;
    const int order = a->hess ? 2 : a->grad && !a->s->has_grad ? 1 : 0;
    double scratch[LDUAL_MAX_DIM];
    lua_pushvalue(T, 1);
    push_point(T, a, order);
    lua_call(T, (int)dim, 1);
    if (order ? ldual_read(T, -1, dim, order, &a->f, a->grad ? a->grad : scratch, a->hess) != 0
              : (a->f = lua_tonumber(T, -1), !lua_isnumber(T, -1)))
        result_error(T, 1, "f must return a number, got %s", luaL_typename(T, -1));
    lua_pop(T, 1);
    if (order || !a->grad) return 0;
    /* grad(x): dim numbers, or one table of them */
    const int base = lua_gettop(T);
    lua_pushvalue(T, 2);
    push_point(T, a, 0);
    lua_call(T, (int)dim, LUA_MULTRET);
    const int from_table = lua_gettop(T) == base + 1 && lua_istable(T, base + 1);
    for (size_t i = 0; i < dim; i++) {
        if (from_table) lua_geti(T, base + 1, (lua_Integer)i + 1);
        else lua_pushvalue(T, base + 1 + (int)i); /* none (past the results) is not a number */
        if (!lua_isnumber(T, -1))
            result_error(T, 2, "grad must return %d numbers (or a table of them), got %s as number %d", (int)dim,
                         luaL_typename(T, -1), (int)i + 1);
        a->grad[i] = lua_tonumber(T, -1);
        lua_pop(T, 1);
    }
    return 0;
}

/* f and its derivatives; the Hessian when hess is not NULL (dual numbers of order 2). On any
 * error every output is NaN, so a run stops there and says so. */
static double lua_surface_call(const lua_surface *s, const double *x, double *grad, double *hess)
{
    lua_State *T = s->thread;
    const int base = lua_gettop(T); /* f may evaluate this very surface again: T's stack grows */
    call_args a = {s, x, grad, hess, NAN};
    if (!lua_checkstack(T, 5)) return NAN;
    lua_pushcfunction(T, protected_call);
    lua_rawgeti(T, LUA_REGISTRYINDEX, s->f_ref);
    lua_rawgeti(T, LUA_REGISTRYINDEX, s->grad_ref);
    lua_pushlightuserdata(T, &a);
    ((lua_surface *)s)->evaluating++;
    if (lua_pcall(T, 3, 0, 0) != LUA_OK) {
        record_error(T);
        a.f = NAN;
    }
    ((lua_surface *)s)->evaluating--;
    lua_settop(T, base);
    if (isnan(a.f)) {
        for (size_t i = 0; grad && i < s->dim; i++) grad[i] = NAN;
        for (size_t i = 0; hess && i < s->dim * s->dim; i++) hess[i] = NAN;
    }
    return a.f;
}

/* The descriptor functions take const state; the lock and the Lua thread are the mutable part. */
static double ls_eval(const void *state, const double *x, double *grad)
{
    lua_surface *s = (lua_surface *)state;
    pthread_mutex_lock(&s->lock);
    const double f = lua_surface_call(s, x, grad, NULL);
    pthread_mutex_unlock(&s->lock);
    return f;
}

static void ls_hessian(const void *state, const double *x, double *hess)
{
    lua_surface *s = (lua_surface *)state;
    pthread_mutex_lock(&s->lock);
    lua_surface_call(s, x, NULL, hess);
    pthread_mutex_unlock(&s->lock);
}

static void ls_domain(const void *state, double *lo, double *hi)
{
    const lua_surface *s = state;
    memcpy(lo, s->frame, s->dim * sizeof *lo);
    memcpy(hi, s->frame + s->dim, s->dim * sizeof *hi);
}

static void ls_start(const void *state, double *x0)
{
    const lua_surface *s = state;
    memcpy(x0, s->frame + 2 * s->dim, s->dim * sizeof *x0);
}

static int ls_landmark(const void *state, size_t i, double *x)
{
    const lua_surface *s = state;
    if (i >= s->n_landmarks) return GDLAB_LANDMARK_END;
    memcpy(x, s->points + i * s->dim, s->dim * sizeof *x);
    return s->kinds[i];
}

static void ls_free(void *state)
{
    lua_surface *s = state;
    luaL_unref(s->thread, LUA_REGISTRYINDEX, s->f_ref);
    luaL_unref(s->thread, LUA_REGISTRYINDEX, s->grad_ref);
    luaL_unref(s->thread, LUA_REGISTRYINDEX, s->thread_ref);
    pthread_mutex_destroy(&s->lock);
    free(s->frame);
    free(s);
}

#define LUA_SURFACE_DESC(var, hessian_fn, how)                                                     \
    static const gdlab_surface_desc var = {                                                        \
        .h = GDLAB_HEADER_NO_PARAMS(GDLAB_KIND_SURFACE, gdlab_surface_desc, "lua",                 \
                                    "a surface written as a Lua function", how),                   \
        .eval = ls_eval,                                                                           \
        .hessian = hessian_fn,                                                                     \
        .domain = ls_domain,                                                                       \
        .start = ls_start,                                                                         \
        .landmark = ls_landmark,                                                                   \
    }
LUA_SURFACE_DESC(dual_desc, ls_hessian, "f is a Lua function; gradient and Hessian come from calling it\n"
                                        "with dual numbers (exact, no finite differences).");
LUA_SURFACE_DESC(grad_desc, NULL, "f and its gradient are Lua functions given by the user.");

/* How many variables f takes: the dim field, the domain pairs, or f's own parameter list. */
static size_t lua_dim(lua_State *L, int t)
{
    size_t dim = optional_dim(L, t, LDUAL_MAX_DIM);
    if (!dim) dim = domain_pairs(L, t);
    if (!dim) {
        lua_Debug ar;
        if (lua_getfield(L, t, "f") != LUA_TFUNCTION) /* an __index may answer differently twice */
            luaL_error(L, "gd.surface: f must be a function");
        lua_getinfo(L, ">u", &ar);
        dim = ar.isvararg ? 0 : ar.nparams;
    }
    if (dim < 1 || dim > LDUAL_MAX_DIM)
        luaL_error(L, "gd.surface: cannot tell how many variables f takes (1 to %d): give dim or domain",
                   LDUAL_MAX_DIM);
    return dim;
}

static int lua_function_surface(lua_State *L, int t)
{
    const int grad_type = lua_getfield(L, t, "grad");
    lua_pop(L, 1);
    if (grad_type != LUA_TNIL && grad_type != LUA_TFUNCTION) luaL_error(L, "gd.surface: grad must be a function");
    for (int i = 0; i < 2; i++)
        if (lua_getfield(L, t, i ? "params" : "vars") != LUA_TNIL)
            luaL_error(L, "gd.surface: %s goes with expr; a Lua function sees its own upvalues", i ? "params" : "vars");
    lua_pop(L, 2);
    const size_t dim = lua_dim(L, t);
    double *frame = scratch(L, 3 * dim), *points;
    int *kinds;
    read_box_and_start(L, t, dim, frame);
    const size_t count = read_landmarks(L, t, dim, &points, &kinds);
    lgdlab_surface *u = lgdlab_new_surface(L, optional_name(L, t, "lua")); /* closed until s exists */
    const int surface_index = lua_gettop(L);

    /* the thread, f and grad on the stack until the registry holds them */
    lua_State *T = lua_newthread(L);
    lua_getfield(L, t, "f");
    lua_getfield(L, t, "grad");
    if (lua_type(L, -2) != LUA_TFUNCTION || (grad_type == LUA_TFUNCTION) != (lua_type(L, -1) == LUA_TFUNCTION))
        return luaL_error(L, "gd.surface: f (or grad) changed while the table was read");
    lua_surface *s = calloc(1, sizeof *s);
    if (s) s->frame = malloc((3 * dim + count * dim) * sizeof *s->frame + (count ? count : 1) * sizeof(int));
    pthread_mutexattr_t attr;
    if (!s || !s->frame || pthread_mutexattr_init(&attr)) {
        if (s) free(s->frame);
        free(s);
        return luaL_error(L, "gd.surface: out of memory");
    }
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE); /* f may evaluate this surface */
    pthread_mutex_init(&s->lock, &attr);
    pthread_mutexattr_destroy(&attr);
    s->thread = T, s->dim = dim, s->has_grad = grad_type == LUA_TFUNCTION;
    s->f_ref = s->grad_ref = s->thread_ref = LUA_NOREF; /* ls_free skips them until they are set */
    memcpy(s->frame, frame, 3 * dim * sizeof *frame);
    s->points = s->frame + 3 * dim;
    s->kinds = (int *)(s->points + count * dim);
    u->s = gdlab_surface_wrap(s->has_grad ? &grad_desc : &dual_desc, dim, s, ls_free);
    if (!u->s) {
        ls_free(s);
        return luaL_error(L, "gd.surface: out of memory");
    }
    gdlab_surface_mark_serial(u->s); /* it calls into this Lua state */
    u->evaluating = &s->evaluating;
    /* From here the userdata owns everything: a failing luaL_ref leaks nothing. */
    s->grad_ref = luaL_ref(L, LUA_REGISTRYINDEX);   /* pops grad (LUA_REFNIL for nil) */
    s->f_ref = luaL_ref(L, LUA_REGISTRYINDEX);      /* pops f */
    s->thread_ref = luaL_ref(L, LUA_REGISTRYINDEX); /* pops T */

    /* Global minima are the listed minima of lowest value: evaluating f needs the surface. An
     * error pending from elsewhere was never raised and is not this surface's. */
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, SURFACE_ERROR_KEY);
    double *values = scratch(L, count);
    for (size_t i = 0; i < count; i++) values[i] = ls_eval(s, points + i * dim, NULL);
    lgdlab_raise_surface_error(L);
    classify_minima(count, dim, kinds, points, values);
    memcpy(s->points, points, count * dim * sizeof *points);
    memcpy(s->kinds, kinds, count * sizeof *kinds);
    s->n_landmarks = count;
    lua_pushvalue(L, surface_index);
    return 1;
}

/* ---- entry points -------------------------------------------------------------------------- */
int lgdlab_surface_from_table(lua_State *L, int idx)
{
    const int t = lua_absindex(L, idx);
    lgdlab_check_keys(L, t, "gd.surface", table_keys);
    const int expr_type = lua_getfield(L, t, "expr"), f_type = lua_getfield(L, t, "f");
    lua_pop(L, 2);
    if ((expr_type == LUA_TNIL) == (f_type == LUA_TNIL))
        return luaL_error(L, "gd.surface{...} needs either expr = \"formula\" or f = function(x, y) ... end");
    if (expr_type != LUA_TNIL && expr_type != LUA_TSTRING)
        return luaL_error(L, "gd.surface: expr must be a string, got %s", lua_typename(L, expr_type));
    if (f_type != LUA_TNIL && f_type != LUA_TFUNCTION)
        return luaL_error(L, "gd.surface: f must be a function, got %s", lua_typename(L, f_type));
    ldual_register(L);
    return expr_type == LUA_TSTRING ? formula_surface(L, t) : lua_function_surface(L, t);
}

void lgdlab_raise_surface_error(lua_State *L)
{
    if (lua_getfield(L, LUA_REGISTRYINDEX, SURFACE_ERROR_KEY) == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, SURFACE_ERROR_KEY);
    lua_error(L);
}

void lgdlab_open_surface_expr(lua_State *L)
{
    ldual_open_math(L);
}
