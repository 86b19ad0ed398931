/* SPDX-License-Identifier: MIT */
/* cleanup.h — what a signal must undo before gdlab dies: temporary files of open outputs (output.c)
 * and the C compiler a formula is waiting for, with its work folder (expr/native.c). Engine-internal;
 * the public side is gdlab_signals_install (gdlab/output.h).
 *
 * Entries live in fixed tables that the signal handler reads without locks or allocation. A path
 * handed over must stay valid and unchanged until its entry is removed. Add and remove an entry
 * with the cleanup signals blocked (cleanup_block) when the step next to it (creating the file,
 * starting the child) must not be separated from it by a signal. */
#ifndef GDLAB_CLEANUP_H
#define GDLAB_CLEANUP_H

#include <signal.h>
#include <sys/types.h>

/* Remove path if gdlab dies of a signal. The slot, or -1 when the table is full. */
int cleanup_add_file(const char *path);
void cleanup_remove_file(int slot);

/* Remove the folder work with everything in it if gdlab dies of a signal; once a child works there
 * (cleanup_set_child), first kill its process group pgid and reap it (pid == pgid). The slot, or -1
 * when the table is full. cleanup_set_child(slot, 0) forgets the child, not the folder. */
int cleanup_add_work(const char *work);
void cleanup_set_child(int slot, pid_t pgid);
void cleanup_remove_work(int slot);

/* Around threads that run plugin code in parallel (a sweep): an exit() called meanwhile cleans up
 * and ends the process in the first thread that calls it (cleanup.c says why). */
void cleanup_parallel_begin(void);
void cleanup_parallel_end(void);

/* Block (and later restore) the signals that run the cleanup, in the calling thread. */
void cleanup_block(sigset_t *old);
void cleanup_restore(const sigset_t *old);

#endif
