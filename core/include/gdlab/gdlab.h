/* SPDX-License-Identifier: MIT */
/*
 * gdlab/gdlab.h — the C API of libgdlab: plugin registry, parameters, surfaces, optimizers, runs.
 *
 * Errors: functions that can fail take `char *err, size_t errlen`, return non-zero (or NULL) on
 * failure and write one line that names the culprit (file, parameter, valid choices) into err.
 */
#ifndef GDLAB_GDLAB_H
#define GDLAB_GDLAB_H

#include <stdint.h>
#include <stdio.h>

#include "gdlab/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif
#pragma GCC visibility push(default)

#define GDLAB_VERSION "0.1.0"
#define GDLAB_ERRLEN 512 /* a comfortable size for err buffers */

/* ---------------------------------------------------------------------------------------------------
 * Registry: finds, loads and validates plugins (core/engine/registry.c).
 * ------------------------------------------------------------------------------------------------- */
typedef struct gdlab_registry gdlab_registry;

gdlab_registry *gdlab_registry_new(void);
void gdlab_registry_free(gdlab_registry *reg);

/* Load one plugin file. On failure returns -1 and writes an error naming the file. */
int gdlab_registry_load(gdlab_registry *reg, const char *path, char *err, size_t errlen);

/* Load every *.so in dir. Files that fail are recorded as diagnostics; the rest keep loading.
 * Returns the number loaded, or -1 if dir cannot be read (also recorded). */
int gdlab_registry_scan(gdlab_registry *reg, const char *dir);

/* Scan GDLAB_PLUGIN_PATH (':'-separated), then the plugin directory beside libgdlab itself
 * (build tree: <build>/plugins; installed: <libdir>/gdlab/plugins). */
void gdlab_registry_scan_default(gdlab_registry *reg);

size_t gdlab_registry_count(const gdlab_registry *reg);
/* The i-th plugin in load order; *path (if not NULL) receives the file it came from. */
const gdlab_header *gdlab_registry_get(const gdlab_registry *reg, size_t i, const char **path);
/* kind is a gdlab_kind, or 0 for any kind. NULL when not loaded. */
const gdlab_header *gdlab_registry_find(const gdlab_registry *reg, uint32_t kind, const char *name);
/* The same lookups, typed: the surface (optimizer) called name, or NULL when none is loaded. */
const gdlab_surface_desc *gdlab_registry_find_surface(const gdlab_registry *reg, const char *name);
const gdlab_optimizer_desc *gdlab_registry_find_optimizer(const gdlab_registry *reg, const char *name);
/* Writes "unknown optimizer 'x'; available: a, b, c" style text for an unknown name. */
void gdlab_registry_unknown(const gdlab_registry *reg, uint32_t kind, const char *name, char *err,
                            size_t errlen);

size_t gdlab_registry_diagnostic_count(const gdlab_registry *reg);
const char *gdlab_registry_diagnostic(const gdlab_registry *reg, size_t i);
/* 1 when a load or scan ran out of memory, so that plugins may be missing (their diagnostics, when
 * there was memory to keep them, say which): worth an error, not a warning. */
int gdlab_registry_out_of_memory(const gdlab_registry *reg);

const char *gdlab_kind_name(uint32_t kind); /* "surface", "optimizer" */

/* ---------------------------------------------------------------------------------------------------
 * Parameters: validation against a plugin's table (core/engine/params.c).
 * ------------------------------------------------------------------------------------------------- */
void gdlab_params_defaults(const gdlab_header *h, double *values);
/* Index of the parameter called name, or -1. */
int gdlab_param_index(const gdlab_header *h, const char *name);
/* Set a value by name, checking name, integrality and bounds. */
int gdlab_params_set(const gdlab_header *h, double *values, const char *name, double value, char *err,
                     size_t errlen);
/* Set a GDLAB_PARAM_CHOICE parameter by the name of the choice. */
int gdlab_params_set_choice(const gdlab_header *h, double *values, const char *name,
                            const char *choice, char *err, size_t errlen);
