/* SPDX-License-Identifier: MIT */
/* bench_sweep — how much faster a sweep runs on all cores than on one.
 * 40 x 10 runs of Adam on Rosenbrock (lr x beta1), 2000 steps each, timed with 1 thread and with every
 * core; prints both times and the ratio. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "gdlab/gdlab.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(void)
{
    char err[GDLAB_ERRLEN];
    gdlab_registry *reg = gdlab_registry_new();
    gdlab_registry_scan_default(reg);
    const gdlab_header *sh = gdlab_registry_find(reg, GDLAB_KIND_SURFACE, "rosenbrock");
    const gdlab_header *oh = gdlab_registry_find(reg, GDLAB_KIND_OPTIMIZER, "adam");
    if (!sh || !oh) {
        fprintf(stderr, "bench_sweep: rosenbrock or adam not found\n");
        return 1;
    }
    gdlab_surface *s = gdlab_surface_new((const gdlab_surface_desc *)sh, NULL, err, sizeof err);
    double lrs[40], betas[10];
    for (int i = 0; i < 40; i++) lrs[i] = 1e-3 * (1 + i);
    for (int j = 0; j < 10; j++) betas[j] = 0.5 + 0.05 * j;
    const gdlab_sweep_axis axes[] = {{"lr", lrs, 40}, {"beta1", betas, 10}};
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 2000;
    double seconds[2];
    const unsigned threads[2] = {1, 0};
    for (int k = 0; k < 2; k++) {
        gdlab_sweep_result r;
        double t0 = now();
        if (gdlab_sweep(s, (const gdlab_optimizer_desc *)oh, NULL, axes, 2, &cfg, 1, threads[k], &r, err,
                        sizeof err)) {
            fprintf(stderr, "bench_sweep: %s\n", err);
            return 1;
        }
        seconds[k] = now() - t0;
        gdlab_sweep_result_free(&r);
    }
    printf("sweep of 400 runs x 2000 steps (adam on rosenbrock)\n");
    printf("  1 thread       %8.1f ms\n", 1e3 * seconds[0]);
    printf("  %ld cores       %8.1f ms\n", sysconf(_SC_NPROCESSORS_ONLN), 1e3 * seconds[1]);
    printf("  speed-up       %8.2fx\n", seconds[0] / seconds[1]);
    gdlab_surface_free(s);
    gdlab_registry_free(reg);
    return 0;
}
