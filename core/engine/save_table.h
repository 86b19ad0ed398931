/* SPDX-License-Identifier: MIT */
/* save_table.h — what the writers of saved results share (core/engine/save*.c). Not a public header.
 *
 * A result is saved as a table: named columns of equal length, each read from a C array with a
 * stride, so a trajectory's x (n × dim, row-major) gives the columns x1..xd without copying. CSV and
 * JSON write the same table, so a run's columns have the same names in both. */
#ifndef GDLAB_SAVE_TABLE_H
#define GDLAB_SAVE_TABLE_H

#include <stdio.h>

#include "gdlab/save.h"

typedef enum save_type { SAVE_F64, SAVE_U64, SAVE_STATUS } save_type;

typedef struct save_column {
    char name[64];
    save_type type;
    const void *data; /* double, uint64_t or gdlab_status elements */
    size_t stride;    /* elements from one row to the next */
} save_column;

typedef struct save_table {
    save_column *cols;
    size_t n_cols, n_rows;
} save_table;

/* The shortest "%.*g" text that reads back as exactly v (finite v). buf: 32 bytes. */
void save_format_double(char *buf, double v);

/* CSV: a header row, then one row per table row; NaN and infinities as nan, inf, -inf. */
void save_csv(FILE *f, const save_table *t);
/* The same in two parts, for a table written a block of rows at a time (sweep_file.c). */
void save_csv_header(FILE *f, const save_table *t);
void save_csv_rows(FILE *f, const save_table *t);

/* JSON: the table as an object of arrays {"name": [...], ...} (strings and numbers: gdlab/save.h). */
void save_json_columns(FILE *f, const save_table *t);

#endif
