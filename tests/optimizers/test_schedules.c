/* SPDX-License-Identifier: MIT */
/* Schedules against torch.optim.lr_scheduler (ref/schedules.txt, written by gen_reference.py with
 * torch 1.13): the value of step t must be the scheduler's after t − 1 calls to step(), within
 * 1e-12·max(|lr|, base_lr), and so must the momentum CyclicLR and OneCycleLR cycle (SGD's momentum,
 * Adam's beta1); ReduceLROnPlateau gets the loss sequence the file gives. torch computes most kinds
 * recursively and gdlab in closed form, so they differ by rounding only. Also: runs use their
 * schedules step by step, plateau rescues an oscillating run, and bad schedules, bad scheduled values
 * and schedules that do not fit the optimizer are refused by name. */
#include <stdlib.h>

#include "check.h"
#include "gdlab/gdlab.h"
#include "schedule_spec.h"

#define TOLERANCE 1e-12

static void every_kind_matches_torch(void)
{
    FILE *f = fopen(GDLAB_TEST_DATA "/ref/schedules.txt", "r");
    CHECK(f != NULL);
    if (!f) return;
    char line[512], covered[1024] = "";
    int cases = 0, momentum_cases = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || strncmp(line, "schedule ", 9) != 0) continue;
        char spec[512], columns[64];
        snprintf(spec, sizeof spec, "%s", line + 9);
        spec[strcspn(spec, "\n")] = '\0';
        double base_lr;
        size_t steps;
        CHECK(fscanf(f, " base_lr %lf steps %zu columns %63[a-z ]", &base_lr, &steps, columns) == 3);
        const int with_momentum = strstr(columns, "momentum") != NULL;
        const int with_loss = strstr(columns, "loss") != NULL;
        double *want = calloc(3 * steps, sizeof(double)), *got = want + steps, *second = got + steps;
        for (size_t k = 0; k < steps; k++) {
            CHECK(fscanf(f, "%lf", &want[k]) == 1);
            if (with_momentum || with_loss) CHECK(fscanf(f, "%lf", &second[k]) == 1);
        }
        char parsed[512];
        snprintf(parsed, sizeof parsed, "%s", spec);
        gdlab_schedule *s = parse_schedule(parsed);
        if (!s) fprintf(stderr, "schedule %s: %s\n", spec, err);
        CHECK(s != NULL);
        double *momenta = calloc(steps, sizeof(double));
        double worst = INFINITY;
        if (s && gdlab_schedule_values(s, base_lr, steps, with_loss ? second : NULL, got, momenta, err,
                                       sizeof err) == 0) {
            worst = 0.0;
            for (size_t k = 0; k < steps; k++) {
                double e = fabs(got[k] - want[k]) / fmax(fabs(want[k]), base_lr);
                if (with_momentum) e = fmax(e, fabs(momenta[k] - second[k]));
                else if (!isnan(momenta[k])) e = INFINITY; /* cycled a momentum torch did not */
                worst = isnan(e) ? INFINITY : fmax(worst, e);
            }
        }
        if (!(worst <= TOLERANCE)) fprintf(stderr, "schedule %s: error %.3g %s\n", spec, worst, err);
        CHECK(worst <= TOLERANCE);
        printf("%-70.70s %s largest error %.2g\n", spec, with_momentum ? "(+momentum)" : "           ",
               worst);
        if (s) {
            strcat(covered, gdlab_schedule_kind(s));
            strcat(covered, " ");
        }
        momentum_cases += with_momentum;
        gdlab_schedule_free(s);
        free(want);
        free(momenta);
        cases++;
    }
    fclose(f);
    CHECK(cases >= 30);
    CHECK(momentum_cases >= 4);
    for (size_t i = 0; gdlab_schedule_kind_header(i); i++) { /* every kind but function has torch data */
        char word[64];
        snprintf(word, sizeof word, "%s ", gdlab_schedule_kind_header(i)->name);
        if (strcmp(word, "function ") != 0) CHECK_STR_CONTAINS(covered, word);
    }
}

/* The value of step t of a checked schedule, from base (open-loop kinds). */
static double value_at(const gdlab_schedule *s, size_t t, double base)
{
    double v[1024];
    if (t > 1024 || gdlab_schedule_values(s, base, t, NULL, v, NULL, err, sizeof err)) return NAN;
    return v[t - 1];
}

