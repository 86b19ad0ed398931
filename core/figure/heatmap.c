/* SPDX-License-Identifier: MIT */
/* heatmap.c — sweep results as coloured cells (pcolormesh-like) with a colour bar, an optional log
 * colour scale, contour lines of chosen values (e.g. a divergence boundary) and cell annotations.
 * Cell edges lie halfway between the given centres (in log space on log axes). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig_internal.h"

/* Edges (n + 1) around n increasing centres, in world units (log10 on log axes). */
static int cell_edges(const double *c, size_t n, int logscale, double *w, double *e)
{
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(c[i]) || (logscale && c[i] <= 0)) return -1;
        w[i] = logscale ? log10(c[i]) : c[i];
        if (i > 0 && !(w[i] > w[i - 1])) return -1;
    }
    const double step = n > 1 ? w[1] - w[0] : 1.0, last = n > 1 ? w[n - 1] - w[n - 2] : 1.0;
    e[0] = w[0] - step / 2;
    for (size_t i = 1; i < n; i++) e[i] = (w[i - 1] + w[i]) / 2;
    e[n] = w[n - 1] + last / 2;
    return 0;
}

typedef struct heat_job {
    const gdlab_axes *axes;
    const gdlab_heatmap *h;
    double *wx, *wy, *ex, *ey; /* centres and edges in world units */
    double *zd;                /* z in display units (log10 when log) */
    double *zc;                /* zd for contour lines: missing cells (diverged runs) above every value */
    double lo, hi;             /* colour range in display units (log10 when log) */
    const char *cmap;
    gdlab_rgba page;           /* what shaded category cells fade towards */
} heat_job;

static double display(const gdlab_heatmap *h, double z)
{
    return h->log ? (z > 0 ? log10(z) : NAN) : z;
}

/* Category colours, mixed towards the page by the cell's shade. */
static gdlab_rgba category_color(const heat_job *j, size_t cell)
{
    const gdlab_heatmap *h = j->h;
    const double z = h->z[cell];
    if (!(z >= 0 && z < (double)h->n_categories) || z != floor(z)) return h->missing;
    gdlab_rgba c = h->categories[(size_t)z];
    const double t = h->shade && isfinite(h->shade[cell]) ? 0.75 * fmin(fmax(h->shade[cell], 0.0), 1.0) : 0.0;
    c.r = (unsigned char)lround(c.r + (j->page.r - c.r) * t);
    c.g = (unsigned char)lround(c.g + (j->page.g - c.g) * t);
    c.b = (unsigned char)lround(c.b + (j->page.b - c.b) * t);
    return c;
}

static gdlab_rgba cell_color(const heat_job *j, size_t cell)
{
    if (j->h->categories) return category_color(j, cell);
    const double v = display(j->h, j->h->z[cell]);
    if (!isfinite(v)) return j->h->missing;
    return gdlab_colormap_at(j->cmap, j->hi > j->lo ? (v - j->lo) / (j->hi - j->lo) : 0.5);
}

static int same(const gdlab_rgba *a, const gdlab_rgba *b)
{
    return a->r == b->r && a->g == b->g && a->b == b->b && a->a == b->a;
}

static void draw_cells(gdlab_figure *fig, const fig_panel_state *p, const heat_job *j)
{
    const gdlab_heatmap *h = j->h;
    /* A hair of overlap hides antialiasing seams between neighbouring cells. */
    const double ox = fig_world_per_px_x(fig, p) * 0.4, oy = fig_world_per_px_y(fig, p) * 0.4;
    for (size_t r = 0; r < h->ny; r++)
        for (size_t i = 0; i < h->nx;) {
            const gdlab_rgba c = cell_color(j, r * h->nx + i);
            size_t k = i + 1; /* merge equal neighbours into one rectangle */
            while (k < h->nx) {
                const gdlab_rgba d = cell_color(j, r * h->nx + k);
                if (!same(&c, &d)) break;
                k++;
            }
            if (c.a > 0) {
                const double x0 = j->ex[i], x1 = j->ex[k] + (k < h->nx ? ox : 0);
                const double y0 = j->ey[r], y1 = j->ey[r + 1] + (r + 1 < h->ny ? oy : 0);
                PLFLT px[4] = {x0, x1, x1, x0}, py[4] = {y0, y0, y1, y1};
                fig_color(&c);
                plfill(4, px, py);
            }
            i = k;
        }
}

