/* SPDX-License-Identifier: MIT */
/* ldual.h — dual numbers for Lua, so a surface written as a Lua function gets an exact gradient
 * and Hessian without the user deriving them (ldual.c; used by lsurface_expr.c).
 *
 * A dual number carries a value with its gradient (and, at order 2, its Hessian) with respect to
 * the surface's n variables. Its metatable makes + - * / ^ and comparisons work on mixtures of
 * duals and plain numbers; gd.math offers sin, cos, exp ... that accept both. */
#ifndef LDUAL_H
#define LDUAL_H

#include <lua.h>
#include <stddef.h>

#define LDUAL_MT "gdlab.dual"
#define LDUAL_MAX_DIM 16 /* Lua-function surfaces have at most this many variables */

/* Push variable i of n as a dual number of the given order (1: gradient, 2: and Hessian). */
void ldual_push_variable(lua_State *L, double value, size_t n, size_t i, int order);

/* Read the result of f at idx: a dual number of n variables and at least the given order, or a
 * plain number (whose derivatives are 0). Fills value, grad (n) and, at order 2, hess (n × n).
 * Returns 0, or -1 when idx holds something else. */
int ldual_read(lua_State *L, int idx, size_t n, int order, double *value, double *grad, double *hess);

/* Create the dual numbers' metatable unless it exists. */
void ldual_register(lua_State *L);

/* Set field "math" of the table on top of the stack: the dual-aware math functions. */
void ldual_open_math(lua_State *L);

#endif
