/* SPDX-License-Identifier: MIT */
/* lplplot.c — PLplot for Lua 5.4: the module "plplot" (also gd.pl), for figure authors who need what
 * gdlab's figure kinds do not draw. Names are PLplot's without the "pl" prefix (pl.line is plline;
 * pl.plend and pl.plend1 keep it, `end` being a Lua keyword). Arrays are Lua arrays of numbers;
 * matrices are arrays of rows, z[i][j] at (x[i], y[j]) as in PLplot's C API.
 *
 * Safety, in the manner of lmathlib.c (every argument checked at the top):
 *   - sizes and types are checked before PLplot sees them: errors are Lua errors, never crashes;
 *   - every PLplot call runs inside a gdlab trap: what PLplot would exit() for, or quietly skip
 *     (plabort), becomes a Lua error with PLplot's message;
 *   - every call that draws an axis (box, box3, env, hist, colorbar) checks first the range PLplot
 *     will walk, its tick spacing and subtick count (check_axis): PLplot loops forever on an axis
 *     too short for the size of its numbers, and ends the stream on a spacing it finds too small;
 *   - pl.sdev accepts only devices on PLplot's own list and pl.init refuses to start without one
 *     (PLplot would otherwise prompt on stdin); PLplot's option parser is not exposed;
 *   - pl.sdev also sets gdlab's colours (white page, dark ink, viridis as cmap1), which later
 *     pl.scolbg / pl.scmap0 / pl.colormap calls change;
 *   - single-page file devices (pngcairo, svgcairo, ...) get numbered files for extra pages instead
 *     of silently dropping them; a one-page plot keeps the file name it was given;
 *   - streams: the script owns stream 0 and those it made with pl.mkstrm; every other stream is a
 *     gdlab figure's or book's. Calls that set up, switch, page or end a stream (sdev, init, plend1,
 *     sstrm, adv, ...) are refused on a stream the script does not own — inside fig:plplot the
 *     current stream is the figure's, and only drawing is allowed there. pl.init is refused on a
 *     stream already initialized (PLplot would end it and ask for a device on stdin), and pl.plend
 *     ends the script's streams only. */
#include <errno.h>
#include <math.h>
#include <plplot.h>
#include <plstrm.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gdlab/figure.h"
#include "lgdlab.h"


/* ------------------------------------------------------------------------------------------------
 * Traps and argument helpers.
 * ---------------------------------------------------------------------------------------------- */

static int raise_trap(lua_State *L, const char *fn, const gdlab_plplot_trap *t)
{
    return luaL_error(L, "pl.%s: PLplot: %s%s", fn, t->message,
                      t->fatal ? " (fatal: this PLplot stream cannot be used any more)" : "");
}

/* Run stmt with PLplot errors trapped; raise a Lua error naming fn. */
#define PL_GUARD(L, fn, stmt)                                                                       \
    do {                                                                                            \
        gdlab_plplot_trap trap_;                                                                    \
        gdlab_plplot_trap_push(&trap_);                                                             \
        if (setjmp(trap_.jump) == 0) {                                                              \
            stmt;                                                                                   \
        }                                                                                           \
        gdlab_plplot_trap_pop(&trap_);                                                              \
        if (trap_.fatal || trap_.message[0]) raise_trap(L, fn, &trap_);                             \
    } while (0)

/* A drawing call: the stream must be ready (need_level, below), then stmt runs trapped. */
#define PL_DRAW(L, fn, level, stmt)                                                                 \
    do {                                                                                            \
        need_level(L, fn, level);                                                                   \
        PL_GUARD(L, fn, stmt);                                                                      \
    } while (0)
static void need_level(lua_State *L, const char *fn, PLINT needed);

/* "pl.fn", for the readers' messages. */
static const char *fn_name(lua_State *L, const char *fn)
{
    return lua_pushfstring(L, "pl.%s", fn); /* stays on the stack until the call returns */
}

/* An array of finite numbers at idx, copied into a buffer on the stack (lcheck_numbers). The readers
 * below leave their buffers (and names) on the stack, above the arguments: a function that uses them
 * fixes its argument count first (lua_settop), or an absent optional argument would read one. */
/* Not inlined: a buffer pointer inside a function with setjmp (PL_GUARD) would look clobbered. */
__attribute__((noinline)) static PLFLT *check_vector(lua_State *L, int idx, PLINT *n, const char *fn, const char *name)
{
    size_t len;
    PLFLT *v = lcheck_numbers(L, idx, fn_name(L, fn), name, 0, 10000000, LCHECK_FINITE, &len);
    *n = (PLINT)len;
    return v;
}

static PLINT *check_ivector(lua_State *L, int idx, PLINT *n, const char *fn, const char *name)
{
    PLFLT *v = check_vector(L, idx, n, fn, name);
    PLINT *iv = lua_newuserdatauv(L, (size_t)(*n ? *n : 1) * sizeof *iv, 0);
    for (PLINT i = 0; i < *n; i++) {
        if (v[i] != floor(v[i]) || fabs(v[i]) > 2e9) luaL_error(L, "pl.%s: %s[%d] must be an integer", fn, name, (int)i + 1);
        iv[i] = (PLINT)v[i];
    }
    return iv;
}

/* Two vectors of the same length at idx and idx + 1. */
static PLINT check_xy(lua_State *L, int idx, PLFLT **x, PLFLT **y, const char *fn)
{
    PLINT nx, ny;
    *x = check_vector(L, idx, &nx, fn, "x");
    *y = check_vector(L, idx + 1, &ny, fn, "y");
    if (nx != ny) luaL_error(L, "pl.%s: x has %d values but y has %d", fn, (int)nx, (int)ny);
    return nx;
}

/* A matrix: an array of nx rows of ny numbers each; rows point into one buffer on the stack. */
static PLFLT **check_matrix(lua_State *L, int idx, PLINT *nx, PLINT *ny, const char *fn, const char *name)
{
    const char *what = fn_name(L, fn);
    *nx = (PLINT)lcheck_length(L, idx, what, name, 1, 10000);
    lua_geti(L, idx, 1);
    char row[48];
    snprintf(row, sizeof row, "%s[1]", name);
    *ny = (PLINT)lcheck_length(L, -1, what, row, 1, 10000);
    lua_pop(L, 1);
    const size_t n = (size_t)*nx * (size_t)*ny; /* at most 1e8 */
    PLFLT *data = lcheck_buffer(L, n + (size_t)*nx, sizeof *data, what); /* rows ride at the end */
    _Static_assert(sizeof(PLFLT *) <= sizeof(PLFLT), "row pointers ride in PLFLT slots");
    PLFLT **rows = (PLFLT **)(data + n);
    for (PLINT i = 0; i < *nx; i++) {
        rows[i] = data + (size_t)i * (size_t)*ny;
        lua_geti(L, idx, i + 1);
        snprintf(row, sizeof row, "%s[%d]", name, (int)i + 1);
        size_t len;
        memcpy(rows[i], lcheck_numbers(L, -1, what, row, (size_t)*ny, (size_t)*ny, LCHECK_FINITE, &len),
               (size_t)*ny * sizeof *data);
        lua_pop(L, 2);
    }
    return rows;
}

static PLINT check_int(lua_State *L, int idx)
{
    const lua_Integer v = luaL_checkinteger(L, idx);
    luaL_argcheck(L, v >= -2147483647 && v <= 2147483647, idx, "integer out of range");
    return (PLINT)v;
}

static PLINT opt_int(lua_State *L, int idx, PLINT def)
{
    return lua_isnoneornil(L, idx) ? def : check_int(L, idx);
}

static PLINT check_rgb(lua_State *L, int idx)
{
    const PLINT v = check_int(L, idx);
    luaL_argcheck(L, v >= 0 && v <= 255, idx, "colour component must be 0 to 255");
    return v;
}

/* ------------------------------------------------------------------------------------------------
 * Axes. PLplot walks an axis from one major tick to the next by adding the spacing (plbox, plbox3,
 * plenv, plhist and plcolorbar all draw through that walk). The walk never ends when the sum does not
 * move: an axis of length 0, or one too short for the size of its numbers (2^53 to 2^53 + 2, ticks
 * every 0.5: 2^53 + 0.5 is 2^53). Its subticks cost nsub per tick (2^31 takes hours), and a spacing
 * it finds too small ends the stream (plexit). Every call that draws an axis checks here first the
 * range PLplot will walk.
 * ---------------------------------------------------------------------------------------------- */

#define AXIS_MAX_TICKS 1000   /* major ticks on one axis (PLplot itself allows 75000, then exits) */
#define AXIS_MAX_NSUB 100     /* intervals between two major ticks */
#define AXIS_MIN_LENGTH 1e-10 /* the shortest axis, relative to its larger end: its ticks are then
                                 at least 1e-13 of the end, hundreds of the doubles' steps there */

