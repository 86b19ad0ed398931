/* Learning-rate schedules against torch.optim.lr_scheduler (ref/schedules.txt, written by
 * gen_reference.py with torch 1.13): the lr of step t must be the scheduler's lr after t − 1 calls
 * to step(), within 1e-12·max(|lr|, base_lr). torch computes most kinds recursively and gdlab in
 * closed form, so they differ by rounding only. CyclicLR and OneCycleLR ran with
 * cycle_momentum=False. Also: a schedule given to gdlab_run really sets the lr of each step, and bad
 * specifications are refused by name. */
#include <stdlib.h>

#include "check.h"
#include "gdlab/gdlab.h"
#include "gdlab/schedule.h"

#define TOLERANCE 1e-12

static char err[GDLAB_ERRLEN];

/* "name=value": a number, a comma-separated list (milestones), or else a choice's name. */
static int set_option(gdlab_schedule *s, char *assignment)
{
    char *eq = strchr(assignment, '=');
    if (!eq) return -1;
    *eq = '\0';
    const char *value = eq + 1;
    char *end;
    const double v = strtod(value, &end);
    if (*end == '\0') return gdlab_schedule_set(s, assignment, v, err, sizeof err);
    if (*end == ',') {
        double list[32];
        size_t n = 0;
        for (const char *p = value; n < 32 && *p; p = *end ? end + 1 : end)
            list[n++] = strtod(p, &end);
        return gdlab_schedule_set_list(s, assignment, list, n, err, sizeof err);
    }
    return gdlab_schedule_set_choice(s, assignment, value, err, sizeof err);
}

static gdlab_schedule *parse_schedule(char *spec)
{
    gdlab_schedule *s = gdlab_schedule_new(strtok(spec, " \n"), err, sizeof err);
    for (char *tok; s && (tok = strtok(NULL, " \n"));)
        if (set_option(s, tok)) {
            gdlab_schedule_free(s);
            return NULL;
        }
    if (s && gdlab_schedule_check(s, err, sizeof err)) {
        gdlab_schedule_free(s);
        return NULL;
    }
    return s;
}

static void every_kind_matches_torch(void)
{
    FILE *f = fopen(GDLAB_TEST_DATA "/ref/schedules.txt", "r");
    CHECK(f != NULL);
    if (!f) return;
    char line[512], covered[1024] = "";
    int cases = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || strncmp(line, "schedule ", 9) != 0) continue;
        char spec[512];
        snprintf(spec, sizeof spec, "%s", line + 9);
        spec[strcspn(spec, "\n")] = '\0';
        double base_lr;
        size_t steps;
        CHECK(fscanf(f, " base_lr %lf steps %zu", &base_lr, &steps) == 2);
        char parsed[512];
        snprintf(parsed, sizeof parsed, "%s", spec);
        gdlab_schedule *s = parse_schedule(parsed);
        if (!s) fprintf(stderr, "schedule %s: %s\n", spec, err);
        CHECK(s != NULL);
        double worst = 0.0;
        for (size_t t = 1; t <= steps; t++) {
            double want;
            CHECK(fscanf(f, "%lf", &want) == 1);
            const double got = s ? gdlab_schedule_lr(s, t, base_lr) : NAN;
            const double e = fabs(got - want) / fmax(fabs(want), base_lr);
            worst = isnan(e) ? INFINITY : fmax(worst, e);
        }
        if (!(worst <= TOLERANCE)) fprintf(stderr, "schedule %s: error %.3g\n", spec, worst);
        CHECK(worst <= TOLERANCE);
        printf("%-70s largest error %.2g\n", spec, worst);
        if (s) {
            strcat(covered, gdlab_schedule_kind(s));
            strcat(covered, " ");
        }
        gdlab_schedule_free(s);
        cases++;
    }
    fclose(f);
    CHECK(cases >= 18);
    for (size_t i = 0; gdlab_schedule_kind_name(i); i++) { /* every kind has torch data */
        char word[64];
        snprintf(word, sizeof word, "%s ", gdlab_schedule_kind_name(i));
        CHECK_STR_CONTAINS(covered, word);
    }
}

/* A hand check of the closed forms at their landmarks, independent of torch. */
static void landmarks_of_the_closed_forms(void)
{
    char spec[128];
    snprintf(spec, sizeof spec, "cosine T_max=10 eta_min=0.01");
    gdlab_schedule *s = parse_schedule(spec);
    CHECK_CLOSE(gdlab_schedule_lr(s, 1, 0.1), 0.1, 1e-15);            /* e = 0: base */
    CHECK_CLOSE(gdlab_schedule_lr(s, 6, 0.1), 0.055, 1e-15);          /* e = T_max/2: the middle */
    CHECK_CLOSE(gdlab_schedule_lr(s, 11, 0.1), 0.01, 1e-14);          /* e = T_max: eta_min */
    gdlab_schedule_free(s);

    snprintf(spec, sizeof spec, "onecycle total_steps=101 pct_start=0.5");
    s = parse_schedule(spec);
    CHECK_CLOSE(gdlab_schedule_lr(s, 1, 1.0), 1.0 / 25.0, 1e-15);      /* starts at max/div_factor */
    CHECK_CLOSE(gdlab_schedule_lr(s, 101, 1.0), 1.0 / 25.0 / 1e4, 1e-12); /* ends at that /1e4 */
    CHECK_CLOSE(gdlab_schedule_lr(s, 500, 1.0), 1.0 / 25.0 / 1e4, 1e-12); /* and stays there */
    gdlab_schedule_free(s);

    snprintf(spec, sizeof spec, "cosine_restarts T_0=3 T_mult=2");
    s = parse_schedule(spec); /* periods 3, 6, 12: restarts at e = 3 and e = 9 */
    CHECK(gdlab_schedule_lr(s, 4, 0.5) == 0.5 && gdlab_schedule_lr(s, 10, 0.5) == 0.5);
    CHECK(gdlab_schedule_lr(s, 9, 0.5) < 0.05);
    gdlab_schedule_free(s);
}

