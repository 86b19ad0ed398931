/* SPDX-License-Identifier: MIT */
/* surface3d.c — a field as a shaded 3-D surface (PLplot's plsurf3d, coloured by height with the
 * figure's colour map, optionally with its mesh) seen from a chosen azimuth and altitude, with the
 * trajectories lifted onto it. Like PLplot's example x08c, a log z axis guards log 0 by flooring at
 * the smallest positive sample. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig_internal.h"

void gdlab_surface3d_defaults(gdlab_surface3d_style *s)
{
    memset(s, 0, sizeof *s);
    s->azimuth = 30.0, s->altitude = 35.0, s->mesh = 1;
}

typedef struct s3d_job {
    const gdlab_axes *axes;
    const gdlab_field *field;
    const gdlab_surface3d_style *style;
    const gdlab_series *paths;
    const double *const *path_z;
    size_t n_paths;
    const char *cmap;
} s3d_job;

static void set_cmap1(const char *name)
{
    PLINT r[256], g[256], b[256];
    for (int i = 0; i < 256; i++) {
        const gdlab_rgba c = gdlab_colormap_at(name, i / 255.0);
        r[i] = c.r, g[i] = c.g, b[i] = c.b;
    }
    plscmap1(r, g, b, 256);
}

/* The box plw3d draws: BASE x BASE wide, HEIGHT tall, its base centred on the world origin. */
#define BASE 1.0
#define HEIGHT 0.9

/* The world window that fits the projected box (PLplot's plw3d projection: x' = cos(az)·x −
 * sin(az)·y, y' = sin(alt)·(sin(az)·x + cos(az)·y) + cos(alt)·z), with room for the axis labels. */
static void box_window(double az_deg, double alt_deg, double win[4])
{
    const double az = az_deg * M_PI / 180.0, alt = alt_deg * M_PI / 180.0;
    win[0] = win[2] = HUGE_VAL, win[1] = win[3] = -HUGE_VAL;
    for (int c = 0; c < 8; c++) {
        const double x = (c & 1 ? 0.5 : -0.5) * BASE, y = (c & 2 ? 0.5 : -0.5) * BASE, z = c & 4 ? HEIGHT : 0.0;
        const double u = cos(az) * x - sin(az) * y, v = sin(alt) * (sin(az) * x + cos(az) * y) + cos(alt) * z;
        win[0] = fmin(win[0], u), win[1] = fmax(win[1], u), win[2] = fmin(win[2], v), win[3] = fmax(win[3], v);
    }
    const double mx = 0.17 * (win[1] - win[0]), my = 0.13 * (win[3] - win[2]);
    win[0] -= mx, win[1] += mx, win[2] -= my, win[3] += my * 0.3;
}

/* The floor and the two far walls of the box, as matplotlib's panes: they give the eye its depth.
 * A point is farther the larger sin(az)·x + cos(az)·y (see box_window). */
static void back_walls(gdlab_figure *fig, double az_deg, const double b[6])
{
    const double az = az_deg * M_PI / 180.0;
    const double fx = sin(az) > 0 ? b[1] : b[0], fy = cos(az) > 0 ? b[3] : b[2];
    PLFLT floor_x[4] = {b[0], b[1], b[1], b[0]}, floor_y[4] = {b[2], b[2], b[3], b[3]};
    PLFLT floor_z[4] = {b[4], b[4], b[4], b[4]};
    PLFLT wx_x[4] = {fx, fx, fx, fx}, wx_y[4] = {b[2], b[3], b[3], b[2]}, wx_z[4] = {b[4], b[4], b[5], b[5]};
    PLFLT wy_x[4] = {b[0], b[1], b[1], b[0]}, wy_y[4] = {fy, fy, fy, fy}, wy_z[4] = {b[4], b[4], b[5], b[5]};
    fig_paper(&fig->theme.panel);
    plfill3(4, floor_x, floor_y, floor_z);
    plfill3(4, wx_x, wx_y, wx_z);
    plfill3(4, wy_x, wy_y, wy_z);
    fig_color(&fig->theme.frame);
    fig_width(fig, 0.8);
    PLFLT ex[5] = {fx, fx, fx, fx, fx}, ey[5] = {b[2], b[3], b[3], b[2], b[2]}, ez[5] = {b[4], b[4], b[5], b[5], b[4]};
    plline3(5, ex, ey, ez);
    PLFLT gx[5] = {b[0], b[1], b[1], b[0], b[0]}, gy[5] = {fy, fy, fy, fy, fy}, gz[5] = {b[4], b[4], b[5], b[5], b[4]};
    plline3(5, gx, gy, gz);
}

