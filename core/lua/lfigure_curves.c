/* SPDX-License-Identifier: MIT */
/* lfigure_curves.c — figure methods that draw x–y data: fig:loss (run arrays against the step),
 * fig:lines (series), fig:curve (a 1-D surface or function with runs on it), fig:bars. */
#include <math.h>
#include <string.h>

#include "lfigure.h"
#include "lgdlab.h"

static const char *const loss_keys[] = {"panel", "runs", "log", "key", "threshold", "xlim", "ylim", "title",
                                        "xlabel", "ylabel", "legend", "grid", "width", "marker", NULL};

/* fig:loss{panel, runs = {...}, log = true, key = "loss", threshold = 1e-3 | {1e-3, label = ...}} */
static int l_loss(lua_State *L)
{
    const char *what = "fig:loss";
    gdlab_axes a;
    lfigure *lf = lfig_begin(L, what, loss_keys, &a);
    a.ylog = lfig_opt_bool(L, 2, "log", 1);
    const char *key = lfig_opt_string(L, 2, "key", "loss", what);
    if (!a.xlabel) a.xlabel = "step";
    if (!a.ylabel) a.ylabel = strcmp(key, "loss") == 0 ? "loss f(θ)" : key;
    gdlab_series series[LFIGURE_MAX_ITEMS];
    gdlab_legend_entry extra[LFIGURE_MAX_ITEMS];
    size_t n_extra = 0;
    run_options ro = {key, lfig_opt_number(L, 2, "width", 2.0, what), 0, 0, GDLAB_MARKER_NONE, 0};
    const char *m = lfig_opt_string(L, 2, "marker", NULL, what);
    if (m) ro.marker = lfig_read_marker(L, m, what);
    const size_t n = lfig_read_runs(L, 2, lf->fig, &ro, series, extra, &n_extra, what);
    if (n == 0) luaL_error(L, "%s: runs = {r1, ...} is required", what);
    gdlab_refline refs[16];
    const size_t n_refs = lfig_read_reflines(L, 2, "threshold", 0, refs, 16, what);
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_lines(lf->fig, &a, series, n, refs, n_refs, NULL, 0, extra, n_extra, err, sizeof err))
        return lfig_fail(L, what, err);
    return 0;
}

static const char *const lines_keys[] = {"panel", "series", "xlim", "ylim", "xlog", "ylog", "title", "xlabel",
                                         "ylabel", "legend", "grid", "hlines", "vlines", "xticks", "equal", NULL};

/* fig:lines{panel, series = {{x =, y =, label =, ...}}, xlog, ylog, hlines, vlines, xticks} */
static int l_lines(lua_State *L)
{
    const char *what = "fig:lines";
    gdlab_axes a;
    lfigure *lf = lfig_begin(L, what, lines_keys, &a);
    lfig_read_xticks(L, 2, &a, what);
    gdlab_series series[LFIGURE_MAX_ITEMS];
    const size_t n = lfig_read_series(L, 2, lf->fig, series, what);
    gdlab_refline refs[32];
    size_t n_refs = lfig_read_reflines(L, 2, "hlines", 0, refs, 16, what);
    n_refs += lfig_read_reflines(L, 2, "vlines", 1, refs + n_refs, 16, what);
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_lines(lf->fig, &a, series, n, refs, n_refs, NULL, 0, NULL, 0, err, sizeof err))
        return lfig_fail(L, what, err);
    return 0;
}

static const char *const curve_keys[] = {"panel", "surface", "f", "x", "runs", "color", "label", "width",
                                         "resolution", "xlim", "ylim", "ylog", "title", "xlabel", "ylabel",
                                         "legend", "grid", "markers", "steps", "marker", "hlines", "vlines", NULL};

