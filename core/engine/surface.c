/* SPDX-License-Identifier: MIT */
/* surface.c — a surface instance: descriptor, validated parameter values and private state.
 * Every call into the surface's plugin is marked (plugin_call.h), so a crash in one names it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gdlab/gdlab.h"
#include "params_check.h"
#include "plugin_call.h"


struct gdlab_surface {
    const gdlab_surface_desc *desc;
    size_t dim;
    double *params;
    void *state;
    void (*free_state)(void *state);
    int serial; /* its functions must not run on several threads at once */
};

gdlab_surface *gdlab_surface_new(const gdlab_surface_desc *desc, const double *params, char *err,
                                 size_t errlen)
{
    const gdlab_header *h = &desc->h;
    gdlab_surface *s = calloc(1, sizeof *s);
    double *values = calloc(h->n_params ? h->n_params : 1, sizeof(double));
    if (!s || !values) goto oom;
    s->desc = desc;
    s->params = values;
    if (params)
        memcpy(values, params, h->n_params * sizeof(double));
    else
        gdlab_params_defaults(h, values);
    if (gdlab_params_validate(h, values, err, errlen)) goto fail;
    if (desc->dim) s->dim = desc->dim;
    else GDLAB_MARKED(desc, "dimension", s->dim = desc->dimension(values));
    if (s->dim == 0) {
        snprintf(err, errlen, "surface '%s': these parameters give dimension 0", h->name);
        goto fail;
    }
    if (desc->state_size) {
        s->state = calloc(1, desc->state_size);
        if (!s->state) goto oom;
        s->free_state = free;
    }
    if (desc->init) {
        const char *problem;
        GDLAB_MARKED(desc, "init", problem = desc->init(s->state, values, s->dim));
        if (problem) {
            snprintf(err, errlen, "surface '%s': %s", h->name, problem);
            goto fail;
        }
    }
    return s;
oom:
    snprintf(err, errlen, "surface '%s': out of memory", h->name);
fail:
    gdlab_surface_free(s);
    if (!s) free(values);
    return NULL;
}

gdlab_surface *gdlab_surface_wrap(const gdlab_surface_desc *desc, size_t dim, void *state,
                                  void (*free_state)(void *state))
{
    gdlab_surface *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    *s = (gdlab_surface){desc, dim, calloc(desc->h.n_params ? desc->h.n_params : 1, sizeof(double)),
                         state, free_state, 0};
    if (!s->params) {
        free(s);
        return NULL;
    }
    gdlab_params_defaults(&desc->h, s->params);
    return s;
}

void gdlab_surface_free(gdlab_surface *s)
{
    if (!s) return;
    if (s->free_state) s->free_state(s->state);
    free(s->params);
    free(s);
}

void gdlab_surface_mark_serial(gdlab_surface *s) { s->serial = 1; }
int gdlab_surface_is_serial(const gdlab_surface *s) { return s->serial; }

const gdlab_surface_desc *gdlab_surface_desc_of(const gdlab_surface *s) { return s->desc; }
size_t gdlab_surface_dim(const gdlab_surface *s) { return s->dim; }
const double *gdlab_surface_params(const gdlab_surface *s) { return s->params; }

double gdlab_surface_eval(const gdlab_surface *s, const double *x, double *grad)
{
    double f;
    GDLAB_MARKED(s->desc, grad ? "eval (with gradient)" : "eval", f = s->desc->eval(s->state, x, grad));
    return f;
}

const void *gdlab_surface_state(const gdlab_surface *s)
{
    return s->state;
}

double gdlab_surface_eval_sample(const gdlab_surface *s, const double *x, double *grad, uint64_t draw)
{
    if (!s->desc->eval_sample) return gdlab_surface_eval(s, x, grad);
    double f;
    GDLAB_MARKED(s->desc, "eval_sample", f = s->desc->eval_sample(s->state, x, grad, draw));
    return f;
}

int gdlab_surface_has_hessian(const gdlab_surface *s)
{
    return s->desc->hessian != NULL;
}

int gdlab_surface_hessian(const gdlab_surface *s, const double *x, double *hess)
{
    if (!s->desc->hessian) return -1;
    GDLAB_MARKED(s->desc, "hessian", s->desc->hessian(s->state, x, hess));
    return 0;
}

void gdlab_surface_domain(const gdlab_surface *s, double *lo, double *hi)
{
    GDLAB_MARKED(s->desc, "domain", s->desc->domain(s->state, lo, hi));
}

void gdlab_surface_start(const gdlab_surface *s, double *x0)
{
    GDLAB_MARKED(s->desc, "start", s->desc->start(s->state, x0));
}

int gdlab_surface_landmark(const gdlab_surface *s, size_t i, double *x)
{
    if (!s->desc->landmark) return GDLAB_LANDMARK_END;
    int kind;
    GDLAB_MARKED(s->desc, "landmark", kind = s->desc->landmark(s->state, i, x));
    return kind;
}

double gdlab_surface_min_value(const gdlab_surface *s)
{
    double best = HUGE_VAL;
    double *x = malloc(s->dim * sizeof(double));
    if (!x) return 0.0;
    for (size_t i = 0;; i++) {
        int kind = gdlab_surface_landmark(s, i, x);
        if (kind == GDLAB_LANDMARK_END) break;
        if (kind == GDLAB_LANDMARK_GLOBAL_MIN) {
            double f = gdlab_surface_eval(s, x, NULL);
            if (f < best) best = f;
        }
    }
    free(x);
    return isinf(best) ? 0.0 : best;
}
