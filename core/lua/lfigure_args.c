/* SPDX-License-Identifier: MIT */
/* lfigure_args.c — reading the arguments of the figure methods (lfigure.h): options, colours, arrays,
 * panels, axes, levels, runs, series and reference lines, checked into the C figure API's structs.
 * Errors name the method and the option; unknown field names list the valid ones. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "lfigure.h"
#include "lgdlab.h"

/* Push t[key]; returns its type. The readers leave what they read on the stack, so room is made. */
int lfig_field(lua_State *L, int t, const char *key)
{
    luaL_checkstack(L, 4, "figure arguments");
    return lua_getfield(L, t, key);
}

double lfig_opt_number(lua_State *L, int t, const char *key, double def, const char *what)
{
    return lcheck_opt_number(L, t, key, def, -DBL_MAX, DBL_MAX, what);
}

int lfig_opt_bool(lua_State *L, int t, const char *key, int def)
{
    int type = lfig_field(L, t, key);
    int v = type == LUA_TNIL ? def : lua_toboolean(L, -1);
    lua_pop(L, 1);
    return v;
}

/* A string option, left on the stack: an __index may have made it, and nothing else keeps it. */
const char *lfig_opt_string(lua_State *L, int t, const char *key, const char *def, const char *what)
{
    const int type = lfig_field(L, t, key);
    if (type == LUA_TSTRING) return lua_tostring(L, -1);
    char got[80];
    if (type != LUA_TNIL)
        luaL_error(L, "%s: '%s' must be a string, got %s", what, key, lcheck_describe(L, -1, got, sizeof got));
    lua_pop(L, 1);
    return def;
}

void lfig_parse_color(lua_State *L, const char *text, gdlab_rgba *c, const char *what, const char *key)
{
    char err[GDLAB_ERRLEN];
    if (gdlab_color_parse(text, c, err, sizeof err)) luaL_error(L, "%s: '%s': %s", what, key, err);
}

/* An optional colour; returns 1 when given. */
int lfig_opt_color(lua_State *L, int t, const char *key, gdlab_rgba *c, const char *what)
{
    const char *s = lfig_opt_string(L, t, key, NULL, what);
    if (!s) return 0;
    lfig_parse_color(L, s, c, what, key);
    return 1;
}

double *lfig_to_numbers(lua_State *L, int idx, size_t *n, const char *what, const char *key)
{
    idx = lua_absindex(L, idx);
    const lgdlab_array *packed = lgdlab_test_array(L, idx); /* a run's array: copied without Lua calls */
    if (packed) {
        *n = lgdlab_array_len(packed);
        double *v = lcheck_buffer(L, *n, sizeof *v, what);
        for (size_t i = 0; i < *n; i++) v[i] = lgdlab_array_get(packed, i);
        return v;
    }
    return lcheck_numbers(L, idx, what, key, 0, LCHECK_MAX_LENGTH, LCHECK_ANY, n);
}