static void annotate_cells(gdlab_figure *fig, const fig_panel_state *p, const heat_job *j)
{
    const gdlab_heatmap *h = j->h;
    fig_font(fig, FIG_PT(8), 0, 0);
    const double sx = (p->vp[1] - p->vp[0]) / (p->win[1] - p->win[0]);
    const double sy = (p->vp[3] - p->vp[2]) / (p->win[3] - p->win[2]);
    for (size_t r = 0; r < h->ny; r++)
        for (size_t i = 0; i < h->nx; i++) {
            const double z = h->z[r * h->nx + i];
            if (!isfinite(z)) continue;
            const gdlab_rgba c = cell_color(j, r * h->nx + i);
            /* Dark text on light cells, light on dark (Rec. 601 luma). */
            const double luma = 0.299 * c.r + 0.587 * c.g + 0.114 * c.b;
            const gdlab_rgba t = luma > 140 ? (gdlab_rgba){20, 20, 20, 1} : (gdlab_rgba){245, 245, 245, 1};
            char text[32];
            snprintf(text, sizeof text, "%.2g", z);
            fig_color(&t);
            fig_text_ndc(fig, p->vp[0] + (j->wx[i] - p->win[0]) * sx, p->vp[2] + (j->wy[r] - p->win[2]) * sy,
                         0.5, 0, text);
        }
    fig_panel_select(p);
}

static void draw_isoline(void *ctx, const double *x, const double *y, size_t n)
{
    (void)ctx;
    fig_polyline(x, y, n);
}

static int heat_body(gdlab_figure *fig, void *ctx, char *err, size_t errlen)
{
    heat_job *j = ctx;
    const gdlab_heatmap *h = j->h;
    const gdlab_axes *a = j->axes;
    /* Limits are the cell edges unless given; the axes take data units. */
    double lim[4] = {j->ex[0], j->ex[h->nx], j->ey[0], j->ey[h->ny]};
    if (a->xlog) lim[0] = pow(10.0, lim[0]), lim[1] = pow(10.0, lim[1]);
    if (a->ylog) lim[2] = pow(10.0, lim[2]), lim[3] = pow(10.0, lim[3]);
    if (isfinite(a->xmin)) lim[0] = a->xmin, lim[1] = a->xmax;
    if (isfinite(a->ymin)) lim[2] = a->ymin, lim[3] = a->ymax;
    const double right = h->categories ? 0.0 : fig_colorbar_room(fig, h->colorbar_label != NULL);
    fig_panel_state *p;
    fig_axes_layout lay;
    if (fig_axes_begin(fig, a, lim[0], lim[1], lim[2], lim[3], right, &p, &lay, err, errlen)) return -1;
    draw_cells(fig, p, j);
    if (h->contours && h->n_contours) { /* on a log colour scale, interpolate in log too */
        fig_color(&h->contour_color);
        fig_width(fig, 1.6);
        for (size_t k = 0; k < h->n_contours; k++)
            isolines(j->zc, h->nx, h->ny, j->wx, j->wy, display(h, h->contours[k]), draw_isoline, NULL);
    }
    if (h->annotate) annotate_cells(fig, p, j);
    for (size_t k = 0; k < h->n_overlays; k++) fig_series_draw(fig, p, &h->overlays[k]);
    fig_legend l = {.n = 0};
    fig_legend_add_series(&l, h->overlays, h->n_overlays);
    if (h->categories) {
        for (size_t c = 0; c < h->n_categories && h->category_labels; c++) {
            const gdlab_legend_entry e = {.label = h->category_labels[c], .color = h->categories[c],
                                          .marker = GDLAB_MARKER_SQUARE, .marker_size = 10.0};
            fig_legend_add(&l, &e, 1);
        }
    } else {
        const double edges[2] = {j->lo, j->hi};
        fig_colorbar(fig, p, j->cmap, edges, 2, 0, h->log, 1.0, h->colorbar_label);
    }
    fig_legend_draw(fig, p, &l, a->legend, h->overlays, h->n_overlays);
    fig_axes_end(fig, a, p, &lay);
    return 0;
}

