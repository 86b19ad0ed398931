/* SPDX-License-Identifier: MIT */
/* test_alloc_faults.c — the engine when memory runs out (docs/reliability.md, "Memory").
 *
 * Every allocation of the process (libgdlab, the plugins, libc on their behalf) goes through
 * alloc_inject.c, which makes the N-th one fail with ENOMEM: only that one ("once", a transient failure
 * the code must survive when it recovers) or that one and every later one ("from then on", memory that
 * stays exhausted). For each operation — a run recording everything, a sweep on two threads, saving
 * runs and sweeps as CSV and JSON, compiling a formula into a surface — N goes from 1 until the
 * operation no longer reaches its N-th allocation, and each outcome must be either the exact result of
 * the unfailed operation or -1 (NULL) with a message saying memory ran out; never a crash. Allocations
 * still live after the operation was undone are counted as leaks; a failed save leaves the old file
 * byte for byte and no temporary in its folder. The Lua bindings and figures are failed the same way by
 * test_lua_alloc_faults.c. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc_inject.h"
#include "check.h"
#include "gdlab/expr.h"
#include "gdlab/gdlab.h"
#include "gdlab/save.h"

/* ---- the operations ----------------------------------------------------------------------------- */

static gdlab_registry *reg;
static char dir[] = "/tmp/gdlab-allocXXXXXX";
static char path_csv[64], path_json[64], sweep_json[64];

static const gdlab_header *plugin(uint32_t kind, const char *name)
{
    const gdlab_header *h = gdlab_registry_find(reg, kind, name);
    if (!h) fprintf(stderr, "plugin '%s' not found in %s\n", name, GDLAB_PLUGIN_DIR), exit(2);
    return h;
}

/* Each operation does its whole work and undoes it; *value is a number that any success must
 * reproduce exactly. Returns 0, or -1 with err set. */
typedef int (*operation)(double *value, char *err, size_t errlen);

/* adam on rosenbrock, every point with internals and curvature (trajectory_reserve grows all four) */
static int run_recording_everything(double *value, char *err, size_t errlen)
{
    const gdlab_surface_desc *sd = (const gdlab_surface_desc *)plugin(GDLAB_KIND_SURFACE, "rosenbrock");
    const gdlab_optimizer_desc *od = (const gdlab_optimizer_desc *)plugin(GDLAB_KIND_OPTIMIZER, "adam");
    double sp[16], op[16];
    gdlab_params_defaults(&sd->h, sp);
    gdlab_params_defaults(&od->h, op);
    gdlab_surface *s = gdlab_surface_new(sd, sp, err, errlen);
    if (!s) return -1;
    gdlab_optimizer *o = gdlab_optimizer_new(od, op, err, errlen);
    if (!o) return gdlab_surface_free(s), -1;
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 700; /* past several doublings of the path's buffers */
    cfg.record_internals = 1;
    cfg.record_curvature = 1;
    gdlab_trajectory t;
    const int rc = gdlab_run(s, o, &cfg, &t, err, errlen);
    if (rc == 0) {
        *value = t.loss[t.n - 1] + (double)t.n + t.internals[(t.n - 1) * t.n_internals] + t.curvature[1];
        gdlab_trajectory_free(&t);
    }
    gdlab_optimizer_free(o);
    gdlab_surface_free(s);
    return rc;
}

/* momentum: the batched path (runs stepped together); rmsprop: one run at a time on worker threads */
static int sweep_on(const char *optimizer, const char *second, unsigned threads, double *value, char *err,
                    size_t errlen)
{
    const gdlab_surface_desc *sd = (const gdlab_surface_desc *)plugin(GDLAB_KIND_SURFACE, "quadratic");
    const gdlab_optimizer_desc *od = (const gdlab_optimizer_desc *)plugin(GDLAB_KIND_OPTIMIZER, optimizer);
    double sp[16];
    gdlab_params_defaults(&sd->h, sp);
    gdlab_surface *s = gdlab_surface_new(sd, sp, err, errlen);
    if (!s) return -1;
    const double lrs[] = {0.01, 0.05, 0.1, 0.3}, betas[] = {0.1, 0.5, 0.9};
    const gdlab_sweep_axis axes[] = {{"lr", lrs, 4}, {second, betas, 3}};
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 200;
    gdlab_sweep_result r;
    const int rc = gdlab_sweep(s, od, NULL, axes, 2, &cfg, 1, threads, &r, err, errlen);
    if (rc == 0) {
        *value = 0;
        for (size_t i = 0; i < r.n_runs; i++) *value += r.final_loss[i] + (double)r.stop_step[i];
        gdlab_sweep_result_free(&r);
    }
    gdlab_surface_free(s);
    return rc;
}

