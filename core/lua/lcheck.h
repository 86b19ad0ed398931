/* SPDX-License-Identifier: MIT */
/* lcheck.h — the one checked reader per kind of value for the gdlab Lua bindings, in the manner of
 * lauxlib's luaL_check*: integers, counts, numbers in a range, options (string enums) and arrays of
 * numbers. Not a public header.
 *
 * Every reader names its culprit as "<what>: '<name>'" — what is the function the script called
 * ("gd.run", "fig:contour"), name the field or argument ("steps", "size", "z[3]") — and raises with the
 * value it got and what is allowed, at the script's file:line (luaL_error). Numbers in messages are
 * formatted here (lua_pushfstring knows no %g).
 *
 * Arrays: the length comes from luaL_len, so a __len metamethod is honoured (run results may be
 * userdata with __len/__index), and the elements from lua_geti (honouring __index). The length is
 * bounded before anything is allocated: a __len that lies (2^61) is an error, never a wrapped size.
 * Buffers are userdata pushed on the stack, so an error leaks nothing and they live until the C
 * function returns. Allocation failures raise Lua's memory error. */
#ifndef LCHECK_H
#define LCHECK_H

#include <lauxlib.h>
#include <lua.h>
#include <stddef.h>

/* The longest array any reader accepts (800 MB of doubles): far above what a figure or a sweep can
 * use, far below where a size computation could wrap. */
#define LCHECK_MAX_LENGTH ((size_t)100000000)

/* Element checks of lcheck_numbers. */
enum {
    LCHECK_ANY = 0,       /* any number, NaN and infinities included */
    LCHECK_FINITE = 1,    /* finite numbers only */
    LCHECK_MISSING = 2,   /* nil or a non-number element becomes NaN (heatmap cells: "missing") */
};

/* Write a short description of the value at idx into buf ("2.5", "a string", "nil"), calling no
 * metamethod (a __tostring may raise or lie). Returns buf. */
const char *lcheck_describe(lua_State *L, int idx, char *buf, size_t cap);

/* v in the fewest digits (14 to 17) that read back as v, so that two numbers a message compares
 * look different (2^53 is 9007199254740992, 2^53 + 2 is 9007199254740994); nan, inf, -inf by name.
 * Returns buf; 32 bytes are enough. */
const char *lcheck_number_text(double v, char *buf, size_t cap);

/* The whole number at idx, in [lo, hi]. */
lua_Integer lcheck_integer(lua_State *L, int idx, const char *what, const char *name, lua_Integer lo,
                           lua_Integer hi);
/* t[key] as lcheck_integer; def when the field is nil. */
lua_Integer lcheck_opt_integer(lua_State *L, int t, const char *key, lua_Integer def, lua_Integer lo,
                               lua_Integer hi, const char *what);
/* A count: a whole number in [lo, hi] (lo >= 0) as a size_t; def when t[key] is nil. */
size_t lcheck_opt_count(lua_State *L, int t, const char *key, size_t def, size_t lo, size_t hi,
                        const char *what);

/* The number at idx in [lo, hi] (±HUGE_VAL for an open end, ±DBL_MAX for any finite number); NaN
 * is never in range. */
double lcheck_number(lua_State *L, int idx, const char *what, const char *name, double lo, double hi);
/* t[key] as lcheck_number; def (returned unchecked) when the field is nil. */
double lcheck_opt_number(lua_State *L, int t, const char *key, double def, double lo, double hi,
                         const char *what);

/* The string at idx, one of list (NULL-terminated); def (may be NULL: required) when nil. Returns
 * its index in list. The message lists the choices. */
int lcheck_option(lua_State *L, int idx, const char *what, const char *name, const char *def,
                  const char *const *list);

/* Is the value at idx array-like: a table, or a value whose metatable has __len? */
int lcheck_is_array(lua_State *L, int idx);
/* The length of the array-like value at idx (honours __len), checked to lie in [min, max]. */
size_t lcheck_length(lua_State *L, int idx, const char *what, const char *name, size_t min, size_t max);
/* The numbers of the array-like value at idx (length in [min, max], elements checked by flags),
 * copied into a buffer pushed on the stack. Sets *n. */
double *lcheck_numbers(lua_State *L, int idx, const char *what, const char *name, size_t min,
                       size_t max, int flags, size_t *n);

/* Raise the formatted message prefixed with the file:line of the nearest Lua function on the call
 * stack. luaL_error names only the direct caller, which is C when Lua itself calls a metamethod from C
 * (string arithmetic calling a dual number's __sub). */
int lcheck_error(lua_State *L, const char *fmt, ...);

/* A buffer of n elements of size bytes each, pushed on the stack as userdata; n * size is checked
 * for overflow (a raised error, never a wrapped size). */
void *lcheck_buffer(lua_State *L, size_t n, size_t size, const char *what);

#endif
