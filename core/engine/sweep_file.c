/* SPDX-License-Identifier: MIT */
/* sweep_file.c — a sweep's results streamed to a file, a part at a time, in the layout docs/mpi.md
 * ("The sweep file") describes: a header, then one column per result, each n_runs long. Parts may come
 * in any order (a distributed sweep finishes them as its ranks do), so each is written at its place in
 * every column. Written through the output writer: a failed or interrupted sweep leaves no file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "gdlab/gdlab.h"
#include "gdlab/output.h"

struct gdlab_sweep_file {
    gdlab_output *out;
    FILE *f;
    size_t n_runs, written;
    uint64_t columns; /* byte offset of the first column */
};

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

gdlab_sweep_file *gdlab_sweep_file_open(const char *path, const gdlab_sweep_spec *sp, size_t n_runs,
                                        char *err, size_t errlen)
{
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
    FILE *f = file->f = gdlab_output_stream(file->out);
    file->n_runs = n_runs;
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
        gdlab_sweep_file_abort(file);
        return NULL;
    }
    put_u32(f, columns);
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

int gdlab_sweep_file_commit(gdlab_sweep_file *file, char *err, size_t errlen)
{
    if (file->written != file->n_runs) {
        snprintf(err, errlen, "sweep file '%s': %zu of %zu runs written", gdlab_output_path(file->out),
                 file->written, file->n_runs);
        gdlab_sweep_file_abort(file);
        return -1;
    }
    const int result = gdlab_output_commit(file->out, err, errlen);
    free(file);
    return result;
}

void gdlab_sweep_file_abort(gdlab_sweep_file *file)
{
    if (!file) return;
    gdlab_output_abort(file->out);
    free(file);
}