/* {lo, hi} into lim[0], lim[1] (NaN when absent). */
void lfig_opt_range(lua_State *L, int t, const char *key, double lim[2], const char *what)
{
    lim[0] = lim[1] = NAN;
    if (lfig_field(L, t, key) != LUA_TNIL) {
        size_t n;
        double *v = lcheck_numbers(L, -1, what, key, 2, 2, LCHECK_FINITE, &n);
        if (!(v[1] > v[0])) luaL_error(L, "%s: '%s' must be {lo, hi} with lo < hi", what, key);
        lim[0] = v[0], lim[1] = v[1];
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

lfigure *lfig_use(lua_State *L, int idx, const char *what)
{
    lfigure *f = luaL_testudata(L, idx, LFIGURE_MT);
    char got[80];
    if (!f) luaL_error(L, "%s: expected a figure (gd.figure), got %s", what, lcheck_describe(L, idx, got, sizeof got));
    lgdlab_hold(L, idx, &f->uses); /* before reading f->fig: see lgdlab_hold */
    if (!f->fig) luaL_error(L, "%s: the figure is closed", what);
    if (f->uses > 1) /* another call besides this one */
        luaL_error(L, "%s: the figure is in use by %s (this call comes from one of its callbacks or "
                   "metamethods): draw on it after %s returns", what, f->user, f->user);
    f->user = what;
    return f;
}

void lfig_check_idle(lua_State *L, int idx, const char *what)
{
    const lfigure *f = luaL_testudata(L, idx, LFIGURE_MT);
    if (f && f->fig && f->uses > 0)
        luaL_error(L, "%s: the figure is in use by %s (this call comes from one of its callbacks or "
                   "metamethods): close it after %s returns", what, f->user, f->user);
}

/* panel = n (1-based, row by row) or {row, col [, rows = r, cols = c]}. */
gdlab_panel lfig_read_panel(lua_State *L, int t, const gdlab_figure *fig, const char *what)
{
    const int rows = gdlab_figure_rows(fig), cols = gdlab_figure_cols(fig);
    gdlab_panel p = {0, 0, 1, 1};
    int type = lfig_field(L, t, "panel");
    if (type == LUA_TNUMBER) {
        const lua_Integer k = lcheck_integer(L, -1, what, "panel", 1, rows * cols);
        p.row = (int)((k - 1) / cols), p.col = (int)((k - 1) % cols);
    } else if (type == LUA_TTABLE) {
        const int pt = lua_gettop(L);
        lua_geti(L, pt, 1);
        lua_geti(L, pt, 2);
        p.row = (int)lcheck_integer(L, -2, what, "panel[1] (row)", 1, rows) - 1;
        p.col = (int)lcheck_integer(L, -1, what, "panel[2] (column)", 1, cols) - 1;
        lua_pop(L, 2);
        p.rowspan = (int)lcheck_opt_integer(L, pt, "rows", 1, 1, rows, what);
        p.colspan = (int)lcheck_opt_integer(L, pt, "cols", 1, 1, cols, what);
        if (p.row + p.rowspan > rows || p.col + p.colspan > cols)
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
    a->panel = lfig_read_panel(L, t, fig, what);
    a->title = lfig_opt_string(L, t, "title", NULL, what);
    a->xlabel = lfig_opt_string(L, t, "xlabel", NULL, what);
    a->ylabel = lfig_opt_string(L, t, "ylabel", NULL, what);
    double lim[2];
    lfig_opt_range(L, t, "xlim", lim, what);
    a->xmin = lim[0], a->xmax = lim[1];
    lfig_opt_range(L, t, "ylim", lim, what);
    a->ymin = lim[0], a->ymax = lim[1];
    a->xlog = lfig_opt_bool(L, t, "xlog", 0);
    a->ylog = lfig_opt_bool(L, t, "ylog", 0);
    a->grid = lfig_opt_bool(L, t, "grid", 0);
    a->equal = lfig_opt_bool(L, t, "equal", 0);
    int type = lfig_field(L, t, "legend");
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

void lfig_check_options(lua_State *L, int idx, const char *what)
{
    char got[80];
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "%s: expected a table of options, as in %s{panel = 1, ...}, got %s", what, what,
                   lcheck_describe(L, idx, got, sizeof got));
}

lfigure *lfig_begin(lua_State *L, const char *what, const char *const *keys, gdlab_axes *a)
{
    lfig_check_options(L, 2, what);
    lua_settop(L, 2); /* before the guard: nothing may remove its slot later */
    lfigure *lf = lfig_use(L, 1, what);
    lgdlab_check_keys(L, 2, what, keys);
    read_axes(L, 2, lf->fig, a, what);
    return lf;
}

gdlab_marker lfig_read_marker(lua_State *L, const char *text, const char *what)
{
    char err[GDLAB_ERRLEN];
    gdlab_marker m;
    if (gdlab_marker_parse(text, &m, err, sizeof err)) luaL_error(L, "%s: %s", what, err);
    return m;
}

/* Can the value at idx be indexed: a table, or a value whose metatable has __index? */
static int indexable(lua_State *L, int idx)
{
    if (lua_type(L, idx) == LUA_TTABLE) return 1;
    if (luaL_getmetafield(L, idx, "__index") == LUA_TNIL) return 0;
    lua_pop(L, 1);
    return 1;
}

/* A run result from gd.run: a table (or an indexable object) with x and loss arrays. */
static int is_run(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    if (!indexable(L, idx)) return 0;
    luaL_checkstack(L, 2, "figure runs");
    lua_getfield(L, idx, "loss");
    const int has_loss = lcheck_is_array(L, -1);
    lua_getfield(L, idx, "x");
    const int has_x = lcheck_is_array(L, -1);
    lua_pop(L, 2);
    return has_loss && has_x;
}

/* Segment colours from highlight = {when = function(k, x0, x1) -> bool, color, label, width}:
 * pushes a buffer of n - 1 colours and fills the legend entry. */
static gdlab_rgba *read_highlight(lua_State *L, int spec, const double *x, const double *y, size_t n,
                                  gdlab_legend_entry *entry, double *width, const char *what)
{
    if (lfig_field(L, spec, "highlight") == LUA_TNIL) {
        lua_pop(L, 1);
        return NULL;
    }
    const int h = lua_gettop(L);
    if (!lua_istable(L, h)) luaL_error(L, "%s: highlight must be {when = function(k, x0, x1), color = ...}", what);
    static const char *const keys[] = {"when", "color", "label", "width", NULL};
    lgdlab_check_keys(L, h, "highlight", keys);
    gdlab_rgba c = {0xFF, 0xD7, 0x00, 1.0};
    lfig_opt_color(L, h, "color", &c, what);
    *width = lfig_opt_number(L, h, "width", 0, what);
    entry->label = lfig_opt_string(L, h, "label", NULL, what);
    entry->color = c;
    if (lfig_field(L, h, "when") != LUA_TFUNCTION) luaL_error(L, "%s: highlight needs when = function(k, x0, x1)", what);
    const int fn = lua_gettop(L);
    gdlab_rgba *colors = lcheck_buffer(L, n, sizeof *colors, what);
    luaL_checkstack(L, 6, what);
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
            luaL_error(L, "%s: unknown field '%s' in a run spec; valid: [1] = run, color, label, width, "
                       "marker, steps, highlight, dashed", what, lua_isstring(L, -1) ? lua_tostring(L, -1) : luaL_typename(L, -1));
    }
}

/* The runs option: gd.run results or specs into series (x: first coordinate, y: second, or the `key`
 * array against the step when key is set). Everything it allocates stays on the stack. */
size_t lfig_read_runs(lua_State *L, int t, const gdlab_figure *fig, const run_options *o,
                      gdlab_series *series, gdlab_legend_entry *extra, size_t *n_extra,
                      const char *what)
{
    if (lfig_field(L, t, "runs") == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    const int runs = lua_gettop(L);
    if (is_run(L, runs)) luaL_error(L, "%s: runs must be a list: runs = {r1, r2}", what);
    const size_t n = lcheck_length(L, runs, what, "runs", 0, LFIGURE_MAX_ITEMS);
    for (size_t i = 0; i < n; i++) {
        luaL_checkstack(L, 24, what); /* what one run leaves on the stack */
        lua_geti(L, runs, (lua_Integer)i + 1);
        int spec = lua_gettop(L), run = spec;
        if (!is_run(L, spec)) {
            if (lua_type(L, spec) != LUA_TTABLE || (lua_geti(L, spec, 1), !is_run(L, -1)))
                luaL_error(L, "%s: runs[%d] is neither a gd.run result nor {run, color = ...}", what, (int)i + 1);
            run = lua_gettop(L);
            check_spec_keys(L, spec, what);
        }
        gdlab_series *s = &series[i];
        memset(s, 0, sizeof *s);
        s->color = gdlab_figure_palette(fig, i);
        s->width = o->width, s->marker = o->marker, s->marker_size = o->marker_size;
        s->marker_alpha = o->marker_alpha;
        s->label = lfig_opt_string(L, run, "label", NULL, what);
        size_t steps = o->max_steps;
        if (spec != run) {
            lfig_opt_color(L, spec, "color", &s->color, what);
            s->label = lfig_opt_string(L, spec, "label", s->label, what);
            s->width = lfig_opt_number(L, spec, "width", s->width, what);
            s->dashed = lfig_opt_bool(L, spec, "dashed", 0);
            const char *m = lfig_opt_string(L, spec, "marker", NULL, what);
            if (m) s->marker = lfig_read_marker(L, m, what);
            steps = lcheck_opt_count(L, spec, "steps", steps, 0, LCHECK_MAX_LENGTH, what);
        }
        size_t nx, ny;
        int two_d = 0; /* a map's run: points {x, y} */
        if (o->key) {
            lfig_field(L, run, o->key);
            if (!lcheck_is_array(L, -1)) luaL_error(L, "%s: runs[%d] has no '%s' array", what, (int)i + 1, o->key);
            s->y = lfig_to_numbers(L, -1, &ny, what, o->key);
            s->n = ny;
        } else {
            lfig_field(L, run, "x");
            s->x = lfig_to_numbers(L, -1, &nx, what, "x");
            lfig_field(L, run, "y");
            if (lcheck_is_array(L, -1)) {
                s->y = lfig_to_numbers(L, -1, &ny, what, "y");
                two_d = 1;
            } else { /* a 1-D run: the path lies on the curve, at height loss */
                lfig_field(L, run, "loss");
                s->y = lfig_to_numbers(L, -1, &ny, what, "loss");
            }
            s->n = nx < ny ? nx : ny;
        }
        if (steps > 0 && steps + 1 < s->n) s->n = steps + 1;
        if (spec != run) {
            gdlab_legend_entry e = {.marker = GDLAB_MARKER_CIRCLE, .marker_size = 7.0};
            double hw = 0;
            /* 1-D runs and loss curves: the highlight sees x values; maps see {x, y} points. */
            s->segment_colors = read_highlight(L, spec, o->key ? s->y : s->x, two_d ? s->y : NULL, s->n,
                                               &e, &hw, what);
            if (s->segment_colors) {
                s->width_highlight = hw > 0 ? hw : s->width * 1.5;
                e.width = s->width_highlight;
                if (e.label && *n_extra < LFIGURE_MAX_ITEMS) extra[(*n_extra)++] = e;
            }
        }
    }
    return n;
}

int lfig_fail(lua_State *L, const char *what, const char *err)
{
    return luaL_error(L, "%s: %s", what, err);
}

/* Start and end markers of the runs: with one run, a grey start and a green end star as in the
 * seeds; with several, each run's own colour, and one neutral legend row for each kind. */
size_t lfig_run_marks(const gdlab_figure *fig, const gdlab_series *s, size_t n, gdlab_point_mark *m,
                      gdlab_legend_entry *extra, size_t *n_extra)
{
    size_t k = 0;
    /* Start (circle) and end (star) in the run's colour; the legend shows them in the same colours. */
    (void)fig;
    gdlab_legend_entry start = {.label = "start", .marker = GDLAB_MARKER_CIRCLE, .marker_size = 9.0};
    gdlab_legend_entry end = {.label = "end", .marker = GDLAB_MARKER_STAR, .marker_size = 11.0};
    for (size_t i = 0; i < n; i++) {
        if (s[i].n == 0 || !s[i].x) continue;
        const double sx = s[i].x[0], sy = s[i].y[0], ex = s[i].x[s[i].n - 1], ey = s[i].y[s[i].n - 1];
        gdlab_rgba c = s[i].color;
        c.a = 1.0;
        m[k++] = (gdlab_point_mark){sx, sy, GDLAB_MARKER_CIRCLE, c, 10.0, NULL};
        m[k++] = (gdlab_point_mark){ex, ey, GDLAB_MARKER_STAR, c, 12.0, NULL};
        if (start.n_colors == 0) start.color = end.color = c;
        if (start.n_colors < 4) start.colors[start.n_colors++] = c, end.colors[end.n_colors++] = c;
    }
    if (k > 0 && *n_extra + 2 <= LFIGURE_MAX_ITEMS) extra[(*n_extra)++] = start, extra[(*n_extra)++] = end;
    return k;
}

void lfig_read_levels(lua_State *L, int t, gdlab_levels *lv, const char *what)
{
    lv->n = (int)lcheck_opt_integer(L, t, "nlevels", 0, 1, 256, what);
    lv->lo = lfig_opt_number(L, t, "lo", NAN, what);
    lv->hi = lfig_opt_number(L, t, "hi", NAN, what);
    const int type = lfig_field(L, t, "levels");
    if (type == LUA_TSTRING) {
        char err[GDLAB_ERRLEN];
        if (gdlab_levels_parse(lua_tostring(L, -1), &lv->kind, err, sizeof err)) lfig_fail(L, what, err);
        lua_pop(L, 1);
    } else if (type == LUA_TNUMBER) {
        lv->kind = GDLAB_LEVELS_LINEAR;
        lv->n = (int)lcheck_integer(L, -1, what, "levels", 1, 256);
        lua_pop(L, 1);
    } else if (type == LUA_TTABLE) {
        size_t n;
        lv->values = lcheck_numbers(L, -1, what, "levels", 1, 256, LCHECK_FINITE, &n); /* stays on the stack */
        lv->kind = GDLAB_LEVELS_LIST;
        lv->n = (int)n;
    } else if (type != LUA_TNIL) {
        luaL_error(L, "%s: levels must be \"linear\", \"log\", \"log1p\", a count or a list", what);
    } else {
        lua_pop(L, 1);
    }
}

/* Reference lines from a number, {value, label = ...} or a list of those. */
size_t lfig_read_reflines(lua_State *L, int t, const char *key, int vertical, gdlab_refline *out,
                          size_t cap, const char *what)
{
    int type = lfig_field(L, t, key);
    size_t n = 0;
    if (type == LUA_TNUMBER) {
        out[n++] = (gdlab_refline){lcheck_number(L, -1, what, key, -DBL_MAX, DBL_MAX), NULL, {0}, vertical};
    } else if (type == LUA_TTABLE) {
        const int tt = lua_gettop(L);
        lua_geti(L, tt, 1);
        const int single = lua_isnumber(L, -1);
        lua_pop(L, 1);
        const size_t count = single ? 1 : lcheck_length(L, tt, what, key, 0, cap);
        for (size_t i = 0; i < count && n < cap; i++) {
            luaL_checkstack(L, 6, what); /* each entry and its strings stay on the stack */
            if (!single) lua_geti(L, tt, (lua_Integer)i + 1);
            else lua_pushvalue(L, tt);
            const int e = lua_gettop(L);
            gdlab_refline r = {NAN, NULL, {0}, vertical};
            if (lua_type(L, e) == LUA_TNUMBER) {
                r.value = lcheck_number(L, e, what, key, -DBL_MAX, DBL_MAX);
            } else if (lua_istable(L, e)) {
                lua_geti(L, e, 1);
                r.value = lcheck_number(L, -1, what, key, -DBL_MAX, DBL_MAX);
                lua_pop(L, 1);
                r.label = lfig_opt_string(L, e, "label", NULL, what); /* the label stays on the stack */
                lfig_opt_color(L, e, "color", &r.color, what);
            } else {
                luaL_error(L, "%s: %s entries are numbers or {value, label = ...}", what, key);
            }
            out[n++] = r;
        }
    } else if (type != LUA_TNIL) {
        luaL_error(L, "%s: %s must be a number, {value, label = ...} or a list of them", what, key);
    }
    if (type != LUA_TTABLE) lua_pop(L, 1); /* a table stays, with the labels above it */
    return n;
}

/* Series given directly: {x = {...}, y = {...}, label, color, width, marker, marker_size, dashed}. */
size_t lfig_read_series(lua_State *L, int t, const gdlab_figure *fig, gdlab_series *out, const char *what)
{
    if (lfig_field(L, t, "series") != LUA_TTABLE) luaL_error(L, "%s: series = {{x = ..., y = ...}, ...} is required", what);
    const int st = lua_gettop(L);
    const size_t n = lcheck_length(L, st, what, "series", 0, LFIGURE_MAX_ITEMS);
    static const char *const keys[] = {"x", "y", "label", "color", "width", "marker", "marker_size", "dashed", NULL};
    for (size_t i = 0; i < n; i++) {
        luaL_checkstack(L, 24, what); /* what one series leaves on the stack */
        lua_geti(L, st, (lua_Integer)i + 1);
        const int e = lua_gettop(L);
        if (!lua_istable(L, e)) luaL_error(L, "%s: series[%d] must be a table", what, (int)i + 1);
        lgdlab_check_keys(L, e, what, keys);
        gdlab_series *s = &out[i];
        memset(s, 0, sizeof *s);
        s->color = gdlab_figure_palette(fig, i);
        lfig_opt_color(L, e, "color", &s->color, what);
        s->label = lfig_opt_string(L, e, "label", NULL, what);
        s->width = lfig_opt_number(L, e, "width", 2.0, what);
        s->dashed = lfig_opt_bool(L, e, "dashed", 0);
        const char *m = lfig_opt_string(L, e, "marker", NULL, what);
        s->marker = m ? lfig_read_marker(L, m, what) : GDLAB_MARKER_NONE;
        s->marker_size = lfig_opt_number(L, e, "marker_size", 0, what);
        size_t nx = 0, ny;
        if (lfig_field(L, e, "y") == LUA_TNIL) luaL_error(L, "%s: series[%d] needs y = {...}", what, (int)i + 1);
        s->y = lfig_to_numbers(L, -1, &ny, what, "y");
        if (lfig_field(L, e, "x") != LUA_TNIL) {
            s->x = lfig_to_numbers(L, -1, &nx, what, "x");
            if (nx != ny) luaL_error(L, "%s: series[%d] has %d x and %d y values", what, (int)i + 1, (int)nx, (int)ny);
        }
        s->n = ny;
    }
    return n;
}

/* xticks = {values} or {values, labels = {...}} */
void lfig_read_xticks(lua_State *L, int t, gdlab_axes *a, const char *what)
{
    if (lfig_field(L, t, "xticks") == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    const int xt = lua_gettop(L);
    a->xticks = lcheck_numbers(L, xt, what, "xticks", 0, LFIGURE_MAX_TICKS, LCHECK_FINITE, &a->n_xticks);
    if (lfig_field(L, xt, "labels") != LUA_TNIL)
        a->xtick_labels = lfig_read_labels(L, lua_gettop(L), a->n_xticks, what, "xticks.labels");
}

const char **lfig_read_labels(lua_State *L, int idx, size_t n, const char *what, const char *key)
{
    idx = lua_absindex(L, idx);
    const size_t given = lcheck_length(L, idx, what, key, n, n);
    const char **labels = lcheck_buffer(L, given, sizeof *labels, what);
    lua_createtable(L, (int)given, 0); /* keeps the strings: an __index may have made them */
    const int keep = lua_gettop(L);
    for (size_t i = 0; i < given; i++) {
        lua_geti(L, idx, (lua_Integer)i + 1);
        if (lua_type(L, -1) != LUA_TSTRING) {
            char got[80];
            luaL_error(L, "%s: %s[%d] must be a string, got %s", what, key, (int)i + 1,
                       lcheck_describe(L, -1, got, sizeof got));
        }
        labels[i] = lua_tostring(L, -1);
        lua_rawseti(L, keep, (lua_Integer)i + 1);
    }
    return labels;
}
