/* SPDX-License-Identifier: MIT */
/* gd.run's path in Lua memory (core/lua/lresult_storage.c): the run records straight into userdata
 * that Lua's collector counts — 24 bytes per 2-D point, the numbers of the C API bit for bit — a run
 * that stopped early holds what it kept (or at most twice that), and when Lua's allocator refuses the
 * path's memory, at the start or part-way, gd.run raises a clear error and the state goes on working. */
#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>

#include "check.h"
#include "gdlab/gdlab.h"
#include "lgdlab.h"

/* Lua's allocator, counting the blocks of at least `big` bytes asked for, and refusing them from the
 * fail_at-th on (Lua tries again after a full collection: a failure that stays is what exhausted
 * memory looks like). */
static size_t big;
static int big_blocks, fail_at;

static void *test_alloc(void *ud, void *block, size_t old_bytes, size_t bytes)
{
    (void)ud, (void)old_bytes;
    if (bytes == 0) {
        free(block);
        return NULL;
    }
    if (big && bytes >= big && ++big_blocks >= fail_at && fail_at) return NULL;
    return realloc(block, bytes);
}

/* From now on, count the blocks of at least `bytes` (0: none) and refuse them from the refuse_from-th
 * on (0: never). */
static void watch(size_t bytes, int refuse_from)
{
    big = bytes, big_blocks = 0, fail_at = refuse_from;
}

/* Runs chunk (which sees gd, banana, adam at lr = 0.05, slow: adam at 1e-3, armijo) and leaves its
 * results on the stack; a Lua error fails the check and leaves nils. */
static void run(lua_State *L, const char *chunk, int results)
{
    lua_settop(L, 0);
    char code[2048];
    snprintf(code, sizeof code,
             "local gd = require 'gdlab'\n"
             "local banana, adam = gd.surface('rosenbrock'), gd.optimizer('adam', {lr = 0.05})\n"
             "local slow = gd.optimizer('adam', {lr = 1e-3})\n"
             "local armijo = gd.optimizer('gd_armijo', {lr = 1})\n"
             "%s", chunk);
    const int ok = luaL_dostring(L, code) == LUA_OK;
    if (!ok) fprintf(stderr, "lua: %s\n", lua_tostring(L, -1));
    CHECK(ok);
    lua_settop(L, ok ? results : 0);
    lua_settop(L, results); /* nils when it failed */
}

/* The same run through the C API: adam (lr) on Rosenbrock from (-1.2, 1) for `steps`, tol. */
static void c_run(double lr, uint64_t steps, double tol, gdlab_trajectory *t)
{
    char err[GDLAB_ERRLEN];
    gdlab_registry *reg = gdlab_registry_new();
    gdlab_registry_scan_default(reg);
    const gdlab_optimizer_desc *od = gdlab_registry_find_optimizer(reg, "adam");
    double p[32];
    gdlab_params_defaults(&od->h, p);
    gdlab_params_set(&od->h, p, "lr", lr, err, sizeof err);
    gdlab_surface *s = gdlab_surface_new(gdlab_registry_find_surface(reg, "rosenbrock"), NULL, err, sizeof err);
    gdlab_optimizer *o = gdlab_optimizer_new(od, p, err, sizeof err);
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    const double start[2] = {-1.2, 1};
    cfg.start = start, cfg.max_steps = steps, cfg.tol = tol, cfg.record_details = 0;
    CHECK(gdlab_run(s, o, &cfg, t, err, sizeof err) == 0);
    gdlab_optimizer_free(o);
    gdlab_surface_free(s);
    gdlab_registry_free(reg);
}

/* Bytes Lua holds for the result of gd.run{...args} (what collectgarbage("count") gained once the
 * garbage is collected), and the result at 2. */
static double held(lua_State *L, const char *args)
{
    char chunk[512];
    snprintf(chunk, sizeof chunk,
             "collectgarbage(); collectgarbage()\n"
             "local before = collectgarbage('count')\n"
             "local r = gd.run{surface = banana, start = {-1.2, 1}, %s}\n"
             "collectgarbage(); collectgarbage()\n"
             "return (collectgarbage('count') - before) * 1024, r\n", args);
    run(L, chunk, 2);
    return lua_tonumber(L, 1);
}

/* Every point of result r (at idx) equals the C API's trajectory t, bit for bit. */
static int same_as_c(lua_State *L, int idx, const gdlab_trajectory *t)
{
    lua_getfield(L, idx, "loss");
    lua_getfield(L, idx, "x");
    lua_getfield(L, idx, "y");
    int same = luaL_len(L, -3) == (lua_Integer)t->n && luaL_len(L, -2) == (lua_Integer)t->n;
    for (size_t k = 0; same && k < t->n; k++) {
        const double want[3] = {t->loss[k], t->x[2 * k], t->x[2 * k + 1]};
        for (int c = 0; c < 3; c++) {
            lua_geti(L, -3 + c, (lua_Integer)k + 1);
            const double got = lua_tonumber(L, -1);
            lua_pop(L, 1);
            same &= memcmp(&got, &want[c], sizeof got) == 0;
        }
    }
    lua_pop(L, 3);
    return same;
}

