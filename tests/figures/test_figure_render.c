/* SPDX-License-Identifier: MIT */
/* test_figure_render — every figure kind through the C API, on pngcairo and the SVG devices (the
 * first figure also on pdfcairo, ps and as a three-page book), into a temporary directory. The PNGs
 * are decoded with libpng and the plotted elements looked for at the pixels where they must be:
 * trajectory segments, the start marker, the loss curve, the colour bar, text under the title.
 * Then the errors: unknown devices (listing the available ones), bad layouts and limits, and PLplot's
 * own fatal and non-fatal errors caught instead of exit(). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <plplot.h>

#include "check.h"
#include "png_pixels.h"
#include "gdlab/figure.h"

static char dir[256];

/* ---------------------------------------------------------------------------------------------
 * Files and pixels.
 * ------------------------------------------------------------------------------------------- */
typedef struct image {
    unsigned w, h;
    unsigned char *rgba; /* w * h * 4; NULL when the file could not be read */
} image;

static int load_png(const char *path, image *im)
{
    char why[512];
    im->rgba = png_pixels_read(path, PNG_FORMAT_RGBA, &im->w, &im->h, why, sizeof why);
    if (!im->rgba) fprintf(stderr, "test_figure_render: %s\n", why);
    return im->rgba ? 0 : -1;
}

static const unsigned char *pixel(const image *im, double x, double y)
{
    long ix = lround(x), iy = lround(y);
    if (ix < 0) ix = 0;
    if (iy < 0) iy = 0;
    if (ix >= (long)im->w) ix = (long)im->w - 1;
    if (iy >= (long)im->h) iy = (long)im->h - 1;
    return im->rgba + ((size_t)iy * im->w + (size_t)ix) * 4;
}

/* Is some pixel within r of (x, y) within tol of colour c? */
static int near_color(const image *im, double x, double y, int r, unsigned rgb, int tol)
{
    const int cr = (int)(rgb >> 16), cg = (int)(rgb >> 8 & 0xFF), cb = (int)(rgb & 0xFF);
    for (int dy = -r; dy <= r; dy++)
        for (int dx = -r; dx <= r; dx++) {
            const unsigned char *p = pixel(im, x + dx, y + dy);
            if (abs(p[0] - cr) <= tol && abs(p[1] - cg) <= tol && abs(p[2] - cb) <= tol) return 1;
        }
    return 0;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static char *slurp(const char *path, long *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)*n + 1);
    if (buf && fread(buf, 1, (size_t)*n, f) != (size_t)*n) *n = 0;
    if (buf) buf[*n] = '\0';
    fclose(f);
    return buf;
}

static int count(const char *hay, long n, const char *needle)
{
    int c = 0;
    const size_t k = strlen(needle);
    for (long i = 0; i + (long)k <= n; i++) c += memcmp(hay + i, needle, k) == 0;
    return c;
}

static void path_in(char *out, size_t cap, const char *in, const char *name, const char *ext)
{
    snprintf(out, cap, "%s/%s.%s", in, name, ext);
}

