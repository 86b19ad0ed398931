/* SPDX-License-Identifier: MIT */
/* window.c — the X window of a figure or a live animation (window.h says why gdlab makes it).
 *
 * The window has a fixed size (the figure's), listens to keys, buttons, exposure and its own
 * destruction, and takes part in the window manager's WM_DELETE_WINDOW protocol, so the close button
 * sends a message instead of killing the connection.
 *
 * Losing the X connection (the window killed with xkill, the X server gone) cannot be survived:
 * Xlib calls its IO error handler and then exit(). gdlab's handler says what happened, removes the
 * temporary files of figures being written (gdlab_signals_cleanup) and ends the process with status 1.
 * Protocol errors (drawing on a window destroyed from outside, also on PLplot's own xwin connection)
 * are ignored instead of Xlib's default of printing and exiting: the window's DestroyNotify, seen at
 * the next event read, becomes an error the script sees.
 *
 * All windows share one connection, opened with the first and kept for the life of the process. With
 * a connection per window, the X server gave the next connection the closed one's resource range, so
 * a figure's window got the very id of the window before it: a key, a click or a close that a reader
 * or a tool (xdotool, a window manager) addressed to the old window reached the new one and closed it
 * unseen (tests/windows/interaction.sh, "a key for a closed window"). On one connection ids are not
 * reused, and each window reads only its own events from the shared queue. */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>
#include <errno.h>
#include <stdint.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>
#include <time.h>

#include "gdlab/output.h"
#include "window.h"

struct fig_window {
    Display *dpy;
    Window win;
    Pixmap frame;            /* the background of an animation window: the server repaints from it */
    Atom wm_delete;
    int w, h;
    int closed;              /* the reader closed it: unmapped, every event is CLOSE */
    int destroyed;           /* destroyed from outside */
    char title[256];
    void (*repaint)(void *ctx);
    void *repaint_ctx;
};

/* PLplot's xcairo driver takes the display and drawable of an external window through PLESC_DEVINIT
 * with this struct (PLplot's cairo.c, "external_drawable" option; its layout is PLplot's, not ours). */
typedef struct {
    Display *display;
    Drawable drawable;
} xcairo_drawable;

int fig_window_supported(const gdlab_device_info *dev)
{
    return strcmp(dev->name, "xcairo") == 0 || strcmp(dev->name, "xwin") == 0;
}

static int lost_connection(Display *dpy)
{
    const char *name = dpy ? DisplayString(dpy) : getenv("DISPLAY");
    fprintf(stderr, "gdlab: the connection to X display '%s' was lost (a window was killed or the X "
                    "server ended); stopping\n", name ? name : "?");
    gdlab_signals_cleanup();
    fflush(NULL);
    _exit(1);
}

static int protocol_error(Display *dpy, XErrorEvent *e)
{
    (void)dpy, (void)e; /* BadWindow/BadDrawable after an outside destroy: DestroyNotify reports it */
    return 0;
}

static void install_handlers(void)
{
    static int installed;
    if (installed) return;
    installed = 1;
    XSetIOErrorHandler(lost_connection);
    XSetErrorHandler(protocol_error);
}

/* The connection every window uses (see the top of this file); NULL when $DISPLAY cannot be opened. */
static Display *display(void)
{
    static Display *dpy;
    if (!dpy) dpy = XOpenDisplay(NULL);
    return dpy;
}

int fig_window_display_check(const gdlab_device_info *dev, char *err, size_t errlen)
{
    const char *d = getenv("DISPLAY");
    if (!d || !*d) {
        snprintf(err, errlen, "device '%s' opens a window but there is no display (DISPLAY is not set); use a "
                 "file device such as pngcairo or pdfcairo", dev->name);
        return -1;
    }
    install_handlers();
    if (display()) return 0;
    snprintf(err, errlen, "device '%s' cannot open X display '%.100s' for its window (no X server answers there, "
             "or it does not let this user in); use a file device such as pngcairo or pdfcairo", dev->name, d);
    return -1;
}