int gdlab_figure_heatmap(gdlab_figure *fig, const gdlab_axes *axes, const gdlab_heatmap *h,
                         char *err, size_t errlen)
{
    if (fig->mono) {
        snprintf(err, errlen, "heatmap: device '%s' draws in black and white only; use psc, pscairo or "
                 "pdfcairo", fig->dev->name);
        return -1;
    }
    if (h->nx < 1 || h->ny < 1 || !h->x || !h->y || !h->z) {
        snprintf(err, errlen, "heatmap: x, y and z are required (got %zu x %zu cells)", h->nx, h->ny);
        return -1;
    }
    heat_job j = {axes, h, NULL, NULL, NULL, NULL, NULL, NULL, NAN, NAN, h->colormap ? h->colormap : fig->colormap,
                  fig->theme.page};
    if (gdlab_colormap_check(j.cmap, err, errlen)) return -1;
    if (h->categories && (h->n_categories == 0 || h->n_categories > 64)) {
        snprintf(err, errlen, "heatmap: %zu categories; 1 to 64 allowed", h->n_categories);
        return -1;
    }
    double *buf = malloc((2 * (h->nx + h->ny) + 2 + 2 * h->nx * h->ny) * sizeof *buf);
    if (!buf) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    j.wx = buf, j.ex = buf + h->nx, j.wy = buf + 2 * h->nx + 1, j.ey = j.wy + h->ny;
    j.zd = j.ey + h->ny + 1;
    j.zc = j.zd + h->nx * h->ny;
    for (size_t i = 0; i < h->nx * h->ny; i++) j.zd[i] = display(h, h->z[i]);
    int rc = -1;
    if (cell_edges(h->x, h->nx, axes->xlog, j.wx, j.ex) || cell_edges(h->y, h->ny, axes->ylog, j.wy, j.ey)) {
        snprintf(err, errlen, "heatmap: x and y must be finite, increasing%s", axes->xlog || axes->ylog ? " and positive on log axes" : "");
        goto done;
    }
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (size_t i = 0; i < h->nx * h->ny; i++) {
        const double v = display(h, h->z[i]);
        if (isfinite(v)) lo = fmin(lo, v), hi = fmax(hi, v);
    }
    /* A contour line goes round missing cells as if they held more than anything (a diverged run's
     * loss), so a boundary such as final loss = 10⁻³ stays whole next to the diverged region. */
    double above = hi;
    for (size_t k = 0; k < h->n_contours; k++) above = fmax(above, display(h, h->contours[k]));
    above = isfinite(above) ? above + fabs(above) + 1.0 : 1.0;
    for (size_t i = 0; i < h->nx * h->ny; i++) j.zc[i] = isfinite(j.zd[i]) ? j.zd[i] : above;
    if (h->categories) lo = 0, hi = (double)h->n_categories - 1; /* no colour scale */
    if (isfinite(h->zmin)) lo = display(h, h->zmin);
    if (isfinite(h->zmax)) hi = display(h, h->zmax);
    if (!(hi >= lo)) {
        snprintf(err, errlen, "heatmap: z has no finite%s values to colour", h->log ? " positive" : "");
        goto done;
    }
    if (hi == lo) hi = lo + 1;
    j.lo = lo, j.hi = hi;
    gdlab_heatmap copy = *h;
    if (!fig_rgba_is_set(&copy.missing)) copy.missing = fig->theme.grid;
    j.h = &copy;
    rc = fig_run(fig, heat_body, &j, err, errlen);
done:
    free(buf);
    return rc;
}
