/* SPDX-License-Identifier: MIT */
/* run_adam.c — the C API in one page (docs/c-api.md): Adam on Rosenbrock's valley, without Lua.
 *
 *   run_adam [LR]      LR: Adam's learning rate (default 0.02)
 *
 * Finds the plugins, sets a parameter by name, runs to a stop rule and prints where the run ended.
 * Build: cc run_adam.c -o run_adam $(pkg-config --cflags --libs gdlab), or CMakeLists.txt beside it. */
#include <gdlab/gdlab.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    char err[GDLAB_ERRLEN];
    double lr = 0.02;
    if (argc > 2) {
        fprintf(stderr, "usage: run_adam [LR]\n");
        return 2;
    }
    if (argc == 2) {
        char *end;
        lr = strtod(argv[1], &end);
        if (end == argv[1] || *end) {
            fprintf(stderr, "run_adam: LR '%s' is not a number\n", argv[1]);
            return 2;
        }
    }

    /* The plugins: GDLAB_PLUGIN_PATH first, then the built-in ones beside libgdlab. */
    gdlab_registry *reg = gdlab_registry_new();
    if (!reg) return 1;
    gdlab_registry_scan_default(reg);
    const gdlab_surface_desc *rosenbrock = gdlab_registry_find_surface(reg, "rosenbrock");
    const gdlab_optimizer_desc *adam = gdlab_registry_find_optimizer(reg, "adam");
    if (!rosenbrock || !adam) {
        gdlab_registry_unknown(reg, rosenbrock ? GDLAB_KIND_OPTIMIZER : GDLAB_KIND_SURFACE,
                               rosenbrock ? "adam" : "rosenbrock", err, sizeof err);
        fprintf(stderr, "run_adam: %s\n", err);
        gdlab_registry_free(reg);
        return 1;
    }

    /* Parameters: the defaults, then lr by name (checked against the plugin's bounds). */
    int status = 1;
    gdlab_surface *surface = NULL;
    gdlab_optimizer *optimizer = NULL;
    double *params = malloc(adam->h.n_params * sizeof *params);
    if (!params) goto done;
    gdlab_params_defaults(&adam->h, params);
    if (gdlab_params_set(&adam->h, params, "lr", lr, err, sizeof err) ||
        !(surface = gdlab_surface_new(rosenbrock, NULL, err, sizeof err)) || /* NULL: defaults */
        !(optimizer = gdlab_optimizer_new(adam, params, err, sizeof err))) {
        fprintf(stderr, "run_adam: %s\n", err);
        goto done;
    }

    /* The run: from (-1.5, 2) until f is within 1e-8 of the minimum, at most 5000 steps. */
    const double start[2] = {-1.5, 2.0};
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.start = start;
    cfg.max_steps = 5000;
    cfg.tol = 1e-8;
    gdlab_trajectory run;
    if (gdlab_run(surface, optimizer, &cfg, &run, err, sizeof err)) {
        fprintf(stderr, "run_adam: %s\n", err);
        goto done;
    }
    const double *x = run.x + (run.n - 1) * run.dim; /* the last point */
    printf("adam (lr %g) on rosenbrock from (%g, %g)\n", lr, start[0], start[1]);
    printf("status: %s at step %llu\n", gdlab_status_name(run.status),
           (unsigned long long)run.stop_step);
    printf("x: %.17g %.17g\n", x[0], x[1]);
    printf("loss: %.17g\n", run.loss[run.n - 1]);
    gdlab_trajectory_free(&run);
    status = 0;
done:
    gdlab_optimizer_free(optimizer);
    gdlab_surface_free(surface);
    free(params);
    gdlab_registry_free(reg);
    return status;
}
