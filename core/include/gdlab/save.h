/* SPDX-License-Identifier: MIT */
/*
 * gdlab/save.h — results as data files (core/engine/save*.c): a run or a sweep written as CSV or
 * JSON, chosen by the file's extension. docs/data.md describes each format.
 *
 *     gdlab_trajectory t;  gdlab_run(s, o, &cfg, &t, err, sizeof err);
 *     char *setup = gdlab_setup_json(s, o, &cfg, NULL, "my run");
 *     gdlab_save_trajectory(&t, setup, "out/run.csv", err, sizeof err);   // or .json
 *     free(setup);
 *
 * Files are written to a temporary file in the same folder and renamed into place only when every
 * write succeeded, so a reader never sees half a file (gdlab/output.h).
 */
#ifndef GDLAB_SAVE_H
#define GDLAB_SAVE_H

#include <stdio.h>

#include "gdlab/gdlab.h"

#ifdef __cplusplus
extern "C" {
#endif
#pragma GCC visibility push(default)

/* The format a path's extension names. Unknown: -1 with err naming the path and the formats. */
typedef enum gdlab_data_format { GDLAB_DATA_CSV = 0, GDLAB_DATA_JSON = 1 } gdlab_data_format;
int gdlab_data_format_of(const char *path, gdlab_data_format *format, char *err, size_t errlen);
/* "csv, json": the extensions gdlab_data_format_of knows, for messages and --help. */
const char *gdlab_data_formats(void);

/* How a result was made, as the text of a JSON object: surface (name, parameters), optimizer (name,
 * parameters), the run configuration (start, steps, tol, gtol, bound, blowup, seed) and schedule,
 * label and gdlab version, so that the result can be made again. schedule_json is the schedule as a
 * JSON value (NULL: none; the Lua module writes {"kind": ..., options...} or "lua function").
 * Returns a malloc'ed string (free it), NULL when out of memory. */
char *gdlab_setup_json(const gdlab_surface *s, const gdlab_optimizer *o, const gdlab_run_config *cfg,
                       const char *schedule_json, const char *label);

/* Write a run: CSV has a header row and one row per point (step, x1..xd, loss, grad_norm, lr, evals,
 * lambda_min, lambda_max when recorded); JSON has the same columns, the status, reason and setup.
 * Columns whose array is NULL are left out (a hand-made trajectory may have x and loss only).
 * setup_json: gdlab_setup_json's text or NULL (unknown). 0, or -1 with err naming the path. */
int gdlab_save_trajectory(const gdlab_trajectory *t, const char *setup_json, const char *path, char *err,
                          size_t errlen);

/* Write a sweep: one row per grid cell (the axes' parameter values, status, stop_step, final_loss,
 * min_loss, evals), runs numbered as gdlab_sweep numbers them. */
int gdlab_save_sweep(const gdlab_sweep_result *r, const gdlab_sweep_axis *axes, size_t n_axes,
                     const char *setup_json, const char *path, char *err, size_t errlen);

/* JSON pieces, for writers of setup text: a string with its escapes, and a number as the shortest text
 * that reads back as the same double, null when it is not finite (JSON has no NaN or infinity). */
void gdlab_json_string(FILE *f, const char *s);
void gdlab_json_number(FILE *f, double v);


#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif
#endif /* GDLAB_SAVE_H */
