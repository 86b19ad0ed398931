/* SPDX-License-Identifier: MIT */
/* bench_mpi — one sweep spread over MPI ranks, for bench/bench_mpi.sh (run under mpirun, or alone).
 * Adam on Rosenbrock over lr x beta1 (120 x 40 runs, up to 20,000 steps): runs that diverge stop at
 * once, runs that converge stop early, the rest go on to the end, so the work per run is uneven, as in
 * real sweeps. Rank 0 prints the sweep's wall time and a checksum of every result (the same for any
 * number of ranks); GDLAB_MPI_REPORT=1 adds each rank's runs and busy time.
 *   mpirun -np N bench_mpi [THREADS_PER_RANK]   (default 1) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gdlab/gdlab.h"
#include "gdlab_mpi.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* FNV-1a over the bytes of every result (docs: a changed bit anywhere changes it). */
static unsigned long long checksum(const gdlab_sweep_result *r)
{
    unsigned long long h = 14695981039346656037ull;
    const void *cols[] = {r->status, r->stop_step, r->final_loss, r->min_loss, r->evals};
    const size_t sizes[] = {sizeof *r->status, 8, 8, 8, 8};
    for (size_t c = 0; c < 5; c++)
        for (size_t i = 0; i < r->n_runs * sizes[c]; i++)
            h = (h ^ ((const unsigned char *)cols[c])[i]) * 1099511628211ull;
    return h;
}

int main(int argc, char **argv)
{
    char err[GDLAB_ERRLEN];
    if (gdlab_mpi_start(err, sizeof err)) {
        fprintf(stderr, "bench_mpi: %s\n", err);
        return gdlab_mpi_finish(2);
    }
    const gdlab_sweep_distributor *dist = gdlab_mpi_distributor();
    if (!dist) dist = gdlab_sweep_local();
    gdlab_registry *reg = gdlab_registry_new();
    gdlab_registry_scan_default(reg);
    const gdlab_header *sh = gdlab_registry_find(reg, GDLAB_KIND_SURFACE, "rosenbrock");
    const gdlab_header *oh = gdlab_registry_find(reg, GDLAB_KIND_OPTIMIZER, "adam");
    if (!sh || !oh) {
        fprintf(stderr, "bench_mpi: rosenbrock or adam not found\n");
        return gdlab_mpi_finish(1);
    }
    gdlab_surface *s = gdlab_surface_new((const gdlab_surface_desc *)sh, NULL, err, sizeof err);
    double lrs[120], betas[40];
    for (int i = 0; i < 120; i++) lrs[i] = 1e-3 * (1 + i);
    for (int i = 0; i < 40; i++) betas[i] = 0.5 + 0.0124 * i;
    const gdlab_sweep_axis axes[] = {{"lr", lrs, 120}, {"beta1", betas, 40}};
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 20000;
    cfg.tol = 1e-6;
    const gdlab_sweep_spec sp = {.s = s, .d = (const gdlab_optimizer_desc *)oh, .axes = axes, .n_axes = 2,
                                 .cfg = &cfg, .thread_safe_schedule = 1,
                                 .threads = argc > 1 ? (unsigned)atoi(argv[1]) : 1};
    size_t n_runs;
    gdlab_sweep_result r;
    int failed = gdlab_sweep_check(&sp, &n_runs, err, sizeof err) || gdlab_sweep_result_alloc(&r, n_runs);
    const gdlab_sweep_sink sink = {gdlab_sweep_result_put, &r};
    const double t0 = now();
    failed = failed || dist->run(dist, &sp, n_runs, &sink, err, sizeof err) ||
             dist->share(dist, &r, err, sizeof err);
    const double seconds = now() - t0;
    if (failed)
        fprintf(stderr, "bench_mpi: %s\n", err);
    else if (dist->rank == 0) {
        size_t steps = 0;
        for (size_t i = 0; i < n_runs; i++)
            steps += r.stop_step[i];
        printf("ranks=%d threads=%u runs=%zu steps=%zu seconds=%.3f checksum=%016llx\n", dist->ranks,
               sp.threads, n_runs, steps, seconds, checksum(&r));
    }
    gdlab_sweep_result_free(&r);
    gdlab_surface_free(s);
    gdlab_registry_free(reg);
    return gdlab_mpi_finish(failed);
}
