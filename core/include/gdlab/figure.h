/* SPDX-License-Identifier: MIT */
/*
 * gdlab/figure.h — figures: pictures of surfaces, runs and derived data, drawn with PLplot on any of
 * its devices (core/figure/, one file per figure kind). Nothing here exposes PLplot itself.
 *
 * A figure is one page: a grid of panels (a panel may span several cells) under an optional title.
 * Each drawing call fills one panel: it lays the panel out (margins from the real width of the tick
 * labels), draws the content, then the frame, ticks and labels on top. The panel keeps its data
 * window, so overlays (markers, annotations, more lines) can be added to it afterwards.
 *
 * Sizes are in pixels of the figure at scale 1 (`scale` enlarges text, lines and markers together,
 * `font_scale` text alone); vector devices get the same proportions. Text is UTF-8; `x_1`, `V_t`,
 * `10^-3`, `e^{-x}` are written as sub- and superscripts (see draw.c, fig_text_prepare).
 *
 * Errors: functions that can fail take `char *err, size_t errlen`, return non-zero (or NULL) and write
 * one line naming the culprit. A fatal PLplot error becomes such an error instead of exit().
 */
#ifndef GDLAB_FIGURE_H
#define GDLAB_FIGURE_H

#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>

#include "gdlab/gdlab.h" /* GDLAB_ERRLEN */

