/* SPDX-License-Identifier: MIT */
/* plugin_runs.h — what the optimizer fact tests share: plugins from "name p=v ..." specs (numbers,
 * or else choice names), a run of one on a surface with internals recorded, and reading an internal
 * back. The registry `reg` is the test's, loaded in its main. */
#ifndef GDLAB_TEST_PLUGIN_RUNS_H
#define GDLAB_TEST_PLUGIN_RUNS_H

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gdlab/gdlab.h"

static char err[GDLAB_ERRLEN];
static gdlab_registry *reg;

#define MAX_PARAMS 16

/* The parameters of "name p=v ..." (numbers, or else choice names) into values (MAX_PARAMS room);
 * the plugin, or NULL with err set. */
static const gdlab_header *plugin_params(uint32_t kind, const char *spec, double *values)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", spec);
    const gdlab_header *h = gdlab_registry_find(reg, kind, strtok(buf, " "));
    if (!h || h->n_params > MAX_PARAMS) {
        snprintf(err, sizeof err, "plugin for '%s' not loaded, or too many parameters", spec);
        return NULL;
    }
    gdlab_params_defaults(h, values);
    for (char *tok; (tok = strtok(NULL, " "));) {
        char *eq = strchr(tok, '='), *end;
        *eq = '\0';
        const double v = strtod(eq + 1, &end);
        const int failed = *end ? gdlab_params_set_choice(h, values, tok, eq + 1, err, sizeof err)
                                : gdlab_params_set(h, values, tok, v, err, sizeof err);
        if (failed) return NULL;
    }
    return h;
}

static gdlab_surface *surface(const char *spec)
{
    double p[MAX_PARAMS];
    const gdlab_header *h = plugin_params(GDLAB_KIND_SURFACE, spec, p);
    gdlab_surface *s = h ? gdlab_surface_new((const gdlab_surface_desc *)h, p, err, sizeof err) : NULL;
    if (!s) fprintf(stderr, "surface %s: %s\n", spec, err);
    CHECK(s != NULL);
    return s;
}

static gdlab_optimizer *optimizer(const char *spec)
{
    double p[MAX_PARAMS];
    const gdlab_header *h = plugin_params(GDLAB_KIND_OPTIMIZER, spec, p);
    gdlab_optimizer *o =
        h ? gdlab_optimizer_new((const gdlab_optimizer_desc *)h, p, err, sizeof err) : NULL;
    if (!o) fprintf(stderr, "optimizer %s: %s\n", spec, err);
    CHECK(o != NULL);
    return o;
}

/* Runs spec_o on spec_s from start for at most steps, stopping at gradient norm gtol. */
static gdlab_trajectory run(const char *spec_s, const char *spec_o, double x0, double y0, uint64_t steps,
                            double gtol)
{
    gdlab_surface *s = surface(spec_s);
    gdlab_optimizer *o = optimizer(spec_o);
    gdlab_run_config cfg;
    gdlab_run_config_defaults(&cfg);
    const double start[2] = {x0, y0};
    cfg.start = start;
    cfg.max_steps = steps;
    cfg.gtol = gtol;
    cfg.record_internals = 1;
    gdlab_trajectory t = {0};
    if (s && o) CHECK(gdlab_run(s, o, &cfg, &t, err, sizeof err) == 0);
    gdlab_surface_free(s);
    gdlab_optimizer_free(o);
    return t;
}

/* Column of internal `name` of optimizer `opt` in a trajectory row (per-coordinate ones: coordinate
 * 0; add 1 for coordinate 1). */
static size_t internal_column(const char *opt, const char *name, size_t dim)
{
    const gdlab_optimizer_desc *d =
        (const gdlab_optimizer_desc *)gdlab_registry_find(reg, GDLAB_KIND_OPTIMIZER, opt);
    size_t col = 0;
    for (size_t i = 0; i < d->n_internals; i++) {
        if (strcmp(d->internals[i].name, name) == 0) return col;
        col += d->internals[i].per_coordinate ? dim : 1;
    }
    fprintf(stderr, "optimizer %s has no internal '%s'\n", opt, name);
    CHECK(0);
    return 0;
}

static double internal(const gdlab_trajectory *t, size_t k, const char *opt, const char *name, size_t i)
{
    CHECK(t->n_internals > 0 && k < t->n);
    if (!(t->n_internals > 0 && k < t->n)) return NAN;
    return t->internals[k * t->n_internals + internal_column(opt, name, t->dim) + i];
}

#endif
