/* SPDX-License-Identifier: MIT */
/* save_json.c — the pieces of a saved result in JSON (RFC 8259). JSON has no NaN or infinity, so
 * non-finite numbers are written as null (what JavaScript's JSON.stringify does); every other number
 * is the shortest text that reads back as the same double. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "save_table.h"

void save_format_double(char *buf, double v)
{
    for (int digits = 15; digits <= 17; digits++) { /* 17 significant digits always round-trip */
        snprintf(buf, 32, "%.*g", digits, v);
        if (strtod(buf, NULL) == v) return;
    }
}

void gdlab_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f); /* UTF-8 passes through */
    }
    fputc('"', f);
}

void gdlab_json_number(FILE *f, double v)
{
    char buf[32];
    if (!isfinite(v)) {
        fputs("null", f);
        return;
    }
    save_format_double(buf, v);
    fputs(buf, f);
}

void save_json_columns(FILE *f, const save_table *t)
{
    fputc('{', f);
    for (size_t j = 0; j < t->n_cols; j++) {
        const save_column *c = &t->cols[j];
        fputs(j ? ",\n  " : "\n  ", f);
        gdlab_json_string(f, c->name);
        fputs(": [", f);
        for (size_t r = 0; r < t->n_rows; r++) {
            if (r) fputc(',', f);
            switch (c->type) {
            case SAVE_F64: gdlab_json_number(f, ((const double *)c->data)[r * c->stride]); break;
            case SAVE_U64: fprintf(f, "%llu", (unsigned long long)((const uint64_t *)c->data)[r * c->stride]); break;
            case SAVE_STATUS:
                gdlab_json_string(f, gdlab_status_name(((const gdlab_status *)c->data)[r * c->stride]));
                break;
            }
        }
        fputc(']', f);
    }
    fputs("\n}", f);
}