/* The human description of a parameter's valid range, e.g. "(0, inf)" or "one of: a, b". */
void gdlab_param_range_text(const gdlab_param *p, char *buf, size_t buflen);
/* Print name, summary, description and the parameter table (what `gdlab --describe` shows). */
void gdlab_describe(const gdlab_header *h, const char *path, FILE *out);

/* ---------------------------------------------------------------------------------------------------
 * Surfaces (core/engine/surface.c): an instance is a descriptor, its parameter values and its state.
 * ------------------------------------------------------------------------------------------------- */
typedef struct gdlab_surface gdlab_surface;

/* params: values in table order, or NULL for the defaults. Validated here. */
gdlab_surface *gdlab_surface_new(const gdlab_surface_desc *desc, const double *params, char *err,
                                 size_t errlen);
/* A host-made surface (a formula, a Lua function): the caller provides the state and how to free it.
 * desc must outlive the surface. */
gdlab_surface *gdlab_surface_wrap(const gdlab_surface_desc *desc, size_t dim, void *state,
                                  void (*free_state)(void *state));
void gdlab_surface_free(gdlab_surface *s);
/* Plugins and formulas may be evaluated from many threads at once; a surface whose functions may not
 * (one calling into a Lua state) is marked serial, and sweeps then run it on one thread. */
void gdlab_surface_mark_serial(gdlab_surface *s);
int gdlab_surface_is_serial(const gdlab_surface *s);

const gdlab_surface_desc *gdlab_surface_desc_of(const gdlab_surface *s);
size_t gdlab_surface_dim(const gdlab_surface *s);
const double *gdlab_surface_params(const gdlab_surface *s);
double gdlab_surface_eval(const gdlab_surface *s, const double *x, double *grad);
/* The instance's state, as the descriptor's functions take it: for hosts that call desc->eval in a hot
 * loop themselves (the runner and sweeps). */
const void *gdlab_surface_state(const gdlab_surface *s);
/* A sampled (mini-batch) evaluation for stochastic surfaces; the exact one for the others. */
double gdlab_surface_eval_sample(const gdlab_surface *s, const double *x, double *grad, uint64_t draw);
int gdlab_surface_has_hessian(const gdlab_surface *s);
int gdlab_surface_hessian(const gdlab_surface *s, const double *x, double *hess); /* -1 if none */
void gdlab_surface_domain(const gdlab_surface *s, double *lo, double *hi);
void gdlab_surface_start(const gdlab_surface *s, double *x0);
/* Kind of the i-th landmark (GDLAB_LANDMARK_END past the last), point into x. */
int gdlab_surface_landmark(const gdlab_surface *s, size_t i, double *x);
/* Lowest f over the listed global minima; 0 when the surface lists none. */
double gdlab_surface_min_value(const gdlab_surface *s);

/* ---------------------------------------------------------------------------------------------------
 * Optimizers (core/engine/optimizer.c): a descriptor with validated parameter values. Runs own the state.
 * ------------------------------------------------------------------------------------------------- */
typedef struct gdlab_optimizer gdlab_optimizer;

gdlab_optimizer *gdlab_optimizer_new(const gdlab_optimizer_desc *desc, const double *params,
                                     char *err, size_t errlen);
void gdlab_optimizer_free(gdlab_optimizer *o);
const gdlab_optimizer_desc *gdlab_optimizer_desc_of(const gdlab_optimizer *o);
const double *gdlab_optimizer_params(const gdlab_optimizer *o);
/* The "lr" parameter's value, or NaN if the optimizer has none. */
double gdlab_optimizer_lr(const gdlab_optimizer *o);

/* Wrappers (desc->wraps, e.g. lookahead) take the optimizer they wrap, which is copied: inner may be
 * freed afterwards, and may itself be a wrapper. gdlab_optimizer_new refuses a wrapper. */
int gdlab_optimizer_wraps(const gdlab_optimizer_desc *desc);
gdlab_optimizer *gdlab_optimizer_new_wrapping(const gdlab_optimizer_desc *desc, const double *params,
                                              const gdlab_optimizer *inner, char *err, size_t errlen);
