/* SPDX-License-Identifier: MIT */
/* figure.c — opening and closing a figure: checks of the configuration (before PLplot sees any of it),
 * a PLplot stream of its own (so figures never disturb each other or raw PLplot users), the page,
 * the theme's colours and the figure title. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig_internal.h"
#include "gdlab/output.h"
#include "window.h"

#define FIG_TITLE_PX 20.0

static char *dup_string(const char *s)
{
    if (!s) return NULL;
    const size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* PLplot's own PostScript drivers draw a rotated letter page and stretch any other page shape
 * unevenly (text is not stretched with it, so layouts break): they keep their page, 4:3. */
int fig_fixed_page(const gdlab_device_info *dev)
{
    return strcmp(dev->name, "ps") == 0 || strcmp(dev->name, "psc") == 0;
}

static int check_config(const gdlab_figure_config *c, char *err, size_t errlen)
{
    if (c->width < 0 || c->width > 20000 || c->height < 0 || c->height > 20000 ||
        (c->width && c->width < 50) || (c->height && c->height < 50)) {
        snprintf(err, errlen, "figure size %d x %d is out of range: 50 to 20000 pixels per side",
                 c->width, c->height);
        return -1;
    }
    if (c->scale < 0 || c->scale > 10 || (c->scale > 0 && c->scale < 0.1)) {
        snprintf(err, errlen, "figure scale %g is out of range: 0.1 to 10", c->scale);
        return -1;
    }
    if (c->font_scale < 0 || c->font_scale > 10 || (c->font_scale > 0 && c->font_scale < 0.2)) {
        snprintf(err, errlen, "figure font_scale %g is out of range: 0.2 to 10", c->font_scale);
        return -1;
    }
    if (c->key < 0 || c->key > 4) {
        snprintf(err, errlen, "figure key of %d rows is out of range: 0 (none) to 4", c->key);
        return -1;
    }
    if (c->rows < 0 || c->rows > 16 || c->cols < 0 || c->cols > 16) {
        snprintf(err, errlen, "figure layout %d x %d is out of range: 1 to 16 rows and columns",
                 c->rows, c->cols);
        return -1;
    }
    if (c->colormap && gdlab_colormap_check(c->colormap, err, errlen)) return -1;
    return 0;
}

static int count_lines(const char *s)
{
    int n = 1;
    for (; s && *s; s++) n += *s == '\n';
    return n;
}

static void draw_figure_title(gdlab_figure *fig, const char *title)
{
    const int n = count_lines(title);
    fig->grid_top = 1.0 - fig_ndc_y(fig, 14.0 + n * fig_tpx(fig, FIG_TITLE_PX) * 1.35);
    fig_font(fig, FIG_TITLE_PX, 1, 0);
    fig_color(&fig->theme.title);
    char line[512];
    int k = 0;
    for (const char *s = title; s; k++) {
        const char *nl = strchr(s, '\n');
        snprintf(line, sizeof line, "%.*s", (int)(nl ? (size_t)(nl - s) : strlen(s)), s);
        const double y = 1.0 - fig_ndc_y(fig, 10.0 + (k + 0.5) * fig_tpx(fig, FIG_TITLE_PX) * 1.35);
        fig_text_ndc(fig, 0.5, y, 0.5, 0, line);
        s = nl ? nl + 1 : NULL;
    }
}

/* Before the stream exists (a memcairo stream ended before plinit frees the caller's buffer) and
 * before the output or window opens: room for the device's libraries, its driver loaded
 * (gdlab_device_ready). */
static int check_ready(const gdlab_device_info *dev, int width, int height, const char *path, char *err,
                          size_t errlen)
{
    char what[GDLAB_ERRLEN / 2];
    if (path)
        snprintf(what, sizeof what, "figure '%.200s'", path);
    else
        snprintf(what, sizeof what, "%s",
                 dev->interactive                        ? "figure window"
                 : strcmp(dev->name, "memcairo") == 0 ? "figure drawn in memory"
                                                      : "figure");
    return gdlab_device_ready(dev, width, height, what, err, errlen);
}

