/* SPDX-License-Identifier: MIT */
/* plugin_call.h — the "current plugin call" marker, so that a crash inside a plugin can say which
 * plugin and which of its functions was running (core/engine/fault.c prints it).
 *
 * Every call into a plugin goes through gdlab_plugin_call_enter/leave or one of the helpers below:
 * a record on the caller's stack names the plugin and the call, and a thread-local pointer points at
 * the innermost one (a surface's eval inside an optimizer's step points back at the step). Cost: two
 * stores, a thread-local read and write and a predictable branch per call, no lock, no system call
 * (but the first plugin call of each thread, which gives the thread its signal stack). */
#ifndef GDLAB_PLUGIN_CALL_H
#define GDLAB_PLUGIN_CALL_H

#include "gdlab/plugin.h"

typedef struct gdlab_plugin_call {
    const gdlab_header *plugin; /* NULL while a file is being loaded */
    const char *file;           /* NULL: looked up from the plugin (gdlab_fault_note_file) */
    const char *call;           /* "step", "eval", "init", ... */
    const struct gdlab_plugin_call *outer;
} gdlab_plugin_call;

/* Initial-exec: a plain load and store, no __tls_get_addr call, in the step loop. */
extern _Thread_local const gdlab_plugin_call *gdlab_current_call
    __attribute__((tls_model("initial-exec"), visibility("hidden")));
/* Set once this thread has been given its own signal stack (or needs none): fault.c. */
extern _Thread_local char gdlab_thread_fault_ready __attribute__((tls_model("initial-exec"), visibility("hidden")));
/* Give this thread a signal stack if the crash report is installed, so that a stack overflow in a
 * plugin on any thread (a sweep's workers) is reported too. */
void gdlab_fault_thread_init(void) __attribute__((visibility("hidden")));

static inline void gdlab_plugin_call_enter(gdlab_plugin_call *c)
{
    if (__builtin_expect(!gdlab_thread_fault_ready, 0)) gdlab_fault_thread_init();
    c->outer = gdlab_current_call;
    gdlab_current_call = c;
}

static inline void gdlab_plugin_call_leave(const gdlab_plugin_call *c)
{
    gdlab_current_call = c->outer;
}

/* The file a loaded plugin came from, for the crash message (the registry notes and forgets it). */
void gdlab_fault_note_file(const gdlab_header *plugin, const char *file);
void gdlab_fault_forget_file(const gdlab_header *plugin);

/* GDLAB_MARKED(desc, "name", statement): the statement, run as a marked call into desc's plugin
 * (surface.c for every surface call; run.c and sweep_batch.c on their fast paths). */
#define GDLAB_MARKED(desc, name, ...)                                                                  \
    do {                                                                                               \
        gdlab_plugin_call call_ = {&(desc)->h, NULL, (name), NULL};                                    \
        gdlab_plugin_call_enter(&call_);                                                               \
        __VA_ARGS__;                                                                                   \
        gdlab_plugin_call_leave(&call_);                                                               \
    } while (0)

/* The same for a loop that calls the same plugin functions many times (run.c's steps): the record is
 * made once with gdlab_plugin_call_prepare, then each GDLAB_MARKED_AGAIN(&record, statement) costs two
 * thread-local stores. Valid while the thread's current call, whenever a statement starts, is the one
 * prepare saw: true in a loop whose other marked calls each leave what they enter. */
static inline void gdlab_plugin_call_prepare(gdlab_plugin_call *c)
{
    if (__builtin_expect(!gdlab_thread_fault_ready, 0)) gdlab_fault_thread_init();
    c->outer = gdlab_current_call;
}

#define GDLAB_MARKED_AGAIN(record, ...)                                                                \
    do {                                                                                               \
        gdlab_current_call = (record);                                                                 \
        __VA_ARGS__;                                                                                   \
        gdlab_current_call = (record)->outer;                                                          \
    } while (0)

/* ---- the optimizer's functions, for run.c and sweep.c ---------------------------------------- */
static inline size_t gdlab_call_state_size(const gdlab_optimizer_desc *d, size_t dim, const double *params)
{
    if (!d->state_size) return 0;
    gdlab_plugin_call c = {&d->h, NULL, "state_size", NULL};
    gdlab_plugin_call_enter(&c);
    const size_t n = d->state_size(dim, params);
    gdlab_plugin_call_leave(&c);
    return n;
}

static inline const char *gdlab_call_init(const gdlab_optimizer_desc *d, void *state, size_t dim,
                                          const double *params, const double *x0)
{
    if (!d->init) return NULL;
    gdlab_plugin_call c = {&d->h, NULL, "init", NULL};
    gdlab_plugin_call_enter(&c);
    const char *problem = d->init(state, dim, params, x0);
    gdlab_plugin_call_leave(&c);
    return problem;
}

static inline void gdlab_call_read_internals(const gdlab_optimizer_desc *d, const void *state, size_t dim,
                                             const double *params, double *out)
{
    gdlab_plugin_call c = {&d->h, NULL, "read_internals", NULL};
    gdlab_plugin_call_enter(&c);
    d->read_internals(state, dim, params, out);
    gdlab_plugin_call_leave(&c);
}

#endif
