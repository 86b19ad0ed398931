/* SPDX-License-Identifier: MIT */
/* save_csv.c — a saved result as CSV (RFC 4180): a header row, one row per step or grid cell, numbers
 * as the shortest text that reads back exactly. Non-finite numbers are spelled nan, inf and -inf,
 * which Python's float(), pandas.read_csv, numpy.genfromtxt and gnuplot all read as such. Column
 * names and status words contain no commas or quotes, so no field needs quoting. */
#include <math.h>
#include <stdint.h>

#include "save_table.h"

static void write_cell(FILE *f, const save_column *c, size_t row)
{
    char buf[32];
    switch (c->type) {
    case SAVE_F64: {
        const double v = ((const double *)c->data)[row * c->stride];
        if (isnan(v))
            fputs("nan", f);
        else if (isinf(v))
            fputs(v > 0 ? "inf" : "-inf", f);
        else
            save_format_double(buf, v), fputs(buf, f);
        break;
    }
    case SAVE_U64: fprintf(f, "%llu", (unsigned long long)((const uint64_t *)c->data)[row * c->stride]); break;
    case SAVE_STATUS: fputs(gdlab_status_name(((const gdlab_status *)c->data)[row * c->stride]), f); break;
    }
}

void save_csv(FILE *f, const save_table *t)
{
    save_csv_header(f, t);
    save_csv_rows(f, t);
}

void save_csv_header(FILE *f, const save_table *t)
{
    for (size_t j = 0; j < t->n_cols; j++) fprintf(f, "%s%s", j ? "," : "", t->cols[j].name);
    fputc('\n', f);
}

void save_csv_rows(FILE *f, const save_table *t)
{
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t j = 0; j < t->n_cols; j++) {
            if (j) fputc(',', f);
            write_cell(f, &t->cols[j], r);
        }
        fputc('\n', f);
    }
}