/* fig:curve{panel, surface = s (1-D) | f = function(x), x = {lo, hi}, runs = {...}} */
static int l_curve(lua_State *L)
{
    const char *what = "fig:curve";
    gdlab_axes a;
    lfigure *lf = lfig_begin(L, what, curve_keys, &a);
    double lim[2] = {NAN, NAN};
    const gdlab_surface *s = NULL;
    if (lfig_field(L, 2, "surface") != LUA_TNIL) {
        s = lgdlab_use_surface(L, lua_gettop(L), what)->s;
        if (gdlab_surface_dim(s) != 1)
            luaL_error(L, "%s: the surface is %d-dimensional; fig:curve draws 1-D surfaces", what, (int)gdlab_surface_dim(s));
        gdlab_surface_domain(s, &lim[0], &lim[1]);
    }
    double r[2];
    lfig_opt_range(L, 2, "x", r, what);
    if (isfinite(r[0])) lim[0] = r[0], lim[1] = r[1];
    if (isfinite(a.xmin)) lim[0] = a.xmin, lim[1] = a.xmax;
    const int has_f = lua_getfield(L, 2, "f") == LUA_TFUNCTION;
    const int fn = lua_gettop(L);
    if ((s != NULL) == has_f) luaL_error(L, "%s: give exactly one of surface = s or f = function(x)", what);
    if (!(lim[1] > lim[0])) luaL_error(L, "%s: f needs x = {lo, hi}", what);
    const size_t res = lcheck_opt_count(L, 2, "resolution", 400, 2, 100000, what);
    double *cx = lcheck_buffer(L, res, sizeof *cx, what), *cy = lcheck_buffer(L, res, sizeof *cy, what);
    luaL_checkstack(L, 4, what);
    for (size_t i = 0; i < res; i++) {
        cx[i] = lim[0] + (lim[1] - lim[0]) * i / (res - 1);
        if (s) {
            cy[i] = gdlab_surface_eval(s, &cx[i], NULL);
        } else {
            lua_pushvalue(L, fn);
            lua_pushnumber(L, cx[i]);
            lua_call(L, 1, 1);
            cy[i] = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : NAN;
            lua_pop(L, 1);
        }
    }
    if (s) lgdlab_raise_surface_error(L); /* a Lua surface's error, not a curve of NaN */
    gdlab_series series[LFIGURE_MAX_ITEMS + 1];
    series[0] = (gdlab_series){cx, cy, res, lfig_opt_string(L, 2, "label", "f(θ)", what), {0xE0, 0x3C, 0x31, 1.0},
                               lfig_opt_number(L, 2, "width", 3.0, what), 0, GDLAB_MARKER_NONE, 0, 0, NULL, 0};
    lfig_opt_color(L, 2, "color", &series[0].color, what);
    gdlab_legend_entry extra[LFIGURE_MAX_ITEMS];
    size_t n_extra = 0;
    run_options ro = {NULL, 2.0, 6.0, 0.9, GDLAB_MARKER_CIRCLE, lcheck_opt_count(L, 2, "steps", 0, 0, LCHECK_MAX_LENGTH, what)};
    const char *m = lfig_opt_string(L, 2, "marker", NULL, what);
    if (m) ro.marker = lfig_read_marker(L, m, what);
    const size_t n = lfig_read_runs(L, 2, lf->fig, &ro, series + 1, extra, &n_extra, what);
    /* Paths default to the theme's palette after the curve's own colour. */
    gdlab_point_mark marks[2 * LFIGURE_MAX_ITEMS];
    size_t n_marks = lfig_opt_bool(L, 2, "markers", 0) ? lfig_run_marks(lf->fig, series + 1, n, marks, extra, &n_extra) : 0;
    gdlab_refline refs[32];
    size_t n_refs = lfig_read_reflines(L, 2, "hlines", 0, refs, 16, what);
    n_refs += lfig_read_reflines(L, 2, "vlines", 1, refs + n_refs, 16, what);
    /* The y range is the curve's over the x range, not the run's (a diverged run is clipped). */
    if (!isfinite(a.ymin)) {
        double lo = HUGE_VAL, hi = -HUGE_VAL;
        for (size_t i = 0; i < res; i++)
            if (isfinite(cy[i]) && (!a.ylog || cy[i] > 0)) lo = fmin(lo, cy[i]), hi = fmax(hi, cy[i]);
        if (hi >= lo) {
            const double pad = a.ylog ? 0 : (hi - lo) * 0.05;
            a.ymin = a.ylog ? lo / 2 : lo - pad, a.ymax = a.ylog ? hi * 2 : hi + pad;
        }
    }
    a.xmin = lim[0], a.xmax = lim[1];
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_lines(lf->fig, &a, series, n + 1, refs, n_refs, marks, n_marks, extra, n_extra, err, sizeof err))
        return lfig_fail(L, what, err);
    return 0;
}

