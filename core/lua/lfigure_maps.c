/* SPDX-License-Identifier: MIT */
/* lfigure_maps.c — figure methods that draw 2-D fields: fig:contour, fig:heatmap, fig:surface3d.
 * Surfaces are sampled here, where a Lua error is safe (no PLplot call is under way); an error a
 * Lua-function surface kept while sampling is raised before anything is drawn. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lfigure.h"
#include "lgdlab.h"

/* Evaluate a 2-D surface, a Lua function f(x, y) or nothing onto nx x ny nodes over lim (pushes the
 * buffer). Lua errors raised by the function propagate here, outside any PLplot call. */
static double *sample_2d(lua_State *L, int t, int surface, size_t nx, size_t ny, const double lim[4])
{
    double *z = lcheck_buffer(L, nx * ny, sizeof *z, "figure samples"); /* nx, ny <= 4000 */
    const gdlab_surface *s = surface ? lgdlab_check_surface(L, surface)->s : NULL; /* held by the caller */
    int fn = 0;
    if (!s) {
        lfig_field(L, t, "f");
        fn = lua_gettop(L);
        if (!lua_isfunction(L, fn)) luaL_error(L, "figure: f must be a function(x, y)");
    }
    luaL_checkstack(L, 4, "figure samples");
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
    if (s) lgdlab_raise_surface_error(L); /* a Lua surface's error, not a map of NaN */
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

static const char *const contour_keys[] = {
    "panel", "surface", "f", "z", "x", "y", "runs", "levels", "nlevels", "lo", "hi", "filled", "lines",
    "colormap", "colorbar", "colorbar_label", "line_color", "line_width", "resolution", "xlim", "ylim",
    "title", "xlabel", "ylabel", "equal", "legend", "grid", "markers", "steps", "width", "marker",
    "marker_size", "xlog", "ylog", NULL};

/* fig:contour{panel, surface = s | f = function(x, y) | z = {{...}}, runs = {...}, levels, ...} */
static int l_contour(lua_State *L)
{
    const char *what = "fig:contour";
    gdlab_axes a;
    lfigure *lf = lfig_begin(L, what, contour_keys, &a);
    gdlab_contour_style st;
    gdlab_contour_style_defaults(&st);
    lfig_read_levels(L, 2, &st.levels, what);
    st.filled = lfig_opt_bool(L, 2, "filled", 0);
    st.lines = lfig_opt_bool(L, 2, "lines", !st.filled);
    st.colormap = lfig_opt_string(L, 2, "colormap", NULL, what);
    st.colorbar = lfig_opt_bool(L, 2, "colorbar", st.filled);
    st.colorbar_label = lfig_opt_string(L, 2, "colorbar_label", NULL, what);
    lfig_opt_color(L, 2, "line_color", &st.line_color, what);
    st.line_width = lfig_opt_number(L, 2, "line_width", 0, what);
    char err[GDLAB_ERRLEN];
    if (st.colormap && gdlab_colormap_check(st.colormap, err, sizeof err)) return lfig_fail(L, what, err);

    /* The lfig_field: a surface, a function or samples; its rectangle from the surface or x/y. */
    double lim[4] = {NAN, NAN, NAN, NAN};
    int surface = 0;
    if (lfig_field(L, 2, "surface") != LUA_TNIL) {
        surface = lua_gettop(L);
        const gdlab_surface *s = lgdlab_use_surface(L, surface, what)->s;
        if (gdlab_surface_dim(s) != 2)
            luaL_error(L, "%s: the surface is %d-dimensional; maps need 2 (use fig:curve for 1-D)", what,
                       (int)gdlab_surface_dim(s));
        double lo[2], hi[2];
        gdlab_surface_domain(s, lo, hi);
        lim[0] = lo[0], lim[1] = hi[0], lim[2] = lo[1], lim[3] = hi[1];
    }
    double r[2];
    lfig_opt_range(L, 2, "x", r, what);
    if (isfinite(r[0])) lim[0] = r[0], lim[1] = r[1];
    lfig_opt_range(L, 2, "y", r, what);
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
        lfig_field(L, 2, "z");
        const int zt = lua_gettop(L);
        const size_t ny = lcheck_length(L, zt, what, "z", 2, 4000);
        lua_geti(L, zt, 1);
        const size_t nx = lcheck_length(L, -1, what, "z[1]", 2, 4000);
        lua_pop(L, 1);
        double *z = lcheck_buffer(L, nx * ny, sizeof *z, what);
        char name[32];
        for (size_t j = 0; j < ny; j++) {
            lua_geti(L, zt, (lua_Integer)j + 1);
            snprintf(name, sizeof name, "z[%d]", (int)j + 1);
            size_t n;
            const double *row = lcheck_numbers(L, -1, what, name, nx, nx, LCHECK_ANY, &n);
            memcpy(z + j * nx, row, nx * sizeof *z);
            lua_pop(L, 2);
        }
        f = (gdlab_field){NULL, NULL, z, nx, ny, lim[0], lim[1], lim[2], lim[3]};
    } else {
        size_t nx, ny;
        const size_t res = lcheck_opt_count(L, 2, "resolution", 0, 2, 4000, what);
        gdlab_figure_field_resolution(lf->fig, &a.panel, &nx, &ny);
        if (res) nx = ny = res;
        if (nx > 4000) nx = 4000; /* the panel's pixels, for a very large figure */
        if (ny > 4000) ny = 4000;
        double *z = sample_2d(L, 2, surface, nx, ny, lim);
        f = (gdlab_field){NULL, NULL, z, nx, ny, lim[0], lim[1], lim[2], lim[3]};
    }

    gdlab_series series[LFIGURE_MAX_ITEMS];
    gdlab_legend_entry extra[LFIGURE_MAX_ITEMS];
    size_t n_extra = 0;
    run_options ro = {NULL, lfig_opt_number(L, 2, "width", 1.8, what), lfig_opt_number(L, 2, "marker_size", 4.5, what),
                      0.7, GDLAB_MARKER_CIRCLE, lcheck_opt_count(L, 2, "steps", 0, 0, LCHECK_MAX_LENGTH, what)};
    const char *m = lfig_opt_string(L, 2, "marker", NULL, what);
    if (m) ro.marker = lfig_read_marker(L, m, what);
    const size_t n = lfig_read_runs(L, 2, lf->fig, &ro, series, extra, &n_extra, what);
    gdlab_point_mark marks[2 * LFIGURE_MAX_ITEMS + 16];
    size_t n_marks = 0;
    if (lfig_opt_bool(L, 2, "markers", 1)) {
        n_marks = lfig_run_marks(lf->fig, series, n, marks, extra, &n_extra);
        if (surface) n_marks += surface_marks(L, surface, lf->fig, marks + n_marks, 16);
    }
    if (gdlab_figure_contour(lf->fig, &a, &f, &st, series, n, marks, n_marks, extra, n_extra, err, sizeof err))
        return lfig_fail(L, what, err);
    return 0;
}

