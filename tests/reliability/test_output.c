/* SPDX-License-Identifier: MIT */
/* test_output.c — the output writer (core/engine/output.c, gdlab/output.h) on its own: what a
 * commit leaves (content, mode, no temporary), what every failure leaves (the old file byte for byte,
 * no temporary, a message naming the file and the cause), the refusals (empty name, folder, FIFO
 * without hanging, dangling link, missing folder, a file another open output is writing, "-" on a
 * terminal), links followed, a stream closed by its user as PLplot does, seeks (PLplot's PostScript
 * driver rewinds), and the signal handler removing temporaries in a child that is killed or crashes. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "gdlab/gdlab.h"
#include "gdlab/output.h"

static char dir[256];

static void path_of(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

/* The file's content ("" when it cannot be read) into buf. */
static const char *read_file(const char *path, char *buf, size_t n)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f) return buf;
    const size_t got = fread(buf, 1, n - 1, f);
    buf[got] = '\0';
    fclose(f);
    return buf;
}

/* How many temporaries of the writer are in the test folder (or in sub). */
static int temporaries(const char *sub)
{
    char d[300];
    snprintf(d, sizeof d, "%s%s%s", dir, sub ? "/" : "", sub ? sub : "");
    DIR *h = opendir(d);
    int n = 0;
    for (const struct dirent *e; h && (e = readdir(h));) n += strstr(e->d_name, "gdlab-tmp") != NULL;
    if (h) closedir(h);
    return n;
}

static void test_commit_writes_whole_file_with_umask_mode(void)
{
    char path[300], buf[64], err[GDLAB_ERRLEN];
    path_of(path, sizeof path, "a.txt");
    const mode_t old_mask = umask(027);
    gdlab_output *o = gdlab_output_open(path, "figure", err, sizeof err);
    CHECK(o != NULL);
    CHECK(temporaries(NULL) == 1); /* the bytes go beside the target, not into it */
    CHECK(access(path, F_OK) != 0);
    fputs("hello", gdlab_output_stream(o));
    CHECK(gdlab_output_commit(o, err, sizeof err) == 0);
    umask(old_mask);
    CHECK(strcmp(read_file(path, buf, sizeof buf), "hello") == 0);
    CHECK(temporaries(NULL) == 0);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640);
}

static void test_abort_and_failures_leave_old_file(void)
{
    char path[300], buf[64], err[GDLAB_ERRLEN];
    path_of(path, sizeof path, "old.txt");
    write_file(path, "old");
    chmod(path, 0600);
    gdlab_output *o = gdlab_output_open(path, "figure", err, sizeof err);
    fputs("new, never kept", gdlab_output_stream(o));
    gdlab_output_abort(o);
    CHECK(strcmp(read_file(path, buf, sizeof buf), "old") == 0);
    CHECK(temporaries(NULL) == 0);

    /* nothing written: an error, not an empty file */
    o = gdlab_output_open(path, "figure", err, sizeof err);
    CHECK(gdlab_output_commit(o, err, sizeof err) != 0);
    CHECK_STR_CONTAINS(err, "figure '");
    CHECK_STR_CONTAINS(err, "old.txt' not written: nothing was written into it");
    CHECK(strcmp(read_file(path, buf, sizeof buf), "old") == 0);
    CHECK(temporaries(NULL) == 0);

    /* a replaced file keeps its permissions */
    o = gdlab_output_open(path, "figure", err, sizeof err);
    fputs("newer", gdlab_output_stream(o));
    CHECK(gdlab_output_commit(o, err, sizeof err) == 0);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    CHECK(strcmp(read_file(path, buf, sizeof buf), "newer") == 0);
}

/* Past the file size limit write fails with EFBIG (SIGXFSZ ignored): the writer must notice although
 * its user never looks at fwrite's result, as PLplot's drivers do not. */