const gdlab_optimizer *gdlab_optimizer_inner(const gdlab_optimizer *o); /* NULL unless a wrapper */

/* In a run (core/engine/run.c): the wrapped optimizers' per-run state, and what the wrapper's steps
 * get as s->inner (NULL for a plain optimizer). begin returns NULL with err only on failure. */
typedef struct gdlab_inner_run gdlab_inner_run;
gdlab_inner_run *gdlab_inner_begin(const gdlab_optimizer *o, size_t dim, const double *x0, char *err,
                                   size_t errlen);
const gdlab_inner *gdlab_inner_of(const gdlab_inner_run *r);
void gdlab_inner_end(gdlab_inner_run *r);

/* ---------------------------------------------------------------------------------------------------
 * Runs (core/engine/run.c): one optimizer on one surface from one start.
 * ------------------------------------------------------------------------------------------------- */
typedef enum gdlab_status {
    GDLAB_CONVERGED = 0, /* loss or gradient-norm tolerance met at stop_step */
    GDLAB_DIVERGED = 1,  /* non-finite values, left the bound, or the loss blew up, at stop_step */
    GDLAB_MAX_STEPS = 2, /* ran out of steps */
    GDLAB_FAILED = 3     /* the optimizer reported an error (reason says which) */
} gdlab_status;

const char *gdlab_status_name(gdlab_status s); /* "converged", "diverged", "max_steps", "failed" */

/* Schedules for the parameters of an optimizer (gdlab/schedule.h). */
typedef struct gdlab_schedules gdlab_schedules;

/* Memory a caller lends a run for its recorded arrays (gdlab_run_config.storage), for callers whose
 * memory cannot grow in place, such as Lua userdata (core/lua/lresult_storage.c: the path is written
 * straight into memory Lua's collector counts, with no copy after the run). With a storage, the run
 * asks for each array once, at its whole capacity (the most points the configuration can record,
 * which the memory estimate has allowed), writes the points in place, and asks once more at the end,
 * to shrink each array to the points kept. The arrays of the trajectory it hands over are then the
 * storage's: free them with it, not with gdlab_trajectory_free. */
typedef struct gdlab_record_storage {
    /* Like realloc: block NULL asks for a new block of `bytes`; bytes 0 frees block (and returns
     * NULL); otherwise returns a block of `bytes` holding the first min(old_bytes, bytes) bytes of
     * block, which may be block itself. NULL when out of memory (block stays as it was). */
    void *(*resize)(void *ud, void *block, size_t old_bytes, size_t bytes);
    void *ud;
} gdlab_record_storage;

typedef struct gdlab_run_config {
    const double *start;  /* NULL: the surface's default start */
    uint64_t max_steps;   /* default 1000 */
    double tol;           /* converged when f(x) - f_min <= tol (f_min: gdlab_surface_min_value);
                             NaN disables; default NaN */
    double gtol;          /* converged when ||grad f(x)|| <= gtol; NaN disables; default NaN */
    double bound;         /* diverged when some |x_i - c_i| > bound * h_i, with c and h the centre and
                             half-width of the surface's domain; default 1e3 */
    double blowup;        /* diverged when f(x) - f(x0) > blowup * (1 + |f(x0)|); default 1e8 */
    int record_internals; /* record the optimizer's internals at every recorded point (read only then) */
    int record_curvature; /* record the Hessian's extreme eigenvalues at every recorded point (the surface
                             needs a Hessian; these evaluations are instrumentation, not counted) */
    const gdlab_schedules *schedule; /* what drives the optimizer's parameters; NULL: nothing */
    uint64_t seed;        /* stochastic surfaces: draw = hash(seed, t) */
    /* What is kept of the path (docs/performance.md). 0: the summary only (final and lowest loss,
     * evaluations, status; no per-step memory at all); 1: every point (default); k: x_0, every k-th
     * point and the last one. */
    uint64_t record_every;
    /* Also keep grad_norm, lr and evals at every recorded point (default 1). Without them a 2-D path
     * holds 24 bytes per point (x, y, f); evals are then kept while they grow by the same count every
     * step and stored per point from the first step where they do not (gdlab_trajectory_evals). */
    int record_details;
    /* Refuse to start a run whose recording could need more than this many bytes (the error says
     * how many, and how to need fewer). 0: half of the machine's physical memory. */
    uint64_t max_record_bytes;
    /* Where the recorded arrays live (above); NULL (default): malloc'd arrays grown as the run goes,
     * freed with gdlab_trajectory_free. */
    const gdlab_record_storage *storage;
} gdlab_run_config;

