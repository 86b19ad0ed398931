/* SPDX-License-Identifier: MIT */
/* window.h — the X window a figure (xcairo, xwin) or a live animation is shown in (window.c). Not
 * installed: the public side is gdlab_figure_event and friends in gdlab/figure.h.
 *
 * gdlab makes the window itself and hands it to PLplot (xcairo draws on it as an external drawable,
 * xwin as a child window), so gdlab, not the driver, reads its events: keys, clicks, the window
 * manager's close button, a window destroyed from outside, a lost X connection. PLplot's own windows
 * turn the last three into an error, a hang or an exit(). */
#ifndef GDLAB_FIG_WINDOW_H
#define GDLAB_FIG_WINDOW_H

#include <stddef.h>

#include "gdlab/figure.h"

typedef struct fig_window fig_window;

/* Does gdlab make the window for this device (xcairo, xwin)? Other window devices keep PLplot's. */
int fig_window_supported(const gdlab_device_info *dev);

/* Can dev (one fig_window_supported says yes to) open its window: is DISPLAY set, and does its X server
 * let gdlab in? 0, or -1 with err naming the device and the display. The connection stays open for the
 * windows to come. */
int fig_window_display_check(const gdlab_device_info *dev, char *err, size_t errlen);

/* Open and map a w x h window titled "gdlab: title" on $DISPLAY. NULL with err when the display
 * cannot be opened. The first window installs gdlab's X error handlers (window.c says why). */
fig_window *fig_window_open(const char *title, int w, int h, char *err, size_t errlen);
/* Before plinit on the current stream: tell PLplot to draw into this window. */
void fig_window_attach(fig_window *win, const gdlab_device_info *dev);
/* After plinit on the current stream: what the driver needs then (xcairo's external drawable). */
void fig_window_plinit_done(fig_window *win, const gdlab_device_info *dev);
/* Show w x h RGB pixels (3 bytes each, rows top to bottom, the window's size): animation frames. */
int fig_window_put_rgb(fig_window *win, const unsigned char *rgb, char *err, size_t errlen);
/* Called for an Expose event; repaint what PLplot drew (ctx is the figure). */
void fig_window_on_expose(fig_window *win, void (*repaint)(void *ctx), void *ctx);

/* The next event, waiting at most timeout seconds (< 0: as long as it takes). 1 with *ev filled,
 * 0 on timeout, -1 with err when the window was destroyed from outside. q, Escape and the window
 * manager's close button give GDLAB_EVENT_CLOSE and hide the window; after that every call gives
 * GDLAB_EVENT_CLOSE at once. */
int fig_window_event(fig_window *win, double timeout, gdlab_event *ev, char *err, size_t errlen);
/* Has the reader closed it? */
int fig_window_closed(const fig_window *win);
/* Push what was drawn to the screen. */
void fig_window_flush(fig_window *win);
/* Print, once per process, on stderr, which keys the window listens to. */
void fig_window_hint(void);
void fig_window_destroy(fig_window *win);

#endif
