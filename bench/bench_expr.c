/* SPDX-License-Identifier: MIT */
/* bench_expr — what a gradient evaluation costs when the surface is a formula (core/engine/expr) or a
 * Lua function, relative to the same surface written as a C plugin. Formulas are timed twice: on
 * the tape (GDLAB_NATIVE=0) and as native code (core/engine/expr/native.c; "-" when it could not be
 * made, with the reason below the table). All are called the way a run calls them, through
 * gdlab_surface_eval. Prints nanoseconds per call and ratios; the goal for formulas is at most 3x
 * the plugin. Usage: bench_expr [evaluations per surface]. */
#include <lauxlib.h>
#include <lualib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gdlab/expr.h"
#include "gdlab/gdlab.h"
#include "lgdlab.h"

enum { POINTS = 1024 };

static const struct {
    const char *plugin, *formula, *lua;
} cases[] = {
    {"rosenbrock", "(1 - x)^2 + 100*(y - x^2)^2", "return function(x, y) return (1 - x)^2 + 100*(y - x^2)^2 end"},
    {"himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
     "return function(x, y) return (x^2 + y - 11)^2 + (x + y^2 - 7)^2 end"},
    {"multimodal", "sin(x)*cos(y) + 0.1*(x^2 + y^2)",
     "local m = require('gdlab').math\n"
     "return function(x, y) return m.sin(x)*m.cos(y) + 0.1*(x^2 + y^2) end"},
    {"six_hump_camel", "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2",
     "return function(x, y) return (4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2 end"},
    {"goldstein_price",
     "(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))"
     "*(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))",
     "return function(x, y) return (1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))"
     "*(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2)) end"},
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Nanoseconds per f-and-gradient evaluation, best of three rounds over the same points. */
static double time_gradient(const gdlab_surface *s, const double *points, long evals, double *sink)
{
    double best = INFINITY, g[2];
    for (int round = 0; round < 3; round++) {
        const double t0 = now();
        for (long k = 0; k < evals; k++) {
            *sink += gdlab_surface_eval(s, points + 2 * (k % POINTS), g);
            *sink += g[0] + g[1];
        }
        const double ns = 1e9 * (now() - t0) / (double)evals;
        best = ns < best ? ns : best;
    }
    return best;
}

/* A Lua-function surface, with its gradient from dual numbers (grad = NULL) or from `grad`. */
static gdlab_surface *lua_surface(lua_State *L, const char *chunk)
{
    if (luaL_dostring(L, chunk) != LUA_OK) {
        fprintf(stderr, "bench_expr: %s\n", lua_tostring(L, -1));
        exit(1);
    }
    lua_getglobal(L, "gdlab_bench_surfaces");
    lua_getfield(L, -1, "surface");
    lua_createtable(L, 0, 2);
    lua_pushvalue(L, -4);
    lua_setfield(L, -2, "f");
    lua_pushinteger(L, 2);
    lua_setfield(L, -2, "dim");
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        fprintf(stderr, "bench_expr: %s\n", lua_tostring(L, -1));
        exit(1);
    }
    gdlab_surface *s = lgdlab_check_surface(L, -1)->s;
    lua_setfield(L, LUA_REGISTRYINDEX, chunk); /* keep it alive */
    lua_pop(L, 2);
    return s;
}

int main(int argc, char **argv)
{
    const long evals = argc > 1 ? atol(argv[1]) : 1000000;
    gdlab_registry *reg = gdlab_registry_new();
    gdlab_registry_scan_default(reg);
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    luaL_requiref(L, "gdlab", luaopen_gdlab, 0);
    lua_setglobal(L, "gdlab_bench_surfaces");

    double points[2 * POINTS], sink = 0.0;
    uint64_t seed = 12345;
    for (int i = 0; i < 2 * POINTS; i++) { /* points in [−1.5, 1.5]², by a 64-bit LCG (Knuth MMIX) */
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        points[i] = -1.5 + 3.0 * (double)(seed >> 11) * 0x1p-53;
    }
    printf("%-16s %5s %10s %8s %7s %10s %7s %10s %7s\n", "surface", "instr", "plugin ns", "tape ns", "ratio",
           "native ns", "ratio", "lua ns", "ratio");
    char err[GDLAB_ERRLEN], why[sizeof cases / sizeof cases[0]][700] = {{0}};
    const char *native_env = getenv("GDLAB_NATIVE");
    char *saved_env = native_env ? strdup(native_env) : NULL;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const gdlab_surface_desc *d =
            (const gdlab_surface_desc *)gdlab_registry_find(reg, GDLAB_KIND_SURFACE, cases[c].plugin);
        gdlab_expr *e = gdlab_expr_compile(cases[c].formula, NULL, 0, NULL, 0, err, sizeof err);
        gdlab_expr *e2 = gdlab_expr_compile(cases[c].formula, NULL, 0, NULL, 0, err, sizeof err);
        if (!d || !e || !e2) {
            fprintf(stderr, "bench_expr: %s: %s\n", cases[c].plugin, d ? err : "plugin not found");
            return 1;
        }
        const size_t tape = gdlab_expr_length(e);
        gdlab_surface *plugin = gdlab_surface_new(d, NULL, err, sizeof err);
        setenv("GDLAB_NATIVE", "0", 1);
        gdlab_surface *formula = gdlab_expr_surface(e, NULL, err, sizeof err);
        if (saved_env) setenv("GDLAB_NATIVE", saved_env, 1);
        else unsetenv("GDLAB_NATIVE");
        gdlab_surface *native = gdlab_expr_surface(e2, NULL, err, sizeof err);
        snprintf(why[c], sizeof why[c], "%s", gdlab_expr_native_info(native));
        gdlab_surface *lua = lua_surface(L, cases[c].lua);
        /* they must compute the same function, or the timings compare nothing */
        const double vp = gdlab_surface_eval(plugin, points, NULL), vf = gdlab_surface_eval(formula, points, NULL),
                     vn = gdlab_surface_eval(native, points, NULL), vl = gdlab_surface_eval(lua, points, NULL);
        if (!(fabs(vf - vp) <= 1e-12 * (1.0 + fabs(vp)) && fabs(vl - vp) <= 1e-12 * (1.0 + fabs(vp)) && vn == vf)) {
            fprintf(stderr, "bench_expr: %s: plugin %g, formula %g (native %g), Lua %g differ\n", cases[c].plugin, vp,
                    vf, vn, vl);
            return 1;
        }
        const double tp = time_gradient(plugin, points, evals, &sink);
        const double tf = time_gradient(formula, points, evals, &sink);
        const double tn = gdlab_expr_is_native(native) ? time_gradient(native, points, evals, &sink) : NAN;
        const double tl = time_gradient(lua, points, evals / 20, &sink); /* Lua is much slower */
        printf("%-16s %5zu %10.1f %8.1f %6.2fx ", cases[c].plugin, tape, tp, tf, tf / tp);
        if (isnan(tn)) printf("%10s %7s", "-", "-");
        else printf("%10.1f %6.2fx", tn, tn / tp);
        printf(" %10.1f %6.0fx\n", tl, tl / tp);
        gdlab_surface_free(plugin);
        gdlab_surface_free(formula);
        gdlab_surface_free(native);
    }
    printf("(instr: instructions on the formula's tape; Lua gradients come from dual numbers)\n");
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) printf("%s: %s\n", cases[c].plugin, why[c]);
    free(saved_env);
    lua_close(L);
    gdlab_registry_free(reg);
    return sink == 42.0; /* keeps the sums alive */
}
