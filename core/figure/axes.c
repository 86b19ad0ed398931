/* SPDX-License-Identifier: MIT */
/* axes.c — one panel's axes: nice ticks, margins measured from the real tick-label widths, the
 * background, grid, frame, tick labels, axis labels and a left-aligned title. gdlab draws ticks itself
 * (not plbox) so that it knows every label's width before placing the viewport, and so that labels
 * use real superscripts (10⁻³) and minus signs. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fig_internal.h"

/* matplotlib's defaults: xtick.labelsize and axes.labelsize 10 pt, axes.titlesize 12 pt. */
#define TICK_PX FIG_PT(10)  /* tick label font */
#define LABEL_PX FIG_PT(10.5) /* axis label font */
#define TITLE_PX FIG_PT(12)   /* panel title font */
#define TICK_LEN 4.0   /* major tick length, px */
#define PAD 4.0        /* gap between tick and label, label and axis label */

void gdlab_axes_defaults(gdlab_axes *a)
{
    memset(a, 0, sizeof *a);
    a->xmin = a->xmax = a->ymin = a->ymax = NAN;
}

/* U+2212 (minus sign) instead of '-', as typesetting does. */
static void with_minus_sign(char *s, size_t cap)
{
    char buf[64];
    size_t o = 0;
    for (const char *p = s; *p && o + 4 < sizeof buf; p++) {
        if (*p == '-') {
            memcpy(buf + o, "\xE2\x88\x92", 3);
            o += 3;
        } else {
            buf[o++] = *p;
        }
    }
    if (o >= cap) o = cap - 1;
    memcpy(s, buf, o);
    s[o] = '\0';
}

/* Heckbert's "nice numbers" (Graphics Gems, 1990): a step of 1, 2, 2.5 or 5 times a power of ten. */
static double nice_step(double range, int target)
{
    const double raw = range / (target > 1 ? target : 1);
    const double mag = pow(10.0, floor(log10(raw)));
    const double f = raw / mag;
    return (f < 1.5 ? 1.0 : f < 2.25 ? 2.0 : f < 3.5 ? 2.5 : f < 7.5 ? 5.0 : 10.0) * mag;
}

void fig_ticks_linear(double lo, double hi, int target, fig_ticks *t)
{
    t->n = t->n_minor = 0;
    if (!(hi > lo) || !isfinite(lo) || !isfinite(hi)) return;
    const double step = nice_step(hi - lo, target);
    const double eps = step * 1e-9;
    int decimals = 0; /* the fewest that write the step exactly: 0.25 needs 2 */
    while (decimals < 10 && fabs(step * pow(10.0, decimals) - round(step * pow(10.0, decimals))) > 1e-6)
        decimals++;
    const double big = fmax(fabs(lo), fabs(hi));
    for (double v = ceil((lo - eps) / step) * step; v <= hi + eps && t->n < FIG_MAX_TICKS; v += step) {
        double val = fabs(v) < eps ? 0.0 : v;
        t->major[t->n] = val;
        if (big >= 1e5 || big < 1e-3)
            snprintf(t->labels[t->n], sizeof t->labels[0], "%g", val);
        else
            snprintf(t->labels[t->n], sizeof t->labels[0], "%.*f", decimals, val);
        with_minus_sign(t->labels[t->n], sizeof t->labels[0]);
        t->n++;
    }
    const double minor = step / (fabs(step / pow(10.0, floor(log10(step))) - 2.0) < 1e-9 ? 4.0 : 5.0);
    for (double v = ceil((lo - eps) / minor) * minor; v <= hi + eps && t->n_minor < FIG_MAX_TICKS * 4;
         v += minor)
        t->minor[t->n_minor++] = v;
}

/* "10⁻³" for an integer exponent. */
static void power_label(int e, char *out, size_t cap)
{
    static const char *const sup[10] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
    char digits[16];
    snprintf(digits, sizeof digits, "%d", e < 0 ? -e : e);
    size_t o = (size_t)snprintf(out, cap, "10%s", e < 0 ? "⁻" : "");
    for (const char *d = digits; *d && o < cap; d++) o += (size_t)snprintf(out + o, cap - o, "%s", sup[*d - '0']);
}

