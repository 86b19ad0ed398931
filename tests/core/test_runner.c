/* SPDX-License-Identifier: MIT */
/* The run in three parts (begin / iterate / end) and the record modes: stepping by hand gives the
 * run gdlab_run gives, bit for bit; every k-th point and the summary hold what they say; evaluation
 * counts read the same in their compact form and per point; the lean step loops (summary only, or x
 * and f only) end as the general one and keep the same points; n steps in one call are n iterations;
 * the loss rules stop at the very step they say, to the last bit; a run that could not fit its recording is refused
 * before it starts, with the number and a way out; memory lent by the caller
 * (gdlab_record_storage) is asked for once per array, written in place and shrunk at the end. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gdlab/gdlab.h"

static char err[4096];
static gdlab_registry *reg;

static gdlab_surface *surface(const char *name)
{
    const gdlab_header *h = gdlab_registry_find(reg, GDLAB_KIND_SURFACE, name);
    return gdlab_surface_new((const gdlab_surface_desc *)h, NULL, err, sizeof err);
}

static gdlab_optimizer *optimizer(const char *name, const char *param, double value)
{
    const gdlab_header *h = gdlab_registry_find(reg, GDLAB_KIND_OPTIMIZER, name);
    double p[32];
    gdlab_params_defaults(h, p);
    if (param) CHECK(gdlab_params_set(h, p, param, value, err, sizeof err) == 0);
    return gdlab_optimizer_new((const gdlab_optimizer_desc *)h, p, err, sizeof err);
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static void stepping_by_hand_is_gdlab_run_bit_for_bit(void)
{
    gdlab_surface *s = surface("rosenbrock");
    gdlab_optimizer *o = optimizer("adam", "lr", 0.05);
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 3000;
    cfg.tol = 1e-3; /* reached at step 1889 */
    gdlab_trajectory whole, by_hand;
    CHECK(gdlab_run(s, o, &cfg, &whole, err, sizeof err) == 0);
    gdlab_runner *r = gdlab_run_begin(s, o, &cfg, err, sizeof err);
    CHECK(r && gdlab_runner_step(r) == 0 && gdlab_runner_trajectory(r)->n == 1);
    int stopped = 0;
    uint64_t iterations = 0;
    while (!stopped) {
        stopped = gdlab_run_iterate(r, err, sizeof err);
        iterations++;
        const gdlab_trajectory *t = gdlab_runner_trajectory(r);
        CHECK(t->n == iterations + 1 && same_bits(t->loss[t->n - 1], gdlab_runner_loss(r)));
        CHECK(same_bits(t->x[2 * (t->n - 1)], gdlab_runner_x(r)[0]));
    }
    CHECK(stopped == 1 && gdlab_runner_stopped(r) && gdlab_run_iterate(r, err, sizeof err) == 0);
    gdlab_run_end(r, &by_hand);
    CHECK(whole.status == GDLAB_CONVERGED && by_hand.status == whole.status);
    CHECK(by_hand.n == whole.n && by_hand.stop_step == whole.stop_step && whole.steps == whole.n - 1);
    for (size_t k = 0; k < whole.n; k++) {
        CHECK(same_bits(by_hand.x[2 * k], whole.x[2 * k]) && same_bits(by_hand.loss[k], whole.loss[k]));
        CHECK(by_hand.evals[k] == whole.evals[k] && whole.evals[k] == k + 1);
    }
    CHECK(same_bits(whole.final_loss, whole.loss[whole.n - 1]) && whole.total_evals == whole.n);
    gdlab_trajectory_free(&whole);
    gdlab_trajectory_free(&by_hand);

    /* ended early: max_steps, said so, and the current point is the last one kept */
    cfg.record_every = 10;
    r = gdlab_run_begin(s, o, &cfg, err, sizeof err);
    for (int k = 0; k < 25; k++)
        gdlab_run_iterate(r, err, sizeof err);
    gdlab_run_end(r, &by_hand);
    CHECK(by_hand.status == GDLAB_MAX_STEPS && by_hand.steps == 25 && by_hand.n == 4);
    CHECK_STR_CONTAINS(by_hand.reason, "ended after 25 steps, before a stop rule");
    CHECK(gdlab_trajectory_step(&by_hand, 2) == 20 && gdlab_trajectory_step(&by_hand, 3) == 25);
    gdlab_trajectory_free(&by_hand);
    gdlab_optimizer_free(o);
    gdlab_surface_free(s);
}