/* Where the box point (x, y, z) (data units; z as plotted) lands on the page, in NDC: PLplot's plw3d
 * projection (see box_window) followed by the panel's world-to-viewport map. */
typedef struct s3d_view {
    double x0, x1, y0, y1, z0, z1; /* the box in data units */
    double az, alt;                /* radians */
    const fig_panel_state *p;
} s3d_view;

static void project(const s3d_view *v, double x, double y, double z, double *nx, double *ny)
{
    const double bx = ((x - v->x0) / (v->x1 - v->x0) - 0.5) * BASE, by = ((y - v->y0) / (v->y1 - v->y0) - 0.5) * BASE;
    const double bz = (z - v->z0) / (v->z1 - v->z0) * HEIGHT;
    const double u = cos(v->az) * bx - sin(v->az) * by;
    const double w = sin(v->alt) * (sin(v->az) * bx + cos(v->az) * by) + cos(v->alt) * bz;
    const fig_panel_state *p = v->p;
    *nx = p->vp[0] + (u - p->win[0]) / (p->win[1] - p->win[0]) * (p->vp[1] - p->vp[0]);
    *ny = p->vp[2] + (w - p->win[2]) / (p->win[3] - p->win[2]) * (p->vp[3] - p->vp[2]);
}

/* The z axis, drawn by hand at the box's leftmost vertical edge: horizontal tick labels beside
 * ticks that point left, as on a 2-D panel (plbox3 slants its z labels along the view and writes
 * them over the ticks). On a log scale the labels are powers of ten. */
static void z_axis(gdlab_figure *fig, const s3d_view *v, int logscale, const char *label)
{
    double cx = v->x0, cy = v->y0, best = HUGE_VAL;
    for (int c = 0; c < 4; c++) {
        const double x = c & 1 ? v->x1 : v->x0, y = c & 2 ? v->y1 : v->y0;
        double nx, ny;
        project(v, x, y, v->z0, &nx, &ny);
        if (nx < best - 1e-12) best = nx, cx = x, cy = y;
    }
    fig_ticks t;
    if (logscale)
        fig_ticks_log(v->z0, v->z1, &t);
    else
        fig_ticks_linear(v->z0, v->z1, 5, &t);
    const double tick = fig_ndc_x(fig, 4.0), pad = fig_ndc_x(fig, 4.0);
    double ax0, ay0, ax1, ay1;
    project(v, cx, cy, v->z0, &ax0, &ay0);
    project(v, cx, cy, v->z1, &ax1, &ay1);
    fig_color(&fig->theme.frame);
    fig_width(fig, 0.8);
    plvpor(0.0, 1.0, 0.0, 1.0);
    plwind(0.0, 1.0, 0.0, 1.0);
    pljoin(ax0, ay0, ax1, ay1);
    fig_font(fig, FIG_PT(10), 0, 0);
    fig_color(&fig->theme.text);
    double widest = 0.0;
    const double eps = (v->z1 - v->z0) * 1e-9;
    for (int i = 0; i < t.n; i++) {
        if (t.major[i] < v->z0 - eps || t.major[i] > v->z1 + eps) continue;
        double nx, ny;
        project(v, cx, cy, t.major[i], &nx, &ny);
        plvpor(0.0, 1.0, 0.0, 1.0);
        plwind(0.0, 1.0, 0.0, 1.0);
        pljoin(nx, ny, nx - tick, ny);
        fig_text_ndc(fig, nx - tick - pad, ny, 1.0, 0.0, t.labels[i]);
        widest = fmax(widest, fig_text_width(fig, t.labels[i]));
    }
    fig_font(fig, FIG_PT(10.5), 0, 0);
    fig_text_ndc(fig, fmin(ax0, ax1) - tick - pad - fig_ndc_x(fig, widest + 4.0 + 6.0), (ay0 + ay1) / 2, 0.5,
                 90.0, label);
}

/* An axis along one floor edge of the box, drawn by hand so that its labels stand upright and read
 * like a 2-D panel's (plbox3 writes them slanted in the plane of the floor): the edge nearest the
 * viewer, ticks pointing away from the box, labels beyond them, the axis name beyond the labels.
 * along_x: the x axis (the edge y = y0 or y1), else the y axis (x = x0 or x1). */