/* A figure drawn into the caller's RGB buffer (cfg->memory) by cairo: raster, one page, no file.
 * memcairo draws over what the buffer holds, so the page colour is painted first. */
static int open_memory_stream(gdlab_figure *fig, const gdlab_figure_config *cfg, char *err, size_t errlen)
{
    static const gdlab_device_info memory_device = {"memcairo", "Cairo memory driver", "ppm", 0, 0, "cairo"};
    if (cfg->width <= 0 || cfg->height <= 0) {
        snprintf(err, errlen, "a figure drawn in memory needs its width and height");
        return -1;
    }
    if (check_ready(&memory_device, cfg->width, cfg->height, NULL, err, errlen)) return -1;
    fig->dev = &memory_device;
    fig->width = cfg->width, fig->height = cfg->height;
    const size_t n = (size_t)fig->width * (size_t)fig->height;
    for (size_t i = 0; i < n; i++) {
        cfg->memory[3 * i] = fig->theme.page.r;
        cfg->memory[3 * i + 1] = fig->theme.page.g;
        cfg->memory[3 * i + 2] = fig->theme.page.b;
    }
    PLINT previous;
    plgstrm(&previous);
    plmkstrm(&fig->stream);
    if (fig->stream < 0) {
        snprintf(err, errlen, "PLplot has no free stream for another figure (too many open)");
        return -1;
    }
    fig->owns_stream = 1;
    plsdev(fig->dev->name);
    plsmem(fig->width, fig->height, cfg->memory);
    plspause(0);
    plsstrm(previous);
    return 0;
}

/* Fill fig's device, size and stream: a new stream, or the book's next page. */
static int open_stream(gdlab_figure *fig, const gdlab_figure_config *cfg, char *err, size_t errlen)
{
    if (cfg->book) {
        const char *path;
        fig->stream =
            fig_book_stream(cfg->book, &fig->dev, &path, &fig->width, &fig->height, &fig->ps, err, errlen);
        if (fig->stream < 0) return -1;
        fig->book = cfg->book;
        fig->path = dup_string(path);
        if (!fig->path) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        return 0;
    }
    if (cfg->memory) return open_memory_stream(fig, cfg, err, errlen);
    fig->dev = gdlab_device_find(cfg->device ? cfg->device : "pngcairo", err, errlen);
    if (!fig->dev || gdlab_device_prepare(fig->dev, err, errlen)) return -1;
    fig->width = cfg->width ? cfg->width : 1000;
    fig->height = cfg->height ? cfg->height : 700;
    if (check_ready(fig->dev, fig->width, fig->height, fig->dev->interactive ? NULL : cfg->path, err, errlen))
        return -1;
    if (!fig->dev->interactive) {
        if (!cfg->path || !cfg->path[0]) {
            snprintf(err, errlen, "device '%s' writes a file: the figure needs a path", fig->dev->name);
            return -1;
        }
        fig->path = dup_string(cfg->path);
        if (!fig->path) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        if (!(fig->out = gdlab_output_open(cfg->path, "figure", err, errlen))) return -1;
    }
    if (fig->dev->interactive && fig_window_supported(fig->dev)) {
        const char *name = cfg->title && cfg->title[0] ? cfg->title : cfg->path;
        if (!(fig->window = fig_window_open(name, fig->width, fig->height, err, errlen))) return -1;
        fig_window_on_expose(fig->window, fig_window_repaint, fig);
    }
    if (fig_ps_device(fig->dev) &&
        !(fig->ps = fig_ps_open(fig->dev, fig->out, fig->width, fig->height, err, errlen)))
        return -1;
    PLINT previous;
    plgstrm(&previous);
    plmkstrm(&fig->stream);
    if (fig->stream < 0) {
        snprintf(err, errlen, "PLplot has no free stream for another figure (too many open)");
        return -1;
    }
    fig->owns_stream = 1;
    plsdev(fig_plplot_device(fig->dev));
    /* PLplot writes into gdlab's stream and never sees the name (a '%n' in it stays literal); a
     * PostScript surface writes into it itself (pscairo.c) */
    if (fig->out && !fig->ps) {
        plsfile(gdlab_output_stream(fig->out));
        gdlab_output_hand_over(fig->out); /* PLplot closes it at plend1 */
    }
    if (fig_fixed_page(fig->dev))
        fig->height = 0; /* known after plinit, from the driver's page */
    else
        plspage(0, 0, fig->width, fig->height, 0, 0);
    if (fig->window) fig_window_attach(fig->window, fig->dev);
    /* a window waits for the reader at the end of the page: gdlab's in gdlab_figure_close, PLplot's own
     * in plend1 */
    plspause(fig->dev->interactive && !fig->window);
    plsstrm(previous);
    return 0;
}

