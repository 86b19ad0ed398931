/* SPDX-License-Identifier: MIT */
/* contour.c — maps of a 2-D field: filled bands and/or contour lines at linear, log-spaced or log1p
 * levels, a colour bar, and the trajectories, landmarks and legend on top. A field given as a function
 * is sampled at the resolution of the output: one sample per device pixel on raster devices (so band
 * edges look smooth), a few hundred per side on vector devices (so files stay small). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig_internal.h"

#define MAX_LEVELS 256

void gdlab_contour_style_defaults(gdlab_contour_style *c)
{
    memset(c, 0, sizeof *c);
    c->levels.kind = GDLAB_LEVELS_LINEAR;
    c->levels.lo = c->levels.hi = NAN;
    c->lines = 1;
}

int gdlab_levels_parse(const char *text, gdlab_levels_kind *out, char *err, size_t errlen)
{
    static const char *const names[] = {"linear", "log", "log1p"};
    for (int i = 0; text && i < 3; i++)
        if (strcmp(text, names[i]) == 0) {
            *out = (gdlab_levels_kind)i;
            return 0;
        }
    snprintf(err, errlen, "unknown levels '%s'; valid: linear, log, log1p, a count or a list of values",
             text ? text : "(none)");
    return -1;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int gdlab_levels_compute(const gdlab_levels *lv, double zmin, double zmax, double *out, int cap,
                         char *err, size_t errlen)
{
    const int n = lv->kind == GDLAB_LEVELS_LIST ? lv->n : lv->n > 0 ? lv->n : 20;
    if (n < 1 || n > cap) {
        snprintf(err, errlen, "number of contour levels %d is out of range: 1 to %d", n, cap);
        return -1;
    }
    if (lv->kind == GDLAB_LEVELS_LIST) {
        for (int k = 0; k < n; k++) {
            if (!isfinite(lv->values[k])) {
                snprintf(err, errlen, "contour level %d is not a finite number", k + 1);
                return -1;
            }
            out[k] = lv->values[k];
        }
        qsort(out, (size_t)n, sizeof *out, cmp_double);
        return n;
    }
    if (!(zmax >= zmin)) {
        snprintf(err, errlen, "the field has no finite values to draw contours of");
        return -1;
    }
    const double range = zmax > zmin ? zmax - zmin : 1.0;
    double lo = lv->lo, hi = lv->hi;
    switch (lv->kind) {
    case GDLAB_LEVELS_LINEAR:
        if (!isfinite(lo) && !isfinite(hi) && zmax > zmin && n <= 50) { /* round values, as matplotlib */
            fig_ticks t;
            fig_ticks_linear(zmin, zmax, n, &t);
            int m = 0;
            for (int k = 0; k < t.n && m < cap; k++)
                if (t.major[k] > zmin && t.major[k] < zmax) out[m++] = t.major[k];
            if (m > 0) return m;
        }
        if (!isfinite(lo)) lo = zmin;
        if (!isfinite(hi)) hi = zmax;
        /* n levels strictly inside the range: the ends are single points */
        for (int k = 0; k < n; k++) out[k] = lo + (hi - lo) * (k + 1) / (n + 1);
        return n;
    case GDLAB_LEVELS_LOG: /* numpy.geomspace(lo, hi, n); by default 4 decades above the minimum */
        if (isfinite(lo) || isfinite(hi)) {
            if (!isfinite(lo)) lo = hi * 1e-4;
            if (!isfinite(hi)) hi = zmax;
            if (!(lo > 0) || !(hi > lo)) {
                snprintf(err, errlen, "log-spaced levels need 0 < lo < hi, got lo = %g, hi = %g", lo, hi);
                return -1;
            }
            for (int k = 0; k < n; k++) out[k] = lo * pow(hi / lo, n > 1 ? (double)k / (n - 1) : 0.0);
            return n;
        }
        for (int k = 0; k < n; k++)
            out[k] = zmin + range * 1e-4 * pow(1e4, n > 1 ? (double)k / (n - 1) : 1.0);
        return n;
    case GDLAB_LEVELS_LOG1P: { /* equal steps of u = log(1 + max(f, 0)), the seeds' np.log1p(np.clip(Z, 0, None)):
                                  where f < 0 (a saddle's lower half) u is 0 and there are no lines */
        const double ulo = log1p(fmax(isfinite(lo) ? lo : zmin, 0.0));
        const double uhi = log1p(fmax(isfinite(hi) ? hi : zmax, 0.0));
        if (!(uhi > ulo)) {
            snprintf(err, errlen, "log1p levels need values of f above %g (log1p of f clipped at 0); the field "
                     "spans [%g, %g]", fmax(isfinite(lo) ? lo : zmin, 0.0), zmin, zmax);
            return -1;
        }
        for (int k = 0; k < n; k++) out[k] = expm1(ulo + (uhi - ulo) * (k + 1) / (n + 1));
        return n;
    }
    case GDLAB_LEVELS_LIST: break;
    }
    return -1;
}