void gdlab_run_config_defaults(gdlab_run_config *cfg);

typedef struct gdlab_trajectory {
    size_t dim;
    size_t n;             /* recorded points; 0 when only the summary was kept */
    uint64_t every;       /* point i (but the last) is x after step i * every; the last is x_{steps} */
    double *x;            /* n * dim, row i is point i */
    double *loss;         /* n: f at point i */
    double *grad_norm;    /* n: ||grad f|| (exact gradient) at point i; NULL without record_details */
    double *lr;           /* n: the rate of the step that led to point i; lr[0] = NaN; NULL without
                             record_details */
    uint64_t *evals;      /* n: cumulative f/grad evaluations once point i was known; NULL while they
                             follow the compact form below (read them with gdlab_trajectory_evals) */
    uint64_t evals_start, evals_base, evals_per_step; /* compact: evals_start at x_0, then
                             evals_base + evals_per_step * step (mod 2^64) */
    uint64_t hessian_evals;
    size_t n_internals;   /* doubles per point in internals (0 unless recorded) */
    double *internals;    /* n * n_internals; row 0 is NaN */
    double *curvature;    /* n * 2 when recorded: λmin, λmax of the Hessian at point i; else NULL */
    /* The summary, kept in every record mode. */
    uint64_t steps;       /* steps taken */
    double final_loss;    /* f at the last point */
    double min_loss;      /* lowest f along the run */
    uint64_t total_evals; /* evaluations in all */
    gdlab_status status;
    uint64_t stop_step;   /* the step at which status was decided */
    char reason[256];     /* one line: why it stopped */
} gdlab_trajectory;

/* Cumulative evaluations at recorded point i, whichever form they are kept in. */
uint64_t gdlab_trajectory_evals(const gdlab_trajectory *t, size_t i);
/* The step after which recorded point i was taken. */
uint64_t gdlab_trajectory_step(const gdlab_trajectory *t, size_t i);
void gdlab_trajectory_free(gdlab_trajectory *t);

/* A run in three parts (the GSL idea), so it can be advanced live, paused or driven by events:
 *
 *   gdlab_runner *r = gdlab_run_begin(s, o, &cfg, err, sizeof err);   // checks, x_0 evaluated, recorded
 *   while (!gdlab_runner_stopped(r))
 *       if (gdlab_run_iterate(r, err, sizeof err) < 0) ...           // one step, one point recorded
 *   (or gdlab_run_steps(r, n, ...): up to n steps in one call, without a call per step)
 *   gdlab_run_end(r, &t);                                             // the trajectory; frees r
 *
 * s, o and everything cfg points to must outlive the runner. */
typedef struct gdlab_runner gdlab_runner;
gdlab_runner *gdlab_run_begin(const gdlab_surface *s, const gdlab_optimizer *o,
                              const gdlab_run_config *cfg, char *err, size_t errlen);
/* One step. Returns 1 when the run has now stopped (status and reason set), 0 when it can go on (or
 * had already stopped: then nothing happens), -1 with err set when recording ran out of memory. */
int gdlab_run_iterate(gdlab_runner *r, char *err, size_t errlen);
/* Up to n steps, fewer when a stop rule ends the run first (or max_steps is reached): returns as
 * gdlab_run_iterate. The same steps as n calls of gdlab_run_iterate, bit for bit. */