typedef struct axis_walk {
    const char *name;            /* "x", "y", "z", "values" */
    double lo, hi;               /* the range PLplot walks, in either order */
    int log;                     /* a log axis: a tick every decade, the range in powers of ten */
    double tick;                 /* major tick spacing; 0: PLplot's choice */
    PLINT nsub;                  /* intervals between major ticks; 0: PLplot's choice */
    const char *tick_arg, *nsub_arg; /* their names in the call, NULL when the call has none */
} axis_walk;

/* Does the option string of plbox (and its kin) ask for a log axis? */
static int log_option(const char *opt)
{
    return strchr(opt, 'l') != NULL || strchr(opt, 'L') != NULL;
}

static void check_axis(lua_State *L, const char *fn, const axis_walk *a)
{
    char msg[GDLAB_ERRLEN], lo[32], hi[32], tick[32];
    const double length = fabs(a->hi - a->lo), end = fmax(fabs(a->lo), fabs(a->hi));
    lcheck_number_text(a->lo, lo, sizeof lo), lcheck_number_text(a->hi, hi, sizeof hi);
    lcheck_number_text(a->tick, tick, sizeof tick);
    if (!isfinite(length))
        snprintf(msg, sizeof msg, "pl.%s: the %s axis runs from %s to %s: both ends must be finite and their "
                 "difference too", fn, a->name, lo, hi);
    else if (length == 0)
        snprintf(msg, sizeof msg, "pl.%s: the %s axis runs from %s to %s: its ends must differ", fn, a->name, lo, hi);
    else if (!(length >= AXIS_MIN_LENGTH * end))
        snprintf(msg, sizeof msg, "pl.%s: the %s axis runs from %s to %s, too short for numbers of that size: its "
                 "length must be at least %g times its larger end (PLplot could not step from one tick to the "
                 "next)", fn, a->name, lo, hi, AXIS_MIN_LENGTH);
    else if (!isfinite(a->tick))
        snprintf(msg, sizeof msg, "pl.%s: %s = %s: a tick spacing must be a finite number (0 lets PLplot choose)", fn,
                 a->tick_arg, tick);
    else if (a->log && length > AXIS_MAX_TICKS)
        snprintf(msg, sizeof msg, "pl.%s: the log %s axis spans %g decades (its range is in powers of ten): "
                 "at most %d", fn, a->name, length, AXIS_MAX_TICKS);
    else if (!a->log && a->tick != 0 && !(length / fabs(a->tick) <= AXIS_MAX_TICKS))
        snprintf(msg, sizeof msg, "pl.%s: %s = %s makes %g ticks on the %s axis from %s to %s: at most %d "
                 "(0 lets PLplot choose)", fn, a->tick_arg, tick, length / fabs(a->tick), a->name, lo, hi,
                 AXIS_MAX_TICKS);
    else if (a->nsub < 0 || a->nsub > AXIS_MAX_NSUB)
        snprintf(msg, sizeof msg, "pl.%s: %s = %d: 0 to %d intervals between major ticks (0 lets PLplot choose)",
                 fn, a->nsub_arg, (int)a->nsub, AXIS_MAX_NSUB);
    else
        return;
    luaL_error(L, "%s", msg);
}

/* Does an option string of plbox ask for numeric labels (PLplot reads letters in either case)? */
static int labelled(const char *opt)
{
    return strpbrk(opt, "nNmM") && strpbrk(opt, "tTxX");
}

/* PLplot 5.15 writes date labels on a y axis ('d', with labels) in a time format it reads only while
 * writing numeric x labels (label_box in plbox.c): without those it formats with a NULL pointer
 * (SIGSEGV in strfqsas, found by the fuzzer). */
static int unsafe_y_dates(const char *xopt, const char *yopt)
{
    return strpbrk(yopt, "dD") && labelled(yopt) && !labelled(xopt);
}

/* The 3-D world of plw3d that plbox3 walks: x, y (the domain) and z (the range). PLplot has no call
 * that reads them back; its stream structure (plstrm.h, installed for drivers) holds them. */
static void w3d_world(double world[6])
{
    PLStream *pls = NULL;
    plgpls(&pls);
    world[0] = pls->domxmi, world[1] = pls->domxma, world[2] = pls->domymi, world[3] = pls->domyma;
    world[4] = pls->ranmi, world[5] = pls->ranma;
}

/* ------------------------------------------------------------------------------------------------
 * Setup: device, file, page, streams. Per-stream notes (the file asked for, familying done by
 * gdlab) live in a table, upvalue 1 of every function, keyed by stream number.
 * ---------------------------------------------------------------------------------------------- */

static void stream_note(lua_State *L, const char *key, const char *value)
{
    PLINT s;
    plgstrm(&s);
    lua_geti(L, lua_upvalueindex(1), s);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_seti(L, lua_upvalueindex(1), s);
    }
    if (value) lua_pushstring(L, value);
    else lua_pushnil(L);
    lua_setfield(L, -2, key);
    lua_pop(L, 1);
}

/* Is stream s the script's: 0, or made by pl.mkstrm and not ended since? */
static int script_stream(lua_State *L, PLINT s)
{
    if (s == 0) return 1;
    const int top = lua_gettop(L);
    const int yes = lua_geti(L, lua_upvalueindex(1), s) == LUA_TTABLE && lua_getfield(L, -1, "script") != LUA_TNIL;
    lua_settop(L, top);
    return yes;
}

/* Stream s is the script's from now on (until it ends it). */
static void mark_script_stream(lua_State *L, PLINT s)
{
    if (s == 0 || script_stream(L, s)) return;
    lua_createtable(L, 0, 4);
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "script");
    lua_seti(L, lua_upvalueindex(1), s);
}

/* Calls that set up, switch, page or end a stream: only on the script's own streams. */
static void check_own_stream(lua_State *L, const char *fn)
{
    PLINT s;
    plgstrm(&s);
    if (!script_stream(L, s))
        luaL_error(L, "pl.%s: the current PLplot stream (%d) belongs to a gdlab figure: inside fig:plplot only "
                   "drawing calls are allowed (use pl.mkstrm for a stream of your own)", fn, (int)s);
}

/* Some PLplot calls check that the stream is ready and abort politely, others dereference what is
 * not there yet: every drawing call checks first. Levels are PLplot's: 1 initialized (pl.init), 2 a
 * viewport set, 3 a window set too. */
static void need_level(lua_State *L, const char *fn, PLINT needed)
{
    static const char *const how[] = {"", "call pl.init first", "set a viewport first (pl.vpor, pl.vsta or pl.env)",
                                      "set a window first (pl.env, or pl.vpor and pl.wind)"};
    PLINT level = 0;
    plglevel(&level);
    if (level < needed) luaL_error(L, "pl.%s: %s", fn, how[needed]);
}

/* Setup calls (sdev, sfnam, ...) come before pl.init. */
static void check_not_initialized(lua_State *L, const char *fn)
{
    check_own_stream(L, fn);
    PLINT level = 0;
    plglevel(&level);
    if (level > 0)
        luaL_error(L, "pl.%s: the stream is already initialized: call it before pl.init (or pl.plend1() first)", fn);
}

static const char *stream_get(lua_State *L, const char *key)
{
    PLINT s;
    plgstrm(&s);
    const int top = lua_gettop(L);
    const char *v = NULL;
    if (lua_geti(L, lua_upvalueindex(1), s) == LUA_TTABLE && lua_getfield(L, -1, key) == LUA_TSTRING)
        v = lua_tostring(L, -1); /* stays alive in the notes table */
    lua_settop(L, top);
    return v;
}

static int l_sdev(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    check_not_initialized(L, "sdev");
    char err[GDLAB_ERRLEN * 2];
    const gdlab_device_info *d = gdlab_device_find(name, err, sizeof err);
    if (!d) return luaL_error(L, "pl.sdev: %s", err);
    if (gdlab_device_prepare(d, err, sizeof err)) return luaL_error(L, "pl.sdev: %s", err);
    /* PLplot's defaults are a black page and a red-blue cmap1: start from gdlab's light colours. */
    PL_GUARD(L, "sdev", plsdev(d->name); gdlab_plplot_default_colors("viridis", 0));
    stream_note(L, "device", d->name);
    return 0;
}

static int l_sfnam(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    check_not_initialized(L, "sfnam");
    PL_GUARD(L, "sfnam", plsfnam(name));
    stream_note(L, "file", name);
    return 0;
}

