/* SPDX-License-Identifier: MIT */
/* legend.c — a legend box in a corner of a panel; "best" picks the corner that covers the fewest
 * data points (matplotlib's loc="best" idea). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fig_internal.h"

#define FONT_PX FIG_PT(10) /* matplotlib's legend.fontsize */
#define ROW_PX 1.55        /* a row, in font sizes */
#define SAMPLE_PX 28.0
#define INSET_PX 8.0
#define KEY_GAP_PX 22.0    /* between the entries of the figure key */

int gdlab_legend_pos_parse(const char *text, gdlab_legend_pos *out, char *err, size_t errlen)
{
    static const char *const names[] = {"best",        "upper right", "upper left",  "lower left",
                                        "lower right", "none",        "upper center", "lower center"};
    for (int i = 0; text && i < 8; i++)
        if (strcasecmp(text, names[i]) == 0) {
            *out = (gdlab_legend_pos)i;
            return 0;
        }
    snprintf(err, errlen, "unknown legend position '%s'; valid: best, upper right, upper left, "
             "lower left, lower right, upper center, lower center, none", text ? text : "(none)");
    return -1;
}

void fig_legend_add(fig_legend *l, const gdlab_legend_entry *e, size_t n)
{
    for (size_t i = 0; i < n && l->n < (int)(sizeof l->entries / sizeof l->entries[0]); i++)
        if (e[i].label && e[i].label[0]) l->entries[l->n++] = e[i];
}

void fig_legend_add_series(fig_legend *l, const gdlab_series *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const gdlab_legend_entry e = {.label = s[i].label, .color = s[i].color, .width = s[i].width,
                                      .dashed = s[i].dashed, .marker = s[i].marker,
                                      .marker_size = s[i].marker_size > 0 ? s[i].marker_size : 3.0 + 2.0 * s[i].width};
        fig_legend_add(l, &e, 1);
    }
}

void fig_legend_add_marks(fig_legend *l, const gdlab_point_mark *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const gdlab_legend_entry e = {.label = m[i].label, .color = m[i].color, .marker = m[i].marker,
                                      .marker_size = fmin(m[i].size > 0 ? m[i].size : 10.0, 12.0)};
        fig_legend_add(l, &e, 1);
    }
}

/* Data points of the series inside box (NDC). */
static size_t points_inside(const fig_panel_state *p, const gdlab_series *s, size_t n,
                            const double box[4])
{
    size_t count = 0;
    const double sx = (p->vp[1] - p->vp[0]) / (p->win[1] - p->win[0]);
    const double sy = (p->vp[3] - p->vp[2]) / (p->win[3] - p->win[2]);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < s[i].n; k++) {
            const double x = p->vp[0] + (fig_wx(p, s[i].x ? s[i].x[k] : (double)k) - p->win[0]) * sx;
            const double y = p->vp[2] + (fig_wy(p, s[i].y[k]) - p->win[2]) * sy;
            count += x >= box[0] && x <= box[1] && y >= box[2] && y <= box[3];
        }
    return count;
}

static void corner_box(const gdlab_figure *fig, const fig_panel_state *p, gdlab_legend_pos pos,
                       double w, double h, double box[4])
{
    const double ix = fig_ndc_x(fig, INSET_PX), iy = fig_ndc_y(fig, INSET_PX);
    const int right = pos == GDLAB_LEGEND_UPPER_RIGHT || pos == GDLAB_LEGEND_LOWER_RIGHT;
    const int centre = pos == GDLAB_LEGEND_UPPER_CENTER || pos == GDLAB_LEGEND_LOWER_CENTER;
    const int upper = pos == GDLAB_LEGEND_UPPER_RIGHT || pos == GDLAB_LEGEND_UPPER_LEFT ||
                      pos == GDLAB_LEGEND_UPPER_CENTER;
    box[0] = centre ? (p->vp[0] + p->vp[1] - w) / 2 : right ? p->vp[1] - ix - w : p->vp[0] + ix;
    box[1] = box[0] + w;
    box[3] = upper ? p->vp[3] - iy : p->vp[2] + iy + h;
    box[2] = box[3] - h;
}

/* One row: the sample (line and marker) starting at x0 (NDC), the label after it in a font of font_px,
 * centred on y. */
static void draw_entry(gdlab_figure *fig, const gdlab_legend_entry *e, double x0, double y, double font_px)
{
    const double x1 = x0 + fig_ndc_x(fig, SAMPLE_PX);
    if (e->width > 0) {
        plvpor(0, 1, 0, 1);
        plwind(0, 1, 0, 1);
        fig_color(&e->color);
        fig_width(fig, e->width);
        fig_dashes(fig, e->dashed);
        pljoin(x0, y, x1, y);
        fig_dashes(fig, 0);
    }
    const double size = e->marker_size > 0 ? e->marker_size : 7.0;
    if (e->marker != GDLAB_MARKER_NONE && e->n_colors > 1) {
        const int n = e->n_colors < 4 ? e->n_colors : 4;
        for (int i = 0; i < n; i++)
            fig_marker_ndc(fig, e->marker, x0 + (x1 - x0) * (i + 0.5) / n, y, fmin(size, SAMPLE_PX / n + 1), &e->colors[i]);
    } else if (e->marker != GDLAB_MARKER_NONE) {
        fig_marker_ndc(fig, e->marker, (x0 + x1) / 2, y, size, &e->color);
    }
    fig_font(fig, font_px, 0, 0);
    fig_color(&fig->theme.text);
    fig_text_ndc(fig, x1 + fig_ndc_x(fig, 6.0), y, 0.0, 0, e->label);
}