fig_window *fig_window_open(const char *title, int w, int h, char *err, size_t errlen)
{
    install_handlers();
    Display *dpy = display();
    if (!dpy) {
        const char *d = getenv("DISPLAY");
        snprintf(err, errlen, "cannot open X display '%s' for a window; use a file device such as "
                 "pngcairo", d ? d : "");
        return NULL;
    }
    fig_window *win = calloc(1, sizeof *win);
    if (!win) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    win->dpy = dpy, win->w = w, win->h = h;
    snprintf(win->title, sizeof win->title, "gdlab: %s", title && title[0] ? title : "figure");
    for (char *c = win->title; *c; c++)
        if (*c == '\n') *c = ' '; /* a title bar has one line */
    const int screen = DefaultScreen(dpy);
    XSetWindowAttributes attr = {.background_pixel = WhitePixel(dpy, screen), .backing_store = WhenMapped,
                                 .event_mask = KeyPressMask | ButtonPressMask | ExposureMask |
                                               StructureNotifyMask};
    win->win = XCreateWindow(dpy, RootWindow(dpy, screen), 0, 0, (unsigned)w, (unsigned)h, 0, CopyFromParent,
                             InputOutput, CopyFromParent, CWBackPixel | CWBackingStore | CWEventMask, &attr);
    XSizeHints *size = XAllocSizeHints();
    if (size) { /* the figure's layout is in pixels: the window keeps its size */
        size->flags = PMinSize | PMaxSize;
        size->min_width = size->max_width = w, size->min_height = size->max_height = h;
        XSetWMNormalHints(dpy, win->win, size);
        XFree(size);
    }
    XStoreName(dpy, win->win, win->title);
    XClassHint class_hint = {"gdlab", "gdlab"};
    XSetClassHint(dpy, win->win, &class_hint);
    win->wm_delete = XInternAtom(dpy, "WM_DELETE_WINDOW", False);
    XSetWMProtocols(dpy, win->win, &win->wm_delete, 1);
    XMapRaised(dpy, win->win);
    XEvent ev; /* drawing before the window is on screen would be lost */
    do XWindowEvent(dpy, win->win, StructureNotifyMask, &ev);
    while (ev.type != MapNotify);
    return win;
}

void fig_window_attach(fig_window *win, const gdlab_device_info *dev)
{
    if (strcmp(dev->name, "xcairo") == 0)
        plsetopt("drvopt", "external_drawable");
    else
        plsxwin((PLINT)win->win);
}

void fig_window_plinit_done(fig_window *win, const gdlab_device_info *dev)
{
    if (strcmp(dev->name, "xcairo") != 0) return;
    xcairo_drawable d = {win->dpy, win->win};
    pl_cmd(PLESC_DEVINIT, &d);
}

void fig_window_on_expose(fig_window *win, void (*repaint)(void *ctx), void *ctx)
{
    win->repaint = repaint, win->repaint_ctx = ctx;
}

/* The shift that puts an 8-bit channel under mask. */
static int mask_shift(unsigned long mask)
{
    int s = 0;
    while (mask && !(mask & 1)) mask >>= 1, s++;
    return s - (8 - __builtin_popcountl(mask));
}

int fig_window_put_rgb(fig_window *win, const unsigned char *rgb, char *err, size_t errlen)
{
    const int screen = DefaultScreen(win->dpy);
    Visual *vis = DefaultVisual(win->dpy, screen);
    const int depth = DefaultDepth(win->dpy, screen);
    if (vis->class != TrueColor || depth < 15) {
        snprintf(err, errlen, "the X display has no true-colour visual (depth %d) for animation frames", depth);
        return -1;
    }
    uint32_t *pixels = malloc((size_t)win->w * (size_t)win->h * 4);
    if (!pixels) {
        snprintf(err, errlen, "out of memory for a %d x %d frame", win->w, win->h);
        return -1;
    }
    const unsigned long m[3] = {vis->red_mask, vis->green_mask, vis->blue_mask};
    int sh[3];
    for (int c = 0; c < 3; c++) sh[c] = mask_shift(m[c]);
    for (size_t i = 0, n = (size_t)win->w * (size_t)win->h; i < n; i++) {
        uint32_t p = 0;
        for (int c = 0; c < 3; c++) {
            const unsigned long v = rgb[3 * i + (size_t)c];
            p |= (uint32_t)((sh[c] >= 0 ? v << sh[c] : v >> -sh[c]) & m[c]);
        }
        pixels[i] = p;
    }
    XImage *img = XCreateImage(win->dpy, vis, (unsigned)depth, ZPixmap, 0, (char *)pixels, (unsigned)win->w,
                               (unsigned)win->h, 32, 0);
    if (!img) {
        free(pixels);
        snprintf(err, errlen, "cannot make an X image of %d x %d pixels", win->w, win->h);
        return -1;
    }
    if (!win->frame) win->frame = XCreatePixmap(win->dpy, win->win, (unsigned)win->w, (unsigned)win->h, (unsigned)depth);
    GC gc = XCreateGC(win->dpy, win->frame, 0, NULL);
    XPutImage(win->dpy, win->frame, gc, img, 0, 0, 0, 0, (unsigned)win->w, (unsigned)win->h);
    XFreeGC(win->dpy, gc);
    XDestroyImage(img); /* frees pixels */
    XSetWindowBackgroundPixmap(win->dpy, win->win, win->frame);
    XClearWindow(win->dpy, win->win);
    XFlush(win->dpy);
    return 0;
}

