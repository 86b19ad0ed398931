/* SPDX-License-Identifier: MIT */
/* live.c — figures that change while the reader watches: showing what was drawn, reading the window's
 * events, mapping a click back to data, clearing a panel to draw it again and drawing over a panel
 * (the window itself is window.c). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fig_internal.h"
#include "window.h"

int gdlab_figure_is_window(const gdlab_figure *fig)
{
    return fig->window != NULL;
}

static int flush_body(gdlab_figure *fig, void *ctx, char *err, size_t errlen)
{
    (void)ctx, (void)err, (void)errlen;
    plflush();
    fig_window_flush(fig->window);
    return 0;
}

int gdlab_figure_show(gdlab_figure *fig, char *err, size_t errlen)
{
    if (!fig->window || fig_window_closed(fig->window)) return 0;
    return fig_run(fig, flush_body, NULL, err, errlen);
}

/* Expose: xcairo copies its picture to the window again on a flush; xwin keeps a pixmap of the
 * page and copies it back on PLESC_EXPOSE. */
static int expose_body(gdlab_figure *fig, void *ctx, char *err, size_t errlen)
{
    (void)ctx, (void)err, (void)errlen;
    if (strcmp(fig->dev->name, "xwin") == 0)
        pl_cmd(PLESC_EXPOSE, NULL);
    else
        plflush();
    fig_window_flush(fig->window);
    return 0;
}

void fig_window_repaint(void *ctx)
{
    gdlab_figure *fig = ctx;
    char err[GDLAB_ERRLEN];
    fig_run(fig, expose_body, NULL, err, sizeof err);
}

int gdlab_figure_event(gdlab_figure *fig, double timeout, gdlab_event *ev, char *err, size_t errlen)
{
    if (!fig->window) {
        snprintf(err, errlen, "device '%s' %s: events need a window device (xcairo or xwin)", fig->dev->name,
                 fig->dev->interactive ? "opens a window gdlab cannot read events from" : "writes a file");
        return -1;
    }
    if (gdlab_figure_show(fig, err, errlen)) return -1;
    return fig_window_event(fig->window, timeout, ev, err, errlen);
}

int gdlab_figure_pixel_to_data(const gdlab_figure *fig, double px, double py, double *x, double *y)
{
    const double u = px / fig->width, v = 1.0 - py / fig->height;
    for (int i = 0; i < fig->rows * fig->cols; i++) {
        const fig_panel_state *p = &fig->panels[i];
        if (!p->drawn || p->is3d || u < p->vp[0] || u > p->vp[1] || v < p->vp[2] || v > p->vp[3]) continue;
        const double wx = p->win[0] + (u - p->vp[0]) / (p->vp[1] - p->vp[0]) * (p->win[1] - p->win[0]);
        const double wy = p->win[2] + (v - p->vp[2]) / (p->vp[3] - p->vp[2]) * (p->win[3] - p->win[2]);
        *x = p->xlog ? pow(10.0, wx) : wx;
        *y = p->ylog ? pow(10.0, wy) : wy;
        return i;
    }
    return -1;
}

static int clear_body(gdlab_figure *fig, void *ctx, char *err, size_t errlen)
{
    const gdlab_panel *panel = ctx;
    fig_panel_state *p = fig_panel(fig, panel, err, errlen);
    if (!p) return -1;
    double r[4];
    fig_cell_rect(fig, panel, r);
    fig_fill_rect_ndc(fig, r[0], r[1], r[2], r[3], &fig->theme.page);
    p->drawn = 0;
    return 0;
}

int gdlab_figure_clear_panel(gdlab_figure *fig, const gdlab_panel *panel, char *err, size_t errlen)
{
    return fig_run(fig, clear_body, (void *)panel, err, errlen);
}

typedef struct overlay_job {
    const gdlab_panel *panel;
    const gdlab_series *series;
    size_t n;
} overlay_job;

static int overlay_body(gdlab_figure *fig, void *ctx, char *err, size_t errlen)
{
    const overlay_job *j = ctx;
    const fig_panel_state *p = fig_panel(fig, j->panel, err, errlen);
    if (!p) return -1;
    if (!p->drawn || p->is3d) {
        snprintf(err, errlen, "panel at row %d, column %d has no 2-D axes to draw over (draw the panel first)",
                 j->panel->row + 1, j->panel->col + 1);
        return -1;
    }
    fig_panel_select(p);
    for (size_t i = 0; i < j->n; i++) fig_series_draw(fig, p, &j->series[i]);
    return 0;
}

int gdlab_figure_overlay(gdlab_figure *fig, const gdlab_panel *panel, const gdlab_series *series, size_t n,
                         char *err, size_t errlen)
{
    overlay_job j = {panel, series, n};
    return fig_run(fig, overlay_body, &j, err, errlen);
}