static int l_sfam(lua_State *L)
{
    const PLINT fam = lua_toboolean(L, 1) ? 1 : 0, num = opt_int(L, 2, -1), bmax = opt_int(L, 3, 0);
    check_not_initialized(L, "sfam");
    PL_GUARD(L, "sfam", plsfam(fam, num, bmax));
    stream_note(L, "user_family", fam ? "1" : NULL);
    return 0;
}

static int l_spage(lua_State *L)
{
    const PLFLT xp = luaL_optnumber(L, 1, 0), yp = luaL_optnumber(L, 2, 0);
    const PLINT xl = check_int(L, 3), yl = check_int(L, 4);
    luaL_argcheck(L, xl > 0 && xl <= 20000, 3, "width must be 1 to 20000 pixels");
    luaL_argcheck(L, yl > 0 && yl <= 20000, 4, "height must be 1 to 20000 pixels");
    luaL_argcheck(L, xp >= 0 && xp <= 10000 && yp >= 0 && yp <= 10000, 1, "resolution must be 0 to 10000 dpi");
    const PLINT xoff = opt_int(L, 5, 0), yoff = opt_int(L, 6, 0);
    check_not_initialized(L, "spage");
    PL_GUARD(L, "spage", plspage(xp, yp, xl, yl, xoff, yoff));
    return 0;
}

/* Single-page file devices: pages go to name-1.ext, name-2.ext, ...; see finish_family. */
static int single_page_file_device(const char *dev)
{
    const gdlab_device_info *d = dev ? gdlab_device_find(dev, NULL, 0) : NULL;
    return d && !d->interactive && !d->multipage;
}

static void family_pattern(const char *file, char *out, size_t cap)
{
    const char *dot = strrchr(file, '.'), *slash = strrchr(file, '/');
    if (!dot || (slash && dot < slash)) dot = file + strlen(file);
    snprintf(out, cap, "%.*s-%%n%s", (int)(dot - file), file, dot);
}

/* The file pl.sfnam named, checked before PLplot opens it: PLplot retries a file it cannot open eleven
 * times, printing "Can't open NAME." each time, and then exits ("Too many tries"); a FIFO would block
 * it. "-" is standard output, as for PLplot and gdlab's figures, refused when that is a terminal. */
static void check_file(lua_State *L, const char *file)
{
    if (strcmp(file, "-") == 0) {
        if (isatty(STDOUT_FILENO))
            luaL_error(L, "pl.init: cannot write '-' (standard output): it is a terminal; give a file name, or "
                       "redirect standard output to a file or a pipe");
        return;
    }
    struct stat st;
    if (stat(file, &st) == 0) {
        if (!S_ISREG(st.st_mode))
            luaL_error(L, "pl.init: cannot write '%s' (pl.sfnam): it is %s; PLplot writes only regular files", file,
                       S_ISDIR(st.st_mode) ? "a folder" : S_ISFIFO(st.st_mode) ? "a FIFO (named pipe)" : "not a regular file");
        if (access(file, W_OK) != 0) luaL_error(L, "pl.init: cannot write '%s' (pl.sfnam): %s", file, strerror(errno));
        return;
    }
    if (errno != ENOENT) luaL_error(L, "pl.init: cannot write '%s' (pl.sfnam): %s", file, strerror(errno));
    const char *slash = strrchr(file, '/');
    const char *dir = slash ? lua_pushlstring(L, file, slash == file ? 1 : (size_t)(slash - file)) : ".";
    if (access(dir, W_OK | X_OK) != 0)
        luaL_error(L, "pl.init: cannot write '%s' (pl.sfnam): its folder '%s' %s", file, dir,
                   errno == ENOENT ? "does not exist" : strerror(errno));
}

static int l_init(lua_State *L)
{
    check_not_initialized(L, "init");
    char buf[80] = "";
    const char *dev = gdlab_plplot_device(buf);
    if (!dev[0])
        return luaL_error(L, "pl.init: no device: call pl.sdev(name) first (gd.devices() lists them)");
    const char *file = stream_get(L, "file");
    const gdlab_device_info *d = gdlab_device_find(dev, NULL, 0);
    if (d && !d->interactive && !file) return luaL_error(L, "pl.init: device '%s' writes a file: call pl.sfnam(path) first", dev);
    if (d && d->interactive && file)
        return luaL_error(L, "pl.init: device '%s' opens a window and writes no file, but pl.sfnam named '%s': choose a "
                          "file device such as pngcairo, or leave pl.sfnam out", dev, file);
    if (file) check_file(L, file);
    PLFLT xdpi, ydpi;
    PLINT xlen, ylen, xoff, yoff;
    plgpage(&xdpi, &ydpi, &xlen, &ylen, &xoff, &yoff); /* 0 x 0 until pl.spage: the driver's default */
    char err[GDLAB_ERRLEN];
    if (d && gdlab_device_ready(d, xlen ? xlen : 1000, ylen ? ylen : 700, "pl.init", err, sizeof err))
        return luaL_error(L, "%s", err);
    if (file && strcmp(file, "-") != 0 && single_page_file_device(dev) && !stream_get(L, "user_family")) {
        char pattern[1100];
        family_pattern(file, pattern, sizeof pattern);
        PL_GUARD(L, "init", plsfnam(pattern); plsfam(1, 1, 0));
        stream_note(L, "gdlab_family", pattern);
    }
    PL_GUARD(L, "init", plinit());
    return 0;
}

/* After plend: a one-page plot on a familied stream gets its plain file name back. */
static void finish_family(lua_State *L, const char *pattern, const char *file)
{
    char one[1100], two[1100];
    const char *n = strstr(pattern, "%n");
    if (!n) return;
    snprintf(one, sizeof one, "%.*s1%s", (int)(n - pattern), pattern, n + 2);
    snprintf(two, sizeof two, "%.*s2%s", (int)(n - pattern), pattern, n + 2);
    if (access(one, F_OK) == 0 && access(two, F_OK) != 0 && rename(one, file) != 0)
        luaL_error(L, "pl.plend: cannot rename '%s' to '%s'", one, file);
}

/* End the current stream (the script's own). */
static void end_stream(lua_State *L, const char *fn)
{
    PLINT s;
    plgstrm(&s);
    lua_geti(L, lua_upvalueindex(1), s);
    const int notes = lua_gettop(L);
    PL_GUARD(L, fn, plend1());
    if (lua_istable(L, notes)) {
        lua_getfield(L, notes, "gdlab_family");
        lua_getfield(L, notes, "file");
        if (lua_isstring(L, -2) && lua_isstring(L, -1)) finish_family(L, lua_tostring(L, -2), lua_tostring(L, -1));
    }
    lua_settop(L, notes - 1);
    lua_pushnil(L);
    lua_seti(L, lua_upvalueindex(1), s);
}

static int l_plend1(lua_State *L)
{
    check_own_stream(L, "plend1");
    end_stream(L, "plend1");
    return 0;
}

/* PLplot's plend ends every stream, the figures' too: here it ends the script's streams only. */
static int l_plend(lua_State *L)
{
    check_own_stream(L, "plend");
    for (PLINT s = 99; s >= 0; s--)
        if (script_stream(L, s)) {
            PL_GUARD(L, "plend", plsstrm(s));
            end_stream(L, "plend");
        }
    PL_GUARD(L, "plend", plsstrm(0));
    return 0;
}

static int l_sstrm(lua_State *L)
{
    const PLINT s = check_int(L, 1);
    luaL_argcheck(L, s >= 0 && s < 100, 1, "stream must be 0 to 99");
    check_own_stream(L, "sstrm");
    PLINT current, level = 0;
    plgstrm(&current);
    PL_GUARD(L, "sstrm", plsstrm(s); plglevel(&level));
    if (!script_stream(L, s) && level > 0) { /* in use, and not by the script: a figure's */
        plsstrm(current);
        return luaL_error(L, "pl.sstrm: stream %d belongs to a gdlab figure: use 0, a stream made by pl.mkstrm "
                          "or an unused one", (int)s);
    }
    mark_script_stream(L, s);
    return 0;
}

/* pl.gdev() -> the current stream's device, "" before pl.sdev; inside fig:plplot the figure's, by the name
 * the script chose it by (a pscairo figure's PLplot stream says "extcairo": gdlab_plplot_device). */
static int l_gdev(lua_State *L)
{
    char buf[80] = "";
    lua_pushstring(L, gdlab_plplot_device(buf));
    return 1;
}

static int l_gstrm(lua_State *L)
{
    PLINT s;
    plgstrm(&s);
    lua_pushinteger(L, s);
    return 1;
}

static int l_mkstrm(lua_State *L)
{
    check_own_stream(L, "mkstrm");
    PLINT s = -1;
    PL_GUARD(L, "mkstrm", plmkstrm(&s));
    if (s < 0) return luaL_error(L, "pl.mkstrm: no free PLplot stream");
    mark_script_stream(L, s);
    lua_pushinteger(L, s);
    return 1;
}