void fig_ticks_log(double lo10, double hi10, fig_ticks *t)
{
    t->n = t->n_minor = 0;
    if (!(hi10 > lo10) || !isfinite(lo10) || !isfinite(hi10)) return;
    if (hi10 - lo10 < 1.0) { /* less than a decade: linear ticks on the values, placed in log */
        fig_ticks lin;
        fig_ticks_linear(pow(10.0, lo10), pow(10.0, hi10), 4, &lin);
        for (int i = 0; i < lin.n; i++) {
            if (lin.major[i] <= 0) continue;
            t->major[t->n] = log10(lin.major[i]);
            snprintf(t->labels[t->n], sizeof t->labels[0], "%g", lin.major[i]);
            t->n++;
        }
        return;
    }
    /* Decades in steps of 1, 2, 5, 10, 20, ... at multiples of the step (10⁻⁹, 10⁻⁴, 10¹ is no
     * set of ticks anyone would choose; 10⁻¹⁰, 10⁻⁵, 10⁰ is): the smallest step giving at most 8. */
    const int first = (int)ceil(lo10 - 1e-9), last = (int)floor(hi10 + 1e-9);
    int step = 1;
    for (int k = 0; k < 12; k++) {
        const int s = (k % 3 == 0 ? 1 : k % 3 == 1 ? 2 : 5) * (int)pow(10.0, k / 3);
        const int lo_m = (int)ceil((double)first / s), hi_m = (int)floor((double)last / s);
        step = s;
        if (hi_m - lo_m + 1 <= 8) break;
    }
    for (int e = (int)ceil((double)first / step) * step; e <= last && t->n < FIG_MAX_TICKS; e += step) {
        t->major[t->n] = e;
        power_label(e, t->labels[t->n], sizeof t->labels[0]);
        t->n++;
    }
    if (step == 1) {
        for (int e = (int)floor(lo10); e <= last; e++)
            for (int m = 2; m <= 9 && t->n_minor < FIG_MAX_TICKS * 4; m++) {
                const double v = e + log10((double)m);
                if (v >= lo10 && v <= hi10) t->minor[t->n_minor++] = v;
            }
    } else if (step <= 10) {
        for (int e = first; e <= last && t->n_minor < FIG_MAX_TICKS * 4; e++) /* the other decades */
            if (e % step) t->minor[t->n_minor++] = e;
    }
}

/* Explicit ticks from the caller (bar charts, iteration numbers). */
static void ticks_given(const gdlab_axes *a, int log, fig_ticks *t)
{
    t->n = t->n_minor = 0;
    for (size_t i = 0; i < a->n_xticks && t->n < FIG_MAX_TICKS; i++) {
        const double v = a->xticks[i];
        if (log && !(v > 0)) continue;
        t->major[t->n] = log ? log10(v) : v;
        if (a->xtick_labels && a->xtick_labels[i])
            snprintf(t->labels[t->n], sizeof t->labels[0], "%s", a->xtick_labels[i]);
        else
            snprintf(t->labels[t->n], sizeof t->labels[0], "%g", v);
        t->n++;
    }
}

static int count_lines(const char *s)
{
    int n = 1;
    for (; s && *s; s++) n += *s == '\n';
    return n;
}

void fig_limits_pad(double *lo, double *hi, int logscale, double frac)
{
    if (logscale) {
        double a = log10(*lo), b = log10(*hi), d = (b - a) * frac;
        if (d == 0) d = 0.5;
        *lo = pow(10.0, a - d), *hi = pow(10.0, b + d);
        return;
    }
    double d = (*hi - *lo) * frac;
    if (d == 0) d = *lo != 0 ? fabs(*lo) * 0.1 : 1.0;
    *lo -= d, *hi += d;
}

