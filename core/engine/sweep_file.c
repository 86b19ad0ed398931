/* SPDX-License-Identifier: MIT */
/* sweep_file.c — a sweep's results streamed to a file, a part at a time, in one of two layouts:
 * - .csv: the sweep CSV of docs/data.md (one row per run, in run order, as gd.save writes it). Parts
 *   that arrive ahead of their turn wait in memory until the rows before them are written.
 * - .gdsweep: the columns file of docs/mpi.md ("The sweep file"): a header, then one column per result,
 *   each n_runs long. Every part is written at its place in every column as soon as it arrives, so
 *   nothing waits, whatever the order (a distributed sweep finishes parts as its ranks do).
 * Written through the output writer: a failed or interrupted sweep leaves no file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "gdlab/gdlab.h"
#include "gdlab/output.h"
#include "save_table.h"

typedef struct waiting_part { /* a CSV part that came before its turn */
    size_t first;
    gdlab_sweep_result r;
    struct waiting_part *next;
} waiting_part;

struct gdlab_sweep_file {
    gdlab_output *out;
    FILE *f;
    size_t n_runs, written;
    int csv;
    uint64_t columns;           /* .gdsweep: byte offset of the first column */
    const gdlab_sweep_axis *axes; /* .csv: the spec's (they outlive the file) */
    size_t n_axes, next_row;
    waiting_part *waiting;
};

enum { MAX_CSV_AXES = 16 };

/* The CSV table of runs first .. first + r->n_runs - 1 (grid: room for n_axes * n_runs values). */
static save_table csv_table(const gdlab_sweep_file *file, size_t first, const gdlab_sweep_result *r,
                            double *grid, save_column *cols)
{
    save_table t = {.cols = cols, .n_rows = r->n_runs};
    size_t inner = file->n_runs;
    for (size_t k = 0; k < file->n_axes; k++) {
        const gdlab_sweep_axis *a = &file->axes[k];
        inner /= a->n;
        for (size_t i = 0; grid && i < r->n_runs; i++)
            grid[k * r->n_runs + i] = a->values[((first + i) / inner) % a->n];
        cols[t.n_cols++] = (save_column){.type = SAVE_F64, .data = grid ? grid + k * r->n_runs : NULL, .stride = 1};
        snprintf(cols[t.n_cols - 1].name, sizeof cols->name, "%s", a->param);
    }
    const struct { const char *name; save_type type; const void *data; } results[] = {
        {"status", SAVE_STATUS, r->status}, {"stop_step", SAVE_U64, r->stop_step},
        {"final_loss", SAVE_F64, r->final_loss}, {"min_loss", SAVE_F64, r->min_loss},
        {"evals", SAVE_U64, r->evals}};
    for (size_t c = 0; c < GDLAB_COUNT_OF(results); c++) {
        cols[t.n_cols] = (save_column){.type = results[c].type, .data = results[c].data, .stride = 1};
        snprintf(cols[t.n_cols++].name, sizeof cols->name, "%s", results[c].name);
    }
    return t;
}

static int write_csv_rows(gdlab_sweep_file *file, size_t first, const gdlab_sweep_result *r)
{
    double *grid = malloc((file->n_axes * r->n_runs + 1) * sizeof *grid);
    if (!grid) return -1;
    save_column cols[MAX_CSV_AXES + 5];
    const save_table t = csv_table(file, first, r, grid, cols);
    save_csv_rows(file->f, &t);
    free(grid);
    file->next_row += r->n_runs;
    return 0;
}

