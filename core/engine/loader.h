/* SPDX-License-Identifier: MIT */
/* loader.h — gdlab's one policy for loading code, used by every place that dlopens: the plugin
 * registry (and so gd.load) and the formula cache. docs/reliability.md, "Loading code", says why.
 *
 *   trust.c   may code be loaded from this path? (owners and modes of the file and every folder above it)
 *   loader.c  resolve, check, open without blocking, check the ELF headers, dlopen that very file
 *   image.c   does a pointer the library handed over lie inside the library's own memory? */
#ifndef GDLAB_LOADER_H
#define GDLAB_LOADER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* ---- trust.c ---------------------------------------------------------------------------------- */
/* 0 if path (a canonical path: absolute, no symbolic links) and every folder above it up to / belong
 * to this user or root and are writable by nobody else (a root-owned sticky folder such as /tmp is
 * allowed above it). -1 with a message naming the entry, what was found and how to fix it. */
int gdlab_trust_path(const char *canonical, char *err, size_t errlen);

/* ---- loader.c --------------------------------------------------------------------------------- */
enum gdlab_code_flags {
    GDLAB_CODE_NO_SYMLINK = 1u << 0 /* the file itself must not be a symbolic link (the formula cache) */
};

/* A library loaded under the policy. fd stays open while it is loaded: the library was opened
 * through it (see loader.c), and no other library may be opened under the same /proc name. */
typedef struct gdlab_code {
    void *handle;
    int fd;
} gdlab_code;

/* An extra check of the open, verified file before dlopen (the formula cache compares a content
 * hash here); 0 to go on, or -1 with a reason. */
typedef int (*gdlab_code_verify)(int fd, void *ctx, char *err, size_t errlen);

/* The canonical form of path into canonical (PATH_MAX bytes); with GDLAB_CODE_NO_SYMLINK, a path that
 * is itself a symbolic link is refused. 0, or -1 with the reason. */
int gdlab_code_resolve(const char *path, unsigned flags, char *canonical, char *err, size_t errlen);

/* Load a canonical path: trusted path, a regular file (FIFOs, devices, sockets and folders are refused
 * before they are opened, so nothing blocks), an ELF shared object of this machine, verify (may be
 * NULL), then dlopen of the very file that was checked. 0 with *out filled, or -1 with the reason. */
int gdlab_code_load(const char *canonical, gdlab_code_verify verify, void *ctx, gdlab_code *out, char *err,
                    size_t errlen);

/* dlclose, then close the descriptor; code is reset. Does nothing to a gdlab_code without a handle
 * (zeroed, or already unloaded). */
void gdlab_code_unload(gdlab_code *code);

/* ---- image.c ---------------------------------------------------------------------------------- */
enum { GDLAB_IMAGE_MAX_SEGMENTS = 16 };

/* The loaded segments of one library: [lo, hi) with their PF_R / PF_X flags. */
typedef struct gdlab_image {
    uintptr_t lo[GDLAB_IMAGE_MAX_SEGMENTS], hi[GDLAB_IMAGE_MAX_SEGMENTS];
    unsigned flags[GDLAB_IMAGE_MAX_SEGMENTS];
    size_t n;
} gdlab_image;

/* The segments of the library behind a dlopen handle. 0, or -1 with the reason. */
int gdlab_image_of(void *handle, gdlab_image *img, char *err, size_t errlen);

/* 1 when the bytes [p, p + len) lie inside one readable segment (len may be 0: p itself). */
int gdlab_image_holds(const gdlab_image *img, const void *p, size_t len);

/* 1 when s is a string ending with a NUL inside one readable segment, at most max bytes long. */
int gdlab_image_string(const gdlab_image *img, const char *s, size_t max);

/* 1 when fn points into an executable segment. */
int gdlab_image_code(const gdlab_image *img, void (*fn)(void));

#endif