static void floor_axis(gdlab_figure *fig, const s3d_view *v, int along_x, const char *label)
{
    /* The front edge is the one that projects lower on the page. */
    double a0x, a0y, a1x, a1y, b0x, b0y, b1x, b1y;
    if (along_x) {
        project(v, v->x0, v->y0, v->z0, &a0x, &a0y), project(v, v->x1, v->y0, v->z0, &a1x, &a1y);
        project(v, v->x0, v->y1, v->z0, &b0x, &b0y), project(v, v->x1, v->y1, v->z0, &b1x, &b1y);
    } else {
        project(v, v->x0, v->y0, v->z0, &a0x, &a0y), project(v, v->x0, v->y1, v->z0, &a1x, &a1y);
        project(v, v->x1, v->y0, v->z0, &b0x, &b0y), project(v, v->x1, v->y1, v->z0, &b1x, &b1y);
    }
    const int front_a = a0y + a1y <= b0y + b1y;
    const double fixed = along_x ? (front_a ? v->y0 : v->y1) : (front_a ? v->x0 : v->x1);
    /* Outward: from the box's floor centre through the edge's midpoint, in pixels. */
    double cx, cy, mx, my;
    project(v, (v->x0 + v->x1) / 2, (v->y0 + v->y1) / 2, v->z0, &cx, &cy);
    mx = front_a ? (a0x + a1x) / 2 : (b0x + b1x) / 2, my = front_a ? (a0y + a1y) / 2 : (b0y + b1y) / 2;
    double ox = (mx - cx) * fig->width, oy = (my - cy) * fig->height;
    const double len = hypot(ox, oy);
    if (len <= 0) return;
    ox /= len, oy /= len;
    const double lo = along_x ? v->x0 : v->y0, hi = along_x ? v->x1 : v->y1;
    fig_ticks t;
    fig_ticks_linear(lo, hi, 5, &t);
    plvpor(0.0, 1.0, 0.0, 1.0);
    plwind(0.0, 1.0, 0.0, 1.0);
    fig_color(&fig->theme.frame);
    fig_width(fig, 0.8);
    {
        double e0x, e0y, e1x, e1y;
        if (along_x)
            project(v, lo, fixed, v->z0, &e0x, &e0y), project(v, hi, fixed, v->z0, &e1x, &e1y);
        else
            project(v, fixed, lo, v->z0, &e0x, &e0y), project(v, fixed, hi, v->z0, &e1x, &e1y);
        pljoin(e0x, e0y, e1x, e1y);
    }
    fig_font(fig, FIG_PT(10), 0, 0);
    const double em = fig_tpx(fig, FIG_PT(10)), tick = 5.0, gap = 4.0;
    double reach = 0.0; /* how far out the labels go, px */
    for (int i = 0; i < t.n; i++) {
        double nx, ny;
        if (along_x)
            project(v, t.major[i], fixed, v->z0, &nx, &ny);
        else
            project(v, fixed, t.major[i], v->z0, &nx, &ny);
        fig_color(&fig->theme.text);
        pljoin(nx, ny, nx + fig_ndc_x(fig, ox * tick), ny + fig_ndc_y(fig, oy * tick));
        /* The label's centre sits out along the outward direction, far enough for its half-width. */
        const double w = fig_text_width(fig, t.labels[i]);
        const double out = tick + gap + fabs(ox) * w / 2 + fabs(oy) * em * 0.5;
        reach = fmax(reach, out + fabs(ox) * w / 2 + fabs(oy) * em * 0.5);
        fig_text_ndc(fig, nx + fig_ndc_x(fig, ox * out), ny + fig_ndc_y(fig, oy * out), 0.5, 0.0, t.labels[i]);
    }
    if (!label) return;
    fig_font(fig, FIG_PT(10.5), 0, 0);
    const double out = reach + gap + fig_tpx(fig, FIG_PT(10.5)) * 0.6 + fabs(ox) * fig_text_width(fig, label) / 2;
    fig_text_ndc(fig, mx + fig_ndc_x(fig, ox * out), my + fig_ndc_y(fig, oy * out), 0.5, 0.0, label);
}

/* A path lifted onto the surface, drawn over it: a halo in the page colour under the line so that
 * it stands out from the shading, then its start (circle) and end (star) in its colour. */
