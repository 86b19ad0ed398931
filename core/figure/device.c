/* SPDX-License-Identifier: MIT */
/* device.c — PLplot's devices as gdlab sees them: which exist on this machine (PLplot's own list,
 * plgDevs), which write files and with what extension, which put several pages in one file.
 * gdlab checks a device name here before PLplot ever sees it: an unknown name given to plinit makes
 * PLplot prompt on stdin or call exit(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig_internal.h"

/* What PLplot's list does not say. Devices not named here are left out: memory and external-context
 * devices need a buffer from the host program, null draws nothing. Multi-page: the cairo PNG/SVG,
 * SVG and Qt file devices write one page per file (PLplot's "familying"), so they are single-page.
 * tiffqt is left out: Debian's Qt has no TIFF writer and PLplot then writes an empty file. */
static const struct device_kind {
    const char *name, *extension;
    int interactive, multipage;
} kinds[] = {
    {"pngcairo", "png", 0, 0}, {"svgcairo", "svg", 0, 0}, {"pdfcairo", "pdf", 0, 1},
    {"pscairo", "ps", 0, 1},   {"epscairo", "eps", 0, 0}, {"ps", "ps", 0, 1},
    {"psc", "ps", 0, 1},       {"svg", "svg", 0, 0},      {"pdf", "pdf", 0, 1},
    {"xfig", "fig", 0, 0},     {"pngqt", "png", 0, 0},    {"jpgqt", "jpg", 0, 0},
    {"bmpqt", "bmp", 0, 0},    {"ppmqt", "ppm", 0, 0},
    {"svgqt", "svg", 0, 0},    {"pdfqt", "pdf", 0, 0},    {"xcairo", NULL, 1, 1},
    {"xwin", NULL, 1, 1},      {"qtwidget", NULL, 1, 1},  {"wxwidgets", NULL, 1, 1},
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

static gdlab_device_info devices[N_KINDS];
static size_t n_devices;
static int listed;
static char list_failure[256]; /* PLplot's message when it could not list its drivers, or "" */

/* PLplot's list is fixed for the life of the process: read it once. PLplot builds it in a temporary
 * file ($TMPDIR, else /tmp) and, when that cannot be written, finds no drivers and exits: trapped here,
 * so that gdlab_device_find can say what happened. */
static void list_devices(void)
{
    if (listed) return;
    listed = 1;
    enum { CAP = 128 };
    static const char *menus[CAP], *names[CAP];
    const char **menu = menus, **name = names;
    int n = CAP;
    gdlab_plplot_trap trap;
    gdlab_plplot_trap_push(&trap);
    if (setjmp(trap.jump) == 0) plgDevs(&menu, &name, &n);
    gdlab_plplot_trap_pop(&trap);
    if (trap.fatal) {
        snprintf(list_failure, sizeof list_failure, "%s", trap.message);
        return;
    }
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < N_KINDS; k++) {
            if (strcmp(name[i], kinds[k].name) != 0) continue;
            devices[n_devices++] = (gdlab_device_info){kinds[k].name, menu[i], kinds[k].extension,
                                                       kinds[k].interactive, kinds[k].multipage};
            break;
        }
    }
}

/* Why there is no list (list_failure set). */
static const char *no_list(char *buf, size_t n)
{
    snprintf(buf, n, "PLplot could not list its device drivers (\"%s\"); it lists them through a temporary "
             "file in TMPDIR, else /tmp: is that folder full or not writable?", list_failure);
    return buf;
}

size_t gdlab_device_count(void)
{
    list_devices();
    return n_devices;
}

const gdlab_device_info *gdlab_device_at(size_t i)
{
    list_devices();
    return i < n_devices ? &devices[i] : NULL;
}

const gdlab_device_info *gdlab_device_find(const char *name, char *err, size_t errlen)
{
    list_devices();
    if (list_failure[0]) {
        char why[512];
        snprintf(err, errlen, "cannot use device '%s': %s", name ? name : "(none)", no_list(why, sizeof why));
        return NULL;
    }
    for (size_t i = 0; name && i < n_devices; i++)
        if (strcmp(devices[i].name, name) == 0) return &devices[i];
    int len = snprintf(err, errlen, "unknown device '%s'; available:", name ? name : "(none)");
    for (size_t i = 0; i < n_devices && len >= 0 && (size_t)len < errlen; i++)
        len += snprintf(err + len, errlen - (size_t)len, "%s %s", i ? "," : "", devices[i].name);
    return NULL;
}

int gdlab_device_prepare(const gdlab_device_info *dev, char *err, size_t errlen)
{
    const char *x11 = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
    const int have_display = (x11 && *x11) || (wayland && *wayland);
    if (dev->interactive && !have_display) {
        snprintf(err, errlen, "device '%s' opens a window but there is no display (DISPLAY is not "
                 "set); use a file device such as pngcairo or pdfcairo", dev->name);
        return -1;
    }
    const size_t n = strlen(dev->name);
    if (!dev->interactive && n > 2 && strcmp(dev->name + n - 2, "qt") == 0 && !have_display)
        setenv("QT_QPA_PLATFORM", "offscreen", 0);
    return 0;
}

void gdlab_devices_print(FILE *out)
{
    list_devices();
    if (list_failure[0]) {
        char why[512];
        fprintf(out, "no devices: %s\n", no_list(why, sizeof why));
        return;
    }
    fprintf(out, "%-10s %-6s %-6s %s\n", "device", "file", "pages", "description");
    for (size_t i = 0; i < n_devices; i++) {
        const gdlab_device_info *d = &devices[i];
        fprintf(out, "%-10s %-6s %-6s %s\n", d->name, d->interactive ? "window" : d->extension,
                d->multipage ? "many" : "one", d->description);
    }
}
