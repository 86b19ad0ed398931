/* SPDX-License-Identifier: MIT */
/* lgdlab.h — what the files of the gdlab Lua module share. Not a public header.
 *
 * The module is split by area, one file each: lgdlab.c (module table, registry, describe/list),
 * lsurface.c (surface userdata), lrun.c (gd.run), lsweep.c (gd.sweep), lschedule.c (learning-rate
 * schedules), lresult.c (a run's result as packed arrays) with lresult_storage.c (the Lua memory it
 * is recorded into), lsave.c (gd.save), lresult_read.c, lload.c (gd.load_result) and ljson.c: results
 * as data files, lsurface_expr.c (formula and Lua-function surfaces), ldual.c (dual numbers and
 * gd.math for them), lfigure*.c (figures: lfigure.h lists their files), lplplot.c (PLplot for Lua),
 * lcheck.c (the checked readers of Lua values, lcheck.h), lhold.c (objects in use by a running call).
 * Each area exports one lgdlab_open_* function that adds its functions to the module table on top of
 * the stack. */
#ifndef LGDLAB_H
#define LGDLAB_H

#include <lauxlib.h>
#include <lua.h>
#include <stdio.h>

#include "gdlab/gdlab.h"
#include "lcheck.h"

#define LGDLAB_SURFACE_MT "gdlab.surface"
#define LGDLAB_OPTIMIZER_MT "gdlab.optimizer"

/* The registry shared by the whole module (an upvalue-free singleton kept in the Lua registry). */
gdlab_registry *lgdlab_registry(lua_State *L);

/* Mark the object (userdata) at idx in use until the calling C function returns or raises: *uses
 * is raised now and lowered by a to-be-closed guard pushed on the stack (lhold.c). Nothing may
 * remove that stack slot but the return (no lua_settop/lua_remove below it), or lua_closeslot (the
 * last one made first). Making the guard may run any __gc: check that the object is open, and read
 * its pointers, only after the hold. */
void lgdlab_hold(lua_State *L, int idx, int *uses);

/* A C resource (a malloc'd buffer, a gdlab_sweep_result, an open FILE) that the calling C function
 * owns while it makes Lua values, any of which may raise Lua's memory error: returns size zeroed bytes
 * for its handle, and release(handle) runs when the function returns or raises. Call it before making
 * the resource and store the handle there, so that nothing exists without its owner; zero (or
 * otherwise empty) the handle when the resource is handed over. Pushes a to-be-closed value: the
 * stack rule of lgdlab_hold applies, or release it early with lua_closeslot (the last one made
 * first): Lua 5.4.4's lua_settop, which closes a to-be-closed slot it removes, may then write to a
 * stack that the __close call moved (fixed in 5.4.5). (lhold.c) */
void *lgdlab_own(lua_State *L, size_t size, void (*release)(void *));
/* A text the calling function writes in memory (open_memstream) into ->f, owned so (lgdlab_own);
 * lgdlab_push_text closes the stream, pushes the text and releases the owner. Either raises "what:
 * out of memory" when the stream cannot be made or a write to it failed. */
typedef struct lgdlab_text {
    FILE *f;
    char *text;
    size_t len;
    int slot; /* the owner's stack index */
} lgdlab_text;
lgdlab_text *lgdlab_open_text(lua_State *L, const char *what);
void lgdlab_push_text(lua_State *L, lgdlab_text *t, const char *what);

/* Surface userdata: owns a gdlab_surface. */
typedef struct lgdlab_surface {
    gdlab_surface *s;
    const char *name;      /* the plugin name, or "expr"/"lua" for host-made surfaces */
    int uses;              /* calls holding s (lgdlab_hold): it cannot be freed meanwhile */
    const int *evaluating; /* a Lua surface: > 0 while its f runs (lsurface_expr.c); else NULL */
} lgdlab_surface;
lgdlab_surface *lgdlab_check_surface(lua_State *L, int idx);
/* The surface at idx, held (lgdlab_hold) for the rest of the calling C function, then checked open;
 * what names the caller in messages. Pushes the guard. */
lgdlab_surface *lgdlab_use_surface(lua_State *L, int idx, const char *what);
/* The open surface at idx, checked as lgdlab_use_surface does, but not held (a gd.runner holds its
 * surface for its whole life through the uses count instead). */
