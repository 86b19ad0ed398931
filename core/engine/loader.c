/* SPDX-License-Identifier: MIT */
/* loader.c — loading a library under gdlab's policy (loader.h), in this order:
 *
 *   1. realpath, then lstat: only a regular file goes on. A FIFO, a device, a socket or a folder named
 *      x.so is refused before anything opens it, so nothing can block (opening a FIFO waits for a
 *      writer) or act on open;
 *   2. trust.c's owner and mode check of the file and every folder above it;
 *   3. open with O_NONBLOCK | O_NOFOLLOW, then fstat: still a regular file, the same one (st_dev,
 *      st_ino) that was checked, still trusted;
 *   4. the ELF check (elf_check.c) and the caller's own check (the formula cache's hash) read that fd;
 *   5. dlopen("/proc/self/fd/N"): the kernel opens the file behind the descriptor, so what is mapped,
 *      and whose constructors run, is the file that was checked, even if the path was changed since.
 *      Checking the file after dlopen (dlinfo, /proc/self/maps) would come too late: constructors
 *      run inside dlopen.
 *
 * Two details of 5. glibc finds an already loaded library by its name before it looks at the file, so
 * a name /proc/self/fd/N left by a library that is still loaded (its descriptor since closed and the
 * number reused) would hand back that other library: the descriptor stays open while the library is
 * loaded, and a name already in use is never reused (another descriptor number is taken). Without
 * /proc the path itself is loaded: step 1 made sure that only this user or root can change what it
 * names. */
#define _GNU_SOURCE /* dlinfo, O_NOFOLLOW */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf_check.h"
#include "loader.h"
#include "plugin_call.h"

static const char *file_type(mode_t mode)
{
    if (S_ISDIR(mode)) return "a folder";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISLNK(mode)) return "a symbolic link";
    return "not a regular file";
}

int gdlab_code_resolve(const char *path, unsigned flags, char *canonical, char *err, size_t errlen)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        return -1;
    }
    if ((flags & GDLAB_CODE_NO_SYMLINK) && S_ISLNK(st.st_mode)) {
        snprintf(err, errlen, "'%s' is a symbolic link, and links are not followed here", path);
        return -1;
    }
    if (!realpath(path, canonical)) {
        snprintf(err, errlen, "%s", strerror(errno));
        return -1;
    }
    return 0;
}

/* dlopen's message without the /proc name it was given (the caller names the real file). */
static void dl_failure(const char *name, char *err, size_t errlen)
{
    const char *why = dlerror();
    if (!why) why = "unknown error";
    const size_t n = strlen(name);
    if (strncmp(why, name, n) == 0 && why[n] == ':') why += n + 1 + (why[n + 1] == ' ');
    snprintf(err, errlen, "%s", why);
}

/* Is a library of this exact name loaded already? */
static int name_in_use(const char *name)
{
    void *old = dlopen(name, RTLD_LAZY | RTLD_NOLOAD);
    if (!old) return 0;
    struct link_map *lm = NULL;
    const int same = dlinfo(old, RTLD_DI_LINKMAP, &lm) == 0 && lm && lm->l_name && strcmp(lm->l_name, name) == 0;
    dlclose(old);
    return same;
}

/* dlopen the file open on *fd (see the comment at the top); *fd may be replaced by a duplicate. */
static void *dlopen_fd(int *fd, const struct stat *checked, const char *canonical, char *err, size_t errlen)
{
    for (int attempt = 0; attempt < 64; attempt++) {
        char name[64];
        struct stat there;
        snprintf(name, sizeof name, "/proc/self/fd/%d", *fd);
        if (stat(name, &there) != 0 || there.st_dev != checked->st_dev || there.st_ino != checked->st_ino) {
            void *h = dlopen(canonical, RTLD_NOW | RTLD_LOCAL); /* no /proc */
            if (!h) dl_failure(canonical, err, errlen);
            return h;
        }
        if (!name_in_use(name)) {
            void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
            if (!h) dl_failure(name, err, errlen);
            return h;
        }
        const int other = fcntl(*fd, F_DUPFD_CLOEXEC, *fd + 1);
        if (other < 0) break;
        close(*fd);
        *fd = other;
    }
    snprintf(err, errlen, "no free file descriptor to load it through");
    return NULL;
}

int gdlab_code_load(const char *canonical, gdlab_code_verify verify, void *ctx, gdlab_code *out, char *err,
                    size_t errlen)
{
    *out = (gdlab_code){NULL, -1};
    struct stat before, opened;
    if (lstat(canonical, &before) != 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        return -1;
    }
    if (!S_ISREG(before.st_mode)) {
        snprintf(err, errlen, "'%s' is %s, not a regular file", canonical, file_type(before.st_mode));
        return -1;
    }
    if (gdlab_trust_path(canonical, err, errlen)) return -1;
    const int fd = open(canonical, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        return -1;
    }
    out->fd = fd;
    char why[512];
    if (fstat(fd, &opened) != 0 || !S_ISREG(opened.st_mode) || opened.st_dev != before.st_dev ||
        opened.st_ino != before.st_ino || opened.st_uid != before.st_uid || opened.st_mode != before.st_mode) {
        snprintf(err, errlen, "'%s' was replaced while it was being loaded", canonical);
    } else if (gdlab_elf_check(fd, why, sizeof why)) {
        snprintf(err, errlen, "%s", why);
    } else if (verify && verify(fd, ctx, err, errlen)) {
        /* err is set */
    } else {
        /* its constructors run now: a crash in one is reported as a crash while loading this file */
        gdlab_plugin_call call = {NULL, canonical, "constructor (while loading)", NULL};
        gdlab_plugin_call_enter(&call);
        out->handle = dlopen_fd(&out->fd, &opened, canonical, err, errlen);
        gdlab_plugin_call_leave(&call);
        if (out->handle) return 0;
    }
    close(out->fd);
    out->fd = -1;
    return -1;
}

void gdlab_code_unload(gdlab_code *code)
{
    if (code->handle) {
        dlclose(code->handle);
        if (code->fd >= 0) close(code->fd); /* after dlclose: see the comment at the top */
    }
    *code = (gdlab_code){NULL, -1};
}
