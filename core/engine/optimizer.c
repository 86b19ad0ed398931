/* SPDX-License-Identifier: MIT */
/* optimizer.c — an optimizer configuration: descriptor and validated parameter values, and for a
 * wrapper (lookahead) the optimizer it wraps. The per-run state is owned by the run
 * (core/engine/run.c, with gdlab_inner_begin for wrapped ones), so one configuration serves many runs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdlab/gdlab.h"
#include "params_check.h"

struct gdlab_optimizer {
    const gdlab_optimizer_desc *desc;
    double *params;
    gdlab_optimizer *inner; /* a wrapper's: owned */
};

int gdlab_optimizer_wraps(const gdlab_optimizer_desc *desc)
{
    return GDLAB_HAS_MEMBER(desc, gdlab_optimizer_desc, wraps) && desc->wraps;
}

static gdlab_optimizer *make(const gdlab_optimizer_desc *desc, const double *params, char *err,
                             size_t errlen)
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
    *o = (gdlab_optimizer){desc, values, NULL};
    return o;
}

gdlab_optimizer *gdlab_optimizer_new(const gdlab_optimizer_desc *desc, const double *params,
                                     char *err, size_t errlen)
{
    if (gdlab_optimizer_wraps(desc)) {
        snprintf(err, errlen, "optimizer '%s' wraps another optimizer: give it one (in Lua, inner = "
                 "gd.optimizer(...) or a name; in C, gdlab_optimizer_new_wrapping)", desc->h.name);
        return NULL;
    }
    return make(desc, params, err, errlen);
}

/* A copy of o, with copies of what it wraps. */
static gdlab_optimizer *copy(const gdlab_optimizer *o, char *err, size_t errlen)
{
    return o->inner ? gdlab_optimizer_new_wrapping(o->desc, o->params, o->inner, err, errlen)
                    : make(o->desc, o->params, err, errlen);
}

gdlab_optimizer *gdlab_optimizer_new_wrapping(const gdlab_optimizer_desc *desc, const double *params,
                                              const gdlab_optimizer *inner, char *err, size_t errlen)
{
    if (!gdlab_optimizer_wraps(desc)) {
        snprintf(err, errlen, "optimizer '%s' wraps nothing: make it with gdlab_optimizer_new",
                 desc->h.name);
        return NULL;
    }
    gdlab_optimizer *o = make(desc, params, err, errlen);
    if (o && !(o->inner = copy(inner, err, errlen))) {
        gdlab_optimizer_free(o);
        return NULL;
    }
    return o;
}

void gdlab_optimizer_free(gdlab_optimizer *o)
{
    if (!o) return;
    gdlab_optimizer_free(o->inner);
    free(o->params);
    free(o);
}

const gdlab_optimizer_desc *gdlab_optimizer_desc_of(const gdlab_optimizer *o) { return o->desc; }
const double *gdlab_optimizer_params(const gdlab_optimizer *o) { return o->params; }
const gdlab_optimizer *gdlab_optimizer_inner(const gdlab_optimizer *o) { return o->inner; }

double gdlab_optimizer_lr(const gdlab_optimizer *o)
{
    int i = gdlab_param_index(&o->desc->h, "lr");
    return i < 0 ? NAN : o->params[i];
}

/* ---- wrapped optimizers in a run ------------------------------------------------------------------ */

struct gdlab_inner_run {
    const gdlab_optimizer *o; /* the wrapped optimizer */
    void *state;
    gdlab_inner_run *deeper;  /* what it wraps in turn, if it is a wrapper too */
    gdlab_inner iface;
    char message[256];        /* its last error, with its name */
};

/* gdlab_inner.step: the wrapped optimizer's step with its own state, parameters and lr. */
static const char *inner_step(void *host, gdlab_step *s)
{
    gdlab_inner_run *r = host;
    gdlab_step own = *s;
    own.lr = gdlab_optimizer_lr(r->o);
    own.inner = gdlab_inner_of(r->deeper);
    const char *problem = r->o->desc->step(r->state, r->o->params, &own);
    if (!problem) return NULL;
    snprintf(r->message, sizeof r->message, "inner optimizer '%s': %s", r->o->desc->h.name, problem);
    return r->message;
}

void gdlab_inner_end(gdlab_inner_run *r)
{
    if (!r) return;
    gdlab_inner_end(r->deeper);
    free(r->state);
    free(r);
}

gdlab_inner_run *gdlab_inner_begin(const gdlab_optimizer *o, size_t dim, const double *x0, char *err,
                                   size_t errlen)
{
    gdlab_inner_run *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "run: out of memory");
        return NULL;
    }
    if (!o->inner) return r; /* a plain optimizer: nothing wrapped */
    const gdlab_optimizer_desc *d = o->inner->desc;
    const size_t size = d->state_size ? d->state_size(dim, o->inner->params) : 0;
    r->o = o->inner;
    r->iface = (gdlab_inner){inner_step, r};
    if ((size && !(r->state = calloc(1, size))) || !(r->deeper = gdlab_inner_begin(o->inner, dim, x0, err,
                                                                                    errlen))) {
        if (size && !r->state) snprintf(err, errlen, "run: out of memory");
        gdlab_inner_end(r);
        return NULL;
    }
    const char *problem = d->init ? d->init(r->state, dim, o->inner->params, x0) : NULL;
    if (problem) {
        snprintf(err, errlen, "inner optimizer '%s': %s", d->h.name, problem);
        gdlab_inner_end(r);
        return NULL;
    }
    return r;
}

const gdlab_inner *gdlab_inner_of(const gdlab_inner_run *r) { return r->o ? &r->iface : NULL; }