static int l_ssub(lua_State *L)
{
    const PLINT nx = check_int(L, 1), ny = check_int(L, 2);
    luaL_argcheck(L, nx >= 1 && nx <= 64, 1, "1 to 64 subpages");
    luaL_argcheck(L, ny >= 1 && ny <= 64, 2, "1 to 64 subpages");
    check_own_stream(L, "ssub");
    PL_GUARD(L, "ssub", plssub(nx, ny));
    return 0;
}

static int l_adv(lua_State *L)
{
    const PLINT page = opt_int(L, 1, 0);
    luaL_argcheck(L, page >= 0 && page <= 64 * 64, 1, "subpage must be 0 to 4096");
    check_own_stream(L, "adv");
    PL_DRAW(L, "adv", 1, pladv(page));
    return 0;
}

static int l_bop(lua_State *L) { check_own_stream(L, "bop"); PL_DRAW(L, "bop", 1, plbop()); return 0; }
static int l_eop(lua_State *L) { check_own_stream(L, "eop"); PL_DRAW(L, "eop", 1, pleop()); return 0; }
static int l_clear(lua_State *L) { check_own_stream(L, "clear"); PL_DRAW(L, "clear", 1, plclear()); return 0; }

/* ------------------------------------------------------------------------------------------------
 * Viewports, windows, boxes, text.
 * ---------------------------------------------------------------------------------------------- */

static int l_vpor(lua_State *L)
{
    const PLFLT a = luaL_checknumber(L, 1), b = luaL_checknumber(L, 2), c = luaL_checknumber(L, 3), d = luaL_checknumber(L, 4);
    PL_DRAW(L, "vpor", 1, plvpor(a, b, c, d));
    return 0;
}

static int l_svpa(lua_State *L)
{
    const PLFLT a = luaL_checknumber(L, 1), b = luaL_checknumber(L, 2), c = luaL_checknumber(L, 3), d = luaL_checknumber(L, 4);
    PL_DRAW(L, "svpa", 1, plsvpa(a, b, c, d));
    return 0;
}

static int l_vsta(lua_State *L) { PL_DRAW(L, "vsta", 1, plvsta()); return 0; }

static int l_wind(lua_State *L)
{
    const PLFLT a = luaL_checknumber(L, 1), b = luaL_checknumber(L, 2), c = luaL_checknumber(L, 3), d = luaL_checknumber(L, 4);
    luaL_argcheck(L, a != b, 2, "xmin and xmax must differ");
    luaL_argcheck(L, c != d, 4, "ymin and ymax must differ");
    PL_DRAW(L, "wind", 2, plwind(a, b, c, d));
    return 0;
}

/* plenv starts a new page (pladv) before it sets up its box; a figure's file device keeps one page,
 * so inside fig:plplot it would leave the figure blank. also: another way out, or "". */
static void check_no_new_page(lua_State *L, const char *fn, const char *also)
{
    PLINT s;
    plgstrm(&s);
    if (!script_stream(L, s))
        luaL_error(L, "pl.%s: inside fig:plplot the page is the figure's, and pl.%s starts a new one (the figure "
                   "would come out blank): set the panel's window with pl.wind and draw its axes with pl.box%s",
                   fn, fn, also);
}

static int l_env(lua_State *L)
{
    const PLFLT a = luaL_checknumber(L, 1), b = luaL_checknumber(L, 2), c = luaL_checknumber(L, 3), d = luaL_checknumber(L, 4);
    const PLINT just = opt_int(L, 5, 0), axis = opt_int(L, 6, 0);
    /* plenv draws a box: axis 10-13 and 30-33 have a log x, 20-23 and 30-33 a log y */
    check_axis(L, "env", &(axis_walk){.name = "x", .lo = a, .hi = b, .log = axis / 10 == 1 || axis / 10 == 3});
    check_axis(L, "env", &(axis_walk){.name = "y", .lo = c, .hi = d, .log = axis / 10 == 2 || axis / 10 == 3});
    check_no_new_page(L, "env", "");
    PL_DRAW(L, "env", 1, plenv(a, b, c, d, just, axis));
    return 0;
}

static int push4(lua_State *L, PLFLT a, PLFLT b, PLFLT c, PLFLT d)
{
    lua_pushnumber(L, a), lua_pushnumber(L, b), lua_pushnumber(L, c), lua_pushnumber(L, d);
    return 4;
}

static int l_gvpd(lua_State *L) { PLFLT a, b, c, d; plgvpd(&a, &b, &c, &d); return push4(L, a, b, c, d); }
static int l_gvpw(lua_State *L) { PLFLT a, b, c, d; plgvpw(&a, &b, &c, &d); return push4(L, a, b, c, d); }
static int l_gspa(lua_State *L) { PLFLT a = 0, b = 0, c = 0, d = 0; PL_DRAW(L, "gspa", 1, plgspa(&a, &b, &c, &d)); return push4(L, a, b, c, d); }

static int l_box(lua_State *L)
{
    const char *xopt = luaL_checkstring(L, 1), *yopt = luaL_checkstring(L, 4);
    const PLFLT xtick = luaL_optnumber(L, 2, 0), ytick = luaL_optnumber(L, 5, 0);
    const PLINT nx = opt_int(L, 3, 0), ny = opt_int(L, 6, 0);
    need_level(L, "box", 3);
    PLFLT x0, x1, y0, y1;
    plgvpw(&x0, &x1, &y0, &y1); /* the window: the script's, or a figure's panel in fig:plplot */
    check_axis(L, "box", &(axis_walk){"x", x0, x1, log_option(xopt), xtick, nx, "xtick", "nxsub"});
    check_axis(L, "box", &(axis_walk){"y", y0, y1, log_option(yopt), ytick, ny, "ytick", "nysub"});
    if (unsafe_y_dates(xopt, yopt))
        return luaL_error(L, "pl.box: date labels on the y axis ('d' in \"%s\") need numeric labels on the x axis "
                          "too ('n' or 'm' with 't' in \"%s\"): PLplot 5.15 crashes without them", yopt, xopt);
    PL_DRAW(L, "box", 3, plbox(xopt, xtick, nx, yopt, ytick, ny));
    return 0;
}

static int l_box3(lua_State *L)
{
    const char *xo = luaL_checkstring(L, 1), *xl = luaL_checkstring(L, 2), *yo = luaL_checkstring(L, 5),
               *yl = luaL_checkstring(L, 6), *zo = luaL_checkstring(L, 9), *zl = luaL_checkstring(L, 10);
    const PLFLT xt = luaL_optnumber(L, 3, 0), yt = luaL_optnumber(L, 7, 0), zt = luaL_optnumber(L, 11, 0);
    const PLINT xn = opt_int(L, 4, 0), yn = opt_int(L, 8, 0), zn = opt_int(L, 12, 0);
    need_level(L, "box3", 3);
    double w[6];
    w3d_world(w);
    if (w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0)
        return luaL_error(L, "pl.box3: no 3-D world on this stream: call pl.w3d first");
    check_axis(L, "box3", &(axis_walk){"x", w[0], w[1], log_option(xo), xt, xn, "xtick", "nxsub"});
    check_axis(L, "box3", &(axis_walk){"y", w[2], w[3], log_option(yo), yt, yn, "ytick", "nysub"});
    check_axis(L, "box3", &(axis_walk){"z", w[4], w[5], log_option(zo), zt, zn, "ztick", "nzsub"});
    PL_DRAW(L, "box3", 3, plbox3(xo, xl, xt, xn, yo, yl, yt, yn, zo, zl, zt, zn));
    return 0;
}

static int l_lab(lua_State *L)
{
    const char *x = luaL_checkstring(L, 1), *y = luaL_checkstring(L, 2), *t = luaL_checkstring(L, 3);
    PL_DRAW(L, "lab", 2, pllab(x, y, t));
    return 0;
}

static int l_mtex(lua_State *L)
{
    const char *side = luaL_checkstring(L, 1), *text = luaL_checkstring(L, 5);
    const PLFLT disp = luaL_checknumber(L, 2), pos = luaL_checknumber(L, 3), just = luaL_checknumber(L, 4);
    PL_DRAW(L, "mtex", 2, plmtex(side, disp, pos, just, text));
    return 0;
}

static int l_ptex(lua_State *L)
{
    const PLFLT x = luaL_checknumber(L, 1), y = luaL_checknumber(L, 2), dx = luaL_checknumber(L, 3),
                dy = luaL_checknumber(L, 4), just = luaL_checknumber(L, 5);
    const char *text = luaL_checkstring(L, 6);
    PL_DRAW(L, "ptex", 3, plptex(x, y, dx, dy, just, text));
    return 0;
}