static int sweep_batched(double *value, char *err, size_t errlen)
{
    return sweep_on("momentum", "beta", 1, value, err, errlen);
}

static int sweep_threads(double *value, char *err, size_t errlen)
{
    return sweep_on("rmsprop", "alpha", 2, value, err, errlen);
}

/* a short gd run saved with its setup; the file's size is the value */
static int save_run(const char *path, double *value, char *err, size_t errlen)
{
    const gdlab_surface_desc *sd = (const gdlab_surface_desc *)plugin(GDLAB_KIND_SURFACE, "himmelblau");
    const gdlab_optimizer_desc *od = (const gdlab_optimizer_desc *)plugin(GDLAB_KIND_OPTIMIZER, "gd");
    double sp[16], op[16];
    gdlab_params_defaults(&sd->h, sp);
    gdlab_params_defaults(&od->h, op);
    int rc = -1;
    gdlab_surface *s = gdlab_surface_new(sd, sp, err, errlen);
    gdlab_optimizer *o = s ? gdlab_optimizer_new(od, op, err, errlen) : NULL;
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 40;
    gdlab_trajectory t;
    if (o && gdlab_run(s, o, &cfg, &t, err, errlen) == 0) {
        char *setup = gdlab_setup_json(s, o, &cfg, NULL, "alloc faults");
        if (!setup) snprintf(err, errlen, "gdlab_setup_json: out of memory");
        else rc = gdlab_save_trajectory(&t, setup, path, err, errlen);
        free(setup);
        gdlab_trajectory_free(&t);
    }
    gdlab_optimizer_free(o);
    gdlab_surface_free(s);
    struct stat st; /* stat, not fopen: no allocation of the test's own while armed */
    if (rc == 0) *value = stat(path, &st) == 0 ? (double)st.st_size : -1.0;
    return rc;
}

static int save_run_csv(double *value, char *err, size_t errlen) { return save_run(path_csv, value, err, errlen); }
static int save_run_json(double *value, char *err, size_t errlen) { return save_run(path_json, value, err, errlen); }

static int save_sweep(double *value, char *err, size_t errlen)
{
    gdlab_status status[3] = {GDLAB_CONVERGED, GDLAB_DIVERGED, GDLAB_MAX_STEPS};
    uint64_t steps[3] = {10, 20, 30}, evals[3] = {11, 21, 31};
    double final[3] = {0.5, 1e300, 2.25}, lowest[3] = {0.25, 1.0, 2.0};
    const gdlab_sweep_result r = {3, status, steps, final, lowest, evals};
    const double lrs[] = {0.1, 0.2, 0.3};
    const gdlab_sweep_axis axis = {"lr", lrs, 3};
    const int rc = gdlab_save_sweep(&r, &axis, 1, "{\"label\": \"alloc\"}", sweep_json, err, errlen);
    if (rc == 0) *value = 3;
    return rc;
}

static int formula_surface(double *value, char *err, size_t errlen)
{
    const gdlab_expr_param params[] = {{"a", 1.5}};
    gdlab_expr *e = gdlab_expr_compile("(a - x)^2 + 100*(y - x^2)^2 + sin(x*y)/(1 + exp(-x))", NULL, 0,
                                       params, 1, err, errlen);
    if (!e) return -1;
    gdlab_surface *s = gdlab_expr_surface(e, NULL, err, errlen);
    if (!s) return -1;
    double g[2];
    const double x[2] = {0.3, -0.7};
    *value = gdlab_surface_eval(s, x, g) + g[0] + g[1];
    gdlab_surface_free(s);
    return 0;
}

/* ---- the driver --------------------------------------------------------------------------------- */

static int temporaries_in(const char *folder)
{
    DIR *d = opendir(folder);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) n += strstr(e->d_name, "gdlab-tmp") != NULL;
    if (d) closedir(d);
    return n;
}

