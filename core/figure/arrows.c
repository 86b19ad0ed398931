/* SPDX-License-Identifier: MIT */
/* arrows.c — arrows in data units over a 2-D panel drawn before: the parts of an optimizer's step
 * (−lr·g, the momentum term, the step itself) drawn where the step was taken. */
#include <math.h>
#include <stdio.h>

#include "fig_internal.h"

typedef struct arrows_job {
    const gdlab_panel *panel;
    const gdlab_arrows *a;
} arrows_job;

static int arrows_body(gdlab_figure *fig, void *ctx, char *err, size_t errlen)
{
    const arrows_job *j = ctx;
    const gdlab_arrows *a = j->a;
    fig_panel_state *p = fig_panel(fig, j->panel, err, errlen);
    if (!p) return -1;
    if (!p->drawn || p->is3d) {
        snprintf(err, errlen, "arrows: panel at row %d, column %d has no 2-D axes yet: draw it first",
                 j->panel->row + 1, j->panel->col + 1);
        return -1;
    }
    const double sx = (p->vp[1] - p->vp[0]) / (p->win[1] - p->win[0]);
    const double sy = (p->vp[3] - p->vp[2]) / (p->win[3] - p->win[2]);
    const double width = a->width > 0 ? a->width : 1.5, head = a->head > 0 ? a->head : 8.0;
    fig_color(&a->color);
    for (size_t i = 0; i < a->n; i++) {
        const double x0 = p->vp[0] + (fig_wx(p, a->x[i]) - p->win[0]) * sx;
        const double y0 = p->vp[2] + (fig_wy(p, a->y[i]) - p->win[2]) * sy;
        const double x1 = p->vp[0] + (fig_wx(p, a->x[i] + a->dx[i]) - p->win[0]) * sx;
        const double y1 = p->vp[2] + (fig_wy(p, a->y[i] + a->dy[i]) - p->win[2]) * sy;
        if (!isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1)) continue;
        if (fmin(x0, x1) < p->vp[0] || fmax(x0, x1) > p->vp[1] || fmin(y0, y1) < p->vp[2] || fmax(y0, y1) > p->vp[3])
            continue;
        const double len_px = hypot((x1 - x0) * fig->width, (y1 - y0) * fig->height) / fig->scale;
        if (len_px < 1.0) continue; /* no direction to show */
        fig_arrow_ndc(fig, x0, y0, x1, y1, width, fmin(head, 0.45 * len_px));
    }
    if (a->label && fig->key.rows > 0) {
        fig_legend l = {.n = 0};
        const gdlab_legend_entry e = {.label = a->label, .color = a->color, .width = width};
        fig_legend_add(&l, &e, 1);
        fig_legend_draw(fig, p, &l, GDLAB_LEGEND_BEST, NULL, 0);
    }
    fig_panel_select(p);
    return 0;
}

int gdlab_figure_arrows(gdlab_figure *fig, const gdlab_panel *panel, const gdlab_arrows *arrows,
                        char *err, size_t errlen)
{
    if (arrows->n && (!arrows->x || !arrows->y || !arrows->dx || !arrows->dy)) {
        snprintf(err, errlen, "arrows: x, y, dx and dy are all needed");
        return -1;
    }
    const arrows_job j = {panel, arrows};
    return fig_run(fig, arrows_body, (void *)&j, err, errlen);
}