static const char *const heatmap_keys[] = {"panel", "x", "y", "z", "log", "zlim", "colormap", "colorbar_label",
                                           "contours", "contour_color", "annotate", "missing", "xlog", "ylog",
                                           "title", "xlabel", "ylabel", "xlim", "ylim", "categories", "shade",
                                           "legend", "series", "sweep", "value", NULL};

/* The field `name` of the argument table as ny rows of nx numbers (nil or NaN: missing), pushed as a
 * buffer (row j at y_j); NULL when the field is absent. */
static double *read_cells(lua_State *L, const char *name, size_t nx, size_t ny, const char *what)
{
    if (lfig_field(L, 2, name) == LUA_TNIL) {
        lua_pop(L, 1);
        return NULL;
    }
    const int t = lua_gettop(L);
    char label[48];
    snprintf(label, sizeof label, "%s (one row per y value)", name);
    lcheck_length(L, t, what, label, ny, ny);
    double *cells = lcheck_buffer(L, nx * ny, sizeof *cells, what);
    for (size_t j = 0; j < ny; j++) {
        lua_geti(L, t, (lua_Integer)j + 1);
        snprintf(label, sizeof label, "%s[%d]", name, (int)j + 1);
        size_t n; /* nil, NaN or a non-number: a missing cell */
        memcpy(cells + j * nx, lcheck_numbers(L, -1, what, label, nx, nx, LCHECK_MISSING, &n), nx * sizeof *cells);
        lua_pop(L, 2);
    }
    lua_remove(L, t); /* the buffer stays on the stack */
    return cells;
}

