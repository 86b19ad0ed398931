/* SPDX-License-Identifier: MIT */
/*
 * gdlab/plugin.h — the gdlab plugin ABI. The only header a plugin author needs.
 *
 * A plugin is a shared object that exports one function, gdlab_plugin_entry, returning a pointer to a
 * const descriptor. Every descriptor starts with a gdlab_header: ABI version, the size of the whole
 * descriptor as the plugin compiled it, the kind (surface or optimizer), a name, help texts and a
 * parameter table. The host reads no member beyond `size`, so new members are only ever appended and a
 * plugin built against an older header keeps working: a member it does not have counts as NULL.
 *
 * Rules a plugin follows:
 *   - no global mutable state: the host allocates `state_size` bytes per instance and hands them back
 *     on every call, so any number of runs can proceed at once on any number of threads;
 *   - parameters arrive as an array of doubles in table order, already validated against the bounds;
 *   - functions that can fail return NULL on success or a static, human-readable error message;
 *   - the plugin includes this header only: it knows nothing of Lua, PLplot or the host's internals.
 *
 * Writing one: see plugins/optimizers/gd.c and plugins/surfaces/quadratic.c (each is one page), and
 * docs/plugin-abi.md for the full contract.
 */
#ifndef GDLAB_PLUGIN_H
#define GDLAB_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped only when a change would break existing plugins; appending members does not bump it. */
#define GDLAB_ABI_VERSION 1u

/* The one symbol every plugin exports (see GDLAB_PLUGIN below). */
#define GDLAB_ENTRY_SYMBOL "gdlab_plugin_entry"

#if defined(_WIN32)
#define GDLAB_EXPORT __declspec(dllexport)
#else
#define GDLAB_EXPORT __attribute__((visibility("default")))
#endif

enum gdlab_kind {
    GDLAB_KIND_SURFACE = 1,
    GDLAB_KIND_OPTIMIZER = 2,
    GDLAB_KIND_SCHEDULE = 3 /* the host's built-in schedules (gdlab/schedule.h), described like plugins */
};

/* ---------------------------------------------------------------------------------------------------
 * Parameters: one table per plugin. The host generates argument checking, --describe and sweeps
 * from it alone (the LADSPA idea), so every bound and default the plugin relies on belongs here.
 * ------------------------------------------------------------------------------------------------- */
enum gdlab_param_flags {
    GDLAB_PARAM_INTEGER = 1u << 0,    /* value must be a whole number */
    GDLAB_PARAM_BOOLEAN = 1u << 1,    /* 0 or 1; Lua passes true/false */
    GDLAB_PARAM_CHOICE = 1u << 2,     /* value is an index into `choices`; Lua passes the name */
    GDLAB_PARAM_LOG = 1u << 3,        /* spans decades: sweeps and sliders space it logarithmically */
    GDLAB_PARAM_OPEN_LOWER = 1u << 4, /* value must be strictly greater than `lower` */
    GDLAB_PARAM_OPEN_UPPER = 1u << 5, /* value must be strictly less than `upper` */
    GDLAB_PARAM_REQUIRED = 1u << 6    /* no default (default_value is NaN): the user must give it */
};

typedef struct gdlab_param {
    const char *name;          /* identifier-like: lr, beta1, weight_decay */
    double default_value;
    double lower, upper;       /* inclusive unless an OPEN flag says otherwise; +-HUGE_VAL for none */
    unsigned flags;            /* gdlab_param_flags */
    const char *help;          /* one line */
    const char *const *choices;/* GDLAB_PARAM_CHOICE only: NULL-terminated list of names */
} gdlab_param;

typedef struct gdlab_header {
    uint32_t abi_version;      /* GDLAB_ABI_VERSION the plugin was built with */
    uint32_t size;             /* sizeof the whole descriptor struct, as the plugin compiled it */
    uint32_t kind;             /* gdlab_kind */
    const char *name;          /* unique among loaded plugins of its kind: [a-z0-9_]+ */
    const char *summary;       /* one line, shown by `gdlab --list` */
    const char *description;   /* formula or update rule, conventions, reference; may be NULL */
    const gdlab_param *params;
    size_t n_params;
} gdlab_header;

/* True when a descriptor compiled with `size` bytes has the member at all (the LV2 rule). */
#define GDLAB_HAS_MEMBER(desc, type, member) \
    ((desc)->h.size >= offsetof(type, member) + sizeof(((type *)0)->member))