/* Samples of the field, their node coordinates (gx, gy) and the edges of the cell around each. */
typedef struct sampled {
    double *z, *gx, *gy, *ex, *ey;
    size_t nx, ny;
    double zmin, zmax;
} sampled;

static void sampled_free(sampled *s)
{
    free(s->z), free(s->gx), free(s->gy), free(s->ex), free(s->ey);
}

int fig_is_raster(const gdlab_figure *fig)
{
    static const char *const raster[] = {"png", "jpg", "bmp", "ppm", "tif"};
    for (size_t i = 0; fig->dev->extension && i < sizeof raster / sizeof raster[0]; i++)
        if (strcmp(fig->dev->extension, raster[i]) == 0) return 1;
    return fig->dev->interactive;
}

static int sample_field(const gdlab_figure *fig, const fig_panel_state *p, const gdlab_field *f,
                        size_t resolution, sampled *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    const int given = f->z != NULL;
    if (given) {
        s->nx = f->nx, s->ny = f->ny;
    } else if (resolution) {
        s->nx = s->ny = resolution;
    } else if (fig_is_raster(fig)) { /* one sample per pixel of the viewport */
        s->nx = (size_t)ceil((p->vp[1] - p->vp[0]) * fig->width);
        s->ny = (size_t)ceil((p->vp[3] - p->vp[2]) * fig->height);
    } else {
        s->nx = s->ny = 240;
    }
    if (s->nx < 2 || s->ny < 2 || s->nx > 4000 || s->ny > 4000) {
        snprintf(err, errlen, "field grid %zu x %zu is out of range: 2 to 4000 per side", s->nx, s->ny);
        return -1;
    }
    s->z = malloc(s->nx * s->ny * sizeof *s->z);
    s->gx = malloc(s->nx * sizeof *s->gx), s->gy = malloc(s->ny * sizeof *s->gy);
    s->ex = malloc((s->nx + 1) * sizeof *s->ex), s->ey = malloc((s->ny + 1) * sizeof *s->ey);
    if (!s->z || !s->gx || !s->gy || !s->ex || !s->ey) {
        sampled_free(s);
        snprintf(err, errlen, "out of memory for a %zu x %zu field", s->nx, s->ny);
        return -1;
    }
    const double x0 = f->xmin, x1 = f->xmax, y0 = f->ymin, y1 = f->ymax;
    for (size_t i = 0; i <= s->nx; i++) {
        if (given) { /* nodes at both ends; cells reach halfway to the neighbours */
            if (i < s->nx) s->gx[i] = x0 + (x1 - x0) * i / (s->nx - 1);
            s->ex[i] = i == 0 ? x0 : i == s->nx ? x1 : x0 + (x1 - x0) * (i - 0.5) / (s->nx - 1);
        } else {     /* nodes at the centres of nx equal cells */
            if (i < s->nx) s->gx[i] = x0 + (x1 - x0) * (i + 0.5) / s->nx;
            s->ex[i] = x0 + (x1 - x0) * i / s->nx;
        }
    }
    for (size_t j = 0; j <= s->ny; j++) {
        if (given) {
            if (j < s->ny) s->gy[j] = y0 + (y1 - y0) * j / (s->ny - 1);
            s->ey[j] = j == 0 ? y0 : j == s->ny ? y1 : y0 + (y1 - y0) * (j - 0.5) / (s->ny - 1);
        } else {
            if (j < s->ny) s->gy[j] = y0 + (y1 - y0) * (j + 0.5) / s->ny;
            s->ey[j] = y0 + (y1 - y0) * j / s->ny;
        }
    }
    s->zmin = HUGE_VAL, s->zmax = -HUGE_VAL;
    for (size_t j = 0; j < s->ny; j++)
        for (size_t i = 0; i < s->nx; i++) {
            const double v = given ? f->z[j * s->nx + i] : f->f(f->ctx, s->gx[i], s->gy[j]);
            s->z[j * s->nx + i] = v;
            if (isfinite(v)) s->zmin = fmin(s->zmin, v), s->zmax = fmax(s->zmax, v);
        }
    return 0;
}