/* categories = {{color = "...", label = "..."}, ...}: colours (and legend rows) of the z values 0, 1, ... */
static void read_categories(lua_State *L, gdlab_heatmap *h, const char *what)
{
    if (lfig_field(L, 2, "categories") == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    const int t = lua_gettop(L);
    const size_t n = lcheck_length(L, t, what, "categories (a list of {color =, label =} tables)", 1, 64);
    gdlab_rgba *colors = lcheck_buffer(L, n, sizeof *colors, what);
    const char **labels = lcheck_buffer(L, n, sizeof *labels, what);
    for (size_t c = 0; c < n; c++) {
        lua_geti(L, t, (lua_Integer)c + 1);
        const int e = lua_gettop(L);
        if (!lua_istable(L, e)) luaL_error(L, "%s: categories[%d] must be {color = ..., label = ...}", what, (int)c + 1);
        if (!lfig_opt_color(L, e, "color", &colors[c], what))
            luaL_error(L, "%s: categories[%d] needs a color", what, (int)c + 1);
        labels[c] = lfig_opt_string(L, e, "label", NULL, what); /* the string lives in the argument table */
        lua_pop(L, 1);
    }
    h->categories = colors, h->n_categories = n, h->category_labels = labels;
}

/* sweep = r (a gd.sweep over two parameters): x = the first parameter's values, y = the second's,
 * z[j][i] = r[value][i][j] (value "final_loss" unless given; any nested field of the result),
 * diverged runs missing. Reads the result only by index, field and length, so it works on tables and
 * on objects that answer __index and __len alike. Pushes x, y and z buffers; sets the axis names. */
static void read_sweep(lua_State *L, gdlab_heatmap *h, gdlab_axes *a, const char *what)
{
    lfig_field(L, 2, "sweep");
    const int r = lua_gettop(L);
    const char *value = lfig_opt_string(L, 2, "value", "final_loss", what);
    if (lua_getfield(L, r, "axes") == LUA_TNIL || luaL_len(L, -1) != 2)
        luaL_error(L, "%s: sweep must be a gd.sweep result over two parameters (its axes has %d)", what,
                   lua_isnil(L, -1) ? 0 : (int)luaL_len(L, -1));
    const int axes = lua_gettop(L);
    double *xy[2];
    size_t n[2];
    for (int k = 0; k < 2; k++) {
        lua_geti(L, axes, k + 1);
        lua_getfield(L, -1, "values");
        xy[k] = lfig_to_numbers(L, -1, &n[k], what, k ? "sweep.axes[2].values" : "sweep.axes[1].values");
        lua_getfield(L, -3, "name");
        const char *name = lua_tostring(L, -1); /* kept alive by the result */
        if (k == 0 && !a->xlabel) a->xlabel = name;
        if (k == 1 && !a->ylabel) a->ylabel = name;
        lua_pop(L, 1);
        lua_remove(L, -3), lua_remove(L, -2); /* keep the numbers buffer */
    }
    double *z = lcheck_buffer(L, n[0] * n[1], sizeof *z, what);
    if (lua_getfield(L, r, value) == LUA_TNIL) luaL_error(L, "%s: the sweep has no field '%s'", what, value);
    if (lua_getfield(L, r, "status") == LUA_TNIL) luaL_error(L, "%s: the sweep has no status", what);
    for (size_t i = 0; i < n[0]; i++) {
        lua_geti(L, -2, (lua_Integer)i + 1);
        lua_geti(L, -2, (lua_Integer)i + 1);
        for (size_t j = 0; j < n[1]; j++) {
            lua_geti(L, -2, (lua_Integer)j + 1);
            lua_geti(L, -2, (lua_Integer)j + 1);
            const char *status = lua_tostring(L, -1);
            const int diverged = status && strcmp(status, "diverged") == 0;
            z[j * n[0] + i] = !diverged && lua_isnumber(L, -2) ? lua_tonumber(L, -2) : NAN;
            lua_pop(L, 2);
        }
        lua_pop(L, 2);
    }
    lua_pop(L, 2);
    h->x = xy[0], h->nx = n[0], h->y = xy[1], h->ny = n[1], h->z = z;
}

/* fig:heatmap{panel, x = {...}, y = {...}, z = {{row 1}, ...} | sweep = r, log, contours = {...},
 * series = {...} (overlays), categories, shade} */
static int l_heatmap(lua_State *L)
{
    const char *what = "fig:heatmap";
    gdlab_axes a;
    lfigure *lf = lfig_begin(L, what, heatmap_keys, &a);
    gdlab_heatmap h;
    memset(&h, 0, sizeof h);
    const int from_sweep = lfig_field(L, 2, "sweep") != LUA_TNIL;
    lua_pop(L, 1);
    if (from_sweep) {
        if (lfig_field(L, 2, "x") != LUA_TNIL || lfig_field(L, 2, "y") != LUA_TNIL || lfig_field(L, 2, "z") != LUA_TNIL)
            luaL_error(L, "%s: give either sweep = r or x, y and z, not both", what);
        lua_pop(L, 3);
        read_sweep(L, &h, &a, what);
    } else {
        if (lfig_field(L, 2, "x") == LUA_TNIL || lfig_field(L, 2, "y") == LUA_TNIL)
            luaL_error(L, "%s: x = {...} and y = {...} (cell centres), or sweep = r, are required", what);
        h.y = lcheck_numbers(L, -1, what, "y", 1, 4000, LCHECK_FINITE, &h.ny);
        h.x = lcheck_numbers(L, -3, what, "x", 1, 4000, LCHECK_FINITE, &h.nx);
        h.z = read_cells(L, "z", h.nx, h.ny, what); /* nil, nan: missing */
        if (!h.z) luaL_error(L, "%s: z = {{...}, ...} (one row per y) is required", what);
    }
    if (lfig_field(L, 2, "series") != LUA_TNIL) { /* the field and the buffers stay on the stack */
        gdlab_series *overlays = lua_newuserdatauv(L, LFIGURE_MAX_ITEMS * sizeof *overlays, 0);
        h.n_overlays = lfig_read_series(L, 2, lf->fig, overlays, what);
        h.overlays = overlays;
    }
    h.shade = read_cells(L, "shade", h.nx, h.ny, what);
    read_categories(L, &h, what);
    h.log = lfig_opt_bool(L, 2, "log", 0);
    double zl[2];
    lfig_opt_range(L, 2, "zlim", zl, what);
    h.zmin = zl[0], h.zmax = zl[1];
    h.colormap = lfig_opt_string(L, 2, "colormap", NULL, what);
    h.colorbar_label = lfig_opt_string(L, 2, "colorbar_label", NULL, what);
    lfig_opt_color(L, 2, "missing", &h.missing, what);
    h.contour_color = (gdlab_rgba){255, 255, 255, 1.0};
    lfig_opt_color(L, 2, "contour_color", &h.contour_color, what);
    h.annotate = lfig_opt_bool(L, 2, "annotate", 0);
    if (lfig_field(L, 2, "contours") != LUA_TNIL) {
        if (lua_type(L, -1) == LUA_TNUMBER) {
            double *c = lcheck_buffer(L, 1, sizeof *c, what);
            *c = lcheck_number(L, -2, what, "contours", -DBL_MAX, DBL_MAX);
            h.contours = c, h.n_contours = 1;
        } else {
            h.contours = lcheck_numbers(L, -1, what, "contours", 0, 256, LCHECK_FINITE, &h.n_contours);
        }
    }
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_heatmap(lf->fig, &a, &h, err, sizeof err)) return lfig_fail(L, what, err);
    return 0;
}

