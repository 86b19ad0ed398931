/* SPDX-License-Identifier: MIT */
/* fig_internal.h — what the files of core/figure/ share: the figure struct, the theme, geometry of
 * panels and the small drawing helpers every figure kind uses. Not installed. */
#ifndef GDLAB_FIG_INTERNAL_H
#define GDLAB_FIG_INTERNAL_H

#include <plplot.h>
#include <stddef.h>

#include "gdlab/figure.h"
#include "gdlab/gdlab.h"

#define FIG_MAX_TICKS 64
/* xfig: cmap0 slots 16.. for distinct colours, and cmap1 entries, such that the driver's colour table
 * (twice each map, from colour 33) ends below xfig's last user colour, 543. */
#define FIG_INDEXED_COLORS 220
#define FIG_INDEXED_CMAP1 16

/* Resolved theme colours. */
typedef struct fig_theme {
    int dark;
    gdlab_rgba page, panel, frame, text, title, grid, contour, legend;
    gdlab_rgba palette[8];
} fig_theme;

/* Text sizes are given in points at matplotlib's default 100 dpi (10 pt = 13.9 px at scale 1). */
#define FIG_PT(pt) ((pt) * 100.0 / 72.0)

/* Legend rows of a panel (labels point into the caller's strings while the panel is drawn). */
typedef struct fig_legend {
    gdlab_legend_entry entries[32];
    int n;
} fig_legend;

/* The figure's key: every panel's legend rows, each label once, kept (labels copied) until the
 * figure is closed and redrawn in a strip at the bottom of the page whenever a panel adds to it. */
#define FIG_KEY_MAX 32
typedef struct fig_key {
    int rows;                   /* rows reserved at the bottom; 0: no key */
    gdlab_legend_entry entries[FIG_KEY_MAX];
    char labels[FIG_KEY_MAX][96];
    int n;
} fig_key;

/* What a panel keeps after it is drawn, for overlays. */
typedef struct fig_panel_state {
    int drawn;
    double vp[4];  /* viewport, normalized device coordinates: xmin, xmax, ymin, ymax */
    double win[4]; /* data window (log10 of the limits on log axes) */
    int xlog, ylog;
    int is3d;
} fig_panel_state;

struct gdlab_figure {
    int stream;                 /* PLplot stream */
    int owns_stream;            /* 0 when the stream is a book's */
    gdlab_book *book;
    int broken;                 /* a fatal PLplot error left the stream unusable */
    int mono;                   /* a black-and-white device: no colour fills (see draw.c) */
    int n_indexed;              /* colours named by index (xfig, see draw.c): slots used; -1 otherwise */
    unsigned char indexed_colors[FIG_INDEXED_COLORS][3];
    char broken_reason[256];
    const gdlab_device_info *dev;
    char *path;
    struct gdlab_output *out;   /* the file being written (gdlab/output.h); NULL for books, windows, memory */
    struct fig_window *window;  /* the window gdlab made for xcairo/xwin (window.h), or NULL */
    struct fig_ps *ps;          /* the PostScript surface of a pscairo/epscairo figure (pscairo.c), or NULL */
    int opened;                 /* gdlab_figure_open finished: only then may close keep the file */
    int width, height;          /* pixels */
    double scale;
    double text_scale;          /* font_scale: text alone, on top of scale */
    double mm_per_px;           /* page millimetres per pixel, as the driver sees the page */
    int rows, cols;
    double grid_top;            /* NDC top of the panel grid (below the figure title) */
    double grid_bottom;         /* NDC bottom of the panel grid (above the key) */
    fig_key key;
    fig_theme theme;
    char colormap[32];
    fig_panel_state *panels;    /* rows * cols, indexed by the panel's first cell */
    double font_px;             /* the current font, for measuring text */
    int font_bold, font_mono;
};

/* figure.c */
int fig_fixed_page(const gdlab_device_info *dev);

/* headroom.c: under `ulimit -v`, is there room for the libraries under dev (gdlab_device_ready's first
 * half)? 0, or -1 with err. fig_limit_left writes "`ulimit -v N` leaves M MB free" and returns 1 under
 * a limit; without one it writes nothing and returns 0. */
int fig_headroom(const gdlab_device_info *dev, int width, int height, const char *what, char *err, size_t errlen);
int fig_limit_left(char *buf, size_t n);

/* pscairo.c: pscairo and epscairo draw through PLplot's extcairo driver on a cairo PostScript surface
 * gdlab owns (why: see pscairo.c). The order: fig_ps_open, plsdev(fig_plplot_device), plinit,
 * fig_ps_attach; per page fig_ps_page_start after pladv and fig_ps_page_end when it is done; then
 * fig_ps_close, which finishes the document into out (0, or -1 with the cause: "File too large, writing
 * cairo's temporary page file in /tmp"), or fig_ps_discard. */
