/* SPDX-License-Identifier: MIT */
/* gdlab/output.h — how gdlab writes a file, and what it does when it is interrupted.
 *
 * Every file gdlab writes (figures on any PLplot file device, books, GIF animations) goes through one
 * writer: the bytes go to a new temporary file in the target's own folder, every write, flush, fsync
 * and close is checked, and only then is the temporary renamed over the target. A failure at any
 * point removes the temporary and leaves an existing target exactly as it was. docs/reliability.md
 * ("Output files and signals") states the promises and how the suite checks them.
 *
 * The target is the path as given, except that a symbolic link is followed (its target is replaced,
 * the link stays). Refused with an error naming the path: an empty name; a folder, FIFO, device or
 * socket; a dangling link; a target another open output of this process is writing. "-" means
 * standard output, only when that is not a terminal (written directly: nothing to rename). */
#ifndef GDLAB_OUTPUT_H
#define GDLAB_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif
#pragma GCC visibility push(default)

typedef struct gdlab_output gdlab_output;

/* Start writing path. what names the kind of file in messages ("figure", "book", "GIF") and must
 * outlive the output (a string literal). NULL with err on failure. */
gdlab_output *gdlab_output_open(const char *path, const char *what, char *err, size_t errlen);

/* A stdio stream into the temporary file. A failed write is remembered and reported by commit, so a
 * writer that ignores fwrite's result (PLplot's drivers do) still cannot produce a cut file. The
 * stream may be fclosed by its user (PLplot does, at plend1): that only ends the stream, the file
 * itself stays open until commit or abort. */
FILE *gdlab_output_stream(gdlab_output *out);

/* Say that the stream now belongs to another library (plsfile), which will fclose it: abort then
 * leaves it open to its holder, with its writes failing from then on, instead of closing it. */
void gdlab_output_hand_over(gdlab_output *out);

/* The errno of the first write into the stream that failed, or 0. Lets a caller whose own writer
 * reports a failure vaguely (PLplot: "Cannot write to file!") name the cause instead. */
int gdlab_output_error(const gdlab_output *out);

/* The path given to gdlab_output_open. */
const char *gdlab_output_path(const gdlab_output *out);

/* Finish: close the stream if still open, check that every byte reached the disk (an empty result is
 * an error too: no writer gdlab has produces an empty file), rename over the target. Frees out in all
 * cases; 0, or -1 with err naming the file and the reason (the temporary is then removed). */
int gdlab_output_commit(gdlab_output *out, char *err, size_t errlen);

/* Give up: remove the temporary, leave the target as it was, free out. The stream is closed, unless
 * it was handed over and is still open (see gdlab_output_hand_over). */
void gdlab_output_abort(gdlab_output *out);

/* Signals. SIGINT, SIGTERM, SIGHUP and SIGPIPE end gdlab promptly: the handler (async-signal-safe)
 * removes every temporary of an open output, kills the C compiler a formula may be waiting for and
 * removes its work folder, then the process dies of the same signal (the shell sees 128 + N: 130,
 * 143, 129). A crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) cleans up the same way before it
 * dies as it would have. SIGXFSZ is ignored, so exceeding `ulimit -f` is a write error (EFBIG) like a
 * full disk. A signal that is ignored (nohup, a background job of a shell without job control) stays
 * ignored. only_if_default: install only where the disposition is still the default (what a library
 * loaded into someone else's program should do: the Lua module passes 1, the gdlab command 0). */
void gdlab_signals_install(int only_if_default);

/* The handler's cleanup alone, async-signal-safe: for a signal handler of the caller's own (one that
 * reports a crash, say) that replaces gdlab's. Outputs open at that moment can no longer be
 * committed (their temporaries are gone), and a formula compile under way falls back to the tape. */
void gdlab_signals_cleanup(void);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif
