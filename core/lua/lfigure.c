/* lfigure.c — figures from Lua: gd.figure{...} returns a figure whose methods draw one panel each
 * (contour, loss, lines, curve, bars, heatmap, surface3d, text, annotate, plplot), gd.book{...}
 * gathers figures as pages of one file, gd.devices() lists the output devices. docs/figures.md is the
 * reference. Arguments are read and checked here, into C structs whose arrays live in userdata on
 * the Lua stack (so an error leaks nothing); then one call to the C figure API draws. Unknown option
 * names are errors that list the valid ones. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gdlab/figure.h"
#include "lgdlab.h"

#define FIGURE_MT "gdlab.figure"
#define BOOK_MT "gdlab.book"
#define MAX_ITEMS 64 /* runs or series in one panel */


typedef struct lfigure {
    gdlab_figure *fig;
    char path[1024];
} lfigure;

typedef struct lbook {
    gdlab_book *book;
    const gdlab_device_info *dev;
    char path[1024];
} lbook;

/* ------------------------------------------------------------------------------------------------
 * Reading arguments.
 * ---------------------------------------------------------------------------------------------- */

/* Every key of the table at idx must be one of valid (NULL-terminated). */
static void check_keys(lua_State *L, int idx, const char *what, const char *const *valid)
{
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        int ok = 0;
        if (lua_type(L, -1) == LUA_TSTRING)
            for (const char *const *v = valid; *v && !ok; v++) ok = strcmp(*v, lua_tostring(L, -1)) == 0;
        if (!ok) {
            luaL_Buffer b;
            luaL_buffinit(L, &b);
            for (const char *const *v = valid; *v; v++) {
                luaL_addstring(&b, *v);
                if (v[1]) luaL_addstring(&b, ", ");
            }
            luaL_pushresult(&b);
            const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : luaL_typename(L, -2);
            luaL_error(L, "%s: unknown option '%s'; valid: %s", what, key, lua_tostring(L, -1));
        }
    }
}

/* Push t[key]; returns its type. */
static int field(lua_State *L, int t, const char *key)
{
    return lua_getfield(L, t, key);
}