static void a_run_uses_the_schedule_step_by_step(void)
{
    gdlab_registry *reg = gdlab_registry_new();
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/surfaces");
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/optimizers");
    const gdlab_header *sh = gdlab_registry_find(reg, GDLAB_KIND_SURFACE, "quadratic");
    const gdlab_header *oh = gdlab_registry_find(reg, GDLAB_KIND_OPTIMIZER, "gd");
    CHECK(sh && oh);
    if (!sh || !oh) return;
    gdlab_surface *surface = gdlab_surface_new((const gdlab_surface_desc *)sh, NULL, err, sizeof err);
    gdlab_optimizer *o = gdlab_optimizer_new((const gdlab_optimizer_desc *)oh, NULL, err, sizeof err);
    char spec[64];
    snprintf(spec, sizeof spec, "step step_size=3 gamma=0.5");
    gdlab_schedule *s = parse_schedule(spec);
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.max_steps = 10;
    cfg.schedule = gdlab_schedule_lr;
    cfg.schedule_ctx = s;
    gdlab_trajectory t;
    CHECK(gdlab_run(surface, o, &cfg, &t, err, sizeof err) == 0);
    const double base = gdlab_optimizer_lr(o); /* gd's default 0.1 */
    for (size_t k = 1; k < t.n; k++) {
        CHECK(t.lr[k] == base * pow(0.5, (double)((k - 1) / 3)));
        /* and gd really used it: x_k = x_{k-1} − lr_k·∇f(x_{k-1}) */
        double g[2];
        gdlab_surface_eval(surface, t.x + 2 * (k - 1), g);
        CHECK_CLOSE(t.x[2 * k], t.x[2 * (k - 1)] - t.lr[k] * g[0], 1e-15);
    }
    gdlab_trajectory_free(&t);
    gdlab_schedule_free(s);
    gdlab_optimizer_free(o);
    gdlab_surface_free(surface);
    gdlab_registry_free(reg);
}

static void bad_specifications_are_refused_by_name(void)
{
    CHECK(gdlab_schedule_new("cosin", err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "unknown schedule 'cosin'; valid: constant, step, multistep, exponential, "
                            "cosine, cosine_restarts, cyclic, onecycle, linear");
    gdlab_schedule *s = gdlab_schedule_new("cosine", err, sizeof err);
    CHECK(gdlab_schedule_set(s, "Tmax", 10, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "unknown option 'Tmax' for schedule 'cosine'; valid: T_max, eta_min");
    CHECK(gdlab_schedule_check(s, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "schedule 'cosine' needs option 'T_max'");
    CHECK(gdlab_schedule_set(s, "T_max", 2.5, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "option 'T_max' of schedule 'cosine' must be a whole number in [1, inf)");
    CHECK(gdlab_schedule_set(s, "eta_min", -1, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "'eta_min'");
    CHECK(isnan(gdlab_schedule_lr(s, 1, 0.1))); /* never checked: no lr */
    gdlab_schedule_free(s);

    s = gdlab_schedule_new("cyclic", err, sizeof err);
    CHECK(gdlab_schedule_set_choice(s, "mode", "triangle", err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "option 'mode' of schedule 'cyclic' must be one of: triangular, triangular2, "
                            "exp_range; got 'triangle'");
    CHECK(gdlab_schedule_set(s, "mode", 1, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "option 'mode' of schedule 'cyclic' takes the name of a choice");
    gdlab_schedule_free(s);

    s = gdlab_schedule_new("multistep", err, sizeof err);
    const double bad[2] = {10, -3};
    CHECK(gdlab_schedule_set_list(s, "milestones", bad, 2, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "element 2 must be a whole number >= 0, got -3");
    CHECK(gdlab_schedule_set_list(s, "gamma", bad, 1, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "option 'gamma' of schedule 'multistep' takes a number, not a list");
    gdlab_schedule_free(s);

    s = gdlab_schedule_new("onecycle", err, sizeof err);
    CHECK(gdlab_schedule_set(s, "total_steps", 3, err, sizeof err) == 0);
    CHECK(gdlab_schedule_check(s, err, sizeof err) == -1); /* 0.3·3 − 1 < 0: an empty warm-up */
    CHECK_STR_CONTAINS(err, "schedule 'onecycle': every phase must last more than one step");
    gdlab_schedule_free(s);
}

int main(void)
{
    every_kind_matches_torch();
    landmarks_of_the_closed_forms();
    a_run_uses_the_schedule_step_by_step();
    bad_specifications_are_refused_by_name();
    return CHECK_RESULT();
}