static int l_schr(lua_State *L)
{
    const PLFLT def = luaL_checknumber(L, 1), scale = luaL_optnumber(L, 2, 1.0);
    luaL_argcheck(L, def >= 0 && scale > 0, 1, "character height must be >= 0 and scale > 0");
    PL_GUARD(L, "schr", plschr(def, scale));
    return 0;
}

/* pl.sfont(family, style, weight) with names or PLplot's numbers: "sans"|"serif"|"mono"|"script"|
 * "symbol", "upright"|"italic"|"oblique", "medium"|"bold"; -1 or nil keeps the current one. */
static PLINT font_part(lua_State *L, int idx, const char *name, const char *const *names)
{
    if (lua_isnoneornil(L, idx)) return -1;
    PLINT n = 0;
    while (names[n]) n++;
    if (lua_type(L, idx) == LUA_TNUMBER) return (PLINT)lcheck_integer(L, idx, "pl.sfont", name, -1, n - 1);
    return (PLINT)lcheck_option(L, idx, "pl.sfont", name, NULL, names);
}

static int l_sfont(lua_State *L)
{
    static const char *const families[] = {"sans", "serif", "mono", "script", "symbol", NULL};
    static const char *const styles[] = {"upright", "italic", "oblique", NULL};
    static const char *const weights[] = {"medium", "bold", NULL};
    const PLINT f = font_part(L, 1, "family", families), s = font_part(L, 2, "style", styles),
                w = font_part(L, 3, "weight", weights);
    PL_GUARD(L, "sfont", plsfont(f, s, w));
    return 0;
}

/* ------------------------------------------------------------------------------------------------
 * Drawing.
 * ---------------------------------------------------------------------------------------------- */

static int l_line(lua_State *L)
{
    lua_settop(L, 2);
    PLFLT *x, *y;
    const PLINT n = check_xy(L, 1, &x, &y, "line");
    PL_DRAW(L, "line", 3, plline(n, x, y));
    return 0;
}

static int l_line3(lua_State *L)
{
    lua_settop(L, 3);
    PLFLT *x, *y, *z;
    PLINT n = check_xy(L, 1, &x, &y, "line3"), nz;
    z = check_vector(L, 3, &nz, "line3", "z");
    if (nz != n) return luaL_error(L, "pl.line3: z has %d values, x has %d", (int)nz, (int)n);
    PL_DRAW(L, "line3", 3, plline3(n, x, y, z));
    return 0;
}

static int l_join(lua_State *L)
{
    const PLFLT a = luaL_checknumber(L, 1), b = luaL_checknumber(L, 2), c = luaL_checknumber(L, 3), d = luaL_checknumber(L, 4);
    PL_DRAW(L, "join", 3, pljoin(a, b, c, d));
    return 0;
}

static int l_poin(lua_State *L)
{
    lua_settop(L, 3);
    PLFLT *x, *y;
    const PLINT n = check_xy(L, 1, &x, &y, "poin");
    const PLINT code = check_int(L, 3);
    luaL_argcheck(L, code >= -1 && code <= 3000, 3, "symbol code must be -1 to 3000");
    PL_DRAW(L, "poin", 3, plpoin(n, x, y, code));
    return 0;
}

static int l_string(lua_State *L)
{
    lua_settop(L, 3);
    PLFLT *x, *y;
    const PLINT n = check_xy(L, 1, &x, &y, "string");
    const char *s = luaL_checkstring(L, 3);
    PL_DRAW(L, "string", 3, plstring(n, x, y, s));
    return 0;
}

static int l_fill(lua_State *L)
{
    lua_settop(L, 2);
    PLFLT *x, *y;
    const PLINT n = check_xy(L, 1, &x, &y, "fill");
    if (n < 3) return luaL_error(L, "pl.fill: a polygon needs at least 3 points, got %d", (int)n);
    PL_DRAW(L, "fill", 3, plfill(n, x, y));
    return 0;
}

static int l_hist(lua_State *L)
{
    lua_settop(L, 5);
    PLINT n;
    PLFLT *data = check_vector(L, 1, &n, "hist", "data");
    const PLFLT lo = luaL_checknumber(L, 2), hi = luaL_checknumber(L, 3);
    const PLINT bins = check_int(L, 4), opt = opt_int(L, 5, 0);
    luaL_argcheck(L, hi > lo, 3, "max must exceed min");
    luaL_argcheck(L, bins >= 1 && bins <= 100000, 4, "1 to 100000 bins");
    if (!(opt & PL_HIST_NOSCALING)) { /* plhist calls plenv: x from lo to hi, y from 0 to the highest count */
        check_no_new_page(L, "hist", ", or give pl.hist the option PL_HIST_NOSCALING");
        check_axis(L, "hist", &(axis_walk){.name = "x", .lo = lo, .hi = hi});
        PLINT counted = 0; /* outliers count in the end bins unless ignored; PLplot's bin: (v - lo) / width, truncated */
        for (PLINT i = 0; i < n; i++) {
            const double bin = trunc((data[i] - lo) / ((hi - lo) / bins));
            counted += !(opt & PL_HIST_IGNORE_OUTLIERS) || (bin >= 0 && bin < bins);
        }
        if (counted == 0)
            return luaL_error(L, "pl.hist: no value of 'data' (%d values) falls in a bin: the y axis would run from 0 "
                              "to 0 (give values between min and max, or pl.PL_HIST_NOSCALING to draw in the current "
                              "window)", (int)n);
    }
    PL_DRAW(L, "hist", 1, plhist(n, data, lo, hi, bins, opt));
    return 0;
}

static int l_width(lua_State *L)
{
    const PLFLT w = luaL_checknumber(L, 1);
    luaL_argcheck(L, w >= 0 && w <= 100, 1, "width must be 0 to 100");
    PL_DRAW(L, "width", 1, plwidth(w));
    return 0;
}

static int l_lsty(lua_State *L)
{
    const PLINT s = check_int(L, 1);
    luaL_argcheck(L, s >= 1 && s <= 8, 1, "line style must be 1 to 8");
    PL_DRAW(L, "lsty", 1, pllsty(s));
    return 0;
}

static int l_styl(lua_State *L)
{
    lua_settop(L, 2);
    PLINT nm, ns;
    PLINT *mark = check_ivector(L, 1, &nm, "styl", "mark"), *space = check_ivector(L, 2, &ns, "styl", "space");
    if (nm != ns || nm > 10) return luaL_error(L, "pl.styl: mark and space need the same length, at most 10");
    PL_DRAW(L, "styl", 1, plstyl(nm, mark, space));
    return 0;
}

/* ------------------------------------------------------------------------------------------------
 * Colours.
 * ---------------------------------------------------------------------------------------------- */

static int l_col0(lua_State *L)
{
    const PLINT i = check_int(L, 1);
    PL_DRAW(L, "col0", 1, plcol0(i));
    return 0;
}

static int l_col1(lua_State *L)
{
    const PLFLT v = luaL_checknumber(L, 1);
    luaL_argcheck(L, v >= 0 && v <= 1, 1, "cmap1 position must be 0 to 1");
    PL_DRAW(L, "col1", 1, plcol1(v));
    return 0;
}

static int l_scol0(lua_State *L)
{
    const PLINT i = check_int(L, 1), r = check_rgb(L, 2), g = check_rgb(L, 3), b = check_rgb(L, 4);
    const PLFLT a = luaL_optnumber(L, 5, 1.0);
    luaL_argcheck(L, a >= 0 && a <= 1, 5, "alpha must be 0 to 1");
    PL_GUARD(L, "scol0", plscol0a(i, r, g, b, a));
    return 0;
}

static int l_scolbg(lua_State *L)
{
    const PLINT r = check_rgb(L, 1), g = check_rgb(L, 2), b = check_rgb(L, 3);
    PL_GUARD(L, "scolbg", plscolbg(r, g, b));
    return 0;
}

static int l_scmap0n(lua_State *L)
{
    const PLINT n = check_int(L, 1);
    luaL_argcheck(L, n >= 1 && n <= 256, 1, "1 to 256 colours");
    PL_GUARD(L, "scmap0n", plscmap0n(n));
    return 0;
}

static int l_scmap1n(lua_State *L)
{
    const PLINT n = check_int(L, 1);
    luaL_argcheck(L, n >= 2 && n <= 4096, 1, "2 to 4096 colours");
    PL_GUARD(L, "scmap1n", plscmap1n(n));
    return 0;
}