#ifdef __cplusplus
extern "C" {
#endif
#pragma GCC visibility push(default)

/* ---------------------------------------------------------------------------------------------------
 * Devices (core/figure/device.c): PLplot's own list, classified.
 * ------------------------------------------------------------------------------------------------- */
typedef struct gdlab_device_info {
    const char *name;        /* PLplot's name: "pngcairo" */
    const char *description; /* PLplot's menu text */
    const char *extension;   /* of the file written ("png"); NULL for interactive devices */
    int interactive;         /* opens a window */
    int multipage;           /* writes several pages into one file */
    const char *driver;      /* the file PLplot loads it from, in its drivers folder, without ".so" ("cairo") */
} gdlab_device_info;

/* The devices gdlab can drive on this machine (PLplot's list minus memory/external-context ones). */
size_t gdlab_device_count(void);
const gdlab_device_info *gdlab_device_at(size_t i);
/* NULL, with "unknown device 'x'; available: a, b, ..." in err, when name is not usable. */
const gdlab_device_info *gdlab_device_find(const char *name, char *err, size_t errlen);
/* Can the device work here? Window devices need a display (else -1 and err says so); Qt's file
 * devices are told to render offscreen when there is none (else Qt aborts the process). */
int gdlab_device_prepare(const gdlab_device_info *dev, char *err, size_t errlen);
/* Can PLplot start dev for a width x height page now? Under `ulimit -v`, address space enough for the
 * libraries under it, fonts and text included (core/figure/headroom.c); and its driver file loaded
 * (device.c), so that a driver that cannot be loaded is an error naming the file and dlerror's reason
 * instead of PLplot's "Unable to load driver". 0 if so; else -1 with err, which starts with what
 * ("figure 'x.png'"). Every figure, animation frame, book page and pl.init calls it before plinit. */
int gdlab_device_ready(const gdlab_device_info *dev, int width, int height, const char *what, char *err,
                       size_t errlen);
/* The table `gdlab --devices` prints; -1 with err, and nothing printed, when PLplot could not list its
 * drivers. */
int gdlab_devices_print(FILE *out, char *err, size_t errlen);

/* ---------------------------------------------------------------------------------------------------
 * Colours and colour maps (core/figure/color.c, colormap.c).
 * ------------------------------------------------------------------------------------------------- */
typedef struct gdlab_rgba {
    unsigned char r, g, b;
    double a; /* 0 transparent .. 1 opaque */
} gdlab_rgba;

/* "#rgb", "#rrggbb", "#rrggbbaa" or a name (black, white, red, gold, ...). */
int gdlab_color_parse(const char *text, gdlab_rgba *out, char *err, size_t errlen);

/* Colour maps: viridis (default), plasma, magma, inferno, cividis, coolwarm, gray. */
int gdlab_colormap_check(const char *name, char *err, size_t errlen);
/* The colour at t in [0, 1] (clamped) of the named map; unknown names give viridis. */
gdlab_rgba gdlab_colormap_at(const char *name, double t);

/* ---------------------------------------------------------------------------------------------------
 * Figures (core/figure/figure.c, book.c, layout.c).
 * ------------------------------------------------------------------------------------------------- */
typedef struct gdlab_figure gdlab_figure;
typedef struct gdlab_book gdlab_book;

/* Where a drawing goes: cells of the grid, 0-based, spanning rowspan x colspan cells (0 means 1). */
typedef struct gdlab_panel {
    int row, col, rowspan, colspan;
} gdlab_panel;

/* A theme names colours; NULL members keep the base theme's. */
typedef struct gdlab_theme {
    const char *base;      /* "light" (default) or "dark" */
    const char *page;      /* page background */
    const char *panel;     /* background inside the axes */
    const char *frame;     /* axes frame (spines) */
    const char *text;      /* tick labels, axis labels */
    const char *title;     /* titles */
    const char *grid;      /* grid lines */
    const char *contour;   /* default contour line colour */
    const char *legend;    /* legend box background */
} gdlab_theme;

typedef struct gdlab_figure_config {
    const char *device;    /* NULL: "pngcairo" */
    const char *path;      /* the file to write (file devices); a window's name when it has no title */
    int width, height;     /* pixels; 0: 1000 x 700 */
    double scale;          /* text, lines and markers; 0: 1 */
    int rows, cols;        /* grid of panels; 0: 1 x 1 */
    const char *title;     /* figure title (may hold newlines) or NULL */
    gdlab_theme theme;
    const char *colormap;  /* default colour map of the figure; NULL: "viridis" */
    gdlab_book *book;      /* draw as the next page of this book (device and path are the book's) */
    /* Draw into memory instead (PLplot's memcairo device; device, path and book are then ignored):
     * width x height RGB pixels, 3 bytes each, rows top to bottom, both sizes given. The picture is
     * there once gdlab_figure_close returns. Animations draw their frames this way. */
    unsigned char *memory;
    /* Text only, on top of scale; 0: 1. At 1 the text matches matplotlib's defaults at 100 dpi
     * (ticks, labels and legends 10 pt = 13.9 px, panel titles 12 pt). */
    double font_scale;
    /* One key (legend) for the whole figure in a strip at the bottom of the page, gathering the
     * entries of every panel (each label once); panels then draw no legend of their own. */
    int key;
} gdlab_figure_config;

gdlab_figure *gdlab_figure_open(const gdlab_figure_config *cfg, char *err, size_t errlen);
/* Finish the page and write the file; frees fig in all cases. 0 on success. */
int gdlab_figure_close(gdlab_figure *fig, char *err, size_t errlen);
/* The file the figure writes (or the book's), NULL for interactive devices. */
const char *gdlab_figure_path(const gdlab_figure *fig);
const gdlab_device_info *gdlab_figure_device(const gdlab_figure *fig);

/* The theme's colour for the i-th series (cycles through 8). */
gdlab_rgba gdlab_figure_palette(const gdlab_figure *fig, size_t i);
/* The theme's neutral marker colour (start points) and its colour for minima. */
gdlab_rgba gdlab_figure_neutral(const gdlab_figure *fig);
/* How many samples per side a field drawn in this panel needs to look smooth: one per pixel on
 * raster devices, a few hundred on vector devices. */
void gdlab_figure_field_resolution(const gdlab_figure *fig, const gdlab_panel *panel, size_t *nx,
                                   size_t *ny);
/* Where the data point (x, y) of a drawn 2-D panel lands on the page, in pixels from the top left
 * (for tests and for pointing at things). -1 when the panel has no 2-D axes. */
int gdlab_figure_data_to_pixel(const gdlab_figure *fig, const gdlab_panel *panel, double x, double y,
                               double *px, double *py);
int gdlab_figure_rows(const gdlab_figure *fig);
int gdlab_figure_cols(const gdlab_figure *fig);

/* A book: several figures as pages of one file on a multi-page device (pdfcairo, pscairo, ps, ...).
 * The page size is the book's; a figure of another size is laid out on it. */
gdlab_book *gdlab_book_open(const char *device, const char *path, int width, int height,
                            char *err, size_t errlen);
int gdlab_book_close(gdlab_book *book, char *err, size_t errlen);
int gdlab_book_pages(const gdlab_book *book);

/* ---------------------------------------------------------------------------------------------------
 * What panels are made of.
 * ------------------------------------------------------------------------------------------------- */
typedef enum gdlab_marker {
    GDLAB_MARKER_NONE = 0,
    GDLAB_MARKER_CIRCLE,
    GDLAB_MARKER_SQUARE,
    GDLAB_MARKER_TRIANGLE,
    GDLAB_MARKER_DIAMOND,
    GDLAB_MARKER_STAR,
    GDLAB_MARKER_PLUS,
    GDLAB_MARKER_CROSS
} gdlab_marker;
/* "o", "s", "^", "d", "*", "+", "x" or circle, square, triangle, diamond, star, plus, cross, none. */
int gdlab_marker_parse(const char *text, gdlab_marker *out, char *err, size_t errlen);

/* A line with optional markers. Non-finite points break the line and are skipped. */
typedef struct gdlab_series {
    const double *x, *y;   /* n points; x NULL means 0, 1, 2, ... */
    size_t n;
    const char *label;     /* legend text, or NULL for no legend entry */
    gdlab_rgba color;
    double width;          /* line width in px; 0 draws no line */
    int dashed;
    gdlab_marker marker;
    double marker_size;    /* diameter in px; 0: 3 + 2·width */
    double marker_alpha;   /* 0: the line's alpha */
    /* Optional colour of segment k (x[k] -> x[k+1]), n - 1 entries; a zero alpha keeps `color`.
     * Segments drawn in another colour are drawn width_highlight px wide (0: width). */
    const gdlab_rgba *segment_colors;
    double width_highlight;
} gdlab_series;

/* An extra legend row (a highlighted phase, a marker's meaning). */
typedef struct gdlab_legend_entry {
    const char *label;
    gdlab_rgba color;
    double width;          /* line sample width; 0: none */
    int dashed;
    gdlab_marker marker;
    double marker_size;
    /* More than one colour: the marker is drawn once in each, side by side (the start points of
     * several runs, each in its run's colour); 0 or 1: `color` alone. */
    int n_colors;
    gdlab_rgba colors[4];
} gdlab_legend_entry;

/* Where a legend goes. */
typedef enum gdlab_legend_pos {
    GDLAB_LEGEND_BEST = 0, /* the corner where the least data lies */
    GDLAB_LEGEND_UPPER_RIGHT,
    GDLAB_LEGEND_UPPER_LEFT,
    GDLAB_LEGEND_LOWER_LEFT,
    GDLAB_LEGEND_LOWER_RIGHT,
    GDLAB_LEGEND_NONE,
    GDLAB_LEGEND_UPPER_CENTER,
    GDLAB_LEGEND_LOWER_CENTER
} gdlab_legend_pos;
int gdlab_legend_pos_parse(const char *text, gdlab_legend_pos *out, char *err, size_t errlen);

/* A horizontal (or vertical) reference line with a label at its end. */
typedef struct gdlab_refline {
    double value;
    const char *label;     /* may hold a newline */
    gdlab_rgba color;
    int vertical;
} gdlab_refline;

/* What every axes panel shares. NaN limits are taken from the data. */
typedef struct gdlab_axes {
    gdlab_panel panel;
    const char *title, *xlabel, *ylabel;
    double xmin, xmax, ymin, ymax;
    int xlog, ylog;
    int grid;              /* dashed grid lines at the major ticks */
    int equal;             /* same data units per pixel on both axes */
    gdlab_legend_pos legend;
    const double *xticks;  /* explicit tick positions (n_xticks of them), or NULL */
    size_t n_xticks;
    const char *const *xtick_labels; /* labels for xticks (bar charts), or NULL */
} gdlab_axes;
void gdlab_axes_defaults(gdlab_axes *a);

/* A scalar field on a rectangle: a function that can be sampled at any resolution, or samples on
 * a regular grid (z[j * nx + i] at x_i, y_j, both inclusive of the ends). */
typedef double (*gdlab_field_fn)(void *ctx, double x, double y);
typedef struct gdlab_field {
    gdlab_field_fn f;
    void *ctx;
    const double *z;
    size_t nx, ny;
    double xmin, xmax, ymin, ymax;
} gdlab_field;

typedef enum gdlab_levels_kind {
    GDLAB_LEVELS_LINEAR = 0, /* n equal steps between the field's min and max */
    GDLAB_LEVELS_LOG,        /* n levels spaced geometrically (numpy.geomspace) above the minimum */
    GDLAB_LEVELS_LOG1P,      /* equal steps of log(1 + max(f, 0)): the seeds' np.log1p(np.clip(Z, 0, None)) */
    GDLAB_LEVELS_LIST        /* the given values */
} gdlab_levels_kind;

typedef struct gdlab_levels {
    gdlab_levels_kind kind;
    int n;                 /* number of levels; 0: 20 */
    double lo, hi;         /* range of the levels; NaN: from the field */
    const double *values;  /* GDLAB_LEVELS_LIST */
} gdlab_levels;
/* Fill out[0..n) with the levels for a field whose values span [zmin, zmax]. Returns n, or -1. */
int gdlab_levels_compute(const gdlab_levels *lv, double zmin, double zmax, double *out, int cap,
                         char *err, size_t errlen);
int gdlab_levels_parse(const char *text, gdlab_levels_kind *out, char *err, size_t errlen);

typedef struct gdlab_contour_style {
    gdlab_levels levels;
    int filled;            /* filled bands in the colour map */
    int lines;             /* contour lines */
    const char *colormap;  /* NULL: the figure's */
    gdlab_rgba line_color; /* alpha 0: the colour map (unfilled) or the theme's contour colour */
    double line_width;     /* px; 0: 0.8 */
    int colorbar;
    const char *colorbar_label;
    size_t resolution;     /* samples along each axis for function fields; 0: automatic */
} gdlab_contour_style;
void gdlab_contour_style_defaults(gdlab_contour_style *c);

/* Landmarks and end points drawn on maps. */
typedef struct gdlab_point_mark {
    double x, y;
    gdlab_marker marker;
    gdlab_rgba color;
    double size;           /* px */
    const char *label;     /* legend entry, or NULL */
} gdlab_point_mark;

/* ---------------------------------------------------------------------------------------------------
 * Figure kinds. Each draws one panel and returns 0, or -1 with err set.
 * ------------------------------------------------------------------------------------------------- */

/* A map of a 2-D field with trajectories on it (contour.c, trajectory.c). */
int gdlab_figure_contour(gdlab_figure *fig, const gdlab_axes *axes, const gdlab_field *field,
                         const gdlab_contour_style *style, const gdlab_series *paths, size_t n_paths,
                         const gdlab_point_mark *marks, size_t n_marks,
                         const gdlab_legend_entry *extra, size_t n_extra, char *err, size_t errlen);

/* x–y lines with markers, reference lines and a legend: loss curves, 1-D views (curves.c). */
int gdlab_figure_lines(gdlab_figure *fig, const gdlab_axes *axes, const gdlab_series *series,
                       size_t n, const gdlab_refline *refs, size_t n_refs,
                       const gdlab_point_mark *marks, size_t n_marks,
                       const gdlab_legend_entry *extra, size_t n_extra, char *err, size_t errlen);

/* Bars at x (or at 1..n with labels), one colour each (bars.c). */
typedef struct gdlab_bars {
    const double *x;       /* NULL: 1, 2, ... n */
    const double *values;
    size_t n;
    const char *const *labels; /* tick labels, or NULL */
    const gdlab_rgba *colors;  /* per bar, or NULL for `color` */
    gdlab_rgba color;
    double width;          /* in x units; 0: 0.8 of the spacing */
    const char *label;     /* legend entry */
} gdlab_bars;
int gdlab_figure_bars(gdlab_figure *fig, const gdlab_axes *axes, const gdlab_bars *bars, size_t n,
                      const gdlab_refline *refs, size_t n_refs, char *err, size_t errlen);

/* A heatmap of grid samples (sweeps): cell (i, j) is z[j * nx + i], centred on x[i], y[j] (heatmap.c).
 * Non-finite cells are drawn in the `missing` colour. Optional contour lines over it. */
typedef struct gdlab_heatmap {
    const double *x, *y;   /* nx and ny cell centres (increasing; log-spaced when the axis is log) */
    const double *z;
    size_t nx, ny;
    int log;               /* log colour scale */
    double zmin, zmax;     /* NaN: from the data */
    const char *colormap;
    const char *colorbar_label;
    gdlab_rgba missing;    /* alpha 0: the theme's panel colour with a hatch-free grey */
    const double *contours;/* values of z to draw as lines over the cells, or NULL */
    size_t n_contours;
    gdlab_rgba contour_color;
    int annotate;          /* print each cell's value in it */
    /* Categories instead of a colour scale: z holds 0 .. n_categories − 1 and cell (i, j) takes
     * categories[z]; other values are missing. No colour bar: category_labels (or NULL) become legend
     * rows. shade (nx·ny values in [0, 1], or NULL) mixes a cell's colour towards the page colour. */
    const gdlab_rgba *categories;
    size_t n_categories;
    const char *const *category_labels;
    const double *shade;
    /* Lines over the cells (analytic boundaries, optima), with legend rows. */
    const gdlab_series *overlays;
    size_t n_overlays;
} gdlab_heatmap;
int gdlab_figure_heatmap(gdlab_figure *fig, const gdlab_axes *axes, const gdlab_heatmap *h,
                         char *err, size_t errlen);

/* A 3-D view of a field with paths lifted onto it: path i is drawn at heights path_z[i] (surface3d.c). */
typedef struct gdlab_surface3d_style {
    double azimuth, altitude; /* degrees; defaults 30 and 35 after gdlab_surface3d_defaults */
    int mesh;              /* draw the mesh lines */
    int log;               /* z on a log10 scale (floored at the smallest positive sample) */
    const char *colormap;
    size_t resolution;     /* samples per axis (the Lua binding's default: 40) */
    const char *zlabel;
} gdlab_surface3d_style;
void gdlab_surface3d_defaults(gdlab_surface3d_style *s);
int gdlab_figure_surface3d(gdlab_figure *fig, const gdlab_axes *axes, const gdlab_field *field,
                           const gdlab_surface3d_style *style, const gdlab_series *paths,
                           const double *const *path_z, size_t n_paths, char *err, size_t errlen);

/* A text panel: lines of UTF-8 text, top-left aligned (text.c). */
typedef struct gdlab_text_style {
    int mono;              /* monospace */
    double size;           /* px; 0: 13 */
    double line_spacing;   /* multiple of size; 0: 1.6 */
    gdlab_rgba color;      /* alpha 0: the theme's text colour */
    int frame;             /* draw the panel background and a frame */
    const char *title;
} gdlab_text_style;
int gdlab_figure_text(gdlab_figure *fig, const gdlab_panel *panel, const char *text,
                      const gdlab_text_style *style, char *err, size_t errlen);

/* Arrows on a 2-D panel drawn before (arrows.c): arrow i from (x[i], y[i]) to (x[i] + dx[i],
 * y[i] + dy[i]), data units. Arrows with a non-finite end or an end outside the panel are left out;
 * the head is at most 45 % of a short arrow. With a figure key, `label` becomes a row of it. */
typedef struct gdlab_arrows {
    const double *x, *y, *dx, *dy;
    size_t n;
    gdlab_rgba color;
    double width;          /* px; 0: 1.5 */
    double head;           /* head length in px; 0: 8 */
    const char *label;
} gdlab_arrows;
int gdlab_figure_arrows(gdlab_figure *fig, const gdlab_panel *panel, const gdlab_arrows *arrows,
                        char *err, size_t errlen);

/* Text at a data point of a panel already drawn, with an optional arrow from text to point. */
typedef struct gdlab_annotation {
    const char *text;
    double x, y;           /* the point annotated */
    double tx, ty;         /* where the text goes (data units); NaN: at the point */
    int arrow;
    gdlab_rgba color;      /* alpha 0: the theme's text colour */
    double size;           /* px; 0: 12 */
    int bold;
} gdlab_annotation;
int gdlab_figure_annotate(gdlab_figure *fig, const gdlab_panel *panel, const gdlab_annotation *a,
                          char *err, size_t errlen);

/* Run fn with the PLplot stream of fig current and the panel's viewport and window set (raw drawing
 * from the plplot Lua module); restores PLplot's stream afterwards. fn returns 0 or -1. */
int gdlab_figure_with_panel(gdlab_figure *fig, const gdlab_panel *panel,
                            int (*fn)(void *ctx, char *err, size_t errlen), void *ctx, char *err,
                            size_t errlen);

/* ---------------------------------------------------------------------------------------------------
 * Windows (core/figure/window.c, live.c): a figure on xcairo or xwin is drawn into a window gdlab
 * makes, which waits in gdlab_figure_close until the reader closes it (q, Escape, the close button).
 * In between a program can show what it drew and read the reader's keys and clicks.
 * ------------------------------------------------------------------------------------------------- */
typedef enum gdlab_event_kind {
    GDLAB_EVENT_NONE = 0,
    GDLAB_EVENT_CLOSE, /* q, Escape or the window manager's close button: the window is gone */
    GDLAB_EVENT_PAUSE, /* space: pause or resume */
    GDLAB_EVENT_STEP,  /* n: one step */
    GDLAB_EVENT_CLEAR, /* c: clear */
    GDLAB_EVENT_CLICK, /* a mouse button */
    GDLAB_EVENT_KEY    /* another key, named in key */
} gdlab_event_kind;
typedef struct gdlab_event {
    gdlab_event_kind kind;
    int button;        /* CLICK: 1 left, 2 middle, 3 right */
    double px, py;     /* the pointer, in pixels from the top left of the figure */
    char key[32];      /* KEY: the X name of the key ("a", "Return", "Left") */
} gdlab_event;

/* Is the figure in a window gdlab reads events from? (0 for files, memory and PLplot's own windows) */
int gdlab_figure_is_window(const gdlab_figure *fig);
/* Put what was drawn on the screen now (a no-op for files). */
int gdlab_figure_show(gdlab_figure *fig, char *err, size_t errlen);
/* Show what was drawn, then wait at most timeout seconds (< 0: until one comes) for the reader's next
 * event. 1 with *ev, 0 on timeout, -1 with err when the figure has no window or the window was
 * destroyed from outside. Once the reader closed the window, every call gives GDLAB_EVENT_CLOSE. */
int gdlab_figure_event(gdlab_figure *fig, double timeout, gdlab_event *ev, char *err, size_t errlen);
/* Close without waiting for the reader (garbage collection, errors); otherwise gdlab_figure_close. */
int gdlab_figure_dispose(gdlab_figure *fig);
/* Which drawn 2-D panel holds the pixel (px, py), and the data point there: the panel's index
 * (row * cols + col of its first cell), or -1 when the pixel is in none. */
int gdlab_figure_pixel_to_data(const gdlab_figure *fig, double px, double py, double *x, double *y);
/* Paint a panel's cell with the page colour, to draw the panel again (live figures). */
int gdlab_figure_clear_panel(gdlab_figure *fig, const gdlab_panel *panel, char *err, size_t errlen);
/* Draw lines and markers over a panel already drawn, in its data window (live runs). */
int gdlab_figure_overlay(gdlab_figure *fig, const gdlab_panel *panel, const gdlab_series *series, size_t n,
                         char *err, size_t errlen);

/* ---------------------------------------------------------------------------------------------------
 * Animations (core/figure/animation.c): figures drawn one after another in memory, written as the
 * frames of a looping GIF, or played live in a window (config.window).
 * ------------------------------------------------------------------------------------------------- */
typedef struct gdlab_animation gdlab_animation;
typedef struct gdlab_animation_config {
    const char *path;      /* the .gif, .mp4 (H.264) or .webm (VP9) written, by its extension */
    double fps;            /* frames per second, 0.5 to 50; 0: 10 (GIF delays are in 1/100 s) */
    int once;              /* play once; else loop forever (NETSCAPE2.0) */
    /* Every frame's figure: width, height (0: 800 x 600), scale, rows, cols, title, theme, colormap.
     * Its device, path, book and memory are the animation's. Its strings must stay valid until the
     * animation is closed. */
    gdlab_figure_config frame;
    /* Play the frames live in a window at fps instead of writing a GIF: the window device chosen
     * ("xcairo", "xwin"), or NULL. Space pauses and resumes, n shows the next frame while paused,
     * q/Escape/the close button closes the window (later frames are drawn and not shown); the window
     * waits for the reader after the last frame. path is then not written. */
    const char *window;
} gdlab_animation_config;

gdlab_animation *gdlab_animation_open(const gdlab_animation_config *cfg, char *err, size_t errlen);
/* End the frame being drawn (if any) and start the next: a figure to draw into with the functions
 * above, owned by the animation (do not close it). title NULL: the config's title. */
gdlab_figure *gdlab_animation_frame(gdlab_animation *a, const char *title, char *err, size_t errlen);
/* End the frame being drawn, if there is one: its picture becomes the next frame of the GIF. */
int gdlab_animation_end_frame(gdlab_animation *a, char *err, size_t errlen);
/* End the last frame, finish the file and free a (in all cases). 0 on success. An animation without
 * frames, or whose last frame failed, is an error and writes nothing: a file of that name is left as
 * it was (gdlab/output.h). */
int gdlab_animation_close(gdlab_animation *a, char *err, size_t errlen);
/* The same, except that a live animation's window does not wait for the reader (errors, collection). */
int gdlab_animation_dispose(gdlab_animation *a);
size_t gdlab_animation_frames(const gdlab_animation *a);
const char *gdlab_animation_path(const gdlab_animation *a);

/* GIF files (core/figure/gif.c), frame by frame. A frame is width x height RGB pixels (3 bytes each,
 * rows top to bottom); only the rectangle that changed since the frame before is stored, with its own
 * palette of at most 255 colours (exact when the pixels have that few, else median cut) and the
 * unchanged pixels transparent. */
typedef struct gdlab_gif gdlab_gif;
/* loop: write the NETSCAPE2.0 extension that repeats the animation forever. */
gdlab_gif *gdlab_gif_open(const char *path, int width, int height, int loop, char *err, size_t errlen);
/* Add a frame shown for delay_cs hundredths of a second. */
int gdlab_gif_frame(gdlab_gif *g, const unsigned char *rgb, int delay_cs, char *err, size_t errlen);
size_t gdlab_gif_frames(const gdlab_gif *g);
/* Write the trailer, close the file, free g (in all cases). 0 on success. The file replaces one of
 * that name only if every write succeeded and there is at least one frame (gdlab/output.h). */
int gdlab_gif_close(gdlab_gif *g, char *err, size_t errlen);
/* Free g and write nothing: a file of that name is left as it was. */
void gdlab_gif_abort(gdlab_gif *g);

/* ---------------------------------------------------------------------------------------------------
 * PLplot error trapping (core/figure/guard.c), for code that calls PLplot directly.
 *   gdlab_plplot_trap t;
 *   gdlab_plplot_trap_push(&t);
 *   if (setjmp(t.jump) == 0) { ... PLplot calls ... }
 *   gdlab_plplot_trap_pop(&t);   // then t.fatal / t.message tell what went wrong
 * A fatal PLplot error (what would call exit()) jumps back with t.fatal = 1; a non-fatal one
 * (PLplot's plabort: "the call did nothing") only records its message.
 * ------------------------------------------------------------------------------------------------- */
typedef struct gdlab_plplot_trap {
    jmp_buf jump;
    int fatal;
    char message[256];     /* empty when PLplot said nothing */
    struct gdlab_plplot_trap *outer;
    const char *out_of_memory; /* what gdlab's own drawing code could not allocate (NULL: nothing) */
} gdlab_plplot_trap;
void gdlab_plplot_trap_push(gdlab_plplot_trap *t);
void gdlab_plplot_trap_pop(gdlab_plplot_trap *t);
/* The device the current PLplot stream draws on, by the name gdlab gave it. PLplot's own (plgdev) differs
 * on pscairo and epscairo figures and books, which PLplot draws through its extcairo driver on a
 * PostScript surface of gdlab's (core/figure/pscairo.c). buf holds 80 bytes; returns buf or a constant. */
const char *gdlab_plplot_device(char *buf);
/* The default colour maps and background of a fresh stream (what gdlab sets before plinit). */
void gdlab_plplot_default_colors(const char *colormap, int dark);

#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif
#endif /* GDLAB_FIGURE_H */
