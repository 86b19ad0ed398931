/* optimizer.c — an optimizer configuration: descriptor and validated parameter values.
 * The per-run state is owned by the run (core/engine/run.c), so one configuration serves many runs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gdlab/gdlab.h"
#include "params_check.h"

struct gdlab_optimizer {
    const gdlab_optimizer_desc *desc;
    double *params;
};

gdlab_optimizer *gdlab_optimizer_new(const gdlab_optimizer_desc *desc, const double *params,
                                     char *err, size_t errlen)
{
    const gdlab_header *h = &desc->h;
    gdlab_optimizer *o = calloc(1, sizeof *o);
    double *values = calloc(h->n_params ? h->n_params : 1, sizeof(double));
    if (!o || !values) {
        snprintf(err, errlen, "optimizer '%s': out of memory", h->name);
        free(o);
        free(values);
        return NULL;
    }
    if (params)
        memcpy(values, params, h->n_params * sizeof(double));
    else
        gdlab_params_defaults(h, values);
    if (gdlab_params_validate(h, values, err, errlen)) {
        free(o);
        free(values);
        return NULL;
    }
    *o = (gdlab_optimizer){desc, values};
    return o;
}

void gdlab_optimizer_free(gdlab_optimizer *o)
{
    if (!o) return;
    free(o->params);
    free(o);
}

const gdlab_optimizer_desc *gdlab_optimizer_desc_of(const gdlab_optimizer *o) { return o->desc; }
const double *gdlab_optimizer_params(const gdlab_optimizer *o) { return o->params; }

double gdlab_optimizer_lr(const gdlab_optimizer *o)
{
    int i = gdlab_param_index(&o->desc->h, "lr");
    return i < 0 ? NAN : o->params[i];
}