lgdlab_surface *lgdlab_surface_arg(lua_State *L, int idx, const char *what);
/* Push a new surface userdata named name, closed (s NULL) until the caller stores the surface it
 * makes in ->s: made before what it will own, so that a Lua error in between leaks nothing. */
lgdlab_surface *lgdlab_new_surface(lua_State *L, const char *name);

/* Optimizer userdata: owns a gdlab_optimizer. */
typedef struct lgdlab_optimizer {
    gdlab_optimizer *o;
    int uses; /* calls holding o (lgdlab_hold) */
} lgdlab_optimizer;
lgdlab_optimizer *lgdlab_check_optimizer(lua_State *L, int idx);
/* Raise when the surface is a Lua surface whose f is running: what (gd.run, gd.sweep) was called
 * from inside its own f. (lsurface.c) */
void lgdlab_check_not_evaluating(lua_State *L, const lgdlab_surface *s, const char *what);
/* The optimizer at idx, held for the rest of the calling C function. Pushes the guard. */
lgdlab_optimizer *lgdlab_use_optimizer(lua_State *L, int idx, const char *what);
/* The open optimizer at idx, checked but not held (as lgdlab_surface_arg). */
lgdlab_optimizer *lgdlab_optimizer_arg(lua_State *L, int idx, const char *what);

/* Fill values (defaults already in place) from the string-keyed table at idx; raises a Lua error
 * naming the plugin, the parameter and the valid names or range. Numbers, booleans (BOOLEAN params)
 * and strings (CHOICE params) are accepted. */
void lgdlab_read_params(lua_State *L, int idx, const gdlab_header *h, double *values);

/* gd.surface{...} with a table argument (expr = "..." or f = function): lsurface_expr.c.
 * Pushes the surface userdata. */
int lgdlab_surface_from_table(lua_State *L, int idx);

/* A Lua-function surface cannot raise through the C engine: it returns NaN and keeps its error.
 * Call this once control is back in Lua after evaluating any surface: it raises the pending error
 * (with the user's file:line), if there is one. */
void lgdlab_raise_surface_error(lua_State *L);

/* The `schedule` field of gd.run's argument (a table such as {"cosine", T_max = 100}, a Lua
 * function of the run so far, or a list of those): lschedule.c. Sets cfg->schedule; whatever it
 * allocates is kept alive by a value it pushes on the stack (pops nothing). */
void lgdlab_schedule_from_lua(lua_State *L, int idx, gdlab_run_config *cfg);
/* After a run: the error a Lua schedule function raised (or its non-number result), else NULL. */
const char *lgdlab_schedule_failure(const gdlab_run_config *cfg);

/* Raise "what: unknown field 'x'; valid: ..." for a key of the table at idx not in keys
 * (NULL-terminated): a typo must never fall back to a default silently. (lgdlab.c) */
void lgdlab_check_keys(lua_State *L, int idx, const char *what, const char *const *keys);

/* The run options shared by gd.run and gd.sweep from the table at idx: start, steps, tol, gtol, bound,
 * blowup, seed, schedule. Leaves on the stack what cfg points into. (lrun.c) */
void lgdlab_read_run_config(lua_State *L, int idx, const char *what, const gdlab_surface *s,
                            gdlab_run_config *cfg);

/* Is this schedule safe to call from several threads (C schedules are; Lua functions are not)? */
int lgdlab_schedule_thread_safe(const gdlab_run_config *cfg);

/* gd.sweep runs through d from now on (default: gdlab_sweep_local()); gd.rank and gd.ranks become
 * d's. d must outlive the state. The gdlab command built with MPI registers core/mpi's. (lsweep.c) */
void lgdlab_set_sweep_distributor(lua_State *L, const gdlab_sweep_distributor *d);
/* This process's rank under that distributor (0 without MPI): files are written by rank 0 alone. */
int lgdlab_rank(lua_State *L);

/* Lua memory for a run's recorded arrays (lresult_storage.c): userdata blocks in a table, lent to the
 * engine (gdlab_run_config.storage = &s->api), so that the path is written where Lua's collector
 * counts it and the result takes it over without a copy. */
