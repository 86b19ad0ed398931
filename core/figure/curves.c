/* SPDX-License-Identifier: MIT */
/* curves.c — x–y panels: loss curves (log or linear y, threshold lines), 1-D views of a surface with
 * the trajectory on the curve, derived quantities as lines with markers, and bar charts. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fig_internal.h"

#define REF_FONT_PX FIG_PT(9)

/* Limits: the caller's, else the data's with a small margin. */
static int resolve_limits(const gdlab_axes *a, double lim[4], char *err, size_t errlen)
{
    if (!(lim[1] >= lim[0]) || !(lim[3] >= lim[2])) {
        snprintf(err, errlen, "nothing to plot: no finite%s data", a->xlog || a->ylog ? " positive" : "");
        return -1;
    }
    fig_limits_pad(&lim[0], &lim[1], a->xlog, 0.03);
    fig_limits_pad(&lim[2], &lim[3], a->ylog, 0.05);
    if (isfinite(a->xmin)) lim[0] = a->xmin;
    if (isfinite(a->xmax)) lim[1] = a->xmax;
    if (isfinite(a->ymin)) lim[2] = a->ymin;
    if (isfinite(a->ymax)) lim[3] = a->ymax;
    return 0;
}

static void include_point(double lim[4], const gdlab_axes *a, double x, double y)
{
    if (!isfinite(x) || !isfinite(y) || (a->xlog && x <= 0) || (a->ylog && y <= 0)) return;
    lim[0] = fmin(lim[0], x), lim[1] = fmax(lim[1], x);
    lim[2] = fmin(lim[2], y), lim[3] = fmax(lim[3], y);
}

/* A dashed reference line across the panel, its label above its right end. */
static void draw_refline(gdlab_figure *fig, const fig_panel_state *p, const gdlab_refline *r)
{
    const double v = r->vertical ? fig_wx(p, r->value) : fig_wy(p, r->value);
    if (!isfinite(v)) return;
    const double lo = r->vertical ? p->win[0] : p->win[2], hi = r->vertical ? p->win[1] : p->win[3];
    if (v < fmin(lo, hi) || v > fmax(lo, hi)) return;
    fig_panel_select(p);
    gdlab_rgba c = fig_rgba_is_set(&r->color) ? r->color : fig->theme.text;
    c.a = fmin(c.a, 0.75);
    fig_color(&c);
    fig_width(fig, 1.0);
    fig_dashes(fig, 1);
    if (r->vertical)
        pljoin(v, p->win[2], v, p->win[3]);
    else
        pljoin(p->win[0], v, p->win[1], v);
    fig_dashes(fig, 0);
    if (!r->label) return;
    /* NDC position of the label anchor. */
    const double sx = (p->vp[1] - p->vp[0]) / (p->win[1] - p->win[0]);
    const double sy = (p->vp[3] - p->vp[2]) / (p->win[3] - p->win[2]);
    fig_font(fig, REF_FONT_PX, 0, 0);
    char line[256];
    int n = 1, k = 0;
    for (const char *s = r->label; *s; s++) n += *s == '\n';
    for (const char *s = r->label; s; k++) {
        const char *nl = strchr(s, '\n');
        snprintf(line, sizeof line, "%.*s", (int)(nl ? (size_t)(nl - s) : strlen(s)), s);
        const double up = (n - k - 0.5) * fig_tpx(fig, REF_FONT_PX) * 1.25 + 2.0;
        if (r->vertical)
            fig_text_ndc(fig, p->vp[0] + (v - p->win[0]) * sx - fig_ndc_x(fig, 4.0),
                         p->vp[3] - fig_ndc_y(fig, (k + 1) * fig_tpx(fig, REF_FONT_PX) * 1.25), 1.0, 0, line);
        else
            fig_text_ndc(fig, p->vp[1] - fig_ndc_x(fig, 4.0),
                         p->vp[2] + (v - p->win[2]) * sy + fig_ndc_y(fig, up), 1.0, 0, line);
        s = nl ? nl + 1 : NULL;
    }
    fig_panel_select(p);
}

typedef struct lines_job {
    const gdlab_axes *axes;
    double lim[4];
    const gdlab_series *series;
    size_t n;
    const gdlab_refline *refs;
    size_t n_refs;
    const gdlab_point_mark *marks;
    size_t n_marks;
    const gdlab_legend_entry *extra;
    size_t n_extra;
} lines_job;

static int lines_body(gdlab_figure *fig, void *ctx, char *err, size_t errlen)
{
    const lines_job *j = ctx;
    fig_panel_state *p;
    fig_axes_layout lay;
    if (fig_axes_begin(fig, j->axes, j->lim[0], j->lim[1], j->lim[2], j->lim[3], 0.0, &p, &lay, err,
                       errlen))
        return -1;
    fig_axes_grid(fig, j->axes, p, &lay);
    for (size_t i = 0; i < j->n_refs; i++) draw_refline(fig, p, &j->refs[i]);
    for (size_t i = 0; i < j->n; i++) fig_series_draw(fig, p, &j->series[i]);
    for (size_t i = 0; i < j->n_marks; i++) fig_mark_draw(fig, p, &j->marks[i]);
    fig_legend legend = {.n = 0};
    fig_legend_add_series(&legend, j->series, j->n);
    fig_legend_add(&legend, j->extra, j->n_extra);
    fig_legend_add_marks(&legend, j->marks, j->n_marks);
    fig_legend_draw(fig, p, &legend, j->axes->legend, j->series, j->n);
    fig_axes_end(fig, j->axes, p, &lay);
    return 0;
}