/* ---------------------------------------------------------------------------------------------------
 * Surfaces: f : R^dim -> R with its gradient, and what a figure needs to show it.
 * ------------------------------------------------------------------------------------------------- */
enum gdlab_landmark_kind {
    GDLAB_LANDMARK_END = 0,        /* no landmark at this index: the list is over */
    GDLAB_LANDMARK_GLOBAL_MIN = 1,
    GDLAB_LANDMARK_LOCAL_MIN = 2,
    GDLAB_LANDMARK_SADDLE = 3,
    GDLAB_LANDMARK_MAX = 4
};

typedef struct gdlab_surface_desc {
    gdlab_header h;
    uint32_t dim;              /* fixed dimension; 0 when `dimension` decides it from the parameters */
    uint32_t (*dimension)(const double *params);
    size_t state_size;         /* bytes the host allocates (zeroed) for one instance; may be 0 */

    /* Optional. Fill the state from the parameters; return NULL or an error message. */
    const char *(*init)(void *state, const double *params, size_t dim);

    /* Required. f(x); when grad is not NULL also write the exact gradient there. */
    double (*eval)(const void *state, const double *x, double *grad);

    /* Optional. The Hessian at x, row-major dim x dim. */
    void (*hessian)(const void *state, const double *x, double *hess);

    /* Required. The plotting box, lo[i] <= x[i] <= hi[i]. */
    void (*domain)(const void *state, double *lo, double *hi);

    /* Required. A good default starting point. */
    void (*start)(const void *state, double *x0);

    /* Optional. Known critical points, by index from 0: write the i-th into x and return its kind,
     * or return GDLAB_LANDMARK_END. Global minima come first. */
    int (*landmark)(const void *state, size_t i, double *x);

    /* Optional, for stochastic objectives (mini-batch losses): a gradient estimate drawn with the
     * given 64-bit draw number, and the loss on that sample. The same draw gives the same sample, so
     * runs are reproducible and need no shared random state. `eval` stays the full, exact loss. */
    double (*eval_sample)(const void *state, const double *x, double *grad, uint64_t draw);

    /* Optional (appended in 0.2): `eval` at count points at once, for sweeps. Point r's coordinate i
     * is x[i*stride + r]; write f[r] and grad[i*stride + r] (grad is never NULL here). The results
     * must be bit for bit those of count calls of eval: write the same operations in a loop over r,
     * which the compiler can vectorise. */
    void (*eval_batch)(const void *state, size_t count, size_t stride, const double *x, double *f,
                       double *grad);
} gdlab_surface_desc;

/* ---------------------------------------------------------------------------------------------------
 * Optimizers: a state machine over host-owned state (the GSL multimin idea).
 * ------------------------------------------------------------------------------------------------- */

/* Evaluations elsewhere than the current point (look-ahead, line searches, Hessians). The host counts
 * every call, and evaluating at the point the host evaluates next costs nothing twice. */
typedef struct gdlab_oracle {
    /* f(x); the gradient too when grad is not NULL. */
    double (*eval)(void *host, const double *x, double *grad);
    /* Hessian at x (row-major dim x dim). Returns 0, or -1 when the surface has no Hessian. */
    int (*hessian)(void *host, const double *x, double *hess);
    void *host;
} gdlab_oracle;

struct gdlab_step;

/* The optimizer a wrapper wraps (gdlab_optimizer_desc.wraps), run by the host: its own state and
 * parameters, stepped when the wrapper asks. */
typedef struct gdlab_inner {
    /* One step of the wrapped optimizer: from s->x with s->grad (its own lr replaces s->lr); writes
     * s->x. NULL or an error message naming the wrapped optimizer. */
    const char *(*step)(void *host, struct gdlab_step *s);
    void *host;
} gdlab_inner;

/* What the host hands to one step. The step overwrites x with the next point. */
typedef struct gdlab_step {
    size_t dim;
    uint64_t t;                /* 1 on the first step */
    double lr;                 /* this step's learning rate: the "lr" parameter after any schedule */
    double *x;                 /* in: x_t; out: x_{t+1} */
    double f;                  /* f(x_t) */
    const double *grad;        /* gradient at x_t (a sampled one on stochastic surfaces) */
    const gdlab_oracle *oracle;
    const gdlab_inner *inner;  /* the wrapped optimizer of a wrapper (desc.wraps = 1); else NULL */
} gdlab_step;

