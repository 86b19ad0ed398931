/* SPDX-License-Identifier: MIT */
/* bench_speed — gdlab against plain C loops doing the same arithmetic (plain_loops.c, built in the
 * same build), and against the seeds' NumPy loop. Prints one table of ratios (docs/performance.md).
 *
 * Every pair is checked equal bit for bit before its time is reported. Times are medians of
 * interleaved repetitions (gdlab, plain, gdlab, plain, ...), so that a machine shared with other work
 * slows both alike. Not a test: no timing is asserted anywhere.
 *
 *   bench_speed [REPS [PART...]]   REPS default 5; PART: adam gd path lua sweep numpy (default: all) */
#include <lauxlib.h>
#include <lualib.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gdlab/gdlab.h"
#include "lgdlab.h"
#include "plain_loops.h"

static char err[GDLAB_ERRLEN];
static gdlab_registry *reg;
static int reps = 5, failures;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static void require(int equal, const char *what)
{
    if (equal) return;
    fprintf(stderr, "bench_speed: %s: gdlab and the plain loop differ; no time reported\n", what);
    failures++;
}

static void *plugin(uint32_t kind, const char *name)
{
    const gdlab_header *h = gdlab_registry_find(reg, kind, name);
    if (!h) {
        fprintf(stderr, "bench_speed: plugin '%s' not found\n", name);
        exit(1);
    }
    return (void *)h;
}

static gdlab_surface *surface(const char *name, const char *param, double value, const char *param2,
                              double value2)
{
    const gdlab_surface_desc *d = plugin(GDLAB_KIND_SURFACE, name);
    double p[8];
    gdlab_params_defaults(&d->h, p);
    if (param) gdlab_params_set(&d->h, p, param, value, err, sizeof err);
    if (param2) gdlab_params_set(&d->h, p, param2, value2, err, sizeof err);
    return gdlab_surface_new(d, p, err, sizeof err);
}

static gdlab_optimizer *optimizer(const char *name, double lr)
{
    const gdlab_optimizer_desc *d = plugin(GDLAB_KIND_OPTIMIZER, name);
    double p[16];
    gdlab_params_defaults(&d->h, p);
    gdlab_params_set(&d->h, p, "lr", lr, err, sizeof err);
    return gdlab_optimizer_new(d, p, err, sizeof err);
}

/* ---- one table -------------------------------------------------------------------------------- */

typedef struct row {
    const char *work, *goal;
    double gdlab, plain; /* seconds (medians) */
    char extra[96];
} row;

static row rows[16];
static int n_rows;

static void print_table(void)
{
    printf("\n| work | gdlab | plain C loop | gdlab / plain | goal | notes |\n");
    printf("| --- | --- | --- | --- | --- | --- |\n");
    for (int i = 0; i < n_rows; i++) {
        const row *r = &rows[i];
        printf("| %s | %.3f s | %.3f s | **%.3g×** | %s | %s |\n", r->work, r->gdlab, r->plain, r->gdlab / r->plain,
               r->goal, r->extra);
    }
}

/* ---- single runs ------------------------------------------------------------------------------ */

static double time_run(const gdlab_surface *s, const gdlab_optimizer *o, const gdlab_run_config *cfg,
                       gdlab_trajectory *t)
{
    const double t0 = now();
    if (gdlab_run(s, o, cfg, t, err, sizeof err)) {
        fprintf(stderr, "bench_speed: %s\n", err);
        exit(1);
    }
    return now() - t0;
}

