/* SPDX-License-Identifier: MIT */
/* lfigure_live.c — figure methods for figures that change while the reader watches them in a window:
 * fig:show(), fig:event(timeout), fig:pick{...}, fig:clear(panel), fig:overlay{...}, fig:to_pixel().
 * docs/figures.md, "Windows and live figures", is the reference. Events need a window device gdlab
 * reads (xcairo, xwin); on any other device fig:event and fig:pick raise an error at once, never wait. */
#include <math.h>
#include <string.h>

#include "lfigure.h"
#include "lgdlab.h"

static const char *const event_names[] = {"none", "close", "pause", "step", "clear", "click", "key"};

/* fig:show() -> true when the figure is in a window (what was drawn is now on screen), else false. */
static int l_show(lua_State *L)
{
    lua_settop(L, 1); /* before the guard: its slot is above the arguments */
    lfigure *lf = lfig_use(L, 1, "fig:show");
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_show(lf->fig, err, sizeof err)) return lfig_fail(L, "fig:show", err);
    lua_pushboolean(L, gdlab_figure_is_window(lf->fig));
    return 1;
}

/* Push the event as {type =, button =, px =, py =, key =, panel =, x =, y =}. */
static void push_event(lua_State *L, const gdlab_figure *fig, const gdlab_event *ev)
{
    lua_createtable(L, 0, 8);
    lua_pushstring(L, event_names[ev->kind]), lua_setfield(L, -2, "type");
    lua_pushnumber(L, ev->px), lua_setfield(L, -2, "px");
    lua_pushnumber(L, ev->py), lua_setfield(L, -2, "py");
    if (ev->kind == GDLAB_EVENT_CLICK) lua_pushinteger(L, ev->button), lua_setfield(L, -2, "button");
    if (ev->kind == GDLAB_EVENT_KEY) lua_pushstring(L, ev->key), lua_setfield(L, -2, "key");
    double x, y;
    const int panel = gdlab_figure_pixel_to_data(fig, ev->px, ev->py, &x, &y);
    if (ev->kind != GDLAB_EVENT_CLOSE && panel >= 0) {
        lua_pushinteger(L, panel + 1), lua_setfield(L, -2, "panel");
        lua_pushnumber(L, x), lua_setfield(L, -2, "x");
        lua_pushnumber(L, y), lua_setfield(L, -2, "y");
    }
}

static double check_timeout(lua_State *L, int idx, const char *what)
{
    if (lua_isnoneornil(L, idx)) return -1;
    const double t = luaL_checknumber(L, idx);
    if (!(t >= 0 && t <= 86400))
        luaL_error(L, "%s: timeout %s is out of range: 0 to 86400 seconds, or nil to wait", what,
                   lua_tostring(L, idx));
    return t;
}

/* fig:event([timeout]) -> the reader's next event (a table), or nil when timeout seconds passed. */
static int l_event(lua_State *L)
{
    const char *what = "fig:event";
    lua_settop(L, 2); /* before the guard: its slot is above the arguments */
    lfigure *lf = lfig_use(L, 1, "fig:event");
    const double timeout = check_timeout(L, 2, what);
    gdlab_event ev;
    char err[GDLAB_ERRLEN];
    const int got = gdlab_figure_event(lf->fig, timeout, &ev, err, sizeof err);
    if (got < 0) return lfig_fail(L, what, err);
    if (!got) return 0;
    push_event(L, lf->fig, &ev);
    return 1;
}

static const char *const pick_keys[] = {"panel", "timeout", NULL};

/* fig:pick{panel = n, timeout = s} -> x, y, panel of the first left click on a drawn 2-D panel (that
 * panel when given); nil when the reader closed the window or the time ran out. */