/* Many independent runs advanced together (sweeps): run r's coordinate i, gradient and parameter p are
 * at [i*stride + r], [i*stride + r] and params[p*stride + r]; its state, seen as state_size/8
 * doubles, has double j at state[j*stride + r]. The state starts zeroed; t is the same for all runs. */
typedef struct gdlab_batch {
    size_t dim;
    size_t count;              /* runs in this call */
    size_t stride;             /* distance between two rows (coordinates, parameters, state doubles) */
    uint64_t t;                /* 1 on the first step */
    const double *lr;          /* lr[r]: this step's rate of run r */
    double *x;                 /* in: x_t; out: x_{t+1} */
    const double *f;           /* f[r] = f(x_t) */
    const double *grad;        /* gradients at x_t */
    const double *params;
    double *state;
    /* Evaluations elsewhere, at count points laid out like x: f[r] (unless f is NULL) and the
     * gradients. Counted and cached per run exactly as the oracle of one run. */
    void (*eval)(void *host, const double *x, double *f, double *grad);
    void *host;
} gdlab_batch;

/* A quantity the optimizer can report after each step, for figures that look inside a step. */
typedef struct gdlab_internal {
    const char *name;          /* velocity, m_hat, step_size, ... */
    uint32_t per_coordinate;   /* 1: one value per coordinate (dim values); 0: one scalar */
    const char *help;
} gdlab_internal;

typedef struct gdlab_optimizer_desc {
    gdlab_header h;

    /* Optional. Bytes of state for a problem of this dimension; NULL means no state. */
    size_t (*state_size)(size_t dim, const double *params);

    /* Optional. Reset the (zeroed) state for a new run starting at x0. */
    const char *(*init)(void *state, size_t dim, const double *params, const double *x0);

    /* Required. One step: read s->x, s->grad, s->lr; write s->x. NULL or an error message. */
    const char *(*step)(void *state, const double *params, gdlab_step *s);

    /* Optional. What read_internals writes after each step, in this order. */
    const gdlab_internal *internals;
    size_t n_internals;
    void (*read_internals)(const void *state, size_t dim, const double *params, double *out);

    /* Optional (appended in 0.2): one step of many independent runs (gdlab_batch), for sweeps: the
     * host falls back to `step` per run when it is NULL. It must give bit for bit what `step` gives
     * run by run (write the same operations in a loop over r, which the compiler can vectorise). Only
     * for optimizers whose state is doubles, that need no `init` beyond zeroing, and whose step
     * cannot fail. */
    void (*step_batch)(const gdlab_batch *b);

    /* Optional (appended in 0.2): 1: this optimizer wraps another, chosen by the user (Lookahead
     * around any optimizer); the host runs that one and hands it to every step as s->inner. 0 (or
     * absent): a plain optimizer. */
    uint32_t wraps;
} gdlab_optimizer_desc;

/* ---------------------------------------------------------------------------------------------------
 * Helpers for writing a descriptor.
 *   static const gdlab_optimizer_desc desc = {
 *       .h = GDLAB_HEADER(GDLAB_KIND_OPTIMIZER, gdlab_optimizer_desc, "gd", "summary", "rule", params),
 *       .step = gd_step,
 *   };
 *   GDLAB_PLUGIN(desc)
 * ------------------------------------------------------------------------------------------------- */
#define GDLAB_COUNT_OF(array) (sizeof(array) / sizeof((array)[0]))

#define GDLAB_HEADER(kind, type, name, summary, description, params)                                  \
    { GDLAB_ABI_VERSION, (uint32_t)sizeof(type), (kind), (name), (summary), (description), (params),  \
      GDLAB_COUNT_OF(params) }

#define GDLAB_HEADER_NO_PARAMS(kind, type, name, summary, description)                                \
    { GDLAB_ABI_VERSION, (uint32_t)sizeof(type), (kind), (name), (summary), (description), NULL, 0 }

/* host_abi_version is the host's GDLAB_ABI_VERSION, for plugins that want to adapt to it. */
typedef const gdlab_header *(*gdlab_entry_fn)(uint32_t host_abi_version);

#define GDLAB_PLUGIN(descriptor)                                                                     \
    GDLAB_EXPORT const gdlab_header *gdlab_plugin_entry(uint32_t host_abi_version);                   \
    GDLAB_EXPORT const gdlab_header *gdlab_plugin_entry(uint32_t host_abi_version)                    \
    {                                                                                                 \
        (void)host_abi_version;                                                                       \
        return &(descriptor).h;                                                                       \
    }

#ifdef __cplusplus
}
#endif
#endif /* GDLAB_PLUGIN_H */