void fig_window_flush(fig_window *win)
{
    XFlush(win->dpy);
}

int fig_window_closed(const fig_window *win)
{
    return win->closed;
}

void fig_window_hint(void)
{
    static int shown;
    if (shown) return;
    shown = 1;
    fprintf(stderr, "gdlab: the window waits: q, Escape or its close button closes it; space pauses and "
                    "resumes, n steps, a click picks a point where the script asks for one\n");
}

static void close_by_reader(fig_window *win)
{
    win->closed = 1;
    XUnmapWindow(win->dpy, win->win);
    XFlush(win->dpy);
}

/* Translate one X event; 1 when it is one the caller sees. */
static int translate(fig_window *win, const XEvent *x, gdlab_event *ev)
{
    memset(ev, 0, sizeof *ev);
    switch (x->type) {
    case Expose:
        if (x->xexpose.count == 0 && win->repaint) win->repaint(win->repaint_ctx);
        return 0;
    case DestroyNotify:
        if (x->xdestroywindow.window == win->win) win->destroyed = 1;
        return 0;
    case ClientMessage:
        if ((Atom)x->xclient.data.l[0] != win->wm_delete) return 0;
        close_by_reader(win);
        ev->kind = GDLAB_EVENT_CLOSE;
        return 1;
    case ButtonPress:
        ev->kind = GDLAB_EVENT_CLICK;
        ev->button = (int)x->xbutton.button;
        ev->px = x->xbutton.x, ev->py = x->xbutton.y;
        return 1;
    case KeyPress: {
        XKeyEvent key = x->xkey;
        const KeySym sym = XLookupKeysym(&key, 0);
        ev->px = key.x, ev->py = key.y;
        if (sym == XK_q || sym == XK_Escape) {
            close_by_reader(win);
            ev->kind = GDLAB_EVENT_CLOSE;
        } else if (sym == XK_space) {
            ev->kind = GDLAB_EVENT_PAUSE;
        } else if (sym == XK_n) {
            ev->kind = GDLAB_EVENT_STEP;
        } else if (sym == XK_c) {
            ev->kind = GDLAB_EVENT_CLEAR;
        } else {
            const char *name = XKeysymToString(sym);
            if (!name || IsModifierKey(sym)) return 0;
            ev->kind = GDLAB_EVENT_KEY;
            snprintf(ev->key, sizeof ev->key, "%s", name);
        }
        return 1;
    }
    default:
        return 0;
    }
}

/* XCheckIfEvent's predicate: an event of this window (the queue holds every window's). */
static Bool is_for(Display *dpy, XEvent *x, XPointer win)
{
    (void)dpy;
    return x->xany.window == ((const fig_window *)win)->win;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

int fig_window_event(fig_window *win, double timeout, gdlab_event *ev, char *err, size_t errlen)
{
    const double until = timeout >= 0 ? now_s() + timeout : 0;
    if (timeout < 0 && !win->closed) fig_window_hint();
    for (;;) {
        if (win->closed) {
            memset(ev, 0, sizeof *ev);
            ev->kind = GDLAB_EVENT_CLOSE;
            return 1;
        }
        XEvent x;
        while (XCheckIfEvent(win->dpy, &x, is_for, (XPointer)win))
            if (translate(win, &x, ev)) return 1;
        if (win->destroyed) {
            snprintf(err, errlen, "the window '%s' was destroyed from outside", win->title);
            return -1;
        }
        const int fd = ConnectionNumber(win->dpy);
        fd_set in;
        FD_ZERO(&in);
        FD_SET(fd, &in);
        struct timeval tv, *tvp = NULL;
        if (timeout >= 0) {
            const double left = until - now_s();
            if (left <= 0) return 0;
            tv.tv_sec = (time_t)left, tv.tv_usec = (suseconds_t)((left - (double)tv.tv_sec) * 1e6);
            tvp = &tv;
        }
        if (select(fd + 1, &in, NULL, NULL, tvp) < 0 && errno != EINTR) {
            snprintf(err, errlen, "waiting for events of window '%s': %s", win->title, strerror(errno));
            return -1;
        }
        XSync(win->dpy, False); /* reads a closed connection: the IO error handler ends gdlab */
    }
}

void fig_window_destroy(fig_window *win)
{
    if (!win) return;
    if (!win->destroyed) XDestroyWindow(win->dpy, win->win);
    if (win->frame) XFreePixmap(win->dpy, win->frame);
    XSync(win->dpy, False); /* gone from the screen now; then its events leave the shared queue */
    XEvent x;
    while (XCheckIfEvent(win->dpy, &x, is_for, (XPointer)win)) continue;
    free(win);
}
