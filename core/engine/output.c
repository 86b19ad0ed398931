/* SPDX-License-Identifier: MIT */
/* output.c — the one way gdlab writes a file (gdlab/output.h): a temporary file next to the target,
 * every write checked, renamed over the target only when all of it reached the disk.
 *
 * The bytes go through a stdio stream made with fopencookie, whose functions do the write(2) calls
 * themselves: a failed write is remembered here, so even a writer that ignores every fwrite result
 * (PLplot's drivers do, and fclose the stream themselves) cannot make gdlab keep a cut file. The
 * cookie is a separate allocation, freed by whichever ends last, the stream or the output, so a
 * stream that outlives its output (a PLplot stream abandoned after a fatal error) writes nowhere
 * rather than into freed memory. */
#define _GNU_SOURCE
#include "gdlab/output.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"

typedef struct cookie {
    int fd;
    int error;            /* the first errno of a failed write or seek */
    int stream_open;
    gdlab_output *owner;  /* NULL once the output is gone: the stream's close frees the cookie */
} cookie;

struct gdlab_output {
    char *path;           /* as given, for messages */
    char *target;         /* what is renamed over: path, or the file a symbolic link points to */
    char *temp;           /* NULL when writing standard output */
    const char *what;
    int slot;             /* in the signal handler's table */
    dev_t dir_dev;        /* the target's folder and name identify it among open outputs */
    ino_t dir_ino;
    const char *base;     /* into target */
    FILE *stream;
    cookie *ck;
    int handed_over;      /* the stream's holder, not abort, closes it */
    gdlab_output *next;   /* open outputs */
};

static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
static gdlab_output *open_outputs;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* A path as messages show it: a very long one by its two ends, so the reason after it fits. */
typedef struct shown_path {
    char s[200];
} shown_path;

static shown_path shown(const char *p)
{
    shown_path r;
    const size_t n = strlen(p);
    if (n < sizeof r.s) memcpy(r.s, p, n + 1);
    else snprintf(r.s, sizeof r.s, "%.90s...%s", p, p + n - 90);
    return r;
}

static char *concat(const char *a, const char *b, const char *c)
{
    const size_t na = strlen(a), nb = strlen(b), nc = strlen(c);
    char *s = malloc(na + nb + nc + 1);
    if (!s) return NULL;
    memcpy(s, a, na);
    memcpy(s + na, b, nb);
    memcpy(s + na + nb, c, nc + 1);
    return s;
}

/* ---- the stream ------------------------------------------------------------------------------ */

static ssize_t cookie_write(void *c, const char *buf, size_t n)
{
    cookie *k = c;
    size_t done = 0;
    while (!k->error && done < n) {
        const ssize_t w = k->fd < 0 ? (errno = EBADF, -1) : write(k->fd, buf + done, n - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) k->error = w < 0 ? errno : EIO;
        else done += (size_t)w;
    }
    return k->error ? -1 : (ssize_t)n;
}

static int cookie_seek(void *c, off64_t *offset, int whence)
{
    cookie *k = c;
    const off_t r = k->fd < 0 ? (errno = EBADF, (off_t)-1) : lseek(k->fd, (off_t)*offset, whence);
    if (r < 0) {
        if (!k->error) k->error = errno;
        return -1;
    }
    *offset = r;
    return 0;
}

static int cookie_close(void *c)
{
    cookie *k = c;
    k->stream_open = 0;
    if (!k->owner) free(k);
    return 0;
}

/* ---- opening ---------------------------------------------------------------------------------- */

/* A copy of path, or NULL with err saying memory ran out. */
static char *copy_path(const char *path, const char *what, char *err, size_t errlen)
{
    char *copy = concat(path, "", "");
    if (!copy) fail(err, errlen, "cannot write %s '%s': out of memory", what, shown(path).s);
    return copy;
}

/* The file that path names, following a symbolic link; NULL with err when it cannot be written as a
 * whole new file (a folder, FIFO, device, socket, dangling link). */
static char *resolve_target(const char *path, const char *what, char *err, size_t errlen)
{
    const shown_path name = shown(path);
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT) return copy_path(path, what, err, errlen);
        fail(err, errlen, "cannot write %s '%s': %s", what, name.s, strerror(errno));
        return NULL;
    }
    char *target = NULL;
    if (S_ISLNK(st.st_mode)) {
        target = realpath(path, NULL);
        if (!target || stat(target, &st) != 0) {
            fail(err, errlen, "cannot write %s '%s': it is a symbolic link to a file that cannot be reached (%s)",
                 what, name.s, strerror(errno));
            free(target);
            return NULL;
        }
    }
    const char *kind = S_ISDIR(st.st_mode) ? "a folder" : S_ISFIFO(st.st_mode) ? "a FIFO (named pipe)"
                       : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                       : S_ISSOCK(st.st_mode) ? "a socket" : NULL;
    if (kind) {
        fail(err, errlen, "cannot write %s '%s': it is %s; gdlab writes only regular files", what, name.s, kind);
        free(target);
        return NULL;
    }
    return target ? target : copy_path(path, what, err, errlen);
}

