/* SPDX-License-Identifier: MIT */
/* theme.c — the light and dark themes. Light follows the seeds' explainer figure (warm off-white page,
 * soft frame, grey ticks, near-black titles); dark follows their #1e1e1e notebook figures. */
#include <stdio.h>
#include <string.h>

#include "fig_internal.h"

static gdlab_rgba hex(unsigned v)
{
    return (gdlab_rgba){(unsigned char)(v >> 16), (unsigned char)(v >> 8 & 0xFF),
                        (unsigned char)(v & 0xFF), 1.0};
}

static void base_light(fig_theme *t)
{
    static const unsigned palette[8] = {0xE05C4B, 0x3A7CA5, 0xF4A536, 0x2A9D5C,
                                        0x8E6BBF, 0xD17A9C, 0x5B5B5B, 0x17BECF};
    *t = (fig_theme){0,          hex(0xFAFAF8), hex(0xF5F3EE), hex(0xCCCCCC), hex(0x555555),
                     hex(0x222222), hex(0xDDDAD2), hex(0xC9BFAE), hex(0xFFFFFF), {{0}}};
    for (int i = 0; i < 8; i++) t->palette[i] = hex(palette[i]);
}

static void base_dark(fig_theme *t)
{
    static const unsigned palette[8] = {0xFF7F0E, 0x2CA02C, 0x1F77B4, 0xE05C4B,
                                        0xC792EA, 0xFFD700, 0x17BECF, 0xDDDDDD};
    *t = (fig_theme){1,          hex(0x1E1E1E), hex(0x1E1E1E), hex(0x8A8A8A), hex(0xFFFFFF),
                     hex(0xFFFFFF), hex(0x3A3A3A), hex(0x5A5A5A), hex(0x333333), {{0}}};
    for (int i = 0; i < 8; i++) t->palette[i] = hex(palette[i]);
}

static int override(const char *text, const char *what, gdlab_rgba *slot, char *err, size_t errlen)
{
    if (!text) return 0;
    char inner[GDLAB_ERRLEN];
    if (gdlab_color_parse(text, slot, inner, sizeof inner) == 0) return 0;
    snprintf(err, errlen, "theme %s: %s", what, inner);
    return -1;
}

int fig_theme_resolve(const gdlab_theme *t, fig_theme *out, char *err, size_t errlen)
{
    const char *base = t->base ? t->base : "light";
    if (strcmp(base, "light") == 0) {
        base_light(out);
    } else if (strcmp(base, "dark") == 0) {
        base_dark(out);
    } else {
        snprintf(err, errlen, "unknown theme '%s'; available: light, dark", base);
        return -1;
    }
    if (override(t->page, "page", &out->page, err, errlen) ||
        override(t->panel, "panel", &out->panel, err, errlen) ||
        override(t->frame, "frame", &out->frame, err, errlen) ||
        override(t->text, "text", &out->text, err, errlen) ||
        override(t->title, "title", &out->title, err, errlen) ||
        override(t->grid, "grid", &out->grid, err, errlen) ||
        override(t->contour, "contour", &out->contour, err, errlen) ||
        override(t->legend, "legend", &out->legend, err, errlen))
        return -1;
    return 0;
}