static void every_kth_point_and_the_summary_hold_what_they_say(void)
{
    gdlab_surface *s = surface("rosenbrock");
    gdlab_optimizer *o = optimizer("momentum", "lr", 1e-3);
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 1003;
    gdlab_trajectory all, every7, summary;
    CHECK(gdlab_run(s, o, &cfg, &all, err, sizeof err) == 0);
    cfg.record_every = 7;
    cfg.record_details = 0;
    CHECK(gdlab_run(s, o, &cfg, &every7, err, sizeof err) == 0);
    cfg.record_every = 0;
    CHECK(gdlab_run(s, o, &cfg, &summary, err, sizeof err) == 0);
    CHECK(all.n == 1004 && every7.n == 1003 / 7 + 2 && summary.n == 0 && !summary.x && !summary.loss);
    CHECK(!every7.grad_norm && !every7.lr && !every7.evals); /* gd's evals: the compact form */
    for (size_t i = 0; i < every7.n; i++) {
        const uint64_t k = gdlab_trajectory_step(&every7, i);
        CHECK(k == (i + 1 < every7.n ? 7 * i : 1003));
        CHECK(same_bits(every7.x[2 * i + 1], all.x[2 * k + 1]) && same_bits(every7.loss[i], all.loss[k]));
        CHECK(gdlab_trajectory_evals(&every7, i) == all.evals[k]);
    }
    double lowest = all.loss[0];
    for (size_t k = 1; k < all.n; k++)
        if (all.loss[k] < lowest) lowest = all.loss[k];
    const gdlab_trajectory *ts[] = {&all, &every7, &summary};
    for (int i = 0; i < 3; i++) {
        CHECK(ts[i]->status == GDLAB_MAX_STEPS && ts[i]->steps == 1003 && ts[i]->total_evals == 1004);
        CHECK(same_bits(ts[i]->final_loss, all.loss[1003]) && same_bits(ts[i]->min_loss, lowest));
    }
    CHECK(lowest < all.loss[0] && lowest <= all.loss[1003]);
    gdlab_trajectory_free(&all);
    gdlab_trajectory_free(&every7);
    gdlab_trajectory_free(&summary);
    gdlab_optimizer_free(o);
    gdlab_surface_free(s);
}

static void evaluation_counts_read_the_same_compact_or_per_point(void)
{
    gdlab_surface *s = surface("rosenbrock");
    const char *methods[] = {"nesterov", "gd_armijo", "gd"};
    for (int m = 0; m < 3; m++) {
        gdlab_optimizer *o = optimizer(methods[m], "lr", m == 1 ? 1.0 : 1e-3);
        gdlab_run_config cfg;
        gdlab_run_config_defaults(&cfg);
        cfg.max_steps = 300;
        gdlab_trajectory full, lean;
        CHECK(gdlab_run(s, o, &cfg, &full, err, sizeof err) == 0);
        cfg.record_details = 0;
        CHECK(gdlab_run(s, o, &cfg, &lean, err, sizeof err) == 0);
        CHECK(lean.n == full.n && full.evals);
        for (size_t k = 0; k < full.n; k++)
            CHECK(gdlab_trajectory_evals(&lean, k) == full.evals[k]);
        /* nesterov: 1 evaluation on its first step (the look-ahead is x itself), then 2; a line search
         * varies, so it is kept per point */
        if (m == 0) CHECK(!lean.evals && lean.evals_start == 1 && lean.evals_per_step == 2);
        if (m == 1) CHECK(lean.evals != NULL && full.evals[full.n - 1] > 2 * full.n);
        gdlab_trajectory_free(&full);
        gdlab_trajectory_free(&lean);
        gdlab_optimizer_free(o);
    }
    gdlab_surface_free(s);
}