/* A hand check of the closed forms at their landmarks, independent of torch. */
static void landmarks_of_the_closed_forms(void)
{
    char spec[128];
    snprintf(spec, sizeof spec, "cosine T_max=10 eta_min=0.01");
    gdlab_schedule *s = parse_schedule(spec);
    CHECK_CLOSE(value_at(s, 1, 0.1), 0.1, 1e-15);            /* e = 0: base */
    CHECK_CLOSE(value_at(s, 6, 0.1), 0.055, 1e-15);          /* e = T_max/2: the middle */
    CHECK_CLOSE(value_at(s, 11, 0.1), 0.01, 1e-14);          /* e = T_max: eta_min */
    gdlab_schedule_free(s);

    snprintf(spec, sizeof spec, "onecycle total_steps=101 pct_start=0.5");
    s = parse_schedule(spec);
    CHECK_CLOSE(value_at(s, 1, 1.0), 1.0 / 25.0, 1e-15);      /* starts at max/div_factor */
    CHECK_CLOSE(value_at(s, 101, 1.0), 1.0 / 25.0 / 1e4, 1e-12); /* ends at that /1e4 */
    CHECK_CLOSE(value_at(s, 500, 1.0), 1.0 / 25.0 / 1e4, 1e-12); /* and stays there */
    gdlab_schedule_free(s);

    snprintf(spec, sizeof spec, "cosine_restarts T_0=3 T_mult=2");
    s = parse_schedule(spec); /* periods 3, 6, 12: restarts at e = 3 and e = 9 */
    CHECK(value_at(s, 4, 0.5) == 0.5 && value_at(s, 10, 0.5) == 0.5);
    CHECK(value_at(s, 9, 0.5) < 0.05);
    gdlab_schedule_free(s);
}

static gdlab_registry *reg;

static gdlab_optimizer *optimizer(const char *name, const char *param, double value)
{
    const gdlab_header *h = gdlab_registry_find(reg, GDLAB_KIND_OPTIMIZER, name);
    double values[32];
    gdlab_params_defaults(h, values);
    if (param) gdlab_params_set(h, values, param, value, err, sizeof err);
    return gdlab_optimizer_new((const gdlab_optimizer_desc *)h, values, err, sizeof err);
}

static gdlab_surface *quadratic(void)
{
    const gdlab_header *h = gdlab_registry_find(reg, GDLAB_KIND_SURFACE, "quadratic");
    return gdlab_surface_new((const gdlab_surface_desc *)h, NULL, err, sizeof err);
}

/* A set holding the schedules of the given specs (NULL-terminated), each driving `params[i]` (or lr). */
static gdlab_schedules *schedules(const char *const *specs, const char *const *params)
{
    gdlab_schedules *set = gdlab_schedules_new();
    for (size_t i = 0; specs[i]; i++) {
        char spec[256];
        snprintf(spec, sizeof spec, "%s", specs[i]);
        gdlab_schedule *s = parse_schedule(spec);
        CHECK(s != NULL);
        if (s && params && params[i]) CHECK(gdlab_schedule_drive(s, params[i], err, sizeof err) == 0);
        if (s) CHECK(gdlab_schedules_add(set, s, err, sizeof err) == 0);
    }
    return set;
}

/* Runs o on the quadratic for `steps` steps with the schedules; 0 or -1 (err set). */
static int run(const gdlab_optimizer *o, const gdlab_schedules *set, uint64_t steps, gdlab_trajectory *t)
{
    gdlab_surface *surface = quadratic();
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = steps;
    cfg.schedule = set;
    const int result = gdlab_run(surface, o, &cfg, t, err, sizeof err);
    gdlab_surface_free(surface);
    return result;
}

static void a_run_uses_the_schedule_step_by_step(void)
{
    gdlab_optimizer *o = optimizer("gd", NULL, 0);
    gdlab_schedules *set = schedules((const char *const[]){"step step_size=3 gamma=0.5", NULL}, NULL);
    gdlab_trajectory t;
    CHECK(run(o, set, 10, &t) == 0);
    const double base = gdlab_optimizer_lr(o); /* gd's default 0.1 */
    for (size_t k = 1; k < t.n; k++) {
        CHECK(t.lr[k] == base * pow(0.5, (double)((k - 1) / 3)));
        /* and gd really used it: x_k = x_{k-1} − lr_k·∇f(x_{k-1}) */
        double g[2];
        gdlab_surface *surface = quadratic();
        gdlab_surface_eval(surface, t.x + 2 * (k - 1), g);
        gdlab_surface_free(surface);
        CHECK_CLOSE(t.x[2 * k], t.x[2 * (k - 1)] - t.lr[k] * g[0], 1e-15);
    }
    gdlab_trajectory_free(&t);
    gdlab_schedules_free(set);
    gdlab_optimizer_free(o);
}