static void path_for(char *out, size_t cap, const char *name, const char *ext)
{
    path_in(out, cap, dir, name, ext);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* ---------------------------------------------------------------------------------------------
 * The figures.
 * ------------------------------------------------------------------------------------------- */
static double ravine(void *ctx, double x, double y)
{
    (void)ctx;
    return 0.05 * x * x + 2.0 * y * y;
}

#define STEPS 60
static double px[STEPS + 1], py[STEPS + 1], pl[STEPS + 1];

/* GD with lr 0.4 on the ravine from (−4, 1.5): y flips sign every step (1 − 0.4·4 = −0.6). */
static void make_path(void)
{
    double x = -4, y = 1.5;
    for (int k = 0; k <= STEPS; k++) {
        px[k] = x, py[k] = y, pl[k] = ravine(NULL, x, y);
        x -= 0.4 * 0.1 * x, y -= 0.4 * 4.0 * y;
    }
}

static const gdlab_rgba RED = {255, 0, 0, 1.0}, BLUE = {0, 0, 255, 1.0}, GREY = {0x44, 0x44, 0x44, 1.0};

typedef struct probes {
    double seg[4][2];    /* midpoints of trajectory segments, pixels */
    double start[2];     /* start marker */
    double loss[2];      /* a point on the loss curve */
    double away[2];      /* a map point far from the path */
    double top;          /* the map's top edge */
} probes;

/* The walking skeleton's figure: map with trajectory and markers | log loss curve. */
static int first_figure(const char *device, const char *path, gdlab_book *book, probes *pr)
{
    char err[GDLAB_ERRLEN];
    gdlab_figure_config cfg = {.device = device, .path = path, .width = 1000, .height = 420, .rows = 1,
                               .cols = 2, .title = "GD on a ravine: θ ← θ − α·∇L(θ), β²", .book = book};
    gdlab_figure *fig = gdlab_figure_open(&cfg, err, sizeof err);
    if (!fig) {
        fprintf(stderr, "%s: %s\n", device, err);
        return -1;
    }
    gdlab_axes a;
    gdlab_axes_defaults(&a);
    a.title = "Trajectory", a.xlabel = "θ₁", a.ylabel = "θ₂";
    const gdlab_field f = {ravine, NULL, NULL, 0, 0, -5, 5, -2.2, 2.2};
    gdlab_contour_style st;
    gdlab_contour_style_defaults(&st);
    st.filled = 1, st.colorbar = 1, st.levels.kind = GDLAB_LEVELS_LOG;
    const gdlab_series path_s = {px, py, STEPS + 1, "GD lr=0.4", RED, 2.5, 0, GDLAB_MARKER_CIRCLE, 5, 0, NULL, 0};
    const gdlab_point_mark marks[2] = {{px[0], py[0], GDLAB_MARKER_CIRCLE, GREY, 12, "start"},
                                       {0, 0, GDLAB_MARKER_PLUS, {0x2A, 0x9D, 0x5C, 1}, 14, "minimum"}};
    int rc = gdlab_figure_contour(fig, &a, &f, &st, &path_s, 1, marks, 2, NULL, 0, err, sizeof err);
    if (rc) fprintf(stderr, "contour: %s\n", err);
    gdlab_axes b;
    gdlab_axes_defaults(&b);
    b.panel = (gdlab_panel){0, 1, 1, 1};
    b.ylog = 1, b.title = "Loss", b.xlabel = "step", b.ylabel = "f(θ)", b.grid = 1;
    const gdlab_series loss_s = {NULL, pl, STEPS + 1, "loss", BLUE, 2.5, 0, GDLAB_MARKER_NONE, 0, 0, NULL, 0};
    const gdlab_refline thr = {1e-3, "threshold", {0x99, 0x99, 0x99, 1}, 0};
    if (!rc && (rc = gdlab_figure_lines(fig, &b, &loss_s, 1, &thr, 1, NULL, 0, NULL, 0, err, sizeof err)))
        fprintf(stderr, "lines: %s\n", err);
    if (pr && !rc) {
        const gdlab_panel p0 = {0, 0, 1, 1};
        for (int i = 0; i < 4; i++) /* the first segments are long: (−4, 1.5) -> (−3.84, −0.9) ... */
            gdlab_figure_data_to_pixel(fig, &p0, (px[i] + px[i + 1]) / 2, (py[i] + py[i + 1]) / 2, &pr->seg[i][0], &pr->seg[i][1]);
        gdlab_figure_data_to_pixel(fig, &p0, px[0], py[0], &pr->start[0], &pr->start[1]);
        gdlab_figure_data_to_pixel(fig, &p0, 3.0, -1.8, &pr->away[0], &pr->away[1]);
        double unused;
        gdlab_figure_data_to_pixel(fig, &p0, 5.0, 2.2, &unused, &pr->top);
        gdlab_figure_data_to_pixel(fig, &b.panel, 20, pl[20], &pr->loss[0], &pr->loss[1]);
    }
    if (gdlab_figure_close(fig, err, sizeof err)) {
        fprintf(stderr, "close: %s\n", err);
        return -1;
    }
    return rc;
}

/* The other kinds, one figure each, into directory `in`. */
static int other_figures(const char *device, const char *ext, const char *in)
{
    char err[GDLAB_ERRLEN], path[512];
    int failures = 0;

    /* 1-D view with a highlighted phase, annotation; weights with markers; bars (a 1 x 3 figure). */
    path_in(path, sizeof path, in, "curves", ext);
    gdlab_figure_config cfg = {.device = device, .path = path, .width = 1200, .height = 400, .rows = 1, .cols = 3,
                               .theme = {.base = "dark"}};
    gdlab_figure *fig = gdlab_figure_open(&cfg, err, sizeof err);
    if (!fig) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    double cx[101], cy[101], mx[12], my[12];
    gdlab_rgba seg[11];
    for (int i = 0; i <= 100; i++) cx[i] = -5 + i * 0.1, cy[i] = cx[i] * cx[i];
    for (int k = 0; k < 12; k++) mx[k] = -4 * pow(-0.6, k), my[k] = mx[k] * mx[k];
    for (int k = 0; k < 11; k++) seg[k] = mx[k + 1] > 0 ? (gdlab_rgba){255, 215, 0, 1} : (gdlab_rgba){0, 0, 0, 0};
    const gdlab_series curve[2] = {{cx, cy, 101, "loss surface", RED, 3, 0, GDLAB_MARKER_NONE, 0, 0, NULL, 0},
                                   {mx, my, 12, "descent", {255, 255, 255, 1}, 2, 0, GDLAB_MARKER_CIRCLE, 6, 0, seg, 3}};
    const gdlab_legend_entry over = {.label = "overshoot", .color = {255, 215, 0, 1}, .width = 3,
                                     .marker = GDLAB_MARKER_CIRCLE, .marker_size = 6};
    gdlab_axes a;
    gdlab_axes_defaults(&a);
    a.title = "Momentum overshoot (γ = 0.9)", a.xlabel = "θ", a.ylabel = "loss";
    failures += gdlab_figure_lines(fig, &a, curve, 2, NULL, 0, NULL, 0, &over, 1, err, sizeof err) != 0;
    const gdlab_annotation note = {"start", mx[0], my[0], -4.5, 20, 1, {0}, 0, 0};
    failures += gdlab_figure_annotate(fig, &a.panel, &note, err, sizeof err) != 0;
    double it[10], w[3][10];
    for (int i = 0; i < 10; i++) {
        it[i] = i + 1;
        for (int g = 0; g < 3; g++) w[g][i] = pow(0.5 + 0.2 * g, 9 - i);
    }
    gdlab_series ws[3];
    const char *names[3] = {"γ = 0.5", "γ = 0.7", "γ = 0.9"};
    for (int g = 0; g < 3; g++)
        ws[g] = (gdlab_series){it, w[g], 10, names[g], gdlab_figure_palette(fig, (size_t)g), 2, 0, GDLAB_MARKER_CIRCLE, 0, 0, NULL, 0};
    gdlab_axes b;
    gdlab_axes_defaults(&b);
    b.panel = (gdlab_panel){0, 1, 1, 1}, b.title = "Weights γ^(t−i)", b.xticks = it, b.n_xticks = 10, b.grid = 1;
    failures += gdlab_figure_lines(fig, &b, ws, 3, NULL, 0, NULL, 0, NULL, 0, err, sizeof err) != 0;
    const double finals[5] = {0.3, 0.02, 1e-4, 1e-9, 5e7};
    const char *labels[5] = {"0.01", "0.05", "0.1", "0.2", "0.5"};
    gdlab_bars bars = {NULL, finals, 5, labels, NULL, BLUE, 0, "final loss"};
    gdlab_axes c;
    gdlab_axes_defaults(&c);
    c.panel = (gdlab_panel){0, 2, 1, 1}, c.ylog = 1, c.title = "Final loss vs lr";
    c.xticks = (const double[]){1, 2, 3, 4, 5}, c.n_xticks = 5, c.xtick_labels = labels;
    failures += gdlab_figure_bars(fig, &c, &bars, 1, NULL, 0, err, sizeof err) != 0;
    failures += gdlab_figure_close(fig, err, sizeof err) != 0;
    if (failures) fprintf(stderr, "curves: %s\n", err);

    /* Heatmap with a log colour scale, missing cells and a boundary; text panel beside it. */
    path_in(path, sizeof path, in, "heatmap", ext);
    gdlab_figure_config hc = {.device = device, .path = path, .width = 1100, .height = 450, .rows = 1, .cols = 2};
    if (!(fig = gdlab_figure_open(&hc, err, sizeof err))) {
        fprintf(stderr, "%s\n", err);
        return failures + 1;
    }
    double hx[12], hy[8], hz[8 * 12];
    for (int i = 0; i < 12; i++) hx[i] = pow(10, -3 + 3.0 * i / 11);
    for (int j = 0; j < 8; j++) hy[j] = j / 8.0;
    for (int j = 0; j < 8; j++)
        for (int i = 0; i < 12; i++) hz[j * 12 + i] = i > 9 && j < 4 ? NAN : pow(10, -i + j * 0.3);
    const double boundary = 1e-3;
    gdlab_heatmap h = {.x = hx, .y = hy, .z = hz, .nx = 12, .ny = 8, .log = 1, .zmin = NAN, .zmax = NAN,
                       .colorbar_label = "final loss", .contours = &boundary, .n_contours = 1,
                       .contour_color = {255, 255, 255, 1}};
    gdlab_axes ha;
    gdlab_axes_defaults(&ha);
    ha.xlog = 1, ha.title = "Sweep", ha.xlabel = "lr", ha.ylabel = "β";
    failures += gdlab_figure_heatmap(fig, &ha, &h, err, sizeof err) != 0;
    const gdlab_text_style ts = {1, 12, 0, {0}, 1, "Update rules"};
    const gdlab_panel tp = {0, 1, 1, 1};
    failures += gdlab_figure_text(fig, &tp, "θ ← θ − α·∇L(θ)\nv ← β·v + (1−β)·∇L(θ)\nx², 10⁻³", &ts, err, sizeof err) != 0;
    failures += gdlab_figure_close(fig, err, sizeof err) != 0;

    /* 3-D surface with the path lifted onto it. */
    path_in(path, sizeof path, in, "surface3d", ext);
    gdlab_figure_config sc = {.device = device, .path = path, .width = 700, .height = 500};
    if (!(fig = gdlab_figure_open(&sc, err, sizeof err))) {
        fprintf(stderr, "%s\n", err);
        return failures + 1;
    }
    double sz[30 * 30], lifted[STEPS + 1];
    for (int j = 0; j < 30; j++)
        for (int i = 0; i < 30; i++) sz[j * 30 + i] = ravine(NULL, -5 + 10.0 * i / 29, -2.2 + 4.4 * j / 29);
    for (int k = 0; k <= STEPS; k++) lifted[k] = pl[k];
    const gdlab_field sf = {NULL, NULL, sz, 30, 30, -5, 5, -2.2, 2.2};
    gdlab_surface3d_style s3;
    gdlab_surface3d_defaults(&s3);
    const gdlab_series path_s = {px, py, STEPS + 1, "GD", RED, 2, 0, GDLAB_MARKER_NONE, 0, 0, NULL, 0};
    const double *zs[1] = {lifted};
    gdlab_axes sa;
    gdlab_axes_defaults(&sa);
    sa.title = "Ravine in 3-D";
    failures += gdlab_figure_surface3d(fig, &sa, &sf, &s3, &path_s, zs, 1, err, sizeof err) != 0;
    failures += gdlab_figure_close(fig, err, sizeof err) != 0;
    if (failures) fprintf(stderr, "%s: %s\n", device, err);
    return failures;
}

/* ---------------------------------------------------------------------------------------------
 * Checks.
 * ------------------------------------------------------------------------------------------- */
static void check_first_png(const char *path, const probes *pr)
{
    image im;
    CHECK(load_png(path, &im) == 0);
    if (!im.rgba) return;
    CHECK(im.w == 1000 && im.h == 420);
    CHECK(near_color(&im, 2, 2, 0, 0xFAFAF8, 2));                         /* light page, not black */
    for (int i = 0; i < 4; i++) CHECK(near_color(&im, pr->seg[i][0], pr->seg[i][1], 1, 0xFF0000, 40));
    CHECK(near_color(&im, pr->start[0], pr->start[1], 1, 0x444444, 20));  /* start marker */
    CHECK(!near_color(&im, pr->away[0], pr->away[1], 3, 0xFF0000, 60));   /* no red far from the path */
    CHECK(near_color(&im, pr->loss[0], pr->loss[1], 1, 0x0000FF, 60));    /* the loss curve */
    /* The colour bar's top is viridis' yellow (#FDE725), right of the map. */
    int found = 0;
    for (int x = (int)pr->away[0]; x < 500 && !found; x++) found = near_color(&im, x, pr->top + 3, 0, 0xFDE725, 30);
    CHECK(found);
    /* Text: dark pixels in the title band. */
    int dark = 0;
    for (unsigned x = 300; x < 700; x++) {
        const unsigned char *p = pixel(&im, x, 20);
        dark += p[0] < 100 && p[1] < 100 && p[2] < 100;
    }
    CHECK(dark > 20);
    free(im.rgba);
}

/* A PNG that is not one flat colour. */
static void check_png_has_content(const char *path)
{
    image im;
    CHECK(load_png(path, &im) == 0);
    if (!im.rgba) return;
    long differ = 0;
    for (size_t i = 4; i < (size_t)im.w * im.h * 4; i += 4) differ += memcmp(im.rgba, im.rgba + i, 3) != 0;
    CHECK(differ > (long)(im.w * im.h / 10));
    free(im.rgba);
}

static void check_file(const char *path, const char *magic, long min_size)
{
    long n = 0;
    char *data = slurp(path, &n);
    CHECK(data != NULL && n >= min_size);
    if (data) CHECK(n >= (long)strlen(magic) && strstr(data, magic) != NULL);
    if (!data || n < min_size) fprintf(stderr, "  %s: %ld bytes\n", path, n);
    free(data);
}

static void test_devices(void)
{
    char err[GDLAB_ERRLEN * 2];
    CHECK(gdlab_device_count() >= 4);
    CHECK(gdlab_device_find("pngcairo", err, sizeof err) != NULL);
    const gdlab_device_info *pdf = gdlab_device_find("pdfcairo", err, sizeof err);
    CHECK(pdf && pdf->multipage && strcmp(pdf->extension, "pdf") == 0);
    const gdlab_device_info *png = gdlab_device_find("pngcairo", err, sizeof err);
    CHECK(png && !png->multipage && strcmp(png->extension, "png") == 0);
    CHECK(gdlab_device_find("nonsense", err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "unknown device 'nonsense'");
    CHECK_STR_CONTAINS(err, "pngcairo");
    CHECK_STR_CONTAINS(err, "svgcairo");
    /* And through a figure: nothing is created, nothing prompts. */
    gdlab_figure_config cfg = {.device = "nonsense", .path = "never.png"};
    CHECK(gdlab_figure_open(&cfg, err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "available:");
    CHECK(access("never.png", F_OK) != 0);
    /* A window device without a display is refused before PLplot tries (and exits). */
    if (gdlab_device_find("xcairo", err, sizeof err)) {
        unsetenv("DISPLAY");
        unsetenv("WAYLAND_DISPLAY");
        gdlab_figure_config win = {.device = "xcairo"};
        CHECK(gdlab_figure_open(&win, err, sizeof err) == NULL);
        CHECK_STR_CONTAINS(err, "no display");
    }
}

static void test_bad_input(void)
{
    char err[GDLAB_ERRLEN], path[512];
    path_for(path, sizeof path, "bad", "png");
    gdlab_figure_config tiny = {.path = path, .width = 10, .height = 10};
    CHECK(gdlab_figure_open(&tiny, err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "50 to 20000");
    gdlab_figure_config cm = {.path = path, .colormap = "rainbow"};
    CHECK(gdlab_figure_open(&cm, err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "unknown colour map 'rainbow'; available: viridis, plasma");
    gdlab_figure_config th = {.path = path, .theme = {.base = "sepia"}};
    CHECK(gdlab_figure_open(&th, err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "light, dark");
    gdlab_figure_config nodir = {.path = "/nonexistent-dir/x.png"};
    CHECK(gdlab_figure_open(&nodir, err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "/nonexistent-dir/x.png");

    gdlab_figure_config ok = {.path = path, .rows = 1, .cols = 2};
    gdlab_figure *fig = gdlab_figure_open(&ok, err, sizeof err);
    CHECK(fig != NULL);
    if (!fig) return;
    gdlab_axes a;
    gdlab_axes_defaults(&a);
    a.panel = (gdlab_panel){0, 1, 1, 2}; /* spans past the last column */
    const double y[3] = {1, 2, 3};
    const gdlab_series s = {NULL, y, 3, NULL, BLUE, 1, 0, GDLAB_MARKER_NONE, 0, 0, NULL, 0};
    CHECK(gdlab_figure_lines(fig, &a, &s, 1, NULL, 0, NULL, 0, NULL, 0, err, sizeof err) != 0);
    CHECK_STR_CONTAINS(err, "does not fit the 1 x 2 layout");
    a.panel = (gdlab_panel){0, 0, 1, 1};
    a.ylog = 1, a.ymin = -1, a.ymax = 10;
    CHECK(gdlab_figure_lines(fig, &a, &s, 1, NULL, 0, NULL, 0, NULL, 0, err, sizeof err) != 0);
    CHECK_STR_CONTAINS(err, "log");
    gdlab_axes_defaults(&a);
    const double nan3[3] = {NAN, NAN, NAN};
    const gdlab_series empty = {NULL, nan3, 3, NULL, BLUE, 1, 0, GDLAB_MARKER_NONE, 0, 0, NULL, 0};
    CHECK(gdlab_figure_lines(fig, &a, &empty, 1, NULL, 0, NULL, 0, NULL, 0, err, sizeof err) != 0);
    CHECK_STR_CONTAINS(err, "no finite");
    const gdlab_field none = {0};
    gdlab_contour_style st;
    gdlab_contour_style_defaults(&st);
    CHECK(gdlab_figure_contour(fig, &a, &none, &st, NULL, 0, NULL, 0, NULL, 0, err, sizeof err) != 0);
    CHECK_STR_CONTAINS(err, "neither a function nor samples");
    const gdlab_annotation note = {"x", 1, 1, NAN, NAN, 0, {0}, 0, 0};
    const gdlab_panel right = {0, 1, 1, 1};
    CHECK(gdlab_figure_annotate(fig, &right, &note, err, sizeof err) != 0);
    CHECK_STR_CONTAINS(err, "draw it first");
    /* A diverged path (huge and non-finite points) draws without trouble. */
    const double hx[4] = {1, 1e300, NAN, 2}, hy[4] = {1, -1e300, 3, HUGE_VAL};
    const gdlab_series wild = {hx, hy, 4, "wild", RED, 1, 0, GDLAB_MARKER_CIRCLE, 0, 0, NULL, 0};
    a.xmin = 0, a.xmax = 3, a.ymin = 0, a.ymax = 4;
    CHECK(gdlab_figure_lines(fig, &a, &wild, 1, NULL, 0, NULL, 0, NULL, 0, err, sizeof err) == 0);
    CHECK(gdlab_figure_close(fig, err, sizeof err) == 0);
    CHECK(file_size(path) > 1000);
}

/* PLplot's fatal errors jump back instead of exiting; non-fatal ones are reported. */
static void test_plplot_trap(void)
{
    char bad[300];
    snprintf(bad, sizeof bad, "%s/no/such/dir/x.png", dir);
    gdlab_plplot_trap t;
    PLINT previous;
    plgstrm(&previous);
    PLINT s;
    plmkstrm(&s);
    gdlab_plplot_trap_push(&t);
    if (setjmp(t.jump) == 0) {
        plsdev("pngcairo");
        plsfnam(bad);
        plinit(); /* PLplot cannot open the file: it retries, then calls plexit */
    }
    gdlab_plplot_trap_pop(&t);
    CHECK(t.fatal == 1);
    CHECK_STR_CONTAINS(t.message, "Too many tries");
    plsstrm(previous);

    char ok[300];
    snprintf(ok, sizeof ok, "%s/trap.png", dir);
    plmkstrm(&s);
    gdlab_plplot_trap u;
    gdlab_plplot_trap_push(&u);
    if (setjmp(u.jump) == 0) {
        plsdev("pngcairo");
        plsfnam(ok);
        plinit();
        plcol0(300); /* not in the map: PLplot aborts the call and goes on */
        plend1();
    }
    gdlab_plplot_trap_pop(&u);
    plsstrm(previous);
    CHECK(u.fatal == 0);
    CHECK_STR_CONTAINS(u.message, "plcol0");
}

/* Pixels of image within tol of colour rgb in rows y0..y1. */
static long count_color(const image *im, long y0, long y1, unsigned rgb, int tol)
{
    long n = 0;
    for (long y = y0; y < y1 && y < (long)im->h; y++)
        for (long x = 0; x < (long)im->w; x++)
            n += near_color(im, (double)x, (double)y, 0, rgb, tol);
    return n;
}

/* One key for the figure: two panels with the same two labelled lines give one row at the bottom
 * (each label once, in its colour), and nothing of the lines' colours in a panel legend. */
static void test_key(void)
{
    char err[GDLAB_ERRLEN], path[512];
    path_for(path, sizeof path, "key", "png");
    const gdlab_figure_config cfg = {.path = path, .width = 800, .height = 400, .rows = 1, .cols = 2, .key = 1};
    gdlab_figure *fig = gdlab_figure_open(&cfg, err, sizeof err);
    CHECK(fig != NULL);
    if (!fig) return;
    const double x[2] = {0, 1}, y1[2] = {0, 0.1}, y2[2] = {0.9, 1};
    const gdlab_series s[2] = {{x, y1, 2, "low", BLUE, 2, 0, GDLAB_MARKER_NONE, 0, 0, NULL, 0},
                               {x, y2, 2, "high", RED, 2, 0, GDLAB_MARKER_NONE, 0, 0, NULL, 0}};
    gdlab_axes a;
    for (int c = 0; c < 2; c++) {
        gdlab_axes_defaults(&a);
        a.panel = (gdlab_panel){0, c, 1, 1};
        a.xmin = 0, a.xmax = 1, a.ymin = -1.5, a.ymax = 2.5; /* the lines stay in the middle */
        CHECK(gdlab_figure_lines(fig, &a, s, 2, NULL, 0, NULL, 0, NULL, 0, err, sizeof err) == 0);
    }
    CHECK(gdlab_figure_close(fig, err, sizeof err) == 0);
    image im;
    CHECK(load_png(path, &im) == 0);
    if (!im.rgba) return;
    /* The lines lie in the middle rows of the page; a panel legend would be in a top corner. */
    const long strip = 30; /* the key strip: about 10 pt x 1.55 + 10 px */
    const long blue_key = count_color(&im, (long)im.h - strip, (long)im.h, 0x0000FF, 40);
    const long red_key = count_color(&im, (long)im.h - strip, (long)im.h, 0xFF0000, 40);
    CHECK(blue_key >= 28 && blue_key <= 120); /* one sample, 28 px by 2 px, not one per panel */
    CHECK(red_key >= 28 && red_key <= 120);
    CHECK(count_color(&im, 0, (long)im.h / 4, 0x0000FF, 40) == 0); /* no legend box in a panel corner */
    CHECK(count_color(&im, 0, (long)im.h / 4, 0xFF0000, 40) == 0);
    free(im.rgba);
}

/* Arrows land where their data say: a red arrow from (0.2, 0.5) to (0.8, 0.5) on a unit panel has red
 * pixels along its shaft and a head at its tip, and none beyond the tip or at the panel's corners. */
static void test_arrows(void)
{
    char err[GDLAB_ERRLEN], path[512];
    path_for(path, sizeof path, "arrows", "png");
    const gdlab_figure_config cfg = {.path = path, .width = 400, .height = 300};
    gdlab_figure *fig = gdlab_figure_open(&cfg, err, sizeof err);
    CHECK(fig != NULL);
    if (!fig) return;
    gdlab_axes a;
    gdlab_axes_defaults(&a);
    a.xmin = 0, a.xmax = 1, a.ymin = 0, a.ymax = 1;
    const double lx[2] = {0, 1}, ly[2] = {-1, -1}; /* outside the window: an empty panel */
    const gdlab_series off = {lx, ly, 2, NULL, BLUE, 1, 0, GDLAB_MARKER_NONE, 0, 0, NULL, 0};
    CHECK(gdlab_figure_lines(fig, &a, &off, 1, NULL, 0, NULL, 0, NULL, 0, err, sizeof err) == 0);
    const double x[1] = {0.2}, y[1] = {0.5}, dx[1] = {0.6}, dy[1] = {0.0};
    const gdlab_arrows arr = {x, y, dx, dy, 1, RED, 3.0, 12.0, NULL};
    const gdlab_panel cell = {0, 0, 1, 1};
    CHECK(gdlab_figure_arrows(fig, &cell, &arr, err, sizeof err) == 0);
    double px0, py0, px1, py1, pxm, pym, pxb, pyb;
    CHECK(gdlab_figure_data_to_pixel(fig, &cell, 0.2, 0.5, &px0, &py0) == 0);
    CHECK(gdlab_figure_data_to_pixel(fig, &cell, 0.8, 0.5, &px1, &py1) == 0);
    CHECK(gdlab_figure_data_to_pixel(fig, &cell, 0.5, 0.5, &pxm, &pym) == 0);
    CHECK(gdlab_figure_data_to_pixel(fig, &cell, 0.9, 0.5, &pxb, &pyb) == 0);
    const gdlab_arrows bad = {NULL, y, dx, dy, 1, RED, 0, 0, NULL};
    CHECK(gdlab_figure_arrows(fig, &cell, &bad, err, sizeof err) != 0);
    CHECK_STR_CONTAINS(err, "x, y, dx and dy are all needed");
    CHECK(gdlab_figure_close(fig, err, sizeof err) == 0);
    image im;
    CHECK(load_png(path, &im) == 0);
    if (!im.rgba) return;
    CHECK(near_color(&im, pxm, pym, 1, 0xFF0000, 40));         /* the shaft */
    CHECK(near_color(&im, px1 - 4, py1 + 3, 1, 0xFF0000, 40)); /* the head is wider than the shaft */
    CHECK(near_color(&im, px1 - 4, py1 - 3, 1, 0xFF0000, 40));
    CHECK(!near_color(&im, pxb, pyb, 3, 0xFF0000, 60));        /* nothing past the tip */
    CHECK(!near_color(&im, pxm, pym - 20, 3, 0xFF0000, 60));   /* nor above the shaft */
    free(im.rgba);
}

/* A heatmap's contour line goes round missing cells (diverged runs) instead of breaking there: with
 * z = i, cells 6..9 of rows 3..5 missing and a line at 7.5, the line runs between column 5 and the
 * missing block (at 5 + 2.5/14 of a cell, the block counting as 19) and continues above and below. */
static void test_heatmap_contour_around_missing(void)
{
    char err[GDLAB_ERRLEN], path[512];
    path_for(path, sizeof path, "heat_missing", "png");
    const gdlab_figure_config cfg = {.path = path, .width = 500, .height = 400};
    gdlab_figure *fig = gdlab_figure_open(&cfg, err, sizeof err);
    CHECK(fig != NULL);
    if (!fig) return;
    double x[10], y[9], z[90];
    for (int i = 0; i < 10; i++) x[i] = i;
    for (int j = 0; j < 9; j++) y[j] = j;
    for (int j = 0; j < 9; j++)
        for (int i = 0; i < 10; i++) z[j * 10 + i] = i >= 6 && j >= 3 && j <= 5 ? NAN : i;
    const double level = 7.5;
    const gdlab_heatmap h = {.x = x, .y = y, .z = z, .nx = 10, .ny = 9, .zmin = NAN, .zmax = NAN, .colormap = "gray",
                             .contours = &level, .n_contours = 1, .contour_color = {255, 0, 0, 1}};
    gdlab_axes a;
    gdlab_axes_defaults(&a);
    CHECK(gdlab_figure_heatmap(fig, &a, &h, err, sizeof err) == 0);
    const gdlab_panel cell = {0, 0, 1, 1};
    double bx, by, qx, qy;
    CHECK(gdlab_figure_data_to_pixel(fig, &cell, 5.0 + 2.5 / 14.0, 4.0, &bx, &by) == 0);
    CHECK(gdlab_figure_data_to_pixel(fig, &cell, 7.5, 7.5, &qx, &qy) == 0);
    CHECK(gdlab_figure_close(fig, err, sizeof err) == 0);
    image im;
    CHECK(load_png(path, &im) == 0);
    if (!im.rgba) return;
    CHECK(near_color(&im, bx, by, 2, 0xFF0000, 60)); /* beside the missing block */
    CHECK(near_color(&im, qx, qy, 2, 0xFF0000, 60)); /* and where all cells are there */
    free(im.rgba);
}

/* A key whose entries do not fit its one row gets a smaller font rather than losing entries: three
 * 25-character labels on a 600 px page (about 720 px at full size) all show their colour samples, and
 * no text reaches the page's right edge. */
static void test_key_shrinks(void)
{
    char err[GDLAB_ERRLEN], path[512];
    path_for(path, sizeof path, "key_shrinks", "png");
    const gdlab_figure_config cfg = {.path = path, .width = 600, .height = 300, .key = 1};
    gdlab_figure *fig = gdlab_figure_open(&cfg, err, sizeof err);
    CHECK(fig != NULL);
    if (!fig) return;
    const double x[2] = {0, 1}, y[2] = {5, 5};
    const gdlab_rgba green = {0, 200, 0, 1.0};
    const gdlab_series s[3] = {{x, y, 2, "the first fairly long label", RED, 2, 0, GDLAB_MARKER_NONE, 0, 0, NULL, 0},
                               {x, y, 2, "the second long label, too", green, 2, 0, GDLAB_MARKER_NONE, 0, 0, NULL, 0},
                               {x, y, 2, "and a third long label here", BLUE, 2, 0, GDLAB_MARKER_NONE, 0, 0, NULL, 0}};
    gdlab_axes a;
    gdlab_axes_defaults(&a);
    a.ymin = 0, a.ymax = 1; /* the lines lie above the window: only the key shows the colours */
    CHECK(gdlab_figure_lines(fig, &a, s, 3, NULL, 0, NULL, 0, NULL, 0, err, sizeof err) == 0);
    CHECK(gdlab_figure_close(fig, err, sizeof err) == 0);
    image im;
    CHECK(load_png(path, &im) == 0);
    if (!im.rgba) return;
    CHECK(count_color(&im, (long)im.h - 30, (long)im.h, 0xFF0000, 40) >= 20);
    CHECK(count_color(&im, (long)im.h - 30, (long)im.h, 0x00C800, 40) >= 20);
    CHECK(count_color(&im, (long)im.h - 30, (long)im.h, 0x0000FF, 40) >= 20);
    long edge_ink = 0; /* text running off the page would leave dark pixels in the last columns */
    for (long yy = (long)im.h - 30; yy < (long)im.h; yy++)
        for (long xx = (long)im.w - 6; xx < (long)im.w; xx++) edge_ink += pixel(&im, (double)xx, (double)yy)[0] < 150;
    CHECK(edge_ink == 0);
    free(im.rgba);
}

/* font_scale = 2 doubles every text size: twice as wide and tall, four times the ink. */
static long text_ink(double font_scale)
{
    char err[GDLAB_ERRLEN], path[512];
    path_for(path, sizeof path, font_scale > 1 ? "font_big" : "font_small", "png");
    const gdlab_figure_config cfg = {.path = path, .width = 400, .height = 200, .font_scale = font_scale};
    gdlab_figure *fig = gdlab_figure_open(&cfg, err, sizeof err);
    if (!fig) return -1;
    const gdlab_text_style st = {.size = 14, .color = {0, 0, 0, 1}};
    const gdlab_panel cell = {0, 0, 1, 1};
    const int rc = gdlab_figure_text(fig, &cell, "MWMW 0123", &st, err, sizeof err);
    if (gdlab_figure_close(fig, err, sizeof err) || rc) return -1;
    image im;
    if (load_png(path, &im)) return -1;
    long dark = 0;
    for (size_t i = 0; i < (size_t)im.w * im.h; i++) dark += im.rgba[4 * i] < 100;
    free(im.rgba);
    return dark;
}

/* log1p levels are the seeds' np.log1p(np.clip(Z, 0, None)): equal steps of log(1 + f) over the
 * positive part of the field's range, none below 0 (a saddle's lower half has no lines). */
static void test_log1p_levels(void)
{
    char err[GDLAB_ERRLEN];
    double out[8];
    const gdlab_levels lv = {GDLAB_LEVELS_LOG1P, 3, NAN, NAN, NULL};
    CHECK(gdlab_levels_compute(&lv, -6.25, 6.25, out, 8, err, sizeof err) == 3);
    for (int k = 0; k < 3; k++) CHECK_CLOSE(out[k], expm1(log1p(6.25) * (k + 1) / 4.0), 1e-14);
    CHECK(gdlab_levels_compute(&lv, 2.0, 9.0, out, 8, err, sizeof err) == 3); /* log1p of f, not of f − min */
    CHECK_CLOSE(out[0], expm1(log(3.0) + (log(10.0) - log(3.0)) / 4.0), 1e-14);
    CHECK(gdlab_levels_compute(&lv, -3.0, 0.0, out, 8, err, sizeof err) == -1);
    CHECK_STR_CONTAINS(err, "log1p levels need values of f above 0");
}

static void test_font_scale(void)
{
    const long small = text_ink(1.0), big = text_ink(2.0);
    CHECK(small > 50);
    CHECK(big > 3 * small && big < 5 * small);
    char err[GDLAB_ERRLEN], path[512];
    path_for(path, sizeof path, "bad_font", "png");
    const gdlab_figure_config huge = {.path = path, .font_scale = 50};
    CHECK(gdlab_figure_open(&huge, err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "font_scale 50 is out of range: 0.2 to 10");
    const gdlab_figure_config keys = {.path = path, .key = 9};
    CHECK(gdlab_figure_open(&keys, err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "key of 9 rows is out of range");
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/gdlab-figures-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    make_path();
    char path[512];

    probes pr;
    path_for(path, sizeof path, "first", "png");
    CHECK(first_figure("pngcairo", path, NULL, &pr) == 0);
    check_first_png(path, &pr);
    struct {
        const char *device, *ext, *magic;
    } vector[] = {{"svgcairo", "svg", "<svg"}, {"svg", "svg", "<svg"}, {"pdfcairo", "pdf", "%PDF-"},
                  {"ps", "ps", "%!PS"}};
    for (size_t i = 0; i < sizeof vector / sizeof vector[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "first_%s", vector[i].device);
        path_for(path, sizeof path, name, vector[i].ext);
        CHECK(first_figure(vector[i].device, path, NULL, NULL) == 0);
        check_file(path, vector[i].magic, 20000);
    }
    /* PLplot's svg driver keeps text as text: the title's θ, ∇, ← and ² are there. */
    path_for(path, sizeof path, "first_svg", "svg");
    long n;
    char *svg = slurp(path, &n);
    CHECK(svg && count(svg, n, "&#x3b8;") >= 2 && count(svg, n, "&#x2207;") >= 1 &&
          count(svg, n, "&#x2190;") >= 1 && count(svg, n, "&#xb2;") >= 1);
    free(svg);
    /* PostScript draws Greek from the Symbol font: θ is a "q" there. */
    path_for(path, sizeof path, "first_ps", "ps");
    char *ps = slurp(path, &n);
    CHECK(ps && count(ps, n, "/Symbol") >= 1);
    free(ps);

    for (int d = 0; d < 3; d++) {
        const char *dev = d == 0 ? "pngcairo" : d == 1 ? "svgcairo" : "svg", *ext = d == 0 ? "png" : "svg";
        char sub[300];
        snprintf(sub, sizeof sub, "%s/%s", dir, dev);
        mkdir(sub, 0777);
        CHECK(other_figures(dev, ext, sub) == 0);
        const char *names[3] = {"curves", "heatmap", "surface3d"};
        for (int k = 0; k < 3; k++) {
            path_in(path, sizeof path, sub, names[k], ext);
            if (d == 0)
                check_png_has_content(path);
            else
                check_file(path, "<svg", 10000);
        }
    }

    /* A book: three figures, one PDF of three pages. */
    path_for(path, sizeof path, "book", "pdf");
    char err[GDLAB_ERRLEN];
    gdlab_book *book = gdlab_book_open("pdfcairo", path, 1000, 420, err, sizeof err);
    CHECK(book != NULL);
    for (int i = 0; i < 3 && book; i++) CHECK(first_figure(NULL, NULL, book, NULL) == 0);
    CHECK(book && gdlab_book_pages(book) == 3);
    CHECK(gdlab_book_close(book, err, sizeof err) == 0);
    char *pdf = slurp(path, &n);
    CHECK(pdf && count(pdf, n, "/Type /Page") - count(pdf, n, "/Type /Pages") == 3);
    free(pdf);
    CHECK(gdlab_book_open("pngcairo", path, 100, 100, err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "pdfcairo");

    test_devices();
    test_bad_input();
    test_key();
    test_key_shrinks();
    test_font_scale();
    test_log1p_levels();
    test_arrows();
    test_heatmap_contour_around_missing();
    test_plplot_trap();
    const int failed = CHECK_RESULT();
    if (failed)
        fprintf(stderr, "figures kept for inspection in %s\n", dir);
    else
        nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return failed;
}
