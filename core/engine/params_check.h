/* SPDX-License-Identifier: MIT */
/* params_check.h — parameter checks libgdlab uses internally (core/engine/params.c). */
#ifndef GDLAB_PARAMS_CHECK_H
#define GDLAB_PARAMS_CHECK_H

#include "gdlab/gdlab.h"

/* Is the plugin's table itself sound (names, defaults within bounds, choices)? 0 or -1 with err. */
int gdlab_params_check_table(const gdlab_header *h, char *err, size_t errlen);

/* Are all values valid for the table? 0 or -1 with err naming the first bad one. */
int gdlab_params_validate(const gdlab_header *h, const double *values, char *err, size_t errlen);

/* Is value valid for parameter i of the table? 0, or -1 with err as gdlab_params_set writes it. */
int gdlab_param_check_value(const gdlab_header *h, size_t i, double value, char *err, size_t errlen);

/* "unknown parameter 'name' for KIND 'NAME'; valid: ..." listing the table's names, then `more`
 * (NULL-terminated, may be NULL): inputs a caller takes beside the table (a schedule's milestones). */
void gdlab_params_unknown(const gdlab_header *h, const char *name, const char *const *more, char *err,
                          size_t errlen);

#endif