/* A schedule that watches the run: gd with lr 0.105 on the quadratic (curvature 20: stable below 0.1)
 * oscillates with a growing loss; the plateau schedule halves lr after 3 steps without a new best,
 * and the run converges. The drops happen exactly where torch's rule says, checked here from the
 * recorded losses. */
static void plateau_rescues_a_run_that_oscillates(void)
{
    gdlab_optimizer *o = optimizer("gd", "lr", 0.105);
    gdlab_schedules *set = schedules((const char *const[]){"plateau factor=0.5 patience=3", NULL}, NULL);
    gdlab_trajectory t;
    CHECK(run(o, set, 300, &t) == 0);
    CHECK(t.n == 301);
    CHECK(t.loss[t.n - 1] < 1e-12);
    double best = INFINITY, lr = 0.105;
    int bad = 0, drops = 0;
    for (size_t k = 1; k < t.n; k++) {
        CHECK(t.lr[k] == lr);
        /* after step k the scheduler sees f(x_k) and sets the lr of step k + 1 */
        if (t.loss[k] < best * (1.0 - 1e-4)) best = t.loss[k], bad = 0;
        else if (++bad > 3) lr *= 0.5, bad = 0, drops++;
    }
    CHECK(drops == 1); /* 0.0525 is stable */
    printf("plateau: lr halved once, loss after 300 steps %.3g\n", t.loss[t.n - 1]);
    gdlab_trajectory_free(&t);
    gdlab_schedules_free(set);
    gdlab_optimizer_free(o);
}

static double give_nan_at_3(void *ctx, const gdlab_schedule_view *v, char *e, size_t n)
{
    (void)ctx, (void)e, (void)n;
    return v->t == 3 ? NAN : v->base;
}
static double fail_at_2(void *ctx, const gdlab_schedule_view *v, char *e, size_t n)
{
    (void)ctx;
    if (v->t < 2) return v->base;
    snprintf(e, n, "the data ran out");
    return NAN;
}
static double beta_too_high(void *ctx, const gdlab_schedule_view *v, char *e, size_t n)
{
    (void)ctx, (void)e, (void)n;
    return v->t < 4 ? 0.9 : 1.2;
}

/* A run with one function schedule driving param of optimizer name; returns the run's reason. */
static const char *function_run_reason(const char *name, const char *param, gdlab_schedule_fn fn)
{
    static char reason[256];
    gdlab_optimizer *o = optimizer(name, NULL, 0);
    gdlab_schedule *s = gdlab_schedule_new("function", err, sizeof err);
    CHECK(gdlab_schedule_set_function(s, "fn", fn, NULL, 1, err, sizeof err) == 0);
    CHECK(gdlab_schedule_drive(s, param, err, sizeof err) == 0);
    CHECK(gdlab_schedule_check(s, err, sizeof err) == 0);
    gdlab_schedules *set = gdlab_schedules_new();
    CHECK(gdlab_schedules_add(set, s, err, sizeof err) == 0);
    gdlab_trajectory t;
    CHECK(run(o, set, 10, &t) == 0);
    CHECK(t.status == GDLAB_FAILED);
    snprintf(reason, sizeof reason, "%s", t.reason);
    gdlab_trajectory_free(&t);
    gdlab_schedules_free(set);
    gdlab_optimizer_free(o);
    return reason;
}

static void bad_scheduled_values_stop_the_run_by_name(void)
{
    CHECK_STR_CONTAINS(function_run_reason("gd", "lr", give_nan_at_3),
                       "schedule 'function' at step 3: parameter 'lr' of optimizer 'gd' must be in "
                       "(0, inf), got nan");
    CHECK_STR_CONTAINS(function_run_reason("sgd", "lr", fail_at_2),
                       "schedule 'function' for 'lr' at step 2: the data ran out");
    CHECK_STR_CONTAINS(function_run_reason("adam", "beta1", beta_too_high),
                       "schedule 'function' at step 4: parameter 'beta1' of optimizer 'adam' must be "
                       "in [0, 1), got 1.2");
}