/* rastrigin in `dim` dimensions. */
static gdlab_surface *rastrigin(double dim)
{
    const gdlab_header *h = gdlab_registry_find(reg, GDLAB_KIND_SURFACE, "rastrigin");
    double p[8];
    gdlab_params_defaults(h, p);
    CHECK(gdlab_params_set(h, p, "dim", dim, err, sizeof err) == 0);
    return gdlab_surface_new((const gdlab_surface_desc *)h, p, err, sizeof err);
}

/* Two recordings of one run hold the same points: the same x, loss and evaluation counts. */
static int same_points(const gdlab_trajectory *a, const gdlab_trajectory *b)
{
    int same = a->n == b->n && a->dim == b->dim && a->every == b->every && a->steps == b->steps;
    for (size_t k = 0; same && k < a->n; k++) {
        same = same_bits(a->loss[k], b->loss[k]) && gdlab_trajectory_evals(a, k) == gdlab_trajectory_evals(b, k) &&
               gdlab_trajectory_step(a, k) == gdlab_trajectory_step(b, k);
        for (size_t i = 0; same && i < a->dim; i++)
            same = same_bits(a->x[k * a->dim + i], b->x[k * b->dim + i]);
    }
    return same;
}

/* A run that keeps nothing but its summary, or only x and f of its points, takes a lean step loop
 * (run.c), in two dimensions its own instance of it: it must end exactly as the same run in the
 * general loop (which details = 1 takes), keeping the same points, in 1, 2 and 5 dimensions, with
 * optimizers that use the oracle (nesterov looks ahead, gd_armijo searches a line) and without, for
 * every ending (converged, diverged, out of steps), every point or every 7th. */
static void the_lean_loops_end_as_the_general_one_does(void)
{
    const char *methods[] = {"gd", "nesterov", "gd_armijo", "adam"};
    const double lrs[] = {1e-3, 0.02, 0.3, 3.0};
    const double dims[] = {1, 2, 5};
    size_t endings[3] = {0};
    for (size_t d = 0; d < 3; d++) {
        gdlab_surface *s = rastrigin(dims[d]);
        for (size_t m = 0; m < 4; m++)
            for (size_t l = 0; l < 4; l++) {
                gdlab_optimizer *o = optimizer(methods[m], "lr", lrs[l]);
                gdlab_run_config cfg;
                gdlab_run_config_defaults(&cfg);
                cfg.max_steps = 400;
                cfg.tol = 1e-9;
                cfg.bound = 3;
                gdlab_trajectory path, summary, lean, every7, lean7;
                CHECK(gdlab_run(s, o, &cfg, &path, err, sizeof err) == 0);
                cfg.record_details = 0;
                CHECK(gdlab_run(s, o, &cfg, &lean, err, sizeof err) == 0);
                cfg.record_every = 7;
                CHECK(gdlab_run(s, o, &cfg, &lean7, err, sizeof err) == 0);
                cfg.record_details = 1;
                CHECK(gdlab_run(s, o, &cfg, &every7, err, sizeof err) == 0);
                CHECK(same_points(&lean, &path) && same_points(&lean7, &every7));
                CHECK(lean.status == path.status && lean.stop_step == path.stop_step &&
                      lean7.status == path.status && lean7.stop_step == path.stop_step &&
                      lean7.total_evals == path.total_evals && same_bits(lean7.min_loss, path.min_loss));
                cfg.record_every = 0;
                CHECK(gdlab_run(s, o, &cfg, &summary, err, sizeof err) == 0);
                const int same = summary.status == path.status && summary.stop_step == path.stop_step &&
                                 summary.steps == path.steps && summary.total_evals == path.total_evals &&
                                 same_bits(summary.final_loss, path.final_loss) &&
                                 same_bits(summary.min_loss, path.min_loss) &&
                                 strcmp(summary.reason, path.reason) == 0;
                CHECK(same);
                if (!same)
                    fprintf(stderr, "  %s, lr %g, %g-D: summary %s@%llu (%s), path %s@%llu (%s)\n", methods[m],
                            lrs[l], dims[d], gdlab_status_name(summary.status),
                            (unsigned long long)summary.stop_step, summary.reason,
                            gdlab_status_name(path.status), (unsigned long long)path.stop_step, path.reason);
                endings[path.status == GDLAB_FAILED ? 0 : path.status]++;
                gdlab_trajectory *all[] = {&path, &summary, &lean, &every7, &lean7};
                for (size_t i = 0; i < sizeof all / sizeof *all; i++)
                    gdlab_trajectory_free(all[i]);
                gdlab_optimizer_free(o);
            }
        gdlab_surface_free(s);
    }
    /* every ending is there */
    CHECK(endings[GDLAB_CONVERGED] > 0 && endings[GDLAB_DIVERGED] > 0 && endings[GDLAB_MAX_STEPS] > 0);
    fprintf(stderr, "lean loops: %zu converged, %zu diverged, %zu out of steps\n", endings[GDLAB_CONVERGED],
            endings[GDLAB_DIVERGED], endings[GDLAB_MAX_STEPS]);
}