/* A CSV part: written if it is next, then every waiting part that has become next; else it waits. */
static int put_csv(gdlab_sweep_file *file, size_t first, const gdlab_sweep_result *part)
{
    if (first != file->next_row) {
        waiting_part *w = calloc(1, sizeof *w);
        if (!w || gdlab_sweep_result_alloc(&w->r, part->n_runs)) {
            free(w);
            return -1;
        }
        char unused[8];
        gdlab_sweep_result_put(&w->r, 0, part, unused, sizeof unused);
        w->first = first, w->next = file->waiting, file->waiting = w;
        return 0;
    }
    if (write_csv_rows(file, first, part)) return -1;
    for (waiting_part **w = &file->waiting; *w;) {
        if ((*w)->first != file->next_row) {
            w = &(*w)->next;
            continue;
        }
        waiting_part *done = *w;
        *w = done->next;
        const int failed = write_csv_rows(file, done->first, &done->r);
        gdlab_sweep_result_free(&done->r);
        free(done);
        if (failed) return -1;
        w = &file->waiting; /* the next one may be anywhere in the list */
    }
    return 0;
}

/* Bytes per run of each column, in file order: stop_step, final_loss, min_loss, evals, status. */
static const size_t column_bytes[] = {8, 8, 8, 8, 1};

static void put_u32(FILE *f, uint32_t v)
{
    fwrite(&v, sizeof v, 1, f); /* host order: the header's byte-order mark says which */
}

static void put_u64(FILE *f, uint64_t v)
{
    fwrite(&v, sizeof v, 1, f);
}

static void put_name(FILE *f, const char *name)
{
    put_u32(f, (uint32_t)strlen(name));
    fputs(name, f);
}

/* The layout path's extension names: 1 CSV, 0 columns, -1 (err set) neither. */
static int layout_of(const char *path, char *err, size_t errlen)
{
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    if (dot && slash && dot < slash) dot = NULL;
    if (dot && strcasecmp(dot, ".csv") == 0) return 1;
    if (dot && strcasecmp(dot, ".gdsweep") == 0) return 0;
    if (dot && strcasecmp(dot, ".json") == 0)
        snprintf(err, errlen, "sweep file '%s': JSON is written whole, not streamed; stream to .csv or "
                 ".gdsweep, or keep the sweep in memory and gd.save it", path);
    else
        snprintf(err, errlen, "sweep file '%s': unknown format '%s'; available: csv (docs/data.md), "
                 "gdsweep (docs/mpi.md)", path, dot ? dot : "(no extension)");
    return -1;
}

/* The columns file's header (docs/mpi.md); its size, rounded up to 8, is the first column's offset. */
static int write_columns_header(gdlab_sweep_file *file, const gdlab_sweep_spec *sp, const char *path,
                                char *err, size_t errlen)
{
    FILE *f = file->f;
    const size_t n_runs = file->n_runs;
    fwrite("GDSWEEP1", 1, 8, f);
    put_u32(f, 0x01020304);
    put_u32(f, 0); /* the columns' offset, filled in below */
    put_u64(f, n_runs);
    put_u32(f, (uint32_t)sp->n_axes);
    put_name(f, sp->d->h.name);
    for (size_t k = 0; k < sp->n_axes; k++) {
        put_name(f, sp->axes[k].param);
        put_u64(f, sp->axes[k].n);
        fwrite(sp->axes[k].values, sizeof(double), sp->axes[k].n, f);
    }
    const off_t end = ftello(f);
    file->columns = ((uint64_t)end + 7) / 8 * 8; /* every 8-byte column starts on a multiple of 8 */
    for (off_t i = end; i < (off_t)file->columns; i++)
        fputc(0, f);
    const uint32_t columns = (uint32_t)file->columns;
    if (end < 0 || file->columns != columns || fseeko(f, 12, SEEK_SET) != 0) {
        snprintf(err, errlen, "sweep file '%s': cannot lay out a header of %lld bytes", path, (long long)end);
        return -1;
    }
    put_u32(f, columns);
    return 0;
}

