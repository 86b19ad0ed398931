/* SPDX-License-Identifier: MIT */
/* book.c — several figures as the pages of one file. A book is one PLplot stream on a multi-page
 * device; each figure opened on it starts a new page (pladv) instead of a new stream. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fig_internal.h"
#include "gdlab/output.h"
#include "gdlab/progress.h"

struct gdlab_book {
    int stream;
    const gdlab_device_info *dev;
    char *path;
    gdlab_output *out;
    fig_ps *ps;    /* pscairo: the PostScript surface (pscairo.c), or NULL */
    int width, height;
    int pages;
    int open_page; /* a figure is drawing on the current page */
    gdlab_progress *progress; /* pages done, on a terminal */
};

/* The device's readiness (gdlab_device_ready) is checked at the book's opening and again for each page:
 * pango may start threads for every page's text. */
static int check_ready(const gdlab_device_info *dev, const char *path, int width, int height, char *err,
                          size_t errlen)
{
    char what[GDLAB_ERRLEN / 2];
    snprintf(what, sizeof what, "book '%.200s'", path);
    return gdlab_device_ready(dev, width, height, what, err, errlen);
}

gdlab_book *gdlab_book_open(const char *device, const char *path, int width, int height,
                            char *err, size_t errlen)
{
    const gdlab_device_info *dev = gdlab_device_find(device ? device : "pdfcairo", err, errlen);
    if (!dev) return NULL;
    if (!dev->multipage || dev->interactive) {
        snprintf(err, errlen, "device '%s' cannot hold several pages in one file; books need one of: "
                 "pdfcairo, pscairo, ps, psc, pdf", dev->name);
        return NULL;
    }
    if (!path || !path[0]) {
        snprintf(err, errlen, "a book needs a path");
        return NULL;
    }
    if (width < 50 || width > 20000 || height < 50 || height > 20000) {
        snprintf(err, errlen, "book page size %d x %d is out of range: 50 to 20000", width, height);
        return NULL;
    }
    if (check_ready(dev, path, width, height, err, errlen)) return NULL;
    gdlab_book *b = calloc(1, sizeof *b);
    if (!b || !(b->path = malloc(strlen(path) + 1))) {
        free(b);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    strcpy(b->path, path);
    if (!(b->out = gdlab_output_open(path, "book", err, errlen))) {
        free(b->path);
        free(b);
        return NULL;
    }
    b->dev = dev, b->width = width, b->height = height;
    if (fig_ps_device(dev) && !(b->ps = fig_ps_open(dev, b->out, width, height, err, errlen))) {
        gdlab_output_abort(b->out);
        free(b->path);
        free(b);
        return NULL;
    }
    PLINT previous;
    plgstrm(&previous);
    plmkstrm(&b->stream);
    gdlab_plplot_trap trap;
    gdlab_plplot_trap_push(&trap);
    if (setjmp(trap.jump) == 0) {
        plsdev(fig_plplot_device(dev));
        if (!b->ps) {
            plsfile(gdlab_output_stream(b->out)); /* PLplot never sees the name: see figure.c */
            gdlab_output_hand_over(b->out);
        }
        if (!fig_fixed_page(dev)) plspage(0, 0, width, height, 0, 0);
        plspause(0);
        gdlab_plplot_default_colors("viridis", 0);
        plinit();
        if (b->ps) fig_ps_attach(b->ps);
    }
    gdlab_plplot_trap_pop(&trap);
    plsstrm(previous);
    if (trap.fatal) {
        snprintf(err, errlen, "PLplot: %s", trap.message);
        fig_ps_discard(b->ps);
        gdlab_output_abort(b->out);
        free(b->path);
        free(b);
        return NULL;
    }
    b->progress = gdlab_progress_start("book", "pages", 0);
    return b;
}

int fig_book_stream(gdlab_book *book, const gdlab_device_info **dev, const char **path, int *width,
                    int *height, fig_ps **ps, char *err, size_t errlen)
{
    if (book->open_page) {
        snprintf(err, errlen, "the book's current page is still open: close its figure first");
        return -1;
    }
    if (check_ready(book->dev, book->path, book->width, book->height, err, errlen)) return -1;
    *dev = book->dev, *path = book->path, *width = book->width, *ps = book->ps;
    *height = fig_fixed_page(book->dev) ? 0 : book->height; /* 0: the driver's page decides */
    book->open_page = 1;
    book->pages++;
    return book->stream;
}

void fig_book_page_done(gdlab_book *book)
{
    /* the figure ended the page on the surface itself (fig->ps is the book's) */
    book->open_page = 0;
    gdlab_progress_add(book->progress, 1);
}

int gdlab_book_pages(const gdlab_book *book)
{
    return book->pages;
}

int gdlab_book_close(gdlab_book *book, char *err, size_t errlen)
{
    if (!book) return 0;
    PLINT previous;
    plgstrm(&previous);
    plsstrm(book->stream);
    gdlab_plplot_trap trap;
    gdlab_plplot_trap_push(&trap);
    if (setjmp(trap.jump) == 0) {
        if (book->pages == 0) { /* an empty book is still a valid one-page file */
            pladv(0);
            if (book->ps) fig_ps_page_start(book->ps), fig_ps_page_end(book->ps);
        }
        plend1();
    }
    gdlab_plplot_trap_pop(&trap);
    plsstrm(previous == book->stream ? 0 : previous);
    int rc = 0;
    char buf[GDLAB_ERRLEN];
    const int e = gdlab_output_error(book->out); /* the cause, when PLplot only saw its effect */
    const int plplot_failed = trap.fatal || trap.message[0];
    if (book->ps && plplot_failed) fig_ps_discard(book->ps);
    if (plplot_failed) {
        if (err && e) snprintf(err, errlen, "book '%s' not written: %s (an existing file of that name is left as "
                               "it was)", book->path, strerror(e));
        else if (err) snprintf(err, errlen, "book '%s' not written: PLplot: %s", book->path, trap.message);
        gdlab_output_abort(book->out);
        rc = -1;
    } else if (book->ps && fig_ps_close(book->ps, buf, sizeof buf)) {
        if (err) snprintf(err, errlen, "book '%s' not written: %s (an existing file of that name is left as it "
                          "was)", book->path, buf);
        gdlab_output_abort(book->out);
        rc = -1;
    } else if (gdlab_output_commit(book->out, buf, sizeof buf)) {
        if (err) snprintf(err, errlen, "%s", buf);
        rc = -1;
    }
    gdlab_progress_end(book->progress);
    free(book->path);
    free(book);
    return rc;
}
