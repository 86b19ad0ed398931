/* params_check.h — parameter checks libgdlab uses internally (core/engine/params.c). */
#ifndef GDLAB_PARAMS_CHECK_H
#define GDLAB_PARAMS_CHECK_H

#include "gdlab/gdlab.h"

/* Is the plugin's table itself sound (names, defaults within bounds, choices)? 0 or -1 with err. */
int gdlab_params_check_table(const gdlab_header *h, char *err, size_t errlen);

/* Are all values valid for the table? 0 or -1 with err naming the first bad one. */
int gdlab_params_validate(const gdlab_header *h, const double *values, char *err, size_t errlen);

#endif