gdlab_sweep_file *gdlab_sweep_file_open(const char *path, const gdlab_sweep_spec *sp, size_t n_runs,
                                        char *err, size_t errlen)
{
    const int csv = layout_of(path, err, errlen);
    if (csv < 0) return NULL;
    if (csv && sp->n_axes > MAX_CSV_AXES) {
        snprintf(err, errlen, "sweep file '%s': at most %d axes in CSV", path, MAX_CSV_AXES);
        return NULL;
    }
    gdlab_sweep_file *file = calloc(1, sizeof *file);
    if (!file) {
        snprintf(err, errlen, "sweep file '%s': out of memory", path);
        return NULL;
    }
    file->out = gdlab_output_open(path, "sweep file", err, errlen);
    if (!file->out) {
        free(file);
        return NULL;
    }
    file->f = gdlab_output_stream(file->out);
    file->n_runs = n_runs, file->csv = csv, file->axes = sp->axes, file->n_axes = sp->n_axes;
    if (csv) {
        save_column cols[MAX_CSV_AXES + 5];
        const gdlab_sweep_result none = {0};
        const save_table t = csv_table(file, 0, &none, NULL, cols);
        save_csv_header(file->f, &t);
    } else if (write_columns_header(file, sp, path, err, errlen)) {
        gdlab_sweep_file_abort(file);
        return NULL;
    }
    return file;
}

int gdlab_sweep_file_put(void *ctx, size_t first, const gdlab_sweep_result *part, char *err, size_t errlen)
{
    gdlab_sweep_file *file = ctx;
    const size_t n = part->n_runs;
    if (first > file->n_runs || n > file->n_runs - first) {
        snprintf(err, errlen, "sweep file '%s': runs %zu to %zu do not fit a sweep of %zu runs",
                 gdlab_output_path(file->out), first, first + n, file->n_runs);
        return -1;
    }
    if (file->csv) {
        if (put_csv(file, first, part)) {
            snprintf(err, errlen, "sweep file '%s': out of memory for runs %zu to %zu", gdlab_output_path(file->out),
                     first, first + n);
            return -1;
        }
        file->written += n;
        return 0;
    }
    unsigned char *status = malloc(n ? n : 1);
    if (!status) {
        snprintf(err, errlen, "sweep file '%s': out of memory", gdlab_output_path(file->out));
        return -1;
    }
    for (size_t r = 0; r < n; r++)
        status[r] = (unsigned char)part->status[r];
    const void *data[] = {part->stop_step, part->final_loss, part->min_loss, part->evals, status};
    uint64_t column = file->columns;
    int failed = 0;
    for (size_t c = 0; c < GDLAB_COUNT_OF(column_bytes) && !failed; c++) {
        failed = fseeko(file->f, (off_t)(column + first * column_bytes[c]), SEEK_SET) != 0 ||
                 fwrite(data[c], column_bytes[c], n, file->f) != n;
        column += (uint64_t)file->n_runs * column_bytes[c];
    }
    free(status);
    if (failed) {
        snprintf(err, errlen, "sweep file '%s': cannot write runs %zu to %zu", gdlab_output_path(file->out),
                 first, first + n);
        return -1;
    }
    file->written += n;
    return 0;
}

static void free_waiting(gdlab_sweep_file *file)
{
    while (file->waiting) {
        waiting_part *w = file->waiting;
        file->waiting = w->next;
        gdlab_sweep_result_free(&w->r);
        free(w);
    }
}

int gdlab_sweep_file_commit(gdlab_sweep_file *file, char *err, size_t errlen)
{
    if (file->written != file->n_runs) {
        snprintf(err, errlen, "sweep file '%s': %zu of %zu runs written", gdlab_output_path(file->out),
                 file->written, file->n_runs);
        gdlab_sweep_file_abort(file);
        return -1;
    }
    free_waiting(file); /* none: every run was written */
    const int result = gdlab_output_commit(file->out, err, errlen);
    free(file);
    return result;
}

void gdlab_sweep_file_abort(gdlab_sweep_file *file)
{
    if (!file) return;
    free_waiting(file);
    gdlab_output_abort(file->out);
    free(file);
}
