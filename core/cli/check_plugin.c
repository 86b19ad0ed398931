/* SPDX-License-Identifier: MIT */
/* check_plugin.c — `gdlab --check-plugin FILE`: exercise a plugin the way gdlab will, and tell its
 * author everything that goes wrong.
 *
 * Each group of checks runs in a child process (fork) that loads the plugin afresh and reports over a
 * pipe, one line per message: "S" what the plugin is doing now, "P" a problem, "N" a note, "K" the
 * plugin's kind, "E" the end. So a
 * plugin that crashes, never returns (killed after GDLAB_CHECK_TIMEOUT seconds, default 10) or calls
 * exit() is one more problem in the report, said with what it was doing, and the next group still
 * runs. The checks of each kind are in check_optimizer.c and check_surface.c. */
#define _GNU_SOURCE /* strsignal */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_plugin.h"

static int report_fd = -1; /* the child's end of the pipe */

/* One line to the parent: tag, then the text with any newline made a space. */
static void send_line(char tag, const char *fmt, va_list ap)
{
    char line[1024];
    line[0] = tag;
    vsnprintf(line + 1, sizeof line - 2, fmt, ap);
    for (char *c = line; *c; c++)
        if (*c == '\n') *c = ' ';
    const size_t n = strlen(line);
    line[n] = '\n';
    for (size_t done = 0; done < n + 1;) {
        const ssize_t w = write(report_fd, line + done, n + 1 - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;
        done += (size_t)w;
    }
}

void check_stage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    send_line('S', fmt, ap);
    va_end(ap);
}

void check_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    send_line('N', fmt, ap);
    va_end(ap);
}

void check_problem(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    send_line('P', fmt, ap);
    va_end(ap);
}

gdlab_surface *check_builtin_surface(const gdlab_registry *reg, const char *name)
{
    const gdlab_header *h = gdlab_registry_find(reg, GDLAB_KIND_SURFACE, name);
    char err[GDLAB_ERRLEN];
    if (!h) {
        check_problem("gdlab's own surface '%s' was not found, so the plugin could not be tried on it "
                      "(is GDLAB_PLUGIN_PATH hiding the built-in plugins?)", name);
        return NULL;
    }
    gdlab_surface *s = gdlab_surface_new((const gdlab_surface_desc *)h, NULL, err, sizeof err);
    if (!s) check_problem("%s", err);
    return s;
}

/* ---- the checks of loading, in the child ---------------------------------------------------------- */
typedef void (*optimizer_check)(const gdlab_registry *, const gdlab_optimizer_desc *);
typedef void (*surface_check)(const gdlab_surface_desc *);

typedef struct group {
    const char *title;
    optimizer_check optimizer;
    surface_check surface;
} group;

/* Load the plugin (first, so that a plugin named like a built-in one is the one found), then the
 * built-in plugins; the plugin's descriptor, or NULL with the problem reported. */
static const gdlab_header *load(gdlab_registry *reg, const char *file)
{
    char err[GDLAB_ERRLEN * 2];
    check_stage("loading (its constructors and " GDLAB_ENTRY_SYMBOL ")");
    if (gdlab_registry_load(reg, file, err, sizeof err)) {
        check_problem("%s", err);
        return NULL;
    }
    check_stage("loading gdlab's own plugins");
    gdlab_registry_scan_default(reg);
    return gdlab_registry_get(reg, 0, NULL);
}

/* What the loader does not refuse but an author should still fix. */
static void check_texts(const gdlab_header *h)
{
    if (!h->summary[0])
        check_problem("its summary is empty: `gdlab --list` shows it beside the name; write one line there");
    for (size_t i = 0; i < h->n_params; i++)
        if (!h->params[i].help || !h->params[i].help[0])
            check_problem("parameter '%s' has no help text: `gdlab --describe %s` and Lua errors show it; "
                          "write one line in the help member of params[%zu]", h->params[i].name, h->name, i);
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        check_stage("describing it (gdlab --describe)");
        gdlab_describe(h, NULL, null);
        fclose(null);
    }
}

static void run_group(const char *file, const group *g)
{
    gdlab_registry *reg = gdlab_registry_new();
    const gdlab_header *h = reg ? load(reg, file) : NULL;
    if (h && !g->optimizer && !g->surface) {
        dprintf(report_fd, "K%u\n", (unsigned)h->kind);
        check_texts(h);
    }
    else if (h && h->kind == GDLAB_KIND_OPTIMIZER && g->optimizer)
        g->optimizer(reg, (const gdlab_optimizer_desc *)h);
    else if (h && h->kind == GDLAB_KIND_SURFACE && g->surface)
        g->surface((const gdlab_surface_desc *)h);
    gdlab_registry_free(reg);
}