/* pl.scmap0(r, g, b) / pl.scmap1(r, g, b): arrays of 0..255 components. */
static int set_cmap(lua_State *L, int which)
{
    lua_settop(L, 3);
    const char *fn = which ? "scmap1" : "scmap0";
    PLINT nr, ng, nb;
    PLINT *r = check_ivector(L, 1, &nr, fn, "r"), *g = check_ivector(L, 2, &ng, fn, "g"), *b = check_ivector(L, 3, &nb, fn, "b");
    if (nr != ng || nr != nb || nr < 1) return luaL_error(L, "pl.%s: r, g and b need the same, non-zero length", fn);
    for (PLINT i = 0; i < nr; i++)
        if (r[i] < 0 || r[i] > 255 || g[i] < 0 || g[i] > 255 || b[i] < 0 || b[i] > 255)
            return luaL_error(L, "pl.%s: colour %d has a component outside 0..255", fn, (int)i + 1);
    if (which)
        PL_GUARD(L, fn, plscmap1(r, g, b, nr));
    else
        PL_GUARD(L, fn, plscmap0(r, g, b, nr));
    return 0;
}

static int l_scmap0(lua_State *L) { return set_cmap(L, 0); }
static int l_scmap1(lua_State *L) { return set_cmap(L, 1); }

/* pl.scmap1l(rgb, pos, c1, c2, c3 [, alt_hue_path]) */
static int l_scmap1l(lua_State *L)
{
    lua_settop(L, 6);
    const PLINT rgb = lua_toboolean(L, 1);
    PLINT n, n1, n2, n3;
    PLFLT *pos = check_vector(L, 2, &n, "scmap1l", "pos"), *c1 = check_vector(L, 3, &n1, "scmap1l", "c1"),
          *c2 = check_vector(L, 4, &n2, "scmap1l", "c2"), *c3 = check_vector(L, 5, &n3, "scmap1l", "c3");
    if (n < 2 || n1 != n || n2 != n || n3 != n) return luaL_error(L, "pl.scmap1l: pos, c1, c2, c3 need the same length (>= 2)");
    PLINT *alt = NULL;
    if (!lua_isnoneornil(L, 6)) {
        PLINT na;
        alt = check_ivector(L, 6, &na, "scmap1l", "alt_hue_path");
        if (na != n - 1) return luaL_error(L, "pl.scmap1l: alt_hue_path needs %d values", (int)n - 1);
    }
    PL_GUARD(L, "scmap1l", plscmap1l(rgb, n, pos, c1, c2, c3, alt));
    return 0;
}

/* pl.colormap(name): gdlab's perceptual maps (viridis, plasma, ...) as cmap1. */
static int l_colormap(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    char err[GDLAB_ERRLEN];
    if (gdlab_colormap_check(name, err, sizeof err)) return luaL_error(L, "pl.colormap: %s", err);
    PLINT r[256], g[256], b[256];
    for (int i = 0; i < 256; i++) {
        const gdlab_rgba c = gdlab_colormap_at(name, i / 255.0);
        r[i] = c.r, g[i] = c.g, b[i] = c.b;
    }
    PL_GUARD(L, "colormap", plscmap1(r, g, b, 256));
    return 0;
}

/* ------------------------------------------------------------------------------------------------
 * Contours, shades, images, 3-D.
 * ---------------------------------------------------------------------------------------------- */

/* Optional grid coordinates xg (nx) and yg (ny) at idx, idx + 1: pltr1; else grid indices. */
typedef struct grid_tr {
    PLcGrid cg;
    int given;
} grid_tr;

static void check_grid(lua_State *L, int idx, PLINT nx, PLINT ny, grid_tr *g, const char *fn)
{
    g->given = !lua_isnoneornil(L, idx);
    if (!g->given) return;
    PLINT n1, n2;
    g->cg.xg = check_vector(L, idx, &n1, fn, "xg");
    g->cg.yg = check_vector(L, idx + 1, &n2, fn, "yg");
    if (n1 != nx || n2 != ny) luaL_error(L, "pl.%s: xg needs %d values and yg %d (one per row and column of z)", fn, (int)nx, (int)ny);
    g->cg.nx = nx, g->cg.ny = ny, g->cg.zg = NULL, g->cg.nz = 0;
}

/* pl.cont(z, clevel [, xg, yg]): all of z. */
static int l_cont(lua_State *L)
{
    lua_settop(L, 4);
    PLINT nx, ny, nl;
    PLFLT **z = check_matrix(L, 1, &nx, &ny, "cont", "z");
    PLFLT *lev = check_vector(L, 2, &nl, "cont", "clevel");
    grid_tr g;
    check_grid(L, 3, nx, ny, &g, "cont");
    if (nx < 2 || ny < 2) return luaL_error(L, "pl.cont: z must be at least 2 x 2");
    PL_DRAW(L, "cont", 3, plcont((PLFLT_MATRIX)z, nx, ny, 1, nx, 1, ny, lev, nl, g.given ? pltr1 : pltr0, g.given ? (PLPointer)&g.cg : NULL));
    return 0;
}

/* pl.shades(z, xmin, xmax, ymin, ymax, clevel [, fill_width, cont_color, cont_width [, xg, yg]]) */
static int l_shades(lua_State *L)
{
    lua_settop(L, 11);
    PLINT nx, ny, nl;
    PLFLT **z = check_matrix(L, 1, &nx, &ny, "shades", "z");
    const PLFLT x0 = luaL_checknumber(L, 2), x1 = luaL_checknumber(L, 3), y0 = luaL_checknumber(L, 4), y1 = luaL_checknumber(L, 5);
    PLFLT *lev = check_vector(L, 6, &nl, "shades", "clevel");
    const PLFLT fw = luaL_optnumber(L, 7, 1), cw = luaL_optnumber(L, 9, 0);
    const PLINT cc = opt_int(L, 8, 0);
    grid_tr g;
    check_grid(L, 10, nx, ny, &g, "shades");
    if (nl < 2) return luaL_error(L, "pl.shades: clevel needs at least 2 values");
    PL_DRAW(L, "shades", 3, plshades((PLFLT_MATRIX)z, nx, ny, NULL, x0, x1, y0, y1, lev, nl, fw, cc, cw, plfill, !g.given, g.given ? pltr1 : NULL, g.given ? (PLPointer)&g.cg : NULL));
    return 0;
}

/* pl.image(z, xmin, xmax, ymin, ymax, zmin, zmax [, Dxmin, Dxmax, Dymin, Dymax]) */
static int l_image(lua_State *L)
{
    lua_settop(L, 11);
    PLINT nx, ny;
    PLFLT **z = check_matrix(L, 1, &nx, &ny, "image", "z");
    PLFLT a[10];
    for (int i = 0; i < 6; i++) a[i] = luaL_checknumber(L, i + 2);
    for (int i = 6; i < 10; i++) a[i] = luaL_optnumber(L, i + 2, a[i - 6]);
    PL_DRAW(L, "image", 3, plimage((PLFLT_MATRIX)z, nx, ny, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]));
    return 0;
}

static int l_w3d(lua_State *L)
{
    PLFLT a[11];
    for (int i = 0; i < 11; i++) a[i] = luaL_checknumber(L, i + 1);
    luaL_argcheck(L, a[4] != a[3] && a[6] != a[5] && a[8] != a[7], 4, "each range must have min != max");
    PL_DRAW(L, "w3d", 3, plw3d(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]));
    return 0;
}

/* x (nx), y (ny), z (nx rows of ny) for the 3-D calls. */
static PLFLT **check_xyz(lua_State *L, PLFLT **x, PLFLT **y, PLINT *nx, PLINT *ny, const char *fn)
{
    PLINT n1, n2;
    *x = check_vector(L, 1, &n1, fn, "x");
    *y = check_vector(L, 2, &n2, fn, "y");
    PLFLT **z = check_matrix(L, 3, nx, ny, fn, "z");
    if (n1 != *nx || n2 != *ny) luaL_error(L, "pl.%s: z is %d x %d but x has %d and y %d values", fn, (int)*nx, (int)*ny, (int)n1, (int)n2);
    return z;
}

static int l_plot3d(lua_State *L)
{
    lua_settop(L, 5);
    PLFLT *x, *y;
    PLINT nx, ny;
    PLFLT **z = check_xyz(L, &x, &y, &nx, &ny, "plot3d");
    const PLINT opt = check_int(L, 4), side = lua_toboolean(L, 5);
    PL_DRAW(L, "plot3d", 3, plot3d(x, y, (PLFLT_MATRIX)z, nx, ny, opt, side));
    return 0;
}

