/* SPDX-License-Identifier: MIT */
/* image.c — does a pointer a library handed over lie inside that library's own memory?
 *
 * A descriptor is static data of its plugin, so every table and string it points to must lie in one
 * of the plugin's loaded, readable segments, and every function in an executable one. Checking that
 * before reading turns a descriptor that lies (n_params = 1000 for a table of 2, a garbage pointer, a
 * string without its NUL) into an error message instead of a crash in `gdlab --list`. The segments
 * come from the program headers of the loaded object (dl_iterate_phdr), found by the load address and
 * name dlinfo gives for the handle. */
#define _GNU_SOURCE /* dlinfo, dl_iterate_phdr */
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <string.h>

#include "loader.h"

typedef struct search {
    const struct link_map *lm;
    gdlab_image *img;
    int found;
} search;

static int collect_segments(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    search *s = data;
    if (info->dlpi_addr != s->lm->l_addr || !info->dlpi_name || strcmp(info->dlpi_name, s->lm->l_name) != 0)
        return 0;
    gdlab_image *img = s->img;
    img->n = 0;
    for (size_t i = 0; i < info->dlpi_phnum && img->n < GDLAB_IMAGE_MAX_SEGMENTS; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD) continue;
        img->lo[img->n] = (uintptr_t)(info->dlpi_addr + ph->p_vaddr);
        img->hi[img->n] = img->lo[img->n] + (uintptr_t)ph->p_memsz;
        img->flags[img->n] = (unsigned)ph->p_flags;
        img->n++;
    }
    s->found = 1;
    return 1;
}

int gdlab_image_of(void *handle, gdlab_image *img, char *err, size_t errlen)
{
    struct link_map *lm = NULL;
    if (dlinfo(handle, RTLD_DI_LINKMAP, &lm) != 0 || !lm) {
        snprintf(err, errlen, "cannot find the loaded library's memory (dlinfo failed)");
        return -1;
    }
    search s = {lm, img, 0};
    dl_iterate_phdr(collect_segments, &s);
    if (!s.found || img->n == 0) {
        snprintf(err, errlen, "cannot find the loaded library's segments");
        return -1;
    }
    return 0;
}

/* The segment holding address a with all of flags, or -1. */
static int segment_of(const gdlab_image *img, uintptr_t a, unsigned flags)
{
    for (size_t i = 0; i < img->n; i++)
        if (a >= img->lo[i] && a < img->hi[i] && (img->flags[i] & flags) == flags) return (int)i;
    return -1;
}

int gdlab_image_holds(const gdlab_image *img, const void *p, size_t len)
{
    const uintptr_t a = (uintptr_t)p;
    const int i = segment_of(img, a, PF_R);
    return i >= 0 && len <= img->hi[i] - a;
}

int gdlab_image_string(const gdlab_image *img, const char *s, size_t max)
{
    const int i = segment_of(img, (uintptr_t)s, PF_R);
    if (i < 0) return 0;
    size_t room = img->hi[i] - (uintptr_t)s;
    if (room > max + 1) room = max + 1;
    return memchr(s, '\0', room) != NULL;
}

int gdlab_image_code(const gdlab_image *img, void (*fn)(void))
{
    uintptr_t a;
    memcpy(&a, &fn, sizeof a); /* a function's address as a number, without a cast through void * */
    return segment_of(img, a, PF_X) >= 0;
}
