/* SPDX-License-Identifier: MIT */
/* Sweeps: the same numbers as one run at a time, whatever the thread count; and the stability
 * regions analysis predicts. For heavy-ball momentum in PyTorch form (v ← βv + g, x ← x − lr·v) on a
 * quadratic, the iteration along an eigen-direction λ has characteristic polynomial
 * r² − (1 + β − lr·λ)r + β, whose roots lie inside the unit circle iff 0 < lr·λ < 2(1 + β)
 * (Polyak 1964); β = 0 is plain GD's lr < 2/λ. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "check.h"
#include "gdlab/gdlab.h"
#include "gdlab/save.h"
#include "gdlab/schedule.h"

static char err[4096];
static gdlab_registry *reg;

static const gdlab_optimizer_desc *optimizer(const char *name)
{
    return (const gdlab_optimizer_desc *)gdlab_registry_find(reg, GDLAB_KIND_OPTIMIZER, name);
}

static gdlab_surface *ravine(void) /* x² + 10y²: λ = 2 and 20 */
{
    const gdlab_surface_desc *d =
        (const gdlab_surface_desc *)gdlab_registry_find(reg, GDLAB_KIND_SURFACE, "quadratic");
    double p[5];
    gdlab_params_defaults(&d->h, p);
    gdlab_params_set(&d->h, p, "a", 1, err, sizeof err);
    gdlab_params_set(&d->h, p, "b", 10, err, sizeof err);
    return gdlab_surface_new(d, p, err, sizeof err);
}

static void a_sweep_equals_its_runs_one_by_one_on_any_number_of_threads(void)
{
    gdlab_surface *s = ravine();
    const gdlab_optimizer_desc *d = optimizer("adam");
    const double lrs[] = {0.01, 0.05, 0.2, 0.7, 3.0}, betas[] = {0.5, 0.9, 0.99};
    const gdlab_sweep_axis axes[] = {{"lr", lrs, 5}, {"beta1", betas, 3}};
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 400;
    cfg.tol = 1e-6;
    gdlab_sweep_result by_threads[3];
    const unsigned threads[] = {1, 2, 0};
    for (int k = 0; k < 3; k++)
        CHECK(gdlab_sweep(s, d, NULL, axes, 2, &cfg, 1, threads[k], &by_threads[k], err, sizeof err) == 0);
    double p[16];
    gdlab_params_defaults(&d->h, p);
    for (size_t i = 0; i < 5; i++)
        for (size_t j = 0; j < 3; j++) {
            const size_t r = i * 3 + j; /* the last axis varies fastest */
            p[gdlab_param_index(&d->h, "lr")] = lrs[i];
            p[gdlab_param_index(&d->h, "beta1")] = betas[j];
            gdlab_optimizer *o = gdlab_optimizer_new(d, p, err, sizeof err);
            gdlab_trajectory t;
            CHECK(gdlab_run(s, o, &cfg, &t, err, sizeof err) == 0);
            for (int k = 0; k < 3; k++) {
                CHECK(by_threads[k].status[r] == t.status);
                CHECK(by_threads[k].stop_step[r] == t.stop_step);
                CHECK(by_threads[k].final_loss[r] == t.loss[t.n - 1]); /* bit for bit */
                CHECK(by_threads[k].evals[r] == t.evals[t.n - 1]);
            }
            gdlab_trajectory_free(&t);
            gdlab_optimizer_free(o);
        }
    for (int k = 0; k < 3; k++)
        gdlab_sweep_result_free(&by_threads[k]);
    gdlab_surface_free(s);
}

