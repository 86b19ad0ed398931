/* SPDX-License-Identifier: MIT */
/* lfigure.h — what the files of the Lua figure binding share. Not a public header.
 *
 * lfigure.c (gd.figure and gd.book objects, gd.devices, fig:plplot, registration), lfigure_args.c (the
 * argument readers below), and one file per group of figure kinds, each exporting its methods table:
 * lfigure_maps.c (contour, heatmap, surface3d), lfigure_curves.c (loss, lines, curve, bars),
 * lfigure_text.c (text, annotate); lfigure_anim.c (gd.animation: figures as the frames of a GIF).
 *
 * The readers raise Lua errors naming `what` (the method, "fig:contour") and the option. Arrays they
 * read are copied into userdata pushed on the Lua stack, so an error leaks nothing and the arrays live
 * until the method returns. */
#ifndef LFIGURE_H
#define LFIGURE_H

#include <lauxlib.h>
#include <lua.h>

#include "gdlab/figure.h"
#include "lgdlab.h"

#define LFIGURE_MT "gdlab.figure"
#define LFIGURE_MAX_ITEMS 64 /* runs or series in one panel */
#define LFIGURE_MAX_TICKS 64 /* given ticks on an axis */

/* Figure userdata: fig is NULL once closed. A frame of an animation (lfigure_anim.c) has anim set:
 * the animation owns fig, and clears fig when it ends the frame, so a frame with fig set always
 * belongs to a live animation. User value 1 keeps alive what fig draws into: the animation of a
 * frame, the book of a page.
 * While a method draws on it (uses > 0, `user` names the method) the figure is in use: its
 * callbacks and the metamethods of its arguments may run any Lua code, and closing or drawing on
 * the same figure from there is refused (lfig_use). */
typedef struct lfigure {
    gdlab_figure *fig;
    gdlab_animation *anim;
    int uses;
    const char *user;
    char path[1024];
} lfigure;

/* Push a new, closed figure userdata (fig NULL), with room for its user value. */
lfigure *lfig_new(lua_State *L);
/* The open figure at idx for the method what, marked in use until the method returns (pushes a
 * guard, lgdlab_hold). Raises if it is closed or already in use by another method. */
lfigure *lfig_use(lua_State *L, int idx, const char *what);
/* Raise if the figure userdata at idx (if it is one and open) is in use: what cannot close it. */
void lfig_check_idle(lua_State *L, int idx, const char *what);
/* Raise unless the argument at idx is the options table of the method what. */
void lfig_check_options(lua_State *L, int idx, const char *what);
/* What every drawing method starts with: fig:kind{...} — the figure at 1, its options table at 2
 * checked against keys, and the panel and axes options (panel, title, xlabel, ylabel, xlim, ylim, xlog,
 * ylog, grid, equal, legend) read into a. */
lfigure *lfig_begin(lua_State *L, const char *what, const char *const *keys, gdlab_axes *a);

/* Unknown keys of argument tables: lgdlab_check_keys (lgdlab.h), as everywhere in the module.
 * Numbers, counts and arrays: the checked readers of lcheck.h. */
/* Push t[key]; returns its type. */
int lfig_field(lua_State *L, int t, const char *key);
/* A finite number option (sizes, widths, angles ...). */
double lfig_opt_number(lua_State *L, int t, const char *key, double def, const char *what);
int lfig_opt_bool(lua_State *L, int t, const char *key, int def);
/* A string option. The string is left on the stack (an __index may have made it: nothing else
 * would keep it alive); nothing is pushed when the option is absent. */
const char *lfig_opt_string(lua_State *L, int t, const char *key, const char *def, const char *what);
void lfig_parse_color(lua_State *L, const char *text, gdlab_rgba *c, const char *what, const char *key);
/* An optional colour; returns 1 when given. */
int lfig_opt_color(lua_State *L, int t, const char *key, gdlab_rgba *c, const char *what);
/* The array of numbers at idx (a table, anything with __len/__index, a run's packed array),
 * copied into a buffer pushed on the stack (lcheck_numbers; packed arrays without Lua calls). */