int fig_axes_begin(gdlab_figure *fig, const gdlab_axes *a, double xmin, double xmax, double ymin,
                   double ymax, double right_extra_px, fig_panel_state **out, fig_axes_layout *lay,
                   char *err, size_t errlen)
{
    fig_panel_state *p = fig_panel(fig, &a->panel, err, errlen);
    if (!p) return -1;
    if (!(xmax > xmin) || !(ymax > ymin) || !isfinite(xmin) || !isfinite(xmax) || !isfinite(ymin) ||
        !isfinite(ymax)) {
        snprintf(err, errlen, "axes limits x [%g, %g], y [%g, %g] are empty or not finite%s", xmin,
                 xmax, ymin, ymax, a->xlog || a->ylog ? " (log axes need positive limits)" : "");
        return -1;
    }
    if ((a->xlog && !(xmin > 0)) || (a->ylog && !(ymin > 0))) {
        snprintf(err, errlen, "log axis needs positive limits, got [%g, %g]", a->xlog ? xmin : ymin,
                 a->xlog ? xmax : ymax);
        return -1;
    }
    p->xlog = a->xlog, p->ylog = a->ylog, p->is3d = 0;
    p->win[0] = a->xlog ? log10(xmin) : xmin, p->win[1] = a->xlog ? log10(xmax) : xmax;
    p->win[2] = a->ylog ? log10(ymin) : ymin, p->win[3] = a->ylog ? log10(ymax) : ymax;

    double cell[4];
    fig_cell_rect(fig, &a->panel, cell);
    const double cell_w = (cell[1] - cell[0]) * fig->width / fig->scale;
    const double cell_h = (cell[3] - cell[2]) * fig->height / fig->scale;

    if (a->xticks)
        ticks_given(a, a->xlog, &lay->xt);
    else if (a->xlog)
        fig_ticks_log(p->win[0], p->win[1], &lay->xt);
    else
        fig_ticks_linear(p->win[0], p->win[1], (int)fmax(2.0, cell_w / fig_tpx(fig, 110.0)), &lay->xt);
    if (a->ylog)
        fig_ticks_log(p->win[2], p->win[3], &lay->yt);
    else
        fig_ticks_linear(p->win[2], p->win[3], (int)fmax(2.0, cell_h / fig_tpx(fig, 60.0)), &lay->yt);
    lay->right_extra_px = right_extra_px;

    fig_font(fig, TICK_PX, 0, 0);
    double ytick_w = 0.0, last_xtick_w = 0.0;
    for (int i = 0; i < lay->yt.n; i++) ytick_w = fmax(ytick_w, fig_text_width(fig, lay->yt.labels[i]));
    if (lay->xt.n) last_xtick_w = fig_text_width(fig, lay->xt.labels[lay->xt.n - 1]);

    const double tick = fig_tpx(fig, TICK_PX), label = fig_tpx(fig, LABEL_PX), title = fig_tpx(fig, TITLE_PX);
    const double left = 10.0 + ytick_w + TICK_LEN + PAD + (a->ylabel ? label * 1.2 + PAD : 0.0);
    const double bottom = 8.0 + TICK_LEN + PAD + tick * 1.1 + (a->xlabel ? label * 1.3 + PAD : 0.0);
    /* Below the last title line: room for its subscripts (w_2) above the frame. */
    const double top = 10.0 + (a->title ? count_lines(a->title) * title * 1.35 + PAD + title * 0.2 : 0.0);
    const double right = fmax(14.0, last_xtick_w / 2.0 + 6.0) + right_extra_px;

    double vp[4] = {cell[0] + fig_ndc_x(fig, left), cell[1] - fig_ndc_x(fig, right),
                    cell[2] + fig_ndc_y(fig, bottom), cell[3] - fig_ndc_y(fig, top)};
    if (fig_viewport_fits(fig, &a->panel, vp, err, errlen)) return -1;
    if (a->equal) { /* shrink one side so that a data unit is as long on x as on y */
        const double wpx = (vp[1] - vp[0]) * fig->width, hpx = (vp[3] - vp[2]) * fig->height;
        const double ux = (p->win[1] - p->win[0]) / wpx, uy = (p->win[3] - p->win[2]) / hpx;
        if (ux > uy) {
            const double h = (p->win[3] - p->win[2]) / ux / fig->height, mid = (vp[2] + vp[3]) / 2;
            vp[2] = mid - h / 2, vp[3] = mid + h / 2;
        } else {
            const double w = (p->win[1] - p->win[0]) / uy / fig->width, mid = (vp[0] + vp[1]) / 2;
            vp[0] = mid - w / 2, vp[1] = mid + w / 2;
        }
    }
    memcpy(p->vp, vp, sizeof vp);
    p->drawn = 1;
    fig_fill_paper_ndc(fig, vp[0], vp[1], vp[2], vp[3], &fig->theme.panel);
    fig_panel_select(p);
    *out = p;
    return 0;
}