/* gdlab_run_steps(n) takes the steps n calls of gdlab_run_iterate take, in every loop (summary, x and
 * f, with details), stops with the run, and does nothing once it has stopped or for n = 0. */
static void n_steps_in_one_call_are_n_iterations(void)
{
    gdlab_surface *s = surface("rosenbrock");
    gdlab_optimizer *o = optimizer("adam", "lr", 0.05);
    for (int mode = 0; mode < 3; mode++) {
        gdlab_run_config cfg;
        gdlab_run_config_defaults(&cfg);
        cfg.max_steps = 3000;
        cfg.tol = 1e-3; /* reached at step 1889 */
        cfg.record_every = mode == 0 ? 0 : 1;
        cfg.record_details = mode == 2;
        gdlab_trajectory one, many;
        gdlab_runner *a = gdlab_run_begin(s, o, &cfg, err, sizeof err), *b = gdlab_run_begin(s, o, &cfg, err, sizeof err);
        CHECK(gdlab_run_steps(b, 0, err, sizeof err) == 0 && gdlab_runner_step(b) == 0);
        const uint64_t chunks[] = {1, 7, 500, 1000};
        for (size_t c = 0; c < 4; c++) {
            CHECK(gdlab_run_steps(b, chunks[c], err, sizeof err) == 0);
            for (uint64_t i = 0; i < chunks[c]; i++)
                CHECK(gdlab_run_iterate(a, err, sizeof err) == 0);
            CHECK(gdlab_runner_step(b) == gdlab_runner_step(a) && same_bits(gdlab_runner_loss(b), gdlab_runner_loss(a)));
        }
        CHECK(gdlab_runner_step(b) == 1508);
        CHECK(gdlab_run_steps(b, UINT64_MAX, err, sizeof err) == 1 && gdlab_runner_step(b) == 1889);
        CHECK(gdlab_run_steps(b, 5, err, sizeof err) == 0 && gdlab_runner_step(b) == 1889);
        while (!gdlab_runner_stopped(a))
            gdlab_run_iterate(a, err, sizeof err);
        gdlab_run_end(a, &one);
        gdlab_run_end(b, &many);
        CHECK(many.status == GDLAB_CONVERGED && many.stop_step == 1889 && strcmp(many.reason, one.reason) == 0);
        CHECK(many.n == (mode ? 1890u : 0u) && same_points(&many, &one) && same_bits(many.min_loss, one.min_loss));
        gdlab_trajectory_free(&one);
        gdlab_trajectory_free(&many);
    }
    /* max_steps ends a call part-way, off the every-k grid: its last point is kept */
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 25;
    cfg.record_every = 10;
    cfg.record_details = 0;
    gdlab_trajectory t;
    gdlab_runner *r = gdlab_run_begin(s, o, &cfg, err, sizeof err);
    CHECK(gdlab_run_steps(r, 1000, err, sizeof err) == 1 && gdlab_runner_step(r) == 25);
    gdlab_run_end(r, &t);
    CHECK(t.status == GDLAB_MAX_STEPS && t.n == 4 && gdlab_trajectory_step(&t, 3) == 25);
    CHECK_STR_CONTAINS(t.reason, "ran out of steps (25)");
    gdlab_trajectory_free(&t);
    gdlab_optimizer_free(o);
    gdlab_surface_free(s);
}