double *lfig_to_numbers(lua_State *L, int idx, size_t *n, const char *what, const char *key);
/* n strings of the array at idx into a buffer pushed on the stack, with a table keeping them alive. */
const char **lfig_read_labels(lua_State *L, int idx, size_t n, const char *what, const char *key);
/* {lo, hi} into lim[0], lim[1] (NaN when absent). */
void lfig_opt_range(lua_State *L, int t, const char *key, double lim[2], const char *what);
gdlab_marker lfig_read_marker(lua_State *L, const char *text, const char *what);
/* Raise "what: err". */
int lfig_fail(lua_State *L, const char *what, const char *err);

/* panel = n or {row, col, rows = r, cols = c}. */
gdlab_panel lfig_read_panel(lua_State *L, int t, const gdlab_figure *fig, const char *what);
/* xticks = {values} or {values, labels = {...}} */
void lfig_read_xticks(lua_State *L, int t, gdlab_axes *a, const char *what);
/* levels, nlevels, lo, hi. */
void lfig_read_levels(lua_State *L, int t, gdlab_levels *lv, const char *what);

/* How the runs option is read (see lfig_read_runs). */
typedef struct run_options {
    const char *key;       /* NULL: trajectories; else "loss", "grad_norm", "lr" ... against step */
    double width, marker_size, marker_alpha;
    gdlab_marker marker;
    size_t max_steps;      /* 0: all */
} run_options;
/* The runs option: gd.run results or {run, color =, label =, width =, marker =, steps =, highlight =}
 * specs, into series[0..n) (at most LFIGURE_MAX_ITEMS); highlight labels are added to extra.
 * Returns n. */
size_t lfig_read_runs(lua_State *L, int t, const gdlab_figure *fig, const run_options *o,
                      gdlab_series *series, gdlab_legend_entry *extra, size_t *n_extra, const char *what);
/* Start and end markers of the runs (and their legend rows in extra). Returns the count. */
size_t lfig_run_marks(const gdlab_figure *fig, const gdlab_series *s, size_t n, gdlab_point_mark *m,
                      gdlab_legend_entry *extra, size_t *n_extra);
/* series = {{x =, y =, label =, ...}, ...}. Returns the count. */
size_t lfig_read_series(lua_State *L, int t, const gdlab_figure *fig, gdlab_series *out, const char *what);
/* Reference lines at t[key]: a number, {value, label = ...} or a list of those. */
size_t lfig_read_reflines(lua_State *L, int t, const char *key, int vertical, gdlab_refline *out,
                          size_t cap, const char *what);

/* Where output goes: gd.output (the module table is upvalue 1 of the calling function). A device or
 * folder chosen on the gdlab command line (-dev, -o) is fixed: it wins over the script's own choice. */
typedef struct lfig_output {
    const char *device, *dir;
    int device_fixed, dir_fixed;
} lfig_output;
void lfig_output_defaults(lua_State *L, lfig_output *out);
/* The device: t.device unless the command line fixed one. */
const char *lfig_output_device(lua_State *L, int t, const lfig_output *out, const char *what);
/* The file named by t.name (default name_default; in dir, created, with the extension) or t.file
 * (moved into dir, with the extension, when the command line fixed the folder; given the extension
 * when it fixed the device; an error when it ends in another device's extension). */
void lfig_output_path(lua_State *L, int t, const char *name_default, const char *extension,
                      const lfig_output *out, char *path, size_t cap, const char *what);
/* What gd.figure and gd.animation share: size, scale, layout, title, theme, colormap. */
void lfig_read_page(lua_State *L, int t, gdlab_figure_config *cfg, const char *what);

/* gd.animation: its metatable and the module function (the module table at index module). */
void lfig_open_animation(lua_State *L, int module);

/* The figure methods of each group, {NULL, NULL}-terminated; registered with the module table as
 * upvalue 1. */
extern const luaL_Reg lfigure_map_methods[];   /* contour, heatmap, surface3d */
extern const luaL_Reg lfigure_curve_methods[]; /* loss, lines, curve, bars */
extern const luaL_Reg lfigure_text_methods[];  /* text, annotate */
extern const luaL_Reg lfigure_live_methods[];  /* show, event, pick, clear, overlay (lfigure_live.c) */

#endif