static const char *const bars_keys[] = {"panel", "values", "x", "labels", "color", "colors", "width", "label",
                                        "xlim", "ylim", "ylog", "title", "xlabel", "ylabel", "legend", "grid",
                                        "hlines", NULL};

/* fig:bars{panel, values = {...}, x = {...} | labels = {...}, color | colors = {...}} */
static int l_bars(lua_State *L)
{
    const char *what = "fig:bars";
    gdlab_axes a;
    lfigure *lf = lfig_begin(L, what, bars_keys, &a);
    gdlab_bars b;
    memset(&b, 0, sizeof b);
    if (lfig_field(L, 2, "values") == LUA_TNIL) luaL_error(L, "%s: values = {...} is required", what);
    b.values = lcheck_numbers(L, -1, what, "values", 0, 100000, LCHECK_ANY, &b.n);
    if (lfig_field(L, 2, "x") != LUA_TNIL) {
        size_t nx;
        b.x = lfig_to_numbers(L, -1, &nx, what, "x");
        if (nx != b.n) luaL_error(L, "%s: %d x positions for %d values", what, (int)nx, (int)b.n);
    }
    b.color = gdlab_figure_palette(lf->fig, 1);
    lfig_opt_color(L, 2, "color", &b.color, what);
    b.width = lfig_opt_number(L, 2, "width", 0, what);
    b.label = lfig_opt_string(L, 2, "label", NULL, what);
    if (lfig_field(L, 2, "colors") != LUA_TNIL) {
        const char **names = lfig_read_labels(L, lua_gettop(L), b.n, what, "colors");
        gdlab_rgba *c = lcheck_buffer(L, b.n, sizeof *c, what);
        for (size_t i = 0; i < b.n; i++) lfig_parse_color(L, names[i], &c[i], what, "colors");
        b.colors = c;
    }
    double *ticks = NULL;
    if (lfig_field(L, 2, "labels") != LUA_TNIL) {
        const char **labels = lfig_read_labels(L, lua_gettop(L), b.n, what, "labels");
        ticks = lcheck_buffer(L, b.n, sizeof *ticks, what);
        for (size_t i = 0; i < b.n; i++) ticks[i] = b.x ? b.x[i] : (double)(i + 1);
        a.xticks = ticks, a.n_xticks = b.n, a.xtick_labels = labels;
    } else if (!b.x) {
        ticks = lcheck_buffer(L, b.n, sizeof *ticks, what);
        for (size_t i = 0; i < b.n; i++) ticks[i] = (double)(i + 1);
        a.xticks = ticks, a.n_xticks = b.n;
    }
    gdlab_refline refs[16];
    const size_t n_refs = lfig_read_reflines(L, 2, "hlines", 0, refs, 16, what);
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_bars(lf->fig, &a, &b, 1, refs, n_refs, err, sizeof err)) return lfig_fail(L, what, err);
    return 0;
}

const luaL_Reg lfigure_curve_methods[] = {
    {"loss", l_loss}, {"lines", l_lines}, {"curve", l_curve}, {"bars", l_bars}, {NULL, NULL},
};
