/* SPDX-License-Identifier: MIT */
/* Every optimizer that PyTorch has, replayed through the registry and gdlab_run against torch's own
 * trajectories (ref/<optimizer>.txt, written by gen_reference.py with torch 1.13, float64):
 * 200 steps on quadratic, rosenbrock and multimodal, at least two hyper-parameter sets each, and
 * maximize (climbing multimodal). ref/scheduled.txt has optimizers driven by schedules: cycled
 * momentum and β₁, ReduceLROnPlateau watching the loss, a warm-up sequence.
 *
 * Error measure: for every step k and coordinate i, |x_ki − ref_ki| / max(|ref_ki|, 1) — relative
 * for coordinates away from 0, absolute near 0, where a relative error means nothing. It must stay
 * within 1e-12: the plugins follow torch's order of operations, so what remains is rounding
 * (torch's CPU kernels fuse some multiply-adds, C does not) and its growth over 200 steps. */
#include <stdlib.h>

#include "check.h"
#include "gdlab/gdlab.h"
#include "schedule_spec.h"

#define TOLERANCE 1e-12
static gdlab_registry *reg;

/* Sets "name=value" on a parameter table: a number, or else the name of a choice. */
static int set_param(const gdlab_header *h, double *values, char *assignment)
{
    char *eq = strchr(assignment, '=');
    if (!eq) {
        snprintf(err, sizeof err, "'%s' is not name=value", assignment);
        return -1;
    }
    *eq = '\0';
    char *end;
    const double v = strtod(eq + 1, &end);
    if (*end == '\0') return gdlab_params_set(h, values, assignment, v, err, sizeof err);
    return gdlab_params_set_choice(h, values, assignment, eq + 1, err, sizeof err);
}

#define MAX_PARAMS 16

/* "kind-name p=v p=v": finds the plugin and fills values (defaults first; MAX_PARAMS room). */
static const gdlab_header *read_plugin(uint32_t kind, char *line, double *values)
{
    const char *name = strtok(line, " \n");
    const gdlab_header *h = name ? gdlab_registry_find(reg, kind, name) : NULL;
    if (!h) {
        gdlab_registry_unknown(reg, kind, name ? name : "", err, sizeof err);
        return NULL;
    }
    if (h->n_params > MAX_PARAMS) {
        snprintf(err, sizeof err, "%s has more than %d parameters", name, MAX_PARAMS);
        return NULL;
    }
    gdlab_params_defaults(h, values);
    for (char *tok; (tok = strtok(NULL, " \n"));)
        if (set_param(h, values, tok)) return NULL;
    return h;
}

typedef struct reference_case {
    char optimizer_line[512], schedule_line[512], surface_line[512];
    double start[2];
    size_t steps;
    double *points; /* steps x 2 */
} reference_case;

/* Reads the next case from f; 0 at the end of the file, -1 on a malformed file. */
static int read_case(FILE *f, reference_case *c)
{
    char line[512];
    int found = 0;
    while (!found && fgets(line, sizeof line, f))
        found = line[0] != '#' && line[0] != '\n';
    if (!found) return 0;
    if (strncmp(line, "case ", 5) != 0) return -1;
    snprintf(c->optimizer_line, sizeof c->optimizer_line, "%s", line + 5);
    c->schedule_line[0] = '\0';
    if (!fgets(line, sizeof line, f)) return -1;
    if (strncmp(line, "schedule ", 9) == 0) { /* optional: what drives the optimizer's parameters */
        snprintf(c->schedule_line, sizeof c->schedule_line, "%s", line + 9);
        c->schedule_line[strcspn(c->schedule_line, "\n")] = '\0';
        if (!fgets(line, sizeof line, f)) return -1;
    }
    if (strncmp(line, "surface ", 8) != 0) return -1;
    snprintf(c->surface_line, sizeof c->surface_line, "%s", line + 8);
    if (fscanf(f, " start %lf %lf steps %zu", &c->start[0], &c->start[1], &c->steps) != 3) return -1;
    c->points = malloc(2 * c->steps * sizeof(double));
    if (!c->points) return -1;
    for (size_t k = 0; k < 2 * c->steps; k++)
        if (fscanf(f, "%lf", &c->points[k]) != 1) return -1;
    return 1;
}

/* Largest error of the run against the reference, by the measure above (inf if the run is short). */
static double replay(const reference_case *c)
{
    double sp[MAX_PARAMS], op[MAX_PARAMS];
    char surface_line[512], optimizer_line[512];
    snprintf(surface_line, sizeof surface_line, "%s", c->surface_line);
    snprintf(optimizer_line, sizeof optimizer_line, "%s", c->optimizer_line);
    const gdlab_header *sh = read_plugin(GDLAB_KIND_SURFACE, surface_line, sp);
    const gdlab_header *oh = sh ? read_plugin(GDLAB_KIND_OPTIMIZER, optimizer_line, op) : NULL;
    if (!oh) {
        fprintf(stderr, "%s", err);
        return INFINITY;
    }
    gdlab_surface *s = gdlab_surface_new((const gdlab_surface_desc *)sh, sp, err, sizeof err);
    gdlab_optimizer *o = gdlab_optimizer_new((const gdlab_optimizer_desc *)oh, op, err, sizeof err);
    CHECK(s && o);
    gdlab_schedules *set = NULL;
    if (c->schedule_line[0]) {
        char spec[512];
        snprintf(spec, sizeof spec, "%s", c->schedule_line);
        gdlab_schedule *schedule = parse_schedule(spec);
        set = gdlab_schedules_new();
        CHECK(schedule && gdlab_schedules_add(set, schedule, err, sizeof err) == 0);
    }
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    cfg.schedule = set;
    cfg.start = c->start;
    cfg.max_steps = c->steps;
    cfg.bound = 1e6; /* compare the whole path, wherever it goes */
    gdlab_trajectory t;
    double worst = INFINITY;
    if (s && o && gdlab_run(s, o, &cfg, &t, err, sizeof err) == 0) {
        if (t.n == c->steps + 1) {
            worst = 0.0;
            for (size_t k = 1; k <= c->steps; k++)
                for (size_t i = 0; i < 2; i++) {
                    const double want = c->points[2 * (k - 1) + i], got = t.x[2 * k + i];
                    worst = fmax(worst, fabs(got - want) / fmax(fabs(want), 1.0));
                    if (isnan(got)) worst = INFINITY;
                }
            if (strstr(c->optimizer_line, "maximize=1")) CHECK(t.loss[t.n - 1] > t.loss[0]); /* climbed */
        } else {
            fprintf(stderr, "stopped after %zu of %zu steps: %s\n", t.n - 1, c->steps, t.reason);
        }
        gdlab_trajectory_free(&t);
    }
    gdlab_surface_free(s);
    gdlab_optimizer_free(o);
    gdlab_schedules_free(set);
    return worst;
}

static void trajectories_match_torch(const char *optimizer)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/ref/%s.txt", GDLAB_TEST_DATA, optimizer);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f) return;
    reference_case c;
    int cases = 0, status;
    double worst_of_all = 0.0;
    while ((status = read_case(f, &c)) == 1) {
        const double worst = replay(&c);
        if (!(worst <= TOLERANCE))
            fprintf(stderr, "%s: case %s    on %s    error %.3g > %.0e\n", optimizer,
                    strtok(c.optimizer_line, "\n"), strtok(c.surface_line, "\n"), worst, TOLERANCE);
        CHECK(worst <= TOLERANCE);
        worst_of_all = fmax(worst_of_all, worst);
        free(c.points);
        cases++;
    }
    CHECK(status == 0); /* the whole file was read */
    CHECK(cases >= 6);  /* three surfaces, two parameter sets at least */
    printf("%-9s %2d cases, largest error %.2g\n", optimizer, cases, worst_of_all);
    fclose(f);
}

int main(void)
{
    reg = gdlab_registry_new();
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/surfaces");
    gdlab_registry_scan(reg, GDLAB_PLUGIN_DIR "/optimizers");
    static const char *const optimizers[] = {"sgd",    "momentum", "adagrad", "rmsprop",
                                             "adadelta", "adam",   "adamw",   "adamax",
                                             "nadam",  "radam",    "lion",    "scheduled"};
    for (size_t i = 0; i < sizeof optimizers / sizeof optimizers[0]; i++)
        trajectories_match_torch(optimizers[i]);
    gdlab_registry_free(reg);
    return CHECK_RESULT();
}