int gdlab_run_steps(gdlab_runner *r, uint64_t n, char *err, size_t errlen);
int gdlab_runner_stopped(const gdlab_runner *r);
uint64_t gdlab_runner_step(const gdlab_runner *r);       /* steps taken so far */
const double *gdlab_runner_x(const gdlab_runner *r);     /* the current point */
double gdlab_runner_loss(const gdlab_runner *r);         /* f there */
const double *gdlab_runner_grad(const gdlab_runner *r);  /* the exact gradient there */
/* What has been recorded so far, and the summary; valid until the next iterate or end. */
const gdlab_trajectory *gdlab_runner_trajectory(const gdlab_runner *r);
/* Frees the runner; the trajectory moves into out (or is freed when out is NULL). A run ended before
 * it stopped has status max_steps and says so in reason. */
void gdlab_run_end(gdlab_runner *r, gdlab_trajectory *out);

/* Runs to a stop rule: begin, iterate until stopped, end. Returns 0 (whatever the status), or -1 with
 * err set for bad input or memory. */
int gdlab_run(const gdlab_surface *s, const gdlab_optimizer *o, const gdlab_run_config *cfg,
              gdlab_trajectory *out, char *err, size_t errlen);

/* ---------------------------------------------------------------------------------------------------
 * Sweeps (core/engine/sweep.c): one run per combination of parameter values, on all cores.
 * ------------------------------------------------------------------------------------------------- */
typedef struct gdlab_sweep_axis {
    const char *param;    /* an optimizer parameter */
    const double *values;
    size_t n;
} gdlab_sweep_axis;

/* Runs are numbered with the last axis varying fastest: run r has index i_k along axis k. */
typedef struct gdlab_sweep_result {
    size_t n_runs;
    gdlab_status *status;
    uint64_t *stop_step;  /* as gdlab_trajectory.stop_step */
    double *final_loss;   /* f at the last point */
    double *min_loss;     /* lowest f along the run */
    uint64_t *evals;      /* evaluations in all */
} gdlab_sweep_result;

/* base: the optimizer's parameter values (NULL: defaults); every combination is validated before any
 * run starts, and a bad one is an error naming the parameter and value. threads = 0 uses every core;
 * a serial surface (or a schedule that is not thread-safe: thread_safe_schedule = 0) runs on one
 * thread. Results do not depend on the number of threads. */
int gdlab_sweep(const gdlab_surface *s, const gdlab_optimizer_desc *d, const double *base,
                const gdlab_sweep_axis *axes, size_t n_axes, const gdlab_run_config *cfg,
                int thread_safe_schedule, unsigned threads, gdlab_sweep_result *out, char *err,
                size_t errlen);
void gdlab_sweep_result_free(gdlab_sweep_result *r);
/* Room for n_runs results (zeroed); 0, or -1 out of memory (r is then empty). */
int gdlab_sweep_result_alloc(gdlab_sweep_result *r, size_t n_runs);

/* A sweep as one value, for code that runs a sweep in parts: a stream of parts to a file, or parts
 * spread over processes (core/mpi/, docs/mpi.md). The fields but the last are gdlab_sweep's arguments. */
typedef struct gdlab_progress gdlab_progress; /* gdlab/progress.h */
typedef struct gdlab_sweep_spec {
    const gdlab_surface *s;
    const gdlab_optimizer_desc *d;
    const double *base;
    const gdlab_sweep_axis *axes;
    size_t n_axes;
    const gdlab_run_config *cfg;
    int thread_safe_schedule;
    unsigned threads;
    gdlab_progress *progress; /* the bar finished runs count on; NULL: each gdlab_sweep_runs its own */
} gdlab_sweep_spec;

/* Everything gdlab_sweep checks before it runs (axes, every combination's values, the start), without
 * running and in O(1) memory; *n_runs receives the number of runs. */
int gdlab_sweep_check(const gdlab_sweep_spec *sp, size_t *n_runs, char *err, size_t errlen);

