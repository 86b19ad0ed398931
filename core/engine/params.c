/* SPDX-License-Identifier: MIT */
/* params.c — a plugin's parameter table turned into argument checking and descriptions. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "params_check.h"

void gdlab_params_defaults(const gdlab_header *h, double *values)
{
    for (size_t i = 0; i < h->n_params; i++)
        values[i] = h->params[i].default_value;
}

int gdlab_param_index(const gdlab_header *h, const char *name)
{
    for (size_t i = 0; i < h->n_params; i++)
        if (strcmp(h->params[i].name, name) == 0) return (int)i;
    return -1;
}

static size_t count_choices(const gdlab_param *p)
{
    size_t n = 0;
    while (p->choices && p->choices[n])
        n++;
    return n;
}

static void format_bound(char *buf, size_t len, double v)
{
    if (isinf(v))
        snprintf(buf, len, "%sinf", v < 0 ? "-" : "");
    else
        snprintf(buf, len, "%g", v);
}

void gdlab_param_range_text(const gdlab_param *p, char *buf, size_t buflen)
{
    if (p->flags & GDLAB_PARAM_CHOICE) {
        size_t used = (size_t)snprintf(buf, buflen, "one of:");
        for (size_t i = 0; p->choices && p->choices[i] && used < buflen; i++)
            used += (size_t)snprintf(buf + used, buflen - used, "%s %s", i ? "," : "", p->choices[i]);
        return;
    }
    if (p->flags & GDLAB_PARAM_BOOLEAN) {
        snprintf(buf, buflen, "true or false");
        return;
    }
    char lo[32], hi[32];
    format_bound(lo, sizeof lo, p->lower);
    format_bound(hi, sizeof hi, p->upper);
    /* an infinite bound is never attained: show it open */
    const int open_lo = (p->flags & GDLAB_PARAM_OPEN_LOWER) || isinf(p->lower);
    const int open_hi = (p->flags & GDLAB_PARAM_OPEN_UPPER) || isinf(p->upper);
    snprintf(buf, buflen, "%s%s, %s%s%s", open_lo ? "(" : "[", lo, hi, open_hi ? ")" : "]",
             (p->flags & GDLAB_PARAM_INTEGER) ? ", whole numbers" : "");
}

/* NULL if v is valid for p, else a short reason. */
static const char *value_problem(const gdlab_param *p, double v)
{
    if (isnan(v)) return (p->flags & GDLAB_PARAM_REQUIRED) ? "missing" : "not a number";
    if (p->flags & GDLAB_PARAM_BOOLEAN) return (v == 0.0 || v == 1.0) ? NULL : "not a boolean";
    if (p->flags & GDLAB_PARAM_CHOICE)
        return (v >= 0 && v < (double)count_choices(p) && v == floor(v)) ? NULL : "not a valid choice";
    if ((p->flags & GDLAB_PARAM_INTEGER) && v != floor(v)) return "not a whole number";
    if (v < p->lower || ((p->flags & GDLAB_PARAM_OPEN_LOWER) && v == p->lower)) return "too small";
    if (v > p->upper || ((p->flags & GDLAB_PARAM_OPEN_UPPER) && v == p->upper)) return "too large";
    return NULL;
}

static void bad_value(const gdlab_header *h, const gdlab_param *p, double v, char *err, size_t errlen)
{
    char range[256];
    gdlab_param_range_text(p, range, sizeof range);
    if (isnan(v) && (p->flags & GDLAB_PARAM_REQUIRED)) {
        snprintf(err, errlen, "%s '%s' needs parameter '%s' (%s%s: %s)", gdlab_kind_name(h->kind),
                 h->name, p->name, (p->flags & GDLAB_PARAM_CHOICE) ? "" : "in ", range,
                 p->help ? p->help : "");
        return;
    }
    char got[32];
    snprintf(got, sizeof got, "%.17g", isnan(v) ? NAN : v); /* one nan, whatever its sign bit */
    snprintf(err, errlen, "parameter '%s' of %s '%s' must be %s%s, got %s", p->name,
             gdlab_kind_name(h->kind), h->name, (p->flags & GDLAB_PARAM_CHOICE) ? "" : "in ", range,
             got);
}

void gdlab_params_unknown(const gdlab_header *h, const char *name, const char *const *more, char *err,
                          size_t errlen)
{
    size_t used = (size_t)snprintf(err, errlen, "unknown parameter '%s' for %s '%s'; valid:", name,
                                   gdlab_kind_name(h->kind), h->name);
    size_t listed = 0;
    for (size_t i = 0; i < h->n_params && used < errlen; i++, listed++)
        used += (size_t)snprintf(err + used, errlen - used, "%s %s", listed ? "," : "", h->params[i].name);
    for (size_t i = 0; more && more[i] && used < errlen; i++, listed++)
        used += (size_t)snprintf(err + used, errlen - used, "%s %s", listed ? "," : "", more[i]);
    if (listed == 0 && used < errlen) snprintf(err + used, errlen - used, " (none)");
}

static void unknown_param(const gdlab_header *h, const char *name, char *err, size_t errlen)
{
    gdlab_params_unknown(h, name, NULL, err, errlen);
}

int gdlab_param_check_value(const gdlab_header *h, size_t i, double value, char *err, size_t errlen)
{
    if (!value_problem(&h->params[i], value)) return 0;
    bad_value(h, &h->params[i], value, err, errlen);
    return -1;
}