void fig_axes_grid(gdlab_figure *fig, const gdlab_axes *a, const fig_panel_state *p,
                   const fig_axes_layout *lay)
{
    if (!a->grid || fig->mono) return; /* black dashed grids would drown the data */
    fig_panel_select(p);
    fig_color(&fig->theme.grid);
    fig_width(fig, 0.8);
    fig_dashes(fig, 1);
    for (int i = 0; i < lay->xt.n; i++) pljoin(lay->xt.major[i], p->win[2], lay->xt.major[i], p->win[3]);
    for (int i = 0; i < lay->yt.n; i++) pljoin(p->win[0], lay->yt.major[i], p->win[1], lay->yt.major[i]);
    fig_dashes(fig, 0);
}

/* The frame and ticks in NDC: ticks point outwards, like matplotlib's. */
static void frame_and_ticks(gdlab_figure *fig, const fig_panel_state *p, const fig_axes_layout *lay)
{
    const double *vp = p->vp;
    const double tx = fig_ndc_y(fig, TICK_LEN), ty = fig_ndc_x(fig, TICK_LEN);
    plvpor(0, 1, 0, 1);
    plwind(0, 1, 0, 1);
    fig_width(fig, 1.0);
    fig_color(&fig->theme.frame);
    PLFLT fx[5] = {vp[0], vp[1], vp[1], vp[0], vp[0]}, fy[5] = {vp[2], vp[2], vp[3], vp[3], vp[2]};
    plline(5, fx, fy);
    fig_color(&fig->theme.text);
    fig_width(fig, 0.8);
    const double sx = (vp[1] - vp[0]) / (p->win[1] - p->win[0]);
    const double sy = (vp[3] - vp[2]) / (p->win[3] - p->win[2]);
    for (int i = 0; i < lay->xt.n; i++) {
        const double x = vp[0] + (lay->xt.major[i] - p->win[0]) * sx;
        if (x >= vp[0] - 1e-9 && x <= vp[1] + 1e-9) pljoin(x, vp[2], x, vp[2] - tx);
    }
    for (int i = 0; i < lay->xt.n_minor; i++) {
        const double x = vp[0] + (lay->xt.minor[i] - p->win[0]) * sx;
        if (x >= vp[0] && x <= vp[1]) pljoin(x, vp[2], x, vp[2] - tx / 2);
    }
    for (int i = 0; i < lay->yt.n; i++) {
        const double y = vp[2] + (lay->yt.major[i] - p->win[2]) * sy;
        if (y >= vp[2] - 1e-9 && y <= vp[3] + 1e-9) pljoin(vp[0], y, vp[0] - ty, y);
    }
    for (int i = 0; i < lay->yt.n_minor; i++) {
        const double y = vp[2] + (lay->yt.minor[i] - p->win[2]) * sy;
        if (y >= vp[2] && y <= vp[3]) pljoin(vp[0], y, vp[0] - ty / 2, y);
    }
    fig_font(fig, TICK_PX, 0, 0);
    const double xlab_y = vp[2] - fig_ndc_y(fig, TICK_LEN + PAD + fig_tpx(fig, TICK_PX) * 0.45);
    for (int i = 0; i < lay->xt.n; i++) {
        const double x = vp[0] + (lay->xt.major[i] - p->win[0]) * sx;
        if (x >= vp[0] - 1e-9 && x <= vp[1] + 1e-9) fig_text_ndc(fig, x, xlab_y, 0.5, 0, lay->xt.labels[i]);
    }
    const double ylab_x = vp[0] - fig_ndc_x(fig, TICK_LEN + PAD);
    for (int i = 0; i < lay->yt.n; i++) {
        const double y = vp[2] + (lay->yt.major[i] - p->win[2]) * sy;
        if (y >= vp[2] - 1e-9 && y <= vp[3] + 1e-9) fig_text_ndc(fig, ylab_x, y, 1.0, 0, lay->yt.labels[i]);
    }
}

