/* SPDX-License-Identifier: MIT */
/* check_plugin.h — `gdlab --check-plugin FILE`: the harness (check_plugin.c) and the checks of each
 * kind of plugin (check_optimizer.c, check_surface.c). */
#ifndef GDLAB_CHECK_PLUGIN_H
#define GDLAB_CHECK_PLUGIN_H

#include "gdlab/gdlab.h"

/* Exercise the plugin in FILE in child processes and print every problem found, for its author.
 * Returns the exit status: 0 clean, 1 problems found. */
int gdlab_check_plugin(const char *file);

/* ---- for the checks, which run in a child process ---------------------------------------------- */
/* What the plugin is doing now: a crash, a hang or an exit() is reported as happening during it. */
void check_stage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Something worth knowing that is not a problem (shown, not counted). */
void check_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One problem, as one line for the plugin's author: what is wrong, where, how to fix it. */
void check_problem(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A built-in surface (quadratic, rosenbrock, saddle) with its default parameters, or NULL with a
 * problem reported. */
gdlab_surface *check_builtin_surface(const gdlab_registry *reg, const char *name);

/* The groups of checks; each runs in its own child process. */
void check_optimizer_steps(const gdlab_registry *reg, const gdlab_optimizer_desc *d);
void check_optimizer_bad_inputs(const gdlab_registry *reg, const gdlab_optimizer_desc *d);
void check_optimizer_repeatable(const gdlab_registry *reg, const gdlab_optimizer_desc *d);
void check_surface_basics(const gdlab_surface_desc *d);
void check_surface_derivatives(const gdlab_surface_desc *d);
void check_surface_landmarks(const gdlab_surface_desc *d);

#endif