typedef struct fig_ps fig_ps;
int fig_ps_device(const gdlab_device_info *dev);
const char *fig_plplot_device(const gdlab_device_info *dev); /* the name PLplot knows the device by */
fig_ps *fig_ps_open(const gdlab_device_info *dev, struct gdlab_output *out, int width, int height, char *err,
                    size_t errlen);
void fig_ps_attach(fig_ps *ps);
void fig_ps_page_start(fig_ps *ps);
void fig_ps_page_end(fig_ps *ps);
int fig_ps_close(fig_ps *ps, char *cause, size_t causelen);
void fig_ps_discard(fig_ps *ps);

/* book.c: the stream a book draws into, for the next figure; -1 with err when its page is still open
 * or the device cannot start its page (gdlab_device_ready). */
int fig_book_stream(gdlab_book *book, const gdlab_device_info **dev, const char **path, int *width,
                    int *height, fig_ps **ps, char *err, size_t errlen);
void fig_book_page_done(gdlab_book *book);

/* guard.c: every public drawing function runs its body through fig_run, which makes the figure's
 * stream current, traps PLplot errors (a fatal one marks the figure broken; memory the body held at
 * that moment is lost) and restores the previous stream. body returns 0, or -1 with err written. */
typedef int (*fig_body)(gdlab_figure *fig, void *ctx, char *err, size_t errlen);
int fig_run(gdlab_figure *fig, fig_body body, void *ctx, char *err, size_t errlen);
void fig_install_handlers(void);
/* A drawing step that could not allocate what it needs (and so drew less) says so here: the fig_run it
 * runs under then fails with "out of memory drawing what", whatever its body returns. */
void fig_out_of_memory(const char *what);

/* theme.c */
int fig_theme_resolve(const gdlab_theme *t, fig_theme *out, char *err, size_t errlen);

/* draw.c: colours, sizes, text and primitives in the units of fig. */
void fig_color(const gdlab_rgba *c);                             /* ink: lines, text, markers */
void fig_paper(const gdlab_rgba *c);                             /* backgrounds */
void fig_draw_target(const gdlab_figure *fig);                   /* set by fig_run */
double fig_mm(const gdlab_figure *fig, double px);           /* px at scale 1 -> mm on the page */
double fig_ndc_x(const gdlab_figure *fig, double px);        /* px -> fraction of page width */
double fig_ndc_y(const gdlab_figure *fig, double px);
/* Sets the current font: px is the nominal size (px at scale 1), enlarged by the font scale. */
void fig_font(gdlab_figure *fig, double px, int bold, int mono);
double fig_tpx(const gdlab_figure *fig, double px); /* a nominal text size -> px at scale 1 */
double fig_text_width(const gdlab_figure *fig, const char *text); /* current font, px at scale 1 */
double fig_text_em(const char *text, int bold, int mono);      /* textwidth.c: width in em */
void fig_text_prepare(const gdlab_figure *fig, const char *text, char *out, size_t outlen);
void fig_width(const gdlab_figure *fig, double px);
/* A straight arrow from (ax, ay) to (bx, by), NDC, head head_px long (px at scale 1), current colour. */
void fig_arrow_ndc(const gdlab_figure *fig, double ax, double ay, double bx, double by, double width_px,
                   double head_px);
void fig_fill_rect_ndc(const gdlab_figure *fig, double x0, double x1, double y0, double y1,
                       const gdlab_rgba *c);
/* The same for a background (page, panel, legend box): white on black-and-white devices. */
void fig_fill_paper_ndc(const gdlab_figure *fig, double x0, double x1, double y0, double y1,
                        const gdlab_rgba *c);
/* Text in normalized device coordinates; just is 0 left .. 1 right; angle in degrees. */
void fig_text_ndc(const gdlab_figure *fig, double x, double y, double just, double angle,
                  const char *text);
/* World <-> NDC for the current panel. */
double fig_wx(const fig_panel_state *p, double x);           /* data x -> world x (log10 on log) */
double fig_wy(const fig_panel_state *p, double y);
double fig_world_per_px_x(const gdlab_figure *fig, const fig_panel_state *p);
double fig_world_per_px_y(const gdlab_figure *fig, const fig_panel_state *p);
/* Polyline in world coordinates, breaking at non-finite points and clipping to the window. */
void fig_polyline(const double *x, const double *y, size_t n);
void fig_dashes(const gdlab_figure *fig, int dashed);
int fig_rgba_is_set(const gdlab_rgba *c);

/* live.c: repaint a figure's window after an Expose (ctx is the figure). */
void fig_window_repaint(void *ctx);

/* contour.c: devices that draw pixels (files or windows) */
int fig_is_raster(const gdlab_figure *fig);