static void adam_rosenbrock(uint64_t steps, int path)
{
    gdlab_surface *s = surface("rosenbrock", NULL, 0, NULL, 0);
    gdlab_optimizer *o = optimizer("adam", 1e-3);
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = steps;
    cfg.record_every = path ? 1 : 0;
    cfg.record_details = 0;
    double tg[32], tp[32], held = 0;
    for (int k = 0; k < reps; k++) {
        gdlab_trajectory t;
        tg[k] = time_run(s, o, &cfg, &t);
        const double t0 = now(); /* the plain loop allocates its path too: both pay for fresh pages */
        double *buffer = path ? malloc((steps + 1) * 3 * sizeof(double)) : NULL;
        const plain_result p = plain_adam_rosenbrock(1.0, 100.0, -1.0, 2.0, 1e-3, 0.9, 0.999, 1e-8, steps, buffer);
        tp[k] = now() - t0;
        require(same_bits(t.final_loss, p.final_loss) && same_bits(t.min_loss, p.min_loss) &&
                    t.steps == steps && t.total_evals == p.evals, "adam on rosenbrock");
        if (path) {
            require(t.n == steps + 1 && same_bits(t.x[2 * steps], p.x) && same_bits(t.x[2 * steps + 1], p.y) &&
                        same_bits(t.loss[steps / 2], buffer[3 * (steps / 2) + 2]), "adam path");
            held = (double)(t.n * (t.dim + 1) * sizeof(double)) / (double)steps;
        }
        free(buffer);
        gdlab_trajectory_free(&t);
    }
    row *r = &rows[n_rows++];
    r->work = path ? "Adam on Rosenbrock, 10⁷ steps, full path (x, y, f), C API"
                   : "Adam on Rosenbrock, 10⁷ steps, summary only, C API";
    r->goal = path ? "≤ 1.5×, ≤ 24 B/step" : "≤ 1.3×";
    r->gdlab = median(tg, reps);
    r->plain = median(tp, reps);
    snprintf(r->extra, sizeof r->extra, path ? "%.1f B/step held (plain: 24)" : "%.3g steps/s", path ? held : (double)steps / r->gdlab);
    gdlab_optimizer_free(o);
    gdlab_surface_free(s);
}

/* GD on a·x² + b·y² with a = b = 10 at lr = 0.1 = 2/L: the iterate flips sign at constant size for
 * ever, so 10⁷ steps neither converge nor reach subnormal numbers (which would time the FPU's slow
 * path, not gdlab). */
static void gd_quadratic(uint64_t steps)
{
    gdlab_surface *s = surface("quadratic", "a", 10, "b", 10);
    gdlab_optimizer *o = optimizer("gd", 0.1);
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = steps;
    cfg.record_every = 0;
    const plain_quadratic q = {10, 10, 0, 0, cos(0.0), sin(0.0)};
    double start[2];
    gdlab_surface_start(s, start);
    double tg[32], tp[32];
    for (int k = 0; k < reps; k++) {
        gdlab_trajectory t;
        tg[k] = time_run(s, o, &cfg, &t);
        const double t0 = now();
        const plain_result p = plain_gd_quadratic(&q, start[0], start[1], 0.1, steps);
        tp[k] = now() - t0;
        require(same_bits(t.final_loss, p.final_loss) && same_bits(t.min_loss, p.min_loss) &&
                    t.status == GDLAB_MAX_STEPS, "gd on a quadratic");
        gdlab_trajectory_free(&t);
    }
    row *r = &rows[n_rows++];
    r->work = "GD on a quadratic, 10⁷ steps, summary only, C API";
    r->goal = "≤ 2×";
    r->gdlab = median(tg, reps);
    r->plain = median(tp, reps);
    snprintf(r->extra, sizeof r->extra, "%.3g steps/s", (double)steps / r->gdlab);
    gdlab_optimizer_free(o);
    gdlab_surface_free(s);
}

/* The same path through gd.run in Lua: time, and bytes per step that Lua's collector holds. */
static void lua_path(uint64_t steps)
{
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    luaL_requiref(L, "gdlab", luaopen_gdlab, 0);
    lua_pop(L, 1);
    char code[512];
    snprintf(code, sizeof code,
             "local gd = require 'gdlab'\n"
             "local s, o = gd.surface('rosenbrock'), gd.optimizer('adam', {lr = 1e-3})\n"
             "collectgarbage(); collectgarbage('stop')\n"
             "local before = collectgarbage('count')\n"
             "local r = gd.run{surface = s, optimizer = o, steps = %llu}\n"
             "local bytes = (collectgarbage('count') - before) * 1024\n"
             "collectgarbage('restart')\n"
             "return r.loss[#r.loss], r.x[#r.x], bytes / %llu, #r.loss\n",
             (unsigned long long)steps, (unsigned long long)steps);
    double tg[32], tp[32], per_step = 0;
    for (int k = 0; k < reps; k++) {
        double t0 = now();
        if (luaL_dostring(L, code)) {
            fprintf(stderr, "bench_speed: %s\n", lua_tostring(L, -1));
            exit(1);
        }
        tg[k] = now() - t0;
        const double loss = lua_tonumber(L, -4), x = lua_tonumber(L, -3);
        per_step = lua_tonumber(L, -2);
        lua_settop(L, 0);
        lua_gc(L, LUA_GCCOLLECT);
        t0 = now();
        double *buffer = malloc((steps + 1) * 3 * sizeof(double));
        const plain_result p = plain_adam_rosenbrock(1.0, 100.0, -1.0, 2.0, 1e-3, 0.9, 0.999, 1e-8, steps, buffer);
        tp[k] = now() - t0;
        free(buffer);
        require(same_bits(loss, p.final_loss) && same_bits(x, p.x), "gd.run path");
    }
    row *r = &rows[n_rows++];
    r->work = "the same full path through gd.run (Lua), 10⁷ steps";
    r->goal = "≤ 1.5×, ≤ 24 B/step";
    r->gdlab = median(tg, reps);
    r->plain = median(tp, reps);
    snprintf(r->extra, sizeof r->extra, "%.1f B/step held by Lua", per_step);
    lua_close(L);
}