double fig_key_height(const gdlab_figure *fig)
{
    return fig->key.rows > 0 ? fig->key.rows * fig_tpx(fig, FONT_PX) * ROW_PX + 10.0 : 0.0;
}

/* Rows new to the key (by label) are kept with a copy of their label. */
static void key_add(gdlab_figure *fig, const fig_legend *l)
{
    fig_key *k = &fig->key;
    for (int i = 0; i < l->n && k->n < FIG_KEY_MAX; i++) {
        int seen = 0;
        for (int j = 0; j < k->n && !seen; j++) seen = strcmp(k->labels[j], l->entries[i].label) == 0;
        if (seen) continue;
        snprintf(k->labels[k->n], sizeof k->labels[0], "%s", l->entries[i].label);
        k->entries[k->n] = l->entries[i];
        k->entries[k->n].label = k->labels[k->n];
        k->n++;
    }
}

/* How many rows the key's entries take at the label widths w (NDC), wrapping at room. */
static int key_rows_needed(const fig_key *k, const double *w, double gap, double room)
{
    int rows = k->n > 0;
    double used = 0.0;
    for (int i = 0; i < k->n; i++) {
        if (used > 0 && used + gap + w[i] > room) rows++, used = 0.0;
        used += (used > 0 ? gap : 0.0) + w[i];
    }
    return rows;
}

/* The key strip, painted anew: entries side by side, centred, wrapping onto the reserved rows; when
 * they would need more rows than reserved, the labels get a smaller font (down to 60 %) first. */
static void key_draw(gdlab_figure *fig)
{
    const fig_key *k = &fig->key;
    const double strip = fig_ndc_y(fig, fig_key_height(fig));
    fig_fill_paper_ndc(fig, 0.0, 1.0, 0.0, strip, &fig->theme.page);
    const double gap = fig_ndc_x(fig, KEY_GAP_PX), room = 1.0 - fig_ndc_x(fig, 2 * INSET_PX);
    double w[FIG_KEY_MAX], font = FONT_PX;
    for (;;) {
        fig_font(fig, font, 0, 0);
        for (int i = 0; i < k->n; i++) w[i] = fig_ndc_x(fig, SAMPLE_PX + 6.0 + fig_text_width(fig, k->labels[i]));
        if (key_rows_needed(k, w, gap, room) <= k->rows || font < 0.65 * FONT_PX) break;
        font *= 0.9;
    }
    const double row_h = fig_ndc_y(fig, fig_tpx(fig, FONT_PX) * ROW_PX);
    int first = 0;
    for (int row = 0; first < k->n; row++) {
        double total = w[first];
        int last = first + 1;
        while (last < k->n && (row == k->rows - 1 || total + gap + w[last] <= room)) total += gap + w[last++];
        double x = total > room ? fig_ndc_x(fig, INSET_PX) : (1.0 - total) / 2; /* too long: keep its start */
        const double y = strip - fig_ndc_y(fig, 5.0) - row_h * (row + 0.5);
        for (int i = first; i < last; i++) {
            draw_entry(fig, &k->entries[i], x, y, font);
            x += w[i] + gap;
        }
        first = last;
    }
}

void fig_legend_draw(gdlab_figure *fig, const fig_panel_state *p, const fig_legend *l,
                     gdlab_legend_pos pos, const gdlab_series *data, size_t n_data)
{
    if (l->n == 0 || pos == GDLAB_LEGEND_NONE) return;
    if (fig->key.rows > 0) {
        key_add(fig, l);
        key_draw(fig);
        fig_panel_select(p);
        return;
    }
    fig_font(fig, FONT_PX, 0, 0);
    const double row = fig_tpx(fig, FONT_PX) * ROW_PX;
    double text_w = 0.0;
    for (int i = 0; i < l->n; i++) text_w = fmax(text_w, fig_text_width(fig, l->entries[i].label));
    const double w = fig_ndc_x(fig, 8.0 + SAMPLE_PX + 6.0 + text_w + 8.0);
    const double h = fig_ndc_y(fig, 6.0 + row * l->n + 2.0);
    double box[4];
    if (pos == GDLAB_LEGEND_BEST) {
        size_t best = (size_t)-1;
        for (int c = GDLAB_LEGEND_UPPER_RIGHT; c <= GDLAB_LEGEND_LOWER_RIGHT; c++) {
            double b[4];
            corner_box(fig, p, (gdlab_legend_pos)c, w, h, b);
            const size_t inside = points_inside(p, data, n_data, b);
            if (inside < best) best = inside, memcpy(box, b, sizeof b);
        }
    } else {
        corner_box(fig, p, pos, w, h, box);
    }
    gdlab_rgba bg = fig->theme.legend;
    bg.a = 0.85;
    fig_fill_paper_ndc(fig, box[0], box[1], box[2], box[3], &bg);
    fig_color(&fig->theme.frame);
    fig_width(fig, 0.8);
    PLFLT fx[5] = {box[0], box[1], box[1], box[0], box[0]}, fy[5] = {box[2], box[2], box[3], box[3], box[2]};
    plline(5, fx, fy);
    for (int i = 0; i < l->n; i++)
        draw_entry(fig, &l->entries[i], box[0] + fig_ndc_x(fig, 8.0), box[3] - fig_ndc_y(fig, 3.0 + row * (i + 0.5)),
                   FONT_PX);
    fig_panel_select(p);
}
