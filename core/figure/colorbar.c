/* SPDX-License-Identifier: MIT */
/* colorbar.c — a vertical colour bar right of a panel. Banded (contour levels): equal-height bands
 * labelled at their edges, like matplotlib's spacing="uniform", so log-spaced levels stay readable.
 * Continuous (heatmaps): a smooth ramp on a linear or log axis. */
#include <math.h>
#include <stdio.h>

#include "fig_internal.h"

#define GAP_PX 14.0
#define BAR_PX 13.0
#define FONT_PX FIG_PT(9)
#define LABEL_PX FIG_PT(10)

double fig_colorbar_room(const gdlab_figure *fig, int labelled)
{
    /* Labels such as "1.2e-05" are about 4 em wide. */
    return GAP_PX + BAR_PX + 4.0 + fig_tpx(fig, FONT_PX) * 4.2 + (labelled ? fig_tpx(fig, LABEL_PX) * 1.4 : 0.0);
}

static void format_value(double v, char *out, size_t cap)
{
    if (v != 0 && (fabs(v) < 1e-3 || fabs(v) >= 1e5))
        snprintf(out, cap, "%.2g", v);
    else
        snprintf(out, cap, "%.3g", v);
}

void fig_colorbar(gdlab_figure *fig, const fig_panel_state *p, const char *cmap,
                  const double *edges, int n_edges, int banded, int log, double span, const char *label)
{
    if (n_edges < 2) return;
    const double x0 = p->vp[1] + fig_ndc_x(fig, GAP_PX), x1 = x0 + fig_ndc_x(fig, BAR_PX);
    const double y0 = p->vp[2], y1 = p->vp[3];
    fig_font(fig, FONT_PX, 0, 0);
    if (banded) {
        const int bands = n_edges - 1;
        const double h = (y1 - y0) / bands;
        for (int b = 0; b < bands; b++) {
            const gdlab_rgba c = gdlab_colormap_at(cmap, bands > 1 ? span * b / (bands - 1) : 0.5);
            fig_fill_rect_ndc(fig, x0, x1, y0 + b * h, y0 + (b + 1) * h, &c);
        }
        const int every = (int)ceil(n_edges / ((y1 - y0) * fig->height / fig->scale / fig_tpx(fig, 2.0 * FONT_PX)));
        fig_color(&fig->theme.text);
        for (int e = 0; e < n_edges; e += every > 0 ? every : 1) {
            char text[32];
            format_value(log ? pow(10.0, edges[e]) : edges[e], text, sizeof text);
            fig_text_ndc(fig, x1 + fig_ndc_x(fig, 4.0), y0 + e * h, 0.0, 0, text);
        }
    } else {
        const int steps = 96;
        const double h = (y1 - y0) / steps;
        for (int s = 0; s < steps; s++) {
            const gdlab_rgba c = gdlab_colormap_at(cmap, span * (s + 0.5) / steps);
            /* Overlap by a hair so that antialiasing leaves no seams between steps. */
            fig_fill_rect_ndc(fig, x0, x1, y0 + s * h, fmin(y1, y0 + (s + 1.6) * h), &c);
        }
        const double lo = edges[0], hi = edges[n_edges - 1];
        fig_ticks t;
        if (log)
            fig_ticks_log(lo, hi, &t);
        else
            fig_ticks_linear(lo, hi, 6, &t);
        fig_color(&fig->theme.text);
        for (int i = 0; i < t.n; i++) {
            const double y = y0 + (t.major[i] - lo) / (hi - lo) * (y1 - y0);
            fig_text_ndc(fig, x1 + fig_ndc_x(fig, 4.0), y, 0.0, 0, t.labels[i]);
        }
    }
    fig_color(&fig->theme.frame);
    fig_width(fig, 0.8);
    plvpor(0, 1, 0, 1);
    plwind(0, 1, 0, 1);
    PLFLT fx[5] = {x0, x1, x1, x0, x0}, fy[5] = {y0, y0, y1, y1, y0};
    plline(5, fx, fy);
    if (label) {
        fig_color(&fig->theme.text);
        fig_font(fig, LABEL_PX, 0, 0);
        const double x = p->vp[1] + fig_ndc_x(fig, fig_colorbar_room(fig, 1) - fig_tpx(fig, LABEL_PX) * 0.5);
        fig_text_ndc(fig, x, (y0 + y1) / 2, 0.5, 90, label);
    }
    fig_panel_select(p);
}