/* ---- sweeps ----------------------------------------------------------------------------------- */

enum { GRID = 512, SWEEP_STEPS = 1000 };

typedef struct plain_sweep {
    const plain_quadratic *q;
    const plain_limits *lim;
    const double *lrs, *betas, *start;
    plain_result *out;
    unsigned thread, threads;
    size_t blocks; /* blocks this thread took (the vectorised loop) */
} plain_sweep;

static void *plain_sweep_worker(void *arg)
{
    const plain_sweep *w = arg;
    for (size_t i = w->thread; i < GRID; i += w->threads) /* rows dealt out in turn */
        for (size_t j = 0; j < GRID; j++)
            w->out[i * GRID + j] = plain_heavy_ball(w->q, w->start[0], w->start[1], w->lrs[i], w->betas[j], w->lim);
    return NULL;
}

/* The vectorised plain loop: blocks of PLAIN_BLOCK runs (half a row of the grid) taken from a shared
 * counter, as gdlab's sweep takes its blocks. */
static atomic_size_t next_block;

static void *plain_block_worker(void *arg)
{
    plain_sweep *w = arg;
    enum { PER_ROW = GRID / PLAIN_BLOCK };
    double lr[PLAIN_BLOCK];
    for (size_t b; (b = atomic_fetch_add(&next_block, 1)) < (size_t)GRID * PER_ROW;) {
        const size_t i = b / PER_ROW, j = b % PER_ROW * PLAIN_BLOCK;
        for (size_t r = 0; r < PLAIN_BLOCK; r++)
            lr[r] = w->lrs[i];
        plain_heavy_ball_block(w->q, w->start[0], w->start[1], lr, w->betas + j, PLAIN_BLOCK, w->lim,
                               w->out + i * GRID + j);
        w->blocks++;
    }
    return NULL;
}

/* The sweep on `threads` threads; blocks[t]: the blocks thread t took, when not NULL. */
static void run_plain_sweep(const plain_sweep *base, unsigned threads, void *(*worker)(void *), size_t *blocks)
{
    pthread_t pool[8];
    plain_sweep w[8];
    atomic_store(&next_block, 0);
    for (unsigned t = 0; t < threads; t++) {
        w[t] = *base;
        w[t].thread = t, w[t].threads = threads;
        if (t) pthread_create(&pool[t], NULL, worker, &w[t]);
    }
    worker(&w[0]);
    for (unsigned t = 1; t < threads; t++)
        pthread_join(pool[t], NULL);
    for (unsigned t = 0; blocks && t < threads; t++)
        blocks[t] = w[t].blocks;
}

static int same_plain(const plain_result *a, const plain_result *b)
{
    return a->status == b->status && a->stop_step == b->stop_step && same_bits(a->final_loss, b->final_loss) &&
           same_bits(a->min_loss, b->min_loss) && a->evals == b->evals && same_bits(a->x, b->x) &&
           same_bits(a->y, b->y);
}

/* A sweep's times on 1 and 2 threads ([threads - 1][repetition]): gdlab, the plain scalar loop, the
 * plain vectorised loop; and the share of the blocks the first thread took in each 2-thread run of
 * the vectorised loop. */
typedef struct sweep_times {
    int n;
    double gdlab[2][32], plain[2][32], vectorised[2][32], first_share[32];
} sweep_times;

/* 512 × 512 (lr, β) heavy-ball runs on x² + 10y² (λ = 2 and 20): stable iff lr·20 < 2(1 + β), so
 * the grid holds converging, oscillating and diverging runs. Adds two rows: gdlab against the plain
 * scalar loop, and against the plain loop vectorised in blocks as gdlab's sweep is. */
