/* SPDX-License-Identifier: MIT */
/* The progress component in C, on a pseudo-terminal made here: four threads counting at once reach
 * exactly the total on the bar's last line; one bar at a time; off means no bar at all. */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "gdlab/progress.h"

#define THREADS 4
#define PER_THREAD 1500 /* with 1 ms between counts: about 1.5 s, long enough for the bar to show */

static void *count(void *p)
{
    const struct timespec ms = {0, 1000000};
    for (int i = 0; i < PER_THREAD; i++) {
        gdlab_progress_add(p, 1);
        nanosleep(&ms, NULL);
    }
    return NULL;
}

int main(void)
{
    /* stderr becomes the terminal side of a new pseudo-terminal; we read what it shows from the master */
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0);
    int terminal = master >= 0 ? open(ptsname(master), O_RDWR | O_NOCTTY) : -1;
    CHECK(terminal >= 0 && dup2(terminal, STDERR_FILENO) == STDERR_FILENO);

    CHECK(gdlab_progress_enable(0) == 1); /* on by default */
    CHECK(gdlab_progress_start("off", "units", 10) == NULL);
    CHECK(gdlab_progress_enable(1) == 0);

    gdlab_progress *p = gdlab_progress_start("work", "units", THREADS * PER_THREAD);
    CHECK(p != NULL);
    CHECK(gdlab_progress_start("inner", "units", 10) == NULL); /* one bar at a time */
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, count, p);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    gdlab_progress_end(p);
    gdlab_progress *again = gdlab_progress_start("again", "units", 10); /* the slot is free again */
    CHECK(again != NULL);
    gdlab_progress_end(again); /* ended at once: never shown */

    static char shown[65536];
    size_t len = 0;
    fcntl(master, F_SETFL, O_NONBLOCK);
    for (ssize_t got; len < sizeof shown - 1 && (got = read(master, shown + len, sizeof shown - 1 - len)) > 0;)
        len += (size_t)got;
    shown[len] = '\0';
    CHECK_STR_CONTAINS(shown, "work [");
    CHECK_STR_CONTAINS(shown, "%"); /* a bar on the way ... */
    CHECK_STR_CONTAINS(shown, "ETA ");
    CHECK_STR_CONTAINS(shown, "] 100% 6000/6000 units, "); /* ... and every count of every thread at the end */
    CHECK_STR_CONTAINS(shown, ", done in ");
    CHECK(strstr(shown, "off") == NULL && strstr(shown, "inner") == NULL && strstr(shown, "again") == NULL);
    return CHECK_RESULT();
}