/* Is another open output writing the same file? Called with open_lock held. */
static gdlab_output *find_open(dev_t dev, ino_t ino, const char *base)
{
    for (gdlab_output *o = open_outputs; o; o = o->next)
        if (o->dir_dev == dev && o->dir_ino == ino && strcmp(o->base, base) == 0) return o;
    return NULL;
}

static uint64_t random_bits(void)
{
    uint64_t r = 0;
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) { /* no entropy yet: vary anyway */
        static _Atomic uint64_t counter;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        r = ((uint64_t)getpid() << 32) ^ (uint64_t)ts.tv_nsec ^ (++counter * 0x9e3779b97f4a7c15u);
    }
    return r;
}

/* Create the temporary (O_EXCL, mode 0666 less the umask, as a new file gets) and enter it in the
 * signal handler's table, with no signal in between. fd, or -1 with errno. */
static int create_temp(gdlab_output *o, const char *dir)
{
    for (int attempt = 0; attempt < 100; attempt++) {
        char name[160];
        /* the target's name, cut to stay far below NAME_MAX, then 48 random bits */
        snprintf(name, sizeof name, "/.%.100s.%012llx.gdlab-tmp", o->base,
                 (unsigned long long)(random_bits() & 0xffffffffffffu));
        free(o->temp);
        if (!(o->temp = concat(dir, name, ""))) return errno = ENOMEM, -1;
        sigset_t old;
        cleanup_block(&old);
        const int fd = open(o->temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        int saved = errno;
        if (fd >= 0 && (o->slot = cleanup_add_file(o->temp)) < 0) {
            unlink(o->temp);
            close(fd);
            saved = EMFILE;
        }
        cleanup_restore(&old);
        if (fd >= 0 && o->slot >= 0) return fd;
        if (saved != EEXIST) return errno = saved, -1;
    }
    return errno = EEXIST, -1;
}

static void output_free(gdlab_output *o)
{
    if (!o) return;
    free(o->path), free(o->target), free(o->temp), free(o);
}

static int open_stream(gdlab_output *o, int fd)
{
    static const cookie_io_functions_t io = {NULL, cookie_write, cookie_seek, cookie_close};
    o->ck = calloc(1, sizeof *o->ck);
    if (!o->ck) return -1;
    *o->ck = (cookie){fd, 0, 1, o};
    o->stream = fopencookie(o->ck, "w", io);
    if (!o->stream) {
        free(o->ck);
        o->ck = NULL;
        return -1;
    }
    return 0;
}

static gdlab_output *open_stdout(gdlab_output *o, char *err, size_t errlen)
{
    if (isatty(STDOUT_FILENO)) {
        fail(err, errlen, "cannot write %s '-' (standard output): it is a terminal; give a file name, or "
             "redirect standard output to a file or a pipe", o->what);
        output_free(o);
        return NULL;
    }
    pthread_mutex_lock(&open_lock);
    gdlab_output *other = find_open(0, 0, "-");
    if (!other) o->next = open_outputs, open_outputs = o;
    pthread_mutex_unlock(&open_lock);
    const int fd = other ? -1 : fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (other || fd < 0 || open_stream(o, fd)) {
        if (other)
            fail(err, errlen, "cannot write %s '-': standard output is already being written by another "
                 "open output; close that first", o->what);
        else
            fail(err, errlen, "cannot write %s '-' (standard output): %s", o->what, strerror(errno));
        if (fd >= 0) close(fd);
        if (!other) gdlab_output_abort(o);
        else output_free(o);
        return NULL;
    }
    return o;
}

gdlab_output *gdlab_output_open(const char *path, const char *what, char *err, size_t errlen)
{
    if (!what) what = "file";
    if (!path || !path[0]) {
        fail(err, errlen, "cannot write %s: the file name is empty", what);
        return NULL;
    }
    const shown_path name = shown(path);
    gdlab_output *o = calloc(1, sizeof *o);
    if (!o || !(o->path = concat(path, "", ""))) {
        fail(err, errlen, "cannot write %s '%s': out of memory", what, name.s);
        free(o);
        return NULL;
    }
    o->what = what, o->slot = -1;
    if (strcmp(path, "-") == 0) {
        o->base = "-";
        return open_stdout(o, err, errlen);
    }
    if (!(o->target = resolve_target(path, what, err, errlen))) {
        output_free(o);
        return NULL;
    }
    /* the folder: everything before the last '/' ("." when there is none, "/" for a file in it) */
    char *slash = strrchr(o->target, '/');
    o->base = slash ? slash + 1 : o->target;
    char *dir = slash ? (slash == o->target ? concat("/", "", "") : strndup(o->target, (size_t)(slash - o->target)))
                      : concat(".", "", "");
    struct stat dst;
    if (!dir || !*o->base || stat(dir, &dst) != 0 || !S_ISDIR(dst.st_mode)) {
        if (!dir) fail(err, errlen, "cannot write %s '%s': out of memory", what, name.s);
        else if (!*o->base) fail(err, errlen, "cannot write %s '%s': the name ends with '/', a folder", what, name.s);
        else fail(err, errlen, "cannot write %s '%s': its folder '%s' %s", what, name.s, shown(dir).s,
                  errno == ENOENT ? "does not exist" : strerror(errno));
        free(dir);
        output_free(o);
        return NULL;
    }
    pthread_mutex_lock(&open_lock);
    const gdlab_output *other = find_open(dst.st_dev, dst.st_ino, o->base);
    if (!other) {
        o->dir_dev = dst.st_dev, o->dir_ino = dst.st_ino;
        o->next = open_outputs, open_outputs = o;
    }
    pthread_mutex_unlock(&open_lock);
    if (other) {
        fail(err, errlen, "cannot write %s '%s': another open %s is writing the same file ('%s'); close it "
             "first", what, name.s, other->what, shown(other->path).s);
        free(dir);
        output_free(o);
        return NULL;
    }
    const int fd = create_temp(o, dir);
    if (fd < 0) {
        const int e = errno;
        fail(err, errlen, "cannot write %s '%s': cannot create a file in its folder '%s': %s", what, name.s,
             shown(dir).s, strerror(e));
        free(dir);
        free(o->temp), o->temp = NULL; /* not created */
        gdlab_output_abort(o);
        return NULL;
    }
    free(dir);
    struct stat old; /* a file replaced keeps its permissions (a new one gets 0666 less the umask) */
    if (stat(o->target, &old) == 0) fchmod(fd, old.st_mode & 0777);
    if (open_stream(o, fd)) {
        fail(err, errlen, "cannot write %s '%s': out of memory", what, name.s);
        close(fd);
        gdlab_output_abort(o);
        return NULL;
    }
    return o;
}

FILE *gdlab_output_stream(gdlab_output *out)
{
    return out->ck && out->ck->stream_open ? out->stream : NULL;
}

void gdlab_output_hand_over(gdlab_output *out)
{
    out->handed_over = 1;
}

int gdlab_output_error(const gdlab_output *out)
{
    return out && out->ck ? out->ck->error : 0;
}

const char *gdlab_output_path(const gdlab_output *out)
{
    return out->path;
}

/* ---- finishing -------------------------------------------------------------------------------- */

static void unlist(gdlab_output *o)
{
    pthread_mutex_lock(&open_lock);
    for (gdlab_output **p = &open_outputs; *p; p = &(*p)->next)
        if (*p == o) {
            *p = o->next;
            break;
        }
    pthread_mutex_unlock(&open_lock);
}

void gdlab_output_abort(gdlab_output *out)
{
    if (!out) return;
    if (out->ck) {
        if (out->ck->fd >= 0) close(out->ck->fd);
        out->ck->fd = -1; /* from now on every write fails */
        if (out->ck->stream_open && !out->handed_over) fclose(out->stream);
        out->ck->owner = NULL;
        if (!out->ck->stream_open) free(out->ck); /* else the holder's fclose frees it */
    }
    if (out->temp) unlink(out->temp);
    cleanup_remove_file(out->slot);
    unlist(out);
    output_free(out);
}

int gdlab_output_commit(gdlab_output *out, char *err, size_t errlen)
{
    if (!out) return 0;
    cookie *k = out->ck;
    int e = 0;
    if (k->stream_open && fclose(out->stream) != 0) e = k->error ? k->error : errno ? errno : EIO;
    if (!e) e = k->error;
    struct stat st;
    const char *problem = NULL;
    if (!e && out->temp) {
        if (fstat(k->fd, &st) != 0) e = errno;
        else if (st.st_size == 0) problem = "nothing was written into it";
        else if (fsync(k->fd) != 0) e = errno;
    }
    if (!e && !problem && close(k->fd) != 0) e = errno;
    else if (e || problem) close(k->fd);
    k->fd = -1;
    if (!e && !problem && out->temp && rename(out->temp, out->target) != 0) e = errno;
    if (e || problem) {
        fail(err, errlen, "%s '%s' not written: %s%s", out->what, shown(out->path).s, problem ? problem : strerror(e),
             out->temp ? " (an existing file of that name is left as it was)" : "");
        gdlab_output_abort(out);
        return -1;
    }
    cleanup_remove_file(out->slot); /* after the rename: a signal in between finds no temporary */
    out->slot = -1;
    if (out->temp) { /* make the rename itself durable; some file systems cannot sync a folder: no error */
        char *slash = strrchr(out->target, '/');
        char *dir = slash ? strndup(out->target, slash == out->target ? 1 : (size_t)(slash - out->target)) : NULL;
        const int dfd = open(dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) fsync(dfd), close(dfd);
        free(dir);
        free(out->temp), out->temp = NULL;
    }
    free(k);
    out->ck = NULL;
    unlist(out);
    output_free(out);
    return 0;
}