static char *slurp(const char *path, long *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    rewind(f);
    char *buf = alloc_inject_real_malloc((size_t)*len + 1); /* outside the count: ours, not the operation's */
    *len = (long)fread(buf, 1, (size_t)*len, f);
    fclose(f);
    return buf;
}

/* Fail the N-th allocation of op for N = 1, 2, ... until op finishes without reaching it. */
static void exhaust(const char *name, operation op, const char *output, int keep_failing)
{
    char err[512];
    double want = NAN, got;
    CHECK(op(&want, err, sizeof err) == 0); /* once unfailed: warm (lazy one-time allocations done) */
    CHECK(op(&want, err, sizeof err) == 0);
    long old_len = 0;
    char *old = output ? slurp(output, &old_len) : NULL;
    long n = 1, failures = 0, successes = 0;
    for (; n < 20000; n++) {
        const long before = alloc_inject_live();
        err[0] = '\0';
        got = NAN;
        alloc_inject_arm(n, keep_failing);
        const int rc = op(&got, err, sizeof err);
        const int hit = alloc_inject_disarm();
        const long leaked = alloc_inject_live() - before;
        if (leaked != 0) {
            CHECK(leaked == 0);
            fprintf(stderr, "%s: allocation %ld failed (%s): %ld blocks leaked; rc %d, '%s'\n", name, n,
                    keep_failing ? "from then on" : "once", leaked, rc, err);
        }
        if (!hit) { /* op needs fewer than n allocations: every one of them has been failed */
            CHECK(rc == 0 && got == want);
            break;
        }
        if (rc == 0) { /* recovered (e.g. a cache that is only an optimisation): the same result */
            successes++;
            if (got != want) {
                CHECK(got == want);
                fprintf(stderr, "%s: allocation %ld failed: success with %.17g, not %.17g\n", name, n, got,
                        want);
            }
        } else {
            failures++;
            if (!strstr(err, "memory")) {
                CHECK(strstr(err, "memory") != NULL);
                fprintf(stderr, "%s: allocation %ld failed: rc %d, message '%s' does not say memory\n", name,
                        n, rc, err);
            }
            if (old) {
                long len = 0;
                char *now = slurp(output, &len);
                const int same = now && len == old_len && memcmp(now, old, (size_t)len) == 0;
                if (!same) fprintf(stderr, "%s: allocation %ld failed: '%s' changed\n", name, n, output);
                CHECK(same);
                alloc_inject_real_free(now);
            }
        }
        if (output && temporaries_in(dir)) {
            CHECK(temporaries_in(dir) == 0);
            fprintf(stderr, "%s: allocation %ld failed: a temporary is left in %s\n", name, n, dir);
        }
    }
    CHECK(n < 20000);
    alloc_inject_real_free(old);
    printf("%-22s %-13s %5ld allocations failed one by one: %ld errors, %ld recovered\n", name,
           keep_failing ? "from then on" : "once", n - 1, failures, successes);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    alloc_inject_trace(getenv("ALLOC_FAULTS_TRACE") != NULL);
    setenv("GDLAB_NATIVE", "0", 1); /* formulas on the tape: no compiler child under a failing malloc */
    if (!mkdtemp(dir)) return perror("mkdtemp"), 2;
    snprintf(path_csv, sizeof path_csv, "%s/run.csv", dir);
    snprintf(path_json, sizeof path_json, "%s/run.json", dir);
    snprintf(sweep_json, sizeof sweep_json, "%s/sweep.json", dir);
    reg = gdlab_registry_new();
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/surfaces");
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/optimizers");
    static const struct {
        const char *name;
        operation op;
        const char *output;
    } ops[] = {
        {"run (all recorded)", run_recording_everything, NULL},
        {"sweep, batched", sweep_batched, NULL},
        {"sweep, 2 threads", sweep_threads, NULL},
        {"save run (csv)", save_run_csv, path_csv},
        {"save run (json)", save_run_json, path_json},
        {"save sweep (json)", save_sweep, sweep_json},
        {"formula surface", formula_surface, NULL},
    };
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        for (int keep = 0; keep < 2; keep++) exhaust(ops[i].name, ops[i].op, ops[i].output, keep);
    gdlab_registry_free(reg);
    unlink(path_csv), unlink(path_json), unlink(sweep_json), rmdir(dir);
    return CHECK_RESULT();
}