static void draw_title(gdlab_figure *fig, const double *vp, const char *title)
{
    char line[512];
    int k = 0;
    const double y0 = vp[3] + fig_ndc_y(fig, PAD + 2.0 + fig_tpx(fig, TITLE_PX) * 0.2);
    const int n = count_lines(title);
    for (const char *s = title; s; k++) {
        const char *nl = strchr(s, '\n');
        const size_t len = nl ? (size_t)(nl - s) : strlen(s);
        snprintf(line, sizeof line, "%.*s", (int)len, s);
        /* The first line is the title proper; more lines are a subtitle. */
        fig_font(fig, TITLE_PX, k == 0, 0);
        fig_color(k == 0 ? &fig->theme.title : &fig->theme.text);
        const double y = y0 + fig_ndc_y(fig, ((n - 1 - k) * 1.35 + 0.4) * fig_tpx(fig, TITLE_PX));
        fig_text_ndc(fig, vp[0], y, 0.0, 0, line);
        s = nl ? nl + 1 : NULL;
    }
}

void fig_axes_end(gdlab_figure *fig, const gdlab_axes *a, const fig_panel_state *p,
                  const fig_axes_layout *lay)
{
    double cell[4];
    fig_cell_rect(fig, &a->panel, cell);
    frame_and_ticks(fig, p, lay);
    fig_font(fig, LABEL_PX, 0, 0);
    fig_color(&fig->theme.text);
    if (a->xlabel) {
        const double y = p->vp[2] - fig_ndc_y(fig, TICK_LEN + PAD + fig_tpx(fig, TICK_PX) * 1.1 + PAD +
                                                        fig_tpx(fig, LABEL_PX) * 0.55);
        fig_text_ndc(fig, (p->vp[0] + p->vp[1]) / 2, y, 0.5, 0, a->xlabel);
    }
    if (a->ylabel) {
        const double x = cell[0] + fig_ndc_x(fig, 10.0 + fig_tpx(fig, LABEL_PX) * 0.5);
        fig_text_ndc(fig, x, (p->vp[2] + p->vp[3]) / 2, 0.5, 90, a->ylabel);
    }
    if (a->title) draw_title(fig, p->vp, a->title);
    fig_panel_select(p);
}

void fig_series_limits(const gdlab_series *s, size_t n, int xlog, int ylog, double lim[4])
{
    lim[0] = lim[2] = HUGE_VAL, lim[1] = lim[3] = -HUGE_VAL;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < s[i].n; k++) {
            const double x = s[i].x ? s[i].x[k] : (double)k, y = s[i].y[k];
            if (!isfinite(x) || !isfinite(y) || (xlog && x <= 0) || (ylog && y <= 0)) continue;
            lim[0] = fmin(lim[0], x), lim[1] = fmax(lim[1], x);
            lim[2] = fmin(lim[2], y), lim[3] = fmax(lim[3], y);
        }
}
