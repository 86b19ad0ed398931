/* SPDX-License-Identifier: MIT */
/* layout.c — the grid of panels: which rectangle of the page a panel covers, spans included. */
#include <stdio.h>

#include "fig_internal.h"

#define OUTER_PX 6.0 /* page margin around the grid */

void fig_cell_rect(const gdlab_figure *fig, const gdlab_panel *p, double r[4])
{
    const double left = fig_ndc_x(fig, OUTER_PX), right = 1.0 - fig_ndc_x(fig, OUTER_PX);
    const double bottom = fig->grid_bottom + fig_ndc_y(fig, OUTER_PX), top = fig->grid_top;
    const double cw = (right - left) / fig->cols, ch = (top - bottom) / fig->rows;
    const int rs = p->rowspan > 0 ? p->rowspan : 1, cs = p->colspan > 0 ? p->colspan : 1;
    r[0] = left + p->col * cw;
    r[1] = left + (p->col + cs) * cw;
    r[3] = top - p->row * ch;
    r[2] = top - (p->row + rs) * ch;
}

int fig_viewport_fits(const gdlab_figure *fig, const gdlab_panel *p, const double vp[4], char *err,
                      size_t errlen)
{
    if (vp[1] - vp[0] >= fig_ndc_x(fig, 20) && vp[3] - vp[2] >= fig_ndc_y(fig, 20)) return 0;
    snprintf(err, errlen,
             "panel at row %d, column %d is too small for its labels (figure %dx%d): make the figure "
             "larger or give the panel more cells",
             p->row + 1, p->col + 1, fig->width, fig->height);
    return -1;
}

fig_panel_state *fig_panel(const gdlab_figure *fig, const gdlab_panel *p, char *err, size_t errlen)
{
    const int rs = p->rowspan > 0 ? p->rowspan : 1, cs = p->colspan > 0 ? p->colspan : 1;
    if (p->row < 0 || p->col < 0 || p->row + rs > fig->rows || p->col + cs > fig->cols) {
        snprintf(err, errlen,
                 "panel at row %d, column %d spanning %d x %d cells does not fit the %d x %d layout",
                 p->row + 1, p->col + 1, rs, cs, fig->rows, fig->cols);
        return NULL;
    }
    return &fig->panels[p->row * fig->cols + p->col];
}

void fig_panel_select(const fig_panel_state *p)
{
    plvpor(p->vp[0], p->vp[1], p->vp[2], p->vp[3]);
    plwind(p->win[0], p->win[1], p->win[2], p->win[3]);
}

typedef struct raw_job {
    const gdlab_panel *panel;
    int (*fn)(void *ctx, char *err, size_t errlen);
    void *ctx;
} raw_job;

static int raw_body(gdlab_figure *fig, void *ctx, char *err, size_t errlen)
{
    const raw_job *j = ctx;
    fig_panel_state *p = fig_panel(fig, j->panel, err, errlen);
    if (!p) return -1;
    if (p->drawn) {
        fig_panel_select(p);
    } else { /* an empty cell: its rectangle less room for axis labels, with unit coordinates */
        double r[4];
        fig_cell_rect(fig, j->panel, r);
        const double vp[4] = {r[0] + fig_ndc_x(fig, 60), r[1] - fig_ndc_x(fig, 20),
                              r[2] + fig_ndc_y(fig, 45), r[3] - fig_ndc_y(fig, 30)};
        if (fig_viewport_fits(fig, j->panel, vp, err, errlen)) return -1;
        plvpor(vp[0], vp[1], vp[2], vp[3]);
        plwind(0, 1, 0, 1);
    }
    return j->fn(j->ctx, err, errlen);
}

int gdlab_figure_with_panel(gdlab_figure *fig, const gdlab_panel *panel,
                            int (*fn)(void *ctx, char *err, size_t errlen), void *ctx, char *err,
                            size_t errlen)
{
    raw_job j = {panel, fn, ctx};
    return fig_run(fig, raw_body, &j, err, errlen);
}

int gdlab_figure_data_to_pixel(const gdlab_figure *fig, const gdlab_panel *panel, double x, double y,
                               double *px, double *py)
{
    char err[128];
    const fig_panel_state *p = fig_panel(fig, panel, err, sizeof err);
    if (!p || !p->drawn || p->is3d) return -1;
    const double u = (fig_wx(p, x) - p->win[0]) / (p->win[1] - p->win[0]);
    const double v = (fig_wy(p, y) - p->win[2]) / (p->win[3] - p->win[2]);
    *px = (p->vp[0] + u * (p->vp[1] - p->vp[0])) * fig->width;
    *py = (1.0 - (p->vp[2] + v * (p->vp[3] - p->vp[2]))) * fig->height;
    return 0;
}
