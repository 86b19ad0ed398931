/* SPDX-License-Identifier: MIT */
/* isolines.c — contour lines of gridded samples by marching squares, traced into polylines (one
 * PLplot call per line instead of one per cell: PLplot's own plcont took half of a figure's time).
 * Cell ambiguities (saddles) are resolved with the mean of the four corners, the usual rule
 * (Lorensen and Cline's marching cubes, 1987, in 2-D). Non-finite samples end lines. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fig_internal.h"

/* Edges: horizontal ones H(i, j) join (i, j)-(i+1, j), vertical ones V(i, j) join (i, j)-(i, j+1).
 * Edge ids: H(i, j) = j * nx + i, V(i, j) = nx * ny + j * nx + i. */
typedef struct tracer {
    const double *z;
    size_t nx, ny;
    double level;
    const double *gx, *gy;      /* node coordinates */
    unsigned char *used;        /* per edge id */
    double *px, *py;            /* the polyline being traced */
    size_t n, cap;
    isoline_sink sink;
    void *ctx;
} tracer;

static int above(const tracer *t, size_t i, size_t j)
{
    return t->z[j * t->nx + i] >= t->level;
}

static int finite_at(const tracer *t, size_t i, size_t j)
{
    return isfinite(t->z[j * t->nx + i]);
}

static size_t h_id(const tracer *t, size_t i, size_t j) { return j * t->nx + i; }
static size_t v_id(const tracer *t, size_t i, size_t j) { return t->nx * t->ny + j * t->nx + i; }

/* Does edge id cross the level? */
static int crosses(const tracer *t, size_t id)
{
    const size_t nn = t->nx * t->ny;
    size_t i0, j0, i1, j1;
    if (id < nn) {
        i0 = id % t->nx, j0 = id / t->nx, i1 = i0 + 1, j1 = j0;
        if (i1 >= t->nx) return 0;
    } else {
        i0 = (id - nn) % t->nx, j0 = (id - nn) / t->nx, i1 = i0, j1 = j0 + 1;
        if (j1 >= t->ny) return 0;
    }
    if (!finite_at(t, i0, j0) || !finite_at(t, i1, j1)) return 0;
    return above(t, i0, j0) != above(t, i1, j1);
}

static void crossing_point(const tracer *t, size_t id, double *x, double *y)
{
    const size_t nn = t->nx * t->ny;
    size_t i0, j0, i1, j1;
    if (id < nn)
        i0 = id % t->nx, j0 = id / t->nx, i1 = i0 + 1, j1 = j0;
    else
        i0 = (id - nn) % t->nx, j0 = (id - nn) / t->nx, i1 = i0, j1 = j0 + 1;
    const double a = t->z[j0 * t->nx + i0], b = t->z[j1 * t->nx + i1];
    const double f = (t->level - a) / (b - a);
    *x = t->gx[i0] + f * (t->gx[i1] - t->gx[i0]);
    *y = t->gy[j0] + f * (t->gy[j1] - t->gy[j0]);
}

/* The four edges of cell (i, j) in the order bottom, right, top, left. */
static void cell_edges(const tracer *t, size_t i, size_t j, size_t e[4])
{
    e[0] = h_id(t, i, j), e[1] = v_id(t, i + 1, j), e[2] = h_id(t, i, j + 1), e[3] = v_id(t, i, j);
}

static int cell_valid(const tracer *t, long i, long j)
{
    if (i < 0 || j < 0 || (size_t)i + 1 >= t->nx || (size_t)j + 1 >= t->ny) return 0;
    return finite_at(t, (size_t)i, (size_t)j) && finite_at(t, (size_t)i + 1, (size_t)j) &&
           finite_at(t, (size_t)i, (size_t)j + 1) && finite_at(t, (size_t)i + 1, (size_t)j + 1);
}