/* 0 when the run starts, else -1 with err. */
static int try_run(const char *name, const char *const *specs, const char *const *params)
{
    gdlab_optimizer *o = optimizer(name, NULL, 0);
    gdlab_schedules *set = schedules(specs, params);
    gdlab_trajectory t;
    const int result = run(o, set, 3, &t);
    if (result == 0) gdlab_trajectory_free(&t);
    gdlab_schedules_free(set);
    gdlab_optimizer_free(o);
    return result;
}

static void schedules_that_do_not_fit_the_optimizer_are_refused(void)
{
    CHECK(try_run("adam", (const char *const[]){"cosine T_max=10", NULL},
                  (const char *const[]){"momentum"}) == -1);
    CHECK_STR_CONTAINS(err, "schedule 'cosine' drives 'momentum': unknown parameter 'momentum' for "
                            "optimizer 'adam'; valid: lr, beta1, beta2, eps, weight_decay, amsgrad");
    CHECK(try_run("bfgs", (const char *const[]){"cosine T_max=10", NULL}, NULL) == -1);
    CHECK_STR_CONTAINS(err, "schedule 'cosine' drives 'lr': unknown parameter 'lr' for optimizer 'bfgs'");
    CHECK(try_run("gd", (const char *const[]){"cyclic max_lr=1", NULL}, NULL) == -1);
    CHECK_STR_CONTAINS(err, "schedule 'cyclic' cycles the momentum (cycle_momentum = true, torch's "
                            "default) and optimizer 'gd' has none");
    CHECK_STR_CONTAINS(err, "give cycle_momentum = false");
    CHECK(try_run("gd", (const char *const[]){"cyclic max_lr=1 cycle_momentum=0", NULL}, NULL) == 0);
    CHECK(try_run("sgd", (const char *const[]){"cosine T_max=10", "step step_size=2", NULL}, NULL) == -1);
    CHECK_STR_CONTAINS(err, "two schedules drive 'lr' of optimizer 'sgd': combine them with sequential "
                            "or chained");
    CHECK(try_run("sgd", (const char *const[]){"onecycle total_steps=50", "cosine T_max=9", NULL},
                  (const char *const[]){NULL, "momentum"}) == -1);
    CHECK_STR_CONTAINS(err, "two schedules drive 'momentum'");
    CHECK(try_run("sgd", (const char *const[]){"cosine T_max=9", NULL},
                  (const char *const[]){"nesterov"}) == -1);
    CHECK_STR_CONTAINS(err, "schedule 'cosine' drives 'nesterov', a switch of optimizer 'sgd': only "
                            "numbers can be scheduled");
    /* lr and β₁ of Adam by two schedules: fine */
    CHECK(try_run("adam", (const char *const[]){"cosine T_max=9", "linear start_factor=0.5", NULL},
                  (const char *const[]){NULL, "beta1"}) == 0);
}