/* ---- the parent: one child per group ---------------------------------------------------------------- */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double timeout_seconds(void)
{
    const char *t = getenv("GDLAB_CHECK_TIMEOUT");
    const double s = t && *t ? strtod(t, NULL) : 10.0;
    return s > 0.0 && s <= 3600.0 ? s : 10.0;
}

/* Run one group in a child; print its problems; the number of problems (-1: could not fork). The
 * loading group sets *kind to the plugin's kind once it is loaded. */
static int check_group(const char *file, const group *g, unsigned *kind)
{
    int fds[2];
    if (pipe(fds) != 0) return -1;
    fflush(NULL);
    const pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        report_fd = fds[1];
        /* the parent reports crashes: the child dies of them plainly */
        const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
        for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) signal(fatal[i], SIG_DFL);
        run_group(file, g);
        dprintf(report_fd, "E\n");
        _exit(0);
    }
    close(fds[1]);
    char buf[8192], stage[1024] = "starting";
    size_t len = 0;
    int problems = 0, ended = 0, timed_out = 0, status = 0;
    const double deadline = now() + timeout_seconds();
    for (;;) {
        const double left = deadline - now();
        if (left <= 0.0) {
            timed_out = 1;
            break;
        }
        struct pollfd p = {fds[0], POLLIN, 0};
        if (poll(&p, 1, (int)(left * 1000.0) + 1) <= 0) continue;
        const ssize_t got = read(fds[0], buf + len, sizeof buf - 1 - len);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        len += (size_t)got;
        buf[len] = '\0';
        char *line = buf, *nl;
        while ((nl = strchr(line, '\n'))) {
            *nl = '\0';
            if (line[0] == 'S') snprintf(stage, sizeof stage, "%s", line + 1);
            else if (line[0] == 'E') ended = 1;
            else if (line[0] == 'K') *kind = (unsigned)strtoul(line + 1, NULL, 10);
            else if (line[0] == 'N') printf("  note: %s\n", line + 1);
            else if (line[0] == 'P') {
                printf("  problem: %s\n", line + 1);
                problems++;
            }
            line = nl + 1;
        }
        len = strlen(line);
        memmove(buf, line, len + 1);
        if (len == sizeof buf - 1) len = 0; /* a line too long to be ours: dropped */
    }
    close(fds[0]);
    /* the pipe is closed, but the child may still be running (a plugin that closed it, then looped) */
    while (!timed_out) {
        const pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR)) break;
        if (now() >= deadline) timed_out = 1;
        else nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    if (timed_out) {
        kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    }
    if (timed_out) {
        printf("  problem: it did not return within %g s while %s: an endless loop? (GDLAB_CHECK_TIMEOUT sets the "
               "limit) gdlab cannot stop a plugin that never returns\n", timeout_seconds(), stage);
        problems++;
    } else if (WIFSIGNALED(status)) {
        printf("  problem: it crashed with signal %d (%s) while %s; in gdlab this kills the whole process. Run it "
               "under gdb or valgrind to find the line\n", WTERMSIG(status), strsignal(WTERMSIG(status)), stage);
        problems++;
    } else if (!ended) {
        printf("  problem: it ended the process (exit status %d) while %s: a plugin must never call exit(); "
               "return an error message instead\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1, stage);
        problems++;
    }
    return problems;
}

int gdlab_check_plugin(const char *file)
{
    static const group groups[] = {
        {"loading: policy, descriptor, parameter table, texts", NULL, NULL},
        {"steps on gdlab's surfaces (quadratic, rosenbrock, saddle) with default parameters",
         check_optimizer_steps, NULL},
        {"NaN and infinite inputs", check_optimizer_bad_inputs, NULL},
        {"repeatable: two runs alike, two instances at once", check_optimizer_repeatable, NULL},
        {"domain, start, values, NaN input, repeatable", NULL, check_surface_basics},
        {"gradient and Hessian against finite differences", NULL, check_surface_derivatives},
        {"landmarks: critical points, global minima lowest", NULL, check_surface_landmarks},
    };
    printf("gdlab --check-plugin %s\n", file);
    int total = 0;
    unsigned kind = 0;
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        const group *g = &groups[i];
        if (i > 0 && !kind) break; /* not loaded: nothing more can be tried */
        if ((g->optimizer && kind != GDLAB_KIND_OPTIMIZER) || (g->surface && kind != GDLAB_KIND_SURFACE)) continue;
        printf("%s\n", g->title);
        const int n = check_group(file, g, &kind);
        if (n < 0) {
            printf("  problem: cannot start a child process: %s\n", strerror(errno));
            return 1;
        }
        if (n == 0) printf("  ok\n");
        total += n;
    }
    if (total) printf("%d problem%s found in %s\n", total, total == 1 ? "" : "s", file);
    else printf("no problems found in %s\n", file);
    return total ? 1 : 0;
}
