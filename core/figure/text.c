/* SPDX-License-Identifier: MIT */
/* text.c — text panels (notes, update rules: multiline, monospace by default) and annotations of a
 * point in a panel already drawn, with an arrow from the text to the point. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fig_internal.h"

typedef struct text_job {
    const gdlab_panel *panel;
    const char *text;
    const gdlab_text_style *style;
} text_job;

static int text_body(gdlab_figure *fig, void *ctx, char *err, size_t errlen)
{
    const text_job *j = ctx;
    fig_panel_state *p = fig_panel(fig, j->panel, err, errlen);
    if (!p) return -1;
    double cell[4];
    fig_cell_rect(fig, j->panel, cell);
    const double m = 10.0; /* inset of the frame inside the cell */
    double box[4] = {cell[0] + fig_ndc_x(fig, m), cell[1] - fig_ndc_x(fig, m), cell[2] + fig_ndc_y(fig, m),
                     cell[3] - fig_ndc_y(fig, m)};
    const gdlab_text_style *st = j->style;
    const double title_px = fig_tpx(fig, FIG_PT(12));
    if (st->title) box[3] -= fig_ndc_y(fig, title_px * 1.35 + 4);
    if (st->frame) {
        fig_fill_paper_ndc(fig, box[0], box[1], box[2], box[3], &fig->theme.panel);
        fig_color(&fig->theme.frame);
        fig_width(fig, 1.0);
        PLFLT fx[5] = {box[0], box[1], box[1], box[0], box[0]}, fy[5] = {box[2], box[2], box[3], box[3], box[2]};
        plline(5, fx, fy);
    }
    if (st->title) {
        fig_font(fig, FIG_PT(12), 1, 0);
        fig_color(&fig->theme.title);
        fig_text_ndc(fig, box[0], box[3] + fig_ndc_y(fig, 4 + title_px * 0.45), 0.0, 0, st->title);
    }
    const double size = st->size > 0 ? st->size : 13.0;
    const double spacing = (st->line_spacing > 0 ? st->line_spacing : 1.6) * fig_tpx(fig, size);
    fig_font(fig, size, 0, st->mono);
    fig_color(fig_rgba_is_set(&st->color) ? &st->color : &fig->theme.text);
    char line[1024];
    int k = 0;
    for (const char *s = j->text; s; k++) {
        const char *nl = strchr(s, '\n');
        snprintf(line, sizeof line, "%.*s", (int)(nl ? (size_t)(nl - s) : strlen(s)), s);
        const double y = box[3] - fig_ndc_y(fig, 12.0 + fig_tpx(fig, size) * 0.4 + k * spacing);
        if (y < box[2]) {
            snprintf(err, errlen, "text: %d lines do not fit the panel (at size %g); use a smaller size or a larger panel",
                     k + 1, size);
            return -1;
        }
        if (line[0]) fig_text_ndc(fig, box[0] + fig_ndc_x(fig, 14.0), y, 0.0, 0, line);
        s = nl ? nl + 1 : NULL;
    }
    memcpy(p->vp, box, sizeof box);
    p->win[0] = 0, p->win[1] = 1, p->win[2] = 0, p->win[3] = 1;
    p->drawn = 1, p->xlog = p->ylog = p->is3d = 0;
    return 0;
}

int gdlab_figure_text(gdlab_figure *fig, const gdlab_panel *panel, const char *text,
                      const gdlab_text_style *style, char *err, size_t errlen)
{
    const text_job j = {panel, text, style};
    return fig_run(fig, text_body, (void *)&j, err, errlen);
}

typedef struct note_job {
    const gdlab_panel *panel;
    const gdlab_annotation *a;
} note_job;

static int note_body(gdlab_figure *fig, void *ctx, char *err, size_t errlen)
{
    const note_job *j = ctx;
    const gdlab_annotation *a = j->a;
    fig_panel_state *p = fig_panel(fig, j->panel, err, errlen);
    if (!p) return -1;
    if (!p->drawn || p->is3d) {
        snprintf(err, errlen, "annotate: panel at row %d, column %d has no 2-D axes yet: draw it first",
                 j->panel->row + 1, j->panel->col + 1);
        return -1;
    }
    /* Everything in NDC: the point, the text anchor. */
    const double sx = (p->vp[1] - p->vp[0]) / (p->win[1] - p->win[0]);
    const double sy = (p->vp[3] - p->vp[2]) / (p->win[3] - p->win[2]);
    const double px = p->vp[0] + (fig_wx(p, a->x) - p->win[0]) * sx, py = p->vp[2] + (fig_wy(p, a->y) - p->win[2]) * sy;
    const int has_text_at = isfinite(a->tx) && isfinite(a->ty);
    const double tx = has_text_at ? p->vp[0] + (fig_wx(p, a->tx) - p->win[0]) * sx : px;
    const double ty = has_text_at ? p->vp[2] + (fig_wy(p, a->ty) - p->win[2]) * sy : py;
    if (!isfinite(px) || !isfinite(py) || !isfinite(tx) || !isfinite(ty)) {
        snprintf(err, errlen, "annotate: the point (%g, %g) cannot be placed on this panel's axes", a->x, a->y);
        return -1;
    }
    const gdlab_rgba c = fig_rgba_is_set(&a->color) ? a->color : fig->theme.text;
    const double size = a->size > 0 ? a->size : 12.0;
    fig_font(fig, size, a->bold, 0);
    fig_color(&c);
    char line[512];
    int k = 0, n = 1;
    double width = 0;
    for (const char *s = a->text; *s; s++) n += *s == '\n';
    for (const char *s = a->text; s; k++) {
        const char *nl = strchr(s, '\n');
        snprintf(line, sizeof line, "%.*s", (int)(nl ? (size_t)(nl - s) : strlen(s)), s);
        width = fmax(width, fig_text_width(fig, line));
        fig_text_ndc(fig, tx, ty - fig_ndc_y(fig, k * fig_tpx(fig, size) * 1.3), 0.0, 0, line);
        s = nl ? nl + 1 : NULL;
    }
    if (a->arrow && has_text_at) {
        /* From the side of the text block facing the point, to just short of the point. */
        const double em = fig_tpx(fig, size);
        const double block_top = ty + fig_ndc_y(fig, em * 0.6), block_bottom = ty - fig_ndc_y(fig, (n - 1) * em * 1.3 + em * 0.6);
        double ax = px < tx ? tx - fig_ndc_x(fig, 3) : px > tx + fig_ndc_x(fig, width) ? tx + fig_ndc_x(fig, width + 3) : tx + fig_ndc_x(fig, width / 2);
        double ay = py > block_top ? block_top : py < block_bottom ? block_bottom : ty;
        const double dxp = (px - ax) * fig->width, dyp = (py - ay) * fig->height, len = hypot(dxp, dyp);
        if (len > 8.0 * fig->scale) { /* stop 3 px short of the point */
            const double stop = 3.0 * fig->scale;
            fig_arrow_ndc(fig, ax, ay, px - dxp / len * stop / fig->width, py - dyp / len * stop / fig->height, 1.3, 9.0);
        }
    }
    fig_panel_select(p);
    return 0;
}

int gdlab_figure_annotate(gdlab_figure *fig, const gdlab_panel *panel, const gdlab_annotation *a,
                          char *err, size_t errlen)
{
    const note_job j = {panel, a};
    return fig_run(fig, note_body, (void *)&j, err, errlen);
}
