/* SPDX-License-Identifier: MIT */
/* cleanup.c — the signal handler that leaves nothing behind (cleanup.h, gdlab/output.h).
 *
 * Everything the handler does is async-signal-safe (POSIX.1-2017, 2.4.3): it reads lock-free atomic
 * pointers from fixed tables, and calls only kill, waitpid, open, unlinkat, unlink, rmdir, close,
 * sigaction, sigprocmask, raise and _exit, plus getdents64 through syscall() (Linux; the system call
 * itself, no library state). It then dies of the signal it
 * caught, with the default action, so the parent sees "killed by SIGINT" (the shell: 130) and a
 * shell loop stops on ^C as it should (a handler that exited normally would not tell it). */
#define _GNU_SOURCE
#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gdlab/output.h"

/* More than PLplot's 100 streams: every figure can be open at once, plus GIFs. */
enum { MAX_FILES = 256, MAX_CHILDREN = 8 };

static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
enum { N_SIGNALS = sizeof cleanup_signals / sizeof cleanup_signals[0] };
/* A crash: clean up, then die as the signal would have (a core dump where one is enabled). */
/* SIGTRAP: GLib's g_error (pango and cairo's font code, e.g. when a thread cannot be created for want
 * of memory) ends the process with it. */
static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP};
enum { N_FATAL = sizeof fatal_signals / sizeof fatal_signals[0] };

static const char *_Atomic files[MAX_FILES];
static const char *_Atomic works[MAX_CHILDREN];
static _Atomic pid_t children[MAX_CHILDREN];

static int claim(const char *_Atomic *table, int n, const char *path)
{
    for (int i = 0; i < n; i++) {
        const char *expected = NULL;
        if (atomic_compare_exchange_strong(&table[i], &expected, path)) return i;
    }
    return -1;
}

int cleanup_add_file(const char *path)
{
    return claim(files, MAX_FILES, path);
}

void cleanup_remove_file(int slot)
{
    if (slot >= 0 && slot < MAX_FILES) atomic_store(&files[slot], NULL);
}

int cleanup_add_work(const char *work)
{
    return claim(works, MAX_CHILDREN, work);
}

void cleanup_set_child(int slot, pid_t pgid)
{
    if (slot >= 0 && slot < MAX_CHILDREN) atomic_store(&children[slot], pgid);
}

void cleanup_remove_work(int slot)
{
    if (slot < 0 || slot >= MAX_CHILDREN) return;
    atomic_store(&children[slot], 0);
    atomic_store(&works[slot], NULL);
}

static void cleanup_set(sigset_t *set)
{
    sigemptyset(set);
    for (int i = 0; i < N_SIGNALS; i++) sigaddset(set, cleanup_signals[i]);
}

