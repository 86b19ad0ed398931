/* SPDX-License-Identifier: MIT */
/* progress.c — the progress bar (gdlab/progress.h).
 *
 * The bar stays hidden for the first half second; then it appears only if the work, extrapolated from
 * what is done, will take a second or more in all (or its size is unknown). Finished units are counted
 * with an atomic addition; a thread that finds the next drawing time passed (checked only every
 * CHECK_EVERY units, so a loop that adds per step does not read the clock per step) claims the
 * drawing with an atomic flag, and the others carry on. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gdlab/progress.h"

#define HIDDEN_FOR 0.5   /* seconds before the bar may appear */
#define WORTH_IT 1.0     /* ... and only for work that takes this long in all */
#define REDRAW 0.1       /* seconds between drawings */
#define BAR_WIDTH 30

struct gdlab_progress {
    char what[32], unit[16];
    uint64_t total;
    double t0;
    atomic_uint_fast64_t done;
    atomic_uint_fast64_t next_check; /* the count at which to look at the clock again */
    _Atomic double next_draw;        /* seconds since t0 */
    atomic_flag drawing;
    atomic_int shown;
    uint64_t check_every;            /* units between clock reads (grows for fast work) */
};

static atomic_int enabled = 1;
static atomic_int running; /* a bar exists */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int gdlab_progress_enable(int on)
{
    return atomic_exchange(&enabled, on != 0);
}

/* Is stderr a terminal? Asked once: it does not change while gdlab runs. */
static int stderr_is_terminal(void)
{
    static atomic_int answer = -1;
    int a = atomic_load(&answer);
    if (a < 0) atomic_store(&answer, a = isatty(STDERR_FILENO));
    return a;
}

gdlab_progress *gdlab_progress_start(const char *what, const char *unit, uint64_t total)
{
    if (!atomic_load(&enabled) || !stderr_is_terminal()) return NULL;
    int idle = 0;
    if (!atomic_compare_exchange_strong(&running, &idle, 1)) return NULL;
    gdlab_progress *p = calloc(1, sizeof *p);
    if (!p) {
        atomic_store(&running, 0);
        return NULL;
    }
    snprintf(p->what, sizeof p->what, "%s", what);
    snprintf(p->unit, sizeof p->unit, "%s", unit);
    p->total = total;
    p->t0 = now();
    p->check_every = 1;
    atomic_init(&p->next_check, 1);
    atomic_init(&p->next_draw, HIDDEN_FOR);
    atomic_flag_clear(&p->drawing);
    return p;
}

/* "1:05" or "12.3s" */
static void format_time(char *buf, size_t len, double s)
{
    if (s < 60)
        snprintf(buf, len, "%.1fs", s);
    else if (s < 3600)
        snprintf(buf, len, "%d:%02d", (int)s / 60, (int)s % 60);
    else
        snprintf(buf, len, "%d:%02d:%02d", (int)s / 3600, (int)s / 60 % 60, (int)s % 60);
}

static void draw(gdlab_progress *p, uint64_t done, double elapsed, int last)
{
    const double rate = elapsed > 0 ? (double)done / elapsed : 0;
    char line[256], when[32];
    int len = snprintf(line, sizeof line, "\r%s ", p->what);
    if (p->total) {
        const double frac = done >= p->total ? 1.0 : (double)done / (double)p->total;
        const int filled = (int)(frac * BAR_WIDTH);
        line[len++] = '[';
        for (int i = 0; i < BAR_WIDTH; i++) line[len++] = i < filled ? '#' : '.';
        len += snprintf(line + len, sizeof line - (size_t)len, "] %3d%% %llu/%llu %s", (int)(100 * frac),
                        (unsigned long long)done, (unsigned long long)p->total, p->unit);
    } else {
        len += snprintf(line + len, sizeof line - (size_t)len, "%llu %s", (unsigned long long)done, p->unit);
    }
    len += snprintf(line + len, sizeof line - (size_t)len, rate >= 100 ? ", %.0f/s" : ", %.1f/s", rate);
    if (last) {
        format_time(when, sizeof when, elapsed);
        len += snprintf(line + len, sizeof line - (size_t)len, ", done in %s\033[K\n", when);
    } else if (p->total && rate > 0) {
        format_time(when, sizeof when, (double)(p->total - (done < p->total ? done : p->total)) / rate);
        len += snprintf(line + len, sizeof line - (size_t)len, ", ETA %s\033[K", when);
    } else {
        format_time(when, sizeof when, elapsed);
        len += snprintf(line + len, sizeof line - (size_t)len, ", %s\033[K", when);
    }
    fwrite(line, 1, (size_t)len < sizeof line ? (size_t)len : sizeof line - 1, stderr);
    fflush(stderr);
}

void gdlab_progress_add(gdlab_progress *p, uint64_t n)
{
    if (!p) return;
    const uint64_t done = atomic_fetch_add(&p->done, n) + n;
    if (done < atomic_load_explicit(&p->next_check, memory_order_relaxed)) return;
    if (atomic_flag_test_and_set(&p->drawing)) return; /* another thread is at it */
    const double elapsed = now() - p->t0;
    /* read the clock about every millisecond: aim check_every at the units done per millisecond */
    const double per_ms = elapsed > 0 ? (double)done / (elapsed * 1e3) : 1;
    p->check_every = per_ms > 1 ? (uint64_t)per_ms : 1;
    atomic_store(&p->next_check, done + p->check_every);
    if (elapsed >= atomic_load(&p->next_draw)) {
        int show = atomic_load(&p->shown);
        /* unknown total: shown once the work has taken WORTH_IT; known: when it is going to */
        const double projected = p->total ? elapsed * (double)p->total / (double)done : elapsed;
        if (!show && (p->total == 0 || done < p->total) && projected >= WORTH_IT) atomic_store(&p->shown, show = 1);
        if (show) draw(p, done, elapsed, 0);
        atomic_store(&p->next_draw, elapsed + REDRAW);
    }
    atomic_flag_clear(&p->drawing);
}

void gdlab_progress_end(gdlab_progress *p)
{
    if (!p) return;
    if (atomic_load(&p->shown)) draw(p, atomic_load(&p->done), now() - p->t0, 1);
    free(p);
    atomic_store(&running, 0);
}