/* Colours, the first page and the figure title. ctx is the title or NULL. */
static int start_page(gdlab_figure *fig, void *ctx, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    const char *title = ctx;
    gdlab_plplot_default_colors(fig->colormap, fig->theme.dark);
    if (fig->n_indexed >= 0) { /* room for the figure's colours in xfig's table (draw.c) */
        plscmap0n(16 + FIG_INDEXED_COLORS);
        plscmap1n(FIG_INDEXED_CMAP1);
    }
    plscolbg(fig->theme.page.r, fig->theme.page.g, fig->theme.page.b);
    if (fig->owns_stream) {
        plinit();
        if (fig->ps) fig_ps_attach(fig->ps);
    }
    if (fig->window) fig_window_plinit_done(fig->window, fig->dev);
    pladv(0);
    if (fig->ps) fig_ps_page_start(fig->ps);
    PLFLT x0, x1, y0, y1;
    plgspa(&x0, &x1, &y0, &y1);
    if (fig->height == 0) fig->height = (int)lround(fig->width * (y1 - y0) / (x1 - x0));
    fig->mm_per_px = (x1 - x0) / fig->width;
    fig->grid_top = 1.0;
    fig->grid_bottom = fig_ndc_y(fig, fig_key_height(fig));
    if (title && title[0]) draw_figure_title(fig, title);
    return 0;
}

gdlab_figure *gdlab_figure_open(const gdlab_figure_config *cfg, char *err, size_t errlen)
{
    if (check_config(cfg, err, errlen)) return NULL;
    gdlab_figure *fig = calloc(1, sizeof *fig);
    if (!fig) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    fig->stream = -1;
    fig->n_indexed = -1; /* until the device is known */
    fig->scale = cfg->scale > 0 ? cfg->scale : 1.0;
    fig->text_scale = cfg->font_scale > 0 ? cfg->font_scale : 1.0;
    fig->key.rows = cfg->key;
    fig->rows = cfg->rows > 0 ? cfg->rows : 1;
    fig->cols = cfg->cols > 0 ? cfg->cols : 1;
    snprintf(fig->colormap, sizeof fig->colormap, "%s", cfg->colormap ? cfg->colormap : "viridis");
    fig->panels = calloc((size_t)(fig->rows * fig->cols), sizeof *fig->panels);
    if (!fig->panels || fig_theme_resolve(&cfg->theme, &fig->theme, err, errlen) ||
        open_stream(fig, cfg, err, errlen)) {
        if (!fig->panels) snprintf(err, errlen, "out of memory");
        gdlab_figure_close(fig, NULL, 0);
        return NULL;
    }
    fig->mono = strcmp(fig->dev->name, "ps") == 0;
    fig->n_indexed = strcmp(fig->dev->name, "xfig") == 0 ? 0 : -1;
    if (fig_run(fig, start_page, (void *)cfg->title, err, errlen)) {
        const int e = gdlab_output_error(fig->out); /* the cause, when PLplot only saw its effect */
        if (e) snprintf(err, errlen, "cannot write figure '%s': %s", fig->path, strerror(e));
        gdlab_figure_close(fig, NULL, 0);
        return NULL;
    }
    fig->opened = 1;
    return fig;
}

static int finish_page(gdlab_figure *fig, void *ctx, char *err, size_t errlen)
{
    (void)ctx, (void)err, (void)errlen;
    if (fig->ps) fig_ps_page_end(fig->ps);
    if (fig->book)
        fig_book_page_done(fig->book);
    else if (fig->owns_stream)
        plend1();
    return 0;
}