static void test_file_size_limit_is_an_error(void)
{
    char path[300], buf[64], err[GDLAB_ERRLEN];
    path_of(path, sizeof path, "big.bin");
    write_file(path, "small old file");
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = 8192;
    CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
    gdlab_output *o = gdlab_output_open(path, "figure", err, sizeof err);
    FILE *f = gdlab_output_stream(o);
    static char block[4096];
    memset(block, 'x', sizeof block);
    for (int i = 0; i < 10; i++) fwrite(block, 1, sizeof block, f); /* unchecked, like PLplot */
    fclose(f); /* the stream's user closes it, as PLplot does at plend1 */
    CHECK(gdlab_output_error(o) == EFBIG);
    CHECK(gdlab_output_commit(o, err, sizeof err) != 0);
    setrlimit(RLIMIT_FSIZE, &old);
    CHECK_STR_CONTAINS(err, "big.bin' not written: File too large (an existing file of that name is left as it was)");
    CHECK(strcmp(read_file(path, buf, sizeof buf), "small old file") == 0);
    CHECK(temporaries(NULL) == 0);
}

static void test_seek_and_link(void)
{
    char path[300], link[300], buf[64], err[GDLAB_ERRLEN];
    path_of(path, sizeof path, "target.ps");
    path_of(link, sizeof link, "link.ps");
    write_file(path, "old");
    CHECK(symlink("target.ps", link) == 0);
    gdlab_output *o = gdlab_output_open(link, "figure", err, sizeof err);
    FILE *f = gdlab_output_stream(o);
    fputs("AAAA", f);
    rewind(f); /* PLplot's ps driver goes back to write the bounding box */
    fputs("B", f);
    CHECK(gdlab_output_commit(o, err, sizeof err) == 0);
    struct stat st;
    CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode)); /* the link stays ... */
    CHECK(strcmp(read_file(path, buf, sizeof buf), "BAAA") == 0); /* ... and its target is replaced */
}

