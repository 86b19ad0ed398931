/* SPDX-License-Identifier: MIT */
/* series.c — a line with markers inside a panel: non-finite points break the line, log axes take
 * log10, runs of segments with their own colour (a highlighted phase) are drawn in that colour. */
#include <math.h>
#include <stdlib.h>

#include "fig_internal.h"

static const gdlab_rgba *segment_color(const gdlab_series *s, size_t k)
{
    if (s->segment_colors && k + 1 < s->n && fig_rgba_is_set(&s->segment_colors[k]))
        return &s->segment_colors[k];
    return &s->color;
}

static int same_color(const gdlab_rgba *a, const gdlab_rgba *b)
{
    return a->r == b->r && a->g == b->g && a->b == b->b && a->a == b->a;
}

void fig_series_draw(gdlab_figure *fig, const fig_panel_state *p, const gdlab_series *s)
{
    if (s->n == 0 || !s->y) return;
    double *wx = malloc(s->n * sizeof *wx), *wy = malloc(s->n * sizeof *wy);
    if (!wx || !wy) {
        free(wx), free(wy);
        fig_out_of_memory("a line");
        return;
    }
    for (size_t k = 0; k < s->n; k++) {
        wx[k] = fig_wx(p, s->x ? s->x[k] : (double)k);
        wy[k] = fig_wy(p, s->y[k]);
    }
    fig_panel_select(p);
    if (s->width > 0) {
        fig_dashes(fig, s->dashed);
        for (size_t start = 0; start + 1 < s->n;) {
            const gdlab_rgba *c = segment_color(s, start);
            size_t end = start + 1; /* the run covers segments start .. end-1 */
            while (end + 1 < s->n && same_color(segment_color(s, end), c)) end++;
            const int highlighted = c != &s->color;
            fig_color(c);
            fig_width(fig, highlighted && s->width_highlight > 0 ? s->width_highlight : s->width);
            fig_polyline(wx + start, wy + start, end - start + 1);
            start = end;
        }
        fig_dashes(fig, 0);
    }
    if (s->marker != GDLAB_MARKER_NONE) {
        const double size = s->marker_size > 0 ? s->marker_size : 3.0 + 2.0 * s->width;
        for (size_t k = 0; k < s->n; k++) {
            gdlab_rgba c = *segment_color(s, k > 0 ? k - 1 : 0);
            if (s->marker_alpha > 0) c.a = s->marker_alpha;
            if (wx[k] < fmin(p->win[0], p->win[1]) || wx[k] > fmax(p->win[0], p->win[1]) ||
                wy[k] < fmin(p->win[2], p->win[3]) || wy[k] > fmax(p->win[2], p->win[3]))
                continue; /* outside the window: PLplot's clipping would cut it in half anyway */
            fig_marker(fig, p, s->marker, wx[k], wy[k], size, &c);
        }
    }
    free(wx);
    free(wy);
}

void fig_mark_draw(gdlab_figure *fig, const fig_panel_state *p, const gdlab_point_mark *m)
{
    fig_panel_select(p);
    fig_marker(fig, p, m->marker, fig_wx(p, m->x), fig_wy(p, m->y), m->size > 0 ? m->size : 10.0,
               &m->color);
}