static int l_mesh(lua_State *L)
{
    lua_settop(L, 4);
    PLFLT *x, *y;
    PLINT nx, ny;
    PLFLT **z = check_xyz(L, &x, &y, &nx, &ny, "mesh");
    const PLINT opt = check_int(L, 4);
    PL_DRAW(L, "mesh", 3, plmesh(x, y, (PLFLT_MATRIX)z, nx, ny, opt));
    return 0;
}

static int l_surf3d(lua_State *L)
{
    lua_settop(L, 5);
    PLFLT *x, *y;
    PLINT nx, ny, nl = 0;
    PLFLT **z = check_xyz(L, &x, &y, &nx, &ny, "surf3d");
    const PLINT opt = check_int(L, 4);
    PLFLT *lev = lua_isnoneornil(L, 5) ? NULL : check_vector(L, 5, &nl, "surf3d", "clevel");
    PL_DRAW(L, "surf3d", 3, plsurf3d(x, y, (PLFLT_MATRIX)z, nx, ny, opt, lev, nl));
    return 0;
}

/* ------------------------------------------------------------------------------------------------
 * Legends and colour bars, with table arguments (PLplot's C calls take 30 arrays).
 * ---------------------------------------------------------------------------------------------- */

/* Options of the table arguments: finite numbers; integers in PLplot's range (or tighter); strings,
 * left on the stack (an __index may have made them). */
static double tnum(lua_State *L, const char *fn, int t, const char *k, double def)
{
    return lcheck_opt_number(L, t, k, def, -1e9, 1e9, fn);
}

#define ANY_PLINT -2147483647, 2147483647
static PLINT tint(lua_State *L, const char *fn, int t, const char *k, PLINT def, PLINT lo, PLINT hi)
{
    return (PLINT)lcheck_opt_integer(L, t, k, def, lo, hi, fn);
}

static const char *tstr(lua_State *L, const char *fn, int t, const char *k, const char *def)
{
    luaL_checkstack(L, 2, fn);
    if (lua_getfield(L, t, k) == LUA_TSTRING) return lua_tostring(L, -1);
    if (!lua_isnil(L, -1)) luaL_error(L, "%s: '%s' must be a string, got %s", fn, k, luaL_typename(L, -1));
    lua_pop(L, 1);
    return def;
}

/* pl.legend{opt, position, x, y, plot_width, bg_color, bb_color, bb_style, nrow, ncolumn,
 *   text_offset, text_scale, text_spacing, text_justification,
 *   entries = {{type = opt bits, text, text_color, box_color, box_pattern, box_scale, box_line_width,
 *               line_color, line_style, line_width, symbol_color, symbol_scale, symbol_number, symbol}}}
 * -> width, height */
static int l_legend(lua_State *L)
{
    const char *fn = "pl.legend";
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_getfield(L, 1, "entries");
    const int et = lua_gettop(L);
    const PLINT n = (PLINT)lcheck_length(L, et, fn, "entries", 1, 256);
    luaL_checkstack(L, 2 * n + 16, fn); /* the strings of the entries stay on the stack */
    PLINT *ints = lua_newuserdatauv(L, 8 * (size_t)n * sizeof *ints, 0);
    PLFLT *flts = lua_newuserdatauv(L, 5 * (size_t)n * sizeof *flts, 0);
    const char **strs = lua_newuserdatauv(L, 2 * (size_t)n * sizeof *strs, 0);
    PLINT *opts = ints, *tcol = ints + n, *bcol = ints + 2 * n, *bpat = ints + 3 * n, *lcol = ints + 4 * n,
          *lsty = ints + 5 * n, *scol = ints + 6 * n, *snum = ints + 7 * n;
    PLFLT *bscale = flts, *bw = flts + n, *lw = flts + 2 * n, *sscale = flts + 3 * n;
    const char **text = strs, **sym = strs + n;
    for (PLINT i = 0; i < n; i++) {
        lua_geti(L, et, i + 1);
        const int e = lua_gettop(L);
        if (!lua_istable(L, e)) return luaL_error(L, "pl.legend: entries[%d] must be a table", (int)i + 1);
        opts[i] = tint(L, fn, e, "type", PL_LEGEND_LINE, ANY_PLINT);
        text[i] = tstr(L, fn, e, "text", "");
        tcol[i] = tint(L, fn, e, "text_color", 1, ANY_PLINT);
        bcol[i] = tint(L, fn, e, "box_color", 1, ANY_PLINT), bpat[i] = tint(L, fn, e, "box_pattern", 0, ANY_PLINT);
        bscale[i] = tnum(L, fn, e, "box_scale", 1), bw[i] = tnum(L, fn, e, "box_line_width", 1);
        lcol[i] = tint(L, fn, e, "line_color", 1, ANY_PLINT), lsty[i] = tint(L, fn, e, "line_style", 1, 1, 8);
        lw[i] = tnum(L, fn, e, "line_width", 1);
        scol[i] = tint(L, fn, e, "symbol_color", 1, ANY_PLINT), sscale[i] = tnum(L, fn, e, "symbol_scale", 1);
        snum[i] = tint(L, fn, e, "symbol_number", 3, 0, 100), sym[i] = tstr(L, fn, e, "symbol", "*");
        lua_pop(L, 1);
    }
    PLFLT w = 0, h = 0;
    const PLINT opt = tint(L, fn, 1, "opt", PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX, ANY_PLINT);
    const PLINT pos = tint(L, fn, 1, "position", PL_POSITION_RIGHT | PL_POSITION_TOP | PL_POSITION_INSIDE, ANY_PLINT);
    const PLFLT x = tnum(L, fn, 1, "x", 0.02), y = tnum(L, fn, 1, "y", 0.02), pw = tnum(L, fn, 1, "plot_width", 0.1);
    const PLINT bg = tint(L, fn, 1, "bg_color", 0, ANY_PLINT), bb = tint(L, fn, 1, "bb_color", 1, ANY_PLINT), bbs = tint(L, fn, 1, "bb_style", 1, ANY_PLINT);
    const PLINT nrow = tint(L, fn, 1, "nrow", 0, 0, 256), ncol = tint(L, fn, 1, "ncolumn", 0, 0, 256);
    const PLFLT toff = tnum(L, fn, 1, "text_offset", 1), tsc = tnum(L, fn, 1, "text_scale", 1),
                tsp = tnum(L, fn, 1, "text_spacing", 2), tj = tnum(L, fn, 1, "text_justification", 0);
    PL_DRAW(L, "legend", 3,
             pllegend(&w, &h, opt, pos, x, y, pw, bg, bb, bbs, nrow, ncol, n, opts, toff, tsc, tsp, tj, tcol,
                      text, bcol, bpat, bscale, bw, lcol, lsty, lw, scol, sscale, snum, sym));
    lua_pushnumber(L, w);
    lua_pushnumber(L, h);
    return 2;
}

/* Is the colour bar upright (its values along y)? PLplot's rule: the first orientation bit set among
 * RIGHT, TOP, LEFT, BOTTOM; with none, upright when placed left or right (the default). */
static int colorbar_vertical(PLINT opt, PLINT pos)
{
    if (opt & PL_COLORBAR_ORIENT_RIGHT) return 0;
    if (opt & PL_COLORBAR_ORIENT_TOP) return 1;
    if (opt & PL_COLORBAR_ORIENT_LEFT) return 0;
    if (opt & PL_COLORBAR_ORIENT_BOTTOM) return 1;
    return (pos & (PL_POSITION_LEFT | PL_POSITION_RIGHT)) || !(pos & (PL_POSITION_TOP | PL_POSITION_BOTTOM));
}

/* pl.colorbar{opt, position, x, y, x_length, y_length, bg_color, bb_color, bb_style, low_cap_color,
 *   high_cap_color, cont_color, cont_width, label = "..", label_opt, axis_opt = "bcvtm", tick, nsub,
 *   values = {...}} (one colour-bar segment) -> width, height */
