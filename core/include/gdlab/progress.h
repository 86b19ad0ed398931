/* SPDX-License-Identifier: MIT */
/*
 * gdlab/progress.h — one progress bar for long work (core/engine/progress.c): sweeps, long runs,
 * animations, books. On stderr, only when stderr is a terminal and the work is going to take more
 * than about a second; silent in pipes, files and CI.
 *
 *     gdlab_progress *p = gdlab_progress_start("sweep", "runs", n_runs);   // NULL: no bar
 *     ... gdlab_progress_add(p, 1);   // from any thread, as units finish
 *     gdlab_progress_end(p);
 *
 * Cheap enough for hot loops: add is an atomic addition and, at most every few milliseconds, a clock
 * read; the drawing (at most ten times a second) is done by one thread at a time. One bar runs at a
 * time: start returns NULL while another is running, so the runs inside a sweep draw nothing of their
 * own. Every function accepts NULL.
 */
#ifndef GDLAB_PROGRESS_H
#define GDLAB_PROGRESS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif
#pragma GCC visibility push(default)

typedef struct gdlab_progress gdlab_progress;

/* Process-wide switch (gdlab -q, gd.progress(false)); on by default. Returns the previous setting. */
int gdlab_progress_enable(int on);

/* what: "sweep", unit: "runs"; total 0 when unknown (then no percentage and no ETA). NULL when
 * progress is off, stderr is not a terminal, another bar is running, or out of memory. */
gdlab_progress *gdlab_progress_start(const char *what, const char *unit, uint64_t total);
void gdlab_progress_add(gdlab_progress *p, uint64_t n);
/* Ends the bar (a last line with the time taken, if it was shown) and frees p. */
void gdlab_progress_end(gdlab_progress *p);

#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif
#endif /* GDLAB_PROGRESS_H */
