/* SPDX-License-Identifier: MIT */
/* png_pixels.h — a PNG file decoded to 8-bit pixels through libpng's simplified API, for the programs
 * that look at figures (test_figure_render.c, figcompare.c). */
#ifndef GDLAB_TEST_PNG_PIXELS_H
#define GDLAB_TEST_PNG_PIXELS_H

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The pixels of path in format (PNG_FORMAT_RGB or PNG_FORMAT_RGBA), row by row, malloc'd; *w and *h
 * its size. NULL, with a line naming the file and libpng's reason in err, when it cannot be read. */
static inline unsigned char *png_pixels_read(const char *path, png_uint_32 format, unsigned *w, unsigned *h,
                                             char *err, size_t errlen)
{
    png_image pi;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&pi, path)) {
        snprintf(err, errlen, "cannot read '%s': %s", path, pi.message);
        return NULL;
    }
    pi.format = format;
    unsigned char *px = malloc(PNG_IMAGE_SIZE(pi));
    if (!px) {
        png_image_free(&pi);
        snprintf(err, errlen, "cannot decode '%s': out of memory", path);
        return NULL;
    }
    if (!png_image_finish_read(&pi, NULL, px, 0, NULL)) {
        snprintf(err, errlen, "cannot decode '%s': %s", path, pi.message);
        free(px);
        return NULL;
    }
    *w = pi.width, *h = pi.height;
    return px;
}

#endif
