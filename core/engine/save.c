/* SPDX-License-Identifier: MIT */
/* save.c — runs and sweeps as data files: the format from the extension, the result as a table of
 * columns (save_table.h), the description of how it was made (gdlab_setup_json), and the JSON
 * document around them. CSV carries the columns only; JSON carries columns, outcome and setup. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gdlab/output.h"
#include "gdlab/save.h"
#include "save_table.h"

static const struct {
    const char *extension;
    gdlab_data_format format;
} formats[] = {{".csv", GDLAB_DATA_CSV}, {".json", GDLAB_DATA_JSON}};

const char *gdlab_data_formats(void)
{
    return "csv, json";
}

int gdlab_data_format_of(const char *path, gdlab_data_format *format, char *err, size_t errlen)
{
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    if (dot && (!slash || dot > slash))
        for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
            if (strcasecmp(dot, formats[i].extension) == 0) {
                *format = formats[i].format;
                return 0;
            }
    snprintf(err, errlen, "cannot save '%s': unknown format '%s'; available: %s (by the extension)", path,
             dot && (!slash || dot > slash) ? dot : "(no extension)", gdlab_data_formats());
    return -1;
}

/* ---- setup --------------------------------------------------------------------------------------- */

/* {"name": ..., "params": {...}}: choice parameters by name, booleans as true/false. */
static void write_plugin(FILE *f, const gdlab_header *h, const double *values)
{
    fputs("{\"name\": ", f);
    gdlab_json_string(f, h->name);
    fputs(", \"params\": {", f);
    for (size_t i = 0; i < h->n_params; i++) {
        const gdlab_param *p = &h->params[i];
        fputs(i ? ", " : "", f);
        gdlab_json_string(f, p->name);
        fputs(": ", f);
        if ((p->flags & GDLAB_PARAM_CHOICE) && p->choices)
            gdlab_json_string(f, p->choices[(size_t)values[i]]);
        else if (p->flags & GDLAB_PARAM_BOOLEAN)
            fputs(values[i] != 0 ? "true" : "false", f);
        else
            gdlab_json_number(f, values[i]);
    }
    fputs("}}", f);
}

char *gdlab_setup_json(const gdlab_surface *s, const gdlab_optimizer *o, const gdlab_run_config *cfg,
                       const char *schedule_json, const char *label)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) return NULL;
    fputs("{\"label\": ", f);
    if (label)
        gdlab_json_string(f, label);
    else
        fputs("null", f);
    fputs(",\n  \"surface\": ", f);
    write_plugin(f, &gdlab_surface_desc_of(s)->h, gdlab_surface_params(s));
    fputs(",\n  \"optimizer\": ", f);
    write_plugin(f, &gdlab_optimizer_desc_of(o)->h, gdlab_optimizer_params(o));
    fprintf(f, ",\n  \"schedule\": %s,\n  \"config\": {\"start\": [", schedule_json ? schedule_json : "null");
    const size_t dim = gdlab_surface_dim(s);
    double *start = malloc(dim * sizeof *start);
    if (start) {
        if (cfg->start)
            memcpy(start, cfg->start, dim * sizeof *start);
        else
            gdlab_surface_start(s, start);
        for (size_t i = 0; i < dim; i++) fputs(i ? ", " : "", f), gdlab_json_number(f, start[i]);
        free(start);
    }
    fprintf(f, "], \"steps\": %llu, \"tol\": ", (unsigned long long)cfg->max_steps);
    gdlab_json_number(f, cfg->tol); /* NaN: no tolerance, null */
    fputs(", \"gtol\": ", f);
    gdlab_json_number(f, cfg->gtol);
    fputs(", \"bound\": ", f);
    gdlab_json_number(f, cfg->bound);
    fputs(", \"blowup\": ", f);
    gdlab_json_number(f, cfg->blowup);
    fprintf(f, ", \"seed\": %llu, \"internals\": %s, \"curvature\": %s},\n  \"gdlab_version\": \"%s\"}",
            (unsigned long long)cfg->seed, cfg->record_internals ? "true" : "false",
            cfg->record_curvature ? "true" : "false", GDLAB_VERSION);
    const int failed = ferror(f) || !start;
    if (fclose(f) != 0 || failed) {
        free(text);
        return NULL;
    }
    return text;
}

/* ---- tables -------------------------------------------------------------------------------------- */

static void add_column(save_table *t, const char *name, save_type type, const void *data, size_t stride)
{
    if (!data) return;
    save_column *c = &t->cols[t->n_cols++];
    snprintf(c->name, sizeof c->name, "%s", name);
    c->type = type, c->data = data, c->stride = stride;
}

