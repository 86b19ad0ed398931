/* SPDX-License-Identifier: MIT */
/* lfigure.c — figures from Lua: gd.figure{...} returns a figure whose methods draw one panel each,
 * gd.book{...} gathers figures as pages of one file, gd.devices() lists the output devices
 * (gd.animation is in lfigure_anim.c).
 * docs/figures.md is the reference. This file holds the figure and book objects and registers the
 * methods; the argument readers are in lfigure_args.c and the figure kinds in lfigure_maps.c,
 * lfigure_curves.c and lfigure_text.c (lfigure.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lfigure.h"
#include "lgdlab.h"

#define BOOK_MT "gdlab.book"
#define CURRENT_BOOK_KEY "gdlab.current_book" /* the open book, in the Lua registry */

/* Book userdata: book is NULL once closed. User value 1 is the figure of the page being drawn
 * (each figure of the book keeps the book alive through its own user value). */
typedef struct lbook {
    gdlab_book *book;
    const gdlab_device_info *dev;
    char path[1024];
} lbook;

/* fig:plplot(panel, function(pl) ... end): raw PLplot inside a panel (viewport and window set to the
 * panel's, or the whole cell when the panel is empty). */
typedef struct raw_call {
    lua_State *L;
    int fn, pl; /* stack indices of the function and of gd.pl */
    int status;
} raw_call;

/* Runs inside the figure's PLplot trap: nothing here may raise (no longjmp past fig_run), so the
 * function and gd.pl were put on the stack before, and the call is protected. */
static int raw_body(void *ctx, char *err, size_t errlen)
{
    raw_call *rc = ctx;
    lua_State *L = rc->L;
    if (!lua_checkstack(L, 3)) {
        snprintf(err, errlen, "Lua stack overflow");
        return -1;
    }
    lua_pushvalue(L, rc->fn);
    lua_pushvalue(L, rc->pl);
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
    char got[80];
    if (lua_type(L, 3) != LUA_TFUNCTION)
        return luaL_error(L, "%s: expected fig:plplot(panel, function(pl) ... end), got %s as the function", what,
                          lcheck_describe(L, 3, got, sizeof got));
    lua_settop(L, 3); /* before the guard: nothing may remove its slot later */
    lfigure *lf = lfig_use(L, 1, what);
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, 2);
    lua_setfield(L, -2, "panel");
    const gdlab_panel p = lfig_read_panel(L, lua_gettop(L), lf->fig, what);
    lua_getfield(L, lua_upvalueindex(1), "pl");
    raw_call rc = {L, 3, lua_gettop(L), LUA_OK};
    char err[GDLAB_ERRLEN];
    if (gdlab_figure_with_panel(lf->fig, &p, raw_body, &rc, err, sizeof err)) {
        if (rc.status != LUA_OK) return lua_error(L); /* the script's own error, as it was */
        return lfig_fail(L, what, err);
    }
    return 0;
}

/* A frame of an animation ends: the animation adds its picture (fig stays the animation's). */
static int end_frame(lfigure *lf, char *err, size_t errlen)
{
    gdlab_animation *anim = lf->anim;
    lf->fig = NULL;
    return gdlab_animation_end_frame(anim, err, errlen);
}

/* Close the figure at 1 (once; again is harmless): its file is written, or its frame ended. Refused
 * while a method draws on it. Returns 0 or -1 with err written. */
static int close_figure(lua_State *L, const char *what, int dispose, char *err, size_t errlen)
{
    lfigure *lf = luaL_checkudata(L, 1, LFIGURE_MT);
    lfig_check_idle(L, 1, what);
    if (!lf->fig) return 0;
    if (lf->anim) return end_frame(lf, err, errlen);
    gdlab_figure *fig = lf->fig;
    lf->fig = NULL;
    /* collected, or left a scope (maybe by an error): a window does not wait for its reader */
    return dispose ? gdlab_figure_dispose(fig) : gdlab_figure_close(fig, err, errlen);
}