static void a_path_is_held_at_24_bytes_a_point_with_the_numbers_of_the_c_api(lua_State *L)
{
    gdlab_trajectory t;
    c_run(1e-3, 200000, NAN, &t);
    watch(1 << 20, 0);
    const double bytes = held(L, "optimizer = slow, steps = 200000");
    CHECK(big_blocks == 2); /* x and loss (3.2 and 1.6 MB), each asked for once: no copy of the path */
    watch(0, 0);
    CHECK(bytes >= 24.0 * 200001 && bytes <= 24.0 * 200001 + 8192); /* the arrays, and the tables around them */
    CHECK(same_as_c(L, 2, &t));
    gdlab_trajectory_free(&t);
}

static void a_run_that_stopped_early_holds_what_it_kept(lua_State *L)
{
    gdlab_trajectory t;
    c_run(0.05, 100000, 1e-3, &t); /* converges at step 1090 */
    CHECK(t.n == 1091);
    /* room for 100,001 points, 1,091 kept: copied into blocks of their size */
    double bytes = held(L, "optimizer = adam, steps = 100000, tol = 1e-3");
    CHECK(bytes >= 24.0 * 1091 && bytes <= 24.0 * 1091 + 8192);
    CHECK(same_as_c(L, 2, &t));
    /* room for 2,001, more than half kept: the blocks stay as they are, no copy */
    bytes = held(L, "optimizer = adam, steps = 2000, tol = 1e-3");
    CHECK(bytes >= 24.0 * 2001 && bytes <= 24.0 * 2001 + 8192);
    CHECK(same_as_c(L, 2, &t));
    gdlab_trajectory_free(&t);
    /* a runner's result taken early, and a runner collected before its result */
    run(L, "local r = gd.runner{surface = banana, optimizer = adam, start = {-1.2, 1}, steps = 100000}\n"
           "r:step(7)\n"
           "local early = r:result()\n"
           "gd.runner{surface = banana, optimizer = adam, steps = 100000}:step(3)\n"
           "collectgarbage()\n"
           "return #early.loss, early.x[8], early.status\n", 3);
    CHECK(lua_tointeger(L, 1) == 8 && lua_tonumber(L, 2) != 0 && strcmp(lua_tostring(L, 3), "max_steps") == 0);
}

static void memory_refused_is_an_error_and_the_state_goes_on(lua_State *L)
{
    const char *catch = "local ok, e = pcall(gd.run, {surface = banana, optimizer = %s, steps = %s})\n"
                        "collectgarbage()\n"
                        "local after = gd.run{surface = banana, optimizer = adam, steps = 100}\n"
                        "return ok, e, #after.loss\n";
    char chunk[512];
    /* at the start: x (16 MB for 10^6 steps) */
    watch(1 << 20, 1);
    snprintf(chunk, sizeof chunk, catch, "adam", "1000000");
    run(L, chunk, 3);
    CHECK(!lua_toboolean(L, 1) && lua_tointeger(L, 3) == 101);
    CHECK_STR_CONTAINS(lua_tostring(L, 2), "gd.run: run: out of memory recording point 0 (step 0) of up to "
                                           "1000001 points of 32 bytes: record fewer points");
    /* part-way: the line search's evaluation counts leave their compact form after x and loss were
     * made (3.2 and 1.6 MB for 2·10^5 steps), and their own array (1.6 MB) is refused */
    watch(1 << 20, 3);
    snprintf(chunk, sizeof chunk, catch, "armijo", "200000");
    run(L, chunk, 3);
    CHECK(!lua_toboolean(L, 1) && lua_tointeger(L, 3) == 101 && big_blocks >= 3);
    CHECK_STR_CONTAINS(lua_tostring(L, 2), "gd.run: run: out of memory recording point ");
    watch(0, 0);
    /* nothing of the failed runs is left: the state is back to its size before them */
    run(L, "collectgarbage(); collectgarbage()\n"
           "local before = collectgarbage('count')\n"
           "pcall(gd.run, {surface = banana, optimizer = adam, steps = 1000000})\n"
           "collectgarbage(); collectgarbage()\n"
           "return (collectgarbage('count') - before) * 1024\n", 1);
    CHECK(lua_tonumber(L, 1) < 4096);
}

int main(void)
{
    lua_State *L = lua_newstate(test_alloc, NULL);
    luaL_openlibs(L);
    luaL_requiref(L, "gdlab", luaopen_gdlab, 0);
    lua_pop(L, 1);
    a_path_is_held_at_24_bytes_a_point_with_the_numbers_of_the_c_api(L);
    a_run_that_stopped_early_holds_what_it_kept(L);
    memory_refused_is_an_error_and_the_state_goes_on(L);
    lua_close(L);
    return CHECK_RESULT();
}
