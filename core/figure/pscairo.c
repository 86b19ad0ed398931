/* SPDX-License-Identifier: MIT */
/* pscairo.c — the pscairo and epscairo devices: PostScript drawn by PLplot's cairo code on a cairo
 * PostScript surface that gdlab makes itself (PLplot's extcairo driver draws on a context it is given).
 *
 * Why not PLplot's own pscairo/epscairo drivers: cairo's PostScript surface writes each page into a
 * temporary file of its own (tmpfile(), always in /tmp) and copies it into the document at the end.
 * When that file cannot be written (a `ulimit -f` smaller than the page, a full /tmp), cairo 1.16's
 * _cairo_ps_surface_emit_base85_string (cairo-ps-surface.c), on the error of its deflate stream,
 * destroys the string-array stream before the base85 stream that still writes into it, then the
 * deflate stream a second time: a use after free and a double free, and glibc aborts the process.
 * Only PostScript level 3 takes that branch (images are deflated); at level 2 they are LZW-compressed
 * and the same failure comes back as CAIRO_STATUS_WRITE_ERROR. With the surface its own, gdlab can
 * restrict it to level 2, and read cairo's status after every page and at the end, which PLplot's
 * drivers ignore. Level 2 draws the same pictures (gs renders them alike); images are LZW instead of
 * Flate (files grow or shrink with the content), and cairo rasterises what level 2 cannot express
 * (smooth shading) at its fallback resolution.
 *
 * The surface's bytes go through gdlab's output writer (gdlab/output.h), like every other device. */
#define _GNU_SOURCE
#include <cairo-ps.h>
#include <cairo.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fig_internal.h"
#include "gdlab/output.h"

struct fig_ps {
    const gdlab_device_info *dev;
    int stream;               /* the PLplot stream drawing on it, once attached; else -1 */
    struct fig_ps *next;      /* the next attached surface (for gdlab_plplot_device) */
    cairo_surface_t *surface;
    cairo_t *cr;
    gdlab_output *out;
    int page_errno;           /* why the first page that failed did (0: cairo gave no errno) */
    cairo_status_t page_status; /* that page's status, or CAIRO_STATUS_SUCCESS */
};

int fig_ps_device(const gdlab_device_info *dev)
{
    return strcmp(dev->name, "pscairo") == 0 || strcmp(dev->name, "epscairo") == 0;
}

const char *fig_plplot_device(const gdlab_device_info *dev)
{
    return fig_ps_device(dev) ? "extcairo" : dev->name;
}

/* The surfaces PLplot streams draw on now: few (one per open PostScript figure or book). */
static fig_ps *attached;

static void detach(fig_ps *ps)
{
    for (fig_ps **p = &attached; *p; p = &(*p)->next)
        if (*p == ps) {
            *p = ps->next;
            return;
        }
}

const char *gdlab_plplot_device(char *buf)
{
    PLINT s;
    plgstrm(&s);
    for (const fig_ps *ps = attached; ps; ps = ps->next)
        if (ps->stream == s) return ps->dev->name;
    plgdev(buf);
    return buf;
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
    FILE *stream = gdlab_output_stream(closure);
    return stream && fwrite(data, 1, length, stream) == length ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

fig_ps *fig_ps_open(const gdlab_device_info *dev, gdlab_output *out, int width, int height, char *err,
                    size_t errlen)
{
    fig_ps *ps = calloc(1, sizeof *ps);
    if (!ps) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    ps->dev = dev, ps->stream = -1, ps->out = out;
    ps->surface = cairo_ps_surface_create_for_stream(write_out, out, width, height); /* points */
    cairo_ps_surface_restrict_to_level(ps->surface, CAIRO_PS_LEVEL_2);
    if (strcmp(dev->name, "epscairo") == 0) cairo_ps_surface_set_eps(ps->surface, 1);
    ps->cr = cairo_create(ps->surface);
    const cairo_status_t st = cairo_status(ps->cr);
    if (st != CAIRO_STATUS_SUCCESS) {
        /* cairo has no temporary page file: tmpfile() failed (the errno says why, e.g. a read-only /tmp) */
        snprintf(err, errlen, "cannot start the PostScript page: cairo: %s%s%s", cairo_status_to_string(st),
                 st == CAIRO_STATUS_TEMP_FILE_ERROR && errno ? ": " : "",
                 st == CAIRO_STATUS_TEMP_FILE_ERROR && errno ? strerror(errno) : "");
        fig_ps_discard(ps);
        return NULL;
    }
    return ps;
}

void fig_ps_attach(fig_ps *ps)
{
    pl_cmd(PLESC_DEVINIT, ps->cr);
    PLINT s;
    plgstrm(&s);
    ps->stream = s;
    ps->next = attached;
    attached = ps;
}

void fig_ps_page_start(fig_ps *ps)
{
    PLINT r, g, b;
    PLFLT a;
    plgcolbga(&r, &g, &b, &a); /* what PLplot's own drivers paint a new page with */
    cairo_save(ps->cr);
    cairo_set_source_rgb(ps->cr, r / 255.0, g / 255.0, b / 255.0);
    cairo_paint(ps->cr);
    cairo_restore(ps->cr);
}

void fig_ps_page_end(fig_ps *ps)
{
    errno = 0;
    cairo_show_page(ps->cr); /* cairo writes the page into its temporary file now */
    const int e = errno;     /* set by the write that failed, if one did: nothing after it clears it */
    const cairo_status_t st = cairo_surface_status(ps->surface);
    if (st != CAIRO_STATUS_SUCCESS && ps->page_status == CAIRO_STATUS_SUCCESS) {
        ps->page_status = st;
        ps->page_errno = e;
    }
}

void fig_ps_discard(fig_ps *ps)
{
    if (!ps) return;
    detach(ps);
    cairo_destroy(ps->cr);
    cairo_surface_destroy(ps->surface);
    free(ps);
}

int fig_ps_close(fig_ps *ps, char *cause, size_t causelen)
{
    detach(ps);
    cairo_destroy(ps->cr);
    ps->cr = NULL;
    cairo_surface_finish(ps->surface); /* the document: header, fonts, the pages copied from the page file */
    const cairo_status_t st = cairo_surface_status(ps->surface);
    const int out_errno = gdlab_output_error(ps->out);
    int rc = 0;
    if (ps->page_status != CAIRO_STATUS_SUCCESS) {
        /* the page never reached the document; the file itself may have taken what came before */
        if (ps->page_errno)
            snprintf(cause, causelen, "%s, writing cairo's temporary page file in /tmp", strerror(ps->page_errno));
        else
            snprintf(cause, causelen, "cairo could not write its temporary page file in /tmp (%s)",
                     cairo_status_to_string(ps->page_status));
        rc = -1;
    } else if (out_errno) {
        snprintf(cause, causelen, "%s", strerror(out_errno));
        rc = -1;
    } else if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(cause, causelen, "cairo: %s", cairo_status_to_string(st));
        rc = -1;
    }
    cairo_surface_destroy(ps->surface);
    free(ps);
    return rc;
}