static double opt_number(lua_State *L, int t, const char *key, double def, const char *what)
{
    double v = def;
    int type = field(L, t, key);
    if (type != LUA_TNIL) {
        int ok;
        v = lua_tonumberx(L, -1, &ok);
        if (!ok) luaL_error(L, "%s: '%s' must be a number, got %s", what, key, luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    return v;
}

static int opt_bool(lua_State *L, int t, const char *key, int def)
{
    int type = field(L, t, key);
    int v = type == LUA_TNIL ? def : lua_toboolean(L, -1);
    lua_pop(L, 1);
    return v;
}

/* A string option; the string stays alive because t keeps it. */
static const char *opt_string(lua_State *L, int t, const char *key, const char *def, const char *what)
{
    const char *v = def;
    int type = field(L, t, key);
    if (type == LUA_TSTRING)
        v = lua_tostring(L, -1);
    else if (type == LUA_TNUMBER)
        luaL_error(L, "%s: '%s' must be a string, got a number", what, key);
    else if (type != LUA_TNIL)
        luaL_error(L, "%s: '%s' must be a string, got %s", what, key, luaL_typename(L, -1));
    lua_pop(L, 1);
    return v;
}

static void parse_color(lua_State *L, const char *text, gdlab_rgba *c, const char *what, const char *key)
{
    char err[GDLAB_ERRLEN];
    if (gdlab_color_parse(text, c, err, sizeof err)) luaL_error(L, "%s: '%s': %s", what, key, err);
}

/* An optional colour; returns 1 when given. */
static int opt_color(lua_State *L, int t, const char *key, gdlab_rgba *c, const char *what)
{
    const char *s = opt_string(L, t, key, NULL, what);
    if (!s) return 0;
    parse_color(L, s, c, what, key);
    return 1;
}

/* An array of numbers (the value on top of the stack) copied into a buffer pushed on the stack,
 * which replaces the value... the value stays below it. Non-numbers become NaN only if allow_nan. */
static double *to_numbers(lua_State *L, int idx, size_t *n, const char *what, const char *key)
{
    idx = lua_absindex(L, idx);
    if (!lua_istable(L, idx)) luaL_error(L, "%s: '%s' must be an array of numbers, got %s", what, key, luaL_typename(L, idx));
    const size_t len = (size_t)luaL_len(L, idx);
    double *v = lua_newuserdatauv(L, (len ? len : 1) * sizeof *v, 0);
    for (size_t i = 0; i < len; i++) {
        lua_geti(L, idx, (lua_Integer)i + 1);
        int ok;
        v[i] = lua_tonumberx(L, -1, &ok);
        if (!ok) luaL_error(L, "%s: '%s'[%d] is not a number (%s)", what, key, (int)i + 1, luaL_typename(L, -1));
        lua_pop(L, 1);
    }
    *n = len;
    return v;
}

/* {lo, hi} into lim[0], lim[1] (NaN when absent). */
static void opt_range(lua_State *L, int t, const char *key, double lim[2], const char *what)
{
    lim[0] = lim[1] = NAN;
    if (field(L, t, key) != LUA_TNIL) {
        size_t n;
        double *v = to_numbers(L, -1, &n, what, key);
        if (n != 2 || !(v[1] > v[0])) luaL_error(L, "%s: '%s' must be {lo, hi} with lo < hi", what, key);
        lim[0] = v[0], lim[1] = v[1];
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static lfigure *check_figure(lua_State *L, int idx)
{
    lfigure *f = luaL_checkudata(L, idx, FIGURE_MT);
    if (!f->fig) luaL_error(L, "figure is closed");
    return f;
}

/* panel = n (1-based, row by row) or {row, col [, rows = r, cols = c]}. */
static gdlab_panel read_panel(lua_State *L, int t, const gdlab_figure *fig, const char *what)
{
    const int rows = gdlab_figure_rows(fig), cols = gdlab_figure_cols(fig);
    gdlab_panel p = {0, 0, 1, 1};
    int type = field(L, t, "panel");
    if (type == LUA_TNUMBER) {
        const lua_Integer k = lua_tointeger(L, -1);
        if (k < 1 || k > rows * cols)
            luaL_error(L, "%s: panel %d does not exist: the layout has %d panels (1 to %d)", what, (int)k,
                       rows * cols, rows * cols);
        p.row = (int)((k - 1) / cols), p.col = (int)((k - 1) % cols);
    } else if (type == LUA_TTABLE) {
        const int pt = lua_gettop(L);
        lua_geti(L, pt, 1);
        lua_geti(L, pt, 2);
        if (!lua_isinteger(L, -2) || !lua_isinteger(L, -1))
            luaL_error(L, "%s: panel must be a number or {row, col, rows = n, cols = n}", what);
        p.row = (int)lua_tointeger(L, -2) - 1, p.col = (int)lua_tointeger(L, -1) - 1;
        lua_pop(L, 2);
        p.rowspan = (int)opt_number(L, pt, "rows", 1, what);
        p.colspan = (int)opt_number(L, pt, "cols", 1, what);
        if (p.row < 0 || p.col < 0 || p.rowspan < 1 || p.colspan < 1 || p.row + p.rowspan > rows ||
            p.col + p.colspan > cols)
            luaL_error(L, "%s: panel {%d, %d, rows = %d, cols = %d} does not fit the %d x %d layout", what,
                       p.row + 1, p.col + 1, p.rowspan, p.colspan, rows, cols);
    } else if (type != LUA_TNIL) {
        luaL_error(L, "%s: panel must be a number or {row, col, rows = n, cols = n}", what);
    } else if (rows * cols > 1) {
        luaL_error(L, "%s: the figure has %d panels: say which with panel = n", what, rows * cols);
    }
    lua_pop(L, 1);
    return p;
}

/* title, xlabel, ylabel, xlim, ylim, xlog, ylog, grid, equal, legend. */
static void read_axes(lua_State *L, int t, const gdlab_figure *fig, gdlab_axes *a, const char *what)
{
    gdlab_axes_defaults(a);
    a->panel = read_panel(L, t, fig, what);
    a->title = opt_string(L, t, "title", NULL, what);
    a->xlabel = opt_string(L, t, "xlabel", NULL, what);
    a->ylabel = opt_string(L, t, "ylabel", NULL, what);
    double lim[2];
    opt_range(L, t, "xlim", lim, what);
    a->xmin = lim[0], a->xmax = lim[1];
    opt_range(L, t, "ylim", lim, what);
    a->ymin = lim[0], a->ymax = lim[1];
    a->xlog = opt_bool(L, t, "xlog", 0);
    a->ylog = opt_bool(L, t, "ylog", 0);
    a->grid = opt_bool(L, t, "grid", 0);
    a->equal = opt_bool(L, t, "equal", 0);
    int type = field(L, t, "legend");
    if (type == LUA_TBOOLEAN) {
        a->legend = lua_toboolean(L, -1) ? GDLAB_LEGEND_BEST : GDLAB_LEGEND_NONE;
    } else if (type == LUA_TSTRING) {
        char err[GDLAB_ERRLEN];
        if (gdlab_legend_pos_parse(lua_tostring(L, -1), &a->legend, err, sizeof err))
            luaL_error(L, "%s: legend: %s", what, err);
    } else if (type != LUA_TNIL) {
        luaL_error(L, "%s: legend must be true, false or a position such as \"upper right\"", what);
    }
    lua_pop(L, 1);
}

static gdlab_marker read_marker(lua_State *L, const char *text, const char *what)
{
    char err[GDLAB_ERRLEN];
    gdlab_marker m;
    if (gdlab_marker_parse(text, &m, err, sizeof err)) luaL_error(L, "%s: %s", what, err);
    return m;
}

/* A run result from gd.run: a table with x and loss arrays. */
static int is_run(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    if (!lua_istable(L, idx)) return 0;
    const int has_loss = lua_getfield(L, idx, "loss") == LUA_TTABLE;
    const int has_x = lua_getfield(L, idx, "x") == LUA_TTABLE;
    lua_pop(L, 2);
    return has_loss && has_x;
}

/* Segment colours from highlight = {when = function(k, x0, x1) -> bool, color, label, width}:
 * pushes a buffer of n - 1 colours and fills the legend entry. */
static gdlab_rgba *read_highlight(lua_State *L, int spec, const double *x, const double *y, size_t n,
                                  gdlab_legend_entry *entry, double *width, const char *what)
{
    if (field(L, spec, "highlight") == LUA_TNIL) {
        lua_pop(L, 1);
        return NULL;
    }
    const int h = lua_gettop(L);
    if (!lua_istable(L, h)) luaL_error(L, "%s: highlight must be {when = function(k, x0, x1), color = ...}", what);
    static const char *const keys[] = {"when", "color", "label", "width", NULL};
    check_keys(L, h, "highlight", keys);
    gdlab_rgba c = {0xFF, 0xD7, 0x00, 1.0};
    opt_color(L, h, "color", &c, what);
    *width = opt_number(L, h, "width", 0, what);
    entry->label = opt_string(L, h, "label", NULL, what);
    entry->color = c;
    if (field(L, h, "when") != LUA_TFUNCTION) luaL_error(L, "%s: highlight needs when = function(k, x0, x1)", what);
    const int fn = lua_gettop(L);
    gdlab_rgba *colors = lua_newuserdatauv(L, (n ? n : 1) * sizeof *colors, 0);
    lua_replace(L, h); /* keep the buffer where the highlight table was */
    for (size_t k = 0; k + 1 < n; k++) {
        lua_pushvalue(L, fn);
        lua_pushinteger(L, (lua_Integer)k + 1);
        if (y) { /* 2-D: points as {x, y} */
            lua_createtable(L, 2, 0);
            lua_pushnumber(L, x[k]), lua_rawseti(L, -2, 1);
            lua_pushnumber(L, y[k]), lua_rawseti(L, -2, 2);
            lua_createtable(L, 2, 0);
            lua_pushnumber(L, x[k + 1]), lua_rawseti(L, -2, 1);
            lua_pushnumber(L, y[k + 1]), lua_rawseti(L, -2, 2);
        } else {
            lua_pushnumber(L, x[k]);
            lua_pushnumber(L, x[k + 1]);
        }
        lua_call(L, 3, 1);
        colors[k] = lua_toboolean(L, -1) ? c : (gdlab_rgba){0, 0, 0, 0.0};
        lua_pop(L, 1);
    }
    lua_pop(L, 1); /* the function */
    return colors;
}

/* A run spec {run, color =, ...}: string keys from the list, and the run at [1]. */
static void check_spec_keys(lua_State *L, int spec, const char *what)
{
    static const char *const keys[] = {"color", "label", "width", "marker", "steps", "highlight", "dashed", NULL};
    lua_pushnil(L);
    while (lua_next(L, spec)) {
        lua_pop(L, 1);
        if (lua_isinteger(L, -1) && lua_tointeger(L, -1) == 1) continue;
        int ok = 0;
        if (lua_type(L, -1) == LUA_TSTRING)
            for (const char *const *k = keys; *k && !ok; k++) ok = strcmp(*k, lua_tostring(L, -1)) == 0;
        if (!ok)
            luaL_error(L, "%s: unknown option '%s' in a run spec; valid: [1] = run, color, label, width, "
                       "marker, steps, highlight, dashed", what, lua_isstring(L, -1) ? lua_tostring(L, -1) : luaL_typename(L, -1));
    }
}

/* The runs option: a list of gd.run results, or {run, color =, label =, width =, marker =, steps =,
 * highlight =} specs. Fills series (x: first coordinate, y: second, or the `key` array against the
 * step when key is set). Everything it allocates stays on the stack. Returns the count. */
typedef struct run_options {
    const char *key;       /* NULL: trajectories; else "loss", "grad_norm", "lr" ... against step */
    double width, marker_size, marker_alpha;
    gdlab_marker marker;
    size_t max_steps;      /* 0: all */
} run_options;

static size_t read_runs(lua_State *L, int t, const gdlab_figure *fig, const run_options *o,
                        gdlab_series *series, gdlab_legend_entry *extra, size_t *n_extra,
                        const char *what)
{
    if (field(L, t, "runs") == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    const int runs = lua_gettop(L);
    if (!lua_istable(L, runs)) luaL_error(L, "%s: runs must be a list of gd.run results", what);
    if (is_run(L, runs)) luaL_error(L, "%s: runs must be a list: runs = {r1, r2}", what);
    const size_t n = (size_t)luaL_len(L, runs);
    if (n > MAX_ITEMS) luaL_error(L, "%s: at most %d runs in one panel", what, MAX_ITEMS);
    for (size_t i = 0; i < n; i++) {
        lua_geti(L, runs, (lua_Integer)i + 1);
        int spec = lua_gettop(L), run = spec;
        if (!is_run(L, spec)) {
            lua_geti(L, spec, 1);
            if (!is_run(L, -1))
                luaL_error(L, "%s: runs[%d] is neither a gd.run result nor {run, color = ...}", what, (int)i + 1);
            run = lua_gettop(L);
            check_spec_keys(L, spec, what);
        }
        gdlab_series *s = &series[i];
        memset(s, 0, sizeof *s);
        s->color = gdlab_figure_palette(fig, i);
        s->width = o->width, s->marker = o->marker, s->marker_size = o->marker_size;
        s->marker_alpha = o->marker_alpha;
        s->label = opt_string(L, run, "label", NULL, what);
        size_t steps = o->max_steps;
        if (spec != run) {
            opt_color(L, spec, "color", &s->color, what);
            s->label = opt_string(L, spec, "label", s->label, what);
            s->width = opt_number(L, spec, "width", s->width, what);
            s->dashed = opt_bool(L, spec, "dashed", 0);
            const char *m = opt_string(L, spec, "marker", NULL, what);
            if (m) s->marker = read_marker(L, m, what);
            steps = (size_t)opt_number(L, spec, "steps", (double)steps, what);
        }
        size_t nx, ny;
        int two_d = 0; /* a map's run: points {x, y} */
        if (o->key) {
            field(L, run, o->key);
            if (!lua_istable(L, -1)) luaL_error(L, "%s: runs[%d] has no '%s' array", what, (int)i + 1, o->key);
            s->y = to_numbers(L, -1, &ny, what, o->key);
            s->n = ny;
        } else {
            field(L, run, "x");
            s->x = to_numbers(L, -1, &nx, what, "x");
            if (field(L, run, "y") == LUA_TTABLE) {
                s->y = to_numbers(L, -1, &ny, what, "y");
                two_d = 1;
            } else { /* a 1-D run: the path lies on the curve, at height loss */
                field(L, run, "loss");
                s->y = to_numbers(L, -1, &ny, what, "loss");
            }
            s->n = nx < ny ? nx : ny;
        }
        if (steps > 0 && steps + 1 < s->n) s->n = steps + 1;
        if (spec != run) {
            gdlab_legend_entry e = {NULL, {0}, 0, 0, GDLAB_MARKER_CIRCLE, 7.0};
            double hw = 0;
            /* 1-D runs and loss curves: the highlight sees x values; maps see {x, y} points. */
            s->segment_colors = read_highlight(L, spec, o->key ? s->y : s->x, two_d ? s->y : NULL, s->n,
                                               &e, &hw, what);
            if (s->segment_colors) {
                s->width_highlight = hw > 0 ? hw : s->width * 1.5;
                e.width = s->width_highlight;
                if (e.label && *n_extra < MAX_ITEMS) extra[(*n_extra)++] = e;
            }
        }
    }
    return n;
}

/* ------------------------------------------------------------------------------------------------
 * Figure methods.
 * ---------------------------------------------------------------------------------------------- */

static int fail(lua_State *L, const char *what, const char *err)
{
    return luaL_error(L, "%s: %s", what, err);
}

/* Evaluate a 2-D surface, a Lua function f(x, y) or nothing onto nx x ny nodes over lim (pushes the
 * buffer). Lua errors raised by the function propagate here, outside any PLplot call. */
static double *sample_2d(lua_State *L, int t, int surface, size_t nx, size_t ny, const double lim[4])
{
    double *z = lua_newuserdatauv(L, nx * ny * sizeof *z, 0);
    const gdlab_surface *s = surface ? lgdlab_check_surface(L, surface)->s : NULL;
    int fn = 0;
    if (!s) {
        field(L, t, "f");
        fn = lua_gettop(L);
    }
    for (size_t j = 0; j < ny; j++)
        for (size_t i = 0; i < nx; i++) {
            const double x[2] = {lim[0] + (lim[1] - lim[0]) * i / (nx - 1), lim[2] + (lim[3] - lim[2]) * j / (ny - 1)};
            if (s) {
                z[j * nx + i] = gdlab_surface_eval(s, x, NULL);
            } else {
                lua_pushvalue(L, fn);
                lua_pushnumber(L, x[0]);
                lua_pushnumber(L, x[1]);
                lua_call(L, 2, 1);
                z[j * nx + i] = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : NAN;
                lua_pop(L, 1);
            }
        }
    if (fn) lua_pop(L, 1);
    return z;
}

/* Landmarks of the surface at idx as marks (global minima as "+", others smaller). */
static size_t surface_marks(lua_State *L, int surface, const gdlab_figure *fig, gdlab_point_mark *m, size_t cap)
{
    const gdlab_surface *s = lgdlab_check_surface(L, surface)->s;
    if (gdlab_surface_dim(s) != 2) return 0;
    size_t n = 0;
    const gdlab_rgba green = {0x2A, 0x9D, 0x5C, 1.0}, grey = gdlab_figure_neutral(fig);
    int labelled_min = 0, labelled_saddle = 0;
    for (size_t i = 0; n < cap; i++) {
        double x[2];
        const int kind = gdlab_surface_landmark(s, i, x);
        if (kind == GDLAB_LANDMARK_END) break;
        gdlab_point_mark mk = {x[0], x[1], GDLAB_MARKER_PLUS, green, 14.0, NULL};
        if (kind == GDLAB_LANDMARK_GLOBAL_MIN || kind == GDLAB_LANDMARK_LOCAL_MIN) {
            if (kind == GDLAB_LANDMARK_LOCAL_MIN) mk.size = 10.0;
            if (!labelled_min++) mk.label = "minimum";
        } else if (kind == GDLAB_LANDMARK_SADDLE) {
            mk.marker = GDLAB_MARKER_CROSS, mk.color = grey, mk.size = 10.0;
            if (!labelled_saddle++) mk.label = "saddle";
        } else {
            continue;
        }
        m[n++] = mk;
    }
    return n;
}

/* Start and end markers of the runs: with one run, a grey start and a green end star as in the
 * seeds; with several, each run's own colour, and one neutral legend row for each kind. */
static size_t run_marks(const gdlab_figure *fig, const gdlab_series *s, size_t n, gdlab_point_mark *m,
                        gdlab_legend_entry *extra, size_t *n_extra)
{
    size_t k = 0;
    const gdlab_rgba grey = gdlab_figure_neutral(fig), green = {0x2A, 0x9D, 0x5C, 1.0};
    for (size_t i = 0; i < n; i++) {
        if (s[i].n == 0 || !s[i].x) continue;
        const double sx = s[i].x[0], sy = s[i].y[0], ex = s[i].x[s[i].n - 1], ey = s[i].y[s[i].n - 1];
        if (n == 1) {
            m[k++] = (gdlab_point_mark){sx, sy, GDLAB_MARKER_CIRCLE, grey, 10.0, "start"};
            m[k++] = (gdlab_point_mark){ex, ey, GDLAB_MARKER_STAR, green, 13.0, "end"};
        } else {
            m[k++] = (gdlab_point_mark){sx, sy, GDLAB_MARKER_CIRCLE, s[i].color, 10.0, NULL};
            m[k++] = (gdlab_point_mark){ex, ey, GDLAB_MARKER_STAR, s[i].color, 12.0, NULL};
        }
    }
    if (n > 1 && *n_extra + 2 <= MAX_ITEMS) {
        extra[(*n_extra)++] = (gdlab_legend_entry){"start", grey, 0, 0, GDLAB_MARKER_CIRCLE, 9.0};
        extra[(*n_extra)++] = (gdlab_legend_entry){"end", grey, 0, 0, GDLAB_MARKER_STAR, 11.0};
    }
    return k;
}

static void read_levels(lua_State *L, int t, gdlab_levels *lv, const char *what)
{
    lv->n = (int)opt_number(L, t, "nlevels", 0, what);
    lv->lo = opt_number(L, t, "lo", NAN, what);
    lv->hi = opt_number(L, t, "hi", NAN, what);
    const int type = field(L, t, "levels");
    if (type == LUA_TSTRING) {
        char err[GDLAB_ERRLEN];
        if (gdlab_levels_parse(lua_tostring(L, -1), &lv->kind, err, sizeof err)) fail(L, what, err);
        lua_pop(L, 1);
    } else if (type == LUA_TNUMBER) {
        lv->kind = GDLAB_LEVELS_LINEAR;
        lv->n = (int)lua_tointeger(L, -1);
        if (lv->n < 1 || lv->n > 256) luaL_error(L, "%s: levels = %d is out of range: 1 to 256", what, lv->n);
        lua_pop(L, 1);
    } else if (type == LUA_TTABLE) {
        size_t n;
        lv->values = to_numbers(L, -1, &n, what, "levels"); /* the buffer stays on the stack */
        lv->kind = GDLAB_LEVELS_LIST;
        lv->n = (int)n;
        if (n < 1 || n > 256) luaL_error(L, "%s: %d levels given: 1 to 256 allowed", what, (int)n);
    } else if (type != LUA_TNIL) {
        luaL_error(L, "%s: levels must be \"linear\", \"log\", \"log1p\", a count or a list", what);
    } else {
        lua_pop(L, 1);
    }
}

static const char *const contour_keys[] = {
    "panel", "surface", "f", "z", "x", "y", "runs", "levels", "nlevels", "lo", "hi", "filled", "lines",
    "colormap", "colorbar", "colorbar_label", "line_color", "line_width", "resolution", "xlim", "ylim",
    "title", "xlabel", "ylabel", "equal", "legend", "grid", "markers", "steps", "width", "marker",
    "marker_size", "xlog", "ylog", NULL};

/* fig:contour{panel, surface = s | f = function(x, y) | z = {{...}}, runs = {...}, levels, ...} */
static int l_contour(lua_State *L)
{
    const char *what = "fig:contour";
    lfigure *lf = check_figure(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    check_keys(L, 2, what, contour_keys);
    gdlab_axes a;
    read_axes(L, 2, lf->fig, &a, what);
    gdlab_contour_style st;
    gdlab_contour_style_defaults(&st);
    read_levels(L, 2, &st.levels, what);
    st.filled = opt_bool(L, 2, "filled", 0);
    st.lines = opt_bool(L, 2, "lines", !st.filled);
    st.colormap = opt_string(L, 2, "colormap", NULL, what);
    st.colorbar = opt_bool(L, 2, "colorbar", st.filled);
    st.colorbar_label = opt_string(L, 2, "colorbar_label", NULL, what);
    opt_color(L, 2, "line_color", &st.line_color, what);
    st.line_width = opt_number(L, 2, "line_width", 0, what);
    char err[GDLAB_ERRLEN];
    if (st.colormap && gdlab_colormap_check(st.colormap, err, sizeof err)) return fail(L, what, err);

    /* The field: a surface, a function or samples; its rectangle from the surface or x/y. */
    double lim[4] = {NAN, NAN, NAN, NAN};
    int surface = 0;
    if (field(L, 2, "surface") != LUA_TNIL) {
        surface = lua_gettop(L);
        const gdlab_surface *s = lgdlab_check_surface(L, surface)->s;
        if (gdlab_surface_dim(s) != 2)
            luaL_error(L, "%s: the surface is %d-dimensional; maps need 2 (use fig:curve for 1-D)", what,
                       (int)gdlab_surface_dim(s));
        double lo[2], hi[2];
        gdlab_surface_domain(s, lo, hi);
        lim[0] = lo[0], lim[1] = hi[0], lim[2] = lo[1], lim[3] = hi[1];
    }
    double r[2];
    opt_range(L, 2, "x", r, what);
    if (isfinite(r[0])) lim[0] = r[0], lim[1] = r[1];
    opt_range(L, 2, "y", r, what);
    if (isfinite(r[0])) lim[2] = r[0], lim[3] = r[1];
    if (isfinite(a.xmin)) lim[0] = a.xmin, lim[1] = a.xmax;
    if (isfinite(a.ymin)) lim[2] = a.ymin, lim[3] = a.ymax;
    gdlab_field f = {0};
    const int has_f = lua_getfield(L, 2, "f") == LUA_TFUNCTION;
    const int has_z = lua_getfield(L, 2, "z") == LUA_TTABLE;
    lua_pop(L, 2);
    if (surface + has_f + has_z == 0 || (surface != 0) + has_f + has_z != 1)
        luaL_error(L, "%s: give exactly one of surface = s, f = function(x, y) or z = {{...}}", what);
    if (!surface && !(lim[1] > lim[0] && lim[3] > lim[2]))
        luaL_error(L, "%s: f and z need the rectangle: x = {lo, hi}, y = {lo, hi}", what);
    if (has_z) { /* z[j][i]: row j (y), column i (x) */
        field(L, 2, "z");
        const int zt = lua_gettop(L);
        const size_t ny = (size_t)luaL_len(L, zt);
        lua_geti(L, zt, 1);
        const size_t nx = lua_istable(L, -1) ? (size_t)luaL_len(L, -1) : 0;
        lua_pop(L, 1);
        if (nx < 2 || ny < 2) luaL_error(L, "%s: z must be a table of at least 2 rows of at least 2 numbers", what);
        double *z = lua_newuserdatauv(L, nx * ny * sizeof *z, 0);
        for (size_t j = 0; j < ny; j++) {
            lua_geti(L, zt, (lua_Integer)j + 1);
            size_t n;
            double *row = lua_istable(L, -1) ? to_numbers(L, -1, &n, what, "z row") : NULL;
            if (!row || n != nx) luaL_error(L, "%s: z row %d has %d values, row 1 has %d", what, (int)j + 1, row ? (int)n : 0, (int)nx);
            memcpy(z + j * nx, row, nx * sizeof *z);
            lua_pop(L, 2);
        }
        f = (gdlab_field){NULL, NULL, z, nx, ny, lim[0], lim[1], lim[2], lim[3]};
    } else {
        size_t nx, ny;
        const size_t res = (size_t)opt_number(L, 2, "resolution", 0, what);
        gdlab_figure_field_resolution(lf->fig, &a.panel, &nx, &ny);
        if (res) nx = ny = res;
        if (nx < 2 || ny < 2 || nx > 4000 || ny > 4000) luaL_error(L, "%s: resolution must be 2 to 4000", what);
        double *z = sample_2d(L, 2, surface, nx, ny, lim);
        f = (gdlab_field){NULL, NULL, z, nx, ny, lim[0], lim[1], lim[2], lim[3]};
    }

    gdlab_series series[MAX_ITEMS];
    gdlab_legend_entry extra[MAX_ITEMS];
    size_t n_extra = 0;
    run_options ro = {NULL, opt_number(L, 2, "width", 1.8, what), opt_number(L, 2, "marker_size", 4.5, what),
                      0.7, GDLAB_MARKER_CIRCLE, (size_t)opt_number(L, 2, "steps", 0, what)};
    const char *m = opt_string(L, 2, "marker", NULL, what);
    if (m) ro.marker = read_marker(L, m, what);
    const size_t n = read_runs(L, 2, lf->fig, &ro, series, extra, &n_extra, what);
    gdlab_point_mark marks[2 * MAX_ITEMS + 16];
    size_t n_marks = 0;
    if (opt_bool(L, 2, "markers", 1)) {
        n_marks = run_marks(lf->fig, series, n, marks, extra, &n_extra);
        if (surface) n_marks += surface_marks(L, surface, lf->fig, marks + n_marks, 16);
    }
    if (gdlab_figure_contour(lf->fig, &a, &f, &st, series, n, marks, n_marks, extra, n_extra, err, sizeof err))
        return fail(L, what, err);
    return 0;
}

static const char *const loss_keys[] = {"panel", "runs", "log", "key", "threshold", "xlim", "ylim", "title",
                                        "xlabel", "ylabel", "legend", "grid", "width", "marker", NULL};

/* Reference lines from a number, {value, label = ...} or a list of those. */
static size_t read_reflines(lua_State *L, int t, const char *key, int vertical, gdlab_refline *out,
                            size_t cap, const char *what)
{
    int type = field(L, t, key);
    size_t n = 0;
    if (type == LUA_TNUMBER) {
        out[n++] = (gdlab_refline){lua_tonumber(L, -1), NULL, {0}, vertical};
    } else if (type == LUA_TTABLE) {
        const int tt = lua_gettop(L);
        lua_geti(L, tt, 1);
        const int single = lua_isnumber(L, -1);
        lua_pop(L, 1);
        const size_t count = single ? 1 : (size_t)luaL_len(L, tt);
        for (size_t i = 0; i < count && n < cap; i++) {
            if (!single) lua_geti(L, tt, (lua_Integer)i + 1);
            else lua_pushvalue(L, tt);
            const int e = lua_gettop(L);
            gdlab_refline r = {NAN, NULL, {0}, vertical};
            if (lua_isnumber(L, e)) {
                r.value = lua_tonumber(L, e);
            } else if (lua_istable(L, e)) {
                lua_geti(L, e, 1);
                if (!lua_isnumber(L, -1)) luaL_error(L, "%s: %s entries are numbers or {value, label = ...}", what, key);
                r.value = lua_tonumber(L, -1);
                lua_pop(L, 1);
                r.label = opt_string(L, e, "label", NULL, what);
                opt_color(L, e, "color", &r.color, what);
            } else {
                luaL_error(L, "%s: %s entries are numbers or {value, label = ...}", what, key);
            }
            lua_pop(L, 1);
            out[n++] = r;
        }
    } else if (type != LUA_TNIL) {
        luaL_error(L, "%s: %s must be a number, {value, label = ...} or a list of them", what, key);
    }
    lua_pop(L, 1);
    return n;
}

/* fig:loss{panel, runs = {...}, log = true, key = "loss", threshold = 1e-3 | {1e-3, label = ...}} */
static int l_loss(lua_State *L)
{
    const char *what = "fig:loss";
    lfigure *lf = check_figure(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    check_keys(L, 2, what, loss_keys);
    gdlab_axes a;
    read_axes(L, 2, lf->fig, &a, what);
    a.ylog = opt_bool(L, 2, "log", 1);
    const char *key = opt_string(L, 2, "key", "loss", what);
    if (!a.xlabel) a.xlabel = "step";
    if (!a.ylabel) a.ylabel = strcmp(key, "loss") == 0 ? "loss f(θ)" : key;
    gdlab_series series[MAX_ITEMS];
    gdlab_legend_entry extra[MAX_ITEMS];
    size_t n_extra = 0;
    run_options ro = {key, opt_number(L, 2, "width", 2.0, what), 0, 0, GDLAB_MARKER_NONE, 0};
    const char *m = opt_string(L, 2, "marker", NULL, what);
    if (m) ro.marker = read_marker(L, m, what);
    const size_t n = read_runs(L, 2, lf->fig, &ro, series, extra, &n_extra, what);
    if (n == 0) luaL_error(L, "%s: runs = {r1, ...} is required", what);
    gdlab_refline refs[16];
    const size_t n_refs = read_reflines(L, 2, "threshold", 0, refs, 16, what);
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_lines(lf->fig, &a, series, n, refs, n_refs, NULL, 0, extra, n_extra, err, sizeof err))
        return fail(L, what, err);
    return 0;
}

/* Series given directly: {x = {...}, y = {...}, label, color, width, marker, marker_size, dashed}. */
static size_t read_series(lua_State *L, int t, const gdlab_figure *fig, gdlab_series *out, const char *what)
{
    if (field(L, t, "series") != LUA_TTABLE) luaL_error(L, "%s: series = {{x = ..., y = ...}, ...} is required", what);
    const int st = lua_gettop(L);
    const size_t n = (size_t)luaL_len(L, st);
    if (n > MAX_ITEMS) luaL_error(L, "%s: at most %d series", what, MAX_ITEMS);
    static const char *const keys[] = {"x", "y", "label", "color", "width", "marker", "marker_size", "dashed", NULL};
    for (size_t i = 0; i < n; i++) {
        lua_geti(L, st, (lua_Integer)i + 1);
        const int e = lua_gettop(L);
        if (!lua_istable(L, e)) luaL_error(L, "%s: series[%d] must be a table", what, (int)i + 1);
        check_keys(L, e, what, keys);
        gdlab_series *s = &out[i];
        memset(s, 0, sizeof *s);
        s->color = gdlab_figure_palette(fig, i);
        opt_color(L, e, "color", &s->color, what);
        s->label = opt_string(L, e, "label", NULL, what);
        s->width = opt_number(L, e, "width", 2.0, what);
        s->dashed = opt_bool(L, e, "dashed", 0);
        const char *m = opt_string(L, e, "marker", NULL, what);
        s->marker = m ? read_marker(L, m, what) : GDLAB_MARKER_NONE;
        s->marker_size = opt_number(L, e, "marker_size", 0, what);
        size_t nx = 0, ny;
        if (field(L, e, "y") != LUA_TTABLE) luaL_error(L, "%s: series[%d] needs y = {...}", what, (int)i + 1);
        s->y = to_numbers(L, -1, &ny, what, "y");
        if (field(L, e, "x") != LUA_TNIL) {
            s->x = to_numbers(L, -1, &nx, what, "x");
            if (nx != ny) luaL_error(L, "%s: series[%d] has %d x and %d y values", what, (int)i + 1, (int)nx, (int)ny);
        }
        s->n = ny;
    }
    return n;
}

static const char *const lines_keys[] = {"panel", "series", "xlim", "ylim", "xlog", "ylog", "title", "xlabel",
                                         "ylabel", "legend", "grid", "hlines", "vlines", "xticks", "equal", NULL};

/* xticks = {values} or {values, labels = {...}} */
static void read_xticks(lua_State *L, int t, gdlab_axes *a, const char *what)
{
    if (field(L, t, "xticks") == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    const int xt = lua_gettop(L);
    a->xticks = to_numbers(L, xt, &a->n_xticks, what, "xticks");
    if (field(L, xt, "labels") == LUA_TTABLE) {
        const int lt = lua_gettop(L);
        const char **labels = lua_newuserdatauv(L, (a->n_xticks ? a->n_xticks : 1) * sizeof *labels, 0);
        for (size_t i = 0; i < a->n_xticks; i++) {
            lua_geti(L, lt, (lua_Integer)i + 1);
            labels[i] = lua_tostring(L, -1);
            lua_pop(L, 1); /* the string stays alive in the labels table */
        }
        a->xtick_labels = labels;
    }
}

/* fig:lines{panel, series = {{x =, y =, label =, ...}}, xlog, ylog, hlines, vlines, xticks} */
static int l_lines(lua_State *L)
{
    const char *what = "fig:lines";
    lfigure *lf = check_figure(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    check_keys(L, 2, what, lines_keys);
    gdlab_axes a;
    read_axes(L, 2, lf->fig, &a, what);
    read_xticks(L, 2, &a, what);
    gdlab_series series[MAX_ITEMS];
    const size_t n = read_series(L, 2, lf->fig, series, what);
    gdlab_refline refs[32];
    size_t n_refs = read_reflines(L, 2, "hlines", 0, refs, 16, what);
    n_refs += read_reflines(L, 2, "vlines", 1, refs + n_refs, 16, what);
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_lines(lf->fig, &a, series, n, refs, n_refs, NULL, 0, NULL, 0, err, sizeof err))
        return fail(L, what, err);
    return 0;
}

static const char *const curve_keys[] = {"panel", "surface", "f", "x", "runs", "color", "label", "width",
                                         "resolution", "xlim", "ylim", "ylog", "title", "xlabel", "ylabel",
                                         "legend", "grid", "markers", "steps", "marker", "hlines", "vlines", NULL};

/* fig:curve{panel, surface = s (1-D) | f = function(x), x = {lo, hi}, runs = {...}} */
static int l_curve(lua_State *L)
{
    const char *what = "fig:curve";
    lfigure *lf = check_figure(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    check_keys(L, 2, what, curve_keys);
    gdlab_axes a;
    read_axes(L, 2, lf->fig, &a, what);
    double lim[2] = {NAN, NAN};
    const gdlab_surface *s = NULL;
    if (field(L, 2, "surface") != LUA_TNIL) {
        s = lgdlab_check_surface(L, -1)->s;
        if (gdlab_surface_dim(s) != 1)
            luaL_error(L, "%s: the surface is %d-dimensional; fig:curve draws 1-D surfaces", what, (int)gdlab_surface_dim(s));
        gdlab_surface_domain(s, &lim[0], &lim[1]);
    }
    double r[2];
    opt_range(L, 2, "x", r, what);
    if (isfinite(r[0])) lim[0] = r[0], lim[1] = r[1];
    if (isfinite(a.xmin)) lim[0] = a.xmin, lim[1] = a.xmax;
    const int has_f = lua_getfield(L, 2, "f") == LUA_TFUNCTION;
    const int fn = lua_gettop(L);
    if ((s != NULL) == has_f) luaL_error(L, "%s: give exactly one of surface = s or f = function(x)", what);
    if (!(lim[1] > lim[0])) luaL_error(L, "%s: f needs x = {lo, hi}", what);
    const size_t res = (size_t)opt_number(L, 2, "resolution", 400, what);
    if (res < 2 || res > 100000) luaL_error(L, "%s: resolution must be 2 to 100000", what);
    double *cx = lua_newuserdatauv(L, res * sizeof *cx, 0), *cy = lua_newuserdatauv(L, res * sizeof *cy, 0);
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
    gdlab_series series[MAX_ITEMS + 1];
    series[0] = (gdlab_series){cx, cy, res, opt_string(L, 2, "label", "f(θ)", what), {0xE0, 0x3C, 0x31, 1.0},
                               opt_number(L, 2, "width", 3.0, what), 0, GDLAB_MARKER_NONE, 0, 0, NULL, 0};
    opt_color(L, 2, "color", &series[0].color, what);
    gdlab_legend_entry extra[MAX_ITEMS];
    size_t n_extra = 0;
    run_options ro = {NULL, 2.0, 6.0, 0.9, GDLAB_MARKER_CIRCLE, (size_t)opt_number(L, 2, "steps", 0, what)};
    const char *m = opt_string(L, 2, "marker", NULL, what);
    if (m) ro.marker = read_marker(L, m, what);
    const size_t n = read_runs(L, 2, lf->fig, &ro, series + 1, extra, &n_extra, what);
    /* Paths default to the theme's palette after the curve's own colour. */
    gdlab_point_mark marks[2 * MAX_ITEMS];
    size_t n_marks = opt_bool(L, 2, "markers", 0) ? run_marks(lf->fig, series + 1, n, marks, extra, &n_extra) : 0;
    gdlab_refline refs[32];
    size_t n_refs = read_reflines(L, 2, "hlines", 0, refs, 16, what);
    n_refs += read_reflines(L, 2, "vlines", 1, refs + n_refs, 16, what);
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
        return fail(L, what, err);
    return 0;
}

static const char *const bars_keys[] = {"panel", "values", "x", "labels", "color", "colors", "width", "label",
                                        "xlim", "ylim", "ylog", "title", "xlabel", "ylabel", "legend", "grid",
                                        "hlines", NULL};

/* fig:bars{panel, values = {...}, x = {...} | labels = {...}, color | colors = {...}} */
static int l_bars(lua_State *L)
{
    const char *what = "fig:bars";
    lfigure *lf = check_figure(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    check_keys(L, 2, what, bars_keys);
    gdlab_axes a;
    read_axes(L, 2, lf->fig, &a, what);
    gdlab_bars b;
    memset(&b, 0, sizeof b);
    if (field(L, 2, "values") != LUA_TTABLE) luaL_error(L, "%s: values = {...} is required", what);
    b.values = to_numbers(L, -1, &b.n, what, "values");
    if (field(L, 2, "x") != LUA_TNIL) {
        size_t nx;
        b.x = to_numbers(L, -1, &nx, what, "x");
        if (nx != b.n) luaL_error(L, "%s: %d x positions for %d values", what, (int)nx, (int)b.n);
    }
    b.color = gdlab_figure_palette(lf->fig, 1);
    opt_color(L, 2, "color", &b.color, what);
    b.width = opt_number(L, 2, "width", 0, what);
    b.label = opt_string(L, 2, "label", NULL, what);
    if (field(L, 2, "colors") == LUA_TTABLE) {
        const int ct = lua_gettop(L);
        gdlab_rgba *c = lua_newuserdatauv(L, (b.n ? b.n : 1) * sizeof *c, 0);
        for (size_t i = 0; i < b.n; i++) {
            lua_geti(L, ct, (lua_Integer)i + 1);
            if (!lua_isstring(L, -1)) luaL_error(L, "%s: colors[%d] must be a colour string", what, (int)i + 1);
            parse_color(L, lua_tostring(L, -1), &c[i], what, "colors");
            lua_pop(L, 1);
        }
        b.colors = c;
    }
    double *ticks = NULL;
    if (field(L, 2, "labels") == LUA_TTABLE) {
        const int lt = lua_gettop(L);
        if ((size_t)luaL_len(L, lt) != b.n) luaL_error(L, "%s: %d labels for %d values", what, (int)luaL_len(L, lt), (int)b.n);
        const char **labels = lua_newuserdatauv(L, (b.n ? b.n : 1) * sizeof *labels, 0);
        ticks = lua_newuserdatauv(L, (b.n ? b.n : 1) * sizeof *ticks, 0);
        for (size_t i = 0; i < b.n; i++) {
            lua_geti(L, lt, (lua_Integer)i + 1);
            labels[i] = lua_tostring(L, -1);
            if (!labels[i]) luaL_error(L, "%s: labels[%d] must be a string", what, (int)i + 1);
            lua_pop(L, 1);
            ticks[i] = b.x ? b.x[i] : (double)(i + 1);
        }
        a.xticks = ticks, a.n_xticks = b.n, a.xtick_labels = labels;
    } else if (!b.x) {
        ticks = lua_newuserdatauv(L, (b.n ? b.n : 1) * sizeof *ticks, 0);
        for (size_t i = 0; i < b.n; i++) ticks[i] = (double)(i + 1);
        a.xticks = ticks, a.n_xticks = b.n;
    }
    gdlab_refline refs[16];
    const size_t n_refs = read_reflines(L, 2, "hlines", 0, refs, 16, what);
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_bars(lf->fig, &a, &b, 1, refs, n_refs, err, sizeof err)) return fail(L, what, err);
    return 0;
}

static const char *const heatmap_keys[] = {"panel", "x", "y", "z", "log", "zlim", "colormap", "colorbar_label",
                                           "contours", "contour_color", "annotate", "missing", "xlog", "ylog",
                                           "title", "xlabel", "ylabel", "xlim", "ylim", NULL};

/* fig:heatmap{panel, x = {...}, y = {...}, z = {{row 1}, ...}, log, contours = {...}} */
static int l_heatmap(lua_State *L)
{
    const char *what = "fig:heatmap";
    lfigure *lf = check_figure(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    check_keys(L, 2, what, heatmap_keys);
    gdlab_axes a;
    read_axes(L, 2, lf->fig, &a, what);
    gdlab_heatmap h;
    memset(&h, 0, sizeof h);
    if (field(L, 2, "x") != LUA_TTABLE || field(L, 2, "y") != LUA_TTABLE)
        luaL_error(L, "%s: x = {...} and y = {...} (cell centres) are required", what);
    h.y = to_numbers(L, -1, &h.ny, what, "y");
    h.x = to_numbers(L, -3, &h.nx, what, "x");
    if (field(L, 2, "z") != LUA_TTABLE) luaL_error(L, "%s: z = {{...}, ...} (one row per y) is required", what);
    const int zt = lua_gettop(L);
    if ((size_t)luaL_len(L, zt) != h.ny) luaL_error(L, "%s: z has %d rows for %d y values", what, (int)luaL_len(L, zt), (int)h.ny);
    double *z = lua_newuserdatauv(L, (h.nx * h.ny > 0 ? h.nx * h.ny : 1) * sizeof *z, 0);
    for (size_t j = 0; j < h.ny; j++) {
        lua_geti(L, zt, (lua_Integer)j + 1);
        if (!lua_istable(L, -1) || (size_t)luaL_len(L, -1) != h.nx)
            luaL_error(L, "%s: z row %d must have %d values (one per x)", what, (int)j + 1, (int)h.nx);
        for (size_t i = 0; i < h.nx; i++) {
            lua_geti(L, -1, (lua_Integer)i + 1);
            z[j * h.nx + i] = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : NAN; /* nil, nan: missing */
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    h.z = z;
    h.log = opt_bool(L, 2, "log", 0);
    double zl[2];
    opt_range(L, 2, "zlim", zl, what);
    h.zmin = zl[0], h.zmax = zl[1];
    h.colormap = opt_string(L, 2, "colormap", NULL, what);
    h.colorbar_label = opt_string(L, 2, "colorbar_label", NULL, what);
    opt_color(L, 2, "missing", &h.missing, what);
    h.contour_color = (gdlab_rgba){255, 255, 255, 1.0};
    opt_color(L, 2, "contour_color", &h.contour_color, what);
    h.annotate = opt_bool(L, 2, "annotate", 0);
    if (field(L, 2, "contours") != LUA_TNIL) {
        if (lua_isnumber(L, -1)) {
            double *c = lua_newuserdatauv(L, sizeof *c, 0);
            *c = lua_tonumber(L, -2);
            h.contours = c, h.n_contours = 1;
        } else {
            h.contours = to_numbers(L, -1, &h.n_contours, what, "contours");
        }
    }
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_heatmap(lf->fig, &a, &h, err, sizeof err)) return fail(L, what, err);
    return 0;
}

static const char *const surface3d_keys[] = {"panel", "surface", "f", "x", "y", "runs", "azimuth", "altitude",
                                              "mesh", "log", "colormap", "resolution", "title", "xlabel",
                                              "ylabel", "zlabel", "steps", NULL};

/* fig:surface3d{panel, surface = s | f = function(x, y), runs, azimuth, altitude, mesh, log} */
static int l_surface3d(lua_State *L)
{
    const char *what = "fig:surface3d";
    lfigure *lf = check_figure(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    check_keys(L, 2, what, surface3d_keys);
    gdlab_axes a;
    read_axes(L, 2, lf->fig, &a, what);
    gdlab_surface3d_style st;
    gdlab_surface3d_defaults(&st);
    st.azimuth = opt_number(L, 2, "azimuth", st.azimuth, what);
    st.altitude = opt_number(L, 2, "altitude", st.altitude, what);
    st.mesh = opt_bool(L, 2, "mesh", st.mesh);
    st.log = opt_bool(L, 2, "log", 0);
    st.colormap = opt_string(L, 2, "colormap", NULL, what);
    st.zlabel = opt_string(L, 2, "zlabel", NULL, what);
    st.resolution = (size_t)opt_number(L, 2, "resolution", 40, what);
    if (st.resolution < 4 || st.resolution > 400) luaL_error(L, "%s: resolution must be 4 to 400", what);
    double lim[4] = {NAN, NAN, NAN, NAN};
    int surface = 0;
    if (field(L, 2, "surface") != LUA_TNIL) {
        surface = lua_gettop(L);
        const gdlab_surface *s = lgdlab_check_surface(L, surface)->s;
        if (gdlab_surface_dim(s) != 2) luaL_error(L, "%s: the surface must be 2-dimensional", what);
        double lo[2], hi[2];
        gdlab_surface_domain(s, lo, hi);
        lim[0] = lo[0], lim[1] = hi[0], lim[2] = lo[1], lim[3] = hi[1];
    } else if (field(L, 2, "f") != LUA_TFUNCTION) {
        luaL_error(L, "%s: give surface = s or f = function(x, y)", what);
    }
    double r[2];
    opt_range(L, 2, "x", r, what);
    if (isfinite(r[0])) lim[0] = r[0], lim[1] = r[1];
    opt_range(L, 2, "y", r, what);
    if (isfinite(r[0])) lim[2] = r[0], lim[3] = r[1];
    if (!(lim[1] > lim[0] && lim[3] > lim[2])) luaL_error(L, "%s: f needs x = {lo, hi} and y = {lo, hi}", what);
    double *z = sample_2d(L, 2, surface, st.resolution, st.resolution, lim);
    const gdlab_field f = {NULL, NULL, z, st.resolution, st.resolution, lim[0], lim[1], lim[2], lim[3]};
    gdlab_series series[MAX_ITEMS];
    gdlab_legend_entry extra[MAX_ITEMS];
    size_t n_extra = 0;
    run_options ro = {NULL, 2.0, 4.0, 1.0, GDLAB_MARKER_CIRCLE, (size_t)opt_number(L, 2, "steps", 0, what)};
    const size_t n = read_runs(L, 2, lf->fig, &ro, series, extra, &n_extra, what);
    /* Lift each path onto the surface: z = f(x, y), computed here where Lua errors are safe. */
    double *zs[MAX_ITEMS];
    for (size_t i = 0; i < n; i++) {
        zs[i] = lua_newuserdatauv(L, (series[i].n ? series[i].n : 1) * sizeof(double), 0);
        for (size_t k = 0; k < series[i].n; k++) {
            const double p[2] = {series[i].x[k], series[i].y[k]};
            if (surface) {
                zs[i][k] = gdlab_surface_eval(lgdlab_check_surface(L, surface)->s, p, NULL);
            } else {
                field(L, 2, "f");
                lua_pushnumber(L, p[0]);
                lua_pushnumber(L, p[1]);
                lua_call(L, 2, 1);
                zs[i][k] = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : NAN;
                lua_pop(L, 1);
            }
        }
    }
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_surface3d(lf->fig, &a, &f, &st, series, (const double *const *)zs, n, err, sizeof err))
        return fail(L, what, err);
    return 0;
}

static const char *const text_keys[] = {"panel", "text", "mono", "size", "color", "frame", "title", "line_spacing", NULL};

/* fig:text{panel, text = "...", mono = true, size = 13, color, frame, title} */
static int l_text(lua_State *L)
{
    const char *what = "fig:text";
    lfigure *lf = check_figure(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    check_keys(L, 2, what, text_keys);
    const gdlab_panel p = read_panel(L, 2, lf->fig, what);
    const char *text = opt_string(L, 2, "text", NULL, what);
    if (!text) luaL_error(L, "%s: text = \"...\" is required", what);
    gdlab_text_style st;
    memset(&st, 0, sizeof st);
    st.mono = opt_bool(L, 2, "mono", 1);
    st.size = opt_number(L, 2, "size", 0, what);
    st.line_spacing = opt_number(L, 2, "line_spacing", 0, what);
    opt_color(L, 2, "color", &st.color, what);
    st.frame = opt_bool(L, 2, "frame", 1);
    st.title = opt_string(L, 2, "title", NULL, what);
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_text(lf->fig, &p, text, &st, err, sizeof err)) return fail(L, what, err);
    return 0;
}

static const char *const annotate_keys[] = {"panel", "text", "at", "text_at", "arrow", "color", "size", "bold", NULL};

/* fig:annotate{panel, text, at = {x, y}, text_at = {x, y}, arrow = true, color, size, bold} */
static int l_annotate(lua_State *L)
{
    const char *what = "fig:annotate";
    lfigure *lf = check_figure(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    check_keys(L, 2, what, annotate_keys);
    const gdlab_panel p = read_panel(L, 2, lf->fig, what);
    gdlab_annotation an;
    memset(&an, 0, sizeof an);
    an.text = opt_string(L, 2, "text", NULL, what);
    if (!an.text) luaL_error(L, "%s: text = \"...\" is required", what);
    size_t n;
    if (field(L, 2, "at") != LUA_TTABLE) luaL_error(L, "%s: at = {x, y} is required", what);
    double *at = to_numbers(L, -1, &n, what, "at");
    if (n != 2) luaL_error(L, "%s: at must be {x, y}", what);
    an.x = at[0], an.y = at[1], an.tx = NAN, an.ty = NAN;
    if (field(L, 2, "text_at") != LUA_TNIL) {
        double *tat = to_numbers(L, -1, &n, what, "text_at");
        if (n != 2) luaL_error(L, "%s: text_at must be {x, y}", what);
        an.tx = tat[0], an.ty = tat[1];
    }
    an.arrow = opt_bool(L, 2, "arrow", isfinite(an.tx));
    opt_color(L, 2, "color", &an.color, what);
    an.size = opt_number(L, 2, "size", 0, what);
    an.bold = opt_bool(L, 2, "bold", 0);
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_annotate(lf->fig, &p, &an, err, sizeof err)) return fail(L, what, err);
    return 0;
}

/* fig:plplot(panel, function(pl) ... end): raw PLplot inside a panel (viewport and window set to the
 * panel's, or the whole cell when the panel is empty). */
typedef struct raw_call {
    lua_State *L;
    int fn;
    int status;
} raw_call;

static int raw_body(void *ctx, char *err, size_t errlen)
{
    raw_call *rc = ctx;
    lua_State *L = rc->L;
    lua_pushvalue(L, rc->fn);
    lua_getfield(L, lua_upvalueindex(1), "pl");
    rc->status = lua_pcall(L, 1, 0, 0);
    if (rc->status != LUA_OK) {
        snprintf(err, errlen, "%s", lua_tostring(L, -1));
        return -1;
    }
    return 0;
}

static int l_plplot(lua_State *L)
{
    const char *what = "fig:plplot";
    lfigure *lf = check_figure(L, 1);
    luaL_checktype(L, 3, LUA_TFUNCTION);
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, 2);
    lua_setfield(L, -2, "panel");
    const gdlab_panel p = read_panel(L, lua_gettop(L), lf->fig, what);
    raw_call rc = {L, 3, LUA_OK};
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_with_panel(lf->fig, &p, raw_body, &rc, err, sizeof err)) {
        if (rc.status != LUA_OK) return lua_error(L); /* the script's own error, as it was */
        return fail(L, what, err);
    }
    return 0;
}

static int l_close(lua_State *L)
{
    lfigure *lf = luaL_checkudata(L, 1, FIGURE_MT);
    if (!lf->fig) { /* closing twice is harmless */
        lua_pushstring(L, lf->path);
        return 1;
    }
    gdlab_figure *fig = lf->fig;
    lf->fig = NULL;
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_close(fig, err, sizeof err)) return luaL_error(L, "fig:close: %s", err);
    if (lf->path[0])
        lua_pushstring(L, lf->path);
    else
        lua_pushnil(L);
    return 1;
}

static int l_gc(lua_State *L)
{
    lfigure *lf = luaL_checkudata(L, 1, FIGURE_MT);
    if (lf->fig) gdlab_figure_close(lf->fig, NULL, 0);
    lf->fig = NULL;
    return 0;
}

static int l_index(lua_State *L)
{
    lfigure *lf = luaL_checkudata(L, 1, FIGURE_MT);
    const char *key = luaL_checkstring(L, 2);
    if (strcmp(key, "path") == 0) {
        if (lf->path[0]) lua_pushstring(L, lf->path);
        else lua_pushnil(L);
        return 1;
    }
    if (strcmp(key, "device") == 0) {
        if (!lf->fig) return 0;
        lua_pushstring(L, gdlab_figure_device(lf->fig)->name);
        return 1;
    }
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "methods");
    lua_getfield(L, -1, key);
    return 1;
}

static int l_tostring(lua_State *L)
{
    lfigure *lf = luaL_checkudata(L, 1, FIGURE_MT);
    lua_pushfstring(L, "gdlab.figure(%s%s)", lf->path[0] ? lf->path : "window", lf->fig ? "" : ", closed");
    return 1;
}

/* ------------------------------------------------------------------------------------------------
 * gd.figure, gd.book, gd.devices.
 * ---------------------------------------------------------------------------------------------- */

/* mkdir -p */
static int make_dirs(const char *dir, char *err, size_t errlen)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1; ; p++) {
        const char c = *p;
        if (c == '/' || c == '\0') {
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
                snprintf(err, errlen, "cannot create directory '%.300s': %s", buf, strerror(errno));
                return -1;
            }
            *p = c;
        }
        if (c == '\0') break;
    }
    return 0;
}

/* gd.output.device and gd.output.dir (the module table is upvalue 1). */
static void output_defaults(lua_State *L, const char **device, const char **dir)
{
    *device = "pngcairo", *dir = "out";
    if (lua_getfield(L, lua_upvalueindex(1), "output") == LUA_TTABLE) {
        if (lua_getfield(L, -1, "device") == LUA_TSTRING) *device = lua_tostring(L, -1);
        if (lua_getfield(L, -2, "dir") == LUA_TSTRING) *dir = lua_tostring(L, -1);
        lua_pop(L, 2);
    }
    lua_pop(L, 1); /* the strings stay alive in gd.output while the call runs */
}

/* The path of a file named name on the device in dir (created), or the explicit file. */
static void output_path(lua_State *L, int t, const gdlab_device_info *dev, const char *dir, char *path,
                        size_t cap, const char *what)
{
    const char *file = opt_string(L, t, "file", NULL, what);
    const char *name = opt_string(L, t, "name", "figure", what);
    char err[GDLAB_ERRLEN];
    if (file) {
        snprintf(path, cap, "%s", file);
        return;
    }
    if (!*name || strchr(name, '/')) luaL_error(L, "%s: name '%s' must be a plain file name (use file = for a path)", what, name);
    if (make_dirs(dir, err, sizeof err)) luaL_error(L, "%s: %s", what, err);
    snprintf(path, cap, "%s/%s.%s", dir, name, dev->extension);
}

static void read_theme(lua_State *L, int t, gdlab_theme *th, const char *what)
{
    memset(th, 0, sizeof *th);
    int type = field(L, t, "theme");
    if (type == LUA_TSTRING) {
        th->base = lua_tostring(L, -1);
    } else if (type == LUA_TTABLE) {
        const int tt = lua_gettop(L);
        static const char *const keys[] = {"base", "page", "panel", "frame", "text", "title", "grid", "contour", "legend", NULL};
        check_keys(L, tt, "theme", keys);
        th->base = opt_string(L, tt, "base", NULL, what);
        th->page = opt_string(L, tt, "page", NULL, what);
        th->panel = opt_string(L, tt, "panel", NULL, what);
        th->frame = opt_string(L, tt, "frame", NULL, what);
        th->text = opt_string(L, tt, "text", NULL, what);
        th->title = opt_string(L, tt, "title", NULL, what);
        th->grid = opt_string(L, tt, "grid", NULL, what);
        th->contour = opt_string(L, tt, "contour", NULL, what);
        th->legend = opt_string(L, tt, "legend", NULL, what);
    } else if (type != LUA_TNIL) {
        luaL_error(L, "%s: theme must be \"light\", \"dark\" or a table of colours", what);
    }
    lua_pop(L, 1); /* strings stay alive in the argument table */
}

/* The open book, kept in the module's registry entry (upvalue 2 of gd.figure). */
static lbook *current_book(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, "gdlab.current_book");
    lbook *b = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return b && b->book ? b : NULL;
}

static const char *const figure_keys[] = {"name", "file", "device", "size", "scale", "layout", "title", "theme",
                                          "colormap", NULL};

/* gd.figure{name =, file =, device =, size = {w, h}, scale =, layout = {rows =, cols =}, title =,
 * theme =, colormap =} */
static int l_figure(lua_State *L)
{
    const char *what = "gd.figure";
    if (lua_isnoneornil(L, 1)) lua_newtable(L), lua_replace(L, 1);
    luaL_checktype(L, 1, LUA_TTABLE);
    check_keys(L, 1, what, figure_keys);
    const char *device, *dir;
    output_defaults(L, &device, &dir);
    device = opt_string(L, 1, "device", device, what);
    gdlab_figure_config cfg;
    memset(&cfg, 0, sizeof cfg);
    char err[GDLAB_ERRLEN * 2];
    const gdlab_device_info *dev = gdlab_device_find(device, err, sizeof err);
    if (!dev) return fail(L, what, err);
    cfg.device = dev->name;
    if (field(L, 1, "size") != LUA_TNIL) {
        size_t n;
        double *sz = to_numbers(L, -1, &n, what, "size");
        if (n != 2) luaL_error(L, "%s: size must be {width, height} in pixels", what);
        cfg.width = (int)sz[0], cfg.height = (int)sz[1];
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    cfg.scale = opt_number(L, 1, "scale", 0, what);
    if (field(L, 1, "layout") != LUA_TNIL) {
        const int lt = lua_gettop(L);
        if (!lua_istable(L, lt)) luaL_error(L, "%s: layout must be {rows = r, cols = c}", what);
        lua_geti(L, lt, 1);
        lua_geti(L, lt, 2);
        cfg.rows = lua_isinteger(L, -2) ? (int)lua_tointeger(L, -2) : (int)opt_number(L, lt, "rows", 1, what);
        cfg.cols = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : (int)opt_number(L, lt, "cols", 1, what);
        lua_pop(L, 2);
        if (cfg.rows < 1 || cfg.cols < 1) luaL_error(L, "%s: layout needs at least 1 row and 1 column", what);
    }
    lua_pop(L, 1);
    cfg.title = opt_string(L, 1, "title", NULL, what);
    read_theme(L, 1, &cfg.theme, what);
    cfg.colormap = opt_string(L, 1, "colormap", NULL, what);

    lfigure *lf = lua_newuserdatauv(L, sizeof *lf, 0); /* closed until the figure exists */
    lf->fig = NULL, lf->path[0] = '\0';
    luaL_setmetatable(L, FIGURE_MT);
    lbook *book = current_book(L);
    if (book && book->dev == dev) {
        cfg.book = book->book;
        snprintf(lf->path, sizeof lf->path, "%s", book->path);
    } else if (!dev->interactive) {
        output_path(L, 1, dev, dir, lf->path, sizeof lf->path, what);
        cfg.path = lf->path;
    }
    lf->fig = gdlab_figure_open(&cfg, err, sizeof err);
    if (!lf->fig) return fail(L, what, err);
    return 1;
}

static lbook *check_book(lua_State *L, int idx)
{
    return luaL_checkudata(L, idx, BOOK_MT);
}

static int l_book_close(lua_State *L)
{
    lbook *b = check_book(L, 1);
    if (b->book) {
        gdlab_book *book = b->book;
        b->book = NULL;
        char err[GDLAB_ERRLEN];
        if (gdlab_book_close(book, err, sizeof err)) return luaL_error(L, "book:close: %s", err);
    }
    if (b->path[0]) lua_pushstring(L, b->path);
    else lua_pushnil(L);
    return 1;
}

static int l_book_gc(lua_State *L)
{
    lbook *b = check_book(L, 1);
    if (b->book) gdlab_book_close(b->book, NULL, 0);
    b->book = NULL;
    return 0;
}

static int l_book_index(lua_State *L)
{
    lbook *b = check_book(L, 1);
    const char *key = luaL_checkstring(L, 2);
    if (strcmp(key, "path") == 0) {
        if (b->path[0]) lua_pushstring(L, b->path);
        else lua_pushnil(L);
        return 1;
    }
    if (strcmp(key, "pages") == 0) {
        lua_pushinteger(L, b->book ? gdlab_book_pages(b->book) : 0);
        return 1;
    }
    if (strcmp(key, "close") == 0) {
        lua_pushcfunction(L, l_book_close);
        return 1;
    }
    return 0;
}

static const char *const book_keys[] = {"name", "file", "device", "size", NULL};

/* gd.book{name =, file =, device =, size = {w, h}}: the figures opened until book:close() become its
 * pages. On a device that holds one page per file the book is empty and figures keep their files. */
static int l_book(lua_State *L)
{
    const char *what = "gd.book";
    if (lua_isnoneornil(L, 1)) lua_newtable(L), lua_replace(L, 1);
    luaL_checktype(L, 1, LUA_TTABLE);
    check_keys(L, 1, what, book_keys);
    const char *device, *dir;
    output_defaults(L, &device, &dir);
    device = opt_string(L, 1, "device", device, what);
    char err[GDLAB_ERRLEN * 2];
    const gdlab_device_info *dev = gdlab_device_find(device, err, sizeof err);
    if (!dev) return fail(L, what, err);
    if (current_book(L)) luaL_error(L, "%s: a book is already open: close it first", what);
    int w = 1400, h = 900;
    if (field(L, 1, "size") != LUA_TNIL) {
        size_t n;
        double *sz = to_numbers(L, -1, &n, what, "size");
        if (n != 2) luaL_error(L, "%s: size must be {width, height}", what);
        w = (int)sz[0], h = (int)sz[1];
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lbook *b = lua_newuserdatauv(L, sizeof *b, 0);
    b->book = NULL, b->dev = dev, b->path[0] = '\0';
    luaL_setmetatable(L, BOOK_MT);
    if (dev->multipage && !dev->interactive) {
        output_path(L, 1, dev, dir, b->path, sizeof b->path, what);
        b->book = gdlab_book_open(dev->name, b->path, w, h, err, sizeof err);
        if (!b->book) return fail(L, what, err);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, "gdlab.current_book");
    }
    return 1;
}

/* gd.devices() -> {{name =, description =, extension =, interactive =, multipage =}, ...} */
static int l_devices(lua_State *L)
{
    const size_t n = gdlab_device_count();
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        const gdlab_device_info *d = gdlab_device_at(i);
        lua_createtable(L, 0, 5);
        lua_pushstring(L, d->name), lua_setfield(L, -2, "name");
        lua_pushstring(L, d->description), lua_setfield(L, -2, "description");
        if (d->extension) lua_pushstring(L, d->extension), lua_setfield(L, -2, "extension");
        lua_pushboolean(L, d->interactive), lua_setfield(L, -2, "interactive");
        lua_pushboolean(L, d->multipage), lua_setfield(L, -2, "multipage");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static const luaL_Reg figure_methods[] = {
    {"contour", l_contour}, {"loss", l_loss},           {"lines", l_lines}, {"curve", l_curve},
    {"bars", l_bars},       {"heatmap", l_heatmap},     {"surface3d", l_surface3d},
    {"text", l_text},       {"annotate", l_annotate},   {"plplot", l_plplot},
    {"close", l_close},     {NULL, NULL},
};

static const luaL_Reg module_functions[] = {
    {"figure", l_figure}, {"book", l_book}, {"devices", l_devices}, {NULL, NULL},
};

void lgdlab_open_figure(lua_State *L)
{
    const int module = lua_gettop(L);
    luaL_newmetatable(L, FIGURE_MT);
    lua_pushcfunction(L, l_index), lua_setfield(L, -2, "__index");
    lua_newtable(L); /* methods, with the module as upvalue (fig:plplot finds gd.pl there) */
    lua_pushvalue(L, module);
    luaL_setfuncs(L, figure_methods, 1);
    lua_setfield(L, -2, "methods");
    lua_pushcfunction(L, l_gc), lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, l_gc), lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, l_tostring), lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);

    luaL_newmetatable(L, BOOK_MT);
    lua_pushcfunction(L, l_book_index), lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_book_gc), lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, l_book_gc), lua_setfield(L, -2, "__close");
    lua_pop(L, 1);

    lua_pushvalue(L, module);
    luaL_setfuncs(L, module_functions, 1);

    /* gd.pl is require "plplot": one module table, whichever of the two is loaded first. */
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    if (lua_getfield(L, -1, "plplot") != LUA_TTABLE) {
        lua_pop(L, 1);
        luaopen_plplot(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, "plplot");
    }
    lua_setfield(L, module, "pl");
    lua_pop(L, 1);
}