static void heavy_ball_diverges_exactly_outside_lr_lambda_below_two_one_plus_beta(void)
{
    gdlab_surface *s = ravine();
    const gdlab_optimizer_desc *d = optimizer("momentum"); /* form = pytorch by default */
    const double betas[] = {0.0, 0.3, 0.6, 0.9};
    const double ratios[] = {0.5, 0.9, 0.97, 1.03, 1.1, 1.5}; /* lr·λmax / (2(1 + β)) */
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 20000;
    for (size_t b = 0; b < 4; b++) {
        double lrs[6];
        for (size_t i = 0; i < 6; i++)
            lrs[i] = ratios[i] * 2 * (1 + betas[b]) / 20.0;
        double base[3];
        gdlab_params_defaults(&d->h, base);
        base[gdlab_param_index(&d->h, "beta")] = betas[b];
        const gdlab_sweep_axis axis = {"lr", lrs, 6};
        gdlab_sweep_result r;
        CHECK(gdlab_sweep(s, d, base, &axis, 1, &cfg, 1, 0, &r, err, sizeof err) == 0);
        for (size_t i = 0; i < 6; i++) {
            if (ratios[i] < 1)
                CHECK(r.status[i] != GDLAB_DIVERGED && r.final_loss[i] < 1e-20);
            else
                CHECK(r.status[i] == GDLAB_DIVERGED);
        }
        gdlab_sweep_result_free(&r);
    }
    gdlab_surface_free(s);
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* A step-halving schedule (torch StepLR, step_size 50, gamma 0.5): sweeps with schedules take the
 * one-run path, and must still give what gdlab_run gives. */
static gdlab_schedules *halve_every_50(void)
{
    gdlab_schedule *step = gdlab_schedule_new("step", err, sizeof err);
    CHECK(step && gdlab_schedule_set(step, "step_size", 50, err, sizeof err) == 0 &&
          gdlab_schedule_set(step, "gamma", 0.5, err, sizeof err) == 0 &&
          gdlab_schedule_check(step, err, sizeof err) == 0);
    gdlab_schedules *set = gdlab_schedules_new();
    CHECK(gdlab_schedules_add(set, step, err, sizeof err) == 0);
    return set;
}

/* gd, momentum (in both its forms), nesterov and adam step many runs at once in a sweep (step_batch);
 * every run must be the one gdlab_run gives, bit for bit, on 1 and 2 threads: converged, diverged (by
 * NaN, the bound and the blow-up rule) and out-of-steps runs alike, on a surface with eval_batch
 * (quadratic, rosenbrock) and one without (himmelblau), with and without a schedule. */
static void batched_sweeps_equal_one_run_at_a_time_bit_for_bit(void)
{
    const char *surfaces[] = {"quadratic", "rosenbrock", "himmelblau"};
    const char *methods[] = {"gd", "momentum", "momentum", "nesterov", "adam"};
    const char *second[] = {NULL, "beta", "beta", "mu", "beta1"};
    const double ema_form[] = {0, 0, 1, 0, 0}; /* the second momentum: form = ema (its choice 1) */
    const double lrs[] = {1e-4, 3e-3, 0.02, 0.09, 0.1, 0.3, 0.7, 1.5, 4.0, 30.0, 1e3};
    const double seconds[] = {0.0, 0.5, 0.9, 0.99};
    size_t statuses[4] = {0};
    for (size_t si = 0; si < 3; si++) {
        gdlab_surface *s = gdlab_surface_new(
            (const gdlab_surface_desc *)gdlab_registry_find(reg, GDLAB_KIND_SURFACE, surfaces[si]), NULL,
            err, sizeof err);
        for (size_t m = 0; m < 5; m++)
            for (int scheduled = 0; scheduled < 2; scheduled++) {
                const gdlab_optimizer_desc *d = optimizer(methods[m]);
                double p[16];
                gdlab_params_defaults(&d->h, p);
                if (ema_form[m]) CHECK(gdlab_params_set(&d->h, p, "form", 1, err, sizeof err) == 0);
                gdlab_sweep_axis axes[2] = {{"lr", lrs, 11}, {second[m], seconds, 4}};
                const size_t n_axes = second[m] ? 2 : 1;
                gdlab_run_config cfg;
                gdlab_run_config_defaults(&cfg);
                cfg.max_steps = 300;
                cfg.tol = si == 0 ? 1e-8 : 1e-4; /* some runs stop early, others run out of steps */
                cfg.bound = 50;
                cfg.blowup = 1e6;
                gdlab_schedules *schedule = scheduled ? halve_every_50() : NULL;
                cfg.schedule = schedule;
                gdlab_sweep_result by_threads[2];
                for (unsigned th = 0; th < 2; th++)
                    CHECK(gdlab_sweep(s, d, p, axes, n_axes, &cfg, 1, th + 1, &by_threads[th], err,
                                      sizeof err) == 0);
                for (size_t r = 0; r < by_threads[0].n_runs; r++) {
                    p[gdlab_param_index(&d->h, "lr")] = lrs[n_axes == 2 ? r / 4 : r];
                    if (n_axes == 2) p[gdlab_param_index(&d->h, second[m])] = seconds[r % 4];
                    gdlab_optimizer *o = gdlab_optimizer_new(d, p, err, sizeof err);
                    gdlab_trajectory t;
                    CHECK(gdlab_run(s, o, &cfg, &t, err, sizeof err) == 0);
                    statuses[t.status]++;
                    for (int th = 0; th < 2; th++) {
                        const gdlab_sweep_result *b = &by_threads[th];
                        const int same = b->status[r] == t.status && b->stop_step[r] == t.stop_step &&
                                         same_bits(b->final_loss[r], t.final_loss) &&
                                         same_bits(b->min_loss[r], t.min_loss) && b->evals[r] == t.total_evals;
                        CHECK(same);
                        if (!same)
                            fprintf(stderr, "  %s%s on %s, run %zu, %d thread(s)%s: sweep %s@%llu f=%.17g min=%.17g "
                                    "evals=%llu; run %s@%llu f=%.17g min=%.17g evals=%llu\n",
                                    methods[m], ema_form[m] ? " (ema)" : "", surfaces[si], r, th + 1,
                                    scheduled ? ", scheduled" : "",
                                    gdlab_status_name(b->status[r]), (unsigned long long)b->stop_step[r],
                                    b->final_loss[r], b->min_loss[r], (unsigned long long)b->evals[r],
                                    gdlab_status_name(t.status), (unsigned long long)t.stop_step,
                                    t.final_loss, t.min_loss, (unsigned long long)t.total_evals);
                    }
                    gdlab_trajectory_free(&t);
                    gdlab_optimizer_free(o);
                }
                for (int th = 0; th < 2; th++)
                    gdlab_sweep_result_free(&by_threads[th]);
                gdlab_schedules_free(schedule);
            }
        gdlab_surface_free(s);
    }
    /* the grid really has every kind of ending */
    CHECK(statuses[GDLAB_CONVERGED] > 20 && statuses[GDLAB_DIVERGED] > 20 && statuses[GDLAB_MAX_STEPS] > 20);
    fprintf(stderr, "batched sweeps: %zu converged, %zu diverged, %zu out of steps\n", statuses[0],
            statuses[1], statuses[2]);
}

static void bad_sweeps_are_refused_by_name(void)
{
    gdlab_surface *s = ravine();
    const gdlab_optimizer_desc *d = optimizer("gd");
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    gdlab_sweep_result r;
    const double good[] = {0.1}, bad[] = {0.1, -2.0};
    const gdlab_sweep_axis unknown = {"rate", good, 1}, negative = {"lr", bad, 2};
    CHECK(gdlab_sweep(s, d, NULL, &unknown, 1, &cfg, 1, 0, &r, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "unknown parameter 'rate' for optimizer 'gd'; valid: lr");
    CHECK(gdlab_sweep(s, d, NULL, &negative, 1, &cfg, 1, 0, &r, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "parameter 'lr' of optimizer 'gd' must be in (0, inf), got -2");
    const gdlab_sweep_axis twice[] = {{"lr", good, 1}, {"lr", good, 1}};
    CHECK(gdlab_sweep(s, d, NULL, twice, 2, &cfg, 1, 0, &r, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "'lr' is swept twice");
    CHECK(gdlab_sweep(s, d, NULL, twice, 0, &cfg, 1, 0, &r, err, sizeof err) == -1);
    gdlab_surface_free(s);
}

static int same_memory(const void *a, const void *b, size_t n)
{
    return memcmp(a, b, n) == 0;
}

/* What a distributed sweep relies on: any split of the run numbers into ranges gives every run the
 * numbers the whole sweep gives it (batched or not, runs that diverge and stop early included). */
static void any_range_of_runs_gives_the_whole_sweeps_numbers(void)
{
    gdlab_surface *s = ravine();
    const double lrs[] = {0.001, 0.01, 0.05, 0.09, 0.11, 0.5, 2.0}, betas[] = {0.0, 0.5, 0.9};
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 300;
    cfg.tol = 1e-8;
    /* batched, and one with a look-ahead through the oracle */
    const char *names[][2] = {{"momentum", "beta"}, {"nesterov", "mu"}};
    for (int m = 0; m < 2; m++) {
        const gdlab_optimizer_desc *d = optimizer(names[m][0]);
        const gdlab_sweep_axis ax[] = {{"lr", lrs, 7}, {names[m][1], betas, 3}};
        gdlab_sweep_result whole;
        CHECK(gdlab_sweep(s, d, NULL, ax, 2, &cfg, 1, 2, &whole, err, sizeof err) == 0);
        int statuses[4] = {0};
        for (size_t r = 0; r < whole.n_runs; r++)
            statuses[whole.status[r]]++;
        CHECK(statuses[GDLAB_CONVERGED] > 0 && statuses[GDLAB_DIVERGED] > 0 && statuses[GDLAB_MAX_STEPS] > 0);
        const gdlab_sweep_spec sp = {.s = s, .d = d, .axes = ax, .n_axes = 2, .cfg = &cfg,
                                     .thread_safe_schedule = 1, .threads = 2};
        size_t n_runs = 0;
        CHECK(gdlab_sweep_check(&sp, &n_runs, err, sizeof err) == 0);
        CHECK(n_runs == 21);
        const size_t cuts[] = {0, 1, 5, 6, 13, 21}; /* ranges of 1, 4, 1, 7 and 8 runs */
        for (size_t c = 0; c + 1 < GDLAB_COUNT_OF(cuts); c++) {
            const size_t first = cuts[c], count = cuts[c + 1] - cuts[c];
            gdlab_sweep_result part;
            CHECK(gdlab_sweep_runs(&sp, first, count, &part, err, sizeof err) == 0);
            CHECK(part.n_runs == count);
            CHECK(same_memory(part.status, whole.status + first, count * sizeof *part.status));
            CHECK(same_memory(part.stop_step, whole.stop_step + first, count * sizeof *part.stop_step));
            CHECK(same_memory(part.final_loss, whole.final_loss + first, count * sizeof *part.final_loss));
            CHECK(same_memory(part.min_loss, whole.min_loss + first, count * sizeof *part.min_loss));
            CHECK(same_memory(part.evals, whole.evals + first, count * sizeof *part.evals));
            gdlab_sweep_result_free(&part);
        }
        gdlab_sweep_result part;
        CHECK(gdlab_sweep_runs(&sp, 20, 2, &part, err, sizeof err) == -1);
        CHECK_STR_CONTAINS(err, "runs 20 to 22 asked for, but the sweep has 21 runs");
        gdlab_sweep_result_free(&whole);
    }
    /* check finds a bad value anywhere in the grid, beyond its first block of 256 */
    double many[300];
    for (int i = 0; i < 300; i++)
        many[i] = 0.001 * (i + 1);
    many[299] = -1;
    const gdlab_sweep_axis lr = {"lr", many, 300};
    const gdlab_sweep_spec bad = {.s = s, .d = optimizer("gd"), .axes = &lr, .n_axes = 1, .cfg = &cfg};
    size_t n_runs;
    CHECK(gdlab_sweep_check(&bad, &n_runs, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "parameter 'lr' of optimizer 'gd' must be in (0, inf), got -1");
    gdlab_surface_free(s);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *text = f ? malloc(1 << 20) : NULL;
    *n = text ? fread(text, 1, 1 << 20, f) : 0;
    if (f) fclose(f);
    return text;
}

/* A streamed sweep file is the same whatever order its parts come in; its CSV is gd.save's. */
static void sweep_files_do_not_depend_on_the_order_of_parts(void)
{
    gdlab_surface *s = ravine();
    const double lrs[] = {0.01, 0.05, 0.09, 0.11, 0.3}, betas[] = {0.0, 0.5, 0.9};
    const gdlab_sweep_axis axes[] = {{"lr", lrs, 5}, {"beta", betas, 3}};
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 200;
    cfg.tol = 1e-8;
    const gdlab_sweep_spec sp = {.s = s, .d = optimizer("momentum"), .axes = axes, .n_axes = 2, .cfg = &cfg,
                                 .thread_safe_schedule = 1, .threads = 1};
    gdlab_sweep_result whole;
    CHECK(gdlab_sweep_runs(&sp, 0, 15, &whole, err, sizeof err) == 0);
    char dir[] = "/tmp/test_sweep_file-XXXXXX", path[4][128];
    CHECK(mkdtemp(dir) != NULL);
    const char *names[] = {"in_order.csv", "reversed.csv", "in_order.gdsweep", "reversed.gdsweep"};
    const size_t cuts[] = {0, 4, 5, 11, 15};
    for (int k = 0; k < 4; k++) {
        snprintf(path[k], sizeof path[k], "%s/%s", dir, names[k]);
        gdlab_sweep_file *file = gdlab_sweep_file_open(path[k], &sp, 15, err, sizeof err);
        CHECK(file != NULL);
        for (size_t c = 0; file && c < 4; c++) {
            const size_t i = k % 2 ? 3 - c : c, first = cuts[i], count = cuts[i + 1] - cuts[i];
            gdlab_sweep_result part;
            CHECK(gdlab_sweep_runs(&sp, first, count, &part, err, sizeof err) == 0);
            CHECK(gdlab_sweep_file_put(file, first, &part, err, sizeof err) == 0);
            gdlab_sweep_result_free(&part);
        }
        if (file) CHECK(gdlab_sweep_file_commit(file, err, sizeof err) == 0);
    }
    char saved[160];
    snprintf(saved, sizeof saved, "%s/saved.csv", dir);
    CHECK(gdlab_save_sweep(&whole, axes, 2, NULL, saved, err, sizeof err) == 0);
    size_t n[5];
    char *text[5] = {slurp(path[0], &n[0]), slurp(path[1], &n[1]), slurp(path[2], &n[2]),
                     slurp(path[3], &n[3]), slurp(saved, &n[4])};
    CHECK(n[0] > 16 * 20 && n[0] == n[1] && n[0] == n[4] && memcmp(text[0], text[1], n[0]) == 0 &&
          memcmp(text[0], text[4], n[0]) == 0);
    CHECK(n[2] > 15 * 33 && n[2] == n[3] && memcmp(text[2], text[3], n[2]) == 0);
    /* a file missing a part is not committed */
    gdlab_sweep_file *file = gdlab_sweep_file_open(path[0], &sp, 15, err, sizeof err);
    gdlab_sweep_result part;
    CHECK(gdlab_sweep_runs(&sp, 4, 11, &part, err, sizeof err) == 0);
    CHECK(gdlab_sweep_file_put(file, 4, &part, err, sizeof err) == 0); /* waits for runs 0 to 3 */
    CHECK(gdlab_sweep_file_commit(file, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "in_order.csv': 11 of 15 runs written");
    gdlab_sweep_result_free(&part);
    size_t n_after;
    char *after = slurp(path[0], &n_after); /* the file written before is left as it was */
    CHECK(after && n_after == n[0] && memcmp(after, text[0], n[0]) == 0);
    free(after);
    for (int k = 0; k < 5; k++)
        free(text[k]);
    for (int k = 0; k < 4; k++)
        remove(path[k]);
    remove(saved);
    rmdir(dir);
    gdlab_sweep_result_free(&whole);
    gdlab_surface_free(s);
}

int main(void)
{
    reg = gdlab_registry_new();
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/surfaces");
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/optimizers");
    a_sweep_equals_its_runs_one_by_one_on_any_number_of_threads();
    heavy_ball_diverges_exactly_outside_lr_lambda_below_two_one_plus_beta();
    batched_sweeps_equal_one_run_at_a_time_bit_for_bit();
    bad_sweeps_are_refused_by_name();
    any_range_of_runs_gives_the_whole_sweeps_numbers();
    sweep_files_do_not_depend_on_the_order_of_parts();
    gdlab_registry_free(reg);
    return CHECK_RESULT();
}
