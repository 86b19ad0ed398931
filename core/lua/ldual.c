/* SPDX-License-Identifier: MIT */
/* ldual.c — dual numbers for Lua and gd.math, the math library that understands them.
 * The chain rules are those of the formula tape (core/engine/expr/hyperdual.h), so a Lua function and
 * the same formula typed as a string get the same derivatives. */
#include <lauxlib.h>
#include <string.h>

#include "../engine/expr/hyperdual.h"
#include "lcheck.h"
#include "ldual.h"

typedef struct dual {
    int n, order;
    double v;
    double d[]; /* n gradient entries, then n × n Hessian entries at order 2 */
} dual;

static const double zeros[LDUAL_MAX_DIM * LDUAL_MAX_DIM];

static dual *new_dual(lua_State *L, int n, int order)
{
    const size_t count = (size_t)n + (order > 1 ? (size_t)n * (size_t)n : 0);
    dual *x = lua_newuserdatauv(L, sizeof(dual) + count * sizeof(double), 0);
    x->n = n, x->order = order, x->v = 0.0;
    luaL_setmetatable(L, LDUAL_MT);
    return x;
}

static double *hessian_of(dual *x)
{
    return x->order > 1 ? x->d + x->n : NULL;
}

void ldual_push_variable(lua_State *L, double value, size_t n, size_t i, int order)
{
    dual *x = new_dual(L, (int)n, order);
    x->v = value;
    memset(x->d, 0, ((size_t)n + (order > 1 ? n * n : 0)) * sizeof(double));
    if (i < n) x->d[i] = 1.0;
}

/* An operand: a dual, or a number with zero derivatives. */
typedef struct operand {
    double v;
    const double *d, *h;
    const dual *x; /* NULL for a number */
} operand;

static operand check_operand(lua_State *L, int idx)
{
    const dual *x = luaL_testudata(L, idx, LDUAL_MT);
    if (x) return (operand){x->v, x->d, x->order > 1 ? x->d + x->n : zeros, x};
    int ok;
    const double v = lua_tonumberx(L, idx, &ok);
    if (!ok) lcheck_error(L, "gd.math: arithmetic on a dual number and a %s value (numbers and dual numbers only)", luaL_typename(L, idx));
    return (operand){v, zeros, zeros, NULL};
}

/* The shape of a result: that of the dual operand(s), which must agree. */
static dual *new_result(lua_State *L, const operand *a, const operand *b)
{
    const dual *t = a->x ? a->x : b ? b->x : NULL;
    if (!t) lcheck_error(L, "gd.math: a dual number was expected"); /* a metamethod called by hand */
    if (a->x && b && b->x && (a->x->n != b->x->n || a->x->order != b->x->order))
        lcheck_error(L, "gd.math: dual numbers of different surfaces cannot be mixed");
    return new_dual(L, t->n, t->order);
}

static int dual_add_sub(lua_State *L, double sign)
{
    const operand a = check_operand(L, 1), b = check_operand(L, 2);
    dual *w = new_result(L, &a, &b);
    w->v = sign > 0 ? a.v + b.v : a.v - b.v;
    hd_add((size_t)w->n, w->order, sign, a.d, a.h, b.d, b.h, w->d, hessian_of(w));
    return 1;
}

static int dual_add(lua_State *L)
{
    return dual_add_sub(L, 1.0);
}

static int dual_sub(lua_State *L)
{
    return dual_add_sub(L, -1.0);
}

static int dual_mul(lua_State *L)
{
    const operand a = check_operand(L, 1), b = check_operand(L, 2);
    dual *w = new_result(L, &a, &b);
    w->v = a.v * b.v;
    hd_mul((size_t)w->n, w->order, a.v, a.d, a.h, b.v, b.d, b.h, w->d, hessian_of(w));
    return 1;
}

static int dual_div(lua_State *L)
{
    const operand a = check_operand(L, 1), b = check_operand(L, 2);
    dual *w = new_result(L, &a, &b);
    w->v = a.v / b.v;
    hd_div((size_t)w->n, w->order, w->v, a.d, a.h, b.v, b.d, b.h, w->d, hessian_of(w));
    return 1;
}

/* g(a) for one of the functions of hyperdual.h; numbers stay numbers. */
static int apply_fn(lua_State *L, int idx, enum hd_fn fn, double c)
{
    const operand a = check_operand(L, idx);
    if (!a.x) {
        lua_pushnumber(L, hd_fn_value(fn, a.v, c));
        return 1;
    }
    dual *w = new_result(L, &a, NULL);
    double g1, g2;
    w->v = hd_fn_eval(fn, a.v, c, &g1, &g2);
    hd_chain((size_t)w->n, w->order, g1, g2, a.d, a.h, w->d, hessian_of(w));
    return 1;
}