/* Runs first .. first + count - 1 of the sweep on sp->threads threads: out gets count slots, slot i
 * holding run first + i, with exactly the numbers gdlab_sweep gives that run (a run does not depend
 * on which others run with it). gdlab_sweep is this with the whole range. */
int gdlab_sweep_runs(const gdlab_sweep_spec *sp, size_t first, size_t count, gdlab_sweep_result *out,
                     char *err, size_t errlen);

/* A sweep in parts. A sink receives the results of runs first .. first + part->n_runs - 1, in any
 * order; put returns 0, or -1 with err (the sweep then stops with that error). */
typedef struct gdlab_sweep_sink {
    int (*put)(void *ctx, size_t first, const gdlab_sweep_result *part, char *err, size_t errlen);
    void *ctx;
} gdlab_sweep_sink;

/* Copies part into the whole result at ctx (a gdlab_sweep_result with room for every run): a sink's put
 * for a sweep held in memory. */
int gdlab_sweep_result_put(void *whole, size_t first, const gdlab_sweep_result *part, char *err,
                           size_t errlen);

/* What runs a checked sweep's parts and hands them to a sink. gdlab_sweep_local() runs them in this
 * process; the gdlab command built with MPI registers one that spreads them over MPI ranks
 * (core/mpi/, docs/mpi.md). Every process of a distributed program calls run with the same sweep. */
typedef struct gdlab_sweep_distributor gdlab_sweep_distributor;
struct gdlab_sweep_distributor {
    const char *name; /* "local", "mpi" */
    int rank, ranks;  /* this process and how many take part: 0 and 1 for local */
    /* Runs 0 .. n_runs - 1 of sp (n_runs from gdlab_sweep_check) and hands every run's results to sink
     * on rank 0 (other ranks' sinks receive nothing). Every rank returns the same: 0, or -1 with the
     * same err. */
    int (*run)(const gdlab_sweep_distributor *self, const gdlab_sweep_spec *sp, size_t n_runs,
               const gdlab_sweep_sink *sink, char *err, size_t errlen);
    /* Makes every rank's r (n_runs slots everywhere) a copy of rank 0's. 0, or -1 with err. */
    int (*share)(const gdlab_sweep_distributor *self, gdlab_sweep_result *r, char *err, size_t errlen);
    void *ctx;
};
/* Parts of at most 65,536 runs, one after the other, each on sp->threads threads. */
const gdlab_sweep_distributor *gdlab_sweep_local(void);

/* A sweep's results streamed to a file, in the layout its extension names: .csv, the sweep CSV of
 * docs/data.md (rows in run order: parts that come early wait in memory for their turn), or .gdsweep, a
 * header and one column per result (docs/mpi.md, "The sweep file"; parts written where they belong as
 * they come). Written through the output writer (gdlab/output.h), so the file appears whole or not at
 * all. put is a sink's put (parts in any order); sp's axes must outlive the file. */
typedef struct gdlab_sweep_file gdlab_sweep_file;
gdlab_sweep_file *gdlab_sweep_file_open(const char *path, const gdlab_sweep_spec *sp, size_t n_runs,
                                        char *err, size_t errlen);
int gdlab_sweep_file_put(void *file, size_t first, const gdlab_sweep_result *part, char *err,
                         size_t errlen);
/* Checks that every run was written, then commits the file; frees file in all cases. */
int gdlab_sweep_file_commit(gdlab_sweep_file *file, char *err, size_t errlen);
void gdlab_sweep_file_abort(gdlab_sweep_file *file);

/* ---------------------------------------------------------------------------------------------------
 * Faults inside plugins (core/engine/fault.c).
 * ------------------------------------------------------------------------------------------------- */
/* From now on a SIGSEGV, SIGBUS, SIGFPE or SIGILL prints which plugin and which of its functions was
 * running (or that none was) to stderr, then the process dies of the signal as before. Reports stack
 * overflows on the calling thread. The gdlab command calls it first thing; 0, or -1 if the handlers
 * could not be set. */
int gdlab_fault_report_install(void);

#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif
#endif /* GDLAB_GDLAB_H */