/* A window stays until the reader closes it. */
static int wait_for_reader(gdlab_figure *fig, char *err, size_t errlen)
{
    gdlab_event ev;
    if (gdlab_figure_show(fig, err, errlen)) return -1;
    for (;;) {
        const int got = gdlab_figure_event(fig, -1, &ev, err, errlen);
        if (got < 0) return -1;
        if (got && ev.kind == GDLAB_EVENT_CLOSE) return 0;
    }
}

static int close_figure(gdlab_figure *fig, int wait, char *err, size_t errlen)
{
    if (!fig) return 0;
    char buf[GDLAB_ERRLEN] = "";
    int rc = 0;
    char window_err[GDLAB_ERRLEN] = "";
    const int lost = fig->window && wait && fig->opened && fig->stream >= 0 && !fig->broken &&
                     wait_for_reader(fig, window_err, sizeof window_err);
    if (fig->stream >= 0) rc = fig_run(fig, finish_page, NULL, buf, sizeof buf);
    const int e = gdlab_output_error(fig->out); /* the cause, when PLplot only saw its effect */
    if (rc && e) snprintf(buf, sizeof buf, "%s (an existing file of that name is left as it was)", strerror(e));
    if (rc && err) snprintf(err, errlen, "figure '%s' not written: %s", fig->path ? fig->path : "(window)", buf);
    if (fig->ps && fig->owns_stream) { /* a book's surface is the book's */
        if (rc || !fig->opened || fig->broken)
            fig_ps_discard(fig->ps);
        else if (fig_ps_close(fig->ps, buf, sizeof buf)) {
            if (err)
                snprintf(err, errlen, "figure '%s' not written: %s (an existing file of that name is left as it "
                         "was)", fig->path, buf);
            rc = -1;
        }
    }
    fig->ps = NULL;
    /* the file replaces the old one only when the figure opened and PLplot (and cairo) finished it cleanly */
    if (fig->out && (rc || !fig->opened || fig->broken)) gdlab_output_abort(fig->out);
    else if (fig->out && gdlab_output_commit(fig->out, buf, sizeof buf)) {
        if (err) snprintf(err, errlen, "%s", buf);
        rc = -1;
    }
    fig_window_destroy(fig->window);
    if (lost) {
        if (err) snprintf(err, errlen, "%s", window_err);
        rc = -1;
    }
    free(fig->path);
    free(fig->panels);
    free(fig);
    return rc;
}

int gdlab_figure_close(gdlab_figure *fig, char *err, size_t errlen)
{
    return close_figure(fig, 1, err, errlen);
}

int gdlab_figure_dispose(gdlab_figure *fig)
{
    return close_figure(fig, 0, NULL, 0);
}

const char *gdlab_figure_path(const gdlab_figure *fig)
{
    return fig->path;
}

const gdlab_device_info *gdlab_figure_device(const gdlab_figure *fig)
{
    return fig->dev;
}

gdlab_rgba gdlab_figure_palette(const gdlab_figure *fig, size_t i)
{
    return fig->theme.palette[i % 8];
}

gdlab_rgba gdlab_figure_neutral(const gdlab_figure *fig)
{
    return fig->theme.dark ? (gdlab_rgba){0xDD, 0xDD, 0xDD, 1.0} : (gdlab_rgba){0x44, 0x44, 0x44, 1.0};
}

int gdlab_figure_rows(const gdlab_figure *fig)
{
    return fig->rows;
}

int gdlab_figure_cols(const gdlab_figure *fig)
{
    return fig->cols;
}

void gdlab_figure_field_resolution(const gdlab_figure *fig, const gdlab_panel *panel, size_t *nx,
                                   size_t *ny)
{
    if (!fig_is_raster(fig)) {
        *nx = *ny = 240;
        return;
    }
    double r[4];
    fig_cell_rect(fig, panel, r);
    *nx = (size_t)ceil((r[1] - r[0]) * fig->width), *ny = (size_t)ceil((r[3] - r[2]) * fig->height);
    if (*nx < 2) *nx = 2;
    if (*ny < 2) *ny = 2;
}