void cleanup_block(sigset_t *old)
{
    sigset_t set;
    cleanup_set(&set);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

void cleanup_restore(const sigset_t *old)
{
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

/* ---- inside the handler: async-signal-safe only ------------------------------------------------- */

struct dirent64_raw { /* the record getdents64 fills (linux/dirent.h) */
    uint64_t ino;
    int64_t off;
    unsigned short reclen;
    unsigned char type;
    char name[];
};

/* Empty and remove a folder the compiler worked in (flat: the compiler makes no subfolders there). */
static void remove_work(const char *dir)
{
    const int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        static char buf[4096];
        for (int pass = 0; pass < 64; pass++) {
            const long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
            if (n <= 0) break;
            for (long off = 0; off < n;) {
                const struct dirent64_raw *d = (const struct dirent64_raw *)(buf + off);
                const char *e = d->name; /* skip "." and ".." (no strcmp: not on POSIX's safe list) */
                if (!(e[0] == '.' && (e[1] == '\0' || (e[1] == '.' && e[2] == '\0')))) unlinkat(fd, e, 0);
                off += d->reclen;
            }
        }
        close(fd);
    }
    rmdir(dir);
}

void gdlab_signals_cleanup(void)
{
    const int saved_errno = errno; /* a handler that returns must leave errno as it found it */
    for (int i = 0; i < MAX_CHILDREN; i++) {
        const pid_t pid = atomic_exchange(&children[i], 0); /* once: a second call kills nothing reused */
        if (pid > 0) {
            kill(-pid, SIGKILL); /* the compiler runs in a process group of its own, with its children */
            while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
        }
        const char *work = atomic_load(&works[i]);
        if (work) remove_work(work);
    }
    for (int i = 0; i < MAX_FILES; i++) {
        const char *path = atomic_load(&files[i]);
        if (path) unlink(path);
    }
    errno = saved_errno;
}

static void on_signal(int sig)
{
    gdlab_signals_cleanup();
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    _exit(128 + sig); /* only if the default action did not end the process */
}

static void install(const int *sigs, int n, int only_if_default)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_ONSTACK; /* a stack overflow still gets its cleanup (gdlab_signals_install) */
    cleanup_set(&sa.sa_mask); /* a second signal waits until the first has cleaned up */
    for (int i = 0; i < n; i++) {
        if (sigaction(sigs[i], NULL, &old) != 0) continue;
        const int plain = !(old.sa_flags & SA_SIGINFO);
        /* an ignored signal stays ignored: nohup, or a shell's background job, asked for that */
        if (plain && old.sa_handler == SIG_IGN) continue;
        if (!only_if_default || (plain && old.sa_handler == SIG_DFL)) sigaction(sigs[i], &sa, NULL);
    }
}

/* exit() from anywhere (a plugin that calls it in the middle of a run, os.exit without closing the
 * Lua state): open outputs are removed as a signal would remove them. Only in the process that
 * installed it: a forked child (gdlab --check-plugin's) exiting must not remove its parent's files. */
static pid_t installer;

static void at_exit(void)
{
    if (getpid() == installer) gdlab_signals_cleanup();
}

/* exit() from several threads at once: a sweep whose plugin calls exit() does so on every worker,
 * and glibc (2.36) then runs the exit handlers and every library's destructors in all of them at
 * the same time (a SIGSEGV in __cxa_finalize under AddressSanitizer). While threads run in
 * parallel, the first handler exit() meets cleans up and ends the process at once, with the status
 * the plugin asked for, before another thread can reach the destructors. It is registered when the
 * first parallel section begins, so that it runs before the handlers registered earlier. */
static atomic_int in_parallel;

static void exit_gate(int status, void *unused)
{
    (void)unused;
    if (atomic_load(&in_parallel) == 0 || getpid() != installer) return;
    gdlab_signals_cleanup();
    fflush(stdout); /* what the script printed before */
    _exit(status);
}

static void register_exit_gate(void)
{
    on_exit(exit_gate, NULL);
}

void cleanup_parallel_begin(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, register_exit_gate);
    atomic_fetch_add(&in_parallel, 1);
}

void cleanup_parallel_end(void)
{
    atomic_fetch_sub(&in_parallel, 1);
}

void gdlab_signals_install(int only_if_default)
{
    struct sigaction old;
    if (!installer) {
        installer = getpid();
        atexit(at_exit);
    }
    stack_t ss;
    if (sigaltstack(NULL, &ss) == 0 && (ss.ss_flags & SS_DISABLE)) { /* the main thread's, once */
        static char alt[64 * 1024];
        ss.ss_sp = alt, ss.ss_size = sizeof alt, ss.ss_flags = 0;
        sigaltstack(&ss, NULL);
    }
    install(cleanup_signals, N_SIGNALS, only_if_default);
    /* crashes: never over a handler already there (AddressSanitizer's, a host's crash reporter) */
    install(fatal_signals, N_FATAL, 1);
    /* past `ulimit -f`, write fails with EFBIG (an error gdlab reports) instead of killing gdlab */
    if (sigaction(SIGXFSZ, NULL, &old) == 0 && (!only_if_default || (!(old.sa_flags & SA_SIGINFO) &&
                                                                     old.sa_handler == SIG_DFL)))
        signal(SIGXFSZ, SIG_IGN);
}
