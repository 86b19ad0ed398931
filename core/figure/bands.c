/* SPDX-License-Identifier: MIT */
/* bands.c — filled contours by the painter's method: paint the region where the field is finite in the
 * lowest colour, then for each level the region at or above it, each over the last. Regions are built
 * from runs of cells along each row; runs that continue each other from row to row are merged into
 * one staircase polygon, so a smooth field needs a handful of fills per level instead of one per cell
 * (PLplot's plshades and plimage fill every cell and were the slowest part of a figure). Painting
 * superlevel sets over each other also leaves no seams between bands. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fig_internal.h"

typedef struct chain {
    size_t j0, rows, cap;
    size_t a, b;         /* the last run: cells a .. b-1 */
    double *xl, *xr;     /* left and right x of each row's run */
    int claimed;
} chain;

typedef struct painter {
    const double *ex, *ey;
    chain *chains;
    size_t n, cap;
    PLFLT *px, *py;      /* polygon scratch */
    size_t pcap;
    int oom;
} painter;

static int chain_push(chain *c, double xl, double xr)
{
    if (c->rows == c->cap) {
        const size_t cap = c->cap ? 2 * c->cap : 16;
        double *l = realloc(c->xl, cap * sizeof *l), *r = realloc(c->xr, cap * sizeof *r);
        if (l) c->xl = l;
        if (r) c->xr = r;
        if (!l || !r) return -1;
        c->cap = cap;
    }
    c->xl[c->rows] = xl, c->xr[c->rows] = xr, c->rows++;
    return 0;
}

/* Fill the chain's staircase polygon: up the left side, down the right side. */
static void chain_fill(painter *p, const chain *c)
{
    const size_t need = 4 * c->rows;
    if (need > p->pcap) {
        PLFLT *x = realloc(p->px, need * sizeof *x), *y = realloc(p->py, need * sizeof *y);
        if (x) p->px = x;
        if (y) p->py = y;
        if (!x || !y) {
            p->oom = 1;
            return;
        }
        p->pcap = need;
    }
    size_t k = 0;
    for (size_t r = 0; r < c->rows; r++) {
        const double y0 = p->ey[c->j0 + r], y1 = p->ey[c->j0 + r + 1];
        if (k == 0 || p->px[k - 1] != c->xl[r]) p->px[k] = c->xl[r], p->py[k] = y0, k++;
        p->px[k] = c->xl[r], p->py[k] = y1, k++;
    }
    for (size_t r = c->rows; r-- > 0;) {
        const double y0 = p->ey[c->j0 + r], y1 = p->ey[c->j0 + r + 1];
        if (r == c->rows - 1 || p->px[k - 1] != c->xr[r]) p->px[k] = c->xr[r], p->py[k] = y1, k++;
        p->px[k] = c->xr[r], p->py[k] = y0, k++;
    }
    if (k >= 3) plfill((PLINT)k, p->px, p->py);
}

static void chain_free(chain *c)
{
    free(c->xl);
    free(c->xr);
}

static int in_region(double z, double level)
{
    return isfinite(z) && z >= level;
}

/* One layer: everything where z >= level (level -inf: everything finite). */
static void paint_layer(painter *p, const double *z, size_t nx, size_t ny, double level)
{
    p->n = 0;
    for (size_t j = 0; j < ny && !p->oom; j++) {
        for (size_t c = 0; c < p->n; c++) p->chains[c].claimed = 0;
        size_t first_open = 0; /* chains are kept sorted by their last run */
        const size_t n_before = p->n;
        for (size_t i = 0; i < nx;) {
            if (!in_region(z[j * nx + i], level)) {
                i++;
                continue;
            }
            size_t a = i;
            while (i < nx && in_region(z[j * nx + i], level)) i++;
            const size_t b = i;
            /* The first unclaimed chain from the previous row that overlaps a .. b-1. */
            size_t c = first_open;
            while (c < n_before && (p->chains[c].claimed || p->chains[c].b <= a)) c++;
            if (c < n_before && p->chains[c].a < b) {
                chain *ch = &p->chains[c];
                ch->claimed = 1, ch->a = a, ch->b = b;
                if (chain_push(ch, p->ex[a], p->ex[b])) p->oom = 1;
                first_open = c + 1;
                continue;
            }
            if (p->n == p->cap) {
                const size_t cap = p->cap ? 2 * p->cap : 16;
                chain *grown = realloc(p->chains, cap * sizeof *grown);
                if (!grown) {
                    p->oom = 1;
                    break;
                }
                p->chains = grown, p->cap = cap;
            }
            chain *ch = &p->chains[p->n++];
            *ch = (chain){j, 0, 0, a, b, NULL, NULL, 1};
            if (chain_push(ch, p->ex[a], p->ex[b])) p->oom = 1;
        }
        /* Chains of the previous row that nothing continued are finished. */
        size_t kept = 0;
        for (size_t c = 0; c < p->n; c++) {
            if (c < n_before && !p->chains[c].claimed) {
                chain_fill(p, &p->chains[c]);
                chain_free(&p->chains[c]);
            } else {
                p->chains[kept++] = p->chains[c];
            }
        }
        p->n = kept;
        /* Keep them sorted by position for the next row. */
        for (size_t c = 1; c < p->n; c++)
            for (size_t d = c; d > 0 && p->chains[d - 1].a > p->chains[d].a; d--) {
                chain t = p->chains[d];
                p->chains[d] = p->chains[d - 1], p->chains[d - 1] = t;
            }
    }
    for (size_t c = 0; c < p->n; c++) {
        if (!p->oom) chain_fill(p, &p->chains[c]);
        chain_free(&p->chains[c]);
    }
    p->n = 0;
}

int fill_bands(const double *z, size_t nx, size_t ny, const double *ex, const double *ey,
               const double *levels, int n_levels, const gdlab_rgba *colors)
{
    painter p = {ex, ey, NULL, 0, 0, NULL, NULL, 0, 0};
    for (int k = -1; k < n_levels && !p.oom; k++) {
        fig_color(&colors[k + 1]);
        paint_layer(&p, z, nx, ny, k < 0 ? -HUGE_VAL : levels[k]);
    }
    free(p.chains);
    free(p.px);
    free(p.py);
    return p.oom ? -1 : 0;
}