static int l_pick(lua_State *L)
{
    const char *what = "fig:pick";
    lua_settop(L, 2); /* before the guard: its slot is above the arguments */
    lfigure *lf = lfig_use(L, 1, "fig:pick");
    int want = 0;
    double timeout = -1;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        lgdlab_check_keys(L, 2, what, pick_keys);
        if (lfig_field(L, 2, "panel") != LUA_TNIL) {
            const gdlab_panel p = lfig_read_panel(L, 2, lf->fig, what);
            want = p.row * gdlab_figure_cols(lf->fig) + p.col + 1;
        }
        lua_pop(L, 1);
        lfig_field(L, 2, "timeout");
        timeout = check_timeout(L, lua_gettop(L), what);
        lua_pop(L, 1);
    }
    if (gdlab_figure_is_window(lf->fig)) fprintf(stderr, "gdlab: click a point on the figure (q closes)\n");
    for (;;) {
        gdlab_event ev;
        char err[GDLAB_ERRLEN];
        const int got = gdlab_figure_event(lf->fig, timeout, &ev, err, sizeof err);
        if (got < 0) return lfig_fail(L, what, err);
        if (!got || ev.kind == GDLAB_EVENT_CLOSE) return 0;
        double x, y;
        const int panel = gdlab_figure_pixel_to_data(lf->fig, ev.px, ev.py, &x, &y) + 1;
        if (ev.kind != GDLAB_EVENT_CLICK || ev.button != 1 || panel < 1 || (want && panel != want)) continue;
        lua_pushnumber(L, x);
        lua_pushnumber(L, y);
        lua_pushinteger(L, panel);
        return 3;
    }
}

/* fig:clear(panel): paint the panel's cell with the page colour, to draw it again. */
static int l_clear(lua_State *L)
{
    const char *what = "fig:clear";
    lua_settop(L, 2); /* before the guard: its slot is above the arguments */
    lfigure *lf = lfig_use(L, 1, "fig:clear");
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, 2);
    lua_setfield(L, -2, "panel");
    const gdlab_panel p = lfig_read_panel(L, lua_gettop(L), lf->fig, what);
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_clear_panel(lf->fig, &p, err, sizeof err)) return lfig_fail(L, what, err);
    return 0;
}

static const char *const overlay_keys[] = {"panel", "series", NULL};

/* fig:overlay{panel = n, series = {{x =, y =, color =, width =, marker =, ...}, ...}}: lines over a
 * panel already drawn, in its data window (a run's path as it grows). */
static int l_overlay(lua_State *L)
{
    const char *what = "fig:overlay";
    lua_settop(L, 2); /* before the guard: its slot is above the arguments */
    lfigure *lf = lfig_use(L, 1, "fig:overlay");
    luaL_checktype(L, 2, LUA_TTABLE);
    lgdlab_check_keys(L, 2, what, overlay_keys);
    const gdlab_panel p = lfig_read_panel(L, 2, lf->fig, what);
    gdlab_series series[LFIGURE_MAX_ITEMS];
    const size_t n = lfig_read_series(L, 2, lf->fig, series, what);
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_overlay(lf->fig, &p, series, n, err, sizeof err)) return lfig_fail(L, what, err);
    return 0;
}

/* fig:to_pixel(panel, x, y) -> px, py: where the data point lands, in pixels from the top left. */
static int l_to_pixel(lua_State *L)
{
    const char *what = "fig:to_pixel";
    lua_settop(L, 4); /* before the guard: its slot is above the arguments */
    lfigure *lf = lfig_use(L, 1, "fig:to_pixel");
    const double x = luaL_checknumber(L, 3), y = luaL_checknumber(L, 4);
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, 2);
    lua_setfield(L, -2, "panel");
    const gdlab_panel p = lfig_read_panel(L, lua_gettop(L), lf->fig, what);
    double px, py;
    if (gdlab_figure_data_to_pixel(lf->fig, &p, x, y, &px, &py))
        return luaL_error(L, "%s: panel %d has no 2-D axes drawn", what, p.row * gdlab_figure_cols(lf->fig) + p.col + 1);
    lua_pushnumber(L, px);
    lua_pushnumber(L, py);
    return 2;
}

const luaL_Reg lfigure_live_methods[] = {
    {"show", l_show}, {"event", l_event}, {"pick", l_pick}, {"clear", l_clear}, {"overlay", l_overlay},
    {"to_pixel", l_to_pixel}, {NULL, NULL},
};