typedef struct lgdlab_storage {
    gdlab_record_storage api;
    lua_State *L; /* the thread of the engine call under way (lgdlab_storage_bind) */
    int blocks;   /* the stack index of the blocks' table there */
} lgdlab_storage;
/* Sets up s and pushes its table of blocks (empty), which must be kept alive with them. */
void lgdlab_storage_init(lua_State *L, lgdlab_storage *s);
/* Before every engine call that may record (gdlab_run_begin, gdlab_run_steps, gdlab_run_end): s's
 * table is at index `blocks` of L, the thread making the call, until it returns. */
void lgdlab_storage_bind(lua_State *L, lgdlab_storage *s, int blocks);

/* A run's result (lresult.c): a table whose per-point fields are packed, read-only arrays. */
#define LGDLAB_ARRAY_MT "gdlab.array"
typedef struct lgdlab_array lgdlab_array;
/* Pushes the result table of trajectory t, recorded into the storage whose blocks' table is at index
 * `blocks` (the result keeps it; t is left empty); surface (a stack index) and o are the run's, for
 * fields derived on demand. */
void lgdlab_push_result(lua_State *L, gdlab_trajectory *t, int blocks, int surface, const gdlab_optimizer *o);
/* The packed array of numbers at idx, or NULL if the value is something else. */
lgdlab_array *lgdlab_test_array(lua_State *L, int idx);
size_t lgdlab_array_len(const lgdlab_array *a);
double lgdlab_array_get(const lgdlab_array *a, size_t i); /* 0-based */

void lgdlab_open_result(lua_State *L);

/* Called by gd.run and gd.sweep with the result they made (at result) and their argument table (at
 * args): remembers how it was made for gd.save, and saves it when gdlab --save-runs asked (lsave.c). */
void lgdlab_result_made(lua_State *L, int result, int args, const gdlab_surface *s, const gdlab_optimizer *o,
                        const gdlab_run_config *cfg);
/* A run or a sweep (at idx) read back into C for saving (lresult_read.c): arrays live in buffers left on the
 * stack; a missing or malformed field raises an error naming it. x (and y or points) and status are
 * required of a run; loss, grad_norm, lr, evals, lambda_min/max are read when present. axes has room
 * for LGDLAB_MAX_AXES; returns the number of axes. */
#define LGDLAB_MAX_AXES 8
void lgdlab_read_run(lua_State *L, int idx, gdlab_trajectory *t);
size_t lgdlab_read_sweep(lua_State *L, int idx, gdlab_sweep_result *r, gdlab_sweep_axis *axes);
/* Push the value of the JSON text (ljson.c); raises "what: 'path' line N: the problem". The raw text of the
 * top-level member named keep (NULL: none) is pointed to by *kept (text NULL when absent). text must end
 * in '\0' (a Lua string does). */
typedef struct lgdlab_json_span {
    const char *text;
    size_t len;
} lgdlab_json_span;
void lgdlab_json_decode(lua_State *L, const char *what, const char *path, const char *text, size_t len,
                        const char *keep, lgdlab_json_span *kept);
/* Remember the setup JSON text at setup for the result at result (gd.load_result keeps a file's setup). */
void lgdlab_result_setup(lua_State *L, int result, int setup);

void lgdlab_open_surface(lua_State *L);
void lgdlab_open_run(lua_State *L);
void lgdlab_open_sweep(lua_State *L);
void lgdlab_open_schedule(lua_State *L);
void lgdlab_open_save(lua_State *L); /* gd.save (lsave.c) */
void lgdlab_open_load(lua_State *L); /* gd.load_result (lload.c) */
void lgdlab_open_progress(lua_State *L); /* gd.progress (lprogress.c) */
void lgdlab_open_figure(lua_State *L);
void lgdlab_open_surface_expr(lua_State *L); /* gd.math */

/* luaopen_gdlab is the module's entry point (lgdlab.c); luaopen_plplot the PLplot module (lplplot.c).
 * Exported: a stock lua5.4 finds them by name in gdlab.so. */
#define LGDLAB_EXPORT __attribute__((visibility("default")))
LGDLAB_EXPORT int luaopen_gdlab(lua_State *L);
LGDLAB_EXPORT int luaopen_plplot(lua_State *L);

#endif