/* The stop rules on the loss, f - f_min <= tol and f - f(x_0) <= blowup·(1 + |f(x_0)|), are tested
 * per step against two bounds worked out at begin (run.c): a run must stop at the very step the
 * rules say, also when the rule's two sides are equal to the last bit, or one bit apart. */
static void the_loss_rules_stop_exactly_at_their_bounds(void)
{
    gdlab_surface *s = surface("rosenbrock");
    gdlab_optimizer *o = optimizer("adam", "lr", 0.05);
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 400;
    gdlab_trajectory free_run;
    CHECK(gdlab_run(s, o, &cfg, &free_run, err, sizeof err) == 0 && free_run.n == 401);
    const double f_min = gdlab_surface_min_value(s);
    const uint64_t k = 300;
    const double at_k = free_run.loss[k] - f_min;
    const double tols[] = {at_k, nextafter(at_k, 0), nextafter(at_k, 1)};
    for (int i = 0; i < 3; i++) {
        uint64_t expected = 0; /* the first step whose loss is within tol */
        while (expected <= 400 && !(free_run.loss[expected] - f_min <= tols[i]))
            expected++;
        CHECK(expected >= 250 && expected <= 400);
        for (int every = 0; every < 2; every++) {
            cfg.tol = tols[i];
            cfg.record_every = (uint64_t)every;
            cfg.record_details = 0;
            gdlab_trajectory t;
            CHECK(gdlab_run(s, o, &cfg, &t, err, sizeof err) == 0);
            CHECK(expected <= 400 ? t.status == GDLAB_CONVERGED && t.stop_step == expected : t.status == GDLAB_MAX_STEPS);
            gdlab_trajectory_free(&t);
        }
    }
    /* blowup: gd at lr = 0.125 > 2/L on the quadratic (b = 10) climbs, f ×2.25 a step; the margin set
     * to f_k - f(x_0), and a bit either side */
    gdlab_surface *bowl = surface("quadratic");
    gdlab_optimizer *gd = optimizer("gd", "lr", 0.125);
    cfg.tol = NAN;
    cfg.max_steps = 60;
    cfg.bound = 1e300;
    cfg.blowup = INFINITY; /* no blowup: the free climb */
    cfg.record_every = 1;
    gdlab_trajectory climb;
    CHECK(gdlab_run(bowl, gd, &cfg, &climb, err, sizeof err) == 0);
    const double g0 = climb.loss[0], rise = climb.loss[climb.n - 1] - g0;
    CHECK(climb.status == GDLAB_MAX_STEPS && rise > 1e15);
    const double scale = 1.0 + fabs(g0);
    size_t tried = 0;
    for (size_t j = 5; j < climb.n; j += 5) {
        const double b = (climb.loss[j] - g0) / scale;
        const double blowups[] = {b, nextafter(b, 0), nextafter(b, INFINITY)};
        for (int i = 0; i < 3; i++) {
            const double margin = blowups[i] * scale;
            uint64_t expected = 0; /* the first step whose loss passes the margin */
            while (expected < climb.n && climb.loss[expected] - g0 <= margin)
                expected++;
            cfg.blowup = blowups[i];
            for (int every = 0; every < 2; every++) {
                cfg.record_every = (uint64_t)every;
                gdlab_trajectory t;
                CHECK(gdlab_run(bowl, gd, &cfg, &t, err, sizeof err) == 0);
                CHECK(expected < climb.n ? t.status == GDLAB_DIVERGED && t.stop_step == expected
                                         : t.status == GDLAB_MAX_STEPS);
                gdlab_trajectory_free(&t);
                tried++;
            }
        }
    }
    CHECK(tried >= 60);
    gdlab_trajectory_free(&climb);
    gdlab_trajectory_free(&free_run);
    gdlab_optimizer_free(gd);
    gdlab_optimizer_free(o);
    gdlab_surface_free(bowl);
    gdlab_surface_free(s);
}