/* fig:close() -> the path written, or "DEVICE window"; raises when the file cannot be written. */
static int l_close(lua_State *L)
{
    lfigure *lf = luaL_checkudata(L, 1, LFIGURE_MT);
    char err[GDLAB_ERRLEN];
    const char *device = lf->fig ? gdlab_figure_device(lf->fig)->name : NULL;
    if (close_figure(L, "fig:close", 0, err, sizeof err)) return luaL_error(L, "fig:close: %s", err);
    if (lf->path[0]) /* what was written: a file, or a window ("xcairo window") */
        lua_pushstring(L, lf->path);
    else if (device)
        lua_pushfstring(L, "%s window", device);
    else
        lua_pushnil(L); /* closed before */
    return 1;
}

/* __gc and __close: the same close, errors unreported (liolib's f_gc). */
static int l_gc(lua_State *L)
{
    close_figure(L, "the figure's __close", 1, NULL, 0);
    return 0;
}

lfigure *lfig_new(lua_State *L)
{
    luaL_checkstack(L, 2, "gd.figure");
    lfigure *lf = lua_newuserdatauv(L, sizeof *lf, 1);
    lf->fig = NULL, lf->anim = NULL, lf->uses = 0, lf->user = NULL, lf->path[0] = '\0';
    luaL_setmetatable(L, LFIGURE_MT);
    return lf;
}