int gdlab_figure_lines(gdlab_figure *fig, const gdlab_axes *axes, const gdlab_series *series,
                       size_t n, const gdlab_refline *refs, size_t n_refs,
                       const gdlab_point_mark *marks, size_t n_marks,
                       const gdlab_legend_entry *extra, size_t n_extra, char *err, size_t errlen)
{
    lines_job j = {axes, {0}, series, n, refs, n_refs, marks, n_marks, extra, n_extra};
    fig_series_limits(series, n, axes->xlog, axes->ylog, j.lim);
    for (size_t i = 0; i < n_marks; i++) include_point(j.lim, axes, marks[i].x, marks[i].y);
    if (resolve_limits(axes, j.lim, err, errlen)) return -1;
    return fig_run(fig, lines_body, &j, err, errlen);
}

typedef struct bars_job {
    const gdlab_axes *axes;
    double lim[4];
    double half;           /* half the spacing between bar positions */
    const gdlab_bars *bars;
    size_t n;
    const gdlab_refline *refs;
    size_t n_refs;
} bars_job;

static int bars_body(gdlab_figure *fig, void *ctx, char *err, size_t errlen)
{
    const bars_job *j = ctx;
    fig_panel_state *p;
    fig_axes_layout lay;
    if (fig_axes_begin(fig, j->axes, j->lim[0], j->lim[1], j->lim[2], j->lim[3], 0.0, &p, &lay, err,
                       errlen))
        return -1;
    fig_axes_grid(fig, j->axes, p, &lay);
    const double base = j->axes->ylog ? p->win[2] : 0.0;
    fig_legend legend = {.n = 0};
    for (size_t s = 0; s < j->n; s++) {
        const gdlab_bars *b = &j->bars[s];
        /* Several sets of bars share each slot side by side. */
        const double slot = 2 * j->half * 0.8, w = b->width > 0 ? b->width : slot / j->n;
        for (size_t k = 0; k < b->n; k++) {
            const double x = (b->x ? b->x[k] : (double)(k + 1)) - slot / 2 + w * s;
            const double top = fig_wy(p, b->values[k]);
            if (!isfinite(top)) continue;
            fig_color(b->colors ? &b->colors[k] : &b->color);
            PLFLT bx[4] = {x, x + w, x + w, x}, by[4] = {base, base, top, top};
            plfill(4, bx, by);
        }
        const gdlab_legend_entry e = {.label = b->label, .color = b->color, .marker = GDLAB_MARKER_SQUARE, .marker_size = 9.0};
        fig_legend_add(&legend, &e, 1);
    }
    for (size_t i = 0; i < j->n_refs; i++) draw_refline(fig, p, &j->refs[i]);
    fig_legend_draw(fig, p, &legend, j->axes->legend, NULL, 0);
    fig_axes_end(fig, j->axes, p, &lay);
    return 0;
}

int gdlab_figure_bars(gdlab_figure *fig, const gdlab_axes *axes, const gdlab_bars *bars, size_t n,
                      const gdlab_refline *refs, size_t n_refs, char *err, size_t errlen)
{
    if (axes->xlog) {
        snprintf(err, errlen, "bars: the x axis of a bar chart is linear");
        return -1;
    }
    double lim[4] = {HUGE_VAL, -HUGE_VAL, axes->ylog ? HUGE_VAL : 0.0, axes->ylog ? -HUGE_VAL : 0.0};
    double half = HUGE_VAL;
    for (size_t s = 0; s < n; s++) {
        const gdlab_bars *b = &bars[s];
        for (size_t k = 0; k < b->n; k++) {
            const double x = b->x ? b->x[k] : (double)(k + 1);
            if (k > 0) half = fmin(half, fabs(x - (b->x ? b->x[k - 1] : (double)k)) / 2);
            include_point(lim, axes, x, b->values[k]);
        }
    }
    if (!isfinite(half) || half <= 0) half = 0.5;
    if (!(lim[1] >= lim[0])) {
        snprintf(err, errlen, "bars: no finite%s values", axes->ylog ? " positive" : "");
        return -1;
    }
    double l[4] = {lim[0] - half, lim[1] + half, lim[2], lim[3]};
    if (axes->ylog) {
        fig_limits_pad(&l[2], &l[3], 1, 0.05);
    } else {
        const double d = (l[3] - l[2]) * 0.05;
        if (l[3] > 0) l[3] += d;
        if (l[2] < 0) l[2] -= d;
        if (l[3] == l[2]) l[3] = l[2] + 1;
    }
    if (isfinite(axes->ymin)) l[2] = axes->ymin;
    if (isfinite(axes->ymax)) l[3] = axes->ymax;
    if (isfinite(axes->xmin)) l[0] = axes->xmin;
    if (isfinite(axes->xmax)) l[1] = axes->xmax;

    bars_job j = {axes, {l[0], l[1], l[2], l[3]}, half, bars, n, refs, n_refs};
    return fig_run(fig, bars_body, &j, err, errlen);
}