static void heavy_ball_sweep(double tol, const char *work, const char *goal, const char *work_vectorised,
                             sweep_times *t)
{
    gdlab_surface *s = surface("quadratic", "a", 1, "b", 10);
    const gdlab_optimizer_desc *d = plugin(GDLAB_KIND_OPTIMIZER, "momentum");
    static double lrs[GRID], betas[GRID];
    for (int i = 0; i < GRID; i++) {
        lrs[i] = 0.2 * (i + 1) / GRID;
        betas[i] = 0.99 * i / GRID;
    }
    const gdlab_sweep_axis axes[] = {{"lr", lrs, GRID}, {"beta", betas, GRID}};
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = SWEEP_STEPS;
    cfg.tol = tol;
    const plain_quadratic q = {1, 10, 0, 0, cos(0.0), sin(0.0)};
    double lo[2], hi[2], start[2];
    gdlab_surface_domain(s, lo, hi);
    gdlab_surface_start(s, start);
    plain_limits lim = {.blowup = cfg.blowup, .tol = tol, .max_steps = SWEEP_STEPS};
    for (int i = 0; i < 2; i++) {
        lim.centre[i] = 0.5 * (lo[i] + hi[i]);
        lim.reach[i] = cfg.bound * (0.5 * (hi[i] - lo[i]));
    }
    plain_result *out = malloc(sizeof *out * GRID * GRID), *vout = malloc(sizeof *vout * GRID * GRID);
    plain_sweep base = {&q, &lim, lrs, betas, start, out, 0, 1, 0}, vbase = base;
    vbase.out = vout;
    const int n = t->n = reps; /* every repetition: the second-core ratio needs them (docs/performance.md) */
    double(*tg)[32] = t->gdlab, (*tp)[32] = t->plain, (*tv)[32] = t->vectorised;
    for (int k = 0; k < n; k++)
        for (unsigned turn = 0; turn < 2; turn++) {
            const unsigned th = k % 2 ? 2 - turn : 1 + turn; /* 1, 2 then 2, 1: a drift in speed cancels */
            gdlab_sweep_result r;
            double t0 = now();
            if (gdlab_sweep(s, d, NULL, axes, 2, &cfg, 1, th, &r, err, sizeof err)) {
                fprintf(stderr, "bench_speed: %s\n", err);
                exit(1);
            }
            tg[th - 1][k] = now() - t0;
            t0 = now();
            run_plain_sweep(&base, th, plain_sweep_worker, NULL);
            tp[th - 1][k] = now() - t0;
            t0 = now();
            size_t blocks[2];
            run_plain_sweep(&vbase, th, plain_block_worker, blocks);
            tv[th - 1][k] = now() - t0;
            if (th == 2) t->first_share[k] = (double)blocks[0] / (double)(blocks[0] + blocks[1]);
            int equal = 1, vector_equal = 1;
            for (size_t i = 0; i < (size_t)GRID * GRID; i++) {
                equal &= r.status[i] == (gdlab_status)out[i].status && r.stop_step[i] == out[i].stop_step &&
                         same_bits(r.final_loss[i], out[i].final_loss) && same_bits(r.min_loss[i], out[i].min_loss) &&
                         r.evals[i] == out[i].evals;
                vector_equal &= same_plain(&out[i], &vout[i]);
            }
            require(equal, work);
            require(vector_equal, work_vectorised);
            gdlab_sweep_result_free(&r);
        }
    const double gdlab_one = median(tg[0], n), gdlab_two = median(tg[1], n);
    row *r = &rows[n_rows++];
    r->work = work;
    r->goal = goal;
    r->gdlab = gdlab_two;
    r->plain = median(tp[1], n);
    snprintf(r->extra, sizeof r->extra, "1 thread: gdlab %.3f s, plain %.3f s", gdlab_one, median(tp[0], n));
    r = &rows[n_rows++];
    r->work = work_vectorised;
    r->goal = "—";
    r->gdlab = gdlab_two;
    r->plain = median(tv[1], n);
    snprintf(r->extra, sizeof r->extra, "1 thread: gdlab %.3f s, plain vectorised %.3f s", gdlab_one,
             median(tv[0], n));
    free(out);
    free(vout);
    gdlab_surface_free(s);
}