static int l_index(lua_State *L)
{
    lfigure *lf = luaL_checkudata(L, 1, LFIGURE_MT);
    if (lua_type(L, 2) != LUA_TSTRING) return 0;
    const char *key = lua_tostring(L, 2);
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
    lfigure *lf = luaL_checkudata(L, 1, LFIGURE_MT);
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
    if (!dir[0] || (size_t)snprintf(buf, sizeof buf, "%s", dir) >= sizeof buf) {
        snprintf(err, errlen, "output folder '%.300s' is %s", dir, dir[0] ? "too long (1023 bytes at most)" : "empty");
        return -1;
    }
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

void lfig_output_defaults(lua_State *L, lfig_output *out)
{
    luaL_checkstack(L, 5, "gd.output");
    *out = (lfig_output){"pngcairo", "out", 0, 0};
    if (lua_getfield(L, lua_upvalueindex(1), "output") == LUA_TTABLE) {
        if (lua_getfield(L, -1, "device") == LUA_TSTRING) out->device = lua_tostring(L, -1);
        if (lua_getfield(L, -2, "dir") == LUA_TSTRING) out->dir = lua_tostring(L, -1);
        lua_getfield(L, -3, "device_fixed");
        lua_getfield(L, -4, "dir_fixed");
        out->device_fixed = lua_toboolean(L, -2), out->dir_fixed = lua_toboolean(L, -1);
        lua_pop(L, 2); /* the strings stay on the stack: a callback may change gd.output meanwhile */
    }
}

const char *lfig_output_device(lua_State *L, int t, const lfig_output *out, const char *what)
{
    const char *device = lfig_opt_string(L, t, "device", out->device, what);
    return out->device_fixed ? out->device : device;
}

/* A file named for another device's kind of file ("a.png" on pdf) would hold the wrong content under
 * its name: refused. An extension no device writes ("a.plot") is the script's own business. */
static void check_extension(lua_State *L, const char *file, const char *given, const char *extension,
                            const char *what)
{
    for (size_t i = 0; i < gdlab_device_count(); i++) {
        const gdlab_device_info *d = gdlab_device_at(i);
        if (d->extension && strcmp(d->extension, given) == 0) {
            char msg[GDLAB_ERRLEN * 2]; /* luaL_error has no %.*s */
            snprintf(msg, sizeof msg, "%s: file '%s' is named as a .%s file, but its device writes .%s: name it "
                     "'%.*s.%s', or choose a device that writes .%s, such as %s", what, file, given, extension,
                     (int)(given - 1 - file), file, extension, given, d->name);
            luaL_error(L, "%s", msg);
        }
    }
}

void lfig_output_path(lua_State *L, int t, const char *name_default, const char *extension,
                      const lfig_output *out, char *path, size_t cap, const char *what)
{
    const char *file = lfig_opt_string(L, t, "file", NULL, what);
    const char *name = lfig_opt_string(L, t, "name", name_default, what);
    char err[GDLAB_ERRLEN];
    int len;
    if (file && !*file) luaL_error(L, "%s: file must be a file name, not an empty string", what);
    const char *base = file ? (strrchr(file, '/') ? strrchr(file, '/') + 1 : file) : NULL;
    const char *dot = base ? strrchr(base, '.') : NULL;
    if (file && !out->dir_fixed && strcmp(file, "-") != 0 && dot && strcmp(dot + 1, extension) != 0) {
        if (out->device_fixed) { /* -dev on the command line: the script's file, with this device's extension */
            len = snprintf(path, cap, "%.*s.%s", (int)(dot - file), file, extension);
            if ((size_t)len >= cap) goto too_long;
            return;
        }
        check_extension(L, file, dot + 1, extension, what);
    }
    if (file && !out->dir_fixed) {
        if ((size_t)(len = snprintf(path, cap, "%s", file)) >= cap) goto too_long;
        return;
    }
    if (file) { /* -o on the command line: the file's own name, in that folder, for this device */
        if (make_dirs(out->dir, err, sizeof err)) luaL_error(L, "%s: %s", what, err);
        len = snprintf(path, cap, "%s/%.*s.%s", out->dir, dot ? (int)(dot - base) : (int)strlen(base), base,
                       extension);
        if ((size_t)len >= cap) goto too_long;
        return;
    }
    if (!*name || strchr(name, '/')) luaL_error(L, "%s: name '%s' must be a plain file name (use file = for a path)", what, name);
    if (make_dirs(out->dir, err, sizeof err)) luaL_error(L, "%s: %s", what, err);
    if ((size_t)(len = snprintf(path, cap, "%s/%s.%s", out->dir, name, extension)) < cap) return;
too_long: /* never write to a path cut short */
    luaL_error(L, "%s: the file path is %d bytes long, more than the %d allowed", what, len, (int)cap - 1);
}

static void read_theme(lua_State *L, int t, gdlab_theme *th, const char *what)
{
    memset(th, 0, sizeof *th);
    int type = lfig_field(L, t, "theme");
    if (type == LUA_TSTRING) {
        th->base = lua_tostring(L, -1);
    } else if (type == LUA_TTABLE) {
        const int tt = lua_gettop(L);
        static const char *const keys[] = {"base", "page", "panel", "frame", "text", "title", "grid", "contour", "legend", NULL};
        lgdlab_check_keys(L, tt, "theme", keys);
        th->base = lfig_opt_string(L, tt, "base", NULL, what);
        th->page = lfig_opt_string(L, tt, "page", NULL, what);
        th->panel = lfig_opt_string(L, tt, "panel", NULL, what);
        th->frame = lfig_opt_string(L, tt, "frame", NULL, what);
        th->text = lfig_opt_string(L, tt, "text", NULL, what);
        th->title = lfig_opt_string(L, tt, "title", NULL, what);
        th->grid = lfig_opt_string(L, tt, "grid", NULL, what);
        th->contour = lfig_opt_string(L, tt, "contour", NULL, what);
        th->legend = lfig_opt_string(L, tt, "legend", NULL, what);
    } else if (type != LUA_TNIL) {
        luaL_error(L, "%s: theme must be \"light\", \"dark\" or a table of colours", what);
    }
    /* The theme and its strings stay on the stack: an __index may have made them. */
}

/* size = {width, height} in whole pixels, 50 to 20000 each; w and h keep their values when absent. */
static void read_size(lua_State *L, int t, int *w, int *h, const char *what)
{
    if (lfig_field(L, t, "size") != LUA_TNIL) {
        const int st = lua_gettop(L);
        lcheck_length(L, st, what, "size", 2, 2);
        lua_geti(L, st, 1);
        lua_geti(L, st, 2);
        *w = (int)lcheck_integer(L, -2, what, "size[1] (width)", 50, 20000);
        *h = (int)lcheck_integer(L, -1, what, "size[2] (height)", 50, 20000);
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
}

/* size = {w, h}, scale, layout = {rows =, cols =} or {r, c}, title, theme, colormap, font_scale, key. */
void lfig_read_page(lua_State *L, int t, gdlab_figure_config *cfg, const char *what)
{
    read_size(L, t, &cfg->width, &cfg->height, what);
    cfg->scale = lcheck_opt_number(L, t, "scale", 0, 0.1, 10, what);
    if (lfig_field(L, t, "layout") != LUA_TNIL) {
        const int lt = lua_gettop(L);
        if (!lua_istable(L, lt)) luaL_error(L, "%s: layout must be {rows = r, cols = c}", what);
        lua_geti(L, lt, 1);
        lua_geti(L, lt, 2);
        cfg->rows = lua_isnil(L, -2) ? (int)lcheck_opt_integer(L, lt, "rows", 1, 1, 16, what)
                                     : (int)lcheck_integer(L, -2, what, "layout[1] (rows)", 1, 16);
        cfg->cols = lua_isnil(L, -1) ? (int)lcheck_opt_integer(L, lt, "cols", 1, 1, 16, what)
                                     : (int)lcheck_integer(L, -1, what, "layout[2] (columns)", 1, 16);
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
    cfg->title = lfig_opt_string(L, t, "title", NULL, what);
    read_theme(L, t, &cfg->theme, what);
    cfg->colormap = lfig_opt_string(L, t, "colormap", NULL, what);
    cfg->font_scale = lfig_opt_number(L, t, "font_scale", 0, what);
    /* key = true: one key for the figure, one row at the bottom; key = n: n rows. */
    if (lfig_field(L, t, "key") == LUA_TBOOLEAN)
        cfg->key = lua_toboolean(L, -1);
    else if (!lua_isnil(L, -1))
        cfg->key = (int)lfig_opt_number(L, t, "key", 0, what);
    lua_pop(L, 1);
}

/* The open book, kept in the module's registry entry (upvalue 2 of gd.figure). */
static lbook *current_book(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, CURRENT_BOOK_KEY);
    lbook *b = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return b && b->book ? b : NULL;
}

static const char *const figure_keys[] = {"name", "file", "device", "size", "scale", "layout", "title", "theme",
                                          "colormap", "font_scale", "key", NULL};

/* gd.figure{name =, file =, device =, size = {w, h}, scale =, layout = {rows =, cols =}, title =,
 * theme =, colormap =} */
static int l_figure(lua_State *L)
{
    const char *what = "gd.figure";
    if (lua_isnoneornil(L, 1)) lua_newtable(L), lua_replace(L, 1);
    luaL_checktype(L, 1, LUA_TTABLE);
    lgdlab_check_keys(L, 1, what, figure_keys);
    lfig_output out;
    lfig_output_defaults(L, &out);
    const char *device = lfig_output_device(L, 1, &out, what);
    gdlab_figure_config cfg;
    memset(&cfg, 0, sizeof cfg);
    char err[GDLAB_ERRLEN * 2];
    const gdlab_device_info *dev = gdlab_device_find(device, err, sizeof err);
    if (!dev) return lfig_fail(L, what, err);
    cfg.device = dev->name;
    lfig_read_page(L, 1, &cfg, what);

    lfigure *lf = lfig_new(L); /* closed until the figure exists */
    const int fig = lua_gettop(L);
    lbook *book = current_book(L);
    if (book && book->dev == dev) {
        cfg.book = book->book;
        snprintf(lf->path, sizeof lf->path, "%s", book->path);
    } else if (!dev->interactive) {
        lfig_output_path(L, 1, "figure", dev->extension, &out, lf->path, sizeof lf->path, what);
        cfg.path = lf->path;
    } else {
        /* a window asked for in the same call as a file: one of the two is a mistake (a window chosen by
         * -dev or gd.output wins over the script's files: that is how lessons are shown live) */
        const char *file = lfig_opt_string(L, 1, "file", NULL, what);
        if (file && !out.device_fixed && lfig_opt_string(L, 1, "device", NULL, what))
            return luaL_error(L, "%s: device '%s' opens a window and writes no file, but file = '%s' was given: "
                              "choose a file device such as pngcairo, or leave file out", what, dev->name, file);
        cfg.path = lfig_opt_string(L, 1, "name", "figure", what); /* names an untitled window */
    }
    lf->fig = gdlab_figure_open(&cfg, err, sizeof err);
    if (!lf->fig) return lfig_fail(L, what, err);
    if (cfg.book) { /* the figure keeps its book alive; the book knows its page's figure */
        lua_getfield(L, LUA_REGISTRYINDEX, CURRENT_BOOK_KEY);
        lua_pushvalue(L, -1);
        lua_setiuservalue(L, fig, 1);
        lua_pushvalue(L, fig);
        lua_setiuservalue(L, -2, 1);
        lua_pop(L, 1);
    }
    lua_settop(L, fig);
    return 1;
}

static lbook *check_book(lua_State *L, int idx)
{
    return luaL_checkudata(L, idx, BOOK_MT);
}

/* Is the figure of the book's current page (its user value) still open? Leaves it on the stack. */
static lfigure *open_page(lua_State *L, int book)
{
    lua_getiuservalue(L, book, 1);
    lfigure *lf = luaL_testudata(L, -1, LFIGURE_MT);
    return lf && lf->fig ? lf : NULL;
}

/* book:close() -> the path. Refused while the figure of its last page is open: closing the book
 * would pull the page from under it. */
static int l_book_close(lua_State *L)
{
    lbook *b = check_book(L, 1);
    if (b->book) {
        if (open_page(L, 1))
            return luaL_error(L, "book:close: the figure on page %d is still open: close it first (fig:close())",
                              gdlab_book_pages(b->book));
        gdlab_book *book = b->book;
        b->book = NULL;
        char err[GDLAB_ERRLEN];
        if (gdlab_book_close(book, err, sizeof err)) return luaL_error(L, "book:close: %s", err);
    }
    if (b->path[0]) lua_pushstring(L, b->path);
    else lua_pushnil(L);
    return 1;
}

/* __gc and __close: the page's figure is closed first (it cannot outlive its stream). */
static int l_book_gc(lua_State *L)
{
    lbook *b = check_book(L, 1);
    if (!b->book) return 0;
    if (open_page(L, 1)) {
        lfig_check_idle(L, -1, "the book's __close");
        lua_replace(L, 1);
        l_gc(L); /* the figure's own __gc; b stays valid: the figure keeps the book alive */
        lua_settop(L, 0);
    }
    gdlab_book_close(b->book, NULL, 0);
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
    lgdlab_check_keys(L, 1, what, book_keys);
    lfig_output out;
    lfig_output_defaults(L, &out);
    const char *device = lfig_output_device(L, 1, &out, what);
    char err[GDLAB_ERRLEN * 2];
    const gdlab_device_info *dev = gdlab_device_find(device, err, sizeof err);
    if (!dev) return lfig_fail(L, what, err);
    if (current_book(L)) luaL_error(L, "%s: a book is already open: close it first", what);
    int w = 1400, h = 900;
    read_size(L, 1, &w, &h, what);
    lbook *b = lua_newuserdatauv(L, sizeof *b, 1);
    b->book = NULL, b->dev = dev, b->path[0] = '\0';
    luaL_setmetatable(L, BOOK_MT);
    const int book = lua_gettop(L);
    if (dev->multipage && !dev->interactive) {
        lfig_output_path(L, 1, "figure", dev->extension, &out, b->path, sizeof b->path, what);
        b->book = gdlab_book_open(dev->name, b->path, w, h, err, sizeof err);
        if (!b->book) return lfig_fail(L, what, err);
        lua_pushvalue(L, book);
        lua_setfield(L, LUA_REGISTRYINDEX, CURRENT_BOOK_KEY);
    }
    lua_settop(L, book);
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
    {"plplot", l_plplot}, {"close", l_close}, {NULL, NULL},
};

static const luaL_Reg module_functions[] = {
    {"figure", l_figure}, {"book", l_book}, {"devices", l_devices}, {NULL, NULL},
};

void lgdlab_open_figure(lua_State *L)
{
    const int module = lua_gettop(L);
    luaL_newmetatable(L, LFIGURE_MT);
    lua_pushcfunction(L, l_index), lua_setfield(L, -2, "__index");
    lua_newtable(L); /* methods, with the module as upvalue (fig:plplot finds gd.pl there) */
    const luaL_Reg *const groups[] = {lfigure_map_methods, lfigure_curve_methods, lfigure_text_methods,
                                      lfigure_live_methods, figure_methods};
    for (size_t i = 0; i < sizeof groups / sizeof *groups; i++) {
        lua_pushvalue(L, module);
        luaL_setfuncs(L, groups[i], 1);
    }
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
    lfig_open_animation(L, module);

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