static const char *const surface3d_keys[] = {"panel", "surface", "f", "x", "y", "runs", "azimuth", "altitude",
                                              "mesh", "log", "colormap", "resolution", "title", "xlabel",
                                              "ylabel", "zlabel", "steps", NULL};

/* fig:surface3d{panel, surface = s | f = function(x, y), runs, azimuth, altitude, mesh, log} */
static int l_surface3d(lua_State *L)
{
    const char *what = "fig:surface3d";
    gdlab_axes a;
    lfigure *lf = lfig_begin(L, what, surface3d_keys, &a);
    gdlab_surface3d_style st;
    gdlab_surface3d_defaults(&st);
    st.azimuth = lfig_opt_number(L, 2, "azimuth", st.azimuth, what);
    st.altitude = lfig_opt_number(L, 2, "altitude", st.altitude, what);
    st.mesh = lfig_opt_bool(L, 2, "mesh", st.mesh);
    st.log = lfig_opt_bool(L, 2, "log", 0);
    st.colormap = lfig_opt_string(L, 2, "colormap", NULL, what);
    st.zlabel = lfig_opt_string(L, 2, "zlabel", NULL, what);
    st.resolution = lcheck_opt_count(L, 2, "resolution", 40, 4, 400, what);
    double lim[4] = {NAN, NAN, NAN, NAN};
    int surface = 0;
    if (lfig_field(L, 2, "surface") != LUA_TNIL) {
        surface = lua_gettop(L);
        const gdlab_surface *s = lgdlab_use_surface(L, surface, what)->s;
        if (gdlab_surface_dim(s) != 2) luaL_error(L, "%s: the surface must be 2-dimensional", what);
        double lo[2], hi[2];
        gdlab_surface_domain(s, lo, hi);
        lim[0] = lo[0], lim[1] = hi[0], lim[2] = lo[1], lim[3] = hi[1];
    } else if (lfig_field(L, 2, "f") != LUA_TFUNCTION) {
        luaL_error(L, "%s: give surface = s or f = function(x, y)", what);
    }
    double r[2];
    lfig_opt_range(L, 2, "x", r, what);
    if (isfinite(r[0])) lim[0] = r[0], lim[1] = r[1];
    lfig_opt_range(L, 2, "y", r, what);
    if (isfinite(r[0])) lim[2] = r[0], lim[3] = r[1];
    if (!(lim[1] > lim[0] && lim[3] > lim[2])) luaL_error(L, "%s: f needs x = {lo, hi} and y = {lo, hi}", what);
    double *z = sample_2d(L, 2, surface, st.resolution, st.resolution, lim);
    const gdlab_field f = {NULL, NULL, z, st.resolution, st.resolution, lim[0], lim[1], lim[2], lim[3]};
    gdlab_series series[LFIGURE_MAX_ITEMS];
    gdlab_legend_entry extra[LFIGURE_MAX_ITEMS];
    size_t n_extra = 0;
    run_options ro = {NULL, 2.0, 4.0, 1.0, GDLAB_MARKER_CIRCLE, lcheck_opt_count(L, 2, "steps", 0, 0, LCHECK_MAX_LENGTH, what)};
    const size_t n = lfig_read_runs(L, 2, lf->fig, &ro, series, extra, &n_extra, what);
    int fn = 0;
    if (!surface) {
        lfig_field(L, 2, "f");
        fn = lua_gettop(L);
        if (!lua_isfunction(L, fn)) luaL_error(L, "%s: f must be a function(x, y)", what);
    }
    /* Lift each path onto the surface: z = f(x, y), computed here where Lua errors are safe. */
    double *zs[LFIGURE_MAX_ITEMS];
    for (size_t i = 0; i < n; i++) {
        zs[i] = lcheck_buffer(L, series[i].n, sizeof(double), what);
        luaL_checkstack(L, 4, what);
        for (size_t k = 0; k < series[i].n; k++) {
            const double p[2] = {series[i].x[k], series[i].y[k]};
            if (surface) {
                zs[i][k] = gdlab_surface_eval(lgdlab_check_surface(L, surface)->s, p, NULL);
            } else {
                lua_pushvalue(L, fn);
                lua_pushnumber(L, p[0]);
                lua_pushnumber(L, p[1]);
                lua_call(L, 2, 1);
                zs[i][k] = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : NAN;
                lua_pop(L, 1);
            }
        }
    }
    if (surface) lgdlab_raise_surface_error(L);
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_surface3d(lf->fig, &a, &f, &st, series, (const double *const *)zs, n, err, sizeof err))
        return lfig_fail(L, what, err);
    return 0;
}

const luaL_Reg lfigure_map_methods[] = {
    {"contour", l_contour}, {"heatmap", l_heatmap}, {"surface3d", l_surface3d}, {NULL, NULL},
};