static void a_recording_that_cannot_fit_is_refused_before_it_starts(void)
{
    gdlab_surface *s = surface("rosenbrock");
    gdlab_optimizer *o = optimizer("gd", "lr", 1e-3);
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 100000000;
    cfg.max_record_bytes = 1000000000; /* 1 GB */
    gdlab_trajectory t;
    CHECK(gdlab_run(s, o, &cfg, &t, err, sizeof err) == -1);
    /* x_0 and 1e8 points of 2 + 1 + 2 doubles and a count: 48 bytes each */
    CHECK_STR_CONTAINS(err, "recording up to 100000001 points of 48 bytes (4.8 GB) would pass the limit of 1 GB");
    CHECK_STR_CONTAINS(err, "record = \"summary\"");
    CHECK(gdlab_run_begin(s, o, &cfg, err, sizeof err) == NULL);
    cfg.record_every = 1000; /* the way out */
    cfg.max_steps = 3000;
    CHECK(gdlab_run(s, o, &cfg, &t, err, sizeof err) == 0 && t.n == 4);
    gdlab_trajectory_free(&t);
    cfg.max_steps = 100000000;
    cfg.record_every = 0;
    gdlab_runner *r = gdlab_run_begin(s, o, &cfg, err, sizeof err);
    CHECK(r != NULL);
    gdlab_run_end(r, NULL);
    gdlab_optimizer_free(o);
    gdlab_surface_free(s);
}

/* Memory lent to a run: malloc'd blocks, every request counted; request number fail_at fails. */
typedef struct test_storage {
    gdlab_record_storage api;
    int requests, fail_at;
    int blocks, shrinks, frees, live;
    size_t sizes[8]; /* of the first blocks asked for, in order */
} test_storage;

static void *test_resize(void *ud, void *block, size_t old_bytes, size_t bytes)
{
    test_storage *s = ud;
    if (bytes == 0) {
        s->frees++, s->live--;
        free(block);
        return NULL;
    }
    if (++s->requests == s->fail_at) return NULL;
    if (!block) {
        if (s->blocks < 8) s->sizes[s->blocks] = bytes;
        s->blocks++, s->live++;
        return malloc(bytes);
    }
    s->shrinks++;
    CHECK(bytes < old_bytes); /* a lent block is never grown: it was asked for at its whole size */
    return realloc(block, bytes);
}

static void lend(gdlab_run_config *cfg, test_storage *s, int fail_at)
{
    *s = (test_storage){.api = {test_resize, s}, .fail_at = fail_at};
    cfg->storage = &s->api;
}

/* The trajectory's arrays go back to the storage they came from. */
static void give_back(test_storage *s, gdlab_trajectory *t)
{
    void *arrays[] = {t->x, t->loss, t->grad_norm, t->lr, t->evals, t->internals, t->curvature};
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++)
        if (arrays[i]) test_resize(s, arrays[i], 1, 0);
}

static int same_path(const gdlab_trajectory *a, const gdlab_trajectory *b)
{
    int same = a->n == b->n && a->dim == b->dim && same_bits(a->final_loss, b->final_loss) &&
               a->total_evals == b->total_evals;
    for (size_t k = 0; same && k < a->n; k++) {
        same = same_bits(a->x[2 * k], b->x[2 * k]) && same_bits(a->x[2 * k + 1], b->x[2 * k + 1]) &&
               same_bits(a->loss[k], b->loss[k]) &&
               gdlab_trajectory_evals(a, k) == gdlab_trajectory_evals(b, k);
        if (same && a->grad_norm && b->grad_norm)
            same = same_bits(a->grad_norm[k], b->grad_norm[k]) && same_bits(a->lr[k], b->lr[k]);
    }
    return same;
}