/* step, x1..xd, loss, grad_norm, lr, evals, lambda_min, lambda_max. cols: dim + 8 slots; steps: n. */
static void trajectory_table(const gdlab_trajectory *tr, save_column *cols, uint64_t *steps, save_table *t)
{
    t->cols = cols, t->n_cols = 0, t->n_rows = tr->n;
    for (size_t k = 0; k < tr->n; k++) steps[k] = k;
    add_column(t, "step", SAVE_U64, steps, 1);
    for (size_t i = 0; i < tr->dim; i++) {
        char name[32];
        snprintf(name, sizeof name, "x%zu", i + 1);
        add_column(t, name, SAVE_F64, tr->x ? tr->x + i : NULL, tr->dim);
    }
    add_column(t, "loss", SAVE_F64, tr->loss, 1);
    add_column(t, "grad_norm", SAVE_F64, tr->grad_norm, 1);
    add_column(t, "lr", SAVE_F64, tr->lr, 1);
    add_column(t, "evals", SAVE_U64, tr->evals, 1);
    add_column(t, "lambda_min", SAVE_F64, tr->curvature, 2);
    add_column(t, "lambda_max", SAVE_F64, tr->curvature ? tr->curvature + 1 : NULL, 2);
}

/* ---- documents ----------------------------------------------------------------------------------- */

static void json_head(FILE *f, const char *kind, const char *setup_json)
{
    fprintf(f, "{\"format\": \"gdlab-%s\", \"format_version\": 1, \"gdlab_version\": \"%s\",\n\"setup\": %s,\n",
            kind, GDLAB_VERSION, setup_json ? setup_json : "null");
}

int gdlab_save_trajectory(const gdlab_trajectory *tr, const char *setup_json, const char *path, char *err,
                          size_t errlen)
{
    gdlab_data_format format;
    if (gdlab_data_format_of(path, &format, err, errlen)) return -1;
    save_column *cols = malloc((tr->dim + 8) * sizeof *cols);
    uint64_t *steps = malloc((tr->n ? tr->n : 1) * sizeof *steps);
    gdlab_output *out = cols && steps ? gdlab_output_open(path, "run", err, errlen) : NULL;
    if (!out) {
        if (!cols || !steps) snprintf(err, errlen, "cannot save '%s': out of memory", path);
        free(cols), free(steps);
        return -1;
    }
    save_table t;
    trajectory_table(tr, cols, steps, &t);
    FILE *f = gdlab_output_stream(out);
    if (format == GDLAB_DATA_CSV) {
        save_csv(f, &t);
    } else {
        json_head(f, "run", setup_json);
        fprintf(f, "\"dim\": %zu, \"steps\": %zu, \"status\": \"%s\", \"stop_step\": %llu, \"reason\": ", tr->dim,
                tr->n ? tr->n - 1 : 0, gdlab_status_name(tr->status), (unsigned long long)tr->stop_step);
        gdlab_json_string(f, tr->reason);
        fprintf(f, ", \"hessian_evals\": %llu,\n\"columns\": ", (unsigned long long)tr->hessian_evals);
        save_json_columns(f, &t);
        fputs("}\n", f);
    }
    free(cols), free(steps);
    return gdlab_output_commit(out, err, errlen);
}

int gdlab_save_sweep(const gdlab_sweep_result *r, const gdlab_sweep_axis *axes, size_t n_axes,
                     const char *setup_json, const char *path, char *err, size_t errlen)
{
    gdlab_data_format format;
    if (gdlab_data_format_of(path, &format, err, errlen)) return -1;
    /* the axes' values per run: run r has index (r / inner_k) % n_k along axis k */
    double *grid = malloc((n_axes * r->n_runs + 1) * sizeof *grid);
    save_column *cols = malloc((n_axes + 5) * sizeof *cols);
    gdlab_output *out = grid && cols ? gdlab_output_open(path, "sweep", err, errlen) : NULL;
    if (!out) {
        if (!grid || !cols) snprintf(err, errlen, "cannot save '%s': out of memory", path);
        free(grid), free(cols);
        return -1;
    }
    save_table t = {.cols = cols, .n_rows = r->n_runs};
    size_t inner = r->n_runs;
    for (size_t k = 0; k < n_axes; k++) {
        inner /= axes[k].n;
        for (size_t run = 0; run < r->n_runs; run++)
            grid[k * r->n_runs + run] = axes[k].values[(run / inner) % axes[k].n];
        add_column(&t, axes[k].param, SAVE_F64, grid + k * r->n_runs, 1);
    }
    add_column(&t, "status", SAVE_STATUS, r->status, 1);
    add_column(&t, "stop_step", SAVE_U64, r->stop_step, 1);
    add_column(&t, "final_loss", SAVE_F64, r->final_loss, 1);
    add_column(&t, "min_loss", SAVE_F64, r->min_loss, 1);
    add_column(&t, "evals", SAVE_U64, r->evals, 1);
    FILE *f = gdlab_output_stream(out);
    if (format == GDLAB_DATA_CSV) {
        save_csv(f, &t);
    } else {
        json_head(f, "sweep", setup_json);
        fputs("\"axes\": [", f);
        for (size_t k = 0; k < n_axes; k++) {
            fputs(k ? ", {\"name\": " : "{\"name\": ", f);
            gdlab_json_string(f, axes[k].param);
            fputs(", \"values\": [", f);
            for (size_t i = 0; i < axes[k].n; i++) fputs(i ? ", " : "", f), gdlab_json_number(f, axes[k].values[i]);
            fputs("]}", f);
        }
        fprintf(f, "], \"runs\": %zu,\n\"columns\": ", r->n_runs);
        save_json_columns(f, &t);
        fputs("}\n", f);
    }
    free(grid), free(cols);
    return gdlab_output_commit(out, err, errlen);
}