/* 1-thread time over 2-thread time: the ratio of the medians. */
static double second_core(double (*times)[32], int n)
{
    return median(times[0], n) / median(times[1], n);
}

/* The second core's gain, gdlab's beside the plain loops': the vectorised plain loop shows what the
 * machine allows a vectorised sweep, and its threads' shares of the blocks whether the two cores ran
 * at the same speed (then each takes about half). */
static void print_second_core(const char *what, sweep_times *t)
{
    printf("second core, %s: 1 thread / 2 threads = gdlab %.2f×, plain loop %.2f×, plain vectorised loop %.2f× "
           "(goal for gdlab ≥ 1.9×); the vectorised loop's first thread took",
           what, second_core(t->gdlab, t->n), second_core(t->plain, t->n), second_core(t->vectorised, t->n));
    for (int k = 0; k < t->n; k++)
        printf(" %.0f %%", 100 * t->first_share[k]);
    printf(" of the blocks\n");
}

/* ---- the seeds' NumPy loop -------------------------------------------------------------------- */

static void numpy_loop(uint64_t steps)
{
    char command[512];
    snprintf(command, sizeof command, "/usr/bin/python3 %s %llu", GDLAB_BENCH_NUMPY_SCRIPT,
             (unsigned long long)steps);
    double seconds[32];
    int n = reps < 3 ? reps : 3;
    for (int k = 0; k < n; k++) {
        FILE *p = popen(command, "r");
        double loss;
        if (!p || fscanf(p, "%lf %lf", &seconds[k], &loss) != 2) {
            printf("(the NumPy loop did not run: /usr/bin/python3 with python3-numpy is needed)\n");
            if (p) pclose(p);
            return;
        }
        pclose(p);
    }
    gdlab_surface *s = surface("rosenbrock", NULL, 0, NULL, 0);
    gdlab_optimizer *o = optimizer("adam", 1e-3);
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = steps;
    double tg[32];
    for (int k = 0; k < n; k++) {
        gdlab_trajectory t;
        tg[k] = time_run(s, o, &cfg, &t);
        gdlab_trajectory_free(&t);
    }
    row *r = &rows[n_rows++];
    r->work = "Adam on Rosenbrock, 2·10⁵ steps with its path: the seeds' NumPy loop (in the plain column)";
    r->goal = "—";
    r->gdlab = median(tg, n);
    r->plain = median(seconds, n);
    snprintf(r->extra, sizeof r->extra, "gdlab is %.0f× faster (not bit-equal: the seeds' Adam is another formula)",
             r->plain / r->gdlab);
    gdlab_optimizer_free(o);
    gdlab_surface_free(s);
}

static int n_parts;
static char **parts;

static int wanted(const char *part)
{
    for (int i = 0; i < n_parts; i++)
        if (strcmp(parts[i], part) == 0) return 1;
    return n_parts == 0;
}

int main(int argc, char **argv)
{
    if (argc > 1) reps = atoi(argv[1]);
    if (reps < 1 || reps > 31) reps = 5;
    parts = argv + 2;
    n_parts = argc > 2 ? argc - 2 : 0;
    reg = gdlab_registry_new();
    gdlab_registry_scan_default(reg);
    printf("bench_speed: medians of %d interleaved repetitions (NumPy: %d)\n", reps, reps < 3 ? reps : 3);
    fflush(stdout);
    if (wanted("adam")) adam_rosenbrock(10000000, 0);
    if (wanted("gd")) gd_quadratic(10000000);
    if (wanted("path")) adam_rosenbrock(10000000, 1);
    if (wanted("lua")) lua_path(10000000);
    static sweep_times full, early;
    if (wanted("sweep")) {
        heavy_ball_sweep(NAN, "512×512 heavy-ball sweep × 1,000 steps, 2 threads", "≤ 1.5×",
                         "the same sweep against the plain loop vectorised in blocks, 2 threads", &full);
        heavy_ball_sweep(1e-6, "the same sweep stopping each run at tol = 1e-6, 2 threads", "≤ 2×",
                         "the early-exit sweep against the plain vectorised loop, 2 threads", &early);
    }
    if (wanted("numpy")) numpy_loop(200000);
    print_table();
    if (wanted("sweep")) {
        printf("\n");
        print_second_core("full sweep", &full);
        print_second_core("early-exit sweep", &early);
    }
    gdlab_registry_free(reg);
    return failures ? 1 : 0;
}
