/* SPDX-License-Identifier: MIT */
/* marker.c — point markers drawn as polygons and strokes, so they look the same on every device
 * (PLplot's own symbols are font glyphs that differ between drivers). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fig_internal.h"

static const struct marker_name {
    const char *name, *abbrev;
    gdlab_marker m;
} names[] = {
    {"none", "", GDLAB_MARKER_NONE},       {"circle", "o", GDLAB_MARKER_CIRCLE},
    {"square", "s", GDLAB_MARKER_SQUARE},  {"triangle", "^", GDLAB_MARKER_TRIANGLE},
    {"diamond", "d", GDLAB_MARKER_DIAMOND}, {"star", "*", GDLAB_MARKER_STAR},
    {"plus", "+", GDLAB_MARKER_PLUS},      {"cross", "x", GDLAB_MARKER_CROSS},
};

int gdlab_marker_parse(const char *text, gdlab_marker *out, char *err, size_t errlen)
{
    for (size_t i = 0; text && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(text, names[i].name) == 0 || strcmp(text, names[i].abbrev) == 0) {
            *out = names[i].m;
            return 0;
        }
    snprintf(err, errlen, "unknown marker '%s'; valid: o circle, s square, ^ triangle, d diamond, "
             "* star, + plus, x cross, none", text ? text : "(none)");
    return -1;
}

/* A regular polygon (or star, with inner radius ratio `inner`) of n points around (x, y). */
static void polygon(double x, double y, double rx, double ry, int n, double phase, double inner)
{
    PLFLT px[24], py[24];
    const int k = inner > 0 ? 2 * n : n;
    for (int i = 0; i < k; i++) {
        const double a = phase + 2.0 * M_PI * i / k;
        const double r = inner > 0 && (i % 2) ? inner : 1.0;
        px[i] = x + rx * r * cos(a), py[i] = y + ry * r * sin(a);
    }
    plfill(k, px, py);
}

/* Draw marker m at (x, y) where one pixel is ux by uy world units. */
static void draw(const gdlab_figure *fig, gdlab_marker m, double x, double y, double size_px,
                 double ux, double uy, const gdlab_rgba *c)
{
    const double r = size_px / 2.0, rx = r * ux, ry = r * uy;
    fig_color(c);
    switch (m) {
    case GDLAB_MARKER_NONE: break;
    case GDLAB_MARKER_CIRCLE: polygon(x, y, rx, ry, 20, 0.0, 0.0); break;
    case GDLAB_MARKER_SQUARE: polygon(x, y, rx * 1.2, ry * 1.2, 4, M_PI / 4, 0.0); break;
    case GDLAB_MARKER_TRIANGLE: polygon(x, y, rx * 1.2, ry * 1.2, 3, M_PI / 2, 0.0); break;
    case GDLAB_MARKER_DIAMOND: polygon(x, y, rx * 1.15, ry * 1.15, 4, 0.0, 0.0); break;
    case GDLAB_MARKER_STAR: polygon(x, y, rx * 1.3, ry * 1.3, 5, M_PI / 2, 0.45); break;
    case GDLAB_MARKER_PLUS:
    case GDLAB_MARKER_CROSS: {
        /* Strokes get a halo in the page colour first, so they stay visible on a marker or a path of
         * their own colour (a run ending exactly on the minimum). */
        const double a = m == GDLAB_MARKER_PLUS ? 0.0 : M_PI / 4, w = fmax(1.0, size_px / 5.0);
        gdlab_rgba halo = fig->theme.page;
        halo.a = 0.85;
        for (int pass = 0; pass < 2; pass++) {
            fig_color(pass ? c : &halo);
            fig_width(fig, pass ? w : w + 2.5);
            const double e = pass ? 1.0 : 1.0 + 1.25 / r; /* the halo reaches past the ends too */
            pljoin(x - e * rx * cos(a), y - e * ry * sin(a), x + e * rx * cos(a), y + e * ry * sin(a));
            pljoin(x + e * rx * sin(a), y - e * ry * cos(a), x - e * rx * sin(a), y + e * ry * cos(a));
        }
        break;
    }
    }
}

void fig_marker(const gdlab_figure *fig, const fig_panel_state *p, gdlab_marker m, double wx,
                double wy, double size_px, const gdlab_rgba *c)
{
    if (!isfinite(wx) || !isfinite(wy)) return;
    draw(fig, m, wx, wy, size_px, fig_world_per_px_x(fig, p), fig_world_per_px_y(fig, p), c);
}

void fig_marker_ndc(const gdlab_figure *fig, gdlab_marker m, double x, double y, double size_px,
                    const gdlab_rgba *c)
{
    plvpor(0, 1, 0, 1);
    plwind(0, 1, 0, 1);
    draw(fig, m, x, y, size_px, fig->scale / fig->width, fig->scale / fig->height, c);
}