static void bad_specifications_are_refused_by_name(void)
{
    CHECK(gdlab_schedule_new("cosin", err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "unknown schedule 'cosin'; valid: constant, step, multistep, exponential, "
                            "cosine, cosine_restarts, cyclic, onecycle, linear, polynomial, lambda, "
                            "multiplicative, function, plateau, sequential, chained");
    gdlab_schedule *s = gdlab_schedule_new("cosine", err, sizeof err);
    CHECK(gdlab_schedule_set(s, "Tmax", 10, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "unknown parameter 'Tmax' for schedule 'cosine'; valid: T_max, eta_min, param");
    CHECK(gdlab_schedule_check(s, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "schedule 'cosine' needs parameter 'T_max' (in [1, inf), whole numbers: "
                            "steps from the base value down to eta_min)");
    CHECK(gdlab_schedule_set(s, "T_max", 2.5, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "parameter 'T_max' of schedule 'cosine' must be in [1, inf), whole numbers, "
                            "got 2.5");
    CHECK(gdlab_schedule_set(s, "eta_min", -1, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "parameter 'eta_min' of schedule 'cosine' must be in [0, inf), got -1");
    CHECK(isnan(value_at(s, 1, 0.1))); /* never checked: no values */
    CHECK_STR_CONTAINS(err, "schedule 'cosine' is not checked");
    CHECK(gdlab_schedule_drive(s, "Beta 1", err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "'param' must name an optimizer parameter such as lr or momentum, got 'Beta 1'");
    gdlab_schedule_free(s);

    s = gdlab_schedule_new("cyclic", err, sizeof err);
    CHECK(gdlab_schedule_set_choice(s, "mode", "triangle", err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "parameter 'mode' of schedule 'cyclic' must be one of: triangular, "
                            "triangular2, exp_range; got 'triangle'");
    CHECK(gdlab_schedule_set_choice(s, "max_lr", "big", err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "parameter 'max_lr' of schedule 'cyclic' takes a number in (0, inf), got 'big'");
    gdlab_schedule_free(s);

    s = gdlab_schedule_new("multistep", err, sizeof err);
    const double bad[2] = {10, -3};
    CHECK(gdlab_schedule_set_list(s, "milestones", bad, 2, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "element 2 must be a whole number >= 0, got -3");
    CHECK(gdlab_schedule_set_list(s, "gamma", bad, 1, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "parameter 'gamma' of schedule 'multistep' takes a number, not a list");
    CHECK(gdlab_schedule_set(s, "milestones", 3, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "option 'milestones' of schedule 'multistep' takes a list of whole numbers, "
                            "not a number");
    CHECK(gdlab_schedule_check(s, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "schedule 'multistep': needs milestones");
    gdlab_schedule_free(s);

    s = gdlab_schedule_new("onecycle", err, sizeof err);
    CHECK(gdlab_schedule_set(s, "total_steps", 3, err, sizeof err) == 0);
    CHECK(gdlab_schedule_check(s, err, sizeof err) == -1); /* 0.3·3 − 1 < 0: an empty warm-up */
    CHECK_STR_CONTAINS(err, "schedule 'onecycle': every phase must last more than one step");
    gdlab_schedule_free(s);

    s = gdlab_schedule_new("plateau", err, sizeof err);
    CHECK(gdlab_schedule_set(s, "factor", 1.0, err, sizeof err) == -1); /* torch: factor < 1 */
    CHECK_STR_CONTAINS(err, "parameter 'factor' of schedule 'plateau' must be in (0, 1), got 1");
    CHECK(gdlab_schedule_check(s, err, sizeof err) == 0);
    double v[3];
    CHECK(gdlab_schedule_values(s, 0.1, 3, NULL, v, NULL, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "schedule 'plateau' watches the run: it needs the loss after every step");
    gdlab_schedule_free(s);

    s = gdlab_schedule_new("lambda", err, sizeof err);
    CHECK(gdlab_schedule_check(s, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "schedule 'lambda' needs its function 'lr_lambda'");
    CHECK(gdlab_schedule_set_function(s, "fn", lambda_bump, NULL, 1, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "unknown parameter 'fn' for schedule 'lambda'; valid: lr_lambda, param");
    gdlab_schedule_free(s);

    /* compositions */
    char spec[128];
    snprintf(spec, sizeof spec, "sequential milestones=5,9 | linear | cosine T_max=4");
    CHECK(parse_schedule(spec) == NULL);
    CHECK_STR_CONTAINS(err, "schedule 'sequential': needs one milestone fewer than parts");
    snprintf(spec, sizeof spec, "chained | step step_size=2 | cosine T_max=4");
    CHECK(parse_schedule(spec) == NULL);
    CHECK_STR_CONTAINS(err, "schedule 'chained': its parts must multiply the value by a factor");
    snprintf(spec, sizeof spec, "sequential milestones=5 | linear | cyclic max_lr=1");
    CHECK(parse_schedule(spec) == NULL);
    CHECK_STR_CONTAINS(err, "schedule 'sequential' part 2 (cyclic) cycles the momentum: give it "
                            "cycle_momentum = false");
    s = gdlab_schedule_new("cosine", err, sizeof err);
    gdlab_schedule *part = gdlab_schedule_new("step", err, sizeof err);
    CHECK(gdlab_schedule_add_part(s, part, err, sizeof err) == -1); /* frees part */
    CHECK_STR_CONTAINS(err, "schedule 'cosine' takes no parts (sequential and chained do)");
    gdlab_schedule_free(s);
}

int main(void)
{
    reg = gdlab_registry_new();
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/surfaces");
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/optimizers");
    every_kind_matches_torch();
    landmarks_of_the_closed_forms();
    a_run_uses_the_schedule_step_by_step();
    plateau_rescues_a_run_that_oscillates();
    bad_scheduled_values_stop_the_run_by_name();
    schedules_that_do_not_fit_the_optimizer_are_refused();
    bad_specifications_are_refused_by_name();
    gdlab_registry_free(reg);
    return CHECK_RESULT();
}