static int l_colorbar(lua_State *L)
{
    const char *fn = "pl.colorbar";
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "values");
    PLINT nv;
    PLFLT *values = check_vector(L, lua_gettop(L), &nv, "colorbar", "values");
    if (nv < 2) return luaL_error(L, "pl.colorbar: values needs at least 2 numbers");
    const PLINT opt = tint(L, fn, 1, "opt", PL_COLORBAR_SHADE | PL_COLORBAR_LABEL_RIGHT, ANY_PLINT);
    const PLINT pos = tint(L, fn, 1, "position", PL_POSITION_RIGHT | PL_POSITION_OUTSIDE, ANY_PLINT);
    const PLFLT x = tnum(L, fn, 1, "x", 0.02), y = tnum(L, fn, 1, "y", 0), xl = tnum(L, fn, 1, "x_length", 0.04), yl = tnum(L, fn, 1, "y_length", 0.8);
    const PLINT bg = tint(L, fn, 1, "bg_color", 0, ANY_PLINT), bb = tint(L, fn, 1, "bb_color", 1, ANY_PLINT), bbs = tint(L, fn, 1, "bb_style", 1, ANY_PLINT);
    const PLFLT lo = tnum(L, fn, 1, "low_cap_color", 0), hi = tnum(L, fn, 1, "high_cap_color", 1);
    const PLINT cc = tint(L, fn, 1, "cont_color", 0, ANY_PLINT);
    const PLFLT cw = tnum(L, fn, 1, "cont_width", 0);
    PLINT label_opt = tint(L, fn, 1, "label_opt", PL_COLORBAR_LABEL_RIGHT, ANY_PLINT);
    const char *label = tstr(L, fn, 1, "label", "");
    const char *axis = tstr(L, fn, 1, "axis_opt", "bcvtm");
    PLFLT tick = tnum(L, fn, 1, "tick", 0);
    PLINT nsub = tint(L, fn, 1, "nsub", 0, ANY_PLINT);
    /* PLplot takes the bar's range from the first and the last value and walks it as an axis; it
     * shades between consecutive values, each pair rising (plshades) */
    check_axis(L, "colorbar", &(axis_walk){"values", values[0], values[nv - 1], log_option(axis), tick, nsub, "tick", "nsub"});
    if (colorbar_vertical(opt, pos) && unsafe_y_dates("", axis)) /* a vertical bar's values are its y axis */
        return luaL_error(L, "pl.colorbar: date labels ('d' in axis_opt \"%s\") on a vertical colour bar crash "
                          "PLplot 5.15: put the bar at the top or bottom, or leave out the 'd'", axis);
    for (PLINT i = 1; i < nv; i++)
        if (!(values[i] > values[i - 1])) {
            char msg[GDLAB_ERRLEN], a[32], b[32];
            snprintf(msg, sizeof msg, "pl.colorbar: 'values' must increase, but values[%d] = %s and values[%d] = %s",
                     (int)i, lcheck_number_text(values[i - 1], a, sizeof a), (int)i + 1,
                     lcheck_number_text(values[i], b, sizeof b));
            return luaL_error(L, "%s", msg);
        }
    const PLFLT *vals[1] = {values};
    PLFLT w = 0, h = 0;
    PL_DRAW(L, "colorbar", 3,
             plcolorbar(&w, &h, opt, pos, x, y, xl, yl, bg, bb, bbs, lo, hi, cc, cw, 1, &label_opt, &label,
                        1, &axis, &tick, &nsub, &nv, vals));
    lua_pushnumber(L, w);
    lua_pushnumber(L, h);
    return 2;
}

/* ------------------------------------------------------------------------------------------------
 * The module.
 * ---------------------------------------------------------------------------------------------- */

static int l_gver(lua_State *L)
{
    char v[80] = "";
    plgver(v);
    lua_pushstring(L, v);
    return 1;
}

static int l_devices(lua_State *L)
{
    const size_t n = gdlab_device_count();
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushstring(L, gdlab_device_at(i)->name);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static const luaL_Reg functions[] = {
    {"sdev", l_sdev},       {"sfnam", l_sfnam},     {"sfam", l_sfam},       {"spage", l_spage},
    {"init", l_init},       {"plend", l_plend},     {"plend1", l_plend1},   {"sstrm", l_sstrm},
    {"gstrm", l_gstrm},     {"mkstrm", l_mkstrm},   {"ssub", l_ssub},       {"adv", l_adv},
    {"bop", l_bop},         {"eop", l_eop},         {"clear", l_clear},     {"vpor", l_vpor},
    {"svpa", l_svpa},       {"vsta", l_vsta},       {"wind", l_wind},       {"env", l_env},
    {"gvpd", l_gvpd},       {"gvpw", l_gvpw},       {"gspa", l_gspa},       {"box", l_box},
    {"box3", l_box3},       {"lab", l_lab},         {"mtex", l_mtex},       {"ptex", l_ptex},
    {"schr", l_schr},       {"sfont", l_sfont},     {"line", l_line},       {"line3", l_line3},
    {"join", l_join},       {"poin", l_poin},       {"string", l_string},   {"fill", l_fill},
    {"hist", l_hist},       {"width", l_width},     {"lsty", l_lsty},       {"styl", l_styl},
    {"col0", l_col0},       {"col1", l_col1},       {"scol0", l_scol0},     {"scolbg", l_scolbg},
    {"scmap0n", l_scmap0n}, {"scmap1n", l_scmap1n}, {"scmap0", l_scmap0},   {"scmap1", l_scmap1},
    {"scmap1l", l_scmap1l}, {"colormap", l_colormap}, {"cont", l_cont},     {"shades", l_shades},
    {"image", l_image},     {"w3d", l_w3d},         {"plot3d", l_plot3d},   {"mesh", l_mesh},
    {"surf3d", l_surf3d},   {"legend", l_legend},   {"colorbar", l_colorbar}, {"gver", l_gver},
    {"gdev", l_gdev},       {"devices", l_devices}, {NULL, NULL},
};

static const struct constant {
    const char *name;
    lua_Integer value;
} constants[] = {
    {"DRAW_LINEX", DRAW_LINEX},         {"DRAW_LINEY", DRAW_LINEY},
    {"DRAW_LINEXY", DRAW_LINEXY},       {"MAG_COLOR", MAG_COLOR},
    {"BASE_CONT", BASE_CONT},           {"TOP_CONT", TOP_CONT},
    {"SURF_CONT", SURF_CONT},           {"DRAW_SIDES", DRAW_SIDES},
    {"FACETED", FACETED},               {"MESH", MESH},
    {"PL_LEGEND_NONE", PL_LEGEND_NONE}, {"PL_LEGEND_COLOR_BOX", PL_LEGEND_COLOR_BOX},
    {"PL_LEGEND_LINE", PL_LEGEND_LINE}, {"PL_LEGEND_SYMBOL", PL_LEGEND_SYMBOL},
    {"PL_LEGEND_TEXT_LEFT", PL_LEGEND_TEXT_LEFT}, {"PL_LEGEND_BACKGROUND", PL_LEGEND_BACKGROUND},
    {"PL_LEGEND_BOUNDING_BOX", PL_LEGEND_BOUNDING_BOX}, {"PL_LEGEND_ROW_MAJOR", PL_LEGEND_ROW_MAJOR},
    {"PL_POSITION_LEFT", PL_POSITION_LEFT}, {"PL_POSITION_RIGHT", PL_POSITION_RIGHT},
    {"PL_POSITION_TOP", PL_POSITION_TOP}, {"PL_POSITION_BOTTOM", PL_POSITION_BOTTOM},
    {"PL_POSITION_INSIDE", PL_POSITION_INSIDE}, {"PL_POSITION_OUTSIDE", PL_POSITION_OUTSIDE},
    {"PL_POSITION_VIEWPORT", PL_POSITION_VIEWPORT}, {"PL_POSITION_SUBPAGE", PL_POSITION_SUBPAGE},
    {"PL_COLORBAR_LABEL_LEFT", PL_COLORBAR_LABEL_LEFT}, {"PL_COLORBAR_LABEL_RIGHT", PL_COLORBAR_LABEL_RIGHT},
    {"PL_COLORBAR_LABEL_TOP", PL_COLORBAR_LABEL_TOP}, {"PL_COLORBAR_LABEL_BOTTOM", PL_COLORBAR_LABEL_BOTTOM},
    {"PL_COLORBAR_IMAGE", PL_COLORBAR_IMAGE}, {"PL_COLORBAR_SHADE", PL_COLORBAR_SHADE},
    {"PL_COLORBAR_GRADIENT", PL_COLORBAR_GRADIENT}, {"PL_COLORBAR_SHADE_LABEL", PL_COLORBAR_SHADE_LABEL},
    {"PL_HIST_DEFAULT", PL_HIST_DEFAULT}, {"PL_HIST_NOSCALING", PL_HIST_NOSCALING},
    {"PL_HIST_IGNORE_OUTLIERS", PL_HIST_IGNORE_OUTLIERS}, {"PL_HIST_NOEXPAND", PL_HIST_NOEXPAND},
    {"PL_HIST_NOEMPTY", PL_HIST_NOEMPTY},
};

int luaopen_plplot(lua_State *L)
{
    luaL_newlibtable(L, functions);
    lua_newtable(L); /* per-stream notes, shared by all functions */
    luaL_setfuncs(L, functions, 1);
    for (size_t i = 0; i < sizeof constants / sizeof constants[0]; i++) {
        lua_pushinteger(L, constants[i].value);
        lua_setfield(L, -2, constants[i].name);
    }
    return 1;
}
