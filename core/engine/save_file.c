/* save_file.c — an output file that appears whole or not at all: written to a temporary file in the
 * same folder (so the final rename stays on one file system and is atomic), renamed onto the path only
 * when every write, the flush and the close succeeded. A crash or an error leaves the old file (or
 * none), never half of a new one. */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gdlab/save.h"

struct gdlab_outfile {
    FILE *f;
    char *path, *tmp;
    const char *what;
};

static void free_outfile(gdlab_outfile *o)
{
    free(o->path), free(o->tmp), free(o);
}

gdlab_outfile *gdlab_outfile_open(const char *path, const char *what, char *err, size_t errlen)
{
    static atomic_uint serial;
    gdlab_outfile *o = calloc(1, sizeof *o);
    const size_t len = strlen(path);
    if (!o || !(o->path = strdup(path)) || !(o->tmp = malloc(len + 64))) {
        snprintf(err, errlen, "cannot write %s '%s': out of memory", what, path);
        if (o) free_outfile(o);
        return NULL;
    }
    /* ".NAME.PID.N.tmp" beside NAME: hidden, and unique among threads and processes */
    const char *slash = strrchr(path, '/');
    const int dir_len = slash ? (int)(slash - path + 1) : 0;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        snprintf(o->tmp, len + 64, "%.*s.%s.%ld.%u.tmp", dir_len, path, path + dir_len, (long)getpid(),
                 atomic_fetch_add(&serial, 1));
        fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666); /* 0666 & ~umask, like fopen */
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
        snprintf(err, errlen, "cannot write %s '%s': %s", what, path, strerror(errno));
        if (fd >= 0) close(fd), remove(o->tmp);
        free_outfile(o);
        return NULL;
    }
    o->what = what;
    return o;
}

FILE *gdlab_outfile_stream(gdlab_outfile *o)
{
    return o->f;
}

int gdlab_outfile_commit(gdlab_outfile *o, char *err, size_t errlen)
{
    int failed = fflush(o->f) != 0 || ferror(o->f);
    int saved = errno;
    if (fclose(o->f) != 0 && !failed) failed = 1, saved = errno;
    if (!failed && rename(o->tmp, o->path) != 0) failed = 1, saved = errno;
    if (failed) {
        snprintf(err, errlen, "cannot write %s '%s': %s", o->what, o->path, strerror(saved ? saved : EIO));
        remove(o->tmp);
    }
    free_outfile(o);
    return failed ? -1 : 0;
}

void gdlab_outfile_abort(gdlab_outfile *o)
{
    if (!o) return;
    fclose(o->f);
    remove(o->tmp);
    free_outfile(o);
}