int gdlab_params_set(const gdlab_header *h, double *values, const char *name, double value, char *err,
                     size_t errlen)
{
    int i = gdlab_param_index(h, name);
    if (i < 0) {
        unknown_param(h, name, err, errlen);
        return -1;
    }
    if (value_problem(&h->params[i], value)) {
        bad_value(h, &h->params[i], value, err, errlen);
        return -1;
    }
    values[i] = value;
    return 0;
}

int gdlab_params_set_choice(const gdlab_header *h, double *values, const char *name,
                            const char *choice, char *err, size_t errlen)
{
    int i = gdlab_param_index(h, name);
    if (i < 0) {
        unknown_param(h, name, err, errlen);
        return -1;
    }
    const gdlab_param *p = &h->params[i];
    char range[256];
    gdlab_param_range_text(p, range, sizeof range);
    if (!(p->flags & GDLAB_PARAM_CHOICE)) {
        snprintf(err, errlen, "parameter '%s' of %s '%s' takes a number in %s, got '%s'", p->name,
                 gdlab_kind_name(h->kind), h->name, range, choice);
        return -1;
    }
    for (size_t k = 0; p->choices[k]; k++)
        if (strcmp(p->choices[k], choice) == 0) {
            values[i] = (double)k;
            return 0;
        }
    snprintf(err, errlen, "parameter '%s' of %s '%s' must be %s; got '%s'", p->name,
             gdlab_kind_name(h->kind), h->name, range, choice);
    return -1;
}

int gdlab_params_validate(const gdlab_header *h, const double *values, char *err, size_t errlen)
{
    for (size_t i = 0; i < h->n_params; i++)
        if (value_problem(&h->params[i], values[i])) {
            bad_value(h, &h->params[i], values[i], err, errlen);
            return -1;
        }
    return 0;
}

int gdlab_params_check_table(const gdlab_header *h, char *err, size_t errlen)
{
    for (size_t i = 0; i < h->n_params; i++) {
        const gdlab_param *p = &h->params[i];
        if (!p->name || !*p->name) {
            snprintf(err, errlen, "parameter %zu has no name", i + 1);
            return -1;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(h->params[j].name, p->name) == 0) {
                snprintf(err, errlen, "parameter '%s' is listed twice", p->name);
                return -1;
            }
        if ((p->flags & GDLAB_PARAM_CHOICE) && count_choices(p) == 0) {
            snprintf(err, errlen, "choice parameter '%s' has no choices", p->name);
            return -1;
        }
        if (value_problem(p, p->default_value) && !(p->flags & GDLAB_PARAM_REQUIRED)) {
            snprintf(err, errlen, "default %g of parameter '%s' is outside its own range",
                     p->default_value, p->name);
            return -1;
        }
    }
    return 0;
}

static void print_indented(FILE *out, const char *text)
{
    fputs("  ", out);
    for (const char *c = text; *c; c++) {
        fputc(*c, out);
        if (*c == '\n' && c[1]) fputs("  ", out);
    }
    if (*text && text[strlen(text) - 1] != '\n') fputc('\n', out);
}

/* An optimizer's internals: what gd.run{internals = true} records after each step. */
static void describe_internals(const gdlab_header *h, FILE *out)
{
    if (h->kind != GDLAB_KIND_OPTIMIZER) return;
    const gdlab_optimizer_desc *d = (const gdlab_optimizer_desc *)h;
    if (!d->read_internals || d->n_internals == 0) {
        fprintf(out, "\ninternals: none\n");
        return;
    }
    fprintf(out, "\ninternals (recorded after each step with gd.run{internals = true}):\n");
    for (size_t i = 0; i < d->n_internals; i++)
        fprintf(out, "  %-18s %-15s %s\n", d->internals[i].name,
                d->internals[i].per_coordinate ? "per coordinate" : "scalar",
                d->internals[i].help ? d->internals[i].help : "");
}

void gdlab_describe(const gdlab_header *h, const char *path, FILE *out)
{
    fprintf(out, "%s (%s): %s\n", h->name, gdlab_kind_name(h->kind), h->summary);
    if (path) fprintf(out, "  file: %s\n", path);
    if (h->description) {
        fputc('\n', out);
        print_indented(out, h->description);
    }
    if (h->n_params == 0) {
        fprintf(out, "\nparameters: none\n");
        describe_internals(h, out);
        return;
    }
    fprintf(out, "\nparameters:\n  %-18s %-12s %-28s %s\n", "name", "default", "valid", "meaning");
    for (size_t i = 0; i < h->n_params; i++) {
        const gdlab_param *p = &h->params[i];
        char range[256], def[64];
        gdlab_param_range_text(p, range, sizeof range);
        if (p->flags & GDLAB_PARAM_REQUIRED)
            snprintf(def, sizeof def, "(required)");
        else if (p->flags & GDLAB_PARAM_CHOICE)
            snprintf(def, sizeof def, "%s", p->choices[(size_t)p->default_value]);
        else if (p->flags & GDLAB_PARAM_BOOLEAN)
            snprintf(def, sizeof def, "%s", p->default_value != 0 ? "true" : "false");
        else
            snprintf(def, sizeof def, "%g", p->default_value);
        fprintf(out, "  %-18s %-12s %-28s %s%s\n", p->name, def, range, p->help ? p->help : "",
                (p->flags & GDLAB_PARAM_LOG) ? " (log scale)" : "");
    }
    describe_internals(h, out);
}