/* a ^ b. A constant exponent goes through u*u (2) or pow, exactly as Lua computes numbers. */
static int dual_pow(lua_State *L)
{
    const operand a = check_operand(L, 1), b = check_operand(L, 2);
    if (!b.x) return apply_fn(L, 1, b.v == 2.0 ? HD_SQR : HD_POWC, b.v);
    dual *w = new_result(L, &a, &b);
    double scratch[LDUAL_MAX_DIM];
    w->v = pow(a.v, b.v);
    hd_pow((size_t)w->n, w->order, w->v, a.v, a.d, a.h, b.v, b.d, b.h, w->d, hessian_of(w), scratch);
    return 1;
}

static int dual_unm(lua_State *L)
{
    return apply_fn(L, 1, HD_NEG, 0.0);
}

/* Comparisons look at the values only. */
static int dual_lt(lua_State *L)
{
    lua_pushboolean(L, check_operand(L, 1).v < check_operand(L, 2).v);
    return 1;
}

static int dual_le(lua_State *L)
{
    lua_pushboolean(L, check_operand(L, 1).v <= check_operand(L, 2).v);
    return 1;
}

static int dual_eq(lua_State *L)
{
    lua_pushboolean(L, check_operand(L, 1).v == check_operand(L, 2).v);
    return 1;
}

static int dual_tostring(lua_State *L)
{
    const dual *x = luaL_checkudata(L, 1, LDUAL_MT);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    lua_pushfstring(L, "dual(%f; ", x->v);
    luaL_addvalue(&b);
    for (int i = 0; i < x->n; i++) {
        lua_pushfstring(L, i ? ", %f" : "%f", x->d[i]);
        luaL_addvalue(&b);
    }
    luaL_addchar(&b, ')');
    luaL_pushresult(&b);
    return 1;
}

int ldual_read(lua_State *L, int idx, size_t n, int order, double *value, double *grad, double *hess)
{
    const dual *x = luaL_testudata(L, idx, LDUAL_MT);
    if (!x) {
        int ok;
        *value = lua_tonumberx(L, idx, &ok);
        if (!ok) return -1;
        memset(grad, 0, n * sizeof *grad);
        if (order > 1) memset(hess, 0, n * n * sizeof *hess);
        return 0;
    }
    if ((size_t)x->n != n || x->order < order) return -1;
    *value = x->v;
    memcpy(grad, x->d, n * sizeof *grad);
    if (order > 1) memcpy(hess, x->d + n, n * n * sizeof *hess);
    return 0;
}

/* ---- gd.math ------------------------------------------------------------------------------- */
#define UNARY(name, fn)                                                                            \
    static int math_##name(lua_State *L)                                                           \
    {                                                                                              \
        return apply_fn(L, 1, fn, 0.0);                                                            \
    }
UNARY(sqrt, HD_SQRT)
UNARY(exp, HD_EXP)
UNARY(log, HD_LOG)
UNARY(sin, HD_SIN)
UNARY(cos, HD_COS)
UNARY(tan, HD_TAN)
UNARY(tanh, HD_TANH)
UNARY(abs, HD_ABS)
#undef UNARY

/* min and max return the chosen argument itself (ties: the first), like the formula language. */
static int math_extremum(lua_State *L, int want_max)
{
    const int top = lua_gettop(L);
    luaL_checkany(L, 1);
    int best = 1;
    for (int i = 1; i <= top; i++) {
        const double v = check_operand(L, i).v, b = check_operand(L, best).v;
        if (want_max ? v > b : v < b) best = i;
    }
    lua_pushvalue(L, best);
    return 1;
}

static int math_min(lua_State *L)
{
    return math_extremum(L, 0);
}

static int math_max(lua_State *L)
{
    return math_extremum(L, 1);
}

static int math_pow(lua_State *L)
{
    lua_settop(L, 2);
    return dual_pow(L);
}

/* gd.math.value(x): the plain number inside a dual (or x itself). */
static int math_value(lua_State *L)
{
    lua_pushnumber(L, check_operand(L, 1).v);
    return 1;
}

static const luaL_Reg dual_meta[] = {
    {"__add", dual_add}, {"__sub", dual_sub}, {"__mul", dual_mul}, {"__div", dual_div},
    {"__pow", dual_pow}, {"__unm", dual_unm}, {"__lt", dual_lt},   {"__le", dual_le},
    {"__eq", dual_eq},   {"__tostring", dual_tostring},            {NULL, NULL},
};

static const luaL_Reg math_functions[] = {
    {"sqrt", math_sqrt}, {"exp", math_exp}, {"log", math_log}, {"sin", math_sin},
    {"cos", math_cos},   {"tan", math_tan}, {"tanh", math_tanh}, {"abs", math_abs},
    {"min", math_min},   {"max", math_max}, {"pow", math_pow}, {"value", math_value},
    {NULL, NULL},
};

void ldual_register(lua_State *L)
{
    if (luaL_newmetatable(L, LDUAL_MT)) luaL_setfuncs(L, dual_meta, 0);
    lua_pop(L, 1);
}

void ldual_open_math(lua_State *L)
{
    ldual_register(L);
    luaL_newlib(L, math_functions);
    lua_pushnumber(L, M_PI);
    lua_setfield(L, -2, "pi");
    lua_pushnumber(L, HUGE_VAL);
    lua_setfield(L, -2, "huge");
    lua_setfield(L, -2, "math");
}
