/* SPDX-License-Identifier: MIT */
/* fingerprint.c — a hash of what decides a sweep's results, compared across ranks before they share
 * one. FNV-1a (Fowler, Noll, Vo) over the values' bytes: not for security, only to notice that two
 * ranks' scripts went different ways (a random seed taken from the clock, a rank-dependent value). */
#include <string.h>

#include "mpi_internal.h"

static uint64_t mix(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211u;
    return h;
}

static uint64_t mix_text(uint64_t h, const char *s)
{
    return mix(h, s, strlen(s) + 1);
}

uint64_t mpi_sweep_fingerprint(const gdlab_sweep_spec *sp, size_t n_runs)
{
    uint64_t h = 14695981039346656037u;
    const gdlab_surface_desc *sd = gdlab_surface_desc_of(sp->s);
    const size_t dim = gdlab_surface_dim(sp->s);
    h = mix_text(h, sd->h.name);
    h = mix(h, &dim, sizeof dim);
    h = mix(h, gdlab_surface_params(sp->s), sd->h.n_params * sizeof(double));
    h = mix_text(h, sp->d->h.name);
    if (sp->base) h = mix(h, sp->base, sp->d->h.n_params * sizeof(double));
    h = mix(h, &n_runs, sizeof n_runs);
    for (size_t k = 0; k < sp->n_axes; k++) {
        h = mix_text(h, sp->axes[k].param);
        h = mix(h, sp->axes[k].values, sp->axes[k].n * sizeof(double));
    }
    const gdlab_run_config *c = sp->cfg;
    if (c->start) h = mix(h, c->start, dim * sizeof(double));
    const double numbers[] = {c->tol, c->gtol, c->bound, c->blowup};
    const uint64_t counts[] = {c->max_steps, c->seed, c->schedule != NULL};
    h = mix(h, numbers, sizeof numbers);
    return mix(h, counts, sizeof counts);
}