static void draw_isoline(void *ctx, const double *x, const double *y, size_t n)
{
    (void)ctx;
    fig_polyline(x, y, n);
}

/* Coloured lines stop short of the palest end of the map, which vanishes on a light page. */
static double line_span(const gdlab_figure *fig)
{
    return fig->theme.dark ? 1.0 : 0.85;
}

static void draw_contours(gdlab_figure *fig, const gdlab_contour_style *st, const sampled *s,
                          const double *levels, int n, const char *cmap)
{
    fig_width(fig, st->line_width > 0 ? st->line_width : 0.8);
    for (int k = 0; k < n; k++) {
        gdlab_rgba c = st->line_color;
        if (!fig_rgba_is_set(&c)) {
            if (st->filled) {
                c = fig->theme.dark ? (gdlab_rgba){0, 0, 0, 0.35} : (gdlab_rgba){255, 255, 255, 0.45};
            } else {
                c = gdlab_colormap_at(cmap, n > 1 ? line_span(fig) * k / (n - 1) : 0.5);
                c.a = 0.9;
            }
        }
        fig_color(&c);
        isolines(s->z, s->nx, s->ny, s->gx, s->gy, levels[k], draw_isoline, NULL);
    }
}

typedef struct contour_job {
    const gdlab_axes *axes;
    gdlab_field field;
    const gdlab_contour_style *style;
    const char *cmap;
    const gdlab_series *paths;
    size_t n_paths;
    const gdlab_point_mark *marks;
    size_t n_marks;
    const gdlab_legend_entry *extra;
    size_t n_extra;
} contour_job;

static void contour_colorbar(gdlab_figure *fig, const fig_panel_state *p, const contour_job *j,
                             const sampled *s, const double *levels, int n)
{
    double edges[MAX_LEVELS + 2];
    int ne = 0;
    if (j->style->filled) edges[ne++] = fmin(s->zmin, levels[0]);
    for (int k = 0; k < n; k++) edges[ne++] = levels[k];
    if (j->style->filled) edges[ne++] = fmax(s->zmax, levels[n - 1]);
    const int coloured_lines = !j->style->filled && !fig_rgba_is_set(&j->style->line_color);
    fig_colorbar(fig, p, j->cmap, edges, ne, 1, 0, coloured_lines ? line_span(fig) : 1.0,
                 j->style->colorbar_label);
}