/* The edge that continues a line entering cell (i, j) through its side `in` (0..3), or -1. */
static int exit_side(const tracer *t, size_t i, size_t j, int in)
{
    size_t e[4];
    cell_edges(t, i, j, e);
    int cross[4], count = 0;
    for (int k = 0; k < 4; k++) count += cross[k] = crosses(t, e[k]);
    if (!cross[in]) return -1;
    if (count == 2) {
        for (int k = 0; k < 4; k++)
            if (k != in && cross[k]) return k;
        return -1;
    }
    if (count != 4) return -1;
    /* Saddle: the corner values alternate. If the centre is on the same side as the bottom-left
     * corner, the lines separate that corner and the top-right one from the centre. */
    const double *z = t->z;
    const size_t nx = t->nx;
    const double centre = (z[j * nx + i] + z[j * nx + i + 1] + z[(j + 1) * nx + i] +
                           z[(j + 1) * nx + i + 1]) / 4.0;
    const int bl_like_centre = (z[j * nx + i] >= t->level) == (centre >= t->level);
    /* Sides around the bottom-left corner: bottom(0)-left(3); top-right: right(1)-top(2). */
    static const int pair_corners[4] = {3, 2, 1, 0};     /* bottom<->left, right<->top */
    static const int pair_other[4] = {1, 0, 3, 2};       /* bottom<->right, top<->left */
    return bl_like_centre ? pair_other[in] : pair_corners[in];
}

static int push_point(tracer *t, double x, double y)
{
    if (t->n == t->cap) {
        const size_t cap = t->cap ? 2 * t->cap : 256;
        double *px = realloc(t->px, cap * sizeof *px), *py = realloc(t->py, cap * sizeof *py);
        if (px) t->px = px;
        if (py) t->py = py;
        if (!px || !py) {
            fig_out_of_memory("a contour line");
            return -1;
        }
        t->cap = cap;
    }
    t->px[t->n] = x, t->py[t->n] = y, t->n++;
    return 0;
}

/* The neighbour of cell (i, j) across side s, and the side it is entered through. */
static void across(long *i, long *j, int s, int *in)
{
    static const int di[4] = {0, 1, 0, -1}, dj[4] = {-1, 0, 1, 0};
    *i += di[s], *j += dj[s];
    *in = (s + 2) % 4;
}

/* Follow a line from edge `start`, into cell (i, j) through side `in`. */
static void trace(tracer *t, size_t start, long i, long j, int in)
{
    double x, y;
    t->n = 0;
    crossing_point(t, start, &x, &y);
    push_point(t, x, y);
    t->used[start] = 1;
    while (cell_valid(t, i, j)) {
        const int out = exit_side(t, (size_t)i, (size_t)j, in);
        if (out < 0) break;
        size_t e[4];
        cell_edges(t, (size_t)i, (size_t)j, e);
        crossing_point(t, e[out], &x, &y);
        if (push_point(t, x, y)) break;
        if (t->used[e[out]]) break; /* closed the loop */
        t->used[e[out]] = 1;
        across(&i, &j, out, &in);
    }
    if (t->n >= 2) t->sink(t->ctx, t->px, t->py, t->n);
}

/* Start at edge id, going into whichever neighbouring cell holds the line. */
static void trace_from(tracer *t, size_t id, int boundary_only)
{
    const size_t nn = t->nx * t->ny;
    long ia, ja, ib, jb;
    int in_a, in_b;
    if (id < nn) { /* horizontal edge: cells below (side top=2) and above (side bottom=0) */
        ia = (long)(id % t->nx), ja = (long)(id / t->nx) - 1, in_a = 2;
        ib = ia, jb = ja + 1, in_b = 0;
    } else {       /* vertical edge: cells left (side right=1) and right (side left=3) */
        ia = (long)((id - nn) % t->nx) - 1, ja = (long)((id - nn) / t->nx), in_a = 1;
        ib = ia + 1, jb = ja, in_b = 3;
    }
    const int va = cell_valid(t, ia, ja), vb = cell_valid(t, ib, jb);
    if (boundary_only && va && vb) return; /* interior: done in the second pass */
    if (vb)
        trace(t, id, ib, jb, in_b);
    else if (va)
        trace(t, id, ia, ja, in_a);
}

int isolines(const double *z, size_t nx, size_t ny, const double *gx, const double *gy,
             double level, isoline_sink sink, void *ctx)
{
    if (nx < 2 || ny < 2) return 0;
    tracer t = {z, nx, ny, level, gx, gy, calloc(2 * nx * ny, 1), NULL, NULL, 0, 0, sink, ctx};
    if (!t.used) {
        fig_out_of_memory("contour lines");
        return -1;
    }
    /* Open lines first, from edges on the border of the valid region, then the closed loops. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t id = 0; id < 2 * nx * ny; id++)
            if (!t.used[id] && crosses(&t, id)) trace_from(&t, id, pass == 0);
    free(t.used);
    free(t.px);
    free(t.py);
    return 0;
}