/* layout.c */
fig_panel_state *fig_panel(const gdlab_figure *fig, const gdlab_panel *p, char *err, size_t errlen);
/* The cell rectangle (NDC) of a panel. */
void fig_cell_rect(const gdlab_figure *fig, const gdlab_panel *p, double r[4]);
/* 0 if the viewport vp (NDC) left for panel p's drawing is at least 20 pixels each way; else -1
 * with the message (PLplot would refuse an empty viewport and leave no window to draw in). */
int fig_viewport_fits(const gdlab_figure *fig, const gdlab_panel *p, const double vp[4], char *err,
                      size_t errlen);

/* axes.c: lay out a panel with ticks for the given limits, draw its background; later the frame. */
typedef struct fig_ticks {
    double major[FIG_MAX_TICKS];
    char labels[FIG_MAX_TICKS][32];
    int n;
    double minor[FIG_MAX_TICKS * 4];
    int n_minor;
} fig_ticks;
typedef struct fig_axes_layout {
    fig_ticks xt, yt;
    double right_extra_px;      /* room on the right (colorbar) */
} fig_axes_layout;
int fig_axes_begin(gdlab_figure *fig, const gdlab_axes *a, double xmin, double xmax, double ymin,
                   double ymax, double right_extra_px, fig_panel_state **out, fig_axes_layout *lay,
                   char *err, size_t errlen);
void fig_axes_grid(gdlab_figure *fig, const gdlab_axes *a, const fig_panel_state *p,
                   const fig_axes_layout *lay);
void fig_axes_end(gdlab_figure *fig, const gdlab_axes *a, const fig_panel_state *p,
                  const fig_axes_layout *lay);
void fig_ticks_linear(double lo, double hi, int target, fig_ticks *t);
void fig_ticks_log(double lo10, double hi10, fig_ticks *t);
/* Select a drawn panel's viewport and window again. */
void fig_panel_select(const fig_panel_state *p);
/* Data limits of series, ignoring non-finite values (and non-positive ones on log axes). */
void fig_series_limits(const gdlab_series *s, size_t n, int xlog, int ylog, double lim[4]);
void fig_limits_pad(double *lo, double *hi, int logscale, double frac);

/* marker.c */
void fig_marker(const gdlab_figure *fig, const fig_panel_state *p, gdlab_marker m, double wx,
                double wy, double size_px, const gdlab_rgba *c);
/* The same marker at a point given in NDC (legends). */
void fig_marker_ndc(const gdlab_figure *fig, gdlab_marker m, double x, double y, double size_px,
                    const gdlab_rgba *c);

/* series.c */
void fig_series_draw(gdlab_figure *fig, const fig_panel_state *p, const gdlab_series *s);
void fig_mark_draw(gdlab_figure *fig, const fig_panel_state *p, const gdlab_point_mark *m);

/* legend.c */
void fig_legend_add_series(fig_legend *l, const gdlab_series *s, size_t n);
void fig_legend_add_marks(fig_legend *l, const gdlab_point_mark *m, size_t n);
void fig_legend_add(fig_legend *l, const gdlab_legend_entry *e, size_t n);
/* In the panel at pos; with a figure key the rows go to the key instead (unless pos is none). */
void fig_legend_draw(gdlab_figure *fig, const fig_panel_state *p, const fig_legend *l,
                     gdlab_legend_pos pos, const gdlab_series *data, size_t n_data);
/* The height of the key strip in px at scale 1 (0 without a key). */
double fig_key_height(const gdlab_figure *fig);

/* isolines.c: contour lines of z (ny rows of nx samples at gx[i], gy[j]) at one level; each traced
 * polyline goes to sink. Returns 0, or -1 when out of memory. */
typedef void (*isoline_sink)(void *ctx, const double *x, const double *y, size_t n);
int isolines(const double *z, size_t nx, size_t ny, const double *gx, const double *gy,
             double level, isoline_sink sink, void *ctx);

/* bands.c: filled contours, painted level by level: everything at or above levels[k] in colors[k+1]
 * over colors[0]. Cells are the rectangles ex[i]..ex[i+1] x ey[j]..ey[j+1] around sample (i, j). */
int fill_bands(const double *z, size_t nx, size_t ny, const double *ex, const double *ey,
               const double *levels, int n_levels, const gdlab_rgba *colors);

/* colorbar.c: a vertical bar right of the panel; values are the band edges (log10 when log); the
 * colour map is used from 0 to span (< 1 when lines stop short of its palest end). */
/* The room (px at scale 1) a colour bar takes right of its panel, with or without its label. */
double fig_colorbar_room(const gdlab_figure *fig, int labelled);
void fig_colorbar(gdlab_figure *fig, const fig_panel_state *p, const char *cmap,
                  const double *edges, int n_edges, int banded, int log, double span, const char *label);

#endif