static void test_refusals(void)
{
    char path[300], other[300], err[GDLAB_ERRLEN];
    CHECK(gdlab_output_open("", "figure", err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "cannot write figure: the file name is empty");
    CHECK(gdlab_output_open(dir, "book", err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "it is a folder; gdlab writes only regular files");

    path_of(path, sizeof path, "fifo.png");
    CHECK(mkfifo(path, 0600) == 0);
    CHECK(gdlab_output_open(path, "figure", err, sizeof err) == NULL); /* returns: no reader needed */
    CHECK_STR_CONTAINS(err, "fifo.png': it is a FIFO (named pipe)");

    path_of(path, sizeof path, "dangling.png");
    CHECK(symlink("no/such/file.png", path) == 0);
    CHECK(gdlab_output_open(path, "figure", err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "dangling.png': it is a symbolic link to a file that cannot be reached");

    path_of(path, sizeof path, "missing/x.png");
    CHECK(gdlab_output_open(path, "GIF", err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "cannot write GIF '");
    CHECK_STR_CONTAINS(err, "missing/x.png': its folder '");
    CHECK_STR_CONTAINS(err, "missing' does not exist");

    char *long_path = malloc(5000); /* longer than PATH_MAX: the system's error, not a cut name */
    memset(long_path, 'a', 4999);
    long_path[4999] = '\0';
    CHECK(gdlab_output_open(long_path, "figure", err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "File name too long");
    free(long_path);

    /* the same file twice, under two spellings: the second is refused while the first is open */
    path_of(path, sizeof path, "twice.png");
    snprintf(other, sizeof other, "%s/./twice.png", dir);
    gdlab_output *first = gdlab_output_open(path, "figure", err, sizeof err);
    CHECK(first != NULL);
    CHECK(gdlab_output_open(other, "GIF", err, sizeof err) == NULL);
    CHECK_STR_CONTAINS(err, "another open figure is writing the same file");
    CHECK(temporaries(NULL) == 1);
    fputs("first", gdlab_output_stream(first));
    CHECK(gdlab_output_commit(first, err, sizeof err) == 0);
    gdlab_output *again = gdlab_output_open(other, "GIF", err, sizeof err); /* free again */
    CHECK(again != NULL);
    gdlab_output_abort(again);
    CHECK(temporaries(NULL) == 0);
}

/* "-" is standard output when that is not a terminal; on a terminal it is refused. */
static void test_standard_output(void)
{
    char err[GDLAB_ERRLEN], path[300], buf[64];
    fflush(stdout);
    const int saved = dup(1);
    path_of(path, sizeof path, "stdout.txt");
    const int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 1);
    gdlab_output *o = gdlab_output_open("-", "figure", err, sizeof err);
    CHECK(o != NULL);
    if (o) {
        fputs("to stdout", gdlab_output_stream(o));
        CHECK(gdlab_output_commit(o, err, sizeof err) == 0);
    }
    CHECK(strcmp(read_file(path, buf, sizeof buf), "to stdout") == 0);
    const int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0) {
        const int tty = open(ptsname(master), O_RDWR | O_NOCTTY);
        dup2(tty, 1);
        CHECK(gdlab_output_open("-", "figure", err, sizeof err) == NULL);
        CHECK_STR_CONTAINS(err, "cannot write figure '-' (standard output): it is a terminal");
        close(tty);
    } else {
        fprintf(stderr, "note: no pseudo-terminal here, '-' on a terminal not checked\n");
    }
    if (master >= 0) close(master);
    dup2(saved, 1);
    close(saved);
    close(fd);
}

/* A child with an open output is killed by sig: it must die of sig, with no temporary left. */
static void test_signal_removes_temporaries(int sig)
{
    char path[300], buf[64], err[GDLAB_ERRLEN];
    path_of(path, sizeof path, "signalled.png");
    write_file(path, "old");
    int ready[2];
    CHECK(pipe(ready) == 0);
    const pid_t pid = fork();
    if (pid == 0) {
        signal(sig, SIG_DFL); /* as a terminal would start it, whatever ctest did */
        gdlab_signals_install(0);
        gdlab_output *a = gdlab_output_open(path, "figure", err, sizeof err);
        char other[300];
        path_of(other, sizeof other, "signalled-2.png");
        gdlab_output *b = gdlab_output_open(other, "figure", err, sizeof err);
        fputs("half a figure", gdlab_output_stream(a));
        fflush(gdlab_output_stream(a));
        if (!a || !b || write(ready[1], "r", 1) != 1) _exit(3);
        for (;;) pause();
    }
    char c;
    CHECK(read(ready[0], &c, 1) == 1);
    CHECK(temporaries(NULL) == 2);
    kill(pid, sig);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == sig);
    CHECK(temporaries(NULL) == 0);
    CHECK(strcmp(read_file(path, buf, sizeof buf), "old") == 0);
    close(ready[0]), close(ready[1]);
}

/* A crash (here SIGABRT and SIGILL, which sanitizers leave alone) cleans up before the process dies
 * of it; a handler of the program's own that replaced gdlab's can call gdlab_signals_cleanup. */
static void on_own_handler(int sig)
{
    (void)sig;
    gdlab_signals_cleanup();
    _exit(42);
}

static void test_crash_removes_temporaries(int sig, int own_handler)
{
    char path[300], buf[64], err[GDLAB_ERRLEN];
    path_of(path, sizeof path, "crashed.png");
    write_file(path, "old");
    const pid_t pid = fork();
    if (pid == 0) {
        signal(sig, SIG_DFL);
        setrlimit(RLIMIT_CORE, &(struct rlimit){0, 0}); /* no core file left behind by the test */
        gdlab_signals_install(0);
        if (own_handler) signal(sig, on_own_handler);
        gdlab_output *o = gdlab_output_open(path, "figure", err, sizeof err);
        if (!o || temporaries(NULL) != 1) _exit(3);
        fputs("half a figure", gdlab_output_stream(o));
        raise(sig);
        _exit(4);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (own_handler) CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42);
    else CHECK(WIFSIGNALED(status) && WTERMSIG(status) == sig);
    CHECK(temporaries(NULL) == 0);
    CHECK(strcmp(read_file(path, buf, sizeof buf), "old") == 0);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/gdlab-output-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) return perror("mkdtemp"), 1;
    test_commit_writes_whole_file_with_umask_mode();
    test_abort_and_failures_leave_old_file();
    test_file_size_limit_is_an_error();
    test_seek_and_link();
    test_refusals();
    test_standard_output();
    test_signal_removes_temporaries(SIGINT);
    test_signal_removes_temporaries(SIGTERM);
    test_signal_removes_temporaries(SIGHUP);
    test_crash_removes_temporaries(SIGABRT, 0);
    test_crash_removes_temporaries(SIGILL, 0);
    test_crash_removes_temporaries(SIGSEGV, 1);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "note: could not remove %s\n", dir);
    return CHECK_RESULT();
}