static int contour_body(gdlab_figure *fig, void *ctx, char *err, size_t errlen)
{
    const contour_job *j = ctx;
    const gdlab_axes *a = j->axes;
    const gdlab_contour_style *st = j->style;
    const double right = st->colorbar && !fig->mono
                             ? fig_colorbar_room(fig, st->colorbar_label != NULL)
                             : 0.0;
    fig_panel_state *p;
    fig_axes_layout lay;
    if (fig_axes_begin(fig, a, isfinite(a->xmin) ? a->xmin : j->field.xmin,
                       isfinite(a->xmax) ? a->xmax : j->field.xmax,
                       isfinite(a->ymin) ? a->ymin : j->field.ymin,
                       isfinite(a->ymax) ? a->ymax : j->field.ymax, right, &p, &lay, err, errlen))
        return -1;
    sampled s;
    if (sample_field(fig, p, &j->field, st->resolution, &s, err, errlen)) return -1;
    double levels[MAX_LEVELS];
    const int n = gdlab_levels_compute(&st->levels, s.zmin, s.zmax, levels, MAX_LEVELS, err, errlen);
    int rc = n < 0 ? -1 : 0;
    if (rc == 0 && st->filled && !fig->mono) { /* black and white: the lines tell the levels */
        gdlab_rgba colors[MAX_LEVELS + 1];
        for (int b = 0; b <= n; b++) colors[b] = gdlab_colormap_at(j->cmap, n > 0 ? (double)b / n : 0.5);
        if (fill_bands(s.z, s.nx, s.ny, s.ex, s.ey, levels, n, colors)) {
            snprintf(err, errlen, "contour: out of memory filling bands");
            rc = -1;
        }
    }
    if (rc == 0) {
        if (st->lines || fig->mono) draw_contours(fig, st, &s, levels, n, j->cmap);
        fig_axes_grid(fig, a, p, &lay);
        for (size_t i = 0; i < j->n_paths; i++) fig_series_draw(fig, p, &j->paths[i]);
        for (size_t i = 0; i < j->n_marks; i++) fig_mark_draw(fig, p, &j->marks[i]);
        fig_legend legend = {.n = 0};
        fig_legend_add_series(&legend, j->paths, j->n_paths);
        fig_legend_add(&legend, j->extra, j->n_extra);
        fig_legend_add_marks(&legend, j->marks, j->n_marks);
        fig_legend_draw(fig, p, &legend, a->legend, j->paths, j->n_paths);
        if (st->colorbar && !fig->mono) contour_colorbar(fig, p, j, &s, levels, n);
        fig_axes_end(fig, a, p, &lay);
    }
    sampled_free(&s);
    return rc;
}

int gdlab_figure_contour(gdlab_figure *fig, const gdlab_axes *axes, const gdlab_field *field,
                         const gdlab_contour_style *style, const gdlab_series *paths, size_t n_paths,
                         const gdlab_point_mark *marks, size_t n_marks,
                         const gdlab_legend_entry *extra, size_t n_extra, char *err, size_t errlen)
{
    if (!field->f && !field->z) {
        snprintf(err, errlen, "contour: the field has neither a function nor samples");
        return -1;
    }
    if (axes->xlog || axes->ylog) {
        snprintf(err, errlen, "contour: maps have linear axes (use a heatmap for log-spaced grids)");
        return -1;
    }
    contour_job j = {axes, *field, style, style->colormap ? style->colormap : fig->colormap,
                     paths, n_paths, marks, n_marks, extra, n_extra};
    if (gdlab_colormap_check(j.cmap, err, errlen)) return -1;
    if (!field->z) { /* a function is sampled over what the axes show */
        if (isfinite(axes->xmin)) j.field.xmin = axes->xmin;
        if (isfinite(axes->xmax)) j.field.xmax = axes->xmax;
        if (isfinite(axes->ymin)) j.field.ymin = axes->ymin;
        if (isfinite(axes->ymax)) j.field.ymax = axes->ymax;
    }
    return fig_run(fig, contour_body, &j, err, errlen);
}
