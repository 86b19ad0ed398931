/* SPDX-License-Identifier: MIT */
/* bench_steps — one run of a bench_speed row (Adam on Rosenbrock, as there) or of its plain loop, for
 * counting instructions per step with callgrind: counts, unlike times, are the same on every run and
 * on a loaded machine. bench/callgrind_steps.sh runs it at two lengths and prints the difference per
 * step (docs/performance.md).
 *
 *   bench_steps MODE STEPS   MODE: summary | path | lua | plain | plain-path
 *     summary     gdlab_run keeping only the summary      path   gdlab_run keeping x, y and f
 *     lua         gd.run from Lua (its path, 24 B/step)   plain, plain-path   the plain loop without
 *                                                                             and with its path */
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdlab/gdlab.h"
#include "lgdlab.h"
#include "plain_loops.h"

static char err[GDLAB_ERRLEN];

static int lua_run(unsigned long long steps)
{
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    luaL_requiref(L, "gdlab", luaopen_gdlab, 0);
    lua_pop(L, 1);
    char code[400];
    snprintf(code, sizeof code,
             "local gd = require 'gdlab'\n"
             "local r = gd.run{surface = gd.surface('rosenbrock'), optimizer = gd.optimizer('adam', {lr = 1e-3}), "
             "steps = %llu}\n"
             "return r.loss[#r.loss]\n",
             steps);
    if (luaL_dostring(L, code)) {
        fprintf(stderr, "bench_steps: %s\n", lua_tostring(L, -1));
        return 1;
    }
    printf("final loss %.17g\n", lua_tonumber(L, -1));
    lua_close(L);
    return 0;
}

static int engine_run(int path, uint64_t steps)
{
    gdlab_registry *reg = gdlab_registry_new();
    gdlab_registry_scan_default(reg);
    const gdlab_surface_desc *sd = (const void *)gdlab_registry_find(reg, GDLAB_KIND_SURFACE, "rosenbrock");
    const gdlab_optimizer_desc *od = (const void *)gdlab_registry_find(reg, GDLAB_KIND_OPTIMIZER, "adam");
    if (!sd || !od) {
        fprintf(stderr, "bench_steps: the rosenbrock and adam plugins were not found\n");
        return 1;
    }
    double p[16];
    gdlab_params_defaults(&od->h, p);
    gdlab_params_set(&od->h, p, "lr", 1e-3, err, sizeof err);
    gdlab_surface *s = gdlab_surface_new(sd, NULL, err, sizeof err);
    gdlab_optimizer *o = gdlab_optimizer_new(od, p, err, sizeof err);
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = steps;
    cfg.record_every = path ? 1 : 0;
    cfg.record_details = 0;
    gdlab_trajectory t;
    if (!s || !o || gdlab_run(s, o, &cfg, &t, err, sizeof err)) {
        fprintf(stderr, "bench_steps: %s\n", err);
        return 1;
    }
    printf("final loss %.17g, %zu points kept\n", t.final_loss, t.n);
    gdlab_trajectory_free(&t);
    gdlab_optimizer_free(o);
    gdlab_surface_free(s);
    gdlab_registry_free(reg);
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc == 3 ? argv[1] : "";
    const unsigned long long steps = argc == 3 ? strtoull(argv[2], NULL, 10) : 0;
    if (steps == 0 || steps > 1000000000) {
        fprintf(stderr, "usage: bench_steps summary|path|lua|plain|plain-path STEPS (1 to 1e9)\n");
        return 2;
    }
    if (strcmp(mode, "summary") == 0 || strcmp(mode, "path") == 0) return engine_run(mode[0] == 'p', steps);
    if (strcmp(mode, "lua") == 0) return lua_run(steps);
    if (strcmp(mode, "plain") == 0 || strcmp(mode, "plain-path") == 0) {
        double *path = mode[5] ? malloc((steps + 1) * 3 * sizeof(double)) : NULL;
        const plain_result r = plain_adam_rosenbrock(1.0, 100.0, -1.0, 2.0, 1e-3, 0.9, 0.999, 1e-8, steps, path);
        printf("final loss %.17g\n", r.final_loss);
        free(path);
        return 0;
    }
    fprintf(stderr, "bench_steps: unknown mode '%s': summary, path, lua, plain or plain-path\n", mode);
    return 2;
}
