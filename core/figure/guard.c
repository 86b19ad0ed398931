/* SPDX-License-Identifier: MIT */
/* guard.c — PLplot errors become gdlab errors. PLplot reports a fatal error through plexit, which
 * calls the plsexit handler and then exit(); a non-fatal one through plabort, which calls the plsabort
 * handler and returns. gdlab installs both handlers once: the abort handler records the message in the
 * innermost trap, the exit handler also jumps back to the trap's setjmp, so exit() is never reached.
 * A stream left by such a jump is not used again (the figure is marked broken). */
#include <stdio.h>
#include <string.h>

#include "fig_internal.h"
#include "gdlab/output.h"

static gdlab_plplot_trap *innermost;
static int installed;

static void record(const char *message)
{
    if (!innermost || innermost->message[0]) return; /* keep the first message: it is the cause */
    snprintf(innermost->message, sizeof innermost->message, "%s", message ? message : "");
    /* some of PLplot's messages end in a newline ("Failed to open X Windows display\n"): gdlab's are one line */
    char *m = innermost->message;
    for (size_t n = strlen(m); n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '); n--) m[n - 1] = '\0';
    for (char *c = m; *c; c++)
        if (*c == '\n') *c = ' ';
}

static void on_abort(PLCHAR_VECTOR message)
{
    record(message);
}

static int on_exit_request(PLCHAR_VECTOR message)
{
    record(message && *message ? message : "PLplot failed");
    if (innermost) {
        innermost->fatal = 1;
        longjmp(innermost->jump, 1);
    }
    return 1; /* no trap: PLplot goes on to exit, as it would without gdlab */
}

void fig_install_handlers(void)
{
    if (installed) return;
    installed = 1;
    plsexit(on_exit_request);
    plsabort(on_abort);
}

void gdlab_plplot_trap_push(gdlab_plplot_trap *t)
{
    fig_install_handlers();
    t->fatal = 0;
    t->message[0] = '\0';
    t->out_of_memory = NULL;
    t->outer = innermost;
    innermost = t;
}

void fig_out_of_memory(const char *what)
{
    if (innermost && !innermost->out_of_memory) innermost->out_of_memory = what; /* the first is the cause */
}

void gdlab_plplot_trap_pop(gdlab_plplot_trap *t)
{
    if (innermost == t) innermost = t->outer;
}

int fig_run(gdlab_figure *fig, fig_body body, void *ctx, char *err, size_t errlen)
{
    if (fig->broken) {
        snprintf(err, errlen, "figure cannot draw any more: %.200s", fig->broken_reason);
        return -1;
    }
    PLINT previous;
    plgstrm(&previous);
    plsstrm(fig->stream);
    fig_draw_target(fig);
    gdlab_plplot_trap trap;
    gdlab_plplot_trap_push(&trap);
    volatile int rc = -1;
    if (setjmp(trap.jump) == 0) rc = body(fig, ctx, err, errlen);
    gdlab_plplot_trap_pop(&trap);
    plsstrm(previous);
    if (trap.fatal) {
        fig->broken = 1;
        const int e = gdlab_output_error(fig->out); /* the cause, when PLplot only saw its effect */
        if (e)
            snprintf(fig->broken_reason, sizeof fig->broken_reason, "cannot write figure '%.150s': %s", fig->path,
                     strerror(e));
        else
            snprintf(fig->broken_reason, sizeof fig->broken_reason, "PLplot: %.200s", trap.message);
        snprintf(err, errlen, "%s", fig->broken_reason);
        return -1;
    }
    if (rc == 0 && trap.out_of_memory) {
        snprintf(err, errlen, "out of memory drawing %s", trap.out_of_memory);
        return -1;
    }
    if (rc == 0 && trap.message[0]) { /* PLplot skipped something it was asked to do */
        snprintf(err, errlen, "PLplot: %s", trap.message);
        return -1;
    }
    return rc;
}