static void path3d(gdlab_figure *fig, const s3d_view *v, const gdlab_series *s, const double *px,
                   const double *py, const double *pz, size_t m, int first, int last)
{
    if (m < 1) return;
    const double w = s->width > 0 ? s->width : 2.0;
    gdlab_rgba halo = fig->theme.page;
    halo.a = 0.9;
    for (int pass = 0; pass < 2 && m >= 2; pass++) {
        fig_panel_select(v->p);
        fig_color(pass ? &s->color : &halo);
        fig_width(fig, pass ? w : w + 2.5);
        plline3((PLINT)m, px, py, pz);
    }
    double nx, ny;
    gdlab_rgba c = s->color;
    c.a = 1.0;
    if (first) {
        project(v, px[0], py[0], pz[0], &nx, &ny);
        fig_marker_ndc(fig, GDLAB_MARKER_CIRCLE, nx, ny, 12.0, &halo);
        fig_marker_ndc(fig, GDLAB_MARKER_CIRCLE, nx, ny, 9.0, &c);
    }
    if (last) {
        project(v, px[m - 1], py[m - 1], pz[m - 1], &nx, &ny);
        fig_marker_ndc(fig, GDLAB_MARKER_STAR, nx, ny, 15.0, &halo);
        fig_marker_ndc(fig, GDLAB_MARKER_STAR, nx, ny, 11.0, &c);
    }
    fig_panel_select(v->p);
}

static double lifted(double z, int logscale, double floor_value)
{
    if (!logscale) return z;
    return log10(z > floor_value ? z : floor_value);
}

static int s3d_body(gdlab_figure *fig, void *ctx, char *err, size_t errlen)
{
    const s3d_job *j = ctx;
    const gdlab_field *f = j->field;
    const size_t nx = f->nx, ny = f->ny;
    fig_panel_state *p = fig_panel(fig, &j->axes->panel, err, errlen);
    if (!p) return -1;
    /* PLplot wants z[i][j] at (x[i], y[j]); the field is row-major in y. */
    PLFLT *x = malloc(nx * sizeof *x), *y = malloc(ny * sizeof *y), **z = NULL;
    plAlloc2dGrid(&z, (PLINT)nx, (PLINT)ny);
    if (!x || !y || !z) {
        free(x), free(y);
        if (z) plFree2dGrid(z, (PLINT)nx, (PLINT)ny);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    double floor_value = HUGE_VAL;
    for (size_t k = 0; k < nx * ny; k++)
        if (f->z[k] > 0 && f->z[k] < floor_value) floor_value = f->z[k];
    double zmin = HUGE_VAL, zmax = -HUGE_VAL;
    for (size_t i = 0; i < nx; i++) x[i] = f->xmin + (f->xmax - f->xmin) * i / (nx - 1);
    for (size_t k = 0; k < ny; k++) y[k] = f->ymin + (f->ymax - f->ymin) * k / (ny - 1);
    for (size_t i = 0; i < nx; i++)
        for (size_t k = 0; k < ny; k++) {
            double v = lifted(f->z[k * nx + i], j->style->log, floor_value);
            if (!isfinite(v)) v = NAN;
            z[i][k] = v;
            if (isfinite(v)) zmin = fmin(zmin, v), zmax = fmax(zmax, v);
        }
    int rc = 0;
    if (!(zmax >= zmin)) {
        snprintf(err, errlen, "surface3d: the field has no finite values");
        rc = -1;
    } else {
        if (zmax == zmin) zmax = zmin + 1;
        for (size_t i = 0; i < nx; i++) /* plsurf3d cannot shade NaN: clamp to the top */
            for (size_t k = 0; k < ny; k++)
                if (!isfinite(z[i][k])) z[i][k] = zmax;
        double cell[4];
        fig_cell_rect(fig, &j->axes->panel, cell);
        const double top = j->axes->title ? 10.0 + fig_tpx(fig, FIG_PT(12)) * 1.35 * 2 : 6.0;
        p->vp[0] = cell[0] + fig_ndc_x(fig, 6), p->vp[1] = cell[1] - fig_ndc_x(fig, 6);
        p->vp[2] = cell[2] + fig_ndc_y(fig, 6), p->vp[3] = cell[3] - fig_ndc_y(fig, top);
        box_window(j->style->azimuth, j->style->altitude, p->win);
        p->drawn = 1, p->is3d = 1, p->xlog = p->ylog = 0;
        fig_fill_paper_ndc(fig, cell[0], cell[1], cell[2], cell[3], &fig->theme.page);
        fig_panel_select(p);
        plw3d(BASE, BASE, HEIGHT, f->xmin, f->xmax, f->ymin, f->ymax, zmin, zmax, j->style->altitude,
              j->style->azimuth);
        const double bounds[6] = {f->xmin, f->xmax, f->ymin, f->ymax, zmin, zmax};
        back_walls(fig, j->style->azimuth, bounds);
        set_cmap1(j->cmap);
        gdlab_rgba mesh = fig->theme.dark ? (gdlab_rgba){0, 0, 0, 0.35} : (gdlab_rgba){40, 40, 40, 0.35};
        fig_color(&mesh);
        fig_width(fig, 0.4);
        if (fig->mono) /* shading needs colour: the mesh alone, hidden lines removed */
            plot3d(x, y, (PLFLT_MATRIX)z, (PLINT)nx, (PLINT)ny, DRAW_LINEXY, 0);
        else
            plsurf3d(x, y, (PLFLT_MATRIX)z, (PLINT)nx, (PLINT)ny, MAG_COLOR | (j->style->mesh ? FACETED : 0), NULL, 0);
        const s3d_view view = {f->xmin, f->xmax, f->ymin, f->ymax, zmin, zmax,
                               j->style->azimuth * M_PI / 180.0, j->style->altitude * M_PI / 180.0, p};
        floor_axis(fig, &view, 1, j->axes->xlabel ? j->axes->xlabel : "x");
        floor_axis(fig, &view, 0, j->axes->ylabel ? j->axes->ylabel : "y");
        z_axis(fig, &view, j->style->log, j->style->zlabel ? j->style->zlabel : "f");
        fig_panel_select(p);
        for (size_t i = 0; i < j->n_paths; i++) {
            const gdlab_series *s = &j->paths[i];
            double *pz = malloc((s->n ? s->n : 1) * 3 * sizeof *pz);
            if (!pz) {
                fig_out_of_memory("a path on the surface");
                break;
            }
            double *px = pz + s->n, *py = px + s->n;
            size_t m = 0;
            int first = 1; /* the piece being collected starts at the run's start */
            /* Points off the x/y box (or not finite) are left out. A height outside the sampled
             * range (the grid misses the minimum, or the surface dips below its floor on a log
             * scale) is clamped into the box: the path lies on the surface as drawn. */
            for (size_t k = 0; k < s->n; k++) {
                const double zz = lifted(j->path_z[i][k], j->style->log, floor_value);
                const int inside = s->x[k] >= f->xmin && s->x[k] <= f->xmax && s->y[k] >= f->ymin &&
                                   s->y[k] <= f->ymax && !isnan(zz);
                if (!inside) {
                    path3d(fig, &view, s, px, py, pz, m, first && m > 0, 0);
                    first = 0, m = 0;
                    continue;
                }
                px[m] = s->x[k], py[m] = s->y[k], pz[m] = fmin(fmax(zz, zmin), zmax), m++;
            }
            path3d(fig, &view, s, px, py, pz, m, first, 1);
            free(pz);
        }
        if (j->axes->title) {
            const gdlab_axes *a = j->axes;
            fig_font(fig, FIG_PT(12), 1, 0);
            fig_color(&fig->theme.title);
            char line[256];
            const char *nl = strchr(a->title, '\n');
            snprintf(line, sizeof line, "%.*s", (int)(nl ? (size_t)(nl - a->title) : strlen(a->title)), a->title);
            fig_text_ndc(fig, cell[0] + fig_ndc_x(fig, 10), cell[3] - fig_ndc_y(fig, 4 + fig_tpx(fig, FIG_PT(12)) * 0.6), 0.0, 0, line);
            if (nl) {
                fig_font(fig, FIG_PT(12), 0, 0);
                fig_color(&fig->theme.text);
                fig_text_ndc(fig, cell[0] + fig_ndc_x(fig, 10), cell[3] - fig_ndc_y(fig, 4 + fig_tpx(fig, FIG_PT(12)) * 1.95), 0.0, 0, nl + 1);
            }
        }
        set_cmap1(fig->colormap);
    }
    free(x), free(y);
    plFree2dGrid(z, (PLINT)nx, (PLINT)ny);
    return rc;
}

int gdlab_figure_surface3d(gdlab_figure *fig, const gdlab_axes *axes, const gdlab_field *field,
                           const gdlab_surface3d_style *style, const gdlab_series *paths,
                           const double *const *path_z, size_t n_paths, char *err, size_t errlen)
{
    if (!field->z || field->nx < 2 || field->ny < 2) {
        snprintf(err, errlen, "surface3d: the field must be sampled on a grid of at least 2 x 2");
        return -1;
    }
    if (!(style->altitude >= 0 && style->altitude <= 90) || !isfinite(style->azimuth)) {
        snprintf(err, errlen, "surface3d: altitude %g must be 0 to 90 degrees (azimuth any angle)", style->altitude);
        return -1;
    }
    const s3d_job j = {axes, field, style, paths, path_z, n_paths, style->colormap ? style->colormap : fig->colormap};
    if (gdlab_colormap_check(j.cmap, err, errlen)) return -1;
    return fig_run(fig, s3d_body, (void *)&j, err, errlen);
}
