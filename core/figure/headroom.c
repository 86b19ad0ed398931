/* SPDX-License-Identifier: MIT */
/* headroom.c — before a device starts: is there address space enough for the libraries under it?
 *
 * Under `ulimit -v`, libraries below PLplot's cairo drivers do not survive running out: GLib ends the
 * process (SIGTRAP) when pango cannot start one of its font threads ("[pango] FcInit",
 * "FcFontSetSort", "FcFontSetMatch"), and fontconfig, out of memory while it parses /etc/fonts, goes
 * on and dereferences NULL later (SIGSEGV in FcRuleDestroy, FcStrCmpIgnoreCase, FcFontSetMatch;
 * docs/reliability.md, "Memory"). Nothing gdlab can catch happens in between, so the space is checked
 * before the device starts, by reserving it (gdlab_address_space_fits), and refused with a message
 * when it is not there. Every start is checked (each figure, animation frame, book page and pl.init):
 * the check is two system calls, and pango starts new threads whenever text needs a font it has not
 * matched yet. */
#define _GNU_SOURCE /* pthread_getattr_default_np */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fig_internal.h"
#include "gdlab/addrspace.h"

/* What fonts and text need besides the stacks of pango's three font threads (FcInit, FcFontSetSort,
 * FcFontSetMatch, which can run at once). Measured on Debian 12 (fontconfig 2.14, pango 1.50, cairo
 * 1.16) without this check: a first PNG figure crashed with up to 33 MB of address space free and
 * never with 35 MB or more; 28 MB and three 8 MB stacks leave about 18 MB of margin (20 MB, the first
 * choice, let the ravine lesson die of GLib's failed thread at 252 MB in a CI run)
 * (docs/reliability.md, "Memory"). */
enum { MB = 1024 * 1024, FONT_BYTES = 28 * MB, FONT_THREADS = 3 };

/* A new thread's stack: the default glibc gives threads (RLIMIT_STACK at start, often 8 MB), and its
 * guard page. pango's threads (GLib's g_thread_new) take that default. */
static size_t thread_stack(void)
{
    size_t size = 8 * MB;
    pthread_attr_t a;
    if (pthread_getattr_default_np(&a) == 0) {
        pthread_attr_getstacksize(&a, &size);
        pthread_attr_destroy(&a);
    }
    return size + (size_t)sysconf(_SC_PAGESIZE);
}

/* Devices that draw text through cairo and pango, hence fontconfig; PLplot's own PostScript, SVG, PDF
 * (libharu's fonts), xfig and xwin drivers draw its Hershey fonts or name PostScript ones. */
static int uses_fontconfig(const gdlab_device_info *dev)
{
    return strstr(dev->name, "cairo") || strstr(dev->name, "qt") || strcmp(dev->name, "wxwidgets") == 0;
}

/* cairo's image surface: 4 bytes a pixel, for the raster devices. */
static size_t raster_bytes(const gdlab_device_info *dev, int width, int height)
{
    const int raster = strcmp(dev->name, "pngcairo") == 0 || strcmp(dev->name, "memcairo") == 0 ||
                       strcmp(dev->name, "xcairo") == 0;
    return raster && width > 0 && height > 0 ? (size_t)width * (size_t)height * 4 : 0;
}

int fig_limit_left(char *buf, size_t n)
{
    const size_t limit = gdlab_address_space_limit();
    if (!limit) return 0;
    const size_t used = gdlab_address_space_used(); /* 0: /proc could not be read */
    if (used)
        snprintf(buf, n, "`ulimit -v %zu` leaves %zu MB free", limit / 1024, used < limit ? (limit - used) / MB : 0);
    else
        snprintf(buf, n, "`ulimit -v %zu` is in force", limit / 1024);
    return 1;
}

int fig_headroom(const gdlab_device_info *dev, int width, int height, const char *what, char *err, size_t errlen)
{
    if (!gdlab_address_space_limit()) return 0;
    const size_t need =
        raster_bytes(dev, width, height) + (uses_fontconfig(dev) ? FONT_BYTES + FONT_THREADS * thread_stack() : 0);
    if (gdlab_address_space_fits(need)) return 0;
    char limit[96];
    fig_limit_left(limit, sizeof limit);
    snprintf(err, errlen,
             "%s: not enough memory to start PLplot's %s device: fonts, text and the page need about %zu MB "
             "of address space and %s; raise the limit",
             what, dev->name, (need + MB - 1) / MB, limit);
    return -1;
}