static void memory_lent_by_the_caller_is_asked_for_once_and_written_in_place(void)
{
    gdlab_surface *s = surface("rosenbrock");
    gdlab_optimizer *adam = optimizer("adam", "lr", 0.05), *armijo = optimizer("gd_armijo", "lr", 1.0);
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 3000;
    cfg.tol = 1e-3; /* reached at step 1889 */
    cfg.record_details = 0;
    gdlab_trajectory own, lent;
    test_storage st;
    CHECK(gdlab_run(s, adam, &cfg, &own, err, sizeof err) == 0 && own.n == 1890);
    lend(&cfg, &st, 0);
    CHECK(gdlab_run(s, adam, &cfg, &lent, err, sizeof err) == 0 && same_path(&lent, &own));
    /* x and loss, each for x_0 and 3000 steps at once; shrunk to the 1890 points kept at the end */
    CHECK(st.blocks == 2 && st.sizes[0] == 3001 * 16 && st.sizes[1] == 3001 * 8 && st.shrinks == 2);
    give_back(&st, &lent);
    CHECK(st.live == 0 && st.frees == 2);
    gdlab_trajectory_free(&own);

    /* with details (5 arrays), to the last step: nothing to shrink */
    cfg.tol = NAN;
    cfg.max_steps = 300;
    cfg.record_details = 1;
    cfg.storage = NULL;
    CHECK(gdlab_run(s, armijo, &cfg, &own, err, sizeof err) == 0 && own.n == 301 && own.evals);
    lend(&cfg, &st, 0);
    CHECK(gdlab_run(s, armijo, &cfg, &lent, err, sizeof err) == 0 && same_path(&lent, &own));
    CHECK(st.blocks == 5 && st.sizes[4] == 301 * 8 && st.shrinks == 0);
    give_back(&st, &lent);
    CHECK(st.live == 0);
    /* without details, the line search's evaluation counts leave their compact form part-way: the
     * array for them is asked for then, at the whole capacity too */
    cfg.record_details = 0;
    lend(&cfg, &st, 0);
    CHECK(gdlab_run(s, armijo, &cfg, &lent, err, sizeof err) == 0 && same_path(&lent, &own) && lent.evals);
    CHECK(st.blocks == 3 && st.sizes[2] == 301 * 8 && st.shrinks == 0);
    give_back(&st, &lent);
    gdlab_trajectory_free(&own);

    /* a storage that runs out: at the start (the loss array), or part-way (the evaluation counts) */
    lend(&cfg, &st, 2);
    CHECK(gdlab_run(s, armijo, &cfg, &lent, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "run: out of memory recording point 0 (step 0) of up to 301 points of 32 bytes");
    CHECK(st.blocks == 1 && st.live == 0); /* the x array went back */
    lend(&cfg, &st, 3);
    CHECK(gdlab_run(s, armijo, &cfg, &lent, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "run: out of memory recording point ");
    CHECK(st.blocks == 2 && st.live == 0);
    gdlab_optimizer_free(adam);
    gdlab_optimizer_free(armijo);
    gdlab_surface_free(s);
}

int main(void)
{
    reg = gdlab_registry_new();
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/surfaces");
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/optimizers");
    stepping_by_hand_is_gdlab_run_bit_for_bit();
    every_kth_point_and_the_summary_hold_what_they_say();
    evaluation_counts_read_the_same_compact_or_per_point();
    the_lean_loops_end_as_the_general_one_does();
    n_steps_in_one_call_are_n_iterations();
    the_loss_rules_stop_exactly_at_their_bounds();
    a_recording_that_cannot_fit_is_refused_before_it_starts();
    memory_lent_by_the_caller_is_asked_for_once_and_written_in_place();
    gdlab_registry_free(reg);
    return CHECK_RESULT();
}
